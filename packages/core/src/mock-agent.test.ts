import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MailtrapClient, MailtrapConfigurationError, MailtrapRateLimitError, type SendMail } from './index';

// An injected dispatcher (here undici's MockAgent, net connect disabled) replaces the client's own pool.
const mail: SendMail = {
  from: { email: 's@example.com' },
  to: [{ email: 'r@example.org' }],
  subject: 'S',
  text: 'T',
};
const agents: MockAgent[] = [];

function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  return agent;
}

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

describe('injected dispatcher', () => {
  it('reports a closed dispatcher once, as a configuration error, without retrying', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    await agent.close();
    const client = new MailtrapClient({ token: 'mock-token', dispatcher: agent, rateLimit: false });
    const error = await client.send(mail).catch((caught: unknown) => caught);
    expect(MailtrapConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/closed or destroyed/);
    expect((error as Error).message).not.toMatch(/attempts/);
  });

  it('sends through it to the real default host', async () => {
    const agent = mockAgent();
    agent
      .get('https://send.api.mailtrap.io')
      .intercept({ path: '/api/send', method: 'POST', headers: { authorization: 'Bearer mock-token' } })
      .reply(200, { success: true, message_ids: ['mock-1'] });
    const client = new MailtrapClient({ token: 'mock-token', dispatcher: agent, rateLimit: false });
    await expect(client.send(mail)).resolves.toEqual({ success: true, message_ids: ['mock-1'] });
    await client.close();
    agent.assertNoPendingInterceptors();
  });

  it('reads Retry-After from any dispatcher and leaves an injected dispatcher open on close', async () => {
    const agent = mockAgent();
    const pool = agent.get('https://bulk.api.mailtrap.io');
    pool
      .intercept({ path: '/api/batch', method: 'POST' })
      .reply(429, { success: false, errors: ['Rate limit exceeded'] }, { headers: { 'Retry-After': '12' } });
    const client = new MailtrapClient({
      token: 'mock-token',
      stream: 'bulk',
      dispatcher: agent,
      retry: false,
    });
    const error = await client.batchSend({ requests: [mail] }).catch((caught: unknown) => caught);
    expect(MailtrapRateLimitError.isInstance(error)).toBe(true);
    expect((error as MailtrapRateLimitError).retryAfterMs).toBe(12_000);
    expect((error as MailtrapRateLimitError).errors).toEqual(['Rate limit exceeded']);
    await client.close();
    pool
      .intercept({ path: '/api/send', method: 'POST' })
      .reply(200, { success: true, message_ids: ['after-close'] });
    const second = new MailtrapClient({ token: 'mock-token', stream: 'bulk', dispatcher: agent });
    await expect(second.send(mail)).resolves.toMatchObject({ message_ids: ['after-close'] });
  });
});
