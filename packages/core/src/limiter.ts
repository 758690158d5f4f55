import { abortError, delay } from './delay';
import { MailtrapConfigurationError, MailtrapError, MailtrapTimeoutError } from './errors';
import { createMemoryRateLimitStore } from './rate-limit';
import type { AccountLimitName, AccountRateLimitsOptions, RateLimitStore } from './types';

/** One budget: its limit, the store that keeps it and the key it is kept under. @internal */
export interface ResolvedRateLimit {
  limit: { requests: number; windowMs: number };
  store: RateLimitStore;
  key: string;
}

/** The per-account pools, by name. @internal */
export type ResolvedAccountLimits = Partial<Record<AccountLimitName, ResolvedRateLimit>>;

/**
 * The per-account limits Mailtrap documents on top of the 150 requests / 10 s per token. Every
 * operation that draws on one of these pools names it (`accountLimit` in its definition).
 */
export const ACCOUNT_RATE_LIMITS: Readonly<Record<AccountLimitName, { requests: number; windowMs: number }>> =
  Object.freeze({
    emailLogsList: Object.freeze({ requests: 60, windowMs: 60_000 }),
    stats: Object.freeze({ requests: 10, windowMs: 60_000 }),
    suppressions: Object.freeze({ requests: 10, windowMs: 60_000 }),
    contacts: Object.freeze({ requests: 200, windowMs: 60_000 }),
  });

/** Checks `accountRateLimits`; the pools share the client's store (or a memory one). @internal */
export function resolveAccountLimits(
  option: AccountRateLimitsOptions | false | undefined,
  clientStore: RateLimitStore | undefined,
  defaultKey: string,
): ResolvedAccountLimits | undefined {
  if (option === false) return undefined;
  const settings = option ?? {};
  if (typeof settings !== 'object' || settings === null) {
    throw new MailtrapConfigurationError('Invalid `accountRateLimits`: expected an object or false');
  }
  if (settings.store !== undefined && typeof settings.store?.reserve !== 'function') {
    throw new MailtrapConfigurationError(
      'Invalid `accountRateLimits.store`: expected an object with reserve(key, limit)',
    );
  }
  const store = settings.store ?? clientStore ?? createMemoryRateLimitStore();
  const key = settings.key ?? defaultKey;
  const resolved: ResolvedAccountLimits = {};
  for (const name of Object.keys(settings)) {
    if (name !== 'store' && name !== 'key' && !(name in ACCOUNT_RATE_LIMITS)) {
      throw new MailtrapConfigurationError(
        `Unknown \`accountRateLimits.${name}\`; expected ${Object.keys(ACCOUNT_RATE_LIMITS).join(', ')}, store or key`,
      );
    }
  }
  for (const name of Object.keys(ACCOUNT_RATE_LIMITS) as AccountLimitName[]) {
    const value = settings[name];
    if (value === false) continue;
    const limit = { ...ACCOUNT_RATE_LIMITS[name], ...(value ?? {}) };
    if (!Number.isInteger(limit.requests) || limit.requests < 1 || !(limit.windowMs > 0)) {
      throw new MailtrapConfigurationError(
        `Invalid \`accountRateLimits.${name}\`: expected { requests: positive integer, windowMs: positive number } or false`,
      );
    }
    resolved[name] = { limit, store, key: `${key}:${name}` };
  }
  return resolved;
}

/** How early Node's timers may fire against `Date.now()`: their clock counts whole milliseconds apart. */
const TIMER_EARLY_MS = 1;

/**
 * Waits until every budget in `limits` has a slot (the per-account pool first, then the token's),
 * honouring the caller's signal and the call's deadline: nothing is sent when a slot cannot come in
 * time. @internal
 */
export async function waitForSlots(
  limits: readonly ResolvedRateLimit[],
  signal: AbortSignal | undefined,
  deadline: number,
  totalTimeoutMs: number,
): Promise<void> {
  for (const rateLimit of limits) {
    let wait: number;
    try {
      wait = await rateLimit.store.reserve(rateLimit.key, rateLimit.limit, { signal, deadline });
    } catch (error) {
      // A store that waits inside reserve stops at the caller's abort or deadline (a timer set for
      // the deadline may fire up to 1 ms before Date.now() reaches it).
      if (signal?.aborted) throw abortError(signal, false, error);
      if (Date.now() + TIMER_EARLY_MS >= deadline) {
        throw new MailtrapTimeoutError(
          `totalTimeoutMs (${totalTimeoutMs} ms) elapsed while waiting for the rate limiter; nothing was sent`,
          { maybeSent: false, cause: error },
        );
      }
      throw new MailtrapError(
        `The rate limit store failed to reserve a slot: ${(error as Error)?.message ?? String(error)}; nothing was sent`,
        { code: 'configuration', maybeSent: false, cause: error },
      );
    }
    if (typeof wait !== 'number' || Number.isNaN(wait)) {
      throw new MailtrapConfigurationError(
        'The rate limit store resolved a non-number; expected milliseconds to wait',
      );
    }
    if (wait <= 0) continue;
    if (Date.now() + wait >= deadline) {
      throw new MailtrapTimeoutError(
        `Waiting ${Math.ceil(wait)} ms for the rate limiter (${rateLimit.limit.requests} requests per ${rateLimit.limit.windowMs} ms) would exceed totalTimeoutMs (${totalTimeoutMs} ms); nothing was sent`,
        { retryable: true, maybeSent: false },
      );
    }
    await delay(wait, signal);
  }
}
