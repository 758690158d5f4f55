import type { InboundSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkId, checkObject, checkString } from './input';

/** An inbound folder: a group of inbound inboxes. */
export type InboundFolder = InboundSpec.components['schemas']['Folder'];

/** `inboundFolders.create` / `update` input: a name of at most 100 characters. */
export type InboundFolderInput = InboundSpec.components['schemas']['FolderInput'];

const folderPath = '/inbound/folders/{folder_id}';

export const inboundFoldersOperations = {
  list: defineOperation({
    operationId: 'listInboundFolders',
    method: 'GET',
    path: '/inbound/folders',
    scope: 'token',
  }),
  create: defineOperation({
    operationId: 'createInboundFolder',
    method: 'POST',
    path: '/inbound/folders',
    scope: 'token',
  }),
  get: defineOperation({ operationId: 'getInboundFolder', method: 'GET', path: folderPath, scope: 'token' }),
  update: defineOperation({
    operationId: 'updateInboundFolder',
    method: 'PATCH',
    path: folderPath,
    scope: 'token',
  }),
  delete: defineOperation({
    operationId: 'deleteInboundFolder',
    method: 'DELETE',
    path: folderPath,
    scope: 'token',
    response: 'none',
  }),
};

export interface InboundFoldersResource {
  list(options?: CallOptions): Promise<InboundFolder[]>;
  create(folder: InboundFolderInput, options?: CallOptions): Promise<InboundFolder>;
  get(id: number, options?: CallOptions): Promise<InboundFolder>;
  update(id: number, folder: InboundFolderInput, options?: CallOptions): Promise<InboundFolder>;
  /** Deletes the folder with all its inboxes. */
  delete(id: number, options?: CallOptions): Promise<void>;
}

/** Checks the body of an inbound folder or inbox: `{ name }`, 1-100 characters. @internal */
export function checkInboundName(input: unknown, field: string): void {
  checkString(checkObject(input, field, ['name']).name, `${field}.name`, 100);
}

/** `client.inboundFolders`. */
export function createInboundFoldersResource(call: Call): InboundFoldersResource {
  const operations = inboundFoldersOperations;
  const folderId = (id: unknown) => ({ folder_id: checkId(id, 'id') });
  return {
    list: async (options) => call(operations.list, { signal: options?.signal }),
    create: async (folder, options) => {
      checkInboundName(folder, 'folder');
      return call(operations.create, { body: folder, signal: options?.signal });
    },
    get: async (id, options) => call(operations.get, { path: folderId(id), signal: options?.signal }),
    update: async (id, folder, options) => {
      const path = folderId(id);
      checkInboundName(folder, 'folder');
      return call(operations.update, { path, body: folder, signal: options?.signal });
    },
    delete: async (id, options) => {
      await call(operations.delete, { path: folderId(id), signal: options?.signal });
    },
  };
}
