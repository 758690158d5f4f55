import { accountApiAreas, describeAccountApi, startSpecServer } from '@mailtrap-kit/openapi-testing';
import { MailtrapClient } from './index';

// Loaded by name at run time (vitest resolves workspace packages to their sources), so core keeps
// no build-time dependency on the emulator.
const emulatorPackage = '@mailtrap-kit/emulator';

// Every account-API method of the client against the spec-driven test server: each request must
// match Mailtrap's OpenAPI spec, each result the spec's response schema, each error answer the
// spec lists must come back as the typed error. Every area of the suite: every namespace of the client.
const areas = accountApiAreas;
// Inbound has one path form: both official clients call `/api/inbound/...` whatever the account id.
const accountFormAreas = accountApiAreas.filter((area) => !area.startsWith('inbound'));

describeAccountApi({
  name: 'spec server',
  areas,
  setup: async () => {
    const specServer = await startSpecServer();
    const client = new MailtrapClient({
      token: 'spec-server-token',
      endpoints: specServer.endpoints,
      retry: false,
      rateLimit: false,
      // The suite calls stats and suppressions more often than their 10/min per account.
      accountRateLimits: false,
    });
    return { client, specServer, close: () => specServer.close() };
  },
});

describeAccountApi({
  name: 'spec server, /api/accounts/{account_id} paths',
  areas: accountFormAreas,
  setup: async () => {
    const specServer = await startSpecServer();
    const client = new MailtrapClient({
      token: 'spec-server-token',
      endpoints: specServer.endpoints,
      accountId: 4242,
      retry: false,
      rateLimit: false,
      // The suite calls stats and suppressions more often than their 10/min per account.
      accountRateLimits: false,
    });
    return { client, specServer, accountId: 4242, close: () => specServer.close() };
  },
});

// The same suite against the emulator (a real local account: things are created, read, updated and
// deleted), for the areas it serves. Unknown ids must come back as core's not-found error.
const emulatorAreas: AccountApiArea[] = [
  'accounts',
  'apiTokens',
  'domains',
  'stats',
  'suppressions',
  'emailLogs',
  'webhooks',
  'templates',
];

describeAccountApi({
  name: 'emulator',
  areas: emulatorAreas,
  errors: 'unknown-ids',
  prepare: {
    // Email Logs need a message: send one and read its id.
    emailLogs: async (target) => {
      const client = target.client as MailtrapClient;
      const { message_ids } = await client.send({
        from: { email: 'hello@example.com' },
        to: [{ email: 'delivered@simulator.mailtrap-kit.test' }],
        subject: 'Welcome',
        text: 'Hello',
        category: 'Welcome Email',
      });
      return { emailLogMessageId: message_ids[0] };
    },
  },
  setup: async () => {
    const { startEmulator } = (await import(/* @vite-ignore */ emulatorPackage)) as {
      startEmulator(options: Record<string, unknown>): Promise<{
        token: string;
        endpoints: Record<string, string>;
        close(): Promise<void>;
      }>;
    };
    // The suite's webhooks point at example.com; nothing is delivered to them in this run.
    const emulator = await startEmulator({ webhookDelivery: { allowRemote: true } });
    const client = new MailtrapClient({
      token: emulator.token,
      endpoints: emulator.endpoints,
      retry: false,
      accountRateLimits: false,
    });
    return {
      client,
      close: async () => {
        await client.close();
        await emulator.close();
      },
    };
  },
});
