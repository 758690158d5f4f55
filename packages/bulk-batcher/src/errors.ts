import {
  MailtrapConfigurationError,
  type MailtrapErrorOptions,
  MailtrapValidationError,
  markErrorClass,
} from '@mailtrap-kit/core';

/**
 * Thrown before anything is sent when the base message, the settings or the input cannot work
 * (a missing column, a bad `from`, an unknown flag). Code `bulk.input` (a `MailtrapValidationError`);
 * `field` names what is wrong.
 */
export class BulkInputError extends MailtrapValidationError {
  static {
    markErrorClass(BulkInputError, 'BulkInputError');
  }
  constructor(message: string, field?: string, options: MailtrapErrorOptions = {}) {
    super(message, { code: 'bulk.input', ...options, ...(field === undefined ? {} : { field }) });
  }
}

/**
 * Thrown when a journal cannot be used for this run: it belongs to another campaign or input file,
 * it is not a journal, or it cannot be read or written. Code `bulk.journal` (a
 * `MailtrapConfigurationError`).
 */
export class BulkJournalError extends MailtrapConfigurationError {
  static {
    markErrorClass(BulkJournalError, 'BulkJournalError');
  }
  /** The journal's path. */
  readonly journal: string | undefined;
  constructor(message: string, options: MailtrapErrorOptions & { journal?: string } = {}) {
    super(message, { code: 'bulk.journal', ...options });
    this.journal = options.journal;
  }
}

/** The cause's message, for a wrapping error's text (the cause itself is kept as `cause`). */
export function causeMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
