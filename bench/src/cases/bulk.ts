import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BenchCase,
  type CaseContext,
  type SubjectResult,
  type SubjectRunner,
  summarize,
  target,
} from '../framework.js';
import { highWaterMarkBytes, MB, measureRun } from '../measure.js';
import { loadOfficial, officialVersion } from '../official.js';
import { importPackage } from '../packages.js';
import {
  runSubjectInChild,
  type ServerProcess,
  startServerProcess,
  SubjectUnavailableError,
} from '../processes.js';

/**
 * small/large: the two list sizes (memory must stay flat between them); limit: the emulated rate
 * limit for the batcher's runs (binding: the batcher could go faster); naiveLarge: whether the
 * naive approach also runs at the large size.
 */
const sizes = {
  full: { small: 100_000, large: 1_000_000, limit: { requests: 20, windowMs: 1_000 }, naiveLarge: true },
  quick: { small: 20_000, large: 200_000, limit: { requests: 20, windowMs: 1_000 }, naiveLarge: true },
  tiny: { small: 2_000, large: 5_000, limit: { requests: 20, windowMs: 1_000 }, naiveLarge: true },
};

const base = {
  from: { email: 'news@example.com', name: 'Example News' },
  subject: 'The November issue',
  text: 'Hello,\n\nHere is what happened this month. Thanks for reading.\n',
  html: '<p>Hello,</p><p>Here is what happened this month. Thanks for reading.</p>',
  category: 'newsletter',
};

interface BulkSettings {
  file: string;
  recipients: number;
  bulkUrl: string;
  token: string;
  limit: { requests: number; windowMs: number } | false;
}

