import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-main';
import { summarizeJournal } from './journal';
import { createBulkRun } from './run';

const directory = mkdtempSync(join(tmpdir(), 'bulk-status-'));
const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = join(packageDirectory, '..', '..');
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

async function cli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  loadModule?: (name: string) => Promise<unknown>,
) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
    ...(loadModule ? { loadModule } : {}),
  });
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
    }).done;
    expect(summary.sent + summary.failed + summary.uncertain).toBe(100);
    expect(summary.failed).toBe(2);
    expect(summary.uncertain).toBe(24);

    const counted = summarizeJournal(journal);
    expect(counted).toMatchObject({
      runId: summary.runId,
      batches: 4,
      recipients: 100,
      sent: summary.sent,
      failed: 1,
      rejected: 1,
      uncertain: 24,
      inFlight: 0,
      pending: 0,
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
    expect(nothing.stderr).toMatch(/--journal <file>.*campaign id/);
    const both = await cli(['status', 'spring', '--journal', other]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
    const help = await cli(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mailtrap-bulk status --journal <file>');
  });
});

describe('mailtrap-bulk status <campaign> (Redis, through @mailtrap-kit/bulk-bullmq)', () => {
  it('needs --redis or REDIS_URL, and says how to install the package when it is missing', async () => {
    const noRedis = await cli(['status', 'spring']);
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/give --redis <url> or set REDIS_URL/);
    const badUrl = await cli(['status', 'spring', '--redis', 'http://127.0.0.1:6379']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--redis must be a redis:\/\/ or rediss:\/\/ URL/);
    let asked: string | undefined;
    const missing = await cli(['status', 'spring'], { REDIS_URL: 'redis://127.0.0.1:1' }, async (name) => {
      asked = name;
      throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    });
    expect(asked).toBe('@mailtrap-kit/bulk-bullmq');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /@mailtrap-kit\/bulk-bullmq, which is not installed: npm install @mailtrap-kit\/bulk-bullmq/,
    );
  });

  describe.skipIf(!redisAvailable())('against a real redis-server', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    }, 60_000);
    afterAll(async () => {
      await redis?.stop();
    });

    it('prints the counts campaignStatus reads, from --redis or REDIS_URL', async () => {
      const bullmqName = '@mailtrap-kit/bulk-bullmq';
      const bullmq = (await import(bullmqName)) as {
        createBulkQueue(settings: { connection: string }): {
          produce(options: Record<string, unknown>): Promise<unknown>;
          close(): Promise<void>;
        };
      };
      const queue = bullmq.createBulkQueue({ connection: redis.url });
      try {
        await queue.produce({
          campaign: 'spring',
          base,
          recipients: Array.from({ length: 25 }, (_, index) => ({ email: `user${index}@example.org` })),
          batchSize: 10,
        });
      } finally {
        await queue.close();
      }
      // A user's project with bulk-bullmq installed the way pnpm does it: in the project's
      // node_modules only, not next to this package, so only the lookup from the project finds it
      // (the bare project at the end proves the plain import alone does not).
      const project = mkdtempSync(join(directory, 'project-'));
      writeFileSync(join(project, 'package.json'), '{"name":"user-project","private":true}\n');
      mkdirSync(join(project, 'node_modules', '@mailtrap-kit'), { recursive: true });
      symlinkSync(
        join(repositoryRoot, 'packages', 'bulk-bullmq'),
        join(project, 'node_modules', '@mailtrap-kit', 'bulk-bullmq'),
        'dir',
      );
      const text = await spawnCli(['status', 'spring', '--redis', redis.url], project);
      expect(text.stderr).toBe('');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('campaign spring: running');
      expect(text.stdout).toMatch(/total:\s+25\n/);
      expect(text.stdout).toMatch(/pending:\s+25\n/);
      expect(text.stdout).toMatch(/chunks:\s+0 of 3 done/);
      const json = await spawnCli(['status', 'spring', '--json'], project, { REDIS_URL: redis.url });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        campaign: 'spring',
        status: 'running',
        produced: true,
        recipients: { total: 25, sent: 0, pending: 25 },
        chunks: { total: 3, done: 0 },
      });
      const unknown = await spawnCli(['status', 'autumn', '--redis', redis.url], project);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/campaign "autumn" does not exist/);
      // a project without it: the install hint, exit 2
      const bare = mkdtempSync(join(directory, 'bare-'));
      writeFileSync(join(bare, 'package.json'), '{"name":"bare-project","private":true}\n');
      const missing = await spawnCli(['status', 'spring', '--redis', redis.url], bare);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/@mailtrap-kit\/bulk-bullmq, which is not installed/);
    }, 60_000);
  });
});

/**
 * Runs the CLI from source in its own process with `cwd` as the user's project. Workspace packages
 * resolve through node_modules (no source paths), as they would for an installed package.
 */
function spawnCli(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(packageDirectory, 'src/cli.ts'), ...argv], {
    cwd,
    env: {
      ...process.env,
      NODE_PATH: '', // `pnpm exec` points it at every workspace package, which a user's project never has
      REDIS_URL: '',
      TSX_TSCONFIG_PATH: join(packageDirectory, 'tsconfig.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A private redis-server on a free loopback port (the same way @mailtrap-kit/bulk-bullmq's tests start one).

interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

function redisBinary(): string | undefined {
  if (process.env.REDIS_SERVER_PATH)
    return existsSync(process.env.REDIS_SERVER_PATH) ? process.env.REDIS_SERVER_PATH : undefined;
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

function redisAvailable(): boolean {
  if (redisBinary()) return true;
  if (process.env.MAILTRAP_KIT_REQUIRE_SERVICES === '1')
    throw new Error('redis-server is not installed but MAILTRAP_KIT_REQUIRE_SERVICES=1 requires it');
  console.warn('[bulk-batcher] skipping the Redis status test: redis-server is not installed');
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startRedis(): Promise<TestRedis> {
  const binary = redisBinary()!;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const dataDirectory = mkdtempSync(join(directory, 'redis-'));
    const child: ChildProcess = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dataDirectory,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`redis-server not ready:\n${output}`)), 20_000);
        child.stdout!.on('data', (data: Buffer) => {
          output += String(data);
          if (output.includes('Ready to accept connections')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`redis-server exited with ${code}:\n${output}`));
        });
      });
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      continue;
    }
    child.stderr!.resume();
    return {
      url: `redis://127.0.0.1:${port}`,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
  throw lastError instanceof Error ? lastError : new Error('redis-server could not be started');
}
