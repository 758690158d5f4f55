import type { EmailLogMessage, EmailLogsPage, MailtrapClient } from '@mailtrap-kit/core';

/** One DNS record of a sending domain, as the Domains API gives it. */
export interface DnsRecord {
  key?: string;
  domain?: string;
  name?: string;
  type?: string;
  value?: string;
  status?: string;
}

export interface Domain {
  id: number;
  domain_name: string;
  demo?: boolean;
  compliance_status?: string;
  dns_verified?: boolean;
  dns_verified_at?: string | null;
  dns_records?: DnsRecord[];
}

export interface ApiTokenResource {
  resource_type: string;
  resource_id: number | string;
  access_level: number;
}

export interface ApiToken {
  id: number;
  name: string;
  last_4_digits?: string;
  created_by?: string;
  expires_at?: string | null;
  resources?: ApiTokenResource[];
  /** Only on create and reset. */
  token?: string;
}

export interface SendingStats {
  delivery_count?: number;
  delivery_rate?: number;
  bounce_count?: number;
  bounce_rate?: number;
  open_count?: number;
  open_rate?: number;
  click_count?: number;
  click_rate?: number;
  spam_count?: number;
  spam_rate?: number;
}

export interface StatsFilters {
  start_date: string;
  end_date: string;
  domain_ids?: number[];
  sending_streams?: ('transactional' | 'bulk')[];
  categories?: string[];
  email_service_providers?: string[];
}

export interface SuppressionEntry {
  id: string;
  type?: string;
  created_at?: string;
  email: string;
  sending_stream?: string;
  domain_name?: string | null;
}

export interface Webhook {
  id: number;
  url: string;
  active?: boolean;
  webhook_type?: string;
  payload_format?: string;
  sending_stream?: string | null;
  domain_id?: number | null;
  event_types?: string[];
  signing_secret?: string;
}

export interface WebhookInput {
  url: string;
  webhook_type: 'email_sending';
  payload_format?: 'json' | 'jsonlines';
  sending_stream?: 'transactional' | 'bulk';
  domain_id?: number;
  event_types?: string[];
  active?: boolean;
}

/**
 * The account API calls the commands make, by core's names (`client.domains`, `client.apiTokens`,
 * `client.stats`, `client.suppressions`, `client.emailLogs`, `client.webhooks`, `client.accounts`).
 */
export interface AccountApi {
  accounts: { list(): Promise<Array<{ id: number; name: string; access_levels?: number[] }>> };
  domains: {
    list(): Promise<{ data: Domain[] }>;
    get(id: number): Promise<Domain>;
    create(domain: { domain_name: string }): Promise<Domain>;
    delete(id: number): Promise<void>;
    sendSetupInstructions(id: number, email: string): Promise<void>;
  };
  apiTokens: {
    list(): Promise<ApiToken[]>;
    create(token: { name: string; resources?: ApiTokenResource[] }): Promise<ApiToken>;
    reset(id: number): Promise<ApiToken>;
    delete(id: number): Promise<void>;
  };
  stats: {
    get(filters: StatsFilters): Promise<SendingStats>;
    byDomain(filters: StatsFilters): Promise<Array<{ domain_id: number; stats: SendingStats }>>;
    byCategory(filters: StatsFilters): Promise<Array<{ category: string; stats: SendingStats }>>;
    byEmailServiceProvider(
      filters: StatsFilters,
    ): Promise<Array<{ email_service_provider: string; stats: SendingStats }>>;
    byDate(filters: StatsFilters): Promise<Array<{ date: string; stats: SendingStats }>>;
  };
  suppressions: {
    list(params?: { email?: string }): Promise<SuppressionEntry[]>;
    create(suppression: {
      email: string;
      domain_id: number;
      sending_stream: 'transactional' | 'bulk';
      type?: string;
    }): Promise<unknown>;
    delete(id: string): Promise<unknown>;
  };
  emailLogs: {
    list(params?: { filters?: Record<string, unknown>; search_after?: string }): Promise<EmailLogsPage>;
    get(messageId: string): Promise<EmailLogMessage>;
  };
  webhooks: {
    list(): Promise<{ data: Webhook[] }>;
    create(webhook: WebhookInput): Promise<{ data: Webhook }>;
    delete(id: number): Promise<unknown>;
  };
}

/**
 * The account API over core's `request()`, with the token-scoped paths of the vendor specs.
 * Stands in for core's resource methods of the same names until every one is in core.
 */
export function accountApi(client: MailtrapClient): AccountApi {
  const prefix = client.accountId === undefined ? '/api' : `/api/accounts/${client.accountId}`;
  const call = <T>(
    method: string,
    path: string,
    extra: { query?: Record<string, unknown>; body?: unknown } = {},
  ) => client.request<T>({ method, path: `${prefix}${path}`, ...extra });
  const stats =
    <T>(path: string) =>
    (filters: StatsFilters) =>
      call<T>('GET', `/stats${path}`, { query: { ...filters } });
  return {
    accounts: { list: () => client.request({ method: 'GET', path: '/api/accounts' }) },
    domains: {
      list: () => call('GET', '/domains'),
      get: (id) => call('GET', `/domains/${id}`),
      create: (domain) => call('POST', '/domains', { body: { domain } }),
      delete: async (id) => {
        await call('DELETE', `/domains/${id}`);
      },
      sendSetupInstructions: async (id, email) => {
        await call('POST', `/domains/${id}/send_setup_instructions`, { body: { email } });
      },
    },
    apiTokens: {
      list: () => call('GET', '/api_tokens'),
      create: (token) => call('POST', '/api_tokens', { body: token }),
      reset: (id) => call('POST', `/api_tokens/${id}/reset`),
      delete: async (id) => {
        await call('DELETE', `/api_tokens/${id}`);
      },
    },
    stats: {
      get: stats(''),
      byDomain: stats('/domains'),
      byCategory: stats('/categories'),
      byEmailServiceProvider: stats('/email_service_providers'),
      byDate: stats('/date'),
    },
    suppressions: {
      list: (params) => call('GET', '/suppressions', { query: { ...params } }),
      create: (suppression) => call('POST', '/suppressions', { body: suppression }),
      delete: (id) => call('DELETE', `/suppressions/${id}`),
    },
    emailLogs: {
      list: (params) => client.emailLogs.list(params as never),
      get: (messageId) => client.emailLogs.get(messageId),
    },
    webhooks: {
      list: () => call('GET', '/webhooks'),
      create: (webhook) => call('POST', '/webhooks', { body: { webhook } }),
      delete: (id) => call('DELETE', `/webhooks/${id}`),
    },
  };
}
