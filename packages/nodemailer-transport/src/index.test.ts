import { describe, expect, it } from 'vitest';
import { packageName } from './index';

describe('@mailtrap-kit/nodemailer-transport', () => {
  it('exposes its package name', () => {
    expect(packageName).toBe('@mailtrap-kit/nodemailer-transport');
  });
});
