import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export { runConcurrently } from './concurrency.js';

/** One measured run of one subject, as the child process reports it. */
export interface RunMeasurement {
  /** Operations measured in this run (sends, sendMail calls, recipients). */
  operations: number;
  /** Client process CPU (user + system, every thread) during the run, in microseconds. */
  cpuMicros: number;
  wallMs: number;
  /** Highest resident set size seen during the run (sampled every few ms from a worker thread). */
  peakRssBytes: number;
  /** Resident set size right before the run, after a forced garbage collection. */
  baselineRssBytes: number;
  /** Case-specific figures (delivered emails, requests, errors...). */
  extra?: Record<string, number | string>;
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** The kernel's resident-set high-water mark of this process (VmHWM), in bytes. */
export function highWaterMarkBytes(): number {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall back to the sampler only
  }
  return 0;
}

const samplerSource = `
const { parentPort, workerData } = require('node:worker_threads');
let peak = process.memoryUsage.rss();
const timer = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'reset') { peak = process.memoryUsage.rss(); parentPort.postMessage({ reset: true, rss: peak }); return; }
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
  clearInterval(timer);
  parentPort.postMessage({ peak });
});
`;

/**
 * Samples the process RSS from a worker thread, so the peak is seen even while the main thread
 * is busy in synchronous code (a big Buffer read and base64-encoded in one go).
 */
export interface RssSampler {
  /** Starts a new peak; resolves with the RSS at that moment. */
  reset(): Promise<number>;
  stop(): Promise<number>;
}

export async function startRssSampler(intervalMs = 5): Promise<RssSampler> {
  const worker = new Worker(samplerSource, { eval: true, workerData: { intervalMs } });
  const next = () =>
    new Promise<{ peak?: number; reset?: boolean; rss?: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const sampler: RssSampler = {
    async reset() {
      const answer = next();
      worker.postMessage('reset');
      return (await answer).rss ?? process.memoryUsage.rss();
    },
    async stop() {
      const answer = next();
      worker.postMessage('stop');
      const { peak } = await answer;
      await worker.terminate();
      return Math.max(peak ?? 0, process.memoryUsage.rss());
    },
  };
  // The worker's start-up briefly takes about 30 MB (a fresh malloc arena for its isolate). On a
  // loaded machine a fixed grace period can end before that, and the start-up would land inside
  // the measured run. One round trip proves the worker is up; then let its start-up settle.
  await sampler.reset();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return sampler;
}

/**
 * Sets the kernel's high-water mark (VmHWM) of this process back to its current RSS (Linux: writing
 * 5 to /proc/self/clear_refs). False where that is not possible (not Linux, not allowed).
 */
export function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU ticks (user + system) used so far by every thread of this process but the main one. */
function backgroundThreadTicks(): number {
  let ticks = 0;
  for (const task of readdirSync('/proc/self/task')) {
    if (task === String(process.pid)) continue;
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ticks;
}

/** How long {@link settleBackgroundThreads} waited, and whether the threads went quiet in time. */
export interface SettleResult {
  waitedMs: number;
  settled: boolean;
}

/**
 * Waits until no thread of this process but the main one has used CPU for `quietMs`: V8's
 * background compilers (the optimizing compile of undici's WebAssembly HTTP parser, triggered by
 * the first requests of a process, holds about 30 MB of compiler memory for a while) and GC helpers. Polled
 * from the main thread through /proc/self/task, so no helper thread is added. Undefined where
 * /proc cannot be read (not Linux).
 */
export async function settleBackgroundThreads(
  quietMs = 300,
  maxMs = 15_000,
): Promise<SettleResult | undefined> {
  const pollMs = 50;
  let last: number;
  try {
    last = backgroundThreadTicks();
  } catch {
    return undefined;
  }
  const start = Date.now();
  let quietSince = start;
  while (Date.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = backgroundThreadTicks();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return { waitedMs: Date.now() - start, settled: true };
    }
  }
  return { waitedMs: Date.now() - start, settled: false };
}

/**
 * The RssSampler shape over the kernel's high-water mark: no thread. With `resetAtBaseline`, the
 * mark is set back to the RSS at the baseline, so the peak is the run's own (not a start-up peak);
 * where the mark cannot be reset, it is the process's all-time peak.
 */
function kernelPeakReader(resetAtBaseline: boolean): RssSampler {
  return {
    async reset() {
      if (resetAtBaseline) resetHighWaterMark();
      return process.memoryUsage.rss();
    },
    async stop() {
      return Math.max(highWaterMarkBytes(), process.memoryUsage.rss());
    },
  };
}

/**
 * Measures one run: forced GC, baseline RSS, then CPU (process.cpuUsage: user + system of every
 * thread of this process), wall time and peak RSS around `body`.
 */
export async function measureRun(
  operations: number,
  body: () => Promise<Record<string, number | string> | undefined>,
  samplerIntervalMs: number | 'kernel' | 'kernel-since-baseline' = 10,
): Promise<RunMeasurement> {
  // 'kernel': no sampler thread (a Node worker alone takes about 10 MB, which would be counted as
  // the subject's); the peak is the kernel's high-water mark for the process (VmHWM), which sees
  // every page the process ever held. Right for long runs whose peak is far above start-up.
  // 'kernel-since-baseline': the same mark, reset to the RSS at the baseline (a short run's peak).
  const sampler =
    samplerIntervalMs === 'kernel' || samplerIntervalMs === 'kernel-since-baseline'
      ? kernelPeakReader(samplerIntervalMs === 'kernel-since-baseline')
      : await startRssSampler(samplerIntervalMs);
  collectGarbage();
  const baselineRssBytes = Math.min(process.memoryUsage.rss(), await sampler.reset());
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  const extra = await body();
  const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const peakRssBytes = await sampler.stop();
  const result: RunMeasurement = {
    operations,
    cpuMicros: cpu.user + cpu.system,
    wallMs,
    peakRssBytes,
    baselineRssBytes,
  };
  if (extra) result.extra = extra;
  return result;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const MB = 1024 * 1024;
