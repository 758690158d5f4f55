// The example proper: a test of your own code against the emulator, a real local HTTP server.
import { MailtrapClient } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendWelcomeEmail } from './welcome';

describe('sendWelcomeEmail', () => {
  let emulator: RunningEmulator;
  let client: MailtrapClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = new MailtrapClient({
      token: emulator.token,
      endpoints: emulator.endpoints,
      retry: { minDelayMs: 10, maxDelayMs: 50 },
    });
  });
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    await client?.close();
    await emulator?.close();
  });

  it('sends one welcome email to the user', async () => {
    const messageId = await sendWelcomeEmail(client, { email: 'ada@example.org', name: 'Ada' });

    const [message, ...others] = emulator.messages({ recipient: 'ada@example.org' });
    expect(others).toHaveLength(0);
    expect(message?.messageIds).toEqual([messageId]);
    expect(message?.subject).toBe('Welcome, Ada');
    expect(message?.text).toContain('your Acme account is ready');
    expect(message?.custom_variables).toEqual({ user_email: 'ada@example.org' });
  });

  it('gets through a rate limit without sending twice', async () => {
    emulator.faults.inject({ kind: 'rate_limit', count: 2, retryAfterSeconds: 0 });

    await sendWelcomeEmail(client, { email: 'grace@example.org', name: 'Grace' });

    expect(emulator.faults.history().map((fault) => fault.status)).toEqual([429, 429]);
    expect(emulator.messages({ recipient: 'grace@example.org' })).toHaveLength(1);
  });

  it('surfaces a server error as ambiguous instead of retrying it', async () => {
    emulator.faults.inject({ kind: 'server_error', status: 503, accepted: true });

    const failure = await sendWelcomeEmail(client, { email: 'linus@example.org', name: 'Linus' }).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({ code: 'server', status: 503, maybeSent: true });
    // The emulator accepted it before answering 503: a retry would have sent it twice.
    expect(emulator.messages({ recipient: 'linus@example.org' })).toHaveLength(1);
  });
});
