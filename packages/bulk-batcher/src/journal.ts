import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { BulkJournalError } from './errors';
import type { ItemOutcome } from './outcomes';

/** The first line of a journal: which run it belongs to and what it was started with. */
export interface JournalHeader {
  t: 'run';
  version: 1;
  runId: string;
  /** sha256 of the settings that decide packing (base, batch limits, stream). */
  settings: string;
  /** sha256 of the input file, when the caller knows it (the CLI does). */
  input?: string;
  startedAt: string;
}

/**
 * State of one item after replaying its batch's lines: `p` pending (never sent, or known unsent and
 * retryable), `i` in flight when the run died, `s` sent, `f` failed, `u` uncertain, `n` proven unsent
 * by Email Logs (may be re-sent only with the user's consent).
 */
export type JournalItemState =
  | { state: 'p' }
  | { state: 'i' }
  | { state: 's'; messageId?: string }
  | { state: 'f'; error: string }
  | { state: 'u'; error?: string }
  | { state: 'n' };

export interface ReplayedBatch {
  fingerprint?: string;
  /** From the batch's start record: its first recipient and how many recipients it covers. */
  firstSequence?: number;
  count?: number;
  /** By offset inside the batch; offsets never mentioned are absent (pending or rejected). */
  items: Map<number, JournalItemState>;
}

type EndEntry = [number, 's' | 'f' | 'u' | 'r', string?];
type SettleEntry = [number, 's' | 'n', string?];

const recordTypes = new Set(['start', 'end', 'settle']);

/**
 * An append-only NDJSON journal. Every record is written with one `writeSync` and flushed with
 * `fsyncSync` before the call returns: a `start` record is on disk before its request leaves, an
 * `end` record right after the answer. A torn last line (the process died mid-write) is ignored.
 * Only line positions per batch are kept in memory, so resuming a million-recipient run stays small.
 */
export class Journal {
  readonly path: string;
  readonly header: JournalHeader;
  private readonly descriptor: number;
  private readonly index: Map<number, Array<[number, number]>>;
  private closed = false;
  private readOnly = false;

  private constructor(
    path: string,
    descriptor: number,
    header: JournalHeader,
    index: Map<number, Array<[number, number]>>,
  ) {
    this.path = path;
    this.descriptor = descriptor;
    this.header = header;
    this.index = index;
  }

  /**
   * Opens a journal. Without `resume` the file must not exist or be empty (so a rerun never silently
   * resends); with `resume` an existing journal must have the same settings (and input hash when given)
   * and its run id is kept. A missing or empty file with `resume` starts a new journal.
   */
  static open(
    path: string,
    header: Omit<JournalHeader, 't' | 'version' | 'startedAt'>,
    options: { resume: boolean },
  ): Journal {
    let descriptor: number;
    try {
      descriptor = openSync(path, 'a+');
    } catch (error) {
      throw new BulkJournalError(`cannot open the journal ${path}: ${(error as Error).message}`);
    }
    try {
      const size = fstatSync(descriptor).size;
      if (size > 0 && !options.resume)
        throw new BulkJournalError(
          `the journal ${path} already exists: resume that run (--resume / resume: true) or remove the file to start a new one`,
        );
      const {
        header: existing,
        index,
        torn,
      } = size > 0 ? readIndex(descriptor, size, path) : { header: undefined, index: new Map(), torn: false };
      if (existing) {
        if (existing.settings !== header.settings)
          throw new BulkJournalError(
            `the journal ${path} was written with other settings (base message, batch size or stream changed); resume with the same command`,
          );
        if (header.input !== undefined && existing.input !== undefined && existing.input !== header.input)
          throw new BulkJournalError(
            `the recipients file changed since the journal ${path} was written; resume with the same file`,
          );
        if (torn) appendLine(descriptor, '');
        return new Journal(path, descriptor, existing, index);
      }
      const fresh: JournalHeader = { t: 'run', version: 1, ...header, startedAt: new Date().toISOString() };
      if (size > 0) appendLine(descriptor, '');
      appendLine(descriptor, JSON.stringify(fresh));
      return new Journal(path, descriptor, fresh, new Map());
    } catch (error) {
      closeSync(descriptor);
      throw error;
    }
  }

