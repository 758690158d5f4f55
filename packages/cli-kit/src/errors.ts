import { MailtrapConfigurationError, type MailtrapErrorOptions } from '@mailtrap-kit/core';

/**
 * A command line that cannot run as given: a missing or invalid option, no token. Exit code 2.
 * A core `MailtrapConfigurationError` (code `configuration`), so one error family covers the CLIs;
 * `CliUsageError.isInstance()` recognises one from the other (ESM/CJS) copy of the package.
 */
export class CliUsageError extends MailtrapConfigurationError {
  static {
    // The marker scheme of core's errors: `isInstance` checks `Symbol.for` on the prototype.
    const marker = Symbol.for('mailtrap-kit.error.CliUsageError');
    Object.defineProperty(CliUsageError, 'marker', { value: marker, enumerable: false });
    Object.defineProperty(CliUsageError.prototype, marker, { value: true, enumerable: false });
    Object.defineProperty(CliUsageError.prototype, 'name', {
      value: 'CliUsageError',
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }

  /** The option or argument at fault, e.g. `--rate`. */
  readonly option: string | undefined;

  constructor(message: string, options: MailtrapErrorOptions & { option?: string } = {}) {
    super(message, options);
    this.option = options.option;
  }
}
