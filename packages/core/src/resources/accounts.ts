import type { Account } from '../types';
import { type Call, type CallOptions, defineOperation } from './call';

export const accountsOperations = {
  list: defineOperation({ operationId: 'getAllAccounts', method: 'GET', path: '/accounts', scope: 'token' }),
};

export interface AccountsResource {
  list(options?: CallOptions): Promise<Account[]>;
}

export function createAccountsResource(call: Call): AccountsResource {
  return { list: (options) => call(accountsOperations.list, { signal: options?.signal }) };
}
