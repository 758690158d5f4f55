// The conformance suite: every message shape goes through real Nodemailer (9 and 10) and the
// transport to the emulator over loopback, and the exact JSON the API received is asserted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailtrapTransport } from './index';
import { nodemailerMajors, startContentServer } from './test-helpers';

const FROM = 'sender@example.com';
const TO = 'to@example.com';
const TEMPLATE_UUID = '3f7d3c53-6c8a-4e1f-9a3c-0b1f2d3e4f50';
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface Context {
  dir: string;
  content: string; // base URL of the loopback content server
}

interface Shape {
  name: string;
  message: (context: Context) => Record<string, unknown>;
  /** The exact request body the API must receive. */
  expected: (context: Context) => Record<string, unknown>;
  defaults?: Record<string, unknown>;
  /** Nodemailer majors this shape applies to (default both). */
  only?: string;
}

const base = { from: { email: FROM }, to: [{ email: TO }], subject: 'Hello', text: 'Hi' };
// `extra` as a function builds fresh streams for every run.
const simple = (
  extra: Record<string, unknown> | (() => Record<string, unknown>),
  expectedExtra: Record<string, unknown>,
): Pick<Shape, 'message' | 'expected'> => ({
  message: () => ({
    from: FROM,
    to: TO,
    subject: 'Hello',
    text: 'Hi',
    ...(typeof extra === 'function' ? extra() : extra),
  }),
  expected: () => ({ ...base, ...expectedExtra }),
});

