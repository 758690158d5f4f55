// The emulator's Integration page shows a sample for this transport: run as printed (with the two
// environment variables the page names), it must send to the emulator.
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe("the emulator's Integration sample for this transport", () => {
  it('sends as printed, with MAILTRAP_API_TOKEN and MAILTRAP_ENDPOINT set', async () => {
    const info = (await (await fetch(`${emulator.url}/_emulator/integration`)).json()) as {
      samples: Array<{ id: string; code: string }>;
    };
    const sample = info.samples.find((entry) => entry.id === 'nodemailer')!;
    expect(sample.code).toContain("from '@mailtrap-kit/nodemailer-transport'");
    // in the package's folder: Node resolves the package's own name (its dist) from there
    const file = fileURLToPath(new URL(`../integration-sample-${process.pid}.mjs`, import.meta.url));
    await writeFile(file, sample.code);
    try {
      await run(process.execPath, [file], {
        env: { ...process.env, MAILTRAP_API_TOKEN: emulator.token, MAILTRAP_ENDPOINT: emulator.url },
      });
    } finally {
      await rm(file, { force: true });
    }
    expect(emulator.messages().map((message) => message.subject)).toEqual(['Hello from the emulator']);
  });
});
