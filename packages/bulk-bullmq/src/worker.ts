import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BatchSendingClient,
  type BulkBase,
  type EmailLogsClient,
  type ItemOutcome,
  type PackedBatch,
  type PackedItem,
  sendPackedBatch,
  settleUncertain,
} from '@mailtrap-kit/bulk-batcher';
import { MailtrapClient, type MailtrapClientOptions } from '@mailtrap-kit/core';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { CampaignSettings, ChunkJobData } from './producer';
import { createRedisRateLimitStore, type RedisRateLimitStoreSettings } from './rate-limit';
import type { RedisConnection } from './scripts';
import {
  type CampaignKeys,
  type CompactResult,
  campaignKeys,
  claimScript,
  defaultPrefix,
  defaultQueueName,
  finalizeScript,
  type InflightRecord,
  releaseScript,
  setStatusScript,
} from './store';

/** What a worker needs from its client: core's `MailtrapClient` has both. */
export type BulkSendingClient = BatchSendingClient & EmailLogsClient;

/** Where the workers find Redis: a `redis://` URL or ioredis options. */
export type RedisConnectionSettings = string | RedisOptions;

export interface BulkWorkerSettings {
  /** Redis for the queue, the campaign state and the shared rate limit. */
  connection: RedisConnectionSettings;
  /**
   * The sending client's options (token, endpoints, timeouts...). The worker builds a core
   * `MailtrapClient` on the bulk stream whose rate limit lives in Redis, shared by every worker of the
   * token. Or pass a ready client; then its rate limit is yours to share (see `createRedisRateLimitStore`).
   */
  client?: MailtrapClientOptions | BulkSendingClient;
  /**
   * Requests per window for the token, shared by every worker. Default 150 per 10,000 ms (Mailtrap's
   * limit), spread evenly (`smooth`), plus a 250 ms safety margin per window (see `createRedisRateLimitStore`).
   */
  rateLimit?: { requests?: number; windowMs?: number; safetyMarginMs?: number; smooth?: boolean };
  /** BullMQ queue name. Default 'mailtrap-bulk'. Use one queue per sending token. */
  queueName?: string;
  /** Prefix of the campaign keys. Default 'mailtrap-bulk'. */
  prefix?: string;
  /** Chunks this process sends at once. Default 4. */
  concurrency?: number;
  /** A chunk's lock; renewed every half while the worker lives. Default 30,000 ms. */
  lockDurationMs?: number;
  /** How often stalled chunks (of dead workers) are looked for. Default 30,000 ms. */
  stalledIntervalMs?: number;
  /** How many times one chunk may be taken over after a dead worker before BullMQ fails it. Default 10. */
  maxStalledCount?: number;
  /**
   * How long after an uncertain or interrupted attempt Email Logs is asked what was sent (logs lag
   * behind sending). Default 30,000 ms (as in bulk-batcher).
   */
  settleDelayMs?: number;
  /** Email Logs list requests allowed per minute for settlement, shared in Redis. Default 60 (Mailtrap's limit); false = no limit. */
  emailLogsRateLimit?: { requests: number; windowMs: number } | false;
  /** How often a paused campaign's chunk is looked at again. Default 10,000 ms. */
  pausePollMs?: number;
  /** Send rounds per chunk for recipients known not to be sent (429, refused connection). Default 5. */
  maxSendAttempts?: number;
  /** First wait between send rounds, doubled each round (a Retry-After wins). Default 2,000 ms. */
  retryDelayMs?: number;
  /** Name of this worker in the in-flight records. Default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  /** Start taking chunks at once. Default true. */
  autorun?: boolean;
}

export interface BulkWorker {
  /** The underlying BullMQ worker (events: 'completed', 'failed', 'error'...). */
  readonly worker: Worker<ChunkJobData>;
  readonly workerId: string;
  /** Starts taking chunks (when created with `autorun: false`). */
  run(): Promise<void>;
  /** Stops taking chunks, waits for the chunks in progress, closes the connections it opened. */
  close(): Promise<void>;
}

interface CampaignInfo {
  base: BulkBase;
  settings: CampaignSettings;
  createdAt: number;
}

