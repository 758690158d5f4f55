import { toBase64, utf8Encode, utf8EncodeAll, utf8Length } from './bytes';
import { MailtrapValidationError } from './errors';
import { openFile as open } from './platform';
import { base64Length, blobSize, LIMITS, unreadableFileError } from './validation';
import type { Attachment, BatchSendRequest, SendMail, SerializedBatchRequest } from './types';

/** An attachment whose bytes are read while the body is sent. */
interface ExternalSource {
  attachment: Attachment;
  /** Which message it belongs to (-1 = batch base). */
  message: number;
  field: string;
  /** Raw size when known (path: stat). */
  size?: number;
}

/** A request body ready for undici. */
export interface PreparedBody {
  /**
   * A string (the common case), its UTF-8 bytes (when they were encoded to be measured), or a
   * factory of a fresh streaming body for each attempt.
   */
  body: string | Uint8Array | (() => AsyncIterable<Uint8Array | string>);
  /** Byte length when known. */
  length?: number;
  /** False when a retry cannot resend the body (a one-shot stream was consumed). */
  replayable: () => boolean;
  /** An error raised while streaming (e.g. a size limit), which explains a failed request. */
  streamError: () => unknown;
}

const alwaysReplayable = () => true;
const noError = () => undefined;

function hasAttachments(mail: { attachments?: Attachment[] } | undefined): boolean {
  return mail?.attachments !== undefined && mail.attachments.length > 0;
}

/** Copies an attachment for JSON: content encoded, path/stream replaced by a placeholder. */
function mapAttachments(
  attachments: Attachment[],
  message: number,
  prefix: string,
  sources: ExternalSource[],
  nonce: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = new Array(attachments.length);
  for (let index = 0; index < attachments.length; index++) {
    const attachment = attachments[index]!;
    const copy: Record<string, unknown> = {};
    for (const key in attachment) {
      if (key === 'path' || key === 'stream') continue;
      copy[key] = attachment[key as keyof Attachment];
    }
    if (attachment.content instanceof Uint8Array) {
      copy.content = toBase64(attachment.content);
    } else if (attachment.path !== undefined || attachment.stream !== undefined) {
      copy.content = `${nonce}${sources.length}~`;
      sources.push({ attachment, message, field: `${prefix}attachments[${index}]` });
    }
    out[index] = copy;
  }
  return out;
}

function withMappedAttachments<T extends { attachments?: Attachment[] }>(
  mail: T,
  message: number,
  prefix: string,
  sources: ExternalSource[],
  nonce: string,
): T {
  if (!hasAttachments(mail)) return mail;
  return { ...mail, attachments: mapAttachments(mail.attachments!, message, prefix, sources, nonce) };
}

function needsMapping(mail: { attachments?: Attachment[] } | undefined): boolean {
  if (!hasAttachments(mail)) return false;
  for (const attachment of mail!.attachments!) {
    if (typeof attachment.content !== 'string') return true;
  }
  return false;
}

function sizeError(field: string, bytes: number, limit: number, what: string): MailtrapValidationError {
  return new MailtrapValidationError(
    `Invalid mail: \`${field}\` is ${bytes} bytes as JSON (attachments base64-encoded); ${what} may be at most ${limit} bytes`,
    { field },
  );
}

/**
 * Serializes a send body once. Checks the 10 MB message limit, stat-ing path attachments first.
 * @internal
 */
export function prepareSendBody(
  mail: SendMail,
  maxMessageBytes: number = LIMITS.maxMessageBytes,
): PreparedBody | Promise<PreparedBody> {
  if (!needsMapping(mail)) {
    const json = JSON.stringify(mail);
    const length = json.length <= maxMessageBytes / 3 ? json.length : utf8Length(json);
    if (length > maxMessageBytes) throw sizeError('message', length, maxMessageBytes, 'one message');
    return { body: json, replayable: alwaysReplayable, streamError: noError };
  }
  const sources: ExternalSource[] = [];
  const nonce = placeholderNonce();
  const json = JSON.stringify(withMappedAttachments(mail, 0, '', sources, nonce));
  if (sources.length === 0) {
    // Only in-memory content (Buffer/Uint8Array), now base64 in the JSON: a plain string body.
    const length = utf8Length(json);
    if (length > maxMessageBytes) throw sizeError('message', length, maxMessageBytes, 'one message');
    return { body: json, replayable: alwaysReplayable, streamError: noError };
  }
  return finish(json, sources, nonce, maxMessageBytes);
}

