import {
  type Address,
  MailtrapClient,
  type MailtrapEndpoints,
  MailtrapError,
  MailtrapValidationError,
} from '@mailtrap-kit/core';

export interface ExampleOptions {
  /** Your API token (or the emulator's). */
  token: string;
  /** Base URLs of a Mailtrap-compatible API (the emulator); omit them to send through Mailtrap. */
  endpoints?: MailtrapEndpoints;
  from: Address;
  to: Address;
  /** The sandbox the sandbox send goes to; without it that send is left out. */
  sandboxId?: number;
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

/** One transactional email, a batch of receipts, one email to the sandbox, and a typed error. */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { token, endpoints, from, to, log = console.log } = options;
  const result: ExampleResult = { sent: 0, failed: 0 };

  // 1. One transactional email.
  const client = new MailtrapClient({ token, endpoints });
  try {
    const welcome = await client.send({
      from,
      to: [to],
      subject: 'Welcome to Acme',
      text: 'Thanks for signing up. Your account is ready.',
      html: '<p>Thanks for signing up. Your account is <strong>ready</strong>.</p>',
      category: 'welcome',
    });
    log(`send: accepted, message id ${welcome.message_ids[0]}`);
    result.sent += 1;

    // 2. A batch: one request, many messages sharing `base`; each message succeeds or fails alone.
    const orders = ['A-1001', 'A-1002', 'A-1003'];
    const batch = await client.batchSend({
      base: { from, subject: 'Your receipt', text: 'Thank you for your order.', category: 'receipt' },
      requests: orders.map((order) => ({ to: [to], custom_variables: { order_id: order } })),
    });
    for (const [index, response] of batch.responses.entries()) {
      if (response.success) result.sent += 1;
      else {
        result.failed += 1;
        log(`batch: order ${orders[index]} failed: ${response.errors?.join('; ')}`);
      }
    }
    log(`batch: ${batch.responses.filter((response) => response.success).length}/${orders.length} accepted`);

    // 3. Bad input fails before anything is sent, with the field named.
    try {
      await client.send({ from, to: [to], subject: 'No body' });
    } catch (error) {
      if (!MailtrapValidationError.isInstance(error)) throw error;
      log(`validation: refused locally (${error.field}): ${error.message}`);
    }
  } finally {
    await client.close();
  }

  // 4. The same email to a sandbox (Email Testing): it is captured there, never delivered.
  if (options.sandboxId !== undefined) {
    const sandbox = new MailtrapClient({ token, endpoints, stream: 'sandbox', sandboxId: options.sandboxId });
    try {
      await sandbox.send({
        from,
        to: [to],
        subject: 'Welcome to Acme (test)',
        text: 'Captured by the sandbox.',
      });
      log(`sandbox: captured in sandbox ${options.sandboxId}`);
      result.sent += 1;
    } catch (error) {
      if (!MailtrapError.isInstance(error)) throw error;
      log(`sandbox: ${error.code}: ${error.message}`);
      result.failed += 1;
    } finally {
      await sandbox.close();
    }
  }
  return result;
}
