import { benchMail, benchNodemailerMessage, type LoadSettings, staticToken } from '../fixtures.js';
import {
  type BenchCase,
  type CaseContext,
  measureSubjects,
  pairedCpuRatio,
  pairedTarget,
  type SubjectRunner,
} from '../framework.js';
import { measureRun, runConcurrently } from '../measure.js';
import { loadOfficial, officialVersion } from '../official.js';
import { importPackage } from '../packages.js';
import { startServerProcess } from '../processes.js';

const sizes = {
  full: { sends: 10_000, warmup: 1_500, concurrency: 32, rounds: 5 },
  quick: { sends: 3_000, warmup: 500, concurrency: 32, rounds: 3 },
  tiny: { sends: 300, warmup: 50, concurrency: 8, rounds: 1 },
};

interface SendMailTransport {
  sendMail(message: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

async function load(settings: LoadSettings, transport: SendMailTransport) {
  const send = () => transport.sendMail({ ...benchNodemailerMessage });
  await runConcurrently(settings.warmup, settings.concurrency, send);
  const runs = [
    await measureRun(settings.sends, async () => {
      await runConcurrently(settings.sends, settings.concurrency, send);
      return undefined;
    }),
  ];
  transport.close();
  return runs;
}

export const subjects: Record<string, SubjectRunner> = {
  /** Nodemailer's floor: sendMail through a transport that only posts a fixed JSON with undici. */
  async floor(raw) {
    const settings = raw as unknown as LoadSettings;
    const nodemailer = await import('nodemailer');
    const { Pool } = await import('undici');
    const pool = new Pool(settings.url, { connections: settings.concurrency });
    const body = JSON.stringify(benchMail);
    const headers = {
      authorization: `Bearer ${settings.token}`,
      'content-type': 'application/json',
      'user-agent': 'bench-nodemailer-floor',
    };
    const floorTransport = {
      name: 'floor',
      version: '1.0.0',
      send(_mail: unknown, callback: (error: Error | null, info?: unknown) => void) {
        pool.request({ path: '/api/send', method: 'POST', headers, body }).then(
          async (response) => {
            const answer = (await response.body.json()) as { message_ids?: string[] };
            callback(null, { messageId: answer.message_ids?.[0] });
          },
          (error: Error) => callback(error),
        );
      },
    };
    const transport = nodemailer.createTransport(floorTransport as never) as unknown as SendMailTransport;
    const runs = await load(settings, transport);
    await pool.close();
    return runs;
  },

  async ours(raw) {
    const settings = raw as unknown as LoadSettings;
    const nodemailer = await import('nodemailer');
    const { MailtrapTransport } = await importPackage('@mailtrap-kit/nodemailer-transport', [
      'MailtrapTransport',
    ]);
    const transport = nodemailer.createTransport(
      MailtrapTransport({
        token: settings.token,
        endpoints: { send: settings.url },
        rateLimit: false,
        maxConcurrentRequests: settings.concurrency,
      }),
    ) as unknown as SendMailTransport;
    return load(settings, transport);
  },

  async official(raw) {
    const settings = raw as unknown as LoadSettings;
    const nodemailer = await import('nodemailer');
    const { MailtrapTransport } = loadOfficial(settings.url);
    const transport = nodemailer.createTransport(
      MailtrapTransport({ token: settings.token }) as never,
    ) as unknown as SendMailTransport;
    return load(settings, transport);
  },
};

export const nodemailerCase: BenchCase = {
  id: 'nodemailer',
  title: 'nodemailer-transport: CPU per sendMail',
  async run(context: CaseContext) {
    const size = sizes[context.mode];
    const server = await startServerProcess('static');
    try {
      const settings = { url: server.url, token: staticToken, ...size };
      const results = await measureSubjects(
        context,
        'nodemailer',
        [
          { name: 'floor', label: "Nodemailer's floor (fixed JSON via undici)", settings },
          { name: 'ours', label: '@mailtrap-kit/nodemailer-transport', settings },
          { name: 'official', label: `official mailtrap@${officialVersion()} MailtrapTransport`, settings },
        ],
        size.rounds,
      );
      return {
        id: 'nodemailer',
        title: 'nodemailer-transport: CPU per sendMail',
        method:
          `${size.sends.toLocaleString('en-US')} transporter.sendMail() calls of the same message at concurrency ${size.concurrency} ` +
          `to a minimal node:http server in a separate process; ${size.warmup.toLocaleString('en-US')} warm-up calls first; ` +
          `client CPU (process.cpuUsage user + system) divided by calls; ${size.rounds} runs, each in a fresh process, ` +
          'subjects interleaved round by round; median reported.',
        notes: [
          `All three go through the same Nodemailer (${'createTransport'}; sendMail with from/to/subject/text/html).`,
          'The floor transport posts one precomputed JSON body with an undici Pool and reads the answer: the least any Nodemailer transport can do.',
          `Our transport: batching off, rateLimit: false, maxConcurrentRequests: ${size.concurrency} (the load's concurrency).`,
        ],
        reference: 'ours',
        primary: { key: 'cpuPerOperationMicros', label: 'CPU per sendMail', unit: 'µs', lowerIsBetter: true },
        secondary: { key: 'wallMs', label: 'wall', unit: 'ms' },
        subjects: results,
        targets: [
          pairedTarget(
            "our transport's CPU per sendMail vs Nodemailer's floor",
            'max',
            1.1,
            pairedCpuRatio(results, 'ours', 'floor'),
          ),
          pairedTarget(
            'official transport CPU per sendMail vs ours (times less CPU)',
            'min',
            2.5,
            pairedCpuRatio(results, 'official', 'ours'),
          ),
        ],
      };
    } finally {
      await server.close();
    }
  },
};
