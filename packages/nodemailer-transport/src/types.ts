import type {
  BatchSendingClient,
  MailtrapClient,
  MailtrapClientOptions,
  SendingClient,
} from '@mailtrap-kit/core';

/**
 * What the transport needs of a client: core's slices for sending and batching, `request()` for
 * `verify()`'s token check, `domains.list()` for its domain check (without it, `GET /api/domains`
 * through `request()`), and `close()`. core's `MailtrapClient` has them all.
 */
export type MailtrapTransportClient = SendingClient &
  BatchSendingClient &
  Pick<MailtrapClient, 'request' | 'close'> & {
    domains?: Pick<MailtrapClient['domains'], 'list'>;
  };

/** Micro-batching settings: concurrent `sendMail` calls are sent as one `/api/batch` request. */
export interface BatchingOptions {
  /** How long the first message of a batch waits for company, in milliseconds. Default 5. */
  maxWaitMs?: number;
  /** Messages per batch request, at most 500 (the API's limit). Default 500. */
  maxMessages?: number;
  /** Bytes of JSON per batch request, at most 50 MB (the API's limit). Default 50 MB. */
  maxBytes?: number;
}

/**
 * Settings of {@link MailtrapTransport}: the official transport's options (`token`, `bulk`,
 * `sandbox`, `testInboxId`), every option of core's `MailtrapClient`, or an existing `client`.
 */
export interface MailtrapTransportSettings extends MailtrapClientOptions {
  /** An existing client to send with (then leave out the client options). Not closed by `close()`. */
  client?: MailtrapTransportClient;
  /**
   * The sender of messages that have no `from`, and the address whose domain `verify()` checks
   * (without it, `verify()` checks the `from` of createTransport's defaults).
   */
  from?: string | { name?: string; address: string };
  /** Group concurrent messages into `/api/batch` requests. Default off. `true` uses the defaults. */
  batching?: boolean | BatchingOptions;
  /**
   * Requests in flight at once. `isIdle()` is false and `'idle'` is emitted again once the
   * transport holds this many requests (times `maxMessages` when batching). Default 10.
   */
  maxConcurrentRequests?: number;
  /** Refuse content read from files (`path`) for every message, as Nodemailer's option does. Default false. */
  disableFileAccess?: boolean;
  /** Refuse content fetched from URLs (`href`) for every message, as Nodemailer's option does. Default false. */
  disableUrlAccess?: boolean;
  /**
   * Message options to ignore instead of refusing them, e.g. `textEncoding` when you accept that
   * the API chooses. Options a Nodemailer plugin read (a templating plugin's `template`,
   * `context`) need not be listed: they are recognised as the plugin's.
   */
  ignoreOptions?: string[];
}

/** What `sendMail` resolves with: Nodemailer's info shape plus Mailtrap's message ids. */
export interface MailtrapSentMessageInfo {
  /** Mailtrap's message id of the first recipient (the id Email Logs and webhooks use). */
  messageId: string;
  /** Mailtrap's message ids, one per recipient, in To, Cc, Bcc order (matches `accepted`). */
  messageIds: string[];
  /** The envelope Nodemailer derived from the message. */
  envelope: { from: string | false; to: string[] };
  /** Recipient addresses the API accepted, in To, Cc, Bcc order. */
  accepted: string[];
  /** Always empty: the API accepts or refuses a message as a whole. */
  rejected: string[];
  /** Always empty (kept for Nodemailer's shape). */
  pending: string[];
  /** A one-line summary of the API's answer. */
  response: string;
}

/** Mailtrap's own message options, in both spellings (camelCase and the API's snake_case). */
export interface MailtrapMessageOptions {
  /** Category of the message (at most 255 characters). Not allowed with a template. */
  category?: string;
  /** Metadata shown in Email Logs and webhooks (at most 1000 bytes of JSON). Never interpolated. */
  customVariables?: Record<string, string>;
  custom_variables?: Record<string, string>;
  /** UUID of a Mailtrap template; `subject`, `text`, `html` and `category` then come from it. */
  templateUuid?: string;
  template_uuid?: string;
  /** Variables for the template (any JSON). */
  templateVariables?: Record<string, unknown>;
  template_variables?: Record<string, unknown>;
}
