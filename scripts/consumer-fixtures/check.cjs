// A CommonJS user's program: require every public entry, then send through Nodemailer to the emulator.
const assert = require('node:assert/strict');
const core = require('@mailtrap-kit/core');
const emulator = require('@mailtrap-kit/emulator');
const templates = require('@mailtrap-kit/templates');
const nodemailerTransport = require('@mailtrap-kit/nodemailer-transport');
const bulkBatcher = require('@mailtrap-kit/bulk-batcher');
const bulkBullmq = require('@mailtrap-kit/bulk-bullmq');
const cliKit = require('@mailtrap-kit/cli-kit');
const cli = require('@mailtrap-kit/cli');
const nodemailer = require('nodemailer');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

for (const [name, entry] of Object.entries({
  core,
  emulator,
  templates,
  nodemailerTransport,
  bulkBatcher,
  bulkBullmq,
  cliKit,
  cli,
})) {
  assert.ok(Object.keys(entry).length > 0, `${name} exports nothing`);
}
assert.equal(typeof core.MailtrapClient, 'function');
assert.equal(typeof core.MailtrapError.isInstance, 'function');
assert.equal(typeof core.verifyWebhookSignature, 'function');
assert.equal(typeof emulator.startEmulator, 'function');
assert.equal(typeof templates.renderTemplate, 'function');
assert.equal(typeof nodemailerTransport.MailtrapTransport, 'function');
assert.deepEqual(cliKit.parseRate('150/10s'), { requests: 150, windowMs: 10000 });
assert.equal(typeof cli.runKit, 'function');

async function main() {
  const server = await emulator.startEmulator();
  try {
    const mailer = nodemailer.createTransport(
      nodemailerTransport.MailtrapTransport({ token: server.token, endpoints: server.endpoints }),
    );
    const info = await mailer.sendMail({
      from: 'Consumer <consumer@example.com>',
      to: 'Someone <someone@example.com>',
      subject: 'Sent from a CommonJS project',
      text: 'hello',
    });
    assert.deepEqual(info.accepted, ['someone@example.com']);
    const stored = server.messages();
    assert.equal(stored.length, 1);
    assert.equal(stored[0].subject, 'Sent from a CommonJS project');
    mailer.close();

    const rendered = templates.renderTemplate({ subject: 'Hi {{name}}', body_text: 'x' }, { name: 'Ada' });
    assert.equal(rendered.subject, 'Hi Ada');

    const client = new core.MailtrapClient({
      token: 'wrong-token',
      endpoints: server.endpoints,
      retry: false,
    });
    const error = await client
      .send({
        from: { email: 'consumer@example.com' },
        to: [{ email: 'a@example.com' }],
        subject: 's',
        text: 't',
      })
      .then(
        () => undefined,
        (caught) => caught,
      );
    assert.ok(core.MailtrapError.isInstance(error), 'a wrong token gives a MailtrapError');
    assert.equal(error.status, 401);
    await client.close();
  } finally {
    await server.close();
  }
  await dataDirRoundTrip();
}

/** The data dir's SQLite driver (WebAssembly) loads on this Node and keeps a message across a restart. */
async function dataDirRoundTrip() {
  const dataDir = mkdtempSync(join(tmpdir(), 'consumer-data-'));
  try {
    const first = await emulator.startEmulator({ dataDir });
    const client = new core.MailtrapClient({ token: first.token, endpoints: first.endpoints, retry: false });
    await client.send({
      from: { email: 'consumer@example.com' },
      to: [{ email: 'a@example.com' }],
      subject: 'kept',
      text: 't',
    });
    await client.close();
    await first.close();
    const second = await emulator.startEmulator({ dataDir });
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
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
