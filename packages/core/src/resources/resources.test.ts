import { type SpecServer, startSpecServer, validateResponse } from '@mailtrap-kit/openapi-testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailtrapClient } from '../client';
import { OPERATION_REGISTRY } from './registry';

// Every account-API method of core against the spec-driven server: the request must match the
// vendor's OpenAPI (method, path, query, body), land on the operation the registry names, and the
// spec's own example answer must come back through the method unchanged and valid.

type Invocation = (client: MailtrapClient) => Promise<unknown>;

const uuid = '64d71bf3-1276-417b-86e1-8e66f138acfe';
const statsFilters = {
  start_date: '2026-01-01',
  end_date: '2026-01-31',
  domain_ids: [1, 2],
  sending_streams: ['transactional' as const],
  categories: ['Welcome'],
  email_service_providers: ['Google' as const],
};

/** One valid call per method, keyed `namespace.method`. */
const invocations: Record<string, Invocation> = {
  'domains.list': (client) => client.domains.list(),
  'domains.get': (client) => client.domains.get(1),
  'domains.create': (client) => client.domains.create({ domain_name: 'example.com' }),
  'domains.update': (client) => client.domains.update(1, { open_tracking_enabled: true }),
  'domains.delete': (client) => client.domains.delete(1),
  'domains.sendSetupInstructions': (client) => client.domains.sendSetupInstructions(1, 'devops@example.com'),
  'domains.getCompanyInfo': (client) => client.domains.getCompanyInfo(1),
  'domains.createCompanyInfo': (client) =>
    client.domains.createCompanyInfo(1, {
      name: 'Example Inc.',
      address: '1 Main St',
      city: 'Springfield',
      country: 'US',
      zip_code: '12345',
      website_url: 'https://example.com',
    }),
  'domains.updateCompanyInfo': (client) => client.domains.updateCompanyInfo(1, { city: 'Shelbyville' }),
  'apiTokens.list': (client) => client.apiTokens.list(),
  'apiTokens.get': (client) => client.apiTokens.get(1),
  'apiTokens.create': (client) =>
    client.apiTokens.create({
      name: 'CI',
      resources: [{ resource_type: 'domain', resource_id: 3, access_level: 100 }],
    }),
  'apiTokens.reset': (client) => client.apiTokens.reset(1),
  'apiTokens.delete': (client) => client.apiTokens.delete(1),
  'stats.get': (client) => client.stats.get(statsFilters),
  'stats.byDomain': (client) => client.stats.byDomain(statsFilters),
  'stats.byCategory': (client) => client.stats.byCategory(statsFilters),
  'stats.byEmailServiceProvider': (client) => client.stats.byEmailServiceProvider(statsFilters),
  'stats.byDate': (client) =>
    client.stats.byDate({ start_date: new Date('2026-01-01'), end_date: '2026-01-02' }),
  'suppressions.list': (client) => client.suppressions.list({ email: 'a@example.org', last_id: uuid }),
  'suppressions.create': (client) =>
    client.suppressions.create({ email: 'a@example.org', domain_id: 1, sending_stream: 'transactional' }),
  'suppressions.delete': (client) => client.suppressions.delete(uuid),
  'emailLogs.list': (client) =>
    client.emailLogs.list({
      filters: {
        sent_after: '2026-01-01T00:00:00Z',
        to: { operator: 'ci_equal', value: ['a@example.org', 'b@example.org'] },
        status: { operator: 'equal', value: 'delivered' },
      },
      search_after: uuid,
    }),
  'emailLogs.get': (client) => client.emailLogs.get(uuid),
  'webhooks.list': (client) => client.webhooks.list(),
  'webhooks.get': (client) => client.webhooks.get(1),
  'webhooks.create': (client) =>
    client.webhooks.create({
      url: 'https://example.com/hooks',
      webhook_type: 'email_sending',
      sending_stream: 'transactional',
      event_types: ['delivery', 'bounce'],
    }),
  'webhooks.update': (client) => client.webhooks.update(1, { active: false }),
  'webhooks.delete': (client) => client.webhooks.delete(1),
  'templates.list': (client) => client.templates.list(),
  'templates.get': (client) => client.templates.get(1),
  'templates.create': (client) =>
    client.templates.create({ name: 'Welcome', subject: 'Hi', category: 'Onboarding', body_text: 'Hello' }),
  // The spec lists name, category and subject as required on PATCH too; core also sends partial
  // updates (as the templates push does), which this server would refuse.
  'templates.update': (client) =>
    client.templates.update(1, { name: 'Welcome', category: 'Onboarding', subject: 'Hello' }),
  'templates.delete': (client) => client.templates.delete(1),
  'accounts.list': (client) => client.accounts.list(),
};

