import { describeRateLimitStore } from '@mailtrap-kit/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireRedisSlot, createRedisRateLimitStore } from './rate-limit';
import { redisAvailable, startRedisServer, type TestRedisServer } from './redis-server.test-support';

/** The largest number of moments that fall in any window of `windowMs` (windows start at each moment). */
function busiestWindow(moments: number[], windowMs: number): number {
  const sorted = [...moments].sort((a, b) => a - b);
  let max = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    max = Math.max(max, end - start);
  }
  return max;
}

describe.skipIf(!redisAvailable())('createRedisRateLimitStore', () => {
  let server: TestRedisServer;
  const connections: Redis[] = [];
  const connect = () => {
    const connection = new Redis(server.url);
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit().catch(() => undefined)));
    await server?.stop();
  });

  // core's contract for every RateLimitStore (the memory store runs the same suite)
  describeRateLimitStore('Redis sliding-window log', () => createRedisRateLimitStore(connect()), {
    safetyMarginMs: 250,
  });

  it('lets `requests` through at once, then one more each time one leaves the window', async () => {
    const redis = connect();
    const taken: number[] = [];
    // A window of a second: three round trips to a local Redis fit in it even on a busy machine.
    for (let index = 0; index < 6; index++)
      taken.push((await acquireRedisSlot(redis, 'first', 3, 1_000)).takenAt);
    // The first three go at once; slot n + 3 is at least one window after slot n.
    expect(taken[2]! - taken[0]!).toBeLessThan(1_000);
    for (let index = 3; index < taken.length; index++) {
      expect(taken[index]! - taken[index - 3]!).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('shares one limit between many connections taking slots at the same time, and keeps keys apart', async () => {
    const redis = [connect(), connect(), connect(), connect()];
    const limit = { requests: 10, windowMs: 250 };
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        acquireRedisSlot(redis[index % redis.length]!, 'shared', limit.requests, limit.windowMs),
      ),
    );
    const moments = results.map((result) => result.takenAt);
    expect(busiestWindow(moments, limit.windowMs)).toBe(10);
    // 60 slots at 10 per window: the last one is at least 5 windows after the first.
    expect(Math.max(...moments) - Math.min(...moments)).toBeGreaterThanOrEqual(5 * limit.windowMs);
    expect((await acquireRedisSlot(redis[0]!, 'another-token', 1, 60_000)).waitedMs).toBeLessThan(60_000);
  });

  it('when smoothing, spreads the slots evenly over the window instead of a burst', async () => {
    const redis = connect();
    const taken: number[] = [];
    for (let index = 0; index < 6; index++)
      taken.push((await acquireRedisSlot(redis, 'smooth', 5, 500, true)).takenAt);
    for (let index = 1; index < taken.length; index++) {
      expect(taken[index]! - taken[index - 1]!).toBeGreaterThanOrEqual(100);
    }
  });

  it('as a store: resolves with 0 once the request may go, with the safety margin added to the window', async () => {
    const redis = connect();
    const store = createRedisRateLimitStore(redis, { safetyMarginMs: 200, prefix: 'test-limit' });
    const limit = { requests: 2, windowMs: 100 };
    const started = Date.now();
    const waits = [];
    for (let index = 0; index < 3; index++) waits.push(await store.reserve('margin', limit));
    expect(waits).toEqual([0, 0, 0]);
    // The third waited for the first to leave a window of 100 + 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Kept under the store's prefix, with the key in a hash tag (Redis Cluster keeps it in one slot).
    expect(await redis.exists('test-limit:{margin}')).toBe(1);
  });

  it('as a store: an aborted caller stops waiting at once and takes no slot', async () => {
    const redis = connect();
    const store = createRedisRateLimitStore(redis, { safetyMarginMs: 0, prefix: 'test-abort' });
    const limit = { requests: 1, windowMs: 60_000 };
    expect(await store.reserve('abort', limit)).toBe(0);
    await expect(
      store.reserve('abort', limit, { signal: AbortSignal.abort(new Error('gone')) }),
    ).rejects.toThrow('gone');
    const controller = new AbortController();
    const waiting = store.reserve('abort', limit, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopped')), 100);
    // Without honouring the signal this would wait the whole minute (beyond the test's timeout).
    await expect(waiting).rejects.toThrow('stopped');
    expect(await redis.zcard('test-abort:{abort}')).toBe(1);
  });

  it('as a store: a slot that cannot come before the caller deadline is not taken; its wait is returned', async () => {
    const redis = connect();
    const store = createRedisRateLimitStore(redis, { safetyMarginMs: 0, prefix: 'test-deadline' });
    const limit = { requests: 1, windowMs: 60_000 };
    expect(await store.reserve('deadline', limit)).toBe(0);
    const wait = await store.reserve('deadline', limit, { deadline: Date.now() + 1_000 });
    expect(wait).toBeGreaterThan(1_000);
    expect(await redis.zcard('test-deadline:{deadline}')).toBe(1);
  });

  it('rejects a limit that is not a positive integer', async () => {
    const store = createRedisRateLimitStore(connect());
    await expect(store.reserve('bad', { requests: 0, windowMs: 1000 })).rejects.toThrow(/rateLimit.requests/);
    await expect(store.reserve('bad', { requests: 1, windowMs: 1.5 })).rejects.toThrow(/rateLimit.windowMs/);
    expect(() => createRedisRateLimitStore(connect(), { safetyMarginMs: -1 })).toThrow(/safetyMarginMs/);
  });
});
