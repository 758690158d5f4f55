import { describe, expect, it } from 'vitest';
import { generateTypes, variablesInterface } from './codegen';
import { deriveVariableSchema } from './schema';

describe('generateTypes', () => {
  it('writes an interface with nested objects, arrays, optional and quoted keys', () => {
    const schema = deriveVariableSchema({
      subject: '{{user.name}} {{[first-name]}}',
      body_html: '{{#each items}}{{title}}{{/each}}{{#each tags}}{{this}}{{/each}}{{#if coupon}}x{{/if}}',
    });
    expect(variablesInterface('OrderVariables', schema)).toBe(
      [
        'export interface OrderVariables {',
        '  user: {',
        '    name: string | number | boolean;',
        '  };',
        '  "first-name": string | number | boolean;',
        '  items: Array<{',
        '    title: string | number | boolean;',
        '  }>;',
        '  tags: Array<string | number | boolean>;',
        '  coupon?: unknown;',
        '}',
      ].join('\n'),
    );
  });

  it('names types after templates, de-duplicates them and defines templates that have a uuid', () => {
    const source = generateTypes([
      { name: 'welcome email', uuid: '11111111-2222-4333-8444-555555555555', subject: 'Hi {{name}}' },
      { name: 'Welcome-Email', subject: 'Static', body_text: 'no variables' },
      { name: '2fa code', subject: '{{code}}' },
    ]);
    expect(source).toContain(
      'export interface Template2faCodeVariables {\n  code: string | number | boolean;\n}',
    );
    expect(source).toContain(
      'export interface WelcomeEmailVariables {\n  name: string | number | boolean;\n}',
    );
    expect(source).toContain('export interface WelcomeEmailVariables2 {}');
    expect(source).toContain('import { defineTemplate } from "@mailtrap-kit/templates";');
    expect(source).toContain(
      'export const welcomeEmail = defineTemplate<WelcomeEmailVariables>({\n  uuid: "11111111-2222-4333-8444-555555555555",',
    );
    expect(source).toContain('schema: {"name":{"type":"value"}},');
    expect(source).not.toContain('defineTemplate<WelcomeEmailVariables2>');
  });

  it('leaves the import out when no template has a uuid', () => {
    expect(generateTypes([{ name: 'a', subject: '{{x}}' }])).not.toContain('import');
  });
});
