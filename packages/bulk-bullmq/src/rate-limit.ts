import { randomUUID } from 'node:crypto';
import { BulkInputError } from '@mailtrap-kit/bulk-batcher';
import type { RateLimitReserveOptions, RateLimitStore } from '@mailtrap-kit/core';
import { LuaScript, type RedisConnection } from './scripts';

export type { RateLimitStore };

/** Settings of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreSettings {
  /** Prefix of the Redis keys (one sorted set per rate-limit key). Default `'mailtrap-kit:rate-limit'`. */
  prefix?: string;
  /**
   * Added to every window, in ms, to absorb the jitter between reserving a slot and the request reaching
   * the server (timers firing late, a busy event loop, network). Default 250.
   */
  safetyMarginMs?: number;
  /**
   * Spread requests evenly over the window (at most one per `windowMs / requests`) instead of letting a
   * burst of `requests` go at once. Default true: a server never has to queue a burst, so requests
   * arrive as evenly as they leave. Set false for short bursts of single sends.
   */
  smooth?: boolean;
}

// Sliding-window log of the moments requests were let through, one sorted set per key. A slot is
// taken only when, at that moment on the Redis server's clock, fewer than `limit` entries lie in the
// last `window` ms (and, when smoothing, at least `spacing` ms passed since the last one); otherwise
// the script answers how long to wait and takes nothing. Because entries are written at the moment
// the request goes (not at a moment reserved in the future), a worker that is descheduled or whose
// timer fires late cannot bunch up with the next ones: for any `limit` consecutive entries the first
// and the last are at least one window apart, so any window holds at most `limit` requests, whichever
// process on whichever machine sent them. Smoothing spreads them evenly, so the server never sees a
// burst that it would queue (and stamp late) on its side.
const acquireScript = new LuaScript(`
if redis.replicate_commands then pcall(redis.replicate_commands) end
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local spacing = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local wait = 0
if count >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  wait = tonumber(oldest[2]) + window - now
end
if spacing > 0 and count > 0 then
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  local paced = tonumber(newest[2]) + spacing - now
  if paced > wait then wait = paced end
end
if wait <= 0 then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window + 1000)
  return {0, now}
end
return {wait, now}
`);

/** How much earlier than the answered wait a waiter for the next even slot asks again. */
const earlyMs = 3;

/** Waits `ms`; rejects with the signal's reason as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits until a request may go under `requests` per `windowMs` for `key`, takes the slot and returns
 * when it was taken (Redis server clock, ms). Internal: the store's `reserve` is the public face.
 */
export async function acquireRedisSlot(
  redis: RedisConnection,
  key: string,
  requests: number,
  windowMs: number,
  smooth = false,
): Promise<{ takenAt: number; waitedMs: number }> {
  return (await waitForRedisSlot(redis, key, requests, windowMs, smooth, {})) as {
    takenAt: number;
    waitedMs: number;
  };
}

/**
 * The loop of {@link acquireRedisSlot}, honouring the caller's reservation options: an aborted signal
 * rejects (with its reason) before a slot is taken, also while waiting; a slot that cannot come before
 * the `deadline` is not taken, and the wait it would need is returned instead.
 */
async function waitForRedisSlot(
  redis: RedisConnection,
  key: string,
  requests: number,
  windowMs: number,
  smooth: boolean,
  options: RateLimitReserveOptions,
): Promise<{ takenAt: number; waitedMs: number } | { unusableWaitMs: number }> {
  const { signal, deadline } = options;
  const member = randomUUID();
  const started = Date.now();
  const spacing = smooth ? Math.floor(windowMs / requests) : 0;
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    const [wait, now] = (await acquireScript.run(redis, [key], [requests, windowMs, member, spacing])) as [
      number,
      number,
    ];
    if (Number(wait) === 0) return { takenAt: Number(now), waitedMs: Date.now() - started };
    if (deadline !== undefined && Date.now() + Number(wait) >= deadline) {
      return { unusableWaitMs: Number(wait) };
    }
    // A wait of about one spacing is the next slot of an even cadence: ask a little early (the script
    // answers the few ms left), so a timer that fires late does not stretch every spacing. Longer waits
    // (a full window) are spread a little, so waiters woken by the same leaving entry do not all ask
    // at once. The script alone decides when a slot is taken, on the Redis clock: asking early can
    // never let a request through early.
    const waitMs = Number(wait);
    await sleep(
      spacing > 0 && waitMs <= spacing
        ? Math.max(1, waitMs - earlyMs)
        : waitMs + Math.floor(Math.random() * Math.min(50, Math.max(1, waitMs / 10))),
      signal,
    );
  }
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new BulkInputError(`${name} must be a positive integer, got ${String(value)}`, name);
  }
  return value;
}

/**
 * A {@link RateLimitStore} on Redis shared by every process that uses the same Redis and key: an
 * atomic Lua script (a sliding-window log on the server's clock) lets each request through, so workers
 * on many machines together never exceed `requests` per `windowMs` (+ `safetyMarginMs`) for a token.
 * `reserve` resolves (with 0) once the request may go; it waits inside, polling Redis only when a slot
 * frees.
 */
export function createRedisRateLimitStore(
  redis: RedisConnection,
  settings: RedisRateLimitStoreSettings = {},
): RateLimitStore {
  const prefix = settings.prefix ?? 'mailtrap-kit:rate-limit';
  const safetyMarginMs = settings.safetyMarginMs ?? 250;
  const smooth = settings.smooth ?? true;
  if (!Number.isFinite(safetyMarginMs) || safetyMarginMs < 0) {
    throw new BulkInputError(
      `safetyMarginMs must be a number >= 0, got ${String(settings.safetyMarginMs)}`,
      'safetyMarginMs',
    );
  }
  return {
    async reserve(key, limit, options) {
      const requests = positiveInteger(limit.requests, 'rateLimit.requests');
      const windowMs = positiveInteger(limit.windowMs, 'rateLimit.windowMs');
      // The wait happens here, so the slot is taken at the moment the request goes: resolve with 0.
      // A caller's abort rejects; a slot past the caller's deadline is not taken, and its wait is
      // returned so the client gives up with a timeout, nothing sent.
      const result = await waitForRedisSlot(
        redis,
        `${prefix}:{${key}}`,
        requests,
        Math.ceil(windowMs + safetyMarginMs),
        smooth,
        options ?? {},
      );
      return 'unusableWaitMs' in result ? Math.max(1, result.unusableWaitMs) : 0;
    },
  };
}
