import { delay } from '@mailtrap-kit/core';
import { createMemoryRateLimitStore, MailtrapClient } from '@mailtrap-kit/core';
import { type DryRunReport, dryRun } from './dry-run';
import { noPersistence, SendEngine } from './engine';
import { BulkInputError } from './errors';
import { Journal, journalPort } from './journal';
import type { RecipientStatus, StopReason } from './outcomes';
import { loadMergeSupport, type PackedBatch, type PackedItem, packRecipients, prepareBase } from './packer';
import { type BulkProgress, ProgressTracker, type RecipientResult } from './progress';
import { type ReasonCount, ReasonTally } from './reasons';
import { ResultsFile } from './results-file';
import { planBatch } from './resume';
import {
  type BulkRunSettings,
  campaignHash,
  type ResolvedRunSettings,
  resolveRunSettings,
} from './run-settings';
import { RATE_LIMIT_MARGIN, Scheduler } from './scheduler';
import { createRunId } from './tag';
import type { BatchSendingClient, EmailLogsClient } from './wire';

export type { BulkProgress, RecipientResult } from './progress';
export type { BulkRunSettings } from './run-settings';

export interface BulkRunSummary {
  runId: string;
  /** Valid recipients (rows that can be sent); invalid rows are in `invalid`, duplicates in `duplicates`. */
  total: number;
  sent: number;
  /** Refused for good, invalid rows included. */
  failed: number;
  /** Of `failed`: rows refused before sending (their reasons, with line numbers, in `reasons`). */
  invalid: number;
  uncertain: number;
  /** Not accepted: given up on, stopped before they were sent, or proven unsent. A resume sends them. */
  unsent: number;
  /** Rows skipped because their address came earlier in the input (with `skipDuplicates`). */
  duplicates: number;
  /** Batch requests sent (attempts included). */
  requests: number;
  /** Why the run ended early: 'aborted' (the signal), 'fatal' (a refusal that would refuse everyone). */
  stopped?: 'aborted' | 'fatal';
  fatalError?: StopReason;
  /** Everything that did not end `sent`, grouped by state and reason, largest group first. */
  reasons: ReasonCount[];
  /** Email Logs could not be read: the uncertain recipients stay uncertain. */
  settlementError?: string;
  journal?: string;
  dryRun?: DryRunReport;
  durationMs: number;
}

export interface BulkRun {
  /** Resolves when the run ended (finished, stopped or fatal); rejects on bad input or settings. */
  readonly done: Promise<BulkRunSummary>;
  on(event: 'progress', listener: (progress: BulkProgress) => void): this;
  on(event: 'result', listener: (result: RecipientResult) => void): this;
  off(event: 'progress' | 'result', listener: (...args: any[]) => void): this;
  /** Progress snapshots as they change (coalesced: a slow reader skips to the newest); ends with the run. */
  progress(): AsyncIterableIterator<BulkProgress>;
  /** The latest progress. */
  snapshot(): BulkProgress;
}

/** Settle-and-resend rounds at the end of a run (each round may make new uncertain recipients). */
const SETTLE_ROUNDS = 5;

/** The client a run builds: the rate limit 2% wide, and no retries of its own (the engine has the budget). */
function buildClient(settings: BulkRunSettings, resolved: ResolvedRunSettings): MailtrapClient {
  const rateLimit = resolved.rateLimit;
  const given = settings.rateLimit || undefined;
  const options: ConstructorParameters<typeof MailtrapClient>[0] = {
    stream: resolved.stream,
    retry: false,
    // The scheduler spaces requests evenly, 1.5% wider than the limit. Under it, core's limiter is the
    // net: the same 1.5% wider window, in its own memory store without the store's fixed 250 ms margin
    // (a fixed margin costs 2.5% of Mailtrap's 10 s window and 25% of a scaled 1 s one). The server
    // counts a request when it arrives, a limiter when it leaves: the margin absorbs a request held up
    // by GC or a busy machine, so it does not draw a 429. A store given in `rateLimit.store` is used as
    // it is (shared with other processes, with its own margin).
    rateLimit: rateLimit
      ? {
          requests: rateLimit.requests,
          windowMs: Math.ceil(rateLimit.windowMs * (1 + RATE_LIMIT_MARGIN)),
          store: given?.store ?? createMemoryRateLimitStore({ safetyMarginMs: 0 }),
          ...(given?.key !== undefined ? { key: given.key } : {}),
        }
      : false,
  };
  if (settings.token !== undefined) options.token = settings.token;
  if (settings.accountId !== undefined) options.accountId = settings.accountId;
  if (settings.endpoints) options.endpoints = settings.endpoints;
  if (settings.timeoutMs !== undefined) options.timeoutMs = settings.timeoutMs;
  try {
    return new MailtrapClient(options);
  } catch (error) {
    throw new BulkInputError((error as Error).message, 'client', { cause: error });
  }
}

