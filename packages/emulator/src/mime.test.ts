import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { attachmentSources, composeMessage, mailHeaders } from './mime';
import { storedMessage } from './test-messages';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const CSV = Buffer.from('id,name\n1,Ann\n2,Bo\n');

const body = {
  from: { email: 'app@example.com', name: 'The App' },
  to: [{ email: 'ann@example.org', name: 'Ann Émilie' }, { email: 'bo@example.org' }],
  cc: [{ email: 'cc@example.org' }],
  bcc: [{ email: 'hidden@example.org' }],
  reply_to: { email: 'support@example.com', name: 'Support' },
  subject: 'Your order — ready ✓',
  text: 'Hello Ann,\nyour order is ready.',
  html: '<p>Hello <b>Ann</b>, your order is ready.</p><img src="cid:logo@app">',
  headers: { 'X-Order': '42', 'List-Unsubscribe': '<mailto:unsubscribe@example.com>' },
  attachments: [
    { filename: 'orders.csv', type: 'text/csv', content: CSV.toString('base64') },
    {
      filename: 'logo.png',
      type: 'image/png',
      disposition: 'inline',
      content_id: 'logo@app',
      content: PNG.toString('base64'),
    },
  ],
};

describe('composeMessage', () => {
  it('builds a MIME message that mailparser reads back as the original', async () => {
    const message = storedMessage(body);
    const parsed = await simpleParser(await composeMessage(message));
    expect(parsed.subject).toBe(body.subject);
    expect(parsed.from?.value).toEqual([{ address: 'app@example.com', name: 'The App' }]);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
    expect(to.flatMap((group) => group?.value ?? [])).toEqual([
      { address: 'ann@example.org', name: 'Ann Émilie' },
      { address: 'bo@example.org', name: '' },
    ]);
    expect((parsed.cc as { text: string }).text).toBe('cc@example.org');
    expect((parsed.bcc as { text: string }).text).toBe('hidden@example.org');
    expect(parsed.replyTo?.value).toEqual([{ address: 'support@example.com', name: 'Support' }]);
    expect(parsed.text?.trim()).toBe(body.text);
    expect(parsed.html).toContain('<p>Hello <b>Ann</b>, your order is ready.</p>');
    expect(parsed.headers.get('x-order')).toBe('42');
    expect(parsed.messageId).toBe(`<${message.id}@emulator.mailtrap-kit.test>`);
    expect(parsed.date?.toISOString()).toBe(message.receivedAt);
    // the inline image sits in the multipart/related part beside the HTML, the CSV in the mixed part
    const byName = new Map(parsed.attachments.map((attachment) => [attachment.filename, attachment]));
    expect([...byName.keys()].sort()).toEqual(['logo.png', 'orders.csv']);
    const csv = byName.get('orders.csv');
    const png = byName.get('logo.png');
    expect(csv!.content.equals(CSV)).toBe(true);
    expect(csv!.contentType).toBe('text/csv');
    expect(png!.content.equals(PNG)).toBe(true);
    expect(png!.contentId).toBe('<logo@app>');
    expect(png!.contentDisposition).toBe('inline');
  });

  it('is deterministic: the same message gives the same bytes', async () => {
    const message = storedMessage(body);
    const first = await composeMessage(message);
    expect((await composeMessage(message)).equals(first)).toBe(true);
  });

  it('uses the rendered template output for a template send', async () => {
    const message = storedMessage(
      { from: { email: 'app@example.com' }, to: [{ email: 'ann@example.org' }], template_uuid: 'x' },
      { rendered: { subject: 'Hi Ann', html: '<p>Hi Ann</p>', text: 'Hi Ann' } },
    );
    const parsed = await simpleParser(await composeMessage(message));
    expect(parsed.subject).toBe('Hi Ann');
    expect(parsed.text?.trim()).toBe('Hi Ann');
    expect(parsed.html).toContain('<p>Hi Ann</p>');
  });

  it('never reads a file or URL named in the message', async () => {
    const message = storedMessage({
      from: { email: 'app@example.com' },
      to: [{ email: 'ann@example.org' }],
      subject: 's',
      text: 't',
      html: '<img src="file:///etc/passwd">',
    });
    const source = (await composeMessage(message)).toString();
    expect(source).not.toContain('root:');
  });
});

describe('attachmentSources', () => {
  it("reads a batch item's attachments, or the base's when the item has none", () => {
    const base = { attachments: [{ filename: 'base.txt', content: Buffer.from('base').toString('base64') }] };
    const own = { attachments: [{ filename: 'own.txt', content: Buffer.from('own').toString('base64') }] };
    const inherit = storedMessage({ from: { email: 'a@example.com' } }, { raw: { base, request: {} } });
    const override = storedMessage({ from: { email: 'a@example.com' } }, { raw: { base, request: own } });
    expect(attachmentSources(inherit).map((item) => item.content.toString())).toEqual(['base']);
    expect(attachmentSources(override).map((item) => item.content.toString())).toEqual(['own']);
  });
});

describe('mailHeaders', () => {
  it('gives the header section as lower-case names with decoded, unfolded values', async () => {
    const headers = mailHeaders(await composeMessage(storedMessage(body)));
    expect(headers.subject).toBe(body.subject);
    expect(headers.to).toBe('Ann Émilie <ann@example.org>, bo@example.org');
    expect(headers.bcc).toBe('hidden@example.org');
    expect(headers['x-order']).toBe('42');
    expect(headers['list-unsubscribe']).toBe('<mailto:unsubscribe@example.com>');
    expect(headers['content-type']).toMatch(/^multipart\/mixed; boundary=/);
  });
});
