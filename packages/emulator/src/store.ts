import { countOf, type LogEvent, statusOf } from './message-events';
import { FORGOTTEN_IDS } from './storage/storage';
import type {
  EmailLogEntry,
  EmulatorStats,
  MailtrapStream,
  MessageFilter,
  RequestRecord,
  StoredMessage,
} from './types';

/** A first-in first-out list that drops its oldest items cheaply. */
export class Queue<T> {
  private items: T[] = [];
  private start = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.start];
  }

  shift(): T | undefined {
    if (this.start >= this.items.length) return undefined;
    const item = this.items[this.start];
    this.items[this.start] = undefined as T;
    this.start++;
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return item;
  }

  at(index: number): T | undefined {
    return this.items[this.start + index];
  }

  toArray(): T[] {
    return this.items.slice(this.start);
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }

  /** Removes the first item that `matches` (a linear scan: for rare removals by hand). */
  remove(matches: (item: T) => boolean): T | undefined {
    for (let index = this.start; index < this.items.length; index++) {
      const item = this.items[index]!;
      if (!matches(item)) continue;
      this.items.splice(index, 1);
      return item;
    }
    return undefined;
  }
}

/** What the log entries of one message share. */
export interface LogMessage {
  storedId: string;
  subject: string | null;
  from: string;
  sentAt: string;
  sentAtMs: number;
  category: string | null;
  customVariables: Record<string, string>;
  stream: 'transactional' | 'bulk';
  templateId: number | null;
  templateVariables: Record<string, unknown>;
  domainId: number;
}

/** One Email Logs entry, kept compact (a million of them pass through a bulk benchmark). */
export interface LogItem {
  seq: number;
  messageId: string;
  to: string;
  message: LogMessage;
  /** Its events once any was added; absent: the one delivery of a plain accepted message. */
  events?: LogEvent[];
  /** The recipient was on the suppression list: not delivered (status opted_out). */
  suppressed?: boolean;
}

const EMPTY_VARIABLES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** The Email Logs API's shape of a log item. */
export function logEntry(item: LogItem): EmailLogEntry {
  const message = item.message;
  return {
    message_id: item.messageId,
    status: statusOf(item),
    subject: message.subject,
    from: message.from,
    to: item.to,
    sent_at: message.sentAt,
    client_ip: '127.0.0.1',
    category: message.category,
    custom_variables: message.customVariables,
    sending_stream: message.stream,
    domain_id: message.domainId,
    template_id: message.templateId,
    template_variables: message.templateVariables,
    opens_count: countOf(item, 'open'),
    clicks_count: countOf(item, 'click'),
  };
}

export interface StoreSettings {
  retainBodies: number;
  retainBodyBytes: number;
  retainLogs: number;
  retainRequests: number;
}

type Listener = (message: StoredMessage) => void;

/** Why a message id is no longer kept. */
export type ForgottenReason = 'retention' | 'deleted';

/** Told of what the store drops, so a storage can drop it too (see persistence.ts). */
export interface StoreJournal {
  messageDropped(id: string, reason: ForgottenReason): void;
  logDropped(messageId: string): void;
}

/** What a store restores at start (from a storage), oldest first. */
export interface StoreContents {
  messages: { message: StoredMessage; bytes: number }[];
  logs: LogItem[];
  stats?: EmulatorStats;
  /** Ids no longer kept, with why, the last forgotten last. */
  forgotten?: { id: string; reason: ForgottenReason }[];
}

/** Log items of one index key in arrival order; `head` skips the ones already dropped. */
interface Bucket {
  items: LogItem[];
  head: number;
}

function isBucket(value: LogItem | Bucket): value is Bucket {
  return (value as Bucket).items !== undefined;
}

function indexAdd(index: Map<string, LogItem | Bucket>, key: string, item: LogItem): void {
  const existing = index.get(key);
  if (existing === undefined) index.set(key, item);
  else if (isBucket(existing)) existing.items.push(item);
  else index.set(key, { items: [existing, item], head: 0 });
}

/** Drops `item` from the index; items leave in arrival order, so it is almost always at the head. */
function indexRemove(index: Map<string, LogItem | Bucket>, key: string, item: LogItem): void {
  const existing = index.get(key);
  if (existing === undefined) return;
  if (!isBucket(existing)) {
    if (existing === item) index.delete(key);
    return;
  }
  if (existing.items[existing.head] === item) existing.head++;
  else {
    const position = existing.items.indexOf(item, existing.head);
    if (position < 0) return;
    existing.items.splice(position, 1);
  }
  if (existing.head >= existing.items.length) index.delete(key);
  else if (existing.head > 64 && existing.head * 2 > existing.items.length) {
    existing.items = existing.items.slice(existing.head);
    existing.head = 0;
  }
}

function indexGet(index: Map<string, LogItem | Bucket>, key: string): LogItem[] {
  const found = index.get(key);
  if (found === undefined) return [];
  return isBucket(found) ? found.items.slice(found.head) : [found];
}

