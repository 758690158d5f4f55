import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapNotFoundError,
  MailtrapValidationError,
} from './index';
import { encodeQuery } from './http';
import { json, startTestServer, type TestServer } from './test-server';

const token = 'account-token-abcdef';
const template = {
  id: 12,
  uuid: 'b81aabcd-1a1e-41cf-91b6-eca0254b3d96',
  name: 'Welcome',
  category: 'onboarding',
  subject: 'Hi {{name}}',
  body_text: 'Hello {{name}}',
  body_html: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

let server: TestServer;
const clients: MailtrapClient[] = [];

function client(options: MailtrapClientOptions = {}): MailtrapClient {
  const created = new MailtrapClient({ token, endpoints: { general: `${server.url}/root` }, ...options });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  server = await startTestServer((request, response) => {
    const path = request.url.split('?')[0]!;
    if (request.method === 'DELETE') {
      response.writeHead(204);
      response.end();
    } else if (path.endsWith('/email_templates') && request.method === 'GET') json(response, 200, [template]);
    else if (path.endsWith('/email_templates') && request.method === 'POST') json(response, 201, template);
    else if (path.includes('/email_templates/')) json(response, 200, template);
    else if (path.endsWith('/email_logs')) {
      json(response, 200, { messages: [], total_count: 0, next_page_cursor: null });
    } else if (path.includes('/email_logs/'))
      json(response, 200, { message_id: path.split('/').pop(), events: [] });
    else if (path.endsWith('/suppressions')) json(response, 200, []);
    else if (path.endsWith('/api/accounts'))
      json(response, 200, [{ id: 1, name: 'Main', access_levels: [1000] }]);
    else json(response, 404, { error: 'Not Found' });
  });
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

describe('account API path forms', () => {
  it('uses the token-scoped form without accountId', async () => {
    const api = client();
    await api.templates.list();
    await api.templates.get(12);
    await api.emailLogs.list();
    await api.emailLogs.get('a1b2c3d4-e5f6-7890-abcd-ef1234567890');
    await api.suppressions.list();
    await api.accounts.list();
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /root/api/email_templates',
      'GET /root/api/email_templates/12',
      'GET /root/api/email_logs',
      'GET /root/api/email_logs/a1b2c3d4-e5f6-7890-abcd-ef1234567890',
      'GET /root/api/suppressions',
      'GET /root/api/accounts',
    ]);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(server.requests[0]?.headers['content-type']).toBeUndefined();
  });

  it('uses /api/accounts/{id}/... with accountId', async () => {
    const api = client({ accountId: 4321 });
    await api.templates.list();
    await api.templates.update(12, { subject: 'New' });
    await api.templates.delete(12);
    await api.emailLogs.list({ search_after: 'c-1' });
    await api.suppressions.list({ email: 'x+y@example.org' });
    await api.accounts.list();
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /root/api/accounts/4321/email_templates',
      'PATCH /root/api/accounts/4321/email_templates/12',
      'DELETE /root/api/accounts/4321/email_templates/12',
      'GET /root/api/accounts/4321/email_logs?search_after=c-1',
      'GET /root/api/accounts/4321/suppressions?email=x%2By%40example.org',
      'GET /root/api/accounts',
    ]);
  });
});

describe('templates', () => {
  it('wraps create and update bodies as {email_template}', async () => {
    const api = client();
    const input = { name: 'Welcome', subject: 'Hi {{name}}', category: 'onboarding', body_text: 'Hello' };
    expect(await api.templates.create(input)).toEqual(template);
    await api.templates.update(12, { name: 'Renamed' });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ email_template: input });
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ email_template: { name: 'Renamed' } });
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('resolves delete (204) to undefined', async () => {
    await expect(client().templates.delete(12)).resolves.toBeUndefined();
  });

  it('checks template input before sending', async () => {
    const api = client();
    await expect(api.templates.create({ name: 'n', subject: 's' } as never)).rejects.toMatchObject({
      code: 'validation',
      field: 'category',
    });
    await expect(
      api.templates.create({ name: 'x'.repeat(256), subject: 's', category: 'c' }),
    ).rejects.toThrow(/`name` is 256 characters; at most 255/);
    await expect(api.templates.update(1, { bodyHtml: '<p>' } as never)).rejects.toMatchObject({
      field: 'bodyHtml',
    });
    await expect(api.templates.update(1, {})).rejects.toThrow(/no field to update/);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a non-integer id before sending', async () => {
    await expect(client().templates.get(Number.NaN)).rejects.toThrow(/`id`/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('email logs filters', () => {
  it('encodes filters in bracket notation', async () => {
    await client().emailLogs.list({
      filters: {
        sent_after: '2025-01-01T00:00:00Z',
        to: { operator: 'ci_equal', value: 'recipient@example.com' },
        domain_id: { operator: 'equal', value: [3938, 3939] },
      },
      search_after: 'a1b2',
    });
    expect(server.requests[0]?.url).toBe(
      '/root/api/email_logs?filters[sent_after]=2025-01-01T00%3A00%3A00Z' +
        '&filters[to][operator]=ci_equal&filters[to][value]=recipient%40example.com' +
        '&filters[domain_id][operator]=equal&filters[domain_id][value][]=3938&filters[domain_id][value][]=3939' +
        '&search_after=a1b2',
    );
    const parsed = new URL(`http://x${server.requests[0]!.url}`).searchParams;
    expect(parsed.getAll('filters[domain_id][value][]')).toEqual(['3938', '3939']);
    expect(parsed.get('filters[to][value]')).toBe('recipient@example.com');
  });

  it('encodes dates, skips undefined and escapes names', () => {
    expect(
      encodeQuery({
        filters: { sent_before: new Date('2025-01-31T23:59:59Z'), 'a&b': { value: 'x y' }, skip: undefined },
      }),
    ).toBe('?filters[sent_before]=2025-01-31T23%3A59%3A59.000Z&filters[a%26b][value]=x%20y');
    expect(encodeQuery({})).toBe('');
    expect(encodeQuery(undefined)).toBe('');
  });

  it('escapes the message id in get', async () => {
    await client().emailLogs.get('a/b?c');
    expect(server.requests[0]?.url).toBe('/root/api/email_logs/a%2Fb%3Fc');
    await expect(client().emailLogs.get('')).rejects.toThrow(MailtrapValidationError);
  });
});

describe('request()', () => {
  it('sends to any endpoint with query, JSON body and the chosen host', async () => {
    const api = client({ endpoints: { general: `${server.url}/root`, send: `${server.url}/tx` } });
    const accounts = await api.request<Array<{ id: number }>>({
      method: 'get',
      path: '/api/accounts',
      query: { page: 2 },
    });
    expect(accounts[0]?.id).toBe(1);
    await api
      .request({ method: 'POST', path: '/api/domains', body: { domain: { domain_name: 'example.com' } } })
      .catch(() => undefined);
    const error = await api
      .request({ method: 'GET', path: '/api/nothing', host: 'send' })
      .catch((caught: unknown) => caught);
    expect(MailtrapNotFoundError.isInstance(error)).toBe(true);
    expect((error as MailtrapNotFoundError).errors).toEqual(['Not Found']);
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /root/api/accounts?page=2',
      'POST /root/api/domains',
      'GET /tx/api/nothing',
    ]);
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ domain: { domain_name: 'example.com' } });
  });

  it('rejects a bad path or host before sending', async () => {
    const api = client();
    await expect(api.request({ method: 'GET', path: 'api/accounts' })).rejects.toThrow(/`path`/);
    await expect(api.request({ method: 'GET', path: '/x', host: 'other' as never })).rejects.toThrow(
      /`host`/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
