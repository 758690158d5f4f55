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
  full: { small: 100_000, large: 1_000_000, limit: { requests: 150, windowMs: 10_000 }, naiveLarge: true },
  quick: { small: 20_000, large: 200_000, limit: { requests: 150, windowMs: 10_000 }, naiveLarge: true },
  tiny: { small: 2_000, large: 5_000, limit: { requests: 150, windowMs: 10_000 }, naiveLarge: true },
};

const base = {
  from: { email: 'news@example.com', name: 'Example News' },
  subject: 'The November issue',
  text: 'Hello,\n\nHere is what happened this month. Thanks for reading.\n',
  html: '<p>Hello,</p><p>Here is what happened this month. Thanks for reading.</p>',
  category: 'newsletter',
};

/** The same campaign with mail merge on: every message rendered for its recipient ({{name}}, {{email}}). */
const mergeBase = {
  ...base,
  subject: 'The November issue for {{name}}',
  text: 'Hello {{name}},\n\nHere is what happened this month. Thanks for reading.\n\nSent to {{email}}.\n',
  html: '<p>Hello {{name}},</p><p>Here is what happened this month. Thanks for reading.</p><p>Sent to {{email}}.</p>',
};

/** The naive mail merge: the shared part of the message as the base… */
const { subject: _subject, text: _text, html: _html, ...mergeShared } = mergeBase;

/** …and each recipient's content, its variables put in by string replacement. */
function mergedContent(recipient: { email: string; name: string }) {
  const fill = (content: string) =>
    content.replaceAll('{{name}}', () => recipient.name).replaceAll('{{email}}', () => recipient.email);
  return { subject: fill(mergeBase.subject), text: fill(mergeBase.text), html: fill(mergeBase.html) };
}

interface BulkSettings {
  file: string;
  recipients: number;
  bulkUrl: string;
  token: string;
  limit: { requests: number; windowMs: number } | false;
  merge?: boolean;
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
          base: settings.merge ? mergeBase : base,
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

