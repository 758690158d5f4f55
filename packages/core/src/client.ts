import { type PreparedBody, prepareBatchBody, prepareSendBody, prepareSerializedBatchBody } from './body';
import { abortError, delay } from './delay';
import { MailtrapConfigurationError, MailtrapError, MailtrapTimeoutError } from './errors';
import { transportFailure } from './failure';
import { encodeQuery, errorForStatus } from './http';
import { type ResolvedRateLimit, waitForSlots } from './limiter';
import { type ResolvedClientOptions, resolveClientOptions, type Target } from './options';
import { type AccountAccessesResource, createAccountAccessesResource } from './resources/account-accesses';
import { type AccountsResource, createAccountsResource } from './resources/accounts';
import { type ApiTokensResource, createApiTokensResource } from './resources/api-tokens';
import { type BillingResource, createBillingResource } from './resources/billing';
import { type Call, type CallInput, type OperationDefinition, operationPath } from './resources/call';
import { type ContactEventsResource, createContactEventsResource } from './resources/contact-events';
import { type ContactExportsResource, createContactExportsResource } from './resources/contact-exports';
import { type ContactFieldsResource, createContactFieldsResource } from './resources/contact-fields';
import { type ContactImportsResource, createContactImportsResource } from './resources/contact-imports';
import { type ContactListsResource, createContactListsResource } from './resources/contact-lists';
import { type ContactsResource, createContactsResource } from './resources/contacts';
import { createDomainsResource, type DomainsResource } from './resources/domains';
import { createEmailLogsResource, type EmailLogsResource } from './resources/email-logs';
import { createInboundFoldersResource, type InboundFoldersResource } from './resources/inbound-folders';
import { createInboundInboxesResource, type InboundInboxesResource } from './resources/inbound-inboxes';
import { createInboundMessagesResource, type InboundMessagesResource } from './resources/inbound-messages';
import { createPermissionsResource, type PermissionsResource } from './resources/permissions';
import { createProjectsResource, type ProjectsResource } from './resources/projects';
import {
  createSandboxAttachmentsResource,
  type SandboxAttachmentsResource,
} from './resources/sandbox-attachments';
import { createSandboxMessagesResource, type SandboxMessagesResource } from './resources/sandbox-messages';
import { createSandboxesResource, type SandboxesResource } from './resources/sandboxes';
import { createStatsResource, type StatsResource } from './resources/stats';
import { createSubAccountsResource, type SubAccountsResource } from './resources/sub-accounts';
import { createSuppressionsResource, type SuppressionsResource } from './resources/suppressions';
import { createTemplatesResource, type TemplatesResource } from './resources/templates';
import { createWebhooksResource, type WebhooksResource } from './resources/webhooks';
import { afterAttempts, retryDelay } from './retry';
import { senderDomains } from './sender';
import type { RawResponse, TransportName, TransportRequest } from './transport';
import type {
  BatchSendOptions,
  BatchSendRequest,
  BatchSendResult,
  MailtrapClientOptions,
  MailtrapRequestOptions,
  MailtrapStream,
  RequestOptions,
  ResponseType,
  SendMail,
  SendResult,
  SerializedBatchRequest,
} from './types';
import { checkBatchLimits, checkBatchShape, checkSendMailShape, checkSerializedBatch } from './validation';
import { toWireBatch, toWireMail } from './wire';
import { utf8Decode } from './bytes';

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const noLimits: readonly ResolvedRateLimit[] = [];

/** One call as the attempt loop runs it. */
interface Attempt {
  method: string;
  target: Target;
  path: string;
  headers: Record<string, string>;
  body: PreparedBody | undefined;
  idempotent: boolean;
  signal: AbortSignal | undefined;
  /** The budgets to wait for before each attempt (a per-account pool, then the token's). */
  limits: readonly ResolvedRateLimit[];
  /** How a 2xx body is read. */
  response: ResponseType | 'none';
  /** The sender domains of a send, to explain a 401 from the sending hosts. */
  senders?: string[];
}

/**
 * The Mailtrap API client: send and batch on the transactional, bulk and sandbox streams, the
 * account API one area per property (each a thin layer over one call primitive, see
 * `resources/call.ts`), and a typed `request()` for anything else.
 */
