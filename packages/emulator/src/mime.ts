/**
 * The RFC 822 form of a stored message (for a message received over SMTP, the bytes received),
 * built with Nodemailer's own composer from what the API received: the same addresses, subject, bodies (the rendered ones for a template send), custom
 * headers and attachments. The build is deterministic — Message-ID, Date and the multipart
 * boundaries derive from the message — so `.eml`, `body.raw` and the headers agree across calls.
 */
import { createHash } from 'node:crypto';
import libmime from 'libmime';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Address, StoredMessage } from './types';

/**
 * Header fields that the API carries as its own fields (addresses, subject, and the X-MT ones:
 * `category` and `custom_variables`) rather than in `headers`.
 */
export const API_FIELD_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'x-mt-category',
  'x-mt-custom-variables',
]);

/** One attachment as the API received it (content in base64). */
export interface AttachmentSource {
  filename: string;
  type?: string;
  disposition: 'inline' | 'attachment';
  content_id?: string;
  /** The decoded content. */
  content: Buffer;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The attachments of a message with their content, read from the request that produced it: a
 * send's `attachments`, or a batch item's (a batch item's own list replaces the base's, as the
 * item's fields win over `base`).
 */
export function attachmentSources(message: StoredMessage): AttachmentSource[] {
  const raw = isPlainObject(message.raw) ? message.raw : {};
  const item = isPlainObject(raw.request) ? raw.request : raw;
  const base = isPlainObject(raw.base) ? raw.base : undefined;
  const list = Array.isArray(item.attachments)
    ? item.attachments
    : Array.isArray(base?.attachments)
      ? base.attachments
      : [];
  return list.filter(isPlainObject).map((attachment, index) => ({
    filename: typeof attachment.filename === 'string' ? attachment.filename : `attachment-${index + 1}`,
    type: typeof attachment.type === 'string' ? attachment.type : undefined,
    disposition: attachment.disposition === 'inline' ? 'inline' : 'attachment',
    content_id: typeof attachment.content_id === 'string' ? attachment.content_id : undefined,
    content: Buffer.from(typeof attachment.content === 'string' ? attachment.content : '', 'base64'),
  }));
}

/** The subject and bodies the recipient sees: the template's output for a template send. */
export function visibleContent(message: StoredMessage): { subject: string; text?: string; html?: string } {
  if (message.rendered) return message.rendered;
  return { subject: message.subject ?? '', text: message.text, html: message.html };
}

function mailbox(address: Address): { name: string; address: string } {
  return { name: address.name ?? '', address: address.email };
}

/** The host name of the generated Message-ID. */
const MESSAGE_ID_HOST = 'emulator.mailtrap-kit.test';

/**
 * The MIME source of a message: for one received over SMTP, the bytes received; otherwise built
 * here. Bcc is kept as a header, as the sandbox shows it; no file or URL is ever read
 * (attachments are the bytes the API received).
 */
export async function composeMessage(message: StoredMessage): Promise<Buffer> {
  if (message.source) return message.source;
  const content = visibleContent(message);
  const composer = new MailComposer({
    from: mailbox(message.from),
    to: message.to.map(mailbox),
    cc: message.cc.length > 0 ? message.cc.map(mailbox) : undefined,
    bcc: message.bcc.length > 0 ? message.bcc.map(mailbox) : undefined,
    replyTo: message.reply_to ? mailbox(message.reply_to) : undefined,
    subject: content.subject,
    text: content.text,
    html: content.html,
    headers: message.headers,
    attachments: attachmentSources(message).map((attachment) => ({
      filename: attachment.filename,
      content: attachment.content,
      contentType: attachment.type,
      contentDisposition: attachment.disposition,
      cid: attachment.content_id,
    })),
    messageId: `<${message.id}@${MESSAGE_ID_HOST}>`,
    date: new Date(message.receivedAt),
    baseBoundary: createHash('sha256').update(message.id).digest('hex').slice(0, 16),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  return node.build();
}

/**
 * The header section of a MIME source as `{ name: value }`: names in lower case, folded lines
 * joined, encoded words decoded; a repeated header keeps its values joined with ', '.
 */
export function mailHeaders(source: Buffer | string): Record<string, string> {
  const text = typeof source === 'string' ? source : source.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const section = end < 0 ? text : text.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of section.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = libmime.decodeWords(line.slice(colon + 1).trim());
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}
