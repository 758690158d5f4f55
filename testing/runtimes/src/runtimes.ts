/** How a script is run on Bun and Deno (their binaries: scripts/runtimes.mjs, shared with the bench). */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bunBinary as bunBinaryOf, denoBinary as denoBinaryOf } from '../../../scripts/runtimes.mjs';

export const runtimesDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Bun binary of the `bun` npm package. */
export const bunBinary = (): string => bunBinaryOf(runtimesDirectory);
/** The Deno binary of the `deno` npm package. */
export const denoBinary = (): string => denoBinaryOf(runtimesDirectory);

export interface ProcessResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (no shell), with a timeout. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? runtimesDirectory,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * The Deno flags of a run: the hosts it may reach (the scenarios': loopback only) and core's
 * environment variables it may read.
 */
export function denoRunArgs(
  allowEnv: readonly string[],
  allowNet: readonly string[] = ['127.0.0.1'],
): string[] {
  return [
    'run',
    '--quiet',
    '--no-prompt',
    `--allow-net=${allowNet.join(',')}`,
    `--allow-env=${allowEnv.join(',')}`,
  ];
}