async function writeRecipients(path: string, count: number): Promise<void> {
  const stream = createWriteStream(path);
  let chunk = '';
  for (let index = 0; index < count; index++) {
    chunk += `{"email":"reader${index}@example.net","name":"Reader ${index}"}\n`;
    if (chunk.length > 1_000_000) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await once(stream, 'finish');
}

function withHighWaterMark<T extends { peakRssBytes: number; extra?: Record<string, number | string> }>(
  run: T,
): T {
  // The kernel's high-water mark for the whole process: the number the 150 MB target is about.
  const processPeak = highWaterMarkBytes();
  run.extra = { ...run.extra, processPeakMB: Math.max(processPeak, run.peakRssBytes) / MB };
  return run;
}

export const subjects: Record<string, SubjectRunner> = {
  async batcher(raw) {
    const settings = raw as unknown as BulkSettings;
    const batcher = await importPackage('@mailtrap-kit/bulk-batcher', [
      'createBulkRun',
      'readNdjsonRecipients',
    ]);
    const run = await measureRun(
      settings.recipients,
      async () => {
        const bulkRun = batcher.createBulkRun({
          recipients: batcher.readNdjsonRecipients(settings.file),
          base,
          token: settings.token,
          stream: 'bulk',
          endpoints: { bulk: settings.bulkUrl },
          rateLimit: settings.limit,
          settle: false,
          total: settings.recipients,
        });
        const summary = await bulkRun.done;
        if (summary.sent !== settings.recipients) {
          throw new Error(
            `the batcher sent ${summary.sent} of ${settings.recipients} (failed ${summary.failed}, uncertain ${summary.uncertain})`,
          );
        }
        return { requests: summary.requests, sent: summary.sent };
      },
      'kernel',
    );
    return [withHighWaterMark(run)];
  },

  /** The naive approach: the whole list read into memory, then sequential batchSend calls of 500. */
  async naive(raw) {
    const settings = raw as unknown as BulkSettings;
    const { MailtrapClient } = loadOfficial(settings.bulkUrl);
    const client = new MailtrapClient({ token: settings.token, bulk: true });
    const run = await measureRun(
      settings.recipients,
      async () => {
        const recipients = readFileSync(settings.file, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as { email: string; name: string });
        let sent = 0;
        let requests = 0;
        for (let start = 0; start < recipients.length; start += 500) {
          const slice = recipients.slice(start, start + 500);
          const answer = (await client.batchSend({
            base,
            requests: slice.map((recipient) => ({ to: [{ email: recipient.email, name: recipient.name }] })),
          })) as { responses: Array<{ success: boolean }> };
          requests++;
          sent += answer.responses.filter((response) => response.success).length;
        }
        if (sent !== settings.recipients)
          throw new Error(`the naive loop sent ${sent} of ${settings.recipients}`);
        return { requests, sent };
      },
      'kernel',
    );
    return [withHighWaterMark(run)];
  },
};

async function measureOnFreshEmulator(
  context: CaseContext,
  name: 'batcher' | 'naive',
  label: string,
  file: string,
  recipients: number,
  limit: BulkSettings['limit'],
): Promise<SubjectResult> {
  const result: SubjectResult = { name: `${name}-${recipients}`, label, runs: [] };
  let emulator: ServerProcess | undefined;
  try {
    emulator = await startServerProcess('emulator', {
      rateLimit: limit,
      retainBodies: 10,
      retainLogs: 1000,
      retainRequests: 1000,
    });
    const endpoints = emulator.info.endpoints as { bulk: string };
    const settings = {
      file,
      recipients,
      bulkUrl: endpoints.bulk,
      token: emulator.info.token as string,
      limit,
    };
    result.runs = await runSubjectInChild('bulk', name, settings, 900_000);
    result.summary = summarize(result.runs);
    const summary = result.summary;
    context.log(
      `  bulk ${name} ${recipients.toLocaleString('en-US')}: ${(summary.wallMs / 1000).toFixed(1)} s, ` +
        `${summary.operationsPerSecond.toFixed(0)} recipients/s, peak ${Number(summary.extra.processPeakMB).toFixed(1)} MB`,
    );
  } catch (error) {
    if (error instanceof SubjectUnavailableError) result.unavailable = error.message;
    else result.error = error instanceof Error ? error.message : String(error);
    context.log(
      `  bulk ${name} ${recipients}: ${result.unavailable ? 'not measured' : 'FAILED'}: ${result.unavailable ?? result.error}`,
    );
  } finally {
    await emulator?.close();
  }
  return result;
}

export const bulkCase: BenchCase = {
  id: 'bulk',
  title: 'bulk-batcher: peak memory and throughput on a large NDJSON list',
  async run(context: CaseContext) {
    const size = sizes[context.mode];
    const smallFile = join(context.scratchDirectory, `recipients-${size.small}.ndjson`);
    const largeFile = join(context.scratchDirectory, `recipients-${size.large}.ndjson`);
    await writeRecipients(smallFile, size.small);
    await writeRecipients(largeFile, size.large);
    const count = (value: number) => value.toLocaleString('en-US');
    const limitText = `${size.limit.requests} requests / ${size.limit.windowMs / 1000} s`;
    const subjects: SubjectResult[] = [];
    subjects.push(
      await measureOnFreshEmulator(
        context,
        'batcher',
        `bulk-batcher, ${count(size.small)}`,
        smallFile,
        size.small,
        size.limit,
      ),
    );
    subjects.push(
      await measureOnFreshEmulator(
        context,
        'batcher',
        `bulk-batcher, ${count(size.large)}`,
        largeFile,
        size.large,
        size.limit,
      ),
    );
    const official = `official mailtrap@${officialVersion()}`;
    subjects.push(
      await measureOnFreshEmulator(
        context,
        'naive',
        `naive (${official}), ${count(size.small)}, no limit`,
        smallFile,
        size.small,
        false,
      ),
    );
    if (size.naiveLarge) {
      subjects.push(
        await measureOnFreshEmulator(
          context,
          'naive',
          `naive (${official}), ${count(size.large)}, no limit`,
          largeFile,
          size.large,
          false,
        ),
      );
    }
    const peak = (entry: SubjectResult | undefined) =>
      entry?.summary?.extra.processPeakMB as number | undefined;
    const small = subjects[0];
    const large = subjects[1];
    const ceiling = (size.limit.requests / (size.limit.windowMs / 1000)) * 500;
    const throughput = large?.summary ? (large.summary.operationsPerSecond / ceiling) * 100 : null;
    const flatness = peak(small) && peak(large) ? peak(large)! / peak(small)! : null;
    return {
      id: 'bulk',
      title: `bulk-batcher: ${count(size.large)} recipients from NDJSON`,
      method:
        `NDJSON files of ${count(size.small)} and ${count(size.large)} recipients ({email, name} per line) generated in a temp dir. ` +
        `Each run in a fresh child process against a fresh emulator (separate process, retainBodies 10, retainLogs 1000). ` +
        `The batcher (createBulkRun with readNdjsonRecipients, bulk stream, batches of 500, default concurrency) runs under an ` +
        `emulated rate limit of ${limitText} (ceiling ${count(ceiling)} recipients/s), its own limiter set the same. ` +
        'The naive approach (official client, whole file read and parsed into an array, sequential batchSend of 500) runs with ' +
        'the limit off (it has no rate limiting and would get 429s). Peak = the process RSS high-water mark (VmHWM, kept by the ' +
        'kernel; no sampler thread runs in these processes, as a Node worker alone would add about 10 MB). One run per size ' +
        '(the runs are long; memory is what they measure).',
      notes: [
        'The limit is set below what the emulator can take: the naive loop, one request at a time, gets 11,000-50,000 recipients/s through it on a 2-core machine depending on the load, so the limit, not the server, binds.',
        `Run: batcher at ${count(size.small)} and ${count(size.large)}; naive at ${count(size.small)}${size.naiveLarge ? ` and ${count(size.large)}` : ' only'}.`,
        `The limit is scaled so the ${count(size.large)} run takes about ${Math.round(size.large / ceiling)} s; Mailtrap's real 150 / 10 s would take ${Math.round(size.large / 7500 / 60)} min.`,
        'Throughput = recipients / wall time of the whole run (reading, packing, sending), against the ceiling (limit x 500 recipients per batch).',
      ],
      reference: large?.name ?? 'batcher',
      primary: {
        key: 'extra.processPeakMB',
        label: 'peak RSS of the sending process',
        unit: 'MB',
        lowerIsBetter: true,
      },
      secondary: { key: 'operationsPerSecond', label: 'at', unit: 'recipients/s' },
      subjects,
      targets: [
        target(`batcher peak RSS at ${count(size.large)} recipients`, 'max', 150, 'MB', peak(large)),
        target(
          `batcher peak RSS ${count(size.large)} / ${count(size.small)} (flat: close to 1)`,
          'max',
          1.25,
          'x',
          flatness,
        ),
        target(
          `batcher throughput vs the rate-limit ceiling (${count(size.large)} run)`,
          'min',
          95,
          '%',
          throughput,
        ),
      ],
    };
  },
};