const shapes: Shape[] = [
  // --- addresses
  { name: 'plain addresses', ...simple({}, {}) },
  {
    name: 'display names in strings',
    message: () => ({
      from: 'Sender Name <sender@example.com>',
      to: 'Jane Doe <jane@example.com>',
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({
      ...base,
      from: { email: FROM, name: 'Sender Name' },
      to: [{ email: 'jane@example.com', name: 'Jane Doe' }],
    }),
  },
  {
    name: 'quoted name with a comma',
    message: () => ({ from: FROM, to: '"Doe, Jane" <jane@example.com>', subject: 'Hello', text: 'Hi' }),
    expected: () => ({ ...base, to: [{ email: 'jane@example.com', name: 'Doe, Jane' }] }),
  },
  {
    name: 'comma-separated list in one string',
    message: () => ({
      from: FROM,
      to: 'a@example.com, B <b@example.com>,c@example.com',
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({
      ...base,
      to: [{ email: 'a@example.com' }, { email: 'b@example.com', name: 'B' }, { email: 'c@example.com' }],
    }),
  },
  {
    name: '{ name, address } objects',
    message: () => ({
      from: { name: 'Sender', address: FROM },
      to: { name: 'Jane', address: 'jane@example.com' },
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({
      ...base,
      from: { email: FROM, name: 'Sender' },
      to: [{ email: 'jane@example.com', name: 'Jane' }],
    }),
  },
  {
    name: 'arrays mixing strings and objects',
    message: () => ({
      from: FROM,
      to: ['a@example.com', { name: 'B', address: 'b@example.com' }, 'C <c@example.com>'],
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({
      ...base,
      to: [
        { email: 'a@example.com' },
        { email: 'b@example.com', name: 'B' },
        { email: 'c@example.com', name: 'C' },
      ],
    }),
  },
  {
    name: 'nested arrays',
    message: () => ({
      from: FROM,
      to: [['a@example.com', ['b@example.com']], 'c@example.com'],
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({
      ...base,
      to: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
    }),
  },
  {
    name: 'address group',
    message: () => ({
      from: FROM,
      to: 'Friends: a@example.com, B <b@example.com>;',
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({ ...base, to: [{ email: 'a@example.com' }, { email: 'b@example.com', name: 'B' }] }),
  },
  {
    name: 'empty group next to an address',
    message: () => ({
      from: FROM,
      to: 'Undisclosed recipients:;, a@example.com',
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({ ...base, to: [{ email: 'a@example.com' }] }),
  },
  {
    name: 'IDN domain becomes punycode',
    message: () => ({ from: FROM, to: 'user@jõgeva.ee', subject: 'Hello', text: 'Hi' }),
    expected: () => ({ ...base, to: [{ email: 'user@xn--jgeva-dua.ee' }] }),
  },
  {
    name: 'unicode display name',
    message: () => ({ from: FROM, to: 'Jürgen Müller <jm@example.com>', subject: 'Hello', text: 'Hi' }),
    expected: () => ({ ...base, to: [{ email: 'jm@example.com', name: 'Jürgen Müller' }] }),
  },
  {
    name: 'cc and bcc',
    message: () => ({
      from: FROM,
      to: TO,
      cc: 'cc@example.com',
      bcc: ['b1@example.com', 'b2@example.com'],
      subject: 'Hello',
      text: 'Hi',
    }),
    expected: () => ({
      ...base,
      cc: [{ email: 'cc@example.com' }],
      bcc: [{ email: 'b1@example.com' }, { email: 'b2@example.com' }],
    }),
  },
  {
    name: 'bcc only',
    message: () => ({ from: FROM, bcc: 'hidden@example.com', subject: 'Hello', text: 'Hi' }),
    expected: () => ({
      from: { email: FROM },
      bcc: [{ email: 'hidden@example.com' }],
      subject: 'Hello',
      text: 'Hi',
    }),
  },
  {
    name: 'duplicate recipients in one field are sent once (as Nodemailer does)',
    message: () => ({ from: FROM, to: ['a@example.com', 'A <a@example.com>'], subject: 'Hello', text: 'Hi' }),
    expected: () => ({ ...base, to: [{ email: 'a@example.com' }] }),
  },
  {
    name: 'replyTo string',
    ...simple(
      { replyTo: 'Support <support@example.com>' },
      { reply_to: { email: 'support@example.com', name: 'Support' } },
    ),
  },
  {
    name: 'replyTo object in a one-element array',
    ...simple(
      { replyTo: [{ name: 'Help', address: 'help@example.com' }] },
      { reply_to: { email: 'help@example.com', name: 'Help' } },
    ),
  },
  { name: 'sender equal to from', ...simple({ sender: FROM }, {}) },
  { name: 'envelope equal to the headers', ...simple({ envelope: { from: FROM, to: [TO] } }, {}) },
  // --- content
  { name: 'unicode subject', ...simple({ subject: 'Grüße 🎉 — ok' }, { subject: 'Grüße 🎉 — ok' }) },
  {
    name: 'html only',
    message: () => ({ from: FROM, to: TO, subject: 'Hello', html: '<p>Hi</p>' }),
    expected: () => ({ from: base.from, to: base.to, subject: 'Hello', html: '<p>Hi</p>' }),
  },
  { name: 'text and html', ...simple({ html: '<b>Hi</b>' }, { html: '<b>Hi</b>' }) },
  {
    name: 'text from a Buffer',
    ...simple({ text: Buffer.from('Hi from a buffer ✓') }, { text: 'Hi from a buffer ✓' }),
  },
  { name: 'html from a Buffer', ...simple({ html: Buffer.from('<i>buf</i>') }, { html: '<i>buf</i>' }) },
  {
    name: 'text from a stream',
    ...simple(() => ({ text: Readable.from([Buffer.from('streamed '), Buffer.from('text')]) }), {
      text: 'streamed text',
    }),
  },
  {
    name: 'html from a file path',
    message: (context) => ({
      from: FROM,
      to: TO,
      subject: 'Hello',
      html: { path: join(context.dir, 'body.html') },
    }),
    expected: () => ({ from: base.from, to: base.to, subject: 'Hello', html: '<h1>From a file</h1>' }),
  },
  {
    name: 'text from an href',
    message: (context) => ({
      from: FROM,
      to: TO,
      subject: 'Hello',
      text: { href: `${context.content}/body.txt` },
    }),
    expected: () => ({ from: base.from, to: base.to, subject: 'Hello', text: 'Text over HTTP' }),
  },
  {
    name: 'html as base64 content object',
    ...simple({ html: { content: b64('<p>encoded</p>'), encoding: 'base64' } }, { html: '<p>encoded</p>' }),
  },
  {
    name: 'text from a data URL',
    ...simple(
      { text: { path: 'data:text/plain;base64,' + b64('data url text') } },
      { text: 'data url text' },
    ),
  },
  // --- attachments
  {
    name: 'attachment from utf-8 string content is base64-encoded',
    ...simple(
      { attachments: [{ filename: 'note.txt', content: 'héllo wörld' }] },
      {
        attachments: [
          {
            filename: 'note.txt',
            type: 'text/plain',
            disposition: 'attachment',
            content: b64('héllo wörld'),
          },
        ],
      },
    ),
  },
  {
    name: 'attachment with base64 string content',
    ...simple(
      { attachments: [{ filename: 'a.bin', content: b64('raw bytes'), encoding: 'base64' }] },
      {
        attachments: [
          {
            filename: 'a.bin',
            type: 'application/octet-stream',
            disposition: 'attachment',
            content: b64('raw bytes'),
          },
        ],
      },
    ),
  },
  {
    name: 'attachment with hex string content',
    ...simple(
      { attachments: [{ filename: 'h.bin', content: Buffer.from('hex!').toString('hex'), encoding: 'hex' }] },
      {
        attachments: [
          {
            filename: 'h.bin',
            type: 'application/octet-stream',
            disposition: 'attachment',
            content: b64('hex!'),
          },
        ],
      },
    ),
  },
  {
    name: 'attachment from a Buffer',
    ...simple(
      { attachments: [{ filename: 'pixel.png', content: PNG }] },
      {
        attachments: [
          {
            filename: 'pixel.png',
            type: 'image/png',
            disposition: 'attachment',
            content: PNG.toString('base64'),
          },
        ],
      },
    ),
  },
  {
    name: 'attachment from a stream',
    ...simple(
      () => ({
        attachments: [
          { filename: 'stream.txt', content: Readable.from([Buffer.from('from '), Buffer.from('a stream')]) },
        ],
      }),
      {
        attachments: [
          {
            filename: 'stream.txt',
            type: 'text/plain',
            disposition: 'attachment',
            content: b64('from a stream'),
          },
        ],
      },
    ),
  },
  {
    name: 'attachment from a path, file name inferred',
    message: (context) => ({
      from: FROM,
      to: TO,
      subject: 'Hello',
      text: 'Hi',
      attachments: [{ path: join(context.dir, 'report.csv') }],
    }),
    expected: () => ({
      ...base,
      attachments: [
        { filename: 'report.csv', type: 'text/csv', disposition: 'attachment', content: b64('a,b\n1,2\n') },
      ],
    }),
  },
  {
    name: 'attachment from an href, file name from the URL',
    message: (context) => ({
      from: FROM,
      to: TO,
      subject: 'Hello',
      text: 'Hi',
      attachments: [{ href: `${context.content}/files/logo.png?version=2` }],
    }),
    expected: () => ({
      ...base,
      attachments: [
        {
          filename: 'logo.png',
          type: 'image/png',
          disposition: 'attachment',
          content: PNG.toString('base64'),
        },
      ],
    }),
  },
  {
    name: 'attachment from an http(s) path',
    message: (context) => ({
      from: FROM,
      to: TO,
      subject: 'Hello',
      text: 'Hi',
      attachments: [{ path: `${context.content}/body.txt` }],
    }),
    expected: () => ({
      ...base,
      attachments: [
        {
          filename: 'body.txt',
          type: 'text/plain',
          disposition: 'attachment',
          content: b64('Text over HTTP'),
        },
      ],
    }),
  },
  {
    name: 'attachment from a data URL',
    ...simple(
      { attachments: [{ path: 'data:image/png;base64,' + PNG.toString('base64') }] },
      {
        attachments: [
          {
            filename: 'attachment-1.png',
            type: 'image/png',
            disposition: 'attachment',
            content: PNG.toString('base64'),
          },
        ],
      },
    ),
  },
  {
    name: 'inline image with cid',
    ...simple(
      {
        html: '<img src="cid:logo@example">',
        attachments: [{ filename: 'logo.png', content: PNG, cid: 'logo@example' }],
      },
      {
        html: '<img src="cid:logo@example">',
        attachments: [
          {
            filename: 'logo.png',
            type: 'image/png',
            disposition: 'inline',
            content_id: 'logo@example',
            content: PNG.toString('base64'),
          },
        ],
      },
    ),
  },
  {
    name: 'cid on a non-image stays an attachment (as Nodemailer decides)',
    ...simple(
      { attachments: [{ filename: 'doc.pdf', content: 'pdf', cid: 'doc@example' }] },
      {
        attachments: [
          {
            filename: 'doc.pdf',
            type: 'application/pdf',
            disposition: 'attachment',
            content_id: 'doc@example',
            content: b64('pdf'),
          },
        ],
      },
    ),
  },
  {
    name: 'explicit contentDisposition inline',
    ...simple(
      { attachments: [{ filename: 'a.txt', content: 'x', contentDisposition: 'inline' }] },
      { attachments: [{ filename: 'a.txt', type: 'text/plain', disposition: 'inline', content: b64('x') }] },
    ),
  },
  {
    name: 'explicit contentType',
    ...simple(
      { attachments: [{ filename: 'data', content: '{}', contentType: 'application/json' }] },
      {
        attachments: [
          { filename: 'data', type: 'application/json', disposition: 'attachment', content: b64('{}') },
        ],
      },
    ),
  },
  {
    name: 'no file name: attachment-N plus the extension of the type',
    ...simple(
      { attachments: [{ content: 'a' }, { content: '{}', contentType: 'application/json' }] },
      {
        attachments: [
          {
            filename: 'attachment-1.bin',
            type: 'application/octet-stream',
            disposition: 'attachment',
            content: b64('a'),
          },
          {
            filename: 'attachment-2.json',
            type: 'application/json',
            disposition: 'attachment',
            content: b64('{}'),
          },
        ],
      },
    ),
  },
  {
    name: 'message/rfc822 attachment is inline (as Nodemailer decides)',
    ...simple(
      {
        attachments: [
          { filename: 'fwd.eml', content: 'Subject: x\r\n\r\nbody', contentType: 'message/rfc822' },
        ],
      },
      {
        attachments: [
          {
            filename: 'fwd.eml',
            type: 'message/rfc822',
            disposition: 'inline',
            content: b64('Subject: x\r\n\r\nbody'),
          },
        ],
      },
    ),
  },
  {
    name: 'empty attachment',
    ...simple(
      { attachments: [{ filename: 'empty.txt', content: '' }] },
      {
        attachments: [{ filename: 'empty.txt', type: 'text/plain', disposition: 'attachment', content: '' }],
      },
    ),
  },
  {
    name: 'attachDataUrls turns data images into inline attachments',
    message: () => ({
      from: FROM,
      to: TO,
      subject: 'Hello',
      attachDataUrls: true,
      html: `<img src="data:image/png;base64,${PNG.toString('base64')}">`,
    }),
    expected: () => ({
      from: base.from,
      to: base.to,
      subject: 'Hello',
      html: expect.stringMatching(/^<img src="cid:[0-9a-f]{20}@localhost">$/),
      attachments: [
        {
          filename: 'image-1.png',
          type: 'image/png',
          disposition: 'inline',
          content_id: expect.stringMatching(/^[0-9a-f]{20}@localhost$/),
          content: PNG.toString('base64'),
        },
      ],
    }),
  },
  {
    name: 'icalEvent becomes a text/calendar attachment with its method',
    ...simple(
      { icalEvent: { method: 'request', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' } },
      {
        attachments: [
          {
            filename: 'invite.ics',
            type: 'text/calendar; charset=utf-8; method=REQUEST',
            disposition: 'attachment',
            content: b64('BEGIN:VCALENDAR\r\nEND:VCALENDAR'),
          },
        ],
      },
    ),
  },
  {
    name: 'icalEvent as a plain string',
    ...simple(
      { icalEvent: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' },
      {
        attachments: [
          {
            filename: 'invite.ics',
            type: 'text/calendar; charset=utf-8; method=PUBLISH',
            disposition: 'attachment',
            content: b64('BEGIN:VCALENDAR\r\nEND:VCALENDAR'),
          },
        ],
      },
    ),
  },
  // --- headers
  {
    name: 'headers object',
    ...simple(
      { headers: { 'X-Campaign': 'spring', 'X-Count': 3 } },
      { headers: { 'X-Campaign': 'spring', 'X-Count': '3' } },
    ),
  },
  {
    name: 'headers as an array of { key, value }',
    ...simple(
      {
        headers: [
          { key: 'X-One', value: '1' },
          { key: 'X-Two', value: '2' },
        ],
      },
      { headers: { 'X-One': '1', 'X-Two': '2' } },
    ),
  },
  {
    name: 'prepared header value is kept as given',
    ...simple(
      { headers: { 'X-Raw': { prepared: true, value: '=?utf-8?Q?x?=' } } },
      { headers: { 'X-Raw': '=?utf-8?Q?x?=' } },
    ),
  },
  {
    name: 'header keys normalised like Nodemailer does',
    ...simple({ headers: { 'x-custom-key': 'v' } }, { headers: { 'X-Custom-Key': 'v' } }),
  },
  {
    name: 'unicode header value',
    ...simple({ headers: { 'X-Name': 'Jürgen' } }, { headers: { 'X-Name': 'Jürgen' } }),
  },
  {
    name: 'default headers merged with message headers',
    defaults: { headers: { 'X-Default': 'd', 'X-Both': 'default' } },
    ...simple({ headers: { 'X-Both': 'message' } }, { headers: { 'X-Both': 'message', 'X-Default': 'd' } }),
  },
  {
    name: 'list: unsubscribe with a comment',
    ...simple(
      { list: { unsubscribe: { url: 'https://example.com/u?id=1', comment: 'Unsubscribe' } } },
      { headers: { 'List-Unsubscribe': '<https://example.com/u?id=1> (Unsubscribe)' } },
    ),
  },
  {
    name: 'List-Unsubscribe-Post given as a header',
    ...simple(
      {
        list: { unsubscribe: 'https://example.com/u' },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      },
      {
        headers: {
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Unsubscribe': '<https://example.com/u>',
        },
      },
    ),
  },
  {
    name: 'list: several unsubscribe URLs become one comma-separated field',
    ...simple(
      { list: { unsubscribe: ['https://example.com/u', 'unsubscribe@example.com'] } },
      { headers: { 'List-Unsubscribe': '<https://example.com/u>, <mailto:unsubscribe@example.com>' } },
    ),
  },
  {
    name: 'list: id with a comment',
    ...simple(
      { list: { id: { url: 'news.example.com', comment: 'News' } } },
      { headers: { 'List-ID': '"News" <news.example.com>' } },
    ),
  },
  {
    name: 'list: help, subscribe, owner, archive, post',
    ...simple(
      {
        list: {
          help: 'admin@example.com?subject=help',
          subscribe: 'https://example.com/sub',
          owner: 'owner@example.com',
          archive: 'https://example.com/archive',
          post: 'list@example.com',
        },
      },
      {
        headers: {
          'List-Help': '<mailto:admin@example.com?subject=help>',
          'List-Subscribe': '<https://example.com/sub>',
          'List-Owner': '<mailto:owner@example.com>',
          'List-Archive': '<https://example.com/archive>',
          'List-Post': '<mailto:list@example.com>',
        },
      },
    ),
  },
  {
    name: 'inReplyTo',
    ...simple({ inReplyTo: 'parent@example.com' }, { headers: { 'In-Reply-To': '<parent@example.com>' } }),
  },
  {
    name: 'references as an array',
    ...simple(
      { references: ['a@example.com', '<b@example.com>'] },
      { headers: { References: '<a@example.com> <b@example.com>' } },
    ),
  },
  {
    name: 'references as a string',
    ...simple(
      { references: 'a@example.com b@example.com' },
      { headers: { References: '<a@example.com> <b@example.com>' } },
    ),
  },
  {
    name: 'messageId',
    ...simple(
      { messageId: 'custom-id@example.com' },
      { headers: { 'Message-ID': '<custom-id@example.com>' } },
    ),
  },
  {
    name: 'priority high',
    ...simple(
      { priority: 'high' },
      { headers: { 'X-Priority': '1 (Highest)', 'X-Msmail-Priority': 'High', Importance: 'High' } },
    ),
  },
  {
    name: 'priority low',
    ...simple(
      { priority: 'low' },
      { headers: { 'X-Priority': '5 (Lowest)', 'X-Msmail-Priority': 'Low', Importance: 'Low' } },
    ),
  },
  { name: 'priority normal adds nothing', ...simple({ priority: 'normal' }, {}) },
  {
    name: 'date as a Date',
    ...simple(
      { date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) },
      { headers: { Date: 'Tue, 02 Jan 2024 03:04:05 +0000' } },
    ),
  },
  { name: 'xMailer', ...simple({ xMailer: 'My App 1.0' }, { headers: { 'X-Mailer': 'My App 1.0' } }) },
  {
    name: 'otp (Nodemailer 10)',
    only: 'nodemailer 10',
    ...simple(
      { otp: { code: '123456', origin: 'https://example.com' } },
      { headers: { 'OTP-Token': expect.stringContaining('123456') } },
    ),
  },
  // --- Mailtrap's own options
  { name: 'category', ...simple({ category: 'Welcome' }, { category: 'Welcome' }) },
  {
    name: 'customVariables',
    ...simple({ customVariables: { user_id: '42' } }, { custom_variables: { user_id: '42' } }),
  },
  {
    name: 'custom_variables (snake_case)',
    ...simple({ custom_variables: { order: 'A1' } }, { custom_variables: { order: 'A1' } }),
  },
  {
    name: 'templateUuid and templateVariables',
    message: () => ({
      from: FROM,
      to: TO,
      templateUuid: TEMPLATE_UUID,
      templateVariables: { name: 'Ann', items: [1, 2] },
    }),
    expected: () => ({
      from: base.from,
      to: base.to,
      template_uuid: TEMPLATE_UUID,
      template_variables: { name: 'Ann', items: [1, 2] },
    }),
  },
  {
    name: 'template_uuid and template_variables (snake_case)',
    message: () => ({ from: FROM, to: TO, template_uuid: TEMPLATE_UUID, template_variables: { name: 'Bo' } }),
    expected: () => ({
      from: base.from,
      to: base.to,
      template_uuid: TEMPLATE_UUID,
      template_variables: { name: 'Bo' },
    }),
  },
  {
    name: 'everything at once',
    message: (context) => ({
      from: 'Shop <sender@example.com>',
      to: ['a@example.com', 'B <b@example.com>'],
      cc: 'c@example.com',
      bcc: 'd@example.com',
      replyTo: 'help@example.com',
      subject: 'Order',
      text: 'Thanks',
      html: '<p>Thanks</p>',
      attachments: [{ path: join(context.dir, 'report.csv') }, { filename: 'x.txt', content: 'x' }],
      headers: { 'X-Order': '7' },
      list: { unsubscribe: 'https://example.com/u' },
      category: 'Orders',
      customVariables: { order: '7' },
    }),
    expected: () => ({
      from: { email: FROM, name: 'Shop' },
      to: [{ email: 'a@example.com' }, { email: 'b@example.com', name: 'B' }],
      cc: [{ email: 'c@example.com' }],
      bcc: [{ email: 'd@example.com' }],
      reply_to: { email: 'help@example.com' },
      subject: 'Order',
      text: 'Thanks',
      html: '<p>Thanks</p>',
      attachments: [
        { filename: 'report.csv', type: 'text/csv', disposition: 'attachment', content: b64('a,b\n1,2\n') },
        { filename: 'x.txt', type: 'text/plain', disposition: 'attachment', content: b64('x') },
      ],
      headers: { 'X-Order': '7', 'List-Unsubscribe': '<https://example.com/u>' },
      category: 'Orders',
      custom_variables: { order: '7' },
    }),
  },
  {
    name: 'message defaults from createTransport',
    defaults: { from: 'Defaults <sender@example.com>', category: 'Default category' },
    message: () => ({ to: TO, subject: 'Hello', text: 'Hi' }),
    expected: () => ({ ...base, from: { email: FROM, name: 'Defaults' }, category: 'Default category' }),
  },
];

let emulator: RunningEmulator;
let contentServer: Awaited<ReturnType<typeof startContentServer>>;
const context: Context = { dir: '', content: '' };

beforeAll(async () => {
  emulator = await startEmulator({
    templates: [
      {
        uuid: TEMPLATE_UUID,
        name: 'Welcome',
        subject: 'Hi {{name}}',
        category: 'Welcome',
        body_text: 'Hello {{name}}',
      },
    ],
  });
  contentServer = await startContentServer({
    '/body.txt': { body: 'Text over HTTP', type: 'text/plain' },
    '/files/logo.png': { body: PNG, type: 'image/png' },
  });
  context.dir = await mkdtemp(join(tmpdir(), 'mailtrap-kit-nodemailer-'));
  context.content = contentServer.url;
  await writeFile(join(context.dir, 'body.html'), '<h1>From a file</h1>');
  await writeFile(join(context.dir, 'report.csv'), 'a,b\n1,2\n');
});

afterAll(async () => {
  await emulator?.close();
  await contentServer?.close();
  if (context.dir) await rm(context.dir, { recursive: true, force: true });
});

beforeEach(() => emulator.reset());

describe.each(nodemailerMajors)('conformance through %s', (major, nodemailer) => {
  const applicable = shapes.filter((shape) => !shape.only || shape.only === major);
  it.each(applicable.map((shape) => [shape.name, shape] as const))('%s', async (_name, shape) => {
    const transporter = nodemailer.createTransport(
      MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false }),
      shape.defaults,
    );
    try {
      const info = await transporter.sendMail(shape.message(context));
      const messages = emulator.messages();
      expect(messages).toHaveLength(1);
      const stored = messages[0]!;
      expect(stored.raw).toEqual(shape.expected(context));
      expect(stored.unknownKeys).toEqual([]);
      expect(info.messageIds).toEqual(stored.messageIds);
      expect(info.messageId).toBe(stored.messageIds[0]);
      const expected = shape.expected(context) as Record<string, Array<{ email: string }> | undefined>;
      const recipients = [...(expected.to ?? []), ...(expected.cc ?? []), ...(expected.bcc ?? [])].map(
        (a) => a.email,
      );
      expect(info.accepted).toEqual(recipients);
      expect(info.rejected).toEqual([]);
    } finally {
      await transporter.close();
    }
  });
});

export const conformanceShapeCount = shapes.length;
