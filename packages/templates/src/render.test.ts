import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateRenderError } from './index';

describe('renderTemplate', () => {
  it('renders subject, html and text with variables', () => {
    const rendered = renderTemplate(
      {
        subject: 'Welcome, {{user.name}}',
        body_html: '<h1>Hi {{user.name}}</h1><p>{{company}}</p>',
        body_text: 'Hi {{user.name}} from {{company}}',
      },
      { user: { name: 'Ada' }, company: 'Acme' },
    );
    expect(rendered).toEqual({
      subject: 'Welcome, Ada',
      html: '<h1>Hi Ada</h1><p>Acme</p>',
      text: 'Hi Ada from Acme',
    });
  });

  it('HTML-escapes double braces in the subject, as Mailtrap does, and not triple braces', () => {
    const rendered = renderTemplate(
      { subject: '{{company}} | {{{company}}}' },
      { company: 'Smith & Sons <Ltd>' },
    );
    expect(rendered.subject).toBe('Smith &amp; Sons &lt;Ltd&gt; | Smith & Sons <Ltd>');
  });

  it('HTML-escapes double braces in html and text', () => {
    const rendered = renderTemplate(
      { subject: 's', body_html: '<b>{{value}}</b>{{{value}}}', body_text: '{{value}}' },
      { value: '<i>"x"</i>' },
    );
    expect(rendered.html).toBe('<b>&lt;i&gt;&quot;x&quot;&lt;/i&gt;</b><i>"x"</i>');
    expect(rendered.text).toBe('&lt;i&gt;&quot;x&quot;&lt;/i&gt;');
  });

  it('treats empty objects and empty arrays as falsy in #if, #unless, #with and #each', () => {
    const template = {
      subject:
        '{{#if object}}if{{else}}no-if{{/if}} {{#unless object}}unless{{/unless}} ' +
        '{{#with object}}with{{else}}no-with{{/with}} {{#each list}}item{{else}}no-each{{/each}} ' +
        '{{#if list}}list{{else}}no-list{{/if}} {{#each object}}key{{else}}no-keys{{/each}}',
    };
    expect(renderTemplate(template, { object: {}, list: [] }).subject).toBe(
      'no-if unless no-with no-each no-list no-keys',
    );
    expect(renderTemplate(template, { object: { a: 1 }, list: [1] }).subject).toBe('if  with item list key');
  });

  it('treats 0, "", null and false as falsy, including 0 in #with', () => {
    const source = '{{#if v}}T{{else}}F{{/if}}{{#with v}}W{{else}}N{{/with}}';
    for (const value of [0, '', null, false, undefined]) {
      expect(renderTemplate({ subject: source }, { v: value }).subject).toBe('FN');
    }
    for (const value of ['0', 1, true, 'x', [0]]) {
      expect(renderTemplate({ subject: source }, { v: value }).subject).toBe('TW');
    }
  });

  it('walks #each with this, @index, ../ parent paths and #with scopes', () => {
    const rendered = renderTemplate(
      {
        subject: 'Order {{order.id}}',
        body_text:
          '{{#each order.items}}{{@index}}:{{name}}x{{quantity}} for {{../customer.name}};{{/each}}' +
          '{{#with customer}}[{{name}} {{../order.id}}]{{/with}}{{#each tags}}<{{this}}>{{/each}}',
      },
      {
        order: {
          id: 7,
          items: [
            { name: 'pen', quantity: 2 },
            { name: 'ink', quantity: 1 },
          ],
        },
        customer: { name: 'Ada' },
        tags: ['a', 'b'],
      },
    );
    expect(rendered.text).toBe('0:penx2 for Ada;1:inkx1 for Ada;[Ada 7]<a><b>');
  });

  it('supports block parameters in #each and #with', () => {
    const rendered = renderTemplate(
      {
        subject:
          '{{#with user as |u|}}{{u.email}}{{/with}}|{{#each rows as |row i|}}{{i}}{{row.id}}{{/each}}',
      },
      { user: { email: 'a@example.com' }, rows: [{ id: 'x' }, { id: 'y' }] },
    );
    expect(rendered.subject).toBe('a@example.com|0x1y');
  });

  it('renders {{else if}} chains with Mailtrap falsiness', () => {
    const template = { subject: '{{#if a}}A{{else if b}}B{{else}}C{{/if}}' };
    expect(renderTemplate(template, { a: {}, b: [1] }).subject).toBe('B');
    expect(renderTemplate(template, { a: [], b: {} }).subject).toBe('C');
    expect(renderTemplate(template, { a: { x: 1 } }).subject).toBe('A');
  });

  it('renders missing variables as empty strings', () => {
    expect(renderTemplate({ subject: 'Hi {{name}}{{a.b.c}}!' }, {}).subject).toBe('Hi !');
  });

  it('omits parts the template does not have', () => {
    expect(renderTemplate({ subject: 'x', body_html: null, body_text: '' })).toEqual({ subject: 'x' });
    expect(renderTemplate({ body_text: 't' })).toEqual({ subject: '', text: 't' });
  });

  it('has no lookup, log or other JS-only helpers', () => {
    for (const source of ['{{lookup list 0}}', '{{log "x"}}', '{{uppercase name}}']) {
      expect(() => renderTemplate({ subject: 's', body_html: source }, { list: ['a'], name: 'x' })).toThrow(
        TemplateRenderError,
      );
    }
  });

  it('says which helper Mailtrap lacks and that partials are not supported', () => {
    expect(() => renderTemplate({ subject: '{{uppercase name}}' }, { name: 'x' })).toThrow(
      /subject: helper "uppercase" does not exist in Mailtrap templates \(only if, unless, each, with\)/,
    );
    expect(() => renderTemplate({ subject: 's', body_text: '{{> footer}}' })).toThrow(
      /body_text: partials are not supported in Mailtrap templates/,
    );
  });

  it('keeps a "__proto__" key of the variables an ordinary key', () => {
    const variables = JSON.parse('{"__proto__": {"polluted": "yes"}, "name": "Ada"}');
    expect(
      renderTemplate({ subject: '{{name}}{{polluted}}|{{#each this}}{{@key}};{{/each}}' }, variables).subject,
    ).toBe('Ada|__proto__;name;');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats null variables as none', () => {
    expect(renderTemplate({ subject: 'Hi {{name}}' }, null)).toEqual({ subject: 'Hi ' });
  });

  it('throws TemplateRenderError naming the part on a syntax error', () => {
    let caught: unknown;
    try {
      renderTemplate({ subject: 'fine', body_text: '{{#if x}}unclosed' }, { x: 1 });
    } catch (error) {
      caught = error;
    }
    expect(TemplateRenderError.isInstance(caught)).toBe(true);
    expect((caught as TemplateRenderError).part).toBe('text');
    expect((caught as TemplateRenderError).message).toContain('body_text');
    expect(() => renderTemplate({ subject: '{{#each}}x{{/each}}' })).toThrow(/subject/);
  });

  it('renders the same source repeatedly with different variables (compiled once, cached)', () => {
    const template = { subject: 'n={{n}}' };
    for (let n = 0; n < 20; n += 1) expect(renderTemplate(template, { n }).subject).toBe(`n=${n}`);
  });

  it('treats mustache-style sections with Mailtrap falsiness', () => {
    const source = '{{#items}}[{{name}}]{{/items}}{{^items}}none{{/items}}';
    expect(renderTemplate({ subject: source }, { items: [{ name: 'a' }, { name: 'b' }] }).subject).toBe(
      '[a][b]',
    );
    expect(renderTemplate({ subject: source }, { items: {} }).subject).toBe('none');
    expect(renderTemplate({ subject: source }, { items: [] }).subject).toBe('none');
  });
});

