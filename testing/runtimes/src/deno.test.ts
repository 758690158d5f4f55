import { join } from 'node:path';
import { environmentVariables } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry, runCliScenarios } from './cli-runner.ts';
import { reportMarker } from './report-marker.ts';
import { denoBinary, denoRunArgs, runProcess, runtimesDirectory } from './runtimes.ts';
import { describeRuntime } from './suite.ts';

describeRuntime(
  'deno',
  (context) =>
    runCliScenarios(denoBinary(), [...denoRunArgs(Object.values(environmentVariables)), cliEntry], context),
  {
    transport: 'fetch',
    clientRuntime: /^deno\/2\.9\./,
    userAgent: /^Deno\/2\.9\./,
  },
);

describe("core on deno with an --allow-net that leaves out the emulator's host", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.close());

  it('fails with a configuration error, nothing sent and not retried, naming the --allow-net to add', async () => {
    const result = await runProcess(
      denoBinary(),
      [
        ...denoRunArgs(Object.values(environmentVariables), ['send.api.mailtrap.io']),
        join(runtimesDirectory, 'src', 'denied-net-entry.ts'),
      ],
      { env: { MAILTRAP_API_TOKEN: emulator.token, MAILTRAP_ENDPOINT: emulator.url } },
    );
    const line = result.stdout.split('\n').find((candidate) => candidate.startsWith(reportMarker));
    expect(line, `${result.status}\n${result.stdout}\n${result.stderr}`).toBeDefined();
    const host = new URL(emulator.url).host;
    expect(JSON.parse(line!.slice(reportMarker.length))).toEqual({
      sent: false,
      mailtrapError: true,
      configurationError: true,
      error: expect.objectContaining({
        name: 'MailtrapConfigurationError',
        code: 'configuration',
        retryable: false,
        maybeSent: false,
        message: expect.stringMatching(
          new RegExp(`nothing was sent\\. .*--allow-net=${host.replaceAll('.', '\\.')}`),
        ),
        cause: {
          name: 'NotCapable',
          message: `Requires net access to "${host}", run again with the --allow-net flag`,
        },
      }),
    });
    expect(result.status).toBe(0);
    expect(emulator.requests()).toEqual([]);
  });
});
