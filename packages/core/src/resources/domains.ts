import type { EmailSendingSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import {
  checkBoolean,
  checkEmail,
  checkId,
  checkNotEmpty,
  checkObject,
  checkOneOf,
  checkString,
} from './input';
import type { RequestBody, SuccessBody } from './spec-types';

export const domainsOperations = {
  list: defineOperation({ operationId: 'getDomains', method: 'GET', path: '/domains' }),
  get: defineOperation({ operationId: 'getDomain', method: 'GET', path: '/domains/{domain_id}' }),
  create: defineOperation({ operationId: 'createDomain', method: 'POST', path: '/domains' }),
  update: defineOperation({ operationId: 'updateDomain', method: 'PATCH', path: '/domains/{domain_id}' }),
  delete: defineOperation({
    operationId: 'deleteDomain',
    method: 'DELETE',
    path: '/domains/{domain_id}',
    response: 'none',
  }),
  sendSetupInstructions: defineOperation({
    operationId: 'sendDomainSetupInstructions',
    method: 'POST',
    path: '/domains/{domain_id}/send_setup_instructions',
    response: 'none',
  }),
  getCompanyInfo: defineOperation({
    operationId: 'getDomainCompanyInfo',
    method: 'GET',
    path: '/domains/{domain_id}/company_info',
  }),
  createCompanyInfo: defineOperation({
    operationId: 'createDomainCompanyInfo',
    method: 'POST',
    path: '/domains/{domain_id}/company_info',
  }),
  updateCompanyInfo: defineOperation({
    operationId: 'updateDomainCompanyInfo',
    method: 'PATCH',
    path: '/domains/{domain_id}/company_info',
  }),
};

type Schemas = EmailSendingSpec.components['schemas'];
type Operations = EmailSendingSpec.operations;

/** A sending domain: `dns_records` (SPF, DKIM, DMARC, return path) with their status, `dns_verified`, `compliance_status`. */
export type Domain = Schemas['Domain'];
/** One DNS record of a domain. */
export type DomainDnsRecord = NonNullable<Domain['dns_records']>[number];
/** Where a domain stands in Mailtrap's review: `compliant` may send to anyone. */
export type DomainComplianceStatus = NonNullable<Domain['compliance_status']>;
export type DomainUpdate = Schemas['UpdateDomainRequest'];
export type CompanyInfo = Schemas['CompanyInfo'];
export type CompanyInfoInput = Schemas['CompanyInfoRequest'];
export type CompanyInfoUpdate = Schemas['CompanyInfoUpdateRequest'];
export type DomainsList = SuccessBody<Operations['getDomains']>;
export type CompanyInfoResult = SuccessBody<Operations['getDomainCompanyInfo']>;
export type DomainCreateBody = RequestBody<Operations['createDomain']>;

export interface DomainsResource {
  /** `{ data: Domain[] }`. */
  list(options?: CallOptions): Promise<DomainsList>;
  get(id: number, options?: CallOptions): Promise<Domain>;
  /** Adds a sending domain; its `dns_records` say what to publish. */
  create(domain: { domain_name: string }, options?: CallOptions): Promise<Domain>;
  update(id: number, settings: DomainUpdate, options?: CallOptions): Promise<Domain>;
  delete(id: number, options?: CallOptions): Promise<void>;
  /** Emails the DNS setup instructions of the domain to `email`. */
  sendSetupInstructions(id: number, email: string, options?: CallOptions): Promise<void>;
  getCompanyInfo(id: number, options?: CallOptions): Promise<CompanyInfoResult>;
  createCompanyInfo(id: number, info: CompanyInfoInput, options?: CallOptions): Promise<CompanyInfoResult>;
  updateCompanyInfo(id: number, info: CompanyInfoUpdate, options?: CallOptions): Promise<CompanyInfoResult>;
}

const hostname = /^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;
const updateKeys = [
  'open_tracking_enabled',
  'click_tracking_enabled',
  'auto_unsubscribe_link_enabled',
] as const;
const companyKeys = [
  'name',
  'address',
  'city',
  'country',
  'phone',
  'zip_code',
  'privacy_policy_url',
  'terms_of_service_url',
  'website_url',
  'info_level',
] as const;
/** Required by the spec on create. */
const companyRequired = ['name', 'address', 'city', 'country', 'zip_code', 'website_url'] as const;

function checkCompanyInfo(value: unknown, complete: boolean): Record<string, unknown> {
  const info = checkObject(value, 'company_info', companyKeys);
  if (!complete) checkNotEmpty(info, 'company_info');
  for (const key of companyKeys) {
    const field = info[key];
    if (field === undefined) {
      if (complete && (companyRequired as readonly string[]).includes(key))
        invalid(`company_info.${key}`, 'is required');
      continue;
    }
    if (key === 'info_level') checkOneOf(field, 'company_info.info_level', ['business', 'individual']);
    else checkString(field, `company_info.${key}`);
  }
  return info;
}

export function createDomainsResource(call: Call): DomainsResource {
  const operations = domainsOperations;
  const domainId = (id: unknown) => ({ domain_id: checkId(id, 'id') });
  return {
    list: (options) => call(operations.list, { signal: options?.signal }),
    get: async (id, options) => call(operations.get, { path: domainId(id), signal: options?.signal }),
    create: async (domain, options) => {
      const input = checkObject(domain, 'domain', ['domain_name']);
      const name = checkString(input.domain_name, 'domain.domain_name', 253);
      if (!hostname.test(name))
        invalid('domain.domain_name', `is not a domain name: ${JSON.stringify(name)}`);
      return call(operations.create, { body: { domain: { domain_name: name } }, signal: options?.signal });
    },
    update: async (id, settings, options) => {
      const path = domainId(id);
      const input = checkObject(settings, 'settings', updateKeys);
      checkNotEmpty(input, 'settings');
      for (const key of Object.keys(input)) checkBoolean(input[key], `settings.${key}`);
      return call(operations.update, { path, body: { domain: input }, signal: options?.signal });
    },
    delete: async (id, options) => {
      await call(operations.delete, { path: domainId(id), signal: options?.signal });
    },
    sendSetupInstructions: async (id, email, options) => {
      const path = domainId(id);
      const address = checkEmail(email, 'email');
      await call(operations.sendSetupInstructions, {
        path,
        body: { email: address },
        signal: options?.signal,
      });
    },
    getCompanyInfo: async (id, options) =>
      call(operations.getCompanyInfo, { path: domainId(id), signal: options?.signal }),
    createCompanyInfo: async (id, info, options) => {
      const path = domainId(id);
      const body = { company_info: checkCompanyInfo(info, true) };
      return call(operations.createCompanyInfo, { path, body, signal: options?.signal });
    },
    updateCompanyInfo: async (id, info, options) => {
      const path = domainId(id);
      const body = { company_info: checkCompanyInfo(info, false) };
      return call(operations.updateCompanyInfo, { path, body, signal: options?.signal });
    },
  };
}
