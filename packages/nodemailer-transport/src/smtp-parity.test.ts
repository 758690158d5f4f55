// The same message sent by Nodemailer over SMTP to the emulator's listener and through this
// transport to the emulator's API must arrive as the same message: the emulator's comparison of the
// two finds no difference but the values each message has its own of (Message-ID, Date, how it came).
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapTransport } from './index';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ smtpPort: 0 });
});
afterAll(() => emulator.close());

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const mail = {
  from: 'Shop Team <shop@example.com>',
  to: ['Ann Example <ann@example.org>', 'bob@example.org'],
  cc: 'books@example.org',
  bcc: 'audit@example.org',
  replyTo: 'help@example.com',
  subject: 'Your receipt — №7 ✓',
  text: 'Thanks for your order.\nTotal: 12 EUR\n',
  html: '<p>Thanks for your order.</p><img src="cid:logo@shop">',
  headers: { 'X-Shop': 'web', 'List-Unsubscribe': '<https://example.com/u>' },
  attachments: [
    { filename: 'receipt.txt', content: 'paid in full' },
    { filename: 'logo.png', content: PNG, cid: 'logo@shop' },
  ],
};

describe('the same message over SMTP and through the transport', () => {
  it('arrives the same: addresses, subject, bodies, header fields, attachments, category, custom variables', async () => {
    const smtp = nodemailer.createTransport({
      host: emulator.smtp!.host,
      port: emulator.smtp!.port,
      ignoreTLS: true,
      auth: { user: 'api', pass: emulator.token },
    });
    const api = nodemailer.createTransport(
      MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false }),
    );
    try {
      await smtp.sendMail({
        ...mail,
        headers: {
          ...mail.headers,
          'X-MT-Category': 'Receipts',
          'X-MT-Custom-Variables': JSON.stringify({ order: '7' }),
        },
      });
      await api.sendMail({ ...mail, category: 'Receipts', customVariables: { order: '7' } } as never);
    } finally {
      smtp.close();
      api.close();
    }
    const [overSmtp, overApi] = emulator.messages();
    const response = await fetch(`${emulator.url}/_emulator/compare?a=${overSmtp!.id}&b=${overApi!.id}`);
    const comparison = (await response.json()) as {
      a: { via: string };
      b: { via: string };
      differences: number;
      fields: Array<{ field: string; same: boolean; note?: string }>;
    };
    expect([comparison.a.via, comparison.b.via]).toEqual(['smtp', 'api']);
    expect(comparison.fields.filter((field) => !field.same && !field.note)).toEqual([]);
    expect(comparison.differences).toBe(0);
    const compared = comparison.fields.map((field) => field.field);
    for (const name of ['From', 'To', 'Cc', 'Bcc', 'Reply-To', 'Subject', 'Text', 'HTML', 'x-shop'])
      expect(compared).toContain(name);
    expect(compared).toEqual(expect.arrayContaining(['list-unsubscribe', 'receipt.txt', 'logo.png']));
    expect(overSmtp!.messageIds).toHaveLength(4);
    expect(emulator.logs().map((log) => log.to)).toEqual([
      'ann@example.org',
      'bob@example.org',
      'books@example.org',
      'audit@example.org',
      'ann@example.org',
      'bob@example.org',
      'books@example.org',
      'audit@example.org',
    ]);
  });
});
