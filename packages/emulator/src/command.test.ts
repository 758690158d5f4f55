import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '@mailtrap-kit/cli-kit';
import { MailtrapClient } from '@mailtrap-kit/core';
import { emulatorOptions, runCommand } from './command';
import { type RunningEmulator, startEmulator } from './index';

function capture() {
  const output = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text) },
    env: {},
    cwd: process.cwd(),
  };
  return { io, output };
}

/** Runs the command in-process; the emulator it starts is handed back (open) for the test to close. */
async function start(argv: string[]) {
  const { io, output } = capture();
  let emulator: RunningEmulator | undefined;
  // a free SMTP port unless the test names one (the command's default, 2525, may be taken)
  const smtp = argv.some((arg) => arg.startsWith('--smtp') || arg === '--no-smtp')
    ? []
    : ['--smtp-port', '0'];
  const code = await runCommand([...argv, ...smtp], io, {
    started: async (started) => {
      emulator = started;
    },
  });
  return { code, emulator, output };
}

describe('command line', () => {
  it('takes every option', async () => {
    const { code, emulator, output } = await start([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--token',
      'a-token-1',
      '--token',
      'b-token-2',
      '--verified-domain',
      'acme.test',
      '--domain',
      'later.test',
      '--rate',
      '150/10s',
      '--retain',
      '5',
      '--retain-logs',
      '7',
      '--account-id',
      '9',
      '--allow-any-domain',
    ]);
    try {
      expect(code).toBe(0);
      expect(emulator!.accountId).toBe(9);
      expect(emulator!.token).toBe('a-token-1');
      expect(emulator!.domains.list().map((domain) => [domain.domain_name, domain.dns_verified])).toEqual([
        ['acme.test', true],
        ['later.test', false],
      ]);
      expect(output.stdout).toContain('Rate limit:     150/10s per token (150 requests / 10000 ms)');
      expect(output.stdout).toContain('Domains:        acme.test, later.test (not verified)');
      // each domain's own sending token (made by the emulator, so safe to print), ready for MAILTRAP_API_TOKEN
      expect(output.stdout).toContain(
        `  Domain tokens:  acme.test  ${emulator!.domains.get('acme.test')!.token}\n`,
      );
      expect(output.stdout).toContain(
        `                  later.test  ${emulator!.domains.get('later.test')!.token}\n`,
      );
      expect(output.stdout).not.toContain('a-token-1');
    } finally {
      await emulator?.close();
    }
    expect(
      emulatorOptions({
        port: 4025,
        host: '127.0.0.1',
        rate: false,
        retain: 10_000,
        retainLogs: 100_000,
        accountId: 1,
        domain: ['new.test'],
      }).domains,
    ).toEqual([
      { name: 'example.com' },
      { name: 'mailtrap-kit.test' },
      { name: 'new.test', verified: false },
    ]);
  });

  it('listens for SMTP by default (2525, bulk 2526, plain on loopback), on other ports, with STARTTLS on loopback by --smtp-starttls, or not at all with --no-smtp', async () => {
    const defaults = {
      port: 4025,
      host: '127.0.0.1',
      rate: false as const,
      retain: 1,
      retainLogs: 1,
      accountId: 1,
    };
    expect(emulatorOptions({ ...defaults, smtpPort: 2525 })).toMatchObject({
      smtpPort: 2525,
      smtpBulkPort: 2526,
    });
    expect(emulatorOptions({ ...defaults, smtpPort: 0 })).toMatchObject({ smtpPort: 0, smtpBulkPort: 0 });
    expect(emulatorOptions({ ...defaults, smtpPort: 2600, smtpBulkPort: 2700 })).toMatchObject({
      smtpPort: 2600,
      smtpBulkPort: 2700,
    });
    expect(emulatorOptions({ ...defaults, smtp: false, smtpPort: 2525 }).smtpPort).toBeUndefined();
    const on = await start(['--port', '0', '--smtp-port', '0']);
    try {
      const smtp = on.emulator!.smtp!;
      expect(on.output.stdout).toContain(
        `  SMTP:           ${smtp.host}:${smtp.port}  (transactional: user api, password ${on.emulator!.token}`,
      );
      expect(on.output.stdout).toContain(`  SMTP bulk:      ${smtp.host}:${smtp.bulkPort}  (user api`);
      expect(smtp.starttls).toBe('remote');
      expect(on.output.stdout).toContain('  SMTP TLS:       plain on loopback (no TLS options needed)');
    } finally {
      await on.emulator?.close();
    }
    expect(emulatorOptions({ ...defaults, smtpPort: 0 }).smtpStarttls).toBeUndefined();
    expect(emulatorOptions({ ...defaults, smtpPort: 0, smtpStarttls: true }).smtpStarttls).toBe('always');
    const forced = await start(['--port', '0', '--smtp-port', '0', '--smtp-starttls']);
    try {
      expect(forced.emulator!.smtp!.starttls).toBe('always');
      expect(forced.output.stdout).toContain(
        '  SMTP TLS:       STARTTLS offered to every client (--smtp-starttls',
      );
    } finally {
      await forced.emulator?.close();
    }
    const off = await start(['--port', '0', '--no-smtp']);
    try {
      expect(off.emulator!.smtp).toBeUndefined();
      expect(off.output.stdout).toContain('  SMTP:           off');
    } finally {
      await off.emulator?.close();
    }
  });

  it('reads the one rate grammar of the kit; --rate-limit stays as the former name', async () => {
    for (const [flag, value, shown] of [
      ['--rate', '10/500ms', '10/500ms'],
      ['--rate-limit', '60/1m', '60/1m'],
    ] as const) {
      const { emulator, output } = await start(['--port', '0', flag, value]);
      await emulator?.close();
      expect(output.stdout).toContain(`Rate limit:     ${shown} per token`);
    }
  });

  it('refuses bad input with the option named, exit 2 and a suggestion for a typo', async () => {
    const port = await start(['--port', 'x']);
    expect(port.code).toBe(2);
    expect(port.output.stderr).toContain(
      "option '--port <n>' argument 'x' is invalid. expected a whole number from 0 to 65535",
    );
    const rate = await start(['--rate', 'lots']);
    expect(rate.code).toBe(2);
    expect(rate.output.stderr).toContain('expected <requests>/<window> like 150/10s');
    const typo = await start(['--prot', '4025']);
    expect(typo.code).toBe(2);
    expect(typo.output.stderr).toContain('unknown option --prot: did you mean --port?');
    const help = await start(['--help']);
    expect(help.code).toBe(0);
    expect(help.output.stdout).toMatch(
      /--port <n>\s+port to listen on \(0 picks a free one\) \(default:\s+4025\)/,
    );
    expect(help.output.stdout).toContain('Examples:\n  $ mailtrap-emulator --port 4025 --rate 150/10s');
    const version = await start(['--version']);
    expect(version.output.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('starts the emulator and prints the endpoints and the inbox URL, but not a token given with --token', async () => {
    const { emulator, output } = await start(['--port', '0', '--token', 'local-token']);
    const printed = output.stdout;
    try {
      expect(emulator).toBeDefined();
      expect(printed).toContain(`${emulator!.url}/`);
      expect(printed).toContain(emulator!.endpoints.bulk);
      expect(printed).toContain(`--endpoint ${emulator!.url}`);
      // a given token is never printed: the environment line names it instead
      expect(printed).toContain(
        `  MAILTRAP_API_TOKEN=<the token you started it with> MAILTRAP_ENDPOINT=${emulator!.url} node app.js\n`,
      );
      expect(printed).toContain(
        `Samples for core, Nodemailer, SMTP and curl: ${emulator!.url}/#/integration`,
      );
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

  it('prints the verified domains and the environment line that points core at it, which works as printed', async () => {
    const { emulator, output } = await start(['--port', '0', '--domain', 'later.test']);
    try {
      expect(output.stdout).toContain(
        'Domains:        example.com, mailtrap-kit.test, later.test (not verified)',
      );
      const line = /^ {2}MAILTRAP_API_TOKEN=(\S+) MAILTRAP_ENDPOINT=(\S+) node app\.js$/m.exec(output.stdout);
      expect(line, output.stdout).not.toBeNull();
      expect(line![1]).toBe(emulator!.token);
      expect(line![2]).toBe(emulator!.url);
      // core reads exactly these two variables: a client made with no options sends to the emulator
      const previous = { token: process.env.MAILTRAP_API_TOKEN, endpoint: process.env.MAILTRAP_ENDPOINT };
      process.env.MAILTRAP_API_TOKEN = line![1];
      process.env.MAILTRAP_ENDPOINT = line![2];
      let client: MailtrapClient;
      try {
        client = new MailtrapClient();
      } finally {
        for (const [name, value] of [
          ['MAILTRAP_API_TOKEN', previous.token],
          ['MAILTRAP_ENDPOINT', previous.endpoint],
        ] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      const sent = await client.send({
        from: { email: 'app@example.com' },
        to: [{ email: 'ann@example.org' }],
        subject: 'From the banner',
        text: 'x',
      });
      expect(sent.message_ids).toHaveLength(1);
      expect(emulator!.messages().map((message) => message.subject)).toEqual(['From the banner']);
      await client.close();
    } finally {
      await emulator?.close();
    }
  });

  it('runs as a process, binds to loopback and stops on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--smtp-port', '0'], {
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
    const { emulator, output } = await start(['--port', '0', '--domain', 'later.test']);
    try {
      expect(output.stdout).toContain('later.test (not verified)');
      expect(emulator!.domains.get('later.test')?.dns_verified).toBe(false);
      const verified = await start(['--verify-domain', 'later.test', '--endpoint', emulator!.url]);
      expect(verified.code).toBe(0);
      expect(verified.output.stdout).toContain('later.test is verified');
      expect(emulator!.domains.get('later.test')?.dns_verified).toBe(true);
      await emulator!.domains.create('env.test');
      const previous = process.env.MAILTRAP_ENDPOINT;
      process.env.MAILTRAP_ENDPOINT = emulator!.url;
      try {
        // the emulator named by MAILTRAP_ENDPOINT, as the banner's "--endpoint (or MAILTRAP_ENDPOINT)" says
        const fromEnv = await start(['--verify-domain', 'env.test']);
        expect(fromEnv.code).toBe(0);
        expect(emulator!.domains.get('env.test')?.dns_verified).toBe(true);
      } finally {
        if (previous === undefined) delete process.env.MAILTRAP_ENDPOINT;
        else process.env.MAILTRAP_ENDPOINT = previous;
      }
      const unknown = await start(['--verify-domain', 'unknown.test', '--url', emulator!.url]);
      expect(unknown.code).toBe(1);
      expect(unknown.output.stderr).toMatch(/no domain unknown.test/);
    } finally {
      await emulator?.close();
    }
  });

  it('exits 1 and says so when the port is taken', async () => {
    const holder = await startEmulator();
    try {
      const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', cli, '--port', new URL(holder.url).port, '--smtp-port', '0'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let errors = '';
      child.stderr.on('data', (chunk) => (errors += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(errors).toContain('the port is taken');
    } finally {
      await holder.close();
    }
  }, 90_000);

  it('exits 2 with a message for a bad option', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--rate-limit', 'lots'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(errors).toContain("option '--rate-limit <rate>' argument 'lots' is invalid");
  }, 90_000);
});
