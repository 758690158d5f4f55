import type { ContactsSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { type ContactFieldValue, checkContactWrite } from './contacts';
import { checkId, checkObject } from './input';

/** An import job; the counts are set once `status` is `finished`. */
export type ContactImport = ContactsSpec.components['schemas']['ContactImport'];

/** One contact of an import: created, or updated when its email exists. */
export interface ContactImportContact {
  email: string;
  fields?: Record<string, ContactFieldValue>;
  list_ids_included?: number[];
  list_ids_excluded?: number[];
}

/** `contactImports.create` input: 1 to 50,000 contacts. */
export interface ContactImportInput {
  contacts: ContactImportContact[];
}

/** The documented maximum number of contacts in one import request. */
export const maxContactsPerImport = 50_000;

const accountLimit = 'contacts';
const importKeys = ['email', 'fields', 'list_ids_included', 'list_ids_excluded'];

export const contactImportsOperations = {
  create: defineOperation({
    operationId: 'importContacts',
    method: 'POST',
    path: '/contacts/imports',
    accountLimit,
  }),
  get: defineOperation({
    operationId: 'getContactImport',
    method: 'GET',
    path: '/contacts/imports/{import_id}',
    accountLimit,
  }),
};

export interface ContactImportsResource {
  /**
   * Starts an asynchronous import; poll `get(id)` for its status. A 422 naming contacts is a
   * `MailtrapContactImportError` whose `contacts` lists each refused email with its errors.
   */
  create(input: ContactImportInput, options?: CallOptions): Promise<ContactImport>;
  get(id: number, options?: CallOptions): Promise<ContactImport>;
}

function checkInput(input: unknown): void {
  const { contacts } = checkObject(input, 'input', ['contacts']);
  if (!Array.isArray(contacts) || contacts.length === 0)
    invalid('input.contacts', 'expected a non-empty array of contacts');
  if (contacts.length > maxContactsPerImport) {
    invalid('input.contacts', `has ${contacts.length} contacts; at most ${maxContactsPerImport} per import`);
  }
  contacts.forEach((contact, index) => {
    checkContactWrite(contact, `input.contacts[${index}]`, importKeys);
  });
}

/** `client.contactImports`. */
export function createContactImportsResource(call: Call): ContactImportsResource {
  const operations = contactImportsOperations;
  return {
    create: async (input, options) => {
      checkInput(input);
      return call(operations.create, { body: input, signal: options?.signal });
    },
    get: async (id, options) =>
      call(operations.get, { path: { import_id: checkId(id, 'id') }, signal: options?.signal }),
  };
}
