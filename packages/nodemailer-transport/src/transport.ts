import { EventEmitter } from 'node:events';
import {
  type Address,
  LIMITS,
  MailtrapAbortError,
  MailtrapClient,
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapValidationError,
  type SendMail,
} from '@mailtrap-kit/core';
import packageJson from '../package.json';
import { parseAddress } from './addresses';
import { type MappedMessage, mapMessage, type NodemailerMailMessage } from './mapping';
import { type NodemailerMailer, takePluginReads, registerCompilePlugin } from './plugin-options';
import { type ResolvedSettings, resolveSettings } from './settings';
import type { MailtrapSentMessageInfo, MailtrapTransportClient, MailtrapTransportSettings } from './types';
import { verifyTransport } from './verify';

const transportVersion: string = packageJson.version;

type Callback<T> = (error: Error | null, result?: T) => void;

interface Pending {
  mapped: MappedMessage;
  size: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: (error: Error | null, info?: MailtrapSentMessageInfo) => void;
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
  readonly client: MailtrapTransportClient;

  readonly #ownsClient: boolean;
  readonly #batching: ResolvedSettings['batching'];
  readonly #maxRequests: number;
  readonly #capacity: number;
  readonly #ignoreOptions: ReadonlySet<string> | undefined;
  readonly #disableFileAccess: boolean;
  readonly #disableUrlAccess: boolean;
  readonly #maxMessageBytes: number;
  readonly #from: Address | undefined;
  #mailer: NodemailerMailer | undefined;
  #activeRequests = 0;
  #waitingRequests: Array<() => void> = [];
  #messages = 0; // accepted by send() and not finished yet
  #idle = true;
  #closing: Promise<void> | undefined;
  #drainWaiters: Array<() => void> = [];
  #batch: Pending[] = [];
  #batchBytes = 0;
  #batchTimer: NodeJS.Timeout | undefined;
  /** The collecting batch's wait is over; it goes as soon as no earlier batch is in flight. */
  #batchDue = false;
  #batchesInFlight = 0;

  constructor(settings: MailtrapTransportSettings = {}) {
    super();
    const resolved = resolveSettings(settings);
    const client = settings.client;
    if (client !== undefined) {
      const missing = (['send', 'batchSend', 'request', 'close'] as const).filter(
        (method) => typeof (client as Partial<MailtrapTransportClient>)?.[method] !== 'function',
      );
      if (missing.length > 0) {
        throw new MailtrapConfigurationError(
          `\`client\` must be a MailtrapClient from @mailtrap-kit/core (it has no ${missing.join(', ')}).`,
        );
      }
      this.client = client;
      this.#ownsClient = false;
    } else {
      this.client = new MailtrapClient(resolved.clientOptions);
      this.#ownsClient = true;
    }
    this.#maxMessageBytes =
      resolved.clientOptions.maxMessageBytes ??
      (this.client as { maxMessageBytes?: number }).maxMessageBytes ??
      LIMITS.maxMessageBytes;
    this.#batching = resolved.batching;
    this.#maxRequests = resolved.maxConcurrentRequests;
    this.#capacity = this.#maxRequests * (this.#batching?.maxMessages ?? 1);
    this.#disableFileAccess = resolved.disableFileAccess;
    this.#disableUrlAccess = resolved.disableUrlAccess;
    this.#ignoreOptions = resolved.ignoreOptions;
    this.#from = resolved.from;
    // Nodemailer's idle pattern waits for a first 'idle' to start feeding messages.
    setImmediate(() => {
      if (this.isIdle()) this.emit('idle');
    });
  }

  /**
   * Set by Nodemailer's `createTransport` to the instance it creates. The transport watches that
   * instance's plugins (see plugin-options.ts) and reads its message defaults (`from`). Typed
   * loosely so that the Mail types of Nodemailer 10 and of @types/nodemailer (9) both fit.
   */
  get mailer(): any {
    return this.#mailer;
  }

  set mailer(mailer: any) {
    this.#mailer = mailer as NodemailerMailer | undefined;
    if (mailer) registerCompilePlugin(mailer as NodemailerMailer);
  }

