/**
 * The `.eml` download of an API send, read back with mailparser, is the message that was sent:
 * subject, addresses, text, HTML, every attachment's bytes and the custom headers.
 */
import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

const PDF = Buffer.from(
  '%PDF-1.4\n% not a real pdf, but bytes that must survive\n\u0000\u0001\u00ff',
  'latin1',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const sent = {
  from: { email: 'billing@example.com', name: 'Billing — Ünïcode' },
  to: [{ email: 'ann@example.org', name: 'Ann' }, { email: 'bo@example.org' }],
  cc: [{ email: 'carl@example.org', name: 'Carl' }],
  bcc: [{ email: 'audit@example.org' }],
  reply_to: { email: 'help@example.com', name: 'Help' },
  subject: 'Invoice #1042 — paid ✓',
  text: 'Hello Ann,\n\nyour invoice #1042 is paid.\n\n— Billing',
  html: '<p>Hello <b>Ann</b>,</p><p>your invoice #1042 is paid.</p><img src="cid:logo@billing" alt="logo">',
  headers: {
    'X-Invoice': '1042',
    'List-Unsubscribe': '<mailto:unsubscribe@example.com>',
    'X-Note': 'café ✓',
  },
  attachments: [
    { filename: 'invoice-1042.pdf', type: 'application/pdf', content: PDF.toString('base64') },
    {
      filename: 'logo.png',
      type: 'image/png',
      disposition: 'inline',
      content_id: 'logo@billing',
      content: PNG.toString('base64'),
    },
  ],
};

describe('the .eml download', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.close());

  it('reads back with mailparser as the message sent through the API', async () => {
    const answer = await http(`${emulator.endpoints.send}/api/send`, { token: emulator.token, body: sent });
    expect(answer.status).toBe(200);
    const id = answer.body.message_ids[0];
    const response = await fetch(`${emulator.url}/_emulator/messages/${id}/eml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${id}.eml"`);
    // keepCidLinks: the HTML as written (mailparser would inline cid: images as data: URLs)
    const parsed = await simpleParser(Buffer.from(await response.arrayBuffer()), { keepCidLinks: true });

    const list = (field: typeof parsed.to) =>
      (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
        group.value.map((address) => ({
          email: address.address,
          ...(address.name ? { name: address.name } : {}),
        })),
      );
    expect(parsed.subject).toBe(sent.subject);
    expect(list(parsed.from)).toEqual([sent.from]);
    expect(list(parsed.to)).toEqual(sent.to);
    expect(list(parsed.cc)).toEqual(sent.cc);
    expect(list(parsed.bcc)).toEqual(sent.bcc);
    expect(list(parsed.replyTo)).toEqual([sent.reply_to]);
    expect(parsed.text).toBe(sent.text);
    expect(parsed.html).toBe(sent.html);
    expect(parsed.headers.get('x-invoice')).toBe('1042');
    // a non-ASCII value goes out as an RFC 2047 encoded word (mailparser leaves X- headers encoded)
    expect(libmime.decodeWords(String(parsed.headers.get('x-note')))).toBe('café ✓');
    expect(parsed.headers.get('list')).toMatchObject({ unsubscribe: { mail: 'unsubscribe@example.com' } });
    expect(parsed.messageId).toBe(`<${id}@emulator.mailtrap-kit.test>`);
    // (the inline image sits in the multipart/related part beside the HTML, so it comes first)
    const byName = new Map(parsed.attachments.map((attachment) => [attachment.filename, attachment]));
    expect([...byName.keys()].sort()).toEqual(['invoice-1042.pdf', 'logo.png']);
    const pdf = byName.get('invoice-1042.pdf');
    const png = byName.get('logo.png');
    expect(pdf!.content.equals(PDF)).toBe(true);
    expect(pdf!.contentType).toBe('application/pdf');
    expect(pdf!.contentDisposition).toBe('attachment');
    expect(png!.content.equals(PNG)).toBe(true);
    expect(png!.contentId).toBe('<logo@billing>');
    expect(png!.contentDisposition).toBe('inline');

    // the Source view shows the same bytes; the Headers tab the same header section
    const source = await fetch(`${emulator.url}/_emulator/messages/${id}/source`);
    const eml = await fetch(`${emulator.url}/_emulator/messages/${id}/eml`);
    expect(Buffer.from(await source.arrayBuffer()).equals(Buffer.from(await eml.arrayBuffer()))).toBe(true);
    const headers = await http(`${emulator.url}/_emulator/messages/${id}/headers`);
    expect(headers.body.headers.subject).toBe(sent.subject);
    expect(headers.body.headers['x-invoice']).toBe('1042');
    expect(headers.body.headers['reply-to']).toBe('Help <help@example.com>');
  });
});
