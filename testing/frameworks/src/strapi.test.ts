import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { SENDER, useEmulator } from './emulator';

const require = createRequire(import.meta.url);
// The provider Strapi's email plugin loads for `provider: 'nodemailer'`, and a config file that
// uses it: Strapi calls provider.init(config.providerOptions, config.settings).
const provider = require('@strapi/provider-email-nodemailer') as {
  init(
    options: unknown,
    settings: unknown,
  ): {
    send(options: Record<string, unknown>): Promise<{ messageId: string; messageIds?: string[] }>;
    verify(): Promise<unknown>;
    close(): void;
  };
};
const pluginsConfig = require('./strapi/config/plugins.cjs') as (context: { env: unknown }) => {
  email: { config: { provider: string; providerOptions: unknown; settings: unknown } };
};

const emulator = useEmulator();
const instances: Array<{ close(): void }> = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.close();
});

function strapiEmail() {
  // Strapi's `env` helper reads process.env: env(name, fallback).
  const env = (name: string, fallback?: string) => process.env[name] ?? fallback;
  const { config } = pluginsConfig({ env }).email;
  expect(config.provider).toBe('nodemailer');
  const instance = provider.init(config.providerOptions, config.settings);
  instances.push(instance);
  return instance;
}

describe('@strapi/provider-email-nodemailer', () => {
  it('takes the transport as providerOptions and sends strapi.plugin("email") messages', async () => {
    const info = await strapiEmail().send({
      to: 'editor@example.org',
      subject: 'New entry',
      html: '<p>A new <b>article</b> was created.</p>',
      text: 'A new article was created.',
      attachments: [{ filename: 'entry.json', content: '{"id":1}', contentType: 'application/json' }],
      headers: { 'X-Strapi-Event': 'entry.create' },
    });
    const [stored] = emulator.current.messages();
    expect(stored).toMatchObject({
      from: { email: SENDER },
      reply_to: { email: 'support@example.com' },
      to: [{ email: 'editor@example.org' }],
      subject: 'New entry',
      html: '<p>A new <b>article</b> was created.</p>',
      text: 'A new article was created.',
      headers: { 'X-Strapi-Event': 'entry.create' },
    });
    expect(stored!.attachments).toMatchObject([
      { filename: 'entry.json', type: 'application/json', disposition: 'attachment', size: 8 },
    ]);
    expect(info.messageIds).toEqual(stored!.messageIds);
  });

  it('verify() reaches our transport through the provider', async () => {
    await expect(strapiEmail().verify()).resolves.toBe(true);
  });

  it('the provider copies only Nodemailer’s own options: category and custom variables do not arrive', async () => {
    await strapiEmail().send({
      to: 'editor@example.org',
      subject: 'x',
      text: 'x',
      category: 'CMS',
      customVariables: { entry_id: '1' },
    });
    const [stored] = emulator.current.messages();
    expect(stored!.category).toBeUndefined();
    expect(stored!.custom_variables).toEqual({});
  });

  it('the provider forbids file and URL content on every message, and the transport honours it', async () => {
    const error = await strapiEmail()
      .send({ to: 'editor@example.org', subject: 'x', text: 'x', attachments: [{ path: '/etc/hostname' }] })
      .catch((caught: unknown) => caught);
    expect((error as { field?: string }).field).toBe('attachments[0].path');
    expect(emulator.current.requests()).toHaveLength(0);
  });
});
