import { MailtrapAuthenticationError, MailtrapConfigurationError } from '@mailtrap-kit/core';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from './connection';
import { CliUsageError } from './errors';
import type { CliIo } from './io';
import { addConnectionOptions, jsonOption, rateOption, streamOption } from './options';
import { action, createProgram, examplesOf, runProgram, withExamples } from './program';
import { formatRate } from './rate';

const secret = 'abcdef0123456789secret';

function capture(env: Record<string, string | undefined> = {}) {
  const output = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text) },
    env: { MAILTRAP_CONFIG: '/nonexistent/mailtrap-kit.json', ...env },
    cwd: process.cwd(),
  };
  return { io, output };
}

function demo(env: Record<string, string | undefined> = {}) {
  const { io, output } = capture(env);
  const seen: Record<string, unknown>[] = [];
  const program = createProgram({ name: 'demo', version: '1.2.3', description: 'A demo', io });
  withExamples(
    addConnectionOptions(program.command('send').description('send something'))
      .addOption(streamOption('transactional'))
      .addOption(rateOption({ requests: 150, windowMs: 10_000 }))
      .addOption(jsonOption())
      .action(
        action((options: Record<string, unknown>, command) => {
          seen.push({ ...options, connection: resolveConnection(command, options) });
          return options.json ? 0 : 4;
        }),
      ),
    'demo send --stream bulk',
  );
  program
    .command('fail')
    .description('fails')
    .action(
      action(() => {
        throw new MailtrapAuthenticationError(`Unauthorized for ${secret}`, { status: 401 });
      }),
    );
  program
    .command('misuse')
    .description('misuses')
    .action(
      action(() => {
        throw new CliUsageError('--from is required');
      }),
    );
  return { program, output, seen, run: (argv: string[]) => runProgram(program, argv) };
}

describe('createProgram and runProgram', () => {
  it('passes the parsed options to the action and returns its exit code', async () => {
    const cli = demo({ MAILTRAP_API_TOKEN: secret });
    expect(
      await cli.run(['send', '--stream', 'bulk', '--rate', '10/1s', '--endpoint', 'http://127.0.0.1:4025']),
    ).toBe(4);
    expect(cli.seen[0]).toMatchObject({
      stream: 'bulk',
      rate: { requests: 10, windowMs: 1000 },
      connection: {
        token: { token: secret, source: 'environment', origin: 'MAILTRAP_API_TOKEN' },
        endpoints: {
          general: 'http://127.0.0.1:4025',
          send: 'http://127.0.0.1:4025/transactional',
          bulk: 'http://127.0.0.1:4025/bulk',
          sandbox: 'http://127.0.0.1:4025/sandbox',
        },
      },
    });
    expect(await cli.run(['send', '--json'])).toBe(0);
    expect(cli.seen[1]).toMatchObject({ stream: 'transactional', rate: { requests: 150, windowMs: 10_000 } });
  });

  it('prints the package version on the program and on every command', async () => {
    for (const argv of [['--version'], ['-V'], ['send', '--version'], ['completion', '--version']]) {
      const cli = demo();
      expect(await cli.run(argv)).toBe(0);
      expect(cli.output.stdout).toBe('1.2.3\n');
    }
  });

  it('suggests the flag or command meant by a typo, exit code 2', async () => {
    const flag = demo();
    expect(await flag.run(['send', '--jsno'])).toBe(2);
    expect(flag.output.stderr).toContain('demo: unknown option --jsno: did you mean --json?\n');
    expect(flag.output.stderr).toContain('(run "demo send --help" for usage)');
    const command = demo();
    expect(await command.run(['sned'])).toBe(2);
    expect(command.output.stderr).toContain('unknown command sned: did you mean send?');
    const choice = demo();
    expect(await choice.run(['send', '--stream', 'sandbox'])).toBe(2);
    expect(choice.output.stderr).toContain('Allowed choices are transactional, bulk');
    const rate = demo();
    expect(await rate.run(['send', '--rate', '150 per 10s'])).toBe(2);
    expect(rate.output.stderr).toContain('expected <requests>/<window> like 150/10s');
  });

  it('shows help with defaults, an example and the exit codes; no command is a usage error', async () => {
    const help = demo();
    expect(await help.run(['send', '--help'])).toBe(0);
    expect(help.output.stdout).toContain('Usage: demo send [options]');
    expect(help.output.stdout).toMatch(
      /--stream <stream>\s+sending stream \(choices: "transactional", "bulk", default:\s+"transactional"\)/,
    );
    expect(help.output.stdout).toMatch(/--rate <rate>[\s\S]*\(default: 150\/10s\)/);
    expect(help.output.stdout).toContain('Example:\n  $ demo send --stream bulk');
    expect(examplesOf(help.program.commands[0]!)).toEqual(['demo send --stream bulk']);
    const root = demo();
    expect(await root.run(['--help'])).toBe(0);
    expect(root.output.stdout).toContain('Exit codes:\n  0  success');
    expect(root.output.stdout).toContain('completion [options] [shell]');
    const none = demo();
    expect(await none.run([])).toBe(2);
    expect(none.output.stderr).toContain('Usage: demo [options] [command]');
  });

  it('prints API errors with their status and the token masked (1), usage errors with a hint (2)', async () => {
    const failed = demo({ MAILTRAP_API_TOKEN: secret });
    expect(await failed.run(['fail'])).toBe(1);
    expect(failed.output.stderr).toBe('demo: Unauthorized for ********cret (HTTP 401)\n');
    const misuse = demo();
    expect(await misuse.run(['misuse'])).toBe(2);
    expect(misuse.output.stderr).toBe('demo: --from is required\n(run "demo misuse --help" for usage)\n');
  });

  it('usage errors are core errors with a stable code, recognised across copies', () => {
    const error = new CliUsageError('--from is required', { option: '--from' });
    expect(error).toMatchObject({ name: 'CliUsageError', code: 'cli.usage', option: '--from' });
    expect(MailtrapConfigurationError.isInstance(error)).toBe(true);
    expect(CliUsageError.isInstance(error)).toBe(true);
    expect(CliUsageError.isInstance(new MailtrapConfigurationError('x'))).toBe(false);
  });

  it('formats rates in the grammar it parses', () => {
    expect(formatRate({ requests: 150, windowMs: 10_000 })).toBe('150/10s');
    expect(formatRate({ requests: 600, windowMs: 60_000 })).toBe('600/1m');
    expect(formatRate({ requests: 5, windowMs: 250 })).toBe('5/250ms');
    expect(formatRate(false)).toBe('off');
  });
});
