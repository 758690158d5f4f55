import { once } from 'node:events';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import {
  MailtrapAbortError,
  MailtrapAuthenticationError,
  MailtrapClient,
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapNetworkError,
  MailtrapPayloadTooLargeError,
  MailtrapPermissionError,
  MailtrapRateLimitError,
  MailtrapServerError,
  MailtrapValidationError,
} from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MailtrapSentMessageInfo, type MailtrapTransportSettings, MailtrapTransport } from './index';
import { nodemailerMajors, startContentServer } from './test-helpers';

const FROM = 'sender@example.com';
const message = (extra: Record<string, unknown> = {}) => ({
  from: FROM,
  to: 'to@example.com',
  subject: 'Hello',
  text: 'Hi',
  ...extra,
});

let emulator: RunningEmulator;
let small: RunningEmulator; // accepts messages of at most 600 bytes, for 413
let contentServer: Awaited<ReturnType<typeof startContentServer>>;
const opened: Array<{ close(): unknown }> = [];

function transporter(settings: MailtrapTransportSettings = {}, defaults?: Record<string, unknown>) {
  const created = nodemailer.createTransport(
    MailtrapTransport({
      token: emulator.token,
      endpoints: emulator.endpoints,
      retry: false,
      ...settings,
    }) as any,
    defaults,
  );
  opened.push(created);
  return created;
}

beforeAll(async () => {
  emulator = await startEmulator();
  small = await startEmulator({ maxMessageBytes: 600 });
  contentServer = await startContentServer({ '/secret.txt': { body: 'secret' } });
});

afterAll(async () => {
  for (const item of opened) await item.close();
  await emulator?.close();
  await small?.close();
  await contentServer?.close();
});

beforeEach(() => {
  emulator.reset();
  contentServer.hits.length = 0;
});

describe('info', () => {
  it('is Nodemailer-shaped with all of Mailtrap’s message ids', async () => {
    const info = (await transporter().sendMail(
      message({ to: ['a@example.com', 'b@example.com'], cc: 'c@example.com', bcc: 'd@example.com' }),
    )) as unknown as MailtrapSentMessageInfo;
    const stored = emulator.messages()[0]!;
    expect(info.messageIds).toHaveLength(4);
    expect(info.messageIds).toEqual(stored.messageIds);
    expect(info.messageId).toBe(stored.messageIds[0]);
    expect(info.accepted).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
    expect(info.rejected).toEqual([]);
    expect(info.envelope).toEqual({
      from: FROM,
      to: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'],
    });
    expect(info.response).toContain(stored.messageIds[0]);
  });

  it('works with the callback form of sendMail', async () => {
    const info = await new Promise<MailtrapSentMessageInfo>((resolve, reject) =>
      transporter().sendMail(message(), (error: Error | null, result: any) =>
        error ? reject(error) : resolve(result),
      ),
    );
    expect(info.messageIds).toEqual(emulator.messages()[0]!.messageIds);
  });
});

