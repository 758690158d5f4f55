import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import xterm from '@xterm/headless';

export interface TerminalSettings {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The terminal's width and height (default 80 × 24). */
  columns?: number;
  rows?: number;
  /** Killed after this long (default 60 s). */
  timeoutMs?: number;
}

export interface TerminalRun {
  /** The child's exit code (script passes it on). */
  code: number | null;
  /** Every byte the program wrote to the terminal, escape sequences included. */
  raw: string;
  /** The screen as a terminal shows it at the end: scrollback and visible rows, trailing blanks trimmed. */
  screen: string[];
}

export interface RunningTerminal {
  child: ChildProcess;
  /** What the program wrote so far. */
  raw(): string;
  /** Types into the terminal: `'\x03'` is Ctrl-C (the terminal sends SIGINT to the program). */
  type(text: string): void;
  /** Resolves once the output so far matches (or rejects when the program ends first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  finished: Promise<TerminalRun>;
}

/** True where util-linux `script` is installed (Debian's bsdutils: every Debian and Ubuntu machine). */
export function terminalAvailable(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Renders terminal output the way xterm.js draws it; the final screen's lines. */
export async function renderScreen(raw: string, columns = 80, rows = 24): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols: columns, rows, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(raw, resolve));
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let index = 0; index < buffer.length; index += 1)
    lines.push(buffer.getLine(index)?.translateToString(true) ?? '');
  terminal.dispose();
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Starts `command` (program and arguments) under a pseudo-terminal of the given size, with
 * util-linux `script`: the program's stdout and stderr are a TTY, as in a user's terminal.
 */
export function startInTerminal(
  command: readonly string[],
  settings: TerminalSettings = {},
): RunningTerminal {
  const columns = settings.columns ?? 80;
  const rows = settings.rows ?? 24;
  const line = `stty cols ${columns} rows ${rows}; exec ${command.map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qefc', line, '/dev/null'], {
    cwd: settings.cwd,
    env: { ...(settings.env ?? process.env), TERM: 'xterm-256color' },
    // stdin stays an open pipe: script ends its session when its input closes
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    raw += chunk;
    for (const waiter of waiters) waiter();
  });
  child.stderr!.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), settings.timeoutMs ?? 60_000);
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      for (const waiter of waiters) waiter();
      resolve(code);
    });
  });
  const finished = exited.then(async (code) => {
    child.stdin!.destroy();
    return { code, raw, screen: await renderScreen(raw, columns, rows) };
  });
  return {
    child,
    raw: () => raw,
    type: (text) => {
      child.stdin!.write(text);
    },
    finished,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const stop = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; the terminal shows:\n${raw}`));
        }, timeoutMs);
        function check() {
          if (pattern.test(raw)) {
            clearTimeout(stop);
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(stop);
            waiters.delete(check);
            reject(new Error(`the program ended before ${pattern}; the terminal shows:\n${raw}`));
          }
        }
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs `command` under a pseudo-terminal to its end. */
export function runInTerminal(
  command: readonly string[],
  settings: TerminalSettings = {},
): Promise<TerminalRun> {
  return startInTerminal(command, settings).finished;
}
