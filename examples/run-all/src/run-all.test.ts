import { createServer, type Server } from 'node:net';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorTarget, environmentTarget, runAll } from './run-all';
import { formatTable, withTotal } from './table';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('runAll', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ retainBodies: 20_000 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('runs every example against one emulator and skips bulk-bullmq with a hint when Redis is unreachable', async () => {
    const redisUrl = `redis://127.0.0.1:${await closedPort()}`;
    const printed: string[] = [];
    const rows = await runAll({
      target: emulatorTarget(emulator, redisUrl, () => {}),
      emulator,
      print: (line) => printed.push(line),
    });

    expect(rows.map((row) => row.adapter)).toEqual([
      'core',
      'nodemailer-transport',
      'bulk-batcher',
      'bulk-bullmq',
      'templates',
      'emulator (test helper)',
    ]);
    const bullmq = rows.find((row) => row.adapter === 'bulk-bullmq');
    expect(bullmq?.sent).toBeUndefined();
    expect(bullmq?.note).toBe(
      `skipped: needs Redis — start one (e.g. \`redis-server\`) or set REDIS_URL (tried ${redisUrl})`,
    );
    const ran = rows.filter((row) => row !== bullmq);
    expect(ran.every((row) => row.failed === 0 && row.note === undefined)).toBe(true);
    const sent = ran.reduce((sum, row) => sum + (row.sent ?? 0), 0);
    expect(sent).toBeGreaterThan(10_000);
    expect(emulator.stats().messages).toBe(sent);

    const table = formatTable(withTotal(rows)).split('\n');
    expect(table[0]).toMatch(/^adapter\s+messages sent\s+failures\s+time$/);
    expect(table.find((line) => line.startsWith('bulk-batcher'))).toMatch(/\s10,000\s+0\s+\d+\.\d s$/);
    expect(table.at(-1)).toMatch(
      new RegExp(`^total\\s+${sent.toLocaleString('en-US')}\\s+0\\s+\\d+\\.\\d s$`),
    );
  });
});

describe('environmentTarget', () => {
  const log = () => {};

  it('reads the documented variables for sending through Mailtrap', () => {
    const target = environmentTarget(
      {
        MAILTRAP_API_TOKEN: 'token-value',
        MAILTRAP_FROM: 'news@acme.test',
        MAILTRAP_TO: 'me@acme.test',
        MAILTRAP_SANDBOX_ID: '123',
        MAILTRAP_ACCOUNT_ID: '45',
        MAILTRAP_TEMPLATE_UUID: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      },
      'redis://redis.internal:6379',
      log,
    );

    expect(target).toMatchObject({
      token: 'token-value',
      from: { email: 'news@acme.test' },
      to: { email: 'me@acme.test' },
      sandboxId: 123,
      accountId: 45,
      templateUuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      redisUrl: 'redis://redis.internal:6379',
      recipients: 10,
    });
    expect(target.endpoints).toBeUndefined();
  });

  it('names a missing variable', () => {
    expect(() =>
      environmentTarget({ MAILTRAP_API_TOKEN: 'token-value' }, 'redis://127.0.0.1:6379', log),
    ).toThrow(/MAILTRAP_FROM is required/);
  });
});
