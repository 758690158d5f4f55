import { type Command, type ConnectionFlags, runProgram } from '@mailtrap-kit/cli-kit';
import { MailtrapError } from '@mailtrap-kit/core';
import type { SendFlags } from './cli-args';
import { createBulkProgram } from './cli-program';
import { exitCodes, sendCampaign } from './cli-send';
import { statusCommand, statusOptionsFrom } from './cli-status';
import { invocation } from './invocation';

export { exitCodes } from './cli-send';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The package version, for --version (default: this package's). */
  version?: string;
  /** The script that runs (process.argv[1]) and the working directory: how a resume is printed. */
  script?: string;
  cwd?: string;
  /** Installs a Ctrl-C handler; returns its remover. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** Runs `mailtrap-bulk` with the arguments after the script name; resolves with the exit code. */
export function runCli(argv: string[], io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const started = invocation({ env: io.env, script: io.script, cwd });
  // `mailtrap-bulk version` printed the version before the commands were commander's
  const args = argv[0] === 'version' ? ['--version', ...argv.slice(1)] : argv;
  const program: Command = createBulkProgram(
    { stdout: io.stdout, stderr: io.stderr, env: io.env, cwd },
    {
      send: (flags: SendFlags & ConnectionFlags, command) =>
        sendCampaign(args, flags, command, {
          stdout: io.stdout,
          stderr: io.stderr,
          env: io.env,
          invocation: started,
          ...(io.onInterrupt ? { onInterrupt: io.onInterrupt } : {}),
        }),
      async status(flags, _command, campaign) {
        try {
          io.stdout.write(`${statusCommand(statusOptionsFrom(flags, campaign), started)}\n`);
          return exitCodes.sent;
        } catch (error) {
          if (!MailtrapError.isInstance(error)) throw error;
          io.stderr.write(`mailtrap-bulk: ${error.message}\n`);
          return exitCodes.badInput;
        }
      },
    },
    io.version,
  );
  return runProgram(program, args);
}
