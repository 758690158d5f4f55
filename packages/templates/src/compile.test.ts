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
];

const variableSets: Array<Record<string, unknown> | null> = [
  {},
  null,
  { name: 'Ada', email: 'ada@example.com', banner: '<img src="b.png">', count: 3, percent: 12.5 },
  { name: `O'Brien & "Sons" <Ltd> \`=`, count: 0, vip: true, banner: '' },
  { name: 1e21, count: -0, percent: Number.NaN, email: null, banner: false },
  { name: ['a', 'b'], count: { n: 1 }, user: { name: 'Nested' } },
  { name: true, count: 1e-7, percent: Number.POSITIVE_INFINITY },
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
  });
});
