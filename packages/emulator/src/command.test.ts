import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine, parseRateLimit, runCommand } from './command';
import { startEmulator } from './index';

describe('command line', () => {
  it('parses every option', () => {
    expect(
      parseCommandLine([
        '--port',
        '0',
        '--host',
        '::1',
        '--token',
        'a',
        '--token',
        'b',
        '--verified-domain',
        'acme.test',
        '--rate-limit',
        '150/10s',
        '--retain',
        '5',
        '--retain-logs',
        '7',
        '--account-id',
        '9',
        '--allow-any-domain',
      ]),
    ).toEqual({
      port: 0,
      host: '::1',
      tokens: [{ token: 'a' }, { token: 'b' }],
      verifiedDomains: ['acme.test'],
      rateLimit: { requests: 150, windowMs: 10_000 },
      retainBodies: 5,
      retainLogs: 7,
      accountId: 9,
      allowAnyDomain: true,
    });
    expect(parseCommandLine([])).toMatchObject({ port: 4025, host: '127.0.0.1' });
    expect(parseCommandLine(['--domain', 'new.test'])?.domains).toEqual([
      { name: 'example.com' },
      { name: 'mailtrap-kit.test' },
      { name: 'new.test', verified: false },
    ]);
    expect(parseCommandLine(['--help'])).toBeUndefined();
  });

  it('parses rate limits and refuses bad input with the option named', () => {
    expect(parseRateLimit('10/500ms')).toEqual({ requests: 10, windowMs: 500 });
    expect(parseRateLimit('60/1m')).toEqual({ requests: 60, windowMs: 60_000 });
    expect(() => parseRateLimit('fast')).toThrow(/--rate-limit/);
    expect(() => parseCommandLine(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseCommandLine(['--colour'])).toThrow(CommandLineError);
  });

  it('starts the emulator and prints the endpoints and the inbox URL, but not a token given with --token', async () => {
    let printed = '';
    const emulator = await runCommand(['--port', '0', '--token', 'local-token'], {
      write: (text) => (printed += text),
    });
    try {
      expect(emulator).toBeDefined();
      expect(printed).toContain(`${emulator!.url}/`);
      expect(printed).toContain(emulator!.endpoints.bulk);
      expect(printed).not.toContain('local-token');
      expect(printed).toMatch(/Token: +the one given with --token \(not printed\)/);
      const response = await request(`${emulator!.endpoints.send}/api/send`, {
        method: 'POST',
        headers: { authorization: 'Bearer local-token', 'content-type': 'application/json' },
        body: JSON.stringify({
          from: { email: 'a@example.com' },
          to: [{ email: 'b@example.org' }],
          subject: 's',
          text: 't',
        }),
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    } finally {
      await emulator?.close();
    }
  });

  it('runs as a process, binds to loopback and stops on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (errors += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 60_000, interval: 100 }).toContain('Token:');
      const url = /Inbox:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      const token = /Token:\s+(\S+)/.exec(output)?.[1];
      expect(url, errors).toBeDefined();
      const page = await request(`${url}/`);
      expect(page.statusCode).toBe(200);
      expect(await page.body.text()).toContain('Mailtrap emulator');
      const sent = await request(`${url}/api/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          from: { email: 'a@example.com' },
          to: [{ email: 'b@example.org' }],
          subject: 's',
          text: 't',
        }),
      });
      expect(sent.statusCode).toBe(200);
      await sent.body.dump();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);

  it('creates unverified domains with --domain and verifies them on a running emulator with --verify-domain', async () => {
    let printed = '';
    const emulator = await runCommand(['--port', '0', '--domain', 'later.test'], {
      write: (text) => (printed += text),
    });
    try {
      expect(printed).toContain('later.test (not verified)');
      expect(emulator!.domains.get('later.test')?.dns_verified).toBe(false);
      let verified = '';
      await runCommand(['--verify-domain', 'later.test', '--url', emulator!.url], {
        write: (text) => (verified += text),
      });
      expect(verified).toContain('later.test is verified');
      expect(emulator!.domains.get('later.test')?.dns_verified).toBe(true);
      await expect(
        runCommand(['--verify-domain', 'unknown.test', '--url', emulator!.url], { write: () => {} }),
      ).rejects.toThrow(/no domain unknown.test/);
    } finally {
      await emulator?.close();
    }
  });

  it('exits 1 and says so when the port is taken', async () => {
    const holder = await startEmulator();
    try {
      const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', new URL(holder.url).port], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (chunk) => (errors += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(errors).toContain('the port is taken');
    } finally {
      await holder.close();
    }
  }, 90_000);

  it('exits 1 with a message for a bad option', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--rate-limit', 'lots'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(errors).toContain('--rate-limit');
  }, 90_000);
});
