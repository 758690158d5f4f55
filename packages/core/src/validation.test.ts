import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchSendRequest,
  LIMITS,
  MailtrapClient,
  MailtrapValidationError,
  messageSize,
  type SendMail,
  validateBatch,
  validateSendMail,
} from './index';
import { json, startTestServer, type TestServer } from './test-server';

const from = { email: 'sender@example.com' };
const to = [{ email: 'a@example.org' }];
const valid: SendMail = { from, to, subject: 'Hi', text: 'Body' };
const templateUuid = 'b81aabcd-1a1e-41cf-91b6-eca0254b3d96';

function addresses(count: number) {
  return Array.from({ length: count }, (_, index) => ({ email: `r${index}@example.org` }));
}

function expectInvalid(run: () => unknown, field: string, why: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(MailtrapValidationError.isInstance(caught), `expected a validation error for ${field}`).toBe(true);
  const error = caught as MailtrapValidationError;
  expect(error.field).toBe(field);
  expect(error.code).toBe('validation');
  expect(error.status).toBeUndefined();
  expect(error.message).toContain(field);
  expect(error.message).toMatch(why);
}

const sendCases: Array<[string, unknown, string, RegExp]> = [
  ['from missing', { to, subject: 'Hi', text: 'x' }, 'from', /is required/],
  ['from without email', { ...valid, from: { name: 'x' } }, 'from.email', /non-empty string/],
  ['from not an email', { ...valid, from: { email: 'nobody' } }, 'from.email', /not an email address/],
  [
    'display name in email',
    { ...valid, to: [{ email: 'Ada <ada@example.org>' }] },
    'to[0].email',
    /display name in `name`/,
  ],
  ['no recipients', { from, subject: 'Hi', text: 'x' }, 'to', /at least one recipient/],
  [
    'empty recipient lists',
    { from, to: [], cc: [], subject: 'Hi', text: 'x' },
    'to',
    /at least one recipient/,
  ],
  ['to not an array', { ...valid, to: { email: 'a@example.org' } }, 'to', /must be an array/],
  ['too many to', { ...valid, to: addresses(1001) }, 'to', /1001 recipients.*at most 1000/],
  ['too many cc', { ...valid, cc: addresses(1001) }, 'cc', /at most 1000/],
  ['too many bcc', { ...valid, bcc: addresses(1001) }, 'bcc', /at most 1000/],
  [
    'bad recipient',
    { ...valid, to: [{ email: 'ok@example.org' }, { email: '' }] },
    'to[1].email',
    /non-empty/,
  ],
  [
    'unknown address key',
    { ...valid, cc: [{ email: 'a@example.org', nmae: 'x' }] },
    'cc[0].nmae',
    /not a known address field/,
  ],
  [
    'reply_to as an array',
    { ...valid, reply_to: [{ email: 'r@example.org' }] },
    'reply_to',
    /ONE address object/,
  ],
  ['reply_to invalid', { ...valid, reply_to: { email: 'r' } }, 'reply_to.email', /not an email/],
  ['subject missing', { from, to, text: 'x' }, 'subject', /required unless `template_uuid`/],
  ['subject empty', { ...valid, subject: '' }, 'subject', /must not be empty/],
  ['subject not a string', { ...valid, subject: 5 }, 'subject', /must be a string/],
  ['no body', { from, to, subject: 'Hi' }, 'text', /`html` is required/],
  ['text empty', { ...valid, text: '' }, 'text', /must not be empty/],
  ['html empty', { ...valid, html: '' }, 'html', /must not be empty/],
  [
    'template with subject',
    { from, to, template_uuid: templateUuid, subject: 'x' },
    'subject',
    /must not be sent with `template_uuid`/,
  ],
  ['template with text', { from, to, template_uuid: templateUuid, text: 'x' }, 'text', /template_uuid/],
  ['template with html', { from, to, template_uuid: templateUuid, html: '<p>' }, 'html', /template_uuid/],
  [
    'template with category',
    { from, to, template_uuid: templateUuid, category: 'c' },
    'category',
    /template_uuid/,
  ],
  [
    'template uuid malformed',
    { from, to, template_uuid: 'welcome' },
    'template_uuid',
    /must be a template UUID/,
  ],
  [
    'template_variables without template',
    { ...valid, template_variables: { a: 1 } },
    'template_variables',
    /only used with `template_uuid`/,
  ],
  [
    'template_variables not an object',
    { from, to, template_uuid: templateUuid, template_variables: [1] },
    'template_variables',
    /must be an object/,
  ],
  [
    'custom variable not a string',
    { ...valid, custom_variables: { user_id: { id: 42 } } },
    'custom_variables.user_id',
    /must be a string/,
  ],
  [
    'custom variables too large',
    { ...valid, custom_variables: { blob: 'x'.repeat(1000) } },
    'custom_variables',
    /bytes as JSON; at most 1000/,
  ],
  [
    'custom variables not an object',
    { ...valid, custom_variables: 'a=b' },
    'custom_variables',
    /object of string values/,
  ],
  ['category too long', { ...valid, category: 'c'.repeat(256) }, 'category', /256 characters; at most 255/],
  ['category not a string', { ...valid, category: 1 }, 'category', /must be a string/],
  [
    'attachment without filename',
    { ...valid, attachments: [{ content: 'YWJj' }] },
    'attachments[0].filename',
    /is required/,
  ],
  [
    'attachment without content',
    { ...valid, attachments: [{ filename: 'a.txt' }] },
    'attachments[0].content',
    /is required/,
  ],
  [
    'attachment content not base64',
    { ...valid, attachments: [{ filename: 'a.txt', content: 'hello world!' }] },
    'attachments[0].content',
    /must be base64/,
  ],
  [
    'attachment two sources',
    { ...valid, attachments: [{ filename: 'a', content: 'YWJj', path: '/tmp/x' }] },
    'attachments[0]',
    /exactly one of/,
  ],
  [
    'attachment bad disposition',
    { ...valid, attachments: [{ filename: 'a', content: 'YWJj', disposition: 'embedded' }] },
    'attachments[0].disposition',
    /'inline' or 'attachment'/,
  ],
  [
    'attachment unknown key',
    { ...valid, attachments: [{ filename: 'a', content: 'YWJj', contentType: 'text/plain' }] },
    'attachments[0].contentType',
    /not a known attachment field.*did you mean `content_type`\?|not a known attachment field/,
  ],
  [
    'attachments not an array',
    { ...valid, attachments: { filename: 'a', content: 'YWJj' } },
    'attachments',
    /must be an array/,
  ],
  [
    'header name with CRLF',
    { ...valid, headers: { 'X-A\r\nBcc': 'x' } },
    'headers.X-A\r\nBcc',
    /not a valid header name/,
  ],
  [
    'header name with colon',
    { ...valid, headers: { 'X-A:': 'x' } },
    'headers.X-A:',
    /not a valid header name/,
  ],
  [
    'header value with LF',
    { ...valid, headers: { 'X-A': 'x\nBcc: evil@example.org' } },
    'headers.X-A',
    /CR or LF/,
  ],
  ['header value not a string', { ...valid, headers: { 'X-A': 1 } }, 'headers.X-A', /must be a string/],
  ['address with CR', { ...valid, to: [{ email: 'a@example.org\rBcc: x@y.z' }] }, 'to[0].email', /CR or LF/],
  [
    'address name with LF',
    { ...valid, from: { email: 'a@example.org', name: 'A\nB' } },
    'from.name',
    /CR or LF/,
  ],
  [
    'unknown top-level key',
    { ...valid, replyTo: { email: 'r@example.org' } },
    'replyTo',
    /API would drop it silently.*reply_to/,
  ],
  [
    'camelCase custom variables',
    { ...valid, customVariables: { a: 'b' } },
    'customVariables',
    /did you mean `custom_variables`/,
  ],
  [
    'message over 10 MB',
    { ...valid, text: 'x'.repeat(LIMITS.maxMessageBytes) },
    'message',
    /at most 10485760 bytes/,
  ],
];

