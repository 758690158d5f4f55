import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MailtrapAuthenticationError,
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapConfigurationError,
  MailtrapError,
  MailtrapNotFoundError,
  MailtrapPayloadTooLargeError,
  MailtrapPermissionError,
  MailtrapRateLimitError,
  MailtrapServerError,
  MailtrapValidationError,
  type SendMail,
} from './index';
import { json, startTestServer, type TestServer } from './test-server';

const token = 'tok_live_5f1d3c9a7b';
const mail: SendMail = {
  from: { email: 'sender@example.com', name: 'Sender' },
  to: [{ email: 'a@example.org' }],
  subject: 'Hello',
  text: 'Hi there',
};

let server: TestServer;
const clients: MailtrapClient[] = [];

function client(options: MailtrapClientOptions = {}): MailtrapClient {
  const created = new MailtrapClient({
    token,
    endpoints: {
      send: server.url,
      bulk: `${server.url}/bulk`,
      sandbox: `${server.url}/sandbox`,
      general: server.url,
    },
    retry: { minDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.queue.length = 0;
});

describe('send', () => {
  it('posts the JSON to /api/send with auth, user agent and content type, and returns the API body', async () => {
    server.queue.push((_request, response) => json(response, 200, { success: true, message_ids: ['m-1'] }));
    const result = await client().send(mail);
    expect(result).toEqual({ success: true, message_ids: ['m-1'] });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/send');
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request?.headers['api-token']).toBeUndefined();
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^mailtrap-kit\/\d+\.\d+\.\d+\S* node\/\d+\.\d+\.\d+$/);
    expect(JSON.parse(request!.body)).toEqual(mail);
  });

  it('uses the bulk base URL keeping its path', async () => {
    await client({ stream: 'bulk' }).send(mail);
    expect(server.requests[0]?.url).toBe('/bulk/api/send');
  });

  it("accepts the official client's bulk: true", async () => {
    const bulk = client({ bulk: true });
    expect(bulk.stream).toBe('bulk');
    await bulk.batchSend({ base: { from: mail.from, subject: 's', text: 't' }, requests: [{ to: mail.to }] });
    expect(server.requests[0]?.url).toBe('/bulk/api/batch');
  });

  it('sends to the sandbox with its id, also given as testInboxId', async () => {
    await client({ stream: 'sandbox', sandboxId: 42 }).send(mail);
    await client({ sandbox: true, testInboxId: 7 }).batchSend({ requests: [mail] });
    expect(server.requests.map((request) => request.url)).toEqual([
      '/sandbox/api/send/42',
      '/sandbox/api/batch/7',
    ]);
  });

  it('base64-encodes Buffer and Uint8Array attachment content', async () => {
    const bytes = Buffer.from('hello attachment');
    await client().send({
      ...mail,
      attachments: [
        { filename: 'a.txt', content: bytes, type: 'text/plain' },
        {
          filename: 'b.bin',
          content: new Uint8Array([0, 1, 2, 250]),
          disposition: 'inline',
          content_id: 'b',
        },
        { filename: 'c.txt', content: 'YWxyZWFkeQ==' },
      ],
    });
    expect(Number(server.requests[0]!.headers['content-length'])).toBe(
      Buffer.byteLength(server.requests[0]!.body),
    );
    expect(server.requests[0]!.headers['transfer-encoding']).toBeUndefined();
    const body = JSON.parse(server.requests[0]!.body);
    expect(body.attachments).toEqual([
      { filename: 'a.txt', content: bytes.toString('base64'), type: 'text/plain' },
      {
        filename: 'b.bin',
        content: Buffer.from([0, 1, 2, 250]).toString('base64'),
        disposition: 'inline',
        content_id: 'b',
      },
      { filename: 'c.txt', content: 'YWxyZWFkeQ==' },
    ]);
  });
});

describe('batchSend', () => {
  it('returns per-message results in request order, including failed items with a 200', async () => {
    const answer = {
      success: true,
      responses: [
        { success: true, message_ids: ['x-1'] },
        { success: false, errors: ["'to' address is invalid"] },
      ],
    };
    server.queue.push((_request, response) => json(response, 200, answer));
    const batch = {
      base: { from: mail.from, subject: 'Newsletter', html: '<p>news</p>' },
      requests: [{ to: [{ email: 'one@example.org' }] }, { to: [{ email: 'two@example.org' }] }],
    };
    const result = await client().batchSend(batch);
    expect(result).toEqual(answer);
    expect(server.requests[0]?.url).toBe('/api/batch');
    expect(JSON.parse(server.requests[0]!.body)).toEqual(batch);
  });
});

