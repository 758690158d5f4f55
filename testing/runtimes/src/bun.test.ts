import { cliEntry, runCliScenarios } from './cli-runner.ts';
import { bunBinary } from './runtimes.ts';
import { describeRuntime } from './suite.ts';

describeRuntime('bun', (context) => runCliScenarios(bunBinary(), [cliEntry], context), {
  transport: 'fetch',
  clientRuntime: /^bun\/1\.4\./,
  userAgent: /^Bun\/1\.4\./,
});
