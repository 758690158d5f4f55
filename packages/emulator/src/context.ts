import type { IncomingHttpHeaders } from 'node:http';
import { TemplateStore } from './account';
import { Delivery } from './delivery';
import { WebhookDispatcher } from './webhook-delivery';
import { WebhookStore } from './webhooks';
import { SuppressionStore } from './suppressions';
import { EventHub } from './events';
import { FaultEngine } from './faults';
import { AccountLimiter } from './account-limits';
import { ContactsAccount } from './contacts/contacts-account';
import { SandboxAccount } from './sandbox/sandbox-account';
import { Store } from './store';
import { accountOf } from './account-seed';
import { arrivedVia } from './compare';
import { Persistence } from './persistence';
import type { EmulatorStorage } from './storage/storage';
import type { DomainStore } from './domains';
import { coversDomain, type TokenEntry, type TokenStore } from './tokens';
import type { EmulatorOptions, RequestRecord, SmtpStarttls, StoredMessage } from './types';
import { LIMITS, schemaValidators } from './validation';

export type { TokenEntry } from './tokens';

/** The settings of a running emulator, resolved from its options once. */
export interface EmulatorSettings {
  host: string;
  accountId: number;
  emailLogsPageSize: number;
  maxMessageBytes: number;
  maxBatchBytes: number;
  allowAnyDomain: boolean;
  /** Whether the server listens on loopback only (the inbox then refuses foreign host names). */
  loopbackBound: boolean;
}

/**
 * Everything a route module works with: the settings, the account's state and the helpers every
 * route shares. One context per running emulator; route modules keep no state of their own.
 */
export interface EmulatorContext {
  readonly options: EmulatorOptions;
  readonly settings: EmulatorSettings;
  /** 'http://127.0.0.1:PORT', known once the server listens. */
  baseUrl: string;
  readonly store: Store;
  readonly faults: FaultEngine;
  readonly templates: TemplateStore;
  readonly suppressions: SuppressionStore;
  /** The fate of each recipient and the events added later. */
  readonly delivery: Delivery;
  readonly webhooks: WebhookStore;
  readonly webhookDispatcher: WebhookDispatcher;
  readonly tokens: TokenStore;
  /** The first configured (or the generated) token. */
  readonly defaultToken: string;
  readonly domains: DomainStore;
  readonly validators: ReturnType<typeof schemaValidators>;
  readonly events: EventHub;
  /** Projects, sandboxes and the messages captured in each (the sandbox testing API). */
  readonly sandbox: SandboxAccount;
  /** Contacts, lists, fields, imports and exports. */
  readonly contacts: ContactsAccount;
  /** The windows of Mailtrap's per-account limits (see account-limits.ts). */
  readonly accountLimits: AccountLimiter;
  /**
   * Where the SMTP listeners are, once they listen (undefined: SMTP is off); the sandbox API
   * names the port in `smtp_ports`.
   */
  smtp: { host: string; port: number; bulkPort: number; starttls: SmtpStarttls } | undefined;
  /** A new record for a request of the API (sending or account), or of an SMTP transaction. */
  newRecord(
    request: { method?: string; headers: IncomingHttpHeaders },
    path: string,
    kind: RequestRecord['kind'],
  ): RequestRecord;
  /** The write-through to the storage of `dataDir` (or `storage`); undefined: memory only. */
  readonly persistence?: Persistence;
  /** Closes a request record: status, duration, counters, the inbox's live list. */
  finish(record: RequestRecord, started: number, status: number | undefined): void;
  /**
   * Whether the token may send from the sender's domain on transactional and bulk: undefined when
   * it may, else the answer (403 for an unknown or unverified domain, 401 for a domain the token
   * does not cover).
   */
  senderRefusal(token: TokenEntry, email: string): { status: 401 | 403; error: string } | undefined;
  /** The id of the sender's domain in Email Logs and stats (0 for a domain the account does not have). */
  domainIdOf(email: string): number;
  /** Messages, logs, requests, faults, counters and suppressions back to the start. */
  reset(): void;
}

/** A request record without the (possibly long) list of ids: what the inbox shows. */
export function requestSummary(record: RequestRecord) {
  const { acceptedMessageIds, ...rest } = record;
  return { ...rest, accepted: acceptedMessageIds.length };
}

/** A message as the inbox lists it. */
export function messageSummary(message: StoredMessage) {
  return {
    id: message.id,
    stream: message.stream,
    /** How it arrived: 'smtp' or 'api'. */
    via: arrivedVia(message),
    from: message.from,
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    subject: message.rendered?.subject ?? message.subject ?? '',
    category: message.category ?? null,
    template_uuid: message.template_uuid ?? null,
    attachments: message.attachments.length,
    receivedAt: message.receivedAt,
    recipients: message.messageIds.length,
  };
}

/**
 * Builds the context of one emulator from its options (validated here, before anything listens);
 * with a storage, the state it holds is restored and every change is written through to it.
 */
