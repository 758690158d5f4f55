import { describe, expect, it } from 'vitest';
import { humanSize } from './sandbox-answers';

describe('humanSize', () => {
  it("writes sizes as Rails' number_to_human_size does", () => {
    expect(humanSize(1)).toBe('1 Byte');
    expect(humanSize(300)).toBe('300 Bytes');
    expect(humanSize(1536)).toBe('1.5 KB');
    expect(humanSize(12_345)).toBe('12.1 KB');
    expect(humanSize(5 * 1024 * 1024)).toBe('5 MB');
  });
});
