import { createServer, type Server } from 'node:net';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorTarget, runAll } from './run-all';
import { formatTable } from './table';

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

    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^adapter\s+messages sent\s+failures\s+time$/);
    expect(table.find((line) => line.startsWith('bulk-batcher'))).toMatch(/\s10,000\s+0\s+\d+\.\d s$/);
  });
});
