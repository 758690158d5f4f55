import { EventEmitter } from 'node:events';
import {
  LIMITS,
  MailtrapAbortError,
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapValidationError,
  messageSize,
  type SendMail,
} from '@mailtrap-kit/core';
import packageJson from '../package.json';
import { type MappedMessage, mapMessage, type NodemailerMailMessage } from './mapping';
import type { BatchingOptions, MailtrapSentMessageInfo, MailtrapTransportSettings } from './types';

const transportVersion: string = packageJson.version;

type Callback<T> = (error: Error | null, result?: T) => void;

interface Pending {
  mapped: MappedMessage;
  size: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: (error: Error | null, info?: MailtrapSentMessageInfo) => void;
}

interface ResolvedBatching {
  maxWaitMs: number;
  maxMessages: number;
  maxBytes: number;
}

const clientOptionKeys = [
  'token',
  'stream',
  'sandboxId',
  'accountId',
  'bulk',
  'sandbox',
  'testInboxId',
  'endpoints',
  'dispatcher',
  'timeoutMs',
  'totalTimeoutMs',
  'retry',
  'rateLimit',
  'userAgent',
  'allowInsecureHttp',
] as const;

function resolveBatching(batching: MailtrapTransportSettings['batching']): ResolvedBatching | undefined {
  if (!batching) return undefined;
  const options: BatchingOptions = batching === true ? {} : batching;
  const maxWaitMs = options.maxWaitMs ?? 5;
  const maxMessages = options.maxMessages ?? LIMITS.maxBatchRequests;
  const maxBytes = options.maxBytes ?? LIMITS.maxBatchBytes;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
    throw new MailtrapConfigurationError('`batching.maxWaitMs` must be a number of milliseconds, 0 or more.');
  }
  if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > LIMITS.maxBatchRequests) {
    throw new MailtrapConfigurationError(
      `\`batching.maxMessages\` must be an integer from 1 to ${LIMITS.maxBatchRequests} (the API's limit).`,
    );
  }
  if (!Number.isFinite(maxBytes) || maxBytes < 1024 || maxBytes > LIMITS.maxBatchBytes) {
    throw new MailtrapConfigurationError(
      `\`batching.maxBytes\` must be from 1024 to ${LIMITS.maxBatchBytes} (the API's 50 MB limit).`,
    );
  }
  return { maxWaitMs, maxMessages, maxBytes };
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'aborted' in value &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

function abortError(signal: AbortSignal): MailtrapAbortError {
  return new MailtrapAbortError('The send was aborted before the message was handed to the API.', {
    cause: signal.reason,
  });
}

function toInfo(mapped: MappedMessage, messageIds: string[]): MailtrapSentMessageInfo {
  return {
    messageId: messageIds[0] ?? '',
    messageIds,
    envelope: mapped.envelope,
    accepted: mapped.recipients,
    rejected: [],
    pending: [],
    response: `200 OK: Mailtrap accepted the message (${messageIds.length === 1 ? 'message id' : 'message ids'} ${messageIds.join(', ')})`,
  };
}

/**
 * A Nodemailer transport that sends through the Mailtrap Email Sending API. Create it with
 * {@link MailtrapTransport} and hand it to `nodemailer.createTransport`.
 */
export class MailtrapNodemailerTransport extends EventEmitter {
  /** Transport name, used in Nodemailer's logs. */
  readonly name = 'MailtrapKit';
  /** Transport version, used in Nodemailer's logs. */
  readonly version: string = transportVersion;
  /** `mail.data.signal` aborts a send while it is queued or on the wire (unbatched). */
  readonly supportsAbortSignal = true;
  /** The client the transport sends with. */
  readonly client: MailtrapClient;

  readonly #ownsClient: boolean;
  readonly #batching: ResolvedBatching | undefined;
  readonly #maxRequests: number;
  readonly #capacity: number;
  readonly #ignoreOptions: ReadonlySet<string> | undefined;
  readonly #disableFileAccess: boolean;
  readonly #disableUrlAccess: boolean;
  #activeRequests = 0;
  #waitingRequests: Array<() => void> = [];
  #messages = 0; // accepted by send() and not finished yet
  #idle = true;
  #closing: Promise<void> | undefined;
  #drainWaiters: Array<() => void> = [];
  #batch: Pending[] = [];
  #batchBytes = 0;
  #batchTimer: NodeJS.Timeout | undefined;

