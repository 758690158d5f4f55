import { randomUUID } from 'node:crypto';
import { LuaScript, type RedisConnection } from './scripts';

/** Core's rate-limit store contract: reserve one request slot, resolve with the ms to wait first. */
export interface RateLimitStore {
  reserve(key: string, limit: { requests: number; windowMs: number }): Promise<number>;
}

/** Settings of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreSettings {
  /** Prefix of the Redis keys (one sorted set per rate-limit key). Default `'mailtrap-kit:rate-limit'`. */
  prefix?: string;
  /**
   * Added to every window, in ms, to absorb the jitter between reserving a slot and the request reaching
   * the server (timers firing late, a busy event loop, network). Default 250.
   */
  safetyMarginMs?: number;
}

// Sliding-window log of reserved slots, kept in one sorted set per key. Slots are handed out in
// non-decreasing time order and slot n is never earlier than slot n - limit plus one window, so any
// window of `windowMs` holds at most `limit` slots, whichever process reserved them. The clock is the
// Redis server's, so machines with skewed clocks still share one timeline.
const reserveScript = new LuaScript(`
if redis.replicate_commands then pcall(redis.replicate_commands) end
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local slot = now
if count >= limit then
  local bound = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  local earliest = tonumber(bound[2]) + window
  if earliest > slot then slot = earliest end
end
redis.call('ZADD', key, slot, ARGV[3])
redis.call('PEXPIRE', key, slot - now + window + 1000)
return slot - now
`);

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * A {@link RateLimitStore} on Redis shared by every process that uses the same Redis and key: one
 * atomic Lua script reserves each request slot, so workers on many machines together never exceed
 * `requests` per `windowMs` for a token.
 */
export function createRedisRateLimitStore(
  redis: RedisConnection,
  settings: RedisRateLimitStoreSettings = {},
): RateLimitStore {
  const prefix = settings.prefix ?? 'mailtrap-kit:rate-limit';
  const safetyMarginMs = settings.safetyMarginMs ?? 250;
  if (!Number.isFinite(safetyMarginMs) || safetyMarginMs < 0) {
    throw new RangeError(`safetyMarginMs must be a number >= 0, got ${String(settings.safetyMarginMs)}`);
  }
  return {
    async reserve(key, limit) {
      const requests = positiveInteger(limit.requests, 'rateLimit.requests');
      const windowMs = positiveInteger(limit.windowMs, 'rateLimit.windowMs');
      const wait = await reserveScript.run(
        redis,
        [`${prefix}:{${key}}`],
        [requests, Math.ceil(windowMs + safetyMarginMs), randomUUID()],
      );
      return Math.max(0, Number(wait));
    },
  };
}
