import type { MailtrapStream } from '@mailtrap-kit/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { formatRate, parseRate, type Rate } from './rate';

/**
 * The option definitions every mailtrap-kit command shares: one flag, one meaning, one help text.
 * Each function returns a fresh commander `Option` to add with `command.addOption()`.
 */

/** `--token <token>`: the API token; else `MAILTRAP_API_TOKEN`, else the config file. Never printed. */
export function tokenOption(): Option {
  return new Option(
    '--token <token>',
    'API token (default: $MAILTRAP_API_TOKEN, else the config file); never printed. Prefer the variable: a flag stays in shell history',
  );
}

/** `--config <file>`: the JSON config file (`token`, `endpoint`, `accountId`). */
export function configOption(): Option {
  return new Option(
    '--config <file>',
    'config file with {"token", "endpoint", "accountId"} (default: $MAILTRAP_CONFIG, else ~/.config/mailtrap-kit/config.json)',
  );
}

/** `--endpoint <url>`: one base URL laid out like the emulator's. */
export function endpointOption(): Option {
  return new Option(
    '--endpoint <url>',
    "one base URL laid out like the emulator's: the account API at <url>, the streams at <url>/transactional, /bulk, /sandbox (default: $MAILTRAP_ENDPOINT, else Mailtrap's hosts)",
  );
}

type EndpointHost = 'send' | 'bulk' | 'sandbox' | 'general';

/**
 * The per-host overrides of `--endpoint`: `--send-endpoint`, `--bulk-endpoint`,
 * `--sandbox-endpoint`, `--general-endpoint` (or those of the `hosts` a command talks to).
 */
export function hostEndpointOptions(
  hosts: readonly EndpointHost[] = ['send', 'bulk', 'sandbox', 'general'],
): Option[] {
  return [
    new Option(
      '--send-endpoint <url>',
      "the transactional stream's own URL, over --endpoint (default: https://send.api.mailtrap.io)",
    ),
    new Option(
      '--bulk-endpoint <url>',
      "the bulk stream's own URL, over --endpoint (default: https://bulk.api.mailtrap.io)",
    ),
    new Option(
      '--sandbox-endpoint <url>',
      "the sandbox's own URL, over --endpoint (default: https://sandbox.api.mailtrap.io)",
    ),
    new Option(
      '--general-endpoint <url>',
      "the account API's own URL, over --endpoint (default: https://mailtrap.io)",
    ),
  ].filter((option) =>
    hosts.includes(option.attributeName().replace('Endpoint', '') as (typeof hosts)[number]),
  );
}

function positiveInteger(value: string): string {
  if (!/^[1-9][0-9]*$/.test(value.trim()))
    throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  return value.trim();
}

/** `--account-id <id>`: use the `/api/accounts/{id}/...` path form; else `MAILTRAP_ACCOUNT_ID`. */
export function accountIdOption(): Option {
  return new Option(
    '--account-id <id>',
    'use the /api/accounts/<id>/... paths (default: $MAILTRAP_ACCOUNT_ID, else the token-scoped /api/... paths)',
  ).argParser(positiveInteger);
}

/**
 * Adds token, config, endpoint (and the per-host endpoints when `hosts`: all of them, or those
 * listed) and account id.
 */
export function addConnectionOptions(
  command: Command,
  settings: { hosts?: boolean | readonly EndpointHost[]; accountId?: boolean } = {},
): Command {
  command.addOption(tokenOption()).addOption(configOption()).addOption(endpointOption());
  if (settings.hosts)
    for (const option of hostEndpointOptions(settings.hosts === true ? undefined : settings.hosts))
      command.addOption(option);
  if (settings.accountId !== false) command.addOption(accountIdOption());
  return command;
}

/** `--stream <stream>` with the streams a command supports and its default. */
export function streamOption(
  fallback: MailtrapStream,
  streams: readonly MailtrapStream[] = ['transactional', 'bulk'],
): Option {
  return new Option('--stream <stream>', 'sending stream').choices(streams).default(fallback);
}

/** `--rate <requests>/<window>`: the one rate grammar (`150/10s`, `10/1s`, `600/1m`, `off`). */
export function rateOption(
  fallback: Rate | false,
  description = 'at most this many requests per window',
): Option {
  return new Option('--rate <rate>', `${description} (<requests>/<window>, window in ms, s or m; or off)`)
    .argParser(parseRate)
    .default(fallback, formatRate(fallback));
}

/** `--json`: machine-readable output instead of a table (`description` says what is printed). */
export function jsonOption(
  description = 'print JSON (one document, or one line per item with --follow) instead of a table',
): Option {
  return new Option('--json', description);
}

/** An integer option value parser (`--port`, `--concurrency`), within bounds. */
export function integerParser(minimum: number, maximum = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < minimum || number > maximum) {
      throw new InvalidArgumentError(
        `expected a whole number${maximum === Number.MAX_SAFE_INTEGER ? ` of at least ${minimum}` : ` from ${minimum} to ${maximum}`}, got ${JSON.stringify(value)}`,
      );
    }
    return number;
  };
}

/** A duration option value parser: `500ms`, `10s`, `2m`, or a bare number of milliseconds. */
export function durationParser(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError(`expected a duration like 500ms, 10s or 2m, got ${JSON.stringify(value)}`);
  const unit = match[2] ?? 'ms';
  return Math.round(Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
}

/** `500ms`, `30s`, `2m`: a duration as the kit's options print it (and {@link durationParser} reads it). */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A duration option (`--timeout <duration>`): `500ms`, `10s`, `2m` or milliseconds, with its default. */
export function durationOption(flags: string, description: string, fallbackMs: number): Option {
  return new Option(flags, `${description}: 500ms, 30s, 2m, or milliseconds`)
    .argParser(durationParser)
    .default(fallbackMs, formatDuration(fallbackMs));
}
