import { describe, expect, it } from 'vitest';
import { classifyBatchError, classifyBatchResponse, sendPackedBatch } from './outcomes';
import { buildBatchRequest, type PackedBatch, packRecipients } from './packer';

async function oneBatch(count: number): Promise<PackedBatch> {
  const recipients = Array.from({ length: count }, (_, index) => ({ email: `r${index}@example.org` }));
  for await (const batch of packRecipients(recipients, {
    base: { from: { email: 'a@example.com' }, subject: 's', text: 't' },
    runId: 'r',
  }))
    return batch;
  throw new Error('no batch');
}

function mailtrapError(fields: Record<string, unknown>) {
  return Object.assign(new Error(String(fields.message ?? 'error')), {
    errors: [],
    retryable: false,
    maybeSent: false,
    ...fields,
  });
}

describe('classifyBatchResponse', () => {
  it('maps each answer to its item: sent with the first id, failed, retry on rate limit, uncertain when missing', async () => {
    const batch = await oneBatch(4);
    const outcomes = classifyBatchResponse(batch.items, {
      success: true,
      responses: [
        { success: true, message_ids: ['id-0'] },
        { success: false, errors: ["'to' address is invalid"] },
        { success: false, errors: ['Rate limit exceeded'] },
      ],
    });
    expect(outcomes.map((outcome) => [outcome.status, outcome.messageId ?? outcome.error])).toEqual([
      ['sent', 'id-0'],
      ['failed', "'to' address is invalid"],
      ['retry', 'Rate limit exceeded'],
      ['uncertain', 'the batch answer has no entry for this message'],
    ]);
  });

  it('fails every item on a top-level refusal without per-item answers', async () => {
    const batch = await oneBatch(2);
    const outcomes = classifyBatchResponse(batch.items, {
      success: false,
      responses: [],
      errors: ['base: from is required'],
    });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'failed']);
    expect(outcomes[0]!.error).toBe('base: from is required');
  });
});

describe('classifyBatchError', () => {
  it('follows maybeSent, retryable and code', async () => {
    const batch = await oneBatch(2);
    const status = (error: unknown) => classifyBatchError(batch.items, error).outcomes[0]!.status;
    expect(status(mailtrapError({ code: 'server', status: 500, maybeSent: true }))).toBe('uncertain');
    expect(status(mailtrapError({ code: 'timeout', maybeSent: true, retryable: false }))).toBe('uncertain');
    expect(status(mailtrapError({ code: 'rate_limit', status: 429, retryable: true }))).toBe('retry');
    expect(status(mailtrapError({ code: 'network', retryable: true }))).toBe('retry');
    expect(status(mailtrapError({ code: 'validation', status: 400, errors: ["'from' is required"] }))).toBe(
      'failed',
    );
    expect(status(mailtrapError({ code: 'payload_too_large', status: 413 }))).toBe('failed');
    expect(status(new TypeError('boom'))).toBe('uncertain');
    const denied = classifyBatchError(
      batch.items,
      mailtrapError({ code: 'authentication', status: 401, errors: ['Unauthorized'] }),
    );
    expect(denied.fatal).toEqual({ code: 'authentication', message: 'Unauthorized' });
    expect(denied.outcomes.every((outcome) => outcome.status === 'retry')).toBe(true);
    const limited = classifyBatchError(
      batch.items,
      mailtrapError({
        code: 'rate_limit',
        retryable: true,
        retryAfterMs: 2000,
        errors: ['Rate limit exceeded'],
      }),
    );
    expect(limited.retryAfterMs).toBe(2000);
    expect(
      classifyBatchError(batch.items, mailtrapError({ code: 'validation', status: 400, errors: ['a', 'b'] }))
        .outcomes[0]!.error,
    ).toBe('400 a; b');
  });
});

