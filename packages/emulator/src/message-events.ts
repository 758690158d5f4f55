/**
 * The events of one Email Logs entry (one recipient of a message): delivery, bounces, opens,
 * clicks, complaints, unsubscribes, rejects. One representation serves Email Logs (event_type,
 * created_at, details as the spec has them) and webhooks (the payload's names and extra fields).
 */
import { randomUUID } from 'node:crypto';
import { providerOf, SENDING_IP } from './esp';
import type { LogItem } from './store';
import type { EmulatorEventInput, EmulatorEventType } from './types';

export const EVENT_TYPES = [
  'delivery',
  'open',
  'click',
  'bounce',
  'soft_bounce',
  'spam',
  'unsubscribe',
  'reject',
  'suspension',
] as const satisfies readonly EmulatorEventType[];
export type EventType = EmulatorEventType;

export interface LogEvent {
  event_id: string;
  event_type: EventType;
  /** Milliseconds since the epoch. */
  at: number;
  /** The spec's details of this event type (Email Logs). */
  details: Record<string, string | null>;
  /** Webhook extras the Email Logs details do not have. */
  user_agent?: string;
  response_code?: number;
}

/** What a control call (or the simulator) gives for a new event. */
export type EventInput = EmulatorEventInput;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

const DEFAULT_USER_AGENT = 'Mozilla/5.0 (mailtrap-kit emulator)';

/** Builds an event of `input.type` for a recipient, with each type's details. */
export function buildEvent(to: string, input: EventInput): LogEvent {
  const provider = providerOf(to);
  const ip = input.ip ?? '127.0.0.1';
  const at = input.at ? Date.parse(input.at) : Date.now();
  const base = { event_id: randomUUID(), event_type: input.type, at: Number.isNaN(at) ? Date.now() : at };
  switch (input.type) {
    case 'delivery':
      return {
        ...base,
        details: { sending_ip: SENDING_IP, recipient_mx: provider.mx, email_service_provider: provider.name },
      };
    case 'bounce':
    case 'soft_bounce': {
      const hard = input.type === 'bounce';
      const status = input.status_code ?? (hard ? '5.1.1' : '4.2.2');
      return {
        ...base,
        response_code: Number(status.split('.')[0]) * 100 + (hard ? 50 : 52),
        details: {
          sending_ip: SENDING_IP,
          recipient_mx: provider.mx,
          email_service_provider: provider.name,
          email_service_provider_status: status,
          email_service_provider_response:
            input.response ??
            (hard
              ? '550 5.1.1 The email account that you tried to reach does not exist'
              : '452 4.2.2 The email account that you tried to reach is over quota'),
          bounce_category: input.bounce_category ?? (hard ? 'invalid_recipient' : 'mailbox_full'),
        },
      };
    }
    case 'open':
    case 'unsubscribe':
      return { ...base, user_agent: input.user_agent ?? DEFAULT_USER_AGENT, details: { web_ip_address: ip } };
    case 'click':
      return {
        ...base,
        user_agent: input.user_agent ?? DEFAULT_USER_AGENT,
        details: { click_url: input.url ?? 'https://example.com/', web_ip_address: ip },
      };
    case 'spam':
      return { ...base, details: { spam_feedback_type: input.feedback_type ?? 'abuse' } };
    case 'reject':
    case 'suspension':
      return { ...base, details: { reject_reason: input.reason ?? 'Rejected by the emulator' } };
  }
}

/** The events of an entry: the kept list, or the implicit delivery of a plain accepted message. */
export function eventsOf(item: LogItem): LogEvent[] {
  if (item.events) return item.events;
  if (item.suppressed) return [];
  return [
    {
      event_id: item.messageId,
      event_type: 'delivery',
      at: item.message.sentAtMs,
      details: {
        sending_ip: SENDING_IP,
        recipient_mx: providerOf(item.to).mx,
        email_service_provider: providerOf(item.to).name,
      },
    },
  ];
}

/** The kept list of events (made from the implicit delivery on first use). */
export function keptEvents(item: LogItem): LogEvent[] {
  item.events ??= eventsOf(item).map((event) => ({ ...event, event_id: randomUUID() }));
  return item.events;
}

export type LogStatus = 'delivered' | 'not_delivered' | 'enqueued' | 'opted_out';

export function statusOf(item: LogItem): LogStatus {
  if (item.suppressed) return 'opted_out';
  if (!item.events) return 'delivered';
  let delivered = false;
  let failed = false;
  for (const event of item.events) {
    if (event.event_type === 'delivery') delivered = true;
    else if (
      event.event_type === 'bounce' ||
      event.event_type === 'soft_bounce' ||
      event.event_type === 'reject' ||
      event.event_type === 'suspension'
    )
      failed = true;
  }
  return delivered ? 'delivered' : failed ? 'not_delivered' : 'enqueued';
}

export function countOf(item: LogItem, type: EventType): number {
  if (!item.events) return 0;
  let count = 0;
  for (const event of item.events) if (event.event_type === type) count++;
  return count;
}

/** The Email Logs shape of an event. */
export function logEvent(event: LogEvent) {
  return {
    event_type: event.event_type,
    created_at: new Date(event.at).toISOString(),
    details: event.details,
  };
}

/** The first detail `name` among the entry's events (for the sending_ip, recipient_mx… filters). */
export function detailOf(item: LogItem, name: string): string | null {
  for (const event of eventsOf(item)) {
    const value = event.details[name];
    if (value !== undefined && value !== null) return value;
  }
  return null;
}
