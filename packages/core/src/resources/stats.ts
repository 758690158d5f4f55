import type { EmailSendingSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkArray, checkDate, checkId, checkObject, checkOneOf, checkString } from './input';
import type { QueryParameters, SuccessBody } from './spec-types';

const stats = (operationId: string, path: string) =>
  defineOperation({ operationId, method: 'GET', path, accountLimit: 'stats' });

export const statsOperations = {
  get: stats('getAccountSendingStats', '/stats'),
  byDomain: stats('getAccountSendingStatsByDomains', '/stats/domains'),
  byCategory: stats('getAccountSendingStatsByCategories', '/stats/categories'),
  byEmailServiceProvider: stats(
    'getAccountSendingStatsByEmailServiceProviders',
    '/stats/email_service_providers',
  ),
  byDate: stats('getAccountSendingStatsByDate', '/stats/date'),
};

type Operations = EmailSendingSpec.operations;
type Query = QueryParameters<Operations['getAccountSendingStats']>;

/** An email service provider as the stats filter names it (`Google`, `Outlook`, ...). */
export type EmailServiceProvider = NonNullable<Query['email_service_providers[]']>[number];

/** The filters of every stats call: a date range (required) and optional dimensions. */
export interface StatsFilters {
  /** First day, `YYYY-MM-DD` or a Date (UTC day). */
  start_date: string | Date;
  /** Last day, `YYYY-MM-DD` or a Date (UTC day). */
  end_date: string | Date;
  domain_ids?: number[];
  sending_streams?: ('transactional' | 'bulk')[];
  categories?: string[];
  email_service_providers?: EmailServiceProvider[];
}

/** Counts and rates: delivery, bounce, open, click, spam. */
export type SendingStats = EmailSendingSpec.components['schemas']['SendingStats'];
export type StatsByDomain = SuccessBody<Operations['getAccountSendingStatsByDomains']>;
export type StatsByCategory = SuccessBody<Operations['getAccountSendingStatsByCategories']>;
export type StatsByEmailServiceProvider = SuccessBody<
  Operations['getAccountSendingStatsByEmailServiceProviders']
>;
export type StatsByDate = SuccessBody<Operations['getAccountSendingStatsByDate']>;

export interface StatsResource {
  /** The account's totals (10 requests/min per account for all stats calls, applied by the client). */
  get(filters: StatsFilters, options?: CallOptions): Promise<SendingStats>;
  byDomain(filters: StatsFilters, options?: CallOptions): Promise<StatsByDomain>;
  byCategory(filters: StatsFilters, options?: CallOptions): Promise<StatsByCategory>;
  byEmailServiceProvider(filters: StatsFilters, options?: CallOptions): Promise<StatsByEmailServiceProvider>;
  byDate(filters: StatsFilters, options?: CallOptions): Promise<StatsByDate>;
}

const providers: readonly EmailServiceProvider[] = [
  'Google',
  'Yahoo',
  'Outlook',
  'Hey',
  'Google Workspace',
  'Zoho Email',
  'ProtonMail',
  'Yandex',
  'iCloud',
  'Office 365',
  'Amazon SES (Simple Email Service)',
  'Proofpoint Email Protection',
  'Mimecast Email Protection',
  'GMX.net',
  'Rackspace',
  'OVH hosted',
  'Linode hosted',
  'GoDaddy',
  'Symantec Email Protection',
  'Barracuda Email Protection',
  'Cisco Email Protection',
  'FastMail',
  'Naver',
  'Seznam',
  'Comcast',
  'Spectrum',
];

/** Checks the filters and writes them as the spec's query (`domain_ids[]=1&domain_ids[]=2`). */
function statsQuery(filters: StatsFilters): Record<string, unknown> {
  const input = checkObject(filters, 'filters', [
    'start_date',
    'end_date',
    'domain_ids',
    'sending_streams',
    'categories',
    'email_service_providers',
  ]);
  if (input.start_date === undefined) invalid('filters.start_date', 'is required');
  if (input.end_date === undefined) invalid('filters.end_date', 'is required');
  const start = checkDate(input.start_date, 'filters.start_date');
  const end = checkDate(input.end_date, 'filters.end_date');
  if (start > end) invalid('filters.end_date', `is before start_date (${start} > ${end})`);
  const query: Record<string, unknown> = { start_date: start, end_date: end };
  if (input.domain_ids !== undefined)
    query.domain_ids = checkArray(input.domain_ids, 'filters.domain_ids', checkId);
  if (input.sending_streams !== undefined) {
    query.sending_streams = checkArray(input.sending_streams, 'filters.sending_streams', (value, field) =>
      checkOneOf(value, field, ['transactional', 'bulk']),
    );
  }
  if (input.categories !== undefined) {
    query.categories = checkArray(input.categories, 'filters.categories', (value, field) =>
      checkString(value, field),
    );
  }
  if (input.email_service_providers !== undefined) {
    query.email_service_providers = checkArray(
      input.email_service_providers,
      'filters.email_service_providers',
      (value, field) => checkOneOf(value, field, providers),
    );
  }
  return query;
}

export function createStatsResource(call: Call): StatsResource {
  const operations = statsOperations;
  return {
    get: async (filters, options) =>
      call(operations.get, { query: statsQuery(filters), signal: options?.signal }),
    byDomain: async (filters, options) =>
      call(operations.byDomain, { query: statsQuery(filters), signal: options?.signal }),
    byCategory: async (filters, options) =>
      call(operations.byCategory, { query: statsQuery(filters), signal: options?.signal }),
    byEmailServiceProvider: async (filters, options) =>
      call(operations.byEmailServiceProvider, { query: statsQuery(filters), signal: options?.signal }),
    byDate: async (filters, options) =>
      call(operations.byDate, { query: statsQuery(filters), signal: options?.signal }),
  };
}