/** Serializes a batch body once and checks the message and batch limits. @internal */
export function prepareBatchBody(
  batch: BatchSendRequest,
  maxMessageBytes: number = LIMITS.maxMessageBytes,
  validated = false,
): PreparedBody | Promise<PreparedBody> {
  // Messages the caller validated were size-checked already: only the batch total is measured.
  if (validated) maxMessageBytes = Number.POSITIVE_INFINITY;
  let mapping = needsMapping(batch.base);
  if (!mapping) {
    for (const request of batch.requests) {
      if (needsMapping(request)) {
        mapping = true;
        break;
      }
    }
  }
  if (!mapping) {
    const json = JSON.stringify(batch);
    checkBatchSizes(batch, json, [], maxMessageBytes);
    return { body: json, replayable: alwaysReplayable, streamError: noError };
  }
  const sources: ExternalSource[] = [];
  const nonce = placeholderNonce();
  const mapped: BatchSendRequest = {
    ...batch,
    ...(batch.base ? { base: withMappedAttachments(batch.base, -1, 'base.', sources, nonce) } : {}),
    requests: batch.requests.map((request, index) =>
      withMappedAttachments(request, index, `requests[${index}].`, sources, nonce),
    ),
  };
  const json = JSON.stringify(mapped);
  if (sources.length === 0) {
    checkBatchSizes(batch, json, sources, maxMessageBytes);
    return { body: json, replayable: alwaysReplayable, streamError: noError };
  }
  return finish(json, sources, nonce, maxMessageBytes, batch);
}

/**
 * The body of a batch whose messages are JSON already: `base` serialized (its attachments mapped as
 * `prepareBatchBody` maps them), the requests joined as they are. Only the batch total is measured:
 * the caller measured each message. @internal
 */
export function prepareSerializedBatchBody(
  batch: SerializedBatchRequest,
): PreparedBody | Promise<PreparedBody> {
  const sources: ExternalSource[] = [];
  const nonce = needsMapping(batch.base) ? placeholderNonce() : undefined;
  const base = nonce ? withMappedAttachments(batch.base!, -1, 'base.', sources, nonce) : batch.base;
  const head = base === undefined ? '{"requests":[' : `{"base":${JSON.stringify(base)},"requests":[`;
  if (sources.length === 0)
    return { body: encodeBatch(head, batch.requests), replayable: alwaysReplayable, streamError: noError };
  // Measured before anything is joined; the sources are counted as they are read. Per-message
  // sizes are the caller's.
  measureBatch(utf8Length(head), batch.requests);
  return finish(`${head}${batch.requests.join(',')}]}`, sources, nonce!, Number.POSITIVE_INFINITY, {
    requests: [],
  });
}

/**
 * The bytes of `head`, the requests with commas between them and `]}`, written into one buffer
 * measured first (the 50 MB limit is checked before it is allocated): no joined string, which for
 * a large batch would be one more large object to allocate and collect per request.
 */
function encodeBatch(head: string, requests: readonly string[]): Uint8Array {
  const texts: string[] = new Array(requests.length * 2 + 1);
  texts[0] = head;
  for (let index = 0; index < requests.length; index++) {
    texts[index * 2 + 1] = requests[index]!;
    texts[index * 2 + 2] = index === requests.length - 1 ? ']}' : ',';
  }
  return utf8EncodeAll(texts, measureBatch(utf8Length(head), requests));
}

/** UTF-8 bytes of a batch body: `headBytes`, the requests with commas between them and `]}`; at most 50 MB. */
function measureBatch(headBytes: number, requests: readonly string[]): number {
  let total = headBytes + 2 + Math.max(0, requests.length - 1);
  for (const request of requests) total += utf8Length(request);
  checkBatchTotal(total);
  return total;
}

function checkBatchTotal(bytes: number): void {
  if (bytes > LIMITS.maxBatchBytes) throw sizeError('requests', bytes, LIMITS.maxBatchBytes, 'a batch');
}

function placeholderNonce(): string {
  return `~mtk${Math.random().toString(36).slice(2)}${Date.now().toString(36)}~`;
}

function checkBatchSizes(
  batch: BatchSendRequest,
  json: string,
  sources: ExternalSource[],
  maxMessageBytes: number,
): void {
  const total = utf8Length(json) + externalBytes(sources, undefined);
  checkBatchTotal(total);
  // Per message (with base): only worth measuring when the whole batch could exceed one message.
  if (total <= maxMessageBytes) return;
  const baseBytes = batch.base ? utf8Length(JSON.stringify(batch.base, dropExternal)) : 0;
  const baseExternal = externalBytes(sources, -1);
  for (let index = 0; index < batch.requests.length; index++) {
    const bytes =
      utf8Length(JSON.stringify(batch.requests[index], dropExternal)) +
      baseBytes +
      baseExternal +
      externalBytes(sources, index);
    if (bytes > maxMessageBytes) {
      throw sizeError(`requests[${index}]`, bytes, maxMessageBytes, 'one message (with base)');
    }
  }
}

