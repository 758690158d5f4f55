/**
 * The command with --data, as a user runs it: a real process, real HTTP, killed with SIGKILL (no
 * chance to close anything) and started again on the same folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { http } from './http.test-support';
import { DATABASE_FILE } from './storage/sqlite-storage';

const root = mkdtempSync(join(tmpdir(), 'emulator-data-dir-'));
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  url: string;
  token: string;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]) {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--port', '0', '--smtp-port', '0', ...args],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function start(dir: string): Promise<Started> {
  const started = run(['--data', dir]);
  const banner = /Token:\s+\S+[\s\S]*Data:/;
  let exitedEarly = false;
  started.exited.then(() => (exitedEarly = true));
  await expect
    .poll(() => exitedEarly || banner.test(started.output()), { timeout: 60_000, interval: 100 })
    .toBe(true);
  const text = started.output();
  expect(text).toMatch(banner);
  return {
    ...started,
    url: /Inbox:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(text)![1]!,
    token: /Token:\s+(\S+)/.exec(text)![1]!,
  };
}

async function kill(started: Started): Promise<void> {
  started.child.kill('SIGKILL');
  await started.exited;
  children.delete(started.child);
}

describe('mailtrap-emulator --data', () => {
  it('has everything back after kill -9: messages in the inbox and Email Logs, domains, the same tokens, webhooks', async () => {
    const dir = join(root, 'restart');
    const first = await start(dir);
    expect(first.output()).toContain(`${dir} (kept across restarts)`);
    const api = (base: string, path: string) => `${base}/api/accounts/1${path}`;
    const domain = await http(api(first.url, '/domains'), {
      token: first.token,
      body: { domain: { domain_name: 'acme-mail.test' } },
    });
    expect(domain.status).toBe(200);
    expect(
      (await http(`${first.url}/_emulator/domains/acme-mail.test/verify`, { method: 'POST' })).status,
    ).toBe(200);
    const webhook = await http(api(first.url, '/webhooks'), {
      token: first.token,
      body: {
        webhook: {
          url: 'http://127.0.0.1:9/hook',
          webhook_type: 'email_sending',
          sending_stream: 'transactional',
          event_types: ['delivery'],
        },
      },
    });
    expect(webhook.status, webhook.text).toBeLessThan(300);
    const sent = await http(`${first.url}/api/send`, {
      token: first.token,
      body: {
        from: { email: 'app@acme-mail.test' },
        to: [{ email: 'jane@example.org' }],
        subject: 'Kept',
        text: 'Hi',
      },
    });
    expect(sent.status, sent.text).toBe(200);
    const messageId = sent.body.message_ids[0] as string;
    const gone = await http(`${first.url}/api/send`, {
      token: first.token,
      body: {
        from: { email: 'app@acme-mail.test' },
        to: [{ email: 'x@example.org' }],
        subject: 'Gone',
        text: 'Hi',
      },
    });
    const goneId = gone.body.message_ids[0] as string;
    expect((await http(`${first.url}/_emulator/messages/${goneId}`, { method: 'DELETE' })).status).toBe(200);
    // the answer is out: the message is on disk, so SIGKILL right now loses nothing
    await kill(first);

    const second = await start(dir);
    expect(second.token).toBe(first.token);
    const inbox = await http(`${second.url}/_emulator/messages`);
    expect(inbox.body.messages.map((message: { subject: string }) => message.subject)).toEqual(['Kept']);
    expect((await http(`${second.url}/_emulator/messages/${goneId}`)).body.reason).toBe('deleted');
    const log = await http(api(second.url, `/email_logs/${messageId}`), { token: second.token });
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({ message_id: messageId, subject: 'Kept', to: 'jane@example.org' });
    const domains = await http(api(second.url, '/domains'), { token: second.token });
    expect(domains.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ domain_name: 'acme-mail.test', dns_verified: true }),
      ]),
    );
    const hooks = await http(api(second.url, '/webhooks'), { token: second.token });
    expect(hooks.body.data).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:9/hook' })]);
    // the same token sends again
    const again = await http(`${second.url}/api/send`, {
      token: first.token,
      body: {
        from: { email: 'app@acme-mail.test' },
        to: [{ email: 'joe@example.org' }],
        subject: 'After',
        text: 'Hi',
      },
    });
    expect(again.status).toBe(200);
    await kill(second);
  }, 120_000);

  it('refuses a second emulator on a data dir in use, with a clear error and exit code 1', async () => {
    const dir = join(root, 'shared');
    const first = await start(dir);
    const second = run(['--data', dir]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `the data dir ${dir} is in use by another emulator (process ${first.child.pid})`,
    );
    // the first one is unharmed
    expect((await http(`${first.url}/_emulator/messages`)).status).toBe(200);
    await kill(first);
  }, 120_000);

  it('refuses a corrupt database with a clear error and exit code 1', async () => {
    const dir = join(root, 'corrupt');
    const first = await start(dir);
    await kill(first);
    // another program's file in its place (and no write-ahead log, which would repair the header)
    rmSync(join(dir, `${DATABASE_FILE}-wal`), { force: true });
    writeFileSync(join(dir, DATABASE_FILE), 'not a database '.repeat(1000));
    const second = run(['--data', dir]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`${join(dir, DATABASE_FILE)} is not a database this emulator can read`);
    expect(second.output()).not.toContain('    at ');
  }, 120_000);
});
