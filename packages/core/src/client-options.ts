import type { MailtrapClientOptions } from './types';

/**
 * Every key of {@link MailtrapClientOptions}, for adapters that take the client's options beside
 * their own (a transport's settings, a worker's `client` option) and must pass them on without
 * dropping one. A compile-time check below fails the build when the interface gains a key this list
 * lacks, or the list names a key the interface does not have.
 */
export const CLIENT_OPTION_KEYS = Object.freeze([
  'token',
  'stream',
  'sandboxId',
  'accountId',
  'bulk',
  'sandbox',
  'testInboxId',
  'endpoints',
  'transport',
  'dispatcher',
  'timeoutMs',
  'totalTimeoutMs',
  'retry',
  'rateLimit',
  'accountRateLimits',
  'userAgent',
  'maxMessageBytes',
  'allowInsecureHttp',
] as const satisfies readonly (keyof MailtrapClientOptions)[]);

/** A key of {@link MailtrapClientOptions}. */
export type MailtrapClientOptionKey = (typeof CLIENT_OPTION_KEYS)[number];

type MissingKey = Exclude<keyof MailtrapClientOptions, MailtrapClientOptionKey>;
// Fails to compile (naming the key) when MailtrapClientOptions has a key the list lacks.
const everyKeyListed: [MissingKey] extends [never] ? true : MissingKey = true;
void everyKeyListed;
