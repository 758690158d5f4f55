import { BulkInputError } from '@mailtrap-kit/bulk-batcher';
import { delay } from '@mailtrap-kit/core';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type ChunkJobData,
  chunkJobId,
  type ProduceCampaignOptions,
  type ProduceCampaignResult,
  produceCampaign,
} from './producer';
import {
  type CampaignState,
  type CampaignStatus,
  CampaignNotFoundError,
  campaignKeys,
  campaignResults,
  campaignStatus,
  checkCampaignId,
  defaultPrefix,
  defaultQueueName,
  finalizeScript,
  keyList,
  type RecipientResult,
  setStatusScript,
} from './store';
import { cancelledReason } from './chunk';
import { type RedisConnectionSettings, redisFrom } from './worker';

export interface BulkQueueSettings {
  /** Redis for the queue and the campaign state: a `redis://` URL or ioredis options. */
  connection: RedisConnectionSettings;
  /** BullMQ queue name. Default 'mailtrap-bulk'. Must match the workers'. */
  queueName?: string;
  /** Prefix of the campaign keys. Default 'mailtrap-bulk'. Must match the workers'. */
  prefix?: string;
  /** Attempts BullMQ gives a chunk whose processing threw (Redis trouble, not sending failures). Default 5. */
  jobAttempts?: number;
}

/** The result of pause, resume or cancel. */
export interface CampaignControlResult {
  campaign: string;
  previous: CampaignState;
  status: CampaignState;
  /** Queued chunks touched: promoted (resume), or finalized as unsent and removed (cancel). */
  chunks: number;
}

export interface BulkQueue {
  /** The underlying BullMQ queue. */
  readonly queue: Queue<ChunkJobData>;
  /** The campaign-state connection (also usable with `campaignStatus`). */
  readonly redis: Redis;
  /** Turns a campaign into chunk jobs; safe to run again (see `ProduceCampaignOptions`). */
  produce(options: ProduceCampaignOptions): Promise<ProduceCampaignResult>;
  /** Counts by state and progress. */
  status(campaign: string): Promise<CampaignStatus>;
  /** Final per-recipient results in recipient order. */
  results(campaign: string): AsyncGenerator<RecipientResult>;
  /** Stops sending new chunks (chunks in progress finish). */
  pause(campaign: string): Promise<CampaignControlResult>;
  /** Sends again after a pause; paused chunks are picked up at once. */
  resume(campaign: string): Promise<CampaignControlResult>;
  /** Stops the campaign for good: queued chunks end `unsent` (cancelled), chunks in progress finish. */
  cancel(campaign: string): Promise<CampaignControlResult>;
  /** Resolves when the campaign is completed or cancelled with every chunk finished. */
  waitUntilFinished(
    campaign: string,
    options?: { pollMs?: number; signal?: AbortSignal },
  ): Promise<CampaignStatus>;
  /**
   * Deletes a finished campaign from Redis: its state, its results and any job left in the queue.
   * Throws for a campaign still running or paused (cancel it first) — results are gone afterwards.
   */
  remove(campaign: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The producer and control side of a bulk campaign on BullMQ: produce, status, results, pause,
 * resume and cancel, against the same Redis and queue name as the workers.
 */
export function createBulkQueue(settings: BulkQueueSettings): BulkQueue {
  if (!settings || typeof settings !== 'object')
    throw new BulkInputError('createBulkQueue needs settings', 'settings');
  const attempts = settings.jobAttempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new BulkInputError(
      `jobAttempts must be a positive integer, got ${String(settings.jobAttempts)}`,
      'jobAttempts',
    );
  }
  const prefix = settings.prefix ?? defaultPrefix;
  const redis = redisFrom(settings.connection);
  const queueConnection = redisFrom(settings.connection, { maxRetriesPerRequest: null });
  const queue = new Queue<ChunkJobData>(settings.queueName ?? defaultQueueName, {
    connection: queueConnection,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: false,
    },
  });
  queue.on('error', () => undefined);