  /**
   * The naive approach: the whole list read into memory, then sequential batchSend calls of 500.
   * With mail merge, each recipient's subject, text and html filled in by string replacement.
   */
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
            base: settings.merge ? mergeShared : base,
            requests: slice.map((recipient) =>
              settings.merge
                ? { to: [{ email: recipient.email, name: recipient.name }], ...mergedContent(recipient) }
                : { to: [{ email: recipient.email, name: recipient.name }] },
            ),
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
  merge = false,
): Promise<SubjectResult> {
  const result: SubjectResult = { name: `${name}${merge ? '-merge' : ''}-${recipients}`, label, runs: [] };
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
      merge,
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
    subjects.push(
      await measureOnFreshEmulator(
        context,
        'batcher',
        `bulk-batcher with mail merge, ${count(size.small)}`,
        smallFile,
        size.small,
        size.limit,
        true,
      ),
    );
    subjects.push(
      await measureOnFreshEmulator(
        context,
        'batcher',
        `bulk-batcher with mail merge, ${count(size.large)}`,
        largeFile,
        size.large,
        size.limit,
        true,
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
    subjects.push(
      await measureOnFreshEmulator(
        context,
        'naive',
        `naive with mail merge (${official}), ${count(size.large)}, no limit`,
        largeFile,
        size.large,
        false,
        true,
      ),
    );
    const peak = (entry: SubjectResult | undefined) =>
      entry?.summary?.extra.processPeakMB as number | undefined;
    const cpu = (entry: SubjectResult | undefined) => entry?.summary?.cpuPerOperationMicros;
    const [small, large, mergeSmall, mergeLarge] = subjects;
    const naiveLarge = subjects.find((entry) => entry.name === `naive-${size.large}`);
    const naiveMergeLarge = subjects.find((entry) => entry.name === `naive-merge-${size.large}`);
    const ceiling = (size.limit.requests / (size.limit.windowMs / 1000)) * 500;
    const throughput = (entry: SubjectResult | undefined) =>
      entry?.summary ? (entry.summary.operationsPerSecond / ceiling) * 100 : null;
    const flatness = (one: SubjectResult | undefined, other: SubjectResult | undefined) =>
      peak(one) && peak(other) ? peak(other)! / peak(one)! : null;
    const cpuRatio = (entry: SubjectResult | undefined, naive: SubjectResult | undefined) =>
      cpu(entry) && cpu(naive) ? cpu(entry)! / cpu(naive)! : null;
    const targetsOf = (
      label: string,
      one: SubjectResult | undefined,
      other: SubjectResult | undefined,
      naive: SubjectResult | undefined,
      naiveLabel: string,
    ) => [
      target(`${label} peak RSS at ${count(size.large)} recipients`, 'max', 110, 'MB', peak(other)),
      target(
        `${label} peak RSS ${count(size.large)} / ${count(size.small)} (flat: close to 1)`,
        'max',
        1.05,
        'x',
        flatness(one, other),
      ),
      target(
        `${label} CPU per recipient vs ${naiveLabel} (${count(size.large)} runs)`,
        'max',
        2,
        'x',
        cpuRatio(other, naive),
      ),
      target(
        `${label} throughput vs the rate-limit ceiling (${count(size.large)} run)`,
        'min',
        97,
        '%',
        throughput(other),
      ),
    ];
    return {
      id: 'bulk',
      title: `bulk-batcher: ${count(size.large)} recipients from NDJSON`,
      method:
        `NDJSON files of ${count(size.small)} and ${count(size.large)} recipients ({email, name} per line) generated in a temp dir. ` +
        `Each run in a fresh child process against a fresh emulator (separate process, retainBodies 10, retainLogs 1000). ` +
        `The batcher (createBulkRun with readNdjsonRecipients, bulk stream, batches of 500, default concurrency) runs under ` +
        `Mailtrap's rate limit of ${limitText} (ceiling ${count(ceiling)} recipients/s), enforced by the emulator and set the same in the batcher. ` +
        'The mail-merge subjects send the same list with {{name}} and {{email}} in the subject, text and html: every message is rendered for its recipient (no shared body). ' +
        'The naive approach (official client, whole file read and parsed into an array, sequential batchSend of 500; with mail merge, ' +
        "each recipient's subject, text and html filled in by string replacement) runs with " +
        'the limit off (it has no rate limiting and would get 429s). Peak = the process RSS high-water mark (VmHWM, kept by the ' +
        'kernel; no sampler thread runs in these processes, as a Node worker alone would add about 10 MB). One run per size ' +
        '(the runs are long; memory is what they measure).',
      notes: [
        "The limit is Mailtrap's real one (150 requests / 10 s), below what the emulator can take: the naive loop, one request at a time, gets 11,000-50,000 recipients/s through it on a 2-core machine depending on the load, so the limit, not the server, binds.",
        'CPU per recipient is the whole process (reading, parsing, packing, rendering, sending, reading the answers) over the recipients sent; the naive loop at the same size is the reference.',
        `Run: batcher at ${count(size.small)} and ${count(size.large)}; naive at ${count(size.small)}${size.naiveLarge ? ` and ${count(size.large)}` : ' only'}; naive with mail merge at ${count(size.large)}.`,
        `The mail-merge CPU is judged against the naive loop doing the same mail merge; against the plain naive loop it is ${
          cpuRatio(mergeLarge, naiveLarge)?.toFixed(2) ?? '-'
        }x (its bodies carry every recipient's subject, text and html, and sending them is most of the difference).`,
        `At that limit the ${count(size.large)} run takes about ${Math.round(size.large / ceiling)} s.`,
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
        ...targetsOf('batcher', small, large, naiveLarge, "the naive loop's"),
        ...targetsOf(
          'batcher with mail merge',
          mergeSmall,
          mergeLarge,
          naiveMergeLarge,
          "the naive loop's with mail merge",
        ),
      ],
    };
  },
};