describe('validateSendMail', () => {
  it('accepts a valid message, a template message and every optional field', () => {
    expect(() => validateSendMail(valid)).not.toThrow();
    expect(() =>
      validateSendMail({
        from,
        to,
        template_uuid: templateUuid,
        template_variables: { user: { name: 'A' }, items: [1] },
      }),
    ).not.toThrow();
    expect(() =>
      validateSendMail({
        from: { email: 'sender@example.com', name: 'Sender' },
        to: addresses(1000),
        cc: [{ email: 'c@example.org' }],
        bcc: [{ email: 'b@example.org' }],
        reply_to: { email: 'r@example.org', name: 'R' },
        subject: 'S',
        text: 'T',
        html: '<p>H</p>',
        attachments: [
          { filename: 'a.txt', content: 'YWJj', type: 'text/plain', disposition: 'inline', content_id: 'a' },
          { filename: 'b.bin', content: Buffer.from([1, 2, 3]) },
        ],
        headers: { 'X-Campaign': 'c-1', 'List-Unsubscribe': '<mailto:u@example.com>' },
        custom_variables: { user_id: '1' },
        category: 'c'.repeat(255),
      }),
    ).not.toThrow();
  });

  it('returns the size it measured, the same as messageSize', () => {
    expect(validateSendMail(valid)).toBe(messageSize(valid));
    expect(validateSendMail(valid)).toBe(Buffer.byteLength(JSON.stringify(valid)));
  });

  for (const [name, input, field, why] of sendCases) {
    it(`rejects: ${name}`, () => {
      expectInvalid(() => validateSendMail(input as SendMail), field, why);
    });
  }
});

