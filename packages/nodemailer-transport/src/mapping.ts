import { stat } from 'node:fs/promises';
import {
  type Address,
  type Attachment,
  MailtrapValidationError,
  type SendMail,
  validateSendMail,
} from '@mailtrap-kit/core';
import { checkAddressOptions, simpleAddresses } from './addresses';
import { mimeFuncs, sharedHelpers } from './nodemailer-internals';
import { UNSENT_BOUNDARY, UNSENT_MESSAGE_ID } from './unsent-parts';

/** The parts of Nodemailer's compiled MIME root node this transport reads. */
export interface NodemailerMimeNode {
  getAddresses(): Record<string, Array<{ address: string; name?: string }>>;
  getEnvelope(): { from: string | false; to: string[] };
  messageId(): string;
  encodeHeaderValue?(key: string, value: unknown): string;
  _encodeHeaderValue?(key: string, value: unknown): string;
  _headers?: Array<{ key: string; value: unknown }>;
}

/**
 * The `MailMessage` Nodemailer hands to a transport's `send(mail, callback)`. Typed loosely so
 * that the MailMessage types of Nodemailer 10 and of @types/nodemailer (9) both fit.
 */
export interface NodemailerMailMessage {
  data: any;
  message: any;
  resolveContent(...args: any[]): any;
}

interface MailMessageView {
  data: Record<string, any>;
  message: NodemailerMimeNode;
  resolveContent(data: object, key: string | number): Promise<string | Buffer>;
}

export interface MapMessageOptions {
  /** Message options to ignore instead of refusing them. */
  ignoreOptions?: ReadonlySet<string>;
  /**
   * Options a Nodemailer plugin read before the transport ran: taken as the plugin's, so an
   * unknown one among them is not refused (options the API cannot send still are).
   */
  pluginOptions?: ReadonlySet<string>;
  /**
   * Run core's `validateSendMail` on the result and measure it (`size`). The transport does so
   * for messages that join a batch (so one invalid message fails alone, and the batch is sent
   * without a second check); `client.send` validates single sends itself.
   */
  validate?: boolean;
  /** The per-message size limit of the validation. Default core's `LIMITS.maxMessageBytes`. */
  maxMessageBytes?: number;
  /** The sender of a message that has no `from` (the transport's `from` setting). */
  defaultFrom?: Address;
}

/** The result of mapping one Nodemailer message. */
export interface MappedMessage {
  payload: SendMail;
  /** Recipient addresses in To, Cc, Bcc order (aligned with the API's message ids). */
  recipients: string[];
  envelope: { from: string | false; to: string[] };
  /** True when an attachment is read from a file or stream while the request is sent. */
  streamed: boolean;
  /** Bytes of the message's JSON (attachments base64-encoded), when it was validated. */
  size?: number;
}

// Every option Nodemailer's sendMail knows, and what happens to it.
// 'mapped': turned into an API field; 'nodemailer': handled by Nodemailer before the transport
// runs (defaults, plugins, limits) or only decides how content is read; 'refused': the API
// cannot do it, so a message that sets it fails with an error that names the option and why.
const refusedOptions: Record<string, string> = {
  sender:
    'the Mailtrap API has no Sender field: the message is sent with `from` as the sender (a `sender` equal to `from` is accepted)',
  envelope:
    'the Mailtrap API has no SMTP envelope: the envelope is always `from` and the To/Cc/Bcc recipients (an envelope equal to that is accepted)',
  raw: 'the Mailtrap API takes message fields, not a prebuilt MIME message; send it with an SMTP transport',
  amp: 'the Mailtrap API has no AMP (text/x-amp-html) part',
  watchHtml: 'the Mailtrap API has no Apple Watch (text/watch-html) part',
  alternatives: 'the Mailtrap API takes exactly one `text` and one `html` part; use those options instead',
  dkim: 'Mailtrap signs mail with the DKIM keys of your verified sending domain; messages cannot carry their own keys',
  _dkim:
    'Mailtrap signs mail with the DKIM keys of your verified sending domain; messages cannot carry their own keys',
  encoding:
    'the Mailtrap API chooses the transfer encoding of text parts (quoted-printable); add "encoding" to `ignoreOptions` to accept that',
  textEncoding:
    'the Mailtrap API chooses the transfer encoding of text parts (quoted-printable); add "textEncoding" to `ignoreOptions` to accept that',
  newline:
    'the Mailtrap API builds the MIME message and its line breaks; add "newline" to `ignoreOptions` to accept that',
  boundaryPrefix:
    'the Mailtrap API builds the MIME message and its boundaries; add "boundaryPrefix" to `ignoreOptions` to accept that',
  baseBoundary:
    'the Mailtrap API builds the MIME message and its boundaries; add "baseBoundary" to `ignoreOptions` to accept that',
  dsn: 'delivery status notifications are an SMTP extension the Mailtrap API does not offer',
  requireTLSExtensionEnabled: 'REQUIRETLS is an SMTP extension the Mailtrap API does not offer',
  auth: 'per-message SMTP credentials do not apply: the transport authenticates with its API token',
  ses: 'these are Amazon SES parameters',
};

