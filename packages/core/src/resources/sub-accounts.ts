import type { AccountManagementSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkId, checkObject, checkString } from './input';

/** A sub account of an organization. */
export type SubAccount = AccountManagementSpec.components['schemas']['SubAccount'];

/** `subAccounts.create` input (sent as `{ account: ... }`). */
export interface SubAccountInput {
  name: string;
}

/** The options of `subAccounts`: the organization is part of the path. */
export interface SubAccountsOptions extends CallOptions {
  organizationId: number;
}

const path = '/organizations/{organization_id}/sub_accounts';

export const subAccountsOperations = {
  list: defineOperation({ operationId: 'getOrganizationSubAccounts', method: 'GET', path, scope: 'token' }),
  create: defineOperation({
    operationId: 'createOrganizationSubAccount',
    method: 'POST',
    path,
    scope: 'token',
  }),
};

export interface SubAccountsResource {
  /** The organization's sub accounts (needs sub account management permission). */
  list(options: SubAccountsOptions): Promise<SubAccount[]>;
  create(account: SubAccountInput, options: SubAccountsOptions): Promise<SubAccount>;
}

function organization(options: unknown) {
  if (typeof options !== 'object' || options === null)
    invalid('organizationId', 'is required: pass { organizationId }');
  return {
    organization_id: checkId((options as { organizationId?: unknown }).organizationId, 'organizationId'),
  };
}

/** `client.subAccounts`: sub accounts of an organization (`/api/organizations/{id}/sub_accounts`). */
export function createSubAccountsResource(call: Call): SubAccountsResource {
  const operations = subAccountsOperations;
  return {
    list: async (options) => call(operations.list, { path: organization(options), signal: options.signal }),
    create: async (account, options) => {
      const path = organization(options);
      checkString(checkObject(account, 'account', ['name']).name, 'account.name');
      return call(operations.create, { path, body: { account }, signal: options.signal });
    },
  };
}
