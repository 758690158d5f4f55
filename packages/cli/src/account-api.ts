import type { ApiTokenInput, MailtrapClient } from '@mailtrap-kit/core';

/** The account API areas of core's client the commands use. */
export type AccountApi = Pick<
  MailtrapClient,
  'accounts' | 'domains' | 'apiTokens' | 'stats' | 'suppressions' | 'emailLogs' | 'webhooks'
>;

/** One resource an API token is given access to. */
export type ApiTokenResource = NonNullable<ApiTokenInput['resources']>[number];
