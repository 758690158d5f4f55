/**
 * The shared account-API conformance suite (the one core runs against the spec server) against
 * the emulator: every method of core's clients for the areas of the account model, each result
 * checked against the vendor spec's response schema, unknown ids answered with core's not_found.
 */
import { MailtrapClient } from '@mailtrap-kit/core';
import { type AccountApiArea, describeAccountApi } from '@mailtrap-kit/openapi-testing';
import { startEmulator } from './index';

const areas: AccountApiArea[] = [
  'accounts',
  'domains',
  'apiTokens',
  'stats',
  'suppressions',
  'emailLogs',
  'webhooks',
  'templates',
];

for (const accountPaths of [false, true]) {
  describeAccountApi({
    name: accountPaths ? 'emulator, /api/accounts/{account_id} paths' : 'emulator',
    areas,
    errors: 'unknown-ids',
    setup: async () => {
      const emulator = await startEmulator({ accountId: 7 });
      const client = new MailtrapClient({
        token: emulator.token,
        endpoints: emulator.endpoints,
        ...(accountPaths ? { accountId: emulator.accountId } : {}),
        retry: false,
        rateLimit: false,
        accountRateLimits: false,
      });
      return {
        client,
        ...(accountPaths ? { accountId: emulator.accountId } : {}),
        // the emulator calls only loopback webhooks
        fixtures: { accountId: emulator.accountId, webhookUrl: `${emulator.url}/_emulator/stats` },
        close: () => emulator.close(),
      };
    },
    prepare: {
      emailLogs: async ({ client }) => {
        const sent = await (client as MailtrapClient).send({
          from: { email: 'suite@example.com' },
          to: [{ email: 'clicked@simulator.mailtrap-kit.test' }],
          subject: 'Conformance',
          html: '<a href="https://example.com/">x</a>',
          category: 'suite',
        });
        return { emailLogMessageId: sent.message_ids[0] };
      },
    },
  });
}
