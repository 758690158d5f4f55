import { BulkInputError } from '@mailtrap-kit/bulk-batcher';
import { MailtrapNotFoundError, markErrorClass } from '@mailtrap-kit/core';
import { LuaScript, type RedisConnection } from './scripts';

/**
 * Where a campaign lives in Redis. Every key of one campaign shares the `{campaign}` hash tag, so the
 * Lua scripts work on Redis Cluster too.
 *
 * - `meta` (hash): status, base message, settings, production progress, timestamps
 * - `chunks` (hash): chunk number → `done`, or the JSON in-flight record of the attempt sending it
 * - `results` (hash): chunk number → compact per-recipient results (JSON array of [sequence, email, state, detail])
 * - `counts` (hash): recipients per final state, finished chunks, settled chunks
 * - `manifest` (hash): chunk number → `count:fingerprint` as packed by the first producer run
 * - `partial` (hash): chunk number → the final results an attempt in progress has recorded so far
 *   (the send engine's persistence port): a worker taking over a dead one's chunk keeps them and
 *   settles only the rest through Email Logs
 */
export interface CampaignKeys {
  meta: string;
  chunks: string;
  results: string;
  counts: string;
  manifest: string;
  partial: string;
}

export const defaultPrefix = 'mailtrap-bulk';
export const defaultQueueName = 'mailtrap-bulk';
const campaignIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws when a campaign id cannot be used (it goes into Redis keys, job ids and every message's tag). */
export function checkCampaignId(campaign: unknown): string {
  if (typeof campaign !== 'string' || !campaignIdPattern.test(campaign)) {
    throw new BulkInputError(
      `campaign must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-' (it becomes part of Redis keys and of each message's tag), got ${JSON.stringify(campaign)}`,
      'campaign',
    );
  }
  return campaign;
}

export function campaignKeys(prefix: string, campaign: string): CampaignKeys {
  const base = `${prefix}:{${campaign}}`;
  return {
    meta: `${base}:meta`,
    chunks: `${base}:chunks`,
    results: `${base}:results`,
    counts: `${base}:counts`,
    manifest: `${base}:manifest`,
    partial: `${base}:partial`,
  };
}

export function keyList(keys: CampaignKeys): string[] {
  return [keys.meta, keys.chunks, keys.results, keys.counts, keys.manifest, keys.partial];
}

/**
 * The final state of one recipient: bulk-batcher's words. `unsent` = not accepted (the campaign was
 * cancelled first, the attempts ran out on 429 / refused connections, or Email Logs shows no message).
 */
export type RecipientState = 'sent' | 'failed' | 'uncertain' | 'unsent';
export type CampaignState = 'running' | 'paused' | 'cancelled' | 'completed';

/** One stored result: [sequence, email, state, message id or error]. */
export type CompactResult = [number, string, RecipientState, string?];

// Completes the campaign when production is over and every produced chunk is done.
const completeIfDone = `
local function completeIfDone(meta, counts, now)
  if redis.call('HGET', meta, 'produced') ~= '1' then return end
  local total = tonumber(redis.call('HGET', meta, 'totalChunks') or '0')
  local done = tonumber(redis.call('HGET', counts, 'doneChunks') or '0')
  if done >= total then
    if redis.call('HGET', meta, 'status') ~= 'cancelled' then redis.call('HSET', meta, 'status', 'completed') end
    if not redis.call('HGET', meta, 'finishedAt') then redis.call('HSET', meta, 'finishedAt', now) end
  end
end
`;

/** KEYS: meta. ARGV: campaign, fingerprint, message JSON, settings JSON, now. */
export const initScript = new LuaScript(`
local existing = redis.call('HGET', KEYS[1], 'fingerprint')
if existing then
  if existing ~= ARGV[2] then return {'mismatch'} end
  return {'exists', redis.call('HGET', KEYS[1], 'status')}
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'fingerprint', ARGV[2], 'message', ARGV[3], 'settings', ARGV[4],
  'status', 'running', 'createdAt', ARGV[5], 'updatedAt', ARGV[5], 'produced', '0',
  'producedChunks', '0', 'producedRecipients', '0')
return {'created'}
`);

/**
 * Records one produced chunk. KEYS: meta, chunks, manifest. ARGV: chunk, manifest entry, produced chunks,
 * produced recipients, now. Returns [manifest check, chunk state, campaign status].
 */
export const chunkProducedScript = new LuaScript(`
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if entry and entry ~= ARGV[2] then return {'mismatch', entry, ''} end
if not entry and redis.call('HGET', KEYS[1], 'produced') == '1' then
  return {'mismatch', 'none (the campaign was produced with ' .. (redis.call('HGET', KEYS[1], 'totalChunks') or '?') .. ' chunks)', ''}
end
if not entry then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
local produced = tonumber(redis.call('HGET', KEYS[1], 'producedChunks') or '0')
if tonumber(ARGV[3]) > produced then
  redis.call('HSET', KEYS[1], 'producedChunks', ARGV[3], 'producedRecipients', ARGV[4], 'updatedAt', ARGV[5])
end
return {'ok', redis.call('HGET', KEYS[2], ARGV[1]) or '', redis.call('HGET', KEYS[1], 'status') or ''}
`);

/** Ends production. KEYS: meta, counts, manifest. ARGV: total chunks, total recipients, now. */
export const producedScript = new LuaScript(`
${completeIfDone}
if redis.call('HGET', KEYS[1], 'produced') == '1' then
  local chunks = redis.call('HGET', KEYS[1], 'totalChunks')
  if chunks ~= ARGV[1] and redis.call('HGET', KEYS[1], 'status') ~= 'cancelled' then
    return {'mismatch', chunks}
  end
else
  if redis.call('HLEN', KEYS[3]) > tonumber(ARGV[1]) and redis.call('HGET', KEYS[1], 'status') ~= 'cancelled' then
    return {'mismatch', tostring(redis.call('HLEN', KEYS[3]))}
  end
  redis.call('HSET', KEYS[1], 'produced', '1', 'totalChunks', ARGV[1], 'totalRecipients', ARGV[2],
    'producedChunks', ARGV[1], 'producedRecipients', ARGV[2], 'updatedAt', ARGV[3])
end
completeIfDone(KEYS[1], KEYS[2], ARGV[3])
return {'ok', redis.call('HGET', KEYS[1], 'status')}
`);

/**
 * Claims a chunk for one attempt. KEYS: meta, chunks. ARGV: chunk, in-flight record JSON.
 * Returns ['done'] | ['stale', previous record] | ['cancelled'] | ['paused'] | ['missing'] | ['claimed'].
 * A chunk found in flight belongs to an attempt that stopped without finishing (a dead or stalled
 * worker): the new attempt takes it over and must settle it before sending anything.
 */
export const claimScript = new LuaScript(`
local state = redis.call('HGET', KEYS[2], ARGV[1])
if state == 'done' then return {'done'} end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing'} end
if state then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  return {'stale', state, status}
end
if status == 'cancelled' then return {'cancelled'} end
if status == 'paused' then return {'paused'} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {'claimed'}
`);

/** Drops a claim nothing was sent under. KEYS: chunks. ARGV: chunk, attempt id. */
export const releaseScript = new LuaScript(`
local state = redis.call('HGET', KEYS[1], ARGV[1])
if not state or state == 'done' then return 0 end
local ok, record = pcall(cjson.decode, state)
if ok and record.attempt == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
`);

/**
 * Writes a chunk's final results, once. KEYS: meta, chunks, results, counts, partial.
 * ARGV: chunk, results JSON, sent, failed, uncertain, unsent, now, mode, settled.
 * mode 'unclaimed' finalizes only a chunk no attempt has claimed (cancel).
 */
export const finalizeScript = new LuaScript(`
${completeIfDone}
local state = redis.call('HGET', KEYS[2], ARGV[1])
if state == 'done' then return 0 end
if ARGV[8] == 'unclaimed' and state then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], 'done')
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[4], 'sent', ARGV[3])
redis.call('HINCRBY', KEYS[4], 'failed', ARGV[4])
redis.call('HINCRBY', KEYS[4], 'uncertain', ARGV[5])
redis.call('HINCRBY', KEYS[4], 'unsent', ARGV[6])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HINCRBY', KEYS[4], 'doneChunks', 1)
if ARGV[9] == '1' then redis.call('HINCRBY', KEYS[4], 'settledChunks', 1) end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[7])
completeIfDone(KEYS[1], KEYS[4], ARGV[7])
return 1
`);

/**
 * Changes a campaign's status. KEYS: meta, counts. ARGV: action (pause | resume | cancel), now, reason.
 * Returns [previous status, new status]; a completed or cancelled campaign keeps its status.
 */
export const setStatusScript = new LuaScript(`
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing', 'missing'} end
local next = status
if ARGV[1] == 'pause' and status == 'running' then next = 'paused' end
if ARGV[1] == 'resume' and status == 'paused' then next = 'running' end
if ARGV[1] == 'cancel' and (status == 'running' or status == 'paused') then next = 'cancelled' end
if next ~= status then
  redis.call('HSET', KEYS[1], 'status', next, 'updatedAt', ARGV[2])
  if next == 'paused' then redis.call('HSET', KEYS[1], 'pausedReason', ARGV[3]) end
  if next == 'running' then redis.call('HDEL', KEYS[1], 'pausedReason') end
  if next == 'cancelled' then
    redis.call('HSET', KEYS[1], 'cancelledAt', ARGV[2])
    if redis.call('HGET', KEYS[1], 'produced') == '1' then
      local total = tonumber(redis.call('HGET', KEYS[1], 'totalChunks') or '0')
      local done = tonumber(redis.call('HGET', KEYS[2], 'doneChunks') or '0')
      if done >= total then redis.call('HSET', KEYS[1], 'finishedAt', ARGV[2]) end
    end
  end
end
return {status, next}
`);

/** The in-flight record of one attempt at a chunk. */
export interface InflightRecord {
  attempt: string;
  worker: string;
  startedAt: number;
}

/** Where a campaign stands. */
export interface CampaignStatus {
  campaign: string;
  status: CampaignState;
  /** Why the campaign is paused, when a worker paused it (e.g. the token was refused). */
  pausedReason?: string;
  /** True once the producer has read the whole recipient list. */
  produced: boolean;
  recipients: {
    /** Recipients produced so far (the whole list once `produced`). */
    total: number;
    sent: number;
    failed: number;
    uncertain: number;
    /** Not accepted: cancelled before sending, given up on, or shown absent by Email Logs. */
    unsent: number;
    /** Produced but not yet in a final state (queued or being sent). */
    pending: number;
  };
  chunks: {
    total: number;
    done: number;
    /** Claimed by a worker right now (or by one that died and was not yet taken over). */
    inflight: number;
    /** Chunks that went through Email Logs settlement after an uncertain or interrupted attempt. */
    settled: number;
  };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** Thrown when a campaign does not exist in Redis. Code `bulk.campaign_not_found` (a `MailtrapNotFoundError`). */
export class CampaignNotFoundError extends MailtrapNotFoundError {
  static {
    markErrorClass(CampaignNotFoundError, 'CampaignNotFoundError');
  }
  readonly campaign: string;
  constructor(campaign: string) {
    super(`campaign ${JSON.stringify(campaign)} does not exist in this Redis (wrong prefix or REDIS_URL?)`, {
      code: 'bulk.campaign_not_found',
    });
    this.campaign = campaign;
  }
}

export interface CampaignLookupOptions {
  /** Prefix of the campaign keys. Default `'mailtrap-bulk'`. */
  prefix?: string;
}

const iso = (value: string | undefined) => new Date(Number(value ?? 0)).toISOString();

/** Counts by state and progress of one campaign, read in one round trip. */
export async function campaignStatus(
  redis: RedisConnection,
  campaign: string,
  options: CampaignLookupOptions = {},
): Promise<CampaignStatus> {
  checkCampaignId(campaign);
  const keys = campaignKeys(options.prefix ?? defaultPrefix, campaign);
  const [meta, counts, claimed] = await Promise.all([
    redis.hmget(
      keys.meta,
      'status',
      'produced',
      'producedChunks',
      'producedRecipients',
      'createdAt',
      'updatedAt',
      'finishedAt',
      'pausedReason',
    ),
    redis.hgetall(keys.counts),
    redis.hlen(keys.chunks),
  ]);
  const [
    status,
    produced,
    producedChunks,
    producedRecipients,
    createdAt,
    updatedAt,
    finishedAt,
    pausedReason,
  ] = meta;
  if (!status) throw new CampaignNotFoundError(campaign);
  const count = (name: string) => Number(counts[name] ?? 0);
  const total = Number(producedRecipients ?? 0);
  const unsent = count('unsent');
  const finished = count('sent') + count('failed') + count('uncertain') + unsent;
  const result: CampaignStatus = {
    campaign,
    status: status as CampaignState,
    produced: produced === '1',
    recipients: {
      total,
      sent: count('sent'),
      failed: count('failed'),
      uncertain: count('uncertain'),
      unsent,
      pending: Math.max(0, total - finished),
    },
    chunks: {
      total: Number(producedChunks ?? 0),
      done: count('doneChunks'),
      inflight: Math.max(0, claimed - count('doneChunks')),
      settled: count('settledChunks'),
    },
    createdAt: iso(createdAt ?? undefined),
    updatedAt: iso(updatedAt ?? undefined),
  };
  if (pausedReason) result.pausedReason = pausedReason;
  if (finishedAt) result.finishedAt = iso(finishedAt);
  return result;
}

/** One recipient's final result, as exported. */
export interface RecipientResult {
  campaign: string;
  /** Position in the recipient list, from 0 (the tag's `mtk_id`). */
  sequence: number;
  email: string;
  state: RecipientState;
  messageId?: string;
  error?: string;
}

/**
 * Every final per-recipient result of a campaign in recipient order, chunk by chunk (streams; holds
 * one page of chunks in memory). Recipients of chunks not finished yet are not included.
 */
export async function* campaignResults(
  redis: RedisConnection,
  campaign: string,
  options: CampaignLookupOptions = {},
): AsyncGenerator<RecipientResult> {
  checkCampaignId(campaign);
  const keys = campaignKeys(options.prefix ?? defaultPrefix, campaign);
  const producedChunks = await redis.hget(keys.meta, 'producedChunks');
  if (producedChunks === null) throw new CampaignNotFoundError(campaign);
  const total = Number(producedChunks);
  const page = 50;
  for (let start = 0; start < total; start += page) {
    const fields = Array.from({ length: Math.min(page, total - start) }, (_, index) => String(start + index));
    const values = await redis.hmget(keys.results, ...fields);
    for (const value of values) {
      if (!value) continue;
      for (const [sequence, email, state, detail] of JSON.parse(value) as CompactResult[]) {
        const result: RecipientResult = { campaign, sequence, email, state };
        if (detail !== undefined) {
          if (state === 'sent') result.messageId = detail;
          else result.error = detail;
        }
        yield result;
      }
    }
  }
}
