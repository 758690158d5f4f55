import { MailtrapConfigurationError, type MailtrapError } from './errors';
import { positiveNumber } from './options';
import type { RetryOptions } from './types';

/** The retry policy with every default filled in. @internal */
export interface ResolvedRetry {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  retryAmbiguous: boolean;
}

/** Checks `retry` options; undefined when retries are off. @internal */
export function resolveRetry(option: RetryOptions | false | undefined): ResolvedRetry | undefined {
  if (option === false) return undefined;
  const retry = option ?? {};
  const retries = positiveNumber(retry.retries, 'retry.retries', 3, true);
  if (!Number.isInteger(retries))
    throw new MailtrapConfigurationError('Invalid `retry.retries`: expected an integer');
  return {
    retries,
    minDelayMs: positiveNumber(retry.minDelayMs, 'retry.minDelayMs', 500, true),
    maxDelayMs: positiveNumber(retry.maxDelayMs, 'retry.maxDelayMs', 30_000, true),
    maxRetryAfterMs: positiveNumber(retry.maxRetryAfterMs, 'retry.maxRetryAfterMs', 60_000, true),
    retryAmbiguous: retry.retryAmbiguous === true,
  };
}

/**
 * How long to wait before attempt `index + 1` after `error`, or undefined to stop: only failures
 * that provably were not accepted are retried (`retryable`), plus the ambiguous ones (5xx, timeout,
 * reset) when `retryAmbiguous` is set; never an abort or a configuration error; never past the
 * deadline. The wait honours Retry-After (capped), else exponential back-off with full jitter. @internal
 */
export function retryDelay(
  retry: ResolvedRetry | undefined,
  error: MailtrapError,
  index: number,
  deadline: number,
  replayable: boolean,
): number | undefined {
  if (!retry || index >= retry.retries || !replayable) return undefined;
  const retryable =
    error.retryable ||
    (retry.retryAmbiguous &&
      error.maybeSent === true &&
      (error.code === 'server' || error.code === 'timeout' || error.code === 'network'));
  if (!retryable || error.code === 'aborted' || error.code === 'configuration') return undefined;
  const now = Date.now();
  if (error.code === 'timeout' && now >= deadline) return undefined;
  const wait =
    error.retryAfterMs !== undefined
      ? Math.min(error.retryAfterMs, retry.maxRetryAfterMs)
      : Math.random() * Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** index);
  return now + wait >= deadline ? undefined : wait;
}

/** Notes the number of attempts on the error that ends a call after retries. @internal */
export function afterAttempts(error: MailtrapError, attempts: number): MailtrapError {
  if (attempts > 1) error.message += ` (after ${attempts} attempts)`;
  return error;
}
