import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailtrapError, MailtrapValidationError } from '@mailtrap-kit/core';
import { describe, expect, it } from 'vitest';
import {
  defineTemplate,
  readTemplatesFolder,
  renderTemplate,
  TemplateRenderError,
  TemplatesFolderError,
  TemplateVariablesError,
} from './index';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('errors of the templates package', () => {
  it('are MailtrapErrors with stable codes, names and their cause', async () => {
    const render = caught(() => renderTemplate({ subject: 'Hi {{#if}}', body_text: 't' }, {}));
    expect(TemplateRenderError.isInstance(render)).toBe(true);
    expect(MailtrapError.isInstance(render)).toBe(true);
    expect(render).toMatchObject({ name: 'TemplateRenderError', code: 'templates.render', part: 'subject' });
    expect((render as Error).cause).toBeInstanceOf(Error);

    const folder = await mkdtemp(join(tmpdir(), 'templates-errors-'));
    try {
      await writeFile(join(folder, 'not-a-folder'), 'x');
      const missing = await readTemplatesFolder(join(folder, 'nope')).catch((error: unknown) => error);
      expect(TemplatesFolderError.isInstance(missing)).toBe(true);
      expect(missing).toMatchObject({ name: 'TemplatesFolderError', code: 'templates.folder' });
      expect(((missing as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }

    const template = defineTemplate<{ name: string }>({
      uuid: '6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f',
      schema: { name: { type: 'value' } },
    });
    const variables = caught(() => template.assert({} as { name: string }));
    expect(TemplateVariablesError.isInstance(variables)).toBe(true);
    expect(MailtrapValidationError.isInstance(variables)).toBe(true);
    expect(variables).toMatchObject({
      name: 'TemplateVariablesError',
      code: 'validation',
      field: 'template_variables.name',
    });
  });

  it('are not confused with one another or with other MailtrapErrors', () => {
    const render = caught(() => renderTemplate({ subject: '{{#if}}', body_text: 't' }, {}));
    expect(TemplatesFolderError.isInstance(render)).toBe(false);
    expect(TemplateVariablesError.isInstance(render)).toBe(false);
    expect(TemplateRenderError.isInstance(new MailtrapError('other'))).toBe(false);
  });

  it('refuses bad arguments with MailtrapValidationError naming the field, not a TypeError', () => {
    const uuid = caught(() => defineTemplate({ uuid: 'not-a-uuid' }));
    expect(uuid).toMatchObject({ name: 'MailtrapValidationError', code: 'validation', field: 'uuid' });
    const render = caught(() => renderTemplate(null as never, {}));
    expect(render).toMatchObject({ code: 'validation', field: 'template' });
    const owned = caught(() =>
      defineTemplate({ uuid: '6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f' }).message({
        from: { email: 'a@example.com' },
        to: [{ email: 'b@example.org' }],
        subject: 'x',
        variables: {},
      } as never),
    );
    expect(owned).toMatchObject({ code: 'validation', field: 'subject' });
  });
});
