import { createHash } from 'node:crypto';
import type { MailtrapEndpoints } from '@mailtrap-kit/core';
import { BulkInputError } from './errors';
import type { BulkBase, RecipientInput } from './packer';
import type { RecipientResult } from './progress';
import { API_LIMITS, type BatchSendingClient, type EmailLogsClient, type RateLimitStore } from './wire';

export interface BulkRunSettings {
  recipients: Iterable<RecipientInput> | AsyncIterable<RecipientInput>;
  /** The shared message: `from` plus a template (`template_uuid`) or content (`subject` + `text`/`html`). */
  base: BulkBase;
  /** A client (core's MailtrapClient or the same two methods). Default: one built from the settings below. */
  client?: BatchSendingClient & Partial<EmailLogsClient>;
  /** Default `process.env.MAILTRAP_API_TOKEN` (only when no client is given). */
  token?: string;
  /**
   * Account id (only when no client is given): Email Logs settlement then reads
   * `/api/accounts/{accountId}/email_logs` instead of the token-scoped `/api/email_logs`.
   */
  accountId?: number | string;
  /** Default 'bulk'. */
  stream?: 'bulk' | 'transactional';
  /** Base URLs: `bulk` / `send` replace the stream's host (an emulator, a proxy), `general` the account API's. */
  endpoints?: Pick<MailtrapEndpoints, 'bulk' | 'send' | 'general'>;
  /** First backoff before re-sending recipients known unsent; doubles per attempt (full jitter, ≤ 30 s). Default 500 ms. */
  retryDelayMs?: number;
  /** Per request attempt (only when no client is given). Default 30,000 ms. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Default 150 requests / 10 s (Mailtrap's limit); `store` shares it with other processes; false = off. */
  rateLimit?: { requests: number; windowMs: number; store?: RateLimitStore; key?: string } | false;
  /** Requests per batch (≤ 500). Default 500. */
  batchSize?: number;
  /**
   * Attempts per recipient for failures known not to have sent anything (429, refused connection).
   * The only retry budget: the client the run builds does not retry on its own. Default 5.
   */
  maxAttempts?: number;
  /**
   * Skip a recipient whose address (any case) came earlier in the input, and count it in
   * `summary.duplicates`. Default false (the CLI turns it on unless `--allow-duplicates`): the check
   * keeps 8 bytes per address (about 18 MB per million recipients), which a list that is unique
   * already (a database query) does not need.
   */
  skipDuplicates?: boolean;
  /** Path of the append-only journal. Without one a crash loses track of in-flight batches. */
  journal?: string;
  /** Continue the run recorded in `journal`. */
  resume?: boolean;
  /** Hash of the input, stored in the journal and compared on resume (the CLI hashes the file). */
  inputHash?: string;
  /** Run id for the tags (default: random, or the journal's on resume). */
  runId?: string;
  /** Look uncertain recipients up in Email Logs at the end. Default true when the client has emailLogs. */
  settle?: boolean;
  /** Wait this long after the last uncertain request before asking Email Logs. Default 30,000 ms. */
  settleDelayMs?: number;
  /** Email Logs' rate limit (default 60 requests / minute); false = off (tests). */
  emailLogsRateLimit?: { requests: number; windowMs: number; store?: RateLimitStore } | false;
  /** Re-send recipients that Email Logs proves were never accepted. Default false (they end `unsent`). */
  resendUnsent?: boolean;
  /** Path of an NDJSON results file: one `{email, status, message_id?, error?}` line per recipient. */
  results?: string;
  /** Called once per recipient with its final state. */
  onResult?: (result: RecipientResult) => void;
  /** Stops cleanly: no new request starts, the ones in flight are awaited, the journal is flushed. */
  signal?: AbortSignal;
  /** Validate and pack every recipient, count requests, bytes and the expected duration; send nothing. */
  dryRun?: boolean;
  /**
   * The number of valid recipients, when known (the CLI reads the file first): the ETA before the
   * input was read to its end, and the count of recipients left unsent by a stopped run.
   */
  total?: number;
  /** Progress events at most this often. Default 250 ms. */
  progressIntervalMs?: number;
}

