import type { EmailSendingSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkArray, checkBoolean, checkId, checkNotEmpty, checkObject, checkOneOf, checkUrl } from './input';
import type { RequestBody, SuccessBody } from './spec-types';

export const webhooksOperations = {
  list: defineOperation({ operationId: 'listWebhooks', method: 'GET', path: '/webhooks' }),
  get: defineOperation({ operationId: 'getWebhook', method: 'GET', path: '/webhooks/{webhook_id}' }),
  create: defineOperation({ operationId: 'createWebhook', method: 'POST', path: '/webhooks' }),
  update: defineOperation({ operationId: 'updateWebhook', method: 'PATCH', path: '/webhooks/{webhook_id}' }),
  delete: defineOperation({ operationId: 'deleteWebhook', method: 'DELETE', path: '/webhooks/{webhook_id}' }),
};

type Operations = EmailSendingSpec.operations;

export type Webhook = EmailSendingSpec.components['schemas']['Webhook'];
/** What `create` takes (unwrapped; the client sends it as `{ webhook: ... }`). */
export type WebhookInput = RequestBody<Operations['createWebhook']>['webhook'];
/** What `update` takes (unwrapped). */
export type WebhookUpdate = RequestBody<Operations['updateWebhook']>['webhook'];
/** `{ data: Webhook & { signing_secret } }`: the signing secret is shown only here. */
export type WebhookCreateResult = SuccessBody<Operations['createWebhook']>;
export type WebhooksList = SuccessBody<Operations['listWebhooks']>;
export type WebhookResult = SuccessBody<Operations['getWebhook']>;
export type WebhookDeleteResult = SuccessBody<Operations['deleteWebhook']>;

export interface WebhooksResource {
  list(options?: CallOptions): Promise<WebhooksList>;
  get(id: number, options?: CallOptions): Promise<WebhookResult>;
  /** Creates a webhook; keep `data.signing_secret` (for `verifyWebhookSignature`): it is shown only now. */
  create(webhook: WebhookInput, options?: CallOptions): Promise<WebhookCreateResult>;
  update(id: number, webhook: WebhookUpdate, options?: CallOptions): Promise<WebhookResult>;
  delete(id: number, options?: CallOptions): Promise<WebhookDeleteResult>;
}

/** The event types a webhook can subscribe to (`event_types`), as the Webhooks API names them. */
export const WEBHOOK_EVENT_TYPES = [
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
const webhookTypes = ['email_sending', 'campaigns', 'audit_log', 'inbound_receiving'] as const;
const createKeys = [
  'url',
  'webhook_type',
  'active',
  'payload_format',
  'sending_stream',
  'event_types',
  'domain_id',
  'inbound_inbox_id',
] as const;
const updateKeys = ['url', 'active', 'payload_format', 'event_types'] as const;

function checkCommon(webhook: Record<string, unknown>): void {
  if (webhook.url !== undefined) checkUrl(webhook.url, 'webhook.url');
  if (webhook.active !== undefined) checkBoolean(webhook.active, 'webhook.active');
  if (webhook.payload_format !== undefined) {
    checkOneOf(webhook.payload_format, 'webhook.payload_format', ['json', 'jsonlines']);
  }
  if (webhook.event_types !== undefined) {
    const types = checkArray(webhook.event_types, 'webhook.event_types', (value, field) =>
      checkOneOf(value, field, WEBHOOK_EVENT_TYPES),
    );
    if (types.length === 0) invalid('webhook.event_types', 'must list at least one event type');
  }
}

/** The spec's rules of a new webhook: which fields each type requires or forbids. */
function checkCreate(value: unknown): Record<string, unknown> {
  const webhook = checkObject(value, 'webhook', createKeys);
  if (webhook.url === undefined) invalid('webhook.url', 'is required');
  const type = checkOneOf(webhook.webhook_type, 'webhook.webhook_type', webhookTypes);
  checkCommon(webhook);
  if (type === 'email_sending') {
    if (webhook.sending_stream === undefined)
      invalid('webhook.sending_stream', 'is required for email_sending webhooks');
  }
  if (webhook.sending_stream !== undefined) {
    if (type !== 'email_sending') invalid('webhook.sending_stream', 'is only used by email_sending webhooks');
    checkOneOf(webhook.sending_stream, 'webhook.sending_stream', ['transactional', 'bulk']);
  }
  if ((type === 'email_sending' || type === 'campaigns') && webhook.event_types === undefined) {
    invalid('webhook.event_types', `is required for ${type} webhooks`);
  }
  if (webhook.domain_id !== undefined) {
    if (type !== 'email_sending' && type !== 'campaigns') {
      invalid('webhook.domain_id', 'applies only to email_sending and campaigns webhooks');
    }
    checkId(webhook.domain_id, 'webhook.domain_id');
  }
  if (type === 'inbound_receiving') {
    if (webhook.inbound_inbox_id === undefined) {
      invalid('webhook.inbound_inbox_id', 'is required for inbound_receiving webhooks');
    }
    checkId(webhook.inbound_inbox_id, 'webhook.inbound_inbox_id');
  } else if (webhook.inbound_inbox_id !== undefined) {
    invalid('webhook.inbound_inbox_id', 'must not be set for a webhook other than inbound_receiving');
  }
  return webhook;
}

export function createWebhooksResource(call: Call): WebhooksResource {
  const operations = webhooksOperations;
  const webhookId = (id: unknown) => ({ webhook_id: checkId(id, 'id') });
  return {
    list: (options) => call(operations.list, { signal: options?.signal }),
    get: async (id, options) => call(operations.get, { path: webhookId(id), signal: options?.signal }),
    create: async (webhook, options) =>
      call(operations.create, { body: { webhook: checkCreate(webhook) }, signal: options?.signal }),
    update: async (id, webhook, options) => {
      const path = webhookId(id);
      const input = checkObject(webhook, 'webhook', updateKeys);
      checkNotEmpty(input, 'webhook');
      checkCommon(input);
      return call(operations.update, { path, body: { webhook: input }, signal: options?.signal });
    },
    delete: async (id, options) => call(operations.delete, { path: webhookId(id), signal: options?.signal }),
  };
}
