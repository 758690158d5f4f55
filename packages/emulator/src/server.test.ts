import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { type RunningEmulator, startEmulator } from './index';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emulator: RunningEmulator;
const agent = new Agent({ connections: 8 });

beforeAll(async () => {
  emulator = await startEmulator({
    tokens: [{ token: 'all-streams-token' }, { token: 'bulk-only-token', streams: ['bulk'] }],
  });
});
afterAll(async () => {
  await emulator.close();
  await agent.close();
});
beforeEach(() => emulator.reset());

async function call(
  url: string,
  body: unknown,
  options: { token?: string | null; headers?: Record<string, string>; method?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'emulator-test',
  };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? 'all-streams-token'}`;
  Object.assign(headers, options.headers);
  const response = await request(url, {
    method: (options.method ?? 'POST') as 'POST',
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher: agent,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text ? (JSON.parse(text) as any) : undefined,
  };
}

const mail = {
  from: { email: 'sender@example.com', name: 'Sender' },
  to: [{ email: 'alice@example.org' }, { email: 'bob@example.org' }],
  cc: [{ email: 'carol@example.org' }],
  bcc: [{ email: 'dave@example.org' }],
  subject: 'Hello',
  text: 'Hi there',
  html: '<p>Hi there</p>',
  category: 'welcome',
  custom_variables: { user_id: '42' },
};

describe('send', () => {
  it('answers with one UUID per recipient in To, Cc, Bcc order and stores the message', async () => {
    const result = await call(`${emulator.endpoints.send}/api/send`, mail);
    expect(result.status).toBe(200);
    expect(result.body.success).toBe(true);
    expect(result.body.message_ids).toHaveLength(4);
    for (const id of result.body.message_ids) expect(id).toMatch(uuidPattern);
    const [stored] = emulator.messages();
    expect(stored?.messageIds).toEqual(result.body.message_ids);
    expect(stored?.stream).toBe('transactional');
    expect(stored?.subject).toBe('Hello');
    expect(stored?.category).toBe('welcome');
    expect(stored?.custom_variables).toEqual({ user_id: '42' });
    const logs = emulator.logs();
    expect(logs.map((entry) => entry.to)).toEqual([
      'alice@example.org',
      'bob@example.org',
      'carol@example.org',
      'dave@example.org',
    ]);
    expect(logs.map((entry) => entry.message_id)).toEqual(result.body.message_ids);
    expect(emulator.stats()).toMatchObject({ requests: 1, accepted: 1, messages: 1, recipients: 4 });
  });

  it('serves all three streams and the bare path; a bare /api/send/{id} is not a sandbox send', async () => {
    const bulk = await call(`${emulator.endpoints.bulk}/api/send`, mail);
    const sandbox = await call(`${emulator.endpoints.sandbox}/api/send/7`, mail);
    const bare = await call(`${emulator.url}/api/send`, mail);
    const bareSandbox = await call(`${emulator.url}/api/send/7`, mail);
    expect([bulk.status, sandbox.status, bare.status, bareSandbox.status]).toEqual([200, 200, 200, 404]);
    expect(emulator.messages().map((message) => message.stream)).toEqual([
      'bulk',
      'sandbox',
      'transactional',
    ]);
    expect(emulator.messages()[1]?.sandboxId).toBe(7);
    // Email Logs hold the sending streams only; sandbox messages stay in the sandbox.
    const perMessage = emulator.messages()[0]!.messageIds.length;
    expect(emulator.logs().map((entry) => entry.sending_stream)).toEqual([
      ...Array(perMessage).fill('bulk'),
      ...Array(perMessage).fill('transactional'),
    ]);
    const sandboxId = emulator.messages()[1]!.messageIds[0]!;
    const byId = await fetch(`${emulator.url}/api/email_logs/${sandboxId}`, {
      headers: { authorization: `Bearer ${emulator.token}` },
    });
    expect(byId.status).toBe(404);
    await byId.body?.cancel();
  });

  it('needs a sandbox id on the sandbox stream and refuses one elsewhere', async () => {
    expect((await call(`${emulator.endpoints.sandbox}/api/send`, mail)).status).toBe(404);
    expect((await call(`${emulator.endpoints.bulk}/api/send/3`, mail)).status).toBe(404);
    expect((await call(`${emulator.endpoints.sandbox}/api/send/abc`, mail)).status).toBe(404);
  });

  it('accepts the Api-Token header', async () => {
    const result = await call(`${emulator.endpoints.send}/api/send`, mail, {
      token: null,
      headers: { 'api-token': 'all-streams-token' },
    });
    expect(result.status).toBe(200);
  });

  it('answers 401 for a missing or wrong token and for a stream the token has no access to', async () => {
    const missing = await call(`${emulator.endpoints.send}/api/send`, mail, { token: null });
    const wrong = await call(`${emulator.endpoints.send}/api/send`, mail, { token: 'nope' });
    const scoped = await call(`${emulator.endpoints.send}/api/send`, mail, { token: 'bulk-only-token' });
    const allowed = await call(`${emulator.endpoints.bulk}/api/send`, mail, { token: 'bulk-only-token' });
    expect(missing).toMatchObject({ status: 401, body: { success: false, errors: ['Unauthorized'] } });
    expect(wrong.status).toBe(401);
    expect(scoped.status).toBe(401);
    expect(scoped.body.errors[0]).toContain('transactional');
    expect(allowed.status).toBe(200);
    expect(emulator.messages()).toHaveLength(1);
  });

  it('answers 403 when the sender domain is not verified (not on the sandbox)', async () => {
    const result = await call(`${emulator.endpoints.send}/api/send`, {
      ...mail,
      from: { email: 'someone@unverified.net' },
    });
    expect(result.status).toBe(403);
    expect(result.body.errors[0]).toContain('unverified.net');
    const sandbox = await call(`${emulator.endpoints.sandbox}/api/send/1`, {
      ...mail,
      from: { email: 'someone@unverified.net' },
    });
    expect(sandbox.status).toBe(200);
  });

  it.each([
    [{ ...mail, from: undefined }, "'from' is required"],
    [{ ...mail, from: { email: 'not-an-email' } }, "'from' address is invalid"],
    [{ ...mail, to: undefined, cc: undefined, bcc: [] }, "'to', 'cc' or 'bcc' address is required"],
    [{ ...mail, to: [{ email: 'broken' }] }, "'to' address is invalid"],
    [{ ...mail, subject: undefined }, "'subject' is required"],
    [{ ...mail, subject: '' }, "'subject' is required"],
    [{ ...mail, text: undefined, html: undefined }, 'must specify either text or html body'],
    [{ ...mail, text: '', html: '' }, 'must specify either text or html body'],
    [
      { ...mail, reply_to: [{ email: 'a@example.com' }] },
      "'reply_to' must be one address object, not an array",
    ],
    [{ ...mail, category: 'x'.repeat(256) }, "'category' is too long (maximum is 255 characters)"],
    [
      { ...mail, custom_variables: { id: 7 } },
      "'custom_variables' values must be strings ('id' is a number)",
    ],
    [{ ...mail, custom_variables: { big: 'x'.repeat(1000) } }, "'custom_variables' is too large"],
    [{ ...mail, headers: { 'X-Count': 3 } }, "'headers' values must be strings"],
    [{ ...mail, attachments: [{ filename: 'a.txt' }] }, "'attachments[0].content' is required"],
    [{ ...mail, attachments: [{ content: 'aGk=' }] }, "'attachments[0].filename' is required"],
    [
      { ...mail, attachments: [{ content: 'aGk=', filename: 'a', disposition: 'x' }] },
      "'attachments[0].disposition'",
    ],
    [
      { ...mail, attachments: [{ content: 'not base64!', filename: 'a' }] },
      "'attachments[0].content' must be base64",
    ],
    [
      { ...mail, to: Array.from({ length: 1001 }, (_, i) => ({ email: `u${i}@example.org` })) },
      "'to' must have at most 1000",
    ],
    [
      { ...mail, template_uuid: '0b5e6a1e-6a7a-4c26-9a0f-3a8f3bb7d2f1' },
      "'subject' is not allowed when 'template_uuid' is used",
    ],
    [{ from: mail.from, to: mail.to, template_uuid: 'nope' }, "'template_uuid' must be a UUID"],
  ])('answers 400 with Mailtrap messages (%#)', async (body, message) => {
    const result = await call(`${emulator.endpoints.send}/api/send`, body);
    expect(result.status).toBe(400);
    expect(result.body.success).toBe(false);
    expect(result.body.errors.join('\n')).toContain(message);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('lists several errors at once', async () => {
    const result = await call(`${emulator.endpoints.send}/api/send`, { to: [] });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      "'from' is required",
      "'to', 'cc' or 'bcc' address is required",
      "'subject' is required",
      'must specify either text or html body',
    ]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const result = await call(`${emulator.endpoints.send}/api/send`, '{"from":');
    expect(result.status).toBe(400);
    expect(result.body.errors[0]).toContain('not valid JSON');
  });

  it('answers 413 over the message size limit and accepts just below it', async () => {
    const small = await startEmulator({ maxMessageBytes: 2000 });
    try {
      const headers = { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' };
      const big = await request(`${small.endpoints.send}/api/send`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...mail, text: 'x'.repeat(3000) }),
      });
      expect(big.statusCode).toBe(413);
      // Mailtrap's front server answers 413 with its own HTML page, not the API's JSON
      expect(big.headers['content-type']).toBe('text/html');
      expect(await big.body.text()).toContain('<title>413 Request Entity Too Large</title>');
      const fine = await request(`${small.endpoints.send}/api/send`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...mail, text: 'x'.repeat(1000) }),
      });
      expect(fine.statusCode).toBe(200);
      await fine.body.dump();
    } finally {
      await small.close();
    }
  });

  it('drops unknown keys but records them', async () => {
    const result = await call(`${emulator.endpoints.send}/api/send`, {
      ...mail,
      reply_to_list: 'x',
      to: [{ email: 'alice@example.org', nmae: 'Alice' }],
    });
    expect(result.status).toBe(200);
    const [stored] = emulator.messages();
    expect(stored?.unknownKeys).toEqual(['to[0].nmae', 'reply_to_list']);
    expect(emulator.requests()[0]?.unknownKeys).toEqual(['to[0].nmae', 'reply_to_list']);
    expect(stored?.to).toEqual([{ email: 'alice@example.org' }]);
  });

  it('stores attachments with their decoded size', async () => {
    const content = Buffer.from('hello attachment').toString('base64');
    await call(`${emulator.endpoints.send}/api/send`, {
      ...mail,
      attachments: [{ content, filename: 'a.txt', type: 'text/plain' }],
    });
    const [stored] = emulator.messages();
    expect(stored?.attachments).toEqual([
      { filename: 'a.txt', type: 'text/plain', disposition: 'attachment', content_id: undefined, size: 16 },
    ]);
    const download = await request(`${emulator.url}/_emulator/messages/${stored?.id}/attachments/0`);
    expect(download.headers['content-disposition']).toContain('a.txt');
    expect(await download.body.text()).toBe('hello attachment');
  });
});

describe('batch', () => {
  it('answers 200 with per-message results and applies the base', async () => {
    const result = await call(`${emulator.endpoints.bulk}/api/batch`, {
      base: { from: { email: 'news@example.com' }, subject: 'News', text: 'Hello', category: 'news' },
      requests: [
        { to: [{ email: 'a@example.org' }] },
        { to: [{ email: 'b@example.org' }], cc: [{ email: 'c@example.org' }], subject: 'Override' },
        { to: [{ email: 'broken' }] },
        { subject: 'no recipients' },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.body.success).toBe(true);
    const [first, second, third, fourth] = result.body.responses;
    expect(first.success).toBe(true);
    expect(first.message_ids).toHaveLength(1);
    expect(second.message_ids).toHaveLength(2);
    expect(third).toEqual({ success: false, errors: ["'to' address is invalid"] });
    expect(fourth).toEqual({ success: false, errors: ["'to', 'cc' or 'bcc' address is required"] });
    const stored = emulator.messages();
    expect(stored.map((message) => [message.subject, message.batchIndex, message.stream])).toEqual([
      ['News', 0, 'bulk'],
      ['Override', 1, 'bulk'],
    ]);
    expect(emulator.requests()[0]?.acceptedMessageIds).toEqual([...first.message_ids, ...second.message_ids]);
  });

  it('works on the sandbox stream', async () => {
    const result = await call(`${emulator.endpoints.sandbox}/api/batch/1`, {
      base: { from: { email: 'x@anything.dev' }, subject: 'S', html: '<b>x</b>' },
      requests: [{ to: [{ email: 'a@example.org' }] }],
    });
    expect(result.status).toBe(200);
    expect(emulator.messages()[0]?.stream).toBe('sandbox');
  });

  it.each([
    [{}, "'requests' is required"],
    [{ requests: {} }, "'requests' must be an array"],
    [{ requests: [] }, "'requests' must contain at least one message"],
    [{ base: [], requests: [{}] }, "'base' must be an object"],
    [{ requests: Array.from({ length: 501 }, () => ({ to: [{ email: 'a@example.org' }] })) }, 'at most 500'],
  ])('answers 400 for a malformed batch (%#)', async (body, message) => {
    const result = await call(`${emulator.endpoints.send}/api/batch`, body);
    expect(result.status).toBe(400);
    expect(result.body.errors.join('\n')).toContain(message);
  });

  it('answers 413 over the batch size limit', async () => {
    const small = await startEmulator({ maxBatchBytes: 4000 });
    try {
      const response = await request(`${small.endpoints.send}/api/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          base: { ...mail, to: undefined },
          requests: [{ to: mail.to, text: 'x'.repeat(5000) }],
        }),
      });
      expect(response.statusCode).toBe(413);
      await response.body.dump();
    } finally {
      await small.close();
    }
  });
});