/** The settings checked, with their defaults: what the parts of a run work from. */
export interface ResolvedRunSettings {
  stream: 'bulk' | 'transactional';
  concurrency: number;
  batchSize: number;
  maxAttempts: number;
  rateLimit: { requests: number; windowMs: number } | undefined;
  retryDelayMs: number;
  settleDelayMs: number;
}

function positiveInteger(
  value: unknown,
  name: string,
  fallback: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maximum)
    throw new BulkInputError(
      `${name} must be an integer from 1 to ${maximum} (got ${JSON.stringify(value)})`,
      name,
    );
  return value;
}

function milliseconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new BulkInputError(`${name} must be a number of ms >= 0`, name);
  return value;
}

/** Checks every setting a run needs before anything is read or sent; throws `BulkInputError` naming it. */
export function resolveRunSettings(settings: BulkRunSettings): ResolvedRunSettings {
  if (!settings || typeof settings !== 'object')
    throw new BulkInputError('settings are required', 'settings');
  const recipients = settings.recipients as unknown as Record<symbol, unknown> | undefined;
  if (
    !recipients ||
    (typeof recipients[Symbol.asyncIterator] !== 'function' &&
      typeof recipients[Symbol.iterator] !== 'function')
  )
    throw new BulkInputError('recipients must be an iterable or async iterable', 'recipients');
  const stream = settings.stream ?? 'bulk';
  if (stream !== 'bulk' && stream !== 'transactional')
    throw new BulkInputError(
      `stream must be 'bulk' or 'transactional' (got ${JSON.stringify(stream)})`,
      'stream',
    );
  let rateLimit: ResolvedRunSettings['rateLimit'] = { requests: 150, windowMs: 10_000 };
  if (settings.rateLimit === false) rateLimit = undefined;
  else if (settings.rateLimit !== undefined) {
    positiveInteger(settings.rateLimit.requests, 'rateLimit.requests', 150);
    positiveInteger(settings.rateLimit.windowMs, 'rateLimit.windowMs', 10_000);
    rateLimit = { requests: settings.rateLimit.requests, windowMs: settings.rateLimit.windowMs };
  }
  if (settings.resume && !settings.journal)
    throw new BulkInputError('resume needs the journal path of the run to continue', 'journal');
  if (settings.accountId !== undefined) {
    const text = String(settings.accountId).trim();
    if (!/^[1-9]\d*$/.test(text))
      throw new BulkInputError(
        `accountId must be a positive integer (got ${JSON.stringify(settings.accountId)})`,
        'accountId',
      );
    if (settings.client)
      throw new BulkInputError(
        'accountId applies to the client the run builds: with your own client, give accountId to it',
        'accountId',
      );
  }
  return {
    stream,
    concurrency: positiveInteger(settings.concurrency, 'concurrency', 4, 64),
    batchSize: positiveInteger(
      settings.batchSize,
      'batchSize',
      API_LIMITS.maxBatchRequests,
      API_LIMITS.maxBatchRequests,
    ),
    maxAttempts: positiveInteger(settings.maxAttempts, 'maxAttempts', 5, 100),
    rateLimit,
    retryDelayMs: milliseconds(settings.retryDelayMs, 'retryDelayMs', 500),
    settleDelayMs: milliseconds(settings.settleDelayMs, 'settleDelayMs', 30_000),
  };
}

/**
 * The campaign's fingerprint: what decides packing and content (base message, batch size, stream).
 * The journal stores it, and the CLI names the default journal after it, so another campaign from the
 * same file gets its own journal.
 */
export function campaignHash(
  base: BulkBase,
  batchSize: number,
  stream: string,
  skipDuplicates = false,
): string {
  const replacer = (_key: string, value: unknown) =>
    value instanceof Uint8Array ? createHash('sha256').update(value).digest('hex') : value;
  return createHash('sha256')
    .update(
      JSON.stringify(
        skipDuplicates ? { base, batchSize, stream, skipDuplicates } : { base, batchSize, stream },
        replacer,
      ),
    )
    .digest('hex')
    .slice(0, 32);
}
