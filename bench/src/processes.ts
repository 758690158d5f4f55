import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunMeasurement } from './measure.js';

function findBenchDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@mailtrap-kit/bench') {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error('the bench directory was not found');
    directory = parent;
  }
}

export const benchDirectory = findBenchDirectory();

/**
 * The child scripts are bundled once per run with esbuild (every package stays external, so the
 * built packages are what runs) and started with plain `node --expose-gc`: the tsx loader costs
 * about 35 MB of RSS and a loader thread, which would be counted against every subject.
 */
const execArgv = ['--expose-gc'];
let buildDirectory: string | undefined;

const childScripts = [
  'runner',
  'static-server',
  'emulator-server',
  'smtp-sink-server',
  'runtime-load',
] as const;
export type ChildScript = (typeof childScripts)[number];

/** The bundled form of a child script (`runtime-load` is what Bun and Deno run). */
export async function childScript(name: ChildScript): Promise<string> {
  if (!buildDirectory) {
    const directory = join(benchDirectory, 'results', 'tmp', `build-${process.pid}`);
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: childScripts.map((entry) => join(benchDirectory, 'src', `${entry}.ts`)),
      outdir: directory,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
    });
    buildDirectory = directory;
    process.once('exit', removeChildScripts);
  }
  return join(buildDirectory, `${name}.mjs`);
}

/** Removes the bundled child scripts (runBench calls it at the end; exit does too). */
export function removeChildScripts(): void {
  if (!buildDirectory) return;
  rmSync(buildDirectory, { recursive: true, force: true });
  buildDirectory = undefined;
}

interface ChildMessage {
  type: 'ready' | 'result' | 'error';
  value?: unknown;
  message?: string;
  unavailable?: boolean;
}

async function forkScript(
  name: 'runner' | 'static-server' | 'emulator-server' | 'smtp-sink-server',
  args: string[] = [],
): Promise<{ child: ChildProcess; output: () => string }> {
  mkdirSync(join(benchDirectory, 'results', 'tmp'), { recursive: true });
  const child = fork(await childScript(name), args, {
    cwd: benchDirectory,
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => text };
}

function firstMessage(child: ChildProcess, output: () => string, timeoutMs: number): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child timed out after ${timeoutMs} ms\n${output()}`));
    }, timeoutMs);
    child.once('message', (message: ChildMessage) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${signal ?? code}) before answering\n${output()}`));
    });
  });
}

export class SubjectUnavailableError extends Error {
  override name = 'SubjectUnavailableError';
}

/** A server (the static answerer or the emulator) running in its own process. */
export interface ServerProcess {
  url: string;
  info: Record<string, unknown>;
  close(): Promise<void>;
}

const serverScripts = {
  static: 'static-server',
  emulator: 'emulator-server',
  'smtp-sink': 'smtp-sink-server',
} as const;

export async function startServerProcess(
  kind: keyof typeof serverScripts,
  options: Record<string, unknown> = {},
): Promise<ServerProcess> {
  const { child, output } = await forkScript(serverScripts[kind], [JSON.stringify(options)]);
  const message = await firstMessage(child, output, 60_000);
  if (message.type !== 'ready') {
    child.kill('SIGKILL');
    if (message.unavailable) throw new SubjectUnavailableError(message.message ?? 'unavailable');
    throw new Error(`${kind} server failed to start: ${message.message}\n${output()}`);
  }
  const info = message.value as Record<string, unknown> & { url: string };
  return {
    url: info.url,
    info,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/**
 * Runs one subject of one case in a fresh child process (`node --expose-gc --import tsx runner.ts`)
 * and returns its measurements.
 */
export async function runSubjectInChild(
  caseId: string,
  subject: string,
  settings: Record<string, unknown>,
  timeoutMs = 600_000,
): Promise<RunMeasurement[]> {
  const { child, output } = await forkScript('runner');
  child.send({ caseId, subject, settings });
  try {
    const message = await firstMessage(child, output, timeoutMs);
    if (message.type === 'result') return message.value as RunMeasurement[];
    if (message.unavailable) throw new SubjectUnavailableError(message.message ?? 'unavailable');
    throw new Error(`${caseId}/${subject} failed: ${message.message}\n${output()}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
