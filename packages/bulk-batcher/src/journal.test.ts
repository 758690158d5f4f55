import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BulkJournalError } from './errors';
import { Journal } from './journal';

const directory = mkdtempSync(join(tmpdir(), 'bulk-journal-'));
const outcome = (offset: number, status: 'sent' | 'failed' | 'uncertain' | 'retry', detail?: string) => ({
  sequence: offset,
  offset,
  email: `r${offset}@example.org`,
  status,
  ...(status === 'sent' ? { messageId: detail } : { error: detail }),
});

describe('Journal', () => {
  it('replays attempts, settlements and in-flight items; survives a torn last line', () => {
    const path = join(directory, 'replay.journal');
    const journal = Journal.open(path, { runId: 'run1', settings: 'abc', input: 'file1' }, { resume: false });
    journal.start(0, 0, 4, 'fp0', [0, 1, 2, 3]);
    journal.end(0, [
      outcome(0, 'sent', 'm0'),
      outcome(1, 'failed', 'bad'),
      outcome(2, 'uncertain', '500'),
      outcome(3, 'retry', '429'),
    ]);
    journal.start(0, 0, 4, 'fp0', [3]);
    journal.settle(0, [{ offset: 2, status: 'unsent' }]);
    journal.start(1, 4, 2, 'fp1', [0, 1]);
    journal.close();
    appendFileSync(path, '{"t":"end","b":1,"o":[[0,"s","m4"'); // the process died mid-write

    const resumed = Journal.open(path, { runId: 'other', settings: 'abc', input: 'file1' }, { resume: true });
    expect(resumed.header.runId).toBe('run1');
    const batch0 = resumed.replay(0);
    expect(batch0.fingerprint).toBe('fp0');
    expect(Object.fromEntries(batch0.items)).toEqual({
      0: { state: 's', messageId: 'm0' },
      1: { state: 'f', error: 'bad' },
      2: { state: 'n' },
      3: { state: 'i' },
    });
    expect(Object.fromEntries(resumed.replay(1).items)).toEqual({ 0: { state: 'i' }, 1: { state: 'i' } });
    expect(resumed.has(2)).toBe(false);
    resumed.end(1, [outcome(0, 'sent', 'm4'), outcome(1, 'sent', 'm5')]);
    resumed.close();

    const again = Journal.open(path, { runId: 'x', settings: 'abc' }, { resume: true });
    expect(Object.fromEntries(again.replay(1).items)).toEqual({
      0: { state: 's', messageId: 'm4' },
      1: { state: 's', messageId: 'm5' },
    });
    again.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.filter((line) => line.startsWith('{"t":"end","b":1,"o":[[0,"s","m4"]')).length).toBe(1);
  });

  it('refuses to start over an existing journal, other settings, another input, or a foreign file', () => {
    const path = join(directory, 'guard.journal');
    Journal.open(path, { runId: 'r', settings: 's1', input: 'i1' }, { resume: false }).close();
    expect(() => Journal.open(path, { runId: 'r', settings: 's1' }, { resume: false })).toThrow(
      /already exists/,
    );
    expect(() => Journal.open(path, { runId: 'r', settings: 's2' }, { resume: true })).toThrow(
      /other settings/,
    );
    expect(() => Journal.open(path, { runId: 'r', settings: 's1', input: 'i2' }, { resume: true })).toThrow(
      /recipients file changed/,
    );
    const foreign = join(directory, 'foreign.txt');
    writeFileSync(foreign, 'hello\n');
    expect(() => Journal.open(foreign, { runId: 'r', settings: 's1' }, { resume: true })).toThrow(
      BulkJournalError,
    );
    const fresh = Journal.open(
      join(directory, 'missing.journal'),
      { runId: 'new', settings: 's1' },
      { resume: true },
    );
    expect(fresh.header.runId).toBe('new');
    fresh.close();
  });
});
