import { emailAddressProblem } from './address';
import { toBase64, utf8Length } from './bytes';
import { type MailtrapError, MailtrapUnsupportedRuntimeError, MailtrapValidationError } from './errors';
import { readableFileSizeSync } from './platform';
import { toWireBatch, toWireMail } from './wire';
import type { Attachment, BatchMessage, BatchSendRequest, SendMail, SerializedBatchRequest } from './types';

/**
 * The API's documented limits, checked before anything is sent. Frozen: a plan with larger
 * messages passes `maxMessageBytes` to the client (or to the validators) instead.
 */
export const LIMITS = Object.freeze({
  maxRecipientsPerField: 1000,
  maxBatchRequests: 500,
  maxBatchBytes: 52_428_800,
  maxMessageBytes: 10_485_760,
  maxCustomVariablesBytes: 1000,
  maxCategoryLength: 255,
} as const satisfies {
  maxRecipientsPerField: 1000;
  maxBatchRequests: 500;
  maxBatchBytes: 52_428_800;
  maxMessageBytes: 10_485_760;
  maxCustomVariablesBytes: 1000;
  maxCategoryLength: 255;
});

const messageKeys = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply_to',
  'subject',
  'text',
  'html',
  'attachments',
  'headers',
  'custom_variables',
  'category',
  'template_uuid',
  'template_variables',
]);
const attachmentKeys = new Set([
  'filename',
  'content',
  'path',
  'stream',
  'type',
  'disposition',
  'content_id',
]);
const addressKeys = new Set(['email', 'name']);
const batchKeys = new Set(['base', 'requests']);

