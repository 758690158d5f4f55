import { firstOf, idOf, uniqueName, unknownId } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

// The account management spec: accounts, users' access, permissions, billing, organization
// sub-accounts and API tokens. `state.accountId` names the account a created token grants access
// to, `state.organizationId` the organization of the sub-accounts (both 1 on the spec server).

export const accounts: AccountApiAreaCases = {
  area: 'accounts',
  cases: [{ method: 'accounts.list', operation: 'getAllAccounts', run: (api) => api.list() }],
};

export const accountAccesses: AccountApiAreaCases = {
  area: 'accountAccesses',
  cases: [
    {
      method: 'accountAccesses.list',
      operation: 'getAllUsersInAccount',
      run: (api) => api.list(),
      keep: (result, state) => {
        state.accountAccessId ??= firstOf(result)?.id;
      },
    },
    {
      method: 'accountAccesses.list',
      operation: 'getAllUsersInAccount',
      run: (api, state) =>
        api.list({ project_ids: [state.projectId ?? 1], domain_ids: [state.domainId ?? 1] }),
    },
    {
      method: 'accountAccesses.updatePermissions',
      operation: 'updateUserPermissions',
      run: (api, state) =>
        api.updatePermissions(state.accountAccessId, [
          { resource_id: state.accountId ?? 1, resource_type: 'account', access_level: 'viewer' },
        ]),
      missing: (api, state) =>
        api.updatePermissions(unknownId, [
          { resource_id: state.accountId ?? 1, resource_type: 'account', access_level: 'viewer' },
        ]),
    },
    {
      method: 'accountAccesses.delete',
      operation: 'deleteAccountAccessById',
      run: (api, state) => api.delete(state.accountAccessId),
      missing: (api) => api.delete(unknownId),
    },
  ],
};

export const permissions: AccountApiAreaCases = {
  area: 'permissions',
  cases: [{ method: 'permissions.resources', operation: 'getResources', run: (api) => api.resources() }],
};

export const billing: AccountApiAreaCases = {
  area: 'billing',
  cases: [{ method: 'billing.usage', operation: 'getAccountBillingUsage', run: (api) => api.usage() }],
};

export const subAccounts: AccountApiAreaCases = {
  area: 'subAccounts',
  cases: [
    {
      method: 'subAccounts.list',
      operation: 'getOrganizationSubAccounts',
      run: (api, state) => api.list({ organizationId: state.organizationId ?? 1 }),
    },
    {
      method: 'subAccounts.create',
      operation: 'createOrganizationSubAccount',
      run: (api, state) =>
        api.create({ name: uniqueName('suite') }, { organizationId: state.organizationId ?? 1 }),
    },
  ],
};

export const apiTokens: AccountApiAreaCases = {
  area: 'apiTokens',
  cases: [
    {
      method: 'apiTokens.create',
      operation: 'createApiToken',
      run: (api, state) =>
        api.create({
          name: uniqueName('suite-token'),
          resources: [{ resource_type: 'account', resource_id: state.accountId ?? 1, access_level: 100 }],
        }),
      keep: (result, state) => {
        state.apiTokenId = idOf(result);
      },
    },
    { method: 'apiTokens.list', operation: 'listApiTokens', run: (api) => api.list() },
    {
      method: 'apiTokens.get',
      operation: 'getApiToken',
      run: (api, state) => api.get(state.apiTokenId),
      missing: (api) => api.get(unknownId),
    },
    {
      method: 'apiTokens.reset',
      operation: 'resetApiToken',
      run: (api, state) => api.reset(state.apiTokenId),
      keep: (result, state) => {
        state.apiTokenId = idOf(result) ?? state.apiTokenId;
      },
      missing: (api) => api.reset(unknownId),
    },
    {
      method: 'apiTokens.delete',
      operation: 'deleteApiToken',
      run: (api, state) => api.delete(state.apiTokenId),
      missing: (api) => api.delete(unknownId),
    },
  ],
};
