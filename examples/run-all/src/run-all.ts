import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import * as batcherExample from '@mailtrap-kit/example-bulk-batcher';
import * as bullmqExample from '@mailtrap-kit/example-bulk-bullmq';
import * as coreExample from '@mailtrap-kit/example-core';
import * as emulatorExample from '@mailtrap-kit/example-emulator';
import * as nodemailerExample from '@mailtrap-kit/example-nodemailer-transport';
import * as templatesExample from '@mailtrap-kit/example-templates';
import { isReachable } from './redis';
import type { SummaryRow } from './table';

/** Where the examples send: an emulator, or Mailtrap itself with your token. */
export interface Target {
  token: string;
  endpoints?: RunningEmulator['endpoints'];
  from: { email: string; name?: string };
  to: { email: string; name?: string };
  sandboxId?: number;
  accountId?: number;
  templateUuid?: string;
  /** Recipients of the bulk examples; default 10,000 (batcher) and 5,000 (BullMQ). */
  recipients?: number;
  redisUrl: string;
  log: (line: string) => void;
}

export interface RunAllOptions {
  target: Target;
  /** The shared emulator the target points at; absent when sending through Mailtrap. */
  emulator?: RunningEmulator;
  /** Prints each example's heading and notes. */
  print?: (line: string) => void;
}

interface Example {
  adapter: string;
  /** A reason the example cannot run here; the summary shows it instead of numbers. */
  skip?: (target: Target) => Promise<string | undefined>;
  run: (target: Target, emulator: RunningEmulator | undefined) => Promise<{ sent: number; failed: number }>;
}

const examples: Example[] = [
  { adapter: 'core', run: (target) => coreExample.run(target) },
  { adapter: 'nodemailer-transport', run: (target) => nodemailerExample.run(target) },
  { adapter: 'bulk-batcher', run: (target) => batcherExample.run(target) },
  {
    adapter: 'bulk-bullmq',
    skip: async (target) =>
      (await isReachable(target.redisUrl))
        ? undefined
        : `needs Redis — start one (e.g. \`redis-server\`) or set REDIS_URL (tried ${target.redisUrl})`,
    run: (target) => bullmqExample.run(target),
  },
  { adapter: 'templates', run: (target) => templatesExample.run(target) },
  {
    adapter: 'emulator (test helper)',
    run: async (target, emulator) => {
      if (emulator) return emulatorExample.run({ emulator, log: target.log });
      // Sending for real: this example still needs an emulator of its own, that is its point.
      const own = await startEmulator();
      try {
        return await emulatorExample.run({ emulator: own, log: target.log });
      } finally {
        await own.close();
      }
    },
  },
];

/** The target of `startEmulator()`'s emulator, with example senders and recipients. */
export function emulatorTarget(emulator: RunningEmulator, redisUrl: string, log: Target['log']): Target {
  return {
    token: emulator.token,
    endpoints: emulator.endpoints,
    from: { email: 'hello@example.com', name: 'Acme' },
    to: { email: 'ada@example.org', name: 'Ada' },
    sandboxId: emulator.sandboxId,
    accountId: emulator.accountId,
    redisUrl,
    log,
  };
}

/** The target of a real account, from the documented environment variables. */
export function environmentTarget(
  environment: NodeJS.ProcessEnv,
  redisUrl: string,
  log: Target['log'],
): Target {
  const required = (name: string) => {
    const value = environment[name];
    if (!value)
      throw new Error(`${name} is required when MAILTRAP_API_TOKEN is set (see examples/run-all/README.md)`);
    return value;
  };
  const number = (name: string) => (environment[name] ? Number(environment[name]) : undefined);
  return {
    token: required('MAILTRAP_API_TOKEN'),
    from: { email: required('MAILTRAP_FROM'), name: 'Acme' },
    to: { email: required('MAILTRAP_TO') },
    sandboxId: number('MAILTRAP_SANDBOX_ID'),
    accountId: number('MAILTRAP_ACCOUNT_ID'),
    templateUuid: environment.MAILTRAP_TEMPLATE_UUID || undefined,
    // The bulk examples send to plus addresses of MAILTRAP_TO: a handful, unless you ask for more.
    recipients: number('RECIPIENTS') ?? 10,
    redisUrl,
    log,
  };
}

/** Runs every example in turn; an example that throws becomes an `error:` row, the others still run. */
export async function runAll(options: RunAllOptions): Promise<SummaryRow[]> {
  const { target, emulator, print = console.log } = options;
  const rows: SummaryRow[] = [];
  for (const example of examples) {
    print(`\n== ${example.adapter}`);
    const reason = await example.skip?.(target);
    if (reason) {
      print(`  skipped: ${reason}`);
      rows.push({ adapter: example.adapter, note: `skipped: ${reason}` });
      continue;
    }
    const started = performance.now();
    try {
      const result = await example.run(target, emulator);
      rows.push({ adapter: example.adapter, ...result, timeMs: performance.now() - started });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      print(`  error: ${message}`);
      rows.push({ adapter: example.adapter, timeMs: performance.now() - started, note: `error: ${message}` });
    }
  }
  return rows;
}
