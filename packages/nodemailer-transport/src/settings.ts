import {
  type Address,
  CLIENT_OPTION_KEYS,
  LIMITS,
  type MailtrapClientOptions,
  MailtrapConfigurationError,
} from '@mailtrap-kit/core';
import { distance } from 'fastest-levenshtein';
import { parseAddress } from './addresses';
import type { BatchingOptions, MailtrapTransportSettings } from './types';

/** The transport's own settings, next to core's client options. */
const transportKeys = [
  'client',
  'from',
  'batching',
  'maxConcurrentRequests',
  'disableFileAccess',
  'disableUrlAccess',
  'ignoreOptions',
] as const satisfies ReadonlyArray<Exclude<keyof MailtrapTransportSettings, keyof MailtrapClientOptions>>;

const knownKeys: ReadonlySet<string> = new Set<string>([...CLIENT_OPTION_KEYS, ...transportKeys]);

/**
 * Settings of Nodemailer's SMTP transport (and of its pool, sendmail, SES and stream transports)
 * that users paste by habit. None of them means anything to an HTTP API transport.
 */
const smtpKeys: ReadonlySet<string> = new Set([
  'host',
  'port',
  'auth',
  'secure',
  'service',
  'pool',
  'requireTLS',
  'ignoreTLS',
  'opportunisticTLS',
  'tls',
  'name',
  'localAddress',
  'connectionTimeout',
  'greetingTimeout',
  'socketTimeout',
  'dnsTimeout',
  'authMethod',
  'maxConnections',
  'maxMessages',
  'rateDelta',
  'proxy',
  'logger',
  'debug',
  'transactionLog',
  'sendmail',
  'path',
  'SES',
  'streamTransport',
  'jsonTransport',
  'buffer',
  'url',
]);

interface ResolvedBatching {
  maxWaitMs: number;
  maxMessages: number;
  maxBytes: number;
}

/** The transport's settings after every check. */
export interface ResolvedSettings {
  clientOptions: MailtrapClientOptions;
  batching: ResolvedBatching | undefined;
  maxConcurrentRequests: number;
  ignoreOptions: ReadonlySet<string> | undefined;
  disableFileAccess: boolean;
  disableUrlAccess: boolean;
  from: Address | undefined;
}

function suggestion(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = key.toLowerCase();
  for (const known of knownKeys) {
    const score = distance(lower, known.toLowerCase());
    if (score < bestDistance) {
      best = known;
      bestDistance = score;
    }
  }
  // Close enough to be a typo: at most 2 edits, and fewer than a third of the word.
  return best !== undefined && bestDistance <= Math.min(2, Math.ceil(key.length / 3)) ? best : undefined;
}

/** The Mailtrap stream an SMTP host stands for, when it is one of Mailtrap's. */
function streamOfSmtpHost(host: unknown): 'transactional' | 'bulk' | 'sandbox' | undefined {
  if (typeof host !== 'string') return undefined;
  const lower = host.toLowerCase();
  if (lower.startsWith('bulk.') && lower.includes('mailtrap')) return 'bulk';
  if (lower.startsWith('sandbox.') && lower.includes('mailtrap')) return 'sandbox';
  if (lower.includes('mailtrap')) return 'transactional';
  return undefined;
}

function smtpShapeError(settings: Record<string, unknown>, keys: string[]): MailtrapConfigurationError {
  const stream = streamOfSmtpHost(settings.host);
  const replacement =
    stream === 'bulk'
      ? 'MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN, bulk: true })'
      : stream === 'sandbox'
        ? 'MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN, sandbox: true, sandboxId: <inbox id> })'
        : 'MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN })';
  const listed = keys.map((key) => `\`${key}\``).join(', ');
  const password =
    stream === 'transactional' || stream === 'bulk'
      ? ' (the SMTP password of Mailtrap’s sending hosts is an API token: use it as `token`)'
      : '';
  return new MailtrapConfigurationError(
    `${listed} ${keys.length === 1 ? 'is an SMTP setting' : 'are SMTP settings'}, and this transport sends over Mailtrap's HTTP API with an API token, not over SMTP. Replace the SMTP settings with: ${replacement}${password}.`,
  );
}

