import { parseArgs } from 'node:util';
import { durationParser, parseRate as parseKitRate } from '@mailtrap-kit/cli-kit';
import { BulkInputError } from './errors';
import { emailAddressProblem } from '@mailtrap-kit/core';

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
  /** Given with --journal; default: named after the recipients file and the campaign (see the CLI). */
  journal?: string;
  resume: boolean;
  allowDuplicates: boolean;
  delimiter?: string;
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

export const usage = `mailtrap-bulk: send one campaign to a list of recipients through Mailtrap's bulk stream.

Usage:
  mailtrap-bulk send --recipients <file.csv|file.ndjson> --from <address>
      (--subject <text> (--text <file> | --html <file>) | --template-uuid <uuid>) [options]
  mailtrap-bulk status --journal <file> [--json]
  mailtrap-bulk --version | --help

Message:
  --from <address>          "news@example.com" or "News <news@example.com>"
  --subject <text>          with --text and/or --html; {{variables}} are filled per recipient
  --text <file>, --html <file>
  --template-uuid <uuid>    a Mailtrap template; the recipient's columns go as template_variables
  --category <name>         (not with --template-uuid: the template has its category)

Recipients:
  --recipients <file>       CSV with a header row (email required; every column is a variable,
                            custom_variables.<key> columns go to custom_variables) or NDJSON
  --format csv|ndjson       default: from the file name (.csv, .ndjson, .jsonl)
  --delimiter <c>           CSV delimiter: , ; or tab (default: detected from the header)
  --allow-duplicates        send a repeated address again (default: skipped and counted)

Sending:
  --stream bulk|transactional  default bulk
  --endpoint <url>          the stream's base URL (emulator, proxy); default Mailtrap's host
  --general-endpoint <url>  the account API's base URL (Email Logs); default https://mailtrap.io
  --account-id <id>         read Email Logs through /api/accounts/<id>/email_logs
  --rate <n>/<window> | off default 150/10s (Mailtrap's limit per token); window in ms, s or m
  --concurrency <n>         requests in flight, default 4
  --batch-size <n>          messages per request, 1-500, default 500
  --timeout <ms>            per request, default 30000
  --dry-run                 check and pack everything, list the variables used, send nothing

Resuming:
  --journal <file>          default <recipients>.<campaign>.journal (one per campaign and file)
  --resume                  continue the run the journal records
  --resend-unsent           re-send recipients Email Logs proves were never accepted
  --settle-delay <duration> wait before asking Email Logs about uncertain requests, default 30s
  --results <file>          NDJSON, one {email, status, message_id?, error?} per recipient
  --progress auto|bar|lines|off   default auto (a bar on a terminal, a line every 5 s otherwise)

The API token is read from MAILTRAP_API_TOKEN (never a flag).
States: sent, failed (refused for good), uncertain (may or may not have been accepted),
unsent (not accepted: a resume sends it).
Exit codes: 0 every recipient sent; 1 some failed, uncertain or invalid; 2 bad input or
configuration, nothing was sent; 3 stopped before the end (Ctrl-C, a refusal that would refuse
everyone): run the printed command to resume.

Example:
  export MAILTRAP_API_TOKEN=...
  mailtrap-bulk send --recipients subscribers.csv --from 'News <news@example.com>' \\
    --subject 'Spring sale, {{first_name}}' --html spring.html --dry-run`;

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

/** The kit's one rate grammar (cli-kit): "150/10s", "10/1s", "600/1m", "5/250ms", or "off". */
export function parseRate(value: string): { requests: number; windowMs: number } | false {
  try {
    return parseKitRate(value);
  } catch {
    throw new BulkInputError(
      `--rate must look like 150/10s (<requests>/<window>, window in ms, s or m) or off (got ${JSON.stringify(value)})`,
      'rate',
    );
  }
}

