import { benchMail } from '../fixtures.js';
import {
  type BenchCase,
  type CaseContext,
  measureSubjects,
  ratio,
  type SubjectRunner,
  subject,
  target,
} from '../framework.js';
import type { RunMeasurement } from '../measure.js';
import { cpuMicrosOf, memoryOf, resetHighWaterMarkOf } from '../process-usage.js';
import { type ServerProcess, startServerProcess } from '../processes.js';

const sizes = {
  full: { messages: 100_000, warmup: 2_000, concurrency: 32, connections: 8 },
  quick: { messages: 10_000, warmup: 500, concurrency: 32, connections: 8 },
  tiny: { messages: 2_000, warmup: 50, concurrency: 8, connections: 2 },
};

/**
 * One measured server: how the load reaches it (`via`), which server (the emulator, or a floor
 * that only speaks the protocol) and, for the emulator, its options. Each entry is measured on a
 * fresh server process. Variants of the emulator join this list: `dataDir: true` runs it on a
 * fresh data dir in the scratch folder (the persistence variants, e.g. `api-data-dir` and
 * `smtp-data-dir`, are one entry each).
 */
export interface IngestServer {
  name: string;
  label: string;
  via: 'api' | 'smtp';
  server: 'emulator' | 'static' | 'smtp-sink';
  emulatorOptions?: Record<string, unknown>;
  dataDir?: boolean;
}

export const ingestServers: IngestServer[] = [
  { name: 'api-floor', label: 'floor: bare node:http answering the send JSON', via: 'api', server: 'static' },
  { name: 'api', label: '@mailtrap-kit/emulator, POST /api/send', via: 'api', server: 'emulator' },
  {
    name: 'api-data-dir',
    label: '@mailtrap-kit/emulator with a data dir (SQLite), POST /api/send',
    via: 'api',
    server: 'emulator',
    dataDir: true,
  },
  {
    name: 'smtp-floor',
    label: 'floor: bare smtp-server discarding each message',
    via: 'smtp',
    server: 'smtp-sink',
  },
  {
    name: 'smtp',
    label: '@mailtrap-kit/emulator, SMTP (AUTH PLAIN, plain on loopback)',
    via: 'smtp',
    server: 'emulator',
  },
  {
    name: 'smtp-data-dir',
    label: '@mailtrap-kit/emulator with a data dir (SQLite), SMTP',
    via: 'smtp',
    server: 'emulator',
    dataDir: true,
  },
];

interface IngestSettings {
  via: 'api' | 'smtp';
  url: string;
  smtp?: { host: string; port: number };
  token: string;
  /** The server process, measured from outside through /proc. */
  pid: number;
  messages: number;
  warmup: number;
  concurrency: number;
  connections: number;
  /** The emulator: check that it keeps every message sent. */
  emulator: boolean;
}

type Load = (count: number) => Promise<void>;

