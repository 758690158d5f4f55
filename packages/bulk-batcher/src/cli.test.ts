import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@mailtrap-kit/emulator';
import { useCliHarness } from './cli.test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAddress, parseRate } from './cli-args';
import { parseCliArguments } from './cli-program';

const cli = useCliHarness();
const { directory, startCli, sendArgs, readLinesOf, runPrinted } = cli;
let emulator: RunningEmulator;
beforeAll(() => {
  emulator = cli.emulator;
});

describe('mailtrap-bulk arguments', () => {
  it('parses rates, addresses and the required combinations', () => {
    expect(parseRate('150/10s')).toEqual({ requests: 150, windowMs: 10_000 });
    expect(parseRate('5/0.5s')).toEqual({ requests: 5, windowMs: 500 });
    expect(parseRate('off')).toBe(false);
    // the kit's one rate grammar, as mailtrap-emulator --rate and mailtrap-kit read it
    expect(parseRate('600/1m')).toEqual({ requests: 600, windowMs: 60_000 });
    expect(parseRate('5/250ms')).toEqual({ requests: 5, windowMs: 250 });
    expect(() => parseRate('150 per 10')).toThrow(/--rate must look like 150\/10s/);
    expect(parseAddress('"News Desk" <news@example.com>')).toEqual({
      email: 'news@example.com',
      name: 'News Desk',
    });
    expect(parseAddress('news@example.com')).toEqual({ email: 'news@example.com' });
    const options = parseCliArguments([
      'send',
      '--recipients',
      'a.csv',
      '--from',
      'a@example.com',
      '--template-uuid',
      'x',
    ]);
    expect(options).toMatchObject({
      format: 'csv',
      stream: 'bulk',
      allowDuplicates: false,
      concurrency: 4,
      rate: { requests: 150 },
    });
    expect(() => parseCliArguments(['send', '--recipients', 'a.csv', '--from', 'a@example.com'])).toThrow(
      /--subject/,
    );
    const withAccount = ['send', '--recipients', 'a.csv', '--from', 'a@example.com', '--template-uuid', 'x'];
    expect(parseCliArguments([...withAccount, '--account-id', '42']).accountId).toBe('42');
    expect(options.accountId).toBeUndefined();
    expect(() => parseCliArguments([...withAccount, '--account-id', 'abc'])).toThrow(
      /option '--account-id <id>' argument 'abc' is invalid/,
    );
    expect(() =>
      parseCliArguments(['send', '--recipients', 'a.csv', '--from', 'a@example.com', '--subject', 's']),
    ).toThrow(/--text/);
    expect(() =>
      parseCliArguments([
        'send',
        '--recipients',
        'a.csv',
        '--from',
        'a@example.com',
        '--template-uuid',
        'x',
        '--subject',
        's',
      ]),
    ).toThrow(/cannot be combined/);
    expect(() =>
      parseCliArguments(['send', '--recipients', 'a.txt', '--from', 'a@example.com', '--template-uuid', 'x']),
    ).toThrow(/--format/);
    expect(() =>
      parseCliArguments([
        'send',
        '--recipients',
        'a.csv',
        '--from',
        'a@example.com',
        '--template-uuid',
        'x',
        '--stream',
        'sandbox',
      ]),
    ).toThrow(/--stream/);
    expect(() =>
      parseCliArguments([
        'send',
        '--recipients',
        'a.csv',
        '--from',
        'a@example.com',
        '--template-uuid',
        'x',
        '--concurrency',
        '0',
      ]),
    ).toThrow(/--concurrency/);
    expect(() => parseCliArguments(['send', '--bogus'])).toThrow(/bogus/);
  });
});

