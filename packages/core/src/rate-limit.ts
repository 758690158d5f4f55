import type { RateLimitStore } from './types';

/**
 * An in-memory sliding-window limiter: each reservation gets the earliest time at which at most
 * `requests` reservations fall inside any `windowMs`. A burst therefore waits instead of collecting
 * 429s. One process only; share a store between clients to share a budget.
 *
 * It honours the reservation options: an aborted signal rejects without reserving; a slot at or past
 * the `deadline` is reported but not taken (the caller cannot use it); and a slot whose caller aborts
 * while waiting for it is given back, so it does not delay the requests behind it.
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, number[]>();
  return {
    async reserve(key, limit, options) {
      const signal = options?.signal;
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const now = Date.now();
      let times = windows.get(key);
      if (!times) {
        times = [];
        windows.set(key, times);
      }
      // Drop reservations that left the window.
      let expired = 0;
      while (expired < times.length && times[expired]! <= now - limit.windowMs) expired++;
      if (expired > 0) times.splice(0, expired);
      let at = now;
      if (times.length >= limit.requests) {
        at = Math.max(now, times[times.length - limit.requests]! + limit.windowMs);
      }
      const deadline = options?.deadline;
      if (deadline !== undefined && at >= deadline) return at - now; // unusable: not taken
      times.push(at);
      if (times.length === 1 && at === now) {
        // Keep the map small: forget idle keys once their window is over.
        scheduleCleanup(windows, key, limit.windowMs);
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
