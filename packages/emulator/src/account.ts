import { randomUUID } from 'node:crypto';
import { type LogItem, logEntry, type Store } from './store';
import type { EmailLogEntry, EmailTemplate, EmailTemplateInput, EmulatorSuppression } from './types';

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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** Parses `a[b][c][]=1` query strings into nested objects (arrays for `[]`). */
export function parseNestedQuery(query: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const parts: string[] = [];
    const head = rawKey.indexOf('[');
    if (head === -1) parts.push(rawKey);
    else {
      parts.push(rawKey.slice(0, head));
      for (const match of rawKey.slice(head).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1]!);
    }
    let node: Record<string, unknown> = result;
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      const last = index === parts.length - 1;
      const nextIsArray = parts[index + 1] === '';
      if (last) {
        if (part === '') continue;
        node[part] = value;
      } else if (nextIsArray && index + 1 === parts.length - 1) {
        const existing = node[part];
        if (Array.isArray(existing)) existing.push(value);
        else node[part] = [value];
        break;
      } else {
        const existing = node[part];
        if (!isPlainObject(existing)) node[part] = {};
        node = node[part] as Record<string, unknown>;
      }
    }
  }
  return result;
}

type Predicate = (item: LogItem) => boolean;

function asList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.map(String);
  if (isPlainObject(value)) return Object.values(value).map(String);
  return undefined;
}

/** One filter on one field, or undefined when the filter is unknown or malformed (ignored, like the API). */
function fieldPredicate(read: (item: LogItem) => unknown, spec: unknown): Predicate | undefined {
  if (!isPlainObject(spec) || typeof spec.operator !== 'string') return undefined;
  const operator = spec.operator;
  const values = asList(spec.value);
  const text = (entry: LogItem) => {
    const value = read(entry);
    return value === null || value === undefined ? '' : String(value);
  };
  switch (operator) {
    case 'empty':
      return (entry) => text(entry) === '';
    case 'not_empty':
      return (entry) => text(entry) !== '';
    case 'include_event':
    case 'not_include_event': {
      if (!values) return undefined;
      const includes = values.includes('delivery');
      return () => (operator === 'include_event' ? includes : !includes);
    }
  }
  if (!values) return undefined;
  switch (operator) {
    case 'equal': {
      const set = new Set(values);
      return (entry) => set.has(text(entry));
    }
    case 'not_equal': {
      const set = new Set(values);
      return (entry) => !set.has(text(entry));
    }
    case 'ci_equal': {
      const set = new Set(values.map((value) => value.toLowerCase()));
      return (entry) => set.has(text(entry).toLowerCase());
    }
    case 'ci_not_equal': {
      const set = new Set(values.map((value) => value.toLowerCase()));
      return (entry) => !set.has(text(entry).toLowerCase());
    }
    case 'contain':
      return (entry) => values.some((value) => text(entry).includes(value));
    case 'not_contain':
      return (entry) => !values.some((value) => text(entry).includes(value));
    case 'ci_contain':
      return (entry) => values.some((value) => text(entry).toLowerCase().includes(value.toLowerCase()));
    case 'ci_not_contain':
      return (entry) => !values.some((value) => text(entry).toLowerCase().includes(value.toLowerCase()));
    case 'greater_than':
      return (entry) => Number(read(entry)) > Number(values[0]);
    case 'less_than':
      return (entry) => Number(read(entry)) < Number(values[0]);
    default:
      return undefined;
  }
}

const LOG_FIELDS: Record<string, (item: LogItem) => unknown> = {
  to: (item) => item.to,
  from: (item) => item.message.from,
  subject: (item) => item.message.subject,
  status: () => 'delivered',
  category: (item) => item.message.category,
  sending_stream: (item) => item.message.stream,
  domain_id: (item) => item.message.domainId,
  template_id: (item) => item.message.templateId,
  client_ip: () => '127.0.0.1',
  opens_count: () => 0,
  clicks_count: () => 0,
  message_id: (item) => item.messageId,
};

export interface EmailLogsQuery {
  filters?: Record<string, unknown>;
  search_after?: string;
}

/**
 * GET /api/email_logs: filters, sent_at descending, cursor pages. `filters[custom_variables.<key>]`
 * with `equal` is answered from an index (the lookup reconciliation uses).
 */
