import type { RateLimitStore } from './types';

/** Settings of {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreSettings {
  /**
   * Added to every window, in ms, to absorb the jitter between the moment a slot is reserved and the
   * moment the request reaches the server (a timer firing late, a busy event loop, the network).
   * Without it, a strict server that counts arrivals sees two requests of the same slot inside one
   * window now and then and answers 429. Default 250, the same margin as bulk-bullmq's Redis store.
   */
  safetyMarginMs?: number;
  /**
   * Spread requests evenly (at most one per `windowMs / requests`) instead of letting a burst of
   * `requests` go at once. Default false: a burst of single sends goes at once.
   */
  smooth?: boolean;
}

/**
 * An in-memory sliding-window limiter: each reservation gets the earliest time at which at most
 * `requests` reservations fall inside any `windowMs + safetyMarginMs`. A burst therefore waits
 * instead of collecting 429s. One process only; share a store between clients to share a budget.
 *
 * It honours the reservation options: an aborted signal rejects without reserving; a slot at or past
 * the `deadline` is reported but not taken (the caller cannot use it); and a slot whose caller aborts
 * while waiting for it is given back, so it does not delay the requests behind it.
 */
export function createMemoryRateLimitStore(settings: MemoryRateLimitStoreSettings = {}): RateLimitStore {
  const safetyMarginMs = settings.safetyMarginMs ?? 250;
  if (typeof safetyMarginMs !== 'number' || !Number.isFinite(safetyMarginMs) || safetyMarginMs < 0) {
    throw new RangeError(`safetyMarginMs must be a number >= 0, got ${String(settings.safetyMarginMs)}`);
  }
  const smooth = settings.smooth === true;
  const windows = new Map<string, number[]>();
  return {
    async reserve(key, limit, options) {
      const signal = options?.signal;
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const windowMs = limit.windowMs + safetyMarginMs;
      const now = Date.now();
      let times = windows.get(key);
      if (!times) {
        times = [];
        windows.set(key, times);
      }
      // Drop reservations that left the window.
      let expired = 0;
      while (expired < times.length && times[expired]! <= now - windowMs) expired++;
      if (expired > 0) times.splice(0, expired);
      let at = now;
      if (times.length >= limit.requests) {
        at = Math.max(now, times[times.length - limit.requests]! + windowMs);
      }
      if (smooth && times.length > 0) {
        at = Math.max(at, times[times.length - 1]! + limit.windowMs / limit.requests);
      }
      const deadline = options?.deadline;
      if (deadline !== undefined && at >= deadline) return at - now; // unusable: not taken
      times.push(at);
      if (times.length === 1 && at === now) {
        // Keep the map small: forget idle keys once their window is over.
        scheduleCleanup(windows, key, windowMs);
      }
      if (signal && at > now) releaseOnAbort(times, at, signal);
      return at - now;
    },
  };
}

/** Gives the slot at `at` back when `signal` aborts before that time. */
function releaseOnAbort(times: number[], at: number, signal: AbortSignal): void {
  const onAbort = () => {
    clearTimeout(timer);
    if (Date.now() >= at) return;
    const index = times.lastIndexOf(at);
    if (index !== -1) times.splice(index, 1);
  };
  const timer = setTimeout(() => signal.removeEventListener('abort', onAbort), at - Date.now());
  timer.unref?.();
  signal.addEventListener('abort', onAbort, { once: true });
}

function scheduleCleanup(windows: Map<string, number[]>, key: string, windowMs: number): void {
  const timer = setTimeout(() => {
    const times = windows.get(key);
    if (!times) return;
    const last = times[times.length - 1];
    if (last === undefined || last <= Date.now() - windowMs) windows.delete(key);
    else scheduleCleanup(windows, key, windowMs);
  }, windowMs + 50);
  timer.unref?.();
}
