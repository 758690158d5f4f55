/**
 * A message received over SMTP, read into the sending API's body (`from`, `to`, `subject`,
 * `text`, `html`, `attachments`, `headers`, `category`, `custom_variables`), so that it goes
 * through the same checks and the same store as a POST /api/send. mailparser reads the MIME
 * structure; the recipients are the SMTP envelope's, placed in To, Cc or Bcc by the headers.
 */
import libmime from 'libmime';
import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';
import { API_FIELD_HEADERS } from '../mime';
import type { Address, SmtpEnvelope } from '../types';

/** The parsed message as a send body, or why it cannot be one. */
export type SmtpSendBody = { body: Record<string, unknown> } | { error: string };

/** Header fields that the API's own fields carry, or that describe the MIME structure. */
const FIELD_HEADERS = new Set([
  ...API_FIELD_HEADERS,
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'mime-version',
]);

function flatten(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  if (!value) return [];
  const out: EmailAddress[] = [];
  for (const object of Array.isArray(value) ? value : [value]) {
    for (const entry of object.value) {
      if (entry.group) out.push(...entry.group);
      else out.push(entry);
    }
  }
  return out.filter((entry) => !!entry.address);
}

function address(entry: EmailAddress): Address {
  return entry.name ? { email: entry.address!, name: entry.name } : { email: entry.address! };
}

/**
 * Splits the envelope's recipients into To, Cc and Bcc: a recipient named in the To (or Cc)
 * header is a To (Cc) recipient with that header's display name, any other one is Bcc. Header
 * addresses that are not envelope recipients receive nothing, so they are no recipients here
 * either (they stay in the MIME source).
 */
function recipients(
  rcptTo: string[],
  toHeader: EmailAddress[],
  ccHeader: EmailAddress[],
): { to: Address[]; cc: Address[]; bcc: Address[] } {
  const envelope = new Map<string, string>();
  for (const recipient of rcptTo) {
    const key = recipient.toLowerCase();
    if (!envelope.has(key)) envelope.set(key, recipient);
  }
  const take = (list: EmailAddress[]): Address[] => {
    const taken: Address[] = [];
    for (const entry of list) {
      const key = entry.address!.toLowerCase();
      if (!envelope.has(key)) continue;
      envelope.delete(key);
      taken.push(address(entry));
    }
    return taken;
  };
  const to = take(toHeader);
  const cc = take(ccHeader);
  const bcc = [...envelope.values()].map((email) => ({ email }));
  return { to, cc, bcc };
}

/**
 * The custom header fields, in their order and spelling, values unfolded and decoded; a field
 * given more than once keeps its values joined with ', '.
 */
function customHeaders(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const { key, line } of lines) {
    if (FIELD_HEADERS.has(key)) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const value = fieldValue(line, colon);
    const name = names.get(key);
    if (name === undefined) {
      const spelled = line.slice(0, colon).trim();
      names.set(key, spelled);
      headers[spelled] = value;
    } else headers[name] = `${headers[name]}, ${value}`;
  }
  return headers;
}

/** The value of a header field as one decoded, unfolded string (the first one given). */
function headerValue(lines: ReadonlyArray<{ key: string; line: string }>, name: string): string | undefined {
  const found = lines.find((entry) => entry.key === name);
  if (!found) return undefined;
  return fieldValue(found.line, found.line.indexOf(':'));
}

/** The value of a raw header line (`Name: value`, maybe folded): unfolded, encoded words decoded. */
function fieldValue(line: string, colon: number): string {
  return libmime.decodeWords(
    line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim(),
  );
}

/**
 * Reads received MIME bytes into a send body. `X-MT-Category` becomes `category` and
 * `X-MT-Custom-Variables` (a JSON object) `custom_variables`, as on Mailtrap.
 */
export async function sendBodyOf(source: Buffer, envelope: SmtpEnvelope): Promise<SmtpSendBody> {
  const parsed = await simpleParser(source, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const lines = parsed.headerLines;
  const body: Record<string, unknown> = {};
  const from = flatten(parsed.from)[0];
  if (from) body.from = address(from);
  const { to, cc, bcc } = recipients(envelope.rcptTo, flatten(parsed.to), flatten(parsed.cc));
  if (to.length > 0) body.to = to;
  if (cc.length > 0) body.cc = cc;
  if (bcc.length > 0) body.bcc = bcc;
  const replyTo = flatten(parsed.replyTo)[0];
  if (replyTo) body.reply_to = address(replyTo);
  if (parsed.subject !== undefined) body.subject = parsed.subject;
  if (typeof parsed.text === 'string' && parsed.text !== '') body.text = parsed.text;
  if (typeof parsed.html === 'string' && parsed.html !== '') body.html = parsed.html;
  if (parsed.attachments.length > 0) {
    body.attachments = parsed.attachments.map((attachment, index) => {
      const item: Record<string, unknown> = {
        content: attachment.content.toString('base64'),
        filename: attachment.filename || `attachment-${index + 1}`,
        type: attachment.contentType,
        disposition: attachment.contentDisposition === 'inline' ? 'inline' : 'attachment',
      };
      if (attachment.cid) item.content_id = attachment.cid;
      return item;
    });
  }
  const headers = customHeaders(lines);
  if (Object.keys(headers).length > 0) body.headers = headers;
  const category = headerValue(lines, 'x-mt-category');
  if (category !== undefined) body.category = category;
  const variables = headerValue(lines, 'x-mt-custom-variables');
  if (variables !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(variables);
    } catch {
      return { error: 'X-MT-Custom-Variables must be a JSON object: it is not valid JSON' };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { error: 'X-MT-Custom-Variables must be a JSON object' };
    body.custom_variables = value;
  }
  // a fresh copy: the parser's strings are slices of its own larger ones (the header block, the
  // decoded parts), which a kept message would otherwise hold alive; parsed JSON is what the API
  // path keeps too
  return { body: JSON.parse(JSON.stringify(body)) };
}
