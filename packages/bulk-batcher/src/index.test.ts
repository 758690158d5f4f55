import { describe, expect, it } from 'vitest';
import { packageName } from './index';

describe('@mailtrap-kit/bulk-batcher', () => {
  it('exposes its package name', () => {
    expect(packageName).toBe('@mailtrap-kit/bulk-batcher');
  });
});
