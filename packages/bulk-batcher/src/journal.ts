import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { PersistencePort, SettledItem } from './engine';
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
  /** Recipients to send (valid rows), when the caller knows it: status then counts the rest as unsent. */
  recipients?: number;
  startedAt: string;
}

/** The last record of a run that left nothing to send (written by `finish`). */
export interface JournalFinish {
  t: 'finish';
  at: string;
  sent: number;
  failed: number;
  uncertain: number;
  unsent: number;
}

/**
 * State of one item after replaying its batch's lines: `p` known unsent (refused before it was
 * accepted, a connection that never opened, the attempts ran out: a resume sends it; `error` says why),
 * `i` in flight when the run died, `s` sent, `f` failed, `u` uncertain, `n` proven unsent by Email
 * Logs (re-sent only with the user's consent).
 */
export type JournalItemState =
  | { state: 'p'; error?: string }
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

/** The journal as the send engine's persistence port. */
export function journalPort(journal: Journal): PersistencePort {
  return {
    start: (batch, items) =>
      journal.start(
        batch.batch,
        batch.firstSequence,
        batch.count,
        batch.fingerprint,
        items.map((item) => item.offset),
      ),
    end: (batch, outcomes) => journal.end(batch.batch, outcomes),
    settle: (batch, settlements) => journal.settle(batch.batch, settlements),
  };
}

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
  /** The `finish` record, when the run it records left nothing to send. */
  finished: JournalFinish | undefined;
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
      throw new BulkJournalError(`cannot open the journal ${path}: ${(error as Error).message}`, {
        journal: path,
        cause: error,
      });
    }
    try {
      const size = fstatSync(descriptor).size;
      if (size > 0 && !options.resume)
        throw new BulkJournalError(
          `the journal ${path} already exists: resume that run (--resume / resume: true) or remove the file to start a new one`,
          { journal: path },
        );
      const {
        header: existing,
        index,
        torn,
        finished,
      } = size > 0
        ? readIndex(descriptor, size, path)
        : { header: undefined, index: new Map(), torn: false, finished: undefined };
      if (existing) {
        if (existing.settings !== header.settings)
          throw new BulkJournalError(
            `the journal ${path} was written with other settings (base message, batch size or stream changed); resume with the same command`,
            { journal: path },
          );
        if (header.input !== undefined && existing.input !== undefined && existing.input !== header.input)
          throw new BulkJournalError(
            `the recipients file changed since the journal ${path} was written; resume with the same file`,
            { journal: path },
          );
        if (torn) appendLine(descriptor, '');
        const journal = new Journal(path, descriptor, existing, index);
        journal.finished = finished;
        return journal;
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
      throw new BulkJournalError(`cannot read the journal ${path}: ${(error as Error).message}`, {
        journal: path,
        cause: error,
      });
    }
    try {
      const size = fstatSync(descriptor).size;
      const { header, index, finished } = readIndex(descriptor, size, path);
      if (!header)
        throw new BulkJournalError(`${path} is empty: no run was recorded in it`, { journal: path });
      const journal = new Journal(path, descriptor, header, index);
      journal.finished = finished;
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
  end(batch: number, outcomes: readonly ItemOutcome[]): void {
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

  /** Written when a run ended with nothing left to send: later runs know this campaign is done. */
  finish(counts: Omit<JournalFinish, 't' | 'at'>): void {
    const record: JournalFinish = { t: 'finish', at: new Date().toISOString(), ...counts };
    appendLine(this.descriptor, JSON.stringify(record));
    this.finished = record;
  }

  /** Written after Email Logs settled uncertain items: `sent` with the id found, or proven `unsent`. */
  settle(batch: number, entries: ReadonlyArray<Pick<SettledItem, 'offset' | 'status' | 'messageId'>>): void {
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
          else
            result.items.set(offset, detail === undefined ? { state: 'p' } : { state: 'p', error: detail });
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
    if (this.closed) throw new BulkJournalError(`the journal ${this.path} is closed`, { journal: this.path });
    if (this.readOnly)
      throw new BulkJournalError(`the journal ${this.path} was opened read-only`, { journal: this.path });
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
): {
  header: JournalHeader | undefined;
  index: Map<number, Array<[number, number]>>;
  torn: boolean;
  finished: JournalFinish | undefined;
} {
  const index = new Map<number, Array<[number, number]>>();
  let header: JournalHeader | undefined;
  let finished: JournalFinish | undefined;
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
          { journal: path, cause: error },
        );
      }
    }
    let record: { t?: unknown; b?: unknown };
    try {
      record = JSON.parse(text) as { t?: unknown; b?: unknown };
    } catch {
      return; // a line torn by a crash and closed by a later run: not a record
    }
    if (record.t === 'finish') {
      finished = record as unknown as JournalFinish;
      return;
    }
    // a batch record after a finish: a later run (resend-unsent) reopened the campaign
    finished = undefined;
    if (!recordTypes.has(record.t as string) || typeof record.b !== 'number')
      throw new BulkJournalError(`${path} line ${lineNumber} is not a journal record`, { journal: path });
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
  return { header, index, torn: carry.length > 0, finished };
}

