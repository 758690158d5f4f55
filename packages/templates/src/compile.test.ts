import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate } from './index';

const templates = [
  { subject: 'Hello {{name}}', body_html: '<p>Hi {{name}}, {{{banner}}}</p>', body_text: 'Hi {{ name }}' },
  { subject: 'Plain subject', body_text: 'No variables at all' },
  { subject: '{{count}} new for {{email}}', body_html: '<b>{{count}}</b>' },
  { subject: 'Sale {{ percent }}%', body_text: '{{{name}}}}' },
  { subject: '{{#if vip}}VIP {{/if}}{{name}}', body_html: '{{user.name}} {{! a comment }}' },
  { subject: '\\{{name}} is literal', body_text: '{{~name~}} trimmed' },
  { subject: '{{this}} {{true}} {{else}}', body_html: '{{&name}}' },
  { subject: '', body_html: '{{name}}', body_text: '' },
  { subject: 'Broken {{name', body_text: 'x' },
  // texts JSON writes as escapes: quotes, backslashes, line breaks, tabs, controls, lone surrogates
  { subject: 'Say "{{name}}" \\ {{count}}', body_text: 'Line 1\nLine 2\t{{name}}\r\n\u0001\u001f\u007f' },
  { subject: 'Party 🎉 {{name}} 👩‍💻', body_html: '<p>\u2028{{{banner}}}\u2029</p>' },
  { subject: 'Half \ud83d{{name}}', body_text: '{{name}}\ude00 alone', body_html: '{{name}}{{banner}}' },
  // the engine refuses a NUL in the source
  { subject: 'a\u0000{{name}}', body_text: 'x' },
];

const variableSets: Array<Record<string, unknown> | null> = [
  {},
  null,
  { name: 'Ada', email: 'ada@example.com', banner: '<img src="b.png">', count: 3, percent: 12.5 },
  { name: `O'Brien & "Sons" <Ltd> \`=`, count: 0, vip: true, banner: '' },
  { name: 1e21, count: -0, percent: Number.NaN, email: null, banner: false },
  { name: ['a', 'b'], count: { n: 1 }, user: { name: 'Nested' } },
  { name: true, count: 1e-7, percent: Number.POSITIVE_INFINITY },
  { name: 'a "quoted" \\ back\\slash', banner: '</script>"\\"', count: '\n\r\t' },
  { name: '\u0000\u0001\b\f\u000b\u001f\u007f\u0085', banner: 'tab\there' },
  { name: 'Zoë 🎉 日本 \u2028\u2029 \ufeff', banner: '👩‍💻' },
  // lone surrogates, alone and at the edges of a value, where a neighbour could pair them
  { name: '\ude00', banner: '\ud83d' },
  { name: '\ud83d', banner: '\ude00' },
  { name: 'x\ud800y\udfffz', banner: '\udc00\udbff' },
];

function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('compileTemplate', () => {
  it('renders exactly what renderTemplate renders, for every template and variable set', () => {
    for (const template of templates) {
      const compiled = compileTemplate(template);
      for (const variables of variableSets) {
        expect(
          outcome(() => compiled.render(variables)),
          JSON.stringify({ template, variables }),
        ).toEqual(outcome(() => renderTemplate(template, variables)));
      }
    }
  });

  it("renders each part as JSON.stringify of renderTemplate's part, for every template and variable set", () => {
    const asJson = (rendered: ReturnType<typeof renderTemplate>) =>
      Object.fromEntries(Object.entries(rendered).map(([part, value]) => [part, JSON.stringify(value)]));
    let compared = 0;
    for (const template of templates) {
      const compiled = compileTemplate(template);
      for (const variables of variableSets) {
        const expected = outcome(() => asJson(renderTemplate(template, variables)));
        expect(
          outcome(() => compiled.renderJson(variables)),
          JSON.stringify({ template, variables }),
        ).toEqual(expected);
        if ('value' in (expected as object)) compared += 1;
      }
    }
    expect(compared).toBeGreaterThan((templates.length * variableSets.length) / 2);
  });

  it('renders JSON that reads back as the rendered text, surrogates and controls included', () => {
    const compiled = compileTemplate({ subject: '"{{a}}"\ud83d{{b}}', body_text: '{{{a}}}\\ {{b}}\n' });
    const variables = { a: '\u0001<&>\t', b: '\ude00 end' };
    const json = compiled.renderJson(variables);
    const rendered = compiled.render(variables);
    expect(JSON.parse(json.subject)).toBe(rendered.subject);
    expect(JSON.parse(json.text!)).toBe(rendered.text);
    expect(json).toEqual({
      subject: '"\\"\\u0001&lt;&amp;&gt;\\t\\"😀 end"',
      text: '"\\u0001<&>\\t\\\\ \\ude00 end\\n"',
    });
  });

  it('fills top-level variables with the engine escaping: double braces escaped, triple as they are', () => {
    const compiled = compileTemplate({ subject: '{{name}} | {{{name}}}', body_text: '{{n}} {{missing}}.' });
    expect(compiled.render({ name: `Tom & "Jerry's"`, n: 1e21 })).toEqual({
      subject: 'Tom &amp; &quot;Jerry&apos;s&quot; | Tom & "Jerry\'s"',
      text: '1000000000000000000000 .',
    });
  });

  it('refuses variables that are not an object, as renderTemplate does', () => {
    expect(() => compileTemplate({ subject: '{{a}}' }).render([] as unknown as object)).toThrow(
      /plain object/,
    );
    expect(() => compileTemplate({ subject: '{{a}}' }).renderJson([] as unknown as object)).toThrow(
      /plain object/,
    );
  });

  it('throws as the engine does for a NUL in the source', () => {
    const template = { subject: 'Hi {{name}}\u0000' };
    expect(() => renderTemplate(template, { name: 'a' })).toThrow(/Lexical error/);
    expect(() => compileTemplate(template).render({ name: 'a' })).toThrow(/Lexical error/);
    expect(() => compileTemplate(template).renderJson({ name: 'a' })).toThrow(/Lexical error/);
  });
});
