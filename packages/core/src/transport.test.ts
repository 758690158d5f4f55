import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapConfigurationError,
  type SendMail,
} from './index';
import { json, startTestServer, type TestServer } from './test-server';

const token = 'transport-token-0123456789';
const mail: SendMail = {
  from: { email: 'sender@example.com' },
  to: [{ email: 'a@example.org' }],
  subject: 'Hello',
  text: 'Hi',
};

let server: TestServer;
const clients: MailtrapClient[] = [];

function client(options: MailtrapClientOptions = {}): MailtrapClient {
  const created = new MailtrapClient({
    token,
    endpoints: { send: server.url },
    rateLimit: false,
    ...options,
  });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.queue.length = 0;
});

describe('transport selection', () => {
  it("sends with the project's default transport when none is given", async () => {
    const created = client();
    expect(created.transport).toBe(inject('transport'));
    server.queue.push((_request, response) => json(response, 200, { success: true, message_ids: ['m-1'] }));
    await expect(created.send(mail)).resolves.toEqual({ success: true, message_ids: ['m-1'] });
  });

  it('takes the transport asked for, either way', async () => {
    for (const transport of ['undici', 'fetch'] as const) {
      const created = client({ transport });
      expect(created.transport).toBe(transport);
      server.queue.push((_request, response) =>
        json(response, 200, { success: true, message_ids: [transport] }),
      );
      await expect(created.send(mail)).resolves.toEqual({ success: true, message_ids: [transport] });
      expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    }
  });

  it('sends through an injected dispatcher with undici, and refuses one with fetch', async () => {
    const agent = new Agent();
    try {
      expect(client({ dispatcher: agent }).transport).toBe('undici');
      expect(() => client({ dispatcher: agent, transport: 'fetch' })).toThrow(MailtrapConfigurationError);
      expect(() => client({ dispatcher: agent, transport: 'fetch' })).toThrow(/dispatcher.*fetch/);
    } finally {
      await agent.close();
    }
  });

  it('refuses an unknown transport, naming the two', () => {
    expect(() => client({ transport: 'axios' as never })).toThrow(
      /Invalid `transport`: "axios"; expected 'undici' or 'fetch'/,
    );
  });
});

describe('answers every transport treats alike', () => {
  it('does not follow a redirect: the token stays with the host it was given to', async () => {
    server.queue.push((_request, response) => {
      response.writeHead(307, { location: 'http://127.0.0.2:1/api/send' });
      response.end();
    });
    const error = await client({ retry: false })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'http', status: 307 });
    expect(server.requests).toHaveLength(1);
  });

  it('reads a body that arrives in pieces, and the Retry-After of a 429', async () => {
    server.queue.push((_request, response) => {
      response.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
      response.write('{"errors":');
      setTimeout(() => response.end('["slow down"]}'), 20);
    });
    const error = await client({ retry: false })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'rate_limit',
      status: 429,
      retryAfterMs: 7000,
      errors: ['slow down'],
    });
  });
});
