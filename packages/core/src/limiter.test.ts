import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapClient } from './client';
import { MailtrapConfigurationError } from './errors';
import { ACCOUNT_RATE_LIMITS } from './limiter';
import { createMemoryRateLimitStore } from './rate-limit';
import { json, startTestServer, type TestServer } from './test-server';
import type { RateLimitStore } from './types';

let server: TestServer;
const clients: MailtrapClient[] = [];
beforeAll(async () => {
  server = await startTestServer((request, response) =>
    json(response, 200, request.url.includes('/stats') ? { delivery_count: 1 } : []),
  );
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

function recordingStore(): { store: RateLimitStore; calls: Array<{ key: string; limit: unknown }> } {
  const calls: Array<{ key: string; limit: unknown }> = [];
  return {
    calls,
    store: {
      async reserve(key, limit) {
        calls.push({ key, limit });
        return 0;
      },
    },
  };
}

const range = { start_date: '2026-01-01', end_date: '2026-01-02' };

describe('per-account rate limits', () => {
  it('are the documented pools, applied by default to the operations that draw on them', async () => {
    expect(ACCOUNT_RATE_LIMITS).toEqual({
      emailLogsList: { requests: 60, windowMs: 60_000 },
      stats: { requests: 10, windowMs: 60_000 },
      suppressions: { requests: 10, windowMs: 60_000 },
      contacts: { requests: 200, windowMs: 60_000 },
    });
    const { store, calls } = recordingStore();
    const client = new MailtrapClient({
      token: 'pool-token',
      accountId: 7,
      endpoints: { general: server.url },
      rateLimit: { store },
    });
    clients.push(client);
    await client.stats.get(range);
    await client.suppressions.list();
    await client.emailLogs.list();
    await client.domains.list();
    // The account pool first, then the token's budget; a call without a pool charges the token only.
    expect(calls.map((call) => call.key)).toEqual([
      'mailtrap:account:7:stats',
      expect.stringMatching(/^mailtrap:[0-9a-f]{16}$/),
      'mailtrap:account:7:suppressions',
      expect.stringMatching(/^mailtrap:[0-9a-f]{16}$/),
      'mailtrap:account:7:emailLogsList',
      expect.stringMatching(/^mailtrap:[0-9a-f]{16}$/),
      expect.stringMatching(/^mailtrap:[0-9a-f]{16}$/),
    ]);
    expect(calls[0]!.limit).toEqual({ requests: 10, windowMs: 60_000 });
    expect(calls[4]!.limit).toEqual({ requests: 60, windowMs: 60_000 });
  });

  it('make the calls over a pool wait, and are shared by clients with one store and account', async () => {
    const store = createMemoryRateLimitStore({ safetyMarginMs: 0 });
    const options = {
      endpoints: { general: server.url },
      accountId: 9,
      rateLimit: false as const,
      accountRateLimits: { stats: { requests: 2, windowMs: 600 }, store },
    };
    const first = new MailtrapClient({ token: 'pool-a', ...options });
    const second = new MailtrapClient({ token: 'pool-b', ...options });
    clients.push(first, second);
    const started = Date.now();
    await Promise.all([first.stats.get(range), second.stats.get(range)]);
    expect(Date.now() - started).toBeLessThan(500);
    await second.stats.byDate(range);
    // Two tokens of one account share its stats pool: the third call waited for the window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    // Other calls do not draw on the stats pool.
    const other = Date.now();
    await first.domains.list();
    expect(Date.now() - other).toBeLessThan(500);
  });

  it('can be turned off, one pool or all, and refuse unknown pools', async () => {
    const { store, calls } = recordingStore();
    const client = new MailtrapClient({
      token: 'pool-off',
      endpoints: { general: server.url },
      rateLimit: { store, key: 'token-key' },
      accountRateLimits: { stats: false },
    });
    clients.push(client);
    await client.stats.get(range);
    await client.suppressions.list();
    expect(calls.map((call) => call.key)).toEqual(['token-key', 'token-key:suppressions', 'token-key']);
    expect(
      () => new MailtrapClient({ token: 't', accountRateLimits: { logs: { requests: 1 } } as never }),
    ).toThrow(MailtrapConfigurationError);
    expect(() => new MailtrapClient({ token: 't', accountRateLimits: { stats: { requests: 0 } } })).toThrow(
      /accountRateLimits.stats/,
    );
  });
});
