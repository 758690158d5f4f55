import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './example';

describe('nodemailer-transport example', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('refuses to start on a sender domain that is not verified, naming it', async () => {
    await expect(
      run({
        token: emulator.token,
        endpoints: emulator.endpoints,
        from: { email: 'shop@unverified.example' },
        to: { email: 'ada@example.org' },
        log: () => {},
      }),
    ).rejects.toThrow(/unverified\.example/);
    emulator.reset();
  });

  it('delivers the confirmation with its attachments and 20 resets in batch requests', async () => {
    const result = await run({
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'shop@example.com', name: 'Acme' },
      to: { email: 'ada@example.org' },
      log: () => {},
    });

    expect(result).toEqual({ sent: 21, failed: 0 });
    // verify() read the account's sending domains before the first send.
    expect(emulator.requests()[1]).toMatchObject({ method: 'GET', path: '/api/domains', status: 200 });
    expect(emulator.messages()).toHaveLength(result.sent);

    const [confirmation] = emulator.messages({ subject: 'Order #1042 confirmed' });
    expect(confirmation?.from).toEqual({ email: 'shop@example.com', name: 'Acme' });
    const headers = Object.entries(confirmation?.headers ?? {}).map(([name, value]) => [
      name.toLowerCase(),
      value,
    ]);
    expect(headers).toContainEqual(['x-order-id', '1042']);
    expect(
      confirmation?.attachments.map((attachment) => [attachment.filename, attachment.disposition]),
    ).toEqual([
      ['invoice-1042.txt', 'attachment'],
      ['logo.svg', 'inline'],
    ]);

    const resets = emulator.messages({ subject: 'Reset your password' });
    expect(new Set(resets.flatMap((message) => message.to.map((address) => address.email))).size).toBe(20);
    const batchRequests = emulator.requests().filter((request) => request.kind === 'batch');
    expect(batchRequests.length).toBeGreaterThan(0);
    expect(batchRequests.length).toBeLessThan(20);
  });
});
