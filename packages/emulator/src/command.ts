import {
  action,
  type CliIo,
  type Command,
  collect,
  createProgram,
  formatRate,
  integerParser,
  Option,
  parseRate,
  rateOption,
  type Rate,
  runProgram,
  withExamples,
} from '@mailtrap-kit/cli-kit';
import { version } from '../package.json';
import { environmentAssignments, type IntegrationInfo } from './integration';
import { startEmulator } from './server';
import type { EmulatorOptions, RunningEmulator } from './types';

interface EmulatorFlags {
  port: number;
  host: string;
  /** false with --no-smtp. */
  smtp?: boolean;
  smtpPort?: number;
  smtpBulkPort?: number;
  /** --smtp-starttls: STARTTLS offered to loopback clients too. */
  smtpStarttls?: boolean;
  token?: string[];
  verifiedDomain?: string[];
  domain?: string[];
  verifyDomain?: string;
  endpoint?: string;
  url?: string;
  allowAnyDomain?: boolean;
  rate: Rate | false;
  rateLimit?: Rate | false;
  retain: number;
  retainLogs: number;
  accountId: number;
  data?: string;
}

/** The SMTP port of the command (Mailtrap's SMTP hosts listen on 2525 too); bulk: the next one. */
export const DEFAULT_SMTP_PORT = 2525;

/** The emulator options of a command line. */
export function emulatorOptions(flags: EmulatorFlags): EmulatorOptions {
  const options: EmulatorOptions = {
    port: flags.port,
    host: flags.host,
    allowAnyDomain: flags.allowAnyDomain ?? false,
    retainBodies: flags.retain,
    retainLogs: flags.retainLogs,
    accountId: flags.accountId,
  };
  if (flags.smtp !== false) {
    const smtpPort = flags.smtpPort ?? DEFAULT_SMTP_PORT;
    options.smtpPort = smtpPort;
    options.smtpBulkPort = flags.smtpBulkPort ?? (smtpPort === 0 ? 0 : smtpPort + 1);
    if (flags.smtpStarttls) options.smtpStarttls = 'always';
  }
  if (flags.data !== undefined) options.dataDir = flags.data;
  if (flags.token?.length) options.tokens = flags.token.map((token) => ({ token }));
  if (flags.domain?.length) {
    options.domains = [
      ...(flags.verifiedDomain ?? ['example.com', 'mailtrap-kit.test']).map((name) => ({ name })),
      ...flags.domain.map((name) => ({ name, verified: false })),
    ];
  } else if (flags.verifiedDomain?.length) options.verifiedDomains = flags.verifiedDomain;
  const rate = flags.rateLimit ?? flags.rate;
  if (rate) options.rateLimit = rate;
  return options;
}

