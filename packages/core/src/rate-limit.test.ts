import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryRateLimitStore,
  MailtrapAbortError,
  MailtrapError,
  MailtrapClient,
  MailtrapTimeoutError,
  type RateLimitReserveOptions,
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
      // One window plus the default 250 ms safety margin.
      expect(wait).toBeGreaterThan(10_000);
      expect(wait).toBeLessThanOrEqual(10_250);
    }
    expect(waits[6]).toBeGreaterThan(20_000);
    expect(await store.reserve('b', limit)).toBe(0);
  });
});

describe('createMemoryRateLimitStore settings', () => {
  it('takes its safety margin from the settings (0 = exactly one window)', async () => {
    const limit = { requests: 1, windowMs: 1_000 };
    const exact = createMemoryRateLimitStore({ safetyMarginMs: 0 });
    await exact.reserve('k', limit);
    expect(await exact.reserve('k', limit)).toBeLessThanOrEqual(1_000);
    const wide = createMemoryRateLimitStore({ safetyMarginMs: 500 });
    await wide.reserve('k', limit);
    expect(await wide.reserve('k', limit)).toBeGreaterThan(1_400);
    expect(() => createMemoryRateLimitStore({ safetyMarginMs: -1 })).toThrow(RangeError);
  });

  it('spreads a burst evenly when smooth', async () => {
    const store = createMemoryRateLimitStore({ smooth: true, safetyMarginMs: 0 });
    const limit = { requests: 4, windowMs: 1_000 };
    const waits = [];
    for (let index = 0; index < 4; index++) waits.push(await store.reserve('k', limit));
    expect(waits[0]).toBe(0);
    for (let index = 1; index < 4; index++) {
      expect(waits[index]! - waits[index - 1]!).toBeGreaterThanOrEqual(245);
    }
  });
});

describe('createMemoryRateLimitStore reservation options', () => {
  const limit = { requests: 1, windowMs: 60_000 };

  it('gives a slot back when its caller aborts while waiting', async () => {
    const store = createMemoryRateLimitStore();
    expect(await store.reserve('k', limit)).toBe(0);
    const controller = new AbortController();
    const second = await store.reserve('k', limit, { signal: controller.signal });
    expect(second).toBeGreaterThan(59_000);
    controller.abort();
    // Had the aborted slot been kept, the next one would be a window later (~120 s).
    const third = await store.reserve('k', limit);
    expect(third).toBeGreaterThan(59_000);
    expect(third).toBeLessThanOrEqual(60_250);
    expect(await store.reserve('k', limit)).toBeGreaterThan(120_000);
  });

  it('does not take a slot at or past the deadline, and rejects an aborted signal', async () => {
    const store = createMemoryRateLimitStore();
    expect(await store.reserve('k', limit, { deadline: Date.now() + 1_000 })).toBe(0);
    const late = await store.reserve('k', limit, { deadline: Date.now() + 1_000 });
    expect(late).toBeGreaterThan(59_000);
    // The late slot was not taken: the next caller gets the same time, not a window later.
    const next = await store.reserve('k', limit);
    expect(next).toBeGreaterThan(59_000);
    expect(next).toBeLessThanOrEqual(60_250);
    const aborted = AbortSignal.abort(new Error('stop'));
    await expect(store.reserve('other', limit, { signal: aborted })).rejects.toThrow('stop');
    // Nothing was reserved for the aborted call.
    expect(await store.reserve('other', limit)).toBe(0);
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

  /** A store that waits inside reserve (as a shared Redis store does) and honours signal and deadline. */
  function waitingStore(seen: RateLimitReserveOptions[]): RateLimitStore {
    return {
      reserve: (_key, _limit, options) =>
        new Promise<number>((resolve, reject) => {
          seen.push(options ?? {});
          const signal = options?.signal;
          const stop = (reason: unknown) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            reject(reason);
          };
          const onAbort = () => stop(signal!.reason);
          // Never frees a slot by itself: only the deadline or the signal ends the wait.
          const timer = setTimeout(
            () => stop(new Error('deadline reached')),
            Math.max(0, (options?.deadline ?? Date.now() + 60_000) - Date.now()),
          );
          signal?.addEventListener('abort', onAbort, { once: true });
          void resolve;
        }),
    };
  }

  it('passes the signal to the store: an abort during a rate-limit wait is an abort error', async () => {
    const seen: RateLimitReserveOptions[] = [];
    const client = new MailtrapClient({
      token: 'abort-wait-token',
      endpoints: { send: server.url },
      rateLimit: { store: waitingStore(seen) },
      totalTimeoutMs: 60_000,
    });
    clients.push(client);
    const before = server.requests.length;
    const controller = new AbortController();
    const started = Date.now();
    const pending = client.send(mail, { signal: controller.signal }).catch((caught: unknown) => caught);
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect((error as MailtrapAbortError).maybeSent).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal).toBe(controller.signal);
    expect(seen[0]!.deadline).toBeGreaterThanOrEqual(started + 60_000);
    expect(seen[0]!.deadline).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(server.requests.length).toBe(before);
  });

  it('passes the deadline to the store: a wait that reaches it is a timeout, nothing sent', async () => {
    const seen: RateLimitReserveOptions[] = [];
    const client = new MailtrapClient({
      token: 'deadline-wait-token',
      endpoints: { send: server.url },
      rateLimit: { store: waitingStore(seen) },
      totalTimeoutMs: 300,
    });
    clients.push(client);
    const before = server.requests.length;
    const error = await client.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect((error as MailtrapTimeoutError).maybeSent).toBe(false);
    expect((error as Error).message).toMatch(
      /totalTimeoutMs \(300 ms\) elapsed while waiting for the rate limiter/,
    );
    expect(seen[0]!.signal).toBeUndefined();
    expect(server.requests.length).toBe(before);
  });

  it('takes a store that stops 1 ms before the deadline (a timer fired early) for a timeout', async () => {
    const early: RateLimitStore = {
      reserve: (_key, _limit, options) =>
        new Promise<number>((_resolve, reject) => {
          const at = (options?.deadline ?? 0) - 1;
          setTimeout(
            () => {
              // the moment a timer firing 1 ms early sees, whatever this one's own rounding was
              const now = Date.now;
              Date.now = () => at;
              // until the rejection was handled (its reactions run before the next macrotask)
              setImmediate(() => {
                Date.now = now;
              });
              reject(new Error('deadline reached'));
            },
            Math.max(0, at - Date.now()),
          );
        }),
    };
    const client = new MailtrapClient({
      token: 'deadline-early-token',
      endpoints: { send: server.url },
      rateLimit: { store: early },
      totalTimeoutMs: 200,
    });
    clients.push(client);
    const before = server.requests.length;
    const error = await client.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/elapsed while waiting for the rate limiter/);
    expect(server.requests.length).toBe(before);
  });

  it('aborts during the memory store wait and gives the slot back', async () => {
    const store = createMemoryRateLimitStore();
    const client = new MailtrapClient({
      token: 'memory-abort-token',
      endpoints: { send: server.url },
      rateLimit: { requests: 1, windowMs: 60_000, store, key: 'memory-abort' },
    });
    clients.push(client);
    await client.send(mail);
    const controller = new AbortController();
    const pending = client.send(mail, { signal: controller.signal }).catch((caught: unknown) => caught);
    setTimeout(() => controller.abort(), 50);
    expect(MailtrapAbortError.isInstance(await pending)).toBe(true);
    // The aborted call's slot is free again: the next one waits one window, not two.
    const wait = await store.reserve('memory-abort', { requests: 1, windowMs: 60_000 });
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_250);
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