export function listEmailLogs(store: Store, query: EmailLogsQuery, pageSize: number): AccountAnswer {
  const filters = isPlainObject(query.filters) ? query.filters : {};
  const predicates: Predicate[] = [];
  // Filters an index can answer; the smallest candidate set is scanned, the predicates still apply.
  const candidates: Array<{ count: number; fetch: () => LogItem[]; ordered: boolean }> = [];
  const addCandidates = (
    values: string[],
    count: (value: string) => number,
    fetch: (value: string) => LogItem[],
  ) => {
    const unique = [...new Set(values)];
    candidates.push({
      count: unique.reduce((sum, value) => sum + count(value), 0),
      fetch: () => unique.flatMap(fetch),
      ordered: unique.length === 1,
    });
  };
  for (const [field, spec] of Object.entries(filters)) {
    if (field === 'sent_after' || field === 'sent_before') {
      const time = Date.parse(String(spec));
      if (Number.isNaN(time))
        return { status: 400, body: { error: `filters[${field}] must be an ISO 8601 date` } };
      predicates.push(
        field === 'sent_after'
          ? (item) => item.message.sentAtMs >= time
          : (item) => item.message.sentAtMs <= time,
      );
      continue;
    }
    if (field.startsWith('custom_variables.')) {
      const name = field.slice('custom_variables.'.length);
      if (isPlainObject(spec) && spec.operator === 'equal') {
        addCandidates(
          asList(spec.value) ?? [],
          (value) => store.countWithCustomVariable(name, value),
          (value) => store.logsWithCustomVariable(name, value),
        );
      }
      const predicate = fieldPredicate((item) => item.message.customVariables[name], spec);
      if (predicate) predicates.push(predicate);
      continue;
    }
    if (field === 'custom_variables' && isPlainObject(spec)) {
      // filters[custom_variables][key]=value: a shorthand for equal
      for (const [name, value] of Object.entries(spec)) {
        const predicate = fieldPredicate((item) => item.message.customVariables[name], {
          operator: 'equal',
          value,
        });
        if (predicate) predicates.push(predicate);
      }
      continue;
    }
    const read = LOG_FIELDS[field];
    if (field === 'events') {
      const predicate = fieldPredicate(() => 'delivery', spec);
      if (predicate) predicates.push(predicate);
      continue;
    }
    if (!read) continue;
    const predicate = fieldPredicate(read, spec);
    if (predicate) predicates.push(predicate);
  }

  let cursorSeq = Number.POSITIVE_INFINITY;
  if (query.search_after !== undefined && query.search_after !== '') {
    const cursor = store.logsById.get(String(query.search_after));
    if (!cursor) return { status: 400, body: { error: 'search_after does not name a known message' } };
    cursorSeq = cursor.seq;
  }

  const matches = (item: LogItem) => {
    for (const predicate of predicates) if (!predicate(item)) return false;
    return true;
  };
  const page: EmailLogEntry[] = [];
  let total = 0;
  let lastSeq = 0;
  let more = false;
  const visit = (item: LogItem) => {
    if (!matches(item)) return;
    total++;
    if (item.seq >= cursorSeq) return;
    if (page.length < pageSize) {
      page.push(logEntry(item));
      lastSeq = item.seq;
    } else more = true;
  };
  if (candidates.length > 0) {
    candidates.sort((a, b) => a.count - b.count);
    const best = candidates[0]!;
    const items = best.fetch();
    if (!best.ordered) items.sort((a, b) => a.seq - b.seq);
    for (let index = items.length - 1; index >= 0; index--) visit(items[index]!);
  } else {
    for (let index = store.logs.length - 1; index >= 0; index--) visit(store.logs.at(index)!);
  }
  const last = page[page.length - 1];
  return {
    status: 200,
    body: {
      messages: page,
      total_count: total,
      next_page_cursor: more && last && lastSeq > 0 ? last.message_id : null,
    },
  };
}

/** GET /api/email_logs/{message_id}: the entry with its events and a link to the raw message. */
export function getEmailLog(store: Store, messageId: string, baseUrl: string): AccountAnswer {
  const item = store.logsById.get(messageId);
  if (!item) return { status: 404, body: { error: 'Not Found' } };
  return {
    status: 200,
    body: {
      ...logEntry(item),
      raw_message_url: `${baseUrl}/_emulator/messages/${item.message.storedId}/raw`,
      events: [
        {
          event_type: 'delivery',
          created_at: item.message.sentAt,
          details: {
            sending_ip: '127.0.0.1',
            recipient_mx: 'emulator.mailtrap-kit.test',
            email_service_provider: 'mailtrap-kit emulator',
          },
        },
      ],
    },
  };
}

export interface SuppressionRecord {
  id: string;
  type: string;
  created_at: string;
  email: string;
  sending_stream: string;
  domain_name: string | null;
  message_bounce_category: null;
  message_category: null;
  message_client_ip: null;
  message_created_at: null;
  message_esp_response: null;
  message_esp_server_type: null;
  message_outgoing_ip: null;
  message_recipient_mx_name: null;
  message_sender_email: null;
  message_subject: null;
}

export function suppressionRecords(suppressions: EmulatorSuppression[]): SuppressionRecord[] {
  const now = new Date().toISOString();
  return suppressions.map((suppression) => ({
    id: randomUUID(),
    type: suppression.type ?? 'hard bounce',
    created_at: now,
    email: suppression.email,
    sending_stream: suppression.sending_stream ?? 'any',
    domain_name: suppression.email.split('@')[1] ?? null,
    message_bounce_category: null,
    message_category: null,
    message_client_ip: null,
    message_created_at: null,
    message_esp_response: null,
    message_esp_server_type: null,
    message_outgoing_ip: null,
    message_recipient_mx_name: null,
    message_sender_email: null,
    message_subject: null,
  }));
}
