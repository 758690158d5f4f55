import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes } from './codegen';
import { defineTemplate, TemplateVariablesError } from './define';
import { fixtureTemplates } from './generated/sources';
import { orderShipped, passwordReset } from './generated/types';
import { deriveVariableSchema } from './schema';

describe('defineTemplate', () => {
  const from = { email: 'shop@example.com' };
  const to = [{ email: 'ada@example.com' }];

  it('builds a template send with template_uuid and template_variables', () => {
    const message = passwordReset.message({
      from,
      to,
      custom_variables: { user_id: '7' },
      variables: { reset_link: 'https://example.com/r', expires_in_minutes: 30 },
    });
    expect(message).toEqual({
      from,
      to,
      custom_variables: { user_id: '7' },
      template_uuid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      template_variables: { reset_link: 'https://example.com/r', expires_in_minutes: 30 },
    });
  });

  it('reports missing variables at runtime before anything is sent', () => {
    const untyped = { order: { number: 1, items: [{ name: 'Pen' }] }, customer: {}, tags: [] } as never;
    expect(orderShipped.check(untyped)).toEqual({
      ok: false,
      missing: [
        { path: 'order.items[0].quantity', expected: 'value' },
        { path: 'order.currency', expected: 'value' },
        { path: 'customer.first_name', expected: 'value' },
        { path: 'tracking', expected: 'object' },
      ],
    });
    const error = (() => {
      try {
        orderShipped.message({ from, to, variables: untyped });
      } catch (caught) {
        return caught;
      }
    })();
    expect(TemplateVariablesError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Template "Order shipped" (6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f) is missing the variables order.items[0].quantity, order.currency, customer.first_name, tracking: pass them in `variables`',
    );
  });

  it('refuses fields the template owns and a malformed uuid', () => {
    expect(() =>
      passwordReset.message({
        from,
        to,
        variables: { reset_link: 'x', expires_in_minutes: 1 },
        subject: 'x',
      } as never),
    ).toThrow(/`subject` cannot be set on a template send/);
    expect(() => defineTemplate({ uuid: 'welcome' })).toThrow(/`uuid` must be the template's uuid/);
  });

  it('without a schema, only types are checked', () => {
    const template = defineTemplate<{ name: string }>({ uuid: '11111111-2222-4333-8444-555555555555' });
    expect(template.check({} as never)).toEqual({ ok: true, missing: [] });
  });

  it('the generated fixture is what generateTypes writes for its sources', () => {
    const committed = readFileSync(new URL('./generated/types.ts', import.meta.url), 'utf8');
    expect(generateTypes(fixtureTemplates, { importFrom: '../index' })).toBe(committed);
    expect(orderShipped.schema).toEqual(deriveVariableSchema(fixtureTemplates[0]!));
  });
});
