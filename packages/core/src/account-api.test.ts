import { accountApiAreas, describeAccountApi, startSpecServer } from '@mailtrap-kit/openapi-testing';
import { MailtrapClient } from './index';

// The emulator's own tests run the same suite against it (packages/emulator).
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