const stateCode = { sent: 'sent', failed: 'failed', uncertain: 'uncertain' } as const;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function checkSetting(value: number | undefined, name: string, minimum = 1): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new RangeError(`${name} must be a number >= ${minimum}, got ${String(value)}`);
  }
}

export function redisFrom(connection: RedisConnectionSettings, extra: RedisOptions = {}): Redis {
  if (typeof connection === 'string') return new Redis(connection, extra);
  if (connection && typeof connection === 'object') return new Redis({ ...connection, ...extra });
  throw new TypeError('connection must be a redis:// URL or ioredis options');
}

function isClient(value: unknown): value is BulkSendingClient {
  return typeof (value as BulkSendingClient | undefined)?.batchSend === 'function';
}

/**
 * Starts a worker that sends a campaign's chunks through core with bulk-batcher's per-recipient
 * outcome rules, under one rate limit shared in Redis by every worker of the token. Before sending a
 * chunk it records the attempt in Redis; a chunk whose previous attempt never finished (its worker
 * died or stalled) is settled through Email Logs before anything is sent again, so a lost worker never
 * causes blind re-sends.
 */
export function createBulkWorker(settings: BulkWorkerSettings): BulkWorker {
  if (!settings || typeof settings !== 'object') throw new TypeError('createBulkWorker needs settings');
  checkSetting(settings.concurrency, 'concurrency');
  checkSetting(settings.lockDurationMs, 'lockDurationMs', 1000);
  checkSetting(settings.stalledIntervalMs, 'stalledIntervalMs', 1000);
  checkSetting(settings.maxStalledCount, 'maxStalledCount');
  checkSetting(settings.settleDelayMs, 'settleDelayMs', 0);
  checkSetting(settings.pausePollMs, 'pausePollMs', 100);
  checkSetting(settings.maxSendAttempts, 'maxSendAttempts');
  checkSetting(settings.retryDelayMs, 'retryDelayMs', 0);
  const prefix = settings.prefix ?? defaultPrefix;
  const queueName = settings.queueName ?? defaultQueueName;
  const settleDelayMs = settings.settleDelayMs ?? 30_000;
  const pausePollMs = settings.pausePollMs ?? 10_000;
  const maxSendAttempts = settings.maxSendAttempts ?? 5;
  const retryDelayMs = settings.retryDelayMs ?? 2_000;
  const workerId = settings.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const redis = redisFrom(settings.connection);
  const storeSettings: RedisRateLimitStoreSettings = {};
  if (settings.rateLimit?.safetyMarginMs !== undefined)
    storeSettings.safetyMarginMs = settings.rateLimit.safetyMarginMs;
  if (settings.rateLimit?.smooth !== undefined) storeSettings.smooth = settings.rateLimit.smooth;
  const rateLimitStore = createRedisRateLimitStore(redis, storeSettings);
  let ownClient: MailtrapClient | undefined;
  let client: BulkSendingClient;
  if (isClient(settings.client)) {
    client = settings.client;
  } else {
    const options = (settings.client ?? {}) as MailtrapClientOptions;
    ownClient = new MailtrapClient({
      stream: 'bulk',
      ...options,
      rateLimit: {
        requests: settings.rateLimit?.requests ?? 150,
        windowMs: settings.rateLimit?.windowMs ?? 10_000,
        ...(options.rateLimit || {}),
        store: rateLimitStore,
      },
    });
    client = ownClient as unknown as BulkSendingClient;
  }
  const emailLogsLimit =
    settings.emailLogsRateLimit === false
      ? false
      : {
          ...(settings.emailLogsRateLimit ?? { requests: 60, windowMs: 60_000 }),
          store: rateLimitStore,
          key: 'email-logs',
        };

  const campaigns = new Map<string, CampaignInfo>();
  async function campaignInfo(keys: CampaignKeys, campaign: string): Promise<CampaignInfo> {
    const cached = campaigns.get(campaign);
    if (cached) return cached;
    const [message, stored, createdAt] = await redis.hmget(keys.meta, 'message', 'settings', 'createdAt');
    if (!message || !stored) throw new UnrecoverableError(`campaign ${campaign} has no stored message`);
    const info: CampaignInfo = {
      base: JSON.parse(message) as BulkBase,
      settings: JSON.parse(stored) as CampaignSettings,
      createdAt: Number(createdAt ?? 0),
    };
    campaigns.set(campaign, info);
    return info;
  }

  async function finalize(
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
      [keys.meta, keys.chunks, keys.results, keys.counts],
      [
        chunk,
        JSON.stringify(results),
        count('sent'),
        count('failed'),
        count('uncertain'),
        count('cancelled'),
        Date.now(),
        mode,
        settled ? '1' : '0',
      ],
    );
  }

  async function processChunk(job: Job<ChunkJobData>, token?: string): Promise<string> {
    const data = job.data;
    const keys = campaignKeys(prefix, data.campaign);
    const record: InflightRecord = { attempt: randomUUID(), worker: workerId, startedAt: Date.now() };
    const [verdict, previousRecord] = (await claimScript.run(
      redis,
      [keys.meta, keys.chunks],
      [data.chunk, JSON.stringify(record)],
    )) as string[];
    if (verdict === 'done') return 'already done';
    if (verdict === 'missing') throw new UnrecoverableError(`campaign ${data.campaign} does not exist`);
    if (verdict === 'paused') {
      await job.moveToDelayed(Date.now() + pausePollMs, token);
      throw new DelayedError();
    }
    const results: CompactResult[] = [];
    if (verdict === 'cancelled') {
      for (const item of data.items) results.push([item.sequence, item.email, 'cancelled']);
      await finalize(keys, data.chunk, results, 'claimed', false);
      return 'cancelled';
    }

    const info = await campaignInfo(keys, data.campaign);
    const batch: PackedBatch = {
      batch: data.chunk,
      firstSequence: data.firstSequence,
      count: data.count,
      fingerprint: data.fingerprint,
      base: info.base,
      items: data.items.map((item) => ({ ...item, bytes: 0 })),
    };
    let pending: PackedItem[] = [];
    for (const item of batch.items) {
      if (item.message) pending.push(item);
      else results.push([item.sequence, item.email, 'failed', item.error ?? 'rejected']);
    }
    let settled = false;
    const recordOutcome = (outcome: ItemOutcome) => {
      const state = stateCode[outcome.status as keyof typeof stateCode];
      const detail = outcome.status === 'sent' ? outcome.messageId : outcome.error;
      results.push(
        detail === undefined
          ? [outcome.sequence, outcome.email, state]
          : [outcome.sequence, outcome.email, state, detail],
      );
    };

    /** Asks Email Logs about `items`; returns the ones proven unsent (the others are recorded). */
    const settle = async (items: PackedItem[], since: number): Promise<PackedItem[]> => {
      settled = true;
      await sleep(since + settleDelayMs - Date.now());
      let settlements: Awaited<ReturnType<typeof settleUncertain>>;
      try {
        settlements = await settleUncertain(
          client,
          items.map((item) => ({ sequence: item.sequence, email: item.email })),
          {
            runId: data.campaign,
            sentAfter: new Date(Math.min(since, info.createdAt) - 10 * 60_000),
            rateLimit: emailLogsLimit,
          },
        );
      } catch (error) {
        const reason = `uncertain: Email Logs could not be read to settle it (${(error as Error)?.message ?? String(error)})`;
        for (const item of items) results.push([item.sequence, item.email, 'uncertain', reason]);
        return [];
      }
      const unsent = new Set<number>();
      for (const settlement of settlements) {
        if (settlement.status === 'sent') {
          results.push(
            settlement.messageId
              ? [settlement.sequence, settlement.email, 'sent', settlement.messageId]
              : [settlement.sequence, settlement.email, 'sent'],
          );
        } else unsent.add(settlement.sequence);
      }
      const proven = items.filter((item) => unsent.has(item.sequence));
      const status = await redis.hget(keys.meta, 'status');
      if (status === 'cancelled') {
        for (const item of proven) results.push([item.sequence, item.email, 'cancelled']);
        return [];
      }
      if (!info.settings.resendUnsent) {
        for (const item of proven) {
          results.push([
            item.sequence,
            item.email,
            'uncertain',
            'Email Logs shows no message for this recipient; not re-sent (allow with resendUnsent)',
          ]);
        }
        return [];
      }
      return proven;
    };

    if (verdict === 'stale') {
      // The previous attempt stopped without finishing: it may have sent the chunk. Settle first.
      let since = record.startedAt;
      try {
        const previous = JSON.parse(previousRecord ?? '{}') as Partial<InflightRecord> & { since?: number };
        since = previous.since ?? previous.startedAt ?? since;
      } catch {
        // An unreadable record: settle against the campaign's start.
        since = info.createdAt;
      }
      const stamped = { ...record, since };
      await redis.hset(keys.chunks, String(data.chunk), JSON.stringify(stamped));
      if (since + settleDelayMs - Date.now() > 5_000) {
        // Too early to ask Email Logs: come back later (the record keeps `since`).
        await job.moveToDelayed(since + settleDelayMs, token);
        throw new DelayedError();
      }
      pending = await settle(pending, since);
    }

    for (let round = 1; pending.length > 0; round++) {
      const attempt = await sendPackedBatch(client, batch, { items: pending });
      const retry: PackedItem[] = [];
      const uncertain: PackedItem[] = [];
      const bySequence = new Map(pending.map((item) => [item.sequence, item]));
      let lastError = '';
      for (const outcome of attempt.outcomes) {
        const item = bySequence.get(outcome.sequence)!;
        if (outcome.status === 'retry') {
          retry.push(item);
          lastError = outcome.error ?? lastError;
        } else if (outcome.status === 'uncertain') uncertain.push(item);
        else recordOutcome(outcome);
      }
      if (attempt.fatal) {
        // The token was refused (401/403): nothing can be sent for this campaign. Pause it.
        await setStatusScript.run(
          redis,
          [keys.meta, keys.counts],
          ['pause', Date.now(), `${attempt.fatal.code}: ${attempt.fatal.message}`],
        );
        if (round === 1 && !settled) {
          await releaseScript.run(redis, [keys.chunks], [data.chunk, record.attempt]);
          await job.moveToDelayed(Date.now() + pausePollMs, token);
          throw new DelayedError();
        }
        for (const item of retry)
          results.push([item.sequence, item.email, 'failed', `not sent: ${attempt.fatal.message}`]);
        retry.length = 0;
      }
      let next = retry;
      if (uncertain.length > 0) {
        const proven = await settle(uncertain, Date.now());
        next = [...retry, ...proven];
      }
      if (next.length > 0 && round >= maxSendAttempts) {
        for (const item of next) {
          results.push([
            item.sequence,
            item.email,
            'failed',
            `not sent after ${round} attempts: ${lastError}`,
          ]);
        }
        next = [];
      }
      if (next.length > 0 && retry.length > 0) {
        await sleep(attempt.retryAfterMs ?? retryDelayMs * 2 ** (round - 1));
      }
      pending = next;
    }
    await finalize(keys, data.chunk, results, 'claimed', settled);
    return settled ? 'settled' : 'sent';
  }

  const workerConnection = redisFrom(settings.connection, { maxRetriesPerRequest: null });
  const worker = new Worker<ChunkJobData>(queueName, processChunk, {
    connection: workerConnection,
    concurrency: settings.concurrency ?? 4,
    lockDuration: settings.lockDurationMs ?? 30_000,
    stalledInterval: settings.stalledIntervalMs ?? 30_000,
    maxStalledCount: settings.maxStalledCount ?? 10,
    autorun: settings.autorun ?? true,
  });
  // BullMQ emits 'error' for connection trouble; without a listener Node would crash the process.
  worker.on('error', () => undefined);

  let closed = false;
  return {
    worker,
    workerId,
    run: () => worker.run(),
    async close() {
      if (closed) return;
      closed = true;
      await worker.close();
      await workerConnection.quit().catch(() => undefined);
      await redis.quit().catch(() => undefined);
      await ownClient?.close();
    },
  };
}

export type { RedisConnection };
