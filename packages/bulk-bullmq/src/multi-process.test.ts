import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RecipientInput } from '@mailtrap-kit/bulk-batcher';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkQueue, createBulkQueue } from './queue';
import { redisAvailable, startRedisServer, type TestRedisServer } from './redis-server.test-support';
import { type CampaignStatus, campaignKeys, type RecipientResult } from './store';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const RECIPIENTS = 200_000;
const BATCH = 500;
// A scaled-down shared limit (Mailtrap's is 150 / 10 s), set below what the in-process emulator can
// take (about 7 batch requests of 500 per second on a busy 2-core machine) so that the limit, not the
// server, is what paces the three workers: 400 requests take about 90 s. The emulator stamps a request
// when its event loop gets to it, which on a loaded machine can be a few hundred ms late; the safety
// margin covers that (Mailtrap's edge has no such delay: the default margin is 250 ms).
const LIMIT = { requests: 40, windowMs: 8_000 };
const SAFETY_MARGIN_MS = 1_000;

interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  ready: Promise<void>;
}

/** Starts `mailtrap-bulk-bullmq work` from the TypeScript sources in its own Node process. */
function spawnWorker(redisUrl: string, emulator: RunningEmulator): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli.ts',
      'work',
      '--redis',
      redisUrl,
      '--bulk-url',
      emulator.endpoints.bulk,
      '--api-url',
      emulator.endpoints.general,
      '--rate-limit',
      `${LIMIT.requests}/${LIMIT.windowMs}ms`,
      '--safety-margin-ms',
      String(SAFETY_MARGIN_MS),
      '--concurrency',
      '4',
      '--settle-delay-ms',
      '500',
      '--email-logs-limit',
      'off',
      '--lock-duration-ms',
      '10000',
      '--stalled-interval-ms',
      '5000',
    ],
    {
      cwd: packageDirectory,
      env: {
        ...process.env,
        MAILTRAP_API_TOKEN: emulator.token,
        TSX_TSCONFIG_PATH: 'tsconfig.source.json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      output.push(data.toString());
      if (output.join('').includes(' ready on queue ')) resolve();
    });
    child.stderr?.on('data', (data: Buffer) => output.push(data.toString()));
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${output.join('')}`)),
    );
  });
  return { child, output, ready };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function* recipients(): Generator<RecipientInput> {
  for (let index = 0; index < RECIPIENTS; index++) yield { email: `r${index}@crowd.test` };
}

/** The largest number of requests that fall in any window of `windowMs` (windows start at each request). */
function busiestWindow(times: number[], windowMs: number): { count: number; start: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = { count: 0, start: 0 };
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    if (end - start > best.count) best = { count: end - start, start: sorted[start]! };
  }
  return best;
}

describe.skipIf(!redisAvailable())('three worker processes, one killed with SIGKILL mid-run', () => {
  let server: TestRedisServer;
  let emulator: RunningEmulator;
  let bulk: BulkQueue;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    emulator = await startEmulator({ retainLogs: 250_000, retainRequests: 20_000, retainBodies: 500 });
    bulk = createBulkQueue({ connection: server.url });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => stopProcess(worker.child)));
    await bulk?.close();
    await emulator?.close();
    await server?.stop();
  });

  it('sends 200,000 recipients: each in exactly one final state, none accepted twice outside the uncertain set, the shared limit held in every window', async () => {
    const started = Date.now();
    const mark: Record<string, number> = {};
    for (let index = 0; index < 3; index++) workers.push(spawnWorker(server.url, emulator));
    await Promise.all(workers.map((worker) => worker.ready));
    mark.workersReady = Date.now() - started;
    const victim = workers[0]!;
    const victimId = `${hostname()}:${victim.child.pid}:`;

    const producing = bulk.produce({
      campaign: 'crowd',
      base: { from: { email: 'news@example.com' }, subject: 'Hello', text: 'Hi there' },
      recipients: recipients(),
      resendUnsent: true,
      batchSize: BATCH,
    });

    // Kill the first worker while it holds chunks in flight, once the run is well under way.
    const keys = campaignKeys('mailtrap-bulk', 'crowd');
    let killedWithChunks: string[] = [];
    const deadline = Date.now() + 120_000;
    while (killedWithChunks.length === 0) {
      if (Date.now() > deadline) throw new Error(`the victim never held a chunk:\n${victim.output.join('')}`);
      const done = Number((await bulk.redis.hget(keys.counts, 'doneChunks')) ?? 0);
      const chunks = await bulk.redis.hgetall(keys.chunks);
      const held = Object.entries(chunks)
        .filter(([, value]) => value.includes(victimId))
        .map(([chunk]) => chunk);
      if (done >= 40 && held.length > 0) {
        victim.child.kill('SIGKILL');
        killedWithChunks = held;
      } else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    mark.killed = Date.now() - started;
    await new Promise((resolve) => victim.child.once('exit', resolve));
    expect(victim.child.signalCode).toBe('SIGKILL');

    const produced = await producing;
    expect(produced).toMatchObject({ chunks: RECIPIENTS / BATCH, recipients: RECIPIENTS });
    mark.produced = Date.now() - started;
    let status: CampaignStatus = await bulk.waitUntilFinished('crowd', { pollMs: 500 });
    mark.finished = Date.now() - started;

    // Every recipient is in exactly one final state.
    expect(status.status).toBe('completed');
    expect(status.recipients.total).toBe(RECIPIENTS);
    expect(status.recipients.pending).toBe(0);
    expect(status.recipients.failed).toBe(0);
    expect(status.recipients.sent + status.recipients.uncertain).toBe(RECIPIENTS);
    // The chunks the dead worker held were taken over and settled through Email Logs.
    expect(status.chunks.settled).toBeGreaterThanOrEqual(1);
    const chunkStates = await bulk.redis.hgetall(keys.chunks);
    for (const chunk of killedWithChunks) expect(chunkStates[chunk]).toBe('done');

    const accepted = new Map<string, string[]>();
    for (const entry of emulator.logs()) {
      if (entry.to.endsWith('@crowd.test'))
        accepted.set(entry.to, [...(accepted.get(entry.to) ?? []), entry.message_id]);
    }
    const seen = new Uint8Array(RECIPIENTS);
    let results = 0;
    const problems: string[] = [];
    for await (const result of bulk.results('crowd') as AsyncGenerator<RecipientResult>) {
      results++;
      seen[result.sequence] = (seen[result.sequence] ?? 0) + 1;
      const ids = accepted.get(result.email) ?? [];
      if (result.state === 'sent' && !ids.includes(result.messageId!)) {
        problems.push(
          `${result.email}: sent as ${result.messageId}, the emulator accepted ${ids.join(', ') || 'nothing'}`,
        );
      }
      // Accepted twice only inside the uncertain set.
      if (ids.length > 1 && result.state !== 'uncertain') {
        problems.push(`${result.email}: accepted ${ids.length} times but ${result.state}`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(results).toBe(RECIPIENTS);
    expect(seen.every((count) => count === 1)).toBe(true);

    // The shared rate limit held in every window, across all three processes.
    const apiRequests = emulator
      .requests()
      .filter((request) => request.kind === 'batch' || request.kind === 'account');
    const batchRequests = apiRequests.filter((request) => request.kind === 'batch');
    expect(batchRequests.length).toBeGreaterThanOrEqual(RECIPIENTS / BATCH);
    expect(batchRequests.filter((request) => request.status === 429)).toHaveLength(0);
    const busiest = busiestWindow(
      apiRequests.map((request) => Date.parse(request.time)),
      LIMIT.windowMs,
    );
    if (busiest.count > LIMIT.requests) {
      const around = apiRequests
        .filter((request) => Math.abs(Date.parse(request.time) - busiest.start) < LIMIT.windowMs * 2)
        .map((request) => `${request.time} ${request.kind} ${request.status} ${request.durationMs ?? ''}`);
      console.error(`[bulk-bullmq] busiest window:\n${around.join('\n')}`);
    }
    expect(busiest.count).toBeLessThanOrEqual(LIMIT.requests);
    // And it was actually the binding constraint (otherwise the check above proves little).
    expect(busiest.count).toBeGreaterThanOrEqual(LIMIT.requests * 0.75);

    status = await bulk.status('crowd');
    expect(status.finishedAt).toBeDefined();
    console.info(
      `[bulk-bullmq] ${RECIPIENTS} recipients, ${batchRequests.length} batch requests, busiest ${LIMIT.windowMs} ms window ${busiest.count}/${LIMIT.requests}, chunks held by the killed worker ${killedWithChunks.length}, settled ${status.chunks.settled}, uncertain ${status.recipients.uncertain}; ms since start: ${JSON.stringify(mark)}`,
    );
  }, 240_000);
});
