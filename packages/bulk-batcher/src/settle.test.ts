import { describe, expect, it } from 'vitest';
import { createWindowRateLimitStore, settleUncertain } from './settle';
import { recipientTag } from './tag';
import type { EmailLogsPage } from '@mailtrap-kit/core';
import type { EmailLogsListParams, EmailLogsMessage } from './wire';

/** An in-memory Email Logs that pages two messages at a time and filters by `to` like the API. */
function fakeEmailLogs(messages: EmailLogsMessage[]) {
  const calls: EmailLogsListParams[] = [];
  return {
    calls,
    emailLogs: {
      async list(params: EmailLogsListParams = {}) {
        calls.push(params);
        const to = (params.filters?.to as { value: string[] } | undefined)?.value ?? [];
        const matching = messages.filter((message) => to.includes(String(message.to).toLowerCase()));
        const start = params.search_after
          ? matching.findIndex((message) => message.message_id === params.search_after) + 1
          : 0;
        const page = matching.slice(start, start + 2);
        const last = page[page.length - 1];
        // only the fields settlement reads: the rest of a logged message does not matter here
        return {
          messages: page as unknown as EmailLogsPage['messages'],
          total_count: matching.length,
          next_page_cursor: start + 2 < matching.length && last ? last.message_id : null,
        };
      },
    },
  };
}

describe('settleUncertain', () => {
  it('finds tagged messages across pages and calls everything else unsent', async () => {
    const client = fakeEmailLogs([
      { message_id: 'm-a', to: 'a@example.org', custom_variables: recipientTag('run1', 0) },
      { message_id: 'm-old', to: 'b@example.org', custom_variables: recipientTag('other-run', 1) },
      { message_id: 'm-b2', to: 'b@example.org', custom_variables: { unrelated: 'x' } },
      { message_id: 'm-b', to: 'B@example.org', custom_variables: recipientTag('run1', 1) },
      { message_id: 'm-c-wrong-seq', to: 'c@example.org', custom_variables: recipientTag('run1', 99) },
    ]);
    const settled = await settleUncertain(
      client,
      [
        { sequence: 0, email: 'a@example.org' },
        { sequence: 1, email: 'b@example.org' },
        { sequence: 2, email: 'c@example.org' },
      ],
      { runId: 'run1', sentAfter: new Date('2026-01-01T00:00:00Z'), rateLimit: false, addressesPerQuery: 2 },
    );
    expect(settled).toEqual([
      { sequence: 0, email: 'a@example.org', status: 'sent', messageId: 'm-a' },
      { sequence: 1, email: 'b@example.org', status: 'sent', messageId: 'm-b' },
      { sequence: 2, email: 'c@example.org', status: 'unsent' },
    ]);
    expect(client.calls[0]!.filters).toEqual({
      'custom_variables.mtk_id': { operator: 'equal', value: ['0', '1'] },
      'custom_variables.mtk_run': { operator: 'equal', value: 'run1' },
      to: { operator: 'ci_equal', value: ['a@example.org', 'b@example.org'] },
      sent_after: '2026-01-01T00:00:00.000Z',
    });
    expect(client.calls.length).toBe(3);
  });

  it('propagates an Email Logs failure instead of guessing', async () => {
    const client = { emailLogs: { list: () => Promise.reject(new Error('401 Incorrect API token')) } };
    await expect(
      settleUncertain(client, [{ sequence: 0, email: 'a@example.org' }], { runId: 'r', rateLimit: false }),
    ).rejects.toThrow(/401/);
  });
});

describe('createWindowRateLimitStore', () => {
  it('hands out the window, then asks to wait', async () => {
    const store = createWindowRateLimitStore();
    const limit = { requests: 2, windowMs: 60_000 };
    expect(await store.reserve('k', limit)).toBe(0);
    expect(await store.reserve('k', limit)).toBe(0);
    expect(await store.reserve('k', limit)).toBeGreaterThan(50_000);
    expect(await store.reserve('other', limit)).toBe(0);
  });
});
