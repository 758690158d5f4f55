import { utf8Encode } from './bytes';
import {
  AttemptError,
  type CancelReason,
  type RawResponse,
  readsRetryAfter,
  retryAfterName,
  type Transport,
  type TransportRequest,
} from './transport';

type FetchFunction = (input: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>;

/**
 * The transport of every runtime with the standard `fetch` (Bun, Deno, Cloudflare Workers, Node):
 * one `fetch` per attempt, cancelled through one AbortController by the attempt's timeout or the
 * caller's signal, the answer read to the end. Redirects are not followed (as with undici): a 3xx
 * is an answer like any other, and the token never travels to another host.
 *
 * fetch does not tell whether the request began to leave, so a failure is taken as "maybe sent",
 * except where its cause says the connection was never made (see `failure.ts`). @internal
 */
export function createFetchTransport(fetchFunction: FetchFunction = globalThis.fetch): Transport {
  return {
    name: 'fetch',
    dispatch: (request, timeoutMs, signal) => fetchRequest(fetchFunction, request, timeoutMs, signal),
    close: async () => undefined,
  };
}

async function fetchRequest(
  fetchFunction: FetchFunction,
  request: TransportRequest,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  if (signal?.aborted) throw new AttemptError('aborted', false, signal.reason);
  const controller = new AbortController();
  let cancelled: CancelReason | undefined;
  const onAbort = () => {
    cancelled ??= 'aborted';
    controller.abort(signal!.reason);
  };
  const timer = setTimeout(() => {
    cancelled ??= 'timeout';
    controller.abort(new Error('attempt timed out'));
  }, timeoutMs);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
      redirect: 'manual',
    };
    const body = request.body;
    if (typeof body === 'string' || body instanceof Uint8Array)
      init.body = body as string | Uint8Array<ArrayBuffer>;
    else if (body !== undefined) {
      init.body = toReadableStream(body);
      init.duplex = 'half';
    }
    const response = await fetchFunction(request.origin + request.path, init);
    const statusCode = response.status;
    const retryAfter = readsRetryAfter(statusCode)
      ? (response.headers.get(retryAfterName) ?? undefined)
      : undefined;
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { statusCode, retryAfter, body: bytes };
  } catch (error) {
    throw new AttemptError(cancelled, true, error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A pull stream over the body's chunks: read only as fast as fetch sends it (backpressure). */
function toReadableStream(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(typeof next.value === 'string' ? utf8Encode(next.value) : next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
