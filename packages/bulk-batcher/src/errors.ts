import {
  MailtrapConfigurationError,
  type MailtrapErrorOptions,
  MailtrapValidationError,
} from '@mailtrap-kit/core';

/**
 * Gives an error class its own `Symbol.for` marker and a name that survives bundling, the way core
 * marks its classes: `BulkInputError.isInstance(error)` then recognises an error from another copy
 * of the package (ESM and CommonJS side by side).
 */
export function markErrorClass(target: { prototype: object }, name: string): void {
  const marker = Symbol.for(`mailtrap-kit.error.${name}`);
  Object.defineProperty(target, 'marker', { value: marker, enumerable: false });
  Object.defineProperty(target.prototype, marker, { value: true, enumerable: false });
  Object.defineProperty(target.prototype, 'name', {
    value: name,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

/**
 * Thrown before anything is sent when the base message, the settings or the input cannot work
 * (a missing column, a bad `from`, an unknown flag). Code `validation`; `field` names what is wrong.
 */
export class BulkInputError extends MailtrapValidationError {
  static {
    markErrorClass(BulkInputError, 'BulkInputError');
  }
  constructor(message: string, field?: string, options: MailtrapErrorOptions = {}) {
    super(message, field === undefined ? options : { ...options, field });
  }
}

/**
 * Thrown when a journal cannot be used for this run: it belongs to another campaign or input file,
 * it is not a journal, or it cannot be read or written. Code `configuration`.
 */
export class BulkJournalError extends MailtrapConfigurationError {
  static {
    markErrorClass(BulkJournalError, 'BulkJournalError');
  }
  /** The journal's path. */
  readonly journal: string | undefined;
  constructor(message: string, options: MailtrapErrorOptions & { journal?: string } = {}) {
    super(message, options);
    this.journal = options.journal;
  }
}

/** The cause's message, for a wrapping error's text (the cause itself is kept as `cause`). */
export function causeMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
