import { startEmulator, type RunningEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './example';

describe('core example', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('delivers what it reports: one welcome, three receipts, one sandbox copy', async () => {
    const lines: string[] = [];
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'hello@example.com', name: 'Acme' },
      to: { email: 'ada@example.org' },
      sandboxId: emulator.sandboxId,
      log: (line) => lines.push(line),
    });

    expect(result).toEqual({ sent: 5, failed: 0 });
    const messages = emulator.messages();
    expect(messages).toHaveLength(result.sent);
    expect(emulator.messages({ stream: 'transactional', category: 'welcome' })).toHaveLength(1);
    const receipts = emulator.messages({ category: 'receipt' });
    expect(receipts.map((message) => message.custom_variables.order_id)).toEqual([
      'A-1001',
      'A-1002',
      'A-1003',
    ]);
    expect(emulator.messages({ stream: 'sandbox' })).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('validation: refused locally'))).toBe(true);
    // The refused mail never left the client: one send request per accepted send.
    expect(emulator.requests().filter((request) => request.kind === 'send')).toHaveLength(2);
  });
});
