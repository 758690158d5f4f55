import { crudCases } from './crud.js';
import { firstOf, idOf, uniqueName, unknownId } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

// The inbound spec. Folders keep `state.inboundFolderId`, inboxes `state.inboundInboxId`; inbound
// messages arrive by email only, so on a real target the inbox must hold one
// (`state.inboundMessageId`, or the first of the list); `inboundMessages.delete` removes
// `state.disposableInboundMessageId` when given, else `state.inboundMessageId` (it runs last).

export const inboundFolders: AccountApiAreaCases = {
  area: 'inboundFolders',
  cases: crudCases({
    area: 'inboundFolders',
    idKey: 'inboundFolderId',
    operations: {
      create: 'createInboundFolder',
      list: 'listInboundFolders',
      get: 'getInboundFolder',
      update: 'updateInboundFolder',
      delete: 'deleteInboundFolder',
    },
    create: () => ({ name: uniqueName('suite-folder') }),
    update: () => ({ name: uniqueName('suite-folder') }),
  }),
};

export const inboundInboxes: AccountApiAreaCases = {
  area: 'inboundInboxes',
  cases: [
    {
      method: 'inboundInboxes.create',
      operation: 'createInboundInbox',
      run: (api, state) => api.create(state.inboundFolderId, { name: uniqueName('suite-inbox') }),
      keep: (result, state) => {
        state.inboundInboxId = idOf(result);
      },
      missing: (api) => api.create(unknownId, { name: uniqueName('suite-inbox') }),
    },
    {
      method: 'inboundInboxes.list',
      operation: 'listInboundInboxes',
      run: (api, state) => api.list(state.inboundFolderId),
      missing: (api) => api.list(unknownId),
    },
    {
      method: 'inboundInboxes.get',
      operation: 'getInboundInbox',
      run: (api, state) => api.get(state.inboundFolderId, state.inboundInboxId),
      missing: (api, state) => api.get(state.inboundFolderId, unknownId),
    },
    {
      method: 'inboundInboxes.update',
      operation: 'updateInboundInbox',
      run: (api, state) =>
        api.update(state.inboundFolderId, state.inboundInboxId, { name: uniqueName('suite-inbox') }),
      missing: (api, state) =>
        api.update(state.inboundFolderId, unknownId, { name: uniqueName('suite-inbox') }),
    },
    {
      method: 'inboundInboxes.delete',
      operation: 'deleteInboundInbox',
      setup: async (api, state) => {
        state.disposableInboundInboxId = idOf(
          await api.create(state.inboundFolderId, { name: uniqueName('gone-inbox') }),
        );
      },
      run: (api, state) => api.delete(state.inboundFolderId, state.disposableInboundInboxId),
      missing: (api, state) => api.delete(state.inboundFolderId, unknownId),
    },
  ],
};

export const inboundMessages: AccountApiAreaCases = {
  area: 'inboundMessages',
  cases: [
    {
      method: 'inboundMessages.list',
      operation: 'listInboundMessages',
      run: (api, state) => api.list(state.inboundInboxId),
      keep: (result, state) => {
        state.inboundMessageId ??= firstOf(result)?.id ?? result?.messages?.[0]?.id;
      },
      missing: (api) => api.list(unknownId),
    },
    {
      method: 'inboundMessages.get',
      operation: 'getInboundMessage',
      run: (api, state) => api.get(state.inboundInboxId, state.inboundMessageId),
      missing: (api, state) => api.get(state.inboundInboxId, 'no-such-message'),
    },
    {
      method: 'inboundMessages.delete',
      operation: 'deleteInboundMessage',
      run: (api, state) =>
        api.delete(state.inboundInboxId, state.disposableInboundMessageId ?? state.inboundMessageId),
      missing: (api, state) => api.delete(state.inboundInboxId, 'no-such-message'),
    },
  ],
};
