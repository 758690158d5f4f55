import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailtrapClient } from './client';
import { MailtrapAuthenticationError } from './errors';
import { json, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let client: MailtrapClient;
beforeAll(async () => {
  server = await startTestServer();
  client = new MailtrapClient({
    token: 'domain-token',
    endpoints: { send: server.url, general: server.url },
    retry: false,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const mail = {
  from: { email: 'news@Other-Domain.example' },
  to: [{ email: 'b@example.org' }],
  subject: 'S',
  text: 'T',
};

describe('a 401 from the sending hosts', () => {
  it('names the sender domain as what the token may not cover (bare Unauthorized body)', async () => {
    server.queue.push((_request, response) =>
      json(response, 401, { success: false, errors: ['Unauthorized'] }),
    );
    const error = (await client.send(mail).catch((caught: unknown) => caught)) as MailtrapAuthenticationError;
    expect(MailtrapAuthenticationError.isInstance(error)).toBe(true);
    expect(error.senderDomains).toEqual(['other-domain.example']);
    expect(error.message).toMatch(
      /refused for sending from other-domain\.example: API tokens are per sending domain/,
    );
    expect(error.message).toMatch(/wrong or revoked token gets the same answer/);
    expect(error.retryable).toBe(false);
  });

  it('says so plainly when the server says the domain is not covered', async () => {
    server.queue.push((_request, response) =>
      json(response, 401, {
        success: false,
        errors: ["Unauthorized: the token does not cover the sending domain 'other-domain.example'"],
      }),
    );
    const error = (await client
      .batchSend({ base: { from: mail.from, subject: 'S', text: 'T' }, requests: [{ to: mail.to }] })
      .catch((caught: unknown) => caught)) as MailtrapAuthenticationError;
    expect(error.message).toMatch(
      /the token does not cover the sending domain 'other-domain\.example' — API tokens are per sending domain: use the token of other-domain\.example /,
    );
    expect(error.message.match(/does not cover/g)).toHaveLength(1);
    expect(error.senderDomains).toEqual(['other-domain.example']);
  });

  it('is not explained by sender domains on the account API', async () => {
    server.queue.push((_request, response) => json(response, 401, { error: 'Incorrect API token' }));
    const error = (await client.domains
      .list()
      .catch((caught: unknown) => caught)) as MailtrapAuthenticationError;
    expect(error.message).toMatch(/Incorrect API token$/);
    expect(error.senderDomains).toBeUndefined();
  });
});

describe('request() response types', () => {
  it('reads a 2xx body as JSON, text or bytes', async () => {
    const raw = Buffer.from([0x46, 0x72, 0x6f, 0x6d, 0x3a, 0x20, 0xff, 0x00]);
    server.queue.push(
      (_request, response) => json(response, 200, { ok: true }),
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('plain body');
      },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'message/rfc822' });
        response.end(raw);
      },
    );
    expect(await client.request({ method: 'GET', path: '/api/x' })).toEqual({ ok: true });
    expect(await client.request<string>({ method: 'GET', path: '/api/x.txt', responseType: 'text' })).toBe(
      'plain body',
    );
    const bytes = await client.request<Uint8Array>({
      method: 'GET',
      path: '/api/x.eml',
      responseType: 'bytes',
    });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).equals(raw)).toBe(true);
    await expect(
      client.request({ method: 'GET', path: '/api/x', responseType: 'xml' as never }),
    ).rejects.toThrow(/responseType/);
  });
});
