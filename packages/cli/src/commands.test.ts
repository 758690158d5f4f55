import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKitProcess, useEmulator } from './cli.test-support';

const accountToken = 'account-token-0123456789abcdef';
const harness = useEmulator({ tokens: [{ token: accountToken }] });

describe('mailtrap-kit commands against the emulator (spawned)', () => {
  it('domains: list, create (DNS records to publish), show, setup, delete only with --yes', async () => {
    const list = await harness.kit(['domains', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+DOMAIN\s+STATE\s+COMPLIANCE\n/);
    expect(list.stdout).toMatch(/example\.com\s+verified/);
    // a group without its subcommand lists, with the list's options
    const bare = await harness.kitJson<Array<{ domain_name: string }>>(['domains']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.data.map((domain) => domain.domain_name)).toContain('example.com');

    const created = await harness.kit(['domains', 'create', 'cli.example.net']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /Created cli\.example\.net \(id \d+\): not verified \(\d DNS records to publish\)/,
    );
    expect(created.stdout).toMatch(
      /TXT\s+cli\.example\.net\s+v=spf1 include:_spf\.smtp\.mailtrap\.live ~all\s+missing/,
    );

    const shown = await harness.kitJson<{
      domain_name: string;
      dns_verified: boolean;
      dns_records: unknown[];
    }>(['domains', 'show', 'cli.example.net']);
    expect(shown.code).toBe(0);
    expect(shown.data).toMatchObject({ domain_name: 'cli.example.net', dns_verified: false });
    expect(shown.data.dns_records.length).toBeGreaterThan(3);

    const setup = await harness.kit(['domains', 'setup', 'cli.example.net', '--email', 'dns@example.org']);
    expect(setup).toMatchObject({
      code: 0,
      stdout: 'Sent the setup instructions of cli.example.net to dns@example.org.\n',
    });

    const dry = await harness.kit(['domains', 'delete', 'cli.example.net']);
    expect(dry.stdout).toContain('Would delete cli.example.net');
    expect(harness.emulator.domains.get('cli.example.net')).toBeDefined();
    const deleted = await harness.kit(['domains', 'delete', 'cli.example.net', '--yes']);
    expect(deleted.code).toBe(0);
    expect(harness.emulator.domains.get('cli.example.net')).toBeUndefined();

    const unknown = await harness.kit(['domains', 'show', 'nope.example']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'No sending domain "nope.example" for this token (it has: example.com, mailtrap-kit.test)',
    );
  });

  it('tokens: a created or reset token is printed once; list shows only the last four characters', async () => {
    const created = await harness.kitJson<{ id: number; token: string; resources: unknown[] }>([
      'tokens',
      'create',
      '--name',
      'ci',
      '--domain',
      'example.com',
    ]);
    expect(created.code).toBe(0);
    expect(created.data.token).toMatch(/^\S{16,}$/);
    expect(created.data.resources).toEqual([
      expect.objectContaining({ resource_type: 'domain', access_level: 100 }),
    ]);

    const list = await harness.kit(['tokens', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`********${created.data.token.slice(-4)}`);
    expect(list.stdout).not.toContain(created.data.token);
    expect(list.stdout).not.toContain(accountToken);

    const reset = await harness.kit(['tokens', 'reset', String(created.data.id)]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('This is the only time the token is shown');
    const value = /^ {2}(\S+)$/m.exec(reset.stdout)![1]!;
    expect(value).not.toBe(created.data.token);
    // the new value works, the old one does not
    expect((await harness.kit(['domains', 'list'], { MAILTRAP_API_TOKEN: value })).code).toBe(0);
    const old = await harness.kit(['domains', 'list'], { MAILTRAP_API_TOKEN: created.data.token });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('HTTP 401');
    expect(old.stderr).not.toContain(created.data.token);

    expect((await harness.kit(['tokens', 'delete', String(created.data.id)])).stdout).toContain(
      'Would delete token "ci"',
    );
    expect((await harness.kit(['tokens', 'delete', String(created.data.id), '--yes'])).code).toBe(0);
    expect((await harness.kit(['domains', 'list'], { MAILTRAP_API_TOKEN: value })).code).toBe(1);
  });

  it('send prints the message ids; logs lists it and shows it with its events', async () => {
    const body = join(harness.directory, 'body.txt');
    writeFileSync(body, 'Hello from the CLI\n');
    const sent = await harness.kit([
      'send',
      '--from',
      'Shop <shop@example.com>',
      '--to',
      'delivered@simulator.mailtrap-kit.test',
      '--to',
      'ada@example.org',
      '--subject',
      'CLI test',
      '--text',
      body,
      '--category',
      'cli-test',
      '--custom-variable',
      'order=42',
    ]);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(
      /^Sent on the transactional stream via http:\/\/127\.0\.0\.1:\d+\/transactional:\n {2}\S+\n {2}\S+\n/,
    );
    const ids = sent.stdout.match(/^ {2}(\S+)$/gm)!.map((line) => line.trim());
    const [message] = harness.emulator.messages({ subject: 'CLI test' });
    expect(message).toMatchObject({
      from: { email: 'shop@example.com', name: 'Shop' },
      text: 'Hello from the CLI\n',
      category: 'cli-test',
      custom_variables: { order: '42' },
    });
    expect(message!.messageIds).toEqual(ids);

    const logs = await harness.kitJson<Array<{ message_id: string; category: string }>>([
      'logs',
      '--category',
      'cli-test',
    ]);
    expect(logs.code).toBe(0);
    expect(logs.data.map((entry) => entry.message_id).sort()).toEqual([...ids].sort());
    const table = await harness.kit(['logs', '--to', 'ada@example.org']);
    expect(table.stdout).toMatch(/^SENT AT\s+STATUS\s+TO\s+FROM\s+SUBJECT/);
    expect(table.stdout).toContain('ada@example.org');
    expect(table.stdout).not.toContain('delivered@simulator');
    const one = await harness.kit(['logs', ids[0]!]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`message id:       ${ids[0]}`);
    expect(one.stdout).toMatch(/Events:\n {2}\S+ {2}delivery/);

    const json = await harness.kitJson<{ message_ids: string[] }>([
      'send',
      '--from',
      'shop@example.com',
      '--to',
      'b@example.org',
      '--subject',
      's',
      '--text',
      body,
    ]);
    expect(json.data.message_ids).toHaveLength(1);
  });

  it('send refuses bad input before anything is sent (exit 2), and reports API refusals (exit 1)', async () => {
    const before = harness.emulator.messages().length;
    const typo = await harness.kit(['send', '--form', 'a@example.com']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option --form: did you mean --from?');
    expect(typo.stderr).toContain('(run "mailtrap-kit send --help" for usage)');
    const textNotFile = await harness.kit([
      'send',
      '--from',
      'a@example.com',
      '--to',
      'b@example.org',
      '--subject',
      's',
      '--text',
      'Hello',
    ]);
    expect(textNotFile.code).toBe(2);
    expect(textNotFile.stderr).toContain('--text takes a file: cannot read Hello (ENOENT)');
    const badAddress = await harness.kit(['send', '--from', 'shop@example', '--to', 'a@example.org']);
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toContain('"shop@example" is not an address: it has a domain without a dot');
    const noTo = await harness.kit(['send', '--from', 'shop@example.com', '--subject', 'x']);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain('--to <address> is required');
    const noToken = await runKitProcess(['send', '--from', 'shop@example.com', '--to', 'a@example.org'], {
      MAILTRAP_ENDPOINT: harness.emulator.url,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('No API token. Set MAILTRAP_API_TOKEN, pass --token <token>');
    expect(harness.emulator.messages().length).toBe(before);
    const unverified = await harness.kit([
      'send',
      '--from',
      'shop@unverified.example',
      '--to',
      'a@example.org',
      '--subject',
      's',
      '--html',
      'package.json',
    ]);
    expect(unverified.code).toBe(1);
    expect(unverified.stderr).toContain('HTTP 403');
    expect(unverified.stderr).not.toContain(accountToken);
  });

  it('suppressions: add, list, remove', async () => {
    const added = await harness.kit([
      'suppressions',
      'add',
      'gone@example.org',
      '--domain',
      'example.com',
      '--stream',
      'bulk',
    ]);
    expect(added).toMatchObject({
      code: 0,
      stdout: 'Suppressed gone@example.org on the bulk stream of example.com.\n',
    });
    const list = await harness.kitJson<Array<{ email: string; sending_stream: string }>>([
      'suppressions',
      'list',
      '--email',
      'gone@example.org',
    ]);
    expect(list.data).toEqual([
      expect.objectContaining({ email: 'gone@example.org', sending_stream: 'bulk' }),
    ]);
    const removed = await harness.kit(['suppressions', 'remove', 'gone@example.org']);
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed 1 suppression of gone@example.org.\n' });
    expect((await harness.kit(['suppressions', 'list'])).stdout).toBe('No suppressed addresses.\n');
  });

  it('every command has help with defaults and an example, and --version', async () => {
    const version = await runKitProcess(['domains', 'list', '--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runKitProcess(['logs', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--limit <n>\s+at most this many messages \(default: 50\)/);
    expect(help.stdout).toContain('Examples:\n  $ mailtrap-kit logs --status not_delivered --since 1d');
    const root = await runKitProcess(['--help']);
    for (const name of [
      'doctor',
      'send',
      'logs',
      'stats',
      'domains',
      'tokens',
      'suppressions',
      'webhooks',
      'completion',
    ])
      expect(root.stdout).toMatch(new RegExp(`\\n  ${name}\\b`));
    expect(root.stdout).toContain('Exit codes:');
    const completion = await runKitProcess(['__complete', 'domains', '']);
    expect(completion.stdout).toBe('list\nshow\ncreate\ndelete\nsetup\n');
  });
});
