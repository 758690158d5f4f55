/**
 * What the runner checks for each scenario, against what the scenario saw and what the emulator
 * recorded: the emulator, not the runtime, is the witness of what went over the wire.
 */
import type { RunningEmulator, StoredMessage } from '@mailtrap-kit/emulator';
import { expect } from 'vitest';
import { attachmentBytes, type Observation, type ScenarioContext, type ScenarioName } from './contract.ts';

export interface ExpectationInput {
  observed: Observation;
  context: ScenarioContext;
  emulator: RunningEmulator;
  /** The transport the client must have used: its option, or the runtime's default. */
  transport: 'undici' | 'fetch';
}

function storedMessage(emulator: RunningEmulator, messageIds: unknown): StoredMessage {
  expect(messageIds).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  const [id] = messageIds as string[];
  const message = emulator.messages((stored) => stored.messageIds.includes(id!))[0];
  expect(message, `the emulator has message ${id}`).toBeDefined();
  return message!;
}

const senderOf = (context: ScenarioContext) => ({
  email: `${context.runtime}@example.com`,
  name: context.runtime,
});

export const expectations: Record<ScenarioName, (input: ExpectationInput) => void> = {
  send({ observed, context, emulator, transport }) {
    expect(observed.transport, 'the transport the client chose').toBe(transport);
    const message = storedMessage(emulator, observed.message_ids);
    expect(message).toMatchObject({
      stream: 'transactional',
      from: senderOf(context),
      to: [{ email: `${context.runtime}-send@example.org` }],
      subject: `Sent from ${context.runtime}`,
      text: 'Hello',
      html: '<p>Hello</p>',
      category: context.runtime,
    });
  },

  batch({ observed, context, emulator }) {
    const responses = observed.responses as Array<{ success: boolean; message_ids: string[] }>;
    expect(responses).toHaveLength(2);
    const recipients = responses.map((response) => {
      expect(response.success).toBe(true);
      const message = storedMessage(emulator, response.message_ids);
      expect(message.subject).toBe(`Batch from ${context.runtime}`);
      return message.to[0]?.email;
    });
    expect(recipients).toEqual([
      `${context.runtime}-batch-1@example.org`,
      `${context.runtime}-batch-2@example.org`,
    ]);
  },

  'template send'({ observed, context, emulator }) {
    const message = storedMessage(emulator, observed.message_ids);
    expect(message.template_uuid).toBe(context.templateUuid);
    expect(message.template_variables).toEqual({ name: context.runtime });
    expect(message.rendered?.subject).toBe(`Hello ${context.runtime}`);
  },

  'attachment from bytes'({ observed, emulator }) {
    const message = storedMessage(emulator, observed.message_ids);
    expect(message.attachments).toEqual([
      expect.objectContaining({ filename: 'bytes.bin', type: 'application/octet-stream', size: 256 }),
    ]);
    const raw = message.raw as { attachments: Array<{ content: string }> };
    const sent = Buffer.from(raw.attachments[0]!.content, 'base64');
    expect([...sent]).toEqual([...attachmentBytes()]);
  },

  '429 retried'({ observed, context, emulator }) {
    const message = storedMessage(emulator, observed.message_ids);
    expect(message.to).toEqual([{ email: context.rateLimitedRecipient }]);
    const requests = emulator.requests();
    const acceptedAt = requests.findIndex((request) => request.acceptedMessageIds.includes(message.id));
    const refused = requests[acceptedAt - 1];
    expect(refused).toMatchObject({ kind: 'send', status: 429, fault: 'rate_limit' });
    // The fault answers `Retry-After: 1`: the retry waited for it.
    const waitedMs = Date.parse(requests[acceptedAt]!.time) - Date.parse(refused!.time);
    expect(waitedMs).toBeGreaterThanOrEqual(900);
  },

  '401 typed'({ observed }) {
    expect(observed).toMatchObject({
      name: 'MailtrapAuthenticationError',
      code: 'authentication',
      status: 401,
      retryable: false,
      maybeSent: false,
      instanceOfError: true,
    });
    expect(observed.message).not.toContain('not-a-token-of-this-account');
  },

  'webhook signature verified'({ observed }) {
    expect(observed).toEqual({
      genuine: true,
      bytes: true,
      tampered: false,
      wrongSecret: false,
      synchronous: true,
      events: ['delivery'],
    });
  },
};
