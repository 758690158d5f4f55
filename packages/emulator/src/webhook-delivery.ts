/**
 * Delivers sending events to the account's webhooks as Mailtrap does: per webhook, events are
 * batched and POSTed as `{"events":[…]}` or JSON Lines (`payload_format`), signed with
 * `Mailtrap-Signature` (HMAC-SHA256 hex of the raw body with the webhook's signing secret), and
 * retried on any answer but 2xx — Mailtrap's 40 retries every 5 minutes, shortened (configurable).
 * Every attempt is recorded. Only loopback URLs are called unless remote ones are allowed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Delivery } from './delivery';
import type { LogEvent } from './message-events';
import type { LogItem } from './store';
import type { WebhookAttempt, WebhookDeliveryRecord, WebhookDeliverySettings } from './types';
import type { WebhookRecord, WebhookStore } from './webhooks';

/** The payload names of events (subscriptions and Email Logs write `soft_bounce`). */
const PAYLOAD_NAMES: Record<LogEvent['event_type'], string> = {
  delivery: 'delivery',
  open: 'open',
  click: 'click',
  bounce: 'bounce',
  soft_bounce: 'soft bounce',
  spam: 'spam',
  unsubscribe: 'unsubscribe',
  reject: 'reject',
  suspension: 'suspension',
};

