import { describe, expect, it } from 'vitest';
import { analyzeTemplate, deriveVariableSchema, findMissingVariables } from './schema';
import { TemplateRenderError } from './render';

describe('deriveVariableSchema', () => {
  it('collects printed paths from subject, html and text as nested objects', () => {
    const schema = deriveVariableSchema({
      subject: 'Hi {{user.first_name}}',
      body_html: '<p>{{{company.signature}}}</p>',
      body_text: '{{user.last_name}} at {{company.name}}',
    });
    expect(schema).toEqual({
      user: {
        type: 'object',
        properties: { first_name: { type: 'value' }, last_name: { type: 'value' } },
      },
      company: {
        type: 'object',
        properties: { signature: { type: 'value' }, name: { type: 'value' } },
      },
    });
  });

  it('types #each as an array of objects, with this, ../ parent paths and @index', () => {
    const schema = deriveVariableSchema({
      subject: 'Order',
      body_html:
        '{{#each order.items}}{{@index}} {{name}} {{price.amount}} {{../currency}} {{@root.shop}}{{/each}}' +
        '{{#each tags}}{{this}}{{/each}}',
    });
    expect(schema).toEqual({
      order: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'value' },
                price: { type: 'object', properties: { amount: { type: 'value' } } },
              },
            },
          },
        },
      },
      currency: { type: 'value' },
      shop: { type: 'value' },
      tags: { type: 'array', items: { type: 'value' } },
    });
  });

  it('resolves ../ against the enclosing #each or #with scope, not #if', () => {
    const schema = deriveVariableSchema({
      subject: '{{#with account}}{{#each users}}{{#if active}}{{name}}/{{../plan}}{{/if}}{{/each}}{{/with}}',
    });
    expect(schema).toEqual({
      account: {
        type: 'object',
        properties: {
          users: {
            type: 'array',
            items: {
              type: 'object',
              properties: { active: { type: 'any', optional: true }, name: { type: 'value' } },
            },
          },
          plan: { type: 'value' },
        },
      },
    });
  });

  it('makes tested-only and #if-guarded variables optional, and keeps their children required', () => {
    const schema = deriveVariableSchema({
      subject: '{{#if coupon}}Use {{coupon.code}}{{/if}}{{#unless vip}}Join{{else}}{{vip.level}}{{/unless}}',
      body_text: '{{#each extras}}{{this}}{{else}}none{{/each}}{{#with profile}}{{bio}}{{else}}-{{/with}}',
    });
    expect(schema).toEqual({
      coupon: { type: 'object', optional: true, properties: { code: { type: 'value' } } },
      vip: { type: 'object', optional: true, properties: { level: { type: 'value' } } },
      extras: { type: 'array', optional: true, items: { type: 'value' } },
      profile: { type: 'object', optional: true, properties: { bio: { type: 'value' } } },
    });
  });

  it('follows {{else if}} chains', () => {
    expect(deriveVariableSchema({ subject: '{{#if a}}A{{else if b}}{{b.c}}{{else}}{{d}}{{/if}}' })).toEqual({
      a: { type: 'any', optional: true },
      b: { type: 'object', optional: true, properties: { c: { type: 'value' } } },
      d: { type: 'value' },
    });
  });

  it('supports block parameters and mustache-style sections', () => {
    const schema = deriveVariableSchema({
      subject: '{{#each rows as |row i|}}{{row.id}}{{i}}{{/each}}{{#with user as |u|}}{{u.email}}{{/with}}',
      body_text: '{{#banner}}{{title}}{{/banner}}',
    });
    expect(schema).toEqual({
      rows: { type: 'array', items: { type: 'object', properties: { id: { type: 'value' } } } },
      user: { type: 'object', properties: { email: { type: 'value' } } },
      banner: { type: 'object', optional: true, properties: { title: { type: 'value' } } },
    });
  });

  it('reports helpers Mailtrap does not have and partials, with their line', () => {
    const analysis = analyzeTemplate({
      subject: '{{uppercase name}}',
      body_html: '{{#if (eq a b)}}x{{/if}}\n{{lookup list 0}}\n\n{{> footer}}',
    });
    expect(analysis.unknownHelpers).toEqual([
      { name: 'uppercase', part: 'subject', line: 1 },
      { name: 'eq', part: 'html', line: 1 },
      { name: 'lookup', part: 'html', line: 2 },
    ]);
    expect(analysis.unsupported).toEqual([{ feature: 'partial', part: 'html', line: 4 }]);
    expect(Object.keys(analysis.variables).sort()).toEqual(['a', 'b', 'list', 'name']);
  });

  it('throws TemplateRenderError with the part on a syntax error', () => {
    expect(() => deriveVariableSchema({ subject: 'ok', body_html: '{{#each x}}' })).toThrow(
      TemplateRenderError,
    );
  });
});

describe('findMissingVariables', () => {
  const schema = deriveVariableSchema({
    subject: '{{user.name}}',
    body_html: '{{#each items}}{{title}} {{price}}{{/each}}{{#if coupon}}{{coupon.code}}{{/if}}',
  });

  it('returns nothing when every required variable is there', () => {
    expect(
      findMissingVariables(schema, { user: { name: 'Ada' }, items: [{ title: 'a', price: 1 }] }),
    ).toEqual([]);
  });

  it('names each missing path, inside arrays and present optional objects too', () => {
    expect(
      findMissingVariables(schema, {
        user: {},
        items: [{ title: 'a', price: 0 }, { title: 'b' }],
        coupon: { kode: 'x' },
      }),
    ).toEqual([
      { path: 'user.name', expected: 'value' },
      { path: 'items[1].price', expected: 'value' },
      { path: 'coupon.code', expected: 'value' },
    ]);
    expect(findMissingVariables(schema, {}).map((missing) => missing.path)).toEqual(['user', 'items']);
    expect(findMissingVariables(schema, { user: { name: 'x' }, items: 'nope' })).toEqual([
      { path: 'items', expected: 'array' },
    ]);
  });
});
