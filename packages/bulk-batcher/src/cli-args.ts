import {
  durationParser,
  InvalidArgumentError,
  parseAddress as parseKitAddress,
  parseRate as parseKitRate,
  type Rate,
} from '@mailtrap-kit/cli-kit';
import type { Address } from '@mailtrap-kit/core';
import { BulkInputError } from './errors';

/** What `mailtrap-bulk send` runs with, checked: every combination that cannot work is refused. */
export interface CliOptions {
  recipients: string;
  format: 'csv' | 'ndjson';
  from: Address;
  subject?: string;
  textFile?: string;
  htmlFile?: string;
  templateUuid?: string;
  category?: string;
  stream: 'bulk' | 'transactional';
  /** Given with --journal; default: named after the recipients file and the campaign (see the CLI). */
  journal?: string;
  resume: boolean;
  allowDuplicates: boolean;
  delimiter?: string;
  results?: string;
  concurrency: number;
  rate: Rate | false;
  dryRun: boolean;
  /** `--account-id` (the bin also reads `MAILTRAP_ACCOUNT_ID` and the config file). */
  accountId?: string;
  batchSize?: number;
  resendUnsent: boolean;
  settleDelayMs: number;
  timeoutMs?: number;
  progress: 'auto' | 'bar' | 'lines' | 'off';
  progressIntervalMs: number;
  json: boolean;
}

/** The options of `mailtrap-bulk send` as commander hands them to the action (see cli-program). */
export interface SendFlags {
  recipients?: string;
  from?: Address;
  subject?: string;
  text?: string;
  html?: string;
  templateUuid?: string;
  category?: string;
  format?: 'csv' | 'ndjson';
  delimiter?: string;
  allowDuplicates?: boolean;
  stream: 'bulk' | 'transactional';
  rate: Rate | false;
  concurrency: number;
  batchSize?: number;
  timeout?: number;
  dryRun?: boolean;
  journal?: string;
  resume?: boolean;
  resendUnsent?: boolean;
  settleDelay: number;
  results?: string;
  progress: CliOptions['progress'];
  progressInterval: number;
  json?: boolean;
  accountId?: string;
}

/** The kit's one rate grammar (cli-kit): "150/10s", "10/1s", "600/1m", "5/250ms", or "off". */
export function parseRate(value: string): Rate | false {
  try {
    return parseKitRate(value);
  } catch {
    throw new BulkInputError(
      `--rate must look like 150/10s (<requests>/<window>, window in ms, s or m) or off (got ${JSON.stringify(value)})`,
      'rate',
    );
  }
}

/** "news@example.com" or "News <news@example.com>", by cli-kit's address rule; a BulkInputError naming --from. */
export function parseAddress(value: string): Address {
  try {
    return parseKitAddress(value);
  } catch (error) {
    throw new BulkInputError(`--from ${(error as Error).message}`, 'from', { cause: error });
  }
}

/** A duration option value parser with an upper bound (`--settle-delay`, `--timeout`). */
export function boundedDuration(minimumMs: number, maximumMs: number): (value: string) => number {
  return (value) => {
    const parsed = durationParser(value);
    if (parsed < minimumMs || parsed > maximumMs)
      throw new InvalidArgumentError(
        `expected a duration from ${minimumMs}ms to ${maximumMs / 60_000} minutes, got ${JSON.stringify(value)}`,
      );
    return parsed;
  };
}

/** `--delimiter`: `,` `;` or tab (`tab`, `\t`). */
export function parseDelimiter(value: string): string {
  const known: Record<string, string> = { ',': ',', ';': ';', tab: '\t', '\\t': '\t', '\t': '\t' };
  const delimiter = known[value];
  if (!delimiter) throw new InvalidArgumentError(`expected , ; or tab, got ${JSON.stringify(value)}`);
  return delimiter;
}

/**
 * The checked options of a `send` command line: required options, the combinations that cannot
 * work, the format from the file name. Throws BulkInputError naming the option.
 */
export function sendOptionsFrom(flags: SendFlags): CliOptions {
  const { recipients } = flags;
  if (!recipients) throw new BulkInputError('--recipients <file.csv|file.ndjson> is required', 'recipients');
  if (!flags.from) throw new BulkInputError('--from <address> is required', 'from');
  let format = flags.format;
  if (format === undefined) {
    if (/\.csv$/i.test(recipients)) format = 'csv';
    else if (/\.(ndjson|jsonl)$/i.test(recipients)) format = 'ndjson';
    else
      throw new BulkInputError(
        'cannot tell the format from the file name: name it .csv or .ndjson, or pass --format',
        'format',
      );
  }
  if (flags.templateUuid !== undefined) {
    if (flags.subject !== undefined || flags.text !== undefined || flags.html !== undefined)
      throw new BulkInputError(
        '--template-uuid cannot be combined with --subject, --text or --html (the template has them)',
        'template-uuid',
      );
    if (flags.category !== undefined)
      throw new BulkInputError(
        '--category cannot be combined with --template-uuid (the template has its category)',
        'category',
      );
  } else {
    if (!flags.subject)
      throw new BulkInputError('give --subject with --text and/or --html, or --template-uuid', 'subject');
    if (!flags.text && !flags.html)
      throw new BulkInputError('give --text <file> and/or --html <file> with --subject', 'text');
  }
  const options: CliOptions = {
    recipients,
    format,
    from: flags.from,
    stream: flags.stream,
    resume: flags.resume === true,
    allowDuplicates: flags.allowDuplicates === true,
    concurrency: flags.concurrency,
    rate: flags.rate,
    dryRun: flags.dryRun === true,
    resendUnsent: flags.resendUnsent === true,
    settleDelayMs: flags.settleDelay,
    progress: flags.progress,
    progressIntervalMs: flags.progressInterval,
    json: flags.json === true,
  };
  if (flags.subject !== undefined) options.subject = flags.subject;
  if (flags.text !== undefined) options.textFile = flags.text;
  if (flags.html !== undefined) options.htmlFile = flags.html;
  if (flags.templateUuid !== undefined) options.templateUuid = flags.templateUuid;
  if (flags.category !== undefined) options.category = flags.category;
  if (flags.results !== undefined) options.results = flags.results;
  if (flags.journal !== undefined) options.journal = flags.journal;
  if (flags.delimiter !== undefined) options.delimiter = flags.delimiter;
  if (flags.accountId !== undefined) options.accountId = flags.accountId;
  if (flags.batchSize !== undefined) options.batchSize = flags.batchSize;
  if (flags.timeout !== undefined) options.timeoutMs = flags.timeout;
  return options;
}
