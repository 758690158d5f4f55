/**
 * Thrown before anything is sent when the base message, the settings or the input cannot work
 * (a missing column, a bad `from`, a journal that belongs to another run). `field` names what is wrong.
 */
export class BulkInputError extends Error {
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'BulkInputError';
    this.field = field;
  }
}

/** Thrown when a journal cannot be used to resume this run (other input, other settings, unreadable). */
export class BulkJournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkJournalError';
  }
}