describe('refused options name the option and send nothing', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['sender different from from', { sender: 'other@example.com' }, 'sender'],
    ['envelope with other recipients', { envelope: { from: FROM, to: ['x@example.com'] } }, 'envelope'],
    ['two reply-to addresses', { replyTo: ['a@example.com', 'b@example.com'] }, 'replyTo'],
    ['two from addresses', { from: 'a@example.com, b@example.com' }, 'from'],
    ['no from', { from: undefined }, 'from'],
    ['raw', { raw: 'Subject: x\r\n\r\nbody' }, 'raw'],
    ['amp', { amp: '<html amp></html>' }, 'amp'],
    ['watchHtml', { watchHtml: '<b>watch</b>' }, 'watchHtml'],
    [
      'alternatives',
      { alternatives: [{ contentType: 'text/x-web-markdown', content: '**x**' }] },
      'alternatives',
    ],
    ['textEncoding', { textEncoding: 'base64' }, 'textEncoding'],
    ['encoding', { encoding: 'base64' }, 'encoding'],
    ['newline', { newline: 'windows' }, 'newline'],
    ['boundaryPrefix', { boundaryPrefix: '--x' }, 'boundaryPrefix'],
    ['dsn', { dsn: { notify: 'success' } }, 'dsn'],
    ['auth', { auth: { user: 'u', pass: 'p' } }, 'auth'],
    ['an unknown option (a typo)', { custom_variable: { a: '1' } }, 'custom_variable'],
    ['a multi-value header', { headers: { 'X-Tag': ['a', 'b'] } }, 'headers.X-Tag'],
    [
      'the same header in two spellings',
      {
        headers: [
          { key: 'x-tag', value: 'a' },
          { key: 'X-TAG', value: 'b' },
        ],
      },
      'headers.X-Tag',
    ],
    ['a Content-Type header', { headers: { 'Content-Type': 'text/plain' } }, 'headers.Content-Type'],
    [
      'a Content-Transfer-Encoding header',
      { headers: { 'Content-Transfer-Encoding': '8bit' } },
      'headers.Content-Transfer-Encoding',
    ],
    ['attachment raw', { attachments: [{ raw: 'Content-Type: text/plain\r\n\r\nx' }] }, 'attachments[0].raw'],
    [
      'attachment headers',
      { attachments: [{ filename: 'a.txt', content: 'a', headers: { 'X-A': '1' } }] },
      'attachments[0].headers',
    ],
    [
      'attachment filename false',
      { attachments: [{ filename: false, content: 'a' }] },
      'attachments[0].filename',
    ],
    [
      'attachment disposition form-data',
      { attachments: [{ filename: 'a.txt', content: 'a', contentDisposition: 'form-data' }] },
      'attachments[0].contentDisposition',
    ],
    ['html raw', { html: { raw: 'Content-Type: text/html\r\n\r\n<b>x</b>' } }, 'html.raw'],
    [
      'both spellings differing',
      { customVariables: { a: '1' }, custom_variables: { a: '2' } },
      'customVariables',
    ],
  ];
  it.each(cases)('%s', async (_name, extra, field) => {
    const error = await transporter()
      .sendMail(message(extra))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe(field);
    expect((error as Error).message).toContain(`\`${field}\``);
    expect(emulator.requests()).toHaveLength(0);
  });

  it('core’s validation runs before sending (template with subject)', async () => {
    const error = await transporter()
      .sendMail(message({ templateUuid: '3f7d3c53-6c8a-4e1f-9a3c-0b1f2d3e4f50' }))
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect(emulator.requests()).toHaveLength(0);
  });

  it('ignoreOptions accepts listed options (a plugin’s keys) instead of refusing them', async () => {
    await transporter({ ignoreOptions: ['template', 'context', 'textEncoding'] }).sendMail(
      message({ template: 'welcome', context: { a: 1 }, textEncoding: 'base64' }),
    );
    expect(emulator.messages()).toHaveLength(1);
  });

  it('refuses otp under Nodemailer 9, which does not write the header', async () => {
    const nodemailer9 = nodemailerMajors[1]![1];
    const created = nodemailer9.createTransport(
      MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false }),
    );
    opened.push(created);
    const error = await created
      .sendMail(message({ otp: { code: '1', origin: 'https://example.com' } }))
      .catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('otp');
  });
});

