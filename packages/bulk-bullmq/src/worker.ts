import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BatchSendingClient,
  type BulkBase,
  BulkInputError,
  type EmailLogsClient,
} from '@mailtrap-kit/bulk-batcher';
import { MailtrapClient, type MailtrapClientOptions } from '@mailtrap-kit/core';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { type CampaignInfo, type ChunkContext, processChunk } from './chunk';
import type { CampaignSettings, ChunkJobData } from './producer';
import { createRedisRateLimitStore, type RedisRateLimitStoreSettings } from './rate-limit';
import type { RedisConnection } from './scripts';
import { type CampaignKeys, defaultPrefix, defaultQueueName } from './store';

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

function checkSetting(value: number | undefined, name: string, minimum = 1): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new BulkInputError(`${name} must be a number >= ${minimum}, got ${String(value)}`, name);
  }
}

export function redisFrom(connection: RedisConnectionSettings, extra: RedisOptions = {}): Redis {
  if (typeof connection === 'string') return new Redis(connection, extra);
  if (connection && typeof connection === 'object') return new Redis({ ...connection, ...extra });
  throw new BulkInputError('connection must be a redis:// URL or ioredis options', 'connection');
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
  if (!settings || typeof settings !== 'object')
    throw new BulkInputError('createBulkWorker needs settings', 'settings');
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
      // One retry budget: the send engine's attempts (maxSendAttempts), not core's inside each of them.
      retry: false,
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

  const workerConnection = redisFrom(settings.connection, { maxRetriesPerRequest: null });
  const context: ChunkContext = {
    redis,
    prefix,
    workerId,
    client,
    settleDelayMs,
    pausePollMs,
    maxSendAttempts,
    retryDelayMs,
    emailLogsRateLimit: emailLogsLimit,
    campaignInfo,
  };
  const worker = new Worker<ChunkJobData>(queueName, (job, token) => processChunk(context, job, token), {
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
