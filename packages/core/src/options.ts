import { version as packageVersion } from '../package.json';
import { CLIENT_OPTION_KEYS } from './client-options';
import { MailtrapConfigurationError } from './errors';
import { type ResolvedAccountLimits, type ResolvedRateLimit, resolveAccountLimits } from './limiter';
import { createTransport, runtimeLabel, sha256Hex } from './platform';
import { createMemoryRateLimitStore } from './rate-limit';
import { type ResolvedRetry, resolveRetry } from './retry';
import type { Transport, TransportName } from './transport';
import type { MailtrapClientOptions, MailtrapEndpoints, MailtrapHost, MailtrapStream } from './types';
import { LIMITS } from './validation';

/** Mailtrap's own hosts: what the client talks to unless told otherwise. */
export const defaultEndpoints: Readonly<Required<MailtrapEndpoints>> = Object.freeze({
  send: 'https://send.api.mailtrap.io',
  bulk: 'https://bulk.api.mailtrap.io',
  sandbox: 'https://sandbox.api.mailtrap.io',
  general: 'https://mailtrap.io',
});

/** The environment variables the client reads (explicit options win). */
export const environmentVariables = Object.freeze({
  token: 'MAILTRAP_API_TOKEN',
  /** One base URL laid out like the emulator: `/transactional`, `/bulk`, `/sandbox`, and the account API at the root. */
  endpoint: 'MAILTRAP_ENDPOINT',
  send: 'MAILTRAP_SEND_ENDPOINT',
  bulk: 'MAILTRAP_BULK_ENDPOINT',
  sandbox: 'MAILTRAP_SANDBOX_ENDPOINT',
  general: 'MAILTRAP_GENERAL_ENDPOINT',
});

/**
 * Where one base URL (`MAILTRAP_ENDPOINT`, the CLIs' `--endpoint`) puts each host below it: the
 * emulator's layout. The account API is at the base, the streams at `/transactional`, `/bulk`,
 * `/sandbox`.
 */
export const endpointLayout: Readonly<Required<MailtrapEndpoints>> = Object.freeze({
  send: '/transactional',
  bulk: '/bulk',
  sandbox: '/sandbox',
  general: '',
});

/**
 * The four hosts below one base URL, laid out as the emulator serves them ({@link endpointLayout}):
 * `endpointsFromBase('http://127.0.0.1:4025')` is `{ general: 'http://127.0.0.1:4025',
 * send: 'http://127.0.0.1:4025/transactional', bulk: '…/bulk', sandbox: '…/sandbox' }`. Trailing
 * slashes of the base are dropped; the URL itself is checked where it is used (the client, a CLI).
 */
export function endpointsFromBase(base: string): Required<MailtrapEndpoints> {
  const root = base.replace(/\/+$/, '');
  return {
    send: root + endpointLayout.send,
    bulk: root + endpointLayout.bulk,
    sandbox: root + endpointLayout.sandbox,
    general: root + endpointLayout.general,
  };
}

/** An origin and the path prefix below it. */
export interface Target {
  origin: string;
  prefix: string;
}

/** Everything the client needs, checked once in the constructor. @internal */
export interface ResolvedClientOptions {
  token: string;
  stream: MailtrapStream;
  sandboxId: string | undefined;
  accountId: string | undefined;
  targets: Record<MailtrapHost, Target>;
  sendTarget: Target;
  timeoutMs: number;
  totalTimeoutMs: number;
  maxMessageBytes: number;
  retry: ResolvedRetry | undefined;
  rateLimit: ResolvedRateLimit | undefined;
  accountLimits: ResolvedAccountLimits | undefined;
  userAgent: string;
  /** How requests are sent: undici on Node, fetch elsewhere or when asked for. */
  transport: Transport;
}

type Environment = Record<string, string | undefined>;

/**
 * The process environment, read one variable at a time and only when an option is not given. A
 * variable the runtime does not let the client read (Deno without `--allow-env` for it) counts as
 * unset, so `--allow-env=MAILTRAP_API_TOKEN` is all a Deno program needs.
 */
