/**
 * The one seam between the client and the network: the attempt loop (retries, timeouts, rate
 * limits, error mapping) is shared, and a transport only sends one request and reads its answer.
 * Two implementations: undici's dispatcher on Node (`undici-transport.ts`) and the standard `fetch`
 * everywhere else (`fetch-transport.ts`).
 */

/** Which transport a client sends with. */
export type TransportName = 'undici' | 'fetch';

/** One request as the attempt loop hands it to a transport. @internal */
export interface TransportRequest {
  origin: string;
  /** Path and query, with the target's prefix. */
  path: string;
  method: string;
  headers: Record<string, string>;
  /** A JSON string or its UTF-8 bytes, or a streamed body made fresh for this attempt. */
  body: string | Uint8Array | AsyncIterable<Uint8Array | string> | undefined;
}

/** A complete answer: status, the Retry-After header and the body's bytes. @internal */
export interface RawResponse {
  statusCode: number;
  retryAfter: string | undefined;
  body: Uint8Array;
}

/** The header a transport reads from an answer. @internal */
export const retryAfterName = 'retry-after';

/** The answers whose error carries Retry-After (429 and 5xx, see `errorForStatus`). @internal */
export function readsRetryAfter(statusCode: number): boolean {
  return statusCode === 429 || statusCode >= 500;
}

/** Sends one request and reads the whole answer. @internal */
export interface Transport {
  readonly name: TransportName;
  /**
   * Resolves with the answer of any status; rejects with an {@link AttemptError} when there is
   * none (a network failure, `timeoutMs` elapsed, or `signal` aborted).
   */
  dispatch(
    request: TransportRequest,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse>;
  /** Releases what the transport owns (its connection pool); an injected dispatcher is left open. */
  close(): Promise<void>;
}

/** Why an attempt was cancelled by the client. @internal */
export type CancelReason = 'timeout' | 'aborted';

/** Why an attempt failed: cancelled by the client or not, started (written) or not, and the cause. @internal */
export class AttemptError extends Error {
  constructor(
    readonly cancelled: CancelReason | undefined,
    readonly started: boolean,
    override readonly cause: unknown,
  ) {
    super(cancelled ?? 'attempt failed');
  }
}
