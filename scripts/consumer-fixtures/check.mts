// An ESM TypeScript user's program: import every public entry, type-check against the published
// declarations, then send through the core client to the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as bulkBatcher from '@mailtrap-kit/bulk-batcher';
import * as bulkBullmq from '@mailtrap-kit/bulk-bullmq';
import { formatTable, parseRate } from '@mailtrap-kit/cli-kit';
import {
  MailtrapClient,
  MailtrapError,
  type SendMail,
  type SendResult,
  verifyWebhookSignature,
} from '@mailtrap-kit/core';
import { startEmulator } from '@mailtrap-kit/emulator';
import { MailtrapTransport } from '@mailtrap-kit/nodemailer-transport';
import { renderTemplate } from '@mailtrap-kit/templates';

assert.ok(Object.keys(bulkBatcher).length > 0, 'bulk-batcher exports nothing');
assert.ok(Object.keys(bulkBullmq).length > 0, 'bulk-bullmq exports nothing');
assert.equal(typeof MailtrapTransport, 'function');
assert.equal(verifyWebhookSignature('{}', '00', 'secret'), false);
assert.deepEqual(parseRate('10/1s'), { requests: 10, windowMs: 1000 });
assert.equal(formatTable([{ a: 1 }], [{ header: 'a', value: (row) => row.a }]), 'A\n1\n');

const server = await startEmulator();
try {
  const client = new MailtrapClient({ token: server.token, endpoints: server.endpoints });
  const mail: SendMail = {
    from: { email: 'consumer@example.com', name: 'Consumer' },
    to: [{ email: 'someone@example.com' }],
    subject: 'Sent from an ESM TypeScript project',
    text: 'hello',
    category: 'consumer-test',
  };
  const result: SendResult = await client.send(mail);
  assert.equal(result.success, true);
  assert.equal(result.message_ids.length, 1);
  assert.equal(server.messages().length, 1);

  const rendered = renderTemplate({ subject: 'Hi {{name}}', body_html: '<p>{{name}}</p>' }, { name: 'Ada' });
  assert.equal(rendered.html, '<p>Ada</p>');

  const error = await client
    .send({ ...mail, from: { email: 'consumer@unverified.invalid' } })
    .catch((caught: unknown) => caught);
  assert.ok(MailtrapError.isInstance(error), 'an unverified sender gives a MailtrapError');
  assert.equal(error.status, 403);
  await client.close();
} finally {
  await server.close();
}

// the data dir's SQLite driver (WebAssembly) loads on this Node and keeps a message across a restart
const dataDir = mkdtempSync(join(tmpdir(), 'consumer-data-'));
try {
  const first = await startEmulator({ dataDir });
  const client = new MailtrapClient({ token: first.token, endpoints: first.endpoints });
  await client.send({
    from: { email: 'consumer@example.com' },
    to: [{ email: 'a@example.com' }],
    subject: 'kept',
    text: 't',
  });
  await client.close();
  await first.close();
  const second = await startEmulator({ dataDir });
  try {
    assert.equal(second.token, first.token);
    assert.deepEqual(
      second.messages().map((message) => message.subject),
      ['kept'],
    );
  } finally {
    await second.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
