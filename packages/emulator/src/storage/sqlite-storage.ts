/**
 * The EmulatorStorage of a data dir: one SQLite database (`emulator.db`) through node-sqlite3-wasm,
 * SQLite compiled to WebAssembly with direct file access, so the same package runs on Node 20, 22
 * and 24 with nothing to compile or download at install (see the README for the choice).
 *
 * WAL journal, exclusive locking (no shared memory file, one connection), `synchronous=NORMAL`: a
 * committed change set survives the process being killed; a power loss may lose the last ones.
 * Values are stored as v8-serialized blobs (Maps, Sets, Buffers survive as they are).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Database, Statement } from 'node-sqlite3-wasm';
import type { CapturedMessage } from '../sandbox/sandbox-account';
import type { LogMessage } from '../store';
import { lockDataDir } from './data-dir-lock';
import { EmulatorStorageError } from './storage-error';
import {
  type EmulatorStorage,
  FORGOTTEN_IDS,
  type ForgottenId,
  type KeptLog,
  type KeptMessage,
  type StorageChanges,
  type StoredState,
} from './storage';

export const DATABASE_FILE = 'emulator.db';
/**
 * The layout of the tables below; a database with another one is refused, not guessed at. Tables
 * added later (forgotten) are created in a database of the same version that lacks them.
 */
