// The API's wire types come from core, so the emulator and the client speak one shape. The
// emulator's validation of requests stays its own (validation.ts), which makes it an independent
// check of core's.
import type { EmulatorStorage } from './storage/storage';
import type {
  Address,
  EmailTemplate,
  EmailTemplateInput as CoreEmailTemplateInput,
  MailtrapStream,
} from '@mailtrap-kit/core';

export type { Address, EmailTemplate, MailtrapStream };

/**
 * What creates a template (the body of POST /api/email_templates, unwrapped): core's input, with
 * the bodies allowed to be null as the API returns them.
 */
export type EmailTemplateInput = Omit<CoreEmailTemplateInput, 'body_html' | 'body_text'> & {
  body_html?: string | null;
  body_text?: string | null;
};

export interface EmulatorTokenSettings {
  token: string;
  /** Streams the token may send on; default: all three. */
  streams?: MailtrapStream[];
  /**
   * Domains (names from `domains`) the token may send from and see in Email Logs, stats and
   * suppressions; default: the whole account (and the account API's every area).
   */
  domains?: string[];
}

export interface EmulatorDomainSettings {
  name: string;
  /** Whether its DNS records pass from the start; default true. */
  verified?: boolean;
}

export interface EmulatorSuppression {
  email: string;
  type?: 'hard bounce' | 'unsubscription' | 'spam complaint' | 'manual import';
  sending_stream?: 'transactional' | 'bulk' | 'any';
}

/** Mailtrap's per-account request pools (see `rateLimit.accountLimits`). */
export type AccountLimitPool = 'email_logs_list' | 'email_logs_get' | 'stats' | 'suppressions' | 'contacts';

export interface RateLimitSettings {
  /** Requests per token in `windowMs` (Mailtrap: 150 per 10 000 ms). */
  requests: number;
  windowMs: number;
  /**
   * Mailtrap's per-account limits on top (Email Logs list 60/min, get 1000/min, stats 10/min,
   * suppressions 10/min, contacts 200/min): on by default with the rate limit, `false` turns them
   * off, an object sets other figures for some pools.
   */
  accountLimits?: boolean | Partial<Record<AccountLimitPool, { requests: number; windowMs: number }>>;
}

export interface WebhookAttempt {
  attempt: number;
  time: string;
  /** The receiver's status; undefined when the request failed (refused, timed out, not loopback). */
  status?: number;
  error?: string;
  durationMs: number;
}

/** One request to a webhook and its attempts. */
export interface WebhookDeliveryRecord {
  id: string;
  webhookId: number;
  url: string;
  payloadFormat: 'json' | 'jsonlines';
  /** The payload names and ids of the events in this request. */
  events: Array<{ event: string; event_id: string; message_id: string; email: string }>;
  bytes: number;
  /** The Mailtrap-Signature header sent. */
  signature: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
}

export interface WebhookDeliverySettings {
  /** How long events gather before one request per webhook; default 50 ms. */
  batchWindowMs?: number;
  /** Most events in one request; default 500. */
  maxBatchEvents?: number;
  /** The wait between attempts; default 300 ms (Mailtrap: 5 minutes, shortened 1000 times). */
  retryDelayMs?: number;
  /** Attempts in all, the first included; default 41 (Mailtrap: 40 retries). */
  maxAttempts?: number;
  /** How long one attempt may take; default 5000 ms. */
  timeoutMs?: number;
  /** Call URLs that are not loopback; default false (a webhook elsewhere records a failed attempt). */
  allowRemote?: boolean;
  /** How many delivery records to keep; default 1000. */
  retain?: number;
}

