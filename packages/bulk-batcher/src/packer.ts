import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { emailAddressProblem, MailtrapError, toWireMail, validateSendMail } from '@mailtrap-kit/core';
import type { CompiledTemplate, RenderedTemplate } from '@mailtrap-kit/templates';
import { BulkInputError } from './errors';
import { AddressSet } from './address-set';
import { blocksOf } from './recipient-blocks';
import { recipientTag, sequenceText, TAG_ID_KEY, TAG_RUN_KEY } from './tag';
import {
  API_LIMITS,
  type Address,
  type Attachment,
  type BatchBase,
  type BatchMessage,
  type BatchSendRequest,
} from './wire';

/** Message fields one recipient may override (everything but its own `to` and variables). */
export type RecipientOverrides = Omit<BatchMessage, 'to' | 'template_variables' | 'custom_variables'>;

/** One recipient of a campaign. */
export interface Recipient {
  email: string;
  name?: string;
  /**
   * The recipient's variables (CSV columns, NDJSON fields), with `email` and `name` added. A template
   * campaign sends them as `template_variables` (merged over the base's); a content campaign
   * (`subject`/`text`/`html`) renders its content with them, per recipient, like Mailtrap would.
   */
  template_variables?: Record<string, unknown>;
  /** Merged over the base's custom_variables; `mtk_run` and `mtk_id` are reserved for the tag. */
  custom_variables?: Record<string, string>;
  overrides?: RecipientOverrides;
  /** The input line it came from (the readers set it): named in every reason it is refused for. */
  line?: number;
}

/** An input row a reader could not turn into a recipient; it ends as `failed` with `rejected` as the reason. */
export interface RejectedRecipient {
  email: string;
  rejected: string;
  line?: number;
}

export type RecipientInput = Recipient | RejectedRecipient;

/** The base message of a campaign: everything shared, `from` required, either a template or content. */
export type BulkBase = BatchBase & { from: Address };

export interface PackSettings {
  base: BulkBase;
  /** Goes into every message's tag; the same run id must be used to resume or settle. */
  runId: string;
  /** Requests per batch, at most 500 (the API's limit). Default 500. */
  maxBatchRequests?: number;
  /** Default 52,428,800 (50 MB). Lower only for tests or a proxy with a smaller limit. */
  maxBatchBytes?: number;
  /** Default 10,485,760 (10 MB); raise to 31,457,280 only when Mailtrap raised it for your account. */
  maxMessageBytes?: number;
  /**
   * Skip a recipient whose address (case-insensitive) came earlier in the input: it becomes an item
   * with `duplicate` set and is never sent. Default false.
   */
  skipDuplicates?: boolean;
}

export interface PackedItem {
  /** Position of the recipient in the input, from 0. The tag's `mtk_id`. */
  sequence: number;
  /** Position inside its batch (sequence - batch.firstSequence). */
  offset: number;
  email: string;
  /**
   * The message to send as its JSON text (one element of the batch's `requests`), serialized and
   * measured once when packed. Undefined when the recipient was rejected, or when the message has
   * attachments read only when it is sent (a path, bytes): then it is in `message`.
   */
  json?: string;
  /** The message to send as an object: only a message with attachments read when sent (see `json`). */
  message?: BatchMessage;
  /** Bytes of the message's JSON including base64 attachments. */
  bytes: number;
  /** Why the recipient can never be sent (it ends as `failed` with this reason). */
  error?: string;
  /** The address came earlier in the input (see `skipDuplicates`): the item is skipped, not sent. */
  duplicate?: true;
}