const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS log_messages (stored_id TEXT PRIMARY KEY, data BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS logs (message_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, data BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS captured (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS sections (name TEXT PRIMARY KEY, data BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS forgotten (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, reason TEXT NOT NULL);
`;

const encode = (value: unknown): Uint8Array => serialize(value);
const decode = <T>(data: unknown): T => deserialize(data as Uint8Array) as T;

function dataDirError(dir: string, error: unknown): EmulatorStorageError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new EmulatorStorageError(`cannot use ${dir} as the data dir (${code})`, 'emulator.data_dir', {
    path: dir,
    cause: error,
  });
}

/** Creates the data dir when missing (readable by its owner only: it holds the account's tokens). */
function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw dataDirError(dir, error);
  }
}

/**
 * Opens (creating when missing) the storage of a data dir. Refuses a dir another live emulator
 * uses (`emulator.data_dir_locked`), one it cannot write (`emulator.data_dir`) and a database file
 * that is not this emulator's (`emulator.data_corrupt`).
 */
export async function openSqliteStorage(dir: string): Promise<EmulatorStorage> {
  prepareDir(dir);
  const unlock = lockDataDir(dir);
  const file = join(dir, DATABASE_FILE);
  // node-sqlite3-wasm locks with a `<file>.lock` folder; one left by a killed process is stale
  // now that this process holds the data dir's lock
  rmSync(`${file}.lock`, { recursive: true, force: true });
  try {
    const { Database } = await loadDriver();
    return new SqliteStorage(new Database(file), file, unlock);
  } catch (error) {
    unlock();
    throw openError(file, error);
  }
}

/** The driver, loaded on the first data dir only (memory-only emulators never pay for it). */
async function loadDriver(): Promise<typeof import('node-sqlite3-wasm')> {
  const loaded = (await import('node-sqlite3-wasm')) as typeof import('node-sqlite3-wasm') & {
    default?: typeof import('node-sqlite3-wasm');
  };
  // a CommonJS package: named exports under Node's ESM loader come through `default`
  return loaded.Database ? loaded : loaded.default!;
}

/** A database that is not one of ours is `emulator.data_corrupt`; a file SQLite cannot open or write, `emulator.data_dir`. */
function openError(file: string, error: unknown): EmulatorStorageError {
  if (error instanceof EmulatorStorageError) return error;
  const message = (error as Error).message;
  if (/not a database|malformed|schema version|journal mode/i.test(message)) {
    return new EmulatorStorageError(
      `${file} is not a database this emulator can read (${message}); move it away to start afresh`,
      'emulator.data_corrupt',
      { path: file, cause: error },
    );
  }
  return new EmulatorStorageError(`cannot open ${file} (${message})`, 'emulator.data_dir', {
    path: file,
    cause: error,
  });
}

class SqliteStorage implements EmulatorStorage {
  private readonly statements: Record<string, Statement> = {};
  private open = true;

  constructor(
    private readonly db: Database,
    private readonly file: string,
    /** Releases the data dir's lock (on close). */
    private readonly unlock: () => void,
  ) {
    try {
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      const mode = db.get('PRAGMA journal_mode = WAL') as { journal_mode?: string } | null;
      if (mode?.journal_mode !== 'wal') throw new Error(`journal mode ${String(mode?.journal_mode)}`);
      db.exec('PRAGMA synchronous = NORMAL');
      const version = Number((db.get('PRAGMA user_version') as { user_version?: number }).user_version);
      if (version !== 0 && version !== SCHEMA_VERSION) {
        throw new Error(`schema version ${version}, this emulator reads ${SCHEMA_VERSION}`);
      }
      db.exec(SCHEMA);
      if (version === 0) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private statement(sql: string): Statement {
    let found = this.statements[sql];
    if (!found) {
      found = this.db.prepare(sql);
      this.statements[sql] = found;
    }
    return found;
  }

  private check(): void {
    if (!this.open) {
      throw new EmulatorStorageError(`the storage of ${this.file} is closed`, 'emulator.storage_closed', {
        path: this.file,
      });
    }
  }

  load(): StoredState {
    this.check();
    const messages = this.db
      .all('SELECT data FROM messages ORDER BY n')
      .map((row) => decode<KeptMessage>(row.data));
    const logs = this.db.all('SELECT data FROM logs ORDER BY seq').map((row) => decode<KeptLog>(row.data));
    const referenced = new Set(logs.map((log) => log.storedId));
    const logMessages = new Map<string, LogMessage>();
    const orphans: string[] = [];
    for (const row of this.db.all('SELECT stored_id, data FROM log_messages')) {
      const id = row.stored_id as string;
      if (referenced.has(id)) logMessages.set(id, decode<LogMessage>(row.data));
      else orphans.push(id);
    }
    if (orphans.length > 0)
      this.transaction(() => this.deleteEach('DELETE FROM log_messages WHERE stored_id = ?', orphans));
    const captured = this.db
      .all('SELECT data FROM captured ORDER BY id')
      .map((row) => decode<CapturedMessage>(row.data));
    const sections = new Map<string, unknown>();
    for (const row of this.db.all('SELECT name, data FROM sections')) {
      sections.set(row.name as string, decode(row.data));
    }
    const forgotten = this.db
      .all('SELECT id, reason FROM forgotten ORDER BY n')
      .map((row) => ({ id: row.id, reason: row.reason }) as ForgottenId);
    return { messages, logMessages, logs, captured, sections, forgotten };
  }

  write(changes: StorageChanges): void {
    this.check();
    this.transaction(() => {
      if (changes.clear)
        this.db.exec(
          'DELETE FROM messages; DELETE FROM log_messages; DELETE FROM logs; DELETE FROM captured; DELETE FROM forgotten;',
        );
      if (changes.messages?.length) {
        const insert = this.statement('INSERT OR REPLACE INTO messages (id, data) VALUES (?, ?)');
        for (const item of changes.messages) insert.run([item.message.id, encode(item)]);
      }
      if (changes.logMessages?.length) {
        const insert = this.statement('INSERT OR REPLACE INTO log_messages (stored_id, data) VALUES (?, ?)');
        for (const message of changes.logMessages) insert.run([message.storedId, encode(message)]);
      }
      if (changes.logs?.length) {
        const insert = this.statement('INSERT OR REPLACE INTO logs (message_id, seq, data) VALUES (?, ?, ?)');
        for (const log of changes.logs) insert.run([log.messageId, log.seq, encode(log)]);
      }
      if (changes.captured?.length) {
        const insert = this.statement('INSERT OR REPLACE INTO captured (id, data) VALUES (?, ?)');
        for (const item of changes.captured) insert.run([item.id, encode(item)]);
      }
      if (changes.sections) {
        const insert = this.statement('INSERT OR REPLACE INTO sections (name, data) VALUES (?, ?)');
        for (const [name, value] of Object.entries(changes.sections)) insert.run([name, encode(value)]);
      }
      this.deleteEach('DELETE FROM messages WHERE id = ?', changes.droppedMessages);
      this.deleteEach('DELETE FROM logs WHERE message_id = ?', changes.droppedLogs);
      this.deleteEach('DELETE FROM captured WHERE id = ?', changes.droppedCaptured);
      if (changes.forgotten?.length) {
        const insert = this.statement('INSERT OR REPLACE INTO forgotten (id, reason) VALUES (?, ?)');
        for (const { id, reason } of changes.forgotten) insert.run([id, reason]);
        this.statement('DELETE FROM forgotten WHERE n <= (SELECT MAX(n) FROM forgotten) - ?').run([
          FORGOTTEN_IDS,
        ]);
      }
    });
  }

  private deleteEach(sql: string, keys: readonly (string | number)[] | undefined): void {
    if (!keys?.length) return;
    const remove = this.statement(sql);
    for (const key of keys) remove.run([key]);
  }

  private transaction(work: () => void): void {
    this.db.exec('BEGIN');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw new EmulatorStorageError(
        `cannot write to ${this.file} (${(error as Error).message})`,
        'emulator.data_dir',
        { path: this.file, cause: error },
      );
    }
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const statement of Object.values(this.statements)) statement.finalize();
    this.db.close();
    this.unlock();
  }
}
