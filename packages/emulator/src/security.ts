import type { IncomingMessage } from 'node:http';
import type { EmulatorSettings } from './context';

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

function isOwnHost(settings: EmulatorSettings, hostWithPort: string): boolean {
  const name = hostWithPort
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  if (!settings.loopbackBound) return true;
  return (
    name === 'localhost' || name === '127.0.0.1' || name === '::1' || name === settings.host.toLowerCase()
  );
}

/**
 * The inbox and the control API answer only the emulator's own pages and tools: a request from a
 * page of another origin (CSRF) or through a foreign host name (DNS rebinding) is refused.
 * Returns why, or undefined when the request may pass.
 *
 * Reads (GET, HEAD) from other origins are left to the browser, which keeps their answers from the
 * other page (no CORS headers) — the sandboxed message frame, an opaque origin, loads its inline
 * images this way. Every other method — the changes: fault injection, reset, delete, clear,
 * verify — is refused when the browser says it comes from another origin: an `Origin` header that
 * is not this host, or a `Sec-Fetch-Site` other than `same-origin` (or `none`, typed by the user).
 * Tools that send neither header (curl, core, the tests) pass.
 */
export function refuseForeign(settings: EmulatorSettings, request: IncomingMessage): string | undefined {
  const hostHeader = request.headers.host;
  if (hostHeader !== undefined && !isOwnHost(settings, hostHeader))
    return `host ${hostHeader} is not allowed`;
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && hostOf(origin) !== hostHeader) return `requests from ${origin} are not allowed`;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `cross-origin requests (Sec-Fetch-Site: ${site}) are not allowed`;
  }
  return undefined;
}
