/**
 * Mailtrap's per-account request limits, on top of the 150 requests / 10 s per token: Email Logs
 * list 60 per minute, Email Logs get 1000 per minute, stats 10, suppressions 10 and contacts 200
 * per minute. They apply while the emulator's rate limit is on (unless `accountLimits: false`),
 * with sliding windows like the per-token limit; one emulator is one account, so one window each.
 */
import { takeSlot } from './sliding-window';
import type { AccountLimitPool, RateLimitSettings } from './types';

export interface PoolLimit {
  requests: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** The limits as Mailtrap states them. */
export const ACCOUNT_LIMITS: Readonly<Record<AccountLimitPool, PoolLimit>> = Object.freeze({
  email_logs_list: { requests: 60, windowMs: MINUTE },
  email_logs_get: { requests: 1000, windowMs: MINUTE },
  stats: { requests: 10, windowMs: MINUTE },
  suppressions: { requests: 10, windowMs: MINUTE },
  contacts: { requests: 200, windowMs: MINUTE },
});

/** The pool of an account API request (its path without the account prefix), if it has one. */
export function accountLimitPool(method: string, path: string): AccountLimitPool | undefined {
  if (/^\/api\/email_logs\/?$/.test(path)) return method === 'GET' ? 'email_logs_list' : undefined;
  if (/^\/api\/email_logs\/[^/]+\/?$/.test(path)) return method === 'GET' ? 'email_logs_get' : undefined;
  if (/^\/api\/stats(?:\/|$)/.test(path)) return 'stats';
  if (/^\/api\/suppressions(?:\/|$)/.test(path)) return 'suppressions';
  if (/^\/api\/contacts(?:\/|$)/.test(path)) return 'contacts';
  return undefined;
}

/** The limit of a pool under the current rate-limit settings; undefined when it is off. */
export function poolLimit(
  settings: RateLimitSettings | false,
  pool: AccountLimitPool,
): PoolLimit | undefined {
  if (settings === false || settings.accountLimits === false) return undefined;
  const override = typeof settings.accountLimits === 'object' ? settings.accountLimits[pool] : undefined;
  return override ?? ACCOUNT_LIMITS[pool];
}

export function checkAccountLimits(value: RateLimitSettings['accountLimits']): void {
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('rateLimit.accountLimits: expected true, false or { pool: { requests, windowMs } }');
  }
  for (const [pool, limit] of Object.entries(value)) {
    if (!(pool in ACCOUNT_LIMITS)) {
      throw new TypeError(
        `rateLimit.accountLimits: unknown pool '${pool}' (one of ${Object.keys(ACCOUNT_LIMITS).join(', ')})`,
      );
    }
    if (!(Number.isInteger(limit?.requests) && limit!.requests > 0 && limit!.windowMs > 0)) {
      throw new TypeError(
        `rateLimit.accountLimits.${pool}: expected { requests: positive integer, windowMs > 0 }`,
      );
    }
  }
}

/** Sliding windows per pool. */
export class AccountLimiter {
  private readonly windows = new Map<AccountLimitPool, number[]>();
  private settings: RateLimitSettings | false = false;

  /** 0 when the request may pass (and is counted), else the ms until a slot of its pool frees. */
  wait(settings: RateLimitSettings | false, pool: AccountLimitPool, now: number): number {
    // a new rate limit (or none) starts with fresh windows, as the per-token limit does
    if (settings !== this.settings) {
      this.windows.clear();
      this.settings = settings;
    }
    const limit = poolLimit(settings, pool);
    if (!limit) return 0;
    let window = this.windows.get(pool);
    if (!window) {
      window = [];
      this.windows.set(pool, window);
    }
    return takeSlot(window, limit.requests, limit.windowMs, now);
  }

  reset(): void {
    this.windows.clear();
  }
}
