import { fileURLToPath } from 'node:url';
import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import hbs from 'nodemailer-express-handlebars';
import { describe, expect, it } from 'vitest';
import { SENDER, useEmulator } from './emulator';

const emulator = useEmulator();
const viewPath = fileURLToPath(new URL('../templates/handlebars', import.meta.url));

function create() {
  // The README's lines: the plugin on our transport, no ignoreOptions.
  const transporter = nodemailer.createTransport(
    MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN }),
  );
  transporter.use(
    'compile',
    hbs({ viewEngine: { defaultLayout: false as never }, viewPath, extName: '.hbs' }) as never,
  );
  emulator.closeAfterAll(transporter);
  return transporter;
}

describe('nodemailer-express-handlebars', () => {
  it('renders the template into html and text, with everything else of the message', async () => {
    const info = await create().sendMail({
      from: `"Acme" <${SENDER}>`,
      to: 'Jane Doe <jane@example.org>',
      cc: 'ops@example.org',
      subject: 'Welcome to Acme',
      template: 'welcome',
      text_template: 'welcome-text',
      context: { name: 'Jane', plan: 'Pro' },
      attachments: [{ filename: 'terms.txt', content: 'Terms of service' }],
      headers: { 'X-Campaign': 'onboarding' },
      category: 'Onboarding',
      customVariables: { user_id: '42' },
    } as SendMailOptions);
    const [stored] = emulator.current.messages();
    expect(stored).toMatchObject({
      from: { email: SENDER, name: 'Acme' },
      to: [{ email: 'jane@example.org', name: 'Jane Doe' }],
      cc: [{ email: 'ops@example.org' }],
      subject: 'Welcome to Acme',
      headers: { 'X-Campaign': 'onboarding' },
      category: 'Onboarding',
      custom_variables: { user_id: '42' },
    });
    expect(stored!.html).toContain('<h1>Welcome, Jane!</h1>');
    expect(stored!.html).toContain('<p>Your plan: Pro</p>');
    expect(stored!.text?.trim()).toBe('Welcome, Jane! Your plan: Pro');
    expect(stored!.attachments).toMatchObject([
      { filename: 'terms.txt', type: 'text/plain', disposition: 'attachment', size: 16 },
    ]);
    expect((info as unknown as { messageIds: string[] }).messageIds).toEqual(stored!.messageIds);
  });

  it('a typo in a message option is still refused with the plugin installed', async () => {
    const error = await create()
      .sendMail({
        from: SENDER,
        to: 'jane@example.org',
        subject: 'x',
        template: 'welcome',
        context: { name: 'Jane' },
        categroy: 'Onboarding',
      } as SendMailOptions)
      .catch((caught: unknown) => caught);
    expect((error as { field?: string }).field).toBe('categroy');
    expect(emulator.current.requests()).toHaveLength(0);
  });
});
