import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryRateLimitStore,
  MailtrapError,
  MailtrapClient,
  MailtrapTimeoutError,
  type RateLimitStore,
  type SendMail,
} from './index';
import { startTestServer, type TestServer } from './test-server';

const mail: SendMail = {
  from: { email: 's@example.com' },
  to: [{ email: 'r@example.org' }],
  subject: 'S',
  text: 'T',
};

describe('createMemoryRateLimitStore', () => {
  it('lets `requests` through at once, then schedules the rest one window later, per key', async () => {
    const store = createMemoryRateLimitStore();
    const limit = { requests: 3, windowMs: 10_000 };
    const waits = [];
    for (let index = 0; index < 7; index++) waits.push(await store.reserve('a', limit));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (const wait of waits.slice(3, 6)) {
      expect(wait).toBeGreaterThan(9_000);
      expect(wait).toBeLessThanOrEqual(10_000);
    }
    expect(waits[6]).toBeGreaterThan(19_000);
    expect(await store.reserve('b', limit)).toBe(0);
  });
});

describe('client rate limiting', () => {
  let server: TestServer;
  const clients: MailtrapClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('makes a burst wait instead of collecting 429s', async () => {
    const received: number[] = [];
    server.fallback = (_request, response) => {
      received.push(Date.now());
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"success":true,"message_ids":["x"]}');
    };
    const client = new MailtrapClient({
      token: 'burst-token',
      endpoints: { send: server.url },
      rateLimit: { requests: 3, windowMs: 800 },
    });
    clients.push(client);
    const started = Date.now();
    await Promise.all(Array.from({ length: 7 }, () => client.send(mail)));
    expect(received).toHaveLength(7);
    received.sort((left, right) => left - right);
    // Request i cannot leave before floor(i / 3) windows have passed (arrival is never earlier than sending).
    for (let index = 0; index < received.length; index++) {
      expect(received[index]! - started).toBeGreaterThanOrEqual(800 * Math.floor(index / 3) - 5);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_595);
  });

  it('uses a custom store with a key derived from the token (never the token)', async () => {
    const calls: Array<{ key: string; limit: { requests: number; windowMs: number } }> = [];
    const store: RateLimitStore = {
      async reserve(key, limit) {
        calls.push({ key, limit });
        return 0;
      },
    };
    const token = 'secret-token-for-key';
    const client = new MailtrapClient({
      token,
      endpoints: { send: server.url, general: server.url },
      rateLimit: { store },
    });
    const other = new MailtrapClient({
      token: 'another-token',
      endpoints: { send: server.url },
      rateLimit: { store },
    });
    const shared = new MailtrapClient({
      token,
      endpoints: { send: server.url },
      rateLimit: { store, key: 'team', requests: 5 },
    });
    clients.push(client, other, shared);
    await client.send(mail);
    await other.send(mail);
    await shared.send(mail);
    await client
      .request({ method: 'GET', path: '/api/x', rateLimitKey: 'email-logs' })
      .catch(() => undefined);
    expect(calls).toHaveLength(4);
    expect(calls[0]!.key).not.toContain(token);
    expect(calls[0]!.key).not.toBe(calls[1]!.key);
    expect(calls[0]!.limit).toEqual({ requests: 150, windowMs: 10_000 });
    expect(calls[2]).toEqual({ key: 'team', limit: { requests: 5, windowMs: 10_000 } });
    expect(calls[3]!.key).toBe('email-logs');
  });

  it('fails fast with nothing sent when the wait exceeds the total timeout', async () => {
    let reservations = 0;
    const store: RateLimitStore = {
      reserve: async () => {
        reservations++;
        return 60_000;
      },
    };
    const client = new MailtrapClient({
      token: 'wait-token',
      endpoints: { send: server.url },
      rateLimit: { store },
      totalTimeoutMs: 1_000,
    });
    clients.push(client);
    const before = server.requests.length;
    const error = await client.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect((error as MailtrapTimeoutError).maybeSent).toBe(false);
    expect((error as Error).message).toMatch(/rate limiter/);
    expect(server.requests.length).toBe(before);
    expect(reservations).toBe(1);
  });

  it('turns a failing store into a typed error, sending nothing', async () => {
    const store: RateLimitStore = {
      reserve: async () => {
        throw new Error('redis is down');
      },
    };
    const client = new MailtrapClient({
      token: 'store-token',
      endpoints: { send: server.url },
      rateLimit: { store },
    });
    clients.push(client);
    const before = server.requests.length;
    const error = await client.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapError.isInstance(error)).toBe(true);
    expect((error as MailtrapError).maybeSent).toBe(false);
    expect((error as Error).message).toMatch(/rate limit store failed.*redis is down/);
    expect(server.requests.length).toBe(before);
  });

  it('can be turned off', async () => {
    const store: RateLimitStore = {
      reserve: async () => {
        throw new Error('must not be called');
      },
    };
    const client = new MailtrapClient({
      token: 'off-token',
      endpoints: { send: server.url },
      rateLimit: false,
    });
    clients.push(client);
    void store;
    await expect(client.send(mail)).resolves.toMatchObject({ success: true });
  });
});
