import { describe, expect, it } from 'vitest';
import { createRunId, parseRecipientTag, recipientTag } from './tag';

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
});
