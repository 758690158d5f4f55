import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { RecipientInput } from '@mailtrap-kit/bulk-batcher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkQueue, createBulkQueue } from './queue';
import { redisAvailable, startRedisServer, type TestRedisServer } from './redis-server.test-support';

const base = { from: { email: 'news@example.com' }, subject: 'Hello', text: 'Hi' };

describe.skipIf(!redisAvailable())('produce', () => {
  let server: TestRedisServer;
  let bulk: BulkQueue;

  beforeAll(async () => {
    server = await startRedisServer();
    bulk = createBulkQueue({ connection: server.url });
  });
  afterAll(async () => {
    await bulk?.close();
    await server?.stop();
  });

  it('enqueues one job per chunk with deterministic ids; a second run adds none', async () => {
    const list = Array.from({ length: 1_234 }, (_, index) => ({ email: `u${index}@example.org` }));
    const first = await bulk.produce({ campaign: 'twice', base, recipients: list, batchSize: 100 });
    expect(first).toMatchObject({ chunks: 13, recipients: 1_234, enqueued: 13, finished: 0, existed: false });
    const second = await bulk.produce({ campaign: 'twice', base, recipients: list, batchSize: 100 });
    // the 13 jobs are still queued: the second run adds none and says so
    expect(second).toMatchObject({ chunks: 13, recipients: 1_234, enqueued: 0, finished: 0, existed: true });
    const jobs = await bulk.queue.getJobs(['wait'], 0, -1);
    const ids = jobs.map((job) => job.id).sort((a, b) => Number(a!.split('.')[1]) - Number(b!.split('.')[1]));
    expect(ids).toEqual(Array.from({ length: 13 }, (_, index) => `twice.${index}`));
    const last = jobs.find((job) => job.id === 'twice.12')!;
    expect(last.data).toMatchObject({ campaign: 'twice', chunk: 12, firstSequence: 1_200, count: 34 });
    expect(last.data.items[0]).toMatchObject({ sequence: 1_200, offset: 0, email: 'u1200@example.org' });
    expect(JSON.parse(last.data.items[0]!.json!).custom_variables).toEqual({
      mtk_run: 'twice',
      mtk_id: '1200',
    });
    const status = await bulk.status('twice');
    expect(status).toMatchObject({
      status: 'running',
      produced: true,
      recipients: { total: 1_234, pending: 1_234 },
      chunks: { total: 13, done: 0 },
    });
  });

  it('streams the list: it reads only as far as the queue has room, and a later run continues', async () => {
    let read = 0;
    async function* slowList(): AsyncGenerator<RecipientInput> {
      for (let index = 0; index < 1_000; index++) {
        read++;
        yield { email: `s${index}@example.org` };
      }
    }
    const controller = new AbortController();
    const running = bulk.produce({
      campaign: 'streamed',
      base,
      recipients: slowList(),
      batchSize: 10,
      maxQueuedChunks: 3,
      signal: controller.signal,
    });
    // No worker is running: the producer must stop after 3 chunks and wait for room.
    let status = await bulk.status('streamed').catch(() => undefined);
    for (let tries = 0; tries < 100 && (status?.chunks.total ?? 0) < 3; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await bulk.status('streamed').catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await bulk.status('streamed')).chunks.total).toBe(3);
    // The packer looks one recipient ahead of the chunk it is holding.
    expect(read).toBeLessThanOrEqual(41);
    controller.abort();
    const stopped = await running;
    expect(stopped).toMatchObject({ chunks: 3, enqueued: 3, status: 'running' });
    expect((await bulk.status('streamed')).produced).toBe(false);

    const list = Array.from({ length: 1_000 }, (_, index) => ({ email: `s${index}@example.org` }));
    const resumed = await bulk.produce({
      campaign: 'streamed',
      base,
      recipients: list,
      batchSize: 10,
      maxQueuedChunks: 1_000,
    });
    expect(resumed).toMatchObject({ chunks: 100, recipients: 1_000, existed: true });
    expect(await bulk.queue.getJobCountByTypes('wait')).toBe(13 + 100);
    expect((await bulk.status('streamed')).produced).toBe(true);
  });

  it('refuses a longer list for a campaign already produced, before enqueueing anything new', async () => {
    const list = Array.from({ length: 30 }, (_, index) => ({ email: `g${index}@example.org` }));
    await bulk.produce({ campaign: 'grown', base, recipients: list, batchSize: 10 });
    const longer = [...list, { email: 'late@example.org' }];
    await expect(
      bulk.produce({ campaign: 'grown', base, recipients: longer, batchSize: 10 }),
    ).rejects.toThrow(/chunk 3 differs from the one produced before/);
    expect(await bulk.queue.getJob('grown.3')).toBeUndefined();
    expect(await bulk.status('grown')).toMatchObject({ recipients: { total: 30 }, chunks: { total: 3 } });
  });

  it('stores attachments given as bytes as base64 so workers elsewhere can send them', async () => {
    await bulk.produce({
      campaign: 'attached',
      base: { ...base, attachments: [{ filename: 'a.txt', content: new TextEncoder().encode('hello') }] },
      recipients: [{ email: 'a@example.org' }],
    });
    const stored = JSON.parse((await bulk.redis.hget('mailtrap-bulk:{attached}:meta', 'message'))!);
    expect(stored.attachments).toEqual([
      { filename: 'a.txt', content: Buffer.from('hello').toString('base64') },
    ]);
  });

  it("queues a recipient's own attachments given as bytes or a path as base64 in its JSON; a stream is refused alone by the packer", async () => {
    const bytes = new TextEncoder().encode('own bytes');
    await bulk.produce({
      campaign: 'own-attached',
      base,
      recipients: [
        { email: 'a@example.org', overrides: { attachments: [{ filename: 'a.txt', content: bytes }] } },
        {
          email: 'b@example.org',
          overrides: { attachments: [{ filename: 'b.ts', path: import.meta.filename }] },
        },
        {
          email: 'c@example.org',
          overrides: { attachments: [{ filename: 'c.txt', stream: Readable.from([Buffer.from('once')]) }] },
        },
        { email: 'd@example.org' },
      ],
    });
    const job = await bulk.queue.getJob('own-attached.0');
    const items = job!.data.items;
    expect(items.map((item) => [item.email, item.json !== undefined, item.message !== undefined])).toEqual([
      ['a@example.org', true, false],
      ['b@example.org', true, false],
      ['c@example.org', false, false],
      ['d@example.org', true, false],
    ]);
    expect(JSON.parse(items[0]!.json!).attachments).toEqual([
      { filename: 'a.txt', content: Buffer.from('own bytes').toString('base64') },
    ]);
    expect(JSON.parse(items[1]!.json!).attachments).toEqual([
      { filename: 'b.ts', content: (await readFile(import.meta.filename)).toString('base64') },
    ]);
    expect(JSON.parse(items[1]!.json!)).toMatchObject({
      to: [{ email: 'b@example.org' }],
      custom_variables: { mtk_run: 'own-attached', mtk_id: '1' },
    });
    expect(items[2]!.error).toMatch(/stream cannot be used in a bulk send/);
  });

  it('removes a finished campaign (state, results and queued jobs), never a running one', async () => {
    const list = Array.from({ length: 25 }, (_, index) => ({ email: `rm${index}@example.org` }));
    await bulk.produce({ campaign: 'removable', base, recipients: list, batchSize: 10 });
    await expect(bulk.remove('removable')).rejects.toThrow(
      /is running with 25 recipients pending; cancel it/,
    );
    expect(await bulk.cancel('removable')).toMatchObject({ status: 'cancelled', chunks: 3 });
    await bulk.remove('removable');
    await expect(bulk.status('removable')).rejects.toThrow(/does not exist/);
    expect(await bulk.redis.keys('mailtrap-bulk:{removable}:*')).toEqual([]);
    expect(await bulk.queue.getJob('removable.0')).toBeUndefined();
  });

  it('rejects bad settings before writing anything', async () => {
    await expect(bulk.produce({ campaign: 'x', base, recipients: [], batchSize: 501 })).rejects.toThrow(
      /batchSize/,
    );
    await expect(bulk.produce({ campaign: 'x', base, recipients: [], maxQueuedChunks: 0 })).rejects.toThrow(
      /maxQueuedChunks/,
    );
    await expect(bulk.produce({ campaign: 'x:y', base, recipients: [] })).rejects.toThrow(/campaign must be/);
    await expect(
      bulk.produce({ campaign: 'x', base: { ...base, subject: undefined } as never, recipients: [] }),
    ).rejects.toThrow(/subject/);
    expect(await bulk.redis.exists('mailtrap-bulk:{x}:meta')).toBe(0);
  });

  it('skips a repeated address (any case) with a count, or enqueues it with allowDuplicates', async () => {
    const list = [
      ...Array.from({ length: 10 }, (_, index) => ({ email: `d${index}@example.org` })),
      { email: 'd2@example.org' },
      { email: 'D5@Example.org' },
      { email: 'd9@example.org' },
    ];
    const skipped = await bulk.produce({ campaign: 'dups-skipped', base, recipients: list, batchSize: 5 });
    expect(skipped).toMatchObject({ chunks: 3, recipients: 10, duplicates: 3, enqueued: 3 });
    const job = await bulk.queue.getJob('dups-skipped.2');
    expect(
      job!.data.items.map((item) => [item.email, item.duplicate === true, item.json !== undefined]),
    ).toEqual([
      ['d2@example.org', true, false],
      ['D5@Example.org', true, false],
      ['d9@example.org', true, false],
    ]);
    expect((await bulk.status('dups-skipped')).recipients).toMatchObject({ total: 10, pending: 10 });
    // producing it again adds no job and counts the same duplicates
    const again = await bulk.produce({ campaign: 'dups-skipped', base, recipients: list, batchSize: 5 });
    expect(again).toMatchObject({ recipients: 10, duplicates: 3, enqueued: 0, existed: true });

    const allowed = await bulk.produce({
      campaign: 'dups-allowed',
      base,
      recipients: list,
      batchSize: 5,
      allowDuplicates: true,
    });
    expect(allowed).toMatchObject({ chunks: 3, recipients: 13, duplicates: 0, enqueued: 3 });
    const allowedJob = await bulk.queue.getJob('dups-allowed.2');
    expect(allowedJob!.data.items.every((item) => item.json !== undefined && !item.duplicate)).toBe(true);
    // the same campaign id with the other setting is another campaign
    await expect(
      bulk.produce({ campaign: 'dups-skipped', base, recipients: list, batchSize: 5, allowDuplicates: true }),
    ).rejects.toThrow(/another base message or settings/);
  });
});
