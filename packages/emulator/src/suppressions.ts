/**
 * The suppression list: addresses Mailtrap does not send to on a stream (hard bounces, spam
 * complaints, unsubscribes, manual imports). Listed in creation order, paged by `last_id`.
 */
import { randomUUID } from 'node:crypto';
import type { LogItem } from './store';
import type { EmulatorSuppression } from './types';

export type SuppressionType = 'hard bounce' | 'unsubscription' | 'spam complaint' | 'manual import';
export const SUPPRESSION_TYPES: SuppressionType[] = [
  'hard bounce',
  'unsubscription',
  'spam complaint',
  'manual import',
];

export interface SuppressionRecord {
  id: string;
  type: SuppressionType;
  created_at: string;
  email: string;
  sending_stream: 'transactional' | 'bulk' | 'any';
  domain_name: string | null;
  message_bounce_category: string | null;
  message_category: string | null;
  message_client_ip: string | null;
  message_created_at: string | null;
  message_esp_response: string | null;
  message_esp_server_type: string | null;
  message_outgoing_ip: string | null;
  message_recipient_mx_name: string | null;
  message_sender_email: string | null;
  message_subject: string | null;
}

export const SUPPRESSIONS_PAGE = 1000;

export interface SuppressionQuery {
  email?: string;
  startTime?: number;
  endTime?: number;
  lastId?: string;
  /** Only suppressions of these domains (and those of no domain); undefined: all. */
  domains?: Set<string>;
}

export class SuppressionStore {
  private records: SuppressionRecord[] = [];
  private readonly byEmail = new Map<string, SuppressionRecord[]>();

  constructor(private readonly seed: EmulatorSuppression[] = []) {
    this.reset();
  }

  get size(): number {
    return this.records.length;
  }

  /** Back to the suppressions of the options. */
  reset(): void {
    this.records = [];
    this.byEmail.clear();
    for (const suppression of this.seed) {
      this.add({
        email: suppression.email,
        type: suppression.type ?? 'hard bounce',
        sending_stream: suppression.sending_stream ?? 'any',
        domain_name: null,
      });
    }
  }

  add(input: {
    email: string;
    type: SuppressionType;
    sending_stream: SuppressionRecord['sending_stream'];
    domain_name: string | null;
    from?: LogItem;
    details?: Record<string, string | null>;
  }): SuppressionRecord {
    const item = input.from;
    const record: SuppressionRecord = {
      id: randomUUID(),
      type: input.type,
      created_at: new Date().toISOString(),
      email: input.email,
      sending_stream: input.sending_stream,
      domain_name: input.domain_name,
      message_bounce_category: input.details?.bounce_category ?? null,
      message_category: item?.message.category ?? null,
      message_client_ip: item ? '127.0.0.1' : null,
      message_created_at: item?.message.sentAt ?? null,
      message_esp_response: input.details?.email_service_provider_response ?? null,
      message_esp_server_type: input.details?.email_service_provider ?? null,
      message_outgoing_ip: input.details?.sending_ip ?? null,
      message_recipient_mx_name: input.details?.recipient_mx ?? null,
      message_sender_email: item?.message.from ?? null,
      message_subject: item?.message.subject ?? null,
    };
    this.records.push(record);
    const key = input.email.toLowerCase();
    const list = this.byEmail.get(key);
    if (list) list.push(record);
    else this.byEmail.set(key, [record]);
    return record;
  }

  delete(id: string): SuppressionRecord | undefined {
    const index = this.records.findIndex((record) => record.id === id);
    if (index < 0) return undefined;
    const [record] = this.records.splice(index, 1);
    const key = record!.email.toLowerCase();
    const rest = this.byEmail.get(key)!.filter((other) => other !== record);
    if (rest.length > 0) this.byEmail.set(key, rest);
    else this.byEmail.delete(key);
    return record;
  }

  get(id: string): SuppressionRecord | undefined {
    return this.records.find((record) => record.id === id);
  }

  /** Whether mail to `email` from `domain` on `stream` is suppressed. */
  suppresses(email: string, stream: 'transactional' | 'bulk', domain: string): boolean {
    if (this.records.length === 0) return false;
    const list = this.byEmail.get(email.toLowerCase());
    if (!list) return false;
    return list.some(
      (record) =>
        (record.sending_stream === 'any' || record.sending_stream === stream) &&
        (record.domain_name === null || record.domain_name === domain),
    );
  }

  /** One page (at most 1000, oldest first) after `lastId`. */
  list(query: SuppressionQuery): SuppressionRecord[] {
    const email = query.email?.toLowerCase();
    let start = 0;
    if (query.lastId) {
      const index = this.records.findIndex((record) => record.id === query.lastId);
      start = index < 0 ? this.records.length : index + 1;
    }
    const page: SuppressionRecord[] = [];
    for (let index = start; index < this.records.length && page.length < SUPPRESSIONS_PAGE; index++) {
      const record = this.records[index]!;
      if (email && record.email.toLowerCase() !== email) continue;
      const created = Date.parse(record.created_at);
      if (query.startTime !== undefined && created < query.startTime) continue;
      if (query.endTime !== undefined && created > query.endTime) continue;
      if (query.domains && record.domain_name !== null && !query.domains.has(record.domain_name)) continue;
      page.push(record);
    }
    return page;
  }
}