/** --verify-domain: asks a running emulator to verify a domain (its control API). */
async function verifyDomain(io: CliIo, base: string, domain: string): Promise<number> {
  const url = base.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${url}/_emulator/domains/${encodeURIComponent(domain)}/verify`, {
      method: 'POST',
    });
  } catch (error) {
    io.stderr.write(
      `mailtrap-emulator: --verify-domain: no emulator answers at ${url} (${(error as Error).message})\n`,
    );
    return 1;
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) {
    io.stderr.write(`mailtrap-emulator: --verify-domain: ${body.error ?? `HTTP ${response.status}`}\n`);
    return 1;
  }
  io.stdout.write(`Domain ${domain} is verified: it may send now.\n`);
  return 0;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** Where SMTP listens, and the credentials (the lines are absent with --no-smtp). */
function smtpLines(emulator: RunningEmulator, shownToken: string | undefined): string[] {
  const smtp = emulator.smtp;
  if (!smtp) return [`  SMTP:           off`];
  const password = shownToken ?? 'an accepted token';
  const tls =
    smtp.starttls === 'always'
      ? 'STARTTLS offered to every client (--smtp-starttls; self-signed certificate)'
      : 'plain on loopback (no TLS options needed); STARTTLS with a self-signed certificate for other clients';
  return [
    `  SMTP:           ${smtp.host}:${smtp.port}  (transactional: user ${smtp.user}, password ${password}; sandbox: its own credentials)`,
    `  SMTP bulk:      ${smtp.host}:${smtp.bulkPort}  (user ${smtp.user}, password ${password})`,
    `  SMTP TLS:       ${tls}`,
  ];
}

function banner(emulator: RunningEmulator, options: EmulatorOptions): string {
  const width = Math.max(...Object.values(emulator.endpoints).map((url) => url.length));
  // A generated token is printed so it can be used; one given with --token may be a real API token
  // (e.g. from MAILTRAP_API_TOKEN), so it is never echoed.
  const shownToken = options.tokens ? undefined : emulator.token;
  const integration: IntegrationInfo = {
    url: emulator.url,
    token: shownToken,
    domains: emulator.domains
      .list()
      .map((domain) => ({ name: domain.domain_name, verified: domain.dns_verified })),
    sandboxId: emulator.sandboxId,
  };
  const rateLimit = options.rateLimit
    ? `${formatRate(options.rateLimit)} per token (${options.rateLimit.requests} requests / ${options.rateLimit.windowMs} ms)`
    : 'off';
  return [
    'Mailtrap emulator is running',
    '',
    `  Inbox:          ${emulator.url}/`,
    ...[
      ['Transactional:', emulator.endpoints.send, 'POST /api/send, /api/batch'],
      ['Bulk:', emulator.endpoints.bulk, 'POST /api/send, /api/batch'],
      [
        'Sandbox:',
        emulator.endpoints.sandbox,
        `POST /api/send/${emulator.sandboxId}, /api/batch/${emulator.sandboxId}`,
      ],
      ['Account API:', emulator.endpoints.general, '/api/email_templates, /api/email_logs, ...'],
    ].map(([label, url, routes]) => `  ${label!.padEnd(16)}${url!.padEnd(width)}  (${routes})`),
    `  Token:          ${shownToken ?? 'the one given with --token (not printed)'}`,
    `  Account id:     ${emulator.accountId}`,
    `  Data:           ${options.dataDir ? `${options.dataDir} (kept across restarts)` : 'in memory (gone when it stops; --data <dir> keeps it)'}`,
    `  Domains:        ${emulator.domains
      .list()
      .map((domain) => `${domain.domain_name}${domain.dns_verified ? '' : ' (not verified)'}`)
      .join(', ')}`,
    ...emulator.domains
      .list()
      .map(
        (domain, index) =>
          `  ${index === 0 ? 'Domain tokens:' : ''}`.padEnd(18) + `${domain.domain_name}  ${domain.token}`,
      ),
    `  Rate limit:     ${rateLimit}`,
    ...smtpLines(emulator, shownToken),
    '',
    'Point your code at it, unchanged (core, the Nodemailer transport and every mailtrap-kit command read these):',
    `  ${environmentAssignments(integration)} node app.js`,
    `Or in code: new MailtrapClient({ token: ${shownToken ? `'${shownToken}'` : 'process.env.MAILTRAP_API_TOKEN'}, endpoints: ${JSON.stringify(emulator.endpoints)} })`,
    `Or on a mailtrap-kit command line: --endpoint ${emulator.url}`,
    `Samples for core, Nodemailer, SMTP and curl: ${emulator.url}/#/integration`,
    '',
    loopback.has(options.host ?? '127.0.0.1')
      ? 'Press Ctrl+C to stop.'
      : `Warning: listening on ${options.host}, reachable from other machines. Press Ctrl+C to stop.`,
    '',
  ].join('\n');
}

export interface EmulatorProgramSettings {
  /**
   * Called with the started emulator; the command ends when it resolves (the bin waits for
   * Ctrl+C there and closes the emulator).
   */
  started(emulator: RunningEmulator): Promise<void>;
}

