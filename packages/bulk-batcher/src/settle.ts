import { delay } from '@mailtrap-kit/core';
import { parseRecipientTag, TAG_ID_KEY, TAG_RUN_KEY } from './tag';
import type { EmailLogsListParams } from '@mailtrap-kit/core';
import type { EmailLogsClient, EmailLogsMessage, RateLimitStore } from './wire';

export interface UncertainRecipient {
  sequence: number;
  email: string;
}

export interface Settlement {
  sequence: number;
  email: string;
  /** `sent`: Email Logs holds a message with this recipient's tag. `unsent`: it holds none. */
  status: 'sent' | 'unsent';
  messageId?: string;
}

export interface SettleOptions {
  /** The run id the recipients were tagged with. */
  runId: string;
  /** Only messages sent at or after this moment are looked at (the run's start, minus a margin). */
  sentAfter?: Date;
  /** Recipients per Email Logs query (keeps the URL short). Default 50. */
  addressesPerQuery?: number;
  /** Email Logs' own pool: 60 list requests per minute by default. `false` turns it off (tests). */
  rateLimit?: { requests: number; windowMs: number; store?: RateLimitStore; key?: string } | false;
  signal?: AbortSignal;
}

/** A small in-memory sliding-window store with core's `RateLimitStore` shape. */
export function createWindowRateLimitStore(): RateLimitStore {
  const windows = new Map<string, number[]>();
  return {
    async reserve(key, limit) {
      const now = Date.now();
      const slots = (windows.get(key) ?? []).filter((time) => time > now - limit.windowMs);
      let at = now;
      if (slots.length >= limit.requests) at = (slots[slots.length - limit.requests] ?? now) + limit.windowMs;
      slots.push(at);
      windows.set(key, slots);
      return Math.max(0, at - now);
    },
  };
}

const defaultEmailLogsStore = createWindowRateLimitStore();

function recipientsOf(message: EmailLogsMessage): string[] {
  const to = message.to as unknown;
  if (typeof to === 'string') return to.split(',').map((part) => part.trim().toLowerCase());
  if (Array.isArray(to))
    return to.map((entry) => String((entry as { email?: string })?.email ?? entry).toLowerCase());
  return [];
}

/**
 * Settles uncertain recipients against Email Logs: lists the messages sent to their addresses
 * (`filters[to]` ci_equal, `filters[sent_after]`), paging with `search_after`, and matches each
 * message's `custom_variables` tag (run id + sequence). A recipient whose tag is found is `sent`
 * with that message id; one whose tag is absent is `unsent`. Absence is a proof only once Email
 * Logs has caught up: call this some time after the uncertain request ended (the batcher waits
 * `settleDelayMs`). Respects Email Logs' 60 requests/min. Throws when Email Logs cannot be read
 * (the recipients then stay uncertain).
 */
export async function settleUncertain(
  client: EmailLogsClient,
  recipients: readonly UncertainRecipient[],
  options: SettleOptions,
): Promise<Settlement[]> {
  const perQuery = options.addressesPerQuery ?? 50;
  const limit =
    options.rateLimit === false ? undefined : (options.rateLimit ?? { requests: 60, windowMs: 60_000 });
  const store = (limit && 'store' in limit && limit.store) || defaultEmailLogsStore;
  const key = (limit && 'key' in limit && limit.key) || 'email_logs:list';
  const bySequence = new Map<number, UncertainRecipient>();
  for (const recipient of recipients) bySequence.set(recipient.sequence, recipient);
  const found = new Map<number, string>();

  for (let start = 0; start < recipients.length; start += perQuery) {
    const chunk = recipients.slice(start, start + perQuery);
    // `to` and `sent_after` are the documented filters. The tag filters are ignored by Mailtrap
    // (unknown filters are) and narrow the answer where they are supported (the emulator); the tag
    // is matched here either way.
    const filters: Record<string, unknown> = {
      [`custom_variables.${TAG_ID_KEY}`]: {
        operator: 'equal',
        value: chunk.map((recipient) => String(recipient.sequence)),
      },
      [`custom_variables.${TAG_RUN_KEY}`]: { operator: 'equal', value: options.runId },
      to: {
        operator: 'ci_equal',
        value: [...new Set(chunk.map((recipient) => recipient.email.toLowerCase()))],
      },
    };
    if (options.sentAfter) filters.sent_after = options.sentAfter.toISOString();
    let cursor: string | undefined;
    const seenCursors = new Set<string>();
    do {
      if (limit) await delay(await store.reserve(key, limit), options.signal);
      // The tag filters are outside the spec's typed filters (Mailtrap ignores them, see above).
      const params: EmailLogsListParams = { filters: filters as EmailLogsListParams['filters'] };
      if (cursor) params.search_after = cursor;
      const page = await client.emailLogs.list(params, options.signal ? { signal: options.signal } : {});
      for (const message of page.messages ?? []) {
        const tag = parseRecipientTag(message.custom_variables as Record<string, unknown> | undefined);
        if (!tag || tag.runId !== options.runId) continue;
        const recipient = bySequence.get(tag.sequence);
        if (!recipient) continue;
        const listed = recipientsOf(message);
        if (listed.length > 0 && !listed.includes(recipient.email.toLowerCase())) continue;
        found.set(tag.sequence, message.message_id);
      }
      cursor = page.next_page_cursor ?? undefined;
      if (cursor && seenCursors.has(cursor)) break;
      if (cursor) seenCursors.add(cursor);
    } while (cursor);
  }

  return recipients.map((recipient) => {
    const messageId = found.get(recipient.sequence);
    return messageId
      ? { sequence: recipient.sequence, email: recipient.email, status: 'sent', messageId }
      : { sequence: recipient.sequence, email: recipient.email, status: 'unsent' };
  });
}