export function createContext(options: EmulatorOptions, storage?: EmulatorStorage): EmulatorContext {
  const host = options.host ?? '127.0.0.1';
  const settings: EmulatorSettings = {
    host,
    accountId: options.accountId ?? 1,
    emailLogsPageSize: options.emailLogsPageSize ?? 50,
    maxMessageBytes: options.maxMessageBytes ?? LIMITS.maxMessageBytes,
    maxBatchBytes: options.maxBatchBytes ?? LIMITS.maxBatchBytes,
    allowAnyDomain: options.allowAnyDomain ?? false,
    loopbackBound: ['127.0.0.1', 'localhost', '::1'].includes(host) || host.startsWith('127.'),
  };
  const { tokens, domains, first } = accountOf(options);
  const store = new Store({
    retainBodies: options.retainBodies ?? 10_000,
    retainBodyBytes: options.retainBodyBytes ?? 256 * 1024 * 1024,
    retainLogs: options.retainLogs ?? 100_000,
    retainRequests: options.retainRequests ?? 10_000,
  });
  const faults = new FaultEngine(options.rateLimit ?? false);
  faults.onRecord = () => {
    store.stats.faults++;
  };
  const templates = new TemplateStore();
  for (const template of options.templates ?? []) templates.create(template);
  const suppressions = new SuppressionStore(options.suppressions ?? []);
  const delivery = new Delivery(store, suppressions);
  const webhooks = new WebhookStore();
  const webhookDispatcher = new WebhookDispatcher(webhooks, delivery, options.webhookDelivery);
  const events = new EventHub();
  webhookDispatcher.onChange = (record) =>
    events.publish('webhook', () => ({ id: record.id, state: record.state }));
  delivery.onEvent((item) => events.publish('event', () => ({ message_id: item.messageId })));
  store.onMessage((message) => events.publish('message', () => messageSummary(message)));
  const sandbox = new SandboxAccount({
    sandboxIds: options.sandboxIds,
    retain: options.retainBodies ?? 10_000,
    retainBytes: options.retainBodyBytes ?? 256 * 1024 * 1024,
    emailDomain: 'inbox.mailtrap-kit.test',
  });
  store.onMessage((message) => {
    if (message.stream === 'sandbox') sandbox.capture(message);
  });
  const contacts = new ContactsAccount({
    isSuppressed: (email) => suppressions.list({ email }).length > 0,
  });
  const accountLimits = new AccountLimiter();
  let requestSequence = 0;
  const persistence = storage
    ? new Persistence(storage, {
        options,
        store,
        sandbox,
        domains,
        tokens,
        suppressions,
        defaultToken: first,
        sections: {
          domains: { target: domains, skip: [] },
          tokens: { target: tokens, skip: [] },
          templates: { target: templates, skip: [] },
          webhooks: { target: webhooks, skip: [] },
          suppressions: { target: suppressions, skip: ['seed'] },
          contacts: { target: contacts, skip: ['settings'] },
          sandbox: { target: sandbox, skip: ['settings', 'captured', 'keptBytes', 'journal'] },
        },
      })
    : undefined;
  if (persistence) delivery.onEvent((item) => persistence.logChanged(item));

  return {
    options,
    settings,
    baseUrl: '',
    smtp: undefined,
    store,
    faults,
    templates,
    suppressions,
    delivery,
    webhooks,
    webhookDispatcher,
    tokens,
    defaultToken: persistence?.defaultToken ?? first,
    domains,
    validators: schemaValidators(),
    events,
    sandbox,
    contacts,
    accountLimits,
    persistence,
    newRecord(request, path, kind) {
      return {
        id: ++requestSequence,
        time: new Date().toISOString(),
        method: request.method ?? 'GET',
        path,
        kind,
        userAgent: request.headers['user-agent'],
        acceptedMessageIds: [],
        errors: [],
        unknownKeys: [],
      };
    },
    finish(record, started, status) {
      record.status = status;
      record.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      const stats = store.stats;
      stats.requests++;
      if (status !== undefined && status >= 200 && status < 300) stats.accepted++;
      else stats.rejected++;
      store.addRequest(record);
      if (persistence && record.kind === 'account' && record.method !== 'GET') persistence.saveAccount();
      events.publish('request', () => requestSummary(record));
    },
    senderRefusal(token, email) {
      if (settings.allowAnyDomain) return undefined;
      const found = domains.ofAddress(email);
      const name = email.slice(email.lastIndexOf('@') + 1);
      if (!found?.domain.dns_verified)
        return { status: 403, error: `Forbidden: the sending domain '${name}' is not verified` };
      if (!coversDomain(token, found.domain.id))
        return { status: 401, error: `Unauthorized: the token does not cover the sending domain '${name}'` };
      return undefined;
    },
    domainIdOf(email) {
      return domains.ofAddress(email)?.domain.id ?? 0;
    },
    reset() {
      store.reset();
      faults.reset();
      sandbox.reset();
      suppressions.reset();
      accountLimits.reset();
      webhookDispatcher.reset();
      persistence?.cleared();
      events.publish('reset', () => ({}));
    },
  };
}
