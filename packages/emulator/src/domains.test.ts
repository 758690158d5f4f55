import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, message } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
const admin = 'admin-token';

beforeAll(async () => {
  emulator = await startEmulator({
    tokens: [{ token: admin }, { token: 'shop-only', domains: ['shop.test'] }],
    domains: [{ name: 'example.com' }, { name: 'shop.test' }, { name: 'pending.test', verified: false }],
  });
});
afterAll(() => emulator.close());

const api = (path: string) => `${emulator.url}/api${path}`;
const send = (token: string, from: string) =>
  http(`${emulator.endpoints.send}/api/send`, { token, body: message(from) });

describe('domains from the options', () => {
  it('lists the configured domains with Mailtrap-shaped DNS records and statuses', async () => {
    const listed = await http(api('/domains'), { token: admin });
    expect(listed.status).toBe(200);
    const names = listed.body.data.map((domain: any) => [
      domain.domain_name,
      domain.dns_verified,
      domain.compliance_status,
    ]);
    expect(names).toEqual([
      ['example.com', true, 'compliant'],
      ['shop.test', true, 'compliant'],
      ['pending.test', false, 'unverified_dns'],
    ]);
    const pending = listed.body.data[2];
    expect(pending.dns_records.map((record: any) => record.key)).toEqual([
      'verification',
      'spf',
      'dkim1',
      'dkim2',
      'dmarc',
      'link_verification',
    ]);
    expect(pending.dns_records.every((record: any) => record.status === 'missing')).toBe(true);
    expect(pending.dns_records[1]).toMatchObject({
      type: 'TXT',
      value: 'v=spf1 include:_spf.smtp.mailtrap.live ~all',
    });
    expect(pending.dns_records[2]).toMatchObject({ domain: 'rwmt1._domainkey.pending.test', type: 'CNAME' });
    expect(pending.dns_verified_at).toBeNull();
  });

  it('gives each domain its own sending token, which sends from that domain only', async () => {
    const shop = emulator.domains.get('shop.test')!;
    expect(shop.token).toMatch(/^[0-9a-f]{32}$/);
    expect((await send(shop.token, 'orders@shop.test')).status).toBe(200);
    const other = await send(shop.token, 'news@example.com');
    expect(other.status).toBe(401);
    expect(other.body).toEqual({
      success: false,
      errors: ["Unauthorized: the token does not cover the sending domain 'example.com'"],
    });
    // a domain token has no sandbox access and no account-wide access
    expect(
      (
        await http(`${emulator.endpoints.sandbox}/api/send/1`, {
          token: shop.token,
          body: message('a@shop.test'),
        })
      ).status,
    ).toBe(401);
    expect((await http(api('/api_tokens'), { token: shop.token })).body).toEqual({
      errors: 'Account access forbidden',
    });
  });

  it('scopes an option token to its domains in the domains list and when sending', async () => {
    const listed = await http(api('/domains'), { token: 'shop-only' });
    expect(listed.body.data.map((domain: any) => domain.domain_name)).toEqual(['shop.test']);
    expect((await send('shop-only', 'a@shop.test')).status).toBe(200);
    expect((await send('shop-only', 'a@example.com')).status).toBe(401);
    const hidden = emulator.domains.get('example.com')!.id;
    expect((await http(api(`/domains/${hidden}`), { token: 'shop-only' })).status).toBe(404);
  });

  it('refuses an unverified or unknown sender domain with 403, in batches per message', async () => {
    expect((await send(admin, 'a@pending.test')).body).toEqual({
      success: false,
      errors: ["Forbidden: the sending domain 'pending.test' is not verified"],
    });
    expect((await send(admin, 'a@nowhere.test')).status).toBe(403);
    const batch = await http(`${emulator.endpoints.send}/api/batch`, {
      token: admin,
      body: { requests: [message('a@example.com'), message('b@pending.test')] },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.responses[0].success).toBe(true);
    expect(batch.body.responses[1]).toEqual({
      success: false,
      errors: ["Forbidden: the sending domain 'pending.test' is not verified"],
    });
  });
});

describe('domain lifecycle', () => {
  it('creates a domain unverified, refuses sending, verifies over the control API, then sends', async () => {
    const created = await http(api('/domains'), {
      token: admin,
      body: { domain: { domain_name: 'New.Example.org' } },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      domain_name: 'new.example.org',
      dns_verified: false,
      compliance_status: 'unverified_dns',
      demo: false,
      permissions: { can_read: true, can_update: true, can_destroy: true },
    });
    const token = emulator.domains.get('new.example.org')!.token;
    expect((await send(token, 'hi@new.example.org')).status).toBe(403);
    const verified = await http(`${emulator.url}/_emulator/domains/new.example.org/verify`, {
      method: 'POST',
    });
    expect(verified.status).toBe(200);
    expect(verified.body.dns_records.every((record: any) => record.status === 'pass')).toBe(true);
    const fetched = await http(api(`/domains/${created.body.id}`), { token: admin });
    expect(fetched.body).toMatchObject({ dns_verified: true, compliance_status: 'compliant' });
    expect(Date.parse(fetched.body.dns_verified_at)).not.toBeNaN();
    expect((await send(token, 'hi@new.example.org')).status).toBe(200);
  });

  it('verifies from code and lists the domain on the control API with its token', async () => {
    emulator.domains.create('code.test');
    expect(emulator.domains.verify('code.test').dns_verified).toBe(true);
    const control = await http(`${emulator.url}/_emulator/domains`);
    const entry = control.body.find((domain: any) => domain.domain_name === 'code.test');
    expect(entry.tokens[0].token).toBe(emulator.domains.get('code.test')!.token);
    expect(() => emulator.domains.verify('missing.test')).toThrow(/no domain missing.test/);
  });

  it('answers 422 for a blank, invalid or taken name, as Mailtrap does', async () => {
    expect(
      (await http(api('/domains'), { token: admin, body: { domain: { domain_name: '' } } })).body,
    ).toEqual({
      errors: { base: ["Validation failed: Domain name can't be blank"] },
    });
    expect(
      (await http(api('/domains'), { token: admin, body: { domain: { domain_name: 'not a domain' } } }))
        .status,
    ).toBe(422);
    expect(
      (await http(api('/domains'), { token: admin, body: { domain: { domain_name: 'example.com' } } })).body
        .errors.base[0],
    ).toMatch(/taken/);
  });

  it('updates tracking settings, sends setup instructions, keeps company info, deletes with its token', async () => {
    const { id, token } = emulator.domains.create('lifecycle.test', { verified: true });
    const patched = await http(api(`/domains/${id}`), {
      method: 'PATCH',
      token: admin,
      body: { domain: { open_tracking_enabled: false, auto_unsubscribe_link_enabled: true } },
    });
    expect(patched.body).toMatchObject({ open_tracking_enabled: false, auto_unsubscribe_link_enabled: true });
    const instructions = await http(api(`/domains/${id}/send_setup_instructions`), {
      token: admin,
      body: { email: 'ops@example.com' },
    });
    expect(instructions.status).toBe(204);
    expect(
      (await http(api(`/domains/${id}/send_setup_instructions`), { token: admin, body: { email: 'nope' } }))
        .status,
    ).toBe(422);
    const empty = await http(api(`/domains/${id}/company_info`), { token: admin });
    expect(empty.body.data.name).toBeNull();
    const missing = await http(api(`/domains/${id}/company_info`), {
      token: admin,
      body: { company_info: { name: 'Acme' } },
    });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.errors)).toEqual([
      'address',
      'city',
      'country',
      'zip_code',
      'website_url',
    ]);
    const info = {
      name: 'Acme',
      address: '1 Main St',
      city: 'Springfield',
      country: 'US',
      zip_code: '12345',
      website_url: 'https://acme.test',
    };
    expect(
      (await http(api(`/domains/${id}/company_info`), { token: admin, body: { company_info: info } })).body
        .data,
    ).toMatchObject(info);
    const updated = await http(api(`/domains/${id}/company_info`), {
      method: 'PATCH',
      token: admin,
      body: { company_info: { city: 'Shelbyville' } },
    });
    expect(updated.body.data).toMatchObject({ name: 'Acme', city: 'Shelbyville' });
    expect(
      (await http(api(`/accounts/${emulator.accountId}/domains/${id}`), { method: 'DELETE', token: admin }))
        .status,
    ).toBe(204);
    expect((await http(api(`/domains/${id}`), { token: admin })).status).toBe(404);
    expect((await send(token, 'a@lifecycle.test')).status).toBe(401);
  });
});
