import { createReadStream } from 'node:fs';
import { BulkInputError } from './errors';
import type { Recipient, RecipientInput } from './packer';
import { type LineSink, LineSplitter } from './line-splitter';
import { withRecipientBlocks } from './recipient-blocks';

/** Where a reader takes its bytes from: a file path, a Node stream, or any (async) iterable of chunks. */
export type RecipientSource =
  | string
  | NodeJS.ReadableStream
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

export interface ReaderOptions {
  /** A row (line) longer than this is rejected, not buffered. Default 1,048,576 bytes. */
  maxRowBytes?: number;
}

export interface CsvReaderOptions extends ReaderOptions {
  /** Field delimiter. Default: detected from the header row (`,`, `;` or tab, whichever it has most). */
  delimiter?: string;
  /** A quoted field may span at most this many lines before the row is declared broken. Default 50. */
  maxLinesPerRow?: number;
}

/** `maxRowBytes` when not given. */
const DEFAULT_MAX_ROW_BYTES = 1_048_576;

interface PhysicalLine {
  text: string;
  number: number;
  tooLong: boolean;
}

function chunksOf(source: RecipientSource): AsyncIterable<Uint8Array | string> {
  if (typeof source === 'string') return createReadStream(source);
  return source as AsyncIterable<Uint8Array | string>;
}

/** The lines one by one (for the CSV reader, which looks ahead and pushes lines back). */
async function* readLines(source: RecipientSource, maxBytes: number): AsyncGenerator<PhysicalLine> {
  const splitter = new LineSplitter(maxBytes);
  let lines: PhysicalLine[] = [];
  const sink: LineSink = { line: (text, number, tooLong) => lines.push({ text, number, tooLong }) };
  for await (const chunk of chunksOf(source)) {
    splitter.feed(chunk, sink);
    const done = lines;
    lines = [];
    yield* done;
  }
  splitter.end(sink);
  yield* lines;
}

function countQuotes(text: string): number {
  let count = 0;
  for (let index = text.indexOf('"'); index !== -1; index = text.indexOf('"', index + 1)) count += 1;
  return count;
}

/** The delimiter of a header row: `,`, `;` or tab, whichever appears most outside quotes (`,` on a tie). */
export function detectDelimiter(header: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const character of header) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character)! + 1);
  }
  let best = ',';
  for (const [candidate, count] of counts) if (count > counts.get(best)!) best = candidate;
  return best;
}

type CsvParse = typeof import('csv-parse/sync')['parse'];

/** csv-parse, loaded when a CSV is read (an NDJSON run never needs it). */
let csvParse: CsvParse | undefined;
async function loadCsvParse(): Promise<CsvParse> {
  csvParse ??= (await import('csv-parse/sync')).parse;
  return csvParse;
}

function parseFields(text: string, delimiter: string): string[] {
  const rows = csvParse!(text, { delimiter, relax_column_count: true, bom: false }) as string[][];
  if (rows.length !== 1) throw new Error(`expected one row, found ${rows.length}`);
  return rows[0] ?? [];
}

/**
 * Reads recipients from CSV with a header row (delimiter `,`, `;` or tab, detected, or given).
 * `email` is required (any case), `name` optional; a column named `custom_variables.<key>` goes into
 * custom_variables; every other column becomes a variable of the recipient (`template_variables`; the
 * packer adds `email` and `name`), so `{{first_name}}` in the content or the template is filled in. Blank lines are skipped. A broken row (bad quoting, wrong
 * number of columns, too long, an empty email) is yielded as a rejected recipient naming the line and
 * the reason, and reading goes on; an unclosed quote rejects its line and reading resumes on the next.
 * A missing header or `email` column throws `BulkInputError` before anything is yielded.
 */
export async function* readCsvRecipients(
  source: RecipientSource,
  options: CsvReaderOptions = {},
): AsyncGenerator<RecipientInput> {
  await loadCsvParse();
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const lines = readLines(source, maxRowBytes);
  // A refused header, a `break` or a throw closes the source, not only the end of the file.
  try {
    yield* csvRecipientsOf(lines, maxRowBytes, options);
  } finally {
    await lines.return(undefined);
  }
}