export interface EmulatorOptions {
  /** Port to listen on; default 0 (a free port). */
  port?: number;
  /** Interface to bind (the HTTP API and the SMTP listeners); default '127.0.0.1'. */
  host?: string;
  /**
   * Port of the SMTP listener of the transactional stream (user `api`, password an API token) and
   * of the sandboxes (each sandbox's credentials); 0 picks a free one. Default: no SMTP listener.
   */
  smtpPort?: number;
  /**
   * Port of the SMTP listener of the bulk stream (user `api`, password an API token), when
   * `smtpPort` is given; default 0 (a free port).
   */
  smtpBulkPort?: number;
  /**
   * Whom the SMTP listeners offer STARTTLS (the self-signed `smtp.certificate`): 'remote' (default),
   * clients not on loopback, who must then use it before AUTH; a loopback client gets a plain
   * session, so SMTP clients' defaults (which upgrade whenever STARTTLS is offered and verify the
   * certificate) send unchanged. 'always': loopback clients too, to test a STARTTLS code path.
   */
  smtpStarttls?: SmtpStarttls;
  /** Accepted API tokens, each scoped to streams; default: one generated token for all streams. */
  tokens?: EmulatorTokenSettings[];
  /**
   * The account's sending domains, each with its own sending token; default example.com and
   * mailtrap-kit.test, both verified. Transactional and bulk send only from verified ones.
   */
  domains?: EmulatorDomainSettings[];
  /** Shorthand for `domains` that are all verified (ignored when `domains` is given). */
  verifiedDomains?: string[];
  /** Accept any sender domain (the sandbox always does); default false. */
  allowAnyDomain?: boolean;
  /** How many full messages (bodies, attachments) to keep; default 10_000. Counters cover everything. */
  retainBodies?: number;
  /** Upper bound of the bytes of kept message bodies; default 256 MiB. */
  retainBodyBytes?: number;
  /** How many email log entries (one per recipient) to keep; default 100_000. */
  retainLogs?: number;
  /** How many request records to keep; default 10_000. */
  retainRequests?: number;
  /**
   * A folder that keeps the account and what it received across restarts (a SQLite database, made
   * when missing), within the same retention bounds; default none: memory only.
   */
  dataDir?: string;
  /** Where to keep the state instead of a data dir (e.g. `createMemoryStorage()` for a restart in one process). */
  storage?: EmulatorStorage;
  /** A real rate limit per token on every API endpoint; default false (off). */
  rateLimit?: RateLimitSettings | false;
  /** Templates available from the start (for `template_uuid` sends and the Templates API). */
  templates?: Array<EmailTemplateInput & { uuid?: string }>;
  /** Suppressed addresses listed by GET /api/suppressions. */
  suppressions?: EmulatorSuppression[];
  /** The account id of the account API; default 1. */
  accountId?: number;
  /** Sandbox ids accepted by the sandbox stream; default: any positive integer. */
  sandboxIds?: number[];
  /** Largest accepted single message in bytes of JSON; default 10_485_760 (10 MiB). */
  maxMessageBytes?: number;
  /** Largest accepted batch request body in bytes; default 52_428_800 (50 MiB). */
  maxBatchBytes?: number;
  /** Page size of GET /api/email_logs; default 50. */
  emailLogsPageSize?: number;
  /** How webhooks created through the Webhooks API are called. */
  webhookDelivery?: WebhookDeliverySettings;
  /**
   * Email clients the HTML check (the sandbox API's `analyze`) reports on, as caniemail globs
   * (`gmail.*`, `*.ios`, `outlook.windows`); default the common ones (COMMON_EMAIL_CLIENTS).
   */
  htmlCheckClients?: string[];
}

export interface StoredAttachment {
  filename: string;
  type?: string;
  disposition: 'inline' | 'attachment';
  content_id?: string;
  /** Decoded size in bytes. */
  size: number;
}

export interface RenderedContent {
  subject: string;
  html?: string;
  text?: string;
}

/** One accepted message (a send, or one item of a batch). */
export interface StoredMessage {
  /** The first message id; identifies the message in the inspection API and the web inbox. */
  id: string;
  /** One id per recipient: To, then Cc, then Bcc. */
  messageIds: string[];
  stream: MailtrapStream;
  sandboxId?: number;
  from: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  reply_to?: Address;
  subject?: string;
  text?: string;
  html?: string;
  attachments: StoredAttachment[];
  headers: Record<string, string>;
  custom_variables: Record<string, string>;
  category?: string;
  template_uuid?: string;
  template_id?: number;
  template_variables?: Record<string, unknown>;
  /** The template output for `template_uuid` sends. */
  rendered?: RenderedContent;
  /** Keys the API does not know; dropped from the message like the real API does. */
  unknownKeys: string[];
  requestId: number;
  batchIndex?: number;
  receivedAt: string;
  /** That the API accepted it; what happened to each recipient is in Email Logs (`logs()`). */
  status: 'delivered';
  /** A short hash naming the token (never the token itself). */
  tokenKey: string;
  /**
   * The request body that produced this message: the send body, or `{ base, request }` of a batch
   * item; for a message received over SMTP, the send body read from its MIME source.
   */
  raw: unknown;
  /** A message received over SMTP: its bytes as received (its MIME source, `.eml`). */
  source?: Buffer;
  /** A message received over SMTP: the envelope of the SMTP session. */
  smtp?: SmtpEnvelope;
}

/** What the SMTP session knew about a message besides its bytes. */
export interface SmtpEnvelope {
  /** MAIL FROM ('' for the null sender). */
  mailFrom: string;
  /** RCPT TO, in the order given. */
  rcptTo: string[];
  /** The client's IP address. */
  clientIp: string;
}