function dropExternal(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (key === 'content' && original instanceof Uint8Array)
    return 'x'.repeat(base64Length(original.byteLength));
  if (key === 'path' || key === 'stream') return undefined;
  return value;
}

function externalBytes(sources: ExternalSource[], message: number | undefined): number {
  let total = 0;
  for (const source of sources) {
    if (message !== undefined && source.message !== message) continue;
    if (source.size !== undefined) total += base64Length(source.size);
  }
  return total;
}

async function finish(
  json: string,
  sources: ExternalSource[],
  nonce: string,
  maxMessageBytes: number,
  batch?: BatchSendRequest,
): Promise<PreparedBody> {
  for (const source of sources) {
    if (source.attachment.path === undefined) {
      // A Blob's size is known and its bytes cannot change: counted up front like a file's.
      source.size = blobSize(source.attachment.stream);
      continue;
    }
    source.size = await readableFileSize(source.attachment.path, `${source.field}.path`);
  }
  // parts: text, source index, text, source index, ..., text
  const parts = json.split(new RegExp(`${escapeRegExp(nonce)}(\\d+)~`));
  const texts: Uint8Array[] = [];
  const order: number[] = [];
  for (let index = 0; index < parts.length; index++) {
    if (index % 2 === 0) texts.push(utf8Encode(parts[index]!));
    else order.push(Number(parts[index]));
  }
  let textBytes = 0;
  for (const text of texts) textBytes += text.byteLength;
  /** The body's bytes before the streams of unknown size are read. */
  const knownBytes = textBytes + externalBytes(sources, undefined);
  if (batch) {
    checkBatchSizes(batch, json, sources, maxMessageBytes);
  } else if (knownBytes > maxMessageBytes) {
    throw sizeError('message', knownBytes, maxMessageBytes, 'one message');
  }
  const allKnown = sources.every((source) => source.size !== undefined);
  const length = allKnown ? knownBytes : undefined;
  // A stream is read once; a Blob can be read again for a retry.
  const hasOneShot = sources.some(
    (source) => source.attachment.stream !== undefined && source.size === undefined,
  );
  let started = false;
  let streamError: unknown;
  const fail = (error: MailtrapValidationError): never => {
    streamError = error;
    throw error;
  };
  const factory = async function* (): AsyncIterable<Uint8Array | string> {
    started = true;
    // Streams of unknown size are limited while they are read.
    let total = knownBytes;
    const perMessage = new Map<number, number>();
    for (let index = 0; index < texts.length; index++) {
      yield texts[index]!;
      if (index >= order.length) break;
      const source = sources[order[index]!]!;
      // A path is read up to the size the Content-Length counts on (a file that changed size
      // since the stat is an error naming the field); a stream of unknown size is counted here.
      const encoded =
        source.attachment.path !== undefined
          ? encodeFile(source.attachment.path, undefined, {
              bytes: source.size!,
              field: `${source.field}.path`,
            })
          : encodeBase64(source.attachment.stream!);
      try {
        // Base64 is ASCII: a chunk's string length is its byte length.
        for await (const chunk of encoded) {
          if (source.size === undefined) {
            total += chunk.length;
            const messageBytes = (perMessage.get(source.message) ?? 0) + chunk.length;
            perMessage.set(source.message, messageBytes);
            if (!batch && total > maxMessageBytes) {
              fail(sizeError('message', total, maxMessageBytes, 'one message'));
            }
            if (batch && messageBytes > maxMessageBytes) {
              fail(sizeError(source.field, messageBytes, maxMessageBytes, 'one message'));
            }
            if (batch && total > LIMITS.maxBatchBytes) {
              fail(sizeError('requests', total, LIMITS.maxBatchBytes, 'a batch'));
            }
          }
          yield chunk;
        }
      } catch (error) {
        if (MailtrapValidationError.isInstance(error)) fail(error);
        throw error;
      }
    }
  };
  return {
    body: factory,
    ...(length !== undefined ? { length } : {}),
    replayable: () => !(hasOneShot && started),
    streamError: () => streamError,
  };
}

/**
 * Opens the file to prove it is readable and stats the open handle: a missing, unreadable or
 * non-regular file is a validation error naming the field, raised before anything is sent.
 */
