import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimitStore } from './rate-limit';
import { redisAvailable, startRedisServer, type TestRedisServer } from './redis-server.test-support';

/** For every slot, how many slots fall in the window that starts there. */
function maxInAnyWindow(slots: number[], windowMs: number): number {
  const sorted = [...slots].sort((a, b) => a - b);
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
    const connection = new Redis(server.url, { lazyConnect: false });
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

  it('lets the first `requests` slots through at once and queues the next behind one window', async () => {
    const store = createRedisRateLimitStore(connect(), { safetyMarginMs: 0 });
    const limit = { requests: 5, windowMs: 60_000 };
    const waits: number[] = [];
    for (let index = 0; index < 7; index++) waits.push(await store.reserve('first', limit));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // The sixth and seventh slots wait for the first and second to leave the window.
    expect(waits[5]).toBeGreaterThan(55_000);
    expect(waits[5]).toBeLessThanOrEqual(60_000);
    expect(waits[6]).toBeGreaterThan(55_000);
  });

  it('adds the safety margin to the window', async () => {
    const store = createRedisRateLimitStore(connect(), { safetyMarginMs: 5_000 });
    const limit = { requests: 1, windowMs: 10_000 };
    expect(await store.reserve('margin', limit)).toBe(0);
    const wait = await store.reserve('margin', limit);
    expect(wait).toBeGreaterThan(14_000);
    expect(wait).toBeLessThanOrEqual(15_000);
  });

  it('shares one limit between many connections reserving concurrently, and keeps keys apart', async () => {
    const stores = [connect(), connect(), connect(), connect()].map((connection) =>
      createRedisRateLimitStore(connection, { safetyMarginMs: 0 }),
    );
    const limit = { requests: 10, windowMs: 1_000 };
    const redis = connect();
    const waits = await Promise.all(
      Array.from({ length: 200 }, (_, index) => stores[index % stores.length]!.reserve('shared', limit)),
    );
    // The slots themselves, on the server's clock.
    const slots = (await redis.zrange('mailtrap-kit:rate-limit:{shared}', 0, -1, 'WITHSCORES'))
      .filter((_, index) => index % 2 === 1)
      .map(Number);
    // Entries that left the window are trimmed; the set still holds the most recent slots.
    expect(slots.length).toBeGreaterThanOrEqual(10);
    expect(maxInAnyWindow(slots, limit.windowMs)).toBeLessThanOrEqual(10);
    waits.sort((a, b) => a - b);
    // 200 slots at 10 per second: the last one is about 19 s out, none is handed out twice.
    expect(waits.filter((wait) => wait === 0).length).toBeLessThanOrEqual(10);
    expect(waits.at(-1)).toBeGreaterThan(18_000);
    expect(await stores[0]!.reserve('another-token', limit)).toBe(0);
  });

  it('rejects a limit that is not a positive integer', async () => {
    const store = createRedisRateLimitStore(connect());
    await expect(store.reserve('bad', { requests: 0, windowMs: 1000 })).rejects.toThrow(/rateLimit.requests/);
    await expect(store.reserve('bad', { requests: 1, windowMs: 1.5 })).rejects.toThrow(/rateLimit.windowMs/);
    expect(() => createRedisRateLimitStore(connect(), { safetyMarginMs: -1 })).toThrow(/safetyMarginMs/);
  });
});
