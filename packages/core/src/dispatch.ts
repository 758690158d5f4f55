import type { Dispatcher } from 'undici';

/** A complete answer: status, the Retry-After header and the body as text. */
export interface RawResponse {
  statusCode: number;
  retryAfter: string | undefined;
  text: string;
}

/** Why an attempt was cancelled by the client. */
export type CancelReason = 'timeout' | 'aborted';

const retryAfterName = 'retry-after';

/**
 * Collects one response through undici's dispatch handler interface: no Readable stream, no
 * AbortController, one object per request. The body is always read to the end (or the request
 * aborted), so the connection goes back to the pool.
 */
class ResponseCollector {
  statusCode = 0;
  retryAfter: string | undefined;
  cancelled: CancelReason | undefined;
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
    else this.#pending = error;
  }

  onConnect(abort: (reason: Error) => void): void {
    this.#abort = abort;
    if (this.#pending) abort(this.#pending);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    this.statusCode = statusCode;
    if (rawHeaders && (statusCode === 429 || statusCode >= 500)) {
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
    const text = this.#chunks
      ? Buffer.concat(this.#chunks).toString()
      : this.#first
        ? this.#first.toString()
        : '';
    this.#resolve({ statusCode: this.statusCode, retryAfter: this.retryAfter, text });
  }

  onError(error: unknown): void {
    if (this.#settle()) return;
    this.#reject(this.cancelled ? new CancelledAttempt(this.cancelled, this.statusCode, error) : error);
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

/** Error with the reason an attempt was cancelled by the client. @internal */
export class CancelledAttempt extends Error {
  constructor(
    readonly reason: CancelReason,
    readonly statusCode: number,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}

/**
 * Sends one request and reads the whole answer. Rejects with the dispatcher's error, or with a
 * {@link CancelledAttempt} when the timeout or the caller's signal cancelled it. @internal
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
