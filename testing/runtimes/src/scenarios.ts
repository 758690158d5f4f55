/**
 * The one scenario list every runtime runs (Bun, Deno, workerd, Node): core's public API only, and
 * only what every runtime has (fetch, TextEncoder, Web Crypto). Each scenario returns what it saw;
 * the runner, which owns the emulator, checks that against what the emulator received.
 */
import {
  MailtrapClient,
  MailtrapError,
  parseWebhookEvents,
  verifyWebhookSignature,
  verifyWebhookSignatureAsync,
} from '@mailtrap-kit/core';
import type {
  Observation,
  ScenarioContext,
  ScenarioName,
  ScenarioOutcome,
  ScenarioReport,
} from './contract.ts';
import { attachmentBytes, scenarioNames } from './contract.ts';

function clientFor(context: ScenarioContext, token = context.token): MailtrapClient {
  return new MailtrapClient({
    token,
    endpoints: context.endpoints,
    retry: { retries: 2 },
    ...(context.transport ? { transport: context.transport } : {}),
  });
}

async function withClient<T>(
  context: ScenarioContext,
  use: (client: MailtrapClient) => Promise<T>,
  token?: string,
) {
  const client = clientFor(context, token);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

const sender = (context: ScenarioContext) => ({
  email: `${context.runtime}@example.com`,
  name: context.runtime,
});
const recipient = (context: ScenarioContext, label: string) => [
  { email: `${context.runtime}-${label}@example.org` },
];

const scenarios: Record<ScenarioName, (context: ScenarioContext) => Promise<Observation>> = {
  send: (context) =>
    withClient(context, async (client) => {
      const result = await client.send({
        from: sender(context),
        to: recipient(context, 'send'),
        subject: `Sent from ${context.runtime}`,
        text: 'Hello',
        html: '<p>Hello</p>',
        category: context.runtime,
      });
      return { message_ids: result.message_ids, transport: client.transport };
    }),

  batch: (context) =>
    withClient(context, async (client) => {
      const result = await client.batchSend({
        base: { from: sender(context), subject: `Batch from ${context.runtime}`, text: 'News' },
        requests: [{ to: recipient(context, 'batch-1') }, { to: recipient(context, 'batch-2') }],
      });
      return { responses: result.responses };
    }),

  'template send': (context) =>
    withClient(context, async (client) => {
      const result = await client.send({
        from: sender(context),
        to: recipient(context, 'template'),
        template_uuid: context.templateUuid,
        template_variables: { name: context.runtime },
      });
      return { message_ids: result.message_ids };
    }),

  'attachment from bytes': (context) =>
    withClient(context, async (client) => {
      const result = await client.send({
        from: sender(context),
        to: recipient(context, 'attachment'),
        subject: `Attachment from ${context.runtime}`,
        text: 'Attached',
        attachments: [
          { filename: 'bytes.bin', type: 'application/octet-stream', content: attachmentBytes() },
        ],
      });
      return { message_ids: result.message_ids };
    }),

  '429 retried': (context) =>
    withClient(context, async (client) => {
      const result = await client.send({
        from: sender(context),
        to: [{ email: context.rateLimitedRecipient }],
        subject: `Retried on ${context.runtime}`,
        text: 'Second attempt',
      });
      return { message_ids: result.message_ids };
    }),

  '401 typed': (context) =>
    withClient(
      context,
      async (client) => {
        const error = await client
          .send({ from: sender(context), to: recipient(context, '401'), subject: 'Refused', text: 'No' })
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        if (!MailtrapError.isInstance(error))
          throw new Error(`expected a MailtrapError, got ${String(error)}`);
        return {
          name: error.name,
          code: error.code,
          status: error.status,
          retryable: error.retryable,
          maybeSent: error.maybeSent,
          instanceOfError: error instanceof Error,
          message: error.message,
        };
      },
      'not-a-token-of-this-account',
    ),

  'webhook signature verified': async (context) => {
    const { body, signature, secret } = context.webhook;
    const tampered = body.replace('"event":', '"event" :');
    // Web Crypto, the one HMAC every runtime has (asynchronous on Workers); then the synchronous form.
    return {
      genuine: await verifyWebhookSignatureAsync(body, signature, secret),
      bytes: await verifyWebhookSignatureAsync(new TextEncoder().encode(body), signature, secret),
      tampered: await verifyWebhookSignatureAsync(tampered, signature, secret),
      wrongSecret: await verifyWebhookSignatureAsync(body, signature, `${secret}x`),
      synchronous: verifyWebhookSignature(body, signature, secret),
      events: parseWebhookEvents(body).map((event) => event.event),
    };
  },
};

function describeError(error: unknown) {
  if (error instanceof Error) {
    const described: { name: string; message: string; stack?: string } = {
      name: error.name,
      message: error.message,
    };
    if (error.stack) described.stack = error.stack;
    return described;
  }
  return { name: typeof error, message: String(error) };
}

/** `navigator.userAgent` (Bun/1.4.5, Deno/2.9.6, Cloudflare-Workers, Node.js/22), Node 20 has none. */
function userAgent(): string {
  const runtime = globalThis as {
    navigator?: { userAgent?: string };
    process?: { versions?: { node?: string } };
  };
  const node = runtime.process?.versions?.node;
  return runtime.navigator?.userAgent ?? (node ? `Node.js/${node}` : 'unknown');
}

/** Runs every scenario in order; a failing one is reported, and the next ones still run. */
export async function runScenarios(context: ScenarioContext): Promise<ScenarioReport> {
  const outcomes: ScenarioOutcome[] = [];
  for (const name of scenarioNames) {
    try {
      outcomes.push({ name, ok: true, observed: await scenarios[name](context) });
    } catch (error) {
      outcomes.push({ name, ok: false, error: describeError(error) });
    }
  }
  return { runtime: context.runtime, userAgent: userAgent(), outcomes };
}
