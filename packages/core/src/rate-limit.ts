import type { RateLimitStore } from './types';

/**
 * An in-memory sliding-window limiter: each reservation gets the earliest time at which at most
 * `requests` reservations fall inside any `windowMs`. A burst therefore waits instead of collecting
 * 429s. One process only; share a store between clients to share a budget.
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, number[]>();
  return {
    async reserve(key, limit) {
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
      times.push(at);
      if (times.length === 1 && at === now) {
        // Keep the map small: forget idle keys once their window is over.
        scheduleCleanup(windows, key, limit.windowMs);
      }
      return at - now;
    },
  };
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
