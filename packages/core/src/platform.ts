/**
 * What differs by runtime, in its Node form: the undici transport, the file system (attachments
 * from a path), node:crypto. The builds for other runtimes replace this module with
 * `platform.web.ts` (Bun, Deno, Workers) or `platform.browser.ts` (see tsup.config.ts); every other
 * module is shared. @internal
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { MailtrapConfigurationError } from './errors';
import { createFetchTransport } from './fetch-transport';
import type { Transport, TransportName } from './transport';
import { Agent } from './undici-agent';
import { createUndiciTransport } from './undici-transport';

/** The runtime this build is for, as the User-Agent names it. */
export function runtimeLabel(): string {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  return `node/${versions?.node ?? 'unknown'}`;
}

/**
 * The transport of a client: undici (its own Agent, or the given dispatcher) unless `fetch` is
 * asked for. `transport` is already checked to be undefined, 'undici' or 'fetch'.
 */
export function createTransport(
  transport: TransportName | undefined,
  dispatcher: Dispatcher | undefined,
  timeoutMs: number,
): Transport {
  if (dispatcher !== undefined) {
    if (transport === 'fetch') {
      throw new MailtrapConfigurationError(
        "Invalid options: `dispatcher` is an undici Dispatcher, which `transport: 'fetch'` does not use; give one",
      );
    }
    if (typeof dispatcher?.dispatch !== 'function' || typeof dispatcher?.request !== 'function') {
      throw new MailtrapConfigurationError('Invalid `dispatcher`: expected an undici Dispatcher');
    }
    return createUndiciTransport(dispatcher, undefined);
  }
  if (transport === 'fetch') return createFetchTransport();
  const agent = new Agent({
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: Math.min(10_000, timeoutMs) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return createUndiciTransport(agent, agent);
}

/** Hex SHA-256 of a string (the default rate-limit key of a token). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** True when `expected` is the HMAC-SHA256 of `data` with `secret`, compared in constant time. */
export function hmacSha256Matches(secret: string, data: string | Uint8Array, expected: Uint8Array): boolean {
  const actual = createHmac('sha256', secret).update(data).digest();
  return actual.byteLength === expected.byteLength && timingSafeEqual(actual, expected);
}

/**
 * Size of a regular, readable file with a synchronous stat. Throws the file system's error, or
 * 'directory' / 'not-file'.
 */
export function readableFileSizeSync(path: string): number {
  const info = statSync(path);
  if (!info.isFile()) throw info.isDirectory() ? 'directory' : 'not-file';
  accessSync(path, constants.R_OK);
  return info.size;
}

/** Opens a file for reading (attachments from a path). */
export function openFile(path: string): Promise<FileHandle> {
  return open(path, 'r');
}