/** The `mailtrap-emulator` program, writing to `io`. */
export function createEmulatorProgram(io: CliIo, settings: EmulatorProgramSettings): Command {
  const program = createProgram({
    name: 'mailtrap-emulator',
    version,
    description: 'Starts a local Mailtrap-compatible API server with a web inbox.',
    io,
    exitCodes: { failure: 'failure: the port is taken, --verify-domain refused' },
  });
  const rate = rateOption(false, 'enforce a real rate limit per token');
  withExamples(
    program
      .addOption(
        new Option('--port <n>', 'port to listen on (0 picks a free one)')
          .argParser(integerParser(0, 65_535))
          .default(4025),
      )
      .addOption(
        new Option('--host <address>', 'interface to bind (loopback only by default)').default('127.0.0.1'),
      )
      .addOption(
        new Option(
          '--smtp-port <n>',
          'SMTP port of the transactional stream and the sandboxes (0 picks a free one)',
        )
          .argParser(integerParser(0, 65_535))
          .default(DEFAULT_SMTP_PORT),
      )
      .addOption(
        new Option(
          '--smtp-bulk-port <n>',
          'SMTP port of the bulk stream (default: the SMTP port + 1; a free one with --smtp-port 0)',
        ).argParser(integerParser(0, 65_535)),
      )
      .addOption(
        new Option(
          '--smtp-starttls',
          'offer STARTTLS to loopback clients too (default: to other clients only, so loopback clients send plain with no TLS options)',
        ),
      )
      .addOption(new Option('--no-smtp', 'no SMTP listener'))
      .addOption(
        new Option(
          '--token <token>',
          'accept this API token (repeatable; default: a generated one, printed)',
        ).argParser(collect(String)),
      )
      .addOption(
        new Option(
          '--verified-domain <domain>',
          'a verified sender domain (repeatable; default: example.com, mailtrap-kit.test)',
        ).argParser(collect(String)),
      )
      .addOption(
        new Option(
          '--domain <domain>',
          'a domain that is not verified yet (repeatable); verify it later with --verify-domain, the inbox or POST /_emulator/domains/<domain>/verify',
        ).argParser(collect(String)),
      )
      .addOption(
        new Option(
          '--verify-domain <domain>',
          'verify a domain of a running emulator (at --endpoint) and exit',
        ),
      )
      .addOption(
        new Option('--endpoint <url>', 'the running emulator of --verify-domain')
          .env('MAILTRAP_ENDPOINT')
          .default('http://127.0.0.1:4025'),
      )
      .addOption(new Option('--url <url>', 'the former name of --endpoint').hideHelp())
      .addOption(new Option('--allow-any-domain', 'accept every sender domain'))
      .addOption(rate)
      .addOption(
        new Option('--rate-limit <rate>', 'the former name of --rate').argParser(parseRate).hideHelp(),
      )
      .addOption(
        new Option('--retain <n>', 'how many full messages to keep')
          .argParser(integerParser(0))
          .default(10_000),
      )
      .addOption(
        new Option('--retain-logs <n>', 'how many Email Logs entries to keep')
          .argParser(integerParser(0))
          .default(100_000),
      )
      .addOption(
        new Option(
          '--data <dir>',
          'keep the account and the messages in this folder across restarts (SQLite; default: memory only)',
        ),
      )
      .addOption(
        new Option('--account-id <n>', 'the account id of the account API')
          .argParser(integerParser(1))
          .default(1),
      )
      .action(
        action(async (flags: EmulatorFlags) => {
          if (flags.verifyDomain !== undefined) {
            return verifyDomain(
              io,
              flags.url ?? flags.endpoint ?? 'http://127.0.0.1:4025',
              flags.verifyDomain,
            );
          }
          const options = emulatorOptions(flags);
          let emulator: RunningEmulator;
          try {
            emulator = await startEmulator(options);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
              io.stderr.write(
                `mailtrap-emulator: ${(error as Error).message}: the port is taken; pass --port <n>, --smtp-port <n> (0 picks a free one) or --no-smtp\n`,
              );
              return 1;
            }
            throw error;
          }
          io.stdout.write(banner(emulator, options));
          await settings.started(emulator);
        }),
      ),
    'mailtrap-emulator --port 4025 --rate 150/10s',
    'mailtrap-emulator --domain new.example.com   # then: mailtrap-emulator --verify-domain new.example.com',
  );
  // the root has an action and the `completion` command: unknown words are errors, not operands
  program.allowExcessArguments(false);
  return program;
}

/** Runs `mailtrap-emulator`; resolves with the exit code once `started` resolves (or on an error). */
export function runCommand(argv: string[], io: CliIo, settings: EmulatorProgramSettings): Promise<number> {
  return runProgram(createEmulatorProgram(io, settings), argv);
}
