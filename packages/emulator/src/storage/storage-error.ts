import { MailtrapError, markErrorClass } from '@mailtrap-kit/core';

/** Why a storage cannot be used; stable codes, each named in the emulator's README. */
export type EmulatorStorageErrorCode =
  /** The data dir cannot be created, read or written (permissions, a file in its place). */
  | 'emulator.data_dir'
  /** The data dir's database is not a database of this emulator (corrupt, another program's file, a newer schema). */
  | 'emulator.data_corrupt'
  /** Another emulator (a live process) uses the data dir. */
  | 'emulator.data_dir_locked'
  /** The storage was used after it was closed. */
  | 'emulator.storage_closed';

/** A storage (the data dir) that cannot be used; `path` names the file or folder at fault. */
export class EmulatorStorageError extends MailtrapError {
  static {
    markErrorClass(EmulatorStorageError, 'EmulatorStorageError');
  }
  readonly path?: string;

  constructor(
    message: string,
    code: EmulatorStorageErrorCode,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, { code, cause: options.cause });
    this.path = options.path;
  }
}
