import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';
import { MailerModule, MailerService } from '@nestjs-modules/mailer';
import { HandlebarsAdapter } from '@nestjs-modules/mailer/adapters/handlebars.adapter';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENDER, useEmulator } from './emulator';

const emulator = useEmulator();
const templateDir = fileURLToPath(new URL('../templates/handlebars', import.meta.url));
let app: INestApplicationContext;

beforeAll(async () => {
  // The README's lines: MailerModule.forRoot with our transport and the Handlebars adapter.
  @Module({
    imports: [
      MailerModule.forRoot({
        transport: MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN }),
        defaults: { from: `"Acme" <${SENDER}>` } as never, // typed as SMTP options with Nodemailer 10's types
        template: { dir: templateDir, adapter: new HandlebarsAdapter(), options: { strict: true } },
      }),
    ],
  })
  class AppModule {}
  app = await NestFactory.createApplicationContext(AppModule, { logger: false });
});
afterAll(() => app?.close());

describe('@nestjs-modules/mailer (Handlebars adapter, a Nest application context)', () => {
  it('sends a template through MailerService.sendMail', async () => {
    const mailer = app.get(MailerService);
    const info = await mailer.sendMail({
      to: 'jane@example.org',
      bcc: ['audit@example.org'],
      replyTo: 'support@example.com',
      subject: 'Welcome to Acme',
      template: 'welcome',
      context: { name: 'Jane', plan: 'Pro' },
      attachments: [{ filename: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), cid: 'logo' }],
      headers: { 'X-Campaign': 'onboarding' },
      category: 'Onboarding',
      customVariables: { user_id: '42' },
    });
    const [stored] = emulator.current.messages();
    expect(stored).toMatchObject({
      from: { email: SENDER, name: 'Acme' },
      to: [{ email: 'jane@example.org' }],
      bcc: [{ email: 'audit@example.org' }],
      reply_to: { email: 'support@example.com' },
      subject: 'Welcome to Acme',
      headers: { 'X-Campaign': 'onboarding' },
      category: 'Onboarding',
      custom_variables: { user_id: '42' },
    });
    expect(stored!.html).toContain('<h1>Welcome, Jane!</h1>');
    expect(stored!.attachments).toMatchObject([
      { filename: 'logo.png', type: 'image/png', disposition: 'inline', content_id: 'logo', size: 4 },
    ]);
    expect(info.messageId).toBe(stored!.messageIds[0]);
  });

  it('a template variable missing under strict mode fails before anything is sent', async () => {
    const mailer = app.get(MailerService);
    await expect(
      mailer.sendMail({
        to: 'jane@example.org',
        subject: 'x',
        template: 'welcome',
        context: { name: 'Jane' },
      }),
    ).rejects.toThrow(/plan/);
    expect(emulator.current.requests()).toHaveLength(0);
  });
});
