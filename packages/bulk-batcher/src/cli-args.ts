import { parseArgs } from 'node:util';
import { BulkInputError } from './errors';
import { isValidEmail } from './packer';

export interface CliOptions {
  recipients: string;
  format: 'csv' | 'ndjson';
  from: { email: string; name?: string };
  subject?: string;
  textFile?: string;
  htmlFile?: string;
  templateUuid?: string;
  category?: string;
  stream: 'bulk' | 'transactional';
  journal: string;
  resume: boolean;
  results?: string;
  concurrency: number;
  rate: { requests: number; windowMs: number } | false;
  dryRun: boolean;
  endpoint?: string;
  generalEndpoint?: string;
  accountId?: string;
  batchSize?: number;
  resendUnsent: boolean;
  settleDelayMs: number;
  timeoutMs?: number;
  progress: 'auto' | 'bar' | 'lines' | 'off';
  progressIntervalMs: number;
}

export const usage = `Usage:
  mailtrap-bulk send --recipients <file.csv|file.ndjson> --from <address>
      (--subject <text> (--text <file> | --html <file>) | --template-uuid <uuid>)
      [--category <c>] [--stream bulk|transactional] [--journal <file>] [--resume]
      [--results <file>] [--concurrency <n>] [--rate <requests>/<seconds>s] [--dry-run]
      [--endpoint <url>] [--general-endpoint <url>] [--account-id <id>] [--resend-unsent] [--settle-delay <ms>]
      [--batch-size <n>] [--timeout <ms>] [--format csv|ndjson] [--progress auto|bar|lines|off]

  mailtrap-bulk status --journal <file>
  mailtrap-bulk status <campaign> [--redis <url>] [--prefix <prefix>] [--json]

The API token is read from MAILTRAP_API_TOKEN.
--from takes "address" or "Name <address>". --journal defaults to <recipients>.journal.
--account-id reads Email Logs through /api/accounts/<id>/email_logs (default: the token's account).
--resend-unsent re-sends recipients of uncertain batches that Email Logs proves were never accepted.
Exit codes: 0 every recipient sent; 1 some failed or uncertain; 2 bad input or configuration;
3 stopped before the end (Ctrl-C, 401/403): rerun the printed command to resume.`;

function integer(
  value: string | undefined,
  name: string,
  minimum: number,
  maximum: number,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum || parsed > maximum)
    throw new BulkInputError(
      `--${name} must be an integer from ${minimum} to ${maximum} (got ${JSON.stringify(value)})`,
      name,
    );
  return parsed;
}

/** "150/10s", "10/1s", "600/60s", or "off". */
export function parseRate(value: string): { requests: number; windowMs: number } | false {
  if (value === 'off' || value === 'none') return false;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s$/.exec(value.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0)
    throw new BulkInputError(
      `--rate must look like 150/10s (requests per seconds) or off (got ${JSON.stringify(value)})`,
      'rate',
    );
  return { requests: Number(match[1]), windowMs: Math.round(Number(match[2]) * 1000) };
}

/** "news@example.com" or "News <news@example.com>". */
export function parseAddress(value: string): { email: string; name?: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  const email = (match ? match[2] : value)!.trim();
  const name = match?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  if (!isValidEmail(email))
    throw new BulkInputError(`--from is not a valid address: ${JSON.stringify(value)}`, 'from');
  return name ? { email, name } : { email };
}

function url(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new BulkInputError(`--${name} must be an http(s) URL (got ${JSON.stringify(value)})`, name);
  }
  return value.replace(/\/+$/, '');
}

