import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './example';
import { hasRedisServer, type RedisServer, startRedisServer } from './redis-server';

describe.skipIf(!hasRedisServer())('bulk-bullmq example', () => {
  let emulator: RunningEmulator;
  let redis: RedisServer;
  beforeAll(async () => {
    emulator = await startEmulator();
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await emulator?.close();
    await redis?.stop();
  });

  it('sends every recipient of the campaign once, on the bulk stream, in batches of 500', async () => {
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'news@example.com' },
      to: { email: 'customer@example.org' },
      redisUrl: redis.url,
      recipients: 1_200,
      log: () => {},
    });

    expect(result).toEqual({ sent: 1_200, failed: 0 });
    const messages = emulator.messages({ stream: 'bulk' });
    expect(messages).toHaveLength(result.sent);
    const recipients = new Set(messages.flatMap((message) => message.to.map((address) => address.email)));
    expect(recipients.size).toBe(1_200);
    expect(recipients.has('customer+01200@example.org')).toBe(true);
    expect(emulator.requests().filter((request) => request.kind === 'batch')).toHaveLength(3);
  }, 120_000);
});
