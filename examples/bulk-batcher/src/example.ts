import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { type BulkProgress, createBulkRun, readNdjsonRecipients } from '@mailtrap-kit/bulk-batcher';
import cliProgress from 'cli-progress';

export interface ExampleOptions {
  token: string;
  /** Base URLs of a Mailtrap-compatible API (the emulator); omit them to send through Mailtrap. */
  endpoints?: { bulk?: string; general?: string };
  from: { email: string; name?: string };
  /** Each generated recipient is a plus address of this one (ada+00001@example.org). */
  to: { email: string };
  /** How many recipients the generated file has. Default 10,000. */
  recipients?: number;
  /** Show progress: a bar on a terminal, a line every few seconds elsewhere. Default true. */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

/** Writes a recipient file, then streams it to the bulk stream with a journal and progress. */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { token, endpoints, from, log = console.log } = options;
  const count = options.recipients ?? 10_000;
  const directory = await mkdtemp(join(tmpdir(), 'mailtrap-bulk-example-'));
  try {
    const file = join(directory, 'recipients.ndjson');
    await writeRecipients(file, options.to.email, count);
    log(`wrote ${count.toLocaleString('en-US')} recipients to ${file}`);

    const bulkRun = createBulkRun({
      token,
      endpoints,
      recipients: readNdjsonRecipients(file), // streamed: memory stays flat for a million lines
      total: count, // for the ETA (the file is not read twice)
      base: {
        from,
        subject: 'Our spring collection is here',
        html: '<h1>Spring is here</h1><p>Twenty new pieces, in store and online.</p>',
        text: 'Spring is here: twenty new pieces, in store and online.',
        category: 'spring-campaign',
      },
      journal: join(directory, 'run.journal'), // after a crash: the same settings plus `resume: true`
    });
    const progressShown = options.progress === false ? undefined : showProgress(bulkRun.progress(), log);
    const summary = await bulkRun.done;
    await progressShown;

    log(
      `${summary.sent} sent, ${summary.failed} failed, ${summary.uncertain} uncertain ` +
        `in ${summary.requests} batch requests, ${(summary.durationMs / 1000).toFixed(1)} s`,
    );
    return { sent: summary.sent, failed: summary.failed + summary.uncertain + summary.unsent };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** One JSON object per line: {"email": ..., "name": ...}. */
async function writeRecipients(file: string, address: string, count: number): Promise<void> {
  const at = address.lastIndexOf('@');
  const output = createWriteStream(file);
  for (let index = 1; index <= count; index += 1) {
    const email = `${address.slice(0, at)}+${String(index).padStart(5, '0')}${address.slice(at)}`;
    if (!output.write(`${JSON.stringify({ email, name: `Reader ${index}` })}\n`)) await once(output, 'drain');
  }
  output.end();
  await once(output, 'finish');
}

/** The run's own progress snapshots, as a bar on a terminal or a line every few seconds elsewhere. */
async function showProgress(
  snapshots: AsyncIterable<BulkProgress>,
  log: (line: string) => void,
): Promise<void> {
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar(
        {
          format:
            '  {bar} {value}/{total} | {rate}/s | ETA {etaText} | failed {failed} | uncertain {uncertain}',
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let lastLine = -Infinity;
  for await (const progress of snapshots) {
    const done = progress.finished; // valid recipients in a final state: the same count as `total`
    const total = progress.total ?? progress.read;
    const fields = {
      rate: Math.round(progress.recipientsPerSecond),
      etaText: progress.etaMs === undefined ? '?' : `${Math.ceil(progress.etaMs / 1000)}s`, // the run's own ETA, rate limit included
      failed: progress.failed,
      uncertain: progress.uncertain,
    };
    if (bar) {
      if (!started) bar.start(total, done, fields);
      bar.update(done, fields);
      started = true;
    } else if (progress.elapsedMs - lastLine >= 2_000 || progress.phase === 'done') {
      lastLine = progress.elapsedMs;
      log(`${done}/${total} done, ${progress.inFlight} in flight, ${fields.rate}/s, ETA ${fields.etaText}`);
    }
  }
  if (started) bar?.stop();
}
