import { describe, expect, it } from 'vitest';
import { runKitProcess, useEmulator } from './cli.test-support';
import type { DoctorResult } from './doctor/checks';

const accountToken = 'doctor-account-token-0123456789';
const harness = useEmulator({ tokens: [{ token: accountToken }] });

function statuses(result: DoctorResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
}

function check(result: DoctorResult, id: string) {
  return result.checks.find((entry) => entry.id === id)!;
}

describe('mailtrap-kit doctor (spawned)', () => {
  it('without a token runs every check against an in-process emulator and prints the code', async () => {
    const run = await runKitProcess(['doctor', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as DoctorResult;
    expect(result.emulator).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statuses(result)).toEqual({
      token: 'warn',
      'token-valid': 'pass',
      domains: 'pass',
      sender: 'pass',
      'stream-host': 'pass',
      'test-send': 'pass',
      'email-logs': 'pass',
    });
    expect(check(result, 'email-logs').details?.[0]).toMatch(/delivery/);
    expect(result.samples!.core).toContain('token: process.env.MAILTRAP_API_TOKEN');
    expect(result.samples!.curl).toContain(`curl -sS ${result.emulator}/transactional/api/send`);
    expect(result.samples!.curl).toMatch(/# MAILTRAP_API_TOKEN=\*{8}[0-9a-f]{4}\n/);
    // the emulator's generated token (32 hex characters) is printed nowhere
    expect(run.stdout).not.toMatch(/[0-9a-f]{32}/);
    const human = await runKitProcess(['doctor']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('All checks passed (against the emulator).');
    expect(human.stdout).toContain(
      'The emulator stops with this command: for one that stays, run npx @mailtrap-kit/emulator',
    );
    expect(human.stdout).not.toMatch(/[0-9a-f]{32}/);
  });

  it('the happy path: token, verified sender, host, a test email delivered; ✔ for each and exit 0', async () => {
    const run = await harness.kit([
      'doctor',
      '--to',
      'delivered@simulator.mailtrap-kit.test',
      '--from',
      'hello@example.com',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✔ API token found in MAILTRAP_API_TOKEN (********6789)');
    expect(run.stdout).toContain(
      '✔ Sender hello@example.com: example.com is verified and covered by the token',
    );
    expect(run.stdout).toMatch(/✔ The transactional host http:\/\/127\.0\.0\.1:\d+\/transactional answers/);
    expect(run.stdout).toMatch(
      /✔ Test email from hello@example.com to delivered@simulator\.mailtrap-kit\.test accepted: \S+/,
    );
    expect(run.stdout).toContain('✔ Delivered to delivered@simulator.mailtrap-kit.test (Email Logs)');
    expect(run.stdout).toContain('All checks passed.');
    expect(run.stdout).toContain('── @mailtrap-kit/core');
    expect(run.stdout).toContain('── curl');
    expect(run.stdout + run.stderr).not.toContain(accountToken);
    expect(harness.emulator.messages({ subject: 'mailtrap-kit doctor: test email' }).length).toBeGreaterThan(
      0,
    );
  });

  it('an unverified domain: reports the DNS records still missing and sends nothing', async () => {
    harness.emulator.domains.create('fresh.example.net');
    const before = harness.emulator.messages().length;
    const run = await harness.kit([
      'doctor',
      '--from',
      'hello@fresh.example.net',
      '--to',
      'delivered@simulator.mailtrap-kit.test',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ fresh.example.net: not verified (');
    expect(run.stdout).toMatch(
      /TXT {3}fresh\.example\.net {2}-> {2}v=spf1 include:_spf\.smtp\.mailtrap\.live ~all {2}\(missing\)/,
    );
    expect(run.stdout).toContain(
      '✖ Sender hello@fresh.example.net: fresh.example.net is not verified yet, so nothing is sent',
    );
    expect(run.stdout).toContain('→ Publish the DNS records of fresh.example.net listed above');
    expect(run.stdout).toContain('– No test email sent: fix the checks above first');
    expect(harness.emulator.messages().length).toBe(before);
  });

  it('a token of another domain: says which token to use, sends nothing', async () => {
    const domainToken = harness.emulator.domains.get('example.com')!.token;
    const before = harness.emulator.messages().length;
    const run = await harness.kit(
      [
        'doctor',
        '--json',
        '--from',
        'hello@mailtrap-kit.test',
        '--to',
        'delivered@simulator.mailtrap-kit.test',
      ],
      {
        MAILTRAP_API_TOKEN: domainToken,
      },
    );
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as DoctorResult;
    expect(check(result, 'sender')).toMatchObject({
      status: 'fail',
      title:
        'Sender hello@mailtrap-kit.test: mailtrap-kit.test is not a sending domain of this token (it covers: example.com)',
      fix: expect.stringContaining(
        'Use the API token of mailtrap-kit.test (Domains → mailtrap-kit.test → Integration)',
      ),
    });
    expect(check(result, 'test-send').status).toBe('skip');
    expect(harness.emulator.messages().length).toBe(before);
    expect(run.stdout).not.toContain(domainToken);
  });

  it('a bounce: followed into Email Logs, reported with the bounce event and the fix', async () => {
    const to = `bounced+${Date.now()}@simulator.mailtrap-kit.test`;
    const run = await harness.kitJson<DoctorResult>(['doctor', '--from', 'hello@example.com', '--to', to]);
    expect(run.code).toBe(1);
    expect(statuses(run.data)).toMatchObject({ sender: 'pass', 'test-send': 'pass', 'email-logs': 'fail' });
    expect(check(run.data, 'email-logs')).toMatchObject({
      title: 'Bounced (not_delivered)',
      details: [expect.stringMatching(/ bounce .*550 5\.1\.1/)],
      fix: expect.stringContaining(`check the address ${to}`),
    });
    // A second run finds the address suppressed by the hard bounce.
    const again = await harness.kitJson<DoctorResult>(['doctor', '--from', 'hello@example.com', '--to', to]);
    expect(check(again.data, 'email-logs')).toMatchObject({
      title: 'Not sent: the recipient is suppressed (opted_out)',
      fix: `${to} is on the suppression list: mailtrap-kit suppressions list --email ${to}`,
    });
  });

  it('a bad token: the token check fails with where to get one, nothing else is tried', async () => {
    const run = await harness.kitJson<DoctorResult>(['doctor'], {
      MAILTRAP_API_TOKEN: 'wrong-token-000000000000',
    });
    expect(run.code).toBe(1);
    expect(check(run.data, 'token-valid')).toMatchObject({
      status: 'fail',
      title: expect.stringContaining('HTTP 401'),
      fix: expect.stringContaining('https://mailtrap.io/api-tokens'),
    });
    expect(check(run.data, 'test-send').status).toBe('skip');
  });
});