describe('sendPackedBatch', () => {
  it('sends only the sendable items and never throws', async () => {
    const batch = await oneBatch(3);
    const seen: unknown[] = [];
    const result = await sendPackedBatch(
      {
        async batchSend(request) {
          seen.push(request);
          return {
            success: true,
            responses: request.requests.map((_, index) => ({ success: true, message_ids: [`m${index}`] })),
          };
        },
      },
      batch,
      { items: batch.items.slice(1) },
    );
    expect((seen[0] as { requests: unknown[] }).requests).toHaveLength(2);
    expect(result.outcomes.map((outcome) => [outcome.sequence, outcome.messageId])).toEqual([
      [1, 'm0'],
      [2, 'm1'],
    ]);
    const failing = await sendPackedBatch(
      { batchSend: () => Promise.reject(mailtrapError({ code: 'server', maybeSent: true })) },
      batch,
    );
    expect(failing.outcomes.map((outcome) => outcome.status)).toEqual([
      'uncertain',
      'uncertain',
      'uncertain',
    ]);
  });

  it('tells the client the messages were validated by the packer, unless told otherwise', async () => {
    const batch = await oneBatch(2);
    const controller = new AbortController();
    const options: unknown[] = [];
    const client = {
      async batchSend(request: { requests: unknown[] }, sendOptions?: unknown) {
        options.push(sendOptions);
        return {
          success: true,
          responses: request.requests.map(() => ({ success: true, message_ids: ['m'] })),
        };
      },
    };
    await sendPackedBatch(client, batch, { signal: controller.signal });
    await sendPackedBatch(client, batch, { validated: false });
    expect(options).toEqual([{ validated: true, signal: controller.signal }, { validated: false }]);
  });

  it("sends the packer's JSON texts through batchSendJson when the client has it", async () => {
    const batch = await oneBatch(3);
    const calls: Array<[string, unknown, unknown]> = [];
    const client = {
      async batchSendJson(request: { base?: unknown; requests: readonly string[] }, sendOptions?: unknown) {
        calls.push(['json', request, sendOptions]);
        return {
          success: true,
          responses: request.requests.map((_, index) => ({ success: true, message_ids: [`j${index}`] })),
        };
      },
      async batchSend(request: { requests: unknown[] }, sendOptions?: unknown) {
        calls.push(['object', request, sendOptions]);
        return {
          success: true,
          responses: request.requests.map((_, index) => ({ success: true, message_ids: [`o${index}`] })),
        };
      },
    };
    const controller = new AbortController();
    const sent = await sendPackedBatch(client, batch, {
      items: batch.items.slice(1),
      signal: controller.signal,
    });
    expect(calls).toEqual([
      [
        'json',
        { base: batch.base, requests: [batch.items[1]!.json, batch.items[2]!.json] },
        { signal: controller.signal },
      ],
    ]);
    expect(sent.outcomes.map((outcome) => [outcome.sequence, outcome.status, outcome.messageId])).toEqual([
      [1, 'sent', 'j0'],
      [2, 'sent', 'j1'],
    ]);
    // validated: false asks core to check every message: through batchSend, with the messages as objects
    calls.length = 0;
    const checked = await sendPackedBatch(client, batch, { validated: false });
    expect(calls).toEqual([['object', buildBatchRequest(batch), { validated: false }]]);
    expect((calls[0]![1] as { requests: unknown[] }).requests).toEqual(
      batch.items.map((item) => JSON.parse(item.json!)),
    );
    expect(checked.outcomes.map((outcome) => outcome.messageId)).toEqual(['o0', 'o1', 'o2']);
    // a failure of batchSendJson is classified as batchSend's would be
    const failing = await sendPackedBatch(
      {
        batchSend: client.batchSend,
        batchSendJson: () => Promise.reject(mailtrapError({ code: 'server', maybeSent: true })),
      },
      batch,
    );
    expect(failing.outcomes.map((outcome) => outcome.status)).toEqual([
      'uncertain',
      'uncertain',
      'uncertain',
    ]);
  });

  it('sends a batch with a message kept as an object through batchSend, every message in order', async () => {
    const recipients = [
      { email: 'a@example.org' },
      {
        email: 'b@example.org',
        overrides: { attachments: [{ filename: 'b.bin', content: new Uint8Array([1]) }] },
      },
      { email: 'c@example.org' },
    ];
    let batch: PackedBatch | undefined;
    for await (const packed of packRecipients(recipients, {
      base: { from: { email: 'a@example.com' }, subject: 's', text: 't' },
      runId: 'r',
    }))
      batch = packed;
    const calls: string[] = [];
    const seen: Array<{ requests: Array<{ to?: Array<{ email: string }> }> }> = [];
    const result = await sendPackedBatch(
      {
        async batchSendJson() {
          calls.push('json');
          throw new Error('not expected');
        },
        async batchSend(request, sendOptions) {
          calls.push(`object ${JSON.stringify(sendOptions)}`);
          seen.push(request);
          return {
            success: true,
            responses: request.requests.map((_, index) => ({ success: true, message_ids: [`m${index}`] })),
          };
        },
      },
      batch!,
    );
    expect(calls).toEqual(['object {"validated":true}']);
    expect(seen[0]!.requests.map((message) => message.to?.[0]?.email)).toEqual([
      'a@example.org',
      'b@example.org',
      'c@example.org',
    ]);
    expect(seen[0]!.requests[1]).toBe(batch!.items[1]!.message);
    expect(result.outcomes.map((outcome) => outcome.messageId)).toEqual(['m0', 'm1', 'm2']);
  });
});
