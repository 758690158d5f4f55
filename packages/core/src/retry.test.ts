import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import {
  MailtrapAbortError,
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapNetworkError,
  MailtrapRateLimitError,
  MailtrapServerError,
  MailtrapTimeoutError,
  type SendMail,
} from './index';
import { parseRetryAfter } from './http';
import { json, refusedPort, startTestServer, type TestServer } from './test-server';

const token = 'retry-token-0123456789';
const mail: SendMail = {
  from: { email: 'sender@example.com' },
  to: [{ email: 'a@example.org' }],
  subject: 'Hello',
  text: 'Hi',
};

let server: TestServer;
const closers: Array<() => Promise<void>> = [];

function client(options: MailtrapClientOptions = {}): MailtrapClient {
  const created = new MailtrapClient({
    token,
    endpoints: { send: server.url, general: server.url },
    rateLimit: false,
    ...options,
    retry: options.retry === false ? false : { minDelayMs: 1, maxDelayMs: 10, ...options.retry },
  });
  closers.push(() => created.close());
  return created;
}

/** A dispatcher that counts the requests dispatched through it. */
function counting(inner: Dispatcher): { dispatcher: Dispatcher; count: () => number } {
  let count = 0;
  const dispatcher = inner.compose((dispatch) => (options, handler) => {
    count++;
    return dispatch(options, handler);
  });
  return { dispatcher, count: () => count };
}

function ok(_request: unknown, response: import('node:http').ServerResponse) {
  json(response, 200, { success: true, message_ids: ['ok-1'] });
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const close of closers) await close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.queue.length = 0;
  server.fallback = ok;
});

