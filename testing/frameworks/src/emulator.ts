// The emulator every framework test sends to, and the transport settings that aim at it.
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A domain the emulator accepts as a verified sending domain (its defaults: example.com, mailtrap-kit.test). */
export const SENDER = 'shop@example.com';

export interface TestEmulator {
  readonly current: RunningEmulator;
  /** The transport settings that aim at the emulator: its token and endpoints. */
  settings(): { token: string; endpoints: RunningEmulator['endpoints'] };
  /** Closes `transporter` after the file's tests, before the emulator. */
  closeAfterAll<T extends { close(): unknown }>(transporter: T): T;
}

/** Starts one emulator for the test file, cleared before each test. */
export function useEmulator(): TestEmulator {
  let emulator: RunningEmulator | undefined;
  const opened: Array<{ close(): unknown }> = [];
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  beforeEach(() => emulator?.reset());
  afterAll(async () => {
    for (const transporter of opened.splice(0)) await transporter.close();
    await emulator?.close();
  });
  return {
    get current() {
      if (!emulator) throw new Error('the emulator is not started yet');
      return emulator;
    },
    settings() {
      return { token: this.current.token, endpoints: this.current.endpoints };
    },
    closeAfterAll(transporter) {
      opened.push(transporter);
      return transporter;
    },
  };
}