const handledOptions = new Set([
  // addresses and content
  'from',
  'to',
  'cc',
  'bcc',
  'replyTo',
  'subject',
  'text',
  'html',
  'icalEvent',
  'attachments',
  // headers (read from the message Nodemailer compiled)
  'headers',
  'list',
  'inReplyTo',
  'references',
  'messageId',
  'date',
  'priority',
  'xMailer',
  // handled by Nodemailer or by this transport's send loop
  'attachDataUrls',
  'disableFileAccess',
  'disableUrlAccess',
  'normalizeHeaderKey',
  'maxRecipients',
  'signal',
  // Mailtrap's own
  'category',
  'customVariables',
  'custom_variables',
  'templateUuid',
  'template_uuid',
  'templateVariables',
  'template_variables',
]);

/** Header fields the API fills from its own fields or decides itself. */
const fieldHeaders = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject']);
const mimeHeaders = new Set([
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'x-attachment-id',
  'mime-version',
]);
// Message-ID is always present after Nodemailer compiled the message; it is sent only when the
// caller set it. Date likewise only when set.
const encodedHeaders = new Set(['message-id', 'in-reply-to', 'references', 'date']);

function refuse(field: string, why: string): MailtrapValidationError {
  return new MailtrapValidationError(`Nodemailer option \`${field}\` cannot be sent: ${why}.`, { field });
}

function contentError(field: string, cause: unknown): MailtrapValidationError {
  const code = (cause as { code?: string } | null)?.code;
  const reason =
    code === 'EFILEACCESS'
      ? 'file access is disabled (disableFileAccess)'
      : code === 'EURLACCESS'
        ? 'URL access is disabled (disableUrlAccess)'
        : (cause as Error)?.message || String(cause);
  return new MailtrapValidationError(`Could not read the content of \`${field}\`: ${reason}.`, {
    field,
    cause,
  });
}

function toAddress(parsed: { address: string; name?: string }): Address {
  return parsed.name ? { email: parsed.address, name: parsed.name } : { email: parsed.address };
}

function isStream(value: unknown): value is NodeJS.ReadableStream {
  return (
    typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function'
  );
}

function isUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\//i.test(value);
}

function isDataUrl(value: unknown): value is string {
  return typeof value === 'string' && /^data:/i.test(value);
}

