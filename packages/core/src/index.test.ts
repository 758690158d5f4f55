import { describe, expect, it } from 'vitest';
import { packageName } from './index';

describe('@mailtrap-kit/core', () => {
  it('exposes its package name', () => {
    expect(packageName).toBe('@mailtrap-kit/core');
  });
});