const lineBreak = /[\r\n]/;
// RFC 5322 field-name: printable US-ASCII except ':' (33-126 without 58).
const headerName = /^[\x21-\x39\x3b-\x7e]+$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(field: string, why: string): never {
  throw new MailtrapValidationError(`Invalid mail: \`${field}\` ${why}`, { field });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function checkKeys(value: Record<string, unknown>, allowed: Set<string>, prefix: string, what: string): void {
  for (const key in value) {
    if (!allowed.has(key)) {
      const hint = suggest(key, allowed);
      fail(
        prefix ? `${prefix}.${key}` : key,
        `is not a known ${what} field (the API would drop it silently)${hint ? `; did you mean \`${hint}\`?` : ''}`,
      );
    }
  }
}

function suggest(key: string, allowed: Set<string>): string | undefined {
  const normalized = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replace(/-/g, '_');
  if (allowed.has(normalized)) return normalized;
  const lower = key.toLowerCase();
  if (lower === 'replyto') return 'reply_to';
  if (lower === 'attachment') return 'attachments';
  if (lower === 'header') return 'headers';
  return undefined;
}

function checkAddress(value: unknown, field: string): void {
  if (!isPlainObject(value)) fail(field, 'must be an object like { email, name? }');
  checkKeys(value, addressKeys, field, 'address');
  const email = value.email;
  if (typeof email !== 'string' || email.length === 0) fail(`${field}.email`, 'must be a non-empty string');
  const problem = emailAddressProblem(email);
  if (problem !== undefined) {
    fail(`${field}.email`, `is not an email address: ${JSON.stringify(email)} ${problem}`);
  }
  const name = value.name;
  if (name !== undefined) {
    if (typeof name !== 'string') fail(`${field}.name`, 'must be a string');
    if (lineBreak.test(name)) fail(`${field}.name`, 'must not contain CR or LF');
  }
}

function checkRecipients(value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) fail(field, 'must be an array of { email, name? }');
  if (value.length > LIMITS.maxRecipientsPerField) {
    fail(field, `has ${value.length} recipients; the API accepts at most ${LIMITS.maxRecipientsPerField}`);
  }
  for (let index = 0; index < value.length; index++) checkAddress(value[index], `${field}[${index}]`);
  return value.length;
}

function checkNonEmptyString(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (value.length === 0) fail(field, 'must not be empty (omit it instead)');
}

function checkAttachment(value: unknown, field: string): void {
  if (!isPlainObject(value)) fail(field, 'must be an object like { filename, content }');
  checkKeys(value, attachmentKeys, field, 'attachment');
  const attachment = value as unknown as Attachment;
  if (typeof attachment.filename !== 'string' || attachment.filename.length === 0) {
    fail(`${field}.filename`, 'is required (a non-empty string)');
  }
  if (lineBreak.test(attachment.filename)) fail(`${field}.filename`, 'must not contain CR or LF');
  let sources = 0;
  if (attachment.content !== undefined) {
    sources++;
    if (typeof attachment.content === 'string') {
      if (!base64.test(attachment.content)) {
        fail(
          `${field}.content`,
          'must be base64 (a string is sent as is; pass a Buffer/Uint8Array to have it encoded)',
        );
      }
    } else if (!(attachment.content instanceof Uint8Array)) {
      fail(`${field}.content`, 'must be a base64 string or a Uint8Array/Buffer');
    }
  }
  if (attachment.path !== undefined) {
    sources++;
    if (typeof attachment.path !== 'string' || attachment.path.length === 0) {
      fail(`${field}.path`, 'must be a non-empty file path');
    }
  }
  if (attachment.stream !== undefined) {
    sources++;
    const stream = attachment.stream as unknown;
    if (
      typeof stream !== 'object' ||
      stream === null ||
      (typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' &&
        typeof (stream as ReadableStream).getReader !== 'function' &&
        typeof (stream as Blob).stream !== 'function')
    ) {
      fail(
        `${field}.stream`,
        'must be a ReadableStream, a Blob, a Node stream or an async iterable of Uint8Array',
      );
    }
  }
  if (sources === 0) fail(`${field}.content`, 'is required (or give `path` or `stream`)');
  if (sources > 1) fail(field, 'must have exactly one of `content`, `path` or `stream`');
  if (
    attachment.type !== undefined &&
    (typeof attachment.type !== 'string' || lineBreak.test(attachment.type))
  ) {
    fail(`${field}.type`, 'must be a MIME type string without CR or LF');
  }
  if (
    attachment.disposition !== undefined &&
    attachment.disposition !== 'inline' &&
    attachment.disposition !== 'attachment'
  ) {
    fail(`${field}.disposition`, "must be 'inline' or 'attachment'");
  }
  if (attachment.content_id !== undefined) {
    if (typeof attachment.content_id !== 'string' || attachment.content_id.length === 0) {
      fail(`${field}.content_id`, 'must be a non-empty string');
    }
    if (lineBreak.test(attachment.content_id)) fail(`${field}.content_id`, 'must not contain CR or LF');
  }
}

/** Checks everything except size; `field` prefixes error paths; `requireAll` for a complete message. */
function checkFields(
  mail: Record<string, unknown>,
  prefix: string,
  complete: boolean,
  isBase: boolean,
): void {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  checkKeys(mail, messageKeys, prefix, 'message');
  if (isBase) {
    for (const field of ['to', 'cc', 'bcc']) {
      if (mail[field] !== undefined)
        fail(at(field), 'is not allowed in `base`; put recipients in each request');
    }
  }
  if (mail.from !== undefined) checkAddress(mail.from, at('from'));
  else if (complete) fail(at('from'), 'is required');
  let recipients = 0;
  recipients += checkRecipients(mail.to, at('to'));
  recipients += checkRecipients(mail.cc, at('cc'));
  recipients += checkRecipients(mail.bcc, at('bcc'));
  if (complete && recipients === 0) fail(at('to'), 'needs at least one recipient in `to`, `cc` or `bcc`');
  if (mail.reply_to !== undefined) {
    if (Array.isArray(mail.reply_to)) {
      fail(at('reply_to'), 'must be ONE address object { email, name? }, not an array');
    }
    checkAddress(mail.reply_to, at('reply_to'));
  }
  checkNonEmptyString(mail.subject, at('subject'));
  checkNonEmptyString(mail.text, at('text'));
  checkNonEmptyString(mail.html, at('html'));
  if (mail.template_uuid !== undefined) {
    if (typeof mail.template_uuid !== 'string' || !uuid.test(mail.template_uuid)) {
      fail(at('template_uuid'), 'must be a template UUID');
    }
    for (const field of ['subject', 'text', 'html', 'category']) {
      if (mail[field] !== undefined) {
        fail(at(field), 'must not be sent with `template_uuid` (the template defines it)');
      }
    }
  }
  if (mail.template_variables !== undefined) {
    if (!isPlainObject(mail.template_variables)) fail(at('template_variables'), 'must be an object');
    if (complete && mail.template_uuid === undefined) {
      fail(
        at('template_variables'),
        'is only used with `template_uuid` (custom_variables are never interpolated)',
      );
    }
  }
  if (complete && mail.template_uuid === undefined) {
    if (mail.subject === undefined) fail(at('subject'), 'is required unless `template_uuid` is used');
    if (mail.text === undefined && mail.html === undefined) {
      fail(at('text'), 'or `html` is required unless `template_uuid` is used');
    }
  }
  if (mail.category !== undefined) {
    if (typeof mail.category !== 'string') fail(at('category'), 'must be a string');
    if (mail.category.length > LIMITS.maxCategoryLength) {
      fail(at('category'), `is ${mail.category.length} characters; at most ${LIMITS.maxCategoryLength}`);
    }
  }
  if (mail.custom_variables !== undefined) {
    const variables = mail.custom_variables;
    if (!isPlainObject(variables)) fail(at('custom_variables'), 'must be an object of string values');
    for (const key in variables) {
      if (typeof variables[key] !== 'string') {
        fail(
          `${at('custom_variables')}.${key}`,
          `must be a string, a number or a boolean (got ${typeof variables[key]})`,
        );
      }
    }
    const bytes = utf8Length(JSON.stringify(variables));
    if (bytes > LIMITS.maxCustomVariablesBytes) {
      fail(at('custom_variables'), `is ${bytes} bytes as JSON; at most ${LIMITS.maxCustomVariablesBytes}`);
    }
  }
  if (mail.headers !== undefined) {
    const headers = mail.headers;
    if (!isPlainObject(headers)) fail(at('headers'), 'must be an object of string values');
    for (const name in headers) {
      if (!headerName.test(name)) {
        fail(
          `${at('headers')}.${name}`,
          'is not a valid header name (printable ASCII without ":", no CR/LF)',
        );
      }
      const value = headers[name];
      if (typeof value !== 'string') fail(`${at('headers')}.${name}`, 'must be a string');
      if (lineBreak.test(value)) fail(`${at('headers')}.${name}`, 'must not contain CR or LF');
    }
  }
  if (mail.attachments !== undefined) {
    if (!Array.isArray(mail.attachments)) fail(at('attachments'), 'must be an array');
    for (let index = 0; index < mail.attachments.length; index++) {
      checkAttachment(mail.attachments[index], `${at('attachments')}[${index}]`);
    }
  }
}

function sizeFail(field: string, bytes: number, limit: number, what: string): never {
  throw new MailtrapValidationError(
    `Invalid mail: \`${field}\` is ${bytes} bytes as JSON (attachments base64-encoded); ${what} may be at most ${limit} bytes`,
    { field },
  );
}

/** Base64 length of `bytes` raw bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * The error for an attachment `path` that cannot be sent: missing, unreadable, or not a regular
 * file. `reason` is the file system error, or 'directory' / 'not-file' from a stat. @internal
 */
export function unreadableFileError(field: string, path: string, reason: unknown): MailtrapError {
  if (MailtrapUnsupportedRuntimeError.isInstance(reason)) {
    // No file system at all (a Worker): say which attachment asked for one.
    return new MailtrapUnsupportedRuntimeError(`\`${field}\`: ${reason.message}`, { feature: field });
  }
  const quoted = JSON.stringify(path);
  let why: string;
  const code = (reason as { code?: unknown } | null)?.code;
  if (reason === 'directory') why = `${quoted} is a directory, not a file`;
  else if (reason === 'not-file') why = `${quoted} is not a regular file`;
  else if (code === 'ENOENT') why = `no such file ${quoted}`;
  else if (code === 'ENOTDIR') why = `no such file ${quoted} (a parent is not a directory)`;
  else if (code === 'EACCES' || code === 'EPERM') why = `permission denied for ${quoted}`;
  else why = `${quoted}: ${(reason as Error)?.message ?? String(reason)}`;
  return new MailtrapValidationError(`Invalid mail: \`${field}\` cannot be read: ${why}; nothing was sent`, {
    field,
    ...(typeof reason === 'object' && reason !== null ? { cause: reason } : {}),
  });
}

/** Size of a path attachment with a synchronous stat; a typed error when it cannot be sent. */
function fileSizeSync(path: string, field: string): number {
  try {
    return readableFileSizeSync(path);
  } catch (error) {
    throw unreadableFileError(field, path, error);
  }
}

/**
 * The size of an attachment `stream` that is a Blob (or a File): known up front, and the same on
 * every read, unlike a stream's. @internal
 */
export function blobSize(stream: unknown): number | undefined {
  if (typeof stream !== 'object' || stream === null) return undefined;
  const blob = stream as Partial<Blob>;
  return typeof blob.size === 'number' &&
    typeof blob.stream === 'function' &&
    typeof blob.slice === 'function'
    ? blob.size
    : undefined;
}

/**
 * Attachment size in JSON for attachments that are not inline content: path (stat), Blob (its
 * size) or stream (0, unknown).
 */
function externalAttachmentBytes(message: Record<string, unknown>, prefix: string): number {
  const attachments = message.attachments as Attachment[] | undefined;
  if (!attachments) return 0;
  let total = 0;
  for (let index = 0; index < attachments.length; index++) {
    const { path, stream } = attachments[index]!;
    if (path !== undefined) total += base64Length(fileSizeSync(path, `${prefix}attachments[${index}].path`));
    else if (stream !== undefined) total += base64Length(blobSize(stream) ?? 0);
  }
  return total;
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON (a Buffer's toJSON would hide its bytes).
  const original = this[key];
  if (key === 'content' && original instanceof Uint8Array) {
    return toBase64(original);
  }
  if (key === 'path' || key === 'stream') return undefined;
  return value;
}

/**
 * Bytes of a message's JSON including base64 attachments. A `path` attachment is measured with a
 * synchronous stat; a `stream` attachment's size is unknown and counts 0 (it is enforced while streaming).
 */
export function messageSize(message: BatchMessage | SendMail): number {
  return measure(message, '');
}

/** {@link messageSize} with `prefix` (e.g. `requests[3].`) on the field of a path error. */
function measure(message: BatchMessage | SendMail, prefix: string): number {
  const json = JSON.stringify(message, replacer);
  return utf8Length(json) + externalAttachmentBytes(message as Record<string, unknown>, prefix);
}

/**
 * Throws {@link MailtrapValidationError} (with `field`) when `mail` breaks any documented rule;
 * returns the size it measured ({@link messageSize}), so a caller need not measure again.
 */
export function validateSendMail(mail: SendMail, options: ValidationOptions = {}): number {
  // What send() converts (number/boolean custom variables, Buffer bodies) is checked in wire form.
  mail = toWireMail(mail);
  checkSendMailShape(mail);
  const limit = options.maxMessageBytes ?? LIMITS.maxMessageBytes;
  const size = messageSize(mail);
  if (size > limit) sizeFail('message', size, limit, 'one message');
  return size;
}

/** Overrides of the documented limits (Business plans may have 30 MB messages on request). */
export interface ValidationOptions {
  /** Default {@link LIMITS}.maxMessageBytes (10 MB). */
  maxMessageBytes?: number;
}

/** The checks of {@link validateSendMail} without the size check. @internal */
export function checkSendMailShape(mail: SendMail): void {
  if (!isPlainObject(mail)) {
    throw new MailtrapValidationError('Invalid mail: the message must be a plain object', {
      field: 'message',
    });
  }
  checkFields(mail as unknown as Record<string, unknown>, '', true, false);
}

/** Throws {@link MailtrapValidationError} (with `field`) when a batch breaks any documented rule. */
export function validateBatch(batch: BatchSendRequest, options: ValidationOptions = {}): void {
  batch = toWireBatch(batch);
  checkBatchShape(batch);
  const limit = options.maxMessageBytes ?? LIMITS.maxMessageBytes;
  const base = batch.base;
  const baseSize = base ? measure(base, 'base.') : 0;
  let total = baseSize + 20;
  for (let index = 0; index < batch.requests.length; index++) {
    const request = batch.requests[index]!;
    const size = measure(request, `requests[${index}].`);
    total += size + 1;
    if (size + baseSize > limit) {
      sizeFail(`requests[${index}]`, size + baseSize, limit, 'one message (with base)');
    }
  }
  if (total > LIMITS.maxBatchBytes) sizeFail('requests', total, LIMITS.maxBatchBytes, 'a batch');
}

/** A batch is an object whose `requests` is an array of 1-500 `items`; returns the array. */
function checkBatchContainer(batch: { requests: readonly unknown[] }, items: string): readonly unknown[] {
  if (!isPlainObject(batch)) {
    throw new MailtrapValidationError('Invalid batch: it must be an object { base?, requests }', {
      field: 'batch',
    });
  }
  const requests = batch.requests;
  if (!Array.isArray(requests)) fail('requests', `must be an array of ${items}`);
  if (requests.length === 0) fail('requests', 'must contain at least one message');
  if (requests.length > LIMITS.maxBatchRequests) {
    fail('requests', `has ${requests.length} messages; a batch may have at most ${LIMITS.maxBatchRequests}`);
  }
  return requests;
}

/** The batch-level checks only: an object with 1-500 requests, each an object. @internal */
export function checkBatchLimits(batch: BatchSendRequest): void {
  const requests = checkBatchContainer(batch, 'messages');
  if (batch.base !== undefined && !isPlainObject(batch.base)) fail('base', 'must be an object');
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index];
    if (typeof request !== 'object' || request === null) fail(`requests[${index}]`, 'must be an object');
  }
}

/**
 * The checks of a serialized batch (`batchSendJson`): 1-500 requests, each a string (the caller
 * serialized it: it is not parsed), and the base's fields. @internal
 */
export function checkSerializedBatch(batch: SerializedBatchRequest): void {
  const requests = checkBatchContainer(batch, 'JSON texts');
  // Reading a character flattens a string built by concatenation; measuring it for the body would
  // flatten it anyway, so the braces cost nothing more here.
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index];
    if (
      typeof request !== 'string' ||
      request.length < 2 ||
      request.charCodeAt(0) !== 123 ||
      request.charCodeAt(request.length - 1) !== 125
    )
      fail(`requests[${index}]`, "must be a message's JSON text (an object)");
  }
  if (batch.base !== undefined) {
    if (!isPlainObject(batch.base)) fail('base', 'must be an object');
    checkFields(batch.base as Record<string, unknown>, 'base', false, true);
  }
}

