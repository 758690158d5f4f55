import { crudCases } from './crud.js';
import { firstOf, idOf, uniqueName, unknownId } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

// The sandbox testing API. `projects` keeps `state.projectId`, `sandboxes` creates
// `state.sandboxId` in it. Messages cannot be created through this API: on a real target the
// sandbox must hold a message (`state.sandboxMessageId`, with an attachment for
// `sandboxAttachments`), e.g. sent in the area's `prepare` hook; `sandboxMessages.delete` removes
// `state.disposableSandboxMessageId` when given, else `state.sandboxMessageId` (it runs last).

export const projects: AccountApiAreaCases = {
  area: 'projects',
  cases: crudCases({
    area: 'projects',
    idKey: 'projectId',
    operations: {
      create: 'createProject',
      list: 'getProjects',
      get: 'getProject',
      update: 'updateProject',
      delete: 'deleteProject',
    },
    create: () => ({ name: uniqueName('suite-project') }),
    update: () => ({ name: uniqueName('suite-project') }),
  }),
};

const sandboxAction = (method: string, operation: string) => ({
  method: `sandboxes.${method}`,
  operation,
  run: (api: Record<string, any>, state: Record<string, any>) => api[method]!(state.sandboxId),
  missing: (api: Record<string, any>) => api[method]!(unknownId),
});

export const sandboxes: AccountApiAreaCases = {
  area: 'sandboxes',
  cases: [
    {
      method: 'sandboxes.create',
      operation: 'createSandbox',
      run: (api, state) => api.create(state.projectId, { name: uniqueName('suite-sandbox') }),
      keep: (result, state) => {
        state.sandboxId = idOf(result);
      },
      missing: (api) => api.create(unknownId, { name: uniqueName('suite-sandbox') }),
    },
    { method: 'sandboxes.list', operation: 'getSandboxes', run: (api) => api.list() },
    sandboxAction('get', 'getSandboxAttributes'),
    {
      method: 'sandboxes.update',
      operation: 'updateSandbox',
      run: (api, state) => api.update(state.sandboxId, { name: uniqueName('suite-sandbox') }),
      missing: (api) => api.update(unknownId, { name: uniqueName('suite-sandbox') }),
    },
    sandboxAction('markAllRead', 'markAsReadSandbox'),
    sandboxAction('resetCredentials', 'resetSandboxCredentials'),
    sandboxAction('toggleEmailUsername', 'enableSandboxEmailAddresses'),
    sandboxAction('resetEmailUsername', 'resetEmailUserNamePerSandbox'),
    sandboxAction('clean', 'cleanSandbox'),
    {
      method: 'sandboxes.delete',
      operation: 'deleteSandbox',
      setup: async (api, state) => {
        state.disposableSandboxId = idOf(
          await api.create(state.projectId, { name: uniqueName('gone-sandbox') }),
        );
      },
      run: (api, state) => api.delete(state.disposableSandboxId),
      missing: (api) => api.delete(unknownId),
    },
  ],
};

const messageRead = (method: string, operation: string) => ({
  method: `sandboxMessages.${method}`,
  operation,
  run: (api: Record<string, any>, state: Record<string, any>) =>
    api[method]!(state.sandboxId, state.sandboxMessageId),
  missing: (api: Record<string, any>, state: Record<string, any>) => api[method]!(state.sandboxId, unknownId),
});

export const sandboxAttachments: AccountApiAreaCases = {
  area: 'sandboxAttachments',
  cases: [
    {
      method: 'sandboxAttachments.list',
      operation: 'getSandboxMessageAttachments',
      run: (api, state) => api.list(state.sandboxId, state.sandboxMessageId),
      keep: (result, state) => {
        state.sandboxAttachmentId ??= firstOf(result)?.id;
      },
      missing: (api, state) => api.list(state.sandboxId, unknownId),
    },
    {
      method: 'sandboxAttachments.get',
      operation: 'getSandboxMessageAttachment',
      run: (api, state) => api.get(state.sandboxId, state.sandboxMessageId, state.sandboxAttachmentId),
      missing: (api, state) => api.get(state.sandboxId, state.sandboxMessageId, unknownId),
    },
  ],
};

export const sandboxMessages: AccountApiAreaCases = {
  area: 'sandboxMessages',
  cases: [
    {
      method: 'sandboxMessages.list',
      operation: 'getSandboxEmailMessage',
      run: (api, state) => api.list(state.sandboxId, { search: 'welcome' }),
      missing: (api) => api.list(unknownId),
    },
    messageRead('get', 'showSandboxEmailMessage'),
    {
      method: 'sandboxMessages.update',
      operation: 'updateSandboxEmailMessage',
      run: (api, state) => api.update(state.sandboxId, state.sandboxMessageId, { is_read: true }),
      missing: (api, state) => api.update(state.sandboxId, unknownId, { is_read: true }),
    },
    messageRead('headers', 'getMailHeadersOfEmailMessage'),
    messageRead('text', 'getSandboxEmailMessageBodyAsTxt'),
    messageRead('html', 'getSandboxEmailMessageBodyAsHtml'),
    messageRead('htmlSource', 'getSandboxEmailMessageBodyAsHtmlSource'),
    messageRead('raw', 'getSandboxEmailMessageBodyAsRaw'),
    messageRead('eml', 'getSandboxEmailMessageBodyAsEml'),
    messageRead('htmlAnalysis', 'getSandboxEmailMessageHTMLAnalysis'),
    messageRead('spamReport', 'getSandboxEmailMessageSpamReport'),
    {
      method: 'sandboxMessages.forward',
      operation: 'forwardSandboxEmailMessage',
      run: (api, state) => api.forward(state.sandboxId, state.sandboxMessageId, { email: 'qa@example.com' }),
      missing: (api, state) => api.forward(state.sandboxId, unknownId, { email: 'qa@example.com' }),
    },
    {
      method: 'sandboxMessages.delete',
      operation: 'deleteSandboxEmailMessage',
      run: (api, state) =>
        api.delete(state.sandboxId, state.disposableSandboxMessageId ?? state.sandboxMessageId),
      missing: (api, state) => api.delete(state.sandboxId, unknownId),
    },
  ],
};
