/**
 * Test support: starts a private redis-server on a free loopback port with a temporary directory and
 * no persistence, and stops it afterwards. Never used by the library itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestRedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Path of the redis-server binary, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  // REDIS_SERVER_PATH, when set, is the only candidate (also a way to check the skip/fail behaviour).
  if (process.env.REDIS_SERVER_PATH) {
    return existsSync(process.env.REDIS_SERVER_PATH) ? process.env.REDIS_SERVER_PATH : undefined;
  }
  const candidates = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory) candidates.push(join(directory, 'redis-server'));
  }
  return candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate!));
}

/**
 * Whether the Redis tests can run. When redis-server is missing they are skipped with a message, unless
 * MAILTRAP_KIT_REQUIRE_SERVICES=1 (set by CI), in which case the suite fails.
 */
export function redisAvailable(): boolean {
  const binary = findRedisServer();
  if (binary) return true;
  if (process.env.MAILTRAP_KIT_REQUIRE_SERVICES === '1') {
    throw new Error(
      'redis-server is not installed but MAILTRAP_KIT_REQUIRE_SERVICES=1 requires it: install it with `apt-get install -y redis-server`',
    );
  }
  console.warn(
    '[bulk-bullmq] skipping the Redis tests: redis-server is not installed (apt-get install -y redis-server)',
  );
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis-server did not become ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('Ready to accept connections')) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Starts redis-server on a free loopback port (retrying when the port is taken meanwhile). */
export async function startRedisServer(): Promise<TestRedisServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server is not installed (apt-get install -y redis-server)');
  const directory = await mkdtemp(join(tmpdir(), 'mtk-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
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
        directory,
        '--protected-mode',
        'yes',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForReady(child, 20_000);
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      continue;
    }
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(directory, { recursive: true, force: true });
      },
    };
  }
  await rm(directory, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('redis-server could not be started');
}
