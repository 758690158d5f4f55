// The emulator every framework test sends to. The tests aim the transport at it the way the README
// tells users to: MAILTRAP_API_TOKEN and MAILTRAP_ENDPOINT (core reads both), so the wiring lines of
// each test are the README's own.
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A domain the emulator accepts as a verified sending domain (its defaults: example.com, mailtrap-kit.test). */
export const SENDER = 'shop@example.com';

export interface TestEmulator {
  readonly current: RunningEmulator;
  /** Closes `transporter` after the file's tests, before the emulator. */
  closeAfterAll<T extends { close(): unknown }>(transporter: T): T;
}

/** Starts one emulator for the test file, cleared before each test. */
export function useEmulator(): TestEmulator {
  let emulator: RunningEmulator | undefined;
  const opened: Array<{ close(): unknown }> = [];
  const saved = { token: process.env.MAILTRAP_API_TOKEN, endpoint: process.env.MAILTRAP_ENDPOINT };
  beforeAll(async () => {
    emulator = await startEmulator();
    process.env.MAILTRAP_API_TOKEN = emulator.token;
    process.env.MAILTRAP_ENDPOINT = emulator.url;
  });
  beforeEach(() => emulator?.reset());
  afterAll(async () => {
    for (const transporter of opened.splice(0)) await transporter.close();
    await emulator?.close();
    restore('MAILTRAP_API_TOKEN', saved.token);
    restore('MAILTRAP_ENDPOINT', saved.endpoint);
  });
  return {
    get current() {
      if (!emulator) throw new Error('the emulator is not started yet');
      return emulator;
    },
    closeAfterAll(transporter) {
      opened.push(transporter);
      return transporter;
    },
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