const covered = new Set(Object.keys(invocations));
const accountOperations = OPERATION_REGISTRY.filter(
  (entry) => entry.namespace !== '' && covered.has(`${entry.namespace}.${entry.method}`),
);

let server: SpecServer;
const clients: MailtrapClient[] = [];
function client(accountId?: number): MailtrapClient {
  const created = new MailtrapClient({
    token: 'spec-token',
    endpoints: server.endpoints,
    ...(accountId !== undefined ? { accountId } : {}),
    accountRateLimits: false,
    retry: false,
  });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  server = await startSpecServer();
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await server?.close();
});
beforeEach(() => server.reset());

describe('every account-API method against the spec server', () => {
  it('has a valid call here for each method of the registry (a new method needs one)', () => {
    const registered = OPERATION_REGISTRY.filter((entry) => entry.namespace !== '').map(
      (entry) => `${entry.namespace}.${entry.method}`,
    );
    const namespaces = new Set(Object.keys(invocations).map((name) => name.split('.')[0]));
    // Every method of the areas tested here has its call (other areas bring their own test).
    expect(registered.filter((name) => namespaces.has(name.split('.')[0]) && !covered.has(name))).toEqual([]);
    expect(accountOperations).toHaveLength(covered.size);
  });

  for (const accountId of [undefined, 7]) {
    const form = accountId === undefined ? 'token-scoped /api/...' : '/api/accounts/{id}/...';
    it.each(accountOperations.map((entry) => [`${entry.namespace}.${entry.method}`, entry] as const))(
      `%s calls its operation (${form}) as the spec says and returns the spec's answer`,
      async (name, entry) => {
        const result = await invocations[name]!(client(accountId));
        const call = server.calls.at(-1);
        expect(server.problems()).toEqual([]);
        expect(call?.operationId).toBe(entry.operationId);
        expect(call?.auth).toBe('bearer');
        if (entry.http.startsWith('GET /accounts')) expect(call?.accountId).toBeUndefined();
        else expect(call?.accountId).toBe(accountId === undefined ? undefined : String(accountId));
        expect(validateResponse(entry.operationId, call!.status, result ?? undefined)).toEqual([]);
      },
    );
  }

  it('sends stats filters as the spec names them (domain_ids[] ...)', async () => {
    await client().stats.get(statsFilters);
    expect(server.lastCall('getAccountSendingStats')?.query).toMatchObject({
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      'domain_ids[]': [1, 2],
      'sending_streams[]': ['transactional'],
      'categories[]': ['Welcome'],
      'email_service_providers[]': ['Google'],
    });
  });

  it('maps a spec error answer to the typed error with the server messages', async () => {
    server.answerNext('getDomain', 404);
    const error = await client()
      .domains.get(99)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'MailtrapNotFoundError', code: 'not_found', status: 404 });
    server.answerNext('createWebhook', 422);
    const invalid = await invocations['webhooks.create']!(client()).catch((caught: unknown) => caught);
    expect(invalid).toMatchObject({ code: 'validation', status: 422 });
    expect((invalid as { errors: string[] }).errors.length).toBeGreaterThan(0);
  });
});

describe('sending against the spec server', () => {
  const mail = {
    from: { email: 'hello@example.com' },
    to: [{ email: 'a@example.org' }],
    subject: 'Hi',
    text: 'Hello',
  };
  it.each([
    ['transactional', 'email-sending-transactional'],
    ['bulk', 'email-sending-bulk'],
    ['sandbox', 'sandbox-sending'],
  ] as const)('send and batchSend on the %s stream match the %s spec', async (stream, spec) => {
    const sender = new MailtrapClient({
      token: 'spec-token',
      endpoints: server.endpoints,
      stream,
      ...(stream === 'sandbox' ? { sandboxId: 3 } : {}),
      retry: false,
    });
    clients.push(sender);
    await sender.send(mail);
    await sender.batchSend({
      base: { from: mail.from, subject: 'Hi', text: 'Hello' },
      requests: [{ to: mail.to }],
    });
    expect(server.problems()).toEqual([]);
    const keys = server.calls.map((call) => call.key);
    const expected = OPERATION_REGISTRY.filter((entry) => entry.spec === spec).map(
      (entry) => `${spec}:${entry.operationId}`,
    );
    expect(keys).toEqual(expected);
  });
});