describe('file and URL access', () => {
  it('disableUrlAccess on the message refuses href content without fetching it', async () => {
    const error = await transporter()
      .sendMail(
        message({ disableUrlAccess: true, attachments: [{ href: `${contentServer.url}/secret.txt` }] }),
      )
      .catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('attachments[0].href');
    expect((error as Error).message).toContain('disableUrlAccess');
    expect(contentServer.hits).toEqual([]);
    expect(emulator.requests()).toHaveLength(0);
  });

  it('disableUrlAccess in the defaults refuses an href body', async () => {
    const error = await transporter({}, { disableUrlAccess: true })
      .sendMail(message({ text: { href: `${contentServer.url}/secret.txt` } }))
      .catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('text');
    expect(contentServer.hits).toEqual([]);
  });

  it('disableFileAccess (transport setting) refuses path attachments and bodies', async () => {
    const created = transporter({ disableFileAccess: true });
    const attachment = await created
      .sendMail(message({ attachments: [{ path: '/etc/hostname' }] }))
      .catch((caught: unknown) => caught);
    expect((attachment as MailtrapValidationError).field).toBe('attachments[0].path');
    expect((attachment as Error).message).toContain('disableFileAccess');
    const body = await created
      .sendMail(message({ html: { path: '/etc/hostname' } }))
      .catch((caught: unknown) => caught);
    expect((body as MailtrapValidationError).field).toBe('html');
    expect(emulator.requests()).toHaveLength(0);
  });

  it('a missing href fails with the fetch error as the cause', async () => {
    const error = await transporter()
      .sendMail(message({ attachments: [{ href: `${contentServer.url}/missing.txt` }] }))
      .catch((caught: unknown) => caught);
    expect((error as MailtrapValidationError).field).toBe('attachments[0].href');
    expect((error as MailtrapValidationError).cause).toBeInstanceOf(Error);
  });
});