/** Parses `mailtrap-bulk` arguments (without node and the script). Throws BulkInputError naming the option. */
export function parseCliArguments(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command !== 'send')
    throw new BulkInputError(
      command ? `unknown command ${JSON.stringify(command)}` : 'a command is required',
      'command',
    );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        recipients: { type: 'string' },
        from: { type: 'string' },
        subject: { type: 'string' },
        text: { type: 'string' },
        html: { type: 'string' },
        'template-uuid': { type: 'string' },
        category: { type: 'string' },
        stream: { type: 'string' },
        journal: { type: 'string' },
        resume: { type: 'boolean' },
        results: { type: 'string' },
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        'dry-run': { type: 'boolean' },
        endpoint: { type: 'string' },
        'general-endpoint': { type: 'string' },
        'account-id': { type: 'string' },
        'batch-size': { type: 'string' },
        'resend-unsent': { type: 'boolean' },
        'settle-delay': { type: 'string' },
        timeout: { type: 'string' },
        format: { type: 'string' },
        progress: { type: 'string' },
        'progress-interval': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new BulkInputError((error as Error).message, 'arguments');
  }
  const text = (name: string) => values[name] as string | undefined;
  const recipients = text('recipients');
  if (!recipients) throw new BulkInputError('--recipients <file.csv|file.ndjson> is required', 'recipients');
  const fromText = text('from');
  if (!fromText) throw new BulkInputError('--from <address> is required', 'from');
  let format = text('format');
  if (format === undefined) {
    if (/\.csv$/i.test(recipients)) format = 'csv';
    else if (/\.(ndjson|jsonl)$/i.test(recipients)) format = 'ndjson';
    else
      throw new BulkInputError(
        'cannot tell the format from the file name: name it .csv or .ndjson, or pass --format',
        'format',
      );
  }
  if (format !== 'csv' && format !== 'ndjson')
    throw new BulkInputError(`--format must be csv or ndjson (got ${JSON.stringify(format)})`, 'format');
  const templateUuid = text('template-uuid');
  const subject = text('subject');
  const textFile = text('text');
  const htmlFile = text('html');
  if (templateUuid !== undefined) {
    if (subject !== undefined || textFile !== undefined || htmlFile !== undefined)
      throw new BulkInputError(
        '--template-uuid cannot be combined with --subject, --text or --html (the template has them)',
        'template-uuid',
      );
    if (text('category') !== undefined)
      throw new BulkInputError(
        '--category cannot be combined with --template-uuid (the template has its category)',
        'category',
      );
  } else {
    if (!subject)
      throw new BulkInputError('give --subject with --text and/or --html, or --template-uuid', 'subject');
    if (!textFile && !htmlFile)
      throw new BulkInputError('give --text <file> and/or --html <file> with --subject', 'text');
  }
  const stream = text('stream') ?? 'bulk';
  if (stream !== 'bulk' && stream !== 'transactional')
    throw new BulkInputError(
      `--stream must be bulk or transactional (got ${JSON.stringify(stream)})`,
      'stream',
    );
  const progress = text('progress') ?? 'auto';
  if (!['auto', 'bar', 'lines', 'off'].includes(progress))
    throw new BulkInputError(
      `--progress must be auto, bar, lines or off (got ${JSON.stringify(progress)})`,
      'progress',
    );
  const options: CliOptions = {
    recipients,
    format,
    from: parseAddress(fromText),
    stream,
    journal: text('journal') ?? `${recipients}.journal`,
    resume: values.resume === true,
    concurrency: integer(text('concurrency'), 'concurrency', 1, 64) ?? 4,
    rate: text('rate') === undefined ? { requests: 150, windowMs: 10_000 } : parseRate(text('rate')!),
    dryRun: values['dry-run'] === true,
    resendUnsent: values['resend-unsent'] === true,
    settleDelayMs: integer(text('settle-delay'), 'settle-delay', 0, 3_600_000) ?? 30_000,
    progress: progress as CliOptions['progress'],
    progressIntervalMs: integer(text('progress-interval'), 'progress-interval', 100, 3_600_000) ?? 5000,
  };
  if (subject !== undefined) options.subject = subject;
  if (textFile !== undefined) options.textFile = textFile;
  if (htmlFile !== undefined) options.htmlFile = htmlFile;
  if (templateUuid !== undefined) options.templateUuid = templateUuid;
  if (text('category') !== undefined) options.category = text('category');
  if (text('results') !== undefined) options.results = text('results');
  const endpoint = url(text('endpoint'), 'endpoint');
  if (endpoint) options.endpoint = endpoint;
  const generalEndpoint = url(text('general-endpoint'), 'general-endpoint');
  if (generalEndpoint) options.generalEndpoint = generalEndpoint;
  const accountId = integer(text('account-id'), 'account-id', 1, Number.MAX_SAFE_INTEGER);
  if (accountId !== undefined) options.accountId = String(accountId);
  const batchSize = integer(text('batch-size'), 'batch-size', 1, 500);
  if (batchSize !== undefined) options.batchSize = batchSize;
  const timeout = integer(text('timeout'), 'timeout', 100, 600_000);
  if (timeout !== undefined) options.timeoutMs = timeout;
  return options;
}
