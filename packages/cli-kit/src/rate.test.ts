import { describe, expect, it } from 'vitest';
import { durationParser, integerParser } from './options';
import { parseRate } from './rate';

describe('parseRate', () => {
  it('reads <requests>/<window> with ms, s (default) or m, and off', () => {
    expect(parseRate('150/10s')).toEqual({ requests: 150, windowMs: 10_000 });
    expect(parseRate(' 150 / 10 s ')).toEqual({ requests: 150, windowMs: 10_000 });
    expect(parseRate('5/s')).toEqual({ requests: 5, windowMs: 1000 });
    expect(parseRate('10/1')).toEqual({ requests: 10, windowMs: 1000 });
    expect(parseRate('600/1m')).toEqual({ requests: 600, windowMs: 60_000 });
    expect(parseRate('3/250ms')).toEqual({ requests: 3, windowMs: 250 });
    expect(parseRate('2/1.5s')).toEqual({ requests: 2, windowMs: 1500 });
    expect(parseRate('off')).toBe(false);
    expect(parseRate('none')).toBe(false);
  });

  it('refuses anything else with the grammar in the message', () => {
    for (const bad of ['150', '0/10s', '150/0s', '150/10h', 'fast', '-1/1s']) {
      expect(() => parseRate(bad)).toThrow(
        `expected <requests>/<window> like 150/10s (window in ms, s or m) or off, got ${JSON.stringify(bad)}`,
      );
    }
  });
});

describe('value parsers', () => {
  it('integers within bounds, durations in ms, s or m', () => {
    expect(integerParser(1, 500)('20')).toBe(20);
    expect(() => integerParser(1, 500)('0')).toThrow('expected a whole number from 1 to 500, got "0"');
    expect(() => integerParser(0)('1.5')).toThrow('expected a whole number of at least 0, got "1.5"');
    expect(durationParser('1500')).toBe(1500);
    expect(durationParser('2s')).toBe(2000);
    expect(durationParser('1m')).toBe(60_000);
    expect(() => durationParser('soon')).toThrow('expected a duration like 500ms, 10s or 2m');
  });
});
