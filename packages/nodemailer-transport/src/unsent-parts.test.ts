import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailtrapTransport } from './index';
import { nodemailerMajors } from './test-helpers';
import { UNSENT_BOUNDARY, UNSENT_MESSAGE_ID } from './unsent-parts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());
beforeEach(() => emulator.reset());

const message = {
  from: 'shop@example.com',
  to: 'jane@example.org',
  subject: 'S',
  text: 'T',
  html: '<p>H</p>',
};

for (const [label, nodemailer] of nodemailerMajors) {
  describe(`Nodemailer's random Message-ID and boundaries are not generated (${label})`, () => {
    const open: Array<{ close(): unknown }> = [];
    afterAll(() => {
      for (const transporter of open) transporter.close();
    });
    function transporter() {
      const created = nodemailer.createTransport(
        MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false }),
      );
      open.push(created);
      return created;
    }

    it('Nodemailer compiles with the stand-ins, and neither reaches the API', async () => {
      const created = transporter();
      let compiled: { messageId(): string; rootNode: { baseBoundary: string } } | undefined;
      created.use('stream', (mail: { message: typeof compiled }, callback: () => void) => {
        compiled = mail.message;
        callback();
      });
      await created.sendMail(message);
      expect(compiled!.messageId()).toBe(UNSENT_MESSAGE_ID);
      expect(compiled!.rootNode.baseBoundary).toBe(UNSENT_BOUNDARY);
      const [stored] = emulator.messages();
      expect(Object.keys(stored!.headers).map((key) => key.toLowerCase())).not.toContain('message-id');
      expect(JSON.stringify(stored!.raw)).not.toContain('unsent');
    });

    it('a Message-ID the user sets is sent: messageId, a header, or a later plugin', async () => {
      await transporter().sendMail({ ...message, messageId: '<order-1@example.com>' });
      await transporter().sendMail({ ...message, headers: { 'Message-ID': '<order-2@example.com>' } });
      const withPlugin = transporter();
      withPlugin.use('compile', (mail: { data: Record<string, unknown> }, callback: () => void) => {
        mail.data.messageId = '<order-3@example.com>';
        callback();
      });
      await withPlugin.sendMail(message);
      expect(emulator.messages().map((stored) => stored.headers['Message-ID'])).toEqual([
        '<order-1@example.com>',
        '<order-2@example.com>',
        '<order-3@example.com>',
      ]);
    });

    it('a boundary the user sets is still refused', async () => {
      const error = await transporter()
        .sendMail({ ...message, baseBoundary: 'mine' })
        .catch((caught: unknown) => caught);
      expect((error as { field?: string }).field).toBe('baseBoundary');
    });
  });
}