/** The checks of {@link validateBatch} without the size checks. @internal */
export function checkBatchShape(batch: BatchSendRequest): void {
  checkBatchLimits(batch);
  checkKeys(batch as unknown as Record<string, unknown>, batchKeys, '', 'batch');
  const { base, requests } = batch;
  if (base !== undefined) {
    if (!isPlainObject(base)) fail('base', 'must be an object');
    checkFields(base as Record<string, unknown>, 'base', false, true);
  }
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index];
    const prefix = `requests[${index}]`;
    if (!isPlainObject(request)) fail(prefix, 'must be an object');
    checkFields(request, prefix, false, false);
    const merged = base ? { ...base, ...request } : request;
    checkMerged(merged as Record<string, unknown>, prefix);
  }
}

function checkMerged(mail: Record<string, unknown>, prefix: string): void {
  const at = (name: string) => `${prefix}.${name}`;
  if (mail.from === undefined) fail(at('from'), 'is required (in the request or in `base`)');
  const recipients =
    ((mail.to as unknown[] | undefined)?.length ?? 0) +
    ((mail.cc as unknown[] | undefined)?.length ?? 0) +
    ((mail.bcc as unknown[] | undefined)?.length ?? 0);
  if (recipients === 0) fail(at('to'), 'needs at least one recipient in `to`, `cc` or `bcc`');
  if (mail.template_uuid !== undefined) {
    for (const field of ['subject', 'text', 'html', 'category']) {
      if (mail[field] !== undefined) {
        fail(at(field), 'must not be combined with `template_uuid` (from the request or `base`)');
      }
    }
  } else {
    if (mail.template_variables !== undefined) {
      fail(
        at('template_variables'),
        'is only used with `template_uuid` (custom_variables are never interpolated)',
      );
    }
    if (mail.subject === undefined)
      fail(at('subject'), 'is required (in the request or in `base`) unless a template is used');
    if (mail.text === undefined && mail.html === undefined) {
      fail(at('text'), 'or `html` is required (in the request or in `base`) unless a template is used');
    }
  }
}
