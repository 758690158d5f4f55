/**
 * One sliding-window rate limit: `window` holds the times of the requests let through in the
 * last `windowMs`. Returns 0 and counts the request when a slot is free, else the ms until one
 * frees (at least 1).
 */
export function takeSlot(window: number[], requests: number, windowMs: number, now: number): number {
  let expired = 0;
  while (expired < window.length && window[expired]! <= now - windowMs) expired++;
  if (expired > 0) window.splice(0, expired);
  if (window.length >= requests) return Math.max(1, window[0]! + windowMs - now);
  window.push(now);
  return 0;
}
