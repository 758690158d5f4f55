import type { webcrypto } from 'node:crypto';
import { hexToBytes, utf8Decode, utf8Encode } from './bytes';
import { hmacSha256Matches } from './platform';

/** The signature's bytes, or undefined when it is not 64 hex digits (optionally `sha256=`). */
function signatureBytes(signature: unknown, signingSecret: unknown): Uint8Array | undefined {
  if (typeof signature !== 'string' || typeof signingSecret !== 'string' || signingSecret.length === 0)
    return undefined;
  let given = signature.trim();
  if (given.toLowerCase().startsWith('sha256=')) given = given.slice(7);
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return undefined;
  return hexToBytes(given);
}

/**
 * Checks a webhook's `Mailtrap-Signature` header: the hex HMAC-SHA256 of the raw request body with the
 * webhook's signing secret, compared in constant time. Pass the body exactly as received (not re-serialized JSON).
 * Synchronous: node:crypto on Node, a JavaScript HMAC (@noble/hashes) on other runtimes; where
 * Web Crypto is at hand, {@link verifyWebhookSignatureAsync} uses it instead.
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  signature: string,
  signingSecret: string,
): boolean {
  const expected = signatureBytes(signature, signingSecret);
  return expected !== undefined && hmacSha256Matches(signingSecret, rawBody, expected);
}

/**
 * {@link verifyWebhookSignature} through Web Crypto (`crypto.subtle`), for runtimes whose HMAC is
 * only asynchronous (Cloudflare Workers, Deno, Bun, browsers; Node too): resolves to true when the
 * signature is the body's HMAC-SHA256 with the signing secret. The comparison is Web Crypto's own
 * `verify`, in constant time.
 */
export async function verifyWebhookSignatureAsync(
  rawBody: string | Uint8Array,
  signature: string,
  signingSecret: string,
): Promise<boolean> {
  const expected = signatureBytes(signature, signingSecret);
  if (expected === undefined) return false;
  const subtle = (globalThis as { crypto?: { subtle?: webcrypto.SubtleCrypto } }).crypto?.subtle;
  if (subtle === undefined) {
    throw new TypeError('verifyWebhookSignatureAsync needs Web Crypto (globalThis.crypto.subtle)');
  }
  const key = await subtle.importKey(
    'raw',
    utf8Encode(signingSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const body = typeof rawBody === 'string' ? utf8Encode(rawBody) : rawBody;
  return subtle.verify('HMAC', key, expected, body);
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
  const text = (typeof rawBody === 'string' ? rawBody : utf8Decode(rawBody)).trim();
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
