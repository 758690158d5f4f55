import type { AccountManagementSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';

/** A resource the token administers, with the resources nested below it. */
export type PermissionResource = AccountManagementSpec.components['schemas']['PermissionResourceNode'];

export const permissionsOperations = {
  resources: defineOperation({ operationId: 'getResources', method: 'GET', path: '/permissions/resources' }),
};

export interface PermissionsResource {
  /** Every resource (account, billing, projects, sandboxes, domains, ...) the token administers, as a tree. */
  resources(options?: CallOptions): Promise<PermissionResource[]>;
}

/** `client.permissions`. */
export function createPermissionsResource(call: Call): PermissionsResource {
  return {
    resources: async (options) => call(permissionsOperations.resources, { signal: options?.signal }),
  };
}
