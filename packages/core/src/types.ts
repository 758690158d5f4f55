import type { Dispatcher } from 'undici';

/** An email address with an optional display name, exactly as the API takes it. */
export interface Address {
  email: string;
  name?: string;
}

/**
 * One attachment. Give exactly one of `content`, `path` or `stream`.
 * A string `content` must already be base64; a Uint8Array/Buffer is base64-encoded by the client;
 * a `path` or `stream` is read and base64-encoded while the request body is streamed. `path` needs
 * Node (a file system); a `stream` may be a web ReadableStream or a Blob on every runtime.
 */
export interface Attachment {
  filename: string;
  content?: string | Uint8Array;
  path?: string;
  stream?: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array> | Blob;
  type?: string;
  disposition?: 'inline' | 'attachment';
  content_id?: string;
}

/** The body of `POST /api/send` (snake_case, the API's own JSON shape). */
export interface SendMail {
  from: Address;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  reply_to?: Address;
  subject?: string;
  /** Plain-text body. A Buffer/Uint8Array (as the official client allowed) is sent as UTF-8 text. */
  text?: string | Uint8Array;
  /** HTML body. A Buffer/Uint8Array is sent as UTF-8 text. */
  html?: string | Uint8Array;
  attachments?: Attachment[];
  headers?: Record<string, string>;
  /**
   * Metadata shown in Email Logs and webhooks (never interpolated), at most 1000 bytes of JSON.
   * Numbers and booleans (as the official client allowed) are sent as their string form.
   */
  custom_variables?: Record<string, string | number | boolean>;
  category?: string;
  template_uuid?: string;
  template_variables?: Record<string, unknown>;
}

/** Fields shared by every message of a batch (no recipients; `from` may be given per request). */
export type BatchBase = Omit<SendMail, 'to' | 'cc' | 'bcc' | 'from'> & { from?: Address };
/** One message of a batch; it inherits `base` and must end up with recipients and a sender. */
export type BatchMessage = Partial<SendMail>;
/** The body of `POST /api/batch`. */
export interface BatchSendRequest {
  base?: BatchBase;
  requests: BatchMessage[];
}
/**
 * A batch whose messages are serialized already (`batchSendJson`): each of `requests` is one
 * message's JSON text, an object in the API's wire form (snake_case, attachments' `content` in
 * base64). Core joins them as they are, without parsing them (only their braces are checked);
 * `base` is an object, as for `batchSend`, and may use every attachment form.
 */
export interface SerializedBatchRequest {
  base?: BatchBase;
  requests: readonly string[];
}

/** `POST /api/send` success: one message id per recipient, in To, Cc, Bcc order. */
export interface SendResult {
  success: true;
  message_ids: string[];
}
/** The result of one message of a batch, in request order. */
export interface BatchItemResult {
  success: boolean;
  message_ids?: string[];
  errors?: string[];
}
/** `POST /api/batch` answer (HTTP 200 even when some messages fail). */
export interface BatchSendResult {
  success: boolean;
  responses: BatchItemResult[];
  errors?: string[];
}

export type MailtrapStream = 'transactional' | 'bulk' | 'sandbox';

/**
 * Base URLs replacing the real hosts. The client appends `/api/...` keeping the base's path:
 * base `http://127.0.0.1:4000/bulk` sends to `http://127.0.0.1:4000/bulk/api/send`.
 */
export interface MailtrapEndpoints {
  send?: string;
  bulk?: string;
  sandbox?: string;
  general?: string;
}

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Base of the exponential backoff (full jitter). Default 500. */
  minDelayMs?: number;
  /** Upper bound of one backoff delay. Default 30_000. */
  maxDelayMs?: number;
  /** Cap for a server's Retry-After. Default 60_000. */
  maxRetryAfterMs?: number;
  /**
   * Also retry failures that may have been accepted (5xx, a timeout or reset after the body left)
   * for non-idempotent requests such as sends. Default false: such a retry can send an email twice.
   */
  retryAmbiguous?: boolean;
}

