import type { ContactsSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkArray, checkId, checkObject, checkOneOf } from './input';

/** An export job: `url` is set once `status` is `finished`. */
export type ContactExport = ContactsSpec.components['schemas']['ContactExport'];

/** Contacts in any of these lists. */
export interface ContactExportListFilter {
  name: 'list_id';
  operator: 'equal';
  value: number[];
}

/** Contacts with this subscription status. */
export interface ContactExportStatusFilter {
  name: 'subscription_status';
  operator: 'equal';
  value: 'subscribed' | 'unsubscribed';
}

export type ContactExportFilter = ContactExportListFilter | ContactExportStatusFilter;

/** `contactExports.create` input; without filters every contact is exported. */
export interface ContactExportInput {
  filters?: ContactExportFilter[];
}

const accountLimit = 'contacts';

export const contactExportsOperations = {
  create: defineOperation({
    operationId: 'createContactExport',
    method: 'POST',
    path: '/contacts/exports',
    accountLimit,
  }),
  get: defineOperation({
    operationId: 'getContactExport',
    method: 'GET',
    path: '/contacts/exports/{export_id}',
    accountLimit,
  }),
};

export interface ContactExportsResource {
  /** Starts an export; poll `get(id)` until `status` is `finished` and `url` is set. */
  create(input?: ContactExportInput, options?: CallOptions): Promise<ContactExport>;
  get(id: number, options?: CallOptions): Promise<ContactExport>;
}

function checkFilter(filter: unknown, field: string): void {
  const value = checkObject(filter, field, ['name', 'operator', 'value']);
  const name = checkOneOf(value.name, `${field}.name`, ['list_id', 'subscription_status'] as const);
  checkOneOf(value.operator, `${field}.operator`, ['equal'] as const);
  if (name === 'list_id') checkArray(value.value, `${field}.value`, checkId);
  else checkOneOf(value.value, `${field}.value`, ['subscribed', 'unsubscribed'] as const);
}

/** `client.contactExports`. */
export function createContactExportsResource(call: Call): ContactExportsResource {
  const operations = contactExportsOperations;
  return {
    create: async (input = {}, options) => {
      const value = checkObject(input, 'input', ['filters']);
      if (value.filters !== undefined) checkArray(value.filters, 'input.filters', checkFilter);
      return call(operations.create, { body: input, signal: options?.signal });
    },
    get: async (id, options) =>
      call(operations.get, { path: { export_id: checkId(id, 'id') }, signal: options?.signal }),
  };
}
