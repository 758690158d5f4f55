import type { SendMail } from '@mailtrap-kit/core';
import { describe, expectTypeOf, it } from 'vitest';
import { defineTemplate, renderTemplate, type TemplateDefinition } from './index';
import {
  type OrderShippedVariables,
  orderShipped,
  type PasswordResetVariables,
  passwordReset,
} from './generated/types';

const from = { email: 'shop@example.com' };
const to = [{ email: 'ada@example.com' }];

describe('generated template types', () => {
  it('types the variables of each template', () => {
    expectTypeOf(orderShipped).toEqualTypeOf<TemplateDefinition<OrderShippedVariables>>();
    expectTypeOf<OrderShippedVariables['order']['items']>().toEqualTypeOf<
      Array<{ name: string | number | boolean; quantity: string | number | boolean }> | undefined
    >();
    expectTypeOf<OrderShippedVariables['tags']>().toEqualTypeOf<Array<string | number | boolean>>();
    expectTypeOf<PasswordResetVariables>().toHaveProperty('reset_link');
    expectTypeOf<PasswordResetVariables['mfa']>().toEqualTypeOf<unknown>();
  });

  it('accepts a send with every required variable and produces a SendMail', () => {
    const message = passwordReset.message({
      from,
      to,
      variables: { reset_link: 'https://example.com/r', expires_in_minutes: 30 },
    });
    expectTypeOf(message).toEqualTypeOf<SendMail>();
    orderShipped.message({
      from,
      to,
      variables: {
        order: { number: 'A-1', currency: 'EUR', items: [{ name: 'Pen', quantity: 2 }] },
        customer: { first_name: 'Ada' },
        tracking: { url: 'https://track.example.com', carrier: 'DHL' },
        tags: ['gift'],
      },
    });
  });

  it('rejects a missing variable', () => {
    // @ts-expect-error expires_in_minutes is missing
    passwordReset.message({ from, to, variables: { reset_link: 'https://example.com/r' } });
    passwordReset.check({
      reset_link: 'x',
      // @ts-expect-error a nested object where a printed value is expected
      expires_in_minutes: { minutes: 3 },
    });
  });

  it('rejects a misspelled variable', () => {
    passwordReset.message({
      from,
      to,
      // @ts-expect-error reset_lnk is not a variable of the template
      variables: { reset_lnk: 'https://example.com/r', expires_in_minutes: 30 },
    });
    passwordReset.check({
      reset_link: 'x',
      expires_in_minutes: 1,
      // @ts-expect-error mfaa is not a variable of the template
      mfaa: true,
    });
  });

  it('rejects a misspelled variable inside #each items', () => {
    orderShipped.check({
      order: {
        number: 1,
        currency: 'EUR',
        // @ts-expect-error items have name and quantity, not title
        items: [{ title: 'Pen', quantity: 1 }],
      },
      customer: { first_name: 'Ada' },
      tracking: { url: 'u', carrier: 'c' },
      tags: [],
    });
  });

  it('rejects fields the template owns', () => {
    passwordReset.message({
      from,
      to,
      variables: { reset_link: 'x', expires_in_minutes: 1 },
      // @ts-expect-error the template has the subject
      subject: 'Hello',
    });
  });

  it('defineTemplate takes the variables type from its argument', () => {
    const welcome = defineTemplate<{ name: string }>({ uuid: '11111111-2222-4333-8444-555555555555' });
    expectTypeOf(welcome.check).parameter(0).toEqualTypeOf<{ name: string }>();
    // @ts-expect-error name must be a string
    welcome.check({ name: 1 });
  });
});

describe('renderTemplate variables', () => {
  it('accepts a generated variables interface (no index signature) as it is', () => {
    const variables: PasswordResetVariables = { reset_link: 'https://example.com/r', expires_in_minutes: 30 };
    expectTypeOf(renderTemplate).toBeCallableWith({ subject: 'Reset' }, variables);
    expectTypeOf(renderTemplate).parameter(1).not.toEqualTypeOf<Record<string, unknown>>();
  });
});