function indexCount(index: Map<string, LogItem | Bucket>, key: string): number {
  const found = index.get(key);
  if (found === undefined) return 0;
  return isBucket(found) ? found.items.length - found.head : 1;
}

function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    accepted: 0,
    rejected: 0,
    messages: 0,
    recipients: 0,
    faults: 0,
    byStream: {
      transactional: { messages: 0, recipients: 0 },
      bulk: { messages: 0, recipients: 0 },
      sandbox: { messages: 0, recipients: 0 },
    },
  };
}

/** Everything the emulator received: bounded lists of messages, logs and requests, and counters. */
export class Store {
  readonly messages = new Queue<{ message: StoredMessage; bytes: number }>();
  private bodyBytes = 0;
  readonly logs = new Queue<LogItem>();
  readonly logsById = new Map<string, LogItem>();
  private readonly logsByCustomVariable = new Map<string, Map<string, LogItem | Bucket>>();
  readonly requests = new Queue<RequestRecord>();
  private requestIds = 0;
  private sequence = 0;
  private listeners = new Set<Listener>();
  private readonly forgotten = new Map<string, ForgottenReason>();
  stats: EmulatorStats = emptyStats();
  /** Set when the emulator has a storage: hears of every message and log entry dropped. */
  journal?: StoreJournal;

  constructor(private readonly settings: StoreSettings) {}

  /** Puts back what a storage kept, with the retention bounds of these settings. */
  restore(contents: StoreContents): void {
    if (contents.stats) this.stats = contents.stats;
    for (const { id, reason } of contents.forgotten ?? []) this.remember(id, reason);
    for (const item of contents.messages) this.keepMessage(item.message, item.bytes);
    for (const item of contents.logs) {
      this.keepLog(item);
      if (item.seq > this.sequence) this.sequence = item.seq;
    }
    while (this.logs.length > this.settings.retainLogs) this.dropOldestLog();
  }

  onMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  addRequest(record: RequestRecord): void {
    this.requests.push(record);
    this.requestIds += record.acceptedMessageIds.length;
    // bounded by count, and by the message ids they hold (one batch record may hold hundreds of thousands)
    while (
      this.requests.length > this.settings.retainRequests ||
      (this.requestIds > this.settings.retainLogs && this.requests.length > 1)
    ) {
      this.requestIds -= this.requests.shift()!.acceptedMessageIds.length;
    }
  }

  /** Keeps an accepted message, its log entries and the counters. `bytes` approximates its body size. */
  addMessage(
    message: StoredMessage,
    bytes: number,
    domainId: number,
    receivedAtMs = Date.parse(message.receivedAt),
  ): void {
    const stats = this.stats;
    stats.messages++;
    stats.recipients += message.messageIds.length;
    const byStream = stats.byStream[message.stream];
    byStream.messages++;
    byStream.recipients += message.messageIds.length;

    this.keepMessage(message, bytes);

    // Email Logs cover the sending streams only (its `sending_stream` is 'transactional' or 'bulk'):
    // sandbox messages stay in the sandbox, as with the real API.
    if (this.settings.retainLogs > 0 && message.stream !== 'sandbox') {
      this.addLogs(message, message.stream, domainId, receivedAtMs);
    }
    for (const listener of this.listeners) listener(message);
  }

  private keepMessage(message: StoredMessage, bytes: number): void {
    if (this.settings.retainBodies <= 0) return;
    this.messages.push({ message, bytes });
    this.bodyBytes += bytes;
    while (
      this.messages.length > this.settings.retainBodies ||
      (this.bodyBytes > this.settings.retainBodyBytes && this.messages.length > 1)
    ) {
      const dropped = this.messages.shift()!;
      this.bodyBytes -= dropped.bytes;
      this.forget(dropped.message.id, 'retention');
    }
  }

  private addLogs(
    message: StoredMessage,
    stream: 'transactional' | 'bulk',
    domainId: number,
    sentAtMs: number,
  ): void {
    const shared: LogMessage = {
      storedId: message.id,
      subject: message.rendered?.subject ?? message.subject ?? null,
      from: message.from.email,
      sentAt: message.receivedAt,
      sentAtMs,
      category: message.category ?? null,
      customVariables: message.custom_variables,
      stream,
      templateId: message.template_id ?? null,
      templateVariables: message.template_variables ?? EMPTY_VARIABLES,
      domainId,
    };
    const recipients = [message.to, message.cc, message.bcc];
    let index = 0;
    for (const list of recipients) {
      for (const address of list) {
        const item: LogItem = {
          seq: ++this.sequence,
          messageId: message.messageIds[index++]!,
          to: address.email,
          message: shared,
        };
        this.keepLog(item);
      }
    }
    while (this.logs.length > this.settings.retainLogs) this.dropOldestLog();
  }

  private keepLog(item: LogItem): void {
    this.logs.push(item);
    this.logsById.set(item.messageId, item);
    const variables = item.message.customVariables;
    for (const name in variables) {
      let byValue = this.logsByCustomVariable.get(name);
      if (!byValue) {
        byValue = new Map();
        this.logsByCustomVariable.set(name, byValue);
      }
      indexAdd(byValue, variables[name]!, item);
    }
  }

