import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-main';
import { summarizeJournal } from './journal';
import { createBulkRun } from './run';

const directory = mkdtempSync(join(tmpdir(), 'bulk-status-'));
const base = { from: { email: 'news@example.com' }, subject: 'Spring sale', text: 'Hello!' };

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('mailtrap-bulk status --journal', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ retainBodies: 10 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('counts a journal by state and says how to resume, without changing it', async () => {
    const journal = join(directory, 'mixed.journal');
    // 100 recipients in batches of 25: one invalid row, one recipient refused inside a 200 answer,
    // the first batch answered 502 (nothing proven either way: uncertain, settlement off).
    emulator.faults.inject({
      kind: 'batch_item_failure',
      recipient: 'user60@example.org',
      count: 1,
      errors: ["'to' address is not allowed"],
    });
    emulator.faults.inject({ kind: 'server_error', status: 502, count: 1, paths: ['batch'] });
    const recipients = Array.from({ length: 100 }, (_, index) =>
      index === 3 ? { email: 'not-an-address' } : { email: `user${index}@example.org` },
    );
    const summary = await createBulkRun({
      recipients,
      base,
      token: emulator.token,
      endpoints: emulator.endpoints,
      rateLimit: false,
      retryDelayMs: 1,
      timeoutMs: 20_000,
      batchSize: 25,
      concurrency: 1,
      settle: false,
      journal,
      total: 99,
    }).done;
    expect(summary.sent + summary.failed + summary.uncertain).toBe(100);
    expect(summary.failed).toBe(2);
    expect(summary.uncertain).toBe(24);

    const counted = summarizeJournal(journal);
    expect(counted).toMatchObject({
      runId: summary.runId,
      batches: 4,
      recipients: 99,
      sent: summary.sent,
      failed: 2,
      uncertain: 24,
      inFlight: 0,
      unsent: 0,
      finished: false,
    });

    const text = await cli(['status', '--journal', journal]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`run ${summary.runId}`);
    expect(text.stdout).toMatch(new RegExp(`sent:\\s+${summary.sent}\\n`));
    expect(text.stdout).toMatch(/failed:\s+2\n/);
    expect(text.stdout).toMatch(/uncertain:\s+24\n/);
    expect(text.stdout).toContain(`--journal ${journal} --resume`);
    const json = await cli(['status', '--journal', journal, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(counted);
    // reading it left it resumable: a resume finds every batch ended and sends nothing more
    const before = emulator.stats().requests;
    const resumed = await createBulkRun({
      recipients,
      base,
      token: emulator.token,
      endpoints: emulator.endpoints,
      rateLimit: false,
      batchSize: 25,
      settle: false,
      journal,
      resume: true,
    }).done;
    expect(resumed).toMatchObject({ sent: summary.sent, uncertain: 24, failed: 2 });
    expect(emulator.stats().requests).toBe(before);
  }, 90_000);

  it('refuses a missing journal, a file that is not one, and unclear arguments with exit 2', async () => {
    const missing = await cli(['status', '--journal', join(directory, 'nope.journal')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the journal .*nope\.journal/);
    const other = join(directory, 'other.txt');
    writeFileSync(other, 'hello\n');
    const notJournal = await cli(['status', '--journal', other]);
    expect(notJournal.code).toBe(2);
    expect(notJournal.stderr).toMatch(/is not a bulk-batcher journal/);
    const nothing = await cli(['status']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/status needs --journal <file>/);
    const typo = await cli(['status', '--jounral', other]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown option --jounral: did you mean --journal\?/);
    const help = await cli(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mailtrap-bulk status --journal <file>');
  });
});

describe('mailtrap-bulk status <campaign>', () => {
  it('points to mailtrap-bulk-bullmq for a Redis campaign (it lives in @mailtrap-kit/bulk-bullmq)', async () => {
    const campaign = await cli(['status', 'spring']);
    expect(campaign.code).toBe(2);
    expect(campaign.stderr).toContain('mailtrap-bulk-bullmq status spring');
  });
});
