import type { TemplatesSpec } from '../generated';
import type { EmailTemplate, EmailTemplateInput } from '../types';
import { MailtrapValidationError } from '../errors';
import { type Call, type CallOptions, defineOperation } from './call';
import { checkId } from './input';

/** The Templates API, both path forms. */
export const templatesOperations = {
  list: defineOperation({ operationId: 'emailTemplates', method: 'GET', path: '/email_templates' }),
  get: defineOperation({
    operationId: 'getEmailTemplate',
    method: 'GET',
    path: '/email_templates/{email_template_id}',
  }),
  create: defineOperation({ operationId: 'createEmailTemplate', method: 'POST', path: '/email_templates' }),
  update: defineOperation({
    operationId: 'updateEmailTemplate',
    method: 'PATCH',
    path: '/email_templates/{email_template_id}',
  }),
  delete: defineOperation({
    operationId: 'deleteEmailTemplate',
    method: 'DELETE',
    path: '/email_templates/{email_template_id}',
    response: 'none',
  }),
};

/** The spec's request body of create (the template is wrapped in `email_template`). */
export type EmailTemplateCreateBody = NonNullable<
  TemplatesSpec.operations['createEmailTemplate']['requestBody']
>['content']['application/json'];

export interface TemplatesResource {
  list(options?: CallOptions): Promise<EmailTemplate[]>;
  get(id: number, options?: CallOptions): Promise<EmailTemplate>;
  create(template: EmailTemplateInput, options?: CallOptions): Promise<EmailTemplate>;
  update(id: number, template: Partial<EmailTemplateInput>, options?: CallOptions): Promise<EmailTemplate>;
  delete(id: number, options?: CallOptions): Promise<void>;
}

const templateFields = new Set(['name', 'subject', 'category', 'body_html', 'body_text']);

/** Checks a template body before it is sent (name, subject and category: 1-255 characters). */
function checkTemplateInput(template: Partial<EmailTemplateInput>, complete: boolean): void {
  const fail = (field: string, why: string): never => {
    throw new MailtrapValidationError(`Invalid template: \`${field}\` ${why}`, { field });
  };
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    fail('template', 'must be an object { name, subject, category, body_html?, body_text? }');
  }
  let fields = 0;
  for (const key of Object.keys(template)) {
    if (!templateFields.has(key))
      fail(key, 'is not a template field (name, subject, category, body_html, body_text)');
    fields++;
  }
  if (!complete && fields === 0) fail('template', 'has no field to update');
  for (const field of ['name', 'subject', 'category'] as const) {
    const value = template[field];
    if (value === undefined) {
      if (complete) fail(field, 'is required');
      continue;
    }
    if (typeof value !== 'string' || value.length === 0) fail(field, 'must be a non-empty string');
    if (value.length > 255) fail(field, `is ${value.length} characters; at most 255`);
  }
  for (const field of ['body_html', 'body_text'] as const) {
    const value = template[field];
    if (value !== undefined && value !== null && typeof value !== 'string') fail(field, 'must be a string');
  }
}

export function createTemplatesResource(call: Call): TemplatesResource {
  const operations = templatesOperations;
  return {
    list: (options) => call(operations.list, { signal: options?.signal }),
    get: async (id, options) =>
      call(operations.get, { path: { email_template_id: checkId(id, 'id') }, signal: options?.signal }),
    create: async (template, options) => {
      checkTemplateInput(template, true);
      return call(operations.create, { body: { email_template: template }, signal: options?.signal });
    },
    update: async (id, template, options) => {
      const email_template_id = checkId(id, 'id');
      checkTemplateInput(template, false);
      return call(operations.update, {
        path: { email_template_id },
        body: { email_template: template },
        signal: options?.signal,
      });
    },
    delete: async (id, options) => {
      await call(operations.delete, {
        path: { email_template_id: checkId(id, 'id') },
        signal: options?.signal,
      });
    },
  };
}
