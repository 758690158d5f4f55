/**
 * The integration a user follows, end to end over real HTTP with core's client: create a sending
 * domain, see sending refused, verify it, send with the domain's own token, find the bounce in
 * Email Logs, the suppression it made, the stats by category, and the signed webhook.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MailtrapClient,
  MailtrapError,
  parseWebhookEvents,
  verifyWebhookSignature,
} from '@mailtrap-kit/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from './index';

let emulator: RunningEmulator;
let receiver: Server;
const hooks: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      hooks.push({ headers: request.headers, body });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  emulator = await startEmulator({ webhookDelivery: { batchWindowMs: 10 } });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

it('domain → refused → verified → sent with its token → bounce in Email Logs → suppression → stats → signed webhook', async () => {
  const admin = new MailtrapClient({ token: emulator.token, endpoints: emulator.endpoints, retry: false });

  // 1. a new sending domain starts unverified, with its DNS records to add
  const domain = await admin.request<{
    id: number;
    dns_verified: boolean;
    dns_records: Array<{ key: string }>;
  }>({
    method: 'POST',
    path: '/api/domains',
    body: { domain: { domain_name: 'acme-mail.test' } },
  });
  expect(domain.dns_verified).toBe(false);
  expect(domain.dns_records.map((record) => record.key)).toContain('dkim1');

  // a webhook for the domain's transactional events, signed with its secret
  const webhook = await admin.request<{ data: { signing_secret: string } }>({
    method: 'POST',
    path: '/api/webhooks',
    body: {
      webhook: {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/mailtrap`,
        webhook_type: 'email_sending',
        sending_stream: 'transactional',
        domain_id: domain.id,
        event_types: ['delivery', 'bounce'],
      },
    },
  });

  // 2. its own token cannot send yet: the domain is not verified
  const domainToken = emulator.domains.get('acme-mail.test')!.token;
  const sender = new MailtrapClient({ token: domainToken, endpoints: emulator.endpoints, retry: false });
  const mail = {
    from: { email: 'billing@acme-mail.test' },
    to: [{ email: 'bounced+invoice@simulator.mailtrap-kit.test' }],
    subject: 'Your invoice',
    text: 'Attached.',
    category: 'invoice',
  };
  const refused = await sender.send(mail).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(MailtrapError);
  expect((refused as MailtrapError).status).toBe(403);

  // 3. verified (as the DNS check would), the same send goes through
  const verified = await fetch(`${emulator.url}/_emulator/domains/acme-mail.test/verify`, { method: 'POST' });
  expect(verified.status).toBe(200);
  const sent = await sender.send(mail);
  const [messageId] = sent.message_ids;

  // 4. Email Logs: not delivered, with the bounce and its details
  const entry = await sender.emailLogs.get(messageId!);
  expect(entry.status).toBe('not_delivered');
  expect((entry as any).events).toEqual([
    expect.objectContaining({
      event_type: 'bounce',
      details: expect.objectContaining({ bounce_category: 'invalid_recipient' }),
    }),
  ]);

  // 5. the hard bounce suppressed the address, for this domain's token too
  const suppressions = await sender.suppressions.list({ email: mail.to[0]!.email });
  expect(suppressions).toEqual([
    expect.objectContaining({
      type: 'hard bounce',
      sending_stream: 'transactional',
      domain_name: 'acme-mail.test',
    }),
  ]);

  // 6. stats by category count it
  const today = new Date().toISOString().slice(0, 10);
  const byCategory = await sender.request<
    Array<{ category: string; stats: { bounce_count: number; delivery_count: number } }>
  >({ method: 'GET', path: '/api/stats/categories', query: { start_date: today, end_date: today } });
  expect(byCategory).toEqual([
    { category: 'invoice', stats: expect.objectContaining({ bounce_count: 1, delivery_count: 0 }) },
  ]);

  // 7. the bounce reached the webhook, signed
  await emulator.webhooksSettled();
  expect(hooks).toHaveLength(1);
  const signature = hooks[0]!.headers['mailtrap-signature'] as string;
  expect(verifyWebhookSignature(hooks[0]!.body, signature, webhook.data.signing_secret)).toBe(true);
  expect(parseWebhookEvents(hooks[0]!.body)).toEqual([
    expect.objectContaining({
      event: 'bounce',
      message_id: messageId,
      category: 'invoice',
      sending_domain_name: 'acme-mail.test',
    }),
  ]);

  // the next send to the suppressed address is not delivered
  const again = await sender.send(mail);
  expect((await sender.emailLogs.get(again.message_ids[0]!)).status).toBe('opted_out');
});

it("shows a domain's token only its own domain in Email Logs, stats and suppressions", async () => {
  const admin = new MailtrapClient({ token: emulator.token, endpoints: emulator.endpoints, retry: false });
  await admin.send({
    from: { email: 'team@example.com' },
    to: [{ email: 'bounced@simulator.mailtrap-kit.test' }],
    subject: 'Other domain',
    text: 'x',
  });
  const own = new MailtrapClient({
    token: emulator.domains.get('acme-mail.test')!.token,
    endpoints: emulator.endpoints,
  });
  const seen = await own.emailLogs.list();
  expect(seen.messages.every((message) => message.from.endsWith('@acme-mail.test'))).toBe(true);
  expect((await admin.emailLogs.list()).total_count).toBeGreaterThan(seen.total_count);
  expect((await own.suppressions.list()).every((record) => record.domain_name === 'acme-mail.test')).toBe(
    true,
  );
  const today = new Date().toISOString().slice(0, 10);
  const byDomain = await own.request<Array<{ domain_id: number }>>({
    method: 'GET',
    path: '/api/stats/domains',
    query: { start_date: today, end_date: today },
  });
  expect(byDomain.map((row) => row.domain_id)).toEqual([emulator.domains.get('acme-mail.test')!.id]);
});
