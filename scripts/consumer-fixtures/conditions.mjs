// Which build of @mailtrap-kit/core a resolver gets for each exports condition, from the installed
// tarball: `node --conditions=<condition> conditions.mjs <condition>`. Without one, Node's build.
import assert from 'node:assert/strict';
import { startEmulator } from '@mailtrap-kit/emulator';

const condition = process.argv[2] ?? 'node';
const core = await import('@mailtrap-kit/core');
const server = await startEmulator();
try {
  const options = { token: server.token, endpoints: server.endpoints };
  if (condition === 'browser') {
    assert.throws(() => new core.MailtrapClient(options), {
      code: 'unsupported_runtime',
      feature: 'browser',
    });
    assert.throws(() => core.validateSendMail({ subject: 'no sender' }), { code: 'validation' });
  } else {
    const client = new core.MailtrapClient(options);
    assert.equal(client.transport, condition === 'node' ? 'undici' : 'fetch');
    const result = await client.send({
      from: { email: 'consumer@example.com' },
      to: [{ email: 'someone@example.com' }],
      subject: `Sent with the ${condition} condition`,
      text: 'hello',
    });
    assert.equal(result.success, true);
    if (condition !== 'node') {
      assert.throws(() => new core.MailtrapClient({ ...options, transport: 'undici' }), {
        code: 'unsupported_runtime',
      });
    }
    await client.close();
  }
  assert.equal(await core.verifyWebhookSignatureAsync('{}', '0'.repeat(64), 'secret'), false);
  console.log(`${condition}: ok`);
} finally {
  await server.close();
}