function checkKeys(settings: Record<string, unknown>): void {
  const unknown: string[] = [];
  const smtp: string[] = [];
  for (const key of Object.keys(settings)) {
    if (settings[key] === undefined || knownKeys.has(key)) continue;
    if (smtpKeys.has(key)) smtp.push(key);
    else unknown.push(key);
  }
  // Nodemailer's pool counts `rateLimit` in messages per `rateDelta`; core's is an object.
  if (typeof settings.rateLimit === 'number') smtp.push('rateLimit');
  if (smtp.length > 0) throw smtpShapeError(settings, smtp);
  if (unknown.length > 0) {
    const described = unknown.map((key) => {
      const hint = suggestion(key);
      return hint ? `\`${key}\` (did you mean \`${hint}\`?)` : `\`${key}\``;
    });
    throw new MailtrapConfigurationError(
      `Unknown MailtrapTransport ${unknown.length === 1 ? 'setting' : 'settings'} ${described.join(', ')}. ` +
        `Known settings: ${[...knownKeys].join(', ')}.`,
    );
  }
}

function resolveBatching(batching: MailtrapTransportSettings['batching']): ResolvedBatching | undefined {
  if (batching === undefined || batching === false) return undefined;
  if (batching !== true && (typeof batching !== 'object' || batching === null)) {
    throw new MailtrapConfigurationError(
      '`batching` must be true, false or { maxWaitMs?, maxMessages?, maxBytes? }.',
    );
  }
  const options: BatchingOptions = batching === true ? {} : batching;
  for (const key of Object.keys(options)) {
    if (key !== 'maxWaitMs' && key !== 'maxMessages' && key !== 'maxBytes') {
      throw new MailtrapConfigurationError(
        `Unknown \`batching.${key}\`; the batching settings are maxWaitMs, maxMessages and maxBytes.`,
      );
    }
  }
  const maxWaitMs = options.maxWaitMs ?? 5;
  const maxMessages = options.maxMessages ?? LIMITS.maxBatchRequests;
  const maxBytes = options.maxBytes ?? LIMITS.maxBatchBytes;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
    throw new MailtrapConfigurationError('`batching.maxWaitMs` must be a number of milliseconds, 0 or more.');
  }
  if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > LIMITS.maxBatchRequests) {
    throw new MailtrapConfigurationError(
      `\`batching.maxMessages\` must be an integer from 1 to ${LIMITS.maxBatchRequests} (the API's limit).`,
    );
  }
  if (!Number.isFinite(maxBytes) || maxBytes < 1024 || maxBytes > LIMITS.maxBatchBytes) {
    throw new MailtrapConfigurationError(
      `\`batching.maxBytes\` must be from 1024 to ${LIMITS.maxBatchBytes} (the API's 50 MB limit).`,
    );
  }
  return { maxWaitMs, maxMessages, maxBytes };
}

function flag(settings: MailtrapTransportSettings, key: 'disableFileAccess' | 'disableUrlAccess'): boolean {
  const value = settings[key];
  if (value !== undefined && typeof value !== 'boolean') {
    throw new MailtrapConfigurationError(`\`${key}\` must be true or false.`);
  }
  return value === true;
}

/**
 * Checks every setting of `MailtrapTransport(settings)`: unknown keys (with the likely meant
 * one), SMTP settings (with the line that replaces them), and the values of the transport's own.
 */
export function resolveSettings(settings: MailtrapTransportSettings): ResolvedSettings {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new MailtrapConfigurationError('MailtrapTransport(settings) expects an object of settings.');
  }
  checkKeys(settings as Record<string, unknown>);
  const clientOptions: MailtrapClientOptions = {};
  const given: string[] = [];
  for (const key of CLIENT_OPTION_KEYS) {
    const value = settings[key];
    if (value === undefined) continue;
    (clientOptions as Record<string, unknown>)[key] = value;
    given.push(key);
  }
  if (settings.client !== undefined && given.length > 0) {
    throw new MailtrapConfigurationError(
      `Pass either \`client\` or client options, not both (also set: ${given.map((key) => `\`${key}\``).join(', ')}); configure the client you pass instead.`,
    );
  }
  const maxConcurrentRequests = settings.maxConcurrentRequests ?? 10;
  if (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1) {
    throw new MailtrapConfigurationError('`maxConcurrentRequests` must be an integer of 1 or more.');
  }
  const ignoreOptions = settings.ignoreOptions;
  if (
    ignoreOptions !== undefined &&
    (!Array.isArray(ignoreOptions) || ignoreOptions.some((key) => typeof key !== 'string'))
  ) {
    throw new MailtrapConfigurationError('`ignoreOptions` must be an array of message option names.');
  }
  return {
    clientOptions,
    batching: resolveBatching(settings.batching),
    maxConcurrentRequests,
    ignoreOptions: ignoreOptions && ignoreOptions.length > 0 ? new Set(ignoreOptions) : undefined,
    disableFileAccess: flag(settings, 'disableFileAccess'),
    disableUrlAccess: flag(settings, 'disableUrlAccess'),
    from: settings.from === undefined ? undefined : parseAddress(settings.from, 'from'),
  };
}