async function readableFileSize(path: string, field: string): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path);
    const info = await handle.stat();
    if (!info.isFile()) throw info.isDirectory() ? 'directory' : 'not-file';
    return info.size;
  } catch (error) {
    throw unreadableFileError(field, path, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Raw bytes per file read: a multiple of 3, so every full read encodes without a carry. */
const fileChunkBytes = 48 * 1024;

/** The size a path attachment had when it was checked, which the request's Content-Length counts on. */
export interface ExpectedFileSize {
  bytes: number;
  /** The attachment's field (`attachments[0].path`), named by the error. */
  field: string;
}

/**
 * Base64-encodes a file through one reused read buffer: per read, the only allocation is the
 * chunk's base64 string (64 KiB), which undici writes to the socket as is (a string is immutable:
 * no chunk can change while the socket still holds it, whatever the transport queues).
 *
 * With `expected`, exactly that many bytes are read: a file that ends early, or has more bytes
 * after them, throws a {@link MailtrapValidationError} naming the field, before anything past the
 * announced length is produced. @internal
 */
export async function* encodeFile(
  path: string,
  onBytes?: (bytes: number) => void,
  expected?: ExpectedFileSize,
): AsyncIterable<string> {
  const handle = await open(path);
  try {
    const buffer = Buffer.allocUnsafe(fileChunkBytes);
    let remaining = expected ? expected.bytes : Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      // Fill the whole buffer (short reads are possible) so only the last chunk has a remainder.
      const wanted = Math.min(buffer.length, remaining);
      let filled = 0;
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      remaining -= filled;
      if (filled > 0) {
        onBytes?.(filled);
        yield buffer.toString('base64', 0, filled);
      }
      if (filled < wanted) break; // end of file
    }
    if (!expected) return;
    if (remaining > 0) throw fileSizeChanged(expected, `${expected.bytes - remaining} bytes`);
    const { bytesRead } = await handle.read(buffer, 0, 1, null);
    if (bytesRead > 0) throw fileSizeChanged(expected, 'more');
  } finally {
    await handle.close();
  }
}

function fileSizeChanged(expected: ExpectedFileSize, read: string): MailtrapValidationError {
  return new MailtrapValidationError(
    `Invalid mail: \`${expected.field}\` changed size while it was sent (${expected.bytes} bytes when checked, ${read} when read); the request was stopped before its end, so the API did not take it`,
    { field: expected.field },
  );
}

/**
 * Base64-encodes a byte stream chunk by chunk, carrying the 0-2 bytes that do not fill a 3-byte
 * group into the next chunk. Never holds more than one input chunk's encoding. The input is any
 * async iterable (a Node stream too), a web ReadableStream or a Blob. @internal
 */
export async function* encodeBase64(
  input: AsyncIterable<unknown> | Iterable<unknown> | ReadableStream<unknown> | Blob,
  onBytes?: (bytes: number) => void,
): AsyncIterable<string> {
  let carry: Uint8Array | undefined;
  for await (const piece of chunksOf(input)) {
    let chunk: Uint8Array;
    if (typeof piece === 'string') chunk = utf8Encode(piece);
    else if (piece instanceof Uint8Array) chunk = piece;
    else throw new TypeError('attachment streams must yield Uint8Array, Buffer or string chunks');
    onBytes?.(chunk.byteLength);
    if (carry) {
      const joined = new Uint8Array(carry.byteLength + chunk.byteLength);
      joined.set(carry);
      joined.set(chunk, carry.byteLength);
      chunk = joined;
      carry = undefined;
    }
    const usable = chunk.byteLength - (chunk.byteLength % 3);
    if (usable < chunk.byteLength) carry = new Uint8Array(chunk.subarray(usable)); // a copy: the source may reuse its buffer
    if (usable > 0) yield toBase64(usable === chunk.byteLength ? chunk : chunk.subarray(0, usable));
  }
  if (carry && carry.byteLength > 0) yield toBase64(carry);
}

/** The chunks of an attachment stream: iterables as they are, a ReadableStream or Blob through a reader. */
function chunksOf(
  input: AsyncIterable<unknown> | Iterable<unknown> | ReadableStream<unknown> | Blob,
): AsyncIterable<unknown> | Iterable<unknown> {
  if (Symbol.asyncIterator in input || Symbol.iterator in input) return input as AsyncIterable<unknown>;
  if (typeof (input as Blob).stream === 'function' && !('getReader' in input)) {
    return readerChunks((input as Blob).stream());
  }
  return readerChunks(input as unknown as ReadableStream<unknown>);
}

async function* readerChunks(stream: ReadableStream<unknown>): AsyncIterable<unknown> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (a size limit, a failed request): let the source release what it holds.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
