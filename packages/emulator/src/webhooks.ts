/** The account's webhooks: what the Webhooks API stores, and which events each one wants. */
import { randomBytes } from 'node:crypto';
import type { EventType } from './message-events';

export const WEBHOOK_TYPES = ['email_sending', 'campaigns', 'audit_log', 'inbound_receiving'] as const;
export const SUBSCRIPTIONS = [
  'delivery',
  'soft_bounce',
  'bounce',
  'suspension',
  'unsubscribe',
  'open',
  'spam_complaint',
  'click',
  'reject',
] as const;
export type Subscription = (typeof SUBSCRIPTIONS)[number];

/** Subscription names differ from the event names of Email Logs for complaints. */
export function subscriptionOf(type: EventType): Subscription {
  return type === 'spam' ? 'spam_complaint' : type;
}

export interface Webhook {
  id: number;
  url: string;
  active: boolean;
  webhook_type: (typeof WEBHOOK_TYPES)[number];
  payload_format: 'json' | 'jsonlines';
  sending_stream: 'transactional' | 'bulk' | null;
  domain_id: number | null;
  inbound_inbox_id: number | null;
  event_types: Subscription[];
}

export interface WebhookRecord {
  webhook: Webhook;
  signingSecret: string;
}

export class WebhookStore {
  private readonly byId = new Map<number, WebhookRecord>();
  private nextId = 1;

  list(): WebhookRecord[] {
    return [...this.byId.values()];
  }

  get(id: number): WebhookRecord | undefined {
    return this.byId.get(id);
  }

  create(fields: Omit<Webhook, 'id'>): WebhookRecord {
    const record: WebhookRecord = {
      webhook: { id: this.nextId++, ...fields },
      signingSecret: randomBytes(16).toString('hex'),
    };
    this.byId.set(record.webhook.id, record);
    return record;
  }

  delete(id: number): WebhookRecord | undefined {
    const record = this.byId.get(id);
    this.byId.delete(id);
    return record;
  }

  /** The active email-sending webhooks that want this event of this stream and domain. */
  matching(type: EventType, stream: 'transactional' | 'bulk', domainId: number): WebhookRecord[] {
    if (this.byId.size === 0) return [];
    const subscription = subscriptionOf(type);
    return this.list().filter(({ webhook }) => {
      if (!webhook.active || webhook.webhook_type !== 'email_sending') return false;
      if (webhook.sending_stream !== stream) return false;
      if (webhook.domain_id !== null && webhook.domain_id !== domainId) return false;
      return webhook.event_types.includes(subscription);
    });
  }

  /** Whether some webhook may want delivery events (so plain messages' deliveries are published). */
  wantsDeliveries(): boolean {
    for (const { webhook } of this.byId.values()) {
      if (
        webhook.active &&
        webhook.webhook_type === 'email_sending' &&
        webhook.event_types.includes('delivery')
      )
        return true;
    }
    return false;
  }
}
