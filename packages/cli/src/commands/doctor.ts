import {
  action,
  addConnectionOptions,
  type CliIo,
  type Command,
  durationOption,
  EXIT_CODES,
  jsonOption,
  Option,
  parseAddress,
  resolveConnection,
  streamOption,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import { runDoctorChecks } from '../doctor/checks';
import { formatCheck, formatSummary } from '../doctor/report';
import { openEmulatorSession, openSession } from '../session';
import type { Flags } from './shared';

interface DoctorFlags extends Flags {
  stream: 'transactional' | 'bulk';
  from?: { email: string };
  to?: { email: string };
  timeout: number;
  interval: number;
}

/** `mailtrap-kit doctor`. */
export function registerDoctor(program: Command, io: CliIo): void {
  withExamples(
    addConnectionOptions(
      program
        .command('doctor')
        .description(
          'check the integration end to end: token, sending domains and DNS records, sender, stream host, a test email followed into Email Logs; then the code for this setup. Without a token it runs against an emulator started in-process',
        ),
    )
      .addOption(streamOption('transactional'))
      .addOption(
        new Option('--from <address>', 'sender (default: doctor@ the first verified domain)').argParser(
          parseAddress,
        ),
      )
      .addOption(
        new Option(
          '--to <address>',
          `test recipient (default with the emulator: delivered@simulator.mailtrap-kit.test; none on Mailtrap: no test email)`,
        ).argParser(parseAddress),
      )
      .addOption(
        durationOption('--timeout <duration>', 'how long to follow the test email in Email Logs', 60_000),
      )
      .addOption(durationOption('--interval <duration>', 'how often to look in Email Logs', 1000))
      .addOption(jsonOption())
      .action(
        action(async (flags: DoctorFlags, command) => {
          const connection = resolveConnection(command, flags);
          const session = connection.token
            ? openSession(command, flags, { stream: flags.stream })
            : await openEmulatorSession(command, connection, { stream: flags.stream });
          const tty = io.stdout.isTTY === true && !flags.json;
          let waiting = false;
          try {
            const result = await runDoctorChecks(session, {
              stream: flags.stream,
              ...(flags.from ? { from: flags.from.email } : {}),
              ...(flags.to ? { to: flags.to.email } : {}),
              timeoutMs: flags.timeout,
              intervalMs: flags.interval,
              onCheck: (check) => {
                if (flags.json) return;
                if (waiting) io.stdout.write('\r\x1b[2K');
                waiting = false;
                io.stdout.write(formatCheck(check));
              },
              onWait: (elapsed, status) => {
                if (!tty) return;
                waiting = true;
                io.stdout.write(
                  `\r\x1b[2K… waiting for Email Logs: ${status ?? 'not there yet'} (${Math.round(elapsed / 1000)}s of ${Math.round(flags.timeout / 1000)}s)`,
                );
              },
            });
            if (flags.json) writeJson(io, result);
            else io.stdout.write(formatSummary(result));
            return result.ok ? EXIT_CODES.success : EXIT_CODES.failure;
          } finally {
            await session.close();
          }
        }),
      ),
    'mailtrap-kit doctor                      # no token: the whole flow against an in-process emulator',
    'MAILTRAP_API_TOKEN=... mailtrap-kit doctor --from hello@your-domain.com --to you@your-domain.com',
  );
}
