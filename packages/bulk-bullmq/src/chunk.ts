import { randomUUID } from 'node:crypto';
import {
  type BatchSendingClient,
  type BulkBase,
  type EmailLogsClient,
  isSendable,
  type PackedBatch,
  type PackedItem,
  type PersistencePort,
  SendEngine,
  type SettleOptions,
} from '@mailtrap-kit/bulk-batcher';
import { delay } from '@mailtrap-kit/core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { CampaignSettings, ChunkJobData } from './producer';
import type { RedisConnection } from './scripts';
import {
  type CampaignKeys,
  type CompactResult,
  campaignKeys,
  claimScript,
  finalizeScript,
  type InflightRecord,
  releaseScript,
  setStatusScript,
} from './store';

export const cancelledReason = 'not sent: the campaign was cancelled before this chunk was sent';

/** What processing a chunk needs from its worker. */
export interface ChunkContext {
  redis: RedisConnection;
  prefix: string;
  workerId: string;
  client: BatchSendingClient & EmailLogsClient;
  settleDelayMs: number;
  pausePollMs: number;
  maxSendAttempts: number;
  retryDelayMs: number;
  emailLogsRateLimit: NonNullable<SettleOptions['rateLimit']>;
  campaignInfo(keys: CampaignKeys, campaign: string): Promise<CampaignInfo>;
}

export interface CampaignInfo {
  base: BulkBase;
  settings: CampaignSettings;
  createdAt: number;
}

/** Settle-and-resend rounds per chunk (each round may make new uncertain recipients). */
const SETTLE_ROUNDS = 5;

/**
 * The Redis side of the send engine's persistence port: the final outcomes an attempt has so far
 * (`end`, `settle`) are kept in the campaign's `partial` hash, one field per chunk, so a worker that
 * takes over a dead one's chunk keeps them and settles only the rest. `start` needs no write: the
 * chunk's claim already records the attempt in flight.
 */
export function redisPort(
  redis: RedisConnection,
  keys: CampaignKeys,
  chunk: number,
): PersistencePort & {
  load(): Promise<Map<number, CompactResult>>;
} {
  const known = new Map<number, CompactResult>();
  const save = () => redis.hset(keys.partial, String(chunk), JSON.stringify([...known.values()]));
  return {
    start() {},
    async end(_batch, outcomes) {
      let changed = false;
      for (const outcome of outcomes) {
        if (outcome.status === 'sent') {
          known.set(
            outcome.sequence,
            outcome.messageId
              ? [outcome.sequence, outcome.email, 'sent', outcome.messageId]
              : [outcome.sequence, outcome.email, 'sent'],
          );
          changed = true;
        } else if (outcome.status === 'failed') {
          known.set(outcome.sequence, [outcome.sequence, outcome.email, 'failed', outcome.error ?? 'failed']);
          changed = true;
        }
      }
      if (changed) await save();
    },
    async settle(batch, settlements) {
      let changed = false;
      for (const settlement of settlements) {
        if (settlement.status !== 'sent') continue;
        const item = batch.items[settlement.offset];
        const email = item?.email ?? '';
        known.set(
          settlement.sequence,
          settlement.messageId
            ? [settlement.sequence, email, 'sent', settlement.messageId]
            : [settlement.sequence, email, 'sent'],
        );
        changed = true;
      }
      if (changed) await save();
    },
    async load() {
      const stored = await redis.hget(keys.partial, String(chunk));
      if (stored) for (const result of JSON.parse(stored) as CompactResult[]) known.set(result[0], result);
      return new Map(known);
    },
  };
}

async function finalize(
  redis: RedisConnection,
  keys: CampaignKeys,
  chunk: number,
  results: CompactResult[],
  mode: 'claimed' | 'unclaimed',
  settled: boolean,
): Promise<void> {
  results.sort((a, b) => a[0] - b[0]);
  const count = (state: CompactResult[2]) => results.filter((result) => result[2] === state).length;
  await finalizeScript.run(
    redis,
    [keys.meta, keys.chunks, keys.results, keys.counts, keys.partial],
    [
      chunk,
      JSON.stringify(results),
      count('sent'),
      count('failed'),
      count('uncertain'),
      count('unsent'),
      Date.now(),
      mode,
      settled ? '1' : '0',
    ],
  );
}

/**
 * Sends one chunk through the send engine (bulk-batcher's `SendEngine`, the same policy as
 * `createBulkRun`): claims it, settles a dead attempt's recipients through Email Logs before sending
 * anything, sends in attempts, pauses the campaign on a refusal that would refuse every recipient,
 * and writes the chunk's results once.
 */
