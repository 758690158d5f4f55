import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MailtrapClient } from '@mailtrap-kit/core';
import { startKit, useEmulator } from './cli.test-support';

const harness = useEmulator({ webhookDelivery: { batchWindowMs: 20, retryDelayMs: 100, maxAttempts: 3 } });

function emulatorEnv() {
  return { MAILTRAP_API_TOKEN: harness.emulator.token, MAILTRAP_ENDPOINT: harness.emulator.url };
}

async function sendTo(to: string): Promise<string> {
  const client = new MailtrapClient({
    token: harness.emulator.token,
    endpoints: harness.emulator.endpoints,
    retry: false,
  });
  try {
    const result = await client.send({
      from: { email: 'news@example.com' },
      to: [{ email: to }],
      subject: 'hook',
      text: 't',
    });
    return result.message_ids[0]!;
  } finally {
    await client.close();
  }
}

const secret = 'whsec-test-0123456789abcdef';

function sign(body: string, key = secret): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

const event = (id: string, type: string, extra: Record<string, unknown> = {}) => ({
  event: type,
  event_id: id,
  message_id: `message-${id}`,
  email: 'ada@example.org',
  timestamp: 1_767_225_600,
  sending_stream: 'transactional',
  ...extra,
});

describe('mailtrap-kit webhooks listen (spawned)', () => {
  it('prints the events of signed deliveries and refuses a bad or missing signature with 401', async () => {
    const listener = startKit(['webhooks', 'listen', '--port', '0', '--secret', secret, '--max-events', '3']);
    const banner = await listener.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(banner)![1]!;

    const forged = JSON.stringify({ events: [event('x', 'delivery')] });
    const refused = await fetch(url, {
      method: 'POST',
      body: forged,
      headers: { 'mailtrap-signature': sign(forged, 'other-secret') },
    });
    expect(refused.status).toBe(401);
    const unsigned = await fetch(url, { method: 'POST', body: forged });
    expect(unsigned.status).toBe(401);

    const json = JSON.stringify({
      events: [
        event('1', 'delivery'),
        event('2', 'bounce', { response: '550 no such user', bounce_category: 'badmailbox' }),
      ],
    });
    const accepted = await fetch(url, {
      method: 'POST',
      body: json,
      headers: { 'Mailtrap-Signature': sign(json) },
    });
    expect(accepted.status).toBe(200);
    const lines = `${JSON.stringify(event('3', 'open', { ip: '203.0.113.9' }))}\n`;
    expect(
      (await fetch(url, { method: 'POST', body: lines, headers: { 'Mailtrap-Signature': sign(lines) } }))
        .status,
    ).toBe(200);

    const finished = await listener.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain(
      '✔ 2026-01-01T00:00:00.000Z  delivery        ada@example.org  message-1',
    );
    expect(finished.stdout).toContain(
      'bounce          ada@example.org  message-2  response=550 no such user  bounce_category=badmailbox',
    );
    expect(finished.stdout).toContain('open            ada@example.org  message-3  ip=203.0.113.9');
    expect(finished.stdout).toContain('Stopped: 3 events received, 2 refused.');
    expect(finished.stderr).toContain('✖ refused a delivery: bad Mailtrap-Signature (answered 401)');
    expect(finished.stderr).toContain('✖ refused a delivery: no Mailtrap-Signature header (answered 401)');
    expect(finished.stdout + finished.stderr).not.toContain(secret);
  });

  it('--create: a webhook of the emulator for the listener; its signed events printed; the webhook deleted on exit', async () => {
    const listener = startKit(
      ['webhooks', 'listen', '--create', '--port', '0', '--max-events', '2', '--events', 'delivery,open'],
      emulatorEnv(),
    );
    const banner = await listener.waitFor(/Listening on http:\/\/127\.0\.0\.1:\d+\//);
    expect(banner).toMatch(
      /^Created webhook \d+ for http:\/\/127\.0\.0\.1:\d+\/ \(deleted when this stops\)\.$/m,
    );
    const messageId = await sendTo('opened+hook@simulator.mailtrap-kit.test');
    const finished = await listener.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(
      new RegExp(`✔ \\S+  delivery +opened\\+hook@simulator\\.mailtrap-kit\\.test  ${messageId}`),
    );
    expect(finished.stdout).toMatch(
      new RegExp(`✔ \\S+  open +opened\\+hook@simulator\\.mailtrap-kit\\.test  ${messageId}  ip=`),
    );
    expect(
      harness.emulator
        .webhookDeliveries()
        .flatMap((delivery) => delivery.attempts.map((attempt) => attempt.status)),
    ).toContain(200);
    const client = new MailtrapClient({
      token: harness.emulator.token,
      endpoints: harness.emulator.endpoints,
      retry: false,
    });
    const remaining = await client.request<{ data: unknown[] }>({ method: 'GET', path: '/api/webhooks' });
    await client.close();
    expect(remaining.data).toEqual([]);
  });

  it("refuses the emulator's deliveries signed with another webhook's secret (401, retried by the emulator)", async () => {
    const listener = startKit(
      ['webhooks', 'listen', '--port', '0', '--secret', 'not-the-webhook-secret'],
      emulatorEnv(),
    );
    const banner = await listener.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(banner)![1]!;
    const created = startKit(['webhooks', 'create', url, '--events', 'delivery', '--json'], emulatorEnv());
    const webhook = JSON.parse((await created.finished).stdout) as { id: number; signing_secret: string };
    expect(webhook.signing_secret).toMatch(/^\S{16,}$/);
    await sendTo('delivered+hook@simulator.mailtrap-kit.test');
    await harness.emulator.webhooksSettled({ timeoutMs: 10_000 });
    const attempts = harness.emulator
      .webhookDeliveries()
      .filter((delivery) => delivery.webhookId === webhook.id)
      .flatMap((delivery) => delivery.attempts);
    expect(attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401]);
    listener.child.kill('SIGINT');
    const finished = await listener.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('Stopped: 0 events received, 3 refused.');
    expect(finished.stderr).toContain('✖ refused a delivery: bad Mailtrap-Signature (answered 401)');
    const removed = await startKit(['webhooks', 'delete', String(webhook.id)], emulatorEnv()).finished;
    expect(removed).toMatchObject({ code: 0, stdout: `Deleted webhook ${webhook.id}.\n` });
  });

  it('without a secret it is a usage error naming the ways to give one', async () => {
    const run = await startKit(['webhooks', 'listen', '--port', '0']).finished;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No signing secret: pass --secret <secret> or set MAILTRAP_WEBHOOK_SECRET');
  });
});
