/**
 * One emulator per data dir: a lock file holding the owner's process id. A lock left by a process
 * that no longer runs (killed with SIGKILL, a crash) is taken over; one held by a live process is
 * refused with `emulator.data_dir_locked`.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorStorageError } from './storage-error';

export const LOCK_FILE = 'emulator.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data dir's lock; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new EmulatorStorageError(`cannot write to the data dir ${dir} (${code})`, 'emulator.data_dir', {
          path: dir,
          cause: error,
        });
      }
      const owner = ownerOf(path);
      if (owner !== undefined && isRunning(owner)) {
        throw new EmulatorStorageError(
          `the data dir ${dir} is in use by another emulator (process ${owner}); stop it or use another --data dir`,
          'emulator.data_dir_locked',
          { path },
        );
      }
      // left by a process that is gone (or half written by one that died while taking it)
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return () => {
      if (ownerOf(path) === process.pid) rmSync(path, { force: true });
    };
  }
  throw new EmulatorStorageError(`cannot take the lock of the data dir ${dir}`, 'emulator.data_dir_locked', {
    path,
  });
}
