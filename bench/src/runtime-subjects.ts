/**
 * core's send on Bun, Deno and workerd, measured like the Node subjects: the same load, the same
 * server, CPU of the runtime's own process only. Bun and Deno measure themselves (process.cpuUsage
 * around the run); workerd cannot, so its process is measured from here through /proc.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bunBinary, denoBinary, workerBundleOptions, workerdOptions } from '../../scripts/runtimes.mjs';
import type { LoadSettings } from './fixtures.js';
import type { RunMeasurement } from './measure.js';
import { cpuMicrosOf, memoryOf, resetHighWaterMarkOf } from './process-usage.js';
import { benchDirectory, childScript, SubjectUnavailableError } from './processes.js';
import { runtimeMeasurementMarker } from './runtime-marker.js';

function binaryOf(runtime: 'bun' | 'deno'): string {
  try {
    return runtime === 'bun' ? bunBinary(benchDirectory) : denoBinary(benchDirectory);
  } catch (error) {
    throw new SubjectUnavailableError(String((error as Error).message));
  }
}

/** Runs the load in Bun or Deno and reads the measurements it prints. */
export async function measureOnRuntime(
  runtime: 'bun' | 'deno',
  settings: LoadSettings,
): Promise<RunMeasurement[]> {
  const script = await childScript('runtime-load');
  // Deno: every permission (the bench reads /proc and resets the high-water mark through it).
  const args = runtime === 'bun' ? [script] : ['run', '--quiet', '--allow-all', script];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(binaryOf(runtime), [...args, JSON.stringify(settings)], {
      cwd: benchDirectory,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (status) =>
      status === 0 ? resolve(text) : reject(new Error(`${runtime} exited ${status}\n${text}`)),
    );
  });
  const line = output.split('\n').find((candidate) => candidate.startsWith(runtimeMeasurementMarker));
  if (!line) throw new Error(`${runtime} printed no measurements\n${output}`);
  return JSON.parse(line.slice(runtimeMeasurementMarker.length)) as RunMeasurement[];
}

/** The workerd process miniflare started from this process. */
function workerdProcess(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'workerd' && parent === process.pid) return Number(entry);
    } catch {
      // the process ended while being read
    }
  }
  throw new Error('no workerd process found among this process’s children');
}

/** Sends per request to the Worker: its own loop runs them, so a request costs workerd little. */
const sendsPerRequest = 1_000;

/**
 * Runs the load in a Worker on workerd (miniflare), bundled from core's Workers build, its
 * outbound fetch straight to the server through workerd's network stack. CPU and memory are the
 * workerd process's, read from /proc around the measured requests (clock ticks: 10 ms).
 */
export async function measureOnWorkerd(settings: LoadSettings): Promise<RunMeasurement[]> {
  const [{ build }, { Miniflare }] = await Promise.all([import('esbuild'), import('miniflare')]);
  const bundle = await build({
    ...workerBundleOptions,
    conditions: [...workerBundleOptions.conditions],
    mainFields: [...workerBundleOptions.mainFields],
    entryPoints: [join(benchDirectory, 'src', 'worker-load.ts')],
    write: false,
    logLevel: 'error',
  });
  const worker = new Miniflare(
    workerdOptions(bundle.outputFiles[0]!.text) as ConstructorParameters<typeof Miniflare>[0],
  );
  try {
    await worker.ready;
    const pid = workerdProcess();
    let transport = '';
    const run = async (sends: number) => {
      for (let done = 0; done < sends; done += sendsPerRequest) {
        const response = await worker.dispatchFetch('http://bench.local/', {
          method: 'POST',
          body: JSON.stringify({ ...settings, sends: Math.min(sendsPerRequest, sends - done) }),
        });
        if (response.status !== 200)
          throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
        transport = ((await response.json()) as { transport: string }).transport;
      }
    };
    await run(settings.warmup);
    const baselineRssBytes = memoryOf(pid, 'VmRSS');
    resetHighWaterMarkOf(pid);
    const cpuStart = cpuMicrosOf(pid);
    const wallStart = process.hrtime.bigint();
    await run(settings.sends);
    const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
    return [
      {
        operations: settings.sends,
        cpuMicros: cpuMicrosOf(pid) - cpuStart,
        wallMs,
        peakRssBytes: Math.max(memoryOf(pid, 'VmHWM'), memoryOf(pid, 'VmRSS')),
        baselineRssBytes,
        extra: { transport },
      },
    ];
  } finally {
    await worker.dispose();
  }
}
