import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './example';

describe('emulator example', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('delivers each welcome email once through the injected rate limit', async () => {
    const result = await run({ emulator, log: () => {} });

    expect(result).toEqual({ sent: 3, failed: 0 });
    expect(emulator.messages({ category: 'welcome' })).toHaveLength(result.sent);
    expect(emulator.faults.history().filter((record) => record.status === 429)).toHaveLength(2);
    expect(emulator.faults.active()).toHaveLength(0);
  });
});