/** One Email Logs entry: one per message id. */
export interface EmailLogEntry {
  message_id: string;
  /** delivered, not_delivered (bounced, rejected), opted_out (suppressed), enqueued (no outcome yet). */
  status: 'delivered' | 'not_delivered' | 'enqueued' | 'opted_out';
  subject: string | null;
  from: string;
  to: string;
  sent_at: string;
  client_ip: string | null;
  category: string | null;
  custom_variables: Record<string, string>;
  sending_stream: 'transactional' | 'bulk';
  domain_id: number;
  template_id: number | null;
  template_variables: Record<string, unknown>;
  opens_count: number;
  clicks_count: number;
}

export type FaultKind =
  | 'rate_limit'
  | 'server_error'
  | 'hang'
  | 'latency'
  | 'reset_before_body'
  | 'reset_after_body'
  | 'batch_item_failure';

export interface FaultOptions {
  kind: FaultKind;
  /** How many times the fault fires (requests, or batch items for 'batch_item_failure'). Default 1, or unlimited with `share`. */
  count?: number;
  /** Fire for this share (0..1) of the matching requests (or batch items), spread evenly. */
  share?: number;
  /** Fire only for requests (or batch items) with this recipient (To, Cc or Bcc, case-insensitive). */
  recipient?: string;
  /** 'rate_limit': the Retry-After header in seconds; none when absent. */
  retryAfterSeconds?: number;
  /** 'rate_limit': a raw Retry-After value (e.g. an HTTP date) instead of seconds. */
  retryAfter?: string;
  /** 'server_error': 500 (default), 502 or 503. */
  status?: 500 | 502 | 503;
  /** 'server_error': accept and store the messages before answering 5xx (the ambiguous case). Default false. */
  accepted?: boolean;
  /** 'latency': delay before the request is handled; 'hang': give up the request after this long (default: never answer). */
  delayMs?: number;
  /** 'batch_item_failure': fail the items at these indexes of a batch. */
  items?: number[];
  /** 'batch_item_failure': the errors of a failed item. */
  errors?: string[];
  /** Limit the fault to these streams. */
  streams?: MailtrapStream[];
  /** Limit the fault to these kinds of endpoint. Default: sending endpoints ('send', 'batch'). */
  paths?: Array<'send' | 'batch' | 'account'>;
}

export interface FaultRecord {
  /** The id of the rule that fired. */
  faultId: number;
  kind: FaultKind;
  requestId: number;
  time: string;
  path: string;
  stream?: MailtrapStream;
  /** The answer's status; undefined when the connection was reset or left hanging. */
  status?: number;
  /** Message ids that were accepted and stored despite the fault (reset_after_body, accepted 5xx). */
  acceptedMessageIds: string[];
  /** 'batch_item_failure': the failed items' indexes. */
  items?: number[];
}

export interface ActiveFault extends FaultOptions {
  id: number;
  fired: number;
}

export interface FaultController {
  /** Adds a fault rule; returns its id. */
  inject(options: FaultOptions): number;
  /** Turns a real rate limit per token on ({ requests, windowMs }) or off (false). */
  rateLimit(limit: RateLimitSettings | false): void;
  /** Removes the rules (all, or the one with this id). The history stays. */
  clear(id?: number): void;
  /** Rules still able to fire. */
  active(): ActiveFault[];
  /** Every fault that fired, oldest first (including the real rate limit's 429s). */
  history(): FaultRecord[];
}

export interface RequestRecord {
  id: number;
  time: string;
  method: string;
  path: string;
  kind: 'send' | 'batch' | 'account' | 'other';
  stream?: MailtrapStream;
  tokenKey?: string;
  userAgent?: string;
  /** The answer's status; undefined when the connection was reset or never answered. */
  status?: number;
  /** The fault that shaped the answer. */
  fault?: FaultKind;
  /** Ids of the messages accepted and stored by this request. */
  acceptedMessageIds: string[];
  /** Validation and other error messages of the answer. */
  errors: string[];
  unknownKeys: string[];
  durationMs?: number;
}

export interface EmulatorStats {
  requests: number;
  accepted: number;
  rejected: number;
  messages: number;
  recipients: number;
  faults: number;
  byStream: Record<MailtrapStream, { messages: number; recipients: number }>;
}

export type MessageFilter =
  | ((message: StoredMessage) => boolean)
  | {
      stream?: MailtrapStream;
      /** A recipient in To, Cc or Bcc (case-insensitive). */
      recipient?: string;
      category?: string;
      subject?: string;
      template_uuid?: string;
      /** Every pair must be present in custom_variables. */
      custom_variables?: Record<string, string>;
    };

