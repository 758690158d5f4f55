import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type BulkBase,
  BulkInputError,
  type PackedItem,
  packRecipients,
  type RecipientInput,
} from '@mailtrap-kit/bulk-batcher';
import { type Attachment, delay, MailtrapConfigurationError, markErrorClass } from '@mailtrap-kit/core';
import type { Queue } from 'bullmq';
import type { RedisConnection } from './scripts';
import {
  type CampaignKeys,
  type CampaignState,
  campaignKeys,
  checkCampaignId,
  chunkProducedScript,
  initScript,
  producedScript,
} from './store';

/** What a chunk job carries: one batch request's worth of recipients, packed once by the producer. */
export interface ChunkJobData {
  campaign: string;
  chunk: number;
  firstSequence: number;
  count: number;
  fingerprint: string;
  items: Array<Omit<PackedItem, 'bytes'>>;
}

/** Settings a campaign keeps for its whole life (stored in Redis, read by every worker). */
export interface CampaignSettings {
  /**
   * After an interrupted or uncertain attempt is settled through Email Logs, send again the recipients
   * Email Logs shows no message for. Default false, as in bulk-batcher: they stay `uncertain`.
   */
  resendUnsent: boolean;
}

export interface ProduceCampaignOptions {
  /** Campaign id: 1-64 of A-Z a-z 0-9 _ -. Same id = same campaign: producing it again never enqueues a chunk twice. */
  campaign: string;
  /** The shared message (bulk-batcher's `BulkBase`): `from`, and a template or subject + text/html. */
  base: BulkBase;
  /** The recipient list, read once as a stream (bulk-batcher's readers, a database cursor, an array). */
  recipients: Iterable<RecipientInput> | AsyncIterable<RecipientInput>;
  /** Recipients per chunk (= per batch request), 1-500. Default 500. */
  batchSize?: number;
  /** Bytes per batch request. Default 52,428,800 (the API's 50 MB). */
  maxBatchBytes?: number;
  /** Bytes per message. Default 10,485,760 (10 MB). */
  maxMessageBytes?: number;
  /** See {@link CampaignSettings.resendUnsent}. Default false (as in bulk-batcher). */
  resendUnsent?: boolean;
  /**
   * Send every row, even an address (any case) that came earlier in the list. Default false: a
   * repeated address is skipped and counted in `duplicates`, as in bulk-batcher.
   */
  allowDuplicates?: boolean;
  /**
   * At most this many produced chunks wait for workers; the producer pauses reading the list until
   * workers catch up (keeps Redis memory flat for huge lists). Default 1000.
   */
  maxQueuedChunks?: number;
  /** Stops producing; chunks already queued stay queued. */
  signal?: AbortSignal;
}

export interface ProduceCampaignResult {
  campaign: string;
  /**
   * Chunks and recipients of the whole campaign (as far as produced when it was cancelled); skipped
   * duplicates are not recipients.
   */
  chunks: number;
  recipients: number;
  /** Rows skipped because their address came earlier in the list (unless `allowDuplicates`). */
  duplicates: number;
  /**
   * Chunk jobs this run really added to the queue (or re-queued after BullMQ gave up on them); chunks
   * already queued by an earlier run are kept by their job id and not counted.
   */
  enqueued: number;
  /** Chunks skipped because they were already finished. */
  finished: number;
  /** True when the campaign already existed (this run resumed or repeated production). */
  existed: boolean;
  status: CampaignState;
}

/**
 * Thrown when producing a campaign again with another message, settings or recipient list.
 * Code `bulk.campaign_mismatch` (a `MailtrapConfigurationError`).
 */
export class CampaignMismatchError extends MailtrapConfigurationError {
  static {
    markErrorClass(CampaignMismatchError, 'CampaignMismatchError');
  }
  readonly campaign: string;
  constructor(campaign: string, message: string) {
    super(message, { code: 'bulk.campaign_mismatch' });
    this.campaign = campaign;
  }
}

/** An attachment given as a path or bytes, read and base64-encoded; any other one as it is. */
async function selfContainedAttachment(attachment: Attachment): Promise<Attachment> {
  if (!attachment || typeof attachment !== 'object') return attachment;
  const { path, content, ...rest } = attachment;
  if (typeof path === 'string') return { ...rest, content: (await readFile(path)).toString('base64') };
  if (content instanceof Uint8Array) return { ...rest, content: Buffer.from(content).toString('base64') };
  return attachment;
}

