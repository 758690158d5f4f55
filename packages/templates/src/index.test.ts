import { describe, expect, it } from 'vitest';
import { packageName } from './index';

describe('@mailtrap-kit/templates', () => {
  it('exposes its package name', () => {
    expect(packageName).toBe('@mailtrap-kit/templates');
  });
});
