/**
 * Test support: Node's platform with `fetch` as the default transport. The `fetch` test project
 * (vitest.config.ts) puts it in place of `./platform`, so the client behaviour suites run once
 * through undici and once through fetch, unchanged. A client given a `dispatcher` or a `transport`
 * keeps it. @internal
 */
import type { Dispatcher } from 'undici';
import { createTransport as nodeTransport } from './platform.js';
import type { Transport, TransportName } from './transport';

export { hmacSha256Matches, openFile, readableFileSizeSync, runtimeLabel, sha256Hex } from './platform.js';

export function createTransport(
  transport: TransportName | undefined,
  dispatcher: Dispatcher | undefined,
  timeoutMs: number,
): Transport {
  return nodeTransport(transport ?? (dispatcher === undefined ? 'fetch' : undefined), dispatcher, timeoutMs);
}
