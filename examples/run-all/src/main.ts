// `npm start`: every example through its adapter against one emulator, then a summary table.
// With MAILTRAP_API_TOKEN set, the examples send through Mailtrap instead (see README.md).
import { startEmulator } from '@mailtrap-kit/emulator';
import { defaultRedisUrl } from './redis';
import { emulatorTarget, environmentTarget, runAll } from './run-all';
import { formatTable, withTotal } from './table';

const keepOpen = process.argv.includes('--keep-open');
const redisUrl = process.env.REDIS_URL || defaultRedisUrl;
const indent = (line: string) => console.log(`  ${line}`);

const emulator = process.env.MAILTRAP_API_TOKEN ? undefined : await startEmulator({ retainBodies: 20_000 });
const target = emulator
  ? emulatorTarget(emulator, redisUrl, indent)
  : environmentTarget(process.env, redisUrl, indent);
console.log(
  emulator
    ? `Sending every example to the emulator at ${emulator.url} (nothing leaves this machine).`
    : 'MAILTRAP_API_TOKEN is set: sending through Mailtrap.',
);

const rows = await runAll({ target, emulator });
const errors = rows.filter((row) => row.note?.startsWith('error:')).length;

console.log(`\n== summary\n${formatTable(withTotal(rows))}\n`);
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

if (emulator && keepOpen) {
  console.log('The emulator keeps running (--keep-open); press Ctrl-C to stop it.');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void emulator.close().then(() => process.exit(errors > 0 ? 1 : 0));
    });
  }
} else {
  if (emulator) console.log('Run `npm start -- --keep-open` to keep the emulator (and its inbox) running.');
  await emulator?.close();
  process.exitCode = errors > 0 ? 1 : 0;
}