describe('429', () => {
  it('retries after Retry-After seconds and succeeds', async () => {
    server.queue.push((_request, response) =>
      json(response, 429, { success: false, errors: ['Rate limit exceeded'] }, { 'retry-after': '0' }),
    );
    const result = await client().send(mail);
    expect(result.message_ids).toEqual(['ok-1']);
    expect(server.requests).toHaveLength(2);
  });

  it('honours a Retry-After HTTP date', async () => {
    const started = Date.now();
    server.queue.push((_request, response) =>
      json(
        response,
        429,
        { errors: ['Rate limit exceeded'] },
        { 'retry-after': new Date(Date.now() + 2000).toUTCString() },
      ),
    );
    await client().send(mail);
    expect(server.requests).toHaveLength(2);
    // an HTTP date has one-second resolution: the wait is at least 1 s
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('caps Retry-After at maxRetryAfterMs', async () => {
    server.queue.push((_request, response) =>
      json(response, 429, { errors: ['slow down'] }, { 'retry-after': '3600' }),
    );
    await client({ retry: { maxRetryAfterMs: 20 } }).send(mail);
    expect(server.requests).toHaveLength(2);
  });

  it('backs off without Retry-After and gives up after `retries` with a typed error', async () => {
    server.fallback = (_request, response) =>
      json(response, 429, { success: false, errors: ['Rate limit exceeded'] });
    const error = await client({ retry: { retries: 2 } })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapRateLimitError.isInstance(error)).toBe(true);
    expect((error as MailtrapRateLimitError).retryable).toBe(true);
    expect((error as MailtrapRateLimitError).maybeSent).toBe(false);
    expect((error as Error).message).toMatch(/after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('reports retryAfterMs on the error', async () => {
    server.fallback = (_request, response) =>
      json(response, 429, { errors: ['Rate limit exceeded'] }, { 'retry-after': '7' });
    const error = (await client({ retry: false })
      .send(mail)
      .catch((caught: unknown) => caught)) as MailtrapRateLimitError;
    expect(error.retryAfterMs).toBe(7000);
    expect(server.requests).toHaveLength(1);
  });

  it('does not wait past the total timeout for a long Retry-After', async () => {
    server.fallback = (_request, response) =>
      json(response, 429, { errors: ['Rate limit exceeded'] }, { 'retry-after': '30' });
    const error = await client({ totalTimeoutMs: 2_000, retry: { maxRetryAfterMs: 60_000 } })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapRateLimitError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Retry-After parsing', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('failures before the request was sent', () => {
  it('retries a refused connection and says nothing was sent', async () => {
    const port = await refusedPort();
    const agent = new Agent();
    closers.push(() => agent.close());
    const { dispatcher, count } = counting(agent);
    const refused = new MailtrapClient({
      token,
      endpoints: { send: `http://127.0.0.1:${port}` },
      dispatcher,
      rateLimit: false,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    });
    const error = await refused.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapNetworkError.isInstance(error)).toBe(true);
    const typed = error as MailtrapNetworkError;
    expect(typed.code).toBe('network');
    expect(typed.retryable).toBe(true);
    expect(typed.maybeSent).toBe(false);
    expect(typed.message).toContain('ECONNREFUSED');
    expect((typed.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(count()).toBe(3);
  });

  it('succeeds when the connection works on the next attempt', async () => {
    const connector = buildConnector({});
    let attempts = 0;
    const agent = new Agent({
      connect: (options, callback) => {
        attempts++;
        if (attempts === 1) {
          callback(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED' }),
            null,
          );
          return;
        }
        connector(options, callback);
      },
    });
    closers.push(() => agent.close());
    const result = await client({ dispatcher: agent }).send(mail);
    expect(result.message_ids).toEqual(['ok-1']);
    expect(attempts).toBe(2);
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts before the request was written', () => {
  it('retries a connection that never opens and says nothing was sent', async () => {
    let connects = 0;
    const agent = new Agent({
      connect: () => {
        connects++; // never calls back: the TCP connection hangs
      },
    });
    closers.push(() => agent.destroy());
    const error = await client({ dispatcher: agent, timeoutMs: 200, retry: { retries: 2 } })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect((error as MailtrapTimeoutError).maybeSent).toBe(false);
    expect((error as MailtrapTimeoutError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/nothing was sent/);
    expect(connects).toBeGreaterThanOrEqual(1);
    expect(server.requests).toHaveLength(0);
  });

  it('retries a request that timed out while queued behind a busy connection', async () => {
    const agent = new Agent({ connections: 1 });
    closers.push(() => agent.destroy());
    let release: () => void = () => {};
    server.queue.push(
      (_request, response) =>
        new Promise<void>((resolve) => {
          release = () => {
            json(response, 200, { success: true, message_ids: ['first'] });
            resolve();
          };
        }),
    );
    const api = client({
      dispatcher: agent,
      timeoutMs: 5_000,
      retry: { retries: 3, minDelayMs: 50, maxDelayMs: 50 },
    });
    const first = api.send(mail);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const queued = client({ dispatcher: agent, timeoutMs: 300, retry: false })
      .send(mail)
      .catch((caught: unknown) => caught);
    const error = await queued;
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect((error as MailtrapTimeoutError).maybeSent).toBe(false);
    release();
    await expect(first).resolves.toMatchObject({ message_ids: ['first'] });
    expect(server.requests).toHaveLength(1);
  });
});

describe('ambiguous failures', () => {
  it('does not retry a 500 by default and marks it maybeSent', async () => {
    server.fallback = (_request, response) =>
      json(response, 500, { success: false, errors: ['Internal server error'] });
    const error = await client()
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapServerError.isInstance(error)).toBe(true);
    expect((error as MailtrapServerError).maybeSent).toBe(true);
    expect((error as MailtrapServerError).retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 500 with retryAmbiguous', async () => {
    server.queue.push((_request, response) => json(response, 503, { errors: ['Service Unavailable'] }));
    const result = await client({ retry: { retryAmbiguous: true } }).send(mail);
    expect(result.message_ids).toEqual(['ok-1']);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a connection reset after the body was received', async () => {
    server.fallback = (_request, response, raw) => {
      raw.socket.destroy();
      void response;
    };
    const error = await client()
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapNetworkError.isInstance(error)).toBe(true);
    expect((error as MailtrapNetworkError).maybeSent).toBe(true);
    expect((error as MailtrapNetworkError).retryable).toBe(false);
    expect((error as MailtrapNetworkError).message).toMatch(/may have been accepted/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a reset after the body with retryAmbiguous', async () => {
    server.queue.push((_request, _response, raw) => {
      raw.socket.destroy();
    });
    const result = await client({ retry: { retryAmbiguous: true } }).send(mail);
    expect(result.message_ids).toEqual(['ok-1']);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a 500 on an idempotent GET without retryAmbiguous', async () => {
    server.queue.push((_request, response) => json(response, 500, { error: 'oops' }));
    server.queue.push((_request, response) =>
      json(response, 200, [{ id: 1, name: 'Main', access_levels: [1000] }]),
    );
    const accounts = await client().accounts.list();
    expect(accounts[0]?.name).toBe('Main');
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 501 on an idempotent GET: the server does not support it', async () => {
    server.fallback = (_request, response) => json(response, 501, { error: 'Not available' });
    const error = await client()
      .accounts.list()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailtrapServerError);
    expect(error).toMatchObject({ status: 501, retryable: false, maybeSent: false });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a 501 to a send even with retryAmbiguous: it was not performed', async () => {
    server.fallback = (_request, response) => json(response, 501, { errors: ['Not Implemented'] });
    const error = await client({ retry: { retryAmbiguous: true } })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'server', status: 501, retryable: false, maybeSent: false });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a POST to the account API on 500', async () => {
    server.fallback = (_request, response) => json(response, 500, { error: 'oops' });
    const error = await client()
      .templates.create({ name: 'n', subject: 's', category: 'c', body_text: 't' })
      .catch((caught: unknown) => caught);
    expect(MailtrapServerError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  const hang = () => {
    /* never answers */
  };

  it('times out one attempt and does not retry a send that may have been accepted', async () => {
    server.fallback = hang;
    const error = await client({ timeoutMs: 300 })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    const typed = error as MailtrapTimeoutError;
    expect(typed.code).toBe('timeout');
    expect(typed.maybeSent).toBe(true);
    expect(typed.message).toContain('timeoutMs (300 ms per attempt)');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a timed-out send with retryAmbiguous', async () => {
    server.queue.push(hang);
    const result = await client({ timeoutMs: 300, retry: { retryAmbiguous: true } }).send(mail);
    expect(result.message_ids).toEqual(['ok-1']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at the total timeout across retries', async () => {
    server.fallback = hang;
    const started = Date.now();
    const error = await client({
      timeoutMs: 200,
      totalTimeoutMs: 700,
      retry: { retryAmbiguous: true, retries: 100 },
    })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThan(10);
  });

  it('bounds a single attempt by the total timeout', async () => {
    server.fallback = hang;
    const error = await client({ timeoutMs: 20_000, totalTimeoutMs: 300 })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapTimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('totalTimeoutMs (300 ms)');
  });
});

describe('abort', () => {
  it('rejects at once, sending nothing, when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    const error = await client()
      .send(mail, { signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect((error as MailtrapAbortError).maybeSent).toBe(false);
    expect(((error as MailtrapAbortError).cause as Error).message).toBe('user left');
    expect(server.requests).toHaveLength(0);
  });

  it('aborts a request in flight', async () => {
    server.fallback = () => {};
    const controller = new AbortController();
    const pending = client().send(mail, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect((error as MailtrapAbortError).code).toBe('aborted');
    expect((error as MailtrapAbortError).maybeSent).toBe(true);
  });

  it('aborts while waiting to retry', async () => {
    server.fallback = (_request, response) =>
      json(response, 429, { errors: ['Rate limit exceeded'] }, { 'retry-after': '20' });
    const controller = new AbortController();
    const pending = client({ retry: { maxRetryAfterMs: 60_000 } }).send(mail, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((caught: unknown) => caught);
    expect(MailtrapAbortError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});
