import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@mailtrap-kit/emulator';
import { startInTerminal, terminalAvailable } from '@mailtrap-kit/terminal-testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliHarness } from './cli.test-support';

const cli = useCliHarness();
const { directory, packageDirectory, writeBody } = cli;
let emulator: RunningEmulator;
beforeAll(() => {
  emulator = cli.emulator;
});

/** `mailtrap-bulk send` from source under a pseudo-terminal: stderr is a TTY, so the bar is drawn. */
function sendInTerminal(name: string, count: number, extra: string[] = []) {
  const file = join(directory, `${name}.ndjson`);
  writeFileSync(
    file,
    Array.from({ length: count }, (_, index) =>
      JSON.stringify({ email: `${name}${index}@example.org` }),
    ).join('\n'),
  );
  const args = [
    'send',
    '--recipients',
    file,
    '--from',
    'news@example.com',
    '--subject',
    'S',
    '--text',
    writeBody(),
    '--endpoint',
    emulator.url,
    '--rate',
    'off',
    '--batch-size',
    '10',
    '--concurrency',
    '1',
    ...extra,
  ];
  return startInTerminal(
    [process.execPath, '--import', 'tsx', join(packageDirectory, 'src/cli.ts'), ...args],
    {
      cwd: packageDirectory,
      columns: 120,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(packageDirectory, 'tsconfig.source.json'),
        MAILTRAP_API_TOKEN: emulator.token,
        npm_config_user_agent: '',
        npm_command: '',
      },
    },
  );
}

const bar = /[█░]{10,}/;

describe.skipIf(!terminalAvailable())('mailtrap-bulk send in a pseudo-terminal', () => {
  it('redraws one progress bar in place, leaves it at its final count, and prints the summary below it', async () => {
    emulator.faults.inject({ kind: 'latency', delayMs: 60, share: 1, paths: ['batch'] });
    const run = await sendInTerminal('bar', 200).finished;
    emulator.faults.clear();
    expect(run.code, run.raw).toBe(0);
    // the bar was drawn many times (a frame per update), each over the last one
    const frames = run.raw.match(/\d+\/200 \| \d+(?:\.\d+)?\/s/g) ?? [];
    expect(frames.length, run.raw).toBeGreaterThanOrEqual(5);

    const { screen } = run;
    const stated = screen.findIndex((line) =>
      line.startsWith('mailtrap-bulk: sending on the bulk stream via'),
    );
    const bars = screen.map((line, index) => (bar.test(line) ? index : -1)).filter((index) => index >= 0);
    const summary = screen.findIndex((line) =>
      /^200 sent, 0 failed, 0 uncertain, 0 unsent, of 200 recipients in /.test(line),
    );
    // one bar on the screen, between the stated stream and the summary, at its final count
    expect(bars, screen.join('\n')).toHaveLength(1);
    expect(stated).toBeGreaterThanOrEqual(0);
    expect(bars[0]).toBeGreaterThan(stated);
    expect(summary).toBe(bars[0]! + 1);
    expect(screen[bars[0]!]).toMatch(/ 200\/200 \| /);
    // nothing of the bar after the summary
    expect(screen.slice(summary).some((line) => bar.test(line) || /\d+\/200 \|/.test(line))).toBe(false);
  }, 60_000);

  it('Ctrl-C stops the bar before the stopping message; no bar is drawn after it', async () => {
    emulator.faults.inject({ kind: 'latency', delayMs: 80, share: 1, paths: ['batch'] });
    const terminal = sendInTerminal('interrupt', 300);
    await terminal.waitFor(/\d+\/300 \| .*\n?.*\d+\/300 \| /s);
    await terminal.waitFor(/[1-9]\d*\/300 \| /);
    terminal.type('\x03');
    const run = await terminal.finished;
    emulator.faults.clear();
    expect(run.code, run.raw).toBe(3);
    const { screen } = run;
    const stopping = screen.findIndex((line) => line.startsWith('Stopping: no new request starts'));
    expect(stopping, screen.join('\n')).toBeGreaterThan(0);
    const lastBar = screen.findLastIndex((line) => bar.test(line));
    expect(lastBar).toBeLessThan(stopping);
    expect(screen.slice(stopping).some((line) => /\d+\/300 \|/.test(line))).toBe(false);
    expect(
      screen.some((line) => /^\d+ sent, 0 failed, \d+ uncertain, \d+ unsent, of 300 recipients/.test(line)),
    ).toBe(true);
    expect(screen.some((line) => line.startsWith('Resume with:'))).toBe(true);
  }, 60_000);
});
