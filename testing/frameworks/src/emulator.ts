// The emulator every framework test sends to, and the transport settings that aim at it.
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A domain the emulator accepts as a verified sending domain (its defaults: example.com, mailtrap-kit.test). */
export const SENDER = 'shop@example.com';

/** Starts one emulator for the test file, cleared before each test. */
export function useEmulator(): {
  readonly current: RunningEmulator;
  settings(): { token: string; endpoints: RunningEmulator['endpoints'] };
} {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  beforeEach(() => emulator?.reset());
  afterAll(() => emulator?.close());
  return {
    get current() {
      if (!emulator) throw new Error('the emulator is not started yet');
      return emulator;
    },
    settings() {
      return { token: this.current.token, endpoints: this.current.endpoints };
    },
  };
}
