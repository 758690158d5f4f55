import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type SuppressionRecord, suppressionRecords, TemplateStore } from './account';
import { EventHub } from './events';
import { FaultEngine } from './faults';
import { Store } from './store';
import type { EmulatorOptions, MailtrapStream, RequestRecord, StoredMessage } from './types';
import { LIMITS, schemaValidators } from './validation';

export const ALL_STREAMS: MailtrapStream[] = ['transactional', 'bulk', 'sandbox'];
const DEFAULT_DOMAINS = ['example.com', 'mailtrap-kit.test'];

/** A short, stable name for a token that never reveals it. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

export interface TokenEntry {
  streams: Set<MailtrapStream>;
  key: string;
}

/** The settings of a running emulator, resolved from its options once. */
export interface EmulatorSettings {
  host: string;
  accountId: number;
  emailLogsPageSize: number;
  maxMessageBytes: number;
  maxBatchBytes: number;
  /** Sandbox ids the sandbox stream accepts; undefined: any positive integer. */
  sandboxIds?: Set<number>;
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
  readonly suppressions: SuppressionRecord[];
  readonly tokens: Map<string, TokenEntry>;
  /** The first configured (or the generated) token. */
  readonly defaultToken: string;
  readonly verifiedDomains: Set<string>;
  readonly validators: ReturnType<typeof schemaValidators>;
  readonly events: EventHub;
  /** A new record for a request of the API (sending or account). */
  newRecord(request: IncomingMessage, path: string, kind: RequestRecord['kind']): RequestRecord;
  /** Closes a request record: status, duration, counters, the inbox's live list. */
  finish(record: RequestRecord, started: number, status: number | undefined): void;
  /** Whether the sender's domain may send on transactional and bulk. */
  domainAllowed(email: string): boolean;
  /** Messages, logs, requests, faults and counters back to the start. */
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

function tokenEntries(options: EmulatorOptions): { tokens: Map<string, TokenEntry>; first: string } {
  const tokenSettings =
    options.tokens && options.tokens.length > 0
      ? options.tokens
      : [{ token: `emulator-${randomBytes(16).toString('hex')}`, streams: ALL_STREAMS }];
  const tokens = new Map<string, TokenEntry>();
  for (const setting of tokenSettings) {
    if (typeof setting.token !== 'string' || setting.token === '') {
      throw new TypeError('startEmulator: every entry of `tokens` needs a non-empty `token`');
    }
    tokens.set(setting.token, {
      streams: new Set(setting.streams ?? ALL_STREAMS),
      key: tokenKey(setting.token),
    });
  }
  return { tokens, first: tokenSettings[0]!.token };
}

/** Builds the context of one emulator from its options (validated here, before anything listens). */
export function createContext(options: EmulatorOptions): EmulatorContext {
  const host = options.host ?? '127.0.0.1';
  const settings: EmulatorSettings = {
    host,
    accountId: options.accountId ?? 1,
    emailLogsPageSize: options.emailLogsPageSize ?? 50,
    maxMessageBytes: options.maxMessageBytes ?? LIMITS.maxMessageBytes,
    maxBatchBytes: options.maxBatchBytes ?? LIMITS.maxBatchBytes,
    sandboxIds: options.sandboxIds ? new Set(options.sandboxIds) : undefined,
    allowAnyDomain: options.allowAnyDomain ?? false,
    loopbackBound: ['127.0.0.1', 'localhost', '::1'].includes(host) || host.startsWith('127.'),
  };
  const { tokens, first } = tokenEntries(options);
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
  const events = new EventHub();
  store.onMessage((message) => events.publish('message', () => messageSummary(message)));
  const verifiedDomains = new Set(
    (options.verifiedDomains ?? DEFAULT_DOMAINS).map((domain) => domain.toLowerCase()),
  );
  let requestSequence = 0;

  return {
    options,
    settings,
    baseUrl: '',
    store,
    faults,
    templates,
    suppressions: suppressionRecords(options.suppressions ?? []),
    tokens,
    defaultToken: first,
    verifiedDomains,
    validators: schemaValidators(),
    events,
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
      events.publish('request', () => requestSummary(record));
    },
    domainAllowed(email) {
      if (settings.allowAnyDomain) return true;
      return verifiedDomains.has(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
    },
    reset() {
      store.reset();
      faults.reset();
      events.publish('reset', () => ({}));
    },
  };
}
