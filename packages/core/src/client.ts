import { createHash } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import { version as packageVersion } from '../package.json';
import { type PreparedBody, prepareBatchBody, prepareSendBody } from './body';
import {
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapNetworkError,
  MailtrapTimeoutError,
  MailtrapValidationError,
} from './errors';
import { abortError, delay } from './delay';
import { AttemptError, dispatchRequest, type RawResponse } from './dispatch';
import { encodeQuery, errorForStatus } from './http';
import { createMemoryRateLimitStore } from './rate-limit';
import type {
  Account,
  BatchSendOptions,
  BatchSendRequest,
  BatchSendResult,
  EmailLogMessage,
  EmailLogsListParams,
  EmailLogsPage,
  EmailTemplate,
  EmailTemplateInput,
  MailtrapClientOptions,
  MailtrapEndpoints,
  MailtrapHost,
  MailtrapRequestOptions,
  MailtrapStream,
  RateLimitStore,
  RequestOptions,
  SendMail,
  SendResult,
  Suppression,
} from './types';
import { checkBatchLimits, checkBatchShape, checkSendMailShape, LIMITS } from './validation';

const defaultEndpoints: Required<MailtrapEndpoints> = {
  send: 'https://send.api.mailtrap.io',
  bulk: 'https://bulk.api.mailtrap.io',
  sandbox: 'https://sandbox.api.mailtrap.io',
  general: 'https://mailtrap.io',
};

const tokenVariable = 'MAILTRAP_API_TOKEN';

interface Target {
  origin: string;
  prefix: string;
}

interface ResolvedRetry {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  retryAmbiguous: boolean;
}

interface ResolvedRateLimit {
  limit: { requests: number; windowMs: number };
  store: RateLimitStore;
  key: string;
}

/** Failures known to have happened before any byte of the request left. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function resolveTarget(name: keyof MailtrapEndpoints, value: string, allowInsecureHttp: boolean): Target {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MailtrapConfigurationError(
      `Invalid \`endpoints.${name}\`: ${JSON.stringify(value)} is not a URL`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MailtrapConfigurationError(`Invalid \`endpoints.${name}\`: only http(s) URLs are supported`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new MailtrapConfigurationError(
      `Invalid \`endpoints.${name}\`: give a base URL without credentials, query or fragment`,
    );
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new MailtrapConfigurationError(
      `Refusing plain http for \`endpoints.${name}\` (${url.host}): the API token would travel unencrypted. ` +
        'Use https, a loopback host, or set `allowInsecureHttp: true`.',
    );
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

function positiveInteger(value: unknown, option: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9]\d*$/.test(text)) {
    throw new MailtrapConfigurationError(
      `Invalid \`${option}\`: expected a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return text;
}

function positiveNumber(value: unknown, option: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new MailtrapConfigurationError(
      `Invalid \`${option}\`: expected a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}`,
    );
  }
  return value;
}

function resolveStream(options: MailtrapClientOptions): MailtrapStream {
  const { stream, bulk, sandbox } = options;
  if (stream !== undefined && stream !== 'transactional' && stream !== 'bulk' && stream !== 'sandbox') {
    throw new MailtrapConfigurationError(
      `Invalid \`stream\`: ${JSON.stringify(stream)}; expected 'transactional', 'bulk' or 'sandbox'`,
    );
  }
  if (bulk && sandbox) {
    throw new MailtrapConfigurationError(
      'Invalid options: `bulk` and `sandbox` cannot both be true (bulk has no sandbox)',
    );
  }
  if (bulk && stream !== undefined && stream !== 'bulk') {
    throw new MailtrapConfigurationError(
      `Invalid options: \`bulk: true\` contradicts \`stream: '${stream}'\``,
    );
  }
  if (sandbox && stream !== undefined && stream !== 'sandbox') {
    throw new MailtrapConfigurationError(
      `Invalid options: \`sandbox: true\` contradicts \`stream: '${stream}'\``,
    );
  }
  return stream ?? (bulk ? 'bulk' : sandbox ? 'sandbox' : 'transactional');
}

function readEnvironmentToken(): string | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return environment?.[tokenVariable];
}

interface Attempt {
  method: string;
  target: Target;
  path: string;
  headers: Record<string, string>;
  body: PreparedBody | undefined;
  idempotent: boolean;
  signal: AbortSignal | undefined;
  rateLimitKey: string | undefined;
  /** Parse a 2xx body as JSON (false: ignore it). */
  json: boolean;
}

