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
 */
export function refuseForeign(settings: EmulatorSettings, request: IncomingMessage): string | undefined {
  const hostHeader = request.headers.host;
  if (hostHeader !== undefined && !isOwnHost(settings, hostHeader))
    return `host ${hostHeader} is not allowed`;
  // reads from other origins are stopped by the browser (no CORS headers); changes are refused here
  const origin = request.headers.origin;
  const reads = request.method === 'GET' || request.method === 'HEAD';
  if (!reads && origin !== undefined && hostOf(origin) !== hostHeader) {
    return `requests from ${origin} are not allowed`;
  }
  return undefined;
}
