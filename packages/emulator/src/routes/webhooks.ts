import type { AccountAnswer } from '../account';
import { levelFor, NOT_FOUND, needsAccount, unprocessable } from '../answers';
import type { EmulatorContext } from '../context';
import { isPlainObject } from '../http';
import { isLoopbackUrl } from '../webhook-delivery';
import { SUBSCRIPTIONS, type Subscription, WEBHOOK_TYPES, type Webhook } from '../webhooks';
import type { AccountCall, AccountRoute } from './account';

function isUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The errors of a create (all required fields) or update (the given ones) in the 422 shape. */
function check(
  emulator: EmulatorContext,
  input: Record<string, unknown>,
  existing?: Webhook,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const type = (input.webhook_type ?? existing?.webhook_type) as string | undefined;
  if (input.url !== undefined || !existing) {
    if (input.url === undefined || input.url === '') errors.url = ["can't be blank"];
    else if (!isUrl(input.url)) errors.url = ['is not a valid URL'];
    else if (!emulator.webhookDispatcher.settings.allowRemote && !isLoopbackUrl(input.url))
      errors.url = ['must be a loopback URL in the emulator (webhookDelivery.allowRemote allows others)'];
  }
  if (!existing) {
    if (type === undefined) errors.webhook_type = ["can't be blank"];
    else if (!(WEBHOOK_TYPES as readonly string[]).includes(type))
      errors.webhook_type = [`is invalid. Allowed values: ${WEBHOOK_TYPES.join(', ')}.`];
  }
  if (input.active !== undefined && typeof input.active !== 'boolean')
    errors.active = ['must be true or false'];
  if (
    input.payload_format !== undefined &&
    input.payload_format !== 'json' &&
    input.payload_format !== 'jsonlines'
  )
    errors.payload_format = ['is invalid. Allowed values: json, jsonlines.'];
  const sending = type === 'email_sending';
  if (!existing && sending && input.sending_stream !== 'transactional' && input.sending_stream !== 'bulk')
    errors.sending_stream = ['is invalid. Allowed values: transactional, bulk.'];
  const events = input.event_types;
  if (events !== undefined || (!existing && (sending || type === 'campaigns'))) {
    if (!Array.isArray(events) || events.length === 0) errors.event_types = ["can't be blank"];
    else if (!events.every((event) => (SUBSCRIPTIONS as readonly string[]).includes(event)))
      errors.event_types = [`is invalid. Allowed values: ${SUBSCRIPTIONS.join(', ')}.`];
  }
  if (!existing && input.domain_id !== undefined && !emulator.domains.get(Number(input.domain_id)))
    errors.domain_id = ['must exist'];
  if (!existing && type === 'inbound_receiving' && input.inbound_inbox_id === undefined)
    errors.inbound_inbox_id = ["can't be blank"];
  if (!existing && type !== 'inbound_receiving' && input.inbound_inbox_id !== undefined)
    errors.inbound_inbox_id = ['must be blank'];
  return errors;
}

async function create(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  const body = await call.body();
  const input = isPlainObject(body) && isPlainObject(body.webhook) ? body.webhook : undefined;
  if (!input) return unprocessable({ webhook: ["can't be blank"] });
  const errors = check(emulator, input);
  if (Object.keys(errors).length > 0) return unprocessable(errors);
  const sending = input.webhook_type === 'email_sending';
  const record = emulator.webhooks.create({
    url: input.url as string,
    active: (input.active as boolean | undefined) ?? true,
    webhook_type: input.webhook_type as Webhook['webhook_type'],
    payload_format: (input.payload_format as Webhook['payload_format'] | undefined) ?? 'json',
    sending_stream: sending ? (input.sending_stream as Webhook['sending_stream']) : null,
    domain_id: input.domain_id === undefined ? null : Number(input.domain_id),
    inbound_inbox_id: input.inbound_inbox_id === undefined ? null : Number(input.inbound_inbox_id),
    event_types: (input.event_types as Subscription[] | undefined) ?? [],
  });
  return { status: 200, body: { data: { ...record.webhook, signing_secret: record.signingSecret } } };
}

async function one(emulator: EmulatorContext, call: AccountCall): Promise<AccountAnswer> {
  const record = emulator.webhooks.get(Number(call.params[0]));
  if (!record) return NOT_FOUND;
  if (call.method === 'GET') return { status: 200, body: { data: record.webhook } };
  if (call.method === 'DELETE') {
    emulator.webhooks.delete(record.webhook.id);
    return { status: 200, body: { data: record.webhook } };
  }
  if (call.method !== 'PATCH' && call.method !== 'PUT') return NOT_FOUND;
  const body = await call.body();
  const input = isPlainObject(body) && isPlainObject(body.webhook) ? body.webhook : undefined;
  if (!input) return unprocessable({ webhook: ["can't be blank"] });
  const errors = check(emulator, input, record.webhook);
  if (Object.keys(errors).length > 0) return unprocessable(errors);
  const webhook = record.webhook;
  if (typeof input.url === 'string') webhook.url = input.url;
  if (typeof input.active === 'boolean') webhook.active = input.active;
  if (input.payload_format === 'json' || input.payload_format === 'jsonlines')
    webhook.payload_format = input.payload_format;
  if (Array.isArray(input.event_types)) webhook.event_types = input.event_types as Subscription[];
  if (input.inbound_inbox_id !== undefined && webhook.webhook_type === 'inbound_receiving')
    webhook.inbound_inbox_id = Number(input.inbound_inbox_id);
  return { status: 200, body: { data: webhook } };
}

/** /api/webhooks: list, create (the signing secret shown then only), get, update, delete. */
export const webhookRoutes: AccountRoute[] = [
  {
    path: /^\/api\/webhooks\/?$/,
    handle(emulator, call) {
      const refused = needsAccount(call.token, levelFor(call.method));
      if (refused) return refused;
      if (call.method === 'GET')
        return { status: 200, body: { data: emulator.webhooks.list().map((record) => record.webhook) } };
      return call.method === 'POST' ? create(emulator, call) : NOT_FOUND;
    },
  },
  {
    path: /^\/api\/webhooks\/(\d+)\/?$/,
    handle(emulator, call) {
      const refused = needsAccount(call.token, levelFor(call.method));
      return refused ?? one(emulator, call);
    },
  },
];