const base = { from, subject: 'News', text: 'Body' };
const batchCases: Array<[string, unknown, string, RegExp]> = [
  ['no requests', { base, requests: [] }, 'requests', /at least one/],
  ['requests not an array', { base }, 'requests', /must be an array/],
  [
    'more than 500 requests',
    { base, requests: Array.from({ length: 501 }, () => ({ to })) },
    'requests',
    /501 messages.*at most 500/,
  ],
  ['recipients in base', { base: { ...base, to }, requests: [{ to }] }, 'base.to', /not allowed in `base`/],
  ['cc in base', { base: { ...base, cc: to }, requests: [{ to }] }, 'base.cc', /not allowed in `base`/],
  [
    'request without recipients',
    { base, requests: [{ to }, { subject: 'x' }] },
    'requests[1].to',
    /at least one recipient/,
  ],
  [
    'no sender anywhere',
    { base: { subject: 's', text: 't' }, requests: [{ to }] },
    'requests[0].from',
    /is required/,
  ],
  [
    'no subject anywhere',
    { base: { from, text: 't' }, requests: [{ to }] },
    'requests[0].subject',
    /is required/,
  ],
  [
    'template in base with subject in request',
    { base: { from, template_uuid: templateUuid }, requests: [{ to, subject: 's' }] },
    'requests[0].subject',
    /template_uuid/,
  ],
  [
    'unknown key in base',
    { base: { ...base, reply_too: 'x' }, requests: [{ to }] },
    'base.reply_too',
    /not a known message field/,
  ],
  [
    'unknown key in request',
    { base, requests: [{ to, Subject: 'x' }] },
    'requests[0].Subject',
    /not a known message field/,
  ],
  ['unknown batch key', { base, requests: [{ to }], request: [] }, 'request', /not a known batch field/],
  [
    'reply_to array in request',
    { base, requests: [{ to, reply_to: [{ email: 'r@example.org' }] }] },
    'requests[0].reply_to',
    /ONE address/,
  ],
  [
    'too many recipients in a request',
    { base, requests: [{ to: addresses(1001) }] },
    'requests[0].to',
    /at most 1000/,
  ],
  [
    'CRLF header in base',
    { base: { ...base, headers: { 'X-A': 'a\r\n' } }, requests: [{ to }] },
    'base.headers.X-A',
    /CR or LF/,
  ],
  [
    'one message over 10 MB',
    { base, requests: [{ to }, { to, html: 'x'.repeat(LIMITS.maxMessageBytes) }] },
    'requests[1]',
    /at most 10485760/,
  ],
  [
    'batch over 50 MB',
    { base, requests: Array.from({ length: 6 }, () => ({ to, html: 'x'.repeat(9_000_000) })) },
    'requests',
    /a batch may be at most 52428800/,
  ],
];

describe('validateBatch', () => {
  for (const [name, input, field, why] of batchCases) {
    it(`rejects: ${name}`, () => {
      expectInvalid(() => validateBatch(input as BatchSendRequest), field, why);
    });
  }

  it('accepts a batch whose requests inherit from base or override it', () => {
    expect(() =>
      validateBatch({
        base: { from, subject: 'News', html: '<p>x</p>', category: 'news' },
        requests: [{ to }, { cc: to, subject: 'Other' }, { bcc: to, from: { email: 'other@example.com' } }],
      }),
    ).not.toThrow();
    expect(() =>
      validateBatch({
        base: { from, template_uuid: templateUuid },
        requests: [{ to, template_variables: { name: 'A' } }],
      }),
    ).not.toThrow();
    expect(() => validateBatch({ requests: [valid] })).not.toThrow();
  });
});

describe('LIMITS', () => {
  it('is frozen: larger plans pass maxMessageBytes instead of editing it', () => {
    expect(Object.isFrozen(LIMITS)).toBe(true);
    expect(() => {
      (LIMITS as { maxMessageBytes: number }).maxMessageBytes = 30 * 1024 * 1024;
    }).toThrow(TypeError);
    expect(LIMITS.maxMessageBytes).toBe(10_485_760);
  });
});