describe('API failures keep core’s typed errors', () => {
  it('401 wrong token', async () => {
    const error = await transporter({ token: 'wrong-token' })
      .sendMail(message())
      .catch((caught: unknown) => caught);
    expect(MailtrapAuthenticationError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).status).toBe(401);
    expect((error as MailtrapError).errors.length).toBeGreaterThan(0);
    expect((error as Error).message).not.toContain('wrong-token');
  });

  it('403 unverified sending domain', async () => {
    const error = await transporter()
      .sendMail(message({ from: 'someone@unverified-domain.test' }))
      .catch((caught: unknown) => caught);
    expect(MailtrapPermissionError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).status).toBe(403);
    expect((error as MailtrapError).errors.join(' ')).toContain('unverified-domain.test');
  });

  it('413 payload too large', async () => {
    const created = nodemailer.createTransport(
      MailtrapTransport({ token: small.token, endpoints: small.endpoints, retry: false }),
    );
    opened.push(created);
    const error = await created
      .sendMail(message({ text: 'x'.repeat(2000) }))
      .catch((caught: unknown) => caught);
    expect(MailtrapPayloadTooLargeError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).status).toBe(413);
  });

  it('429 rate limited, with Retry-After', async () => {
    emulator.faults.inject({ kind: 'rate_limit', count: 1, retryAfterSeconds: 7 });
    const error = await transporter()
      .sendMail(message())
      .catch((caught: unknown) => caught);
    expect(MailtrapRateLimitError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).status).toBe(429);
    expect((error as MailtrapError).retryAfterMs).toBe(7000);
    expect((error as MailtrapError).retryable).toBe(true);
  });

  it('429 is retried by core when retries are on', async () => {
    emulator.faults.inject({ kind: 'rate_limit', count: 1, retryAfterSeconds: 0 });
    await transporter({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } }).sendMail(message());
    expect(emulator.messages()).toHaveLength(1);
    expect(emulator.requests().map((request) => request.status)).toEqual([429, 200]);
  });

  it('500 is a server error that may have been sent', async () => {
    emulator.faults.inject({ kind: 'server_error', count: 1 });
    const error = await transporter()
      .sendMail(message())
      .catch((caught: unknown) => caught);
    expect(MailtrapServerError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).status).toBe(500);
    expect((error as MailtrapError).maybeSent).toBe(true);
  });

  it('connection refused is a network error with the cause kept', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const base = `http://127.0.0.1:${port}`;
    const error = await transporter({ endpoints: { send: base, bulk: base, sandbox: base, general: base } })
      .sendMail(message())
      .catch((caught: unknown) => caught);
    expect(MailtrapNetworkError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).cause).toBeDefined();
    expect((error as MailtrapError).maybeSent).toBe(false);
  });

  it('a reset after the body was sent may have been sent', async () => {
    emulator.faults.inject({ kind: 'reset_after_body', count: 1 });
    const error = await transporter()
      .sendMail(message())
      .catch((caught: unknown) => caught);
    expect(MailtrapError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).maybeSent).toBe(true);
  });

  it('aborting a hanging send with the message’s signal (Nodemailer 10)', async () => {
    emulator.faults.inject({ kind: 'hang', count: 1 });
    const controller = new AbortController();
    const sending = transporter().sendMail({ ...message(), signal: controller.signal } as any);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    const error = await sending.catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).code).toBe('aborted');
  });

  it('aborting a hanging send under Nodemailer 9 (the transport reads the signal itself)', async () => {
    emulator.faults.inject({ kind: 'hang', count: 1 });
    const nodemailer9 = nodemailerMajors[1]![1];
    const created = nodemailer9.createTransport(
      MailtrapTransport({ token: emulator.token, endpoints: emulator.endpoints, retry: false }),
    );
    opened.push(created);
    const controller = new AbortController();
    const sending = created.sendMail({ ...message(), signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    const error = await sending.catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await transporter()
      .sendMail({ ...message(), signal: controller.signal } as any)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(emulator.requests()).toHaveLength(0);
  });

  it('aborting a message queued for a batch takes it out of the batch', async () => {
    // The batch waits for close(), not for a timer, so a slow machine cannot send it before the abort.
    const created = transporter({ batching: { maxWaitMs: 60_000 } });
    const controller = new AbortController();
    const first = created.sendMail({ ...message({ to: 'a@example.com' }), signal: controller.signal } as any);
    const second = created.sendMail(message({ to: 'b@example.com' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await first.catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect(emulator.requests()).toHaveLength(0);
    await created.close();
    await second;
    expect(emulator.messages().map((stored) => stored.to[0]!.email)).toEqual(['b@example.com']);
  });
});

describe('client settings', () => {
  it('accepts an existing client and leaves it open on close()', async () => {
    const client = new MailtrapClient({ token: emulator.token, endpoints: emulator.endpoints, retry: false });
    const created = nodemailer.createTransport(MailtrapTransport({ client }));
    await created.sendMail(message());
    await created.close();
    await client.send({ from: { email: FROM }, to: [{ email: 'x@example.com' }], subject: 's', text: 't' });
    expect(emulator.messages()).toHaveLength(2);
    await client.close();
  });

  it('refuses a client together with client options', () => {
    const client = new MailtrapClient({ token: emulator.token, endpoints: emulator.endpoints });
    expect(() => MailtrapTransport({ client, token: 'x' })).toThrow(MailtrapConfigurationError);
    return client.close();
  });

  it('refuses invalid batching settings', () => {
    expect(() => MailtrapTransport({ token: 't', batching: { maxMessages: 501 } })).toThrow(/maxMessages/);
    expect(() => MailtrapTransport({ token: 't', batching: { maxWaitMs: -1 } })).toThrow(/maxWaitMs/);
    expect(() => MailtrapTransport({ token: 't', maxConcurrentRequests: 0 })).toThrow(
      /maxConcurrentRequests/,
    );
  });

  it('the from setting is the sender of a message without one', async () => {
    await transporter({ from: '"Shop" <shop@example.com>' }).sendMail({
      to: 'f@example.org',
      subject: 'S',
      text: 'T',
    });
    expect(emulator.messages()[0]!.from).toEqual({ email: 'shop@example.com', name: 'Shop' });
    await transporter({ from: 'shop@example.com' }).sendMail(message({ from: 'other@example.com' }));
    expect(emulator.messages()[1]!.from).toEqual({ email: 'other@example.com' });
  });

  it('maxMessageBytes reaches the client (it was dropped by a copied list of client options)', async () => {
    const error = await transporter({ maxMessageBytes: 1_000 })
      .sendMail(message({ text: 'x'.repeat(2_000) }))
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe('message');
    expect(emulator.requests()).toHaveLength(0);
  });

  it('official spellings: bulk: true sends on the bulk stream', async () => {
    await transporter({ bulk: true }).sendMail(message());
    expect(emulator.messages()[0]!.stream).toBe('bulk');
  });

  it('official spellings: sandbox with testInboxId sends to that sandbox', async () => {
    await transporter({ sandbox: true, testInboxId: 7 }).sendMail(message());
    expect(emulator.messages()[0]!.stream).toBe('sandbox');
    expect(emulator.messages()[0]!.sandboxId).toBe(7);
  });
});

describe('verify()', () => {
  it('resolves true for a valid token without sending mail (promise form)', async () => {
    await expect(transporter().verify()).resolves.toBe(true);
    expect(emulator.messages()).toHaveLength(0);
    expect(emulator.requests()).toHaveLength(1);
  });

  it('callback form', async () => {
    const result = await new Promise((resolve, reject) =>
      transporter().verify((error: Error | null, success: unknown) =>
        error ? reject(error) : resolve(success),
      ),
    );
    expect(result).toBe(true);
  });

  it('rejects a wrong token with the 401 error', async () => {
    const error = await transporter({ token: 'nope' })
      .verify()
      .catch((caught: unknown) => caught);
    expect(MailtrapAuthenticationError.isInstance(error)).toBe(true);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('checks the sandbox stream', async () => {
    await expect(transporter({ sandbox: true, testInboxId: 3 }).verify()).resolves.toBe(true);
    expect(emulator.requests()[0]!.path).toContain('/sandbox/api/batch/3');
  });

  it('checks the sandbox stream of an injected client, with that client’s sandbox id', async () => {
    const client = new MailtrapClient({
      token: emulator.token,
      endpoints: emulator.endpoints,
      sandbox: true,
      sandboxId: 5,
    });
    try {
      await expect(MailtrapTransport({ client }).verify()).resolves.toBe(true);
      expect(emulator.requests()[0]!.path).toContain('/sandbox/api/batch/5');
    } finally {
      await client.close();
    }
  });

  it('a missing token is a configuration error at creation', () => {
    const saved = process.env.MAILTRAP_API_TOKEN;
    delete process.env.MAILTRAP_API_TOKEN;
    try {
      expect(() => MailtrapTransport({})).toThrow(MailtrapConfigurationError);
    } finally {
      if (saved !== undefined) process.env.MAILTRAP_API_TOKEN = saved;
    }
  });
});

describe('idle, close', () => {
  it('isIdle() and the idle event drive Nodemailer’s documented idle pattern', async () => {
    const created = transporter({ maxConcurrentRequests: 2 });
    const queue = Array.from({ length: 12 }, (_, index) => message({ to: `r${index}@example.com` }));
    const sent: Array<Promise<unknown>> = [];
    let maxInFlight = 0;
    let inFlight = 0;
    const done = new Promise<void>((resolve) => {
      created.on('idle', () => {
        while (created.isIdle() && queue.length) {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          // The callback form runs before the transport emits its next 'idle'.
          sent.push(
            new Promise((resolve, reject) =>
              created.sendMail(queue.shift()!, (error: Error | null, info: unknown) => {
                inFlight--;
                if (error) reject(error);
                else resolve(info);
              }),
            ),
          );
        }
        if (queue.length === 0) resolve();
      });
    });
    await done;
    await Promise.all(sent);
    expect(emulator.messages()).toHaveLength(12);
    expect(maxInFlight).toBe(2);
    expect(created.isIdle()).toBe(true);
  });

  it('emits a first idle after creation, so the idle pattern can start', async () => {
    const created = transporter();
    await new Promise<void>((resolve) => created.once('idle', () => resolve()));
    expect(created.isIdle()).toBe(true);
  });

  it('close() sends what is queued, waits for it, and refuses later sends', async () => {
    const created = transporter({ batching: { maxWaitMs: 60_000 } });
    const sends = [1, 2, 3].map((index) => created.sendMail(message({ to: `c${index}@example.com` })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.messages()).toHaveLength(0);
    await created.close();
    const infos = await Promise.all(sends);
    expect(infos).toHaveLength(3);
    expect(emulator.messages()).toHaveLength(3);
    const error = await created.sendMail(message()).catch((caught: unknown) => caught);
    expect(MailtrapConfigurationError.isInstance(error)).toBe(true);
  });

  it('close() with a callback', async () => {
    const created = transporter();
    await new Promise<void>((resolve, reject) =>
      (created as any).close((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    expect(created.isIdle()).toBe(false);
  });
});

describe('micro-batching', () => {
  // The batches below are closed by `maxMessages`, not by the `maxWaitMs` timer, so a busy machine
  // that maps the messages slowly still groups them the same way.
  it('sends concurrent messages as one /api/batch request, each caller with its own ids', async () => {
    const created = transporter({ batching: { maxWaitMs: 60_000, maxMessages: 20 } });
    const infos = (await Promise.all(
      Array.from({ length: 20 }, (_, index) => created.sendMail(message({ to: `b${index}@example.com` }))),
    )) as unknown as MailtrapSentMessageInfo[];
    const requests = emulator.requests();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.kind).toBe('batch');
    const stored = emulator.messages();
    expect(stored).toHaveLength(20);
    infos.forEach((info, index) => {
      const match = stored.find((item) => item.to[0]!.email === `b${index}@example.com`)!;
      expect(info.messageIds).toEqual(match.messageIds);
      expect(info.accepted).toEqual([`b${index}@example.com`]);
    });
  });

  it('1000 concurrent messages take 2 requests (500 each), not 1000', async () => {
    const created = transporter({ batching: { maxWaitMs: 60_000 } });
    const infos = (await Promise.all(
      Array.from({ length: 1000 }, (_, index) => created.sendMail(message({ to: `k${index}@example.com` }))),
    )) as unknown as MailtrapSentMessageInfo[];
    expect(emulator.requests().map((request) => request.kind)).toEqual(['batch', 'batch']);
    expect(new Set(infos.map((info) => info.messageId)).size).toBe(1000);
    expect(emulator.messages()).toHaveLength(1000);
  });

  it('respects maxMessages', async () => {
    // The last two leave on the timer; two seconds is far longer than mapping ten messages takes.
    const created = transporter({ batching: { maxWaitMs: 2_000, maxMessages: 5 } });
    await Promise.all(
      Array.from({ length: 12 }, (_, index) => created.sendMail(message({ to: `m${index}@example.com` }))),
    );
    const kinds = emulator.requests().map((request) => request.kind);
    expect(kinds).toEqual(['batch', 'batch', 'batch']); // 5 + 5 + 2
    expect(emulator.messages()).toHaveLength(12);
  });

  it('respects maxBytes', async () => {
    const created = transporter({ batching: { maxWaitMs: 50, maxBytes: 4096 } });
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        created.sendMail(message({ to: `s${index}@example.com`, text: 'y'.repeat(1500) })),
      ),
    );
    expect(emulator.requests().length).toBeGreaterThanOrEqual(3);
    expect(emulator.messages()).toHaveLength(6);
  });

  it('a lone message goes to /api/send', async () => {
    await transporter({ batching: { maxWaitMs: 1 } }).sendMail(message());
    expect(emulator.requests()[0]!.kind).toBe('send');
  });

  it('a message with a streamed attachment is sent on its own', async () => {
    const created = transporter({ batching: { maxWaitMs: 60_000, maxMessages: 2 } });
    await Promise.all([
      created.sendMail(message({ to: 'x1@example.com' })),
      created.sendMail(message({ to: 'x2@example.com' })),
      created.sendMail(
        message({
          to: 'x3@example.com',
          attachments: [{ filename: 's.txt', content: Readable.from(['streamed']) }],
        }),
      ),
    ]);
    expect(
      emulator
        .requests()
        .map((request) => request.kind)
        .sort(),
    ).toEqual(['batch', 'send']);
    expect(emulator.messages()).toHaveLength(3);
  });

  it('a failed batch item goes to its caller only', async () => {
    emulator.faults.inject({
      kind: 'batch_item_failure',
      recipient: 'bad@example.com',
      errors: ['mailbox refused'],
    });
    const created = transporter({ batching: { maxWaitMs: 60_000, maxMessages: 3 } });
    const results = await Promise.allSettled([
      created.sendMail(message({ to: 'ok1@example.com' })),
      created.sendMail(message({ to: 'bad@example.com' })),
      created.sendMail(message({ to: 'ok2@example.com' })),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason;
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect(error.errors).toEqual(['mailbox refused']);
    expect(emulator.messages().map((stored) => stored.to[0]!.email)).toEqual([
      'ok1@example.com',
      'ok2@example.com',
    ]);
  });

  it('a failed batch request goes to every caller of that batch', async () => {
    emulator.faults.inject({ kind: 'server_error', count: 1, status: 503 });
    const created = transporter({ batching: { maxWaitMs: 60_000, maxMessages: 3 } });
    const results = await Promise.allSettled(
      [1, 2, 3].map((index) => created.sendMail(message({ to: `f${index}@example.com` }))),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(MailtrapServerError.isInstance((result as PromiseRejectedResult).reason)).toBe(true);
      expect((result as PromiseRejectedResult).reason.status).toBe(503);
    }
  });

  it('an invalid message fails alone before the batch is sent', async () => {
    const created = transporter({ batching: { maxWaitMs: 60_000, maxMessages: 2 } });
    const results = await Promise.allSettled([
      created.sendMail(message({ to: 'v1@example.com' })),
      created.sendMail(message({ to: 'v2@example.com', amp: '<amp>' })),
      created.sendMail(message({ to: 'v3@example.com' })),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(emulator.requests()).toHaveLength(1);
  });

  it('each message is validated once, before it joins; the batch goes to core as validated', async () => {
    const client = new MailtrapClient({ token: emulator.token, endpoints: emulator.endpoints, retry: false });
    const calls: unknown[] = [];
    const batchSend = client.batchSend.bind(client);
    client.batchSend = (batch, options) => {
      calls.push(options);
      return batchSend(batch, options);
    };
    const created = nodemailer.createTransport(
      MailtrapTransport({ client, batching: { maxWaitMs: 60_000, maxMessages: 3 } }),
    );
    try {
      // One message over the size limit fails alone: the size was measured before it joined.
      const results = await Promise.allSettled([
        created.sendMail(message({ to: 'w1@example.com' })),
        created.sendMail(message({ to: 'w2@example.com', text: 'x'.repeat(10_485_760) })),
        created.sendMail(message({ to: 'w3@example.com' })),
        created.sendMail(message({ to: 'w4@example.com' })),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect((results[1] as PromiseRejectedResult).reason.field).toBe('message');
      expect(calls).toEqual([{ validated: true }]);
    } finally {
      await created.close();
      await client.close();
    }
  });

  it('a batch that is not full waits while an earlier one is in flight (Nagle), so requests go out full', async () => {
    emulator.faults.inject({ kind: 'latency', delayMs: 400, count: 1 });
    const created = transporter({ batching: { maxWaitMs: 1, maxMessages: 500 } });
    const first = created.sendMail(message({ to: 'first@example.com' }));
    // Five messages, each well past maxWaitMs after the one before, while the first is in flight.
    const later: Array<Promise<unknown>> = [];
    for (let index = 0; index < 5; index++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      later.push(created.sendMail(message({ to: `later${index}@example.com` })));
    }
    await Promise.all([first, ...later]);
    const requests = emulator.requests();
    expect(requests.map((request) => request.kind)).toEqual(['send', 'batch']);
    expect(emulator.messages().filter((stored) => stored.requestId === requests[1]!.id)).toHaveLength(5);
  });

  it('works through Nodemailer 9 too', async () => {
    const nodemailer9 = nodemailerMajors[1]![1];
    const created = nodemailer9.createTransport(
      MailtrapTransport({
        token: emulator.token,
        endpoints: emulator.endpoints,
        retry: false,
        batching: { maxWaitMs: 60_000, maxMessages: 2 },
      }),
    );
    opened.push(created);
    const infos = await Promise.all(
      [1, 2].map((index) => created.sendMail(message({ to: `n${index}@example.com` }))),
    );
    expect(infos.map((info: any) => info.messageIds.length)).toEqual([1, 1]);
    expect(emulator.requests()).toHaveLength(1);
  });
});