function sameAddress(a: string | false | undefined, b: string | false | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/**
 * Reads `text`/`html` in every form Nodemailer accepts (string, Buffer, stream, `{ path }`,
 * `{ href }`, `{ content, encoding }`) with Nodemailer's own resolver, which honours
 * disableFileAccess and disableUrlAccess.
 */
async function resolveBody(mail: MailMessageView, key: 'text' | 'html'): Promise<string | undefined> {
  const value = mail.data[key];
  if (value === undefined || value === null || value === false || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && !isStream(value)) {
    if (value.raw) throw refuse(`${key}.raw`, 'a prebuilt MIME part cannot be sent through the API');
  }
  let resolved: string | Buffer;
  try {
    resolved = await mail.resolveContent(mail.data, key);
  } catch (error) {
    throw contentError(key, error);
  }
  if (resolved === undefined || resolved === null) return undefined;
  return typeof resolved === 'string' ? resolved : Buffer.from(resolved).toString('utf8');
}

function headerText(value: unknown): string {
  return String(value ?? '').replace(/\r?\n|\r/g, ' ');
}

function userHeaderKeys(headers: unknown): string[] {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers.map((entry) => String(entry?.key ?? ''));
  return Object.keys(headers as object);
}

/**
 * Builds the API's `headers` from the header list Nodemailer compiled, so custom headers,
 * `list`, `priority`, `inReplyTo`, `references`, `messageId`, `date`, `xMailer` and `otp` come
 * out with the keys and values Nodemailer itself would write.
 */
function mapHeaders(mail: MailMessageView): Record<string, string> | undefined {
  const data = mail.data;
  for (const key of userHeaderKeys(data.headers)) {
    const lower = key.toLowerCase().trim();
    if (mimeHeaders.has(lower)) {
      throw refuse(
        `headers.${key}`,
        'the Mailtrap API builds the MIME structure and sets this header itself',
      );
    }
  }
  const message = mail.message;
  const list = message._headers;
  if (!Array.isArray(list)) {
    throw new MailtrapValidationError(
      'This Nodemailer version does not expose the compiled headers the transport reads; use Nodemailer 9 or 10.',
      { field: 'headers' },
    );
  }
  const userMessageId =
    (!!data.messageId && data.messageId !== UNSENT_MESSAGE_ID) ||
    userHeaderKeys(data.headers).some((key) => key.toLowerCase().trim() === 'message-id');
  const encode = (message.encodeHeaderValue ?? message._encodeHeaderValue) as (
    key: string,
    value: unknown,
  ) => string;
  let result: Record<string, string> | undefined;
  for (const header of list) {
    const key = header.key;
    const lower = key.toLowerCase();
    if (fieldHeaders.has(lower) || mimeHeaders.has(lower)) continue;
    if (lower === 'message-id' && !userMessageId) continue;
    let value = header.value;
    let text: string;
    if (value && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) {
      const prepared = value as { prepared?: boolean; value?: unknown };
      value = prepared.value;
      if (prepared.prepared) {
        text = headerText(value);
        if (!text.trim()) continue;
        result = addHeader(result, key, text);
        continue;
      }
    }
    if (encodedHeaders.has(lower)) {
      text = encode.call(message, key, value);
    } else {
      text = headerText(Array.isArray(value) ? value.join(', ') : value);
    }
    if (!text.trim()) continue;
    result = addHeader(result, key, text);
  }
  return result;
}

function addHeader(
  result: Record<string, string> | undefined,
  key: string,
  value: string,
): Record<string, string> {
  const headers = result ?? {};
  const existing = Object.keys(headers).find((name) => name.toLowerCase() === key.toLowerCase());
  if (existing === undefined) {
    headers[key] = value;
    return headers;
  }
  if (/^list-/i.test(key)) {
    // RFC 2369: a List-* field carries a comma-separated list of URLs, so several values are one field.
    headers[existing] = `${headers[existing]}, ${value}`;
    return headers;
  }
  throw refuse(
    `headers.${key}`,
    'the header is set more than once, and the Mailtrap API carries one value per header name (join the values yourself if the header allows a list)',
  );
}

function mapOneAddress(
  list: Array<{ address: string; name?: string }> | undefined,
  field: string,
  why: string,
): Address | undefined {
  if (!list || list.length === 0) return undefined;
  if (list.length > 1) {
    throw refuse(
      field,
      `it holds ${list.length} addresses (${list.map((entry) => entry.address).join(', ')}) and ${why}`,
    );
  }
  return toAddress(list[0]!);
}

interface AttachmentSource {
  filename?: string | false;
  content?: unknown;
  path?: string | false;
  href?: string | false;
  httpHeaders?: Record<string, string>;
  contentType?: string;
  contentDisposition?: string;
  cid?: string;
  encoding?: string;
  headers?: unknown;
  raw?: unknown;
  contentTransferEncoding?: unknown;
}

async function mapAttachment(
  mail: MailMessageView,
  source: AttachmentSource,
  index: number,
  field: string,
): Promise<{ attachment: Attachment; streamed: boolean }> {
  if (!source || typeof source !== 'object') {
    throw new MailtrapValidationError(`\`${field}\` must be an object.`, { field });
  }
  if (source.raw) throw refuse(`${field}.raw`, 'a prebuilt MIME part cannot be sent through the API');
  if (source.headers && userHeaderKeys(source.headers).length > 0) {
    throw refuse(`${field}.headers`, 'the Mailtrap API has no per-attachment headers');
  }
  const transferEncoding = source.contentTransferEncoding;
  if (
    transferEncoding !== undefined &&
    transferEncoding !== null &&
    String(transferEncoding).toLowerCase() !== 'base64'
  ) {
    throw refuse(
      `${field}.contentTransferEncoding`,
      `the Mailtrap API sends every attachment base64-encoded, not as ${JSON.stringify(transferEncoding)}`,
    );
  }
  if (source.filename === false) {
    throw refuse(`${field}.filename`, 'the Mailtrap API requires a file name for every attachment');
  }
  let path = source.path || undefined;
  let href = source.href || undefined;
  let content = source.content;
  // Content given as a { path } / { href } object, as MimeNode accepts it.
  if (content && typeof content === 'object' && !isStream(content) && !(content instanceof Uint8Array)) {
    const inner = content as { path?: string; href?: string };
    path = path ?? inner.path;
    href = href ?? inner.href;
    content = undefined;
  }
  let contentType = source.contentType;
  let data: string | Uint8Array | undefined;
  let stream: NodeJS.ReadableStream | undefined;
  let filePath: string | undefined;
  const location = path ?? href;
  if (isDataUrl(location)) {
    const parsed = sharedHelpers.parseDataURI(location);
    data = parsed?.data ?? Buffer.alloc(0);
    contentType = contentType || parsed?.contentType;
    path = undefined;
    href = undefined;
  } else if (href || isUrl(path)) {
    const url = (href || path) as string;
    try {
      data = (await mail.resolveContent(
        { value: { href: url, httpHeaders: source.httpHeaders } },
        'value',
      )) as Buffer | string;
    } catch (error) {
      throw contentError(`${field}.${href ? 'href' : 'path'}`, error);
    }
    if (typeof data === 'string') data = Buffer.from(data, 'utf8');
  } else if (path) {
    if (mail.data.disableFileAccess) {
      throw contentError(
        `${field}.path`,
        Object.assign(new Error('File access rejected'), { code: 'EFILEACCESS' }),
      );
    }
    // Checked here so a missing file fails with the attachment's name before anything is sent.
    try {
      const info = await stat(path);
      if (!info.isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: 'ENOTFILE' });
    } catch (error) {
      throw contentError(`${field}.path`, error);
    }
    filePath = path;
  } else if (isStream(content)) {
    stream = content;
  } else if (content instanceof Uint8Array) {
    data = content;
  } else if (typeof content === 'string') {
    let encoding = (source.encoding || 'utf8').toLowerCase().replace(/[-_\s]/g, '');
    if (encoding === 'usascii' || encoding === 'ascii') encoding = 'utf8'; // text, as Nodemailer reads it
    if (encoding !== 'base64' && !Buffer.isEncoding(encoding)) {
      throw new MailtrapValidationError(
        `\`${field}.encoding\` "${source.encoding}" is not an encoding Node.js knows (use e.g. "base64", "hex", "utf-8").`,
        { field: `${field}.encoding` },
      );
    }
    // Base64 content is passed on as it is; any other string is text in its encoding (utf-8 by
    // default) and becomes bytes, which core base64-encodes.
    data =
      encoding === 'base64' ? content.replace(/\s+/g, '') : Buffer.from(content, encoding as BufferEncoding);
  } else if (content === undefined || content === null || content === '') {
    data = '';
  } else {
    throw new MailtrapValidationError(
      `\`${field}.content\` must be a string, a Buffer, a stream or a { path } / { href } object.`,
      { field: `${field}.content` },
    );
  }

  // File name and type as Nodemailer's composer and MailMessage infer them.
  let filename = source.filename || undefined;
  if (!filename) {
    filename = (path || href || '').split(/[/\\]/).pop()!.split('?').shift() || `attachment-${index + 1}`;
    if (!filename.includes('.')) filename += `.${mimeFuncs.detectExtension(contentType)}`;
  }
  const type = contentType || mimeFuncs.detectMimeType(filename || path || href || 'bin');
  const isImage = /^image\//i.test(type);
  const isMessage = /^message\//i.test(type);
  const disposition = (
    source.contentDisposition || (isMessage || (isImage && source.cid) ? 'inline' : 'attachment')
  ).toLowerCase();
  if (disposition !== 'inline' && disposition !== 'attachment') {
    throw refuse(
      `${field}.contentDisposition`,
      `the Mailtrap API takes "inline" or "attachment", not "${source.contentDisposition}"`,
    );
  }
  const attachment: Attachment = { filename, type, disposition };
  if (source.cid) attachment.content_id = source.cid;
  if (filePath !== undefined) attachment.path = filePath;
  else if (stream !== undefined) attachment.stream = stream;
  else attachment.content = data ?? '';
  return { attachment, streamed: filePath !== undefined || stream !== undefined };
}

