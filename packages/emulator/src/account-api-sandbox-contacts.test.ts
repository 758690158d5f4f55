/**
 * The shared account-API conformance suite for the sandbox testing API and contacts: every method
 * of core's `projects`, `sandboxes`, `sandboxMessages`, `sandboxAttachments` and contacts
 * namespaces against the emulator, each result checked against the vendor spec's response schema,
 * unknown ids answered with core's not_found. The spam report is unsupported on purpose (501, see README).
 */
import { MailtrapClient } from '@mailtrap-kit/core';
import { type AccountApiArea, describeAccountApi } from '@mailtrap-kit/openapi-testing';
import { startEmulator } from './index';
import type { RunningEmulator } from './types';

const areas: AccountApiArea[] = [
  'contactLists',
  'contactFields',
  'contacts',
  'contactEvents',
  'contactImports',
  'contactExports',
  'projects',
  'sandboxes',
  'sandboxAttachments',
  'sandboxMessages',
];

/** Sends one message with an attachment into the sandbox; its id in the sandbox API. */
async function captureOne(emulator: RunningEmulator, client: MailtrapClient, subject: string) {
  const sandbox = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    sandbox: true,
    sandboxId: emulator.sandboxId,
  });
  await sandbox.send({
    from: { email: 'suite@example.com' },
    to: [{ email: 'tester@example.org' }],
    subject,
    text: 'Welcome to the suite',
    html: '<p>Welcome to the <b>suite</b></p>',
    attachments: [
      { filename: 'notes.txt', content: Buffer.from('notes').toString('base64'), type: 'text/plain' },
    ],
  });
  await sandbox.close();
  const [message] = await client.sandboxMessages.list(emulator.sandboxId, { search: subject });
  return message!.id!;
}

for (const accountPaths of [false, true]) {
  let emulator: RunningEmulator;
  describeAccountApi({
    name: accountPaths
      ? 'emulator sandbox and contacts, /api/accounts/{account_id} paths'
      : 'emulator sandbox and contacts',
    areas,
    errors: 'unknown-ids',
    unsupported: { 'sandboxMessages.spamReport': 501 },
    setup: async () => {
      emulator = await startEmulator({ accountId: 7 });
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
        fixtures: { accountId: emulator.accountId },
        close: () => emulator.close(),
      };
    },
    prepare: {
      sandboxAttachments: async ({ client }) => ({
        sandboxId: emulator.sandboxId,
        sandboxMessageId: await captureOne(emulator, client as MailtrapClient, 'welcome attachments'),
      }),
      sandboxMessages: async ({ client }) => ({
        sandboxId: emulator.sandboxId,
        sandboxMessageId: await captureOne(emulator, client as MailtrapClient, 'welcome'),
        disposableSandboxMessageId: await captureOne(
          emulator,
          client as MailtrapClient,
          'welcome, then deleted',
        ),
      }),
    },
  });
}