/** The API load: `concurrency` requests in flight over an undici Pool, one prebuilt JSON body. */
async function apiLoad(settings: IngestSettings): Promise<{ load: Load; close(): Promise<void> }> {
  const { Pool } = await import('undici');
  const pool = new Pool(settings.url, { connections: settings.concurrency });
  const body = JSON.stringify(benchMail);
  const headers = {
    authorization: `Bearer ${settings.token}`,
    'content-type': 'application/json',
    'user-agent': 'bench-emulator-ingest',
  };
  const load: Load = async (count) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        const answer = await pool.request({ path: '/api/send', method: 'POST', headers, body });
        await answer.body.dump();
        if (answer.statusCode !== 200) throw new Error(`POST /api/send answered ${answer.statusCode}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, worker));
  };
  return { load, close: () => pool.close() };
}

/**
 * The SMTP load: `connections` sessions (Nodemailer's SMTP client, logged in as Mailtrap's user
 * `api`), each sending one message after another; the MIME message is built once.
 */
async function smtpLoad(settings: IngestSettings): Promise<{ load: Load; close(): Promise<void> }> {
  const [{ default: SMTPConnection }, { default: MailComposer }] = await Promise.all([
    import('nodemailer/lib/smtp-connection'),
    import('nodemailer/lib/mail-composer'),
  ]);
  const raw = await new MailComposer({
    from: `"${benchMail.from.name}" <${benchMail.from.email}>`,
    to: `"${benchMail.to[0]!.name}" <${benchMail.to[0]!.email}>`,
    subject: benchMail.subject,
    text: benchMail.text,
    html: benchMail.html,
    headers: { 'X-MT-Category': benchMail.category },
  })
    .compile()
    .build();
  const sessions = await Promise.all(
    Array.from({ length: settings.connections }, async () => {
      const connection = new SMTPConnection({ ...settings.smtp!, ignoreTLS: true, socketTimeout: 120_000 });
      await new Promise<void>((resolve, reject) => {
        connection.once('error', reject);
        connection.connect(() => resolve());
      });
      await new Promise<void>((resolve, reject) =>
        connection.login({ user: 'api', pass: settings.token }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      return connection;
    }),
  );
  const load: Load = async (count) => {
    let next = 0;
    await Promise.all(
      sessions.map(async (connection) => {
        while (next < count) {
          next++;
          await new Promise<void>((resolve, reject) =>
            // a fresh envelope each time: the connection keeps state on the one it is given
            connection.send({ from: benchMail.from.email, to: [benchMail.to[0]!.email] }, raw, (error) =>
              error ? reject(error) : resolve(),
            ),
          );
        }
      }),
    );
  };
  return {
    load,
    async close() {
      for (const connection of sessions) connection.quit();
    },
  };
}

/** How many messages the emulator keeps (its inspection API). */
async function keptMessages(url: string): Promise<number> {
  const answer = await fetch(`${url}/_emulator/messages?limit=1&summary=1`);
  return ((await answer.json()) as { total: number }).total;
}

/**
 * Warm-up, then the measured messages; CPU, wall time and memory are the server process's (read
 * from /proc around the measured run: clock ticks of 10 ms; its high-water mark reset at the
 * baseline), not the load's.
 */
async function measureIngest(settings: IngestSettings): Promise<RunMeasurement[]> {
  const client = settings.via === 'api' ? await apiLoad(settings) : await smtpLoad(settings);
  try {
    await client.load(settings.warmup);
    const baselineRssBytes = memoryOf(settings.pid, 'VmRSS');
    resetHighWaterMarkOf(settings.pid);
    const cpuStart = cpuMicrosOf(settings.pid);
    const wallStart = process.hrtime.bigint();
    await client.load(settings.messages);
    const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
    const cpuMicros = cpuMicrosOf(settings.pid) - cpuStart;
    const peakRssBytes = Math.max(memoryOf(settings.pid, 'VmHWM'), memoryOf(settings.pid, 'VmRSS'));
    const extra: Record<string, number> = {
      messagesPerSecond: settings.messages / (wallMs / 1000),
      rssAfterMB: memoryOf(settings.pid, 'VmRSS') / 1024 / 1024,
    };
    if (settings.emulator) {
      extra.kept = await keptMessages(settings.url);
      extra.sent = settings.warmup + settings.messages;
    }
    return [{ operations: settings.messages, cpuMicros, wallMs, peakRssBytes, baselineRssBytes, extra }];
  } finally {
    await client.close();
  }
}

export const subjects: Record<string, SubjectRunner> = Object.fromEntries(
  ingestServers.map((entry) => [entry.name, (raw) => measureIngest(raw as unknown as IngestSettings)]),
);

async function startServer(entry: IngestServer, context: CaseContext, total: number): Promise<ServerProcess> {
  if (entry.server !== 'emulator') return startServerProcess(entry.server);
  return startServerProcess('emulator', {
    smtpPort: 0,
    // every message kept: the memory figure is the emulator's with all of them
    retainBodies: total,
    retainBodyBytes: 4 * 1024 ** 3,
    retainLogs: total,
    retainRequests: 1000,
    ...(entry.dataDir ? { dataDir: `${context.scratchDirectory}/emulator-ingest-${entry.name}` } : {}),
    ...entry.emulatorOptions,
  });
}

export const emulatorIngestCase: BenchCase = {
  id: 'emulator-ingest',
  title: 'emulator: messages ingested per second over the API and SMTP, memory with every message kept',
  async run(context: CaseContext) {
    const size = sizes[context.mode];
    const total = size.warmup + size.messages;
    const results = [] as Awaited<ReturnType<typeof measureSubjects>>;
    for (const entry of ingestServers) {
      let server: ServerProcess | undefined;
      try {
        server = await startServer(entry, context, total);
        const info = server.info as {
          url: string;
          token?: string;
          pid: number;
          smtp?: { host: string; port: number };
        };
        const settings: IngestSettings = {
          via: entry.via,
          url: info.url,
          smtp: info.smtp,
          token: info.token ?? 'bench-token',
          pid: info.pid,
          messages: size.messages,
          warmup: size.warmup,
          concurrency: size.concurrency,
          connections: size.connections,
          emulator: entry.server === 'emulator',
        };
        results.push(
          ...(await measureSubjects(
            context,
            'emulator-ingest',
            [
              {
                name: entry.name,
                label: entry.label,
                settings: settings as unknown as Record<string, unknown>,
              },
            ],
            1,
          )),
        );
      } catch (error) {
        results.push({
          name: entry.name,
          label: entry.label,
          runs: [],
          unavailable: (error as Error).message,
        });
      } finally {
        await server?.close();
      }
    }
    const kept = size.messages + size.warmup;
    /** The share of the messages sent that the emulator keeps: its memory figure is with all of them. */
    const keptShare = (name: string) => {
      const figures = subject(results, name)?.extra;
      const share = ratio(figures?.kept as number | undefined, figures?.sent as number | undefined);
      return share === null ? null : 100 * share;
    };
    return {
      id: 'emulator-ingest',
      title: 'emulator: messages ingested per second over the API and SMTP, memory with every message kept',
      method:
        `Each server runs in its own process, fresh for each subject; the load is another process. ${size.warmup.toLocaleString('en-US')} warm-up ` +
        `messages, then ${size.messages.toLocaleString('en-US')} measured, one small message each (one recipient, text and HTML, a category). ` +
        `API: ${size.concurrency} POST /api/send in flight over an undici Pool, one prebuilt JSON body. SMTP: ${size.connections} sessions of ` +
        "Nodemailer's SMTP client (user api + the token, plain on loopback), each sending one prebuilt MIME message after another. " +
        `The emulator keeps every message (retainBodies ${kept.toLocaleString('en-US')}), so its peak RSS is the figure with ` +
        `${kept.toLocaleString('en-US')} kept messages. CPU, peak RSS (the kernel's high-water mark, reset at the baseline) and ` +
        "overhead are the server process's, read from /proc (CPU in 10 ms clock ticks); the load's own CPU is not counted. One run each.",
      notes: [
        "The floors speak the protocol and keep nothing: node:http answering the send JSON (the static server of the CPU cases), and Nodemailer's smtp-server reading and discarding each message. The emulator's figures beside them are what validation, storage, Email Logs and (for SMTP) MIME parsing add.",
        "The load competes with the server for the same 2 cores: messages per second are the pair's, not the server's alone.",
        'No speed or memory targets yet: the figures are there to be known. The one target per emulator subject checks that its memory figure is what it says: the emulator keeps every message it was sent.',
      ],
      reference: 'api',
      primary: {
        key: 'extra.messagesPerSecond',
        label: 'messages ingested per second',
        unit: '/s',
        lowerIsBetter: false,
      },
      secondary: { key: 'peakRssMB', label: 'server peak RSS', unit: 'MB' },
      subjects: results,
      targets: ingestServers
        .filter((entry) => entry.server === 'emulator')
        .map((entry) =>
          target(
            `${entry.name}: messages kept of those sent (the peak RSS is with all of them)`,
            'min',
            100,
            '%',
            keptShare(entry.name),
          ),
        ),
    };
  },
};
