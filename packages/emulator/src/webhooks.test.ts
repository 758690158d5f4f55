import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhookEvents, verifyWebhookSignature } from '@mailtrap-kit/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, message } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

const token = 'admin-token';
let emulator: RunningEmulator;
let receiver: Server;
let receiverUrl: string;
/** What the receiver got, and the statuses it answers with next (then 200). */
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
const answers: number[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  emulator = await startEmulator({
    tokens: [{ token }],
    webhookDelivery: { retryDelayMs: 20, maxAttempts: 4 },
  });
});
beforeEach(async () => {
  emulator.reset();
  received.length = 0;
  answers.length = 0;
  for (const hook of (await http(api('/webhooks'), { token })).body.data)
    await http(api(`/webhooks/${hook.id}`), { method: 'DELETE', token });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const api = (path: string) => `${emulator.url}/api${path}`;
const createHook = (webhook: Record<string, unknown>) =>
  http(api('/webhooks'), {
    token,
    body: {
      webhook: {
        url: receiverUrl,
        webhook_type: 'email_sending',
        sending_stream: 'transactional',
        event_types: ['delivery', 'bounce', 'open', 'click', 'spam_complaint', 'soft_bounce'],
        ...webhook,
      },
    },
  });

describe('Webhooks API', () => {
  it('creates, lists, gets, updates and deletes; the signing secret only on creation', async () => {
    const created = await createHook({ domain_id: emulator.domains.get('example.com')!.id });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({
      url: receiverUrl,
      active: true,
      webhook_type: 'email_sending',
      payload_format: 'json',
      sending_stream: 'transactional',
    });
    expect(created.body.data.signing_secret).toMatch(/^[0-9a-f]{32}$/);
    const id = created.body.data.id;
    const listed = await http(api('/webhooks'), { token });
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].signing_secret).toBeUndefined();
    expect((await http(api(`/webhooks/${id}`), { token })).body.data.signing_secret).toBeUndefined();
    const patched = await http(api(`/webhooks/${id}`), {
      method: 'PATCH',
      token,
      body: { webhook: { active: false, payload_format: 'jsonlines', event_types: ['delivery'] } },
    });
    expect(patched.body.data).toMatchObject({
      active: false,
      payload_format: 'jsonlines',
      event_types: ['delivery'],
    });
    const deleted = await http(api(`/accounts/1/webhooks/${id}`), { method: 'DELETE', token });
    expect(deleted.body.data.id).toBe(id);
    expect((await http(api(`/webhooks/${id}`), { token })).status).toBe(404);
  });

  it('answers 422 for missing fields and refuses URLs that are not loopback unless allowed', async () => {
    const missing = await http(api('/webhooks'), {
      token,
      body: { webhook: { webhook_type: 'email_sending' } },
    });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.errors).sort()).toEqual(['event_types', 'sending_stream', 'url']);
    const remote = await createHook({ url: 'https://hooks.example.com/in' });
    expect(remote.status).toBe(422);
    expect(remote.body.errors.url[0]).toMatch(/loopback/);
    const open = await startEmulator({ webhookDelivery: { allowRemote: true } });
    try {
      const allowed = await http(`${open.url}/api/webhooks`, {
        token: open.token,
        body: {
          webhook: {
            url: 'https://hooks.example.com/in',
            webhook_type: 'email_sending',
            sending_stream: 'bulk',
            event_types: ['open'],
          },
        },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('webhook delivery', () => {
  it('batches the events of a send into one signed JSON request that core verifies and parses', async () => {
    const hook = await createHook({});
    const secret = hook.body.data.signing_secret;
    const sent = await http(`${emulator.endpoints.send}/api/send`, {
      token,
      body: {
        ...message('news@example.com', 'bounced+7@simulator.mailtrap-kit.test'),
        cc: [{ email: 'clicked@simulator.mailtrap-kit.test' }],
        html: '<a href="https://example.com/go">go</a>',
        category: 'welcome',
        custom_variables: { user_id: '42' },
      },
    });
    await emulator.webhooksSettled();
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(
      verifyWebhookSignature(request!.body, request!.headers['mailtrap-signature'] as string, secret),
    ).toBe(true);
    expect(
      verifyWebhookSignature(request!.body, request!.headers['mailtrap-signature'] as string, 'wrong'),
    ).toBe(false);
    const events = parseWebhookEvents(request!.body);
    expect(events.map((event) => event.event)).toEqual(['bounce', 'delivery', 'open', 'click']);
    const [bounce, , open, click] = events as any[];
    expect(bounce).toMatchObject({
      message_id: sent.body.message_ids[0],
      email: 'bounced+7@simulator.mailtrap-kit.test',
      sending_stream: 'transactional',
      category: 'welcome',
      custom_variables: { user_id: '42' },
      sending_domain_name: 'example.com',
      response: '550 5.1.1 The email account that you tried to reach does not exist',
      response_code: 550,
      bounce_category: 'invalid_recipient',
    });
    expect(typeof bounce.timestamp).toBe('number');
    expect(new Set(events.map((event) => event.event_id)).size).toBe(4);
    expect(open).toMatchObject({ ip: '127.0.0.1', user_agent: expect.any(String) });
    expect(click).toMatchObject({ url: 'https://example.com/go' });
    const [delivery] = emulator.webhookDeliveries();
    expect(delivery).toMatchObject({
      state: 'delivered',
      events: expect.any(Array),
      attempts: [{ attempt: 1, status: 200 }],
    });
  });

  it('sends JSON Lines, delivers plain messages and control-added events, and only matching ones', async () => {
    const hook = await createHook({ payload_format: 'jsonlines', event_types: ['delivery', 'open'] });
    await http(`${emulator.endpoints.send}/api/send`, {
      token,
      body: message('a@example.com', 'reader@example.org'),
    });
    // another stream, another domain: not for this webhook
    await http(`${emulator.endpoints.bulk}/api/send`, { token, body: message('a@example.com') });
    await emulator.webhooksSettled();
    const [id] = emulator
      .logs()
      .filter((entry) => entry.sending_stream === 'transactional')
      .map((entry) => entry.message_id);
    emulator.addEvent(id!, { type: 'open', ip: '203.0.113.5', user_agent: 'Apple Mail' });
    emulator.addEvent(id!, { type: 'click' }); // not subscribed
    await emulator.webhooksSettled();
    expect(received).toHaveLength(2);
    for (const request of received) {
      expect(request.headers['content-type']).toBe('application/jsonl');
      expect(
        verifyWebhookSignature(
          request.body,
          request.headers['mailtrap-signature'] as string,
          hook.body.data.signing_secret,
        ),
      ).toBe(true);
      expect(request.body.trim().split('\n')).toHaveLength(1);
    }
    expect(parseWebhookEvents(received[1]!.body)[0]).toMatchObject({
      event: 'open',
      ip: '203.0.113.5',
      user_agent: 'Apple Mail',
    });
  });

  it('sends a domain-scoped webhook only the events of messages from that domain', async () => {
    await createHook({ domain_id: emulator.domains.get('mailtrap-kit.test')!.id, event_types: ['delivery'] });
    await http(`${emulator.endpoints.send}/api/send`, {
      token,
      body: message('a@example.com', 'one@example.org'),
    });
    await http(`${emulator.endpoints.send}/api/send`, {
      token,
      body: message('a@mailtrap-kit.test', 'two@example.org'),
    });
    await emulator.webhooksSettled();
    expect(
      received.flatMap((request) => parseWebhookEvents(request.body).map((event) => event.email)),
    ).toEqual(['two@example.org']);
  });

  it('retries on any answer but 2xx, records every attempt, and gives up after maxAttempts', async () => {
    await createHook({});
    answers.push(500, 404);
    await http(`${emulator.endpoints.send}/api/send`, { token, body: message('a@example.com') });
    await emulator.webhooksSettled();
    expect(emulator.webhookDeliveries()[0]!.attempts.map((attempt) => attempt.status)).toEqual([
      500, 404, 200,
    ]);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((request) => request.body)).size).toBe(1);

    answers.push(503, 503, 503, 503);
    await http(`${emulator.endpoints.send}/api/send`, { token, body: message('a@example.com') });
    await emulator.webhooksSettled();
    const failed = emulator.webhookDeliveries()[1]!;
    expect(failed.state).toBe('failed');
    expect(failed.attempts).toHaveLength(4);
    const control = await http(`${emulator.url}/_emulator/webhooks`);
    expect(control.body.deliveries[0].attempts).toHaveLength(4);
  });
});