describe('maxMessageBytes', () => {
  it('can be raised for plans that allow larger messages', () => {
    const big = { ...valid, text: 'x'.repeat(LIMITS.maxMessageBytes) };
    expect(() => validateSendMail(big, { maxMessageBytes: 20 * 1024 * 1024 })).not.toThrow();
    expect(() => validateBatch({ requests: [big] }, { maxMessageBytes: 20 * 1024 * 1024 })).not.toThrow();
    expectInvalid(() => validateSendMail(big), 'message', /at most 10485760/);
  });

  it('names an attachment path that cannot be read', () => {
    expectInvalid(
      () =>
        validateSendMail({
          ...valid,
          attachments: [{ filename: 'x', path: '/nonexistent/mailtrap-kit/file.pdf' }],
        }),
      'attachments[0].path',
      /cannot be read: no such file/,
    );
    expectInvalid(
      () => validateSendMail({ ...valid, attachments: [{ filename: 'x', path: tmpdir() }] }),
      'attachments[0].path',
      /is a directory, not a file/,
    );
    expectInvalid(
      () => messageSize({ ...valid, attachments: [{ filename: 'x', path: '/nonexistent/file.pdf' }] }),
      'attachments[0].path',
      /no such file/,
    );
    expectInvalid(
      () =>
        validateBatch({
          requests: [valid, { ...valid, attachments: [{ filename: 'x', path: '/nonexistent/file.pdf' }] }],
        }),
      'requests[1].attachments[0].path',
      /no such file/,
    );
  });
});

describe('messageSize', () => {
  it('counts the JSON bytes with attachments base64-encoded', () => {
    const bytes = Buffer.alloc(3000, 7);
    const withBuffer = { ...valid, attachments: [{ filename: 'a.bin', content: bytes }] };
    const withBase64 = { ...valid, attachments: [{ filename: 'a.bin', content: bytes.toString('base64') }] };
    expect(messageSize(withBuffer)).toBe(Buffer.byteLength(JSON.stringify(withBase64)));
    expect(messageSize({ ...valid, subject: 'é' })).toBe(
      Buffer.byteLength(JSON.stringify({ ...valid, subject: 'é' })),
    );
  });
});

describe('nothing is sent when validation fails', () => {
  let server: TestServer;
  let client: MailtrapClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new MailtrapClient({ token: 'validation-token', endpoints: { send: server.url } });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('rejects send and batchSend before any request', async () => {
    for (const [, input, field] of sendCases) {
      const error = await client.send(input as SendMail).catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error)).toBe(true);
      expect((error as MailtrapValidationError).field).toBe(field);
    }
    for (const [, input, field] of batchCases) {
      const error = await client.batchSend(input as BatchSendRequest).catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error)).toBe(true);
      expect((error as MailtrapValidationError).field).toBe(field);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('batchSend with validated: true', () => {
  let server: TestServer;
  let client: MailtrapClient;
  let directory: string;
  beforeAll(async () => {
    server = await startTestServer((_request, response) =>
      json(response, 200, { success: true, responses: [{ success: true, message_ids: ['id-1'] }] }),
    );
    client = new MailtrapClient({ token: 'validated-token', endpoints: { send: server.url } });
    directory = await mkdtemp(join(tmpdir(), 'mailtrap-kit-validated-'));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('skips the per-message checks the caller already ran', async () => {
    // Without the option, the missing subject is refused; with it, the batch goes out as given.
    const batch: BatchSendRequest = { requests: [{ from, to, text: 'no subject' }] };
    const error = await client.batchSend(batch).catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('requests[0].subject');
    expect(server.requests).toHaveLength(0);
    const result = await client.batchSend(batch, { validated: true });
    expect(result.success).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toEqual(batch);
    server.requests.length = 0;
  });

  it('still checks the batch limits: 1-500 requests, 50 MB in total, readable paths', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ requests: [] }, 'requests', /at least one/],
      [{ requests: Array.from({ length: 501 }, () => valid) }, 'requests', /at most 500/],
      [{ requests: [valid, 'x'] }, 'requests[1]', /must be an object/],
      [undefined, 'batch', /must be an object/],
      [
        { requests: [{ ...valid, attachments: [{ filename: 'x', path: join(directory, 'gone.bin') }] }] },
        'requests[0].attachments[0].path',
        /no such file/,
      ],
    ];
    // 38 MB of file is 50.7 MB of base64: over the batch limit, measured by stat without reading it.
    const sparse = join(directory, 'sparse.bin');
    await writeFile(sparse, '');
    await truncate(sparse, 38 * 1024 * 1024);
    cases.push([
      { requests: [{ ...valid, attachments: [{ filename: 'big.bin', path: sparse }] }] },
      'requests',
      /a batch may be at most 52428800/,
    ]);
    for (const [batch, field, why] of cases) {
      const error = await client
        .batchSend(batch as BatchSendRequest, { validated: true })
        .catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error), field).toBe(true);
      expect((error as MailtrapValidationError).field).toBe(field);
      expect((error as Error).message).toMatch(why);
    }
    expect(server.requests).toHaveLength(0);
  });
});
