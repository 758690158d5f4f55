import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchMail, staticToken } from '../fixtures.js';
import {
  type BenchCase,
  type CaseContext,
  measureSubjects,
  ratio,
  type SubjectRunner,
  subject,
  target,
} from '../framework.js';
import {
  MB,
  measureRun,
  type RunMeasurement,
  resetHighWaterMark,
  settleBackgroundThreads,
} from '../measure.js';
import { loadOfficial, officialVersion } from '../official.js';
import { importPackage } from '../packages.js';
import { startServerProcess } from '../processes.js';

const sizes = {
  full: { fileMB: 20, rounds: 5 },
  quick: { fileMB: 20, rounds: 3 },
  tiny: { fileMB: 2, rounds: 1 },
};

interface AttachmentSettings {
  url: string;
  token: string;
  bigFile: string;
  smallFile: string;
}

/**
 * One measured send, as a user's process runs it: no helper thread (a sampler worker would add its
 * own isolate and malloc arena to the process), the peak read from the kernel's high-water mark,
 * reset to the RSS at the baseline so only the send's own peak counts.
 */
function measureOneSend(send: () => Promise<unknown>): Promise<RunMeasurement> {
  return measureRun(
    1,
    async () => {
      await send();
      return undefined;
    },
    'kernel-since-baseline',
  );
}

/**
 * Warm-up sends with a small attachment (code loaded, connection open), then one measured send of
 * the big file once the process's background threads are idle: the warm-ups start V8's optimizing
 * compile of undici's WebAssembly HTTP parser (about 30 MB of compiler memory for a few hundred ms,
 * once per process, whatever is sent), which otherwise lands inside the measured send or not by chance.
 */
async function measureAttachment(warmup: () => Promise<unknown>, send: () => Promise<unknown>) {
  await warmup();
  await warmup();
  const settle = await settleBackgroundThreads();
  const canReset = resetHighWaterMark();
  const run = await measureOneSend(send);
  run.extra = {
    peakSource: canReset ? 'VmHWM reset at the baseline' : 'VmHWM of the whole process (could not reset)',
    ...(settle
      ? { settleMs: settle.waitedMs, backgroundIdle: settle.settled ? 'yes' : 'no (gave up waiting)' }
      : {}),
  };
  return [run];
}

export const subjects: Record<string, SubjectRunner> = {
  /**
   * The floor of streaming: a bare undici request whose body is the JSON around the file's base64,
   * produced chunk by chunk from fs.createReadStream (64 kB chunks), with no checks at all.
   */
  async undici(raw) {
    const settings = raw as unknown as AttachmentSettings;
    const { Pool } = await import('undici');
    const { createReadStream } = await import('node:fs');
    const pool = new Pool(settings.url, { connections: 1 });
    const marker = '__ATTACHMENT_CONTENT__';
    const send = async (path: string) => {
      const json = JSON.stringify({
        ...benchMail,
        attachments: [{ filename: 'report.bin', content: marker }],
      });
      const [before, after] = json.split(marker) as [string, string];
      async function* body() {
        yield Buffer.from(before);
        let carry: Buffer | undefined;
        for await (const piece of createReadStream(path, { highWaterMark: 64 * 1024 })) {
          let chunk = piece as Buffer;
          if (carry) {
            chunk = Buffer.concat([carry, chunk]);
            carry = undefined;
          }
          const usable = chunk.length - (chunk.length % 3);
          if (usable < chunk.length) carry = Buffer.from(chunk.subarray(usable));
          yield Buffer.from(chunk.subarray(0, usable).toString('base64'), 'latin1');
        }
        if (carry) yield Buffer.from(carry.toString('base64'), 'latin1');
        yield Buffer.from(after);
      }
      const response = await pool.request({
        path: '/api/send',
        method: 'POST',
        headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
        body: body() as never, // undici accepts async iterables; its types list only streams
      });
      await response.body.json();
    };
    const runs = await measureAttachment(
      () => send(settings.smallFile),
      () => send(settings.bigFile),
    );
    await pool.close();
    return runs;
  },

  async core(raw) {
    const settings = raw as unknown as AttachmentSettings;
    const core = await importPackage('@mailtrap-kit/core', ['MailtrapClient']);
    // A 20 MB file is 27 MB of base64: over the API's default 10 MB per message, within the
    // 30 MB Business plans get on request, which the client's maxMessageBytes setting allows.
    const client = new core.MailtrapClient({
      token: settings.token,
      endpoints: { send: settings.url },
      rateLimit: false,
      maxMessageBytes: 30 * MB,
    });
    const mailWith = (path: string) => ({ ...benchMail, attachments: [{ filename: 'report.bin', path }] });
    const runs = await measureAttachment(
      () => client.send(mailWith(settings.smallFile)),
      () => client.send(mailWith(settings.bigFile)),
    );
    await client.close();
    return runs;
  },

  async official(raw) {
    const settings = raw as unknown as AttachmentSettings;
    const { MailtrapClient } = loadOfficial(settings.url);
    const client = new MailtrapClient({ token: settings.token });
    // The official client takes no path: the documented way is to read the file into a Buffer.
    const mailWith = (path: string) => ({
      ...benchMail,
      attachments: [{ filename: 'report.bin', content: readFileSync(path) }],
    });
    return measureAttachment(
      () => client.send(mailWith(settings.smallFile)),
      () => client.send(mailWith(settings.bigFile)),
    );
  },
};

