import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    verifiedDomains: ['acme.test'],
    sandboxIds: [42],
    templates: [
      { uuid: '11111111-2222-4333-8444-555555555555', name: 'Broken', category: 'c', subject: '{{#if}}' },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const mail = {
  from: { email: 'app@acme.test' },
  to: [{ email: 'user@example.org' }],
  subject: 'Hello',
  text: 'Hi',
};

async function call(
  path: string,
  body?: unknown,
  options: { method?: string; headers?: Record<string, string> } = {},
) {
  const response = await request(`${emulator.url}${path}`, {
    method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'POST',
    headers: {
      authorization: `Bearer ${emulator.token}`,
      'content-type': 'application/json',
      ...options.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text ? (JSON.parse(text) as any) : undefined,
  };
}

describe('settings', () => {
  it('uses the configured verified domains', async () => {
    expect((await call('/transactional/api/send', mail)).status).toBe(200);
    const other = await call('/transactional/api/send', { ...mail, from: { email: 'app@example.com' } });
    expect(other.status).toBe(403);
  });

  it('accepts any domain with allowAnyDomain', async () => {
    const open = await startEmulator({ allowAnyDomain: true });
    try {
      const response = await request(`${open.endpoints.send}/api/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${open.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...mail, from: { email: 'x@whatever.example' } }),
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    } finally {
      await open.close();
    }
  });

  it('accepts only the configured sandbox ids', async () => {
    expect(emulator.sandboxId).toBe(42);
    expect((await call('/sandbox/api/send/42', mail)).status).toBe(200);
    expect((await call('/sandbox/api/send/43', mail)).status).toBe(404);
  });

  it('refuses a Bearer and an Api-Token that disagree, and other methods', async () => {
    const conflict = await call('/transactional/api/send', mail, { headers: { 'api-token': 'other' } });
    expect(conflict.status).toBe(401);
    const same = await call('/transactional/api/send', mail, { headers: { 'api-token': emulator.token } });
    expect(same.status).toBe(200);
    expect((await call('/transactional/api/send', undefined, { method: 'GET' })).status).toBe(405);
  });

  it('answers 400 when a template cannot be rendered', async () => {
    const result = await call('/transactional/api/send', {
      from: mail.from,
      to: mail.to,
      template_uuid: '11111111-2222-4333-8444-555555555555',
    });
    expect(result.status).toBe(400);
    expect(result.body.errors[0]).toContain('template could not be rendered');
  });

  it('fails one batch item over the message size limit', async () => {
    const small = await startEmulator({ maxMessageBytes: 3000 });
    try {
      const response = await request(`${small.endpoints.send}/api/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          base: { from: { email: 'a@example.com' }, subject: 's' },
          requests: [
            { to: [{ email: 'a@example.org' }], text: 'small' },
            { to: [{ email: 'b@example.org' }], text: 'x'.repeat(4000) },
          ],
        }),
      });
      const body = (await response.body.json()) as any;
      expect(response.statusCode).toBe(200);
      expect(body.responses[0].success).toBe(true);
      expect(body.responses[1].errors[0]).toContain('message is too large');
    } finally {
      await small.close();
    }
  });
});

describe('batch base fields', () => {
  it('checks the base once and still reports its errors on every item', async () => {
    const content = Buffer.alloc(300_000, 7).toString('base64');
    const good = await call('/transactional/api/batch', {
      base: { ...mail, to: undefined, attachments: [{ filename: 'big.bin', content }] },
      requests: Array.from({ length: 200 }, (_, index) => ({ to: [{ email: `u${index}@example.org` }] })),
    });
    expect(good.status).toBe(200);
    expect(good.body.responses.every((item: any) => item.success)).toBe(true);
    expect(emulator.messages()[199]?.attachments[0]?.size).toBe(300_000);
    const bad = await call('/transactional/api/batch', {
      base: { ...mail, to: undefined, attachments: [{ filename: 'x.bin', content: '%%%' }] },
      requests: [{ to: [{ email: 'a@example.org' }] }, { to: [{ email: 'b@example.org' }] }],
    });
    expect(bad.body.responses.map((item: any) => item.errors)).toEqual([
      ["'attachments[0].content' must be base64"],
      ["'attachments[0].content' must be base64"],
    ]);
  });
});