/**
 * Starts sending a campaign. Every recipient ends in exactly one state — `sent` with its message
 * id, `failed` with the reason, `uncertain`, or `unsent` (not accepted: a resume sends it) — reported
 * through `result` events, `onResult` and the results file. See the README for the reliability model.
 */
export function createBulkRun(settings: BulkRunSettings): BulkRun {
  const tracker = new ProgressTracker(settings?.progressIntervalMs ?? 250);
  tracker.runId = settings?.runId ?? '';
  tracker.total = settings?.total;
  // Known at once, so the first snapshot's ETA already honours the rate limit (checked in execute).
  if (settings?.rateLimit !== false)
    tracker.rateLimit = settings?.rateLimit
      ? { requests: settings.rateLimit.requests, windowMs: settings.rateLimit.windowMs }
      : { requests: 150, windowMs: 10_000 };
  if (typeof settings?.batchSize === 'number') tracker.batchSize = settings.batchSize;
  const done = (async (): Promise<BulkRunSummary> => {
    await Promise.resolve();
    try {
      return await execute(settings, tracker);
    } finally {
      tracker.close();
    }
  })();
  const run: BulkRun = {
    done,
    on(event: string, listener: (...args: any[]) => void) {
      tracker.emitter.on(event, listener);
      return run;
    },
    off(event, listener) {
      tracker.emitter.off(event, listener);
      return run;
    },
    snapshot: () => tracker.snapshot(),
    progress: () => tracker.iterate(done),
  } as BulkRun;
  return run;
}

async function execute(settings: BulkRunSettings, tracker: ProgressTracker): Promise<BulkRunSummary> {
  const startedAt = Date.now();
  // Everything that can be refused is refused before the first request.
  const resolved = resolveRunSettings(settings);
  tracker.batchSize = resolved.batchSize;
  tracker.rateLimit = resolved.rateLimit;
  await loadMergeSupport(settings.base);
  prepareBase(settings.base);
  const tally = new ReasonTally();
  const results = settings.results ? new ResultsFile(settings.results) : undefined;
  const report = (result: RecipientResult, invalid = false, resumed = false) => {
    if (result.status !== 'sent') tally.add(result.status, result.error);
    results?.add(result);
    settings.onResult?.(result);
    tracker.record(result, { invalid, resumed });
  };

  if (settings.dryRun) {
    tracker.runId = settings.runId ?? 'dry-run';
    try {
      const dry = await dryRun({
        recipients: settings.recipients,
        base: settings.base,
        runId: tracker.runId,
        batchSize: resolved.batchSize,
        skipDuplicates: settings.skipDuplicates === true,
        rateLimit: resolved.rateLimit,
        signal: settings.signal,
        tracker,
        tally,
        results,
        onResult: settings.onResult,
      });
      return {
        runId: tracker.runId,
        total: dry.valid,
        sent: 0,
        failed: tracker.failed,
        invalid: tracker.invalid,
        uncertain: 0,
        unsent: dry.valid,
        duplicates: dry.duplicates,
        requests: 0,
        reasons: tally.list(),
        durationMs: Date.now() - startedAt,
        dryRun: dry,
      };
    } finally {
      results?.close();
    }
  }

  let client = settings.client;
  let ownClient: MailtrapClient | undefined;
  let journal: Journal | undefined;
  try {
    if (!client) {
      ownClient = buildClient(settings, resolved);
      client = ownClient;
    }
    if (settings.journal) {
      const header: { runId: string; settings: string; input?: string; recipients?: number } = {
        runId: settings.runId ?? createRunId(),
        settings: campaignHash(
          settings.base,
          resolved.batchSize,
          resolved.stream,
          settings.skipDuplicates === true,
        ),
      };
      if (settings.inputHash) header.input = settings.inputHash;
      if (settings.total !== undefined) header.recipients = settings.total;
      journal = Journal.open(settings.journal, header, { resume: settings.resume === true });
      tracker.runId = journal.header.runId;
    } else tracker.runId = settings.runId ?? createRunId();
  } catch (error) {
    results?.close();
    await ownClient?.close();
    throw error;
  }
  try {
    return await send(settings, resolved, tracker, {
      client: client!,
      ownClient,
      journal,
      report,
      announces: () => results !== undefined || settings.onResult !== undefined || tracker.announcesResults,
      tally,
      startedAt,
    });
  } finally {
    results?.close();
    journal?.close();
    await ownClient?.close();
  }
}

