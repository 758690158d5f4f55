import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  type BenchCase,
  type CaseContext,
  type SubjectResult,
  type SubjectRunner,
  target,
} from '../framework.js';
import { importPackage } from '../packages.js';
import { cpuMicrosOf, memoryOf } from '../process-usage.js';

/**
 * 1, 2 and 4 `mailtrap-bulk-bullmq work` processes send one campaign each on one token, under
 * Mailtrap's limit shared in Redis. Measured from the emulator's request log (which is the server's
 * view) and Redis' own command counter.
 */
const sizes = { full: 150_000, quick: 45_000, tiny: 6_000 };
const limit = { requests: 150, windowMs: 10_000 };
const workerCounts = [1, 2, 4];

export const subjects: Record<string, SubjectRunner> = {};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function redisBinary(): string | undefined {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

async function startRedis(directory: string): Promise<{ url: string; stop(): void }> {
  const binary = redisBinary();
  if (!binary) throw new Error('redis-server is not installed');
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server not ready:\n${output}`)), 20_000);
    child.stdout!.on('data', (data: Buffer) => {
      output += String(data);
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

/** Chunks in flight per worker process: enough to cover a request's latency at one request per 68 ms. */
const concurrency = 8;

function startWorker(
  cli: string,
  redisUrl: string,
  endpoints: { bulk: string; general: string },
  token: string,
) {
  const child = spawn(
    process.execPath,
    [
      cli,
      'work',
      '--redis',
      redisUrl,
      '--bulk-endpoint',
      endpoints.bulk,
      '--general-endpoint',
      endpoints.general,
      '--concurrency',
      String(concurrency),
    ],
    {
      env: { ...process.env, MAILTRAP_API_TOKEN: token, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      output += String(data);
      if (output.includes(' ready on queue ')) resolve();
    });
    child.stderr!.on('data', (data: Buffer) => {
      output += String(data);
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}):\n${output}`)));
  });
  return { child, ready };
}

