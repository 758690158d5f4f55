import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createBulkQueue } from './queue';
import { redisAvailable, startRedisServer, type TestRedisServer } from './redis-server.test-support';
import { type CampaignStatus, campaignStatus, type RecipientResult } from './store';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cliProcess(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: packageDirectory,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.source.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `mailtrap-bulk-bullmq` from the TypeScript sources to its end. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = cliProcess(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!redisAvailable())('mailtrap-bulk-bullmq command', () => {
  let server: TestRedisServer;
  let emulator: RunningEmulator;
  let directory: string;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    server = await startRedisServer();
    emulator = await startEmulator();
    directory = await mkdtemp(join(tmpdir(), 'mtk-bulk-cli-'));
    const lines = Array.from({ length: 120 }, (_, index) =>
      JSON.stringify(
        index === 3 ? { email: 'not-an-address' } : { email: `cli${index}@example.org`, name: `N ${index}` },
      ),
    );
    await writeFile(join(directory, 'recipients.ndjson'), `${lines.join('\n')}\n`);
    await writeFile(
      join(directory, 'base.json'),
      JSON.stringify({ from: { email: 'news@example.com' }, subject: 'From the CLI', text: 'Hello' }),
    );
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await emulator?.close();
    await server?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('produces, pauses, resumes, works, reports status and writes NDJSON results', {
    timeout: 120_000,
  }, async () => {
    const redis = ['--redis', server.url];
    const produced = await cli([
      'produce',
      ...redis,
      '--campaign',
      'cli-run',
      '--base',
      join(directory, 'base.json'),
      '--recipients',
      join(directory, 'recipients.ndjson'),
      '--batch-size',
      '50',
    ]);
    expect(produced.stderr).toBe('');
    expect(produced.stdout).toMatch(/campaign cli-run: 120 recipients in 3 chunks; queued 3/);

    const paused = await cli(['pause', 'cli-run', ...redis]);
    expect(paused.stdout).toMatch(/running -> paused/);
    const status = await cli(['status', 'cli-run', '--json', ...redis]);
    expect(JSON.parse(status.stdout)).toMatchObject({
      status: 'paused',
      recipients: { total: 120, pending: 120 },
    });

    expect((await cli(['resume', 'cli-run', ...redis])).stdout).toMatch(/paused -> running/);
    worker = cliProcess(
      [
        'work',
        ...redis,
        '--bulk-url',
        emulator.endpoints.bulk,
        '--api-url',
        emulator.endpoints.general,
        '--rate-limit',
        '20/1s',
      ],
      { MAILTRAP_API_TOKEN: emulator.token },
    );
    const connection = new Redis(server.url);
    let current: CampaignStatus;
    do {
      await new Promise((resolve) => setTimeout(resolve, 300));
      current = await campaignStatus(connection, 'cli-run');
    } while (!current.finishedAt);
    await connection.quit();
    expect(current).toMatchObject({ status: 'completed', recipients: { sent: 119, failed: 1, pending: 0 } });
    const human = await cli(['status', 'cli-run', ...redis]);
    expect(human.stdout).toMatch(/campaign cli-run: completed/);
    expect(human.stdout).toMatch(/sent 119, failed 1, uncertain 0, unsent 0, pending 0 \(100\.0% final\)/);
    expect(human.stdout).not.toContain(emulator.token);

    const output = join(directory, 'results.ndjson');
    const results = await cli(['results', 'cli-run', '--output', output, ...redis]);
    expect(results.code).toBe(0);
    const lines = (await readFile(output, 'utf8')).trim().split('\n');
    const parsedResults = lines.map((line) => JSON.parse(line) as RecipientResult);
    expect(parsedResults).toHaveLength(120);
    expect(parsedResults[3]).toMatchObject({ sequence: 3, state: 'failed', email: 'not-an-address' });
    expect(parsedResults[4]).toMatchObject({ sequence: 4, state: 'sent', email: 'cli4@example.org' });
    expect(emulator.logs().map((entry) => entry.to)).toContain('cli4@example.org');
  });

  it('produce skips repeated addresses with a count, or queues them with --allow-duplicates', {
    timeout: 60_000,
  }, async () => {
    const redis = ['--redis', server.url, '--queue', 'idle-duplicates'];
    const list = join(directory, 'duplicates.ndjson');
    const rows = ['a', 'b', 'A', 'c', 'b'].map((name) => JSON.stringify({ email: `${name}@example.org` }));
    await writeFile(list, `${rows.join('\n')}\n`);
    const produce = (campaign: string, extra: string[] = []) =>
      cli([
        'produce',
        ...redis,
        '--campaign',
        campaign,
        '--base',
        join(directory, 'base.json'),
        '--recipients',
        list,
        ...extra,
      ]);
    const skipped = await produce('dups-skipped');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(
      /campaign dups-skipped: 3 recipients in 1 chunks; queued 1, .*; 2 duplicate addresses skipped \(send them with --allow-duplicates\)/,
    );
    const allowed = await produce('dups-allowed', ['--allow-duplicates']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/campaign dups-allowed: 5 recipients in 1 chunks; queued 1/);
    expect(allowed.stdout).not.toMatch(/duplicate/);
  });

  it('cancel ends queued chunks; unknown campaigns and bad usage fail with a clear message', {
    timeout: 60_000,
  }, async () => {
    const redis = ['--redis', server.url];
    // No worker picks this one up before the cancel: it is produced on a queue no worker listens to.
    const bulk = createBulkQueue({ connection: server.url, queueName: 'idle' });
    await bulk.produce({
      campaign: 'to-cancel',
      base: { from: { email: 'news@example.com' }, subject: 'Never', text: 'Sent' },
      recipients: Array.from({ length: 120 }, (_, index) => ({ email: `c${index}@example.org` })),
    });
    const cancelled = await cli(['cancel', 'to-cancel', '--queue', 'idle', ...redis]);
    expect(cancelled.stdout).toMatch(/running -> cancelled \(1 queued chunks cancelled\)/);
    expect(await bulk.status('to-cancel')).toMatchObject({
      status: 'cancelled',
      recipients: { unsent: 120, pending: 0 },
    });
    await bulk.close();

    const removed = await cli(['remove', 'to-cancel', '--queue', 'idle', ...redis]);
    expect(removed.stdout).toMatch(/campaign to-cancel: removed/);

    const missing = await cli(['status', 'nope', ...redis]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/campaign "nope" does not exist/);
    const usage = await cli(['produce', ...redis]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--campaign/);
    expect(usage.stderr).toContain('(run "mailtrap-bulk-bullmq produce --help" for usage)');
    const typo = await cli(['status', 'nope', '--jsn', ...redis]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option --jsn: did you mean --json?');
    const off = await cli(['work', '--rate', 'off', ...redis], { MAILTRAP_API_TOKEN: emulator.token });
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('the workers always pace the token');
    const noToken = await cli(['work', '--endpoint', emulator.url, ...redis], {
      MAILTRAP_API_TOKEN: '',
      MAILTRAP_CONFIG: join(directory, 'no-config.json'),
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('No API token. Set MAILTRAP_API_TOKEN, pass --token <token>');
    const help = await cli(['work', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--rate <rate>[\s\S]*\(default: 150\/10s\)/);
    expect(help.stdout).toContain(
      'Former names, still read: --rate-limit (--rate), --bulk-url (--bulk-endpoint)',
    );
  });

  it('a worker on the shared options: --endpoint (the base URL), --rate, --token; states the stream', {
    timeout: 60_000,
  }, async () => {
    const redis = ['--redis', server.url, '--queue', 'new-names'];
    const produced = await cli([
      'produce',
      ...redis,
      '--campaign',
      'new-names',
      '--base',
      join(directory, 'base.json'),
      '--recipients',
      join(directory, 'recipients.ndjson'),
    ]);
    expect(produced.code, produced.stderr).toBe(0);
    const before = emulator.stats().messages;
    const named = cliProcess(
      [
        'work',
        ...redis,
        '--endpoint',
        emulator.url,
        '--rate',
        '20/1s',
        '--token',
        emulator.token,
        '--settle-delay',
        '1s',
      ],
      { MAILTRAP_API_TOKEN: '' },
    );
    let output = '';
    named.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    try {
      const connection = new Redis(server.url);
      let current: CampaignStatus;
      do {
        await new Promise((resolve) => setTimeout(resolve, 300));
        current = await campaignStatus(connection, 'new-names');
      } while (!current.finishedAt);
      await connection.quit();
      expect(current).toMatchObject({ status: 'completed', recipients: { sent: 119, failed: 1 } });
      expect(emulator.stats().messages - before).toBe(119);
      expect(output).toContain(`sending on the bulk stream via ${emulator.url}/bulk`);
      expect(output).not.toContain(emulator.token);
    } finally {
      const exited = new Promise((resolve) => named.once('exit', resolve));
      named.kill('SIGTERM');
      await exited;
    }
    expect(output).toMatch(/stopping after the chunks in progress/);
  });
});