async function* csvRecipientsOf(
  lines: AsyncGenerator<PhysicalLine>,
  maxRowBytes: number,
  options: CsvReaderOptions,
): AsyncGenerator<RecipientInput> {
  let delimiter = options.delimiter ?? ',';
  const maxLinesPerRow = options.maxLinesPerRow ?? 50;
  const pushedBack: PhysicalLine[] = [];
  const next = async (): Promise<PhysicalLine | undefined> => {
    const back = pushedBack.shift();
    if (back) return back;
    const result = await lines.next();
    return result.done ? undefined : result.value;
  };

  let header: string[] | undefined;
  let emailIndex = -1;
  let nameIndex = -1;
  for (let line = await next(); line; line = await next()) {
    if (line.tooLong)
      throw new BulkInputError(
        `CSV header (line ${line.number}) is longer than ${maxRowBytes} bytes`,
        'recipients',
      );
    if (line.text.trim() === '') continue;
    if (options.delimiter === undefined) delimiter = detectDelimiter(line.text);
    try {
      header = parseFields(line.text, delimiter).map((column) => column.trim());
    } catch (error) {
      throw new BulkInputError(
        `CSV header (line ${line.number}) cannot be parsed: ${(error as Error).message}`,
        'recipients',
      );
    }
    break;
  }
  if (!header)
    throw new BulkInputError(
      'the CSV file is empty: a header row with an "email" column is required',
      'recipients',
    );
  const lower = header.map((column) => column.toLowerCase());
  emailIndex = lower.indexOf('email');
  nameIndex = lower.indexOf('name');
  if (emailIndex === -1)
    throw new BulkInputError(
      `the CSV header has no "email" column (columns: ${header.join(', ')}; delimiter ${JSON.stringify(delimiter)}${options.delimiter === undefined ? ', detected' : ''})`,
      'recipients',
    );
  const duplicate = lower.find((column, index) => column !== '' && lower.indexOf(column) !== index);
  if (duplicate) throw new BulkInputError(`the CSV header has the column "${duplicate}" twice`, 'recipients');
  const columns = header;

  for (let line = await next(); line; line = await next()) {
    if (line.tooLong) {
      yield {
        email: '',
        rejected: `line ${line.number}: the row is longer than ${maxRowBytes} bytes`,
        line: line.number,
      };
      continue;
    }
    if (line.text.trim() === '') continue;
    let text = line.text;
    const startLine = line;
    if (countQuotes(text) % 2 === 1) {
      const taken: PhysicalLine[] = [];
      let closed = false;
      let bytes = text.length;
      while (taken.length < maxLinesPerRow) {
        const more = await next();
        if (!more) break;
        taken.push(more);
        if (more.tooLong) break;
        bytes += more.text.length + 1;
        if (bytes > maxRowBytes) break;
        text += `\n${more.text}`;
        if (countQuotes(more.text) % 2 === 1) {
          closed = true;
          break;
        }
      }
      if (!closed) {
        pushedBack.unshift(...taken);
        const guess = startLine.text.split(delimiter)[emailIndex]?.trim() ?? '';
        yield { email: guess, rejected: `line ${startLine.number}: unclosed quote`, line: startLine.number };
        continue;
      }
    }
    let fields: string[];
    try {
      fields = parseFields(text, delimiter);
    } catch (error) {
      const guess = text.split(delimiter)[emailIndex]?.trim() ?? '';
      const reason = (error as Error).message.replace(/\s+/g, ' ');
      yield {
        email: guess,
        rejected: `line ${startLine.number}: broken CSV row: ${reason}`,
        line: startLine.number,
      };
      continue;
    }
    const email = (fields[emailIndex] ?? '').trim();
    if (fields.length !== columns.length) {
      yield {
        email,
        rejected: `line ${startLine.number}: expected ${columns.length} columns (${columns.join(', ')}), got ${fields.length}`,
        line: startLine.number,
      };
      continue;
    }
    if (email === '') {
      yield {
        email,
        rejected: `line ${startLine.number}: the email column is empty`,
        line: startLine.number,
      };
      continue;
    }
    const recipient: Recipient = new ReadRecipient(email, startLine.number);
    const name = nameIndex === -1 ? '' : (fields[nameIndex] ?? '').trim();
    if (name !== '') recipient.name = name;
    for (const [index, column] of columns.entries()) {
      if (index === emailIndex || index === nameIndex || column === '') continue;
      const value = fields[index] ?? '';
      if (column.startsWith('custom_variables.')) {
        recipient.custom_variables ??= {};
        recipient.custom_variables[column.slice('custom_variables.'.length)] = value;
      } else {
        recipient.template_variables ??= {};
        recipient.template_variables[column] = value;
      }
    }
    yield recipient;
  }
}

/**
 * Reads recipients from NDJSON: one JSON object per line with `email` and optionally `name`,
 * `template_variables`, `custom_variables`, `overrides`; any other field is a variable of the
 * recipient (merged into `template_variables`, like a CSV column). Blank lines are skipped. A line
 * that is not JSON, not an object or too long is yielded as a rejected recipient naming the line and
 * the reason.
 */
