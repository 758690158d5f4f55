/**
 * Write-through of an emulator's state to its EmulatorStorage (storage/storage.ts). The emulator
 * keeps working from memory as without a storage; this class restores that memory at start and
 * writes each change as one change set: an accepted message with its log entries (on the sending
 * path, before the answer), what the retention bounds dropped, and the account's sections after
 * each call that changes them. Without a storage none of this exists (the hooks are undefined).
 */
import { serialize } from 'node:v8';
import { addMissingSeeds } from './account-seed';
import type { CapturedMessage, CapturedJournal, SandboxAccount } from './sandbox/sandbox-account';
import type { EmulatorStorage, ForgottenId, KeptLog, KeptMessage, StorageChanges } from './storage/storage';
import type { ForgottenReason, LogItem, LogMessage, Store, StoreJournal } from './store';
import type { EmulatorOptions, EmulatorStats, StoredMessage } from './types';

/** A module whose own fields are its state (functions and the listed fields left out). */
interface Section {
  target: object;
  /** Fields that are wiring, settings or kept elsewhere, not state. */
  skip: string[];
}

/** What the persistence works on: the context's modules (see context.ts). */
export interface PersistedParts {
  options: EmulatorOptions;
  store: Store;
  sandbox: SandboxAccount;
  sections: Record<string, Section>;
  domains: Parameters<typeof addMissingSeeds>[1];
  tokens: Parameters<typeof addMissingSeeds>[2] & { valueOf(id: number): string | undefined };
  suppressions: { readonly size: number };
  /** The token answered as the emulator's token before anything was restored. */
  defaultToken: string;
}

const ACCOUNT_SECTION = 'account';
const STATS_SECTION = 'stats';

function fieldsOf(section: Section): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(section.target)) {
    if (typeof value === 'function' || section.skip.includes(name)) continue;
    state[name] = value;
  }
  return state;
}

function keptLog(item: LogItem): KeptLog {
  const log: KeptLog = {
    seq: item.seq,
    messageId: item.messageId,
    storedId: item.message.storedId,
    to: item.to,
  };
  if (item.events) log.events = item.events;
  if (item.suppressed) log.suppressed = true;
  return log;
}

export class Persistence implements StoreJournal, CapturedJournal {
  private droppedMessages: string[] = [];
  private forgotten: ForgottenId[] = [];
  private droppedLogs: string[] = [];
  private readonly changedLogs = new Map<string, LogItem>();
  private readonly keptCaptured = new Map<number, CapturedMessage>();
  private droppedCaptured: number[] = [];
  private acceptedMessages: KeptMessage[] = [];
  private acceptedLogMessages: LogMessage[] = [];
  /** Inside inOneWrite: accepted messages wait for its end. */
  private depth = 0;
  /** The serialized form of each section as last written: unchanged ones are not written again. */
  private readonly written = new Map<string, Buffer>();
  private suppressionCount: number;
  /** The emulator's token after the restore (the same across restarts when none is configured). */
  readonly defaultToken: string;

  constructor(
    private readonly storage: EmulatorStorage,
    private readonly parts: PersistedParts,
  ) {
    const { store, sandbox, options } = parts;
    const state = storage.load();
    const firstStart = state.sections.size === 0;
    if (!firstStart) {
      for (const [name, section] of Object.entries(parts.sections)) {
        const saved = state.sections.get(name);
        if (saved !== undefined) Object.assign(section.target, saved);
      }
      addMissingSeeds(options, parts.domains, parts.tokens);
    }
    const account = state.sections.get(ACCOUNT_SECTION) as { defaultTokenId?: number } | undefined;
    const configured = options.tokens?.[0]?.token;
    const restored =
      account?.defaultTokenId === undefined ? undefined : parts.tokens.valueOf(account.defaultTokenId);
    this.defaultToken = configured ?? restored ?? parts.defaultToken;

    store.journal = this;
    sandbox.journal = this;
    shareStrings(state.messages);
    store.restore({
      messages: state.messages,
      logs: state.logs.map((log) => logItem(log, state.logMessages)).filter((item) => item !== undefined),
      stats: state.sections.get(STATS_SECTION) as EmulatorStats | undefined,
      forgotten: state.forgotten,
    });
    sandbox.restoreCaptured(state.captured);
    this.suppressionCount = parts.suppressions.size;
    // what the retention bounds of this start dropped, and the account as it now is
    this.flush({ sections: this.changedSections() });
  }

  // ---- the journals (store.ts, sandbox-account.ts)

  messageDropped(id: string, reason: ForgottenReason): void {
    this.droppedMessages.push(id);
    this.forgotten.push({ id, reason });
  }

  logDropped(messageId: string): void {
    this.changedLogs.delete(messageId);
    this.droppedLogs.push(messageId);
  }

  kept(captured: CapturedMessage): void {
    this.keptCaptured.set(captured.id, captured);
  }

  removed(id: number): void {
    this.keptCaptured.delete(id);
    this.droppedCaptured.push(id);
  }

  /** A log entry got an event (or its suppressed mark). */
  logChanged(item: LogItem): void {
    this.changedLogs.set(item.messageId, item);
  }

  // ---- writes