interface SendContext {
  client: BatchSendingClient & Partial<EmailLogsClient>;
  ownClient: MailtrapClient | undefined;
  journal: Journal | undefined;
  report: (result: RecipientResult, invalid?: boolean, resumed?: boolean) => void;
  /** True when a result is wanted (results file, onResult, a `result` listener). */
  announces: () => boolean;
  tally: ReasonTally;
  startedAt: number;
}

async function send(
  settings: BulkRunSettings,
  resolved: ResolvedRunSettings,
  tracker: ProgressTracker,
  context: SendContext,
): Promise<BulkRunSummary> {
  const { client, journal } = context;
  const emailLogs = client.emailLogs ? (client as EmailLogsClient) : undefined;
  const settle = settings.settle ?? emailLogs !== undefined;
  const runStartedAt = journal ? new Date(journal.header.startedAt) : new Date(context.startedAt);

  let stopped: BulkRunSummary['stopped'];
  let fatalError: StopReason | undefined;
  let scheduler: Scheduler | undefined;
  const stopController = new AbortController();
  const stop = (reason: 'aborted' | 'fatal', error?: StopReason) => {
    stopped ??= reason;
    if (error) fatalError ??= error;
    stopController.abort();
    scheduler?.open();
  };
  const userSignal = settings.signal;
  const onAbort = () => stop('aborted');
  if (userSignal?.aborted) stop('aborted');
  userSignal?.addEventListener('abort', onAbort, { once: true });

  const emit = (
    item: PackedItem,
    status: RecipientStatus,
    detail?: string,
    invalid = false,
    resumed = false,
  ) => {
    // A sent recipient nobody asked to hear about is only counted: no result object per recipient.
    if (status === 'sent' && !context.announces()) {
      tracker.count(status, invalid, resumed);
      return;
    }
    const result: RecipientResult = { email: item.email, status, sequence: item.sequence };
    if (detail !== undefined) {
      if (status === 'sent') result.message_id = detail;
      else result.error = detail;
    }
    context.report(result, invalid, resumed);
  };

  // Only the client built here is paced by the scheduler: a client passed in brings its own limiter.
  scheduler = new Scheduler(
    resolved.concurrency,
    context.ownClient ? resolved.rateLimit : undefined,
    stopController.signal,
  );
  if (stopController.signal.aborted) scheduler.open();
  const engine = new SendEngine({
    client,
    emailLogs: settle ? emailLogs : undefined,
    runId: tracker.runId,
    port: journal ? journalPort(journal) : noPersistence,
    report: (item, status, detail) => emit(item, status, detail),
    maxAttempts: resolved.maxAttempts,
    retryDelayMs: resolved.retryDelayMs,
    resendUnsent: settings.resendUnsent === true,
    emailLogsRateLimit: settings.emailLogsRateLimit ?? { requests: 60, windowMs: 60_000 },
    sentAfter: new Date(runStartedAt.getTime() - 5 * 60_000),
    signal: stopController.signal,
    acquire: () => scheduler.acquire(),
    onStop: (reason) => stop('fatal', reason),
    onRequest: (items) => {
      tracker.inFlight += items;
      tracker.requests += 1;
      tracker.schedule();
    },
    onAnswer: (items) => {
      tracker.inFlight -= items;
      scheduler.open();
    },
  });

  const stoppedReason = () =>
    fatalError ? `not sent: the run stopped (${fatalError.message})` : 'not sent: the run stopped';
  const settleQueue: Array<{ batch: PackedBatch; item: PackedItem }> = [];
  let lastUncertainAt = 0;
  /** Items never sent because the run stopped first: reported `unsent` at the end. */
  const leftUnsent: Array<{ item: PackedItem; reason: string }> = [];
  // A batch kept for settlement keeps only its shared part, not every message of the batch.
  const lightBatches = new WeakMap<PackedBatch, PackedBatch>();
  const light = (batch: PackedBatch): PackedBatch => {
    let kept = lightBatches.get(batch);
    if (!kept) {
      kept = { ...batch, items: [] };
      lightBatches.set(batch, kept);
    }
    return kept;
  };

  const sendBatch = async (batch: PackedBatch, items: PackedItem[]): Promise<void> => {
    const outcome = await engine.send(batch, items);
    if (outcome.uncertain.length > 0) {
      lastUncertainAt = Date.now();
      for (const item of outcome.uncertain)
        if (settle) settleQueue.push({ batch: light(batch), item });
        else emit(item, 'uncertain', 'the request may or may not have been accepted');
    }
    if (outcome.stop) stop('fatal', outcome.stop);
    // The refused batch keeps the refusal as its reason; a batch the stop caught before it left, the stop.
    const reason =
      outcome.stop?.message ??
      (stopController.signal.aborted ? stoppedReason() : (outcome.reason ?? 'not sent'));
    if (stopController.signal.aborted) for (const item of outcome.unsent) leftUnsent.push({ item, reason });
    else for (const item of outcome.unsent) emit(item, 'unsent', reason);
  };

  let duplicates = 0;
  let rows = 0;
  let packingError: unknown;
  try {
    for await (const batch of packRecipients(settings.recipients, {
      base: settings.base,
      runId: tracker.runId,
      maxBatchRequests: resolved.batchSize,
      skipDuplicates: settings.skipDuplicates === true,
    })) {
      if (stopController.signal.aborted) break;
      rows += batch.count;
      tracker.read = rows;
      const plan = planBatch(batch, journal, { resendUnsent: settings.resendUnsent === true, settle });
      if (plan.mismatch) {
        stop('fatal', plan.mismatch);
        break;
      }
      duplicates += plan.duplicates;
      for (const known of plan.known)
        emit(known.item, known.status, known.detail, known.invalid, !known.invalid);
      for (const item of plan.settle) {
        tracker.resumed += 1;
        settleQueue.push({ batch, item });
      }
      if (plan.send.length === 0) continue;
      await scheduler.room();
      if (stopController.signal.aborted) {
        for (const item of plan.send) leftUnsent.push({ item, reason: stoppedReason() });
        break;
      }
      scheduler.launch(sendBatch(batch, plan.send));
    }
  } catch (error) {
    packingError = error;
    stop('aborted');
  }
  await scheduler.idle();
  const readToEnd = !stopController.signal.aborted && packingError === undefined;

  let settlementError: string | undefined;
  // Rounds: settle, re-send what Email Logs proves unsent (when allowed), settle what that made uncertain.
  for (let round = 0; round < SETTLE_ROUNDS && settleQueue.length > 0 && !stopped && emailLogs; round += 1) {
    tracker.phase = 'settling';
    tracker.schedule();
    const settleIn = lastUncertainAt + resolved.settleDelayMs - Date.now();
    if (settleIn > 0) await delay(settleIn, stopController.signal).catch(() => undefined);
    if (stopController.signal.aborted) break;
    const candidates = settleQueue.splice(0);
    let resend: Map<PackedBatch, PackedItem[]>;
    try {
      resend = await engine.settle(candidates);
    } catch (error) {
      settleQueue.push(...candidates);
      settlementError = `Email Logs could not be read: ${(error as Error).message}`;
      break;
    }
    tracker.phase = 'sending';
    for (const [batch, items] of resend) {
      await scheduler.room();
      if (stopController.signal.aborted) {
        for (const item of items) leftUnsent.push({ item, reason: stoppedReason() });
        continue;
      }
      scheduler.launch(sendBatch(batch, items));
    }
    await scheduler.idle();
  }
  // Whatever still waits for settlement stays uncertain (the journal keeps it for a later resume).
  for (const { item } of settleQueue.splice(0))
    emit(
      item,
      'uncertain',
      settlementError ?? (stopped ? 'the run stopped before Email Logs was checked' : 'unknown'),
    );
  for (const { item, reason } of leftUnsent) emit(item, 'unsent', reason);
  userSignal?.removeEventListener('abort', onAbort);
  if (packingError) throw packingError;

  const valid = tracker.finished;
  // Valid recipients the run never reached (stopped before reading them) are unsent too.
  const total = readToEnd ? valid : Math.max(valid, settings.total ?? valid);
  tracker.total = total;
  const notReached = total - valid;
  if (notReached > 0) context.tally.add('unsent', stoppedReason(), notReached);
  if (journal && readToEnd && tracker.unsent === 0 && tracker.uncertain === 0 && !stopped)
    journal.finish({ sent: tracker.sent, failed: tracker.failed, uncertain: 0, unsent: 0 });

  const summary: BulkRunSummary = {
    runId: tracker.runId,
    total,
    sent: tracker.sent,
    failed: tracker.failed,
    invalid: tracker.invalid,
    uncertain: tracker.uncertain,
    unsent: tracker.unsent + notReached,
    duplicates,
    requests: tracker.requests,
    reasons: context.tally.list(),
    durationMs: Date.now() - context.startedAt,
  };
  if (stopped) summary.stopped = stopped;
  if (fatalError) summary.fatalError = fatalError;
  if (settlementError) summary.settlementError = settlementError;
  if (journal) summary.journal = journal.path;
  return summary;
}