function readEnvironment(): Environment {
  const env = (globalThis as { process?: { env?: Environment } }).process?.env;
  if (env === undefined) return {};
  return new Proxy<Environment>(
    {},
    {
      get(_target, name) {
        if (typeof name !== 'string') return undefined;
        try {
          return env[name];
        } catch {
          return undefined;
        }
      },
    },
  );
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function resolveTarget(option: string, value: string, allowInsecureHttp: boolean): Target {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MailtrapConfigurationError(`Invalid \`${option}\`: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MailtrapConfigurationError(`Invalid \`${option}\`: only http(s) URLs are supported`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new MailtrapConfigurationError(
      `Invalid \`${option}\`: give a base URL without credentials, query or fragment`,
    );
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new MailtrapConfigurationError(
      `Refusing plain http for \`${option}\` (${url.host}): the API token would travel unencrypted. ` +
        'Use https, a loopback host, or set `allowInsecureHttp: true`.',
    );
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/** A positive integer as its decimal text (ids go into paths). */
export function positiveInteger(value: unknown, option: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9]\d*$/.test(text)) {
    throw new MailtrapConfigurationError(
      `Invalid \`${option}\`: expected a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return text;
}

/** A number option: finite, non-negative (zero only when allowed), or the fallback when undefined. */
export function positiveNumber(value: unknown, option: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new MailtrapConfigurationError(
      `Invalid \`${option}\`: expected a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}`,
    );
  }
  return value;
}

function resolveStream(options: MailtrapClientOptions): MailtrapStream {
  const { stream, bulk, sandbox } = options;
  if (stream !== undefined && stream !== 'transactional' && stream !== 'bulk' && stream !== 'sandbox') {
    throw new MailtrapConfigurationError(
      `Invalid \`stream\`: ${JSON.stringify(stream)}; expected 'transactional', 'bulk' or 'sandbox'`,
    );
  }
  if (bulk && sandbox) {
    throw new MailtrapConfigurationError(
      'Invalid options: `bulk` and `sandbox` cannot both be true (bulk has no sandbox)',
    );
  }
  if (bulk && stream !== undefined && stream !== 'bulk') {
    throw new MailtrapConfigurationError(
      `Invalid options: \`bulk: true\` contradicts \`stream: '${stream}'\``,
    );
  }
  if (sandbox && stream !== undefined && stream !== 'sandbox') {
    throw new MailtrapConfigurationError(
      `Invalid options: \`sandbox: true\` contradicts \`stream: '${stream}'\``,
    );
  }
  return stream ?? (bulk ? 'bulk' : sandbox ? 'sandbox' : 'transactional');
}

const optionKeys: ReadonlySet<string> = new Set(CLIENT_OPTION_KEYS);

/** A misspelt option (`timeoutMS`, `sandbox_id`) would otherwise be ignored and its default used. */
function checkOptionKeys(options: MailtrapClientOptions): void {
  for (const key of Object.keys(options)) {
    if (optionKeys.has(key)) continue;
    const loose = key.toLowerCase().replace(/[_-]/g, '');
    const hint = CLIENT_OPTION_KEYS.find((known) => known.toLowerCase() === loose);
    throw new MailtrapConfigurationError(
      `Invalid options: \`${key}\` is not a MailtrapClient option${hint ? `; did you mean \`${hint}\`?` : ` (known: ${CLIENT_OPTION_KEYS.join(', ')})`}`,
    );
  }
}

function resolveToken(options: MailtrapClientOptions, environment: Environment): string {
  const token = options.token ?? environment[environmentVariables.token];
  if (token === undefined || token === '') {
    throw new MailtrapConfigurationError(
      `No Mailtrap API token: pass \`token\` or set the ${environmentVariables.token} environment variable`,
    );
  }
  if (typeof token !== 'string' || /[\r\n\s]/.test(token)) {
    throw new MailtrapConfigurationError('Invalid `token`: expected a string without whitespace');
  }
  return token;
}

function resolveSandboxId(options: MailtrapClientOptions, stream: MailtrapStream): string | undefined {
  if (options.sandboxId !== undefined && options.testInboxId !== undefined) {
    if (String(options.sandboxId) !== String(options.testInboxId)) {
      throw new MailtrapConfigurationError(
        'Invalid options: `sandboxId` and `testInboxId` disagree; give one',
      );
    }
  }
  const sandboxId = options.sandboxId ?? options.testInboxId;
  const name = options.sandboxId !== undefined ? 'sandboxId' : 'testInboxId';
  if (stream === 'sandbox') {
    if (sandboxId === undefined) {
      throw new MailtrapConfigurationError(
        'Sandbox mode needs `sandboxId` (the sandbox/inbox id to deliver into; the official client called it `testInboxId`)',
      );
    }
    return positiveInteger(sandboxId, name);
  }
  if (sandboxId !== undefined) {
    throw new MailtrapConfigurationError(
      `\`${name}\` is only valid in sandbox mode (stream: 'sandbox'); this client sends on the ${stream} stream`,
    );
  }
  return undefined;
}

/**
 * The base URL of each host: `endpoints.<host>` wins, then `MAILTRAP_<HOST>_ENDPOINT`, then
 * `MAILTRAP_ENDPOINT` with the emulator's layout, then the real host.
 */
