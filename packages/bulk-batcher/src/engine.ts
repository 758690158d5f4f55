import { delay } from '@mailtrap-kit/core';
import { type ItemOutcome, type RecipientStatus, type StopReason, sendPackedBatch } from './outcomes';
import type { PackedBatch, PackedItem } from './packer';
import { type SettleOptions, settleUncertain } from './settle';
import type { BatchSendingClient, EmailLogsClient } from './wire';

/** What Email Logs said about one uncertain recipient of a batch. */
export interface SettledItem {
  offset: number;
  sequence: number;
  status: 'sent' | 'unsent';
  messageId?: string;
}

/**
 * Where the engine records a campaign as it goes: the journal file of `createBulkRun` and the Redis
 * store of bulk-bullmq's workers both implement it. `start` is awaited before the request leaves (so a
 * crash mid-request is known to have been in flight), `end` right after the answer with one outcome per
 * item sent, `settle` after Email Logs answered for uncertain items.
 */
export interface PersistencePort {
  start(batch: PackedBatch, items: readonly PackedItem[]): void | Promise<void>;
  end(batch: PackedBatch, outcomes: readonly ItemOutcome[]): void | Promise<void>;
  settle(batch: PackedBatch, settlements: readonly SettledItem[]): void | Promise<void>;
}

/** A port that records nothing (a run without a journal). */
export const noPersistence: PersistencePort = {
  start() {},
  end() {},
  settle() {},
};

export interface SendEngineSettings {
  client: BatchSendingClient;
  /** For settlement; without it uncertain recipients stay uncertain. */
  emailLogs?: EmailLogsClient | undefined;
  /** The tag's run id (bulk-bullmq: the campaign id). */
  runId: string;
  port: PersistencePort;
  /** Called once per recipient when it reaches a final state. */
  report(item: PackedItem, status: RecipientStatus, detail?: string): void;
  /** Attempts for recipients known not to have been sent (429, refused connection). */
  maxAttempts: number;
  /** First backoff between attempts; doubles per attempt, full jitter, at most 30 s. Retry-After wins. */
  retryDelayMs: number;
  /** Send again recipients Email Logs proves unsent (otherwise they end `unsent`). */
  resendUnsent: boolean;
  /** Email Logs' own rate limit for settlement. */
  emailLogsRateLimit?: SettleOptions['rateLimit'];
  /** Messages sent before this moment are not looked at by settlement. */
  sentAfter: Date;
  /** Stops the engine: no new attempt starts, a backoff ends at once. */
  signal: AbortSignal;
  /**
   * Waits for a request slot (concurrency, pacing) and returns its release, or undefined when the
   * engine stopped meanwhile. Default: no slot to wait for.
   */
  acquire?(): Promise<(() => void) | undefined>;
  /**
   * Called at once when an answer says the run must stop, before the request slot is released, so no
   * request waiting for that slot leaves after it.
   */
  onStop?(reason: StopReason): void;
  /** A request with `items` messages is about to leave / has answered (progress). */
  onRequest?(items: number): void;
  onAnswer?(items: number): void;
}

/** How `send` left a batch. */
export interface SendRoundsResult {
  /** Items whose request may or may not have been accepted: settle them through Email Logs. */
  uncertain: PackedItem[];
  /**
   * Items known not to have been sent that the engine gave up on (the attempts ran out, or the run
   * must stop): their reason is in `reason`. The caller reports them (`unsent`) or keeps them.
   */
  unsent: PackedItem[];
  reason?: string;
  /** Set when nothing more should be sent: a refusal that will refuse every recipient. */
  stop?: StopReason;
}

const notResentReason =
  'Email Logs shows no message for this recipient: never accepted; not re-sent (allow with resendUnsent / --resend-unsent)';

/**
 * The one send policy of both bulk packages: pack once, send a batch, read the answer item by item,
 * retry only what is known unsent (with one retry budget: the client's own retries are off), stop on a
 * refusal that will refuse every recipient, and settle uncertain items through Email Logs by their tag.
 */
export class SendEngine {
  constructor(private readonly settings: SendEngineSettings) {}

  get stopped(): boolean {
    return this.settings.signal.aborted;
  }

