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
}

export interface LogItem {
  seq: number;
  entry: EmailLogEntry;
  sentAtMs: number;
  /** The id of the stored message this entry belongs to. */
  storedId: string;
}

export interface StoreSettings {
  retainBodies: number;
  retainBodyBytes: number;
  retainLogs: number;
  retainRequests: number;
}

type Listener = (message: StoredMessage) => void;

function customVariableKey(name: string, value: string): string {
  return `${name}\u0000${value}`;
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
  private readonly messagesById = new Map<string, StoredMessage>();
  private bodyBytes = 0;
  readonly logs = new Queue<LogItem>();
  readonly logsById = new Map<string, LogItem>();
  private readonly logsByCustomVariable = new Map<string, LogItem | LogItem[]>();
  readonly requests = new Queue<RequestRecord>();
  private sequence = 0;
  private listeners = new Set<Listener>();
  stats: EmulatorStats = emptyStats();

  constructor(private readonly settings: StoreSettings) {}

  onMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addRequest(record: RequestRecord): void {
    this.requests.push(record);
    while (this.requests.length > this.settings.retainRequests) this.requests.shift();
  }

  /** Keeps an accepted message, its log entries and the counters. `bytes` approximates its body size. */
  addMessage(message: StoredMessage, bytes: number, domainId: number): void {
    const stats = this.stats;
    stats.messages++;
    stats.recipients += message.messageIds.length;
    const byStream = stats.byStream[message.stream];
    byStream.messages++;
    byStream.recipients += message.messageIds.length;

    if (this.settings.retainBodies > 0) {
      this.messages.push({ message, bytes });
      this.messagesById.set(message.id, message);
      this.bodyBytes += bytes;
      while (
        this.messages.length > this.settings.retainBodies ||
        (this.bodyBytes > this.settings.retainBodyBytes && this.messages.length > 1)
      ) {
        const dropped = this.messages.shift()!;
        this.bodyBytes -= dropped.bytes;
        this.messagesById.delete(dropped.message.id);
      }
    }

    if (this.settings.retainLogs > 0) this.addLogs(message, domainId);
    for (const listener of this.listeners) listener(message);
  }

  private addLogs(message: StoredMessage, domainId: number): void {
    const sentAtMs = Date.parse(message.receivedAt);
    const subject = message.rendered?.subject ?? message.subject ?? null;
    const from = message.from.email;
    const recipients = [message.to, message.cc, message.bcc];
    let index = 0;
    for (const list of recipients) {
      for (const address of list) {
        const entry: EmailLogEntry = {
          message_id: message.messageIds[index++]!,
          status: 'delivered',
          subject,
          from,
          to: address.email,
          sent_at: message.receivedAt,
          client_ip: '127.0.0.1',
          category: message.category ?? null,
          custom_variables: message.custom_variables,
          sending_stream: message.stream,
          domain_id: domainId,
          template_id: message.template_id ?? null,
          template_variables: message.template_variables ?? {},
          opens_count: 0,
          clicks_count: 0,
        };
        const item: LogItem = { seq: ++this.sequence, entry, sentAtMs, storedId: message.id };
        this.logs.push(item);
        this.logsById.set(entry.message_id, item);
        for (const name in message.custom_variables) {
          const key = customVariableKey(name, message.custom_variables[name]!);
          const existing = this.logsByCustomVariable.get(key);
          if (existing === undefined) this.logsByCustomVariable.set(key, item);
          else if (Array.isArray(existing)) existing.push(item);
          else this.logsByCustomVariable.set(key, [existing, item]);
        }
      }
    }
    while (this.logs.length > this.settings.retainLogs) this.dropOldestLog();
  }

  private dropOldestLog(): void {
    const item = this.logs.shift();
    if (!item) return;
    this.logsById.delete(item.entry.message_id);
    const variables = item.entry.custom_variables;
    for (const name in variables) {
      const key = customVariableKey(name, variables[name]!);
      const existing = this.logsByCustomVariable.get(key);
      if (existing === undefined) continue;
      if (existing === item) this.logsByCustomVariable.delete(key);
      else if (Array.isArray(existing)) {
        const position = existing.indexOf(item);
        if (position >= 0) existing.splice(position, 1);
        if (existing.length === 0) this.logsByCustomVariable.delete(key);
      }
    }
  }

  /** Log items whose custom variable `name` equals `value`, oldest first. */
  logsWithCustomVariable(name: string, value: string): LogItem[] {
    const found = this.logsByCustomVariable.get(customVariableKey(name, value));
    if (found === undefined) return [];
    return Array.isArray(found) ? found : [found];
  }

  message(id: string): StoredMessage | undefined {
    return this.messagesById.get(id);
  }

  listMessages(filter?: MessageFilter): StoredMessage[] {
    const all = this.messages.toArray().map((item) => item.message);
    if (!filter) return all;
    if (typeof filter === 'function') return all.filter(filter);
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
    this.messagesById.clear();
    this.bodyBytes = 0;
    this.logs.clear();
    this.logsById.clear();
    this.logsByCustomVariable.clear();
    this.requests.clear();
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