/**
 * What a journal says about its run, in the states every report uses: for `mailtrap-bulk status`.
 * `unsent` counts recipients known not accepted (a resume sends them) and, when the journal knows
 * how many recipients the run has, those no batch reached yet.
 */
export interface JournalSummary {
  path: string;
  runId: string;
  startedAt: string;
  /** Valid recipients of the run, when the journal's writer knew it (the CLI does). */
  recipients: number | undefined;
  /** Batches with at least one request recorded. */
  batches: number;
  sent: number;
  /** Refused for good, invalid rows of the batches recorded included. */
  failed: number;
  uncertain: number;
  /** Known not accepted (sent by a resume) plus, when `recipients` is known, those not reached yet. */
  unsent: number;
  /** Of `unsent`: proven unsent by Email Logs, re-sent only with --resend-unsent. */
  unsentByEmailLogs: number;
  /** In a request when the process stopped: settled through Email Logs on resume. */
  inFlight: number;
  /** True when the run recorded that nothing was left to send. */
  finished: boolean;
}

/** Reads a journal without changing it and counts its recipients by state. */
export function summarizeJournal(path: string): JournalSummary {
  const journal = Journal.read(path);
  try {
    const summary: JournalSummary = {
      path,
      runId: journal.header.runId,
      startedAt: journal.header.startedAt,
      recipients: journal.header.recipients,
      batches: 0,
      sent: 0,
      failed: 0,
      uncertain: 0,
      unsent: 0,
      unsentByEmailLogs: 0,
      inFlight: 0,
      finished: journal.finished !== undefined,
    };
    let invalid = 0;
    for (const batch of journal.batches()) {
      const replayed = journal.replay(batch);
      summary.batches += 1;
      invalid += Math.max(0, (replayed.count ?? 0) - replayed.items.size);
      for (const item of replayed.items.values()) {
        if (item.state === 's') summary.sent += 1;
        else if (item.state === 'f') summary.failed += 1;
        else if (item.state === 'u') summary.uncertain += 1;
        else if (item.state === 'n') {
          summary.unsent += 1;
          summary.unsentByEmailLogs += 1;
        } else if (item.state === 'i') summary.inFlight += 1;
        else summary.unsent += 1;
      }
    }
    // `recipients` counts valid rows; invalid rows of the recorded batches are failed on top of them.
    if (summary.recipients !== undefined) {
      const reached = summary.sent + summary.failed + summary.uncertain + summary.unsent + summary.inFlight;
      summary.unsent += Math.max(0, summary.recipients - reached);
    }
    summary.failed += invalid;
    return summary;
  } finally {
    journal.close();
  }
}
