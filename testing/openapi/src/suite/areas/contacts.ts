import { crudCases } from './crud.js';
import { idOf, uniqueName, unknownId } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

// The contacts spec. Lists and fields come first so a contact can name them; `state.contactEmail`
// is the contact the later cases read, update and delete.

export const contactLists: AccountApiAreaCases = {
  area: 'contactLists',
  cases: crudCases({
    area: 'contactLists',
    idKey: 'contactListId',
    operations: {
      create: 'createContactList',
      list: 'contactLists',
      get: 'getContactList',
      update: 'updateContactList',
      delete: 'deleteContactList',
    },
    create: () => ({ name: uniqueName('suite-list') }),
    update: () => ({ name: uniqueName('suite-list') }),
  }),
};

export const contactFields: AccountApiAreaCases = {
  area: 'contactFields',
  cases: crudCases({
    area: 'contactFields',
    idKey: 'contactFieldId',
    operations: {
      create: 'createContactField',
      list: 'contactFields',
      get: 'getContactField',
      update: 'updateContactField',
      delete: 'deleteContactField',
    },
    create: () => ({
      name: uniqueName('Suite field'),
      data_type: 'text',
      merge_tag: uniqueName('suite_field').replace(/-/g, '_'),
    }),
    update: () => ({ name: uniqueName('Suite field') }),
  }),
};

export const contacts: AccountApiAreaCases = {
  area: 'contacts',
  cases: [
    {
      method: 'contacts.create',
      operation: 'createContact',
      run: (api, state) => {
        state.contactEmail = `${uniqueName('suite')}@example.com`;
        return api.create({ email: state.contactEmail });
      },
    },
    {
      method: 'contacts.get',
      operation: 'getContact',
      run: (api, state) => api.get(state.contactEmail),
      missing: (api) => api.get(`${uniqueName('nobody')}@example.com`),
    },
    {
      method: 'contacts.update',
      operation: 'updateContact',
      run: (api, state) => api.update(state.contactEmail, { email: state.contactEmail, unsubscribed: true }),
    },
    {
      method: 'contacts.delete',
      operation: 'deleteContact',
      // a contact of its own: contactEvents uses `state.contactEmail`
      setup: async (api, state) => {
        state.disposableContactEmail = `${uniqueName('gone')}@example.com`;
        await api.create({ email: state.disposableContactEmail });
      },
      run: (api, state) => api.delete(state.disposableContactEmail),
      missing: (api) => api.delete(`${uniqueName('nobody')}@example.com`),
    },
  ],
};

export const contactEvents: AccountApiAreaCases = {
  area: 'contactEvents',
  cases: [
    {
      method: 'contactEvents.create',
      operation: 'createContactEvent',
      run: (api, state) =>
        api.create(state.contactEmail ?? 'john.smith@example.com', {
          name: 'suite_event',
          params: { plan: 'pro', seats: 3 },
        }),
      missing: (api) => api.create(`${uniqueName('nobody')}@example.com`, { name: 'suite_event' }),
    },
  ],
};

export const contactImports: AccountApiAreaCases = {
  area: 'contactImports',
  cases: [
    {
      method: 'contactImports.create',
      operation: 'importContacts',
      run: (api) =>
        api.create({
          contacts: [{ email: `${uniqueName('imported')}@example.com`, fields: { first_name: 'Ada' } }],
        }),
      keep: (result, state) => {
        state.contactImportId = idOf(result);
      },
    },
    {
      method: 'contactImports.get',
      operation: 'getContactImport',
      run: (api, state) => api.get(state.contactImportId),
      missing: (api) => api.get(unknownId),
    },
  ],
};

export const contactExports: AccountApiAreaCases = {
  area: 'contactExports',
  cases: [
    {
      method: 'contactExports.create',
      operation: 'createContactExport',
      run: (api) =>
        api.create({ filters: [{ name: 'subscription_status', operator: 'equal', value: 'subscribed' }] }),
      keep: (result, state) => {
        state.contactExportId = idOf(result);
      },
    },
    {
      method: 'contactExports.get',
      operation: 'getContactExport',
      run: (api, state) => api.get(state.contactExportId),
      missing: (api) => api.get(unknownId),
    },
  ],
};
