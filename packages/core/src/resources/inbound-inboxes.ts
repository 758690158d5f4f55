import type { InboundSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkInboundName } from './inbound-folders';
import { checkId } from './input';

/** An inbound inbox: mail sent to its generated `address` is received into it. */
export type InboundInbox = InboundSpec.components['schemas']['Inbox'];

/** `inboundInboxes.create` / `update` input: a name of at most 100 characters (the address is generated). */
export type InboundInboxInput = InboundSpec.components['schemas']['InboxInput'];

const inboxesPath = '/inbound/folders/{folder_id}/inboxes';
const inboxPath = `${inboxesPath}/{inbox_id}`;

export const inboundInboxesOperations = {
  list: defineOperation({
    operationId: 'listInboundInboxes',
    method: 'GET',
    path: inboxesPath,
    scope: 'token',
  }),
  create: defineOperation({
    operationId: 'createInboundInbox',
    method: 'POST',
    path: inboxesPath,
    scope: 'token',
  }),
  get: defineOperation({ operationId: 'getInboundInbox', method: 'GET', path: inboxPath, scope: 'token' }),
  update: defineOperation({
    operationId: 'updateInboundInbox',
    method: 'PATCH',
    path: inboxPath,
    scope: 'token',
  }),
  delete: defineOperation({
    operationId: 'deleteInboundInbox',
    method: 'DELETE',
    path: inboxPath,
    scope: 'token',
    response: 'none',
  }),
};

export interface InboundInboxesResource {
  list(folderId: number, options?: CallOptions): Promise<InboundInbox[]>;
  create(folderId: number, inbox: InboundInboxInput, options?: CallOptions): Promise<InboundInbox>;
  get(folderId: number, inboxId: number, options?: CallOptions): Promise<InboundInbox>;
  /** Renames the inbox (its address does not change). */
  update(
    folderId: number,
    inboxId: number,
    inbox: InboundInboxInput,
    options?: CallOptions,
  ): Promise<InboundInbox>;
  /** Deletes the inbox and every message it received. */
  delete(folderId: number, inboxId: number, options?: CallOptions): Promise<void>;
}

/** `client.inboundInboxes`: the inboxes of an inbound folder. */
export function createInboundInboxesResource(call: Call): InboundInboxesResource {
  const operations = inboundInboxesOperations;
  const folder = (id: unknown) => ({ folder_id: checkId(id, 'folderId') });
  const inbox = (folderId: unknown, inboxId: unknown) => ({
    ...folder(folderId),
    inbox_id: checkId(inboxId, 'inboxId'),
  });
  return {
    list: async (folderId, options) =>
      call(operations.list, { path: folder(folderId), signal: options?.signal }),
    create: async (folderId, input, options) => {
      const path = folder(folderId);
      checkInboundName(input, 'inbox');
      return call(operations.create, { path, body: input, signal: options?.signal });
    },
    get: async (folderId, inboxId, options) =>
      call(operations.get, { path: inbox(folderId, inboxId), signal: options?.signal }),
    update: async (folderId, inboxId, input, options) => {
      const path = inbox(folderId, inboxId);
      checkInboundName(input, 'inbox');
      return call(operations.update, { path, body: input, signal: options?.signal });
    },
    delete: async (folderId, inboxId, options) => {
      await call(operations.delete, { path: inbox(folderId, inboxId), signal: options?.signal });
    },
  };
}