  /** Opens an existing journal read-only (to report on it); `replay` works, writing does not. */
  static read(path: string): Journal {
    let descriptor: number;
    try {
      descriptor = openSync(path, 'r');
    } catch (error) {
      throw new BulkJournalError(`cannot read the journal ${path}: ${(error as Error).message}`);
    }
    try {
      const size = fstatSync(descriptor).size;
      const { header, index } = readIndex(descriptor, size, path);
      if (!header) throw new BulkJournalError(`${path} is empty: no run was recorded in it`);
      const journal = new Journal(path, descriptor, header, index);
      journal.readOnly = true;
      return journal;
    } catch (error) {
      closeSync(descriptor);
      throw error;
    }
  }

  /** Batch numbers with records, in ascending order. */
  batches(): number[] {
    return [...this.index.keys()].sort((left, right) => left - right);
  }

  /** Written and flushed before a request: these items of the batch are about to be sent. */
  start(batch: number, firstSequence: number, count: number, fingerprint: string, offsets: number[]): void {
    this.write(batch, { t: 'start', b: batch, first: firstSequence, count, fp: fingerprint, items: offsets });
  }

  /** Written and flushed after an answer (or error): one outcome per item sent. */
  end(batch: number, outcomes: ItemOutcome[]): void {
    const entries: EndEntry[] = outcomes.map((outcome) => {
      const code =
        outcome.status === 'sent'
          ? 's'
          : outcome.status === 'failed'
            ? 'f'
            : outcome.status === 'uncertain'
              ? 'u'
              : 'r';
      const detail = outcome.status === 'sent' ? outcome.messageId : outcome.error;
      return detail === undefined ? [outcome.offset, code] : [outcome.offset, code, detail];
    });
    this.write(batch, { t: 'end', b: batch, o: entries });
  }

  /** Written after Email Logs settled uncertain items: `sent` with the id found, or proven `unsent`. */
  settle(
    batch: number,
    entries: Array<{ offset: number; status: 'sent' | 'unsent'; messageId?: string }>,
  ): void {
    const encoded: SettleEntry[] = entries.map((entry) =>
      entry.status === 'sent' ? [entry.offset, 's', entry.messageId] : [entry.offset, 'n'],
    );
    this.write(batch, { t: 'settle', b: batch, o: encoded });
  }

  /** True when the journal has any record for the batch. */
  has(batch: number): boolean {
    return this.index.has(batch);
  }

  /** Replays a batch's records into one state per item mentioned; items in flight at a crash stay `i`. */
  replay(batch: number): ReplayedBatch {
    const result: ReplayedBatch = { items: new Map() };
    for (const [position, length] of this.index.get(batch) ?? []) {
      const buffer = Buffer.alloc(length);
      readSync(this.descriptor, buffer, 0, length, position);
      const record = JSON.parse(buffer.toString('utf8')) as
        | { t: 'start'; fp: string; first: number; count: number; items: number[] }
        | { t: 'end'; o: EndEntry[] }
        | { t: 'settle'; o: SettleEntry[] };
      if (record.t === 'start') {
        result.fingerprint = record.fp;
        result.firstSequence = record.first;
        result.count = record.count;
        for (const offset of record.items) result.items.set(offset, { state: 'i' });
      } else if (record.t === 'end') {
        for (const [offset, code, detail] of record.o) {
          if (code === 's')
            result.items.set(
              offset,
              detail === undefined ? { state: 's' } : { state: 's', messageId: detail },
            );
          else if (code === 'f') result.items.set(offset, { state: 'f', error: detail ?? 'failed' });
          else if (code === 'u')
            result.items.set(offset, detail === undefined ? { state: 'u' } : { state: 'u', error: detail });
          else result.items.set(offset, { state: 'p' });
        }
      } else {
        for (const [offset, code, detail] of record.o)
          result.items.set(
            offset,
            code === 's'
              ? detail === undefined
                ? { state: 's' }
                : { state: 's', messageId: detail }
              : { state: 'n' },
          );
      }
    }
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.readOnly) fsyncSync(this.descriptor);
    } finally {
      closeSync(this.descriptor);
    }
  }

  private write(batch: number, record: Record<string, unknown>): void {
    if (this.closed) throw new BulkJournalError(`the journal ${this.path} is closed`);
    if (this.readOnly) throw new BulkJournalError(`the journal ${this.path} was opened read-only`);
    const position = fstatSync(this.descriptor).size;
    const line = JSON.stringify(record);
    appendLine(this.descriptor, line);
    const entry: [number, number] = [position, Buffer.byteLength(line)];
    const list = this.index.get(batch);
    if (list) list.push(entry);
    else this.index.set(batch, [entry]);
  }
}