/**
 * The Mailtrap API client: send and batch on the transactional, bulk and sandbox streams, the
 * account API calls (templates, email logs, suppressions, accounts) and a typed `request()`.
 */
export class MailtrapClient {
  /** The sending stream of `send` and `batchSend`. */
  readonly stream: MailtrapStream;
  /** The sandbox (inbox) id sends go to in sandbox mode; undefined on the other streams. */
  readonly sandboxId: number | undefined;
  /** The account id of the account API paths (`/api/accounts/{accountId}/...`), when given. */
  readonly accountId: number | undefined;
  readonly templates: {
    list(options?: RequestOptions): Promise<EmailTemplate[]>;
    get(id: number, options?: RequestOptions): Promise<EmailTemplate>;
    create(template: EmailTemplateInput, options?: RequestOptions): Promise<EmailTemplate>;
    update(
      id: number,
      template: Partial<EmailTemplateInput>,
      options?: RequestOptions,
    ): Promise<EmailTemplate>;
    delete(id: number, options?: RequestOptions): Promise<void>;
  };
  readonly emailLogs: {
    list(params?: EmailLogsListParams, options?: RequestOptions): Promise<EmailLogsPage>;
    get(messageId: string, options?: RequestOptions): Promise<EmailLogMessage>;
    /** Every message matching `filters`, following `next_page_cursor` page by page. */
    iterate(
      params?: Omit<EmailLogsListParams, 'search_after'>,
      options?: RequestOptions,
    ): AsyncIterableIterator<EmailLogMessage>;
  };
  readonly suppressions: {
    list(params?: { email?: string }, options?: RequestOptions): Promise<Suppression[]>;
  };
  readonly accounts: { list(options?: RequestOptions): Promise<Account[]> };

  readonly #token: string;
  readonly #headers: Record<string, string>;
  readonly #headersNoBody: Record<string, string>;
  readonly #dispatcher: Dispatcher;
  readonly #ownAgent: Agent | undefined;
  readonly #targets: Record<MailtrapHost, Target>;
  readonly #sendTarget: Target;
  readonly #sendPath: string;
  readonly #batchPath: string;
  readonly #accountId: string | undefined;
  readonly #sandboxId: string | undefined;
  readonly #retry: ResolvedRetry | undefined;
  readonly #rateLimit: ResolvedRateLimit | undefined;
  readonly #timeoutMs: number;
  readonly #totalTimeoutMs: number;
  readonly #maxMessageBytes: number;
  #closed = false;

