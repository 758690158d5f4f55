import { describe, expectTypeOf, it } from 'vitest';
import type { MailtrapClient } from './client';
import type { BatchSendingClient, EmailLogsClient, SendingClient, TemplatesClient } from './client-slices';

describe('client slices', () => {
  it('are satisfied by MailtrapClient (checked by the type checker)', () => {
    expectTypeOf<MailtrapClient>().toMatchTypeOf<SendingClient>();
    expectTypeOf<MailtrapClient>().toMatchTypeOf<BatchSendingClient>();
    expectTypeOf<MailtrapClient>().toMatchTypeOf<EmailLogsClient>();
    expectTypeOf<MailtrapClient>().toMatchTypeOf<TemplatesClient>();
  });

  it('are small: a plain object with just the slice fits', () => {
    const batchOnly = { batchSend: async () => ({ success: true, responses: [] }) };
    expectTypeOf(batchOnly).toMatchTypeOf<BatchSendingClient>();
    expectTypeOf<{ batchSend: BatchSendingClient['batchSend'] }>().not.toMatchTypeOf<EmailLogsClient>();
  });
});
