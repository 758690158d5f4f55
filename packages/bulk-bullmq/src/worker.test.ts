import { buildBatchRequest, type PackedBatch, type RecipientInput } from '@mailtrap-kit/bulk-batcher';
import { MailtrapClient } from '@mailtrap-kit/core';
import { type RunningEmulator, startEmulator } from '@mailtrap-kit/emulator';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkJobData } from './producer';
import { type BulkQueue, createBulkQueue } from './queue';
import { redisAvailable, startRedisServer, type TestRedisServer } from './redis-server.test-support';
import { type CampaignStatus, campaignKeys, type RecipientResult } from './store';
import { type BulkWorker, createBulkWorker } from './worker';

const base = { from: { email: 'news@example.com', name: 'News' }, subject: 'Spring news', text: 'Hello!' };

function* recipients(count: number, domain = 'example.org', invalidEvery = 0): Generator<RecipientInput> {
  for (let index = 0; index < count; index++) {
    const email =
      invalidEvery > 0 && index % invalidEvery === invalidEvery - 1
        ? `broken-${index}`
        : `user${index}@${domain}`;
    yield { email, name: `User ${index}` };
  }
}

async function collect(bulk: BulkQueue, campaign: string): Promise<RecipientResult[]> {
  const results: RecipientResult[] = [];
  for await (const result of bulk.results(campaign)) results.push(result);
  return results;
}

/** Accepted messages per recipient address, from the emulator's Email Logs. */
function acceptedByAddress(emulator: RunningEmulator, domain: string): Map<string, string[]> {
  const accepted = new Map<string, string[]>();
  for (const entry of emulator.logs()) {
    if (!entry.to.endsWith(`@${domain}`)) continue;
    accepted.set(entry.to, [...(accepted.get(entry.to) ?? []), entry.message_id]);
  }
  return accepted;
}