  constructor(options: MailtrapClientOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new MailtrapConfigurationError('Invalid options: expected an object');
    }
    const token = options.token ?? readEnvironmentToken();
    if (token === undefined || token === '') {
      throw new MailtrapConfigurationError(
        `No Mailtrap API token: pass \`token\` or set the ${tokenVariable} environment variable`,
      );
    }
    if (typeof token !== 'string' || /[\r\n\s]/.test(token)) {
      throw new MailtrapConfigurationError('Invalid `token`: expected a string without whitespace');
    }
    this.#token = token;
    this.stream = resolveStream(options);
    if (options.sandboxId !== undefined && options.testInboxId !== undefined) {
      if (String(options.sandboxId) !== String(options.testInboxId)) {
        throw new MailtrapConfigurationError(
          'Invalid options: `sandboxId` and `testInboxId` disagree; give one',
        );
      }
    }
    const sandboxId = options.sandboxId ?? options.testInboxId;
    if (this.stream === 'sandbox') {
      if (sandboxId === undefined) {
        throw new MailtrapConfigurationError(
          'Sandbox mode needs `sandboxId` (the sandbox/inbox id to deliver into; the official client called it `testInboxId`)',
        );
      }
      this.#sandboxId = positiveInteger(
        sandboxId,
        options.sandboxId !== undefined ? 'sandboxId' : 'testInboxId',
      );
    } else if (sandboxId !== undefined) {
      throw new MailtrapConfigurationError(
        `\`${options.sandboxId !== undefined ? 'sandboxId' : 'testInboxId'}\` is only valid in sandbox mode ` +
          `(stream: 'sandbox'); this client sends on the ${this.stream} stream`,
      );
    }
    this.#accountId =
      options.accountId === undefined ? undefined : positiveInteger(options.accountId, 'accountId');
    this.sandboxId = this.#sandboxId === undefined ? undefined : Number(this.#sandboxId);
    this.accountId = this.#accountId === undefined ? undefined : Number(this.#accountId);

    const allowInsecureHttp = options.allowInsecureHttp === true;
    const endpoints = options.endpoints ?? {};
    if (typeof endpoints !== 'object' || endpoints === null) {
      throw new MailtrapConfigurationError('Invalid `endpoints`: expected an object');
    }
    for (const key of Object.keys(endpoints)) {
      if (!(key in defaultEndpoints)) {
        throw new MailtrapConfigurationError(
          `Unknown \`endpoints.${key}\`; expected send, bulk, sandbox or general`,
        );
      }
    }
    const targetFor = (name: keyof MailtrapEndpoints) =>
      resolveTarget(name, endpoints[name] ?? defaultEndpoints[name], allowInsecureHttp);
    this.#targets = {
      send: targetFor('send'),
      bulk: targetFor('bulk'),
      sandbox: targetFor('sandbox'),
      general: targetFor('general'),
    };
    this.#sendTarget =
      this.stream === 'bulk'
        ? this.#targets.bulk
        : this.stream === 'sandbox'
          ? this.#targets.sandbox
          : this.#targets.send;
    const sandboxSuffix = this.#sandboxId === undefined ? '' : `/${this.#sandboxId}`;
    this.#sendPath = `${this.#sendTarget.prefix}/api/send${sandboxSuffix}`;
    this.#batchPath = `${this.#sendTarget.prefix}/api/batch${sandboxSuffix}`;

    this.#timeoutMs = positiveNumber(options.timeoutMs, 'timeoutMs', 30_000);
    this.#totalTimeoutMs = positiveNumber(options.totalTimeoutMs, 'totalTimeoutMs', 120_000);
    this.#maxMessageBytes = positiveNumber(
      options.maxMessageBytes,
      'maxMessageBytes',
      LIMITS.maxMessageBytes,
    );
    if (options.retry === false) this.#retry = undefined;
    else {
      const retry = options.retry ?? {};
      const retries = positiveNumber(retry.retries, 'retry.retries', 3, true);
      if (!Number.isInteger(retries))
        throw new MailtrapConfigurationError('Invalid `retry.retries`: expected an integer');
      this.#retry = {
        retries,
        minDelayMs: positiveNumber(retry.minDelayMs, 'retry.minDelayMs', 500, true),
        maxDelayMs: positiveNumber(retry.maxDelayMs, 'retry.maxDelayMs', 30_000, true),
        maxRetryAfterMs: positiveNumber(retry.maxRetryAfterMs, 'retry.maxRetryAfterMs', 60_000, true),
        retryAmbiguous: retry.retryAmbiguous === true,
      };
    }
    if (options.rateLimit === false) this.#rateLimit = undefined;
    else {
      const rateLimit = options.rateLimit ?? {};
      const requests = positiveNumber(rateLimit.requests, 'rateLimit.requests', 150);
      if (!Number.isInteger(requests)) {
        throw new MailtrapConfigurationError('Invalid `rateLimit.requests`: expected an integer');
      }
      if (rateLimit.store !== undefined && typeof rateLimit.store?.reserve !== 'function') {
        throw new MailtrapConfigurationError(
          'Invalid `rateLimit.store`: expected an object with reserve(key, limit)',
        );
      }
      this.#rateLimit = {
        limit: { requests, windowMs: positiveNumber(rateLimit.windowMs, 'rateLimit.windowMs', 10_000) },
        store: rateLimit.store ?? createMemoryRateLimitStore(),
        key: rateLimit.key ?? `mailtrap:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`,
      };
    }

    const nodeVersion =
      (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ?? 'unknown';
    const userAgent = options.userAgent ?? `mailtrap-kit/${packageVersion} node/${nodeVersion}`;
    if (typeof userAgent !== 'string' || /[\r\n]/.test(userAgent) || userAgent.length === 0) {
      throw new MailtrapConfigurationError(
        'Invalid `userAgent`: expected a non-empty string without CR or LF',
      );
    }
    this.#headersNoBody = {
      authorization: `Bearer ${token}`,
      'user-agent': userAgent,
      accept: 'application/json',
    };
    this.#headers = { ...this.#headersNoBody, 'content-type': 'application/json' };

    if (options.dispatcher !== undefined) {
      if (typeof options.dispatcher?.request !== 'function') {
        throw new MailtrapConfigurationError('Invalid `dispatcher`: expected an undici Dispatcher');
      }
      this.#dispatcher = options.dispatcher;
      this.#ownAgent = undefined;
    } else {
      this.#ownAgent = new Agent({
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
        connect: { timeout: Math.min(10_000, this.#timeoutMs) },
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      this.#dispatcher = this.#ownAgent;
    }

    const account = (suffix: string) =>
      this.#accountId === undefined ? `/api${suffix}` : `/api/accounts/${this.#accountId}${suffix}`;
    this.templates = {
      list: (requestOptions) =>
        this.#general<EmailTemplate[]>('GET', account('/email_templates'), undefined, requestOptions),
      get: async (id, requestOptions) =>
        this.#general<EmailTemplate>(
          'GET',
          account(`/email_templates/${positiveInteger(id, 'id')}`),
          undefined,
          requestOptions,
        ),
      create: async (template, requestOptions) => {
        checkTemplateInput(template, true);
        return this.#general<EmailTemplate>(
          'POST',
          account('/email_templates'),
          { email_template: template },
          requestOptions,
        );
      },
      update: async (id, template, requestOptions) => {
        const path = account(`/email_templates/${positiveInteger(id, 'id')}`);
        checkTemplateInput(template, false);
        return this.#general<EmailTemplate>('PATCH', path, { email_template: template }, requestOptions);
      },
      delete: async (id, requestOptions) => {
        await this.#general<void>(
          'DELETE',
          account(`/email_templates/${positiveInteger(id, 'id')}`),
          undefined,
          requestOptions,
        );
      },
    };
    this.emailLogs = {
      list: (params = {}, requestOptions) => {
        const query: Record<string, unknown> = {};
        if (params.filters !== undefined) query.filters = params.filters;
        if (params.search_after !== undefined) query.search_after = params.search_after;
        return this.#general<EmailLogsPage>(
          'GET',
          account('/email_logs') + encodeQuery(query),
          undefined,
          requestOptions,
        );
      },
      get: async (messageId, requestOptions) => {
        if (typeof messageId !== 'string' || messageId.length === 0) {
          throw new MailtrapValidationError('Invalid `messageId`: expected a non-empty string', {
            field: 'messageId',
          });
        }
        return this.#general<EmailLogMessage>(
          'GET',
          account(`/email_logs/${encodeURIComponent(messageId)}`),
          undefined,
          requestOptions,
        );
      },
      iterate: async function* (this: void, params = {}, requestOptions) {
        let cursor: string | undefined;
        const seen = new Set<string>();
        for (;;) {
          const page = await emailLogs.list(
            { ...params, ...(cursor !== undefined ? { search_after: cursor } : {}) },
            requestOptions,
          );
          for (const message of page.messages) yield message;
          const next = page.next_page_cursor;
          // Stop at the last page, and never loop on a cursor seen before.
          if (!next || page.messages.length === 0 || seen.has(next)) return;
          seen.add(next);
          cursor = next;
        }
      },
    };
    const emailLogs = this.emailLogs;
    this.suppressions = {
      list: (params = {}, requestOptions) =>
        this.#general<Suppression[]>(
          'GET',
          account('/suppressions') + encodeQuery({ email: params.email }),
          undefined,
          requestOptions,
        ),
    };
    this.accounts = {
      list: (requestOptions) => this.#general<Account[]>('GET', '/api/accounts', undefined, requestOptions),
    };
  }

  /** Sends one email (`POST /api/send` on the client's stream). Validates every limit first. */
  async send(mail: SendMail, options?: RequestOptions): Promise<SendResult> {
    checkSendMailShape(mail);
    const prepared = prepareSendBody(mail, this.#maxMessageBytes);
    const body = prepared instanceof Promise ? await prepared : prepared;
    return this.#execute<SendResult>({
      method: 'POST',
      target: this.#sendTarget,
      path: this.#sendPath,
      headers: this.#headers,
      body,
      idempotent: false,
      signal: options?.signal,
      rateLimitKey: undefined,
      json: true,
    });
  }

  /**
   * Sends up to 500 emails in one call (`POST /api/batch`); per-message results in request order.
   * `validated: true` skips re-checking each message the caller already validated.
   */
  async batchSend(batch: BatchSendRequest, options?: BatchSendOptions): Promise<BatchSendResult> {
    const validated = options?.validated === true;
    if (validated) checkBatchLimits(batch);
    else checkBatchShape(batch);
    const prepared = prepareBatchBody(batch, this.#maxMessageBytes, validated);
    const body = prepared instanceof Promise ? await prepared : prepared;
    return this.#execute<BatchSendResult>({
      method: 'POST',
      target: this.#sendTarget,
      path: this.#batchPath,
      headers: this.#headers,
      body,
      idempotent: false,
      signal: options?.signal,
      rateLimitKey: undefined,
      json: true,
    });
  }

  /** A typed request to any endpoint, with the client's auth, retries, rate limit and errors. */
  async request<T>(options: MailtrapRequestOptions): Promise<T> {
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
    const target = this.#targets[host];
    if (!target) {
      throw new MailtrapConfigurationError(
        `Invalid \`host\`: ${JSON.stringify(host)}; expected general, send, bulk or sandbox`,
      );
    }
    const hasBody = options.body !== undefined;
    let query = encodeQuery(options.query);
    if (query && options.path.includes('?')) query = `&${query.slice(1)}`;
    return this.#execute<T>({
      method,
      target,
      path: target.prefix + options.path + query,
      headers: hasBody ? this.#headers : this.#headersNoBody,
      body: hasBody ? jsonBody(JSON.stringify(options.body)) : undefined,
      idempotent: idempotentMethods.has(method),
      signal: options.signal,
      rateLimitKey: options.rateLimitKey,
      json: true,
    });
  }

  /** Closes the client's own connection pool (an injected dispatcher is left open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ownAgent?.close();
  }

  #general<T>(method: string, path: string, body: unknown, options: RequestOptions | undefined): Promise<T> {
    const target = this.#targets.general;
    return this.#execute<T>({
      method,
      target,
      path: target.prefix + path,
      headers: body === undefined ? this.#headersNoBody : this.#headers,
      body: body === undefined ? undefined : jsonBody(JSON.stringify(body)),
      idempotent: idempotentMethods.has(method),
      signal: options?.signal,
      rateLimitKey: undefined,
      json: true,
    });
  }

  async #execute<T>(attempt: Attempt): Promise<T> {
    if (this.#closed) throw new MailtrapConfigurationError('This MailtrapClient was closed');
    const signal = attempt.signal;
    if (signal?.aborted) throw abortError(signal, false);
    const deadline = Date.now() + this.#totalTimeoutMs;
    const retry = this.#retry;
    for (let index = 0; ; index++) {
      let reserved = false;
      try {
        if (this.#rateLimit) await this.#waitForSlot(attempt, deadline);
        reserved = true;
        return await this.#attempt<T>(attempt, deadline);
      } catch (error) {
        if (!MailtrapError.isInstance(error)) throw error;
        // No slot within the total timeout, a failing store, or an abort while waiting: stop here.
        if (!reserved) throw afterAttempts(error, index);
        if (!retry || index >= retry.retries || (attempt.body && !attempt.body.replayable())) {
          throw afterAttempts(error, index + 1);
        }
        const retryable =
          error.retryable ||
          (retry.retryAmbiguous &&
            (error.code === 'server' || error.code === 'timeout' || error.code === 'network'));
        if (!retryable || error.code === 'aborted' || error.code === 'configuration') {
          throw afterAttempts(error, index + 1);
        }
        if (error.code === 'timeout' && Date.now() >= deadline) throw afterAttempts(error, index + 1);
        const backoff =
          error.retryAfterMs !== undefined
            ? Math.min(error.retryAfterMs, retry.maxRetryAfterMs)
            : Math.random() * Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** index);
        if (Date.now() + backoff >= deadline) throw afterAttempts(error, index + 1);
        await delay(backoff, signal);
      }
    }
  }

  async #waitForSlot(attempt: Attempt, deadline: number): Promise<void> {
    const rateLimit = this.#rateLimit!;
    let wait: number;
    const signal = attempt.signal;
    try {
      wait = await rateLimit.store.reserve(attempt.rateLimitKey ?? rateLimit.key, rateLimit.limit, {
        signal,
        deadline,
      });
    } catch (error) {
      // A store that waits inside reserve stops at the caller's abort or deadline.
      if (signal?.aborted) throw abortError(signal, false, error);
      if (Date.now() >= deadline) {
        throw new MailtrapTimeoutError(
          `totalTimeoutMs (${this.#totalTimeoutMs} ms) elapsed while waiting for the rate limiter; nothing was sent`,
          { maybeSent: false, cause: error },
        );
      }
      throw new MailtrapError(
        `The rate limit store failed to reserve a slot: ${(error as Error)?.message ?? String(error)}; nothing was sent`,
        { code: 'configuration', maybeSent: false, cause: error },
      );
    }
    if (typeof wait !== 'number' || Number.isNaN(wait)) {
      throw new MailtrapConfigurationError(
        'The rate limit store resolved a non-number; expected milliseconds to wait',
      );
    }
    if (wait <= 0) return;
    if (Date.now() + wait >= deadline) {
      throw new MailtrapTimeoutError(
        `Waiting ${Math.ceil(wait)} ms for the rate limiter (${rateLimit.limit.requests} requests per ${rateLimit.limit.windowMs} ms) would exceed totalTimeoutMs (${this.#totalTimeoutMs} ms); nothing was sent`,
        { retryable: true, maybeSent: false },
      );
    }
    await delay(wait, attempt.signal);
  }

  async #attempt<T>(attempt: Attempt, deadline: number): Promise<T> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new MailtrapTimeoutError(
        `totalTimeoutMs (${this.#totalTimeoutMs} ms) elapsed; nothing was sent`,
        {
          maybeSent: false,
        },
      );
    }
    const attemptTimeout = Math.min(this.#timeoutMs, remaining);
    const prepared = attempt.body;
    let headers = attempt.headers;
    let body: string | AsyncIterable<Uint8Array | string> | undefined;
    if (prepared !== undefined) {
      if (typeof prepared.body === 'string') body = prepared.body;
      else {
        body = prepared.body();
        headers = { ...headers };
        if (prepared.length !== undefined) headers['content-length'] = String(prepared.length);
      }
    }
    let response: RawResponse;
    try {
      response = await dispatchRequest(
        this.#dispatcher,
        {
          origin: attempt.target.origin,
          path: attempt.path,
          method: attempt.method as Dispatcher.HttpMethod,
          headers,
          body: body as Dispatcher.DispatchOptions['body'],
        },
        attemptTimeout,
        attempt.signal,
      );
    } catch (error) {
      throw this.#failure(error, attempt, attemptTimeout < this.#timeoutMs);
    }
    const { statusCode, text } = response;
    if (statusCode >= 200 && statusCode < 300) {
      if (!attempt.json || text.length === 0) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new MailtrapError(
          `Mailtrap API answered ${statusCode} to ${attempt.method} ${stripQuery(attempt.path)} with a body that is not JSON`,
          { code: 'http', status: statusCode, maybeSent: true, cause: error },
        );
      }
    }
    // A server (or a proxy) that echoes the token must not put it into an error message.
    const token = this.#token;
    throw errorForStatus(
      statusCode,
      text.includes(token) ? text.split(token).join('[redacted]') : text,
      response.retryAfter,
      attempt.method,
      stripQuery(attempt.path),
      attempt.idempotent,
    );
  }

  #failure(error: unknown, attempt: Attempt, totalBound: boolean): MailtrapError {
    const where = `${attempt.method} ${attempt.target.origin}${stripQuery(attempt.path)}`;
    const streamError = attempt.body?.streamError();
    if (streamError !== undefined) return streamError as MailtrapError;
    if (MailtrapError.isInstance(error)) return error;
    const cancelled = error instanceof AttemptError ? error.cancelled : undefined;
    const started = error instanceof AttemptError ? error.started : true;
    const cause = error instanceof AttemptError ? error.cause : error;
    if (cancelled === 'aborted' || attempt.signal?.aborted) {
      return abortError(attempt.signal!, started, cause);
    }
    const code = errorCode(cause);
    if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
      return new MailtrapConfigurationError(
        `The dispatcher is closed or destroyed; ${where} was not sent (was the client or its dispatcher closed?)`,
        { cause },
      );
    }
    if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') {
      return new MailtrapConfigurationError(
        `The request to ${where} was refused by the dispatcher: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    if (!started || (code !== undefined && notSentCodes.has(code))) {
      // undici had not begun writing the request: it cannot have reached the server.
      const timeout = cancelled === 'timeout' || code === 'UND_ERR_CONNECT_TIMEOUT';
      const reason =
        cancelled === 'timeout'
          ? `no connection within ${totalBound ? 'totalTimeoutMs' : 'timeoutMs'}`
          : (code ?? (cause instanceof Error ? cause.message : String(cause)));
      const message = `${timeout ? 'Connect timeout' : 'Could not connect'} for ${where} (${reason}); nothing was sent`;
      return timeout
        ? new MailtrapTimeoutError(message, { retryable: !totalBound, maybeSent: false, cause })
        : new MailtrapNetworkError(message, { retryable: true, maybeSent: false, cause });
    }
    const idempotent = attempt.idempotent;
    const ambiguity = idempotent
      ? ''
      : '; the request may have been accepted (not retried by default: a retry could send it twice)';
    if (cancelled === 'timeout' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      const which = totalBound
        ? `totalTimeoutMs (${this.#totalTimeoutMs} ms)`
        : `timeoutMs (${this.#timeoutMs} ms per attempt)`;
      return new MailtrapTimeoutError(`No complete answer from ${where} within ${which}${ambiguity}`, {
        retryable: idempotent && !totalBound,
        maybeSent: !idempotent,
        cause,
      });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new MailtrapNetworkError(
      `Request to ${where} failed: ${reason}${code ? ` (${code})` : ''}${ambiguity}`,
      {
        retryable: idempotent,
        maybeSent: !idempotent,
        cause,
      },
    );
  }

  /** Describes the client without its token. */
  [inspectSymbol](): string {
    return `MailtrapClient { stream: '${this.stream}', endpoint: '${this.#sendTarget.origin}${this.#sendTarget.prefix}'${
      this.#accountId ? `, accountId: ${this.#accountId}` : ''
    }${this.#sandboxId ? `, sandboxId: ${this.#sandboxId}` : ''} }`;
  }

  toJSON(): Record<string, unknown> {
    return {
      stream: this.stream,
      endpoint: this.#sendTarget.origin + this.#sendTarget.prefix,
      ...(this.#accountId ? { accountId: this.#accountId } : {}),
      ...(this.#sandboxId ? { sandboxId: this.#sandboxId } : {}),
    };
  }
}

const templateFields = new Set(['name', 'subject', 'category', 'body_html', 'body_text']);

/** Checks a template body before it is sent (name, subject and category: 1-255 characters). */
function checkTemplateInput(template: Partial<EmailTemplateInput>, complete: boolean): void {
  const fail = (field: string, why: string): never => {
    throw new MailtrapValidationError(`Invalid template: \`${field}\` ${why}`, { field });
  };
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    fail('template', 'must be an object { name, subject, category, body_html?, body_text? }');
  }
  let fields = 0;
  for (const key of Object.keys(template)) {
    if (!templateFields.has(key))
      fail(key, 'is not a template field (name, subject, category, body_html, body_text)');
    fields++;
  }
  if (!complete && fields === 0) fail('template', 'has no field to update');
  for (const field of ['name', 'subject', 'category'] as const) {
    const value = template[field];
    if (value === undefined) {
      if (complete) fail(field, 'is required');
      continue;
    }
    if (typeof value !== 'string' || value.length === 0) fail(field, 'must be a non-empty string');
    if (value.length > 255) fail(field, `is ${value.length} characters; at most 255`);
  }
  for (const field of ['body_html', 'body_text'] as const) {
    const value = template[field];
    if (value !== undefined && value !== null && typeof value !== 'string') fail(field, 'must be a string');
  }
}

/** Notes the number of attempts on the error that ends a call after retries. */
function afterAttempts(error: MailtrapError, attempts: number): MailtrapError {
  if (attempts > 1) error.message += ` (after ${attempts} attempts)`;
  return error;
}

function jsonBody(json: string): PreparedBody {
  return { body: json, replayable: () => true, streamError: () => undefined };
}

function stripQuery(path: string): string {
  const index = path.indexOf('?');
  return index === -1 ? path : path.slice(0, index);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      // AggregateError (happy eyeballs): take the first
      const inner = errorCode(errors[0]);
      if (inner) return inner;
    }
    const next = (current as { cause?: unknown }).cause;
    if (next === undefined) return typeof code === 'string' ? code : undefined;
    current = next;
  }
  return undefined;
}