/**
 * Workers may run on other machines: attachments given as a file path or bytes are read and
 * base64-encoded here, so the base stored in Redis is complete on its own.
 */
async function selfContainedBase(base: BulkBase): Promise<BulkBase> {
  if (!base || typeof base !== 'object' || !Array.isArray(base.attachments)) return base;
  if (base.attachments.some((attachment) => attachment?.stream !== undefined))
    throw new BulkInputError(
      'base.attachments: a stream cannot be used in a queued campaign (it can be read only once); give a path or content',
      'base.attachments',
    );
  return { ...base, attachments: await Promise.all(base.attachments.map(selfContainedAttachment)) };
}

/**
 * A chunk's items as a job carries them. The packer keeps as an object only a message whose own
 * attachments are read when it is sent (a path, bytes): they are read and encoded here, as the
 * base's are, and the message is queued as its JSON text like every other one (the packer refuses
 * a stream).
 */
async function queuedItems(items: PackedItem[]): Promise<ChunkJobData['items']> {
  const queued: ChunkJobData['items'] = new Array(items.length);
  for (let index = 0; index < items.length; index += 1) {
    const { bytes: _bytes, message, ...item } = items[index]!;
    if (!message) queued[index] = item;
    else {
      const attachments = await Promise.all((message.attachments ?? []).map(selfContainedAttachment));
      queued[index] = { ...item, json: JSON.stringify({ ...message, attachments }) };
    }
  }
  return queued;
}

function checkPositiveInteger(value: number | undefined, name: string, maximum = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > maximum) {
    throw new BulkInputError(`${name} must be an integer from 1 to ${maximum}, got ${String(value)}`, name);
  }
}

export interface ProducerContext {
  redis: RedisConnection;
  queue: Queue<ChunkJobData>;
  prefix: string;
}

export function chunkJobId(campaign: string, chunk: number): string {
  return `${campaign}.${chunk}`;
}

/**
 * Packs a campaign's recipients into chunk jobs (bulk-batcher's packer: every API limit at once,
 * deterministic) and enqueues each under the job id `<campaign>.<chunk>`. Streams the list, holding
 * one chunk at a time. Running it again with the same inputs resumes: finished chunks are skipped,
 * queued ones are not added twice, a chunk that failed in the queue is retried; other inputs throw
 * {@link CampaignMismatchError}.
 */
