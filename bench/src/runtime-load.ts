// What Bun and Deno run for the single-send case (bundled like the other child scripts, packages
// external, so the runtime resolves @mailtrap-kit/core's build with its own condition): the same
// load as Node's subjects, measured inside the runtime's process, printed as one JSON line.
import { MailtrapClient } from '@mailtrap-kit/core';
import { benchMail, type LoadSettings } from './fixtures.js';
import { runtimeMeasurementMarker } from './runtime-marker.js';
import { sendLoad } from './send-load.js';

const runtime = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const [settingsJson] = runtime.Deno?.args ?? runtime.process?.argv.slice(2) ?? [];
const settings = JSON.parse(settingsJson ?? '{}') as LoadSettings;
const client = new MailtrapClient({
  token: settings.token,
  endpoints: { send: settings.url },
  rateLimit: false,
});
// No sampler thread (a worker would be counted as the subject's memory): the kernel's high-water mark.
const runs = await sendLoad(
  settings,
  () => client.send(benchMail),
  'kernel-since-baseline',
  () => ({
    transport: client.transport,
  }),
);
await client.close();
console.log(`${runtimeMeasurementMarker}${JSON.stringify(runs)}`);
