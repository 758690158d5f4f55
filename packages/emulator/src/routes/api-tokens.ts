import type { AccountAnswer } from '../account';
import { levelFor, NOT_FOUND, needsAccount, unprocessable } from '../answers';
import type { EmulatorContext } from '../context';
import { isPlainObject } from '../http';
import { type AccessLevel, apiToken, type ResourcePermission } from '../tokens';
import type { MailtrapStream } from '../types';
import type { AccountCall, AccountRoute } from './account';

const RESOURCE_TYPES = new Set(['account', 'project', 'sandbox', 'domain']);

/** The resources of a create request, or the 422 errors. */
function resourcesOf(
  emulator: EmulatorContext,
  value: unknown,
): { resources: ResourcePermission[] } | { errors: Record<string, string[]> } {
  if (value === undefined) return { resources: [] };
  if (!Array.isArray(value)) return { errors: { resources: ['must be an array'] } };
  const resources: ResourcePermission[] = [];
  for (const [index, item] of value.entries()) {
    if (!isPlainObject(item)) return { errors: { [`resources[${index}]`]: ['must be an object'] } };
    const type = item.resource_type;
    const level = item.access_level;
    const id = item.resource_id;
    if (typeof type !== 'string' || !RESOURCE_TYPES.has(type))
      return { errors: { [`resources[${index}].resource_type`]: ['is not included in the list'] } };
    if (level !== 10 && level !== 100)
      return { errors: { [`resources[${index}].access_level`]: ['is not included in the list'] } };
    if (typeof id !== 'number' && typeof id !== 'string')
      return { errors: { [`resources[${index}].resource_id`]: ["can't be blank"] } };
    if (type === 'account' && String(id) !== String(emulator.settings.accountId))
      return { errors: { [`resources[${index}].resource_id`]: ['is invalid'] } };
    if (type === 'domain' && !emulator.domains.get(Number(id)))
      return { errors: { [`resources[${index}].resource_id`]: ['is invalid'] } };
    resources.push({
      resource_type: type as ResourcePermission['resource_type'],
      resource_id: id,
      access_level: level,
    });
  }
  return { resources };
}

async function create(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  const body = await call.body();
  const input = isPlainObject(body) ? body : {};
  if (typeof input.name !== 'string' || input.name.trim() === '')
    return unprocessable({ name: ["can't be blank"] });
  const parsed = resourcesOf(emulator, input.resources);
  if ('errors' in parsed) return unprocessable(parsed.errors);
  const { resources } = parsed;
  const account = resources.find((resource) => resource.resource_type === 'account');
  const domainIds = resources
    .filter((resource) => resource.resource_type === 'domain')
    .map((resource) => Number(resource.resource_id));
  const sandboxes = resources.some((resource) => resource.resource_type !== 'domain');
  // a token may send on the streams of what it covers: domains send transactional and bulk,
  // the account also the sandbox
  const streams: MailtrapStream[] =
    account || domainIds.length > 0
      ? ['transactional', 'bulk', ...(sandboxes ? ['sandbox' as const] : [])]
      : sandboxes
        ? ['sandbox']
        : [];
  const { entry, token } = emulator.tokens.add({
    name: input.name,
    streams,
    domainIds: account ? undefined : domainIds,
    accountAccess: account?.access_level as AccessLevel | undefined,
    resources,
    createdBy: call.token.name,
  });
  return { status: 200, body: apiToken(entry, token) };
}

async function collection(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  const refused = needsAccount(call.token, levelFor(call.method));
  if (refused) return refused;
  if (call.method === 'GET')
    return { status: 200, body: emulator.tokens.list().map((entry) => apiToken(entry)) };
  if (call.method === 'POST') return create(emulator, call);
  return NOT_FOUND;
}

function one(emulator: EmulatorContext, call: AccountCall): AccountAnswer {
  const refused = needsAccount(call.token, levelFor(call.method));
  if (refused) return refused;
  const id = Number(call.params[0]);
  const entry = emulator.tokens.get(id);
  if (!entry) return NOT_FOUND;
  if (call.params[1] === 'reset') {
    if (call.method !== 'POST') return NOT_FOUND;
    const token = emulator.tokens.reset(id)!;
    return { status: 200, body: apiToken(entry, token) };
  }
  if (call.method === 'GET') return { status: 200, body: apiToken(entry) };
  if (call.method === 'DELETE') {
    emulator.tokens.delete(id);
    return { status: 204 };
  }
  return NOT_FOUND;
}

/** /api/api_tokens: list, create, get, reset, delete; a change works on the next request. */
export const apiTokenRoutes: AccountRoute[] = [
  { path: /^\/api\/api_tokens\/?$/, handle: collection },
  { path: /^\/api\/api_tokens\/(\d+)(?:\/(reset))?\/?$/, handle: one },
];
