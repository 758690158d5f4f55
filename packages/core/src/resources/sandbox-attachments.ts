import type { SandboxSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkId, checkObject, checkString } from './input';
import { sandboxMessagePath } from './sandbox-messages';
import type { SuccessBody } from './spec-types';

/** An attachment of a sandbox message (`download_path` fetches its content). */
export type SandboxAttachment = SuccessBody<SandboxSpec.operations['getSandboxMessageAttachment']>;

/** `sandboxAttachments.list` parameters. */
export interface SandboxAttachmentsListParams {
  /** Only attachments of this disposition, e.g. `inline` or `attachment`. */
  attachment_type?: string;
}

const attachmentsPath = '/sandboxes/{sandbox_id}/messages/{message_id}/attachments';

export const sandboxAttachmentsOperations = {
  list: defineOperation({
    operationId: 'getSandboxMessageAttachments',
    method: 'GET',
    path: attachmentsPath,
  }),
  get: defineOperation({
    operationId: 'getSandboxMessageAttachment',
    method: 'GET',
    path: `${attachmentsPath}/{attachment_id}`,
  }),
};

export interface SandboxAttachmentsResource {
  list(
    sandboxId: number,
    messageId: number,
    params?: SandboxAttachmentsListParams,
    options?: CallOptions,
  ): Promise<SandboxAttachment[]>;
  get(
    sandboxId: number,
    messageId: number,
    attachmentId: number,
    options?: CallOptions,
  ): Promise<SandboxAttachment>;
}

/** `client.sandboxAttachments`. */
export function createSandboxAttachmentsResource(call: Call): SandboxAttachmentsResource {
  const operations = sandboxAttachmentsOperations;
  return {
    list: async (sandboxId, messageId, params = {}, options) => {
      const path = sandboxMessagePath(sandboxId, messageId);
      const query = checkObject(params, 'params', ['attachment_type']);
      if (query.attachment_type !== undefined) checkString(query.attachment_type, 'params.attachment_type');
      return call(operations.list, { path, query, signal: options?.signal });
    },
    get: async (sandboxId, messageId, attachmentId, options) => {
      const path = {
        ...sandboxMessagePath(sandboxId, messageId),
        attachment_id: checkId(attachmentId, 'attachmentId'),
      };
      return call(operations.get, { path, signal: options?.signal });
    },
  };
}
