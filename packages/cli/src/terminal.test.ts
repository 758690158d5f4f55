import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runInTerminal, terminalAvailable } from '@mailtrap-kit/terminal-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, packageDirectory, useEmulator } from './cli.test-support';

const harness = useEmulator();

/**
 * A proxy in front of the emulator whose Email Logs lag as Mailtrap's do: a message is not found
 * (404) for its first `lagging` look-ups. Everything else passes through unchanged.
 */
let proxy: Server;
let proxyUrl: string;
let lagging = 0;
beforeAll(async () => {
  const target = new URL(harness.emulator.url);
  proxy = createServer((incoming, answer) => {
    if (lagging > 0 && /\/email_logs\/[^/?]+$/.test(incoming.url ?? '')) {
      lagging -= 1;
      incoming.resume();
      answer.writeHead(404, { 'content-type': 'application/json' });
      answer.end(JSON.stringify({ error: 'Not Found' }));
      return;
    }
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
});

/** `mailtrap-kit <args>` from source under a pseudo-terminal, against the emulator (through the proxy). */
function kitInTerminal(args: string[], columns = 80) {
  return runInTerminal([process.execPath, '--import', 'tsx', join(packageDirectory, 'src/cli.ts'), ...args], {
    cwd: packageDirectory,
    columns,
    env: cliEnvironment({ MAILTRAP_API_TOKEN: harness.emulator.token, MAILTRAP_ENDPOINT: proxyUrl }),
  });
}

describe.skipIf(!terminalAvailable())('mailtrap-kit in a pseudo-terminal', () => {
  it('doctor redraws one "waiting for Email Logs" line in place, then the outcome replaces it', async () => {
    lagging = 5;
    const run = await kitInTerminal(
      [
        'doctor',
        '--from',
        'hello@example.com',
        '--to',
        'delivered@simulator.mailtrap-kit.test',
        '--interval',
        '100ms',
      ],
      160,
    );
    expect(run.code, run.raw).toBe(0);
    expect(lagging).toBe(0);
    // drawn, then redrawn in place (carriage return, erase the line) after each look-up
    const redraws = run.raw.match(/\r\x1b\[2K… waiting for Email Logs: not there yet \(\d+s of 60s\)/g) ?? [];
    expect(redraws.length, run.raw).toBeGreaterThanOrEqual(5);

    const { screen } = run;
    // nothing of the waiting line is left on the screen: the outcome took its place
    expect(screen.filter((line) => line.includes('waiting for Email Logs'))).toEqual([]);
    const sent = screen.findIndex((line) => line.startsWith('✔ Test email from hello@example.com'));
    expect(sent, screen.join('\n')).toBeGreaterThan(0);
    expect(screen[sent + 1]).toBe('✔ Delivered to delivered@simulator.mailtrap-kit.test (Email Logs)');
    expect(screen).toContain('All checks passed.');
  });

  it('doctor without a terminal prints no waiting line at all (a pipe gets the outcomes only)', async () => {
    lagging = 3;
    const run = await harness.kit(
      ['doctor', '--to', 'delivered@simulator.mailtrap-kit.test', '--interval', '100ms'],
      { MAILTRAP_ENDPOINT: proxyUrl },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(lagging).toBe(0);
    expect(run.stdout).not.toContain('waiting for Email Logs');
    expect(run.stdout).not.toContain('\x1b[');
  });
});
