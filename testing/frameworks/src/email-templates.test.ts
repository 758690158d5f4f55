import { fileURLToPath } from 'node:url';
import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';
import Email from 'email-templates';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { SENDER, useEmulator } from './emulator';

const emulator = useEmulator();
const root = fileURLToPath(new URL('../templates/email-templates', import.meta.url));

function create() {
  // The README's lines: email-templates with our transporter as `transport`.
  const transport = nodemailer.createTransport(MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN }));
  emulator.closeAfterAll(transport);
  return new Email({
    message: { from: `"Acme" <${SENDER}>` },
    transport: transport as never, // email-templates types Nodemailer with @types/nodemailer
    send: true,
    preview: false,
    views: { root, options: { extension: 'hbs' } },
  });
}

describe('email-templates', () => {
  it('renders subject, html and text, and sends them with the message options', async () => {
    await create().send({
      template: 'welcome',
      message: {
        to: 'jane@example.org',
        attachments: [{ filename: 'welcome.txt', content: 'Hello' }],
        headers: { 'X-Campaign': 'onboarding' },
        category: 'Onboarding',
        customVariables: { user_id: '42' },
      } as Record<string, unknown>,
      locals: { name: 'Jane', plan: 'Pro' },
    });
    const [stored] = emulator.current.messages();
    expect(stored).toMatchObject({
      from: { email: SENDER, name: 'Acme' },
      to: [{ email: 'jane@example.org' }],
      subject: 'Welcome to Acme, Jane',
      text: 'Welcome, Jane! Your plan: Pro\n',
      headers: { 'X-Campaign': 'onboarding' },
      category: 'Onboarding',
      custom_variables: { user_id: '42' },
    });
    expect(stored!.html).toContain('<h1>Welcome, Jane!</h1>');
    expect(stored!.attachments).toMatchObject([{ filename: 'welcome.txt', size: 5 }]);
  });
});
