import type { InboundSpec } from '../generated';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkId, checkObject, checkString } from './input';

type Schemas = InboundSpec.components['schemas'];

/** A received message as listed (headers, addresses, sizes). */
export type InboundMessage = Schemas['Message'];
/** A received message with its decoded bodies and one-hour download URLs (raw .eml, attachments). */
export type InboundMessageDetails = Schemas['MessageDetails'];
/** One page of messages, newest first; `last_id` is the next page's cursor (null at the end). */
export type InboundMessagesPage = Schemas['MessagesListResponse'];

/** `inboundMessages.list` parameters. */
export interface InboundMessagesListParams {
  /** The `last_id` of the previous page. */
  last_id?: string;
}

const messagesPath = '/inbound/inboxes/{inbox_id}/messages';

export const inboundMessagesOperations = {
  list: defineOperation({
    operationId: 'listInboundMessages',
    method: 'GET',
    path: messagesPath,
    scope: 'token',
  }),
  get: defineOperation({
    operationId: 'getInboundMessage',
    method: 'GET',
    path: `${messagesPath}/{id}`,
    scope: 'token',
  }),
  delete: defineOperation({
    operationId: 'deleteInboundMessage',
    method: 'DELETE',
    path: `${messagesPath}/{id}`,
    scope: 'token',
    response: 'none',
  }),
};

export interface InboundMessagesResource {
  /** One page of the inbox's messages; pass the answer's `last_id` for the next. */
  list(
    inboxId: number,
    params?: InboundMessagesListParams,
    options?: CallOptions,
  ): Promise<InboundMessagesPage>;
  get(inboxId: number, messageId: string, options?: CallOptions): Promise<InboundMessageDetails>;
  /** Deletes the message with its stored body and attachments. */
  delete(inboxId: number, messageId: string, options?: CallOptions): Promise<void>;
}

/** `client.inboundMessages`: messages received by an inbound inbox. */
export function createInboundMessagesResource(call: Call): InboundMessagesResource {
  const operations = inboundMessagesOperations;
  const inbox = (id: unknown) => ({ inbox_id: checkId(id, 'inboxId') });
  const message = (inboxId: unknown, messageId: unknown) => ({
    ...inbox(inboxId),
    id: checkString(messageId, 'messageId'),
  });
  return {
    list: async (inboxId, params = {}, options) => {
      const path = inbox(inboxId);
      const query = checkObject(params, 'params', ['last_id']);
      if (query.last_id !== undefined) checkString(query.last_id, 'params.last_id');
      return call(operations.list, { path, query, signal: options?.signal });
    },
    get: async (inboxId, messageId, options) =>
      call(operations.get, { path: message(inboxId, messageId), signal: options?.signal }),
    delete: async (inboxId, messageId, options) => {
      await call(operations.delete, { path: message(inboxId, messageId), signal: options?.signal });
    },
  };
}
