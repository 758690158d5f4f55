import { describe, expect, it } from 'vitest';
import { validateResponse } from './responses.js';

describe('validateResponse', () => {
  const domain = {
    id: 1,
    domain_name: 'example.com',
    demo: false,
    compliance_status: 'compliant',
    dns_verified: true,
    dns_verified_at: '2025-01-01T00:00:00Z',
    dns_records: [],
    open_tracking_enabled: true,
    click_tracking_enabled: true,
    auto_unsubscribe_link_enabled: true,
    custom_domain_tracking_enabled: true,
    health_alerts_enabled: true,
    critical_alerts_enabled: true,
    permissions: { can_read: true, can_update: true, can_destroy: true },
  };

  it('accepts a body that matches the response schema', () => {
    expect(validateResponse('getDomain', 200, domain)).toEqual([]);
  });

  it('names each place a body differs from the schema', () => {
    expect(validateResponse('getDomain', 200, { ...domain, id: 'one', dns_verified: 'yes' })).toEqual([
      'response/id: must be integer',
      'response/dns_verified: must be boolean',
    ]);
    expect(validateResponse('listWebhooks', 200, { data: [{ id: 'x' }] }).length).toBeGreaterThan(0);
  });

  it('checks error answers against their own shape', () => {
    expect(validateResponse('getDomain', 404, { error: 'Not Found' })).toEqual([]);
    expect(validateResponse('getDomain', 404, { error: 404 })).toEqual(['response/error: must be string']);
  });

  it('reports a status the spec does not list and a body on a bodiless answer', () => {
    expect(validateResponse('getAllAccounts', 404, {})).toEqual([
      'status: account-management:getAllAccounts has no 404 answer in the spec (it lists 200, 401)',
    ]);
    expect(validateResponse('deleteDomain', 204, undefined)).toEqual([]);
    expect(validateResponse('deleteDomain', 204, { ok: true })).toEqual([
      "body: the spec's 204 answer of email-sending:deleteDomain has no body",
    ]);
  });

  it('takes a text answer as a string', () => {
    expect(validateResponse('getSandboxEmailMessageBodyAsTxt', 200, 'plain text')).toEqual([]);
    expect(validateResponse('getSandboxEmailMessageBodyAsTxt', 200, { text: 1 })).toHaveLength(1);
  });
});
