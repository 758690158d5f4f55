import { randomUUID } from 'node:crypto';
import { isPlainObject } from './http';
import type { EmailTemplate, EmailTemplateInput } from './types';

/** The answer of an account API route. */
export interface AccountAnswer {
  status: number;
  /** Sent as JSON (nothing for undefined or 204). */
  body?: unknown;
  errors?: string[];
  /** A body that is not JSON (a raw message, text, HTML): sent as it is with its content type. */
  raw?: { contentType: string; data: string | Buffer; headers?: Record<string, string> };
}

const MAX_TEMPLATES = 200;
const MAX_FIELD = 255;

/** Templates of the emulated account, by id and uuid. */
export class TemplateStore {
  private readonly byId = new Map<number, EmailTemplate>();
  private readonly byUuid = new Map<string, EmailTemplate>();
  private nextId = 1;

  list(): EmailTemplate[] {
    return [...this.byId.values()];
  }

  get(id: number): EmailTemplate | undefined {
    return this.byId.get(id);
  }

  byTemplateUuid(uuid: string): EmailTemplate | undefined {
    return this.byUuid.get(uuid.toLowerCase());
  }

  /** Field errors of a create (all required) or update (only given fields) in the API's 422 shape. */
  check(input: Record<string, unknown>, partial: boolean): Record<string, string[]> | undefined {
    const errors: Record<string, string[]> = {};
    for (const field of ['name', 'subject', 'category'] as const) {
      const value = input[field];
      if (value === undefined && partial) continue;
      if (typeof value !== 'string' || value.trim() === '') errors[field] = ["can't be blank"];
      else if (value.length > MAX_FIELD) errors[field] = [`is too long (maximum is ${MAX_FIELD} characters)`];
    }
    for (const field of ['body_html', 'body_text'] as const) {
      const value = input[field];
      if (value !== undefined && value !== null && typeof value !== 'string')
        errors[field] = ['must be a string'];
    }
    if (!partial && this.byId.size >= MAX_TEMPLATES) {
      errors.base = [`The account has reached its limit of ${MAX_TEMPLATES} templates`];
    }
    return Object.keys(errors).length > 0 ? errors : undefined;
  }

  create(input: EmailTemplateInput & { uuid?: string }): EmailTemplate {
    const now = new Date().toISOString();
    const uuid = (input.uuid ?? randomUUID()).toLowerCase();
    const existing = this.byUuid.get(uuid);
    const template: EmailTemplate = {
      id: existing?.id ?? this.nextId++,
      uuid,
      name: input.name,
      category: input.category,
      subject: input.subject,
      body_text: input.body_text ?? null,
      body_html: input.body_html ?? null,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    this.byId.set(template.id, template);
    this.byUuid.set(uuid, template);
    return template;
  }

  update(id: number, input: Partial<EmailTemplateInput>): EmailTemplate | undefined {
    const template = this.byId.get(id);
    if (!template) return undefined;
    for (const field of ['name', 'subject', 'category', 'body_html', 'body_text'] as const) {
      if (input[field] !== undefined) (template as unknown as Record<string, unknown>)[field] = input[field];
    }
    template.updated_at = new Date().toISOString();
    return template;
  }

  delete(id: number): boolean {
    const template = this.byId.get(id);
    if (!template) return false;
    this.byId.delete(id);
    this.byUuid.delete(template.uuid);
    return true;
  }

  clear(): void {
    this.byId.clear();
    this.byUuid.clear();
  }
}

/** Template routes: GET/POST collection, GET/PATCH/DELETE one. */
export function templateRoute(
  templates: TemplateStore,
  method: string,
  id: string | undefined,
  body: unknown,
): AccountAnswer {
  if (id === undefined) {
    if (method === 'GET') return { status: 200, body: templates.list() };
    if (method === 'POST') {
      const input =
        isPlainObject(body) && isPlainObject(body.email_template) ? body.email_template : undefined;
      if (!input) return { status: 422, body: { errors: { email_template: ["can't be blank"] } } };
      const errors = templates.check(input, false);
      if (errors) return { status: 422, body: { errors } };
      return { status: 201, body: templates.create(input as unknown as EmailTemplateInput) };
    }
    return { status: 405, body: { error: 'Method Not Allowed' } };
  }
  const templateId = Number(id);
  const template = Number.isInteger(templateId) ? templates.get(templateId) : undefined;
  if (!template) return { status: 404, body: { error: 'Not Found' } };
  if (method === 'GET') return { status: 200, body: template };
  if (method === 'PATCH' || method === 'PUT') {
    const input = isPlainObject(body) && isPlainObject(body.email_template) ? body.email_template : undefined;
    if (!input) return { status: 422, body: { errors: { email_template: ["can't be blank"] } } };
    const errors = templates.check(input, true);
    if (errors) return { status: 422, body: { errors } };
    return { status: 200, body: templates.update(templateId, input as Partial<EmailTemplateInput>) };
  }
  if (method === 'DELETE') {
    templates.delete(templateId);
    return { status: 204 };
  }
  return { status: 405, body: { error: 'Method Not Allowed' } };
}
