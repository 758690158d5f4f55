import { idOf, uniqueName, unknownId } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

const companyInfo = {
  name: 'Suite Company',
  address: '1 Test Street',
  city: 'Testville',
  country: 'US',
  zip_code: '10001',
  website_url: 'https://example.com',
};

/** Sending domains: created, read, updated, their setup instructions and company info, deleted. */
export const domains: AccountApiAreaCases = {
  area: 'domains',
  cases: [
    {
      method: 'domains.create',
      operation: 'createDomain',
      run: (api) => api.create({ domain_name: `${uniqueName('suite')}.example.com` }),
      keep: (result, state) => {
        state.domainId = idOf(result);
      },
    },
    { method: 'domains.list', operation: 'getDomains', run: (api) => api.list() },
    {
      method: 'domains.get',
      operation: 'getDomain',
      run: (api, state) => api.get(state.domainId),
      missing: (api) => api.get(unknownId),
    },
    {
      method: 'domains.update',
      operation: 'updateDomain',
      run: (api, state) => api.update(state.domainId, { open_tracking_enabled: false }),
      missing: (api) => api.update(unknownId, { open_tracking_enabled: false }),
    },
    {
      method: 'domains.sendSetupInstructions',
      operation: 'sendDomainSetupInstructions',
      run: (api, state) => api.sendSetupInstructions(state.domainId, 'devops@example.com'),
      missing: (api) => api.sendSetupInstructions(unknownId, 'devops@example.com'),
    },
    {
      method: 'domains.createCompanyInfo',
      operation: 'createDomainCompanyInfo',
      run: (api, state) => api.createCompanyInfo(state.domainId, companyInfo),
      missing: (api) => api.createCompanyInfo(unknownId, companyInfo),
    },
    {
      method: 'domains.getCompanyInfo',
      operation: 'getDomainCompanyInfo',
      run: (api, state) => api.getCompanyInfo(state.domainId),
      missing: (api) => api.getCompanyInfo(unknownId),
    },
    {
      method: 'domains.updateCompanyInfo',
      operation: 'updateDomainCompanyInfo',
      run: (api, state) => api.updateCompanyInfo(state.domainId, { phone: '+1 555 0100' }),
      missing: (api) => api.updateCompanyInfo(unknownId, { phone: '+1 555 0100' }),
    },
    {
      method: 'domains.delete',
      operation: 'deleteDomain',
      // a domain of its own: later areas (suppressions, stats) use `state.domainId`
      setup: async (api, state) => {
        state.disposableDomainId = idOf(
          await api.create({ domain_name: `${uniqueName('gone')}.example.com` }),
        );
      },
      run: (api, state) => api.delete(state.disposableDomainId),
      missing: (api) => api.delete(unknownId),
    },
  ],
};
