import { environmentVariables } from '@mailtrap-kit/core';
import { cliEntry, runCliScenarios } from './cli-runner.ts';
import { denoBinary, denoRunArgs } from './runtimes.ts';
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
