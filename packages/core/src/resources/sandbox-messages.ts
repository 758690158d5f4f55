import type { SandboxSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid, type OperationDefinition } from './call';
import { checkBoolean, checkEmail, checkId, checkObject, checkString } from './input';
import type { SuccessBody } from './spec-types';

type Operations = SandboxSpec.operations;

/** A message caught by a sandbox. */
export type SandboxMessage = SandboxSpec.components['schemas']['SandboxMessage'];
/** The answer of `sandboxMessages.update` and `delete`: the message's attributes. */
export type SandboxMessageAttributes = SuccessBody<Operations['updateSandboxEmailMessage']>;
/** A spam report: `Score`, `Spam`, `Threshold` and the rules that matched. */
export type SandboxSpamReport = SuccessBody<Operations['getSandboxEmailMessageSpamReport']>;
/** The HTML compatibility report: the rules each email client fails. */
export type SandboxHtmlAnalysis = SuccessBody<Operations['getSandboxEmailMessageHTMLAnalysis']>;
/** The message's headers, name → value. */
export interface SandboxMessageHeaders {
  headers?: Record<string, string>;
}

/** `sandboxMessages.list` parameters: a page holds at most 30 messages. */
export interface SandboxMessagesListParams {
  /** Matches subject, to_email and to_name. */
  search?: string;
  /** The page of messages before this message id (instead of `page`). */
  last_id?: number;
  /** A page number (instead of `last_id`). */
  page?: number;
}

/** `sandboxMessages.update` input: only `is_read` can change. */
export interface SandboxMessageUpdateInput {
  is_read: boolean;
}

/** `sandboxMessages.forward` input: an address its owner has confirmed beforehand. */
export interface SandboxMessageForwardInput {
  email: string;
}

const messagePath = '/sandboxes/{sandbox_id}/messages/{message_id}';
const body = (operationId: string, suffix: string, response: 'text' | 'bytes') =>
  defineOperation({ operationId, method: 'GET', path: `${messagePath}/${suffix}`, response });

export const sandboxMessagesOperations = {
  list: defineOperation({
    operationId: 'getSandboxEmailMessage',
    method: 'GET',
    path: '/sandboxes/{sandbox_id}/messages',
  }),
  get: defineOperation({ operationId: 'showSandboxEmailMessage', method: 'GET', path: messagePath }),
  update: defineOperation({ operationId: 'updateSandboxEmailMessage', method: 'PATCH', path: messagePath }),
  delete: defineOperation({ operationId: 'deleteSandboxEmailMessage', method: 'DELETE', path: messagePath }),
  forward: defineOperation({
    operationId: 'forwardSandboxEmailMessage',
    method: 'POST',
    path: `${messagePath}/forward`,
  }),
  spamReport: defineOperation({
    operationId: 'getSandboxEmailMessageSpamReport',
    method: 'GET',
    path: `${messagePath}/spam_report`,
  }),
  htmlAnalysis: defineOperation({
    operationId: 'getSandboxEmailMessageHTMLAnalysis',
    method: 'GET',
    path: `${messagePath}/analyze`,
  }),
  headers: defineOperation({
    operationId: 'getMailHeadersOfEmailMessage',
    method: 'GET',
    path: `${messagePath}/mail_headers`,
  }),
  text: body('getSandboxEmailMessageBodyAsTxt', 'body.txt', 'text'),
  html: body('getSandboxEmailMessageBodyAsHtml', 'body.html', 'text'),
  htmlSource: body('getSandboxEmailMessageBodyAsHtmlSource', 'body.htmlsource', 'text'),
  raw: body('getSandboxEmailMessageBodyAsRaw', 'body.raw', 'text'),
  eml: body('getSandboxEmailMessageBodyAsEml', 'body.eml', 'bytes'),
};

