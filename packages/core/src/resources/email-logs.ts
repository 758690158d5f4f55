import type { EmailSendingSpec } from '../generated';
import type { EmailLogMessage, EmailLogsPage } from '../types';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkDateTime, checkObject, checkOneOf, checkString } from './input';

export const emailLogsOperations = {
  list: defineOperation({
    operationId: 'listEmailLogs',
    method: 'GET',
    path: '/email_logs',
    accountLimit: 'emailLogsList',
  }),
  get: defineOperation({
    operationId: 'getEmailLogMessage',
    method: 'GET',
    path: '/email_logs/{sending_message_id}',
  }),
};

type SpecFilters = EmailSendingSpec.components['schemas']['EmailLogsListFilters'];

/**
 * Email Logs filters, typed by the spec's operators per field (`to: { operator: 'ci_equal', value:
 * ['a@example.org'] }`). `sent_after`/`sent_before` take an ISO 8601 string or a Date. Fields
 * `custom_variables.<name>` are passed through (Mailtrap ignores filters it does not know; the
 * emulator applies them).
 */
export type EmailLogsFilters = Omit<SpecFilters, 'sent_after' | 'sent_before'> & {
  sent_after?: string | Date;
  sent_before?: string | Date;
} & {
  [field: `custom_variables.${string}`]: { operator: 'equal' | 'not_equal'; value: string | string[] };
};

export interface EmailLogsListParams {
  filters?: EmailLogsFilters;
  /** The `next_page_cursor` of the previous page. */
  search_after?: string;
}

export interface EmailLogsResource {
  /** One page (`GET /api/email_logs`); 60 requests/min per account (applied by the client). */
  list(params?: EmailLogsListParams, options?: CallOptions): Promise<EmailLogsPage>;
  get(messageId: string, options?: CallOptions): Promise<EmailLogMessage>;
  /** Every message matching `filters`, following `next_page_cursor` page by page. */
  iterate(
    params?: Omit<EmailLogsListParams, 'search_after'>,
    options?: CallOptions,
  ): AsyncIterableIterator<EmailLogMessage>;
}

const statuses = ['delivered', 'not_delivered', 'enqueued', 'opted_out'] as const;
const events = [
  'delivery',
  'open',
  'click',
  'bounce',
  'spam',
  'unsubscribe',
  'soft_bounce',
  'reject',
  'suspension',
] as const;
const ciString = ['ci_equal', 'ci_not_equal', 'ci_contain', 'ci_not_contain'] as const;
const plainString = ['equal', 'not_equal', 'contain', 'not_contain'] as const;
const equality = ['equal', 'not_equal'] as const;
const counts = ['equal', 'greater_than', 'less_than'] as const;

/** The operators the spec allows per filter field, and the values an enum field takes. */
const filterRules: Record<
  string,
  { operators: readonly string[]; values?: readonly (string | number)[]; numeric?: boolean }
> = {
  to: { operators: ciString },
  from: { operators: ciString },
  subject: { operators: [...ciString, 'empty', 'not_empty'] },
  status: { operators: equality, values: statuses },
  events: { operators: ['include_event', 'not_include_event'], values: events },
  clicks_count: { operators: counts, numeric: true },
  opens_count: { operators: counts, numeric: true },
  client_ip: { operators: plainString },
  sending_ip: { operators: plainString },
  email_service_provider_response: { operators: ciString },
  email_service_provider: { operators: equality },
  recipient_mx: { operators: ciString },
  category: { operators: equality },
  domain_id: { operators: equality, numeric: true },
  sending_stream: { operators: equality, values: ['transactional', 'bulk'] },
};

/** Checks filters against the spec and returns them in wire form (dates as ISO 8601). */
function checkFilters(filters: EmailLogsFilters): Record<string, unknown> {
  checkObject(filters, 'filters');
  const out: Record<string, unknown> = {};
  for (const [field, filter] of Object.entries(filters)) {
    const at = `filters.${field}`;
    if (filter === undefined) continue;
    if (field === 'sent_after' || field === 'sent_before') {
      out[field] = checkDateTime(filter, at);
      continue;
    }
    const custom = field.startsWith('custom_variables.');
    const rule = custom ? { operators: equality } : filterRules[field];
    if (!rule) {
      invalid(
        at,
        `is not an Email Logs filter (Mailtrap ignores unknown filters); expected sent_after, sent_before, ${Object.keys(filterRules).join(', ')} or custom_variables.<name>`,
      );
    }
    const { operator, value } = checkObject(filter, at, ['operator', 'value']);
    checkOneOf(operator, `${at}.operator`, rule.operators);
    if (operator === 'empty' || operator === 'not_empty') {
      if (value !== undefined) invalid(`${at}.value`, `is not used with the ${operator} operator`);
    } else {
      const list = Array.isArray(value) ? value : [value];
      const contains = typeof operator === 'string' && operator.endsWith('contain');
      if (Array.isArray(value) && (contains || rule.operators === counts)) {
        invalid(`${at}.value`, `takes one value with the ${String(operator)} operator`);
      }
      if (list.length === 0) invalid(`${at}.value`, 'must not be an empty array');
      for (const item of list) {
        if (rule.values) checkOneOf(item, `${at}.value`, rule.values);
        else if (rule.numeric) {
          if (typeof item !== 'number' || !Number.isFinite(item)) invalid(`${at}.value`, 'expected a number');
        } else checkString(item, `${at}.value`);
      }
    }
    out[field] = filter;
  }
  return out;
}

export function createEmailLogsResource(call: Call): EmailLogsResource {
  const operations = emailLogsOperations;
  const list = async (params: EmailLogsListParams = {}, options?: CallOptions): Promise<EmailLogsPage> => {
    checkObject(params, 'params', ['filters', 'search_after']);
    const query: Record<string, unknown> = {};
    if (params.filters !== undefined) query.filters = checkFilters(params.filters);
    if (params.search_after !== undefined)
      query.search_after = checkString(params.search_after, 'search_after');
    return call(operations.list, { query, signal: options?.signal });
  };
  return {
    list,
    get: async (messageId, options) => {
      if (typeof messageId !== 'string' || messageId.length === 0) {
        invalid('messageId', 'expected a non-empty string');
      }
      return call(operations.get, { path: { sending_message_id: messageId }, signal: options?.signal });
    },
    iterate: async function* (params = {}, options) {
      let cursor: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        const page = await list(
          { ...params, ...(cursor !== undefined ? { search_after: cursor } : {}) },
          options,
        );
        for (const message of page.messages) yield message;
        const next = page.next_page_cursor;
        // Stop at the last page, and never loop on a cursor seen before.
        if (!next || page.messages.length === 0 || seen.has(next)) return;
        seen.add(next);
        cursor = next;
      }
    },
  };
}
