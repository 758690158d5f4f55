import { parseArgs } from 'node:util';
import { startEmulator } from './server';
import type { EmulatorOptions, RateLimitSettings, RunningEmulator } from './types';

export const USAGE = `Usage: mailtrap-emulator [options]

Starts a local Mailtrap-compatible API server with a web inbox.

Options:
  --port <n>               port to listen on (default 4025; 0 picks a free one)
  --host <address>         interface to bind (default 127.0.0.1, loopback only)
  --token <token>          accept this API token (repeatable; default: a generated one)
  --verified-domain <d>    a verified sender domain (repeatable; default example.com, mailtrap-kit.test)
  --domain <d>             a domain that is not verified yet (repeatable); verify it later with
                           --verify-domain, the inbox or POST /_emulator/domains/<d>/verify
  --verify-domain <d>      verify a domain of a running emulator (at --url) and exit
  --url <url>              the running emulator for --verify-domain (default http://127.0.0.1:4025)
  --allow-any-domain       accept every sender domain
  --rate-limit <n/window>  enforce a real rate limit per token, e.g. 150/10s (units ms, s, m)
  --retain <n>             how many full messages to keep (default 10000)
  --retain-logs <n>        how many Email Logs entries to keep (default 100000)
  --account-id <n>         the account id of the account API (default 1)
  -h, --help               show this help
`;

export class CommandLineError extends Error {}

/** Parses '150/10s' into { requests: 150, windowMs: 10000 }. */
export function parseRateLimit(value: string): RateLimitSettings {
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m)?$/.exec(value.trim());
  if (!match)
    throw new CommandLineError(`--rate-limit: expected <requests>/<window>, like 150/10s (got '${value}')`);
  const requests = Number(match[1]);
  const amount = match[2] === undefined ? 1 : Number(match[2]);
  const unit = match[3] ?? 's';
  const windowMs = amount * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
  if (requests < 1 || windowMs <= 0)
    throw new CommandLineError('--rate-limit: requests and window must be positive');
  return { requests, windowMs };
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new CommandLineError(`--${name}: expected a whole number (got '${value}')`);
  return number;
}

export interface CommandOutput {
  write(text: string): void;
}

/** Parses the command line into emulator options; undefined for --help. */
export function parseCommandLine(argv: string[]): EmulatorOptions | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CommandLineError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) return undefined;
  const options: EmulatorOptions = {
    port: integer('port', values.port, 4025),
    host: values.host ?? '127.0.0.1',
    allowAnyDomain: values['allow-any-domain'] ?? false,
    retainBodies: integer('retain', values.retain, 10_000),
    retainLogs: integer('retain-logs', values['retain-logs'], 100_000),
    accountId: integer('account-id', values['account-id'], 1),
  };
  if (values.token?.length) options.tokens = values.token.map((token) => ({ token }));
  if (values.domain?.length) {
    options.domains = [
      ...(values['verified-domain'] ?? ['example.com', 'mailtrap-kit.test']).map((name) => ({ name })),
      ...values.domain.map((name) => ({ name, verified: false })),
    ];
  } else if (values['verified-domain']?.length) options.verifiedDomains = values['verified-domain'];
  if (values['rate-limit'] !== undefined) options.rateLimit = parseRateLimit(values['rate-limit']);
  return options;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string', multiple: true },
      'verified-domain': { type: 'string', multiple: true },
      domain: { type: 'string', multiple: true },
      'verify-domain': { type: 'string' },
      url: { type: 'string' },
      'allow-any-domain': { type: 'boolean' },
      'rate-limit': { type: 'string' },
      retain: { type: 'string' },
      'retain-logs': { type: 'string' },
      'account-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseVerify(argv: string[]): { domain: string; url: string } | undefined {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new CommandLineError((error as Error).message);
  }
  const domain = values['verify-domain'];
  if (domain === undefined) return undefined;
  return { domain, url: (values.url ?? 'http://127.0.0.1:4025').replace(/\/+$/, '') };
}

/** --verify-domain: asks a running emulator to verify a domain (its control API). */
async function verifyDomain(url: string, domain: string, output: CommandOutput): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url}/_emulator/domains/${encodeURIComponent(domain)}/verify`, {
      method: 'POST',
    });
  } catch (error) {
    throw new CommandLineError(
      `--verify-domain: no emulator answers at ${url} (${(error as Error).message})`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new CommandLineError(`--verify-domain: ${body.error ?? `HTTP ${response.status}`}`);
  output.write(`Domain ${domain} is verified: it may send now.\n`);
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** Starts the emulator from command-line arguments and prints how to reach it. */
export async function runCommand(
  argv: string[],
  output: CommandOutput,
): Promise<RunningEmulator | undefined> {
  const verify = parseVerify(argv);
  if (verify) {
    await verifyDomain(verify.url, verify.domain, output);
    return undefined;
  }
  const options = parseCommandLine(argv);
  if (!options) {
    output.write(USAGE);
    return undefined;
  }
  const emulator = await startEmulator(options);
  const width = Math.max(...Object.values(emulator.endpoints).map((url) => url.length));
  // A generated token is printed so it can be used; one given with --token may be a real API token
  // (e.g. from MAILTRAP_API_TOKEN), so it is never echoed.
  const shownToken = options.tokens ? undefined : emulator.token;
  const rateLimit = options.rateLimit
    ? `${options.rateLimit.requests} requests / ${options.rateLimit.windowMs} ms per token`
    : 'off';
  output.write(
    [
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
      `  Domains:        ${emulator.domains
        .list()
        .map((domain) => `${domain.domain_name}${domain.dns_verified ? '' : ' (not verified)'}`)
        .join(', ')}`,
      `  Rate limit:     ${rateLimit}`,
      '',
      'Use it from core:',
      `  new MailtrapClient({ token: ${shownToken ? `'${shownToken}'` : 'process.env.MAILTRAP_API_TOKEN'}, endpoints: ${JSON.stringify(emulator.endpoints)} })`,
      '',
      loopback.has(options.host ?? '127.0.0.1')
        ? 'Press Ctrl+C to stop.'
        : `Warning: listening on ${options.host}, reachable from other machines. Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );
  return emulator;
}
