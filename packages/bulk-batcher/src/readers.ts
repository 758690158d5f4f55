import { createReadStream } from 'node:fs';
import { BulkInputError } from './errors';
import type { Recipient, RecipientInput } from './packer';
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

interface PhysicalLine {
  text: string;
  number: number;
  tooLong: boolean;
}

function chunksOf(source: RecipientSource): AsyncIterable<Uint8Array | string> {
  if (typeof source === 'string') return createReadStream(source);
  return source as AsyncIterable<Uint8Array | string>;
}

/** The lines of one chunk read: their texts (CR and a leading BOM dropped) and their numbers. */
interface LineBlock {
  texts: string[];
  /** Line number of `texts[0]` (from 1). */
  first: number;
  /** Indexes in `texts` of lines longer than the limit (their text is ''), when there are any. */
  tooLong: number[] | undefined;
}

/**
 * Splits bytes into lines (LF or CRLF) without holding more than one line; over-long lines are
 * reported, not kept. Yields the lines of each chunk read as one block: one await per chunk, not per
 * line, and no object per line (an async step or an object per line costs more than the parsing it
 * carries on a million-line file).
 */
async function* readLineBlocks(source: RecipientSource, maxBytes: number): AsyncGenerator<LineBlock> {
  const decoder = new TextDecoder('utf-8');
  let pending: string[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let number = 0;
  let first = true;
  let block: LineBlock = { texts: [], first: 1, tooLong: undefined };
  const finish = (last: string): void => {
    number += 1;
    let text: string;
    if (tooLong) text = '';
    else if (pending.length === 0) text = last;
    else {
      pending.push(last);
      text = pending.join('');
    }
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (tooLong) {
      block.tooLong ??= [];
      block.tooLong.push(block.texts.length);
    }
    block.texts.push(text);
    if (pending.length > 0) pending = [];
    pendingBytes = 0;
    tooLong = false;
  };
  const append = (part: string) => {
    if (tooLong || part === '') return;
    pendingBytes += part.length;
    if (pendingBytes > maxBytes) {
      tooLong = true;
      pending = [];
    } else pending.push(part);
  };
  const take = (): LineBlock => {
    const full = block;
    block = { texts: [], first: number + 1, tooLong: undefined };
    return full;
  };
  for await (const chunk of chunksOf(source)) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', start)) {
      if (!tooLong && pendingBytes + (index - start) > maxBytes) {
        tooLong = true;
        pending = [];
      }
      finish(tooLong ? '' : text.slice(start, index));
      start = index + 1;
    }
    append(start === 0 ? text : text.slice(start));
    if (block.texts.length > 0) yield take();
  }
  append(decoder.decode());
  if (pendingBytes > 0 || tooLong) {
    finish('');
    yield take();
  }
}

/** The lines one by one (for the CSV reader, which looks ahead and pushes lines back). */
async function* readLines(source: RecipientSource, maxBytes: number): AsyncGenerator<PhysicalLine> {
  for await (const block of readLineBlocks(source, maxBytes))
    for (let index = 0; index < block.texts.length; index += 1)
      yield {
        text: block.texts[index]!,
        number: block.first + index,
        tooLong: block.tooLong?.includes(index) === true,
      };
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
  const maxRowBytes = options.maxRowBytes ?? 1_048_576;
  let delimiter = options.delimiter ?? ',';
  const maxLinesPerRow = options.maxLinesPerRow ?? 50;
  await loadCsvParse();
  const lines = readLines(source, maxRowBytes);
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
    const recipient: Recipient = { email, line: startLine.number };
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
  const blocks = readNdjsonBlocks(source, options.maxRowBytes ?? 1_048_576);
  let current: RecipientInput[] = [];
  let next = 0;
  async function* oneByOne(): AsyncGenerator<RecipientInput> {
    for (;;) {
      while (next < current.length) yield current[next++]!;
      const read = await blocks.next();
      if (read.done) return;
      current = read.value;
      next = 0;
    }
  }
  async function* rest(): AsyncGenerator<RecipientInput[]> {
    if (next < current.length) {
      const remainder = current.slice(next);
      next = current.length;
      yield remainder;
    }
    for (let read = await blocks.next(); !read.done; read = await blocks.next()) yield read.value;
  }
  return withRecipientBlocks(oneByOne(), rest);
}

/** The recipients of each chunk read, in input order (see {@link recipientBlocks}). */
async function* readNdjsonBlocks(
  source: RecipientSource,
  maxRowBytes: number,
): AsyncGenerator<RecipientInput[]> {
  for await (const block of readLineBlocks(source, maxRowBytes)) {
    const recipients: RecipientInput[] = [];
    const { texts, tooLong } = block;
    for (let index = 0; index < texts.length; index += 1) {
      const number = block.first + index;
      const text = texts[index]!;
      if (tooLong?.includes(index)) {
        recipients.push({
          email: '',
          rejected: `line ${number}: longer than ${maxRowBytes} bytes`,
          line: number,
        });
        continue;
      }
      // A JSON object starts with `{` (after blanks): anything else is a blank line or refused below.
      if (text.charCodeAt(0) !== 123 && text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        recipients.push({
          email: '',
          rejected: `line ${number}: not valid JSON (${(error as Error).message})`,
          line: number,
        });
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        recipients.push({
          email: '',
          rejected: `line ${number}: expected a JSON object with an email`,
          line: number,
        });
        continue;
      }
      recipients.push(recipientOf(value as Record<string, unknown>, number));
    }
    if (recipients.length > 0) yield recipients;
  }
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
  const recipient: Recipient = { email: email.trim(), line: number };
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
