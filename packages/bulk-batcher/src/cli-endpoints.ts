import { type EndpointFlags, ENDPOINT_VARIABLE } from '@mailtrap-kit/cli-kit';
import { defaultEndpoints, endpointLayout, environmentVariables } from '@mailtrap-kit/core';

type SendingStream = 'bulk' | 'transactional';

/** The core host a stream sends on. */
export function hostOf(stream: SendingStream): 'bulk' | 'send' {
  return stream === 'bulk' ? 'bulk' : 'send';
}

const streamPaths = [
  ['bulk', endpointLayout.bulk],
  ['transactional', endpointLayout.send],
] as const;

/**
 * `--endpoint` is one base URL laid out like the emulator's, in mailtrap-bulk as in every kit
 * command. It used to be the stream's own URL here; an `--endpoint` whose path ends in a stream's
 * path of that layout (`/bulk`, `/transactional`) is that former form, and is read as its base, with
 * a note saying how to write it now; so is Mailtrap's own bulk or transactional host. Any other URL
 * is a base.
 */
export function readEndpointFlags<Flags extends EndpointFlags>(
  flags: Flags,
): { flags: Flags; note?: string } {
  const given = flags.endpoint;
  if (!given) return { flags };
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return { flags }; // cli-kit refuses it with the option's name
  }
  const path = url.pathname.replace(/\/+$/, '');
  const mailtrapHost = (['bulk', 'send'] as const).find((host) => defaultEndpoints[host] === url.origin);
  if (mailtrapHost && path === '') {
    const flag = mailtrapHost === 'bulk' ? '--bulk-endpoint' : '--send-endpoint';
    const read: Flags = { ...flags, endpoint: undefined };
    if (mailtrapHost === 'bulk') read.bulkEndpoint = url.origin;
    else read.sendEndpoint = url.origin;
    return {
      flags: read,
      note: `--endpoint ${given} is Mailtrap's ${mailtrapHost === 'bulk' ? 'bulk' : 'transactional'} stream host, not a base URL: read as ${flag} ${url.origin} (Mailtrap's hosts are the default: no endpoint option is needed).`,
    };
  }
  for (const [stream, suffix] of streamPaths) {
    if (!path.endsWith(suffix)) continue;
    const base = `${url.origin}${path.slice(0, -suffix.length)}`;
    const flag = stream === 'bulk' ? '--bulk-endpoint' : '--send-endpoint';
    return {
      flags: { ...flags, endpoint: base },
      note: `--endpoint ${given} names the ${stream} stream, not a base URL: read as --endpoint ${base} (the streams at ${base}${endpointLayout.bulk} and ${base}${endpointLayout.send}). Write --endpoint ${base}, or ${flag} ${given} for that one host.`,
    };
  }
  return { flags };
}

/**
 * Where the stream's URL comes from, for the line stated before sending: its per-host flag,
 * `--endpoint`, core's per-host variable, `MAILTRAP_ENDPOINT` — undefined for the config file or
 * Mailtrap's own host (the caller tells those apart). The same precedence as cli-kit's
 * `resolveEndpoints`.
 */
export function streamSource(
  stream: SendingStream,
  flags: EndpointFlags,
  env: Record<string, string | undefined>,
): string | undefined {
  const host = hostOf(stream);
  if (host === 'bulk' ? flags.bulkEndpoint : flags.sendEndpoint)
    return host === 'bulk' ? '--bulk-endpoint' : '--send-endpoint';
  if (flags.endpoint) return '--endpoint';
  if (env[environmentVariables[host]]) return environmentVariables[host];
  if (env[ENDPOINT_VARIABLE]) return ENDPOINT_VARIABLE;
  return undefined;
}
