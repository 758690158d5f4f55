import type { AccountAnswer } from '../account';
import { badRequest, NOT_FOUND } from '../answers';
import type { EmulatorContext } from '../context';
import { computeStats, type StatsGroup } from '../stats';
import type { AccountCall, AccountRoute } from './account';

const GROUPS: Record<string, StatsGroup> = {
  domains: 'domain',
  categories: 'category',
  email_service_providers: 'email_service_provider',
  date: 'date',
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `name[]=a&name[]=b` (or `name=a`): the values, or undefined when absent. */
function list(params: URLSearchParams, name: string): Set<string> | undefined {
  const values = [...params.getAll(`${name}[]`), ...params.getAll(name)];
  return values.length > 0 ? new Set(values) : undefined;
}

function stats(emulator: EmulatorContext, call: AccountCall): AccountAnswer {
  if (call.method !== 'GET') return NOT_FOUND;
  const group = call.params[0] === undefined ? undefined : GROUPS[call.params[0]];
  if (call.params[0] !== undefined && !group) return NOT_FOUND;
  const params = new URLSearchParams(call.query);
  const startDate = params.get('start_date');
  const endDate = params.get('end_date');
  if (!startDate) return badRequest('Missing required parameter: start_date');
  if (!endDate) return badRequest('Missing required parameter: end_date');
  if (!DATE.test(startDate) || Number.isNaN(Date.parse(startDate)))
    return badRequest('Invalid parameter: start_date');
  if (!DATE.test(endDate) || Number.isNaN(Date.parse(endDate)))
    return badRequest('Invalid parameter: end_date');
  const domainIds = list(params, 'domain_ids');
  return {
    status: 200,
    body: computeStats(
      emulator.store,
      {
        startDate,
        endDate,
        domainIds: domainIds ? new Set([...domainIds].map(Number)) : undefined,
        streams: list(params, 'sending_streams'),
        categories: list(params, 'categories'),
        providers: list(params, 'email_service_providers'),
        visibleDomainIds: call.token.domainIds,
      },
      group,
    ),
  };
}

/** GET /api/stats and /api/stats/{domains,categories,email_service_providers,date}. */
export const statsRoutes: AccountRoute[] = [{ path: /^\/api\/stats(?:\/([a-z_]+))?\/?$/, handle: stats }];
