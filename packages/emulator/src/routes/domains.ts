import type { AccountAnswer } from '../account';
import { FORBIDDEN, levelFor, NOT_FOUND, needsAccount, unprocessable } from '../answers';
import type { EmulatorContext } from '../context';
import type { CompanyInfo, DomainRecord } from '../domains';
import { isDomainName } from '../domains';
import { isPlainObject } from '../http';
import { coversDomain, type TokenEntry } from '../tokens';
import { isEmail } from '../validation';
import type { AccountCall, AccountRoute } from './account';

const COMPANY_FIELDS = [
  'name',
  'address',
  'city',
  'country',
  'phone',
  'zip_code',
  'privacy_policy_url',
  'terms_of_service_url',
  'website_url',
] as const;
const COMPANY_REQUIRED = new Set(['name', 'address', 'city', 'country', 'zip_code', 'website_url']);
const TRACKING_FIELDS = [
  'open_tracking_enabled',
  'click_tracking_enabled',
  'auto_unsubscribe_link_enabled',
] as const;

/** The domain the path names, when the token may see it. */
function visibleDomain(
  emulator: EmulatorContext,
  token: TokenEntry,
  id: string | undefined,
): DomainRecord | undefined {
  const record = emulator.domains.get(Number(id));
  return record && coversDomain(token, record.domain.id) ? record : undefined;
}

/** Domain-scoped tokens read and change their own domains; creating and deleting takes the account. */
function mayChange(token: TokenEntry, method: string): AccountAnswer | undefined {
  if (method === 'GET') return undefined;
  if (token.accountAccess === undefined) {
    return token.resources.some((resource) => resource.access_level === 100) ? undefined : FORBIDDEN;
  }
  return needsAccount(token, levelFor(method));
}

function companyErrors(input: Record<string, unknown>, partial: boolean): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of COMPANY_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null || value === '') {
      if (!partial && COMPANY_REQUIRED.has(field)) errors[field] = ["can't be blank"];
    } else if (typeof value !== 'string') errors[field] = ['must be a string'];
    else if (field.endsWith('_url') && !/^https?:\/\/\S+$/.test(value))
      errors[field] = ['is not a valid URL'];
  }
  if (input.info_level !== undefined && input.info_level !== 'business' && input.info_level !== 'individual')
    errors.info_level = ['is not included in the list'];
  return errors;
}

function companyInfo(record: DomainRecord): CompanyInfo {
  return (
    record.companyInfo ?? {
      name: null,
      address: null,
      city: null,
      country: null,
      phone: null,
      zip_code: null,
      privacy_policy_url: null,
      terms_of_service_url: null,
      website_url: null,
      info_level: 'business',
    }
  );
}

async function collection(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  if (call.method === 'GET') {
    return {
      status: 200,
      body: { data: emulator.domains.list().filter((domain) => coversDomain(call.token, domain.id)) },
    };
  }
  if (call.method !== 'POST') return NOT_FOUND;
  const refused = needsAccount(call.token, 100);
  if (refused) return refused;
  const body = await call.body();
  const input = isPlainObject(body) && isPlainObject(body.domain) ? body.domain : {};
  const name = input.domain_name;
  if (name === undefined || name === null || name === '')
    return unprocessable({ base: ["Validation failed: Domain name can't be blank"] });
  if (!isDomainName(name))
    return unprocessable({ base: ['Validation failed: Domain name is not a valid domain name'] });
  if (emulator.domains.byDomainName(name))
    return unprocessable({ base: ['Validation failed: Domain name has already been taken'] });
  return { status: 200, body: emulator.domains.create(name, false) };
}

async function one(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  const record = visibleDomain(emulator, call.token, call.params[0]);
  if (!record) return NOT_FOUND;
  const action = call.params[1];
  const refused = mayChange(call.token, call.method);
  if (refused) return refused;
  if (action === undefined) {
    if (call.method === 'GET') return { status: 200, body: record.domain };
    if (call.method === 'DELETE') {
      const deleteRefused = needsAccount(call.token, 100);
      if (deleteRefused) return deleteRefused;
      emulator.domains.delete(record.domain.id);
      return { status: 204 };
    }
    if (call.method !== 'PATCH' && call.method !== 'PUT') return NOT_FOUND;
    const body = await call.body();
    const input = isPlainObject(body) && isPlainObject(body.domain) ? body.domain : undefined;
    if (!input) return unprocessable({ domain: ["can't be blank"] });
    const errors: Record<string, string[]> = {};
    for (const field of TRACKING_FIELDS) {
      if (input[field] !== undefined && typeof input[field] !== 'boolean')
        errors[field] = ['must be true or false'];
    }
    if (Object.keys(errors).length > 0) return unprocessable(errors);
    for (const field of TRACKING_FIELDS)
      if (typeof input[field] === 'boolean') record.domain[field] = input[field];
    return { status: 200, body: record.domain };
  }
  if (action === 'send_setup_instructions') {
    if (call.method !== 'POST') return NOT_FOUND;
    const body = await call.body();
    const email = isPlainObject(body) ? body.email : undefined;
    if (!isEmail(email))
      return unprocessable({ email: [email === undefined ? "can't be blank" : 'is invalid'] });
    record.setupInstructionsSentTo.push(email);
    return { status: 204 };
  }
  // company_info
  if (call.method === 'GET') return { status: 200, body: { data: companyInfo(record) } };
  if (call.method !== 'POST' && call.method !== 'PATCH') return NOT_FOUND;
  const body = await call.body();
  const input = isPlainObject(body) && isPlainObject(body.company_info) ? body.company_info : undefined;
  if (!input) return unprocessable({ company_info: ["can't be blank"] });
  const partial = call.method === 'PATCH';
  const errors = companyErrors(input, partial);
  if (Object.keys(errors).length > 0) return unprocessable(errors);
  const info = { ...companyInfo(record) };
  for (const field of COMPANY_FIELDS) if (typeof input[field] === 'string') info[field] = input[field];
  if (input.info_level === 'business' || input.info_level === 'individual')
    info.info_level = input.info_level;
  record.companyInfo = info;
  return { status: 200, body: { data: info } };
}

/** /api/domains: list, create, get, update, delete, send_setup_instructions, company_info. */
export const domainRoutes: AccountRoute[] = [
  { path: /^\/api\/domains\/?$/, handle: collection },
  { path: /^\/api\/domains\/(\d+)(?:\/(send_setup_instructions|company_info))?\/?$/, handle: one },
];