describe('batchSendJson', () => {
  const answer = {
    success: true,
    responses: [
      { success: true, message_ids: ['j-1'] },
      { success: true, message_ids: ['j-2'] },
    ],
  };
  const messages = [
    { to: [{ email: 'one@example.org', name: 'Zoë "Z" \\ Ünal' }], custom_variables: { id: '1' } },
    { to: [{ email: 'two@example.org' }], subject: 'Line\nbreak 🎉', html: '<p>\u2028</p>' },
  ];

  it('posts the base and the JSON texts joined as they are, parsing as batchSend would send them', async () => {
    const base = {
      from: mail.from,
      subject: 'News',
      html: '<p>news</p>',
      text: new TextEncoder().encode('plain ✓'),
      custom_variables: { campaign: 7, vip: true },
      attachments: [{ filename: 'a.bin', content: new Uint8Array([0, 1, 2, 250]) }],
    };
    // JSON texts as a serializer other than JSON.stringify may write them: spaces and escapes kept
    const requests = [
      JSON.stringify(messages[0]),
      '{ "to" : [ { "email" : "two\\u0040example.org" } ] ,"subject":"Line\\nbreak \\ud83c\\udf89","html":"<p>\u2028</p>"}',
    ];
    server.queue.push((_request, response) => json(response, 200, answer));
    const sent = client();
    await expect(sent.batchSendJson({ base, requests })).resolves.toEqual(answer);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/batch');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(Number(request?.headers['content-length'])).toBe(Buffer.byteLength(request!.body));
    const wireBase = {
      ...base,
      text: 'plain ✓',
      custom_variables: { campaign: '7', vip: 'true' },
      attachments: [{ filename: 'a.bin', content: Buffer.from([0, 1, 2, 250]).toString('base64') }],
    };
    expect(request!.body).toBe(`{"base":${JSON.stringify(wireBase)},"requests":[${requests.join(',')}]}`);
    await sent.batchSend({ base, requests: messages });
    expect(JSON.parse(request!.body)).toEqual(JSON.parse(server.requests[1]!.body));
  });

  it('sends the requests alone when there is no base', async () => {
    server.queue.push((_request, response) => json(response, 200, answer));
    const requests = messages.map((message) => JSON.stringify({ ...message, from: mail.from, text: 'x' }));
    await client().batchSendJson({ requests });
    expect(server.requests[0]!.body).toBe(`{"requests":[${requests.join(',')}]}`);
  });

  it('refuses a bad batch before sending anything, naming the field', async () => {
    const one = JSON.stringify(messages[0]);
    const cases: Array<[unknown, string, RegExp]> = [
      [{ requests: [] }, 'requests', /at least one/],
      [{ requests: Array.from({ length: 501 }, () => one) }, 'requests', /501 messages.*at most 500/],
      [{ requests: one }, 'requests', /array/],
      [{ requests: [one, messages[1]] }, 'requests[1]', /JSON text/],
      [{ requests: [one, '[1]'] }, 'requests[1]', /JSON text/],
      [{ requests: ['"text"'] }, 'requests[0]', /JSON text/],
      [{ requests: [one, ''] }, 'requests[1]', /JSON text/],
      [{ requests: [` ${one}`] }, 'requests[0]', /JSON text/],
      [{ base: 'x', requests: [one] }, 'base', /object/],
      [{ base: { from: { email: 'not an address' } }, requests: [one] }, 'base.from.email', /./],
      [{ base: { headers: { 'X-A': 'a\r\n' } }, requests: [one] }, 'base.headers.X-A', /CR or LF/],
      [undefined, 'batch', /must be an object/],
    ];
    for (const [batch, field, why] of cases) {
      const error = await client()
        .batchSendJson(batch as never)
        .catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error), field).toBe(true);
      expect(
        (error as MailtrapValidationError).field,
        String(batch && JSON.stringify(batch).slice(0, 80)),
      ).toBe(field);
      expect((error as Error).message).toMatch(why);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a body over 50 MB before sending, counting the base', async () => {
    const large = `{"to":[{"email":"a@example.org"}],"html":"${'x'.repeat(9_000_000)}"}`;
    const over = await client()
      .batchSendJson({ requests: Array.from({ length: 6 }, () => large) })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(over)).toBe(true);
    expect((over as MailtrapValidationError).field).toBe('requests');
    expect((over as Error).message).toMatch(/a batch may be at most 52428800/);
    // requests just under the limit, put over it by the base's bytes
    const five = Array.from({ length: 5 }, () => large);
    const fill = 52_428_800 - Buffer.byteLength(`{"requests":[${five.join(',')}]}`);
    const justUnder = [...five, `{"text":"${'y'.repeat(fill - 12)}"}`];
    expect(Buffer.byteLength(`{"requests":[${justUnder.join(',')}]}`)).toBe(52_428_800);
    const tipped = await client()
      .batchSendJson({ base: { subject: 's' }, requests: justUnder })
      .catch((caught: unknown) => caught);
    expect((tipped as MailtrapValidationError).field).toBe('requests');
    expect(server.requests).toHaveLength(0);
  });

  it('retries a 429 as batchSend does', async () => {
    server.queue.push((_request, response) =>
      json(response, 429, { success: false, errors: ['Rate limit exceeded'] }, { 'retry-after': '0' }),
    );
    server.queue.push((_request, response) => json(response, 200, answer));
    const requests = messages.map((message) => JSON.stringify(message));
    await expect(client().batchSendJson({ base: { from: mail.from, text: 't' }, requests })).resolves.toEqual(
      answer,
    );
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
  });
});

