import type { ContactsSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkId, checkNotEmpty, checkObject, checkOneOf, checkString } from './input';

/** A custom contact field (`merge_tag` is how templates and imports name it). */
export type ContactField = ContactsSpec.components['schemas']['ContactField'];

/** The data types a contact field can hold (fixed once the field exists). */
export const contactFieldDataTypes = ['text', 'integer', 'float', 'boolean', 'date'] as const;
export type ContactFieldDataType = (typeof contactFieldDataTypes)[number];

/** `contactFields.create` input: name and merge tag at most 80 characters each. */
export interface ContactFieldInput {
  name: string;
  data_type: ContactFieldDataType;
  merge_tag?: string;
}

/** `contactFields.update` input: the data type cannot change. */
export interface ContactFieldUpdateInput {
  name?: string;
  merge_tag?: string;
}

const accountLimit = 'contacts';
const fieldPath = '/contacts/fields/{field_id}';

export const contactFieldsOperations = {
  list: defineOperation({
    operationId: 'contactFields',
    method: 'GET',
    path: '/contacts/fields',
    accountLimit,
  }),
  create: defineOperation({
    operationId: 'createContactField',
    method: 'POST',
    path: '/contacts/fields',
    accountLimit,
  }),
  get: defineOperation({ operationId: 'getContactField', method: 'GET', path: fieldPath, accountLimit }),
  update: defineOperation({
    operationId: 'updateContactField',
    method: 'PATCH',
    path: fieldPath,
    accountLimit,
  }),
  delete: defineOperation({
    operationId: 'deleteContactField',
    method: 'DELETE',
    path: fieldPath,
    response: 'none',
    accountLimit,
  }),
};

export interface ContactFieldsResource {
  list(options?: CallOptions): Promise<ContactField[]>;
  /** Creates a field (an account has at most 40). */
  create(field: ContactFieldInput, options?: CallOptions): Promise<ContactField>;
  get(id: number, options?: CallOptions): Promise<ContactField>;
  update(id: number, field: ContactFieldUpdateInput, options?: CallOptions): Promise<ContactField>;
  /** Deletes a field (a 422 while automations, campaigns or segments use it). */
  delete(id: number, options?: CallOptions): Promise<void>;
}

function checkCreate(field: unknown): void {
  const value = checkObject(field, 'field', ['name', 'data_type', 'merge_tag']);
  checkString(value.name, 'field.name', 80);
  checkOneOf(value.data_type, 'field.data_type', contactFieldDataTypes);
  if (value.merge_tag !== undefined) checkString(value.merge_tag, 'field.merge_tag', 80);
}

function checkUpdate(field: unknown): void {
  if (typeof field === 'object' && field !== null && 'data_type' in field) {
    invalid('field.data_type', 'cannot be changed once the field exists');
  }
  const value = checkObject(field, 'field', ['name', 'merge_tag']);
  checkNotEmpty(value, 'field');
  if (value.name !== undefined) checkString(value.name, 'field.name', 80);
  if (value.merge_tag !== undefined) checkString(value.merge_tag, 'field.merge_tag', 80);
}

/** `client.contactFields`. */
export function createContactFieldsResource(call: Call): ContactFieldsResource {
  const operations = contactFieldsOperations;
  const fieldId = (id: unknown) => ({ field_id: checkId(id, 'id') });
  return {
    list: async (options) => call(operations.list, { signal: options?.signal }),
    create: async (field, options) => {
      checkCreate(field);
      return call(operations.create, { body: field, signal: options?.signal });
    },
    get: async (id, options) => call(operations.get, { path: fieldId(id), signal: options?.signal }),
    update: async (id, field, options) => {
      const path = fieldId(id);
      checkUpdate(field);
      return call(operations.update, { path, body: field, signal: options?.signal });
    },
    delete: async (id, options) => {
      await call(operations.delete, { path: fieldId(id), signal: options?.signal });
    },
  };
}