export interface SandboxMessagesResource {
  /** Up to 30 messages, newest first; page with `last_id` or `page`. */
  list(
    sandboxId: number,
    params?: SandboxMessagesListParams,
    options?: CallOptions,
  ): Promise<SandboxMessage[]>;
  get(sandboxId: number, messageId: number, options?: CallOptions): Promise<SandboxMessage>;
  /** Marks the message read or unread. */
  update(
    sandboxId: number,
    messageId: number,
    message: SandboxMessageUpdateInput,
    options?: CallOptions,
  ): Promise<SandboxMessageAttributes>;
  delete(sandboxId: number, messageId: number, options?: CallOptions): Promise<SandboxMessageAttributes>;
  /** Forwards the message to a confirmed address; answers with a confirmation `message`. */
  forward(
    sandboxId: number,
    messageId: number,
    forward: SandboxMessageForwardInput,
    options?: CallOptions,
  ): Promise<{ message?: string }>;
  spamReport(sandboxId: number, messageId: number, options?: CallOptions): Promise<SandboxSpamReport>;
  htmlAnalysis(sandboxId: number, messageId: number, options?: CallOptions): Promise<SandboxHtmlAnalysis>;
  headers(sandboxId: number, messageId: number, options?: CallOptions): Promise<SandboxMessageHeaders>;
  /** The text body (a 409 `MailtrapError` when the message has none). */
  text(sandboxId: number, messageId: number, options?: CallOptions): Promise<string>;
  /** The HTML body (a 409 when the message has none). */
  html(sandboxId: number, messageId: number, options?: CallOptions): Promise<string>;
  /** The HTML body's source. */
  htmlSource(sandboxId: number, messageId: number, options?: CallOptions): Promise<string>;
  /** The raw message as text. */
  raw(sandboxId: number, messageId: number, options?: CallOptions): Promise<string>;
  /** The message as an .eml file (RFC 822 bytes). */
  eml(sandboxId: number, messageId: number, options?: CallOptions): Promise<Uint8Array>;
}

/** The path values of one sandbox message. @internal */
export function sandboxMessagePath(sandboxId: unknown, messageId: unknown) {
  return { sandbox_id: checkId(sandboxId, 'sandboxId'), message_id: checkId(messageId, 'messageId') };
}

function listQuery(params: unknown): Record<string, unknown> {
  const value = checkObject(params, 'params', ['search', 'last_id', 'page']);
  if (value.search !== undefined) checkString(value.search, 'params.search');
  if (value.last_id !== undefined) checkId(value.last_id, 'params.last_id');
  if (value.page !== undefined) checkId(value.page, 'params.page');
  if (value.last_id !== undefined && value.page !== undefined) {
    invalid('params.page', 'cannot be combined with `last_id` (the API would ignore `page`); give one');
  }
  return value;
}

/** `client.sandboxMessages`: messages caught by a sandbox, their bodies and reports. */
export function createSandboxMessagesResource(call: Call): SandboxMessagesResource {
  const operations = sandboxMessagesOperations;
  const onMessage =
    <T>(operation: OperationDefinition) =>
    async (sandboxId: number, messageId: number, options?: CallOptions): Promise<T> =>
      call<T>(operation, { path: sandboxMessagePath(sandboxId, messageId), signal: options?.signal });
  return {
    list: async (sandboxId, params = {}, options) => {
      const path = { sandbox_id: checkId(sandboxId, 'sandboxId') };
      return call(operations.list, { path, query: listQuery(params), signal: options?.signal });
    },
    get: onMessage(operations.get),
    update: async (sandboxId, messageId, message, options) => {
      const path = sandboxMessagePath(sandboxId, messageId);
      const { is_read } = checkObject(message, 'message', ['is_read']);
      // The spec types `is_read` as a string: 'true' or 'false'.
      const body = { message: { is_read: String(checkBoolean(is_read, 'message.is_read')) } };
      return call(operations.update, { path, body, signal: options?.signal });
    },
    delete: onMessage(operations.delete),
    forward: async (sandboxId, messageId, forward, options) => {
      const path = sandboxMessagePath(sandboxId, messageId);
      const { email } = checkObject(forward, 'forward', ['email']);
      return call(operations.forward, {
        path,
        body: { email: checkEmail(email, 'forward.email') },
        signal: options?.signal,
      });
    },
    spamReport: onMessage(operations.spamReport),
    htmlAnalysis: onMessage(operations.htmlAnalysis),
    headers: onMessage(operations.headers),
    text: onMessage(operations.text),
    html: onMessage(operations.html),
    htmlSource: onMessage(operations.htmlSource),
    raw: onMessage(operations.raw),
    eml: onMessage(operations.eml),
  };
}
