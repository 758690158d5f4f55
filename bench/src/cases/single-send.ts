import { benchMail, type LoadSettings, staticToken } from '../fixtures.js';
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
  full: { sends: 20_000, warmup: 2_000, concurrency: 32, rounds: 5 },
  quick: { sends: 5_000, warmup: 1_000, concurrency: 32, rounds: 3 },
  tiny: { sends: 300, warmup: 50, concurrency: 8, rounds: 1 },
};

/** Warm-up sends (JIT, connections), then one measured run of `sends` at `concurrency`. */
async function load(settings: LoadSettings, send: () => Promise<unknown>) {
  await runConcurrently(settings.warmup, settings.concurrency, send);
  return [
    await measureRun(settings.sends, async () => {
      await runConcurrently(settings.sends, settings.concurrency, send);
      return undefined;
    }),
  ];
}

export const subjects: Record<string, SubjectRunner> = {
  async undici(raw) {
    const settings = raw as unknown as LoadSettings;
    const { Pool } = await import('undici');
    const pool = new Pool(settings.url, { connections: settings.concurrency });
    const headers = {
      authorization: `Bearer ${settings.token}`,
      'content-type': 'application/json',
      'user-agent': 'bench-undici-loop',
    };
    const send = async () => {
      const { statusCode, body } = await pool.request({
        path: '/api/send',
        method: 'POST',
        headers,
        body: JSON.stringify(benchMail),
      });
      const answer = (await body.json()) as { success?: boolean };
      if (statusCode !== 200 || answer.success !== true) throw new Error(`status ${statusCode}`);
    };
    const runs = await load(settings, send);
    await pool.close();
    return runs;
  },

  async core(raw) {
    const settings = raw as unknown as LoadSettings;
    const core = await importPackage('@mailtrap-kit/core', ['MailtrapClient']);
    const client = new core.MailtrapClient({
      token: settings.token,
      endpoints: { send: settings.url },
      rateLimit: false,
    });
    const runs = await load(settings, () => client.send(benchMail));
    await client.close();
    return runs;
  },

  async official(raw) {
    const settings = raw as unknown as LoadSettings;
    const { MailtrapClient } = loadOfficial(settings.url);
    const client = new MailtrapClient({ token: settings.token });
    return load(settings, () => client.send(benchMail));
  },
};

export const singleSend: BenchCase = {
  id: 'single-send',
  title: 'core: CPU per single send',
  async run(context: CaseContext) {
    const size = sizes[context.mode];
    const server = await startServerProcess('static');
    try {
      const settings = { url: server.url, token: staticToken, ...size };
      const results = await measureSubjects(
        context,
        'single-send',
        [
          { name: 'undici', label: 'bare undici Pool loop', settings },
          { name: 'core', label: '@mailtrap-kit/core MailtrapClient.send', settings },
          { name: 'official', label: `official mailtrap@${officialVersion()} send`, settings },
        ],
        size.rounds,
      );
      return {
        id: 'single-send',
        title: 'core: CPU per single send',
        method:
          `${size.sends.toLocaleString('en-US')} sends of the same small message at concurrency ${size.concurrency} ` +
          `to a minimal node:http server in a separate process answering the send success JSON; ` +
          `${size.warmup.toLocaleString('en-US')} warm-up sends first; client CPU = process.cpuUsage() user + system ` +
          `of the client process only, divided by sends; ${size.rounds} runs, each in a fresh process, subjects ` +
          'interleaved round by round; median reported.',
        notes: [
          'core runs with rateLimit: false (the limiter would otherwise cap it at 150 requests / 10 s); retries stay at their defaults (nothing fails).',
          'The undici loop serializes the message with JSON.stringify and parses the answer, like any client must.',
          'The official client is pointed at the local server by replacing its host constants before it loads.',
        ],
        reference: 'core',
        primary: { key: 'cpuPerOperationMicros', label: 'CPU per send', unit: 'µs', lowerIsBetter: true },
        secondary: { key: 'wallMs', label: 'wall', unit: 'ms' },
        subjects: results,
        targets: [
          pairedTarget(
            'core CPU per send vs bare undici loop',
            'max',
            1.0,
            pairedCpuRatio(results, 'core', 'undici'),
          ),
          pairedTarget(
            'official CPU per send vs core (times less CPU)',
            'min',
            2.5,
            pairedCpuRatio(results, 'official', 'core'),
          ),
        ],
      };
    } finally {
      await server.close();
    }
  },
};
