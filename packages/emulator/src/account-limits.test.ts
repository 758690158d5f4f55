import { describe, expect, it } from 'vitest';
import { ACCOUNT_LIMITS, AccountLimiter, accountLimitPool, poolLimit } from './account-limits';
import { startEmulator } from './index';
import type { RunningEmulator } from './types';

describe('accountLimitPool', () => {
  it('puts each limited endpoint in its pool', () => {
    expect(accountLimitPool('GET', '/api/email_logs')).toBe('email_logs_list');
    expect(accountLimitPool('GET', '/api/email_logs/0c7fd939-02cf-11ed-88c2-0a58a9feac02')).toBe(
      'email_logs_get',
    );
    expect(accountLimitPool('GET', '/api/stats/domains')).toBe('stats');
    expect(accountLimitPool('DELETE', '/api/suppressions/5')).toBe('suppressions');
    expect(accountLimitPool('POST', '/api/contacts/imports')).toBe('contacts');
    expect(accountLimitPool('GET', '/api/email_templates')).toBeUndefined();
    expect(accountLimitPool('GET', '/api/statsx')).toBeUndefined();
  });
});

describe('poolLimit', () => {
  it("uses Mailtrap's figures, other figures given for a pool, or none", () => {
    const on = { requests: 150, windowMs: 10_000 };
    expect(poolLimit(on, 'stats')).toEqual({ requests: 10, windowMs: 60_000 });
    expect(poolLimit({ ...on, accountLimits: { stats: { requests: 2, windowMs: 1000 } } }, 'stats')).toEqual({
      requests: 2,
      windowMs: 1000,
    });
    expect(poolLimit({ ...on, accountLimits: false }, 'stats')).toBeUndefined();
    expect(poolLimit(false, 'stats')).toBeUndefined();
    expect(ACCOUNT_LIMITS.contacts).toEqual({ requests: 200, windowMs: 60_000 });
  });
});

describe('AccountLimiter', () => {
  it('lets a pool through up to its limit, then tells how long until a slot frees', () => {
    const limiter = new AccountLimiter();
    const settings = { requests: 150, windowMs: 10_000 };
    for (let index = 0; index < 10; index++) expect(limiter.wait(settings, 'stats', 1000 + index)).toBe(0);
    expect(limiter.wait(settings, 'stats', 2000)).toBe(59_000);
    expect(limiter.wait(settings, 'suppressions', 2000)).toBe(0);
    expect(limiter.wait(settings, 'stats', 61_000)).toBe(0);
  });
});

async function get(emulator: RunningEmulator, path: string) {
  const response = await fetch(`${emulator.url}${path}`, {
    headers: { authorization: `Bearer ${emulator.token}` },
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.text(),
  };
}

describe('per-account limits on the wire', () => {
  it('answers 429 past 10 suppressions requests a minute, while other pools still pass', async () => {
    const emulator = await startEmulator({ rateLimit: { requests: 150, windowMs: 10_000 } });
    try {
      for (let index = 0; index < 10; index++)
        expect((await get(emulator, '/api/suppressions')).status).toBe(200);
      const refused = await get(emulator, '/api/accounts/1/suppressions');
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.body)).toEqual({ errors: 'Rate limit exceeded' });
      expect(Number(refused.retryAfter)).toBeGreaterThan(50);
      expect((await get(emulator, '/api/contacts/lists')).status).toBe(200);
      expect((await get(emulator, '/api/email_templates')).status).toBe(200);
      expect(emulator.faults.history().at(-1)).toMatchObject({ faultId: 0, kind: 'rate_limit', status: 429 });
    } finally {
      await emulator.close();
    }
  });

  it('answers 429 past 200 contacts requests and 60 Email Logs lists a minute', async () => {
    const emulator = await startEmulator({ rateLimit: { requests: 1000, windowMs: 10_000 } });
    try {
      const contacts = await Promise.all(
        Array.from({ length: 201 }, () => get(emulator, '/api/contacts/fields')),
      );
      expect(contacts.filter((answer) => answer.status === 200)).toHaveLength(200);
      expect(contacts.filter((answer) => answer.status === 429)).toHaveLength(1);
      const logs = await Promise.all(Array.from({ length: 61 }, () => get(emulator, '/api/email_logs')));
      expect(logs.filter((answer) => answer.status === 429)).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });

  it('applies no per-account limit without the rate limit, or with accountLimits: false', async () => {
    const open = await startEmulator();
    const perToken = await startEmulator({
      rateLimit: { requests: 150, windowMs: 10_000, accountLimits: false },
    });
    try {
      for (const emulator of [open, perToken]) {
        const answers = await Promise.all(
          Array.from({ length: 12 }, () => get(emulator, '/api/suppressions')),
        );
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
      }
    } finally {
      await open.close();
      await perToken.close();
    }
  });

  it('refuses unknown pools and bad figures when the rate limit is set', async () => {
    await expect(
      startEmulator({
        rateLimit: { requests: 150, windowMs: 10_000, accountLimits: { inbox: {} } as never },
      }),
    ).rejects.toThrow(/unknown pool 'inbox'/);
  });
});