describe('batch answers', () => {
  it('resolves a 200 with a request-level failure as the API sent it', async () => {
    const answer = { success: false, responses: [], errors: ['requests: must contain at least one item'] };
    server.queue.push((_request, response) => json(response, 200, answer));
    await expect(client().batchSend({ requests: [mail] })).resolves.toEqual(answer);
  });
});

describe('error bodies', () => {
  const cases: Array<{
    name: string;
    status: number;
    body: string;
    type: typeof MailtrapError;
    code: string;
    errors: string[];
    contentType?: string;
  }> = [
    {
      name: 'sending host 400 with errors array',
      status: 400,
      body: JSON.stringify({
        success: false,
        errors: ["'from' is required", 'must specify either text or html body'],
      }),
      type: MailtrapValidationError,
      code: 'validation',
      errors: ["'from' is required", 'must specify either text or html body'],
    },
    {
      name: 'empty 400',
      status: 400,
      body: '',
      type: MailtrapValidationError,
      code: 'validation',
      errors: [],
    },
    {
      name: 'sending host 401',
      status: 401,
      body: JSON.stringify({ success: false, errors: ['Unauthorized'] }),
      type: MailtrapAuthenticationError,
      code: 'authentication',
      errors: ['Unauthorized'],
    },
    {
      name: 'sending host 403 (unverified domain)',
      status: 403,
      body: JSON.stringify({ success: false, errors: ['Forbidden'] }),
      type: MailtrapPermissionError,
      code: 'permission',
      errors: ['Forbidden'],
    },
    {
      name: 'non-JSON 413',
      status: 413,
      body: '<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>',
      contentType: 'text/html',
      type: MailtrapPayloadTooLargeError,
      code: 'payload_too_large',
      errors: ['413 Request Entity Too Large'],
    },
    {
      name: 'account API {error}',
      status: 401,
      body: JSON.stringify({ error: 'Incorrect API token' }),
      type: MailtrapAuthenticationError,
      code: 'authentication',
      errors: ['Incorrect API token'],
    },
    {
      name: 'account API {errors: string}',
      status: 403,
      body: JSON.stringify({ errors: 'Access forbidden' }),
      type: MailtrapPermissionError,
      code: 'permission',
      errors: ['Access forbidden'],
    },
    {
      name: 'account API 404',
      status: 404,
      body: JSON.stringify({ error: 'Not Found' }),
      type: MailtrapNotFoundError,
      code: 'not_found',
      errors: ['Not Found'],
    },
    {
      name: 'account API {errors: {field: [..]}}',
      status: 422,
      body: JSON.stringify({ errors: { name: ['is too long', "can't be blank"], base: ['Limit reached'] } }),
      type: MailtrapValidationError,
      code: 'validation',
      errors: ['name: is too long', "name: can't be blank", 'Limit reached'],
    },
    {
      name: 'sending host 500',
      status: 500,
      body: JSON.stringify({ success: false, errors: ['Internal server error'] }),
      type: MailtrapServerError,
      code: 'server',
      errors: ['Internal server error'],
    },
    {
      name: 'account API 429 {errors: string}',
      status: 429,
      body: JSON.stringify({ errors: 'Rate limit exceeded' }),
      type: MailtrapRateLimitError,
      code: 'rate_limit',
      errors: ['Rate limit exceeded'],
    },
  ];
  for (const testCase of cases) {
    it(`turns a ${testCase.name} into ${testCase.type.name}`, async () => {
      server.fallback = (_request, response) => {
        response.writeHead(testCase.status, { 'content-type': testCase.contentType ?? 'application/json' });
        response.end(testCase.body);
      };
      try {
        const error = await client({ retry: false })
          .send(mail)
          .catch((caught: unknown) => caught);
        expect(testCase.type.isInstance(error)).toBe(true);
        expect(error).toBeInstanceOf(testCase.type);
        const typed = error as MailtrapError;
        expect(typed.code).toBe(testCase.code);
        expect(typed.status).toBe(testCase.status);
        expect(typed.errors).toEqual(testCase.errors);
        expect(typed.message).toContain(String(testCase.status));
        for (const message of testCase.errors) expect(typed.message).toContain(message);
        if (testCase.errors.length === 0) expect(typed.message).toContain('empty body');
      } finally {
        server.fallback = (_request, response) =>
          json(response, 200, { success: true, message_ids: ['id-1'] });
      }
    });
  }
});

