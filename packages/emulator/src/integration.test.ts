import { describe, expect, it } from 'vitest';
import { environmentAssignments, integrationSamples } from './integration';

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
});