describe('waitForMessage', () => {
  it('resolves with a message already there or the next one to arrive, and times out clearly', async () => {
    await call(`${emulator.endpoints.send}/api/send`, mail);
    expect((await emulator.waitForMessage({ category: 'welcome' })).subject).toBe('Hello');
    const waiting = emulator.waitForMessage({ recipient: 'late@example.org' }, { timeoutMs: 20_000 });
    setTimeout(() => {
      void call(`${emulator.endpoints.send}/api/send`, {
        ...mail,
        to: [{ email: 'late@example.org' }],
        cc: [],
        bcc: [],
      });
    }, 50);
    expect((await waiting).to).toEqual([{ email: 'late@example.org' }]);
    await expect(emulator.waitForMessage({ category: 'never' }, { timeoutMs: 50 })).rejects.toThrow(
      /waitForMessage: no message matching \{"category":"never"\} within 50 ms/,
    );
  });
});

describe('under load', () => {
  it('keeps every id unique and every counter right with parallel batches', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, batch) =>
        call(`${emulator.endpoints.bulk}/api/batch`, {
          base: { from: { email: 'news@example.com' }, subject: 'S', text: 'T' },
          requests: Array.from({ length: 50 }, (_, index) => ({
            to: [{ email: `u${batch}-${index}@example.org` }],
            custom_variables: { tag: `${batch}-${index}` },
          })),
        }),
      ),
    );
    const ids = results.flatMap((result) => result.body.responses.flatMap((item: any) => item.message_ids));
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    expect(emulator.stats()).toMatchObject({ requests: 40, accepted: 40, messages: 2000, recipients: 2000 });
    expect(emulator.logs()).toHaveLength(2000);
    expect(new Set(emulator.requests().flatMap((record) => record.acceptedMessageIds))).toEqual(new Set(ids));
  });
});