export interface PackedBatch {
  /** Batch number, from 0, deterministic for the same input and settings. */
  batch: number;
  firstSequence: number;
  /** Recipients covered (sent and rejected): sequences firstSequence .. firstSequence + count - 1. */
  count: number;
  items: PackedItem[];
  /** The shared part of every request (custom_variables moved into each message). */
  base: BulkBase;
  /** sha256 of the batch's sequences and addresses (16 hex chars): proves a resumed run packed the same. */
  fingerprint: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why an address would be refused (core's one address rule), or undefined when it is fine. */
function addressProblem(email: unknown): string | undefined {
  return typeof email === 'string' ? emailAddressProblem(email) : 'is not a string';
}

function isValidEmail(email: unknown): email is string {
  return addressProblem(email) === undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

const lineBreak = /[\r\n]/;

/** The JSON of a plain message's tag up to its sequence: `,"custom_variables":{"mtk_run":<run>,"mtk_id":"`. */
interface PlainLayout {
  tagPrefix: string;
}

function plainLayout(runId: string): PlainLayout {
  return { tagPrefix: `,"custom_variables":{"${TAG_RUN_KEY}":${JSON.stringify(runId)},"${TAG_ID_KEY}":"` };
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function attachmentBytes(attachment: Attachment): number {
  const { content, path, stream: _stream, ...meta } = attachment;
  let contentBytes = 0;
  if (typeof content === 'string') contentBytes = content.length;
  else if (content instanceof Uint8Array) contentBytes = base64Length(content.byteLength);
  else if (typeof path === 'string') contentBytes = base64Length(statSync(path).size);
  return Buffer.byteLength(JSON.stringify(meta)) + ',"content":""'.length + contentBytes;
}

/** Bytes of a message's JSON as sent, with attachments counted as base64 (paths are stat'ed). */
export function jsonBytes(message: BatchMessage | BatchBase): number {
  // most messages have no attachments: measured as they are, without a copy
  if (!(message as BatchMessage).attachments) return Buffer.byteLength(JSON.stringify(message));
  const { attachments, ...rest } = message as BatchMessage;
  let size = Buffer.byteLength(JSON.stringify(rest));
  if (attachments && attachments.length > 0) {
    size += ',"attachments":[]'.length + attachments.length - 1;
    for (const attachment of attachments) size += attachmentBytes(attachment);
  }
  return size;
}

function checkAttachments(attachments: unknown, field: string): string | undefined {
  if (attachments === undefined) return undefined;
  if (!Array.isArray(attachments)) return `${field} must be an array`;
  for (const [index, attachment] of attachments.entries()) {
    if (!isPlainObject(attachment)) return `${field}[${index}] must be an object`;
    if (typeof attachment.filename !== 'string' || attachment.filename === '')
      return `${field}[${index}].filename is required`;
    if (attachment.stream !== undefined)
      return `${field}[${index}].stream cannot be used in a bulk send (it can be read only once); give a path or content`;
    if (attachment.content === undefined && attachment.path === undefined)
      return `${field}[${index}] needs content or path`;
    if (typeof attachment.path === 'string') {
      try {
        statSync(attachment.path);
      } catch {
        return `${field}[${index}].path ${JSON.stringify(attachment.path)} cannot be read`;
      }
    }
  }
  return undefined;
}

function checkAddressList(list: unknown, field: string, maximum: number): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return `${field} must be an array of {email, name}`;
  if (list.length > maximum) return `${field} has ${list.length} addresses; at most ${maximum} are allowed`;
  for (const [index, address] of list.entries()) {
    if (!isPlainObject(address) || !isValidEmail(address.email))
      return `${field}[${index}] is not a valid address: ${JSON.stringify(isPlainObject(address) ? address.email : address)}`;
  }
  return undefined;
}

function checkStringMap(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return `${field} must be an object of strings`;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') return `${field}.${key} must be a string (got ${typeof entry})`;
  }
  return undefined;
}

interface PreparedBase {
  base: BulkBase;
  /**
   * The base as each message is checked against: the same fields, long bodies cut to one
   * character and the attachments left out (the base's own checks cover them once), so checking a
   * recipient costs what the recipient adds, not a copy of the whole campaign.
   */
  checkBase: BatchBase;
  baseCustomVariables: Record<string, string>;
  /** No shared custom_variables: a plain recipient's are only its tag. */
  noBaseCustomVariables: boolean;
  baseTemplateVariables: Record<string, unknown> | undefined;
  templateMode: boolean;
  baseBytes: number;
  /**
   * Content campaigns whose subject, text or html use variables: the sources, rendered per recipient
   * (they are not in `base` then). Undefined when the content is the same for everyone.
   */
  merge:
    | {
        subject?: string;
        body_text?: string;
        body_html?: string;
        compiled: CompiledTemplate;
        /** The subject has no text of its own outside `{{ }}`: its variables alone can leave it blank. */
        subjectMayBeBlank: boolean;
      }
    | undefined;
  /** Top-level variables the content uses (content campaigns; a template's are on Mailtrap's side). */
  variables: string[] | undefined;
}

const contentFields = ['subject', 'text', 'html', 'category'] as const;

type TemplatesModule = typeof import('@mailtrap-kit/templates');
/** The templates package, loaded by {@link loadMergeSupport} for content that uses `{{ }}`. */
let templatesModule: TemplatesModule | undefined;

/** True when the base's own content (not a template's) may use variables: it has `{{`. */
function usesHandlebars(base: BulkBase): boolean {
  if (base.template_uuid !== undefined) return false;
  for (const part of [base.subject, base.text, base.html])
    if (typeof part === 'string' && part.includes('{{')) return true;
  return false;
}

/**
 * Loads the mail-merge renderer (`@mailtrap-kit/templates`) when the base's content uses `{{ }}`,
 * once per process: a campaign whose content is the same for everyone never loads it. Call it before
 * `prepareBase` on such content (`createBulkRun` and `packRecipients` do).
 */
export async function loadMergeSupport(base: BulkBase): Promise<void> {
  if (templatesModule || !isPlainObject(base) || !usesHandlebars(toWireMail(base))) return;
  templatesModule = await import('@mailtrap-kit/templates');
}

/** A variable alone: `{{name}}` or `{{{name}}}`. */
const variableStash = /\{\{\{?\s*[A-Za-z_][A-Za-z0-9_]*\s*\}?\}\}/g;

/**
 * False when the subject has text of its own outside its variables, so it can never render blank;
 * true when it may (only variables, or blocks whose text may be left out).
 */
function subjectMayBeBlank(subject: string | undefined): boolean {
  if (subject === undefined) return false;
  const rest = subject.replace(variableStash, '');
  return rest.includes('{{') || rest.trim() === '';
}

/**
 * Checks the base message of a campaign and prepares it for packing. Throws `BulkInputError`
 * naming the field when the campaign cannot be sent at all.
 */
export function prepareBase(
  given: BulkBase,
  maxMessageBytes: number = API_LIMITS.maxMessageBytes,
): PreparedBase {
  if (!isPlainObject(given)) throw new BulkInputError('base must be an object (the shared message)', 'base');
  // In the API's wire form, as core sends it: text and html given as bytes become their UTF-8
  // text, number and boolean custom_variables their string form.
  const base = toWireMail(given);
  for (const field of ['to', 'cc', 'bcc'] as const) {
    if ((base as Record<string, unknown>)[field] !== undefined)
      throw new BulkInputError(
        `base.${field} is not allowed: recipients come from the recipient list`,
        `base.${field}`,
      );
  }
  if (!isPlainObject(base.from) || !isValidEmail(base.from.email))
    throw new BulkInputError(
      `base.from must be {email, name?} with a valid address (got ${JSON.stringify(base.from?.email ?? base.from)})`,
      'base.from',
    );
  const templateMode = base.template_uuid !== undefined;
  if (templateMode) {
    if (typeof base.template_uuid !== 'string' || !uuidPattern.test(base.template_uuid))
      throw new BulkInputError(
        `base.template_uuid must be a UUID (got ${JSON.stringify(base.template_uuid)})`,
        'base.template_uuid',
      );
    for (const field of contentFields) {
      if (base[field] !== undefined)
        throw new BulkInputError(
          `base.${field} cannot be combined with template_uuid (the template defines it)`,
          `base.${field}`,
        );
    }
    if (base.template_variables !== undefined && !isPlainObject(base.template_variables))
      throw new BulkInputError('base.template_variables must be an object', 'base.template_variables');
  } else {
    if (typeof base.subject !== 'string' || base.subject.trim() === '')
      throw new BulkInputError('base.subject is required (or give template_uuid)', 'base.subject');
    const hasText = typeof base.text === 'string' && base.text !== '';
    const hasHtml = typeof base.html === 'string' && base.html !== '';
    if (!hasText && !hasHtml)
      throw new BulkInputError('base needs text or html (or template_uuid)', 'base.text');
    if (base.template_variables !== undefined)
      throw new BulkInputError('base.template_variables needs template_uuid', 'base.template_variables');
  }
  if (base.category !== undefined && (typeof base.category !== 'string' || base.category.length > 255))
    throw new BulkInputError('base.category must be a string of at most 255 characters', 'base.category');
  const mapError =
    checkStringMap(base.custom_variables, 'base.custom_variables') ??
    checkStringMap(base.headers, 'base.headers');
  if (mapError) throw new BulkInputError(mapError, mapError.split(' ')[0]);
  if (base.custom_variables && (TAG_RUN_KEY in base.custom_variables || TAG_ID_KEY in base.custom_variables))
    throw new BulkInputError(
      `base.custom_variables may not use ${TAG_RUN_KEY} or ${TAG_ID_KEY} (reserved for the recipient tag)`,
      'base.custom_variables',
    );
  const attachmentError = checkAttachments(base.attachments, 'base.attachments');
  if (attachmentError) throw new BulkInputError(attachmentError, 'base.attachments');
  if (base.reply_to !== undefined && (!isPlainObject(base.reply_to) || !isValidEmail(base.reply_to.email)))
    throw new BulkInputError(
      'base.reply_to must be ONE {email, name?} with a valid address',
      'base.reply_to',
    );

  const { custom_variables, template_variables, ...rest } = base;
  const prepared: BulkBase = { ...rest };
  if (template_variables !== undefined) prepared.template_variables = template_variables;
  let merge: PreparedBase['merge'];
  let variables: string[] | undefined;
  if (!templateMode && usesHandlebars(base)) {
    const templates = templatesModule;
    if (!templates)
      throw new BulkInputError(
        'base: content with {{variables}} needs the mail-merge renderer: call `await loadMergeSupport(base)` before prepareBase',
        'base',
      );
    const { analyzeTemplate, compileTemplate, renderTemplate, TemplateRenderError } = templates;
    const content: { subject?: string; body_text?: string; body_html?: string } = {};
    if (base.subject) content.subject = base.subject;
    // core's types also take a Buffer body (sent as UTF-8); the merge reads text bodies.
    if (typeof base.text === 'string' && base.text) content.body_text = base.text;
    if (typeof base.html === 'string' && base.html) content.body_html = base.html;
    const analysis = analyzeTemplate(content);
    const problem = analysis.unknownHelpers[0] ?? analysis.unsupported[0];
    if (problem)
      throw new BulkInputError(
        `base.${problem.part}: ${'name' in problem ? `helper "${problem.name}" does not exist in Mailtrap templates (only if, unless, each, with)` : `${problem.feature} cannot be used in Mailtrap templates`}`,
        `base.${problem.part}`,
      );
    variables = Object.keys(analysis.variables);
    if (variables.length > 0) {
      try {
        renderTemplate(content, {});
      } catch (error) {
        if (!TemplateRenderError.isInstance(error)) throw error;
        throw new BulkInputError(`base.${error.part}: ${error.message}`, `base.${error.part}`, {
          cause: error,
        });
      }
      merge = {
        ...content,
        compiled: compileTemplate(content),
        subjectMayBeBlank: subjectMayBeBlank(content.subject),
      };
      delete prepared.subject;
      delete prepared.text;
      delete prepared.html;
    }
  }
  const baseBytes = jsonBytes(prepared);
  if (baseBytes > maxMessageBytes)
    throw new BulkInputError(
      `base is ${baseBytes} bytes with base64 attachments; a message may be at most ${maxMessageBytes}`,
      'base',
    );
  const { attachments: _attachments, ...checkBase } = prepared;
  for (const field of ['text', 'html'] as const)
    if (typeof checkBase[field] === 'string' && checkBase[field] !== '') checkBase[field] = 'x';
  // Validated once, with core's rules, as a message to one recipient: what every message shares.
  try {
    const sample: Record<string, unknown> = { ...base, to: [{ email: 'recipient@example.com' }] };
    if (merge) {
      if (merge.subject !== undefined) sample.subject = 'x';
      if (merge.body_text !== undefined) sample.text = 'x';
      if (merge.body_html !== undefined) sample.html = 'x';
    }
    validateSendMail(sample as unknown as Parameters<typeof validateSendMail>[0], { maxMessageBytes });
  } catch (error) {
    if (!MailtrapError.isInstance(error)) throw error;
    const field = (error as { field?: string }).field;
    throw new BulkInputError(`base: ${error.message}`, field ? `base.${field}` : 'base', { cause: error });
  }
  return {
    base: prepared,
    checkBase,
    // checkStringMap above refused anything but string values.
    baseCustomVariables: (custom_variables ?? {}) as Record<string, string>,
    noBaseCustomVariables: custom_variables === undefined || Object.keys(custom_variables).length === 0,
    baseTemplateVariables: template_variables,
    templateMode,
    baseBytes,
    merge,
    variables,
  };
}

interface BuiltMessage {
  /** The message's JSON text, or (attachments read when sent) the message itself. */
  json?: string;
  message?: BatchMessage;
  bytes: number;
  error?: string;
}

/** True when a message's attachments are read or encoded only when it is sent (a path, bytes). */
function readsAttachments(message: BatchMessage): boolean {
  if (!message.attachments) return false;
  for (const attachment of message.attachments) if (typeof attachment.content !== 'string') return true;
  return false;
}

/** Why a message of `bytes` cannot be sent (the message and batch limits), or undefined. */
function sizeProblem(
  bytes: number,
  prepared: PreparedBase,
  maxMessageBytes: number,
  maxItemBytes: number,
): string | undefined {
  if (bytes + prepared.baseBytes > maxMessageBytes)
    return `message is ${bytes + prepared.baseBytes} bytes with the base and base64 attachments; at most ${maxMessageBytes} are allowed`;
  if (bytes > maxItemBytes)
    return `message is ${bytes} bytes; it cannot fit in a batch of at most ${maxItemBytes + 0} bytes`;
  return undefined;
}

function buildMessage(
  input: RecipientInput,
  sequence: number,
  runId: string,
  prepared: PreparedBase,
  maxMessageBytes: number,
  maxItemBytes: number,
  plain: PlainLayout | undefined,
): BuiltMessage {
  if ('rejected' in input) return { bytes: 0, error: input.rejected };
  if (!isPlainObject(input)) return { bytes: 0, error: 'recipient must be an object with an email' };
  const { email, name, template_variables, custom_variables, overrides } = input;
  const problem = addressProblem(email);
  if (problem)
    return { bytes: 0, error: `invalid email address: ${JSON.stringify(email ?? null)} ${problem}` };
  if (name !== undefined && (typeof name !== 'string' || lineBreak.test(name)))
    return { bytes: 0, error: 'name must be a string without line breaks' };
  if (template_variables !== undefined && !isPlainObject(template_variables))
    return { bytes: 0, error: 'template_variables must be an object' };
  if (custom_variables === undefined && overrides === undefined && plain !== undefined) {
    // The common recipient of a content campaign: an address, a name, its content when the content
    // uses variables, and the tag. Its JSON is written as the API reads it, without a message object.
    let json = name
      ? `{"to":[{"email":${JSON.stringify(email)},"name":${JSON.stringify(name)}}]`
      : `{"to":[{"email":${JSON.stringify(email)}}]`;
    if (prepared.merge) {
      const content = renderContentJson(prepared, email, name, template_variables);
      if (content.error !== undefined) return { bytes: 0, error: content.error };
      json += content.json;
    }
    json += `${plain.tagPrefix}${sequenceText(sequence)}"}}`;
    // Measuring flattens the text built by concatenation into one string: the pieces die young
    // instead of being held (and promoted) while the batch waits for its request.
    const bytes = Buffer.byteLength(json);
    const tooLarge = sizeProblem(bytes, prepared, maxMessageBytes, maxItemBytes);
    return tooLarge ? { bytes, error: tooLarge } : { json, bytes };
  }
  const variablesError = checkStringMap(custom_variables, 'custom_variables');
  if (variablesError) return { bytes: 0, error: variablesError };
  if (custom_variables && (TAG_RUN_KEY in custom_variables || TAG_ID_KEY in custom_variables))
    return {
      bytes: 0,
      error: `custom_variables may not use ${TAG_RUN_KEY} or ${TAG_ID_KEY} (reserved for the recipient tag)`,
    };

  const message: BatchMessage = {};
  let templateMode = prepared.templateMode;
  if (overrides !== undefined) {
    if (!isPlainObject(overrides)) return { bytes: 0, error: 'overrides must be an object' };
    for (const key of ['to', 'template_variables', 'custom_variables'])
      if (key in overrides)
        return { bytes: 0, error: `overrides.${key} is not allowed; use the recipient's own field` };
    const problem =
      checkAddressList(overrides.cc, 'overrides.cc', API_LIMITS.maxRecipientsPerField) ??
      checkAddressList(overrides.bcc, 'overrides.bcc', API_LIMITS.maxRecipientsPerField) ??
      checkAttachments(overrides.attachments, 'overrides.attachments') ??
      checkStringMap(overrides.headers, 'overrides.headers');
    if (problem) return { bytes: 0, error: problem };
    if (
      overrides.from !== undefined &&
      (!isPlainObject(overrides.from) || !isValidEmail(overrides.from.email))
    )
      return { bytes: 0, error: 'overrides.from must be {email, name?} with a valid address' };
    if (overrides.template_uuid !== undefined) {
      if (typeof overrides.template_uuid !== 'string' || !uuidPattern.test(overrides.template_uuid))
        return { bytes: 0, error: 'overrides.template_uuid must be a UUID' };
      templateMode = true;
    }
    if (templateMode) {
      for (const field of contentFields)
        if (overrides[field] !== undefined)
          return { bytes: 0, error: `overrides.${field} cannot be combined with a template` };
    }
    // In the API's wire form (bodies given as bytes become their UTF-8 text), as core would send it.
    Object.assign(message, toWireMail(overrides));
  }
  message.to = [name ? { email, name } : { email }];
  if (templateMode) {
    // The recipient's own email and name are variables too ({{name}} in a template).
    const merged: Record<string, unknown> = { ...prepared.baseTemplateVariables, email };
    if (name) merged.name = name;
    message.template_variables = template_variables ? Object.assign(merged, template_variables) : merged;
  } else if (prepared.merge) {
    const error = renderContent(prepared, message, email, name, template_variables, overrides);
    if (error) return { bytes: 0, error };
  }
  let variables: Record<string, string>;
  // The tag alone ({"mtk_run":"<run>","mtk_id":"<n>"}) is far under the limit: measured only with more.
  let variablesBytes = 0;
  if (custom_variables === undefined && prepared.noBaseCustomVariables && runId.length <= 256)
    variables = recipientTag(runId, sequence);
  else {
    variables = {
      ...prepared.baseCustomVariables,
      ...custom_variables,
      ...recipientTag(runId, sequence),
    };
    variablesBytes = Buffer.byteLength(JSON.stringify(variables));
  }
  if (variablesBytes > API_LIMITS.maxCustomVariablesBytes)
    return {
      bytes: 0,
      error: `custom_variables are ${variablesBytes} bytes as JSON including the ${TAG_RUN_KEY}/${TAG_ID_KEY} tag; at most ${API_LIMITS.maxCustomVariablesBytes} are allowed`,
    };
  message.custom_variables = variables;
  let json: string | undefined;
  let bytes: number;
  try {
    if (readsAttachments(message)) bytes = jsonBytes(message);
    else {
      json = JSON.stringify(message);
      bytes = Buffer.byteLength(json);
    }
  } catch (error) {
    return { bytes: 0, error: `cannot be serialized: ${(error as Error).message}` };
  }
  if (bytes + prepared.baseBytes > maxMessageBytes)
    return { bytes, error: sizeProblem(bytes, prepared, maxMessageBytes, maxItemBytes) };
  // The base was validated once (prepareBase) and the checks above cover what a plain recipient adds
  // (its address, name, variables). Overrides can change any field: core's own validation of the
  // merged message is their gate, so a recipient it refuses is rejected alone instead of failing its
  // batch.
  if (overrides !== undefined) {
    try {
      validateSendMail({ ...prepared.checkBase, ...message } as Parameters<typeof validateSendMail>[0], {
        maxMessageBytes: Number.MAX_SAFE_INTEGER,
      });
    } catch (error) {
      if (!MailtrapError.isInstance(error)) throw error;
      return { bytes, error: error.message };
    }
  }
  const tooLarge = sizeProblem(bytes, prepared, maxMessageBytes, maxItemBytes);
  if (tooLarge) return { bytes, error: tooLarge };
  return json !== undefined ? { json, bytes } : { message, bytes };
}

/** Where fingerprintOf writes a batch's text (reused: grown when a batch needs more). */
let fingerprintBytes = Buffer.allocUnsafe(64 * 1024);

/**
 * sha256 of the batch's sequences and addresses (`<sequence>:<email>\n` each), 16 hex characters.
 * The text is written as bytes into one reused buffer: no string per recipient, none joined.
 */
function fingerprintOf(items: readonly PackedItem[]): string {
  let length = 0;
  for (const item of items) {
    // at most 16 digits, ':', the address as UTF-8 (3 bytes per UTF-16 unit at most), '\n'
    const most = length + 18 + item.email.length * 3;
    if (most > fingerprintBytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(most, fingerprintBytes.length * 2));
      fingerprintBytes.copy(larger, 0, 0, length);
      fingerprintBytes = larger;
    }
    length = writeDecimal(fingerprintBytes, length, item.sequence);
    fingerprintBytes[length++] = 58; // ':'
    length += fingerprintBytes.write(item.email, length, 'utf8');
    fingerprintBytes[length++] = 10; // '\n'
  }
  return createHash('sha256').update(fingerprintBytes.subarray(0, length)).digest('hex').slice(0, 16);
}

/** Writes a non-negative integer's decimal digits at `at`; returns the offset after them. */
function writeDecimal(bytes: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  let rest = value;
  for (let index = at + digits - 1; index >= at; index -= 1) {
    bytes[index] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/**
 * Renders the campaign's content for one recipient into its message (subject, text, html the
 * recipient does not override). Returns why it cannot be sent, or undefined.
 */
function renderContent(
  prepared: PreparedBase,
  message: BatchMessage,
  email: string,
  name: string | undefined,
  variables: Record<string, unknown> | undefined,
  overrides: RecipientOverrides | undefined,
): string | undefined {
  const merge = prepared.merge!;
  const rendered = renderFor(merge, 'render', email, name, variables);
  if (typeof rendered === 'string') return rendered;
  if (overrides?.subject === undefined) {
    if (merge.subject !== undefined && rendered.subject.trim() === '') return blankSubject;
    if (rendered.subject !== '') message.subject = rendered.subject;
  }
  if (overrides?.text === undefined && rendered.text) message.text = rendered.text;
  if (overrides?.html === undefined && rendered.html) message.html = rendered.html;
  if (!message.text && !message.html) return emptyBodies;
  return undefined;
}

const blankSubject = 'the subject is empty for this recipient (its variables are empty)';
const emptyBodies = 'the text and html are empty for this recipient (its variables are empty)';

/**
 * The campaign's content rendered with a recipient's variables (its email and name among them),
 * as text (`render`) or as JSON string literals (`renderJson`); a string is why it cannot be.
 */
function renderFor(
  merge: NonNullable<PreparedBase['merge']>,
  form: 'render' | 'renderJson',
  email: string,
  name: string | undefined,
  variables: Record<string, unknown> | undefined,
): RenderedTemplate | string {
  const merged: Record<string, unknown> = { email };
  if (name) merged.name = name;
  if (variables) Object.assign(merged, variables);
  try {
    return merge.compiled[form](merged);
  } catch (error) {
    return `the content cannot be rendered for this recipient: ${(error as Error).message}`;
  }
}

/** The JSON of a string that `trim()` would leave empty (whitespace written as it is or escaped). */
const blankJsonString = /^"(?:\s|\\[tnfr]|\\u000b)*"$/;

/**
 * The campaign's content rendered for a recipient without overrides, as the JSON members of its
 * message (`,"subject":…,"text":…,"html":…`): the same members `renderContent` gives, serialized.
 */
function renderContentJson(
  prepared: PreparedBase,
  email: string,
  name: string | undefined,
  variables: Record<string, unknown> | undefined,
): { json: string; error?: undefined } | { error: string } {
  const merge = prepared.merge!;
  const rendered = renderFor(merge, 'renderJson', email, name, variables);
  if (typeof rendered === 'string') return { error: rendered };
  if (merge.subjectMayBeBlank && blankJsonString.test(rendered.subject)) return { error: blankSubject };
  const text = rendered.text !== undefined && rendered.text.length > 2;
  const html = rendered.html !== undefined && rendered.html.length > 2;
  if (!text && !html) return { error: emptyBodies };
  // '""' is an empty part: left out, as `renderContent` leaves it out.
  let json = rendered.subject.length > 2 ? `,"subject":${rendered.subject}` : '';
  if (text) json += `,"text":${rendered.text}`;
  if (html) json += `,"html":${rendered.html}`;
  return { json };
}

function batchOverhead(baseBytes: number): number {
  return '{"base":'.length + baseBytes + ',"requests":[]}'.length;
}

/**
 * Packs recipients into batch requests honoring every limit at once: at most `maxBatchRequests`
 * (≤ 500) requests, 50 MB per batch and 10 MB per message including base64 attachments, 1000
 * addresses per field, 1000 bytes of custom_variables including the tag. A recipient that can never
 * fit is kept in its batch as an item with `error` (it ends as `failed`), it never stops the packing.
 * Every input item occupies one sequence number and one slot, so the same input and settings always
 * give the same batches — which is what lets a run resume and a queue worker re-pack deterministically.
 * Lazy: holds at most one batch in memory.
 */
export async function* packRecipients(
  recipients: Iterable<RecipientInput> | AsyncIterable<RecipientInput>,
  settings: PackSettings,
): AsyncGenerator<PackedBatch> {
  const maxMessageBytes = settings.maxMessageBytes ?? API_LIMITS.maxMessageBytes;
  const maxBatchBytes = settings.maxBatchBytes ?? API_LIMITS.maxBatchBytes;
  const maxRequests = settings.maxBatchRequests ?? API_LIMITS.maxBatchRequests;
  if (!Number.isInteger(maxRequests) || maxRequests < 1 || maxRequests > API_LIMITS.maxBatchRequests)
    throw new BulkInputError(
      `maxBatchRequests must be an integer from 1 to ${API_LIMITS.maxBatchRequests} (got ${maxRequests})`,
      'maxBatchRequests',
    );
  if (typeof settings.runId !== 'string' || settings.runId === '')
    throw new BulkInputError('runId must be a non-empty string', 'runId');
  await loadMergeSupport(settings.base);
  const prepared = prepareBase(settings.base, maxMessageBytes);
  const overhead = batchOverhead(prepared.baseBytes);
  const maxItemBytes = maxBatchBytes - overhead;
  if (maxItemBytes <= 0)
    throw new BulkInputError(`base is ${prepared.baseBytes} bytes; it leaves no room in a batch`, 'base');

  let batchNumber = 0;
  let sequence = 0;
  let items: PackedItem[] = [];
  let firstSequence = 0;
  let bytes = overhead;
  let sendable = 0;
  // Recipients with only an address, a name and variables, in a content campaign: their JSON is
  // written directly (see buildMessage), without a message object.
  const plain =
    !prepared.templateMode && prepared.noBaseCustomVariables && settings.runId.length <= 256
      ? plainLayout(settings.runId)
      : undefined;
  const seen = settings.skipDuplicates === true ? new AddressSet() : undefined;

  const flush = (): PackedBatch => {
    const packed: PackedBatch = {
      batch: batchNumber,
      firstSequence,
      count: items.length,
      items,
      base: prepared.base,
      fingerprint: fingerprintOf(items),
    };
    batchNumber += 1;
    items = [];
    firstSequence = sequence;
    bytes = overhead;
    sendable = 0;
    return packed;
  };

  /** Adds one recipient to the batch being packed; returns the batch it completed, if any. */
  const place = (input: RecipientInput): PackedBatch | undefined => {
    const built = buildMessage(
      input,
      sequence,
      settings.runId,
      prepared,
      maxMessageBytes,
      maxItemBytes,
      plain,
    );
    const line = (input as Recipient)?.line;
    if (built.error !== undefined && line !== undefined && !built.error.startsWith('line '))
      built.error = `line ${line}: ${built.error}`;
    const email = typeof (input as Recipient)?.email === 'string' ? (input as Recipient).email : '';
    const sendableItem = built.json !== undefined || built.message !== undefined;
    const duplicate = sendableItem && seen !== undefined && !seen.add(email);
    const added = sendableItem && !duplicate ? built.bytes + (sendable > 0 ? 1 : 0) : 0;
    const full =
      items.length >= maxRequests || (added > 0 && bytes + added > maxBatchBytes) ? flush() : undefined;
    const item: PackedItem = new Item(
      sequence,
      items.length,
      email,
      built.bytes,
      duplicate ? undefined : built.json,
    );
    if (duplicate) {
      item.duplicate = true;
      item.bytes = 0;
    } else if (sendableItem) {
      if (built.json === undefined) item.message = built.message;
      bytes += built.bytes + (sendable > 0 ? 1 : 0);
      sendable += 1;
    } else {
      item.error = built.error;
    }
    items.push(item);
    sequence += 1;
    return full;
  };

  const blocks = blocksOf(recipients);
  if (blocks) {
    // A reader's chunks (readNdjsonRecipients): one asynchronous step per chunk, not per recipient.
    for await (const block of blocks)
      for (const input of block) {
        const full = place(input);
        if (full) yield full;
      }
  } else {
    // `for await` takes a sync iterable too: no wrapping generator (an async step per recipient)
    for await (const input of recipients as AsyncIterable<RecipientInput>) {
      const full = place(input);
      if (full) yield full;
    }
  }
  if (items.length > 0) yield flush();
}

/**
 * A packed recipient, created with its JSON text (a property added later would give each item a
 * separate property store) by a constructor rather than an object literal, like the readers'
 * recipients (see `ReadRecipient`): a batch's items are alive together while it waits for its
 * request, the pattern that made V8 create every object of a literal in the old generation.
 */
class Item implements PackedItem {
  constructor(
    public sequence: number,
    public offset: number,
    public email: string,
    public bytes: number,
    public json: string | undefined,
  ) {}
}

/** True when the item is to be sent: neither rejected nor a skipped duplicate. */
export function isSendable(item: PackedItem): boolean {
  return item.json !== undefined || item.message !== undefined;
}

/**
 * The batch request for some of a batch's items (default: every sendable one), in offset order, as
 * objects. `responses[i]` of the answer belongs to the i-th item given.
 */
export function buildBatchRequest(batch: PackedBatch, items?: PackedItem[]): BatchSendRequest {
  const chosen = items ?? batch.items.filter(isSendable);
  return {
    base: batch.base,
    requests: chosen.map((item) => {
      if (item.json !== undefined) return JSON.parse(item.json) as BatchMessage;
      if (!item.message)
        throw new BulkInputError(`recipient ${item.sequence} was rejected and cannot be sent`);
      return item.message;
    }),
  };
}
