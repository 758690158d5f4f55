import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { MailtrapClient, type MailtrapEndpoints } from '@mailtrap-kit/core';
import { BulkInputError } from './errors';
import { Journal, type JournalItemState } from './journal';
import { type ItemOutcome, sendPackedBatch } from './outcomes';
import {
  type BulkBase,
  type PackedBatch,
  type PackedItem,
  packRecipients,
  prepareBase,
  type RecipientInput,
} from './packer';
import { settleUncertain } from './settle';
import { createRunId } from './tag';
import { API_LIMITS, type BatchSendingClient, type EmailLogsClient, type RateLimitStore } from './wire';

/** One line of the results: the final state of one recipient. */
export interface RecipientResult {
  email: string;
  status: 'sent' | 'failed' | 'uncertain';
  message_id?: string;
  error?: string;
  /** Position of the recipient in the input, from 0 (not written to the results file). */
  sequence: number;
}

export interface BulkProgress {
  runId: string;
  phase: 'sending' | 'settling' | 'done';
  /** Recipients in the input; undefined until the input was read to its end (or `total` was given). */
  total: number | undefined;
  /** Recipients read from the input so far. */
  read: number;
  sent: number;
  failed: number;
  uncertain: number;
  /** Recipients in requests that have not answered yet. */
  inFlight: number;
  /** Recipients whose state came from the journal of an earlier run. */
  resumed: number;
  /** Batch requests sent by this run (attempts, retries included). */
  requests: number;
  /** Recipients finished per second over the last ten seconds. */
  recipientsPerSecond: number;
  /** Expected ms to the end, never below what the rate limit allows; undefined while total is unknown. */
  etaMs: number | undefined;
  elapsedMs: number;
}

export interface BulkRunSummary {
  runId: string;
  total: number;
  sent: number;
  failed: number;
  uncertain: number;
  /** Recipients never finished (the run was stopped or hit a fatal error): resume to send them. */
  pending: number;
  requests: number;
  /** Why the run ended early: 'aborted' (the signal), 'fatal' (401/403: fix the token, then resume). */
  stopped?: 'aborted' | 'fatal';
  fatalError?: { code: string; message: string };
  /** Email Logs could not be read: the uncertain recipients stay uncertain. */
  settlementError?: string;
  journal?: string;
  dryRun?: { requests: number; bytes: number; expectedDurationMs: number; valid: number; invalid: number };
  durationMs: number;
}

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
  /** Attempts per recipient for failures known not to have sent anything (429, refused). Default 5. */
  maxAttempts?: number;
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
  /** Re-send recipients that Email Logs proves were never accepted. Default false (they stay uncertain). */
  resendUnsent?: boolean;
  /** Path of an NDJSON results file: one `{email, status, message_id?, error?}` line per recipient. */
  results?: string;
  /** Called once per recipient with its final state. */
  onResult?: (result: RecipientResult) => void;
  /** Stops cleanly: no new request starts, the ones in flight are awaited, the journal is flushed. */
  signal?: AbortSignal;
  /** Validate and pack every recipient, count requests, bytes and the expected duration; send nothing. */
  dryRun?: boolean;
  /** The number of recipients, when known, for the ETA before the input was read to its end. */
  total?: number;
  /** Progress events at most this often. Default 250 ms. */
  progressIntervalMs?: number;
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

/** Share of the rate-limit window kept free so arrival jitter does not trip the server's limit. */
const RATE_LIMIT_MARGIN = 0.02;

/** Batches packed ahead, waiting for a request slot: packing never starves the sender. */
const READY_BATCHES = 2;

