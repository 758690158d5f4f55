import { BulkInputError } from './errors';
import {
  type BulkBase,
  loadMergeSupport,
  packRecipients,
  prepareBase,
  type Recipient,
  type RecipientInput,
} from './packer';
import type { ProgressTracker } from './progress';
import type { ReasonTally } from './reasons';
import type { ResultsFile } from './results-file';

/** One variable the content uses, and how many recipients have no value for it. */
export interface VariableUse {
  name: string;
  /** Recipients (valid rows) without it, or with an empty value. */
  missing: number;
}

/** What a dry run found: nothing was sent. */
export interface DryRunReport {
  requests: number;
  bytes: number;
  expectedDurationMs: number;
  /** Recipients that would be sent. */
  valid: number;
  /** Rows refused before sending (their reasons are in the summary's `reasons`). */
  invalid: number;
  /** Rows skipped because their address came earlier. */
  duplicates: number;
  /**
   * The variables the content (`subject`/`text`/`html`) uses and how many recipients lack each.
   * Undefined for a template campaign: its content is on Mailtrap's side.
   */
  variables: VariableUse[] | undefined;
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Packs every recipient as a send would (same checks, same rendering), counts requests, bytes and
 * the duration under the rate limit, and which variables the content uses that recipients lack.
 */
export async function dryRun(options: {
  recipients: Iterable<RecipientInput> | AsyncIterable<RecipientInput>;
  base: BulkBase;
  runId: string;
  batchSize: number;
  skipDuplicates: boolean;
  rateLimit: { requests: number; windowMs: number } | undefined;
  signal: AbortSignal | undefined;
  tracker: ProgressTracker;
  tally: ReasonTally;
  results: ResultsFile | undefined;
  onResult: ((result: import('./progress').RecipientResult) => void) | undefined;
}): Promise<DryRunReport> {
  await loadMergeSupport(options.base);
  const prepared = prepareBase(options.base);
  const used = prepared.variables ?? [];
  const missing = new Map<string, number>(used.map((name) => [name, 0]));
  let inspectedRows = 0;
  async function* inspected(): AsyncGenerator<RecipientInput> {
    for await (const input of options.recipients as AsyncIterable<RecipientInput>) {
      if (used.length > 0 && input && typeof input === 'object' && !('rejected' in input)) {
        const recipient = input as Recipient;
        inspectedRows += 1;
        for (const name of used) {
          const value =
            name === 'email'
              ? recipient.email
              : name === 'name'
                ? recipient.name
                : recipient.template_variables?.[name];
          if (!hasValue(value)) missing.set(name, missing.get(name)! + 1);
        }
      }
      yield input;
    }
  }
  const report: DryRunReport = {
    requests: 0,
    bytes: 0,
    expectedDurationMs: 0,
    valid: 0,
    invalid: 0,
    duplicates: 0,
    variables: prepared.variables === undefined ? undefined : [],
  };
  let total = 0;
  for await (const batch of packRecipients(inspected(), {
    base: options.base,
    runId: options.runId,
    maxBatchRequests: options.batchSize,
    skipDuplicates: options.skipDuplicates,
  })) {
    if (options.signal?.aborted) break;
    total += batch.count;
    options.tracker.read = total;
    let sendable = 0;
    let batchBytes = '{"base":,"requests":[]}'.length + prepared.baseBytes;
    for (const item of batch.items) {
      if (item.duplicate) {
        report.duplicates += 1;
        continue;
      }
      if (item.error !== undefined) {
        report.invalid += 1;
        const result = {
          email: item.email,
          status: 'failed' as const,
          error: item.error,
          sequence: item.sequence,
        };
        options.tally.add('failed', item.error);
        options.results?.add(result);
        options.onResult?.(result);
        options.tracker.record(result, { invalid: true });
        continue;
      }
      batchBytes += item.bytes + (sendable > 0 ? 1 : 0);
      sendable += 1;
    }
    report.valid += sendable;
    if (sendable > 0) {
      report.requests += 1;
      report.bytes += batchBytes;
    }
  }
  // A variable no valid row has would print empty for every recipient: the content is wrong.
  if (report.variables) {
    // rows with an invalid address are inspected too: the count is capped at the valid recipients
    for (const name of used)
      report.variables.push({ name, missing: Math.min(missing.get(name)!, report.valid) });
    if (inspectedRows > 0) {
      const absent = used.filter((name) => missing.get(name)! >= inspectedRows);
      if (absent.length > 0)
        throw new BulkInputError(
          `the content uses ${absent.map((name) => `{{${name}}}`).join(', ')} but no recipient has ${absent.length === 1 ? 'it' : 'them'}: add the column${absent.length === 1 ? '' : 's'} to the recipients or fix the content`,
          'base',
        );
    }
  }
  options.tracker.total = report.valid;
  report.expectedDurationMs = options.rateLimit
    ? Math.round((report.requests / options.rateLimit.requests) * options.rateLimit.windowMs)
    : 0;
  return report;
}
