import { MailtrapError } from '@mailtrap-kit/core';
import { expect } from 'vitest';

/** The `code` of core's error for each error status the specs list. */
export const errorCodes: Record<number, string> = {
  400: 'validation',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  422: 'validation',
  429: 'rate_limit',
  500: 'server',
};

/**
 * The error statuses the suite asks the spec server for: every one the spec lists for the
 * operation. The client must not retry (`retry: false`), or a retried 429/500 would succeed.
 */
export const checkedErrorStatuses = Object.keys(errorCodes).map(Number);

/** Awaits a call that must fail with core's typed error for `status`. */
export async function expectTypedError(call: () => Promise<unknown>, status: number): Promise<void> {
  const error = await expectFailure(call, status);
  expect(error?.code).toBe(errorCodes[status]);
}

/** Awaits a call that must fail with a `MailtrapError` of `status`; returns it. */
export async function expectFailure(
  call: () => Promise<unknown>,
  status: number,
): Promise<MailtrapError | undefined> {
  const outcome = await call().then(
    (value) => ({ failed: false as const, value }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  expect(outcome.failed, `expected a ${status} error, the call resolved`).toBe(true);
  if (!outcome.failed) return undefined;
  const { error } = outcome;
  expect(MailtrapError.isInstance(error), `expected a MailtrapError, got ${String(error)}`).toBe(true);
  expect((error as MailtrapError).status).toBe(status);
  return error as MailtrapError;
}