describe('inspection API', () => {
  it('filters stored messages from code', async () => {
    await call('/transactional/api/send', { ...mail, category: 'a', custom_variables: { k: 'v' } });
    await call('/bulk/api/send', { ...mail, to: [{ email: 'Other@Example.org' }], category: 'b' });
    expect(emulator.messages({ stream: 'bulk' })).toHaveLength(1);
    expect(emulator.messages({ category: 'a' })).toHaveLength(1);
    expect(emulator.messages({ recipient: 'other@example.org' })).toHaveLength(1);
    expect(emulator.messages({ custom_variables: { k: 'v' } })).toHaveLength(1);
    expect(emulator.messages({ subject: 'Hello' })).toHaveLength(2);
    expect(emulator.messages((message) => message.stream === 'transactional')).toHaveLength(1);
  });

  it('serves messages, logs, requests and stats over HTTP, and resets', async () => {
    await call('/transactional/api/send', mail);
    await call('/transactional/api/send', { ...mail, to: [] });
    const messages = await call('/_emulator/messages?stream=transactional');
    expect(messages.body.total).toBe(1);
    expect(messages.body.messages[0].subject).toBe('Hello');
    // total follows the filters, kept counts the whole inbox
    const none = await call('/_emulator/messages?stream=bulk');
    expect([none.body.total, none.body.kept]).toEqual([0, 1]);
    const summary = await call('/_emulator/messages?summary=1&q=hello');
    expect(summary.body.messages[0]).toMatchObject({ subject: 'Hello', recipients: 1 });
    const one = await call(`/_emulator/messages/${messages.body.messages[0].id}`);
    expect(one.body.messageIds).toHaveLength(1);
    const logs = await call('/_emulator/logs');
    expect(logs.body).toHaveLength(1);
    const requests = await call('/_emulator/requests');
    expect(requests.body.map((record: any) => record.status)).toEqual([200, 400]);
    expect(requests.body[1].errors).toEqual(["'to', 'cc' or 'bcc' address is required"]);
    expect(requests.body[0].tokenKey).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(requests.body)).not.toContain(emulator.token);
    const stats = await call('/_emulator/stats');
    expect(stats.body).toMatchObject({ requests: 2, accepted: 1, rejected: 1, messages: 1, recipients: 1 });
    expect((await call('/_emulator/reset', {})).status).toBe(200);
    expect(emulator.messages()).toHaveLength(0);
    expect(emulator.stats().requests).toBe(0);
    expect((await call('/_emulator/messages/nope')).status).toBe(404);
  });

  it('turns the real rate limit on and off over HTTP', async () => {
    const on = await call('/_emulator/rate-limit', { requests: 1, windowMs: 60_000 });
    expect(on.body.rateLimit).toEqual({ requests: 1, windowMs: 60_000 });
    expect((await call('/transactional/api/send', mail)).status).toBe(200);
    const limited = await call('/transactional/api/send', mail);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call('/api/accounts')).status).toBe(429);
    expect((await call('/_emulator/rate-limit', undefined, { method: 'DELETE' })).body.rateLimit).toBe(false);
    expect((await call('/transactional/api/send', mail)).status).toBe(200);
    expect(emulator.faults.history().filter((record) => record.kind === 'rate_limit')).toHaveLength(2);
  });

  it('puts the rate limit back to the startup setting on reset', async () => {
    const limited = await startEmulator({ rateLimit: { requests: 1, windowMs: 60_000 } });
    try {
      const send = async () => {
        const response = await request(`${limited.endpoints.send}/api/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${limited.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...mail, from: { email: 'a@example.com' } }),
        });
        await response.body.dump();
        return response.statusCode;
      };
      expect([await send(), await send()]).toEqual([200, 429]);
      limited.faults.rateLimit(false);
      expect(await send()).toBe(200);
      limited.reset();
      expect([await send(), await send()]).toEqual([200, 429]);
    } finally {
      await limited.close();
    }
  });

  it('clears faults over HTTP, all or one', async () => {
    const created = await call('/_emulator/faults', [{ kind: 'rate_limit' }, { kind: 'server_error' }]);
    expect(created.body.ids).toHaveLength(2);
    await call(`/_emulator/faults/${created.body.ids[0]}`, undefined, { method: 'DELETE' });
    expect(emulator.faults.active().map((fault) => fault.kind)).toEqual(['server_error']);
    await call('/_emulator/faults', undefined, { method: 'DELETE' });
    expect(emulator.faults.active()).toEqual([]);
    expect((await call('/transactional/api/send', mail)).status).toBe(200);
  });
});

describe('fault rules', () => {
  it('adds latency and still applies the other faults', async () => {
    emulator.faults.inject({ kind: 'latency', delayMs: 150, share: 1 });
    emulator.faults.inject({ kind: 'server_error', count: 1, status: 503 });
    const started = Date.now();
    const first = await call('/transactional/api/send', mail);
    const second = await call('/transactional/api/send', mail);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect([first.status, second.status]).toEqual([503, 200]);
    expect(emulator.faults.history().map((record) => record.kind)).toEqual([
      'latency',
      'server_error',
      'latency',
    ]);
    expect(emulator.requests()[0]?.fault).toBe('server_error');
  });

  it('limits rules to streams and kinds of endpoint', async () => {
    emulator.faults.inject({ kind: 'server_error', streams: ['bulk'], count: 5 });
    emulator.faults.inject({ kind: 'rate_limit', paths: ['batch'], count: 5 });
    expect((await call('/transactional/api/send', mail)).status).toBe(200);
    expect((await call('/bulk/api/send', mail)).status).toBe(500);
    expect((await call('/transactional/api/batch', { base: mail, requests: [{ to: mail.to }] })).status).toBe(
      429,
    );
  });

  it('applies to the account API when asked', async () => {
    emulator.faults.inject({ kind: 'rate_limit', paths: ['account'], retryAfterSeconds: 2 });
    expect((await call('/transactional/api/send', mail)).status).toBe(200);
    const limited = await call('/api/email_logs');
    expect(limited).toMatchObject({ status: 429, body: { errors: 'Rate limit exceeded' } });
    expect(limited.headers['retry-after']).toBe('2');
    emulator.faults.inject({ kind: 'server_error', paths: ['account'] });
    expect((await call('/api/accounts')).status).toBe(500);
    expect((await call('/api/accounts')).status).toBe(200);
  });

  it('answers 429 with an HTTP-date Retry-After', async () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    emulator.faults.inject({ kind: 'rate_limit', retryAfter: date });
    const result = await call('/transactional/api/send', mail);
    expect(result.headers['retry-after']).toBe(date);
  });

  it('breaks a hanging connection after delayMs', async () => {
    emulator.faults.inject({ kind: 'hang', delayMs: 200 });
    await expect(call('/transactional/api/send', mail)).rejects.toThrow();
    expect(emulator.messages()).toHaveLength(0);
  });

  it('fails a share of batch items, evenly', async () => {
    emulator.faults.inject({ kind: 'batch_item_failure', share: 0.25, errors: ['try again'] });
    const result = await call('/transactional/api/batch', {
      base: mail,
      requests: Array.from({ length: 8 }, (_, index) => ({ to: [{ email: `u${index}@example.org` }] })),
    });
    expect(result.body.responses.map((item: any) => item.success)).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(emulator.messages()).toHaveLength(6);
    expect(emulator.faults.history()[0]?.items).toEqual([3, 7]);
  });

  it('refuses bad fault options with the field named', async () => {
    expect(() => emulator.faults.inject({ kind: 'rate_limit', share: 2 })).toThrow(/'share'/);
    expect(() => emulator.faults.inject({ kind: 'server_error', status: 504 as 500 })).toThrow(/'status'/);
    expect(() => emulator.faults.inject({ kind: 'latency' })).toThrow(/delayMs/);
    expect(() => emulator.faults.rateLimit({ requests: 0, windowMs: 1 })).toThrow(/rateLimit/);
    await expect(startEmulator({ rateLimit: { requests: 150, windowMs: 0 } })).rejects.toThrow(/rateLimit/);
  });
});

describe('control API protection', () => {
  it('refuses requests from other origins and foreign host names', async () => {
    const foreign = await call('/_emulator/reset', {}, { headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const sandboxed = await call('/_emulator/faults', { kind: 'hang' }, { headers: { origin: 'null' } });
    expect(sandboxed.status).toBe(403);
    const rebound = await call('/_emulator/messages', undefined, {
      headers: { host: 'attacker.example:80' },
    });
    expect(rebound.status).toBe(403);
    const page = await call('/', undefined, { headers: { host: 'attacker.example' } });
    expect(page.status).toBe(403);
    expect(emulator.faults.active()).toEqual([]);
    const own = await call(
      '/_emulator/faults',
      { kind: 'rate_limit' },
      { headers: { origin: emulator.url } },
    );
    expect(own.status).toBe(201);
    const local = await call('/_emulator/stats', undefined, {
      headers: { host: `localhost:${new URL(emulator.url).port}` },
    });
    expect(local.status).toBe(200);
  });
});
