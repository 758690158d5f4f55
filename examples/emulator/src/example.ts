import { MailtrapClient } from '@mailtrap-kit/core';
import type { RunningEmulator } from '@mailtrap-kit/emulator';
import { sendWelcomeEmail } from './welcome';

export interface ExampleOptions {
  /** A running emulator (`startEmulator()`); this example always works against one. */
  emulator: RunningEmulator;
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

const users = [
  { email: 'grace@example.org', name: 'Grace' },
  { email: 'linus@example.org', name: 'Linus' },
  { email: 'margaret@example.org', name: 'Margaret' },
];

/**
 * What `src/welcome.test.ts` does, as a script: send through an injected rate limit and check what
 * the emulator received. The fault is scoped to one recipient, so a shared emulator is fine.
 */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { emulator, log = console.log } = options;
  const client = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    retry: { minDelayMs: 10, maxDelayMs: 50 },
  });
  const result: ExampleResult = { sent: 0, failed: 0 };
  // Two 429s for Grace: the client waits, retries, and her email arrives once.
  const fault = emulator.faults.inject({
    kind: 'rate_limit',
    count: 2,
    retryAfterSeconds: 0,
    recipient: users[0]!.email,
  });
  try {
    for (const user of users) {
      await sendWelcomeEmail(client, user);
      const received = emulator.messages({ recipient: user.email });
      if (received.length === 1) result.sent += 1;
      else result.failed += 1;
      log(`${user.email}: received ${received.length} time(s)`);
    }
    const retried = emulator.faults.history().filter((record) => record.faultId === fault).length;
    log(`rate limit: ${retried} x 429 answered, each retried, nothing sent twice`);
  } finally {
    emulator.faults.clear(fault);
    await client.close();
  }
  return result;
}
