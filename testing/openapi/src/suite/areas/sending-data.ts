import { collect, firstOf, idOf } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

// What sending leaves behind: statistics, suppressions and Email Logs. `state.domainId` (the
// spec example's domain on the spec server) narrows the filters.

const period = { start_date: '2025-01-01', end_date: '2025-01-31' };
const filters = (state: Record<string, any>) => ({
  ...period,
  domain_ids: [state.domainId ?? 3938],
  sending_streams: ['transactional'],
  categories: ['Welcome Email'],
  email_service_providers: ['Google'],
});

export const stats: AccountApiAreaCases = {
  area: 'stats',
  cases: [
    {
      method: 'stats.get',
      operation: 'getAccountSendingStats',
      run: (api, state) => api.get(filters(state)),
    },
    {
      method: 'stats.byDomain',
      operation: 'getAccountSendingStatsByDomains',
      run: (api) => api.byDomain(period),
    },
    {
      method: 'stats.byCategory',
      operation: 'getAccountSendingStatsByCategories',
      run: (api, state) => api.byCategory(filters(state)),
    },
    {
      method: 'stats.byEmailServiceProvider',
      operation: 'getAccountSendingStatsByEmailServiceProviders',
      run: (api) => api.byEmailServiceProvider(period),
    },
    { method: 'stats.byDate', operation: 'getAccountSendingStatsByDate', run: (api) => api.byDate(period) },
  ],
};

export const suppressions: AccountApiAreaCases = {
  area: 'suppressions',
  cases: [
    {
      method: 'suppressions.create',
      operation: 'createSuppression',
      run: (api, state) =>
        api.create({
          email: 'suppressed@example.com',
          domain_id: state.domainId ?? 3938,
          sending_stream: 'transactional',
        }),
      keep: (result, state) => {
        state.suppressionId = idOf(result) ?? firstOf(result)?.id;
      },
    },
    {
      method: 'suppressions.list',
      operation: 'getSuppressions',
      run: (api) => api.list({ email: 'suppressed@example.com' }),
    },
    {
      method: 'suppressions.iterate',
      operation: 'getSuppressions',
      run: (api) => collect(api.iterate()),
    },
    {
      method: 'suppressions.delete',
      operation: 'deleteSuppression',
      run: (api, state) => api.delete(state.suppressionId),
      missing: (api) => api.delete('00000000-0000-4000-8000-000000000000'),
    },
  ],
};

export const emailLogs: AccountApiAreaCases = {
  area: 'emailLogs',
  cases: [
    {
      method: 'emailLogs.list',
      operation: 'listEmailLogs',
      run: (api) => api.list(),
      keep: (result, state) => {
        state.emailLogMessageId ??= result?.messages?.[0]?.message_id;
      },
    },
    {
      method: 'emailLogs.list',
      operation: 'listEmailLogs',
      run: (api) =>
        api.list({
          filters: {
            sent_after: '2025-01-01T00:00:00Z',
            sent_before: '2025-01-31T23:59:59Z',
            to: { operator: 'ci_equal', value: 'recipient@example.com' },
            status: { operator: 'equal', value: ['delivered', 'not_delivered'] },
          },
        }),
    },
    {
      method: 'emailLogs.iterate',
      operation: 'listEmailLogs',
      run: (api) =>
        collect(api.iterate({ filters: { category: { operator: 'equal', value: 'Welcome Email' } } })),
      // the pages' messages, as one last page of the list answer
      wire: (messages) => ({ messages, total_count: messages.length, next_page_cursor: null }),
    },
    {
      method: 'emailLogs.get',
      operation: 'getEmailLogMessage',
      run: (api, state) => api.get(state.emailLogMessageId),
      missing: (api) => api.get('00000000-0000-4000-8000-000000000000'),
    },
  ],
};
