import { MailtrapConfigurationError, type MailtrapErrorOptions, markErrorClass } from '@mailtrap-kit/core';

/**
 * A command line that cannot run as given: a missing or invalid option, no token. Exit code 2.
 * A core `MailtrapConfigurationError` with code `cli.usage`, so one error family covers the CLIs;
 * `CliUsageError.isInstance()` recognises one from the other (ESM/CJS) copy of the package.
 */
export class CliUsageError extends MailtrapConfigurationError {
  static {
    markErrorClass(CliUsageError, 'CliUsageError');
  }

  /** The option or argument at fault, e.g. `--rate`. */
  readonly option: string | undefined;

  constructor(message: string, options: MailtrapErrorOptions & { option?: string } = {}) {
    super(message, { code: 'cli.usage', ...options });
    this.option = options.option;
  }
}
