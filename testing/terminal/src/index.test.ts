import { describe, expect, it } from 'vitest';
import { renderScreen, runInTerminal, terminalAvailable } from './index';

describe.skipIf(!terminalAvailable())('a program under a pseudo-terminal', () => {
  it('sees a TTY of the given width, and the screen shows what is left after redraws', async () => {
    const script = [
      "process.stdout.write('tty ' + process.stdout.isTTY + ' ' + process.stdout.columns + '\\n');",
      "process.stdout.write('step 1');",
      "process.stdout.write('\\r\\x1b[2Kstep 2');",
      "process.stdout.write('\\r\\x1b[2Kdone\\n');",
      'process.exitCode = 3;',
    ].join('');
    const run = await runInTerminal([process.execPath, '-e', script], { columns: 50 });
    expect(run.code).toBe(3);
    expect(run.raw).toContain('step 1');
    expect(run.screen).toEqual(['tty true 50', 'done']);
  });

  it('renders a line longer than the terminal on two rows', async () => {
    expect(await renderScreen(`${'x'.repeat(12)}\r\n`, 10)).toEqual(['x'.repeat(10), 'xx']);
  });
});
