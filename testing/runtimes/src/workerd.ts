import type { MiniflareOptions } from 'miniflare';
import { workerdOptions as workerdOptionsOf } from '../../../scripts/runtimes.mjs';

/** Miniflare options for a Worker as Cloudflare runs one by default (scripts/runtimes.mjs). */
export function workerdOptions(script: string, options: Partial<MiniflareOptions> = {}): MiniflareOptions {
  return workerdOptionsOf(script, options) as MiniflareOptions;
}

const mailtrapHosts = {
  'send.api.mailtrap.io': 'send',
  'bulk.api.mailtrap.io': 'bulk',
  'sandbox.api.mailtrap.io': 'sandbox',
  'mailtrap.io': 'general',
} as const;

/**
 * An `outboundService` for a Worker that uses the real Mailtrap hosts (a README example as a user
 * writes it): each of its requests to them goes to the same path under the emulator's endpoint;
 * any other host is refused. These requests leave workerd through miniflare (Node).
 */
export function mailtrapHostsTo(
  endpoints: Record<(typeof mailtrapHosts)[keyof typeof mailtrapHosts], string>,
) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const host = mailtrapHosts[url.hostname as keyof typeof mailtrapHosts];
    if (url.protocol !== 'https:' || !host)
      return new Response(`not a Mailtrap host: ${url.host}`, { status: 502 });
    const target = `${endpoints[host]}${url.pathname}${url.search}`;
    const headers = new Headers(request.headers);
    // Set by fetch itself for the new request.
    for (const name of ['host', 'content-length', 'connection', 'transfer-encoding']) headers.delete(name);
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    try {
      return await fetch(target, { method: request.method, headers, body });
    } catch (error) {
      return new Response(`the emulator did not answer: ${String((error as Error).cause ?? error)}`, {
        status: 502,
      });
    }
  };
}
