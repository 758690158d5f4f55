import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './index';
import { environmentAssignments, type IntegrationSample, integrationSamples } from './integration';

const run = promisify(execFile);

const info = {
  url: 'http://127.0.0.1:4025',
  token: 'tok-1',
  domains: [
    { name: 'later.test', verified: false },
    { name: 'acme.test', verified: true },
  ],
  sandboxId: 3,
};

describe('integrationSamples', () => {
  it("adds the SMTP sample only when the SMTP listener is on, with Mailtrap's credentials", () => {
    expect(integrationSamples(info).map((sample) => sample.id)).toEqual([
      'environment',
      'core',
      'nodemailer',
      'curl',
    ]);
    const withSmtp = integrationSamples({ ...info, smtp: { host: '127.0.0.1', port: 2525 } });
    const smtp = withSmtp.find((sample) => sample.id === 'smtp')!;
    expect(smtp.code).toContain("host: '127.0.0.1',");
    expect(smtp.code).toContain('port: 2525,');
    expect(smtp.code).toContain("auth: { user: 'api', pass: 'tok-1' },");
    expect(smtp.code).toContain("from: 'app@acme.test',");
    // plain on loopback by default: Nodemailer's defaults, no TLS option to add
    expect(smtp.code).not.toContain('ignoreTLS');
    expect(smtp.note).toContain("Nodemailer's defaults work");
  });

  it('skips STARTTLS in the SMTP sample only when the emulator offers it on loopback too', () => {
    const forced = integrationSamples({
      ...info,
      smtp: { host: '127.0.0.1', port: 2525, starttls: 'always' },
    });
    const smtp = forced.find((sample) => sample.id === 'smtp')!;
    expect(smtp.code).toContain('  ignoreTLS: true,');
    expect(smtp.note).toContain('--smtp-starttls');
    const remote = integrationSamples({
      ...info,
      smtp: { host: '127.0.0.1', port: 2525, starttls: 'remote' },
    });
    expect(remote.find((sample) => sample.id === 'smtp')!.code).not.toContain('ignoreTLS');
  });

  it('never writes a token that was given: the variable stands for it', () => {
    const samples = integrationSamples({
      ...info,
      token: undefined,
      smtp: { host: '127.0.0.1', port: 2525 },
    });
    const all = samples.map((sample) => sample.code).join('\n');
    expect(all).not.toContain('tok-1');
    expect(samples.find((sample) => sample.id === 'curl')!.code).toContain('Bearer $MAILTRAP_API_TOKEN');
    expect(samples.find((sample) => sample.id === 'smtp')!.code).toContain(
      'pass: process.env.MAILTRAP_API_TOKEN',
    );
    expect(environmentAssignments({ ...info, token: undefined })).toBe(
      'MAILTRAP_API_TOKEN=<the token you started it with> MAILTRAP_ENDPOINT=http://127.0.0.1:4025',
    );
  });

  it('prints an SMTP sample that sends as printed, with STARTTLS offered on loopback (--smtp-starttls) too', async () => {
    const emulator = await startEmulator({ smtpPort: 0, smtpStarttls: 'always' });
    // in the package's folder, so that Node finds nodemailer
    const file = fileURLToPath(new URL(`../integration-tls-sample-${process.pid}.mjs`, import.meta.url));
    try {
      const page = (await (await fetch(`${emulator.url}/_emulator/integration`)).json()) as {
        samples: IntegrationSample[];
      };
      const sample = page.samples.find((entry) => entry.id === 'smtp')!;
      expect(sample.code).toContain('ignoreTLS: true');
      await writeFile(file, sample.code);
      await run(process.execPath, [file]);
      expect(emulator.messages().map((message) => message.subject)).toEqual(['Hello over SMTP']);
    } finally {
      await rm(file, { force: true });
      await emulator.close();
    }
  });
});
