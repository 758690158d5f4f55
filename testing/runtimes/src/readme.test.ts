/**
 * The runtime examples of core's README: the README shows each file of `readme/` verbatim, and
 * each file runs on its runtime against the emulator, as a user would run it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { environmentVariables, MailtrapClient } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCommand, nodeLabel, nodeVersions } from '../../../scripts/node-versions.mjs';
import { bundleForWorkerd } from './bundle.ts';
import {
  coreReadme,
  examplesDirectory,
  readmeBlock,
  readmeDenoEmulatorCommand,
  readmeExamples,
} from './readme-examples.ts';
import { bunBinary, denoBinary, denoRunArgs, runProcess } from './runtimes.ts';
import { mailtrapHostsTo, workerdOptions } from './workerd.ts';

const example = (file: string) => join(examplesDirectory, file);

describe("core's README shows the runtime examples as they are tested", () => {
  const readme = readFileSync(coreReadme, 'utf8');
  for (const { file, code } of readmeExamples()) {
    it(file, () => {
      expect(readmeBlock(readme, file), `the README's block after <!-- example: .../${file} -->`).toBe(code);
    });
  }

  it("the README's Deno command allows exactly the environment variables core reads", () => {
    expect(readme).toContain(`--allow-env=${Object.values(environmentVariables).join(',')}`);
  });

  it("the README's Deno command for the emulator allows net access to the emulator's host", () => {
    const command = readmeDenoEmulatorCommand(readme);
    expect(command, 'a line `MAILTRAP_ENDPOINT=<url> deno run ...`').toBeDefined();
    expect(command!.allowNet).toEqual(['send.api.mailtrap.io', new URL(command!.endpoint).host]);
    expect(command!.allowEnv).toEqual(Object.values(environmentVariables));
  });
});

describe('the runtime examples send to the emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.close());

  const environment = () => ({ MAILTRAP_API_TOKEN: emulator.token, MAILTRAP_ENDPOINT: emulator.url });

  /** The one message id a script printed, and the message the emulator got with it. */
  function sentMessage(output: string, subject: string) {
    const ids = output.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    expect(ids, output).toHaveLength(1);
    const [message] = emulator.messages((stored) => stored.messageIds.includes(ids[0]!));
    expect(message?.subject).toBe(subject);
  }

  async function runScript(command: string, args: string[], subject: string) {
    const result = await runProcess(command, args, { env: environment() });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    sentMessage(result.stdout, subject);
  }

  it('bun.ts on Bun', () => runScript(bunBinary(), [example('bun.ts')], 'Hello from Bun'));

  it('deno.ts on Deno', () =>
    runScript(
      denoBinary(),
      [...denoRunArgs(Object.values(environmentVariables)), example('deno.ts')],
      'Hello from Deno',
    ));

  it("deno.ts on Deno with the README's emulator command, its host and port for the emulator's", () => {
    const command = readmeDenoEmulatorCommand(readFileSync(coreReadme, 'utf8'));
    if (!command) throw new Error('the README has no `MAILTRAP_ENDPOINT=<url> deno run ...` line');
    const readmeHost = new URL(command.endpoint).host;
    const emulatorHost = new URL(emulator.url).host;
    const allowNet = command.allowNet.map((host) => (host === readmeHost ? emulatorHost : host));
    return runScript(
      denoBinary(),
      [...denoRunArgs(command.allowEnv, allowNet), example('deno.ts')],
      'Hello from Deno',
    );
  });

  for (const version of nodeVersions) {
    it(`node.mjs on ${nodeLabel(version)}`, () => {
      const { command, prefix } = nodeCommand(version);
      return runScript(command, [...prefix, example('node.mjs')], 'Hello from Node');
    });
  }

  it('worker.ts on workerd, its requests to the Mailtrap hosts routed to the emulator', async () => {
    const { code } = await bundleForWorkerd(example('worker.ts'));
    const worker = new Miniflare(
      workerdOptions(code, {
        bindings: { MAILTRAP_API_TOKEN: emulator.token },
        outboundService: mailtrapHostsTo(emulator.endpoints),
      }),
    );
    try {
      const response = await worker.dispatchFetch('http://worker.local/');
      const text = await response.text();
      expect(response.status, text).toBe(200);
      sentMessage(text, 'Hello from a Worker');
    } finally {
      await worker.dispose();
    }
  });

  it('worker-webhook.ts on workerd verifies the webhook the emulator delivers to it', async () => {
    const { code } = await bundleForWorkerd(example('worker-webhook.ts'));
    const port = await freePort();
    const client = new MailtrapClient({ token: emulator.token, endpoints: emulator.endpoints });
    const hook = await client.webhooks.create({
      url: `http://127.0.0.1:${port}/webhooks/mailtrap`,
      webhook_type: 'email_sending',
      sending_stream: 'transactional',
      event_types: ['delivery'],
    });
    const { id, signing_secret: secret } = hook.data ?? {};
    if (id === undefined || !secret)
      throw new Error('the webhook was created without an id or signing secret');
    const worker = new Miniflare(
      workerdOptions(code, {
        host: '127.0.0.1',
        port,
        bindings: { MAILTRAP_WEBHOOK_SECRET: secret },
      }),
    );
    try {
      await worker.ready;
      await client.send({
        from: { email: 'hello@example.com' },
        to: [{ email: 'reader@example.org' }],
        subject: 'For the Worker',
        text: 'Delivered',
      });
      await emulator.webhooksSettled();
      const deliveries = emulator.webhookDeliveries().filter((delivery) => delivery.webhookId === id);
      expect(deliveries).toEqual([
        expect.objectContaining({ state: 'delivered', attempts: [expect.objectContaining({ status: 200 })] }),
      ]);
      const forged = await worker.dispatchFetch('http://worker.local/webhooks/mailtrap', {
        method: 'POST',
        headers: { 'mailtrap-signature': 'a'.repeat(64) },
        body: '{"events":[]}',
      });
      expect(forged.status).toBe(401);
    } finally {
      await client.webhooks.delete(id);
      await client.close();
      await worker.dispose();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