export class MailtrapClient {
  /** The sending stream of `send` and `batchSend`. */
  readonly stream: MailtrapStream;
  /** The sandbox (inbox) id sends go to in sandbox mode; undefined on the other streams. */
  readonly sandboxId: number | undefined;
  /** The account id of the account API paths (`/api/accounts/{accountId}/...`), when given. */
  readonly accountId: number | undefined;
  /** Sending domains: DNS records, verification, setup instructions, company info. */
  readonly domains: DomainsResource;
  /** API tokens: list, create (the token is shown once), reset, delete. */
  readonly apiTokens: ApiTokensResource;
  /** Sending statistics, overall and by domain, category, email service provider and date. */
  readonly stats: StatsResource;
  /** Suppressed addresses (bounces, complaints, unsubscribes, manual). */
  readonly suppressions: SuppressionsResource;
  /** Email Logs: every message sent, with its events. */
  readonly emailLogs: EmailLogsResource;
  /** Webhooks (the signing secret is returned once, by create). */
  readonly webhooks: WebhooksResource;
  /** Email templates. */
  readonly templates: TemplatesResource;
  /** The accounts the token can reach. */
  readonly accounts: AccountsResource;
  /** Users, invites and API tokens with access to the account, and their permissions. */
  readonly accountAccesses: AccountAccessesResource;
  /** The resources the token administers, as a tree. */
  readonly permissions: PermissionsResource;
  /** The current billing cycle's usage. */
  readonly billing: BillingResource;
  /** Sub accounts of an organization. */
  readonly subAccounts: SubAccountsResource;
  /** Contacts, by id or email. */
  readonly contacts: ContactsResource;
  /** Contact lists. */
  readonly contactLists: ContactListsResource;
  /** Custom contact fields. */
  readonly contactFields: ContactFieldsResource;
  /** Contact imports (up to 50,000 contacts a job). */
  readonly contactImports: ContactImportsResource;
  /** Contact exports. */
  readonly contactExports: ContactExportsResource;
  /** Custom events of contacts. */
  readonly contactEvents: ContactEventsResource;
  /** Sandbox projects. */
  readonly projects: ProjectsResource;
  /** Sandboxes: credentials, cleaning, email addresses. */
  readonly sandboxes: SandboxesResource;
  /** Messages caught by a sandbox: attributes, bodies (text, HTML, raw, .eml), spam and HTML reports. */
  readonly sandboxMessages: SandboxMessagesResource;
  /** Attachments of sandbox messages. */
  readonly sandboxAttachments: SandboxAttachmentsResource;
  /** Inbound folders. */
  readonly inboundFolders: InboundFoldersResource;
  /** Inbound inboxes of a folder. */
  readonly inboundInboxes: InboundInboxesResource;
  /** Messages received by inbound inboxes. */
  readonly inboundMessages: InboundMessagesResource;

  readonly #options: ResolvedClientOptions;
  readonly #headers: Record<string, string>;
  readonly #headersNoBody: Record<string, string>;
  readonly #sendPath: string;
  readonly #batchPath: string;
  readonly #tokenLimits: readonly ResolvedRateLimit[];
  #closed = false;

  constructor(options: MailtrapClientOptions = {}) {
    const resolved = resolveClientOptions(options);
    this.#options = resolved;
    this.stream = resolved.stream;
    this.sandboxId = resolved.sandboxId === undefined ? undefined : Number(resolved.sandboxId);
    this.accountId = resolved.accountId === undefined ? undefined : Number(resolved.accountId);
    const sandboxSuffix = resolved.sandboxId === undefined ? '' : `/${resolved.sandboxId}`;
    this.#sendPath = `${resolved.sendTarget.prefix}/api/send${sandboxSuffix}`;
    this.#batchPath = `${resolved.sendTarget.prefix}/api/batch${sandboxSuffix}`;
    this.#tokenLimits = resolved.rateLimit ? [resolved.rateLimit] : noLimits;
    this.#headersNoBody = {
      authorization: `Bearer ${resolved.token}`,
      'user-agent': resolved.userAgent,
      accept: 'application/json',
    };
    this.#headers = { ...this.#headersNoBody, 'content-type': 'application/json' };