function appendLine(descriptor: number, line: string): void {
  const buffer = Buffer.from(`${line}\n`, 'utf8');
  let written = 0;
  while (written < buffer.length) written += writeSync(descriptor, buffer, written, buffer.length - written);
  fsyncSync(descriptor);
}

function readIndex(
  descriptor: number,
  size: number,
  path: string,
): { header: JournalHeader | undefined; index: Map<number, Array<[number, number]>>; torn: boolean } {
  const index = new Map<number, Array<[number, number]>>();
  let header: JournalHeader | undefined;
  const chunk = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  let carryStart = 0;
  let position = 0;
  let lineNumber = 0;
  const handle = (line: Buffer, start: number) => {
    lineNumber += 1;
    if (line.length === 0) return;
    const text = line.toString('utf8');
    if (!header) {
      try {
        const parsed = JSON.parse(text) as JournalHeader;
        if (parsed.t !== 'run' || typeof parsed.runId !== 'string') throw new Error('not a run header');
        header = parsed;
        return;
      } catch (error) {
        throw new BulkJournalError(
          `${path} is not a bulk-batcher journal (line ${lineNumber}: ${(error as Error).message})`,
        );
      }
    }
    let record: { t?: unknown; b?: unknown };
    try {
      record = JSON.parse(text) as { t?: unknown; b?: unknown };
    } catch {
      return; // a line torn by a crash and closed by a later run: not a record
    }
    if (!recordTypes.has(record.t as string) || typeof record.b !== 'number')
      throw new BulkJournalError(`${path} line ${lineNumber} is not a journal record`);
    const batch = record.b;
    const entry: [number, number] = [start, line.length];
    const list = index.get(batch);
    if (list) list.push(entry);
    else index.set(batch, [entry]);
  };
  while (position < size) {
    const read = readSync(descriptor, chunk, 0, Math.min(chunk.length, size - position), position);
    if (read === 0) break;
    let data = Buffer.concat([carry, chunk.subarray(0, read)]);
    let dataStart = carryStart;
    position += read;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10)) {
      handle(data.subarray(0, newline), dataStart);
      dataStart += newline + 1;
      data = data.subarray(newline + 1);
    }
    carry = Buffer.from(data);
    carryStart = dataStart;
  }
  // A last line without its newline was torn by a crash mid-write: it is not a record.
  return { header, index, torn: carry.length > 0 };
}

/** What a journal says about its run: recipients by state, for `mailtrap-bulk status --journal`. */
export interface JournalSummary {
  path: string;
  runId: string;
  startedAt: string;
  /** Batches with at least one request recorded. */
  batches: number;
  /** Recipients covered by those batches (sent, failed, uncertain, in flight or still to send). */
  recipients: number;
  sent: number;
  failed: number;
  uncertain: number;
  /** Proven unsent by Email Logs and kept (re-sent only with resendUnsent / --resend-unsent). */
  unsent: number;
  /** In a request when the process stopped: settled through Email Logs on resume. */
  inFlight: number;
  /** Known not sent (a retryable refusal): sent on resume. */
  pending: number;
  /** Refused when packed (an invalid row): never in a request, reported as failed by the run. */
  rejected: number;
}

/** Reads a journal without changing it and counts its recipients by state. */
export function summarizeJournal(path: string): JournalSummary {
  const journal = Journal.read(path);
  try {
    const summary: JournalSummary = {
      path,
      runId: journal.header.runId,
      startedAt: journal.header.startedAt,
      batches: 0,
      recipients: 0,
      sent: 0,
      failed: 0,
      uncertain: 0,
      unsent: 0,
      inFlight: 0,
      pending: 0,
      rejected: 0,
    };
    for (const batch of journal.batches()) {
      const replayed = journal.replay(batch);
      summary.batches += 1;
      summary.recipients += replayed.count ?? replayed.items.size;
      summary.rejected += Math.max(0, (replayed.count ?? 0) - replayed.items.size);
      for (const item of replayed.items.values()) {
        if (item.state === 's') summary.sent += 1;
        else if (item.state === 'f') summary.failed += 1;
        else if (item.state === 'u') summary.uncertain += 1;
        else if (item.state === 'n') summary.unsent += 1;
        else if (item.state === 'i') summary.inFlight += 1;
        else summary.pending += 1;
      }
    }
    return summary;
  } finally {
    journal.close();
  }
}
