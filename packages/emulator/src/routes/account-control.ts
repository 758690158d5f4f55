/**
 * The emulator's own view of the account: domains with their sending tokens (values shown only
 * for tokens the emulator made), creating and verifying domains without DNS.
 */
import type { EmulatorContext } from '../context';
import { isDomainName } from '../domains';
import { sendJson } from '../http';
import { isPlainObject } from '../http';
import { EVENT_TYPES, type EventInput, eventsOf, isEventType, logEvent, statusOf } from '../message-events';
import type { TokenEntry } from '../tokens';
import type { ControlRoute } from './control';
import { keptMessage } from './kept-message';

/** A token as the inbox shows it: the value only when the emulator generated it. */
export function tokenView(emulator: EmulatorContext, entry: TokenEntry) {
  return {
    id: entry.id,
    name: entry.name,
    last_4_digits: entry.last4,
    streams: [...entry.streams],
    domain_ids: entry.domainIds ? [...entry.domainIds] : null,
    account_access: entry.accountAccess ?? null,
    resources: entry.resources,
    created_by: entry.createdBy,
    created_at: entry.createdAt,
    token: entry.generated ? emulator.tokens.valueOf(entry.id) : undefined,
  };
}

export function domainView(emulator: EmulatorContext, name: string) {
  const record = emulator.domains.byDomainName(name);
  if (!record) return undefined;
  return {
    ...record.domain,
    company_info: record.companyInfo ?? null,
    setup_instructions_sent_to: record.setupInstructionsSentTo,
    tokens: emulator.tokens.ofDomain(record.domain.id).map((entry) => tokenView(emulator, entry)),
  };
}

/** Checks a control call's event: the type and the string fields. */
export function eventInput(value: unknown): EventInput {
  if (!isPlainObject(value) || !isEventType(value.type))
    throw new TypeError(`event: 'type' must be one of ${EVENT_TYPES.join(', ')}`);
  for (const field of [
    'at',
    'ip',
    'user_agent',
    'url',
    'status_code',
    'response',
    'bounce_category',
    'reason',
    'feedback_type',
  ]) {
    if (value[field] !== undefined && typeof value[field] !== 'string')
      throw new TypeError(`event: '${field}' must be a string`);
  }
  return value as unknown as EventInput;
}

export const accountControlRoutes: ControlRoute[] = [
  {
    method: 'POST',
    path: /^\/_emulator\/email_logs\/([^/]+)\/events$/,
    async handle(emulator, { response, params, body }) {
      const input = eventInput(await body());
      const event = emulator.delivery.addEvent(decodeURIComponent(params[0]!), input);
      if (!event) return sendJson(response, 404, { error: `no Email Logs entry ${params[0]}` });
      sendJson(response, 201, { ...logEvent(event), event_id: event.event_id });
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/domains$/,
    handle: (emulator, { response }) =>
      sendJson(
        response,
        200,
        emulator.domains.list().map((domain) => domainView(emulator, domain.domain_name)),
      ),
  },
  {
    method: 'POST',
    path: /^\/_emulator\/domains$/,
    async handle(emulator, { response, body }) {
      const input = await body();
      const name = isPlainObject(input) ? input.name : undefined;
      if (!isDomainName(name))
        return sendJson(response, 400, { error: 'expected { name: a domain name, verified? }' });
      if (emulator.domains.byDomainName(name))
        return sendJson(response, 409, { error: `domain ${name} exists` });
      emulator.domains.create(name, isPlainObject(input) && input.verified === true);
      sendJson(response, 201, domainView(emulator, name));
    },
  },
  {
    method: 'POST',
    path: /^\/_emulator\/domains\/([^/]+)\/verify$/,
    handle(emulator, { response, params }) {
      const name = decodeURIComponent(params[0]!);
      if (!emulator.domains.verify(name)) return sendJson(response, 404, { error: `no domain ${name}` });
      sendJson(response, 200, domainView(emulator, name));
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/webhooks$/,
    handle(emulator, { response }) {
      const deliveries = emulator.webhookDispatcher.deliveries();
      sendJson(response, 200, {
        webhooks: emulator.webhooks
          .list()
          .map((record) => ({ ...record.webhook, signing_secret: record.signingSecret })),
        deliveries: deliveries.reverse(),
      });
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/messages\/([^/]+)\/events$/,
    handle(emulator, { response, params }) {
      const message = keptMessage(emulator, response, params[0]!);
      if (!message) return;
      sendJson(
        response,
        200,
        message.messageIds.map((id) => {
          const item = emulator.store.logsById.get(id);
          return item
            ? {
                message_id: id,
                email: item.to,
                status: statusOf(item),
                events: eventsOf(item).map((event) => ({ ...logEvent(event), user_agent: event.user_agent })),
              }
            : { message_id: id, email: null, status: null, events: [] };
        }),
      );
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/tokens$/,
    handle: (emulator, { response }) =>
      sendJson(
        response,
        200,
        emulator.tokens.list().map((entry) => tokenView(emulator, entry)),
      ),
  },
];