describe.skipIf(!redisAvailable())('bulk workers against the emulator', () => {
  let server: TestRedisServer;
  let emulator: RunningEmulator;
  let bulk: BulkQueue;
  const workers: BulkWorker[] = [];

  const startWorker = (overrides: Partial<Parameters<typeof createBulkWorker>[0]> = {}) => {
    const worker = createBulkWorker({
      connection: server.url,
      client: {
        token: emulator.token,
        endpoints: emulator.endpoints,
        retry: { minDelayMs: 20, maxDelayMs: 200 },
      },
      rateLimit: { requests: 50, windowMs: 1_000, safetyMarginMs: 50 },
      settleDelayMs: 200,
      emailLogsRateLimit: false,
      pausePollMs: 200,
      retryDelayMs: 50,
      lockDurationMs: 10_000,
      ...overrides,
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    emulator = await startEmulator({ retainLogs: 50_000, retainRequests: 5_000 });
    bulk = createBulkQueue({ connection: server.url });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await bulk?.close();
    await emulator?.close();
    await server?.stop();
  });

  it('sends a campaign with two workers: every recipient in one final state, each accepted once', async () => {
    emulator.faults.inject({
      kind: 'batch_item_failure',
      recipient: 'user7@first.test',
      errors: ['recipient address is on the suppression list'],
    });
    const produced = await bulk.produce({
      campaign: 'first',
      base,
      recipients: recipients(1_050, 'first.test', 100),
      batchSize: 100,
    });
    expect(produced).toMatchObject({ chunks: 11, recipients: 1_050, enqueued: 11, existed: false });
    startWorker();
    startWorker();
    const status = await bulk.waitUntilFinished('first', { pollMs: 200 });
    expect(status.status).toBe('completed');
    // 10 invalid addresses (every 100th) are rejected by the packer, 1 refused by the API.
    expect(status.recipients).toEqual({
      total: 1_050,
      sent: 1_039,
      failed: 11,
      uncertain: 0,
      unsent: 0,
      pending: 0,
    });
    expect(status.chunks).toMatchObject({ total: 11, done: 11, inflight: 0, settled: 0 });

    const results = await collect(bulk, 'first');
    expect(results.map((result) => result.sequence)).toEqual(
      Array.from({ length: 1_050 }, (_, index) => index),
    );
    const accepted = acceptedByAddress(emulator, 'first.test');
    for (const result of results) {
      if (result.state === 'sent') {
        expect(accepted.get(result.email)).toEqual([result.messageId]);
      } else {
        expect(result.state).toBe('failed');
        expect(accepted.has(result.email)).toBe(false);
      }
    }
    expect(results.find((result) => result.email === 'user7@first.test')?.error).toMatch(/suppression/);
    expect(results.find((result) => result.sequence === 99)?.error).toMatch(/invalid email/);
    // Each message carries the deterministic tag: campaign id + sequence.
    const log = emulator.logs().find((entry) => entry.to === 'user5@first.test');
    expect(log?.custom_variables).toMatchObject({ mtk_run: 'first', mtk_id: '5' });
  });

  it('producing a finished campaign again enqueues nothing and sends nothing', async () => {
    const before = emulator.requests().filter((request) => request.kind === 'batch').length;
    const again = await bulk.produce({
      campaign: 'first',
      base,
      recipients: recipients(1_050, 'first.test', 100),
      batchSize: 100,
    });
    expect(again).toMatchObject({
      chunks: 11,
      enqueued: 0,
      finished: 11,
      existed: true,
      status: 'completed',
    });
    expect(emulator.requests().filter((request) => request.kind === 'batch').length).toBe(before);
  });

  it('settles chunks left in flight by a dead worker through Email Logs: sent ones kept, unsent ones sent once', async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    const campaign = 'recovered';
    await bulk.produce({
      campaign,
      base,
      recipients: recipients(300, 'recovered.test'),
      batchSize: 100,
      resendUnsent: true,
    });
    const keys = campaignKeys('mailtrap-bulk', campaign);
    const redis = bulk.redis as Redis;
    // Chunk 0: a worker claimed it, sent it (the emulator accepted it) and died before writing results.
    const job = await bulk.queue.getJob(`${campaign}.0`);
    const data = job!.data as ChunkJobData;
    const stored = JSON.parse((await redis.hget(keys.meta, 'message'))!);
    const batch: PackedBatch = {
      ...data,
      batch: data.chunk,
      base: stored,
      items: data.items.map((item) => ({ ...item, bytes: 0 })),
    };
    const startedAt = Date.now();
    const client = new MailtrapClient({
      token: emulator.token,
      endpoints: emulator.endpoints,
      stream: 'bulk',
    });
    const sent = await client.batchSend(buildBatchRequest(batch) as Parameters<typeof client.batchSend>[0]);
    await client.close();
    expect(sent.responses.every((response) => response.success)).toBe(true);
    const deadRecord = JSON.stringify({ attempt: 'dead-attempt', worker: 'lost-machine:1', startedAt });
    await redis.hset(keys.chunks, '0', deadRecord);
    // Chunk 1: claimed by a worker that died before its request left.
    await redis.hset(keys.chunks, '1', deadRecord);

    startWorker();
    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(status.recipients).toMatchObject({ total: 300, sent: 300, failed: 0, uncertain: 0, pending: 0 });
    expect(status.chunks.settled).toBe(2);
    const accepted = acceptedByAddress(emulator, 'recovered.test');
    expect(accepted.size).toBe(300);
    for (const ids of accepted.values()) expect(ids).toHaveLength(1);
    const results = await collect(bulk, campaign);
    const firstChunkIds = new Set(sent.responses.map((response) => response.message_ids?.[0]));
    for (const result of results) {
      expect(result.messageId).toBe(accepted.get(result.email)![0]);
      if (result.sequence < 100) expect(firstChunkIds.has(result.messageId)).toBe(true);
    }
  });

  it('a worker taking over a dead one keeps the results it recorded and settles only the rest', async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    const campaign = 'partial';
    await bulk.produce({
      campaign,
      base,
      recipients: recipients(100, 'partial.test'),
      batchSize: 100,
      resendUnsent: true,
    });
    const keys = campaignKeys('mailtrap-bulk', campaign);
    const redis = bulk.redis as Redis;
    // A dead attempt had recorded the first 40 as sent (through the engine's persistence port).
    await redis.hset(
      keys.partial,
      '0',
      JSON.stringify(
        Array.from({ length: 40 }, (_, index) => [
          index,
          `user${index}@partial.test`,
          'sent',
          `kept-${index}`,
        ]),
      ),
    );
    await redis.hset(
      keys.chunks,
      '0',
      JSON.stringify({ attempt: 'dead', worker: 'gone:1', startedAt: Date.now() }),
    );
    startWorker();
    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(status.recipients).toMatchObject({ total: 100, sent: 100, uncertain: 0, unsent: 0, pending: 0 });
    const results = await collect(bulk, campaign);
    expect(results.slice(0, 40).map((result) => result.messageId)).toEqual(
      Array.from({ length: 40 }, (_, index) => `kept-${index}`),
    );
    // only the 60 the dead attempt had not recorded were looked up and sent
    const accepted = acceptedByAddress(emulator, 'partial.test');
    expect([...accepted.keys()].sort()).toEqual(
      Array.from({ length: 60 }, (_, index) => `user${index + 40}@partial.test`).sort(),
    );
    expect(await redis.hget(keys.partial, '0')).toBeNull();
  });

  it('an unverified sender pauses the campaign after one request, with the reason; nothing is sent', async () => {
    // one worker sending one chunk at a time: the first answer pauses the campaign before a second leaves
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    const campaign = 'unverified';
    await bulk.produce({
      campaign,
      base: { ...base, from: { email: 'news@unverified.test' } },
      recipients: recipients(300, 'unverified.test'),
      batchSize: 100,
    });
    const before = emulator.requests().filter((request) => request.kind === 'batch').length;
    startWorker({ concurrency: 1 });
    let status = await bulk.status(campaign);
    for (let tries = 0; tries < 100 && status.status !== 'paused'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await bulk.status(campaign);
    }
    expect(status.status).toBe('paused');
    expect(status.pausedReason).toMatch(
      /^refused: Forbidden: the sending domain 'unverified.test' is not verified/,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(emulator.requests().filter((request) => request.kind === 'batch').length - before).toBe(1);
    expect(acceptedByAddress(emulator, 'unverified.test').size).toBe(0);
    expect((await bulk.status(campaign)).recipients).toMatchObject({ total: 300, sent: 0, pending: 300 });
    await bulk.cancel(campaign);
  });

  it('settles an ambiguous failure (the connection dropped after the batch was accepted) without re-sending', async () => {
    const campaign = 'ambiguous';
    emulator.faults.inject({ kind: 'reset_after_body', count: 1, paths: ['batch'] });
    await bulk.produce({ campaign, base, recipients: recipients(200, 'ambiguous.test'), batchSize: 100 });
    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(emulator.faults.history().some((fault) => fault.kind === 'reset_after_body')).toBe(true);
    expect(status.recipients).toMatchObject({ total: 200, sent: 200, uncertain: 0, pending: 0 });
    expect(status.chunks.settled).toBe(1);
    const accepted = acceptedByAddress(emulator, 'ambiguous.test');
    expect(accepted.size).toBe(200);
    for (const ids of accepted.values()) expect(ids).toHaveLength(1);
  });

  it('without resendUnsent, recipients Email Logs shows no message for end unsent, not re-sent', async () => {
    const campaign = 'no-resend';
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    await bulk.produce({
      campaign,
      base,
      recipients: recipients(100, 'noresend.test'),
      batchSize: 100,
    });
    const keys = campaignKeys('mailtrap-bulk', campaign);
    await (bulk.redis as Redis).hset(
      keys.chunks,
      '0',
      JSON.stringify({ attempt: 'dead', worker: 'gone:1', startedAt: Date.now() }),
    );
    startWorker();
    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(status.recipients).toMatchObject({
      total: 100,
      sent: 0,
      failed: 0,
      uncertain: 0,
      unsent: 100,
      pending: 0,
    });
    const results = await collect(bulk, campaign);
    expect(results[0]).toMatchObject({ state: 'unsent', error: expect.stringMatching(/not re-sent/) });
    expect(acceptedByAddress(emulator, 'noresend.test').size).toBe(0);
  });

  it('pause holds chunks back, resume sends them; cancel ends queued chunks unsent', async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    await bulk.produce({
      campaign: 'paused',
      base,
      recipients: recipients(500, 'paused.test'),
      batchSize: 100,
    });
    await bulk.produce({
      campaign: 'cancelled',
      base,
      recipients: recipients(500, 'cancelled.test'),
      batchSize: 100,
    });
    expect(await bulk.pause('paused')).toMatchObject({ previous: 'running', status: 'paused' });
    const cancelled = await bulk.cancel('cancelled');
    expect(cancelled).toMatchObject({ previous: 'running', status: 'cancelled', chunks: 5 });
    let status: CampaignStatus = await bulk.status('cancelled');
    expect(status.recipients).toMatchObject({ total: 500, unsent: 500, pending: 0 });
    expect(status.finishedAt).toBeDefined();

    startWorker();
    // The worker sees the paused campaign's chunks and puts them back; none is sent.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    status = await bulk.status('paused');
    expect(status.status).toBe('paused');
    expect(status.recipients.pending).toBe(500);
    expect(acceptedByAddress(emulator, 'paused.test').size).toBe(0);

    expect(await bulk.resume('paused')).toMatchObject({ previous: 'paused', status: 'running' });
    status = await bulk.waitUntilFinished('paused', { pollMs: 200 });
    expect(status.recipients).toMatchObject({ sent: 500, pending: 0 });
    expect(acceptedByAddress(emulator, 'paused.test').size).toBe(500);
    expect(acceptedByAddress(emulator, 'cancelled.test').size).toBe(0);
    expect(
      (await collect(bulk, 'cancelled')).every(
        (result) => result.state === 'unsent' && /cancelled/.test(result.error ?? ''),
      ),
    ).toBe(true);
  });

  it('a refused token pauses the campaign with the reason and sends nothing', async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    await bulk.produce({
      campaign: 'refused',
      base,
      recipients: recipients(50, 'refused.test'),
      batchSize: 50,
    });
    startWorker({
      client: { token: 'not-a-valid-token', endpoints: emulator.endpoints, retry: false },
    });
    let status: CampaignStatus;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = await bulk.status('refused');
    } while (status.status !== 'paused');
    expect(status.pausedReason).toMatch(/authentication/);
    expect(status.recipients).toMatchObject({ pending: 50, sent: 0, failed: 0 });
    expect(status.chunks.inflight).toBe(0);
  });

  it('a connection refused before the request left pauses the campaign with nothing recorded; a resume against a working host sends each once', async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    // a loopback port nobody listens on: every connection is refused before a byte of the request leaves
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const campaign = 'refused-connection';
    await bulk.produce({ campaign, base, recipients: recipients(150, 'econnrefused.test'), batchSize: 50 });
    const before = emulator.requests().filter((request) => request.kind === 'batch').length;
    startWorker({
      concurrency: 1,
      maxSendAttempts: 2,
      retryDelayMs: 10,
      client: {
        token: emulator.token,
        endpoints: { ...emulator.endpoints, bulk: `http://127.0.0.1:${port}/bulk` },
        retry: false,
      },
    });
    let status = await bulk.status(campaign);
    for (let tries = 0; tries < 100 && status.status !== 'paused'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await bulk.status(campaign);
    }
    expect(status.status).toBe('paused');
    expect(status.pausedReason).toMatch(/^unreachable: not sent after 2 attempts: .*ECONNREFUSED/);
    // nothing reached a final state: not sent, not failed, not uncertain; the chunks wait to be sent
    expect(status.recipients).toMatchObject({ total: 150, sent: 0, failed: 0, uncertain: 0, pending: 150 });
    expect(emulator.requests().filter((request) => request.kind === 'batch').length).toBe(before);
    expect(acceptedByAddress(emulator, 'econnrefused.test').size).toBe(0);

    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    startWorker();
    expect(await bulk.resume(campaign)).toMatchObject({ previous: 'paused', status: 'running' });
    status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(status.recipients).toMatchObject({ total: 150, sent: 150, failed: 0, uncertain: 0, unsent: 0 });
    const accepted = acceptedByAddress(emulator, 'econnrefused.test');
    expect(accepted.size).toBe(150);
    expect([...accepted.values()].every((ids) => ids.length === 1)).toBe(true);
  });

  it('skips repeated addresses when producing: each address is sent once and the campaign finishes', async () => {
    const list: RecipientInput[] = [
      ...recipients(120, 'dups.test'),
      { email: 'user3@dups.test' },
      { email: 'USER7@dups.test' },
      { email: 'user119@dups.test' },
    ];
    const produced = await bulk.produce({ campaign: 'dups', base, recipients: list, batchSize: 50 });
    expect(produced).toMatchObject({ chunks: 3, recipients: 120, duplicates: 3, enqueued: 3 });
    const status = await bulk.waitUntilFinished('dups', { pollMs: 200 });
    expect(status.recipients).toMatchObject({ total: 120, sent: 120, failed: 0, pending: 0 });
    const results = await collect(bulk, 'dups');
    expect(results).toHaveLength(120);
    const accepted = acceptedByAddress(emulator, 'dups.test');
    expect(accepted.size).toBe(120);
    expect([...accepted.values()].every((ids) => ids.length === 1)).toBe(true);
  });

  it('sends a job whose items carry message objects, as an earlier producer wrote them', async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    const campaign = 'object-items';
    const produced = await bulk.produce({
      campaign,
      base,
      recipients: recipients(150, 'objects.test', 50),
      batchSize: 100,
    });
    expect(produced).toMatchObject({ chunks: 2, enqueued: 2 });
    for (const id of [`${campaign}.0`, `${campaign}.1`]) {
      const job = await bulk.queue.getJob(id);
      const data = job!.data as ChunkJobData;
      // the producer writes each message as its JSON text; rejected recipients carry neither form
      expect(data.items.filter((item) => item.json === undefined).map((item) => item.email)).toEqual(
        id.endsWith('.0') ? ['broken-49', 'broken-99'] : ['broken-149'],
      );
      expect(data.items.every((item) => item.message === undefined)).toBe(true);
      const items = data.items.map(({ json, ...item }) =>
        json === undefined ? item : { ...item, message: JSON.parse(json) },
      );
      await job!.updateData({ ...data, items });
    }
    const rewritten = (await bulk.queue.getJob(`${campaign}.1`))!.data as ChunkJobData;
    expect(rewritten.items[0]).toMatchObject({
      email: 'user100@objects.test',
      message: {
        to: [{ email: 'user100@objects.test', name: 'User 100' }],
        custom_variables: { mtk_run: campaign, mtk_id: '100' },
      },
    });
    expect(rewritten.items[0]!.json).toBeUndefined();

    startWorker();
    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(status.recipients).toMatchObject({ total: 150, sent: 147, failed: 3, uncertain: 0, pending: 0 });
    const accepted = acceptedByAddress(emulator, 'objects.test');
    expect(accepted.size).toBe(147);
    expect([...accepted.values()].every((ids) => ids.length === 1)).toBe(true);
    const results = await collect(bulk, campaign);
    for (const result of results) {
      if (result.state === 'sent') expect(accepted.get(result.email)).toEqual([result.messageId]);
      else expect(result.error).toMatch(/invalid email/);
    }
    const log = emulator.logs().find((entry) => entry.to === 'user120@objects.test');
    expect(log).toMatchObject({
      subject: base.subject,
      custom_variables: { mtk_run: campaign, mtk_id: '120' },
    });
  });

  it("sends a recipient's own attachments given as bytes or a path, read when produced", async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    const campaign = 'recipient-files';
    const directory = await mkdtemp(join(tmpdir(), 'bulk-bullmq-files-'));
    const file = join(directory, 'b.bin');
    const fileBytes = randomBytes(700);
    await writeFile(file, fileBytes);
    const bytes = new Uint8Array(randomBytes(1001));
    await bulk.produce({
      campaign,
      base,
      recipients: [
        { email: 'a@files.test', overrides: { attachments: [{ filename: 'a.bin', content: bytes }] } },
        { email: 'b@files.test', overrides: { attachments: [{ filename: 'b.bin', path: file }] } },
        { email: 'c@files.test' },
      ],
    });
    // a worker on another machine: the file is not there
    await rm(directory, { recursive: true, force: true });
    startWorker();
    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    expect(status.recipients).toMatchObject({ total: 3, sent: 3, failed: 0, uncertain: 0, pending: 0 });
    const messages = emulator.messages().filter((message) => message.to[0]?.email.endsWith('@files.test'));
    expect(
      messages.map((message) => [message.to[0]?.email, message.attachments.map((a) => [a.filename, a.size])]),
    ).toEqual([
      ['a@files.test', [['a.bin', 1001]]],
      ['b@files.test', [['b.bin', 700]]],
      ['c@files.test', []],
    ]);
    const content = (index: number) =>
      Buffer.from(
        (messages[index]!.raw as { request: { attachments: Array<{ content: string }> } }).request
          .attachments[0]!.content,
        'base64',
      );
    expect(content(0).equals(Buffer.from(bytes))).toBe(true);
    expect(content(1).equals(fileBytes)).toBe(true);
  });

  it('refuses a second producer run with another message or another recipient list', async () => {
    await expect(
      bulk.produce({
        campaign: 'first',
        base: { ...base, subject: 'Other' },
        recipients: recipients(1_050, 'first.test', 100),
        batchSize: 100,
      }),
    ).rejects.toThrow(/another base message/);
    await expect(
      bulk.produce({
        campaign: 'first',
        base,
        recipients: recipients(1_050, 'other.test', 100),
        batchSize: 100,
      }),
    ).rejects.toThrow(/recipient list changed/);
    await expect(bulk.produce({ campaign: 'bad id!', base, recipients: [] })).rejects.toThrow(
      /campaign must be/,
    );
    await expect(
      bulk.produce({ campaign: 'no-from', base: { ...base, from: { email: 'nope' } }, recipients: [] }),
    ).rejects.toThrow(/base.from/);
    await expect(bulk.status('never-produced')).rejects.toThrow(/does not exist/);
  });
});
