// `npm start`: every example through its adapter against one emulator, then a summary table.
// With MAILTRAP_API_TOKEN set, the examples send through Mailtrap instead (see README.md).
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import * as coreExample from '@mailtrap-kit/example-core';
import * as batcherExample from '@mailtrap-kit/example-bulk-batcher';
import * as bullmqExample from '@mailtrap-kit/example-bulk-bullmq';
import * as emulatorExample from '@mailtrap-kit/example-emulator';
import * as nodemailerExample from '@mailtrap-kit/example-nodemailer-transport';
import * as templatesExample from '@mailtrap-kit/example-templates';
import { defaultRedisUrl, isReachable } from './redis';
import { formatTable, type SummaryRow } from './table';

interface ExampleResult {
  sent: number;
  failed: number;
}

/** Where the examples send: an emulator, or Mailtrap itself with your token. */
interface Target {
  token: string;
  endpoints?: RunningEmulator['endpoints'];
  from: { email: string; name?: string };
  to: { email: string; name?: string };
  sandboxId?: number;
  accountId?: number;
  templateUuid?: string;
  redisUrl: string;
  log: (line: string) => void;
}

interface Example {
  adapter: string;
  /** A reason the example cannot run here; the summary shows it instead of numbers. */
  skip?: () => Promise<string | undefined>;
  run: (target: Target) => Promise<ExampleResult>;
}

const keepOpen = process.argv.includes('--keep-open');
const token = process.env.MAILTRAP_API_TOKEN;
const redisUrl = process.env.REDIS_URL || defaultRedisUrl;

// A second emulator, only when sending for real: the emulator example always needs one.
let helperEmulator: RunningEmulator | undefined;

const examples: Example[] = [
  { adapter: 'core', run: (target) => coreExample.run(target) },
  { adapter: 'nodemailer-transport', run: (target) => nodemailerExample.run(target) },
  { adapter: 'bulk-batcher', run: (target) => batcherExample.run(target) },
  {
    adapter: 'bulk-bullmq',
    skip: async () =>
      (await isReachable(redisUrl))
        ? undefined
        : `needs Redis — start one (e.g. \`redis-server\`) or set REDIS_URL (tried ${redisUrl})`,
    run: (target) => bullmqExample.run(target),
  },
  { adapter: 'templates', run: (target) => templatesExample.run(target) },
  {
    adapter: 'emulator (test helper)',
    run: async (target) => {
      if (emulator) return emulatorExample.run({ emulator, log: target.log });
      helperEmulator ??= await startEmulator();
      return emulatorExample.run({ emulator: helperEmulator, log: target.log });
    },
  },
];

const emulator = token ? undefined : await startEmulator({ retainBodies: 20_000 });
const target: Target = emulator
  ? {
      token: emulator.token,
      endpoints: emulator.endpoints,
      from: { email: 'hello@example.com', name: 'Acme' },
      to: { email: 'ada@example.org', name: 'Ada' },
      sandboxId: emulator.sandboxId,
      accountId: emulator.accountId,
      redisUrl,
      log: indent,
    }
  : realTarget(token!);

console.log(
  emulator
    ? `Sending every example to the emulator at ${emulator.url} (nothing leaves this machine).`
    : 'MAILTRAP_API_TOKEN is set: sending through Mailtrap.',
);

const rows: SummaryRow[] = [];
for (const example of examples) {
  console.log(`\n== ${example.adapter}`);
  const reason = await example.skip?.();
  if (reason) {
    console.log(`  skipped: ${reason}`);
    rows.push({ adapter: example.adapter, note: `skipped: ${reason}` });
    continue;
  }
  const started = performance.now();
  try {
    const result = await example.run(target);
    rows.push({ adapter: example.adapter, ...result, timeMs: performance.now() - started });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(`  error: ${message}`);
    rows.push({ adapter: example.adapter, timeMs: performance.now() - started, note: `error: ${message}` });
  }
}

console.log(`\n== summary\n${formatTable(rows)}\n`);
if (emulator) {
  const stats = emulator.stats();
  console.log(
    `The emulator received ${stats.messages.toLocaleString('en-US')} messages for ${stats.recipients.toLocaleString('en-US')} recipients.`,
  );
  console.log(`Inbox: ${emulator.url}  (every message, rendered, with its headers and attachments)`);
} else {
  console.log(
    'Look at the mail in Mailtrap: Email Logs (https://mailtrap.io/sending/email_logs) and your sandbox.',
  );
}
await helperEmulator?.close();

const errors = rows.filter((row) => row.note?.startsWith('error:')).length;
if (emulator && keepOpen) {
  console.log('The emulator keeps running (--keep-open); press Ctrl-C to stop it.');
  process.once('SIGINT', () => {
    void emulator.close().then(() => process.exit(errors > 0 ? 1 : 0));
  });
} else {
  if (emulator) console.log('Run `npm start -- --keep-open` to keep the emulator (and its inbox) running.');
  await emulator?.close();
  process.exitCode = errors > 0 ? 1 : 0;
}

function indent(line: string): void {
  console.log(`  ${line}`);
}

function realTarget(apiToken: string): Target {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value)
      throw new Error(`${name} is required when MAILTRAP_API_TOKEN is set (see examples/run-all/README.md)`);
    return value;
  };
  const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  return {
    token: apiToken,
    from: { email: required('MAILTRAP_FROM'), name: 'Acme' },
    to: { email: required('MAILTRAP_TO') },
    sandboxId: number('MAILTRAP_SANDBOX_ID'),
    accountId: number('MAILTRAP_ACCOUNT_ID'),
    templateUuid: process.env.MAILTRAP_TEMPLATE_UUID || undefined,
    redisUrl,
    log: indent,
  };
}
