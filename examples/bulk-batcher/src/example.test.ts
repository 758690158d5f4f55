import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './example';

describe('bulk-batcher example', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('streams the 10,000-recipient file to the bulk stream, each recipient once, with progress lines', async () => {
    const lines: string[] = [];
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'news@example.com' },
      to: { email: 'reader@example.org' },
      log: (line) => lines.push(line),
    });

    expect(result).toEqual({ sent: 10_000, failed: 0 });
    expect(emulator.stats().byStream.bulk).toEqual({ messages: 10_000, recipients: 10_000 });
    const recipients = new Set(
      emulator.messages().flatMap((message) => message.to.map((address) => address.email)),
    );
    expect(recipients.size).toBe(10_000);
    expect(recipients.has('reader+10000@example.org')).toBe(true);
    expect(
      emulator.requests().filter((request) => request.kind === 'batch' && request.status === 200),
    ).toHaveLength(20);
    // Not a terminal here: progress comes as lines, the last one complete.
    expect(lines.some((line) => line.startsWith('10000/10000 done, 0 in flight'))).toBe(true);
  }, 180_000);
});