/** A sending domain with what the emulator knows about it (its tokens' values where it made them). */
export interface EmulatorDomain {
  id: number;
  domain_name: string;
  dns_verified: boolean;
  compliance_status: string;
  dns_records: Array<{
    key: string;
    domain: string;
    name: string;
    type: string;
    value: string;
    status: string;
  }>;
  /** The domain's sending token (transactional and bulk, this domain only). */
  token: string;
}

export type EmulatorEventType =
  | 'delivery'
  | 'open'
  | 'click'
  | 'bounce'
  | 'soft_bounce'
  | 'spam'
  | 'unsubscribe'
  | 'reject'
  | 'suspension';

export interface EmulatorEventInput {
  type: EmulatorEventType;
  /** ISO date; default now. */
  at?: string;
  /** open, click, unsubscribe: the reader's IP and user agent. */
  ip?: string;
  user_agent?: string;
  /** click: the link. */
  url?: string;
  /** bounce, soft_bounce: the provider's status (e.g. '5.1.1'), response and the bounce category. */
  status_code?: string;
  response?: string;
  bounce_category?: string;
  /** reject, suspension: why. */
  reason?: string;
  /** spam: the feedback type (default 'abuse'). */
  feedback_type?: string;
}

export interface DomainController {
  list(): EmulatorDomain[];
  get(name: string): EmulatorDomain | undefined;
  /** Creates a domain (unverified unless `verified`), with its own sending token. */
  create(name: string, options?: { verified?: boolean }): EmulatorDomain;
  /** Marks the domain's DNS records as passing: it may send from now on. */
  verify(name: string): EmulatorDomain;
}

/** One forward of a sandbox message. */
export interface SandboxForward {
  sandboxId: number;
  /** The sandbox API's message id. */
  messageId: number;
  email: string;
  time: string;
  deliveredToSandboxId?: number;
}

/** Whom the SMTP listeners offer STARTTLS: clients not on loopback only, or every client. */
export type SmtpStarttls = 'remote' | 'always';

/** Where the SMTP listeners of a running emulator are. */
export interface EmulatorSmtp {
  host: string;
  /** The transactional stream's listener (and the sandboxes'). */
  port: number;
  /** The bulk stream's listener. */
  bulkPort: number;
  /** The user name of the sending streams (`api`; the password is an API token). */
  user: string;
  /** The self-signed certificate of STARTTLS (PEM): a client passes it as `tls.ca` to verify it. */
  certificate: string;
  /** Whom STARTTLS is offered (the `smtpStarttls` option). */
  starttls: SmtpStarttls;
}

export interface RunningEmulator {
  /** 'http://127.0.0.1:PORT'; the web inbox is at '/'. */
  url: string;
  /** The SMTP listeners; undefined unless the options set `smtpPort`. */
  smtp?: EmulatorSmtp;
  endpoints: { send: string; bulk: string; sandbox: string; general: string };
  /** The first configured token (a generated one by default). */
  token: string;
  accountId: number;
  /** A sandbox id the sandbox stream accepts. */
  sandboxId: number;
  /** Accepted messages still retained, oldest first (newest last). */
  messages(filter?: MessageFilter): StoredMessage[];
  /** Email Logs entries still retained, one per message id, oldest first. */
  logs(): EmailLogEntry[];
  /** API requests still retained, oldest first. */
  requests(): RequestRecord[];
  stats(): EmulatorStats;
  faults: FaultController;
  /** The account's sending domains. */
  domains: DomainController;
  /**
   * Adds a delivery event (open, click, bounce, …) to the Email Logs entry of `messageId` (one
   * recipient's id from a send's `message_ids`); webhooks get it like any other. Throws for an
   * entry that is not kept.
   */
  addEvent(
    messageId: string,
    event: EmulatorEventInput,
  ): { event_id: string; event_type: string; created_at: string };
  /** Every request made to a webhook (newest last), each with its attempts. */
  webhookDeliveries(): WebhookDeliveryRecord[];
  /** Resolves once no webhook event is batched or waiting for a retry. */
  webhooksSettled(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Resolves with the first kept message matching `filter` — one already received or the next to
   * arrive; rejects after `timeoutMs` (default 10 000) with an Error that says what it waited for.
   */
  waitForMessage(filter?: MessageFilter, options?: { timeoutMs?: number }): Promise<StoredMessage>;
  /** Seeds or replaces a template; returns it as the Templates API would. */
  addTemplate(template: EmailTemplateInput & { uuid?: string }): EmailTemplate;
  /**
   * Every forward of a sandbox message (`POST .../forward`), oldest first: nothing is sent off the
   * machine; `deliveredToSandboxId` names the sandbox a copy went to when the address was one's own.
   */
  sandboxForwards(): SandboxForward[];
  /** Clears messages, logs, requests, faults (rules and history), the rate limit's counters and stats. */
  reset(): void;
  close(): Promise<void>;
}