interface SettleCandidate {
  batch: PackedBatch;
  item: PackedItem;
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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish() {
      signal?.removeEventListener('abort', finish);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}

function settingsHash(base: BulkBase, batchSize: number, stream: string): string {
  const replacer = (_key: string, value: unknown) =>
    value instanceof Uint8Array ? createHash('sha256').update(value).digest('hex') : value;
  return createHash('sha256')
    .update(JSON.stringify({ base, batchSize, stream }, replacer))
    .digest('hex')
    .slice(0, 32);
}

/** Buffers NDJSON result lines and writes them with writeSync. */
class ResultsFile {
  private readonly descriptor: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(path: string) {
    try {
      this.descriptor = openSync(path, 'w');
    } catch (error) {
      throw new BulkInputError(
        `cannot write the results file ${path}: ${(error as Error).message}`,
        'results',
      );
    }
  }
  add(result: RecipientResult): void {
    const line: Record<string, string> = { email: result.email, status: result.status };
    if (result.message_id !== undefined) line.message_id = result.message_id;
    if (result.error !== undefined) line.error = result.error;
    const text = `${JSON.stringify(line)}\n`;
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 65_536) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.descriptor, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.descriptor);
  }
}

/**
 * Starts sending a campaign. Every recipient ends in exactly one state — `sent` with its message
 * id, `failed` with the reason, or `uncertain` — reported through `result` events, `onResult` and
 * the results file. See the README for the reliability model.
 */
