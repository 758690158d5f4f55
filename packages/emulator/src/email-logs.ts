/**
 * Email Logs: the list with the spec's filters (cursor pages, sent_at descending) and one entry
 * with its events. An emulator extension: `custom_variables.<key>` filters, answered from an index.
 */
import type { AccountAnswer } from './account';
import { isPlainObject } from './http';
import { countOf, detailOf, eventsOf, logEvent, statusOf } from './message-events';
import { type LogItem, logEntry, type Store } from './store';
import type { EmailLogEntry } from './types';

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
      const wanted = new Set(values);
      const has = (entry: LogItem) => eventsOf(entry).some((event) => wanted.has(event.event_type));
      return operator === 'include_event' ? has : (entry) => !has(entry);
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

/** The filters of the spec (and `template_id`, `message_id`), each reading one field of an entry. */
const LOG_FIELDS: Record<string, (item: LogItem) => unknown> = {
  to: (item) => item.to,
  from: (item) => item.message.from,
  subject: (item) => item.message.subject,
  status: statusOf,
  category: (item) => item.message.category,
  sending_stream: (item) => item.message.stream,
  domain_id: (item) => item.message.domainId,
  template_id: (item) => item.message.templateId,
  client_ip: () => '127.0.0.1',
  sending_ip: (item) => detailOf(item, 'sending_ip'),
  recipient_mx: (item) => detailOf(item, 'recipient_mx'),
  email_service_provider: (item) => detailOf(item, 'email_service_provider'),
  email_service_provider_response: (item) => detailOf(item, 'email_service_provider_response'),
  opens_count: (item) => countOf(item, 'open'),
  clicks_count: (item) => countOf(item, 'click'),
  message_id: (item) => item.messageId,
};

export interface EmailLogsQuery {
  filters?: Record<string, unknown>;
  search_after?: string;
  /** Only entries of these domains (a domain-scoped token); undefined: all. */
  domainIds?: Set<number>;
}

/**
 * GET /api/email_logs: filters, sent_at descending, cursor pages. `filters[custom_variables.<key>]`
 * with `equal` is answered from an index (the lookup reconciliation uses).
 */
export function listEmailLogs(store: Store, query: EmailLogsQuery, pageSize: number): AccountAnswer {
  const filters = isPlainObject(query.filters) ? query.filters : {};
  const predicates: Predicate[] = [];
  const domainIds = query.domainIds;
  if (domainIds) predicates.push((item) => domainIds.has(item.message.domainId));
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
    const read = field === 'events' ? () => null : LOG_FIELDS[field];
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
export function getEmailLog(
  store: Store,
  messageId: string,
  baseUrl: string,
  domainIds?: Set<number>,
): AccountAnswer {
  const item = store.logsById.get(messageId);
  if (!item || (domainIds && !domainIds.has(item.message.domainId)))
    return { status: 404, body: { error: 'Not Found' } };
  return {
    status: 200,
    body: {
      ...logEntry(item),
      raw_message_url: `${baseUrl}/_emulator/messages/${item.message.storedId}/raw`,
      events: eventsOf(item).map(logEvent),
    },
  };
}