  async function control(campaign: string, action: 'pause' | 'resume' | 'cancel') {
    checkCampaignId(campaign);
    const keys = campaignKeys(prefix, campaign);
    const [previous, status] = (await setStatusScript.run(
      redis,
      [keys.meta, keys.counts],
      [action, Date.now(), action === 'pause' ? 'paused by the user' : ''],
    )) as string[];
    if (previous === 'missing') throw new CampaignNotFoundError(campaign);
    return { previous: previous as CampaignState, status: status as CampaignState };
  }

  /** Visits the queued (not active) jobs of one campaign, page by page. */
  async function forEachQueuedJob(
    campaign: string,
    types: Array<'wait' | 'delayed' | 'prioritized' | 'paused' | 'failed'>,
    visit: (job: Job<ChunkJobData>) => Promise<boolean>,
  ): Promise<number> {
    let touched = 0;
    let offset = 0;
    const page = 100;
    for (;;) {
      const jobs = await queue.getJobs(types, offset, offset + page - 1, true);
      if (jobs.length === 0) break;
      let removed = 0;
      for (const job of jobs) {
        if (!job || job.data?.campaign !== campaign || job.id !== chunkJobId(campaign, job.data.chunk))
          continue;
        if (await visit(job)) touched += 1;
        if (!(await queue.getJob(job.id!))) removed += 1;
      }
      offset += jobs.length - removed;
    }
    return touched;
  }

  return {
    queue,
    redis,
    produce: (options) => produceCampaign({ redis, queue, prefix }, options),
    status: (campaign) => campaignStatus(redis, campaign, { prefix }),
    results: (campaign) => campaignResults(redis, campaign, { prefix }),
    async pause(campaign) {
      const result = await control(campaign, 'pause');
      return { campaign, ...result, chunks: 0 };
    },
    async resume(campaign) {
      const result = await control(campaign, 'resume');
      let chunks = 0;
      if (result.status === 'running') {
        chunks = await forEachQueuedJob(campaign, ['delayed'], async (job) => {
          await job.promote().catch(() => undefined);
          return true;
        });
      }
      return { campaign, ...result, chunks };
    },
    async cancel(campaign) {
      const result = await control(campaign, 'cancel');
      const keys = campaignKeys(prefix, campaign);
      const chunks = await forEachQueuedJob(
        campaign,
        ['wait', 'delayed', 'prioritized', 'paused'],
        async (job) => {
          const data = job.data;
          const written = await finalizeScript.run(
            redis,
            [keys.meta, keys.chunks, keys.results, keys.counts, keys.partial],
            [
              data.chunk,
              JSON.stringify(
                data.items.map((item) => [item.sequence, item.email, 'unsent', cancelledReason]),
              ),
              0,
              0,
              0,
              data.items.length,
              Date.now(),
              'unclaimed',
              '0',
            ],
          );
          if (written === 1) {
            await job.remove().catch(() => undefined);
            return true;
          }
          // Claimed before (an attempt to settle is pending): let a worker settle it now.
          if (await job.isDelayed()) await job.promote().catch(() => undefined);
          return false;
        },
      );
      return { campaign, ...result, chunks };
    },
    async remove(campaign) {
      const status = await campaignStatus(redis, campaign, { prefix });
      if (!status.finishedAt) {
        throw new BulkInputError(
          `campaign ${JSON.stringify(campaign)} is ${status.status} with ${status.recipients.pending} recipients pending; cancel it (and let chunks in progress finish) before removing it`,
          'campaign',
        );
      }
      await forEachQueuedJob(
        campaign,
        ['wait', 'delayed', 'prioritized', 'paused', 'failed'],
        async (job) => {
          await job.remove().catch(() => undefined);
          return true;
        },
      );
      await redis.del(...keyList(campaignKeys(prefix, campaign)));
    },
    async waitUntilFinished(campaign, options = {}) {
      for (;;) {
        const status = await campaignStatus(redis, campaign, { prefix });
        if (status.finishedAt) return status;
        await delay(options.pollMs ?? 1_000, options.signal);
      }
    },
    async close() {
      await queue.close();
      await queueConnection.quit().catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}
