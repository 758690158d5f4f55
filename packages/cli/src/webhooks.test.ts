import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startKit } from './cli.test-support';

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

  it('without a secret it is a usage error naming the ways to give one', async () => {
    const run = await startKit(['webhooks', 'listen', '--port', '0']).finished;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No signing secret: pass --secret <secret> or set MAILTRAP_WEBHOOK_SECRET');
  });
});