  /** The sender `verify()` checks: the `from` setting, else `from` in createTransport's defaults. */
  get sender(): Address | undefined {
    if (this.#from) return this.#from;
    const from = this.#mailer?._defaults?.from;
    return from === undefined ? undefined : parseAddress(from, 'defaults.from');
  }

  /** Called by Nodemailer for every `sendMail`. */
  send(
    mail: NodemailerMailMessage,
    callback: (error: Error | null, info: MailtrapSentMessageInfo) => void,
  ): void {
    const pluginOptions = takePluginReads(mail);
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
    mapMessage(mail, {
      ignoreOptions: this.#ignoreOptions,
      pluginOptions,
      validate: this.#batching !== undefined,
      maxMessageBytes: this.#maxMessageBytes,
      defaultFrom: this.#from,
    }).then(
      (mapped) => {
        if (signal?.aborted) return done(abortError(signal));
        if (this.#batching && !mapped.streamed) this.#enqueue(mapped, signal, done);
        else void this.#sendOne(mapped, signal, done);
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
   * Checks the token without sending mail and, on the transactional and bulk streams, that the
   * domain of the sender (`from` setting, else createTransport's defaults) is a verified sending
   * domain. Resolves true, or rejects with the error that a send would meet. When the token may
   * not read the account's domains, it resolves true and emits a `MailtrapWarning`
   * (`process.emitWarning`, code MAILTRAP_DOMAIN_NOT_CHECKED).
   */
  verify(): Promise<true>;
  verify(callback: Callback<true>): void;
  verify(callback?: Callback<true>): Promise<true> | undefined {
    // The sender is read inside the promise, so a bad `from` in the defaults rejects (or reaches the callback).
    const promise = Promise.resolve().then(() => verifyTransport(this.client, this.sender));
    if (!callback) return promise;
    promise.then(
      (value) => callback(null, value),
      (error: Error) => callback(error),
    );
    return undefined;
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

  // Plain promises rather than an async function: one promise per request, not three.
  #withRequestSlot<T>(run: () => Promise<T>): Promise<T> {
    const release = () => {
      const next = this.#waitingRequests.shift();
      if (next) next();
      else this.#activeRequests--;
    };
    const start = (): Promise<T> => {
      let running: Promise<T>;
      try {
        running = run();
      } catch (error) {
        release();
        return Promise.reject(error);
      }
      return running.then(
        (value) => {
          release();
          return value;
        },
        (error: unknown) => {
          release();
          throw error;
        },
      );
    };
    if (this.#activeRequests < this.#maxRequests) {
      this.#activeRequests++;
      return start();
    }
    return new Promise<void>((resolve) => this.#waitingRequests.push(resolve)).then(start);
  }

  #sendOne(
    mapped: MappedMessage,
    signal: AbortSignal | undefined,
    done: (error: Error | null, info?: MailtrapSentMessageInfo) => void,
  ): Promise<void> {
    return this.#withRequestSlot(() => {
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
    // Measured once, by the validation in mapMessage; + 1 for the comma between messages.
    const size = mapped.size! + 1;
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
    else if (!this.#batchTimer && !this.#batchDue) {
      this.#batchTimer = setTimeout(() => {
        this.#batchTimer = undefined;
        // Nagle's rule: a batch that is not full waits while an earlier one is still on its way
        // (under the rate limit, in a request slot or on the wire), so requests go out full.
        if (this.#batchesInFlight === 0) this.#flush();
        else this.#batchDue = true;
      }, batching.maxWaitMs);
    }
  }

  #flush(): void {
    if (this.#batchTimer) {
      clearTimeout(this.#batchTimer);
      this.#batchTimer = undefined;
    }
    this.#batchDue = false;
    const items = this.#batch;
    if (items.length === 0) return;
    this.#batch = [];
    this.#batchBytes = 0;
    for (const item of items) {
      if (item.onAbort) item.signal!.removeEventListener('abort', item.onAbort);
    }
    this.#batchesInFlight++;
    const item = items[0]!;
    const sent =
      items.length === 1 ? this.#sendOne(item.mapped, item.signal, item.done) : this.#sendBatch(items);
    void sent.then(() => {
      this.#batchesInFlight--;
      if (this.#batchesInFlight === 0 && this.#batchDue) this.#flush();
    });
  }

  #sendBatch(items: Pending[]): Promise<void> {
    return this.#withRequestSlot(() =>
      // Every message was validated on its own before it joined: core checks only the batch.
      this.client.batchSend(
        { requests: items.map((item) => item.mapped.payload as SendMail) },
        { validated: true },
      ),
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
