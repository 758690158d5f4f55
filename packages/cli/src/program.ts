import { type CliIo, type Command, createProgram, runProgram } from '@mailtrap-kit/cli-kit';
import { version } from '../package.json';
import { registerDoctor } from './commands/doctor';
import { registerDomains } from './commands/domains';
import { registerLogs } from './commands/logs';
import { registerSend } from './commands/send';
import { registerStats } from './commands/stats';
import { registerSuppressions } from './commands/suppressions';
import { registerTokens } from './commands/tokens';
import { registerWebhooks } from './commands/webhooks';

/** The `mailtrap-kit` program, writing to `io`. */
export function createKitProgram(io: CliIo): Command {
  const program = createProgram({
    name: 'mailtrap-kit',
    version,
    description:
      'The Mailtrap integration in one command: doctor checks it end to end; send, logs, stats, domains, tokens, suppressions and webhooks manage it',
    io,
    exitCodes: { failure: 'failure: an API error, or a doctor check failed' },
  });
  registerDoctor(program, io);
  registerSend(program, io);
  registerLogs(program, io);
  registerStats(program, io);
  registerDomains(program, io);
  registerTokens(program, io);
  registerSuppressions(program, io);
  registerWebhooks(program, io);
  return program;
}

/** Runs the `mailtrap-kit` command line; resolves with the exit code. */
export function runKit(argv: string[], io: CliIo): Promise<number> {
  return runProgram(createKitProgram(io), argv);
}
