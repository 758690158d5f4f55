import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliHarness } from './cli.test-support';

const cli = useCliHarness();
const { directory, startCli, runPrinted } = cli;
let emulator: RunningEmulator;
beforeAll(() => {
  emulator = cli.emulator;
});

/** A CSV with a header and one row per recipient. */
function csv(name: string, header: string, rows: string[]): string {
  const file = join(directory, name);
  writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
  return file;
}

function content(name: string, text: string): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

/** The arguments every scenario shares: the emulator's hosts, no rate limit, progress as lines. */
function send(recipients: string, extra: string[], endpoint = emulator.endpoints.bulk): string[] {
  return [
    'send',
    '--recipients',
    recipients,
    '--endpoint',
    endpoint,
    '--general-endpoint',
    emulator.endpoints.general,
    '--rate',
    'off',
    '--progress',
    'lines',
    '--settle-delay',
    '0',
    ...extra,
  ];
}

function printedResume(stderr: string): string {
  const match = /Resume with:\n {2}(.+)\n/.exec(stderr);
  if (!match) throw new Error(`no resume command in:\n${stderr}`);
  return match[1]!;
}

describe('mailtrap-bulk campaigns from a CSV (spawned, against the emulator)', () => {
  it('mail merge: every column fills {{variables}} in the subject and the html, per recipient', async () => {
    const file = csv(
      'merge.csv',
      'email,name,first_name,city',
      Array.from(
        { length: 30 },
        (_, index) => `m${index}@example.org,M ${index},First${index},Town ${index}`,
      ),
    );
    const html = content('merge.html', '<p>Hi {{first_name}} from {{city}} ({{name}}, {{email}})</p>');
    const dry = await startCli(
      send(file, [
        '--from',
        'news@example.com',
        '--subject',
        'Hello {{first_name}}',
        '--html',
        html,
        '--dry-run',
      ]),
    ).finished;
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /Variables the content uses: \{\{first_name\}\}, \{\{city\}\}, \{\{name\}\}, \{\{email\}\}/,
    );
    const outcome = await startCli(
      send(file, ['--from', 'news@example.com', '--subject', 'Hello {{first_name}}', '--html', html]),
    ).finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain(
      `sending on the bulk stream via ${emulator.endpoints.bulk} (--endpoint)`,
    );
    expect(emulator.stats().messages).toBe(30);
    // the emulator keeps the bodies of the last 20 messages: each of those is checked
    const messages = emulator.messages();
    expect(messages.length).toBeGreaterThanOrEqual(20);
    for (const message of messages) {
      const index = Number(/^m(\d+)@/.exec(message.to[0]!.email)![1]);
      expect(message.stream).toBe('bulk');
      expect(message.subject).toBe(`Hello First${index}`);
      expect(message.html).toBe(
        `<p>Hi First${index} from Town ${index} (M ${index}, m${index}@example.org)</p>`,
      );
    }
  }, 120_000);

  it('refuses content that uses a variable no recipient has, before sending anything', async () => {
    const file = csv('no-column.csv', 'email,name', ['a@example.org,A', 'b@example.org,B']);
    const outcome = await startCli(
      send(file, [
        '--from',
        'news@example.com',
        '--subject',
        'Hi {{first_name}}',
        '--text',
        content('t.txt', 'x'),
      ]),
    ).finished;
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('the content uses {{first_name}} but no recipient has it');
    expect(emulator.stats().requests).toBe(0);
  }, 120_000);

  it('an unverified sender stops the run after one batch, with the reason, and resumes once the domain is verified', async () => {
    const file = csv(
      'unverified.csv',
      'email,first_name',
      Array.from({ length: 100 }, (_, index) => `u${index}@example.org,U${index}`),
    );
    const args = send(file, [
      '--from',
      'News <news@unverified.test>',
      '--subject',
      'Spring',
      '--text',
      content('u.txt', 'Hello {{first_name}}'),
      '--batch-size',
      '10',
      '--concurrency',
      '1',
    ]);
    const stopped = await startCli(args).finished;
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(stopped.stderr).toMatch(
      /stopped after a refusal that would refuse every recipient \(refused\): .*not verified/,
    );
    expect(stopped.stdout).toMatch(/0 sent, 0 failed, 0 uncertain, 100 unsent, of 100 recipients/);
    expect(stopped.stdout).toMatch(
      /\n +10 unsent: Forbidden: the sending domain 'unverified.test' is not verified\n/,
    );
    expect(stopped.stdout).toMatch(
      /\n +90 unsent: not sent: the run stopped \(Forbidden: .*not verified\)\n/,
    );
    expect(emulator.requests().filter((request) => request.path.endsWith('/api/batch'))).toHaveLength(1);
    expect(emulator.stats().messages).toBe(0);

    // The domain gets verified (another emulator account that has it): the printed resume sends all, once.
    const verified = await startEmulator({ verifiedDomains: ['unverified.test'], retainLogs: 1000 });
    try {
      const resume = printedResume(stopped.stderr).replace(emulator.endpoints.bulk, verified.endpoints.bulk);
      const resumed = await runPrinted(resume, { MAILTRAP_API_TOKEN: verified.token }).finished;
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/100 sent, 0 failed, 0 uncertain, 0 unsent, of 100 recipients/);
      expect(verified.stats().messages).toBe(100);
      expect(new Set(verified.messages().map((message) => message.to[0]!.email)).size).toBe(100);
    } finally {
      await verified.close();
    }
  }, 120_000);

  it('ENOTFOUND: nothing is sent, the recipients stay unsent, and the run with a fixed endpoint sends each once', async () => {
    const file = csv(
      'dns.csv',
      'email',
      Array.from({ length: 60 }, (_, index) => `d${index}@example.org`),
    );
    const extra = [
      '--from',
      'news@example.com',
      '--subject',
      'S',
      '--text',
      content('d.txt', 'x'),
      '--batch-size',
      '20',
    ];
    const started = Date.now();
    const failed = await startCli(send(file, extra, 'https://nothing.invalid')).finished;
    expect(failed.code, failed.stderr).toBe(3);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(failed.stderr).toMatch(/\(unreachable\): .*ENOTFOUND/);
    expect(failed.stdout).toMatch(/0 sent, 0 failed, 0 uncertain, 60 unsent, of 60 recipients/);
    const resume = printedResume(failed.stderr).replace('https://nothing.invalid', emulator.endpoints.bulk);
    const resumed = await runPrinted(resume).finished;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/60 sent, 0 failed, 0 uncertain, 0 unsent, of 60 recipients/);
    const addresses = emulator.logs().map((entry) => entry.to);
    expect(addresses).toHaveLength(60);
    expect(new Set(addresses).size).toBe(60);
  }, 120_000);

  it('ECONNREFUSED: a closed port refuses every connection before the request leaves; the recipients stay unsent and the resume sends each once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refusing = `http://127.0.0.1:${port}/bulk`;
    const file = csv(
      'refused.csv',
      'email',
      Array.from({ length: 60 }, (_, index) => `r${index}@example.org`),
    );
    const extra = [
      '--from',
      'news@example.com',
      '--subject',
      'S',
      '--text',
      content('r.txt', 'x'),
      '--batch-size',
      '20',
    ];
    const failed = await startCli(send(file, extra, refusing)).finished;
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stderr).toMatch(/\(unreachable\): not sent after \d+ attempts: .*ECONNREFUSED/);
    expect(failed.stdout).toMatch(/0 sent, 0 failed, 0 uncertain, 60 unsent, of 60 recipients/);
    expect(emulator.stats().messages).toBe(0);
    const resume = printedResume(failed.stderr).replace(refusing, emulator.endpoints.bulk);
    expect(resume).toContain(emulator.endpoints.bulk);
    const resumed = await runPrinted(resume).finished;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/60 sent, 0 failed, 0 uncertain, 0 unsent, of 60 recipients/);
    const addresses = emulator.logs().map((entry) => entry.to);
    expect(addresses).toHaveLength(60);
    expect(new Set(addresses).size).toBe(60);
  }, 120_000);

  it('two campaigns from one file each get their own journal; the same campaign again is refused', async () => {
    const file = csv(
      'two.csv',
      'email',
      Array.from({ length: 25 }, (_, index) => `t${index}@example.org`),
    );
    const campaign = (subject: string) =>
      send(file, ['--from', 'news@example.com', '--subject', subject, '--text', content('two.txt', 'x')]);
    const first = await startCli(campaign('Spring')).finished;
    expect(first.code, first.stderr).toBe(0);
    const second = await startCli(campaign('Summer')).finished;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/25 sent, 0 failed, 0 uncertain, 0 unsent, of 25 recipients/);
    const subjects = emulator.logs().map((entry) => entry.subject);
    expect(subjects.filter((subject) => subject === 'Spring')).toHaveLength(25);
    expect(subjects.filter((subject) => subject === 'Summer')).toHaveLength(25);
    const again = await startCli(campaign('Spring')).finished;
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('this campaign was already sent to');
    expect(emulator.stats().messages).toBe(50);
  }, 120_000);

  it('skips duplicate addresses with a count, or sends them with --allow-duplicates', async () => {
    const file = csv('dupes.csv', 'email,name', [
      'a@example.org,A',
      'b@example.org,B',
      'A@Example.org,A again',
      'c@example.org,C',
      'b@example.org,B again',
    ]);
    const extra = ['--from', 'news@example.com', '--subject', 'S', '--text', content('dupes.txt', 'x')];
    const skipped = await startCli(send(file, extra)).finished;
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(
      /3 sent, 0 failed, 0 uncertain, 0 unsent, of 3 recipients; 2 duplicate rows not sent/,
    );
    expect(emulator.stats().messages).toBe(3);
    emulator.reset();
    const all = await startCli(send(file, [...extra, '--allow-duplicates'])).finished;
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/5 sent, 0 failed, 0 uncertain, 0 unsent, of 5 recipients/);
    expect(emulator.stats().messages).toBe(5);
  }, 120_000);

  it('reads a semicolon CSV (detected) and names the line of every refused row', async () => {
    const file = csv('semicolon.csv', 'email;first_name', [
      'ann@example.org;Ann',
      'broken-address;Bob',
      'cy@example.org;"Cy; Jr."',
      'dee@example.org',
    ]);
    const outcome = await startCli(
      send(file, [
        '--from',
        'news@example.com',
        '--subject',
        'Hi {{first_name}}',
        '--text',
        content('s.txt', 'x'),
      ]),
    ).finished;
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(outcome.stdout).toMatch(
      /2 sent, 0 failed, 0 uncertain, 0 unsent, of 2 recipients; 2 invalid rows not sent/,
    );
    expect(outcome.stdout).toMatch(/\(line 3\)/);
    expect(outcome.stdout).toMatch(/\(line 5\)/);
    expect(
      emulator
        .messages()
        .map((message) => message.subject)
        .sort(),
    ).toEqual(['Hi Ann', 'Hi Cy; Jr.']);
  }, 120_000);

  it('prints its version, and help with defaults and an example; a mistyped flag names the right one', async () => {
    const version = await startCli(['--version']).finished;
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await startCli(['--help']).finished;
    expect(help.stdout).toContain('default 150/10s');
    expect(help.stdout).toContain('Example:');
    const typo = await startCli(['send', '--recipents', 'x.csv']).finished;
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option --recipents: did you mean --recipients?');
  }, 60_000);
});
