import { benchMail, type LoadSettings, staticToken } from '../fixtures.js';
import {
  type BenchCase,
  type CaseContext,
  measureSubjects,
  pairedCpuRatio,
  pairedTarget,
  type SubjectRunner,
} from '../framework.js';
import { loadOfficial, officialVersion } from '../official.js';
import { importPackage } from '../packages.js';
import { startServerProcess } from '../processes.js';
import { measureOnRuntime, measureOnWorkerd } from '../runtime-subjects.js';
import { sendLoad as load } from '../send-load.js';

const sizes = {
  full: { sends: 20_000, warmup: 2_000, concurrency: 32, rounds: 5 },
  quick: { sends: 5_000, warmup: 1_000, concurrency: 32, rounds: 3 },
  tiny: { sends: 300, warmup: 50, concurrency: 8, rounds: 1 },
};

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

  /** The floor of the fetch path on Node: Node's global fetch posting the same JSON, nothing else. */
  async fetch(raw) {
    const settings = raw as unknown as LoadSettings;
    const headers = {
      authorization: `Bearer ${settings.token}`,
      'content-type': 'application/json',
      'user-agent': 'bench-fetch-loop',
    };
    const send = async () => {
      const response = await fetch(`${settings.url}/api/send`, {
        method: 'POST',
        headers,
        body: JSON.stringify(benchMail),
      });
      const answer = (await response.json()) as { success?: boolean };
      if (response.status !== 200 || answer.success !== true) throw new Error(`status ${response.status}`);
    };
    return load(settings, send);
  },

  /** core on Node with the fetch transport: the cost of fetch where undici is the default. */
  async 'core-fetch'(raw) {
    const settings = raw as unknown as LoadSettings;
    const core = await importPackage('@mailtrap-kit/core', ['MailtrapClient']);
    const client = new core.MailtrapClient({
      token: settings.token,
      endpoints: { send: settings.url },
      rateLimit: false,
      transport: 'fetch',
    });
    const runs = await load(settings, () => client.send(benchMail));
    await client.close();
    return runs;
  },

  bun: (raw) => measureOnRuntime('bun', raw as unknown as LoadSettings),
  deno: (raw) => measureOnRuntime('deno', raw as unknown as LoadSettings),
  workerd: (raw) => measureOnWorkerd(raw as unknown as LoadSettings),

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
          { name: 'fetch', label: "bare fetch loop (Node's global fetch)", settings },
          { name: 'core-fetch', label: '@mailtrap-kit/core on Node (transport: fetch)', settings },
          { name: 'bun', label: '@mailtrap-kit/core on Bun (fetch)', settings },
          { name: 'deno', label: '@mailtrap-kit/core on Deno (fetch)', settings },
          { name: 'workerd', label: '@mailtrap-kit/core on workerd (fetch)', settings },
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
          "core-fetch is the same client on Node with transport: 'fetch' (Node's global fetch instead of undici's dispatcher); the bare fetch loop is its floor, as the undici loop is core's.",
          "Bun and Deno (their npm packages) run the same load with core's fetch build (their export conditions) and measure their own process the same way (process.cpuUsage); their peak RSS is the kernel's high-water mark, not a sampler thread.",
          "workerd runs it in a Worker (miniflare, no nodejs_compat) bundled from core's Workers build, 1,000 sends per request to the Worker; its CPU and memory are the workerd process's from /proc (10 ms clock ticks), miniflare's Node side not counted.",
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
