import { deserialize, serialize } from 'node:v8';
import { EmulatorStorageError } from './storage-error';
import {
  type EmulatorStorage,
  FORGOTTEN_IDS,
  type KeptLog,
  type KeptMessage,
  type StorageChanges,
  type StoredState,
} from './storage';
import type { ForgottenReason } from '../store';
import type { CapturedMessage } from '../sandbox/sandbox-account';
import type { LogMessage } from '../store';

/** The data of a memory storage: hand the same one to a second storage to see a restart in-process. */
export interface MemoryStorageData {
  messages: Map<string, KeptMessage>;
  logMessages: Map<string, LogMessage>;
  logs: Map<string, KeptLog>;
  captured: Map<number, CapturedMessage>;
  sections: Map<string, unknown>;
  /** By id, the last forgotten last. */
  forgotten: Map<string, ForgottenReason>;
}

/** A deep copy the way a file round trip makes one (Buffers stay Buffers, Maps and Sets stay). */
function copy<T>(value: T): T {
  return deserialize(serialize(value)) as T;
}

export function emptyMemoryStorageData(): MemoryStorageData {
  return {
    messages: new Map(),
    logMessages: new Map(),
    logs: new Map(),
    captured: new Map(),
    sections: new Map(),
    forgotten: new Map(),
  };
}

/**
 * An EmulatorStorage in this process's memory (values are structured clones, as a file would
 * hold them). For tests of restarts without a data dir: two emulators given storages over the same
 * `data` one after the other behave like one emulator restarted.
 */
export function createMemoryStorage(data: MemoryStorageData = emptyMemoryStorageData()): EmulatorStorage {
  let open = true;
  const check = () => {
    if (!open) throw new EmulatorStorageError('the memory storage is closed', 'emulator.storage_closed');
  };
  return {
    load(): StoredState {
      check();
      const logs = [...data.logs.values()].sort((a, b) => a.seq - b.seq).map((log) => copy(log));
      const referenced = new Set(logs.map((log) => log.storedId));
      const logMessages = new Map<string, LogMessage>();
      for (const [id, message] of data.logMessages) {
        if (referenced.has(id)) logMessages.set(id, copy(message));
      }
      return {
        messages: [...data.messages.values()].map((item) => copy(item)),
        logMessages,
        logs,
        captured: [...data.captured.values()].sort((a, b) => a.id - b.id).map((item) => copy(item)),
        sections: new Map([...data.sections].map(([name, value]) => [name, copy(value)])),
        forgotten: [...data.forgotten].map(([id, reason]) => ({ id, reason })),
      };
    },
    write(changes: StorageChanges): void {
      check();
      if (changes.clear) {
        data.messages.clear();
        data.logMessages.clear();
        data.logs.clear();
        data.captured.clear();
        data.forgotten.clear();
      }
      for (const item of changes.messages ?? []) {
        data.messages.delete(item.message.id);
        data.messages.set(item.message.id, copy(item));
      }
      for (const message of changes.logMessages ?? []) data.logMessages.set(message.storedId, copy(message));
      for (const log of changes.logs ?? []) data.logs.set(log.messageId, copy(log));
      for (const item of changes.captured ?? []) data.captured.set(item.id, copy(item));
      for (const [name, value] of Object.entries(changes.sections ?? {}))
        data.sections.set(name, copy(value));
      for (const id of changes.droppedMessages ?? []) data.messages.delete(id);
      for (const id of changes.droppedLogs ?? []) data.logs.delete(id);
      for (const id of changes.droppedCaptured ?? []) data.captured.delete(id);
      for (const { id, reason } of changes.forgotten ?? []) {
        data.forgotten.delete(id);
        data.forgotten.set(id, reason);
      }
      while (data.forgotten.size > FORGOTTEN_IDS) data.forgotten.delete(data.forgotten.keys().next().value!);
    },
    close(): void {
      open = false;
    },
  };
}
