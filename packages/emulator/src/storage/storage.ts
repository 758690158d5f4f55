/**
 * The storage port of the emulator: where the state that outlives a restart goes. The running
 * emulator keeps its working state in memory (store.ts and the account modules) and writes every
 * change through to an EmulatorStorage as one atomic change set; at start it loads what the
 * storage holds. Two implementations meet the same contract (storage-contract.test-support.ts):
 * the memory storage and the SQLite storage of a data dir.
 */
import type { CapturedMessage } from '../sandbox/sandbox-account';
import type { ForgottenReason, LogMessage } from '../store';
import type { LogEvent } from '../message-events';
import type { StoredMessage } from '../types';

/** A kept message with the size it counts for in the retention bounds. */
export interface KeptMessage {
  message: StoredMessage;
  bytes: number;
}

/** One Email Logs entry; `storedId` names the LogMessage its recipients share. */
export interface KeptLog {
  seq: number;
  messageId: string;
  storedId: string;
  to: string;
  events?: LogEvent[];
  suppressed?: boolean;
}

/** Why a message id is no longer kept (see Store.forgottenReason). */
export interface ForgottenId {
  id: string;
  reason: ForgottenReason;
}

/** How many forgotten ids a storage keeps (the newest ones), as the store remembers in memory. */
export const FORGOTTEN_IDS = 10_000;

/** Everything a storage holds, oldest first in each list. */
export interface StoredState {
  messages: KeptMessage[];
  /** By `storedId`. */
  logMessages: Map<string, LogMessage>;
  /** In `seq` order. */
  logs: KeptLog[];
  /** Messages captured in the sandboxes, in id order. */
  captured: CapturedMessage[];
  /** Named sections of the account (domains, tokens, webhooks, ...), each a structured-clonable value. */
  sections: Map<string, unknown>;
  /** The last FORGOTTEN_IDS ids dropped or deleted, with why, the last forgotten last (none when left out). */
  forgotten?: ForgottenId[];
}

/**
 * One atomic change set. Applied in this order: `clear`, then every put (a put replaces the item
 * with the same key: message id, log message id, sandbox message id, section name), then every drop.
 */
export interface StorageChanges {
  /** Drop every message, log, captured message and forgotten id first (sections stay). */
  clear?: boolean;
  messages?: KeptMessage[];
  logMessages?: LogMessage[];
  logs?: KeptLog[];
  captured?: CapturedMessage[];
  sections?: Record<string, unknown>;
  droppedMessages?: string[];
  /** By message id. */
  droppedLogs?: string[];
  droppedCaptured?: number[];
  /** Ids no longer kept, with why: each put moves its id to the newest; the oldest beyond FORGOTTEN_IDS go. */
  forgotten?: ForgottenId[];
}

/**
 * Where the emulator's state is kept across restarts. Every method is synchronous: a write has
 * happened (or thrown) when it returns, so a process killed after answering keeps what it answered.
 * Values are copied in and out: changing an object after `write` does not change what is stored.
 */
export interface EmulatorStorage {
  /** What the storage holds; log messages no log refers to are left out. */
  load(): StoredState;
  write(changes: StorageChanges): void;
  /** Releases the storage (its file and its lock); a closed storage throws on use. */
  close(): void;
}