describe('configuration', () => {
  it('names MAILTRAP_API_TOKEN when no token is given', () => {
    const saved = process.env.MAILTRAP_API_TOKEN;
    delete process.env.MAILTRAP_API_TOKEN;
    try {
      expect(() => new MailtrapClient()).toThrow(/MAILTRAP_API_TOKEN/);
      expect(() => new MailtrapClient()).toThrow(MailtrapConfigurationError);
    } finally {
      if (saved !== undefined) process.env.MAILTRAP_API_TOKEN = saved;
    }
  });

  it('reads the token from MAILTRAP_API_TOKEN', async () => {
    const saved = process.env.MAILTRAP_API_TOKEN;
    process.env.MAILTRAP_API_TOKEN = 'from-environment';
    try {
      const fromEnvironment = new MailtrapClient({ endpoints: { send: server.url }, rateLimit: false });
      clients.push(fromEnvironment);
      await fromEnvironment.send(mail);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer from-environment');
    } finally {
      if (saved === undefined) delete process.env.MAILTRAP_API_TOKEN;
      else process.env.MAILTRAP_API_TOKEN = saved;
    }
  });

  it('exposes sandboxId and accountId as numbers', () => {
    const sandbox = new MailtrapClient({ token, sandbox: true, testInboxId: 42, accountId: '7' });
    expect(sandbox.sandboxId).toBe(42);
    expect(sandbox.accountId).toBe(7);
    const fromString = new MailtrapClient({ token, stream: 'sandbox', sandboxId: ' 9 ' });
    expect(fromString.sandboxId).toBe(9);
    expect(fromString.accountId).toBeUndefined();
    const transactional = new MailtrapClient({ token });
    expect(transactional.sandboxId).toBeUndefined();
    expect(transactional.accountId).toBeUndefined();
    // Neither the token nor anything secret appears through the new fields.
    expect(JSON.stringify(sandbox)).not.toContain(token);
  });

  it('rejects invalid combinations at construction', () => {
    expect(() => new MailtrapClient({ token, bulk: true, sandbox: true })).toThrow(/bulk.*sandbox/);
    expect(() => new MailtrapClient({ token, stream: 'bulk', sandbox: true })).toThrow(
      MailtrapConfigurationError,
    );
    expect(() => new MailtrapClient({ token, sandboxId: 3 })).toThrow(
      /sandboxId.*only valid in sandbox mode/,
    );
    expect(() => new MailtrapClient({ token, stream: 'bulk', testInboxId: 3 })).toThrow(/testInboxId/);
    expect(() => new MailtrapClient({ token, stream: 'sandbox' })).toThrow(/needs `sandboxId`/);
    expect(() => new MailtrapClient({ token, sandbox: true, sandboxId: 'abc' })).toThrow(/sandboxId/);
    expect(() => new MailtrapClient({ token, stream: 'marketing' as never })).toThrow(/stream/);
    expect(() => new MailtrapClient({ token, timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => new MailtrapClient({ token, endpoints: { sending: 'http://127.0.0.1' } as never })).toThrow(
      /endpoints.sending/,
    );
  });

  it('names the option in every invalid setting', () => {
    const cases: Array<[MailtrapClientOptions, RegExp]> = [
      [{ token: 'a b' }, /`token`/],
      [{ token: 'abc\r\n' }, /`token`/],
      [{ token, retry: { retries: 1.5 } }, /retry\.retries/],
      [{ token, retry: { minDelayMs: -1 } }, /retry\.minDelayMs/],
      [{ token, rateLimit: { requests: 0 } }, /rateLimit\.requests/],
      [{ token, rateLimit: { windowMs: Number.NaN } }, /rateLimit\.windowMs/],
      [{ token, rateLimit: { store: {} as never } }, /rateLimit\.store/],
      [{ token, totalTimeoutMs: 0 }, /totalTimeoutMs/],
      [{ token, maxMessageBytes: -5 }, /maxMessageBytes/],
      [{ token, userAgent: 'agent\nX-Evil: 1' }, /userAgent/],
      [{ token, dispatcher: {} as never }, /dispatcher/],
      [{ token, accountId: 'abc' }, /accountId/],
      [{ token, endpoints: { send: 'ftp://example.com' } }, /endpoints\.send/],
      [{ token, endpoints: { general: 'https://user:pass@example.com' } }, /endpoints\.general/],
      [{ token, sandbox: true, sandboxId: 1, testInboxId: 2 }, /disagree/],
    ];
    for (const [options, message] of cases) {
      let caught: unknown;
      try {
        new MailtrapClient(options);
      } catch (error) {
        caught = error;
      }
      expect(MailtrapConfigurationError.isInstance(caught), String(message)).toBe(true);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).not.toContain(token);
    }
  });

  it('refuses plain http to a non-loopback host unless allowed', () => {
    expect(() => new MailtrapClient({ token, endpoints: { send: 'http://mail.example.com' } })).toThrow(
      /plain http.*allowInsecureHttp/,
    );
    const allowed = new MailtrapClient({
      token,
      endpoints: { send: 'http://mail.example.com' },
      allowInsecureHttp: true,
    });
    clients.push(allowed);
    for (const host of ['http://localhost:1', 'http://127.0.0.2:9', 'http://[::1]:3']) {
      const local = new MailtrapClient({ token, endpoints: { send: host } });
      clients.push(local);
    }
  });
});

describe('connections', () => {
  it('reuses keep-alive connections for sequential sends', async () => {
    let connections = 0;
    const onConnection = () => {
      connections++;
    };
    server.server.on('connection', onConnection);
    try {
      const created = client();
      for (let index = 0; index < 5; index++) await created.send(mail);
      expect(server.requests).toHaveLength(5);
      // undici reuses a socket one event-loop turn after a response: back-to-back sends alternate two.
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.server.off('connection', onConnection);
    }
  });

  it('sends a custom User-Agent', async () => {
    await client({ userAgent: 'acme-mailer/2.0' }).send(mail);
    expect(server.requests[0]?.headers['user-agent']).toBe('acme-mailer/2.0');
  });
});

describe('close', () => {
  it('closes its own pool and refuses calls afterwards; closing twice is fine', async () => {
    const created = client();
    await created.send(mail);
    await created.close();
    await created.close();
    await expect(created.send(mail)).rejects.toThrow(/closed/);
  });
});

describe('token redaction', () => {
  it('keeps the token out of util.inspect, JSON and error messages', async () => {
    const created = client({ retry: false });
    expect(inspect(created, { depth: 10, showHidden: true })).not.toContain(token);
    expect(JSON.stringify(created)).not.toContain(token);
    server.queue.push((_request, response) => json(response, 401, { errors: ['Unauthorized'] }));
    const error = await created.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapAuthenticationError.isInstance(error)).toBe(true);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String((error as Error).stack)).not.toContain(token);
  });

  it('redacts a token echoed by the server and keeps it out of network errors', async () => {
    const created = client({ retry: false });
    server.queue.push((request, response) =>
      json(response, 401, { error: `Incorrect API token: ${String(request.headers.authorization)}` }),
    );
    const echoed = (await created.send(mail).catch((caught: unknown) => caught)) as MailtrapError;
    expect(echoed.errors).toEqual(['Incorrect API token: Bearer [redacted]']);
    expect(echoed.message).not.toContain(token);
    const unreachable = new MailtrapClient({
      token,
      endpoints: { send: 'http://127.0.0.1:9' },
      retry: false,
    });
    clients.push(unreachable);
    const network = await unreachable.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapError.isInstance(network)).toBe(true);
    for (const text of [
      inspect(network, { depth: 10, showHidden: true }),
      JSON.stringify(network),
      String(network),
    ]) {
      expect(text).not.toContain(token);
    }
  });
});