describe('mailtrap-bulk send (spawned against the emulator)', () => {
  it('sends a CSV with broken rows: one result per row, exit 1, valid rows accepted once on the bulk stream', async () => {
    const file = join(directory, 'mixed.csv');
    const rows = ['email,name,city'];
    for (let index = 0; index < 50; index += 1)
      rows.push(`user${index}@example.org,User ${index},Town ${index}`);
    rows.push(
      'not-an-address,Bad,Nowhere',
      'short@example.org,Short',
      '"unclosed@example.org,Q,Z',
      `huge@example.org,${'x'.repeat(2_000_000)},Y`,
    );
    writeFileSync(file, `${rows.join('\n')}\n`);
    const results = join(directory, 'mixed.ndjson');
    const { finished } = startCli(sendArgs(file, ['--results', results, '--batch-size', '20']));
    const outcome = await finished;
    expect(outcome.stderr).not.toContain(emulator.token);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(outcome.stdout).toMatch(
      /50 sent, 0 failed, 0 uncertain, 0 unsent, of 50 recipients; 4 invalid rows not sent/,
    );
    expect(outcome.stdout).toMatch(/Not sent, by reason:\n/);
    expect(outcome.stdout).toMatch(/1 failed: invalid email address: "…" has no @ \(line 52\)/);
    const lines = readLinesOf(results);
    expect(lines).toHaveLength(54);
    const failed = lines.filter((line) => line.status === 'failed');
    expect(failed.map((line) => line.error)).toEqual([
      'line 52: invalid email address: "not-an-address" has no @',
      'line 53: expected 3 columns (email, name, city), got 2',
      'line 54: unclosed quote',
      'line 55: the row is longer than 1048576 bytes',
    ]);
    expect(emulator.stats().messages).toBe(50);
    expect(emulator.messages().every((message) => message.stream === 'bulk')).toBe(true);
    for (const line of lines.filter((entry) => entry.status === 'sent'))
      expect(line.message_id).toMatch(/\S/);
  }, 120_000);

  it('refuses bad input before sending anything, with exit 2 and a clear message', async () => {
    const noEmail = join(directory, 'no-email.csv');
    writeFileSync(noEmail, 'name,city\nAnn,Berlin\n');
    const missingColumn = await startCli(sendArgs(noEmail)).finished;
    expect(missingColumn.code).toBe(2);
    expect(missingColumn.stderr).toContain(
      'the CSV header has no "email" column (columns: name, city; delimiter ",", detected)',
    );
    expect(readdirSync(directory).filter((name) => name.startsWith('no-email.csv.'))).toEqual([]);

    const good = join(directory, 'good.ndjson');
    writeFileSync(good, `${JSON.stringify({ email: 'a@example.org' })}\n`);
    const noToken = await startCli(sendArgs(good), { MAILTRAP_API_TOKEN: '' }).finished;
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('MAILTRAP_API_TOKEN is not set');
    const missingFile = await startCli(sendArgs(join(directory, 'absent.csv'))).finished;
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/--recipients .*absent\.csv/);
    expect(emulator.stats().requests).toBe(0);

    const journal = join(directory, 'guarded.journal');
    const first = await startCli(sendArgs(good, ['--journal', journal])).finished;
    expect(first.code, first.stderr).toBe(0);
    const again = await startCli(sendArgs(good, ['--journal', journal])).finished;
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('this campaign was already sent to');
    writeFileSync(good, `${JSON.stringify({ email: 'b@example.org' })}\n`);
    const changed = await startCli(sendArgs(good, ['--journal', journal, '--resume'])).finished;
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('the recipients file changed since the journal');
    expect(emulator.stats().messages).toBe(1);
  }, 120_000);

  it('dry run prints requests, bytes and the expected duration and sends nothing', async () => {
    const file = join(directory, 'dry.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 1200 }, (_, index) => JSON.stringify({ email: `d${index}@example.org` })).join(
        '\n',
      ),
    );
    const outcome = await startCli([...sendArgs(file), '--dry-run', '--rate', '150/10s']).finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(
      /Dry run: 1200 rows: 1200 recipients to send, 0 invalid; 3 requests, \d+ bytes, expected duration 0s at 150 requests\/10s\. Nothing was sent\./,
    );
    expect(emulator.stats().requests).toBe(0);
  }, 120_000);
});

function journalLines(path: string): number {
  try {
    return statSync(path).size === 0 ? 0 : readFileSync(path, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

describe('mailtrap-bulk on Ctrl-C', () => {
  it('stops cleanly, prints the resume command, and the resume finishes the rest', async () => {
    const file = join(directory, 'interrupt.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 300 }, (_, index) => JSON.stringify({ email: `i${index}@example.org` })).join(
        '\n',
      ),
    );
    const journal = join(directory, 'interrupt.journal');
    emulator.faults.inject({ kind: 'latency', delayMs: 40, share: 1, paths: ['batch'] });
    const args = sendArgs(file, ['--journal', journal, '--batch-size', '10', '--concurrency', '1']);
    const { child, finished } = startCli(args);
    while (journalLines(journal) < 6) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGINT');
    const stopped = await finished;
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(stopped.stderr).toContain('Stopping: no new request starts');
    const printed = /Resume with:\n {2}(.+ send .* --resume.*)\n/.exec(stopped.stderr);
    expect(printed, stopped.stderr).not.toBeNull();
    expect(stopped.stdout).toMatch(/[1-9]\d* unsent/);
    // the bar or progress lines never come after the summary
    expect(stopped.stderr.slice(stopped.stderr.indexOf('Stopping'))).not.toMatch(
      /mailtrap-bulk: \d+\/\d+ sent/,
    );
    const sentBefore = emulator.stats().messages;
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(300);
    emulator.faults.clear();
    // the resume command runs exactly as printed
    const resumed = await runPrinted(printed![1]!).finished;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(emulator.stats().messages).toBe(300);
  }, 120_000);
});