/** The iCalendar event goes out as a `text/calendar` attachment with its METHOD. */
async function mapIcalEvent(mail: MailMessageView): Promise<Attachment> {
  const event = mail.data.icalEvent;
  const isObject = event && typeof event === 'object' && !Buffer.isBuffer(event) && !isStream(event);
  const method = String((isObject && event.method) || 'PUBLISH')
    .trim()
    .toUpperCase();
  const filename = (isObject && event.filename) || 'invite.ics';
  if (isObject && event.raw)
    throw refuse('icalEvent.raw', 'a prebuilt MIME part cannot be sent through the API');
  let content: string | Buffer;
  try {
    const location = isObject ? event.path || event.href : undefined;
    if (isDataUrl(location)) {
      content = sharedHelpers.parseDataURI(location)?.data ?? Buffer.alloc(0);
    } else if (isObject && (event.path || event.href)) {
      const holder = {
        value: event.href || isUrl(event.path) ? { href: event.href || event.path } : { path: event.path },
      };
      content = await mail.resolveContent(holder, 'value');
    } else {
      content = await mail.resolveContent(mail.data, 'icalEvent');
    }
  } catch (error) {
    throw contentError('icalEvent', error);
  }
  return {
    filename,
    type: `text/calendar; charset=utf-8; method=${method}`,
    disposition: 'attachment',
    content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
  };
}

