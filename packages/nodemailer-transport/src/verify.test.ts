import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MailtrapAuthenticationError, MailtrapPermissionError } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MailtrapTransportSettings, MailtrapTransport } from './index';
import { DOMAIN_NOT_CHECKED_WARNING } from './verify';

// The account API's answer to GET /api/domains, in the shape of the vendor spec (Domain schema).
function domain(name: string, verified: boolean, compliance = verified ? 'compliant' : 'unverified_dns') {
  const status = verified ? 'pass' : 'missing';
  return {
    id: name.length,
    domain_name: name,
    demo: false,
    compliance_status: compliance,
    dns_verified: verified,
    dns_verified_at: verified ? '2024-12-26T09:40:44.161Z' : null,
    dns_records: [
      {
        key: 'verification',
        domain: `ve6wza2rbpe60x7z.${name}`,
        type: 'CNAME',
        value: 'smtp.mailtrap.live',
        status,
        name: 've6wza2rbpe60x7z',
      },
      {
        key: 'spf',
        domain: name,
        type: 'TXT',
        value: 'v=spf1 include:_spf.smtp.mailtrap.live ~all',
        status: 'pass',
        name: '',
      },
      {
        key: 'dkim1',
        domain: `rwmt1._domainkey.${name}`,
        type: 'CNAME',
        value: 'rwmt1.dkim.smtp.mailtrap.live',
        status,
        name: 'rwmt1._domainkey',
      },
    ],
  };
}

let account: { status: number; body: unknown };
const seen: string[] = [];
let server: Server;
let generalUrl: string;
let emulator: RunningEmulator;
const opened: Array<{ close(): unknown }> = [];

