import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapClient } from '../client';
import { MailtrapValidationError } from '../errors';
import { startTestServer, type TestServer } from '../test-server';

// Input the spec rules out is refused before anything is sent, with the field that is wrong.

let server: TestServer;
let client: MailtrapClient;
beforeAll(async () => {
  server = await startTestServer();
  client = new MailtrapClient({
    token: 'validation-token',
    endpoints: { general: server.url },
    retry: false,
  });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const range = { start_date: '2026-01-01', end_date: '2026-01-31' };
type Case = [string, (client: MailtrapClient) => Promise<unknown>, string, RegExp];

const cases: Case[] = [
  ['a domain id that is not an integer', (c) => c.domains.get(1.5), 'id', /positive integer/],
  [
    'a domain name that is not one',
    (c) => c.domains.create({ domain_name: 'not a domain' }),
    'domain.domain_name',
    /not a domain name/,
  ],
  [
    'an unknown domain setting',
    (c) => c.domains.update(1, { tracking: true } as never),
    'settings.tracking',
    /not a known field/,
  ],
  ['an empty domain update', (c) => c.domains.update(1, {}), 'settings', /no field to update/],
  [
    'a non-boolean domain setting',
    (c) => c.domains.update(1, { open_tracking_enabled: 'yes' } as never),
    'settings.open_tracking_enabled',
    /true or false/,
  ],
  [
    'setup instructions to a bad address',
    (c) => c.domains.sendSetupInstructions(1, 'devops@example'),
    'email',
    /without a dot/,
  ],
  [
    'company info missing a required field',
    (c) => c.domains.createCompanyInfo(1, { name: 'X' } as never),
    'company_info.address',
    /required/,
  ],
  [
    'company info with a bad info_level',
    (c) => c.domains.updateCompanyInfo(1, { info_level: 'team' } as never),
    'company_info.info_level',
    /one of/,
  ],
  ['a token without a name', (c) => c.apiTokens.create({} as never), 'token.name', /non-empty string/],
  [
    'a token resource with a bad access level',
    (c) =>
      c.apiTokens.create({
        name: 'x',
        resources: [{ resource_type: 'domain', resource_id: 1, access_level: 50 as never }],
      }),
    'token.resources[0].access_level',
    /one of 10, 100/,
  ],
  [
    'a token resource of an unknown type',
    (c) =>
      c.apiTokens.create({
        name: 'x',
        resources: [{ resource_type: 'inbox' as never, resource_id: 1, access_level: 10 }],
      }),
    'token.resources[0].resource_type',
    /one of/,
  ],
  [
    'stats without a start date',
    (c) => c.stats.get({ end_date: '2026-01-31' } as never),
    'filters.start_date',
    /required/,
  ],
  [
    'stats with a malformed date',
    (c) => c.stats.byDate({ ...range, start_date: '01/01/2026' }),
    'filters.start_date',
    /date like/,
  ],
  [
    'stats with the end before the start',
    (c) => c.stats.get({ start_date: '2026-02-01', end_date: '2026-01-01' }),
    'filters.end_date',
    /before start_date/,
  ],
  [
    'stats with an unknown stream',
    (c) => c.stats.byCategory({ ...range, sending_streams: ['marketing' as never] }),
    'filters.sending_streams[0]',
    /one of/,
  ],
  [
    'stats with an unknown provider',
    (c) => c.stats.byEmailServiceProvider({ ...range, email_service_providers: ['Gmail' as never] }),
    'filters.email_service_providers[0]',
    /one of/,
  ],
  [
    'stats with an unknown filter',
    (c) => c.stats.byDomain({ ...range, domains: [1] } as never),
    'filters.domains',
    /not a known field/,
  ],
  [
    'a suppression without a stream',
    (c) => c.suppressions.create({ email: 'a@example.org', domain_id: 1 } as never),
    'suppression.sending_stream',
    /one of/,
  ],
  [
    'a suppression of a bad type',
    (c) =>
      c.suppressions.create({
        email: 'a@example.org',
        domain_id: 1,
        sending_stream: 'bulk',
        type: 'bounce' as never,
      }),
    'suppression.type',
    /one of/,
  ],
  [
    'a suppression of a bad address',
    (c) => c.suppressions.create({ email: '<>', domain_id: 1, sending_stream: 'bulk' }),
    'suppression.email',
    /angle brackets/,
  ],
  ['a suppression id that is not a UUID', (c) => c.suppressions.delete('42'), 'id', /UUID/],
  [
    'a suppressions cursor that is not a UUID',
    (c) => c.suppressions.list({ last_id: 'x' }),
    'last_id',
    /UUID/,
  ],
  [
    'an Email Logs filter Mailtrap does not know',
    (c) => c.emailLogs.list({ filters: { recipient: { operator: 'equal', value: 'a' } } as never }),
    'filters.recipient',
    /not an Email Logs filter/,
  ],
  [
    'an Email Logs operator the field does not take',
    (c) => c.emailLogs.list({ filters: { to: { operator: 'equal', value: 'a@example.org' } as never } }),
    'filters.to.operator',
    /one of/,
  ],
  [
    'an Email Logs status that does not exist',
    (c) => c.emailLogs.list({ filters: { status: { operator: 'equal', value: 'sent' as never } } }),
    'filters.status.value',
    /one of/,
  ],
  [
    'an Email Logs contain filter with several values',
    (c) => c.emailLogs.list({ filters: { subject: { operator: 'ci_contain', value: ['a', 'b'] as never } } }),
    'filters.subject.value',
    /one value/,
  ],
  [
    'an Email Logs date that is not one',
    (c) => c.emailLogs.list({ filters: { sent_after: 'yesterday' } }),
    'filters.sent_after',
    /ISO 8601/,
  ],
  [
    'a webhook without a type',
    (c) => c.webhooks.create({ url: 'https://example.com/h' } as never),
    'webhook.webhook_type',
    /one of/,
  ],
  [
    'an email_sending webhook without a stream',
    (c) =>
      c.webhooks.create({
        url: 'https://example.com/h',
        webhook_type: 'email_sending',
        event_types: ['delivery'],
      }),
    'webhook.sending_stream',
    /required for email_sending/,
  ],
  [
    'a campaigns webhook without events',
    (c) => c.webhooks.create({ url: 'https://example.com/h', webhook_type: 'campaigns' }),
    'webhook.event_types',
    /required for campaigns/,
  ],
  [
    'an inbound webhook without its inbox',
    (c) => c.webhooks.create({ url: 'https://example.com/h', webhook_type: 'inbound_receiving' }),
    'webhook.inbound_inbox_id',
    /required/,
  ],
  [
    'an inbox id on another webhook type',
    (c) =>
      c.webhooks.create({ url: 'https://example.com/h', webhook_type: 'audit_log', inbound_inbox_id: 3 }),
    'webhook.inbound_inbox_id',
    /must not be set/,
  ],
  [
    'a webhook event type that does not exist',
    (c) => c.webhooks.update(1, { event_types: ['spam'] as never }),
    'webhook.event_types[0]',
    /one of/,
  ],
  [
    'a webhook URL that is not one',
    (c) => c.webhooks.update(1, { url: 'example.com/h' }),
    'webhook.url',
    /URL/,
  ],
  [
    'a template name over 255 characters',
    (c) => c.templates.create({ name: 'x'.repeat(256), subject: 's', category: 'c' }),
    'name',
    /at most 255/,
  ],
];

describe('resource input checks', () => {
  it.each(cases)('refuses %s before sending', async (_name, invoke, field, reason) => {
    const before = server.requests.length;
    const error = await invoke(client).catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error), String(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe(field);
    expect((error as Error).message).toMatch(reason);
    expect(server.requests.length).toBe(before);
  });
});