describe('faults', () => {
  it('answers 429 for the next N requests, with and without Retry-After', async () => {
    emulator.faults.inject({ kind: 'rate_limit', count: 2, retryAfterSeconds: 3 });
    const first = await call(`${emulator.endpoints.send}/api/send`, mail);
    const second = await call(`${emulator.endpoints.send}/api/send`, mail);
    const third = await call(`${emulator.endpoints.send}/api/send`, mail);
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers['retry-after']).toBe('3');
    expect(first.body).toEqual({ success: false, errors: ['Rate limit exceeded'] });
    emulator.faults.inject({ kind: 'rate_limit' });
    const bare = await call(`${emulator.endpoints.send}/api/send`, mail);
    expect(bare.status).toBe(429);
    expect(bare.headers['retry-after']).toBeUndefined();
    expect(emulator.messages()).toHaveLength(1);
    expect(emulator.faults.history().map((record) => [record.kind, record.status])).toEqual([
      ['rate_limit', 429],
      ['rate_limit', 429],
      ['rate_limit', 429],
    ]);
  });

  it.each([500, 502, 503] as const)('answers %i without storing', async (status) => {
    emulator.faults.inject({ kind: 'server_error', status });
    const result = await call(`${emulator.endpoints.send}/api/send`, mail);
    expect(result.status).toBe(status);
    expect(result.body.success).toBe(false);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('can accept the messages before answering 5xx (the ambiguous case)', async () => {
    emulator.faults.inject({ kind: 'server_error', accepted: true });
    const result = await call(`${emulator.endpoints.send}/api/send`, mail);
    expect(result.status).toBe(500);
    expect(emulator.messages()).toHaveLength(1);
    expect(emulator.faults.history()[0]?.acceptedMessageIds).toEqual(emulator.messages()[0]?.messageIds);
  });

  it('resets the connection before the body: nothing accepted', async () => {
    emulator.faults.inject({ kind: 'reset_before_body' });
    await expect(call(`${emulator.endpoints.send}/api/send`, mail)).rejects.toThrow();
    expect(emulator.messages()).toHaveLength(0);
    expect(emulator.faults.history()[0]).toMatchObject({ kind: 'reset_before_body', acceptedMessageIds: [] });
    expect((await call(`${emulator.endpoints.send}/api/send`, mail)).status).toBe(200);
  });

  it('resets the connection after the body: messages accepted and recorded', async () => {
    emulator.faults.inject({ kind: 'reset_after_body' });
    await expect(call(`${emulator.endpoints.send}/api/send`, mail)).rejects.toThrow();
    const stored = emulator.messages();
    expect(stored).toHaveLength(1);
    const [record] = emulator.faults.history();
    expect(record?.kind).toBe('reset_after_body');
    expect(record?.acceptedMessageIds).toEqual(stored[0]?.messageIds);
    expect(emulator.requests()[0]).toMatchObject({ fault: 'reset_after_body', status: undefined });
  });

  it('fails single messages inside a batch', async () => {
    emulator.faults.inject({ kind: 'batch_item_failure', items: [1] });
    emulator.faults.inject({
      kind: 'batch_item_failure',
      recipient: 'D@example.org',
      errors: ['mailbox busy'],
    });
    const result = await call(`${emulator.endpoints.send}/api/batch`, {
      base: { from: { email: 'a@example.com' }, subject: 'S', text: 'T' },
      requests: ['a', 'b', 'c', 'd'].map((name) => ({ to: [{ email: `${name}@example.org` }] })),
    });
    expect(result.status).toBe(200);
    expect(result.body.responses.map((response: any) => response.success)).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(result.body.responses[3].errors).toEqual(['mailbox busy']);
    expect(emulator.messages().map((message) => message.to[0]?.email)).toEqual([
      'a@example.org',
      'c@example.org',
    ]);
    const history = emulator.faults.history();
    expect(history.map((record) => [record.kind, record.items])).toEqual([
      ['batch_item_failure', [1]],
      ['batch_item_failure', [3]],
    ]);
  });

  it('fires for a share of requests, spread evenly', async () => {
    emulator.faults.inject({ kind: 'server_error', share: 0.5, status: 503 });
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++)
      statuses.push((await call(`${emulator.endpoints.send}/api/send`, mail)).status);
    expect(statuses).toEqual([200, 503, 200, 503, 200, 503]);
  });

  it('fires only for requests with a given recipient', async () => {
    emulator.faults.inject({ kind: 'rate_limit', recipient: 'bob@example.org' });
    const other = await call(`${emulator.endpoints.send}/api/send`, {
      ...mail,
      to: [{ email: 'x@example.org' }],
      cc: [],
      bcc: [],
    });
    const bob = await call(`${emulator.endpoints.send}/api/send`, mail);
    expect([other.status, bob.status]).toEqual([200, 429]);
  });

  it('hangs past a client timeout without accepting', async () => {
    emulator.faults.inject({ kind: 'hang' });
    await expect(
      request(`${emulator.endpoints.send}/api/send`, {
        method: 'POST',
        headers: { authorization: 'Bearer all-streams-token', 'content-type': 'application/json' },
        body: JSON.stringify(mail),
        headersTimeout: 300,
      }),
    ).rejects.toThrow(/timeout/i);
    expect(emulator.messages()).toHaveLength(0);
    expect(emulator.faults.history()[0]?.kind).toBe('hang');
  });

  it('enforces a real rate limit per token', async () => {
    emulator.faults.rateLimit({ requests: 2, windowMs: 60_000 });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 3; index++)
        statuses.push((await call(`${emulator.endpoints.send}/api/send`, mail)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const other = await call(`${emulator.endpoints.bulk}/api/send`, mail, { token: 'bulk-only-token' });
      expect(other.status).toBe(200);
      const limited = emulator.requests()[2];
      expect(limited?.fault).toBe('rate_limit');
    } finally {
      emulator.faults.rateLimit(false);
    }
  });

  it('can be injected over the control endpoint', async () => {
    const injected = await request(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'server_error', status: 502 }),
    });
    expect(injected.statusCode).toBe(201);
    await injected.body.dump();
    expect((await call(`${emulator.endpoints.send}/api/send`, mail)).status).toBe(502);
    const listed = await request(`${emulator.url}/_emulator/faults`);
    const { history } = (await listed.body.json()) as any;
    expect(history[0].status).toBe(502);
    const bad = await request(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'meteor' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as any).error).toContain("'kind'");
  });
});