beforeAll(async () => {
  emulator = await startEmulator();
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ? 'auth' : 'no-auth'}`);
    response.writeHead(account.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(account.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  generalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const item of opened) await item.close();
  await emulator?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  emulator.reset();
  account = { status: 200, body: { data: [domain('example.com', true), domain('example.net', false)] } };
});

function transporter(settings: MailtrapTransportSettings = {}, defaults?: Record<string, unknown>) {
  const created = nodemailer.createTransport(
    MailtrapTransport({
      token: emulator.token,
      endpoints: { ...emulator.endpoints, general: generalUrl },
      retry: false,
      ...settings,
    }),
    defaults,
  );
  opened.push(created);
  return created;
}

async function warningsDuring(run: () => Promise<unknown>): Promise<Error[]> {
  const warnings: Error[] = [];
  const listener = (warning: Error) => warnings.push(warning);
  process.on('warning', listener);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', listener);
  }
  return warnings;
}

describe('verify() checks the sending domain', () => {
  it('resolves true when the domain of the from setting is verified, sending no mail', async () => {
    await expect(transporter({ from: 'Shop <shop@example.com>' }).verify()).resolves.toBe(true);
    expect(seen).toEqual(['GET /api/domains auth']);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('fails on an unverified domain, naming it and the DNS records not verified', async () => {
    const error = await transporter({ from: 'shop@example.net' })
      .verify()
      .catch((caught: unknown) => caught);
    expect(MailtrapPermissionError.isInstance(error)).toBe(true);
    const { message, errors } = error as MailtrapPermissionError;
    expect(message).toContain('example.net is not verified');
    expect(errors).toEqual([
      'CNAME ve6wza2rbpe60x7z.example.net → smtp.mailtrap.live (missing, verification)',
      'CNAME rwmt1._domainkey.example.net → rwmt1.dkim.smtp.mailtrap.live (missing, dkim1)',
    ]);
    expect(message).not.toContain('spf'); // the SPF record passes
  });

  it('reads from out of createTransport’s defaults when the transport has none', async () => {
    const error = await transporter({}, { from: '"Shop" <shop@example.net>' })
      .verify()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('example.net is not verified');
  });

  it('a from in the defaults that is not an address rejects (it does not throw)', async () => {
    const error = await transporter({}, { from: 'not an address' })
      .verify()
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('MailtrapConfigurationError');
    expect((error as Error).message).toContain('defaults.from');
  });

  it('the callback form gets the same error', async () => {
    const error = await new Promise((resolve) =>
      transporter({ from: 'shop@example.net' }).verify((caught: Error | null) => resolve(caught)),
    );
    expect(MailtrapPermissionError.isInstance(error)).toBe(true);
  });

  it('fails on a domain that is not in the account, listing the account’s domains', async () => {
    const error = await transporter({ from: 'shop@other.org' })
      .verify()
      .catch((caught: unknown) => caught);
    expect(MailtrapPermissionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('other.org, which is not a sending domain');
    expect((error as Error).message).toContain('example.com, example.net');
  });

  it('fails on a verified domain that cannot send yet (compliance)', async () => {
    account.body = { data: [domain('example.com', true, 'awaiting_questionnaire')] };
    const error = await transporter({ from: 'shop@example.com' })
      .verify()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('compliance status awaiting_questionnaire');
  });

  it('resolves true with a MailtrapWarning when the token may not read domains', async () => {
    account = { status: 403, body: { errors: 'Access forbidden' } };
    let result: unknown;
    const warnings = await warningsDuring(async () => {
      result = await transporter({ from: 'shop@example.net' }).verify();
    });
    expect(result).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.name).toBe('MailtrapWarning');
    expect((warnings[0] as Error & { code?: string }).code).toBe(DOMAIN_NOT_CHECKED_WARNING);
    expect(warnings[0]!.message).toContain('example.net could not be checked');
  });

  it('the token is checked first: a wrong token fails before the domains are read', async () => {
    const error = await transporter({ token: 'wrong', from: 'shop@example.com' })
      .verify()
      .catch((caught: unknown) => caught);
    expect(MailtrapAuthenticationError.isInstance(error)).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it('no sender, or the sandbox stream (any domain), checks the token only', async () => {
    await expect(transporter().verify()).resolves.toBe(true);
    await expect(
      transporter({ sandbox: true, sandboxId: 3, from: 'shop@example.net' }).verify(),
    ).resolves.toBe(true);
    expect(seen).toHaveLength(0);
  });
});

describe('verify() against the emulator’s sending domains', () => {
  let account: RunningEmulator;
  beforeAll(async () => {
    account = await startEmulator({
      domains: [{ name: 'example.com' }, { name: 'pending.example', verified: false }],
    });
  });
  afterAll(() => account?.close());

  function against(from: string, token = account.token) {
    const created = nodemailer.createTransport(
      MailtrapTransport({ token, endpoints: account.endpoints, retry: false, from }),
    );
    opened.push(created);
    return created;
  }

  it('a verified domain passes', async () => {
    await expect(against('shop@example.com').verify()).resolves.toBe(true);
  });

  it('an unverified domain fails with the records its DNS lacks, until it is verified', async () => {
    const error = await against('shop@pending.example')
      .verify()
      .catch((caught: unknown) => caught);
    expect(MailtrapPermissionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('pending.example is not verified');
    const expected = account.domains
      .get('pending.example')!
      .dns_records.filter((record) => record.status !== 'pass')
      .map((record) => record.domain);
    expect(expected.length).toBeGreaterThan(0);
    for (const name of expected) expect((error as MailtrapPermissionError).errors.join('\n')).toContain(name);
    // What a send would meet, found by verify() before any mail: the same domain refused.
    const send = await against('shop@pending.example')
      .sendMail({ to: 'jane@example.org', subject: 'S', text: 'T' })
      .catch((caught: unknown) => caught);
    expect(MailtrapPermissionError.isInstance(send)).toBe(true);

    account.domains.verify('pending.example');
    await expect(against('shop@pending.example').verify()).resolves.toBe(true);
  });

  it('a domain’s own token sees its domain and passes', async () => {
    const token = account.domains.get('example.com')!.token;
    await expect(against('shop@example.com', token).verify()).resolves.toBe(true);
  });
});
