import type { ContactsSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import {
  checkArray,
  checkBoolean,
  checkEmail,
  checkId,
  checkObject,
  checkScalars,
  checkString,
} from './input';

type Schemas = ContactsSpec.components['schemas'];

/** A contact field value: text, a number, a boolean, or a date as `yyyy-mm-dd` (null clears it). */
export type ContactFieldValue = string | number | boolean | null;

/** A contact as the API returns it (`fields` keyed by merge tag). */
export type Contact = Omit<NonNullable<Schemas['Contact_2']['data']>, 'fields'> & {
  fields?: Record<string, ContactFieldValue>;
};

/** The answer of `contacts.get` and `contacts.create`: `{ data: Contact }`. */
export interface ContactResponse {
  data?: Contact;
}

/** The answer of `contacts.update`: the contact, and whether it was `created` or `updated`. */
export type ContactUpdateResponse = Omit<Schemas['ContactUpdateResponse_2'], 'data'> & { data?: Contact };

/** `contacts.create` input (sent as `{ contact: ... }`). */
export type ContactInput = Omit<Schemas['ContactCreateRequest_2']['contact'], 'fields'> & {
  fields?: Record<string, ContactFieldValue>;
};

/**
 * `contacts.update` input (sent as `{ contact: ... }`). The API creates the contact when none has
 * the identifier, so `email` is required as on create.
 */
export type ContactUpdateInput = Omit<Schemas['ContactUpdateRequest_2']['contact'], 'fields'> & {
  fields?: Record<string, ContactFieldValue>;
};

/** Every contacts endpoint draws on the per-account pool of 200 requests per minute. */
const accountLimit = 'contacts';

export const contactsOperations = {
  create: defineOperation({ operationId: 'createContact', method: 'POST', path: '/contacts', accountLimit }),
  get: defineOperation({
    operationId: 'getContact',
    method: 'GET',
    path: '/contacts/{contact_identifier}',
    accountLimit,
  }),
  update: defineOperation({
    operationId: 'updateContact',
    method: 'PATCH',
    path: '/contacts/{contact_identifier}',
    accountLimit,
  }),
  delete: defineOperation({
    operationId: 'deleteContact',
    method: 'DELETE',
    path: '/contacts/{contact_identifier}',
    response: 'none',
    accountLimit,
  }),
};

export interface ContactsResource {
  /** Creates a contact (`list_ids` adds it to lists). */
  create(contact: ContactInput, options?: CallOptions): Promise<ContactResponse>;
  /** A contact by its id (a UUID) or its email. */
  get(identifier: string, options?: CallOptions): Promise<ContactResponse>;
  /** Updates a contact by id or email, creating it when there is none (`action` tells which). */
  update(
    identifier: string,
    contact: ContactUpdateInput,
    options?: CallOptions,
  ): Promise<ContactUpdateResponse>;
  delete(identifier: string, options?: CallOptions): Promise<void>;
}

/**
 * Checks one contact as create, update and import send it: only the `keys` the operation takes, an
 * email by core's address rule, scalar field values, list ids, `unsubscribed` a boolean. @internal
 */
export function checkContactWrite(contact: unknown, field: string, keys: readonly string[]): void {
  const value = checkObject(contact, field, keys);
  checkEmail(value.email, `${field}.email`);
  if (value.fields !== undefined) checkScalars(value.fields, `${field}.fields`);
  for (const key of ['list_ids', 'list_ids_included', 'list_ids_excluded']) {
    if (value[key] !== undefined) checkArray(value[key], `${field}.${key}`, checkId);
  }
  if (value.unsubscribed !== undefined) checkBoolean(value.unsubscribed, `${field}.unsubscribed`);
}

const createKeys = ['email', 'fields', 'list_ids'];
const updateKeys = ['email', 'fields', 'list_ids_included', 'list_ids_excluded', 'unsubscribed'];

/** `client.contacts`: one contact by id or email. */
export function createContactsResource(call: Call): ContactsResource {
  const operations = contactsOperations;
  const identifier = (value: unknown) => ({ contact_identifier: checkString(value, 'identifier') });
  return {
    create: async (contact, options) => {
      checkContactWrite(contact, 'contact', createKeys);
      return call(operations.create, { body: { contact }, signal: options?.signal });
    },
    get: async (id, options) => call(operations.get, { path: identifier(id), signal: options?.signal }),
    update: async (id, contact, options) => {
      const path = identifier(id);
      checkContactWrite(contact, 'contact', updateKeys);
      return call(operations.update, { path, body: { contact }, signal: options?.signal });
    },
    delete: async (id, options) => {
      await call(operations.delete, { path: identifier(id), signal: options?.signal });
    },
  };
}