export const attachmentCase: BenchCase = {
  id: 'attachment',
  title: 'core: peak memory of a 20 MB attachment given as a path',
  async run(context: CaseContext) {
    const size = sizes[context.mode];
    const bigFile = join(context.scratchDirectory, `attachment-${size.fileMB}mb.bin`);
    const smallFile = join(context.scratchDirectory, 'attachment-small.bin');
    writeFileSync(bigFile, randomBytes(size.fileMB * MB));
    writeFileSync(smallFile, randomBytes(16 * 1024));
    const server = await startServerProcess('static');
    try {
      const settings = { url: server.url, token: staticToken, bigFile, smallFile };
      const results = await measureSubjects(
        context,
        'attachment',
        [
          { name: 'undici', label: 'bare undici, base64 streamed from the file', settings },
          { name: 'core', label: '@mailtrap-kit/core (attachment path)', settings },
          {
            name: 'official',
            label: `official mailtrap@${officialVersion()} (readFileSync Buffer)`,
            settings,
          },
        ],
        size.rounds,
      );
      const title = `core: peak memory of a ${size.fileMB} MB attachment given as a path`;
      return {
        id: 'attachment',
        title,
        method:
          `One send of a message with a ${size.fileMB} MB attachment (random bytes, so ${Math.round(((size.fileMB * 4) / 3) * 10) / 10} MB of base64) ` +
          'to a minimal node:http server in a separate process that drains the body; two warm-up sends with a 16 kB attachment first; ' +
          "then a wait until the process's background threads are idle (polled from the main thread through /proc/self/task); " +
          "overhead = the kernel's RSS high-water mark (VmHWM, reset to the current RSS right before the send, after a forced GC) minus that RSS: no helper thread runs in the measured process; " +
          `${size.rounds} runs, each in a fresh process; median reported.`,
        notes: [
          'core is given { filename, path } and streams the file as base64 into the request body.',
          'The bare undici subject is the floor of streaming: the JSON around the base64 of fs.createReadStream chunks, no checks. Its overhead is mostly garbage chunks waiting for the next GC (V8 collects external memory lazily).',
          "The first requests of a process that uses undici start V8's optimizing compile of undici's WebAssembly HTTP parser (llhttp) on a background thread: about 30 MB of compiler memory for a few hundred ms, once per process, whatever is sent. Started by the warm-ups, it fell inside the measured send or not by chance (core's ratio to the floor moved between 0.5x and 1.2x); every subject now waits for its background threads to be idle before the baseline (settleMs: how long that took).",
          "20 MB of file is 27 MB of base64, over the API's default 10 MB message limit (30 MB on request for Business plans): core's client is given maxMessageBytes: 30 MB.",
          "No sampler thread: a worker started before the baseline made core's figure its own (3.1 MB) rather than a user's process; the kernel's high-water mark sees every page the send touched, with nothing else running.",
          'The official client has no path or stream option: the file is read with readFileSync and passed as content (a Buffer it base64-encodes).',
        ],
        reference: 'core',
        primary: { key: 'overheadMB', label: 'peak memory overhead', unit: 'MB', lowerIsBetter: true },
        secondary: { key: 'peakRssMB', label: 'peak RSS', unit: 'MB' },
        subjects: results,
        targets: [
          target(
            'core peak memory overhead vs the bare undici streaming floor',
            'max',
            1,
            'x',
            ratio(subject(results, 'core')?.overheadMB, subject(results, 'undici')?.overheadMB),
          ),
          target(
            'core peak memory overhead vs the official client',
            'max',
            0.25,
            'x',
            ratio(subject(results, 'core')?.overheadMB, subject(results, 'official')?.overheadMB),
          ),
          target(
            `core peak memory overhead, stretch: under half the file (${size.fileMB / 2} MB)`,
            'max',
            size.fileMB / 2,
            'MB',
            subject(results, 'core')?.overheadMB,
          ),
        ],
      };
    } finally {
      await server.close();
    }
  },
};
