// Stored messages for unit tests, shaped as the sending routes store them.
import { randomUUID } from 'node:crypto';
import type { StoredMessage } from './types';

/** A sandbox message as a send to sandbox `sandboxId` stores it; `overrides` replace fields. */
export function storedMessage(
  body: Record<string, unknown>,
  overrides: Partial<StoredMessage> = {},
): StoredMessage {
  const to = (body.to as StoredMessage['to'] | undefined) ?? [];
  const cc = (body.cc as StoredMessage['cc'] | undefined) ?? [];
  const bcc = (body.bcc as StoredMessage['bcc'] | undefined) ?? [];
  const ids = [...to, ...cc, ...bcc].map(() => randomUUID());
  const attachments = (body.attachments as Array<Record<string, string>> | undefined) ?? [];
  return {
    id: ids[0] ?? randomUUID(),
    messageIds: ids,
    stream: 'sandbox',
    sandboxId: 1,
    from: body.from as StoredMessage['from'],
    to,
    cc,
    bcc,
    reply_to: body.reply_to as StoredMessage['reply_to'],
    subject: body.subject as string | undefined,
    text: body.text as string | undefined,
    html: body.html as string | undefined,
    attachments: attachments.map((attachment) => ({
      filename: attachment.filename!,
      type: attachment.type,
      disposition: (attachment.disposition as 'inline' | 'attachment' | undefined) ?? 'attachment',
      content_id: attachment.content_id,
      size: Buffer.byteLength(attachment.content ?? '', 'base64'),
    })),
    headers: (body.headers as Record<string, string> | undefined) ?? {},
    custom_variables: (body.custom_variables as Record<string, string> | undefined) ?? {},
    category: body.category as string | undefined,
    unknownKeys: [],
    requestId: 1,
    receivedAt: new Date('2026-11-30T10:00:00.000Z').toISOString(),
    status: 'delivered',
    tokenKey: 'test',
    raw: body,
    ...overrides,
  };
}
