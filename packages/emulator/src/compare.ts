/**
 * Two stored messages side by side, field by field: addresses, subject and bodies (with a line
 * diff where they differ), metadata, the header fields of their MIME sources and the attachments
 * (compared by content hash). Made for the inbox's Compare view, where the same message sent over
 * SMTP and through the API (or the Nodemailer transport) shows what each path changed.
 */
import { createHash } from 'node:crypto';
import { diffLines } from 'diff';
import { API_FIELD_HEADERS, attachmentSources, composeMessage, mailHeaders, visibleContent } from './mime';
import type { Address, StoredMessage } from './types';

export type ComparedGroup = 'addresses' | 'content' | 'metadata' | 'headers' | 'attachments';

export interface ComparedField {
  group: ComparedGroup;
  field: string;
  /** The value in each message; null when it has none. */
  a: string | null;
  b: string | null;
  same: boolean;
  /** Why the values differ by nature (each message has its own), when they do. */
  note?: string;
  /** For bodies that differ: their lines, kept, removed (only in A) or added (only in B). */
  diff?: Array<{ kind: 'same' | 'removed' | 'added'; text: string }>;
}

export interface ComparedMessage {
  id: string;
  via: 'api' | 'smtp';
  stream: string;
  subject: string;
  receivedAt: string;
}

export interface MessageComparison {
  a: ComparedMessage;
  b: ComparedMessage;
  fields: ComparedField[];
  /** Fields that differ, not counting those that differ by nature. */
  differences: number;
}

/** Header fields every message has its own value of. */
const OWN_VALUES: Record<string, string> = {
  'message-id': 'each message has its own',
  date: 'the time each was sent',
};

/** How a message arrived. */
export function arrivedVia(message: StoredMessage): 'api' | 'smtp' {
  return message.smtp ? 'smtp' : 'api';
}

function mailbox(address: Address): string {
  return address.name ? `${address.name} <${address.email}>` : address.email;
}

function list(addresses: Address[]): string | null {
  return addresses.length > 0 ? addresses.map(mailbox).join(', ') : null;
}

function variables(values: Record<string, string>): string | null {
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return null;
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, values[key]])));
}

/** A multipart Content-Type without its boundary, which each built message chooses itself. */
function withoutBoundary(value: string): string {
  return value.replace(/;\s*boundary="?[^";]*"?/i, '');
}

function field(
  group: ComparedGroup,
  name: string,
  a: string | null,
  b: string | null,
  same = a === b,
): ComparedField {
  return { group, field: name, a, b, same };
}

function bodyField(name: string, a: string | undefined, b: string | undefined): ComparedField {
  const compared = field('content', name, a ?? null, b ?? null);
  if (!compared.same && a !== undefined && b !== undefined) {
    compared.diff = [];
    for (const change of diffLines(a, b)) {
      const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
      for (const line of change.value.replace(/\r?\n$/, '').split(/\r?\n/))
        compared.diff.push({ kind, text: line });
    }
  }
  return compared;
}

/** What an attachment is, in one line: type, disposition, content id, size and content hash. */
function attachmentLine(meta: StoredMessage['attachments'][number], content: Buffer | undefined): string {
  const parts = [meta.type ?? 'application/octet-stream', meta.disposition];
  if (meta.content_id) parts.push(`cid ${meta.content_id}`);
  parts.push(`${meta.size} bytes`);
  if (content) parts.push(`sha256 ${createHash('sha256').update(content).digest('hex').slice(0, 16)}`);
  return parts.join(', ');
}

/** Attachments by file name (a repeated name gets ' #2', ' #3', …), in their order. */
function attachmentsByName(message: StoredMessage): Map<string, string> {
  const sources = attachmentSources(message);
  const byName = new Map<string, string>();
  message.attachments.forEach((meta, index) => {
    let name = meta.filename;
    for (let count = 2; byName.has(name); count++) name = `${meta.filename} #${count}`;
    byName.set(name, attachmentLine(meta, sources[index]?.content));
  });
  return byName;
}

function summary(message: StoredMessage): ComparedMessage {
  return {
    id: message.id,
    via: arrivedVia(message),
    stream: message.stream,
    subject: visibleContent(message).subject,
    receivedAt: message.receivedAt,
  };
}

export async function compareMessages(a: StoredMessage, b: StoredMessage): Promise<MessageComparison> {
  const contentA = visibleContent(a);
  const contentB = visibleContent(b);
  const fields: ComparedField[] = [
    field('addresses', 'From', mailbox(a.from), mailbox(b.from)),
    field('addresses', 'To', list(a.to), list(b.to)),
    field('addresses', 'Cc', list(a.cc), list(b.cc)),
    field('addresses', 'Bcc', list(a.bcc), list(b.bcc)),
    field(
      'addresses',
      'Reply-To',
      a.reply_to ? mailbox(a.reply_to) : null,
      b.reply_to ? mailbox(b.reply_to) : null,
    ),
    field('content', 'Subject', contentA.subject, contentB.subject),
    bodyField('Text', contentA.text, contentB.text),
    bodyField('HTML', contentA.html, contentB.html),
    field('metadata', 'Stream', a.stream, b.stream),
    field('metadata', 'Category', a.category ?? null, b.category ?? null),
    field('metadata', 'Custom variables', variables(a.custom_variables), variables(b.custom_variables)),
    field('metadata', 'Template', a.template_uuid ?? null, b.template_uuid ?? null),
  ];
  const via = field('metadata', 'Arrived via', arrivedVia(a), arrivedVia(b));
  if (!via.same) via.note = 'how each arrived';
  fields.push(via);

  const headersA = mailHeaders(await composeMessage(a));
  const headersB = mailHeaders(await composeMessage(b));
  // the API's own fields are compared above, as addresses, subject or metadata
  const names = [...new Set([...Object.keys(headersA), ...Object.keys(headersB)])].filter(
    (name) => !API_FIELD_HEADERS.has(name),
  );
  for (const name of names) {
    const valueA = headersA[name] ?? null;
    const valueB = headersB[name] ?? null;
    const same =
      name === 'content-type' && valueA !== null && valueB !== null
        ? withoutBoundary(valueA) === withoutBoundary(valueB)
        : valueA === valueB;
    const compared = field('headers', name, valueA, valueB, same);
    if (!same && valueA !== null && valueB !== null && OWN_VALUES[name]) compared.note = OWN_VALUES[name];
    fields.push(compared);
  }

  const attachmentsA = attachmentsByName(a);
  const attachmentsB = attachmentsByName(b);
  for (const name of new Set([...attachmentsA.keys(), ...attachmentsB.keys()])) {
    fields.push(field('attachments', name, attachmentsA.get(name) ?? null, attachmentsB.get(name) ?? null));
  }

  const differences = fields.filter((compared) => !compared.same && !compared.note).length;
  return { a: summary(a), b: summary(b), fields, differences };
}