/** One event as a webhook receives it. */
export function webhookEvent(item: LogItem, event: LogEvent): Record<string, unknown> {
  const message = item.message;
  const payload: Record<string, unknown> = {
    event: PAYLOAD_NAMES[event.event_type],
    event_id: event.event_id,
    message_id: item.messageId,
    email: item.to,
    timestamp: Math.floor(event.at / 1000),
    sending_stream: message.stream,
    sending_domain_name: message.from.slice(message.from.lastIndexOf('@') + 1),
  };
  if (message.category !== null) payload.category = message.category;
  if (Object.keys(message.customVariables).length > 0) payload.custom_variables = message.customVariables;
  const details = event.details;
  switch (event.event_type) {
    case 'bounce':
    case 'soft_bounce':
      payload.response = details.email_service_provider_response;
      payload.response_code = event.response_code;
      payload.bounce_category = details.bounce_category;
      break;
    case 'click':
      payload.url = details.click_url;
      payload.ip = details.web_ip_address;
      payload.user_agent = event.user_agent;
      break;
    case 'open':
    case 'unsubscribe':
      payload.ip = details.web_ip_address;
      payload.user_agent = event.user_agent;
      break;
    case 'reject':
    case 'suspension':
      payload.reason = details.reject_reason;
      break;
  }
  return payload;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

interface Batch {
  record: WebhookRecord;
  events: Array<Record<string, unknown>>;
  timer: NodeJS.Timeout;
}

export class WebhookDispatcher {
  private readonly batches = new Map<number, Batch>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private kept: WebhookDeliveryRecord[] = [];
  private closed = false;
  /** Called when a delivery record changes (the inbox's live view). */
  onChange: (record: WebhookDeliveryRecord) => void = () => {};
  readonly settings: Required<WebhookDeliverySettings>;

  constructor(
    private readonly webhooks: WebhookStore,
    delivery: Delivery,
    settings: WebhookDeliverySettings = {},
  ) {
    this.settings = {
      batchWindowMs: settings.batchWindowMs ?? 50,
      maxBatchEvents: settings.maxBatchEvents ?? 500,
      retryDelayMs: settings.retryDelayMs ?? 300,
      maxAttempts: settings.maxAttempts ?? 41,
      timeoutMs: settings.timeoutMs ?? 5000,
      allowRemote: settings.allowRemote ?? false,
      retain: settings.retain ?? 1000,
    };
    delivery.wantsEveryEvent = () => webhooks.wantsDeliveries();
    delivery.onEvent((item, event) => this.enqueue(item, event));
  }

  deliveries(): WebhookDeliveryRecord[] {
    return this.kept.map((record) => structuredClone(record));
  }

  /** Resolves once nothing is batched or waiting for an attempt (or after `timeoutMs`). */
  async settled(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.batches.size > 0 || this.kept.some((record) => record.state === 'pending')) {
      if (Date.now() > until) throw new Error(`webhook deliveries still pending after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private enqueue(item: LogItem, event: LogEvent): void {
    if (this.closed) return;
    const matching = this.webhooks.matching(event.event_type, item.message.stream, item.message.domainId);
    for (const record of matching) {
      const payload = webhookEvent(item, event);
      const existing = this.batches.get(record.webhook.id);
      if (existing) {
        existing.events.push(payload);
        if (existing.events.length >= this.settings.maxBatchEvents) this.flush(record.webhook.id);
        continue;
      }
      const timer = setTimeout(() => this.flush(record.webhook.id), this.settings.batchWindowMs);
      this.batches.set(record.webhook.id, { record, events: [payload], timer });
    }
  }

  private flush(webhookId: number): void {
    const batch = this.batches.get(webhookId);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.batches.delete(webhookId);
    const { webhook, signingSecret } = batch.record;
    const body =
      webhook.payload_format === 'jsonlines'
        ? `${batch.events.map((event) => JSON.stringify(event)).join('\n')}\n`
        : JSON.stringify({ events: batch.events });
    const record: WebhookDeliveryRecord = {
      id: randomUUID(),
      webhookId,
      url: webhook.url,
      payloadFormat: webhook.payload_format,
      events: batch.events.map((event) => ({
        event: event.event as string,
        event_id: event.event_id as string,
        message_id: event.message_id as string,
        email: event.email as string,
      })),
      bytes: Buffer.byteLength(body),
      signature: createHmac('sha256', signingSecret).update(body).digest('hex'),
      state: 'pending',
      attempts: [],
    };
    this.kept.push(record);
    if (this.kept.length > this.settings.retain) this.kept.splice(0, this.kept.length - this.settings.retain);
    void this.attempt(record, body);
  }

  private async attempt(record: WebhookDeliveryRecord, body: string): Promise<void> {
    if (this.closed) return;
    const started = performance.now();
    const attempt: WebhookAttempt = {
      attempt: record.attempts.length + 1,
      time: new Date().toISOString(),
      durationMs: 0,
    };
    if (!this.settings.allowRemote && !isLoopbackUrl(record.url)) {
      attempt.error = 'not sent: the emulator calls only loopback URLs (set webhookDelivery.allowRemote)';
    } else {
      const controller = new AbortController();
      this.inFlight.add(controller);
      const timer = setTimeout(
        () => controller.abort(new Error(`no answer within ${this.settings.timeoutMs} ms`)),
        this.settings.timeoutMs,
      );
      try {
        const response = await fetch(record.url, {
          method: 'POST',
          headers: {
            'content-type': record.payloadFormat === 'jsonlines' ? 'application/jsonl' : 'application/json',
            'mailtrap-signature': record.signature,
            'user-agent': 'mailtrap-kit-emulator-webhooks',
          },
          body,
          signal: controller.signal,
          redirect: 'manual',
        });
        attempt.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause;
        attempt.error = cause?.message ?? (error as Error).message;
      } finally {
        clearTimeout(timer);
        this.inFlight.delete(controller);
      }
    }
    attempt.durationMs = Math.round(performance.now() - started);
    record.attempts.push(attempt);
    const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
    if (ok) record.state = 'delivered';
    else if (record.attempts.length >= this.settings.maxAttempts || this.closed) record.state = 'failed';
    this.onChange(record);
    if (record.state !== 'pending') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(record, body);
    }, this.settings.retryDelayMs);
    this.timers.add(timer);
  }

  /** Forgets the deliveries and drops what is batched or waiting for a retry. */
  reset(): void {
    for (const batch of this.batches.values()) clearTimeout(batch.timer);
    this.batches.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.kept = [];
  }

  close(): void {
    this.closed = true;
    this.reset();
    for (const controller of this.inFlight) controller.abort();
  }
}