/** CPU (user + system, µs) and peak RSS (bytes) of a live process, from /proc (Linux); zeros elsewhere. */
function processUsage(pid: number | undefined): { cpuMicros: number; peakRssBytes: number } {
  if (pid === undefined) return { cpuMicros: 0, peakRssBytes: 0 };
  try {
    return { cpuMicros: cpuMicrosOf(pid), peakRssBytes: memoryOf(pid, 'VmHWM') };
  } catch {
    return { cpuMicros: 0, peakRssBytes: 0 };
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** The most requests in any window of `windowMs` (windows start at each request). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

async function commandsProcessed(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

export const bulkBullmqCase: BenchCase = {
  id: 'bulk-bullmq',
  title: 'bulk-bullmq: worker processes sharing one token',
  async run(context: CaseContext) {
    const recipients = sizes[context.mode];
    const ceiling = (limit.requests / (limit.windowMs / 1000)) * 500;
    const subjectsMeasured: SubjectResult[] = [];
    const figures = new Map<
      number,
      { throughput: number; busiest: number; over: number; commands: number }
    >();
    const require = createRequire(import.meta.url);
    let cli: string;
    let bullmq: any;
    let emulatorPackage: any;
    let ioredis: any;
    try {
      cli = join(
        require.resolve('@mailtrap-kit/bulk-bullmq/package.json').replace(/package\.json$/, ''),
        'dist',
        'cli.js',
      );
      bullmq = await importPackage('@mailtrap-kit/bulk-bullmq', ['createBulkQueue']);
      emulatorPackage = await importPackage('@mailtrap-kit/emulator', ['startEmulator']);
      ioredis = await import('ioredis');
    } catch (error) {
      for (const count of workerCounts)
        subjectsMeasured.push({
          name: `workers-${count}`,
          label: `${count} worker processes`,
          runs: [],
          unavailable: String(error),
        });
      return result(subjectsMeasured);
    }
    const directory = mkdtempSync(join(context.scratchDirectory, 'redis-'));
    const redisServer = await startRedis(directory);
    const emulator = await emulatorPackage.startEmulator({
      rateLimit: limit,
      retainBodies: 0,
      // the request log keeps a record while the log entries of its message ids are kept
      retainLogs: recipients + 1000,
      retainRequests: Math.ceil(recipients / 500) + 100,
    });
    const redis = new ioredis.Redis(redisServer.url);
    try {
      for (const count of workerCounts) {
        const subject: SubjectResult = {
          name: `workers-${count}`,
          label: `${count} worker process${count > 1 ? 'es' : ''}`,
          runs: [],
        };
        subjectsMeasured.push(subject);
        emulator.reset();
        await redis.flushall();
        const bulk = bullmq.createBulkQueue({ connection: redisServer.url });
        const campaign = `bench-${count}`;
        const workers: ReturnType<typeof startWorker>[] = [];
        try {
          await bulk.produce({
            campaign,
            base: { from: { email: 'news@example.com' }, subject: 'The November issue', text: 'Hello!' },
            recipients: (function* () {
              for (let index = 0; index < recipients; index++) yield { email: `reader${index}@example.net` };
            })(),
            maxQueuedChunks: 100_000,
          });
          const before = await commandsProcessed(redis);
          for (let index = 0; index < count; index++)
            workers.push(startWorker(cli, redisServer.url, emulator.endpoints, emulator.token));
          await Promise.all(workers.map((worker) => worker.ready));
          const status = await bulk.waitUntilFinished(campaign, { pollMs: 500 });
          const after = await commandsProcessed(redis);
          // the workers' own CPU and peak memory, read before they stop
          const usages = workers.map((worker) => processUsage(worker.child.pid));
          const workerCpu = usages.reduce((sum, usage) => sum + usage.cpuMicros, 0);
          const workerPeak = Math.max(...usages.map((usage) => usage.peakRssBytes));
          const batches = emulator.requests().filter((request: { kind: string }) => request.kind === 'batch');
          const accepted = batches.filter((request: { status?: number }) => request.status === 200);
          const times = accepted.map((request: { time: string }) => Date.parse(request.time));
          const first = Math.min(...times);
          const last = Math.max(...times);
          // recipients per second between the first and the last request, one spacing added for the last
          const seconds = (last - first + limit.windowMs / limit.requests) / 1000;
          const throughput = (status.recipients.sent / seconds / ceiling) * 100;
          const busiest = busiestWindow(times, limit.windowMs);
          const over = batches.filter((request: { status?: number }) => request.status === 429).length;
          const durations = accepted
            .map((request: { durationMs?: number }) => request.durationMs ?? 0)
            .sort((a: number, b: number) => a - b);
          const medianMs = durations[Math.floor(durations.length / 2)] ?? 0;
          // waitUntilFinished's own polls are counted too; they are few (one every 500 ms)
          const commandsPerRecipient = (after - before) / status.recipients.sent;
          figures.set(count, { throughput, busiest, over, commands: commandsPerRecipient });
          subject.runs.push({
            operations: status.recipients.sent,
            cpuMicros: workerCpu,
            wallMs: last - first,
            peakRssBytes: workerPeak,
            baselineRssBytes: 0,
            extra: {
              throughputPercent: throughput,
              busiestWindow: busiest,
              requests429: over,
              redisCommandsPerRecipient: commandsPerRecipient,
              medianRequestMs: medianMs,
            },
          });
          subject.summary = {
            operations: status.recipients.sent,
            cpuPerOperationMicros: workerCpu / status.recipients.sent,
            wallMs: last - first,
            peakRssMB: workerPeak / 1_048_576,
            overheadMB: 0,
            operationsPerSecond: status.recipients.sent / seconds,
            extra: subject.runs[0]!.extra!,
          };
          context.log(
            `  bulk-bullmq ${count} worker(s): ${Math.round(status.recipients.sent / seconds)} recipients/s (${throughput.toFixed(1)}% of ${ceiling}), busiest ${limit.windowMs / 1000} s window ${busiest}/${limit.requests}, ${over} answered 429, median request ${Math.round(medianMs)} ms, ${commandsPerRecipient.toFixed(3)} Redis commands per recipient`,
          );
        } catch (error) {
          subject.error = error instanceof Error ? error.message : String(error);
          context.log(`  bulk-bullmq ${count} worker(s): FAILED: ${subject.error}`);
        } finally {
          await Promise.all(workers.map((worker) => stop(worker.child)));
          await bulk.close();
        }
      }
    } finally {
      await redis.quit().catch(() => undefined);
      await emulator.close();
      redisServer.stop();
      rmSync(directory, { recursive: true, force: true });
    }
    return result(subjectsMeasured);

    function result(measured: SubjectResult[]) {
      return {
        id: 'bulk-bullmq',
        title: `bulk-bullmq: ${recipients.toLocaleString('en-US')} recipients, 1, 2 and 4 worker processes on one token`,
        method:
          `For each worker count: a fresh Redis database and emulator log, one campaign of ${recipients.toLocaleString('en-US')} recipients produced first, ` +
          `then that many \`mailtrap-bulk-bullmq work --concurrency ${concurrency}\` processes (the built bin, default shared limit 150 / 10 s with its 250 ms margin) against ` +
          `an in-process emulator enforcing Mailtrap's 150 requests / 10 s. Throughput = recipients sent / time from the first to the last accepted batch request ` +
          `(plus one request spacing), against the ceiling (${ceiling.toLocaleString('en-US')} recipients/s). The busiest window is counted on the emulator's request ` +
          "log (its receive times); 429s are the requests the server refused for the limit. Redis commands per recipient = the server's total_commands_processed " +
          "over the sending phase / recipients (every worker, BullMQ's own commands, the shared limiter and the campaign state).",
        notes: [
          'One run per worker count (each is paced by the limit, not the machine).',
          "CPU per recipient is every worker's CPU (from /proc, start to finish, startup included) over the recipients; peak RSS is the largest worker's high-water mark.",
        ],
        reference: 'workers-1',
        primary: {
          key: 'extra.throughputPercent' as const,
          label: 'share of the shared ceiling',
          unit: '%',
          lowerIsBetter: false,
        },
        secondary: {
          key: 'extra.redisCommandsPerRecipient' as const,
          label: 'Redis commands per recipient',
          unit: '',
        },
        subjects: measured,
        targets: workerCounts.flatMap((count) => [
          target(
            `${count} worker(s): throughput vs the shared ceiling`,
            'min',
            95,
            '%',
            figures.get(count)?.throughput,
          ),
          target(
            `${count} worker(s): requests over the limit in any window (busiest window minus ${limit.requests}, plus 429s)`,
            'max',
            0,
            'x',
            figures.has(count)
              ? Math.max(0, figures.get(count)!.busiest - limit.requests) + figures.get(count)!.over
              : null,
          ),
        ]),
      };
    }
  },
};
