import type { AccountManagementSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkArray, checkBoolean, checkId, checkObject, checkOneOf } from './input';

/** Who (a user, an invite or an API token) has which access to which resources. */
export type AccountAccess = AccountManagementSpec.components['schemas']['AccountAccess'];

/** `accountAccesses.list` filters: only the accesses to these projects, sandboxes or domains. */
export interface AccountAccessesListParams {
  project_ids?: number[];
  sandbox_ids?: number[];
  domain_ids?: number[];
}

/** The resource types a permission can name. */
export const permissionResourceTypes = [
  'account',
  'billing',
  'project',
  'sandbox',
  'domain',
  'email_campaign_permission_scope',
] as const;

/**
 * One permission of `accountAccesses.updatePermissions`: created, or updated when the resource
 * already has one; `_destroy: true` removes it. `access_level` is `'admin'` / `'viewer'` or 100 / 10.
 */
export interface PermissionInput {
  resource_id: number | string;
  resource_type: (typeof permissionResourceTypes)[number];
  access_level?: 'admin' | 'viewer' | 100 | 10;
  _destroy?: boolean;
}

const accessPath = '/account_accesses/{account_access_id}';

export const accountAccessesOperations = {
  list: defineOperation({ operationId: 'getAllUsersInAccount', method: 'GET', path: '/account_accesses' }),
  delete: defineOperation({ operationId: 'deleteAccountAccessById', method: 'DELETE', path: accessPath }),
  updatePermissions: defineOperation({
    operationId: 'updateUserPermissions',
    method: 'PUT',
    path: `${accessPath}/permissions/bulk`,
  }),
};

export interface AccountAccessesResource {
  /** The user and invite accesses (needs account admin); the filters narrow them to some resources. */
  list(params?: AccountAccessesListParams, options?: CallOptions): Promise<AccountAccess[]>;
  /** Removes a user's permissions, or an invite or an API token with its permissions. */
  delete(id: number, options?: CallOptions): Promise<{ id?: number }>;
  /** Creates, updates or (`_destroy`) removes permissions of one access in one call. */
  updatePermissions(
    id: number,
    permissions: PermissionInput[],
    options?: CallOptions,
  ): Promise<{ message?: string }>;
}

const accessLevels: Record<string, 'admin' | 'viewer'> = {
  admin: 'admin',
  viewer: 'viewer',
  100: 'admin',
  10: 'viewer',
};

/** The wire form of a permission: the spec types `resource_id` and `access_level` as strings. */
function toWire(permission: unknown, field: string): Record<string, unknown> {
  const value = checkObject(permission, field, ['resource_id', 'resource_type', 'access_level', '_destroy']);
  const wire: Record<string, unknown> = {
    resource_id: String(checkId(value.resource_id, `${field}.resource_id`)),
    resource_type: checkOneOf(value.resource_type, `${field}.resource_type`, permissionResourceTypes),
  };
  if (value.access_level !== undefined) {
    const level = accessLevels[String(value.access_level)];
    if (level === undefined) {
      invalid(
        `${field}.access_level`,
        `expected 'admin', 'viewer', 100 or 10, got ${JSON.stringify(value.access_level)}`,
      );
    }
    wire.access_level = level;
  }
  if (value._destroy !== undefined) wire._destroy = checkBoolean(value._destroy, `${field}._destroy`);
  if (wire.access_level === undefined && wire._destroy !== true) {
    invalid(`${field}.access_level`, 'is required unless `_destroy` is true');
  }
  return wire;
}

/** `client.accountAccesses`. */
export function createAccountAccessesResource(call: Call): AccountAccessesResource {
  const operations = accountAccessesOperations;
  const accessId = (id: unknown) => ({ account_access_id: checkId(id, 'id') });
  return {
    list: async (params = {}, options) => {
      const query = checkObject(params, 'params', ['project_ids', 'sandbox_ids', 'domain_ids']);
      for (const key of Object.keys(query)) {
        if (query[key] !== undefined) checkArray(query[key], `params.${key}`, checkId);
      }
      // Sent as `project_ids[]=1&project_ids[]=2`: the form Rails reads as an array (and the official
      // Node client sends); the spec names the parameter without brackets.
      return call(operations.list, { query, signal: options?.signal });
    },
    delete: async (id, options) => call(operations.delete, { path: accessId(id), signal: options?.signal }),
    updatePermissions: async (id, permissions, options) => {
      const path = accessId(id);
      if (!Array.isArray(permissions) || permissions.length === 0) {
        invalid('permissions', 'expected a non-empty array of permissions');
      }
      const body = {
        permissions: permissions.map((permission, index) => toWire(permission, `permissions[${index}]`)),
      };
      return call(operations.updatePermissions, { path, body, signal: options?.signal });
    },
  };
}