function resolveTargets(
  options: MailtrapClientOptions,
  environment: Environment,
): Record<MailtrapHost, Target> {
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const endpoints = options.endpoints ?? {};
  if (typeof endpoints !== 'object' || endpoints === null) {
    throw new MailtrapConfigurationError('Invalid `endpoints`: expected an object');
  }
  for (const key of Object.keys(endpoints)) {
    if (!(key in defaultEndpoints)) {
      throw new MailtrapConfigurationError(
        `Unknown \`endpoints.${key}\`; expected send, bulk, sandbox or general`,
      );
    }
  }
  let base: string | undefined | null = null; // null: not read yet
  const targetFor = (host: MailtrapHost): Target => {
    const explicit = endpoints[host];
    if (explicit !== undefined) return resolveTarget(`endpoints.${host}`, explicit, allowInsecureHttp);
    const variable = environmentVariables[host];
    const perHost = environment[variable] || undefined;
    if (perHost !== undefined) return resolveTarget(variable, perHost, allowInsecureHttp);
    if (base === null) base = environment[environmentVariables.endpoint] || undefined;
    if (base !== undefined) {
      const target = resolveTarget(environmentVariables.endpoint, base, allowInsecureHttp);
      return { origin: target.origin, prefix: target.prefix + endpointLayout[host] };
    }
    return resolveTarget(`endpoints.${host}`, defaultEndpoints[host], allowInsecureHttp);
  };
  return {
    send: targetFor('send'),
    bulk: targetFor('bulk'),
    sandbox: targetFor('sandbox'),
    general: targetFor('general'),
  };
}

function resolveRateLimit(options: MailtrapClientOptions, token: string): ResolvedRateLimit | undefined {
  if (options.rateLimit === false) return undefined;
  const rateLimit = options.rateLimit ?? {};
  const requests = positiveNumber(rateLimit.requests, 'rateLimit.requests', 150);
  if (!Number.isInteger(requests)) {
    throw new MailtrapConfigurationError('Invalid `rateLimit.requests`: expected an integer');
  }
  if (rateLimit.store !== undefined && typeof rateLimit.store?.reserve !== 'function') {
    throw new MailtrapConfigurationError(
      'Invalid `rateLimit.store`: expected an object with reserve(key, limit)',
    );
  }
  return {
    limit: { requests, windowMs: positiveNumber(rateLimit.windowMs, 'rateLimit.windowMs', 10_000) },
    store: rateLimit.store ?? createMemoryRateLimitStore(),
    key: rateLimit.key ?? tokenKey(token),
  };
}

/** The default budget key of a token: a short sha256, never the token. */
function tokenKey(token: string): string {
  return `mailtrap:${sha256Hex(token).slice(0, 16)}`;
}

function resolveUserAgent(options: MailtrapClientOptions): string {
  const userAgent = options.userAgent ?? `mailtrap-kit/${packageVersion} ${runtimeLabel()}`;
  if (typeof userAgent !== 'string' || /[\r\n]/.test(userAgent) || userAgent.length === 0) {
    throw new MailtrapConfigurationError('Invalid `userAgent`: expected a non-empty string without CR or LF');
  }
  return userAgent;
}

/** Checks every option once; the client keeps the result. @internal */
export function resolveClientOptions(
  options: MailtrapClientOptions,
  environment: Environment = readEnvironment(),
): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new MailtrapConfigurationError('Invalid options: expected an object');
  }
  checkOptionKeys(options);
  const token = resolveToken(options, environment);
  const stream = resolveStream(options);
  const sandboxId = resolveSandboxId(options, stream);
  const accountId =
    options.accountId === undefined ? undefined : positiveInteger(options.accountId, 'accountId');
  const targets = resolveTargets(options, environment);
  const timeoutMs = positiveNumber(options.timeoutMs, 'timeoutMs', 30_000);
  const rateLimit = resolveRateLimit(options, token);
  const resolved: Omit<ResolvedClientOptions, 'transport'> = {
    token,
    stream,
    sandboxId,
    accountId,
    targets,
    sendTarget: stream === 'bulk' ? targets.bulk : stream === 'sandbox' ? targets.sandbox : targets.send,
    timeoutMs,
    totalTimeoutMs: positiveNumber(options.totalTimeoutMs, 'totalTimeoutMs', 120_000),
    maxMessageBytes: positiveNumber(options.maxMessageBytes, 'maxMessageBytes', LIMITS.maxMessageBytes),
    retry: resolveRetry(options.retry),
    rateLimit,
    accountLimits: resolveAccountLimits(
      options.accountRateLimits,
      rateLimit?.store,
      accountId !== undefined ? `mailtrap:account:${accountId}` : (rateLimit?.key ?? tokenKey(token)),
    ),
    userAgent: resolveUserAgent(options),
  };
  return {
    ...resolved,
    transport: createTransport(resolveTransportName(options.transport), options.dispatcher, timeoutMs),
  };
}

function resolveTransportName(transport: unknown): TransportName | undefined {
  if (transport === undefined || transport === 'undici' || transport === 'fetch') return transport;
  throw new MailtrapConfigurationError(
    `Invalid \`transport\`: ${JSON.stringify(transport)}; expected 'undici' or 'fetch'`,
  );
}
