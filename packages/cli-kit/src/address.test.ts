import { describe, expect, it } from 'vitest';
import { collect, parseAddress } from './address';

describe('parseAddress', () => {
  it('reads a bare address or a display name with the address in angle brackets', () => {
    expect(parseAddress('ada@example.com')).toEqual({ email: 'ada@example.com' });
    expect(parseAddress('Ada Lovelace <ada@example.com>')).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(parseAddress('"Lovelace, Ada" <ada@example.com>')).toEqual({
      name: 'Lovelace, Ada',
      email: 'ada@example.com',
    });
  });

  it("refuses what core's address rule refuses, saying why", () => {
    expect(() => parseAddress('ada@example')).toThrow(
      '"ada@example" is not an address: it has a domain without a dot',
    );
    expect(() => parseAddress('ada')).toThrow('it has no @');
  });

  it('collects a repeatable option in order', () => {
    const parse = collect(parseAddress);
    expect(parse('b@example.com', parse('a@example.com', undefined))).toEqual([
      { email: 'a@example.com' },
      { email: 'b@example.com' },
    ]);
  });
});
