import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { completeWords, completionScript } from './completion';
import type { CliIo } from './io';
import { jsonOption, streamOption } from './options';
import { createProgram, runProgram } from './program';

function program() {
  const output = { stdout: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: () => true },
    env: {},
    cwd: process.cwd(),
  };
  const root = createProgram({ name: 'demo-cli', version: '0.1.0', description: 'demo', io });
  const domains = root.command('domains').description('domains');
  domains.command('list').description('list').addOption(jsonOption());
  domains.command('show').description('show');
  root
    .command('doctor')
    .description('doctor')
    .addOption(streamOption('transactional'))
    .addOption(jsonOption());
  return { root, output };
}

describe('completion', () => {
  it('completes commands, subcommands, flags and option choices', async () => {
    const { root, output } = program();
    expect(completeWords(root, [''])).toEqual(['domains', 'doctor']);
    expect(completeWords(root, ['do'])).toEqual(['domains', 'doctor']);
    expect(completeWords(root, ['domains', ''])).toEqual(['list', 'show']);
    expect(completeWords(root, ['domains', 'list', '--'])).toEqual(['--json', '--help']);
    expect(completeWords(root, ['doctor', '--stream', ''])).toEqual(['transactional', 'bulk']);
    expect(completeWords(root, ['doctor', '--stream', 'bulk', '--j'])).toEqual(['--json']);
    // runProgram adds `completion` and answers `__complete` itself.
    expect(await runProgram(root, ['__complete', 'd'])).toBe(0);
    expect(output.stdout).toBe('domains\ndoctor\n');
    output.stdout = '';
    expect(await runProgram(root, ['__complete', ''])).toBe(0);
    expect(output.stdout).toBe('domains\ndoctor\ncompletion\n');
    output.stdout = '';
    expect(await runProgram(root, ['completion', 'zsh'])).toBe(0);
    expect(output.stdout).toContain('bashcompinit');
    expect(await runProgram(root, ['completion', 'powershell'])).toBe(2);
  });

  it('the bash script asks the program for the words after the command name', async () => {
    // A stand-in `demo-cli` that prints what the script passed it, one candidate per line.
    const script = `demo-cli() { shift; printf '%s\\n' "got:$1,$2" second; }
${completionScript('demo-cli', 'bash')}
COMP_WORDS=(demo-cli domains li); COMP_CWORD=2
_demo_cli_complete
printf '[%s]' "\${COMPREPLY[@]}"`;
    const { stdout } = await promisify(execFile)('bash', ['-c', script]);
    expect(stdout).toBe('[got:domains,li][second]');
    expect(completionScript('demo-cli', 'fish')).toContain(
      "complete -c demo-cli -f -a '(demo-cli __complete",
    );
  });
});