    const call: Call = (operation, input) => this.#call(operation, input);
    this.domains = createDomainsResource(call);
    this.apiTokens = createApiTokensResource(call);
    this.stats = createStatsResource(call);
    this.suppressions = createSuppressionsResource(call);
    this.emailLogs = createEmailLogsResource(call);
    this.webhooks = createWebhooksResource(call);
    this.templates = createTemplatesResource(call);
    this.accounts = createAccountsResource(call);
    this.accountAccesses = createAccountAccessesResource(call);
    this.permissions = createPermissionsResource(call);
    this.billing = createBillingResource(call);
    this.subAccounts = createSubAccountsResource(call);
    this.contacts = createContactsResource(call);
    this.contactLists = createContactListsResource(call);
    this.contactFields = createContactFieldsResource(call);
    this.contactImports = createContactImportsResource(call);
    this.contactExports = createContactExportsResource(call);
    this.contactEvents = createContactEventsResource(call);
    this.projects = createProjectsResource(call);
    this.sandboxes = createSandboxesResource(call);
    this.sandboxMessages = createSandboxMessagesResource(call);
    this.sandboxAttachments = createSandboxAttachmentsResource(call);
    this.inboundFolders = createInboundFoldersResource(call);
    this.inboundInboxes = createInboundInboxesResource(call);
    this.inboundMessages = createInboundMessagesResource(call);
  }

  /**
   * Sends one email (`POST /api/send` on the client's stream). Validates every limit first.
   * Numbers and booleans in `custom_variables` and a Buffer `text`/`html` are sent in the API's form.
   */
  async send(mail: SendMail, options?: RequestOptions): Promise<SendResult> {
    const wire = toWireMail(mail);
    checkSendMailShape(wire);
    const prepared = prepareSendBody(wire, this.#options.maxMessageBytes);
    const body = prepared instanceof Promise ? await prepared : prepared;
    return this.#execute<SendResult>({
      method: 'POST',
      target: this.#options.sendTarget,
      path: this.#sendPath,
      headers: this.#headers,
      body,
      idempotent: false,
      signal: options?.signal,
      limits: this.#tokenLimits,
      response: 'json',
      senders: senderDomains(wire),
    });
  }

  /**
   * Sends up to 500 emails in one call (`POST /api/batch`); per-message results in request order.
   * `validated: true` skips re-checking each message the caller already validated.
   */
  async batchSend(batch: BatchSendRequest, options?: BatchSendOptions): Promise<BatchSendResult> {
    const validated = options?.validated === true;
    const wire = validated ? batch : toWireBatch(batch);
    if (validated) checkBatchLimits(wire);
    else checkBatchShape(wire);
    const prepared = prepareBatchBody(wire, this.#options.maxMessageBytes, validated);
    return this.#postBatch(prepared, options?.signal, senderDomains(wire.base, wire.requests));
  }

  /**
   * `batchSend` for messages serialized already (bulk senders that pack and measure each message
   * once): `requests` are JSON texts, joined into the body as they are. Only the base and the batch
   * limits (1-500 requests, 50 MB in total) are checked; each message is the caller's to validate.
   */
  async batchSendJson(batch: SerializedBatchRequest, options?: RequestOptions): Promise<BatchSendResult> {
    // The base in its wire form first, as batchSend checks it (numbers in custom_variables, bytes bodies).
    const base = batch?.base === undefined ? undefined : toWireMail(batch.base);
    const wire = base === batch?.base ? batch : { ...batch, base };
    checkSerializedBatch(wire);
    return this.#postBatch(prepareSerializedBatchBody(wire), options?.signal, senderDomains(base));
  }

  /** `POST /api/batch` with a prepared body: what batchSend and batchSendJson share. */
  async #postBatch(
    prepared: PreparedBody | Promise<PreparedBody>,
    signal: AbortSignal | undefined,
    senders: string[],
  ): Promise<BatchSendResult> {
    const body = prepared instanceof Promise ? await prepared : prepared;
    return this.#execute<BatchSendResult>({
      method: 'POST',
      target: this.#options.sendTarget,
      path: this.#batchPath,
      headers: this.#headers,
      body,
      idempotent: false,
      signal,
      limits: this.#tokenLimits,
      response: 'json',
      senders,
    });
  }

  /**
   * A typed request to any endpoint, with the client's auth, retries, rate limit and errors.
   * `responseType` reads the answer as JSON (default), text or bytes.
   */
  async request<T = unknown>(options: MailtrapRequestOptions): Promise<T> {
    if (typeof options !== 'object' || options === null) {
      throw new MailtrapConfigurationError('Invalid request options: expected an object');
    }
    const method = typeof options.method === 'string' ? options.method.toUpperCase() : '';
    if (!/^[A-Z]+$/.test(method))
      throw new MailtrapConfigurationError('Invalid `method`: expected an HTTP method');
    if (typeof options.path !== 'string' || !options.path.startsWith('/') || /[\s#]/.test(options.path)) {
      throw new MailtrapConfigurationError(
        "Invalid `path`: expected a path starting with '/', e.g. '/api/accounts'",
      );
    }
    const host = options.host ?? 'general';
    const target = this.#options.targets[host];
    if (!target) {
      throw new MailtrapConfigurationError(
        `Invalid \`host\`: ${JSON.stringify(host)}; expected general, send, bulk or sandbox`,
      );
    }
    const responseType = options.responseType ?? 'json';
    if (responseType !== 'json' && responseType !== 'text' && responseType !== 'bytes') {
      throw new MailtrapConfigurationError(
        `Invalid \`responseType\`: ${JSON.stringify(responseType)}; expected 'json', 'text' or 'bytes'`,
      );
    }
    const hasBody = options.body !== undefined;
    let query = encodeQuery(options.query);
    if (query && options.path.includes('?')) query = `&${query.slice(1)}`;
    const rateLimit = this.#options.rateLimit;
    return this.#execute<T>({
      method,
      target,
      path: target.prefix + options.path + query,
      headers: hasBody ? this.#headers : this.#headersNoBody,
      body: hasBody ? jsonBody(JSON.stringify(options.body)) : undefined,
      idempotent: idempotentMethods.has(method),
      signal: options.signal,
      limits:
        rateLimit && options.rateLimitKey !== undefined
          ? [{ ...rateLimit, key: options.rateLimitKey }]
          : this.#tokenLimits,
      response: responseType,
    });
  }

  /** How this client sends: `'undici'` (Node's default) or `'fetch'`. */
  get transport(): TransportName {
    return this.#options.transport.name;
  }

  /** Closes the client's own connection pool (an injected dispatcher is left open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#options.transport.close();
  }

  /** The call primitive the resources use: one operation, its path, query and body. */
  #call<T>(operation: OperationDefinition, input: CallInput = {}): Promise<T> {
    const options = this.#options;
    const target = options.targets.general;
    const hasBody = input.body !== undefined;
    const pool = operation.accountLimit ? options.accountLimits?.[operation.accountLimit] : undefined;
    return this.#execute<T>({
      method: operation.method,
      target,
      path:
        target.prefix + operationPath(operation, input.path, options.accountId) + encodeQuery(input.query),
      headers: hasBody ? this.#headers : this.#headersNoBody,
      body: hasBody ? jsonBody(JSON.stringify(input.body)) : undefined,
      idempotent: idempotentMethods.has(operation.method),
      signal: input.signal,
      limits: pool ? [pool, ...this.#tokenLimits] : this.#tokenLimits,
      response: operation.response,
    });
  }

  /** The attempt loop: rate limits, one attempt, retry policy, until success or a final error. */
  async #execute<T>(attempt: Attempt): Promise<T> {
    if (this.#closed) throw new MailtrapConfigurationError('This MailtrapClient was closed');
    const signal = attempt.signal;
    if (signal?.aborted) throw abortError(signal, false);
    const { totalTimeoutMs, retry } = this.#options;
    const deadline = Date.now() + totalTimeoutMs;
    for (let index = 0; ; index++) {
      let reserved = false;
      try {
        if (attempt.limits.length > 0) await waitForSlots(attempt.limits, signal, deadline, totalTimeoutMs);
        reserved = true;
        return await this.#attempt<T>(attempt, deadline);
      } catch (error) {
        if (!MailtrapError.isInstance(error)) throw error;
        // No slot within the total timeout, a failing store, or an abort while waiting: stop here.
        if (!reserved) throw afterAttempts(error, index);
        const replayable = !attempt.body || attempt.body.replayable();
        const wait = retryDelay(retry, error, index, deadline, replayable);
        if (wait === undefined) throw afterAttempts(error, index + 1);
        await delay(wait, signal);
      }
    }
  }

  async #attempt<T>(attempt: Attempt, deadline: number): Promise<T> {
    const { timeoutMs, totalTimeoutMs } = this.#options;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new MailtrapTimeoutError(`totalTimeoutMs (${totalTimeoutMs} ms) elapsed; nothing was sent`, {
        maybeSent: false,
      });
    }
    const attemptTimeout = Math.min(timeoutMs, remaining);
    const prepared = attempt.body;
    let headers = attempt.headers;
    let body: TransportRequest['body'];
    if (prepared !== undefined) {
      if (typeof prepared.body !== 'function') body = prepared.body;
      else {
        body = prepared.body();
        headers = { ...headers };
        if (prepared.length !== undefined) headers['content-length'] = String(prepared.length);
      }
    }
    let response: RawResponse;
    try {
      response = await this.#options.transport.dispatch(
        { origin: attempt.target.origin, path: attempt.path, method: attempt.method, headers, body },
        attemptTimeout,
        attempt.signal,
      );
    } catch (error) {
      throw transportFailure(error, {
        where: `${attempt.method} ${attempt.target.origin}${stripQuery(attempt.path)}`,
        idempotent: attempt.idempotent,
        signal: attempt.signal,
        streamError: attempt.body?.streamError(),
        totalBound: attemptTimeout < timeoutMs,
        timeoutMs,
        totalTimeoutMs,
      });
    }
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return readBody<T>(response, attempt);
    // A server (or a proxy) that echoes the token must not put it into an error message.
    const text = utf8Decode(response.body);
    const token = this.#options.token;
    throw errorForStatus(
      statusCode,
      text.includes(token) ? text.split(token).join('[redacted]') : text,
      response.retryAfter,
      attempt.method,
      stripQuery(attempt.path),
      attempt.idempotent,
      attempt.senders !== undefined ? { stream: this.stream, senderDomains: attempt.senders } : undefined,
    );
  }

  /** Describes the client without its token. */
  [inspectSymbol](): string {
    const { sendTarget, accountId, sandboxId } = this.#options;
    return `MailtrapClient { stream: '${this.stream}', endpoint: '${sendTarget.origin}${sendTarget.prefix}'${
      accountId ? `, accountId: ${accountId}` : ''
    }${sandboxId ? `, sandboxId: ${sandboxId}` : ''} }`;
  }

  toJSON(): Record<string, unknown> {
    const { sendTarget, accountId, sandboxId } = this.#options;
    return {
      stream: this.stream,
      endpoint: sendTarget.origin + sendTarget.prefix,
      ...(accountId ? { accountId } : {}),
      ...(sandboxId ? { sandboxId } : {}),
    };
  }
}

/** A 2xx body read as the call asked: JSON, text, bytes, or nothing. */
function readBody<T>(response: RawResponse, attempt: Attempt): T {
  const bytes = response.body;
  switch (attempt.response) {
    case 'none':
      return undefined as T;
    case 'bytes':
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as T;
    case 'text':
      return utf8Decode(bytes) as T;
    default: {
      if (bytes.length === 0) return undefined as T;
      try {
        return JSON.parse(utf8Decode(bytes)) as T;
      } catch (error) {
        throw new MailtrapError(
          `Mailtrap API answered ${response.statusCode} to ${attempt.method} ${stripQuery(attempt.path)} with a body that is not JSON`,
          { code: 'http', status: response.statusCode, maybeSent: true, cause: error },
        );
      }
    }
  }
}

function jsonBody(json: string): PreparedBody {
  return { body: json, replayable: () => true, streamError: () => undefined };
}

function stripQuery(path: string): string {
  const index = path.indexOf('?');
  return index === -1 ? path : path.slice(0, index);
}