export function readNdjsonRecipients(
  source: RecipientSource,
  options: ReaderOptions = {},
): AsyncGenerator<RecipientInput> {
  // One read of the source, seen one by one or chunk by chunk: the chunks start where the
  // recipients already taken one by one stopped.
  const blocks = readNdjsonBlocks(source, options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES);
  let current: RecipientInput[] = [];
  let next = 0;
  // Stopping either way (a `break`, a throw) closes the source, as the chunks read directly do.
  async function* oneByOne(): AsyncGenerator<RecipientInput> {
    try {
      for (;;) {
        while (next < current.length) yield current[next++]!;
        const read = await blocks.next();
        if (read.done) return;
        current = read.value;
        next = 0;
      }
    } finally {
      await blocks.return(undefined);
    }
  }
  async function* afterRemainder(remainder: RecipientInput[]): AsyncGenerator<RecipientInput[]> {
    try {
      yield remainder;
      yield* blocks;
    } finally {
      await blocks.return(undefined);
    }
  }
  // Without a partly read chunk the blocks are read directly: no generator in between.
  const rest = (): AsyncIterable<RecipientInput[]> => {
    if (next >= current.length) return blocks;
    const remainder = current.slice(next);
    next = current.length;
    return afterRemainder(remainder);
  };
  return withRecipientBlocks(oneByOne(), rest);
}

/**
 * The recipients of each chunk read, in input order (see {@link recipientBlocks}): one loop reads the
 * source and parses each line as the splitter completes it (this path carries a million-recipient
 * campaign; see {@link LineSplitter} for why it is one loop).
 */
async function* readNdjsonBlocks(
  source: RecipientSource,
  maxRowBytes: number,
): AsyncGenerator<RecipientInput[]> {
  const splitter = new LineSplitter(maxRowBytes);
  const parser = new NdjsonLines(maxRowBytes);
  for await (const chunk of chunksOf(source)) {
    splitter.feed(chunk, parser);
    if (parser.recipients.length > 0) yield parser.take();
  }
  splitter.end(parser);
  if (parser.recipients.length > 0) yield parser.take();
}

/** Parses NDJSON lines into the recipients of the chunk being read. */
class NdjsonLines implements LineSink {
  recipients: RecipientInput[] = [];

  constructor(private readonly maxRowBytes: number) {}

  /** The recipients parsed since the last call. */
  take(): RecipientInput[] {
    const taken = this.recipients;
    this.recipients = [];
    return taken;
  }

  line(text: string, number: number, tooLong: boolean): void {
    if (tooLong) {
      this.recipients.push({
        email: '',
        rejected: `line ${number}: longer than ${this.maxRowBytes} bytes`,
        line: number,
      });
      return;
    }
    // A JSON object starts with `{` (after blanks): anything else is a blank line or refused below.
    if (text.charCodeAt(0) !== 123 && text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.recipients.push({
        email: '',
        rejected: `line ${number}: not valid JSON (${(error as Error).message})`,
        line: number,
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.recipients.push({
        email: '',
        rejected: `line ${number}: expected a JSON object with an email`,
        line: number,
      });
      return;
    }
    this.recipients.push(recipientOf(value as Record<string, unknown>, number));
  }
}

/**
 * A recipient as the readers create it: a plain record of its fields, made by a constructor rather
 * than an object literal. V8 may decide that every object of a literal is to be created in the old
 * generation when a young collection finds all of them alive, as it does when it comes while a
 * chunk's recipients wait to be packed; a campaign then fills the old generation with recipients
 * dead a moment later (and keeps their strings a collection longer), several MB per second with
 * mail merge, until full collections clear them. Objects made by a constructor are not subject to
 * that decision.
 */
class ReadRecipient implements Recipient {
  constructor(
    public email: string,
    public line: number,
  ) {}
}

/** One NDJSON object as a recipient (or a rejected row when its email is missing). */
function recipientOf(record: Record<string, unknown>, number: number): RecipientInput {
  const email = record.email;
  if (typeof email !== 'string' || email.trim() === '')
    return {
      email: typeof email === 'string' ? email : '',
      rejected: `line ${number}: "email" is missing or not a string`,
      line: number,
    };
  const recipient: Recipient = new ReadRecipient(email.trim(), number);
  let variables: Record<string, unknown> | undefined;
  for (const key in record) {
    const value = record[key];
    if (key === 'email') continue;
    if (key === 'name') recipient.name = value as string;
    else if (key === 'custom_variables') recipient.custom_variables = value as Record<string, string>;
    else if (key === 'overrides') recipient.overrides = value as Recipient['overrides'];
    else if (key === 'template_variables') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        variables = undefined;
        recipient.template_variables = value as Record<string, unknown>;
        break;
      }
      variables = variables ? Object.assign(variables, value) : { ...(value as object) };
    } else {
      variables ??= {};
      variables[key] = value;
    }
  }
  if (variables) recipient.template_variables = variables;
  return recipient;
}
