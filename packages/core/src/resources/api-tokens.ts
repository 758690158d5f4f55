import type { AccountManagementSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkArray, checkId, checkObject, checkOneOf, checkString } from './input';
import type { SuccessBody } from './spec-types';

export const apiTokensOperations = {
  list: defineOperation({ operationId: 'listApiTokens', method: 'GET', path: '/api_tokens' }),
  get: defineOperation({ operationId: 'getApiToken', method: 'GET', path: '/api_tokens/{id}' }),
  create: defineOperation({ operationId: 'createApiToken', method: 'POST', path: '/api_tokens' }),
  reset: defineOperation({ operationId: 'resetApiToken', method: 'POST', path: '/api_tokens/{id}/reset' }),
  delete: defineOperation({
    operationId: 'deleteApiToken',
    method: 'DELETE',
    path: '/api_tokens/{id}',
    response: 'none',
  }),
};

type Schemas = AccountManagementSpec.components['schemas'];
type Operations = AccountManagementSpec.operations;

/** A token as listed: `last_4_digits`, never the token itself. */
export type ApiToken = Schemas['ApiToken'];
/** A token as created or reset: `token` holds the full value, shown only then. */
export type ApiTokenWithToken = Schemas['ApiTokenWithToken'];
/** `{ name, resources?: [{ resource_type, resource_id, access_level: 10 (viewer) | 100 (admin) }] }`. */
export type ApiTokenInput = Schemas['CreateApiTokenRequest'];
export type ApiTokensList = SuccessBody<Operations['listApiTokens']>;

export interface ApiTokensResource {
  list(options?: CallOptions): Promise<ApiTokensList>;
  get(id: number, options?: CallOptions): Promise<ApiToken>;
  /** Creates a token; the answer's `token` is the only time its value is shown. */
  create(token: ApiTokenInput, options?: CallOptions): Promise<ApiTokenWithToken>;
  /** Replaces the token's value (the old one stops working); the new value is in `token`. */
  reset(id: number, options?: CallOptions): Promise<ApiTokenWithToken>;
  delete(id: number, options?: CallOptions): Promise<void>;
}

function checkResource(value: unknown, field: string): Record<string, unknown> {
  const resource = checkObject(value, field, ['resource_type', 'resource_id', 'access_level']);
  checkOneOf(resource.resource_type, `${field}.resource_type`, ['account', 'project', 'sandbox', 'domain']);
  if (typeof resource.resource_id === 'string') checkString(resource.resource_id, `${field}.resource_id`);
  else checkId(resource.resource_id, `${field}.resource_id`);
  checkOneOf(resource.access_level, `${field}.access_level`, [10, 100]);
  return resource;
}

export function createApiTokensResource(call: Call): ApiTokensResource {
  const operations = apiTokensOperations;
  const tokenId = (id: unknown) => ({ id: checkId(id, 'id') });
  return {
    list: (options) => call(operations.list, { signal: options?.signal }),
    get: async (id, options) => call(operations.get, { path: tokenId(id), signal: options?.signal }),
    create: async (token, options) => {
      const body = checkObject(token, 'token', ['name', 'resources']);
      checkString(body.name, 'token.name');
      if (body.resources !== undefined) checkArray(body.resources, 'token.resources', checkResource);
      return call(operations.create, { body, signal: options?.signal });
    },
    reset: async (id, options) => call(operations.reset, { path: tokenId(id), signal: options?.signal }),
    delete: async (id, options) => {
      await call(operations.delete, { path: tokenId(id), signal: options?.signal });
    },
  };
}
