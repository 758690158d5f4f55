import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from './data-dir-lock';
import { DATABASE_FILE, openSqliteStorage } from './sqlite-storage';
import { describeEmulatorStorage } from './storage-contract.test-support';
import { EmulatorStorageError } from './storage-error';

const root = mkdtempSync(join(tmpdir(), 'emulator-sqlite-'));
let dirs = 0;
const newDir = () => join(root, `data-${++dirs}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeEmulatorStorage('SQLite storage of a data dir', () => {
  const dir = newDir();
  return { open: () => openSqliteStorage(dir) };
});

async function refusal(dir: string): Promise<EmulatorStorageError> {
  try {
    (await openSqliteStorage(dir)).close();
  } catch (error) {
    expect(error).toBeInstanceOf(EmulatorStorageError);
    return error as EmulatorStorageError;
  }
  throw new Error(`opening ${dir} was expected to fail`);
}

describe('SQLite storage: the data dir', () => {
  it('creates a missing data dir, with the database and a lock file holding this process id', async () => {
    const dir = join(newDir(), 'nested', 'deeper');
    const storage = await openSqliteStorage(dir);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    storage.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second storage on a data dir in use (emulator.data_dir_locked), until the first closes', async () => {
    const dir = newDir();
    const first = await openSqliteStorage(dir);
    first.write({ sections: { kept: 1 } });
    const error = await refusal(dir);
    expect(error.code).toBe('emulator.data_dir_locked');
    expect(error.message).toContain(String(process.pid));
    // the refused open did not touch the first one's lock
    first.write({ sections: { kept: 2 } });
    first.close();
    const second = await openSqliteStorage(dir);
    expect(second.load().sections.get('kept')).toBe(2);
    second.close();
  });

  it('takes over the lock of a process that is gone (killed), with the stale lock folder of SQLite', async () => {
    const dir = newDir();
    (await openSqliteStorage(dir)).close();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(join(dir, LOCK_FILE), gone.stdout);
    mkdirSync(join(dir, `${DATABASE_FILE}.lock`));
    const storage = await openSqliteStorage(dir);
    storage.write({ sections: { after: true } });
    expect(storage.load().sections.get('after')).toBe(true);
    storage.close();
  });

  it('refuses a database file that is not one (emulator.data_corrupt), naming the file, and releases the lock', async () => {
    const dir = newDir();
    mkdirSync(dir);
    writeFileSync(join(dir, DATABASE_FILE), 'this is not a SQLite database, just some text '.repeat(200));
    const error = await refusal(dir);
    expect(error.code).toBe('emulator.data_corrupt');
    expect(error.message).toContain(join(dir, DATABASE_FILE));
    expect(error.cause).toBeInstanceOf(Error);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a database of a newer layout (emulator.data_corrupt) rather than guessing', async () => {
    const dir = newDir();
    (await openSqliteStorage(dir)).close();
    const { Database } = await import('node-sqlite3-wasm');
    const db = new Database(join(dir, DATABASE_FILE));
    // the database is in WAL mode without a shared-memory file: only an exclusive connection opens it
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA user_version = 99');
    db.close();
    const error = await refusal(dir);
    expect(error.code).toBe('emulator.data_corrupt');
    expect(error.message).toContain('schema version 99');
  });

  it('refuses a data dir that is a file, or inside one (emulator.data_dir)', async () => {
    const file = join(newDir());
    writeFileSync(file, 'a file');
    expect((await refusal(file)).code).toBe('emulator.data_dir');
    const inside = await refusal(join(file, 'data'));
    expect(inside.code).toBe('emulator.data_dir');
    expect(inside.message).toContain(join(file, 'data'));
  });
});
