import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, message } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
const admin = 'admin-token';

beforeAll(async () => {
  emulator = await startEmulator({ tokens: [{ token: admin }] });
});
afterAll(() => emulator.close());

const api = (path: string) => `${emulator.url}/api${path}`;
const send = (token: string, from = 'a@example.com') =>
  http(`${emulator.endpoints.send}/api/send`, { token, body: message(from) });

describe('API tokens', () => {
  it('creates a token that works at once, shows its value only on creation, resets and deletes it', async () => {
    const created = await http(api('/api_tokens'), {
      token: admin,
      body: {
        name: 'CI',
        resources: [{ resource_type: 'account', resource_id: emulator.accountId, access_level: 100 }],
      },
    });
    expect(created.status).toBe(200);
    const { id, token } = created.body;
    expect(created.body).toMatchObject({
      name: 'CI',
      last_4_digits: token.slice(-4),
      expires_at: null,
      created_by: 'token 1',
    });
    expect((await send(token)).status).toBe(200);
    const fetched = await http(api(`/api_tokens/${id}`), { token: admin });
    expect(fetched.body.token).toBeUndefined();
    expect(fetched.body.resources).toEqual([
      { resource_type: 'account', resource_id: emulator.accountId, access_level: 100 },
    ]);

    const reset = await http(api(`/api_tokens/${id}/reset`), { method: 'POST', token: admin });
    expect(reset.body.token).not.toBe(token);
    expect((await send(token)).status).toBe(401);
    expect((await send(reset.body.token)).status).toBe(200);

    expect((await http(api(`/api_tokens/${id}`), { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await send(reset.body.token)).status).toBe(401);
    expect((await http(api('/email_logs'), { token: reset.body.token })).body).toEqual({
      error: 'Incorrect API token',
    });
    expect((await http(api(`/api_tokens/${id}`), { token: admin })).status).toBe(404);
  });

  it('lists every token of the account, domain tokens included, without their values', async () => {
    const listed = await http(api('/accounts/1/api_tokens'), { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.map((entry: any) => entry.name)).toEqual(
      expect.arrayContaining(['token 1', 'example.com sending token', 'mailtrap-kit.test sending token']),
    );
    expect(listed.body.every((entry: any) => entry.token === undefined)).toBe(true);
  });

  it('gives a viewer token reads and refuses its changes with 403 "Account access forbidden"', async () => {
    const viewer = await http(api('/api_tokens'), {
      token: admin,
      body: { name: 'viewer', resources: [{ resource_type: 'account', resource_id: 1, access_level: 10 }] },
    });
    const token = viewer.body.token;
    expect((await http(api('/api_tokens'), { token })).status).toBe(200);
    const refused = await http(api('/api_tokens'), { token, body: { name: 'mine' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ errors: 'Account access forbidden' });
    expect((await http(api('/domains'), { token, body: { domain: { domain_name: 'v.test' } } })).status).toBe(
      403,
    );
  });

  it('scopes a token created for one domain to that domain', async () => {
    const domain = emulator.domains.get('mailtrap-kit.test')!;
    const created = await http(api('/api_tokens'), {
      token: admin,
      body: {
        name: 'kit',
        resources: [{ resource_type: 'domain', resource_id: domain.id, access_level: 100 }],
      },
    });
    expect((await send(created.body.token, 'a@mailtrap-kit.test')).status).toBe(200);
    expect((await send(created.body.token, 'a@example.com')).status).toBe(401);
  });

  it('answers 422 without a name or with an unknown resource', async () => {
    expect((await http(api('/api_tokens'), { token: admin, body: {} })).body).toEqual({
      errors: { name: ["can't be blank"] },
    });
    const unknown = await http(api('/api_tokens'), {
      token: admin,
      body: { name: 'x', resources: [{ resource_type: 'domain', resource_id: 999, access_level: 100 }] },
    });
    expect(unknown.status).toBe(422);
    const level = await http(api('/api_tokens'), {
      token: admin,
      body: { name: 'x', resources: [{ resource_type: 'account', resource_id: 1, access_level: 50 }] },
    });
    expect(level.status).toBe(422);
  });
});

describe('spec-true sending answers', () => {
  it('accepts any custom header: Mailtrap publishes no reserved-header list, none is invented', async () => {
    const sent = await http(`${emulator.endpoints.send}/api/send`, {
      token: admin,
      body: { ...message('a@example.com'), headers: { Subject: 'x', 'X-Trace': '1' } },
    });
    expect(sent.status).toBe(200);
    expect(emulator.messages().at(-1)?.headers).toEqual({ Subject: 'x', 'X-Trace': '1' });
  });

  it('answers the account API of another account with 403 "Account access forbidden"', async () => {
    expect((await http(api('/accounts/999/email_logs'), { token: admin })).body).toEqual({
      errors: 'Account access forbidden',
    });
  });
});
