import type { AccountAnswer } from '../account';
import { badRequest, FORBIDDEN, NOT_FOUND, unprocessable } from '../answers';
import type { EmulatorContext } from '../context';
import { isPlainObject } from '../http';
import { SUPPRESSION_TYPES, type SuppressionType } from '../suppressions';
import { coversDomain, type TokenEntry } from '../tokens';
import { isEmail } from '../validation';
import type { AccountCall, AccountRoute } from './account';

/** The domain names a token sees; undefined: all. */
export function visibleDomainNames(emulator: EmulatorContext, token: TokenEntry): Set<string> | undefined {
  if (!token.domainIds) return undefined;
  return new Set(
    emulator.domains
      .list()
      .filter((domain) => coversDomain(token, domain.id))
      .map((domain) => domain.domain_name),
  );
}

function time(value: string | null): number | undefined | 'invalid' {
  if (value === null || value === '') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? 'invalid' : parsed;
}

function list(emulator: EmulatorContext, call: AccountCall): AccountAnswer {
  const params = new URLSearchParams(call.query);
  const startTime = time(params.get('start_time'));
  const endTime = time(params.get('end_time'));
  if (startTime === 'invalid' || endTime === 'invalid') return badRequest();
  return {
    status: 200,
    body: emulator.suppressions.list({
      email: params.get('email') ?? undefined,
      startTime,
      endTime,
      lastId: params.get('last_id') ?? undefined,
      domains: visibleDomainNames(emulator, call.token),
    }),
  };
}

async function create(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  const body = await call.body();
  const input = isPlainObject(body) ? body : {};
  const errors: Record<string, string[]> = {};
  if (input.email === undefined || input.email === '') errors.email = ["can't be blank"];
  else if (!isEmail(input.email)) errors.email = ['is invalid'];
  const domain = typeof input.domain_id === 'number' ? emulator.domains.get(input.domain_id) : undefined;
  if (input.domain_id === undefined) errors.domain = ["can't be blank"];
  else if (!domain || !coversDomain(call.token, domain.domain.id)) errors.domain = ['must exist'];
  if (input.sending_stream !== 'transactional' && input.sending_stream !== 'bulk')
    errors.sending_stream = ['is invalid. Allowed values: transactional, bulk.'];
  const type = (input.type ?? 'manual import') as SuppressionType;
  if (!SUPPRESSION_TYPES.includes(type))
    errors.type = [`is invalid. Allowed values: ${SUPPRESSION_TYPES.join(', ')}.`];
  if (Object.keys(errors).length > 0) return unprocessable(errors);
  const record = emulator.suppressions.add({
    email: input.email as string,
    type,
    sending_stream: input.sending_stream as 'transactional' | 'bulk',
    domain_name: domain!.domain.domain_name,
  });
  return { status: 201, body: { data: record } };
}

function remove(emulator: EmulatorContext, call: AccountCall): AccountAnswer {
  const record = emulator.suppressions.get(decodeURIComponent(call.params[0]!));
  const visible = visibleDomainNames(emulator, call.token);
  if (!record || (visible && record.domain_name !== null && !visible.has(record.domain_name)))
    return NOT_FOUND;
  emulator.suppressions.delete(record.id);
  return { status: 200, body: record };
}

function writable(token: TokenEntry): boolean {
  if (token.accountAccess !== undefined) return token.accountAccess >= 100;
  return token.resources.some((resource) => resource.access_level === 100);
}

/** /api/suppressions: list (email, start_time, end_time, last_id; 1000 a page), create, delete. */
export const suppressionRoutes: AccountRoute[] = [
  {
    path: /^\/api\/suppressions\/?$/,
    handle(emulator, call) {
      if (call.method === 'GET') return list(emulator, call);
      if (call.method !== 'POST') return NOT_FOUND;
      return writable(call.token) ? create(emulator, call) : FORBIDDEN;
    },
  },
  {
    path: /^\/api\/suppressions\/([^/]+)\/?$/,
    handle(emulator, call) {
      if (call.method !== 'DELETE') return NOT_FOUND;
      return writable(call.token) ? remove(emulator, call) : FORBIDDEN;
    },
  },
];
