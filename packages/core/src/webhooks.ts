import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a webhook's `Mailtrap-Signature` header: the hex HMAC-SHA256 of the raw request body with the
 * webhook's signing secret, compared in constant time. Pass the body exactly as received (not re-serialized JSON).
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  signature: string,
  signingSecret: string,
): boolean {
  if (typeof signature !== 'string' || typeof signingSecret !== 'string' || signingSecret.length === 0)
    return false;
  let given = signature.trim();
  if (given.toLowerCase().startsWith('sha256=')) given = given.slice(7);
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', signingSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** Fields every webhook event carries. */
export interface WebhookEventBase {
  /** Unique per event: use it to de-duplicate (Mailtrap retries non-200 answers for hours). */
  event_id: string;
  /** The id returned by `send`/`batchSend` for this recipient. */
  message_id: string;
  email: string;
  /** Unix time in seconds. */
  timestamp: number;
  sending_stream: 'transactional' | 'bulk' | (string & {});
  category?: string;
  custom_variables?: Record<string, string>;
  sending_domain_name?: string;
  [key: string]: unknown;
}

export interface WebhookDeliveryEvent extends WebhookEventBase {
  event: 'delivery';
}
export interface WebhookOpenEvent extends WebhookEventBase {
  event: 'open';
  ip?: string;
  user_agent?: string;
}
export interface WebhookClickEvent extends WebhookEventBase {
  event: 'click';
  url?: string;
  ip?: string;
  user_agent?: string;
}
export interface WebhookUnsubscribeEvent extends WebhookEventBase {
  event: 'unsubscribe';
  ip?: string;
  user_agent?: string;
}
export interface WebhookSpamEvent extends WebhookEventBase {
  event: 'spam';
}
export interface WebhookBounceEvent extends WebhookEventBase {
  event: 'soft bounce' | 'bounce';
  response?: string;
  response_code?: number;
  bounce_category?: string;
}
export interface WebhookRejectEvent extends WebhookEventBase {
  event: 'suspension' | 'reject';
  reason?: string;
}

/** One event of a webhook delivery; switch on `event`. */
export type WebhookEvent =
  | WebhookDeliveryEvent
  | WebhookOpenEvent
  | WebhookClickEvent
  | WebhookUnsubscribeEvent
  | WebhookSpamEvent
  | WebhookBounceEvent
  | WebhookRejectEvent;

/** The JSON body Mailtrap POSTs to a webhook. */
export interface WebhookPayload {
  events: WebhookEvent[];
}

/**
 * Reads a webhook body in either delivery format: one JSON object `{ "events": [...] }` or JSON Lines
 * (one event, or one `{ events }` object, per line). Verify the signature on the raw body first.
 */
export function parseWebhookEvents(rawBody: string | Uint8Array): WebhookEvent[] {
  const text = (typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8')).trim();
  if (text.length === 0) return [];
  const collect = (value: unknown, into: WebhookEvent[]): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError('Invalid webhook body: expected JSON objects');
    }
    const events = (value as { events?: unknown }).events;
    if (Array.isArray(events)) into.push(...(events as WebhookEvent[]));
    else into.push(value as WebhookEvent);
  };
  const events: WebhookEvent[] = [];
  try {
    collect(JSON.parse(text), events);
    return events;
  } catch (error) {
    if (!text.includes('\n')) throw error;
  }
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length > 0) collect(JSON.parse(trimmed), events);
  }
  return events;
}
