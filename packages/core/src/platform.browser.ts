/**
 * The browser build's platform: everything of the fetch runtimes except a client. A MailtrapClient
 * in a browser would hand the API token to every visitor of the page, so it is refused; the
 * validation, webhook helpers and error classes still work there. @internal
 */
import { MailtrapUnsupportedRuntimeError } from './errors';
import type { Transport } from './transport';

export { hmacSha256Matches, openFile, readableFileSizeSync, sha256Hex } from './platform.web';

export function runtimeLabel(): string {
  return 'browser';
}

export function createTransport(): Transport {
  throw new MailtrapUnsupportedRuntimeError(
    'MailtrapClient does not run in a browser: the API token would be visible to everyone who loads the page. Send from a server, a serverless function or a Worker, and call it from the browser',
    { feature: 'browser' },
  );
}
