import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ComparedField, MessageComparison } from './compare';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
let smtp: ReturnType<typeof nodemailer.createTransport>;

beforeAll(async () => {
  emulator = await startEmulator({ smtpPort: 0 });
  smtp = nodemailer.createTransport({
    host: emulator.smtp!.host,
    port: emulator.smtp!.port,
    auth: { user: 'api', pass: emulator.token },
  });
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  smtp.close();
  await emulator.close();
});

const content = {
  subject: 'Your receipt',
  text: 'Thanks for your order.\nTotal: 12 EUR\n',
  html: '<p>Thanks for your order.</p><p>Total: 12 EUR</p>',
};

/** The same message over SMTP and to the API; `change` alters the API one. */
async function pair(change: Record<string, unknown> = {}): Promise<MessageComparison> {
  await smtp.sendMail({
    from: 'Shop <shop@example.com>',
    to: 'Ann <ann@example.org>',
    cc: 'books@example.org',
    ...content,
    headers: { 'X-MT-Category': 'Receipts', 'X-MT-Custom-Variables': '{"order":"7"}', 'X-Shop': 'web' },
    attachments: [{ filename: 'receipt.txt', content: 'paid' }],
  });
  const sent = await http(`${emulator.url}/api/send`, {
    token: emulator.token,
    body: {
      from: { email: 'shop@example.com', name: 'Shop' },
      to: [{ email: 'ann@example.org', name: 'Ann' }],
      cc: [{ email: 'books@example.org' }],
      ...content,
      category: 'Receipts',
      custom_variables: { order: '7' },
      headers: { 'X-Shop': 'web' },
      attachments: [
        { filename: 'receipt.txt', content: Buffer.from('paid').toString('base64'), type: 'text/plain' },
      ],
      ...change,
    },
  });
  expect(sent.status).toBe(200);
  const [overSmtp, overApi] = emulator.messages();
  const compared = await http(`${emulator.url}/_emulator/compare?a=${overSmtp!.id}&b=${overApi!.id}`);
  expect(compared.status).toBe(200);
  return compared.body;
}

const byField = (comparison: MessageComparison) =>
  Object.fromEntries(comparison.fields.map((field: ComparedField) => [field.field, field]));

describe('comparing two messages', () => {
  it('finds no difference between the same message over SMTP and to the API but how each arrived', async () => {
    const comparison = await pair();
    expect(comparison.a).toMatchObject({ via: 'smtp', stream: 'transactional', subject: 'Your receipt' });
    expect(comparison.b).toMatchObject({ via: 'api', stream: 'transactional' });
    const fields = byField(comparison);
    for (const name of [
      'From',
      'To',
      'Cc',
      'Subject',
      'Text',
      'HTML',
      'Category',
      'Custom variables',
      'x-shop',
    ])
      expect(fields[name], name).toMatchObject({ same: true });
    expect(fields['receipt.txt']).toMatchObject({ same: true });
    expect(fields['Arrived via']).toMatchObject({
      a: 'smtp',
      b: 'api',
      same: false,
      note: 'how each arrived',
    });
    expect(fields['message-id']).toMatchObject({ same: false, note: 'each message has its own' });
    expect(comparison.fields.filter((f: ComparedField) => !f.same && !f.note)).toEqual([]);
    expect(comparison.differences).toBe(0);
  });

  it('marks what differs: subject, a body with a line diff, a header, an attachment', async () => {
    const comparison = await pair({
      subject: 'Your receipt (copy)',
      text: 'Thanks for your order.\nTotal: 15 EUR\n',
      headers: { 'X-Shop': 'app' },
      attachments: [{ filename: 'receipt.txt', content: Buffer.from('unpaid').toString('base64') }],
    });
    const fields = byField(comparison);
    expect(fields.Subject).toMatchObject({ a: 'Your receipt', b: 'Your receipt (copy)', same: false });
    expect(fields.Text!.diff).toEqual([
      { kind: 'same', text: 'Thanks for your order.' },
      { kind: 'removed', text: 'Total: 12 EUR' },
      { kind: 'added', text: 'Total: 15 EUR' },
    ]);
    expect(fields['x-shop']).toMatchObject({ a: 'web', b: 'app', same: false });
    expect(fields['receipt.txt']!.same).toBe(false);
    expect(fields.HTML!.same).toBe(true);
    expect(comparison.differences).toBe(4);
  });

  it('names a message it does not have, and asks for both', async () => {
    const missing = await http(`${emulator.url}/_emulator/compare?a=nope&b=nada`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'no such message', reason: 'unknown' });
    const one = await http(`${emulator.url}/_emulator/compare?a=nope`);
    expect(one.status).toBe(400);
  });
});
