/**
 * What differs by runtime, in the form of runtimes with the standard `fetch` and no undici (Bun,
 * Deno, Cloudflare Workers, other edge runtimes): fetch is the transport, there is no file system,
 * hashes come from @noble/hashes (synchronous, where Web Crypto is only asynchronous). The build
 * for these runtimes puts this module in place of `platform.ts`. @internal
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8Encode } from './bytes';
import { MailtrapConfigurationError, MailtrapUnsupportedRuntimeError } from './errors';
import { createFetchTransport } from './fetch-transport';
import type * as NodePlatform from './platform';
import type { Transport, TransportName } from './transport';

interface Globals {
  Bun?: { version?: string };
  Deno?: { version?: { deno?: string } };
  navigator?: { userAgent?: string };
}

/** The runtime this build runs on, as the User-Agent names it. */
export function runtimeLabel(): string {
  const globals = globalThis as Globals;
  if (globals.Bun?.version) return `bun/${globals.Bun.version}`;
  if (globals.Deno?.version?.deno) return `deno/${globals.Deno.version.deno}`;
  if (globals.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  return 'fetch';
}

export function createTransport(
  transport: TransportName | undefined,
  dispatcher: unknown,
  _timeoutMs: number,
): Transport {
  if (dispatcher !== undefined) {
    throw new MailtrapUnsupportedRuntimeError(
      '`dispatcher` (an undici Dispatcher) needs Node.js: this build of @mailtrap-kit/core sends with the standard fetch; leave `dispatcher` out',
      { feature: 'dispatcher' },
    );
  }
  if (transport === 'undici') {
    throw new MailtrapUnsupportedRuntimeError(
      "`transport: 'undici'` needs Node.js: this build of @mailtrap-kit/core sends with the standard fetch; leave `transport` out or give 'fetch'",
      { feature: "transport: 'undici'" },
    );
  }
  if (typeof globalThis.fetch !== 'function') {
    throw new MailtrapConfigurationError('This runtime has no global `fetch`, which the client sends with');
  }
  return createFetchTransport();
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8Encode(text)));
}

export function hmacSha256Matches(secret: string, data: string | Uint8Array, expected: Uint8Array): boolean {
  const actual = hmac(sha256, utf8Encode(secret), typeof data === 'string' ? utf8Encode(data) : data);
  if (actual.byteLength !== expected.byteLength) return false;
  let difference = 0;
  for (let index = 0; index < actual.byteLength; index++) difference |= actual[index]! ^ expected[index]!;
  return difference === 0;
}

function noFileSystem(): MailtrapUnsupportedRuntimeError {
  return new MailtrapUnsupportedRuntimeError(
    'an attachment `path` needs Node.js (a file system), which this runtime does not give @mailtrap-kit/core; pass the bytes as `content` (a Uint8Array) or a ReadableStream or Blob as `stream`',
    { feature: 'path' },
  );
}

export function readableFileSizeSync(_path: string): number {
  throw noFileSystem();
}

export function openFile(_path: string): ReturnType<typeof NodePlatform.openFile> {
  return Promise.reject(noFileSystem());
}

// The same surface as the Node module: the build swaps one for the other.
({
  runtimeLabel,
  createTransport,
  sha256Hex,
  hmacSha256Matches,
  readableFileSizeSync,
  openFile,
}) satisfies typeof NodePlatform;