describe('renderTemplate: values printed as Mailtrap prints them', () => {
  it('escapes only & \' < > " and writes the apostrophe as &apos; (not &#x27;), leaving ` and = alone', () => {
    const rendered = renderTemplate({ subject: '{{v}}|{{{v}}}' }, { v: `O'Brien & "Co" a=b \`x\`` });
    expect(rendered.subject).toBe('O&apos;Brien &amp; &quot;Co&quot; a=b `x`|O\'Brien & "Co" a=b `x`');
  });

  it('escapes every value alike, with or without a character to escape, call after call', () => {
    const values = ['plain', '', '&', 'x<', '>y', "'", '"', 'a&b&c', 'no specials 🎉', '<<&&>>', 'after'];
    const expected = [
      'plain',
      '',
      '&amp;',
      'x&lt;',
      '&gt;y',
      '&apos;',
      '&quot;',
      'a&amp;b&amp;c',
      'no specials 🎉',
      '&lt;&lt;&amp;&amp;&gt;&gt;',
      'after',
    ];
    // twice over, so that a value is escaped the same after any other one
    for (const round of [1, 2]) {
      const rendered = values.map((v) => renderTemplate({ subject: '{{v}}' }, { v }).subject);
      expect(rendered, `round ${round}`).toEqual(expected);
    }
  });

  it('escapes the apostrophe the same way inside #each and #with', () => {
    const rendered = renderTemplate(
      { subject: '{{#each names}}{{this}};{{/each}}{{#with person}}{{name}}{{/with}}' },
      { names: ["d'Arc", 'x=y'], person: { name: "O'Neil" } },
    );
    expect(rendered.subject).toBe('d&apos;Arc;x=y;O&apos;Neil');
  });

  it('prints arrays as the concatenation of their items and numbers without exponents', () => {
    const rendered = renderTemplate(
      { subject: '{{list}} {{{list}}} {{big}} {{small}} {{plain}} {{flag}} {{nothing}}' },
      { list: ['a', '<b>', 3], big: 1e21, small: 1.5e-7, plain: 2.5, flag: true, nothing: null },
    );
    expect(rendered.subject).toBe('a&lt;b&gt;3 a<b>3 1000000000000000000000 0.00000015 2.5 true ');
  });

  it('keeps truthiness of wrapped values', () => {
    const rendered = renderTemplate(
      {
        subject:
          '{{#if s}}S{{/if}}{{#if n}}N{{/if}}{{#if e}}E{{else}}-{{/if}}{{#each s}}x{{else}}no{{/each}}',
      },
      { s: "it's", n: 1e-9, e: '' },
    );
    expect(rendered.subject).toBe('SN-no');
  });
});
