import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * What the spawned-CLI test files share: one emulator for the file (reset before each test), a
 * temp directory, and helpers that spawn `mailtrap-bulk` from source against it. Call it at the
 * top of a test file; its hooks run before the file's own.
 */
export function useCliHarness() {
  const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
  const directory = mkdtempSync(join(tmpdir(), 'bulk-cli-'));
  let emulator: RunningEmulator;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    emulator = await startEmulator({ retainBodies: 20, retainLogs: 50_000 });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await emulator?.close();
  });
  beforeEach(() => emulator.reset());

  /** Spawns the CLI from source (tsx; workspace packages resolved to their sources). */
  function startCli(
    args: string[],
    env: Record<string, string> = {},
    raw = false,
  ): { child: ChildProcess; finished: Promise<Finished> } {
    const child = spawn(
      process.execPath,
      raw ? args : ['--import', 'tsx', join(packageDirectory, 'src/cli.ts'), ...args],
      {
        cwd: packageDirectory,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(packageDirectory, 'tsconfig.source.json'),
          MAILTRAP_API_TOKEN: emulator.token,
          // started by node itself, as a user's shell would (the test runner may run under npx / pnpm)
          npm_config_user_agent: '',
          npm_command: '',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const finished = new Promise<Finished>((resolve) => {
      child.on('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { child, finished };
  }

  /** Splits a command line the way a POSIX shell would for the words the CLI prints ('…' quoting). */
  function shellWords(line: string): string[] {
    const words: string[] = [];
    let current = '';
    let started = false;
    for (let index = 0; index < line.length; index += 1) {
      const character = line[index]!;
      if (character === "'") {
        const end = line.indexOf("'", index + 1);
        current += line.slice(index + 1, end);
        index = end;
        started = true;
      } else if (character === '\\') {
        current += line[index + 1] ?? '';
        index += 1;
        started = true;
      } else if (character === ' ') {
        if (started) words.push(current);
        current = '';
        started = false;
      } else {
        current += character;
        started = true;
      }
    }
    if (started) words.push(current);
    return words;
  }

  /** Runs a command line the CLI printed (e.g. its resume command), as printed, from the package folder. */
  function runPrinted(line: string, env: Record<string, string> = {}) {
    const [program, ...args] = shellWords(line);
    if (program !== 'node') throw new Error(`the printed command does not start with node: ${line}`);
    return startCli(args, env, true);
  }

  function writeBody(): string {
    const file = join(directory, 'body.txt');
    writeFileSync(file, 'Hello from the spring sale.\n');
    return file;
  }

  function sendArgs(recipients: string, extra: string[] = []): string[] {
    return [
      'send',
      '--recipients',
      recipients,
      '--from',
      'News <news@example.com>',
      '--subject',
      'Spring sale',
      '--text',
      writeBody(),
      '--endpoint',
      emulator.endpoints.bulk,
      '--general-endpoint',
      emulator.endpoints.general,
      '--rate',
      'off',
      '--progress',
      'lines',
      ...extra,
    ];
  }

  function readLinesOf(path: string): Array<Record<string, string>> {
    return readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  /** Email Logs of the emulator for one run: sequence → message ids. */
  function acceptedBySequence(runId: string): Map<number, string[]> {
    const accepted = new Map<number, string[]>();
    for (const entry of emulator.logs()) {
      if (entry.custom_variables.mtk_run !== runId) continue;
      const sequence = Number(entry.custom_variables.mtk_id);
      accepted.set(sequence, [...(accepted.get(sequence) ?? []), entry.message_id]);
    }
    return accepted;
  }

  return {
    packageDirectory,
    directory,
    get emulator(): RunningEmulator {
      return emulator;
    },
    startCli,
    runPrinted,
    writeBody,
    sendArgs,
    readLinesOf,
    acceptedBySequence,
  };
}
