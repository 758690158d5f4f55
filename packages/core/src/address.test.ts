import { describe, expect, it } from 'vitest';
import { emailAddressProblem } from './address';

describe('emailAddressProblem', () => {
  it.each([
    'bob@example.org',
    'bob+newsletter@example.org',
    'first.last@sub.example.co.uk',
    'josé@müller.de',
    'user@xn--mller-kva.de',
    'почта@пример.рф',
    "o'brien@example.ie",
    'a@b.io',
    'recipient_1-x@mail-server.example.com',
    `${'a'.repeat(64)}@example.org`,
    `bob@${'a'.repeat(63)}.org`,
    'bob@example.1a',
  ])('accepts %s', (email) => {
    expect(emailAddressProblem(email)).toBeUndefined();
  });

  it.each([
    ['bob example.org', /whitespace/],
    ['<>', /angle brackets/],
    ['Bob <bob@example.org>', /angle brackets/],
    ['bob@example', /without a dot/],
    ['bob@example.org\r\nBcc: x@example.org', /CR or LF/],
    ['bob\n@example.org', /CR or LF/],
    ['', /empty/],
    ['bob.example.org', /no @/],
    ['bob@@example.org', /more than one @/],
    ['@example.org', /nothing before/],
    ['bob@', /no domain/],
    ['.bob@example.org', /dot/],
    ['bob.@example.org', /dot/],
    ['bo..b@example.org', /dot/],
    ['bob@-example.org', /invalid domain/],
    ['bob@example..org', /invalid domain/],
    ['bob@example.c', /top-level/],
    ['bob@127.0.0.1', /top-level/],
    ['bo"b@example.org', /not allowed/],
    [`${'a'.repeat(65)}@example.org`, /at most 64/],
    [`bob@${'a'.repeat(250)}.org`, /at most 254/],
    [`bob@${'a'.repeat(64)}.org`, /invalid domain/],
    ['bob@example.org-', /invalid domain/],
    ['bob@example.-org', /invalid domain/],
    ['bob@example.1', /top-level/],
  ])('refuses %j with a reason', (email, reason) => {
    expect(emailAddressProblem(email)).toMatch(reason);
  });

  it('refuses a value that is not a string', () => {
    expect(emailAddressProblem(42 as unknown as string)).toBe('is not a string');
  });
});