  /** On the sending path, once the message is stored and its delivery decided. */
  messageAccepted(message: StoredMessage): void {
    const { store } = this.parts;
    const last = store.messages.at(store.messages.length - 1);
    if (last?.message === message) this.acceptedMessages.push(last);
    let shared: LogMessage | undefined;
    for (const id of message.messageIds) {
      const item = store.logsById.get(id);
      if (!item) continue;
      shared = item.message;
      this.changedLogs.set(id, item);
    }
    if (shared) this.acceptedLogMessages.push(shared);
    if (this.depth === 0) this.flushAccepted();
  }

  /** Runs `work` (a batch request) and writes the messages it accepted in one transaction. */
  inOneWrite<T>(work: () => T): T {
    this.depth++;
    try {
      return work();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flushAccepted();
    }
  }

  private flushAccepted(): void {
    const sections: Record<string, unknown> = { [STATS_SECTION]: this.parts.store.stats };
    if (this.parts.suppressions.size !== this.suppressionCount) {
      this.suppressionCount = this.parts.suppressions.size;
      sections.suppressions = fieldsOf(this.parts.sections.suppressions!);
    }
    this.flush({ sections });
  }

  /** After a call that may have changed the account (every account or control call but a GET). */
  saveAccount(): void {
    this.suppressionCount = this.parts.suppressions.size;
    this.flush({ sections: this.changedSections() });
  }

  /** After the emulator's reset: messages, logs and sandbox messages are gone. */
  cleared(): void {
    this.acceptedMessages = [];
    this.acceptedLogMessages = [];
    this.droppedMessages = [];
    this.forgotten = [];
    this.droppedLogs = [];
    this.changedLogs.clear();
    this.keptCaptured.clear();
    this.droppedCaptured = [];
    this.suppressionCount = this.parts.suppressions.size;
    this.flush({ clear: true, sections: this.changedSections() });
  }

  close(): void {
    this.storage.close();
  }

  private changedSections(): Record<string, unknown> {
    const changed: Record<string, unknown> = {};
    const all: Record<string, unknown> = {
      [ACCOUNT_SECTION]: { defaultTokenId: this.parts.tokens.find(this.defaultToken)?.id },
      [STATS_SECTION]: this.parts.store.stats,
    };
    for (const [name, section] of Object.entries(this.parts.sections)) all[name] = fieldsOf(section);
    for (const [name, value] of Object.entries(all)) {
      const bytes = serialize(value);
      if (name !== STATS_SECTION && this.written.get(name)?.equals(bytes)) continue;
      this.written.set(name, bytes);
      changed[name] = value;
    }
    return changed;
  }

  private flush(changes: StorageChanges): void {
    if (this.acceptedMessages.length > 0) {
      changes.messages = this.acceptedMessages;
      this.acceptedMessages = [];
    }
    if (this.acceptedLogMessages.length > 0) {
      changes.logMessages = this.acceptedLogMessages;
      this.acceptedLogMessages = [];
    }
    if (this.changedLogs.size > 0) {
      changes.logs = [...this.changedLogs.values()].map(keptLog);
      this.changedLogs.clear();
    }
    if (this.keptCaptured.size > 0) {
      changes.captured = [...this.keptCaptured.values()];
      this.keptCaptured.clear();
    }
    if (this.droppedMessages.length > 0) changes.droppedMessages = this.droppedMessages;
    if (this.forgotten.length > 0) changes.forgotten = this.forgotten;
    if (this.droppedLogs.length > 0) changes.droppedLogs = this.droppedLogs;
    if (this.droppedCaptured.length > 0) changes.droppedCaptured = this.droppedCaptured;
    this.droppedMessages = [];
    this.forgotten = [];
    this.droppedLogs = [];
    this.droppedCaptured = [];
    this.storage.write(changes);
  }
}

function logItem(log: KeptLog, messages: Map<string, LogMessage>): LogItem | undefined {
  const message = messages.get(log.storedId);
  if (!message) return undefined;
  const item: LogItem = { seq: log.seq, messageId: log.messageId, to: log.to, message };
  if (log.events) item.events = log.events;
  if (log.suppressed) item.suppressed = true;
  return item;
}

const SHARED_FIELDS = ['subject', 'text', 'html'] as const;

/**
 * Read back, every string is its own copy; when received, a message shared its bodies with its
 * `raw` request body, and a batch's messages shared those of its `base`. Equal bodies (64
 * characters or more) are made one string again, so restored messages take the heap they took.
 */
function shareStrings(messages: KeptMessage[]): void {
  const seen = new Map<string, string>();
  const intern = (value: unknown) => {
    if (typeof value !== 'string' || value.length < 64) return value;
    const found = seen.get(value);
    if (found !== undefined) return found;
    seen.set(value, value);
    return value;
  };
  const shareIn = (target: unknown) => {
    if (typeof target !== 'object' || target === null || Buffer.isBuffer(target)) return;
    const fields = target as Record<string, unknown>;
    for (const field of SHARED_FIELDS)
      if (typeof fields[field] === 'string') fields[field] = intern(fields[field]);
  };
  for (const { message } of messages) {
    shareIn(message);
    shareIn(message.rendered);
    const raw = message.raw as Record<string, unknown> | undefined;
    shareIn(raw);
    shareIn(raw?.base);
    shareIn(raw?.request);
  }
}