export async function produceCampaign(
  context: ProducerContext,
  options: ProduceCampaignOptions,
): Promise<ProduceCampaignResult> {
  const campaign = checkCampaignId(options?.campaign);
  checkPositiveInteger(options.batchSize, 'batchSize', 500);
  checkPositiveInteger(options.maxBatchBytes, 'maxBatchBytes');
  checkPositiveInteger(options.maxMessageBytes, 'maxMessageBytes');
  checkPositiveInteger(options.maxQueuedChunks, 'maxQueuedChunks');
  if (!options.recipients || typeof options.recipients !== 'object') {
    throw new BulkInputError('recipients must be an iterable or async iterable of recipients', 'recipients');
  }
  const { redis, queue } = context;
  const keys = campaignKeys(context.prefix, campaign);
  const base = await selfContainedBase(options.base);
  const settings: CampaignSettings = { resendUnsent: options.resendUnsent ?? false };
  const skipDuplicates = options.allowDuplicates !== true;
  const packing = {
    maxBatchRequests: options.batchSize ?? 500,
    maxBatchBytes: options.maxBatchBytes ?? 52_428_800,
    maxMessageBytes: options.maxMessageBytes ?? 10_485_760,
    // Part of the campaign's fingerprint only when it differs from the default.
    ...(skipDuplicates ? {} : { allowDuplicates: true }),
  };
  const maxQueued = options.maxQueuedChunks ?? 1000;
  // Packing validates the base before anything is written: a bad campaign never reaches Redis.
  const batches = packRecipients(options.recipients, {
    base,
    runId: campaign,
    skipDuplicates,
    maxBatchRequests: packing.maxBatchRequests,
    maxBatchBytes: packing.maxBatchBytes,
    maxMessageBytes: packing.maxMessageBytes,
  })[Symbol.asyncIterator]();
  let next = await batches.next();

  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ base, settings, packing }))
    .digest('hex')
    .slice(0, 32);
  const now = () => String(Date.now());
  const [verdict] = (await initScript.run(
    redis,
    [keys.meta],
    [
      campaign,
      fingerprint,
      JSON.stringify(next.done ? base : next.value.base),
      JSON.stringify(settings),
      now(),
    ],
  )) as string[];
  if (verdict === 'mismatch') {
    throw new CampaignMismatchError(
      campaign,
      `campaign ${JSON.stringify(campaign)} already exists with another base message or settings; use a new campaign id`,
    );
  }
  const existed = verdict === 'exists';

  let chunks = 0;
  let recipients = 0;
  let duplicates = 0;
  let enqueued = 0;
  let finished = 0;
  let stopped = false;
  while (!next.done) {
    const batch = next.value;
    await waitForRoom(redis, keys, batch.batch, maxQueued, options.signal);
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    const repeated = batch.items.reduce((sum, item) => sum + (item.duplicate ? 1 : 0), 0);
    const [check, chunkState, status] = (await chunkProducedScript.run(
      redis,
      [keys.meta, keys.chunks, keys.manifest],
      [
        batch.batch,
        `${batch.count}:${batch.fingerprint}`,
        batch.batch + 1,
        batch.firstSequence + batch.count - duplicates - repeated,
        now(),
      ],
    )) as string[];
    if (check === 'mismatch') {
      throw new CampaignMismatchError(
        campaign,
        `campaign ${JSON.stringify(campaign)}: chunk ${batch.batch} differs from the one produced before (${chunkState} recipients:fingerprint); the recipient list changed — use a new campaign id`,
      );
    }
    if (status === 'cancelled') {
      stopped = true;
      break;
    }
    chunks = batch.batch + 1;
    duplicates += repeated;
    recipients = batch.firstSequence + batch.count - duplicates;
    if (chunkState === 'done') {
      finished += 1;
    } else {
      const data: ChunkJobData = {
        campaign,
        chunk: batch.batch,
        firstSequence: batch.firstSequence,
        count: batch.count,
        fingerprint: batch.fingerprint,
        items: await queuedItems(batch.items),
      };
      const jobId = chunkJobId(campaign, batch.batch);
      // BullMQ answers an add with an existing job id with that job and adds nothing: count only new jobs.
      const queued = existed ? await queue.getJob(jobId) : undefined;
      if (!queued) {
        await queue.add('chunk', data, { jobId });
        enqueued += 1;
      } else if ((await queued.getState()) === 'failed') {
        await queued.retry('failed');
        enqueued += 1;
      }
    }
    next = await batches.next();
  }
  if (stopped) await batches.return(undefined);
  if (stopped && !(await isCancelled(redis, keys))) {
    // Aborted by the caller: production is not over, a later run continues it.
    const status = (await redis.hget(keys.meta, 'status')) as CampaignState;
    return { campaign, chunks, recipients, duplicates, enqueued, finished, existed, status };
  }
  const [result, detail] = (await producedScript.run(
    redis,
    [keys.meta, keys.counts, keys.manifest],
    [chunks, recipients, now()],
  )) as string[];
  if (result === 'mismatch') {
    throw new CampaignMismatchError(
      campaign,
      `campaign ${JSON.stringify(campaign)} was produced before with ${detail} chunks, this run gave ${chunks}; the recipient list changed — use a new campaign id`,
    );
  }
  return {
    campaign,
    chunks,
    recipients,
    duplicates,
    enqueued,
    finished,
    existed,
    status: detail as CampaignState,
  };
}

async function isCancelled(redis: RedisConnection, keys: CampaignKeys): Promise<boolean> {
  return (await redis.hget(keys.meta, 'status')) === 'cancelled';
}

async function waitForRoom(
  redis: RedisConnection,
  keys: CampaignKeys,
  chunk: number,
  maxQueued: number,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    if (signal?.aborted) return;
    const done = Number((await redis.hget(keys.counts, 'doneChunks')) ?? 0);
    if (chunk - done < maxQueued) return;
    if (await isCancelled(redis, keys)) return;
    await delay(500, signal).catch(() => undefined);
  }
}
