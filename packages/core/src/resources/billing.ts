import type { AccountManagementSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import type { SuccessBody } from './spec-types';

/** The current billing cycle and the usage of sandbox, sending and marketing against their plan limits. */
export type BillingUsage = SuccessBody<AccountManagementSpec.operations['getAccountBillingUsage']>;

export const billingOperations = {
  usage: defineOperation({ operationId: 'getAccountBillingUsage', method: 'GET', path: '/billing/usage' }),
};

export interface BillingResource {
  usage(options?: CallOptions): Promise<BillingUsage>;
}

/** `client.billing`. */
export function createBillingResource(call: Call): BillingResource {
  return {
    usage: async (options) => call(billingOperations.usage, { signal: options?.signal }),
  };
}
