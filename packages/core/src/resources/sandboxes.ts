import type { SandboxSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, type OperationDefinition } from './call';
import { checkId, checkNotEmpty, checkObject, checkString } from './input';

/** A sandbox (once called an inbox): SMTP credentials, counts, email address settings. */
export type Sandbox = SandboxSpec.components['schemas']['TestingSandbox'];

/** `sandboxes.create` input (sent as `{ sandbox: ... }`). */
export interface SandboxInput {
  name: string;
}

/** `sandboxes.update` input (sent as `{ sandbox: ... }`): a new name, a new email username, or both. */
export interface SandboxUpdateInput {
  name?: string;
  email_username?: string;
}

const sandboxPath = '/sandboxes/{sandbox_id}';

export const sandboxesOperations = {
  list: defineOperation({ operationId: 'getSandboxes', method: 'GET', path: '/sandboxes' }),
  get: defineOperation({ operationId: 'getSandboxAttributes', method: 'GET', path: sandboxPath }),
  create: defineOperation({
    operationId: 'createSandbox',
    method: 'POST',
    path: '/projects/{project_id}/sandboxes',
  }),
  update: defineOperation({ operationId: 'updateSandbox', method: 'PATCH', path: sandboxPath }),
  delete: defineOperation({ operationId: 'deleteSandbox', method: 'DELETE', path: sandboxPath }),
  clean: defineOperation({ operationId: 'cleanSandbox', method: 'PATCH', path: `${sandboxPath}/clean` }),
  markAllRead: defineOperation({
    operationId: 'markAsReadSandbox',
    method: 'PATCH',
    path: `${sandboxPath}/all_read`,
  }),
  resetCredentials: defineOperation({
    operationId: 'resetSandboxCredentials',
    method: 'PATCH',
    path: `${sandboxPath}/reset_credentials`,
  }),
  toggleEmailUsername: defineOperation({
    operationId: 'enableSandboxEmailAddresses',
    method: 'PATCH',
    path: `${sandboxPath}/toggle_email_username`,
  }),
  resetEmailUsername: defineOperation({
    operationId: 'resetEmailUserNamePerSandbox',
    method: 'PATCH',
    path: `${sandboxPath}/reset_email_username`,
  }),
};

export interface SandboxesResource {
  /** Every sandbox the token can access. */
  list(options?: CallOptions): Promise<Sandbox[]>;
  get(id: number, options?: CallOptions): Promise<Sandbox>;
  /** Creates a sandbox in a project. */
  create(projectId: number, sandbox: SandboxInput, options?: CallOptions): Promise<Sandbox>;
  update(id: number, sandbox: SandboxUpdateInput, options?: CallOptions): Promise<Sandbox>;
  /** Deletes the sandbox with all its emails. */
  delete(id: number, options?: CallOptions): Promise<Sandbox>;
  /** Deletes every message in the sandbox. */
  clean(id: number, options?: CallOptions): Promise<Sandbox>;
  /** Marks every message in the sandbox as read. */
  markAllRead(id: number, options?: CallOptions): Promise<Sandbox>;
  /** New SMTP credentials for the sandbox (the old ones stop working). */
  resetCredentials(id: number, options?: CallOptions): Promise<Sandbox>;
  /** Turns the sandbox's email address on or off. */
  toggleEmailUsername(id: number, options?: CallOptions): Promise<Sandbox>;
  /** A new username for the sandbox's email address. */
  resetEmailUsername(id: number, options?: CallOptions): Promise<Sandbox>;
}

/** `client.sandboxes`. */
export function createSandboxesResource(call: Call): SandboxesResource {
  const operations = sandboxesOperations;
  const onSandbox =
    (operation: OperationDefinition) =>
    async (id: number, options?: CallOptions): Promise<Sandbox> =>
      call(operation, { path: { sandbox_id: checkId(id, 'id') }, signal: options?.signal });
  return {
    list: async (options) => call(operations.list, { signal: options?.signal }),
    get: onSandbox(operations.get),
    create: async (projectId, sandbox, options) => {
      const path = { project_id: checkId(projectId, 'projectId') };
      const { name } = checkObject(sandbox, 'sandbox', ['name']);
      checkString(name, 'sandbox.name');
      return call(operations.create, { path, body: { sandbox }, signal: options?.signal });
    },
    update: async (id, sandbox, options) => {
      const path = { sandbox_id: checkId(id, 'id') };
      const value = checkObject(sandbox, 'sandbox', ['name', 'email_username']);
      checkNotEmpty(value, 'sandbox');
      if (value.name !== undefined) checkString(value.name, 'sandbox.name');
      if (value.email_username !== undefined) checkString(value.email_username, 'sandbox.email_username');
      return call(operations.update, { path, body: { sandbox }, signal: options?.signal });
    },
    delete: onSandbox(operations.delete),
    clean: onSandbox(operations.clean),
    markAllRead: onSandbox(operations.markAllRead),
    resetCredentials: onSandbox(operations.resetCredentials),
    toggleEmailUsername: onSandbox(operations.toggleEmailUsername),
    resetEmailUsername: onSandbox(operations.resetEmailUsername),
  };
}
