import {
  defaultEndpoints,
  endpointsFromBase as coreEndpointsFromBase,
  environmentVariables,
  type MailtrapEndpoints,
} from '@mailtrap-kit/core';
import { CliUsageError } from './errors';

/** Mailtrap's own hosts (core's): what every command talks to unless told otherwise. */
export const MAILTRAP_ENDPOINTS: Readonly<Required<MailtrapEndpoints>> = defaultEndpoints;

/** Variable holding one base URL laid out like the emulator's (as `--endpoint`). */
export const ENDPOINT_VARIABLE = environmentVariables.endpoint;

/**
 * The four hosts below one base URL, checked as a URL and laid out as core lays out
 * `MAILTRAP_ENDPOINT` (core's `endpointLayout`: the account API at the base, the streams at
 * `/transactional`, `/bulk` and `/sandbox`).
 */
export function endpointsFromBase(base: string, option = '--endpoint'): Required<MailtrapEndpoints> {
  return coreEndpointsFromBase(checkUrl(base, option));
}

function checkUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliUsageError(
      `${option} must be a URL like http://127.0.0.1:4025 (got ${JSON.stringify(value)})`,
      {
        option,
      },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliUsageError(`${option} must be an http(s) URL (got ${JSON.stringify(value)})`, { option });
  return url.href.replace(/\/+$/, '');
}

/** The endpoint options of a command line (`--endpoint` and the per-host overrides). */
export interface EndpointFlags {
  endpoint?: string | undefined;
  sendEndpoint?: string | undefined;
  bulkEndpoint?: string | undefined;
  sandboxEndpoint?: string | undefined;
  generalEndpoint?: string | undefined;
}

const perHost = [
  ['send', 'sendEndpoint', '--send-endpoint'],
  ['bulk', 'bulkEndpoint', '--bulk-endpoint'],
  ['sandbox', 'sandboxEndpoint', '--sandbox-endpoint'],
  ['general', 'generalEndpoint', '--general-endpoint'],
] as const;

/**
 * The hosts a command talks to, the way core resolves them from the environment, with the
 * command line first: each per-host flag, then `--endpoint` (a base laid out like the emulator's),
 * then core's variables (`MAILTRAP_SEND_ENDPOINT`, … per host, then `MAILTRAP_ENDPOINT`), then the
 * config file's `endpoint`, then Mailtrap's hosts.
 */
export function resolveEndpoints(
  flags: EndpointFlags,
  env: Record<string, string | undefined> = {},
  config: { endpoint?: string | undefined } = {},
): Required<MailtrapEndpoints> {
  const base = flags.endpoint
    ? endpointsFromBase(flags.endpoint)
    : env[ENDPOINT_VARIABLE]
      ? endpointsFromBase(env[ENDPOINT_VARIABLE], ENDPOINT_VARIABLE)
      : config.endpoint
        ? endpointsFromBase(config.endpoint, 'the config file endpoint')
        : { ...MAILTRAP_ENDPOINTS };
  for (const [host, key, option] of perHost) {
    const value = flags[key];
    const variable = environmentVariables[host];
    if (value) base[host] = checkUrl(value, option);
    else if (!flags.endpoint && env[variable]) base[host] = checkUrl(env[variable], variable);
  }
  return base;
}

/** True when every host is Mailtrap's own (no emulator, no proxy). */
export function isMailtrap(endpoints: MailtrapEndpoints): boolean {
  return (Object.keys(MAILTRAP_ENDPOINTS) as (keyof MailtrapEndpoints)[]).every(
    (host) => (endpoints[host] ?? MAILTRAP_ENDPOINTS[host]) === MAILTRAP_ENDPOINTS[host],
  );
}
