import { describe, expect, expectTypeOf, it } from 'vitest';
import { CLIENT_OPTION_KEYS, type MailtrapClientOptionKey } from './client-options';
import { MailtrapClient } from './client';
import type { MailtrapClientOptions } from './types';

describe('CLIENT_OPTION_KEYS', () => {
  it('is exactly the keys of MailtrapClientOptions (checked by the type checker)', () => {
    expectTypeOf<MailtrapClientOptionKey>().toEqualTypeOf<keyof MailtrapClientOptions>();
  });

  it('is frozen and has no duplicates', () => {
    expect(Object.isFrozen(CLIENT_OPTION_KEYS)).toBe(true);
    expect(new Set(CLIENT_OPTION_KEYS).size).toBe(CLIENT_OPTION_KEYS.length);
    expect(CLIENT_OPTION_KEYS).toContain('maxMessageBytes');
  });

  it('names options the client reads: an unknown endpoint key in each is still checked', () => {
    // Every listed option is accepted by the constructor (none is a stale name it ignores).
    const options: MailtrapClientOptions = {
      token: 'token',
      maxMessageBytes: 1000,
      timeoutMs: 1000,
      totalTimeoutMs: 2000,
      rateLimit: false,
      retry: false,
      userAgent: 'test',
      allowInsecureHttp: false,
    };
    const client = new MailtrapClient(options);
    expect(client.stream).toBe('transactional');
    void client.close();
  });
});