function pickSpelling<T>(data: Record<string, any>, camel: string, snake: string): T | undefined {
  const a = data[camel];
  const b = data[snake];
  if (a !== undefined && b !== undefined && a !== b) {
    throw new MailtrapValidationError(
      `Both \`${camel}\` and \`${snake}\` are set to different values; set only one of them.`,
      { field: camel },
    );
  }
  return (a ?? b) as T | undefined;
}

/**
 * Maps the message Nodemailer compiled into the API's send request, or throws a
 * `MailtrapValidationError` naming the first option that cannot be sent faithfully.
 */
export async function mapMessage(
  message: NodemailerMailMessage,
  options: MapMessageOptions = {},
): Promise<MappedMessage> {
  const ignoreOptions = options.ignoreOptions;
  const mail = message as MailMessageView;
  const data = mail.data;
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (value === undefined || value === null || handledOptions.has(key) || ignoreOptions?.has(key)) continue;
    if (options.pluginOptions?.has(key) && refusedOptions[key] === undefined && key !== 'otp') continue;
    if (key === 'otp') {
      // Nodemailer 10 writes it as the OTP-Token header; older versions ignore it.
      if (mail.message._headers?.some((header) => header.key.toLowerCase() === 'otp-token')) continue;
      throw refuse('otp', 'this Nodemailer version does not write the OTP-Token header (Nodemailer 10 does)');
    }
    if (key === 'baseBoundary' && value === UNSENT_BOUNDARY) continue;
    const why = refusedOptions[key];
    if (why !== undefined) {
      if (value === false || value === '' || (Array.isArray(value) && value.length === 0)) continue;
      if (key !== 'sender' && key !== 'envelope') throw refuse(key, why);
      continue; // sender and envelope are compared with the addresses below
    }
    throw new MailtrapValidationError(
      `Unknown Nodemailer message option \`${key}\`: it has no Mailtrap API field, and no Nodemailer plugin read it. Remove it, or list it in the transport's \`ignoreOptions\` if something else uses it.`,
      { field: key },
    );
  }

  const compiled = mail.message;
  let addresses = simpleAddresses(data);
  if (addresses === undefined) {
    checkAddressOptions(data);
    addresses = compiled.getAddresses();
  }
  const from =
    mapOneAddress(addresses.from, 'from', 'the Mailtrap API takes exactly one sender') ?? options.defaultFrom;
  const payload: SendMail = { from: from as Address };
  const recipients: string[] = [];
  for (const field of ['to', 'cc', 'bcc'] as const) {
    const list = addresses[field];
    if (list && list.length > 0) {
      payload[field] = list.map(toAddress);
      for (const entry of list) recipients.push(entry.address);
    }
  }
  const replyTo = mapOneAddress(
    addresses['reply-to'],
    'replyTo',
    'the Mailtrap API takes exactly one reply-to address (reply_to is a single object)',
  );
  if (replyTo) payload.reply_to = replyTo;

  if (data.sender && !ignoreOptions?.has('sender')) {
    const sender = addresses.sender?.[0]?.address;
    if (sender && !sameAddress(sender, from?.email)) throw refuse('sender', refusedOptions.sender!);
  }
  // Nodemailer recomputes the envelope on every getEnvelope() call unless one was set, so the
  // usual case derives it from the addresses already parsed (the same result: the sender and the
  // recipients without duplicates).
  const envelope = data.envelope
    ? compiled.getEnvelope()
    : { from: from?.email ?? (false as const), to: [...new Set(recipients)] };
  if (data.envelope && !ignoreOptions?.has('envelope')) {
    const expected = new Set(recipients.map((address) => address.toLowerCase()));
    const given = new Set(envelope.to.map((address) => address.toLowerCase()));
    const same =
      (!envelope.from || sameAddress(envelope.from, from?.email)) &&
      expected.size === given.size &&
      [...given].every((address) => expected.has(address));
    if (!same) throw refuse('envelope', refusedOptions.envelope!);
  }

  if (data.subject !== undefined && data.subject !== null && data.subject !== '') {
    payload.subject = String(data.subject);
  }
  // Plain strings (the common case) skip the resolver and its extra turn of the event loop.
  const text = typeof data.text === 'string' ? data.text || undefined : await resolveBody(mail, 'text');
  if (text !== undefined) payload.text = text;
  const html = typeof data.html === 'string' ? data.html || undefined : await resolveBody(mail, 'html');
  if (html !== undefined) payload.html = html;

  let streamed = false;
  const sources = data.attachments ? ([] as AttachmentSource[]).concat(data.attachments) : [];
  if (sources.length > 0 || data.icalEvent) {
    const attachments: Attachment[] = [];
    for (let index = 0; index < sources.length; index++) {
      const mapped = await mapAttachment(mail, sources[index]!, index, `attachments[${index}]`);
      streamed ||= mapped.streamed;
      attachments.push(mapped.attachment);
    }
    if (data.icalEvent) attachments.push(await mapIcalEvent(mail));
    payload.attachments = attachments;
  }

  const headers = mapHeaders(mail);
  if (headers) payload.headers = headers;

  const customVariables = pickSpelling<Record<string, string>>(data, 'customVariables', 'custom_variables');
  if (customVariables !== undefined) payload.custom_variables = customVariables;
  if (data.category !== undefined && data.category !== null) payload.category = data.category;
  const templateUuid = pickSpelling<string>(data, 'templateUuid', 'template_uuid');
  if (templateUuid !== undefined) payload.template_uuid = templateUuid;
  const templateVariables = pickSpelling<Record<string, unknown>>(
    data,
    'templateVariables',
    'template_variables',
  );
  if (templateVariables !== undefined) payload.template_variables = templateVariables;

  if (!from) {
    throw new MailtrapValidationError(
      'Nodemailer option `from` is required: the Mailtrap API needs a sender.',
      {
        field: 'from',
      },
    );
  }
  if (!options.validate) return { payload, recipients, envelope, streamed };
  const size = validateSendMail(payload, { maxMessageBytes: options.maxMessageBytes });
  return { payload, recipients, envelope, streamed, size };
}
