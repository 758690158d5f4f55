import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';
import { nodemailerAdapter } from '@payloadcms/email-nodemailer';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Payload } from 'payload';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SENDER, useEmulator } from './emulator';

const emulator = useEmulator();
afterEach(() => vi.restoreAllMocks());

// Payload calls the adapter with its instance and sends with adapter.sendEmail (payload.sendEmail).
async function payloadEmail(transport: Transporter) {
  // The README's lines: the `email` property of buildConfig.
  const email = await nodemailerAdapter({
    defaultFromAddress: SENDER,
    defaultFromName: 'Acme CMS',
    transport,
  });
  return email({ payload: {} as Payload });
}

describe('@payloadcms/email-nodemailer', () => {
  it('sends payload.sendEmail messages through our transport, from the default sender', async () => {
    const transport = nodemailer.createTransport(
      MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN, from: SENDER }),
    );
    const adapter = await payloadEmail(transport);
    await adapter.sendEmail({
      to: 'editor@example.org',
      subject: 'A document was published',
      html: '<p>Published: <b>Home</b></p>',
      text: 'Published: Home',
      attachments: [{ filename: 'report.csv', content: 'id,title\n1,Home\n' }],
      headers: { 'X-Collection': 'pages' },
      category: 'CMS',
      customVariables: { document_id: '1' },
    });
    const [stored] = emulator.current.messages();
    expect(stored).toMatchObject({
      from: { email: SENDER, name: 'Acme CMS' },
      to: [{ email: 'editor@example.org' }],
      subject: 'A document was published',
      html: '<p>Published: <b>Home</b></p>',
      text: 'Published: Home',
      headers: { 'X-Collection': 'pages' },
      category: 'CMS',
      custom_variables: { document_id: '1' },
    });
    expect(stored!.attachments).toMatchObject([
      { filename: 'report.csv', type: 'text/csv', disposition: 'attachment', size: 16 },
    ]);
    transport.close();
  });

  it('calls verify() at start-up, and only logs its failure (Payload starts anyway)', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const transport = nodemailer.createTransport(MailtrapTransport({ token: 'wrong-token', retry: false }));
    await payloadEmail(transport);
    expect(logged).toHaveBeenCalledTimes(1);
    const [entry] = logged.mock.calls[0] as [{ err: Error; msg: string }];
    expect(entry.msg).toBe('Error verifying Nodemailer transport.');
    expect(entry.err.name).toBe('MailtrapAuthenticationError');
    transport.close();
  });
});
