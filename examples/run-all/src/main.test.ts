import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

/** Runs `pnpm start`'s command (tsx src/main.ts) as a user would, against the built packages. */
function start(environment: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: packageDirectory,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start (examples/run-all src/main.ts)', () => {
  it('succeeds without Redis, ending with the summary table and the inbox URL', async () => {
    const { MAILTRAP_API_TOKEN: _token, ...environment } = process.env; // never send for real from a test
    const redisUrl = `redis://127.0.0.1:${await closedPort()}`;

    const { code, output } = await start({ ...environment, REDIS_URL: redisUrl });

    expect(code, output).toBe(0);
    const summary = output.slice(output.indexOf('== summary'));
    expect(summary).toMatch(/^adapter\s+messages sent\s+failures\s+time$/m);
    expect(summary).toMatch(/^core\s+5\s+0\s+\d+\.\d s$/m);
    expect(summary).toMatch(/^bulk-batcher\s+10,000\s+0\s+\d+\.\d s$/m);
    expect(summary).toContain(
      `skipped: needs Redis — start one (e.g. \`redis-server\`) or set REDIS_URL (tried ${redisUrl})`,
    );
    expect(summary).toMatch(/^Inbox: http:\/\/127\.0\.0\.1:\d+ /m);
    expect(summary).toContain('npm start -- --keep-open');
  }, 240_000);
});
