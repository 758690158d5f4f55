/**
 * Every answer of the account model (domains, API tokens, suppressions, stats, Email Logs,
 * webhooks), successes and errors, checked against the response schemas of Mailtrap's specs.
 */
import { validateResponse } from '@mailtrap-kit/openapi-testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Answer, http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
let receiver: import('node:http').Server;

beforeAll(async () => {
  const { createServer } = await import('node:http');
  receiver = createServer((_request, response) => response.writeHead(200).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

it('answers every operation of the account model in the shapes of the vendor specs', async () => {
  const token = emulator.token;
  const api = (path: string, options: { method?: string; body?: unknown; token?: string } = {}) =>
    http(`${emulator.url}/api${path}`, { token, ...options });
  const today = new Date().toISOString().slice(0, 10);
  const range = `start_date=${today}&end_date=${today}`;
  const sent = await http(`${emulator.endpoints.send}/api/send`, {
    token,
    body: {
      from: { email: 'a@example.com' },
      to: [
        { email: 'bounced@simulator.mailtrap-kit.test' },
        { email: 'clicked@simulator.mailtrap-kit.test' },
      ],
      cc: [
        { email: 'complained@simulator.mailtrap-kit.test' },
        { email: 'unsubscribed@simulator.mailtrap-kit.test' },
      ],
      bcc: [
        { email: 'rejected@simulator.mailtrap-kit.test' },
        { email: 'soft-bounced@simulator.mailtrap-kit.test' },
      ],
      subject: 's',
      html: '<a href="https://example.com/">x</a>',
      category: 'c',
    },
  });
  const ids: string[] = sent.body.message_ids;
  const domain = await api('/domains', { body: { domain: { domain_name: 'spec.test' } } });
  const created = await api('/api_tokens', {
    body: {
      name: 'spec',
      resources: [{ resource_type: 'account', resource_id: emulator.accountId, access_level: 100 }],
    },
  });
  const suppression = await api('/suppressions', {
    body: { email: 'manual@example.org', domain_id: domain.body.id, sending_stream: 'bulk' },
  });
  const hook = await api('/webhooks', {
    body: {
      webhook: {
        url: `http://127.0.0.1:${(receiver.address() as import('node:net').AddressInfo).port}/`,
        webhook_type: 'email_sending',
        sending_stream: 'transactional',
        event_types: ['delivery'],
      },
    },
  });
  const checks: Array<[string, Answer]> = [
    ['createDomain', domain],
    ['createDomain', await api('/domains', { body: { domain: { domain_name: '' } } })],
    ['getDomains', await api('/domains')],
    ['getDomain', await api(`/domains/${domain.body.id}`)],
    ['getDomain', await api('/domains/999999')],
    ['getDomain', await api('/domains/1', { token: 'wrong' })],
    [
      'updateDomain',
      await api(`/domains/${domain.body.id}`, {
        method: 'PATCH',
        body: { domain: { click_tracking_enabled: false } },
      }),
    ],
    [
      'sendDomainSetupInstructions',
      await api(`/domains/${domain.body.id}/send_setup_instructions`, { body: { email: 'ops@example.com' } }),
    ],
    [
      'sendDomainSetupInstructions',
      await api(`/domains/${domain.body.id}/send_setup_instructions`, { body: {} }),
    ],
    ['getDomainCompanyInfo', await api(`/domains/${domain.body.id}/company_info`)],
    [
      'createDomainCompanyInfo',
      await api(`/domains/${domain.body.id}/company_info`, {
        body: {
          company_info: {
            name: 'A',
            address: 'B',
            city: 'C',
            country: 'US',
            zip_code: '1',
            website_url: 'https://a.test',
          },
        },
      }),
    ],
    [
      'updateDomainCompanyInfo',
      await api(`/domains/${domain.body.id}/company_info`, {
        method: 'PATCH',
        body: { company_info: { city: 'D' } },
      }),
    ],
    ['createApiToken', created],
    ['createApiToken', await api('/api_tokens', { body: {} })],
    ['listApiTokens', await api('/api_tokens')],
    ['getApiToken', await api(`/api_tokens/${created.body.id}`)],
    ['resetApiToken', await api(`/api_tokens/${created.body.id}/reset`, { method: 'POST' })],
    ['createSuppression', suppression],
    ['createSuppression', await api('/suppressions', { body: { email: 'x' } })],
    ['getSuppressions', await api('/suppressions')],
    ['getSuppressions', await api('/suppressions?start_time=yesterday')],
    ['getAccountSendingStats', await api(`/stats?${range}`)],
    ['getAccountSendingStats', await api('/stats')],
    ['getAccountSendingStatsByDomains', await api(`/stats/domains?${range}`)],
    ['getAccountSendingStatsByCategories', await api(`/stats/categories?${range}`)],
    ['getAccountSendingStatsByEmailServiceProviders', await api(`/stats/email_service_providers?${range}`)],
    ['getAccountSendingStatsByDate', await api(`/stats/date?${range}`)],
    ['listEmailLogs', await api('/email_logs')],
    ['listEmailLogs', await api('/email_logs?filters[sent_after]=nope')],
    ...(await Promise.all(
      ids.map(async (id) => ['getEmailLogMessage', await api(`/email_logs/${id}`)] as [string, Answer]),
    )),
    ['getEmailLogMessage', await api('/email_logs/00000000-0000-4000-8000-000000000000')],
    ['createWebhook', hook],
    ['createWebhook', await api('/webhooks', { body: { webhook: { url: 'nope' } } })],
    ['listWebhooks', await api('/webhooks')],
    ['getWebhook', await api(`/webhooks/${hook.body.data.id}`)],
    [
      'updateWebhook',
      await api(`/webhooks/${hook.body.data.id}`, { method: 'PATCH', body: { webhook: { active: false } } }),
    ],
    ['deleteWebhook', await api(`/webhooks/${hook.body.data.id}`, { method: 'DELETE' })],
    ['deleteSuppression', await api(`/suppressions/${suppression.body.data.id}`, { method: 'DELETE' })],
    ['deleteApiToken', await api(`/api_tokens/${created.body.id}`, { method: 'DELETE' })],
    ['deleteDomain', await api(`/domains/${domain.body.id}`, { method: 'DELETE' })],
    ['deleteDomain', await api(`/accounts/999/domains/${domain.body.id}`, { method: 'DELETE' })],
  ];
  const problems = checks.flatMap(([operation, answer]) =>
    validateResponse(operation, answer.status, answer.body ?? answer.text).map(
      (problem) => `${operation} ${answer.status}: ${problem}`,
    ),
  );
  expect(problems).toEqual([]);
  // the checks cover successes and errors
  expect(new Set(checks.map(([, answer]) => answer.status))).toEqual(
    new Set([200, 201, 204, 400, 401, 403, 404, 422]),
  );
});

it('answers the sending hosts, refusals included, in the shapes of the vendor specs', async () => {
  const send = (path: string, body: unknown, token = emulator.token) =>
    http(`${emulator.url}${path}`, { token, body });
  const mail = {
    from: { email: 'a@example.com' },
    to: [{ email: 'b@example.org' }],
    subject: 's',
    text: 't',
  };
  emulator.domains.create('unverified-spec.test');
  const domainToken = emulator.domains.get('example.com')!.token;
  const checks: Array<[string, Answer]> = [
    ['email-sending-transactional:sendEmail', await send('/transactional/api/send', mail)],
    ['email-sending-transactional:sendEmail', await send('/transactional/api/send', { to: mail.to })],
    ['email-sending-transactional:sendEmail', await send('/transactional/api/send', mail, 'wrong')],
    [
      'email-sending-transactional:sendEmail',
      await send('/transactional/api/send', { ...mail, from: { email: 'a@unverified-spec.test' } }),
    ],
    [
      'email-sending-transactional:sendEmail',
      await send('/transactional/api/send', { ...mail, from: { email: 'a@mailtrap-kit.test' } }, domainToken),
    ],
    ['sendBulkEmail', await send('/bulk/api/send', mail)],
    [
      'email-sending-transactional:batchSendEmail',
      await send('/transactional/api/batch', {
        base: { from: mail.from, subject: 's', text: 't' },
        requests: [
          { to: mail.to },
          { to: [{ email: 'nope' }] },
          { to: mail.to, from: { email: 'a@unverified-spec.test' } },
        ],
      }),
    ],
    ['email-sending-transactional:batchSendEmail', await send('/transactional/api/batch', { requests: [] })],
    ['email-sending-bulk:batchSendEmail', await send('/bulk/api/batch', { requests: [mail] }, 'wrong')],
  ];
  const problems = checks.flatMap(([operation, answer]) =>
    validateResponse(operation, answer.status, answer.body ?? answer.text).map(
      (problem) => `${operation} ${answer.status}: ${problem}`,
    ),
  );
  expect(problems).toEqual([]);
  expect(checks.map(([, answer]) => answer.status)).toEqual([200, 400, 401, 403, 401, 200, 200, 400, 401]);
});
