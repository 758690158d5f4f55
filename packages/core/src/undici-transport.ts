import type { Agent, Dispatcher } from 'undici';
import {
  AttemptError,
  type CancelReason,
  type RawResponse,
  readsRetryAfter,
  retryAfterName,
  type Transport,
  type TransportRequest,
} from './transport';

const empty = Buffer.alloc(0);

/**
 * Collects one response through undici's dispatch handler interface: no Readable stream, no
 * AbortController, one object per request. The body is always read to the end (or the request
 * aborted), so the connection goes back to the pool.
 */
class ResponseCollector {
  statusCode = 0;
  retryAfter: string | undefined;
  cancelled: CancelReason | undefined;
  /** True once undici began writing the request (before that, nothing can have been sent). */
  started = false;
  #chunks: Buffer[] | undefined;
  #first: Buffer | undefined;
  #abort: ((reason: Error) => void) | undefined;
  #pending: Error | undefined;
  #resolve: (response: RawResponse) => void;
  #reject: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;
  #settled = false;

  constructor(
    resolve: (response: RawResponse) => void,
    reject: (error: unknown) => void,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(onTimeout, timeoutMs, this);
    if (signal) {
      this.#signal = signal;
      signal.addEventListener('abort', this, { once: true });
      if (signal.aborted) this.cancel('aborted');
    }
  }

  /** The caller's AbortSignal fired (EventListener object form, so no closure is needed). */
  handleEvent(): void {
    this.cancel('aborted');
  }

  cancel(reason: CancelReason): void {
    if (this.#settled || this.cancelled) return;
    this.cancelled = reason;
    const error = new Error(reason === 'timeout' ? 'attempt timed out' : 'aborted by the caller');
    if (this.#abort) this.#abort(error);
    else {
      // Still queued or connecting: nothing was written. Settle now (a connect that never
      // finishes must not hold the caller) and abort the request if undici starts it later.
      this.#pending = error;
      this.onError(error);
    }
  }

  onConnect(abort: (reason: Error) => void): void {
    // undici calls this right before it writes the request: from here on it may reach the server.
    this.#abort = abort;
    this.started = true;
    if (this.#pending) abort(this.#pending);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    this.statusCode = statusCode;
    if (rawHeaders && readsRetryAfter(statusCode)) {
      for (let index = 0; index < rawHeaders.length; index += 2) {
        const name = rawHeaders[index]!;
        if (name.length === 11 && name.toString().toLowerCase() === retryAfterName) {
          this.retryAfter = rawHeaders[index + 1]!.toString();
        }
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#first === undefined) this.#first = chunk;
    else if (this.#chunks === undefined) this.#chunks = [this.#first, chunk];
    else this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settle()) return;
    const body = this.#chunks ? Buffer.concat(this.#chunks) : (this.#first ?? empty);
    this.#resolve({ statusCode: this.statusCode, retryAfter: this.retryAfter, body });
  }

  onError(error: unknown): void {
    if (this.#settle()) return;
    this.#reject(new AttemptError(this.cancelled, this.started, error));
  }

  onUpgrade(): void {
    this.onError(new Error('unexpected protocol upgrade'));
  }

  /** Clears the timer and listener; true when already settled. */
  #settle(): boolean {
    if (this.#settled) return true;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this);
    return false;
  }
}

function onTimeout(collector: ResponseCollector): void {
  collector.cancel('timeout');
}

/**
 * Sends one request and reads the whole answer. Rejects with an {@link AttemptError} wrapping the dispatcher's error, telling whether the request was
 * started and whether the timeout or the caller's signal cancelled it. @internal
 */
export function dispatchRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const collector = new ResponseCollector(resolve, reject, timeoutMs, signal);
    try {
      dispatcher.dispatch(options, collector as unknown as Dispatcher.DispatchHandler);
    } catch (error) {
      collector.onError(error);
    }
  });
}

/**
 * The transport of Node: undici's dispatcher interface, which writes a string body without a copy
 * and tells when the request began to be written (before that, nothing can have been sent).
 * `ownAgent` is closed by `close()`; an injected dispatcher is the caller's to close. @internal
 */
export function createUndiciTransport(dispatcher: Dispatcher, ownAgent: Agent | undefined): Transport {
  return {
    name: 'undici',
    dispatch(request: TransportRequest, timeoutMs: number, signal: AbortSignal | undefined) {
      // The request's fields are undici's dispatch options as they are: no copy per attempt.
      return dispatchRequest(dispatcher, request as Dispatcher.DispatchOptions, timeoutMs, signal);
    },
    async close() {
      await ownAgent?.close();
    },
  };
}
