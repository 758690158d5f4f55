// Mapping on its own: Nodemailer compiles the message, mapMessage turns it into the API's JSON;
// nothing is sent.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailtrapValidationError } from '@mailtrap-kit/core';
import { describe, expect, it } from 'vitest';
import * as helpers from './test-helpers';
import { mapThroughNodemailer, nodemailerMajors } from './test-helpers';

const base = { from: 'sender@example.com', to: 'to@example.com', subject: 'Hello', text: 'Hi' };

describe.each(nodemailerMajors)('mapMessage under %s', (_major, nodemailer) => {
  it('passes a Buffer attachment on without copying it', async () => {
    const content = Buffer.from('bytes');
    const mapped = await mapThroughNodemailer(
      { ...base, attachments: [{ filename: 'a.bin', content }] },
      { nodemailer },
    );
    expect(mapped.payload.attachments![0]!.content).toBe(content);
    expect(mapped.streamed).toBe(false);
  });

  it('passes a file path on to be streamed, and marks the message as streamed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mailtrap-kit-mapping-'));
    try {
      const path = join(dir, 'report.pdf');
      await writeFile(path, '%PDF');
      const mapped = await mapThroughNodemailer({ ...base, attachments: [{ path }] }, { nodemailer });
      expect(mapped.payload.attachments![0]).toEqual({
        filename: 'report.pdf',
        type: 'application/pdf',
        disposition: 'attachment',
        path,
      });
      expect(mapped.streamed).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing attachment file fails with the attachment named and the fs error as the cause', async () => {
    const error = await mapThroughNodemailer(
      { ...base, attachments: [{ path: '/nonexistent/dir/notes.txt' }] },
      { nodemailer },
    ).catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe('attachments[0].path');
    expect(((error as MailtrapValidationError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('refuses an attachment transfer encoding other than base64 instead of dropping it', async () => {
    const error = await mapThroughNodemailer(
      {
        ...base,
        attachments: [{ filename: 'a.txt', content: 'text', contentTransferEncoding: 'quoted-printable' }],
      },
      { nodemailer },
    ).catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe('attachments[0].contentTransferEncoding');
    const mapped = await mapThroughNodemailer(
      { ...base, attachments: [{ filename: 'a.txt', content: 'text', contentTransferEncoding: 'base64' }] },
      { nodemailer },
    );
    expect(mapped.payload.attachments![0]!.filename).toBe('a.txt');
  });

  it('a directory is not an attachment', async () => {
    const error = await mapThroughNodemailer(
      { ...base, attachments: [{ path: tmpdir() }] },
      { nodemailer },
    ).catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('attachments[0].path');
  });

  it('returns the recipients in To, Cc, Bcc order and Nodemailer’s envelope', async () => {
    const mapped = await mapThroughNodemailer(
      { ...base, to: 'b@example.com', cc: 'a@example.com', bcc: 'c@example.com' },
      { nodemailer },
    );
    expect(mapped.recipients).toEqual(['b@example.com', 'a@example.com', 'c@example.com']);
    expect(mapped.envelope).toEqual({
      from: 'sender@example.com',
      to: ['b@example.com', 'a@example.com', 'c@example.com'],
    });
  });

  it.each([
    ['plain', { to: 'a@example.com' }],
    [
      'duplicates across fields',
      {
        to: 'a@example.com, b@example.com',
        cc: 'A <a@example.com>',
        bcc: ['b@example.com', 'c@example.com'],
      },
    ],
    ['groups and IDN', { to: 'G: x@jõgeva.ee, y@example.com;', bcc: 'z@example.com' }],
    ['reply-to and sender', { to: 'a@example.com', replyTo: 'r@example.com', sender: 'sender@example.com' }],
  ])('the envelope equals the one Nodemailer computes (%s)', async (_name, extra) => {
    const mapped = await mapThroughNodemailer({ ...base, ...extra }, { nodemailer });
    expect(mapped.envelope).toEqual(helpers.lastEnvelope);
  });

  it('ignoreOptions lets a differing sender and envelope through', async () => {
    const mapped = await mapThroughNodemailer(
      { ...base, sender: 'other@example.com', envelope: { from: 'bounce@example.com', to: 'x@example.com' } },
      { nodemailer, ignoreOptions: ['sender', 'envelope'] },
    );
    expect(mapped.payload.from).toEqual({ email: 'sender@example.com' });
    expect(mapped.payload.to).toEqual([{ email: 'to@example.com' }]);
  });

  it('a default header in another spelling is a second header, as Nodemailer writes it: refused', async () => {
    const error = await mapThroughNodemailer(
      { ...base, headers: { 'X-App': 'message' } },
      { nodemailer, defaults: { headers: { 'x-app': 'default' } } },
    ).catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('headers.X-App');
  });

  it('a default header in the same spelling is overridden by the message', async () => {
    const mapped = await mapThroughNodemailer(
      { ...base, headers: { 'X-App': 'message' } },
      { nodemailer, defaults: { headers: { 'X-App': 'default', 'X-Env': 'prod' } } },
    );
    expect(mapped.payload.headers).toEqual({ 'X-App': 'message', 'X-Env': 'prod' });
  });

  it('validates with core when asked', async () => {
    const error = await mapThroughNodemailer({ ...base, category: 'x'.repeat(300) }, { nodemailer }).catch(
      (caught: unknown) => caught,
    );
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toContain('category');
  });

  it('a Buffer body of invalid utf-8 is decoded like Nodemailer decodes it', async () => {
    const mapped = await mapThroughNodemailer(
      { ...base, text: Buffer.from([0x68, 0x69, 0xff]) },
      { nodemailer },
    );
    expect(mapped.payload.text).toBe('hi\ufffd');
  });
});
