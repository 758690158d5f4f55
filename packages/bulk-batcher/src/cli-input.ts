import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CliOptions } from './cli-args';
import { BulkInputError } from './errors';
import { summarizeJournal } from './journal';
import type { BulkBase, RecipientInput } from './packer';
import { readCsvRecipients, readNdjsonRecipients } from './readers';
import { blocksOf, hasRecipientBlocks, withRecipientBlocks } from './recipient-blocks';

/** sha256 of the file, in one streaming pass. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readBody(path: string, option: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    if (text.trim() === '') throw new Error('the file is empty');
    return text;
  } catch (error) {
    throw new BulkInputError(`--${option} ${path}: ${(error as Error).message}`, option, { cause: error });
  }
}

export function buildBase(options: CliOptions): BulkBase {
  const base: BulkBase = { from: options.from };
  if (options.templateUuid) base.template_uuid = options.templateUuid;
  else {
    base.subject = options.subject!;
    if (options.textFile) base.text = readBody(options.textFile, 'text');
    if (options.htmlFile) base.html = readBody(options.htmlFile, 'html');
  }
  if (options.category !== undefined) base.category = options.category;
  return base;
}

export function reader(options: CliOptions): AsyncGenerator<RecipientInput> {
  return options.format === 'csv'
    ? readCsvRecipients(options.recipients, options.delimiter ? { delimiter: options.delimiter } : {})
    : readNdjsonRecipients(options.recipients);
}

/**
 * Reads the first item so a broken header fails before anything is sent; yields it and the rest
 * (chunk by chunk too, when the reader gives chunks).
 */
export async function primed(source: AsyncGenerator<RecipientInput>): Promise<AsyncIterable<RecipientInput>> {
  const first = await source.next();
  const all = (async function* () {
    if (first.done) return;
    yield first.value;
    yield* source;
  })();
  if (!hasRecipientBlocks(source)) return all;
  return withRecipientBlocks(all, async function* () {
    if (first.done) return;
    yield [first.value];
    yield* blocksOf(source)!;
  });
}

/** The journals of other campaigns from the same recipients file that did not finish. */
export function interruptedCampaigns(recipients: string, except: string): string[] {
  const directory = dirname(recipients);
  const prefix = `${basename(recipients)}.`;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.journal')) continue;
    const path = join(directory, name);
    if (path === except) continue;
    try {
      const summary = summarizeJournal(path);
      if (!summary.finished) found.push(path);
    } catch {
      // not a journal of ours
    }
  }
  return found;
}
