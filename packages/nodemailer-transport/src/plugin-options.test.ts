import { MailtrapValidationError } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailtrapTransport } from './index';
import { nodemailerMajors } from './test-helpers';

// A templating plugin of the usual kind (nodemailer-express-handlebars, NestJS' adapters): it reads
// `template` and `context` in the compile step and writes `html`, and leaves both keys on mail.data.
type Mail = { data: Record<string, any> };
const templating = (mail: Mail, callback: (error?: Error) => void) => {
  setImmediate(() => {
    const { template, context } = mail.data;
    if (template) mail.data.html = `<p>${template}: ${context?.name}</p>`;
    callback();
  });
};
const unrelated = (_mail: Mail, callback: () => void) => callback();

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());
beforeEach(() => emulator.reset());

const message = { from: 'shop@example.com', to: 'jane@example.org', subject: 'Welcome' };

for (const [label, nodemailer] of nodemailerMajors) {
  describe(`options a plugin consumed (${label})`, () => {
    const open: Array<{ close(): unknown }> = [];
    afterAll(() => {
      for (const transporter of open) transporter.close();
    });
    function transporter(plugins: Array<(mail: Mail, callback: () => void) => void>, batching = false) {
      const created = nodemailer.createTransport(
        MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false, batching }),
      );
      for (const plugin of plugins) created.use('compile', plugin);
      open.push(created);
      return created;
    }

    it('need not be listed in ignoreOptions', async () => {
      await transporter([templating]).sendMail({
        ...message,
        template: 'welcome',
        context: { name: 'Jane' },
      });
      expect(emulator.messages()[0]!.html).toBe('<p>welcome: Jane</p>');
    });

    it('the same on the batching path', async () => {
      const sending = transporter([templating], true);
      await Promise.all(
        ['a', 'b'].map((name) => sending.sendMail({ ...message, template: 'welcome', context: { name } })),
      );
      expect(emulator.messages().map((stored) => stored.html)).toEqual([
        '<p>welcome: a</p>',
        '<p>welcome: b</p>',
      ]);
    });

    it('a typo no plugin read is still refused, with a plugin installed', async () => {
      const error = await transporter([templating])
        .sendMail({ ...message, template: 'welcome', context: {}, custom_variable: { a: '1' } })
        .catch((caught: unknown) => caught);
      expect((error as MailtrapValidationError).field).toBe('custom_variable');
      expect((error as Error).message).toContain('no Nodemailer plugin read it');
      expect(emulator.requests()).toHaveLength(0);
    });

    it('an option a plugin does not read is refused (a plugin that reads nothing)', async () => {
      const error = await transporter([unrelated])
        .sendMail({ ...message, text: 'x', template: 'welcome' })
        .catch((caught: unknown) => caught);
      expect((error as MailtrapValidationError).field).toBe('template');
    });

    it('options the API cannot send stay refused even though Nodemailer reads them', async () => {
      const error = await transporter([templating])
        .sendMail({ ...message, template: 'welcome', context: {}, textEncoding: 'base64' })
        .catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error)).toBe(true);
      expect((error as MailtrapValidationError).field).toBe('textEncoding');
    });

    it('without plugins, template is refused as before', async () => {
      const error = await transporter([])
        .sendMail({ ...message, text: 'x', template: 'welcome' })
        .catch((caught: unknown) => caught);
      expect((error as MailtrapValidationError).field).toBe('template');
    });
  });
}
