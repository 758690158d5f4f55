import { MailtrapConfigurationError } from '@mailtrap-kit/core';
import { describe, expect, it } from 'vitest';
import { MailtrapTransport } from './index';
import { resolveSettings } from './settings';

function refusal(settings: Record<string, unknown>): MailtrapConfigurationError {
  try {
    MailtrapTransport(settings as never);
  } catch (error) {
    expect(MailtrapConfigurationError.isInstance(error)).toBe(true);
    return error as MailtrapConfigurationError;
  }
  throw new Error('the settings were accepted');
}

describe('unknown settings are refused at creation', () => {
  it('a typo names the setting and the one meant', () => {
    const error = refusal({ token: 't', batchng: true });
    expect(error.message).toContain('`batchng` (did you mean `batching`?)');
  });

  it('typos of client options too (maxMessageBytes, timeoutMs)', () => {
    expect(refusal({ token: 't', maxMesageBytes: 1 }).message).toContain('did you mean `maxMessageBytes`?');
    expect(refusal({ token: 't', timeoutMS: 1 }).message).toContain('did you mean `timeoutMs`?');
  });

  it('a setting far from every known one is named without a guess, with the known ones listed', () => {
    const error = refusal({ token: 't', colour: 'blue' });
    expect(error.message).toContain('`colour`');
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toContain('batching');
  });

  it('every unknown setting is named at once', () => {
    const error = refusal({ token: 't', batchng: true, ignoreOption: ['x'] });
    expect(error.message).toContain('`batchng`');
    expect(error.message).toContain('`ignoreOption` (did you mean `ignoreOptions`?)');
  });

  it('a setting given as undefined is no setting', () => {
    expect(() => MailtrapTransport({ token: 't', batchng: undefined } as never)).not.toThrow();
  });

  it('unknown batching settings are refused', () => {
    expect(refusal({ token: 't', batching: { maxWait: 5 } }).message).toContain('`batching.maxWait`');
  });
});

describe('SMTP settings are answered with the line that replaces them', () => {
  it('host, port and auth of Mailtrap’s transactional SMTP host', () => {
    const error = refusal({
      host: 'live.smtp.mailtrap.io',
      port: 587,
      auth: { user: 'api', pass: 'secret-token-value' },
    });
    expect(error.message).toContain('`host`, `port`, `auth` are SMTP settings');
    expect(error.message).toContain('MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN })');
    expect(error.message).toContain('SMTP password');
    expect(error.message).not.toContain('secret-token-value');
  });

  it('the bulk SMTP host becomes bulk: true', () => {
    const error = refusal({ host: 'bulk.smtp.mailtrap.io', port: 587, auth: { user: 'api', pass: 'x' } });
    expect(error.message).toContain(
      'MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN, bulk: true })',
    );
  });

  it('the sandbox SMTP host becomes the sandbox stream with its inbox id', () => {
    const error = refusal({ host: 'sandbox.smtp.mailtrap.io', port: 2525, auth: { user: 'u', pass: 'p' } });
    expect(error.message).toContain('sandbox: true, sandboxId: <inbox id>');
    expect(error.message).not.toContain('SMTP password');
  });

  it('secure, service and pool alone are recognised too, even next to a token', () => {
    expect(refusal({ token: 't', secure: true }).message).toContain('`secure` is an SMTP setting');
    expect(refusal({ service: 'Mailtrap' }).message).toContain('`service` is an SMTP setting');
    expect(refusal({ token: 't', pool: true, maxConnections: 5 }).message).toContain(
      '`pool`, `maxConnections` are SMTP settings',
    );
  });

  it('a numeric rateLimit is the SMTP pool’s, not core’s', () => {
    expect(refusal({ token: 't', rateLimit: 5 }).message).toContain('`rateLimit` is an SMTP setting');
  });
});

describe('values of the transport’s own settings', () => {
  it('client options are passed on, maxMessageBytes among them', () => {
    const resolved = resolveSettings({ token: 't', maxMessageBytes: 31_457_280, timeoutMs: 5 });
    expect(resolved.clientOptions).toEqual({ token: 't', maxMessageBytes: 31_457_280, timeoutMs: 5 });
  });

  it('from is parsed into an address, with the domain in Punycode', () => {
    expect(resolveSettings({ token: 't', from: '"Shop" <shop@bücher.example>' }).from).toEqual({
      email: 'shop@xn--bcher-kva.example',
      name: 'Shop',
    });
    expect(resolveSettings({ token: 't', from: { name: 'S', address: 's@example.com' } }).from).toEqual({
      email: 's@example.com',
      name: 'S',
    });
  });

  it('a from that is not one valid address is refused', () => {
    expect(refusal({ token: 't', from: 'a@example.com, b@example.com' }).message).toContain(
      'exactly one address',
    );
    expect(refusal({ token: 't', from: 'shop@example' }).message).toContain('shop@example');
    expect(refusal({ token: 't', from: 42 }).message).toContain('`from` must be an address');
  });

  it('ignoreOptions must be names, the access flags booleans', () => {
    expect(refusal({ token: 't', ignoreOptions: 'template' }).message).toContain('`ignoreOptions`');
    expect(refusal({ token: 't', disableFileAccess: 'yes' }).message).toContain('`disableFileAccess`');
  });
});
