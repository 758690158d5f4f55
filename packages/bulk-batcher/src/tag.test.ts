import { describe, expect, it } from 'vitest';
import { createRunId, parseRecipientTag, recipientTag, sequenceText } from './tag';

describe('recipient tag', () => {
  it('is deterministic and reads back', () => {
    expect(recipientTag('abc', 42)).toEqual({ mtk_run: 'abc', mtk_id: '42' });
    expect(parseRecipientTag({ ...recipientTag('abc', 42), other: 'x' })).toEqual({
      runId: 'abc',
      sequence: 42,
    });
    expect(parseRecipientTag({ mtk_run: 'abc', mtk_id: 'x1' })).toBeUndefined();
    expect(parseRecipientTag(null)).toBeUndefined();
  });

  it('creates short distinct run ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => createRunId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{12}$/);
  });

  it('writes a sequence as String(sequence) does, in order, out of order and far apart', () => {
    const mismatches: number[] = [];
    for (let sequence = 0; sequence < 1_201_000; sequence += 1)
      if (sequenceText(sequence) !== String(sequence)) mismatches.push(sequence);
    for (const sequence of [
      999_999,
      1000,
      5,
      1_000_000,
      999,
      2 ** 31 + 7,
      2 ** 40 + 1,
      12_345_678_901,
      1001,
      0,
    ])
      if (sequenceText(sequence) !== String(sequence)) mismatches.push(sequence);
    expect(mismatches).toEqual([]);
    expect(recipientTag('abc', 1_234_005).mtk_id).toBe('1234005');
  });
});
