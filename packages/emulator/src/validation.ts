import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { sendingSchemas } from './generated/schemas';
import type { MailtrapStream } from './types';

/** The documented limits the schemas don't (fully) express. */
export const LIMITS = {
  maxRecipientsPerField: 1000,
  maxBatchRequests: 500,
  maxBatchBytes: 52_428_800,
  maxMessageBytes: 10_485_760,
  maxCustomVariablesBytes: 1000,
  maxCategoryLength: 255,
} as const;

/** Keys a message (send body, batch base or batch item) may carry. Anything else is dropped. */
export const MESSAGE_KEYS = new Set([
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
export const BATCH_KEYS = new Set(['base', 'requests']);
const ADDRESS_KEYS = new Set(['email', 'name']);
const ATTACHMENT_KEYS = new Set(['content', 'filename', 'type', 'disposition', 'content_id']);

const emailPattern = fullFormats.email as RegExp;
const uuidPattern = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const base64Pattern = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && emailPattern.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects keys the API does not know, with a prefix naming where they were. */
export function collectUnknownKeys(message: Record<string, unknown>, prefix: string, into: string[]): void {
  for (const key in message) {
    if (!MESSAGE_KEYS.has(key)) {
      into.push(prefix + key);
      continue;
    }
    const value = message[key];
    if (key === 'from' || key === 'reply_to') {
      if (isPlainObject(value)) addressUnknownKeys(value, `${prefix}${key}.`, into);
    } else if (key === 'to' || key === 'cc' || key === 'bcc') {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          const item = value[index];
          if (isPlainObject(item)) addressUnknownKeys(item, `${prefix}${key}[${index}].`, into);
        }
      }
    } else if (key === 'attachments' && Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item = value[index];
        if (!isPlainObject(item)) continue;
        for (const name in item) {
          if (!ATTACHMENT_KEYS.has(name)) into.push(`${prefix}attachments[${index}].${name}`);
        }
      }
    }
  }
}

function addressUnknownKeys(address: Record<string, unknown>, prefix: string, into: string[]): void {
  for (const name in address) {
    if (!ADDRESS_KEYS.has(name)) into.push(prefix + name);
  }
}

function checkAddress(value: unknown, field: string, errors: string[]): boolean {
  if (!isPlainObject(value)) {
    errors.push(`'${field}' must be an object with an 'email'`);
    return false;
  }
  if (!isEmail(value.email)) {
    errors.push(`'${field}' address is invalid`);
    return false;
  }
  if (value.name !== undefined && typeof value.name !== 'string') {
    errors.push(`'${field}' name must be a string`);
    return false;
  }
  return true;
}

function checkRecipients(value: unknown, field: 'to' | 'cc' | 'bcc', errors: string[]): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) {
    errors.push(`'${field}' must be an array of addresses`);
    return 0;
  }
  if (value.length > LIMITS.maxRecipientsPerField) {
    errors.push(`'${field}' must have at most ${LIMITS.maxRecipientsPerField} addresses`);
  }
  for (let index = 0; index < value.length; index++) {
    if (!checkAddress(value[index], field, errors)) break;
  }
  return value.length;
}

function checkStringMap(value: unknown, field: string, errors: string[]): value is Record<string, string> {
  if (!isPlainObject(value)) {
    errors.push(`'${field}' must be an object`);
    return false;
  }
  for (const key in value) {
    if (typeof value[key] !== 'string') {
      errors.push(`'${field}' values must be strings ('${key}' is ${describe(value[key])})`);
      return false;
    }
  }
  return true;
}

/** An upper bound of the UTF-8 bytes of a string map as JSON, without building the JSON. */
function jsonSizeBound(map: Record<string, string>): number {
  let size = 2;
  for (const key in map) size += (key.length + map[key]!.length) * 6 + 6;
  return size;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Values already found valid. Batch items merged over a base share the base's objects (attachments,
 * headers, custom variables, addresses), so each is checked once per batch instead of once per item.
 */
const valid = new WeakSet<object>();

function checkedBefore(value: unknown): boolean {
  return typeof value === 'object' && value !== null && valid.has(value);
}

function remember(value: unknown, errorsBefore: number, errors: string[]): void {
  if (typeof value === 'object' && value !== null && errors.length === errorsBefore) valid.add(value);
}

/**
 * Mailtrap's rules for one complete message (a send body, or a batch item merged with the base),
 * with Mailtrap's error messages. Returns [] when the message is valid.
 */
