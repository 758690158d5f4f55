/**
 * One vitest suite per runtime: the emulator runs here, in Node, on a free loopback port; the
 * runtime under test runs the shared scenarios (`scenarios.ts`) against it and reports JSON; each
 * scenario is one test, checked against what the emulator recorded.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MailtrapClient } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioContext, type ScenarioReport, scenarioNames } from './contract.ts';
import { expectations } from './expectations.ts';

const templateUuid = '4b0c6a5e-1f0e-4c41-9a53-6f1f9b8f2a10';
/** The User-Agent of the runner's own requests, told apart from the runtime's. */
const runnerAgent = 'mailtrap-kit-runtime-tests-runner';

/** Runs the scenarios in the runtime under test and resolves with its report. */
export type ScenarioRunner = (context: ScenarioContext) => Promise<ScenarioReport>;

export interface RuntimeSuiteOptions {
  /** The transport core picks there (or is told to use, with `context.transport`). */
  transport: 'undici' | 'fetch';
  /** Passed to the scenarios' clients as the `transport` option. */
  transportOption?: 'undici' | 'fetch';
  /** What `navigator.userAgent` (or the runtime's version) must look like: proof of where it ran. */
  userAgent: RegExp;
  /** How core's `User-Agent` header names the runtime (`node/22.`, `bun/1.4.`, `workerd`). */
  clientRuntime: RegExp;
  /** Run before the emulator starts (a bundle, a runtime download); its time is not the scenarios'. */
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  timeoutMs?: number;
  /** The suite's name when not `runtime` (`Node 20.20.2`). */
  label?: string;
}

/**
 * A real webhook request: a loopback receiver, a webhook created through the API, one send, the
 * delivery the emulator signed. The webhook is deleted again so the scenarios' sends post nothing.
 */
async function captureWebhookRequest(emulator: RunningEmulator): Promise<ScenarioContext['webhook']> {
  const received: Array<{ body: string; signature: string }> = [];
  const receiver = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(request.headers['mailtrap-signature']),
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const client = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    userAgent: runnerAgent,
  });
  try {
    const { port } = receiver.address() as AddressInfo;
    const hook = await client.webhooks.create({
      url: `http://127.0.0.1:${port}/mailtrap`,
      webhook_type: 'email_sending',
      sending_stream: 'transactional',
      event_types: ['delivery'],
    });
    await client.send({
      from: { email: 'webhooks@example.com' },
      to: [{ email: 'reader@example.org' }],
      subject: 'For the webhook',
      text: 'Delivered',
    });
    await emulator.webhooksSettled();
    const { id, signing_secret: secret } = hook.data ?? {};
    if (id === undefined || !secret)
      throw new Error('the webhook was created without an id or signing secret');
    await client.webhooks.delete(id);
    const [request] = received;
    if (!request) throw new Error('the emulator delivered no webhook request');
    return { ...request, secret };
  } finally {
    await client.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

export function describeRuntime(runtime: string, run: ScenarioRunner, options: RuntimeSuiteOptions): void {
  describe(`core on ${options.label ?? runtime}`, () => {
    let emulator: RunningEmulator;
    let context: ScenarioContext;
    let report: ScenarioReport;

    beforeAll(async () => {
      await options.setup?.();
      emulator = await startEmulator();
      emulator.addTemplate({
        uuid: templateUuid,
        name: 'Greeting',
        category: 'runtimes',
        subject: 'Hello {{name}}',
        body_text: 'Hi',
      });
      const rateLimitedRecipient = `${runtime}-429@example.org`;
      emulator.faults.inject({
        kind: 'rate_limit',
        recipient: rateLimitedRecipient,
        count: 1,
        retryAfterSeconds: 1,
      });
      context = {
        runtime,
        endpoints: emulator.endpoints,
        token: emulator.token,
        templateUuid,
        rateLimitedRecipient,
        ...(options.transportOption ? { transport: options.transportOption } : {}),
        webhook: await captureWebhookRequest(emulator),
      };
      report = await run(context);
    }, options.timeoutMs ?? 120_000);

    afterAll(async () => {
      await emulator?.close();
      await options.teardown?.();
    });

    it(`runs on ${runtime} itself`, () => {
      expect(report.runtime).toBe(runtime);
      expect(report.userAgent).toMatch(options.userAgent);
      const agents = new Set(
        emulator
          .requests()
          .map((request) => request.userAgent)
          .filter((agent) => agent !== runnerAgent),
      );
      expect([...agents]).toEqual([expect.stringMatching(/^mailtrap-kit\/\S+ /)]);
      expect([...agents][0]?.split(' ')[1]).toMatch(options.clientRuntime);
    });

    for (const name of scenarioNames) {
      it(name, () => {
        const outcome = report.outcomes.find((entry) => entry.name === name);
        if (!outcome) throw new Error(`the ${runtime} report has no outcome for '${name}'`);
        if (!outcome.ok) {
          const failure = new Error(
            `${name} failed on ${runtime}: ${outcome.error.name}: ${outcome.error.message}`,
          );
          if (outcome.error.stack)
            failure.stack = `${failure.message}\n${runtime}'s stack: ${outcome.error.stack}`;
          throw failure;
        }
        expectations[name]({ observed: outcome.observed, context, emulator, transport: options.transport });
      });
    }
  });
}
