import { EventEmitter } from 'node:events';
import type { RecipientStatus } from './outcomes';

/** One line of the results: the final state of one recipient. */
export interface RecipientResult {
  email: string;
  status: RecipientStatus;
  message_id?: string;
  error?: string;
  /** Position of the recipient in the input, from 0 (not written to the results file). */
  sequence: number;
}

export interface BulkProgress {
  runId: string;
  phase: 'sending' | 'settling' | 'done';
  /**
   * Valid recipients of the run (rows that can be sent); undefined until the input was read to its
   * end, unless `total` was given. Invalid rows are counted in `invalid`, not here.
   */
  total: number | undefined;
  /** Rows read from the input so far (valid and invalid). */
  read: number;
  sent: number;
  /** Refused for good, invalid rows included. */
  failed: number;
  /** Of `failed`: rows refused before sending (invalid address, broken CSV row...). */
  invalid: number;
  uncertain: number;
  /** Known not accepted and given up on for this run (a resume sends them). */
  unsent: number;
  /** Valid recipients in a final state: `sent + failed - invalid + uncertain + unsent`, out of `total`. */
  finished: number;
  /** Recipients in requests that have not answered yet. */
  inFlight: number;
  /** Recipients whose state came from the journal of an earlier run. */
  resumed: number;
  /** Batch requests sent by this run (attempts, retries included). */
  requests: number;
  /** Recipients finished per second by this run over the last ten seconds (those known from the journal left out). */
  recipientsPerSecond: number;
  /** Expected ms to the end, never below what the rate limit allows; undefined while total is unknown. */
  etaMs: number | undefined;
  elapsedMs: number;
}

/**
 * The counts of a run and their events: `progress` snapshots (coalesced to one per interval) and one
 * `result` per recipient. The only place that counts, so the bar, the summary and the results agree.
 */
export class ProgressTracker {
  readonly emitter = new EventEmitter();
  runId = '';
  phase: BulkProgress['phase'] = 'sending';
  total: number | undefined;
  read = 0;
  sent = 0;
  failed = 0;
  invalid = 0;
  uncertain = 0;
  unsent = 0;
  inFlight = 0;
  resumed = 0;
  requests = 0;
  batchSize = 500;
  rateLimit: { requests: number; windowMs: number } | undefined;
  private readonly startedAt = Date.now();
  private readonly finishedTimes: Array<[number, number]> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly intervalMs: number) {}

  get finished(): number {
    return this.sent + this.failed - this.invalid + this.uncertain + this.unsent;
  }

  /**
   * Recipients finished by this run: a resume's recipients known from the journal are left out, so
   * the rate (and the ETA drawn from it) is what this run sends, not the journal read at its start.
   */
  private get finishedHere(): number {
    return this.finished - this.resumed;
  }

  /** True when someone listens to `result` events (otherwise a result object need not be built). */
  get announcesResults(): boolean {
    return this.emitter.listenerCount('result') > 0;
  }

  /** Counts one recipient's final state and announces it. */
  record(result: RecipientResult, options: { invalid?: boolean; resumed?: boolean } = {}): void {
    this.count(result.status, options.invalid === true, options.resumed === true);
    this.emitter.emit('result', result);
  }

  /** Counts one recipient's final state (no event: nobody listens). */
  count(status: RecipientResult['status'], invalid: boolean, resumed: boolean): void {
    this[status] += 1;
    if (invalid) this.invalid += 1;
    if (resumed) this.resumed += 1;
    const now = Date.now();
    const last = this.finishedTimes[this.finishedTimes.length - 1];
    const done = this.finishedHere;
    // one sample per 100 ms at most: the rate window stays small however fast results come
    if (last && now - last[0] < 100) last[1] = done;
    else this.finishedTimes.push([now, done]);
    if (this.finishedTimes.length > 200) this.finishedTimes.shift();
    this.schedule();
  }

  snapshot(): BulkProgress {
    const now = Date.now();
    const done = this.finished;
    while (this.finishedTimes.length > 1 && this.finishedTimes[0]![0] < now - 10_000)
      this.finishedTimes.shift();
    let rate = 0;
    const first = this.finishedTimes[0];
    if (first && now - first[0] > 0)
      rate = ((this.finishedHere - first[1]) * 1000) / Math.max(now - first[0], 1000);
    let etaMs: number | undefined;
    if (this.total !== undefined) {
      const remaining = Math.max(0, this.total - done);
      const requestsLeft = Math.ceil(remaining / this.batchSize);
      const floor = this.rateLimit ? (requestsLeft * this.rateLimit.windowMs) / this.rateLimit.requests : 0;
      etaMs = remaining === 0 ? 0 : Math.max(floor, rate > 0 ? (remaining / rate) * 1000 : floor);
    }
    return {
      runId: this.runId,
      phase: this.phase,
      total: this.total,
      read: this.read,
      sent: this.sent,
      failed: this.failed,
      invalid: this.invalid,
      uncertain: this.uncertain,
      unsent: this.unsent,
      finished: done,
      inFlight: this.inFlight,
      resumed: this.resumed,
      requests: this.requests,
      recipientsPerSecond: Math.round(rate * 10) / 10,
      etaMs: etaMs === undefined ? undefined : Math.round(etaMs),
      elapsedMs: now - this.startedAt,
    };
  }

  /** A progress event at most once per interval. */
  schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.emit(), this.intervalMs);
    this.timer.unref?.();
  }

  /** The last event: phase `done`; no event after it. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.phase = 'done';
    this.emit();
  }

  private emit(): void {
    this.timer = undefined;
    this.emitter.emit('progress', this.snapshot());
    for (const wake of this.waiters) wake();
  }

  /** Progress snapshots as they change (a slow reader skips to the newest); ends when `ended` settles. */
  iterate(ended: Promise<unknown>): AsyncIterableIterator<BulkProgress> {
    let latest: BulkProgress | undefined;
    let over = false;
    const listener = (progress: BulkProgress) => {
      latest = progress;
    };
    this.emitter.on('progress', listener);
    const finish = () => {
      over = true;
    };
    ended.then(finish, finish);
    const waiters = this.waiters;
    const emitter = this.emitter;
    const iterator: AsyncIterableIterator<BulkProgress> = {
      [Symbol.asyncIterator]() {
        return iterator;
      },
      async next() {
        while (!latest) {
          if (over) {
            emitter.off('progress', listener);
            return { done: true, value: undefined };
          }
          await new Promise<void>((resolve) => {
            const wake = () => {
              waiters.delete(wake);
              resolve();
            };
            waiters.add(wake);
            ended.then(wake, wake);
          });
        }
        const value = latest;
        latest = undefined;
        return { done: false, value };
      },
      async return() {
        emitter.off('progress', listener);
        over = true;
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }
}