/** What the client tells a store about the call reserving a slot. */
export interface RateLimitReserveOptions {
  /** The caller's signal: a store that waits inside `reserve` should stop (reject) when it aborts. */
  signal?: AbortSignal;
  /**
   * Epoch ms at which the caller's `totalTimeoutMs` expires: a store should not wait past it, and a
   * slot at or after it cannot be used (the client gives up with a timeout, nothing sent).
   */
  deadline?: number;
}

export interface RateLimitStore {
  /**
   * Reserve one request slot for `key`; resolve with the ms to wait before sending (0 = now).
   * `options` (signal, deadline) is optional to honour: a store that ignores it still works.
   */
  reserve(
    key: string,
    limit: { requests: number; windowMs: number },
    options?: RateLimitReserveOptions,
  ): Promise<number>;
}

export interface RateLimitOptions {
  /** Requests per window. Default 150. */
  requests?: number;
  /** Window length. Default 10_000. */
  windowMs?: number;
  /** Where reservations are kept. Default: an in-memory store private to the client. */
  store?: RateLimitStore;
  /** Key of the shared budget. Default: a short sha256 of the token (never the token). */
  key?: string;
}

/** The per-account request pools Mailtrap documents (on top of the per-token limit). */
export type AccountLimitName = 'emailLogsList' | 'stats' | 'suppressions' | 'contacts';

/**
 * The per-account limits, applied to the operations that draw on each pool. Defaults: Email Logs
 * list 60/min, stats 10/min, suppressions 10/min, contacts 200/min. `false` for one pool turns it
 * off; `false` for the option turns them all off.
 */
export type AccountRateLimitsOptions = {
  [name in AccountLimitName]?: { requests?: number; windowMs?: number } | false;
} & {
  /** Where the reservations are kept. Default: `rateLimit.store`, else an in-memory store. */
  store?: RateLimitStore;
  /**
   * Key prefix of the pools (`<key>:stats`, ...). Default `mailtrap:account:<accountId>` with
   * `accountId`, else the token's rate-limit key: give `accountId` (or one key) to share the pools
   * between the tokens of one account.
   */
  key?: string;
};

