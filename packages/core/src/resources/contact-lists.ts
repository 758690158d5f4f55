import type { ContactsSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkId, checkObject, checkString } from './input';

/** A contact list. */
export type ContactList = ContactsSpec.components['schemas']['ContactList_2'];

/** `contactLists.create` / `update` input: the list's name (1-255 characters). */
export interface ContactListInput {
  name: string;
}

const accountLimit = 'contacts';
const listPath = '/contacts/lists/{list_id}';

export const contactListsOperations = {
  list: defineOperation({
    operationId: 'contactLists',
    method: 'GET',
    path: '/contacts/lists',
    accountLimit,
  }),
  create: defineOperation({
    operationId: 'createContactList',
    method: 'POST',
    path: '/contacts/lists',
    accountLimit,
  }),
  get: defineOperation({ operationId: 'getContactList', method: 'GET', path: listPath, accountLimit }),
  update: defineOperation({
    operationId: 'updateContactList',
    method: 'PATCH',
    path: listPath,
    accountLimit,
  }),
  delete: defineOperation({
    operationId: 'deleteContactList',
    method: 'DELETE',
    path: listPath,
    response: 'none',
    accountLimit,
  }),
};

export interface ContactListsResource {
  list(options?: CallOptions): Promise<ContactList[]>;
  create(list: ContactListInput, options?: CallOptions): Promise<ContactList>;
  get(id: number, options?: CallOptions): Promise<ContactList>;
  update(id: number, list: ContactListInput, options?: CallOptions): Promise<ContactList>;
  /** Deletes the list (its contacts stay). */
  delete(id: number, options?: CallOptions): Promise<void>;
}

function checkList(list: unknown): void {
  const value = checkObject(list, 'list', ['name']);
  checkString(value.name, 'list.name', 255);
}

/** `client.contactLists`. */
export function createContactListsResource(call: Call): ContactListsResource {
  const operations = contactListsOperations;
  const listId = (id: unknown) => ({ list_id: checkId(id, 'id') });
  return {
    list: async (options) => call(operations.list, { signal: options?.signal }),
    create: async (list, options) => {
      checkList(list);
      return call(operations.create, { body: list, signal: options?.signal });
    },
    get: async (id, options) => call(operations.get, { path: listId(id), signal: options?.signal }),
    update: async (id, list, options) => {
      const path = listId(id);
      checkList(list);
      return call(operations.update, { path, body: list, signal: options?.signal });
    },
    delete: async (id, options) => {
      await call(operations.delete, { path: listId(id), signal: options?.signal });
    },
  };
}