export function createBulkRun(settings: BulkRunSettings): BulkRun {
  const emitter = new EventEmitter();
  const startedAt = Date.now();
  const state = {
    runId: settings.runId ?? '',
    phase: 'sending' as BulkProgress['phase'],
    total: settings.total,
    read: 0,
    sent: 0,
    failed: 0,
    uncertain: 0,
    inFlight: 0,
    resumed: 0,
    requests: 0,
  };
  const finishedTimes: Array<[number, number]> = [];
  let finished = false;
  let progressTimer: NodeJS.Timeout | undefined;
  let batchSize: number = API_LIMITS.maxBatchRequests;
  let rateLimit: { requests: number; windowMs: number } | undefined = { requests: 150, windowMs: 10_000 };
  const waiters = new Set<() => void>();

  const snapshot = (): BulkProgress => {
    const now = Date.now();
    const done = state.sent + state.failed + state.uncertain;
    while (finishedTimes.length > 1 && finishedTimes[0]![0] < now - 10_000) finishedTimes.shift();
    let rate = 0;
    const first = finishedTimes[0];
    if (first && now - first[0] > 0) rate = ((done - first[1]) * 1000) / Math.max(now - first[0], 1000);
    let etaMs: number | undefined;
    if (state.total !== undefined) {
      const remaining = Math.max(0, state.total - done);
      const requestsLeft = Math.ceil(remaining / batchSize);
      const floor = rateLimit ? (requestsLeft * rateLimit.windowMs) / rateLimit.requests : 0;
      etaMs = remaining === 0 ? 0 : Math.max(floor, rate > 0 ? (remaining / rate) * 1000 : floor);
    }
    return {
      runId: state.runId,
      phase: state.phase,
      total: state.total,
      read: state.read,
      sent: state.sent,
      failed: state.failed,
      uncertain: state.uncertain,
      inFlight: state.inFlight,
      resumed: state.resumed,
      requests: state.requests,
      recipientsPerSecond: Math.round(rate * 10) / 10,
      etaMs: etaMs === undefined ? undefined : Math.round(etaMs),
      elapsedMs: now - startedAt,
    };
  };

  const emitProgress = () => {
    progressTimer = undefined;
    const progress = snapshot();
    emitter.emit('progress', progress);
    for (const wake of waiters) wake();
  };
  const intervalMs = settings.progressIntervalMs ?? 250;
  const scheduleProgress = () => {
    if (progressTimer || finished) return;
    progressTimer = setTimeout(emitProgress, intervalMs);
    progressTimer.unref?.();
  };

  const done = (async (): Promise<BulkRunSummary> => {
    await Promise.resolve();
    try {
      return await execute();
    } finally {
      finished = true;
      if (progressTimer) clearTimeout(progressTimer);
      state.phase = 'done';
      emitProgress();
    }
  })();

  async function execute(): Promise<BulkRunSummary> {
    // Everything that can be refused is refused before the first request.
    if (!settings || typeof settings !== 'object')
      throw new BulkInputError('settings are required', 'settings');
    if (
      !settings.recipients ||
      (typeof (settings.recipients as any)[Symbol.asyncIterator] !== 'function' &&
        typeof (settings.recipients as any)[Symbol.iterator] !== 'function')
    )
      throw new BulkInputError('recipients must be an iterable or async iterable', 'recipients');
    const stream = settings.stream ?? 'bulk';
    if (stream !== 'bulk' && stream !== 'transactional')
      throw new BulkInputError(
        `stream must be 'bulk' or 'transactional' (got ${JSON.stringify(stream)})`,
        'stream',
      );
    const concurrency = positiveInteger(settings.concurrency, 'concurrency', 4, 64);
    batchSize = positiveInteger(
      settings.batchSize,
      'batchSize',
      API_LIMITS.maxBatchRequests,
      API_LIMITS.maxBatchRequests,
    );
    const maxAttempts = positiveInteger(settings.maxAttempts, 'maxAttempts', 5, 100);
    if (settings.rateLimit === false) rateLimit = undefined;
    else if (settings.rateLimit !== undefined) {
      positiveInteger(settings.rateLimit.requests, 'rateLimit.requests', 150);
      positiveInteger(settings.rateLimit.windowMs, 'rateLimit.windowMs', 10_000);
      rateLimit = { requests: settings.rateLimit.requests, windowMs: settings.rateLimit.windowMs };
    }
    const retryDelayMs = settings.retryDelayMs ?? 500;
    if (typeof retryDelayMs !== 'number' || retryDelayMs < 0)
      throw new BulkInputError('retryDelayMs must be a number of ms >= 0', 'retryDelayMs');
    const settleDelayMs = settings.settleDelayMs ?? 30_000;
    if (typeof settleDelayMs !== 'number' || settleDelayMs < 0)
      throw new BulkInputError('settleDelayMs must be a number of ms >= 0', 'settleDelayMs');
    if (settings.resume && !settings.journal)
      throw new BulkInputError('resume needs the journal path of the run to continue', 'journal');
    if (settings.accountId !== undefined) {
      if (
        !/^[1-9]\d*$/.test(
          typeof settings.accountId === 'number'
            ? String(settings.accountId)
            : String(settings.accountId).trim(),
        )
      )
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
    const prepared = prepareBase(settings.base);

    if (settings.dryRun) return dryRun(prepared.baseBytes);

    let client = settings.client;
    let ownClient: MailtrapClient | undefined;
    if (!client) {
      const options: ConstructorParameters<typeof MailtrapClient>[0] = {
        stream,
        retry: { retries: 3, retryAmbiguous: false },
        // The server counts a request when it arrives, the limiter when it leaves: a request held up a
        // few ms (GC, a busy machine, the network) would make the one a window later arrive early and
        // get a 429 that costs a slot and a Retry-After second. A 2% wider window absorbs that jitter.
        rateLimit: rateLimit
          ? {
              requests: rateLimit.requests,
              windowMs: Math.ceil(rateLimit.windowMs * (1 + RATE_LIMIT_MARGIN)),
              ...(settings.rateLimit ? { store: settings.rateLimit.store, key: settings.rateLimit.key } : {}),
            }
          : false,
      };
      if (settings.token !== undefined) options.token = settings.token;
      if (settings.accountId !== undefined) options.accountId = settings.accountId;
      if (settings.endpoints) options.endpoints = settings.endpoints;
      if (settings.timeoutMs !== undefined) options.timeoutMs = settings.timeoutMs;
      try {
        ownClient = new MailtrapClient(options);
      } catch (error) {
        throw new BulkInputError((error as Error).message, 'client');
      }
      client = ownClient;
    }
    const emailLogsClient = client.emailLogs ? (client as EmailLogsClient) : undefined;
    const settle = settings.settle ?? emailLogsClient !== undefined;

    let journal: Journal | undefined;
    if (settings.journal) {
      const header: { runId: string; settings: string; input?: string } = {
        runId: settings.runId ?? createRunId(),
        settings: settingsHash(settings.base, batchSize, stream),
      };
      if (settings.inputHash) header.input = settings.inputHash;
      journal = Journal.open(settings.journal, header, { resume: settings.resume === true });
      state.runId = journal.header.runId;
    } else state.runId = settings.runId ?? createRunId();
    const runStartedAt = journal ? new Date(journal.header.startedAt) : new Date(startedAt);

    let results: ResultsFile | undefined;
    try {
      if (settings.results) results = new ResultsFile(settings.results);
    } catch (error) {
      journal?.close();
      throw error;
    }

    const userSignal = settings.signal;
    let stopped: BulkRunSummary['stopped'];
    let fatalError: BulkRunSummary['fatalError'];
    const stopController = new AbortController();
    const stop = (reason: 'aborted' | 'fatal') => {
      stopped ??= reason;
      stopController.abort();
    };
    const onAbort = () => stop('aborted');
    if (userSignal?.aborted) stop('aborted');
    userSignal?.addEventListener('abort', onAbort, { once: true });

    const settleQueue: SettleCandidate[] = [];
    let lastUncertainAt = 0;
    let total = 0;

    const emit = (
      item: PackedItem,
      status: RecipientResult['status'],
      detail?: string,
      fromJournal = false,
    ) => {
      const result: RecipientResult = { email: item.email, status, sequence: item.sequence };
      if (status === 'sent') {
        if (detail !== undefined) result.message_id = detail;
        state.sent += 1;
      } else {
        if (detail !== undefined) result.error = detail;
        if (status === 'failed') state.failed += 1;
        else state.uncertain += 1;
      }
      if (fromJournal) state.resumed += 1;
      const now = Date.now();
      const last = finishedTimes[finishedTimes.length - 1];
      const doneCount = state.sent + state.failed + state.uncertain;
      // one sample per 100 ms at most: the rate window stays small however fast results come
      if (last && now - last[0] < 100) last[1] = doneCount;
      else finishedTimes.push([now, doneCount]);
      if (finishedTimes.length > 200) finishedTimes.shift();
      results?.add(result);
      settings.onResult?.(result);
      emitter.emit('result', result);
      scheduleProgress();
    };

    // A batch kept for settlement keeps only its shared part, not every message of the batch.
    const lightBatches = new WeakMap<PackedBatch, PackedBatch>();
    const light = (batch: PackedBatch): PackedBatch => {
      if (batch.items.length === 0) return batch;
      let kept = lightBatches.get(batch);
      if (!kept) {
        kept = { ...batch, items: [] };
        lightBatches.set(batch, kept);
      }
      return kept;
    };
    const apply = (batch: PackedBatch, outcomes: ItemOutcome[], sent: PackedItem[]): PackedItem[] => {
      const retry: PackedItem[] = [];
      const byOffset = new Map(sent.map((item) => [item.offset, item]));
      for (const outcome of outcomes) {
        const item = byOffset.get(outcome.offset)!;
        if (outcome.status === 'sent') emit(item, 'sent', outcome.messageId);
        else if (outcome.status === 'failed') emit(item, 'failed', outcome.error);
        else if (outcome.status === 'uncertain') {
          lastUncertainAt = Date.now();
          if (settle) settleQueue.push({ batch: light(batch), item });
          else emit(item, 'uncertain', outcome.error);
        } else retry.push(item);
      }
      return retry;
    };

    const sendItems = async (batch: PackedBatch, items: PackedItem[]): Promise<void> => {
      let remaining = items;
      for (let attempt = 1; remaining.length > 0; attempt += 1) {
        if (stopController.signal.aborted) return;
        await acquire();
        await pace();
        if (stopController.signal.aborted) {
          release();
          return;
        }
        // on disk before the request leaves (a slot is held, so nothing waits between the two)
        journal?.start(
          batch.batch,
          batch.firstSequence,
          batch.count,
          batch.fingerprint,
          remaining.map((item) => item.offset),
        );
        state.inFlight += remaining.length;
        state.requests += 1;
        scheduleProgress();
        let result: Awaited<ReturnType<typeof sendPackedBatch>>;
        try {
          result = await sendPackedBatch(client, batch, { items: remaining });
        } finally {
          state.inFlight -= remaining.length;
          release();
        }
        journal?.end(batch.batch, result.outcomes);
        remaining = apply(batch, result.outcomes, remaining);
        results?.flush();
        if (result.fatal) {
          fatalError ??= result.fatal;
          stop('fatal');
          return;
        }
        if (remaining.length === 0) return;
        if (attempt >= maxAttempts) {
          const reason =
            result.outcomes.find((outcome) => outcome.status === 'retry')?.error ?? 'not accepted';
          const failures: ItemOutcome[] = remaining.map((item) => ({
            sequence: item.sequence,
            offset: item.offset,
            email: item.email,
            status: 'failed',
            error: `not sent after ${attempt} attempts: ${reason}`,
          }));
          journal?.end(batch.batch, failures);
          apply(batch, failures, remaining);
          return;
        }
        const backoff =
          result.retryAfterMs ?? Math.random() * Math.min(30_000, retryDelayMs * 2 ** (attempt - 1));
        await sleep(backoff, stopController.signal);
      }
    };

    // `concurrency` requests at once; batches waiting out a retry backoff hold no request slot, and at
    // most `concurrency + READY_BATCHES` batches are held in memory.
    let active = 0;
    const slotWaiters: Array<() => void> = [];
    const acquire = async () => {
      while (active >= concurrency) await new Promise<void>((resolve) => slotWaiters.push(resolve));
      active += 1;
    };
    const release = () => {
      active -= 1;
      slotWaiters.shift()?.();
    };
    // Requests leave evenly spaced (window / requests apart, with the margin) rather than in bursts:
    // a burst reaches the server at once, is timestamped as the server gets to each request, and the
    // burst a window later, sent on time, would find some of those timestamps still in the window.
    // Only for the client built here: a client passed in brings its own limiter.
    const spacingMs =
      ownClient && rateLimit ? (rateLimit.windowMs * (1 + RATE_LIMIT_MARGIN)) / rateLimit.requests : 0;
    let nextRequestAt = 0;
    const pace = async () => {
      if (spacingMs === 0) return;
      const now = Date.now();
      const at = Math.max(now, nextRequestAt);
      nextRequestAt = at + spacingMs;
      await sleep(at - now, stopController.signal);
    };
    const inFlight = new Set<Promise<void>>();
    const launch = (work: Promise<void>) => {
      const tracked = work.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    };

    const handleBatch = async (batch: PackedBatch) => {
      total += batch.count;
      state.read = total;
      const replayed = journal?.has(batch.batch) ? journal.replay(batch.batch) : undefined;
      if (replayed?.fingerprint !== undefined && replayed.fingerprint !== batch.fingerprint) {
        fatalError = {
          code: 'journal_mismatch',
          message: `batch ${batch.batch} (recipients ${batch.firstSequence}..${batch.firstSequence + batch.count - 1}) differs from the journal: the input changed since the run started`,
        };
        stop('fatal');
        return;
      }
      const toSend: PackedItem[] = [];
      for (const item of batch.items) {
        if (item.error !== undefined) {
          emit(item, 'failed', item.error);
          continue;
        }
        const known: JournalItemState | undefined = replayed?.items.get(item.offset);
        if (!known || known.state === 'p') toSend.push(item);
        else if (known.state === 's') emit(item, 'sent', known.messageId, true);
        else if (known.state === 'f') emit(item, 'failed', known.error, true);
        else if (known.state === 'n') {
          if (settings.resendUnsent) toSend.push(item);
          else
            emit(
              item,
              'uncertain',
              'Email Logs shows no message for this recipient; not re-sent (allow with resendUnsent)',
              true,
            );
        } else {
          state.resumed += 1;
          if (settle) settleQueue.push({ batch, item });
          else
            emit(
              item,
              'uncertain',
              known.state === 'u' ? known.error : 'in flight when the previous run stopped',
              true,
            );
        }
      }
      results?.flush();
      if (toSend.length === 0) return;
      while (inFlight.size >= concurrency + READY_BATCHES) await Promise.race(inFlight);
      if (stopController.signal.aborted) return;
      launch(sendItems(batch, toSend));
    };

    let packingError: unknown;
    try {
      for await (const batch of packRecipients(settings.recipients, {
        base: settings.base,
        runId: state.runId,
        maxBatchRequests: batchSize,
      })) {
        if (stopController.signal.aborted) break;
        await handleBatch(batch);
        if (stopController.signal.aborted) break;
      }
      if (!stopController.signal.aborted) state.total = total;
    } catch (error) {
      packingError = error;
      stop('aborted');
    }
    await Promise.all(inFlight);

    let settlementError: string | undefined;
    // Rounds: settle, re-send what Email Logs proves unsent (when allowed), settle what that made uncertain.
    for (let round = 0; round < 5 && settleQueue.length > 0 && !stopped && emailLogsClient; round += 1) {
      state.phase = 'settling';
      scheduleProgress();
      await sleep(lastUncertainAt + settleDelayMs - Date.now(), stopController.signal);
      if (stopController.signal.aborted) break;
      const candidates = settleQueue.splice(0);
      let settlements: Awaited<ReturnType<typeof settleUncertain>>;
      try {
        settlements = await settleUncertain(
          emailLogsClient,
          candidates.map(({ item }) => ({ sequence: item.sequence, email: item.email })),
          {
            runId: state.runId,
            sentAfter: new Date(runStartedAt.getTime() - 5 * 60_000),
            rateLimit: settings.emailLogsRateLimit ?? { requests: 60, windowMs: 60_000 },
            signal: stopController.signal,
          },
        );
      } catch (error) {
        settleQueue.push(...candidates);
        settlementError = `Email Logs could not be read: ${(error as Error).message}`;
        break;
      }
      const perBatch = new Map<
        PackedBatch,
        Array<{ offset: number; status: 'sent' | 'unsent'; messageId?: string }>
      >();
      settlements.forEach((settlement, index) => {
        const candidate = candidates[index]!;
        const entry: { offset: number; status: 'sent' | 'unsent'; messageId?: string } = {
          offset: candidate.item.offset,
          status: settlement.status,
        };
        if (settlement.messageId) entry.messageId = settlement.messageId;
        const list = perBatch.get(candidate.batch) ?? [];
        list.push(entry);
        perBatch.set(candidate.batch, list);
      });
      for (const [batch, entries] of perBatch) journal?.settle(batch.batch, entries);
      const resend = new Map<PackedBatch, PackedItem[]>();
      settlements.forEach((settlement, index) => {
        const candidate = candidates[index]!;
        if (settlement.status === 'sent') emit(candidate.item, 'sent', settlement.messageId);
        else if (settings.resendUnsent) {
          const list = resend.get(candidate.batch) ?? [];
          list.push(candidate.item);
          resend.set(candidate.batch, list);
        } else
          emit(
            candidate.item,
            'uncertain',
            'Email Logs shows no message for this recipient; not re-sent (allow with resendUnsent)',
          );
      });
      state.phase = 'sending';
      for (const [batch, items] of resend) {
        while (inFlight.size >= concurrency + READY_BATCHES) await Promise.race(inFlight);
        if (stopController.signal.aborted) break;
        launch(sendItems(batch, items));
      }
      await Promise.all(inFlight);
    }
    // Whatever is still waiting for settlement stays uncertain (journal keeps it for a later resume).
    for (const { item } of settleQueue.splice(0))
      emit(
        item,
        'uncertain',
        settlementError ?? (stopped ? 'the run stopped before Email Logs was checked' : 'unknown'),
      );

    userSignal?.removeEventListener('abort', onAbort);
    results?.close();
    journal?.close();
    await ownClient?.close();
    if (packingError) throw packingError;

    const summary: BulkRunSummary = {
      runId: state.runId,
      total,
      sent: state.sent,
      failed: state.failed,
      uncertain: state.uncertain,
      pending: Math.max(0, total - state.sent - state.failed - state.uncertain),
      requests: state.requests,
      durationMs: Date.now() - startedAt,
    };
    if (stopped) summary.stopped = stopped;
    if (fatalError) summary.fatalError = fatalError;
    if (settlementError) summary.settlementError = settlementError;
    if (journal) summary.journal = journal.path;
    return summary;
  }

  async function dryRun(baseBytes: number): Promise<BulkRunSummary> {
    state.runId = settings.runId ?? 'dry-run';
    let results: ResultsFile | undefined;
    if (settings.results) results = new ResultsFile(settings.results);
    let requests = 0;
    let bytes = 0;
    let valid = 0;
    let invalid = 0;
    let total = 0;
    for await (const batch of packRecipients(settings.recipients, {
      base: settings.base,
      runId: state.runId,
      maxBatchRequests: batchSize,
    })) {
      if (settings.signal?.aborted) break;
      total += batch.count;
      state.read = total;
      let sendable = 0;
      let batchBytes = '{"base":,"requests":[]}'.length + baseBytes;
      for (const item of batch.items) {
        if (item.error !== undefined) {
          invalid += 1;
          const result: RecipientResult = {
            email: item.email,
            status: 'failed',
            error: item.error,
            sequence: item.sequence,
          };
          results?.add(result);
          settings.onResult?.(result);
          emitter.emit('result', result);
          continue;
        }
        batchBytes += item.bytes + (sendable > 0 ? 1 : 0);
        sendable += 1;
      }
      valid += sendable;
      if (sendable > 0) {
        requests += 1;
        bytes += batchBytes;
      }
      scheduleProgress();
    }
    results?.close();
    state.total = total;
    const expectedDurationMs = rateLimit
      ? Math.round((requests / rateLimit.requests) * rateLimit.windowMs)
      : 0;
    return {
      runId: state.runId,
      total,
      sent: 0,
      failed: 0,
      uncertain: 0,
      pending: total,
      requests: 0,
      durationMs: Date.now() - startedAt,
      dryRun: { requests, bytes, expectedDurationMs, valid, invalid },
    };
  }

  const run: BulkRun = {
    done,
    on(event: string, listener: (...args: any[]) => void) {
      emitter.on(event, listener);
      return run;
    },
    off(event, listener) {
      emitter.off(event, listener);
      return run;
    },
    snapshot,
    progress() {
      let latest: BulkProgress | undefined;
      let ended = false;
      const listener = (progress: BulkProgress) => {
        latest = progress;
      };
      emitter.on('progress', listener);
      done.then(
        () => {
          ended = true;
        },
        () => {
          ended = true;
        },
      );
      const iterator: AsyncIterableIterator<BulkProgress> = {
        [Symbol.asyncIterator]() {
          return iterator;
        },
        async next() {
          while (!latest) {
            if (ended) {
              emitter.off('progress', listener);
              return { done: true, value: undefined };
            }
            await new Promise<void>((resolve) => {
              const wake = () => {
                waiters.delete(wake);
                resolve();
              };
              waiters.add(wake);
              done.then(wake, wake);
            });
          }
          const value = latest;
          latest = undefined;
          return { done: false, value };
        },
        async return() {
          emitter.off('progress', listener);
          ended = true;
          return { done: true, value: undefined };
        },
      };
      return iterator;
    },
  } as BulkRun;
  return run;
}