  /** Sends `items` of `batch` in attempts until each is final, uncertain or given up on. */
  async send(batch: PackedBatch, items: PackedItem[]): Promise<SendRoundsResult> {
    const { port, report, signal } = this.settings;
    let remaining = items;
    let reason: string | undefined;
    const uncertain: PackedItem[] = [];
    const stoppedEarly = (): SendRoundsResult => ({
      uncertain,
      unsent: remaining,
      reason: reason ? `the run stopped before it was sent again (${reason})` : 'the run was stopped',
    });
    for (let attempt = 1; remaining.length > 0; attempt += 1) {
      if (signal.aborted) return stoppedEarly();
      const release = this.settings.acquire ? await this.settings.acquire() : () => undefined;
      if (!release) return stoppedEarly();
      let result: Awaited<ReturnType<typeof sendPackedBatch>>;
      try {
        await port.start(batch, remaining);
        this.settings.onRequest?.(remaining.length);
        try {
          result = await sendPackedBatch(this.settings.client, batch, { items: remaining });
        } finally {
          this.settings.onAnswer?.(remaining.length);
        }
        if (result.fatal) this.settings.onStop?.(result.fatal);
      } finally {
        release();
      }
      await port.end(batch, result.outcomes);
      // Outcomes come in the order of the items sent (sendPackedBatch's rule); matched by offset otherwise.
      const inOrder =
        result.outcomes.length === remaining.length &&
        result.outcomes.every((outcome, index) => outcome.offset === remaining[index]!.offset);
      const byOffset = inOrder ? undefined : new Map(remaining.map((item) => [item.offset, item]));
      const retry: PackedItem[] = [];
      for (let index = 0; index < result.outcomes.length; index += 1) {
        const outcome = result.outcomes[index]!;
        const item = byOffset ? byOffset.get(outcome.offset)! : remaining[index]!;
        if (outcome.status === 'sent') report(item, 'sent', outcome.messageId);
        else if (outcome.status === 'failed') report(item, 'failed', outcome.error);
        else if (outcome.status === 'uncertain') uncertain.push(item);
        else {
          retry.push(item);
          reason = outcome.error ?? reason;
        }
      }
      if (result.fatal) return { uncertain, unsent: retry, reason: result.fatal.message, stop: result.fatal };
      if (retry.length === 0) return { uncertain, unsent: [] };
      if (attempt >= this.settings.maxAttempts) {
        const text = `not sent after ${attempt} attempts: ${reason ?? 'not accepted'}`;
        const done: SendRoundsResult = { uncertain, unsent: retry, reason: text };
        // A host that refuses every connection will refuse the next batch too.
        if (result.unreachable) done.stop = { code: 'unreachable', message: text };
        return done;
      }
      // Uncertain items wait for settlement; only the known-unsent go round again.
      remaining = retry;
      const backoff =
        result.retryAfterMs ??
        Math.random() * Math.min(30_000, this.settings.retryDelayMs * 2 ** (attempt - 1));
      await delay(backoff, signal).catch(() => undefined); // a stop ends the backoff
    }
    return { uncertain, unsent: [] };
  }

  /**
   * Looks uncertain items up in Email Logs and records what it says: found → `sent` with its id;
   * absent → proven unsent, returned for sending again when `resendUnsent`, else reported `unsent`.
   * Throws when Email Logs cannot be read (nothing is recorded then).
   */
  async settle(
    candidates: ReadonlyArray<{ batch: PackedBatch; item: PackedItem }>,
  ): Promise<Map<PackedBatch, PackedItem[]>> {
    const resend = new Map<PackedBatch, PackedItem[]>();
    if (candidates.length === 0) return resend;
    if (!this.settings.emailLogs) throw new Error('no Email Logs client to settle with');
    const settlements = await settleUncertain(
      this.settings.emailLogs,
      candidates.map(({ item }) => ({ sequence: item.sequence, email: item.email })),
      {
        runId: this.settings.runId,
        sentAfter: this.settings.sentAfter,
        ...(this.settings.emailLogsRateLimit !== undefined
          ? { rateLimit: this.settings.emailLogsRateLimit }
          : {}),
        signal: this.settings.signal,
      },
    );
    const perBatch = new Map<PackedBatch, SettledItem[]>();
    settlements.forEach((settlement, index) => {
      const { batch, item } = candidates[index]!;
      const entry: SettledItem = { offset: item.offset, sequence: item.sequence, status: settlement.status };
      if (settlement.messageId) entry.messageId = settlement.messageId;
      const list = perBatch.get(batch);
      if (list) list.push(entry);
      else perBatch.set(batch, [entry]);
    });
    for (const [batch, entries] of perBatch) await this.settings.port.settle(batch, entries);
    settlements.forEach((settlement, index) => {
      const { batch, item } = candidates[index]!;
      if (settlement.status === 'sent') this.settings.report(item, 'sent', settlement.messageId);
      else if (this.settings.resendUnsent) {
        const list = resend.get(batch);
        if (list) list.push(item);
        else resend.set(batch, [item]);
      } else this.settings.report(item, 'unsent', notResentReason);
    });
    return resend;
  }
}