export function checkMessage(message: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (message.from === undefined || message.from === null) errors.push("'from' is required");
  else if (!checkedBefore(message.from) && checkAddress(message.from, 'from', errors))
    valid.add(message.from as object);

  const recipients =
    checkRecipients(message.to, 'to', errors) +
    checkRecipients(message.cc, 'cc', errors) +
    checkRecipients(message.bcc, 'bcc', errors);
  if (recipients === 0) errors.push("'to', 'cc' or 'bcc' address is required");

  if (message.reply_to !== undefined) {
    if (Array.isArray(message.reply_to)) errors.push("'reply_to' must be one address object, not an array");
    else checkAddress(message.reply_to, 'reply_to', errors);
  }

  if (message.template_uuid !== undefined) {
    if (typeof message.template_uuid !== 'string' || !uuidPattern.test(message.template_uuid)) {
      errors.push("'template_uuid' must be a UUID");
    }
    for (const field of ['subject', 'text', 'html', 'category'] as const) {
      if (message[field] !== undefined) errors.push(`'${field}' is not allowed when 'template_uuid' is used`);
    }
    if (message.template_variables !== undefined && !isPlainObject(message.template_variables)) {
      errors.push("'template_variables' must be an object");
    }
  } else {
    if (message.subject === undefined || message.subject === null || message.subject === '') {
      errors.push("'subject' is required");
    } else if (typeof message.subject !== 'string') errors.push("'subject' must be a string");
    const hasText = nonEmptyString(message.text);
    const hasHtml = nonEmptyString(message.html);
    if (message.text !== undefined && message.text !== null && typeof message.text !== 'string') {
      errors.push("'text' must be a string");
    } else if (message.html !== undefined && message.html !== null && typeof message.html !== 'string') {
      errors.push("'html' must be a string");
    } else if (!hasText && !hasHtml) errors.push('must specify either text or html body');
    if (message.category !== undefined) {
      if (typeof message.category !== 'string') errors.push("'category' must be a string");
      else if (message.category.length > LIMITS.maxCategoryLength) {
        errors.push(`'category' is too long (maximum is ${LIMITS.maxCategoryLength} characters)`);
      }
    }
  }

  if (message.custom_variables !== undefined && !checkedBefore(message.custom_variables)) {
    const before = errors.length;
    if (
      checkStringMap(message.custom_variables, 'custom_variables', errors) &&
      jsonSizeBound(message.custom_variables) > LIMITS.maxCustomVariablesBytes
    ) {
      const size = Buffer.byteLength(JSON.stringify(message.custom_variables));
      if (size > LIMITS.maxCustomVariablesBytes) {
        errors.push(
          `'custom_variables' is too large (${size} bytes, maximum is ${LIMITS.maxCustomVariablesBytes} bytes)`,
        );
      }
    }
    remember(message.custom_variables, before, errors);
  }

  if (
    message.headers !== undefined &&
    !checkedBefore(message.headers) &&
    checkStringMap(message.headers, 'headers', errors)
  ) {
    // Mailtrap refuses "reserved" headers but publishes no list: none is invented here.
    remember(message.headers, errors.length, errors);
  }

  if (message.attachments !== undefined && !checkedBefore(message.attachments)) {
    const before = errors.length;
    if (!Array.isArray(message.attachments)) errors.push("'attachments' must be an array");
    else {
      for (let index = 0; index < message.attachments.length; index++) {
        const attachment = message.attachments[index];
        const field = `attachments[${index}]`;
        if (!isPlainObject(attachment)) {
          errors.push(`'${field}' must be an object`);
          continue;
        }
        if (typeof attachment.filename !== 'string' || attachment.filename === '') {
          errors.push(`'${field}.filename' is required`);
        }
        if (typeof attachment.content !== 'string') errors.push(`'${field}.content' is required`);
        else if (!base64Pattern.test(attachment.content)) errors.push(`'${field}.content' must be base64`);
        if (attachment.type !== undefined && typeof attachment.type !== 'string') {
          errors.push(`'${field}.type' must be a string`);
        }
        if (
          attachment.disposition !== undefined &&
          attachment.disposition !== 'inline' &&
          attachment.disposition !== 'attachment'
        ) {
          errors.push(`'${field}.disposition' must be 'inline' or 'attachment'`);
        }
        if (attachment.content_id !== undefined && typeof attachment.content_id !== 'string') {
          errors.push(`'${field}.content_id' must be a string`);
        }
      }
    }
    remember(message.attachments, before, errors);
  }
  return errors;
}

export interface SchemaValidators {
  send: Record<MailtrapStream, ValidateFunction>;
  batch: Record<MailtrapStream, ValidateFunction>;
}

let compiled: SchemaValidators | undefined;

/** The official request schemas, compiled once per process. */
export function schemaValidators(): SchemaValidators {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv, ['email', 'uuid', 'date-time', 'uri']);
  const streams: MailtrapStream[] = ['transactional', 'bulk', 'sandbox'];
  const send = {} as Record<MailtrapStream, ValidateFunction>;
  const batch = {} as Record<MailtrapStream, ValidateFunction>;
  for (const stream of streams) {
    send[stream] = ajv.compile(sendingSchemas[stream].send as object);
    batch[stream] = ajv.compile(sendingSchemas[stream].batch as object);
  }
  compiled = { send, batch };
  return compiled;
}

/** Turns the schema validator's errors into Mailtrap-style messages ('to[0].email' must ...). */
export function schemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  if (!errors || errors.length === 0) return ['request does not match the API schema'];
  const first = errors.find((error) => error.keyword !== 'anyOf' && error.keyword !== 'allOf') ?? errors[0]!;
  const path = first.instancePath
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
  const field =
    first.keyword === 'required' ? `${path ? `${path}.` : ''}${first.params.missingProperty}` : path;
  return [field ? `'${field}' ${first.message ?? 'is invalid'}` : (first.message ?? 'request is invalid')];
}