export interface MailtrapClientOptions {
  /** API token. Falls back to `process.env.MAILTRAP_API_TOKEN`. */
  token?: string;
  /** Sending stream. Default 'transactional'. */
  stream?: MailtrapStream;
  /** Sandbox (inbox) id, required in sandbox mode. */
  sandboxId?: number | string;
  /** Account id: account API calls use `/api/accounts/{accountId}/...` when given. */
  accountId?: number | string;
  /** The official client's spelling of `stream: 'bulk'`. */
  bulk?: boolean;
  /** The official client's spelling of `stream: 'sandbox'`. */
  sandbox?: boolean;
  /** The official client's spelling of `sandboxId`. */
  testInboxId?: number;
  /**
   * Base URLs replacing the real hosts. Default: from the environment (`MAILTRAP_SEND_ENDPOINT`,
   * `MAILTRAP_BULK_ENDPOINT`, `MAILTRAP_SANDBOX_ENDPOINT`, `MAILTRAP_GENERAL_ENDPOINT`, or one
   * `MAILTRAP_ENDPOINT` laid out like the emulator), else the real hosts.
   */
  endpoints?: MailtrapEndpoints;
  /**
   * How requests are sent: `'undici'` (Node's default: the client's own connection pool, or
   * `dispatcher`) or `'fetch'` (the standard fetch: the only transport of the Bun, Deno and Workers
   * builds, and available on Node). Default: undici on Node, fetch elsewhere.
   */
  transport?: 'undici' | 'fetch';
  /**
   * An undici Dispatcher (Agent, Pool, ProxyAgent, MockAgent). Node only. Default: the client's own
   * Agent.
   */
  dispatcher?: Dispatcher;
  /** Per attempt. Default 30_000. */
  timeoutMs?: number;
  /** The whole call including retries and rate-limit waits. Default 120_000. */
  totalTimeoutMs?: number;
  retry?: RetryOptions | false;
  rateLimit?: RateLimitOptions | false;
  /** The per-account limits (Email Logs list, stats, suppressions, contacts). Default: on. */
  accountRateLimits?: AccountRateLimitsOptions | false;
  /** Replaces the default User-Agent `mailtrap-kit/<version> <runtime>/<version>` (e.g. `node/22.11.0`). */
  userAgent?: string;
  /**
   * Largest message accepted before sending, in bytes of JSON with base64 attachments. Default 10 MB
   * (the API's limit); raise it only when your plan allows more (30 MB on request, sandbox by plan).
   */
  maxMessageBytes?: number;
  /** Allow plain http to non-loopback hosts. Default false. */
  allowInsecureHttp?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options of `batchSend`. */
export interface BatchSendOptions extends RequestOptions {
  /**
   * The caller already ran the message checks (`validateSendMail` / `validateBatch`, e.g. an adapter
   * that validated each message before queueing it): skip re-checking every message. The batch
   * limits (1-500 requests, 50 MB in total) and attachment paths are still checked. Default false.
   */
  validated?: boolean;
}

export type MailtrapHost = 'general' | 'send' | 'bulk' | 'sandbox';

export interface MailtrapRequestOptions {
  method: string;
  /** Path below the host's base, starting with '/', e.g. '/api/accounts'. */
  path: string;
  /** Which base URL. Default 'general' (the account API). */
  host?: MailtrapHost;
  /** Query parameters; nested objects and arrays use bracket notation (`a[b]=1`, `a[]=1`). */
  query?: Record<string, unknown>;
  /** JSON body. */
  body?: unknown;
  signal?: AbortSignal;
  /** Rate-limit budget to charge. Default: the client's key. */
  rateLimitKey?: string;
  /**
   * How to read a 2xx body: `json` (default; an empty body is undefined), `text` (a string) or
   * `bytes` (a Uint8Array, e.g. a raw message).
   */
  responseType?: ResponseType;
}

/** How a 2xx body is read. */
export type ResponseType = 'json' | 'text' | 'bytes';

// ---- Account API ----

export interface EmailTemplate {
  id: number;
  uuid: string;
  name: string;
  category: string;
  subject: string;
  body_text: string | null;
  body_html: string | null;
  created_at: string;
  updated_at: string;
}

export interface EmailTemplateInput {
  name: string;
  subject: string;
  category: string;
  body_html?: string;
  body_text?: string;
}

export type EmailLogStatus = 'delivered' | 'not_delivered' | 'enqueued' | 'opted_out';

export interface EmailLogEvent {
  event_type: string;
  created_at: string;
  details?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface EmailLogMessage {
  message_id: string;
  status: EmailLogStatus | (string & {});
  subject: string | null;
  from: string;
  to: string;
  sent_at: string;
  client_ip?: string | null;
  category: string | null;
  custom_variables: Record<string, string>;
  sending_stream: 'transactional' | 'bulk' | (string & {});
  domain_id?: number;
  template_id: number | null;
  template_variables: Record<string, unknown>;
  opens_count?: number;
  clicks_count?: number;
  /** Present on `get`: the message's events. */
  events?: EmailLogEvent[];
  /** Present on `get`: a temporary link to the raw message. */
  raw_message_url?: string;
  [key: string]: unknown;
}

export interface EmailLogsPage {
  messages: EmailLogMessage[];
  total_count: number;
  next_page_cursor: string | null;
}

export interface Suppression {
  id: string;
  type: 'hard bounce' | 'unsubscription' | 'spam complaint' | 'manual import' | (string & {});
  created_at: string;
  email: string;
  sending_stream: 'transactional' | 'bulk' | 'any' | (string & {});
  domain_name: string | null;
  message_bounce_category?: string | null;
  message_category?: string | null;
  message_client_ip?: string | null;
  message_created_at?: string | null;
  message_esp_response?: string | null;
  message_esp_server_type?: string | null;
  message_outgoing_ip?: string | null;
  message_recipient_mx_name?: string | null;
  message_sender_email?: string | null;
  message_subject?: string | null;
  [key: string]: unknown;
}

export interface Account {
  id: number;
  name: string;
  access_levels: number[];
  [key: string]: unknown;
}