  constructor(settings: MailtrapTransportSettings = {}) {
    super();
    const { client, batching, maxConcurrentRequests, ignoreOptions } = settings;
    if (client !== undefined) {
      const extra = clientOptionKeys.filter((key) => settings[key] !== undefined);
      if (extra.length > 0) {
        throw new MailtrapConfigurationError(
          `Pass either \`client\` or client options, not both (also set: ${extra.map((key) => `\`${key}\``).join(', ')}); configure the client you pass instead.`,
        );
      }
      if (!(client instanceof MailtrapClient) && typeof (client as MailtrapClient)?.send !== 'function') {
        throw new MailtrapConfigurationError('`client` must be a MailtrapClient from @mailtrap-kit/core.');
      }
      this.client = client;
      this.#ownsClient = false;
    } else {
      const options: MailtrapClientOptions = {};
      for (const key of clientOptionKeys) {
        if (settings[key] !== undefined) (options as Record<string, unknown>)[key] = settings[key];
      }
      this.client = new MailtrapClient(options);
      this.#ownsClient = true;
    }
    this.#batching = resolveBatching(batching);
    const maxRequests = maxConcurrentRequests ?? 10;
    if (!Number.isInteger(maxRequests) || maxRequests < 1) {
      throw new MailtrapConfigurationError('`maxConcurrentRequests` must be an integer of 1 or more.');
    }
    this.#maxRequests = maxRequests;
    this.#capacity = maxRequests * (this.#batching?.maxMessages ?? 1);
    this.#disableFileAccess = settings.disableFileAccess === true;
    this.#disableUrlAccess = settings.disableUrlAccess === true;
    this.#ignoreOptions = ignoreOptions && ignoreOptions.length > 0 ? new Set(ignoreOptions) : undefined;
    // Nodemailer's idle pattern waits for a first 'idle' to start feeding messages.
    setImmediate(() => {
      if (this.isIdle()) this.emit('idle');
    });
  }

  /** Called by Nodemailer for every `sendMail`. */
  send(
    mail: NodemailerMailMessage,
    callback: (error: Error | null, info: MailtrapSentMessageInfo) => void,
  ): void {
    if (this.#closing) {
      setImmediate(() =>
        callback(
          new MailtrapConfigurationError('The transport is closed; create a new one to send more mail.'),
          undefined as unknown as MailtrapSentMessageInfo,
        ),
      );
      return;
    }
    this.#messages++;
    this.#updateIdle();
    if (this.#disableFileAccess) mail.data.disableFileAccess = true;
    if (this.#disableUrlAccess) mail.data.disableUrlAccess = true;
    const signalOption = mail.data.signal;
    const signal = isAbortSignal(signalOption) ? signalOption : undefined;
    let finished = false;
    const done = (error: Error | null, info?: MailtrapSentMessageInfo) => {
      if (finished) return;
      finished = true;
      this.#messages--;
      callback(error, info as MailtrapSentMessageInfo);
      this.#updateIdle();
      if (this.#messages === 0) this.#notifyDrained();
    };
    mapMessage(mail, { ignoreOptions: this.#ignoreOptions, validate: this.#batching !== undefined }).then(
      (mapped) => {
        if (signal?.aborted) return done(abortError(signal));
        if (this.#batching && !mapped.streamed) this.#enqueue(mapped, signal, done);
        else this.#sendOne(mapped, signal, done);
      },
      (error: Error) => done(error),
    );
  }

  /**
   * True while the transport takes more messages without queueing them behind others:
   * Nodemailer's idle pattern (`transporter.on('idle', ...)` with `transporter.isIdle()`).
   */
  isIdle(): boolean {
    return this.#messages < this.#capacity && !this.#closing;
  }

  /**
   * Checks the configuration and the credentials without sending mail: an authenticated
   * batch request with no messages, which the API refuses as invalid (400/422) once the token
   * is accepted, and with 401/403 when it is not.
   */
  verify(): Promise<true>;
  verify(callback: Callback<true>): void;
  verify(callback?: Callback<true>): Promise<true> | undefined {
    const promise = this.#verify();
    if (!callback) return promise;
    promise.then(
      (value) => callback(null, value),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  async #verify(): Promise<true> {
    const stream = this.client.stream;
    const sandboxId = this.client.sandboxId;
    if (stream === 'sandbox' && sandboxId === undefined) {
      throw new MailtrapConfigurationError(
        'verify() needs the sandbox id of the client (`sandboxId`), and the client has none.',
      );
    }
    const host = stream === 'transactional' ? 'send' : stream;
    const path = stream === 'sandbox' ? `/api/batch/${sandboxId}` : '/api/batch';
    try {
      await this.client.request({ method: 'POST', path, host, body: { requests: [] } });
    } catch (error) {
      if (MailtrapValidationError.isInstance(error) && error.status !== undefined) return true;
      throw error;
    }
    return true;
  }

  /**
   * Sends what is queued, waits for every message in flight, then closes the client (unless
   * it was passed in as `client`). Later `sendMail` calls fail.
   */
  close(): Promise<void>;
  close(callback: (error?: Error | null) => void): void;
  close(callback?: (error?: Error | null) => void): Promise<void> | undefined {
    if (!this.#closing) {
      this.#closing = (async () => {
        this.#flush();
        if (this.#messages > 0) {
          await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
        }
        if (this.#ownsClient) await this.client.close();
      })();
    }
    if (!callback) return this.#closing;
    this.#closing.then(
      () => callback(null),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  #notifyDrained(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #updateIdle(): void {
    const idle = this.isIdle();
    if (idle && !this.#idle) {
      this.#idle = true;
      this.emit('idle');
    } else if (!idle) {
      this.#idle = false;
    }
  }

  async #withRequestSlot<T>(run: () => Promise<T>): Promise<T> {
    if (this.#activeRequests >= this.#maxRequests) {
      await new Promise<void>((resolve) => this.#waitingRequests.push(resolve));
    } else {
      this.#activeRequests++;
    }
    try {
      return await run();
    } finally {
      const next = this.#waitingRequests.shift();
      if (next) next();
      else this.#activeRequests--;
    }
  }

  #sendOne(
    mapped: MappedMessage,
    signal: AbortSignal | undefined,
    done: (error: Error | null, info?: MailtrapSentMessageInfo) => void,
  ): void {
    this.#withRequestSlot(() => {
      if (signal?.aborted) throw abortError(signal);
      return this.client.send(mapped.payload, signal ? { signal } : undefined);
    }).then(
      (result) => done(null, toInfo(mapped, result.message_ids)),
      (error: Error) => done(error),
    );
  }

  #enqueue(
    mapped: MappedMessage,
    signal: AbortSignal | undefined,
    done: (error: Error | null, info?: MailtrapSentMessageInfo) => void,
  ): void {
    const batching = this.#batching!;
    const size = messageSize(mapped.payload) + 1;
    // 16 bytes for `{"requests":[` and `]}`
    if (this.#batch.length > 0 && this.#batchBytes + size + 16 > batching.maxBytes) this.#flush();
    const pending: Pending = { mapped, size, signal, onAbort: undefined, done };
    if (signal) {
      pending.onAbort = () => {
        const index = this.#batch.indexOf(pending);
        if (index < 0) return;
        this.#batch.splice(index, 1);
        this.#batchBytes -= size;
        done(abortError(signal));
      };
      signal.addEventListener('abort', pending.onAbort, { once: true });
    }
    this.#batch.push(pending);
    this.#batchBytes += size;
    if (this.#batch.length >= batching.maxMessages || this.#closing) this.#flush();
    else if (!this.#batchTimer) {
      this.#batchTimer = setTimeout(() => this.#flush(), batching.maxWaitMs);
    }
  }

  #flush(): void {
    if (this.#batchTimer) {
      clearTimeout(this.#batchTimer);
      this.#batchTimer = undefined;
    }
    const items = this.#batch;
    if (items.length === 0) return;
    this.#batch = [];
    this.#batchBytes = 0;
    for (const item of items) {
      if (item.onAbort) item.signal!.removeEventListener('abort', item.onAbort);
    }
    if (items.length === 1) {
      const item = items[0]!;
      this.#sendOne(item.mapped, item.signal, item.done);
      return;
    }
    this.#withRequestSlot(() =>
      this.client.batchSend({ requests: items.map((item) => item.mapped.payload as SendMail) }),
    ).then(
      (result) => {
        const responses = Array.isArray(result?.responses) ? result.responses : [];
        items.forEach((item, index) => {
          const response = responses[index];
          if (response?.success) {
            item.done(null, toInfo(item.mapped, response.message_ids ?? []));
          } else if (response) {
            const errors = response.errors ?? [];
            item.done(
              new MailtrapValidationError(
                `Mailtrap refused the message (item ${index} of a batch of ${items.length}): ${errors.join('; ') || 'no reason given'}.`,
                { errors },
              ),
            );
          } else {
            const errors = result?.errors ?? [];
            item.done(
              new MailtrapError(
                `Mailtrap's batch answer has no result for item ${index} of ${items.length}${errors.length ? `: ${errors.join('; ')}` : ''}; the message may or may not have been sent.`,
                { code: 'http', status: 200, errors, maybeSent: true },
              ),
            );
          }
        });
      },
      (error: Error) => {
        for (const item of items) item.done(error);
      },
    );
  }
}

/**
 * Creates the Mailtrap transport for `nodemailer.createTransport(MailtrapTransport({ token }))`:
 * the official transport's name and options, plus core's client options and micro-batching.
 */
export function MailtrapTransport(settings: MailtrapTransportSettings = {}): MailtrapNodemailerTransport {
  return new MailtrapNodemailerTransport(settings);
}

/** The same as {@link MailtrapTransport}, named by the project's `createXxx` convention. */
export const createMailtrapTransport = MailtrapTransport;