  private dropOldestLog(): void {
    const item = this.logs.shift();
    if (!item) return;
    this.logsById.delete(item.messageId);
    this.journal?.logDropped(item.messageId);
    const variables = item.message.customVariables;
    for (const name in variables) {
      const byValue = this.logsByCustomVariable.get(name);
      if (!byValue) continue;
      indexRemove(byValue, variables[name]!, item);
      if (byValue.size === 0) this.logsByCustomVariable.delete(name);
    }
  }

  /** Log items whose custom variable `name` equals `value`, oldest first. */
  logsWithCustomVariable(name: string, value: string): LogItem[] {
    const byValue = this.logsByCustomVariable.get(name);
    return byValue ? indexGet(byValue, value) : [];
  }

  /** How many log items have custom variable `name` equal to `value`. */
  countWithCustomVariable(name: string, value: string): number {
    const byValue = this.logsByCustomVariable.get(name);
    return byValue ? indexCount(byValue, value) : 0;
  }

  /** A kept message by its id (newest first: the inbox mostly opens recent ones). */
  message(id: string): StoredMessage | undefined {
    for (let index = this.messages.length - 1; index >= 0; index--) {
      const message = this.messages.at(index)!.message;
      if (message.id === id) return message;
    }
    return undefined;
  }

  /**
   * Removes one kept message (its Email Logs entries and the counters stay, as they describe what
   * was sent). Returns whether it was kept.
   */
  deleteMessage(id: string): boolean {
    const removed = this.messages.remove((item) => item.message.id === id);
    if (!removed) return false;
    this.bodyBytes -= removed.bytes;
    this.forget(id, 'deleted');
    return true;
  }

  /** Removes every kept message (Email Logs, requests and counters stay); returns how many. */
  clearMessages(): number {
    const all = this.messages.toArray();
    for (const item of all) {
      this.forget(item.message.id, 'deleted');
    }
    this.messages.clear();
    this.bodyBytes = 0;
    return all.length;
  }

  /**
   * Why a message id is not kept: dropped by the retention bounds or deleted, for the last
   * FORGOTTEN_IDS such ids; undefined for an id never kept (or forgotten long ago).
   */
  forgottenReason(id: string): ForgottenReason | undefined {
    return this.forgotten.get(id);
  }

  /** A kept message is gone: remembers why and tells the journal. */
  private forget(id: string, reason: ForgottenReason): void {
    this.remember(id, reason);
    this.journal?.messageDropped(id, reason);
  }

  private remember(id: string, reason: ForgottenReason): void {
    this.forgotten.delete(id);
    this.forgotten.set(id, reason);
    while (this.forgotten.size > FORGOTTEN_IDS) this.forgotten.delete(this.forgotten.keys().next().value!);
  }

  /** Whether one message passes a filter. */
  matches(message: StoredMessage, filter?: MessageFilter): boolean {
    if (!filter) return true;
    if (typeof filter === 'function') return filter(message);
    return this.filterList([message], filter).length === 1;
  }

  listMessages(filter?: MessageFilter): StoredMessage[] {
    const all = this.messages.toArray().map((item) => item.message);
    if (!filter) return all;
    if (typeof filter === 'function') return all.filter(filter);
    return this.filterList(all, filter);
  }

  private filterList(
    all: StoredMessage[],
    filter: Exclude<MessageFilter, (message: StoredMessage) => boolean>,
  ) {
    const recipient = filter.recipient?.toLowerCase();
    return all.filter((message) => {
      if (filter.stream && message.stream !== filter.stream) return false;
      if (filter.category !== undefined && message.category !== filter.category) return false;
      if (filter.template_uuid !== undefined && message.template_uuid !== filter.template_uuid) return false;
      if (filter.subject !== undefined && (message.rendered?.subject ?? message.subject) !== filter.subject) {
        return false;
      }
      if (recipient && !hasRecipient(message, recipient)) return false;
      if (filter.custom_variables) {
        for (const name in filter.custom_variables) {
          if (message.custom_variables[name] !== filter.custom_variables[name]) return false;
        }
      }
      return true;
    });
  }

  reset(): void {
    this.messages.clear();
    this.bodyBytes = 0;
    this.logs.clear();
    this.logsById.clear();
    this.logsByCustomVariable.clear();
    this.requests.clear();
    this.requestIds = 0;
    this.forgotten.clear();
    this.stats = emptyStats();
  }
}

/** Whether a message has `recipient` (lower case) in To, Cc or Bcc. */
export function hasRecipient(
  message: { to: { email: string }[]; cc: { email: string }[]; bcc: { email: string }[] },
  recipient: string,
): boolean {
  for (const list of [message.to, message.cc, message.bcc]) {
    for (const address of list) if (address.email.toLowerCase() === recipient) return true;
  }
  return false;
}

export function streamOf(value: string): MailtrapStream | undefined {
  return value === 'transactional' || value === 'bulk' || value === 'sandbox' ? value : undefined;
}