export async function processChunk(
  context: ChunkContext,
  job: Job<ChunkJobData>,
  token?: string,
): Promise<string> {
  const { redis } = context;
  const data = job.data;
  const keys = campaignKeys(context.prefix, data.campaign);
  const record: InflightRecord = { attempt: randomUUID(), worker: context.workerId, startedAt: Date.now() };
  const [verdict, previousRecord] = (await claimScript.run(
    redis,
    [keys.meta, keys.chunks],
    [data.chunk, JSON.stringify(record)],
  )) as string[];
  if (verdict === 'done') return 'already done';
  if (verdict === 'missing') throw new UnrecoverableError(`campaign ${data.campaign} does not exist`);
  if (verdict === 'paused') {
    await job.moveToDelayed(Date.now() + context.pausePollMs, token);
    throw new DelayedError();
  }
  const results: CompactResult[] = [];
  if (verdict === 'cancelled') {
    for (const item of data.items)
      if (!item.duplicate) results.push([item.sequence, item.email, 'unsent', cancelledReason]);
    await finalize(redis, keys, data.chunk, results, 'claimed', false);
    return 'cancelled';
  }

  const info = await context.campaignInfo(keys, data.campaign);
  const batch: PackedBatch = {
    batch: data.chunk,
    firstSequence: data.firstSequence,
    count: data.count,
    fingerprint: data.fingerprint,
    base: info.base,
    items: data.items.map((item) => ({ ...item, bytes: 0 })),
  };
  const port = redisPort(redis, keys, data.chunk);
  const known = verdict === 'stale' ? await port.load() : new Map<number, CompactResult>();
  let pending: PackedItem[] = [];
  for (const item of batch.items) {
    // A repeated address the producer skipped: not a recipient of the campaign, no result.
    if (item.duplicate) continue;
    const result = known.get(item.sequence);
    if (result) results.push(result);
    else if (isSendable(item)) pending.push(item);
    else results.push([item.sequence, item.email, 'failed', item.error ?? 'rejected']);
  }

  let since = record.startedAt;
  if (verdict === 'stale') {
    // The previous attempt stopped without finishing: it may have sent the chunk. Settle first.
    try {
      const previous = JSON.parse(previousRecord ?? '{}') as Partial<InflightRecord> & { since?: number };
      since = previous.since ?? previous.startedAt ?? since;
    } catch {
      since = info.createdAt; // an unreadable record: settle against the campaign's start
    }
    await redis.hset(keys.chunks, String(data.chunk), JSON.stringify({ ...record, since }));
    if (since + context.settleDelayMs - Date.now() > 5_000) {
      // Too early to ask Email Logs: come back later (the record keeps `since`).
      await job.moveToDelayed(since + context.settleDelayMs, token);
      throw new DelayedError();
    }
  }

  const engine = new SendEngine({
    client: context.client,
    emailLogs: context.client,
    runId: data.campaign,
    port,
    report: (item, state, detail) => {
      results.push(
        detail === undefined
          ? [item.sequence, item.email, state]
          : [item.sequence, item.email, state, detail],
      );
    },
    maxAttempts: context.maxSendAttempts,
    retryDelayMs: context.retryDelayMs,
    resendUnsent: info.settings.resendUnsent,
    emailLogsRateLimit: context.emailLogsRateLimit,
    sentAfter: new Date(Math.min(since, info.createdAt) - 10 * 60_000),
    signal: new AbortController().signal,
  });

  let settled = false;
  /** Asks Email Logs about `items`; returns the ones to send again (proven unsent, when allowed). */
  const settle = async (items: PackedItem[], after: number): Promise<PackedItem[]> => {
    settled = true;
    const wait = after + context.settleDelayMs - Date.now();
    if (wait > 0) await delay(wait);
    let resend: Map<PackedBatch, PackedItem[]>;
    try {
      resend = await engine.settle(items.map((item) => ({ batch, item })));
    } catch (error) {
      const reason = `uncertain: Email Logs could not be read to settle it (${(error as Error)?.message ?? String(error)})`;
      for (const item of items) results.push([item.sequence, item.email, 'uncertain', reason]);
      return [];
    }
    const again = resend.get(batch) ?? [];
    if (again.length > 0 && (await redis.hget(keys.meta, 'status')) === 'cancelled') {
      for (const item of again) results.push([item.sequence, item.email, 'unsent', cancelledReason]);
      return [];
    }
    return again;
  };

  if (verdict === 'stale') pending = await settle(pending, since);
  for (let round = 1; pending.length > 0; round += 1) {
    const outcome = await engine.send(batch, pending);
    if (outcome.stop) {
      // A refusal that would refuse every recipient (token, sender domain, template, host): pause the
      // campaign with the reason; fix it and resume.
      await setStatusScript.run(
        redis,
        [keys.meta, keys.counts],
        ['pause', Date.now(), `${outcome.stop.code}: ${outcome.stop.message}`],
      );
      const nothingFinal =
        results.length === batch.items.filter((item) => !isSendable(item) && !item.duplicate).length;
      if (round === 1 && !settled && outcome.uncertain.length === 0 && nothingFinal) {
        // Nothing of this chunk reached a final state: hand it back untouched, to be sent on resume.
        await redis.hdel(keys.partial, String(data.chunk));
        await releaseScript.run(redis, [keys.chunks], [data.chunk, record.attempt]);
        await job.moveToDelayed(Date.now() + context.pausePollMs, token);
        throw new DelayedError();
      }
    }
    for (const item of outcome.unsent)
      results.push([item.sequence, item.email, 'unsent', outcome.reason ?? 'not sent']);
    pending =
      outcome.uncertain.length > 0 && round <= SETTLE_ROUNDS
        ? await settle(outcome.uncertain, Date.now())
        : [];
    if (round > SETTLE_ROUNDS)
      for (const item of outcome.uncertain)
        results.push([
          item.sequence,
          item.email,
          'uncertain',
          'still uncertain after every settlement round',
        ]);
  }
  await finalize(redis, keys, data.chunk, results, 'claimed', settled);
  return settled ? 'settled' : 'sent';
}
