import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { MailtrapClient } from './client';
import { startTestServer, type TestServer } from './test-server';
import type { BatchBase, SendMail } from './types';
import { validateBatch, validateSendMail } from './validation';

let server: TestServer;
let client: MailtrapClient;
beforeAll(async () => {
  server = await startTestServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      request.url.endsWith('/batch')
        ? '{"success":true,"responses":[{"success":true,"message_ids":["1"]}]}'
        : '{"success":true,"message_ids":["1"]}',
    );
  });
  client = new MailtrapClient({ token: 'wire-token', endpoints: { send: server.url }, rateLimit: false });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const from = { email: 'a@example.com' };
const to = [{ email: 'b@example.org' }];

describe('what the official client accepted, sent in the wire form', () => {
  it('custom_variables numbers and booleans go as strings; Buffer text and html as UTF-8 text', async () => {
    const mail: SendMail = {
      from,
      to,
      subject: 'Order',
      text: Buffer.from('Grüße'),
      html: new TextEncoder().encode('<p>Grüße</p>'),
      custom_variables: { order_id: 42, paid: true, ratio: 0.5, note: 'x' },
    };
    await client.send(mail);
    const sent = JSON.parse(server.requests.at(-1)!.body);
    expect(sent.text).toBe('Grüße');
    expect(sent.html).toBe('<p>Grüße</p>');
    expect(sent.custom_variables).toEqual({ order_id: '42', paid: 'true', ratio: '0.5', note: 'x' });
    // The caller's object is left as it was.
    expect(mail.custom_variables?.order_id).toBe(42);
    expect(() => validateSendMail(mail)).not.toThrow();
  });

  it('converts base and requests of a batch, and still refuses what has no wire form', async () => {
    await client.batchSend({
      base: { from, subject: 'S', text: Buffer.from('base text'), custom_variables: { campaign: 7 } },
      requests: [{ to, custom_variables: { index: 0 } }],
    });
    const sent = JSON.parse(server.requests.at(-1)!.body);
    expect(sent.base).toMatchObject({ text: 'base text', custom_variables: { campaign: '7' } });
    expect(sent.requests[0].custom_variables).toEqual({ index: '0' });
    expect(() =>
      validateBatch({
        requests: [{ from, to, subject: 'S', text: 'T', custom_variables: { bad: Number.NaN } }],
      }),
    ).toThrow(/custom_variables.bad/);
    expect(() =>
      validateSendMail({ from, to, subject: 'S', text: 'T', custom_variables: { nested: {} as never } }),
    ).toThrow(/must be a string, a number or a boolean/);
  });

  it('types BatchBase.from as optional', () => {
    expectTypeOf<{ subject: string }>().toMatchTypeOf<BatchBase>();
    expectTypeOf<BatchBase['from']>().toEqualTypeOf<{ email: string; name?: string } | undefined>();
  });
});
