import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapClient } from './client';
import { MailtrapConfigurationError } from './errors';
import { endpointsFromBase, resolveClientOptions } from './options';
import { startTestServer, type TestServer } from './test-server';

const mail = { from: { email: 'a@example.com' }, to: [{ email: 'b@example.org' }], subject: 'S', text: 'T' };

describe('endpoints from the environment', () => {
  it('counts a variable the runtime will not let it read as unset (Deno without --allow-env for it)', () => {
    const realProcess = globalThis.process;
    const readable: Record<string, string> = { MAILTRAP_API_TOKEN: 'from-env' };
    const env = new Proxy(readable, {
      get(target, name) {
        if (typeof name === 'string' && name in target) return target[name];
        throw new Error(`Requires env access to "${String(name)}", run again with the --allow-env flag`);
      },
    });
    globalThis.process = Object.create(realProcess, { env: { value: env } });
    let resolved: ReturnType<typeof resolveClientOptions>;
    try {
      resolved = resolveClientOptions({ rateLimit: false });
    } finally {
      globalThis.process = realProcess;
    }
    expect(resolved.token).toBe('from-env');
    expect(resolved.targets.send).toEqual({ origin: 'https://send.api.mailtrap.io', prefix: '' });
    void resolved.transport.close();
  });

  it('MAILTRAP_ENDPOINT lays the hosts out like the emulator', () => {
    const resolved = resolveClientOptions(
      { token: 't', rateLimit: false },
      { MAILTRAP_ENDPOINT: 'http://127.0.0.1:4025/' },
    );
    expect(resolved.targets).toEqual({
      send: { origin: 'http://127.0.0.1:4025', prefix: '/transactional' },
      bulk: { origin: 'http://127.0.0.1:4025', prefix: '/bulk' },
      sandbox: { origin: 'http://127.0.0.1:4025', prefix: '/sandbox' },
      general: { origin: 'http://127.0.0.1:4025', prefix: '' },
    });
    void resolved.transport.close();
  });

  it('endpointsFromBase gives the hosts the client derives from MAILTRAP_ENDPOINT', () => {
    const base = 'http://127.0.0.1:4025/prefix/';
    const derived = endpointsFromBase(base);
    expect(derived).toEqual({
      send: 'http://127.0.0.1:4025/prefix/transactional',
      bulk: 'http://127.0.0.1:4025/prefix/bulk',
      sandbox: 'http://127.0.0.1:4025/prefix/sandbox',
      general: 'http://127.0.0.1:4025/prefix',
    });
    const fromVariable = resolveClientOptions({ token: 't', rateLimit: false }, { MAILTRAP_ENDPOINT: base });
    const fromHosts = resolveClientOptions({ token: 't', rateLimit: false, endpoints: derived }, {});
    expect(fromHosts.targets).toEqual(fromVariable.targets);
    void fromVariable.transport.close();
    void fromHosts.transport.close();
  });

  it('per-host variables win over MAILTRAP_ENDPOINT, explicit endpoints over both', () => {
    const resolved = resolveClientOptions(
      { token: 't', endpoints: { bulk: 'https://bulk.example.net/base' } },
      {
        MAILTRAP_ENDPOINT: 'https://proxy.example.net',
        MAILTRAP_SEND_ENDPOINT: 'https://send.example.net',
        MAILTRAP_BULK_ENDPOINT: 'https://ignored.example.net',
      },
    );
    expect(resolved.targets.send).toEqual({ origin: 'https://send.example.net', prefix: '' });
    expect(resolved.targets.bulk).toEqual({ origin: 'https://bulk.example.net', prefix: '/base' });
    expect(resolved.targets.sandbox).toEqual({ origin: 'https://proxy.example.net', prefix: '/sandbox' });
    void resolved.transport.close();
  });

  it('without variables, the real hosts; the token from MAILTRAP_API_TOKEN unless given', () => {
    const resolved = resolveClientOptions({}, { MAILTRAP_API_TOKEN: 'from-env' });
    expect(resolved.token).toBe('from-env');
    expect(resolved.targets.send.origin).toBe('https://send.api.mailtrap.io');
    expect(resolved.targets.general.origin).toBe('https://mailtrap.io');
    void resolved.transport.close();
    const explicit = resolveClientOptions({ token: 'explicit' }, { MAILTRAP_API_TOKEN: 'from-env' });
    expect(explicit.token).toBe('explicit');
    void explicit.transport.close();
  });

  it('refuses a bad variable naming it, and plain http to a remote host', () => {
    expect(() => resolveClientOptions({ token: 't' }, { MAILTRAP_ENDPOINT: 'not a url' })).toThrow(
      /MAILTRAP_ENDPOINT/,
    );
    expect(() =>
      resolveClientOptions({ token: 't' }, { MAILTRAP_BULK_ENDPOINT: 'http://example.net' }),
    ).toThrow(MailtrapConfigurationError);
  });

  describe('a client built with no options at all', () => {
    let server: TestServer;
    const saved = { ...process.env };
    beforeAll(async () => {
      server = await startTestServer();
      process.env.MAILTRAP_API_TOKEN = 'environment-token';
      process.env.MAILTRAP_ENDPOINT = server.url;
    });
    afterAll(async () => {
      process.env = saved;
      await server.close();
    });

    it('sends where MAILTRAP_ENDPOINT points, with MAILTRAP_API_TOKEN', async () => {
      const client = new MailtrapClient();
      await client.send(mail);
      await client.batchSend({ requests: [mail] });
      await client.request({ method: 'GET', path: '/api/accounts' });
      await client.close();
      expect(server.requests.map((request) => request.url)).toEqual([
        '/transactional/api/send',
        '/transactional/api/batch',
        '/api/accounts',
      ]);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer environment-token');
    });
  });
});

describe('unknown option keys', () => {
  it('refuses a misspelt option and names the one meant', () => {
    expect(() => resolveClientOptions({ token: 't', timeoutMS: 5 } as never, {})).toThrow(
      /`timeoutMS` is not a MailtrapClient option; did you mean `timeoutMs`\?/,
    );
    expect(() => resolveClientOptions({ token: 't', sandbox: true, sandbox_id: 1 } as never, {})).toThrow(
      /did you mean `sandboxId`/,
    );
  });

  it('lists the known options when nothing is close', () => {
    let error: unknown;
    try {
      new MailtrapClient({ token: 't', host: 'send.api.mailtrap.io' } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MailtrapConfigurationError);
    expect((error as Error).message).toMatch(
      /`host` is not a MailtrapClient option \(known: token, stream, /,
    );
  });

  it('takes every listed option key', () => {
    expect(() =>
      resolveClientOptions(
        { token: 't', accountId: 1, timeoutMs: 1000, allowInsecureHttp: false, userAgent: 'u' },
        {},
      ),
    ).not.toThrow();
  });
});
