import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll } from 'vitest';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  finished: Promise<Finished>;
  /** Resolves with stdout once it contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

export const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The environment of a spawned `mailtrap-kit`: workspace sources, no token or config of the machine. */
export function cliEnvironment(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.MAILTRAP_API_TOKEN;
  delete base.MAILTRAP_ENDPOINT;
  delete base.MAILTRAP_ACCOUNT_ID;
  return {
    ...base,
    TSX_TSCONFIG_PATH: join(packageDirectory, 'tsconfig.source.json'),
    MAILTRAP_CONFIG: join(tmpdir(), 'mailtrap-kit-test-no-config.json'),
    ...env,
  };
}

/** Spawns `mailtrap-kit` from source (tsx), as a user's shell would run it. */
export function startKit(args: string[], env: Record<string, string | undefined> = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageDirectory, 'src/cli.ts'), ...args], {
    cwd: packageDirectory,
    env: cliEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    for (const waiter of waiters) waiter();
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const waitFor = (text: string | RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const matches = () => (typeof text === 'string' ? stdout.includes(text) : text.test(stdout));
      const timer = setTimeout(
        () => reject(new Error(`Timed out waiting for ${text}; stdout: ${stdout}; stderr: ${stderr}`)),
        timeoutMs,
      );
      const check = () => {
        if (matches()) {
          clearTimeout(timer);
          resolve(stdout);
        }
      };
      waiters.push(check);
      child.once('close', (code) => {
        clearTimeout(timer);
        if (!matches())
          reject(new Error(`Exited (${code}) before ${text}; stdout: ${stdout}; stderr: ${stderr}`));
      });
      check();
    });
  return { child, finished, waitFor };
}

/** Runs `mailtrap-kit` to the end. */
export function runKitProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<Finished> {
  return startKit(args, env).finished;
}

/**
 * One emulator per test file, and `kit(args)` running the CLI against it with its token
 * (`--endpoint` its base URL). Call at the top of a test file.
 */
export function useEmulator(options: EmulatorOptions = {}) {
  let emulator: RunningEmulator;
  const directory = mkdtempSync(join(tmpdir(), 'mailtrap-kit-cli-'));
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return {
    directory,
    get emulator(): RunningEmulator {
      return emulator;
    },
    /** `mailtrap-kit <args> --endpoint <emulator>` with the emulator's first token (or `token`). */
    kit(args: string[], env: Record<string, string | undefined> = {}): Promise<Finished> {
      return runKitProcess(args, {
        MAILTRAP_API_TOKEN: emulator.token,
        MAILTRAP_ENDPOINT: emulator.url,
        ...env,
      });
    },
    /** The same, parsing stdout as JSON (`--json` is added). */
    async kitJson<T = unknown>(
      args: string[],
      env: Record<string, string | undefined> = {},
    ): Promise<{ code: number | null; data: T; stderr: string }> {
      const result = await runKitProcess([...args, '--json'], {
        MAILTRAP_API_TOKEN: emulator.token,
        MAILTRAP_ENDPOINT: emulator.url,
        ...env,
      });
      let data: T;
      try {
        data = JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(`not JSON (exit ${result.code}): ${result.stdout}${result.stderr}`);
      }
      return { code: result.code, data, stderr: result.stderr };
    },
  };
}
