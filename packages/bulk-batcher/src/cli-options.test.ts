import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@mailtrap-kit/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliHarness } from './cli.test-support';

const cli = useCliHarness();
const { directory, startCli, writeBody } = cli;
let emulator: RunningEmulator;
beforeAll(() => {
  emulator = cli.emulator;
});

function recipients(name: string, count: number): string {
  const file = join(directory, name);
  writeFileSync(
    file,
    Array.from({ length: count }, (_, index) => JSON.stringify({ email: `o${index}@example.org` })).join(
      '\n',
    ),
  );
  return file;
}

/** A send with only the message given: the connection comes from each test's own options. */
function message(file: string, extra: string[]): string[] {
  return [
    'send',
    '--recipients',
    file,
    '--from',
    'news@example.com',
    '--subject',
    'S',
    '--text',
    writeBody(),
    '--rate',
    'off',
    '--progress',
    'off',
    '--settle-delay',
    '0',
    ...extra,
  ];
}

describe('mailtrap-bulk on the shared options of every kit command (spawned)', () => {
  it('--endpoint is the base URL, as everywhere: the bulk stream below it, stated before sending', async () => {
    const outcome = await startCli(message(recipients('base.ndjson', 12), ['--endpoint', emulator.url]))
      .finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain(
      `mailtrap-bulk: sending on the bulk stream via ${emulator.url}/bulk (--endpoint): 12 recipients`,
    );
    expect(outcome.stderr).not.toContain('note:');
    expect(emulator.messages().every((entry) => entry.stream === 'bulk')).toBe(true);
    expect(emulator.stats().messages).toBe(12);
  }, 60_000);

  it('MAILTRAP_ENDPOINT and --stream transactional: the transactional stream below the base', async () => {
    const outcome = await startCli(message(recipients('env.ndjson', 3), ['--stream', 'transactional']), {
      MAILTRAP_ENDPOINT: emulator.url,
    }).finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain(
      `sending on the transactional stream via ${emulator.url}/transactional (MAILTRAP_ENDPOINT)`,
    );
    expect(emulator.messages().every((entry) => entry.stream === 'transactional')).toBe(true);
  }, 60_000);

  it('the former --endpoint (a stream URL) still works, with a note; --bulk-endpoint is its new name', async () => {
    const former = await startCli(
      message(recipients('former.ndjson', 2), ['--endpoint', emulator.endpoints.bulk]),
    ).finished;
    expect(former.code, former.stderr).toBe(0);
    expect(former.stderr).toContain(`via ${emulator.endpoints.bulk} (--endpoint)`);
    expect(former.stderr).toContain(
      `note: --endpoint ${emulator.endpoints.bulk} names the bulk stream, not a base URL: read as --endpoint ${emulator.url}`,
    );
    const perHost = await startCli(
      message(recipients('per-host.ndjson', 2), [
        '--bulk-endpoint',
        emulator.endpoints.bulk,
        '--general-endpoint',
        emulator.url,
      ]),
    ).finished;
    expect(perHost.code, perHost.stderr).toBe(0);
    expect(perHost.stderr).toContain(`via ${emulator.endpoints.bulk} (--bulk-endpoint)`);
    expect(emulator.stats().messages).toBe(4);
  }, 60_000);

  it('--token: used, never printed, and left out of the printed resume command', async () => {
    emulator.faults.inject({ kind: 'server_error', status: 500, count: 100, paths: ['batch'] });
    const outcome = await startCli(
      message(recipients('token.ndjson', 5), [
        '--endpoint',
        emulator.url,
        '--token',
        emulator.token,
        '--journal',
        join(directory, 'token.journal'),
      ]),
      { MAILTRAP_API_TOKEN: '' },
    ).finished;
    expect(outcome.stdout + outcome.stderr).not.toContain(emulator.token);
    expect(outcome.code, outcome.stderr).toBe(3);
    const printed = /Resume with:\n {2}(.+ send .*--resume.*)\n/.exec(outcome.stderr);
    expect(printed, outcome.stderr).not.toBeNull();
    expect(printed![1]).not.toContain('--token');
    expect(outcome.stderr).toContain('the token given with --token is not printed');
    emulator.faults.clear();
    const resumed = await cli.runPrinted(printed![1]!, { MAILTRAP_API_TOKEN: emulator.token }).finished;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(emulator.stats().messages).toBe(5);
  }, 60_000);

  it('no token: one message that says where to put one, exit 2, nothing sent', async () => {
    const outcome = await startCli(message(recipients('none.ndjson', 1), ['--endpoint', emulator.url]), {
      MAILTRAP_API_TOKEN: '',
      MAILTRAP_CONFIG: join(directory, 'absent-config.json'),
    }).finished;
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'mailtrap-bulk: No API token (MAILTRAP_API_TOKEN is not set). Set MAILTRAP_API_TOKEN, pass --token <token>',
    );
    expect(emulator.stats().requests).toBe(0);
  }, 60_000);

  it('--json: the summary as one JSON document on stdout, the progress and notes on stderr', async () => {
    const outcome = await startCli(
      message(recipients('json.ndjson', 7), [
        '--endpoint',
        emulator.url,
        '--json',
        '--results',
        join(directory, 'json.results'),
      ]),
    ).finished;
    expect(outcome.code, outcome.stderr).toBe(0);
    const summary = JSON.parse(outcome.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ total: 7, sent: 7, failed: 0, unsent: 0, uncertain: 0 });
    expect(summary.runId).toMatch(/\S/);
    expect(summary.resume).toBeUndefined();
    const dry = await startCli(message(recipients('json-dry.ndjson', 3), ['--dry-run', '--json'])).finished;
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: { valid: 3, invalid: 0, requests: 1 } });
  }, 60_000);

  it('bad values are usage errors naming the option and the command help (exit 2)', async () => {
    const file = recipients('bad.ndjson', 1);
    const rate = await startCli(message(file, ['--rate', '150 per 10s'])).finished;
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain("option '--rate <rate>' argument '150 per 10s' is invalid");
    expect(rate.stderr).toContain('(run "mailtrap-bulk send --help" for usage)');
    const stream = await startCli(message(file, ['--stream', 'sandbox'])).finished;
    expect(stream.code).toBe(2);
    expect(stream.stderr).toContain('Allowed choices are bulk, transactional');
    const from = await startCli(message(file, ['--from', 'news'])).finished;
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('"news" is not an address');
    expect(emulator.stats().requests).toBe(0);
  }, 60_000);

  it('shell completion from the same definitions', async () => {
    const script = await startCli(['completion', 'bash']).finished;
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('complete -o default -F _mailtrap_bulk_complete mailtrap-bulk');
    const words = await startCli(['__complete', 'send', '--stream', '']).finished;
    expect(words.stdout.split('\n').filter(Boolean)).toEqual(['bulk', 'transactional']);
    const flags = await startCli(['__complete', 'send', '--bulk']).finished;
    expect(flags.stdout.trim()).toBe('--bulk-endpoint');
  }, 60_000);
});
