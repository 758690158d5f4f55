import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body over its limit; answered 413. */
export class BodyTooLargeError extends Error {}

/** Reads a request body up to `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    request.on('aborted', () => {
      if (done) return;
      done = true;
      reject(new Error('request aborted'));
    });
  });
}

/** Reads a JSON body up to `limit` bytes; undefined for an empty body. Throws on invalid JSON. */
export async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readBody(request, limit);
  return raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
}

/** Discards a request body that is not read. */
export function drain(request: IncomingMessage): void {
  request.on('error', () => {});
  request.resume();
}

/** Answers with a JSON body (none for 204 or an undefined body). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  if (response.destroyed) return;
  if (status === 204 || body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