/** A duration as every kit command takes it (cli-kit): "30s", "500ms", "2m", or milliseconds. */
function duration(value: string | undefined, name: string, maximumMs: number): number | undefined {
  if (value === undefined) return undefined;
  let parsed: number;
  try {
    parsed = durationParser(value);
  } catch {
    parsed = Number.NaN;
  }
  if (!Number.isFinite(parsed) || parsed > maximumMs)
    throw new BulkInputError(
      `--${name} must be a duration like 30s, 500ms or 2m, or milliseconds, up to ${maximumMs / 60_000} minutes (got ${JSON.stringify(value)})`,
      name,
    );
  return parsed;
}

/** "news@example.com" or "News <news@example.com>". */
export function parseAddress(value: string): { email: string; name?: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  const email = (match ? match[2] : value)!.trim();
  const name = match?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  const problem = emailAddressProblem(email);
  if (problem) throw new BulkInputError(`--from ${JSON.stringify(value)} ${problem}`, 'from');
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

const sendOptions = {
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
  delimiter: { type: 'string' },
  'allow-duplicates': { type: 'boolean' },
  progress: { type: 'string' },
  'progress-interval': { type: 'string' },
} as const;

/** Edit distance, for "did you mean": small strings only. */
function distance(left: string, right: string): number {
  const row = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= right.length; j += 1) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (left[i - 1] === right[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[right.length]!;
}

/** The closest known option to a mistyped one, when it is close. */
export function suggestOption(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const score = distance(typed, name);
    if (score < bestDistance) {
      best = name;
      bestDistance = score;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined;
}

/** node:util's parse error, said for a user: the option, and the one meant when it is a typo. */
export function explainParseError(error: unknown, known: readonly string[]): string {
  const message = (error as Error).message;
  const unknown = /Unknown option '(--?[^']+)'/.exec(message);
  if (unknown) {
    const typed = unknown[1]!.replace(/^-+/, '').split('=')[0]!;
    const suggestion = suggestOption(typed, known);
    return `unknown option --${typed}${suggestion ? `: did you mean --${suggestion}?` : ''}`;
  }
  const missing = /Option '(--[^ ']+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split('. To specify')[0]!;
}

/** Parses `mailtrap-bulk` arguments (without node and the script). Throws BulkInputError naming the option. */
export function parseCliArguments(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command !== 'send')
    throw new BulkInputError(
      command
        ? `unknown command ${JSON.stringify(command)}${suggestOption(command, ['send', 'status']) ? ` (did you mean ${suggestOption(command, ['send', 'status'])}?)` : ''}`
        : 'a command is required',
      'command',
    );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: sendOptions,
    }));
  } catch (error) {
    throw new BulkInputError(explainParseError(error, Object.keys(sendOptions)), 'arguments', {
      cause: error,
    });
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
    resume: values.resume === true,
    allowDuplicates: values['allow-duplicates'] === true,
    concurrency: integer(text('concurrency'), 'concurrency', 1, 64) ?? 4,
    rate: text('rate') === undefined ? { requests: 150, windowMs: 10_000 } : parseRate(text('rate')!),
    dryRun: values['dry-run'] === true,
    resendUnsent: values['resend-unsent'] === true,
    settleDelayMs: duration(text('settle-delay'), 'settle-delay', 3_600_000) ?? 30_000,
    progress: progress as CliOptions['progress'],
    progressIntervalMs: integer(text('progress-interval'), 'progress-interval', 100, 3_600_000) ?? 5000,
  };
  if (subject !== undefined) options.subject = subject;
  if (textFile !== undefined) options.textFile = textFile;
  if (htmlFile !== undefined) options.htmlFile = htmlFile;
  if (templateUuid !== undefined) options.templateUuid = templateUuid;
  if (text('category') !== undefined) options.category = text('category');
  if (text('results') !== undefined) options.results = text('results');
  if (text('journal') !== undefined) options.journal = text('journal');
  const delimiterText = text('delimiter');
  if (delimiterText !== undefined) {
    const known: Record<string, string> = { ',': ',', ';': ';', tab: '\t', '\\t': '\t', '\t': '\t' };
    const delimiter = known[delimiterText];
    if (!delimiter)
      throw new BulkInputError(
        `--delimiter must be , ; or tab (got ${JSON.stringify(delimiterText)})`,
        'delimiter',
      );
    options.delimiter = delimiter;
  }
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
