import { getEmailLog, listEmailLogs, parseNestedQuery } from '../email-logs';
import type { AccountRoute } from './account';

/** GET /api/email_logs (filters, cursor pages) and GET /api/email_logs/{message_id}. */
export const emailLogRoutes: AccountRoute[] = [
  {
    path: /^\/api\/email_logs(?:\/([^/]+))?\/?$/,
    handle(emulator, call) {
      if (call.method !== 'GET') return { status: 404, body: { error: 'Not Found' } };
      const id = call.params[0];
      if (id)
        return getEmailLog(emulator.store, decodeURIComponent(id), emulator.baseUrl, call.token.domainIds);
      const parsed = parseNestedQuery(call.query);
      return listEmailLogs(
        emulator.store,
        {
          filters: parsed.filters as Record<string, unknown>,
          search_after: parsed.search_after as string | undefined,
          domainIds: call.token.domainIds,
        },
        emulator.settings.emailLogsPageSize,
      );
    },
  },
];
