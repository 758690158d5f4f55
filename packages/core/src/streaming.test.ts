import { createHash, randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64, encodeFile, prepareBatchBody } from './body';
import {
  type BatchSendRequest,
  LIMITS,
  MailtrapClient,
  MailtrapValidationError,
  type SendMail,
  validateBatch,
} from './index';
import { json, startTestServer, type TestServer } from './test-server';

const token = 'streaming-token-xyz';
const base: SendMail = {
  from: { email: 'sender@example.com' },
  to: [{ email: 'a@example.org' }],
  subject: 'Report',
  text: 'Attached',
};
const twentyMegabytes = 20 * 1024 * 1024;

/** Deterministic bytes: chunk i is sha256-expanded, so the test can rebuild the expected content. */
function* deterministicChunks(total: number, chunkSize = 64 * 1024): Generator<Buffer> {
  let produced = 0;
  let counter = 0;
  while (produced < total) {
    const size = Math.min(chunkSize, total - produced);
    const seed = createHash('sha256').update(String(counter++)).digest();
    const chunk = Buffer.alloc(size);
    for (let offset = 0; offset < size; offset += seed.length) seed.copy(chunk, offset);
    produced += size;
    yield chunk;
  }
}

/** A readable stream that counts how many bytes were pulled from it. */
function countingStream(total: number, chunkSize?: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const source = deterministicChunks(total, chunkSize);
  const stream = new Readable({
    read() {
      const next = source.next();
      if (next.done) this.push(null);
      else {
        pulled += next.value.byteLength;
        this.push(next.value);
      }
    },
  });
  return { stream, pulled: () => pulled };
}

function expectedBase64(total: number, chunkSize?: number): string {
  return Buffer.concat([...deterministicChunks(total, chunkSize)]).toString('base64');
}

let directory: string;
let server: TestServer;
const clients: MailtrapClient[] = [];

function client(endpoint = server.url, maxMessageBytes?: number): MailtrapClient {
  const created = new MailtrapClient({
    token,
    endpoints: { send: endpoint },
    retry: false,
    rateLimit: false,
    ...(maxMessageBytes ? { maxMessageBytes } : {}),
  });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mailtrap-kit-core-'));
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await server.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
});

describe('encodeBase64', () => {
  it('encodes across chunk boundaries of any size', async () => {
    const data = randomBytes(10_001);
    for (const size of [1, 2, 3, 4, 5, 7, 64, 4096]) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < data.length; offset += size)
        chunks.push(data.subarray(offset, offset + size));
      const out: string[] = [];
      for await (const piece of encodeBase64(chunks)) out.push(piece);
      expect(out.join('')).toBe(data.toString('base64'));
    }
  });
});

describe('encodeFile', () => {
  it('encodes files of every remainder size through one reused buffer', async () => {
    for (const size of [0, 1, 2, 3, 48 * 1024 - 1, 48 * 1024, 48 * 1024 + 1, 100 * 1024 + 2]) {
      const file = join(directory, `size-${size}.bin`);
      const data = randomBytes(size);
      await writeFile(file, data);
      let counted = 0;
      const out: string[] = [];
      for await (const piece of encodeFile(file, (bytes) => {
        counted += bytes;
      })) {
        expect(piece.length).toBeLessThanOrEqual(64 * 1024);
        out.push(piece);
      }
      expect(out.join('')).toBe(data.toString('base64'));
      expect(counted).toBe(size);
    }
  });
});

describe('encodeFile with the size the Content-Length counts on', () => {
  it('reads exactly that size, and names the field when the file is shorter or longer', async () => {
    const file = join(directory, 'expected.bin');
    const data = randomBytes(100 * 1024 + 1);
    await writeFile(file, data);
    const read = async (bytes: number) => {
      const out: string[] = [];
      for await (const piece of encodeFile(file, undefined, { bytes, field: 'attachments[0].path' })) {
        out.push(piece);
      }
      return out.join('');
    };
    expect(await read(data.byteLength)).toBe(data.toString('base64'));
    for (const [bytes, read_] of [
      [data.byteLength + 5, `${data.byteLength} bytes`],
      [data.byteLength - 1, 'more'],
      [0, 'more'],
    ] as const) {
      const error = await read(bytes).catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error)).toBe(true);
      expect((error as MailtrapValidationError).field).toBe('attachments[0].path');
      expect((error as Error).message).toContain(
        `changed size while it was sent (${bytes} bytes when checked, ${read_} when read)`,
      );
    }
  });
});

describe('path attachments', () => {
  it('refuses a 20 MB file under the default 10 MB limit, sending nothing', async () => {
    const file = join(directory, 'big.bin');
    await writeFile(file, Buffer.concat([...deterministicChunks(twentyMegabytes)]));
    const error = await client()
      .send({ ...base, attachments: [{ filename: 'big.bin', path: file }] })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/at most 10485760/);
    expect(server.requests).toHaveLength(0);
  });

  it('streams a 20 MB file with a raised maxMessageBytes: exact base64, Content-Length', async () => {
    const file = join(directory, 'big.bin');
    await client(server.url, 30 * 1024 * 1024).send({
      ...base,
      attachments: [{ filename: 'big.bin', path: file }],
    });
    const [request] = server.requests;
    expect(Number(request!.headers['content-length'])).toBe(Buffer.byteLength(request!.body));
    const content = JSON.parse(request!.body).attachments[0].content as string;
    expect(content.length).toBe(Math.ceil(twentyMegabytes / 3) * 4);
    expect(content).toBe(expectedBase64(twentyMegabytes));
  });

  it('sends a file below the limit with the exact base64 and Content-Length', async () => {
    const size = 7 * 1024 * 1024 + 1;
    const file = join(directory, 'seven.bin');
    await writeFile(file, Buffer.concat([...deterministicChunks(size)]));
    await client().send({
      ...base,
      attachments: [
        { filename: 'seven.bin', path: file, type: 'application/octet-stream' },
        { filename: 'inline.txt', content: Buffer.from('inline') },
      ],
    });
    const [request] = server.requests;
    const body = JSON.parse(request!.body);
    expect(body.attachments[0]).toEqual({
      filename: 'seven.bin',
      type: 'application/octet-stream',
      content: expectedBase64(size),
    });
    expect(body.attachments[1]).toEqual({
      filename: 'inline.txt',
      content: Buffer.from('inline').toString('base64'),
    });
    expect(Number(request!.headers['content-length'])).toBe(Buffer.byteLength(request!.body));
    expect(request!.headers['transfer-encoding']).toBeUndefined();
    expect(body.subject).toBe('Report');
  });

  it('checks a path against the 10 MB limit with stat before sending', async () => {
    const file = join(directory, 'sparse.bin');
    await writeFile(file, '');
    await truncate(file, 8 * 1024 * 1024); // 8 MB raw = 10.67 MB base64
    const error = await client()
      .send({ ...base, attachments: [{ filename: 'sparse.bin', path: file }] })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe('message');
    expect(server.requests).toHaveLength(0);
  });

  it('names a missing file, a directory and an unreadable file before sending (send)', async () => {
    const unreadable = join(directory, 'unreadable.bin');
    await writeFile(unreadable, 'secret');
    await chmod(unreadable, 0o000);
    const cases: Array<[string, RegExp]> = [
      [join(directory, 'missing.bin'), /attachments\[0\]\.path` cannot be read: no such file/],
      [directory, /attachments\[0\]\.path` cannot be read: .* is a directory, not a file/],
    ];
    // root reads any file regardless of its mode; the check is real only for other users.
    if (process.getuid?.() !== 0) cases.push([unreadable, /cannot be read: permission denied/]);
    for (const [path, why] of cases) {
      const error = await client()
        .send({ ...base, attachments: [{ filename: 'x', path }] })
        .catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error), path).toBe(true);
      expect((error as MailtrapValidationError).field).toBe('attachments[0].path');
      expect((error as Error).message).toMatch(why);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('names the message of a missing file or a directory in a batch, sending nothing', async () => {
    const file = join(directory, 'present.bin');
    await writeFile(file, 'present');
    const to = [{ email: 'one@example.org' }];
    const cases: Array<[BatchSendRequest, string, RegExp]> = [
      [
        {
          base: { from: base.from, subject: 'S', text: 'T' },
          requests: [
            { to, attachments: [{ filename: 'a', path: file }] },
            {
              to,
              attachments: [
                { filename: 'a', path: file },
                { filename: 'b', path: join(directory, 'gone.bin') },
              ],
            },
          ],
        },
        'requests[1].attachments[1].path',
        /no such file/,
      ],
      [
        {
          base: {
            from: base.from,
            subject: 'S',
            text: 'T',
            attachments: [{ filename: 'd', path: directory }],
          },
          requests: [{ to }],
        },
        'base.attachments[0].path',
        /is a directory, not a file/,
      ],
    ];
    for (const [batch, field, why] of cases) {
      const error = await client()
        .batchSend(batch)
        .catch((caught: unknown) => caught);
      expect(MailtrapValidationError.isInstance(error), field).toBe(true);
      expect((error as MailtrapValidationError).field).toBe(field);
      expect((error as Error).message).toMatch(why);
      expect(() => validateBatch(batch)).toThrow(expect.objectContaining({ field }));
    }
    expect(server.requests).toHaveLength(0);
  });

  it('streams path attachments in a batch', async () => {
    const file = join(directory, 'batch.bin');
    await writeFile(file, Buffer.from('batch attachment bytes'));
    await client().batchSend({
      base: { from: base.from, subject: 'S', text: 'T', attachments: [{ filename: 'b.bin', path: file }] },
      requests: [
        { to: [{ email: 'one@example.org' }] },
        { to: [{ email: 'two@example.org' }], attachments: [{ filename: 'c.bin', path: file }] },
      ],
    });
    const body = JSON.parse(server.requests[0]!.body);
    const expected = Buffer.from('batch attachment bytes').toString('base64');
    expect(body.base.attachments[0].content).toBe(expected);
    expect(body.requests[1].attachments[0]).toEqual({ filename: 'c.bin', content: expected });
  });
});

describe('path attachments in a batch of JSON texts', () => {
  it("streams the base's path attachment, the requests joined as they are, with Content-Length", async () => {
    const size = 3 * 1024 * 1024 + 2;
    const file = join(directory, 'json-batch.bin');
    await writeFile(file, Buffer.concat([...deterministicChunks(size)]));
    const requests = [
      JSON.stringify({ to: [{ email: 'one@example.org' }], custom_variables: { id: '0' } }),
      JSON.stringify({ to: [{ email: 'two@example.org', name: 'Zoë' }], subject: 'Own "subject"' }),
    ];
    await client().batchSendJson({
      base: {
        from: base.from,
        subject: 'S',
        text: 'T',
        attachments: [
          { filename: 'b.bin', path: file, type: 'application/octet-stream' },
          { filename: 'inline.txt', content: Buffer.from('inline') },
        ],
      },
      requests,
    });
    const [request] = server.requests;
    expect(Number(request!.headers['content-length'])).toBe(Buffer.byteLength(request!.body));
    const wireBase = {
      from: base.from,
      subject: 'S',
      text: 'T',
      attachments: [
        { filename: 'b.bin', type: 'application/octet-stream', content: expectedBase64(size) },
        { filename: 'inline.txt', content: Buffer.from('inline').toString('base64') },
      ],
    };
    expect(request!.body).toBe(`{"base":${JSON.stringify(wireBase)},"requests":[${requests.join(',')}]}`);
  });

  it('names a missing file of the base and counts a large one in the 50 MB total, sending nothing', async () => {
    const requests = [JSON.stringify({ to: [{ email: 'one@example.org' }] })];
    const missing = await client()
      .batchSendJson({
        base: {
          from: base.from,
          text: 'T',
          attachments: [{ filename: 'x', path: join(directory, 'gone.bin') }],
        },
        requests,
      })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(missing)).toBe(true);
    expect((missing as MailtrapValidationError).field).toBe('base.attachments[0].path');
    // 38 MB of file is 50.7 MB of base64: over the batch limit, measured by stat without reading it.
    const sparse = join(directory, 'json-sparse.bin');
    await writeFile(sparse, '');
    await truncate(sparse, 38 * 1024 * 1024);
    const large = await client(server.url, 60 * 1024 * 1024)
      .batchSendJson({
        base: { from: base.from, text: 'T', attachments: [{ filename: 'big.bin', path: sparse }] },
        requests,
      })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(large)).toBe(true);
    expect((large as MailtrapValidationError).field).toBe('requests');
    expect((large as Error).message).toMatch(/a batch may be at most 52428800/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('a path attachment that changes after the size check', () => {
  /**
   * A server that, once a request's headers arrive, changes the file and only then reads the body:
   * the client has read at most what the socket buffers hold (a few MB of the 20 MB) by then.
   */
  async function serverThatChanges(change: () => Promise<void>) {
    let received = 0;
    let announced = 0;
    const changing = await startTestServer(
      async (_request, response, raw) => {
        announced = Number(raw.headers['content-length']);
        await change();
        try {
          for await (const chunk of raw) received += (chunk as Buffer).byteLength;
        } catch {
          return; // the client stopped mid-body
        }
        json(response, 200, { success: true, message_ids: ['id-1'] });
      },
      { readBody: false },
    );
    return { changing, received: () => received, announced: () => announced };
  }

  for (const [what, change, read] of [
    ['shrinks', (file: string) => truncate(file, 1024 * 1024), /\d+ bytes when read/],
    ['grows', (file: string) => appendFile(file, randomBytes(1000)), /more when read/],
  ] as const) {
    it(`stops the request with an error naming the field when the file ${what}`, async () => {
      const file = join(directory, `changing-${what}.bin`);
      await writeFile(file, randomBytes(twentyMegabytes));
      const { changing, received, announced } = await serverThatChanges(() => change(file));
      try {
        const error = await client(changing.url, 30 * 1024 * 1024)
          .send({ ...base, attachments: [{ filename: 'changing.bin', path: file }] })
          .catch((caught: unknown) => caught);
        expect(MailtrapValidationError.isInstance(error)).toBe(true);
        expect((error as MailtrapValidationError).field).toBe('attachments[0].path');
        expect((error as Error).message).toMatch(
          new RegExp(`changed size while it was sent \\(${twentyMegabytes} bytes when checked, `),
        );
        expect((error as Error).message).toMatch(read);
        // The server never got the whole body it was announced: the API cannot have taken it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(announced()).toBeGreaterThan(Math.ceil(twentyMegabytes / 3) * 4);
        expect(received()).toBeLessThan(announced());
      } finally {
        await changing.close();
      }
    });
  }

  it('re-reads the file on a retry: each attempt carries what the file holds at that time', async () => {
    const file = join(directory, 'retried.bin');
    const first = randomBytes(300 * 1024 + 1);
    const second = randomBytes(300 * 1024 + 1);
    await writeFile(file, first);
    server.queue.push(async (_request, response) => {
      await writeFile(file, second);
      json(response, 429, { errors: ['Too many requests'] }, { 'retry-after': '0' });
    });
    const retrying = new MailtrapClient({
      token,
      endpoints: { send: server.url },
      rateLimit: false,
      retry: { minDelayMs: 1, maxDelayMs: 10 },
    });
    clients.push(retrying);
    await retrying.send({ ...base, attachments: [{ filename: 'retried.bin', path: file }] });
    expect(server.requests).toHaveLength(2);
    const contents = server.requests.map((request) => JSON.parse(request.body).attachments[0].content);
    expect(contents).toEqual([first.toString('base64'), second.toString('base64')]);
    for (const request of server.requests) {
      expect(Number(request.headers['content-length'])).toBe(Buffer.byteLength(request.body));
    }
  });
});

describe('stream attachments', () => {
  it('sends the exact base64 of a stream with chunked encoding', async () => {
    const size = 6 * 1024 * 1024 + 2;
    const { stream } = countingStream(size, 65_537);
    await client().send({ ...base, attachments: [{ filename: 'stream.bin', stream }] });
    const [request] = server.requests;
    expect(request!.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(request!.body).attachments[0].content).toBe(expectedBase64(size, 65_537));
  });

  it('accepts an async iterable of Uint8Array', async () => {
    async function* pieces() {
      yield new Uint8Array([104, 101]);
      yield new Uint8Array([108, 108, 111]);
    }
    await client().send({ ...base, attachments: [{ filename: 'hello.txt', stream: pieces() }] });
    expect(JSON.parse(server.requests[0]!.body).attachments[0].content).toBe(
      Buffer.from('hello').toString('base64'),
    );
  });

  it('never holds the whole base64: body chunks stay small', async () => {
    const { stream, pulled } = countingStream(twentyMegabytes);
    const prepared = await prepareBatchBody(
      {
        base: { from: base.from, subject: 'S', text: 'T' },
        requests: [{ to: base.to, attachments: [{ filename: 'a.bin', stream }] }],
      },
      30 * 1024 * 1024,
    );
    expect(typeof prepared.body).toBe('function');
    let largest = 0;
    let total = 0;
    const hash = createHash('sha256');
    let inContent = false;
    for await (const chunk of (prepared.body as () => AsyncIterable<Uint8Array | string>)()) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
      largest = Math.max(largest, text.length);
      total += text.length;
      if (inContent && !text.includes('"')) hash.update(text);
      if (text.endsWith('"content":"')) inContent = true;
    }
    expect(pulled()).toBe(twentyMegabytes);
    expect(total).toBeGreaterThan((twentyMegabytes * 4) / 3);
    expect(largest).toBeLessThanOrEqual(Math.ceil((64 * 1024 + 2) / 3) * 4);
    expect(hash.digest('hex')).toBe(
      createHash('sha256').update(expectedBase64(twentyMegabytes)).digest('hex'),
    );
  });

  it('reads the stream only as fast as the server takes the body (backpressure)', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let receivedBytes = 0;
    const slow: Server = createServer(async (request, response) => {
      await released;
      for await (const chunk of request) receivedBytes += (chunk as Buffer).byteLength;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ success: true, message_ids: ['s-1'] }));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const port = (slow.address() as AddressInfo).port;
      const size = 7 * 1024 * 1024;
      const { stream, pulled } = countingStream(size);
      const pending = client(`http://127.0.0.1:${port}`).send({
        ...base,
        attachments: [{ filename: 'a.bin', stream }],
      });
      // Give the client every chance to read ahead while the server reads nothing.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const pulledWhileBlocked = pulled();
      release();
      const result = await pending;
      expect(result.message_ids).toEqual(['s-1']);
      expect(pulledWhileBlocked).toBeLessThan(size / 2);
      expect(pulled()).toBe(size);
      expect(receivedBytes).toBeGreaterThan((size * 4) / 3);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('stops a stream that grows past the 10 MB message limit with a validation error', async () => {
    const { stream } = countingStream(LIMITS.maxMessageBytes);
    const error = await client()
      .send({ ...base, attachments: [{ filename: 'huge.bin', stream }] })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as MailtrapValidationError).field).toBe('message');
    expect((error as Error).message).toMatch(/at most 10485760/);
  });
});

describe('web stream and Blob attachments', () => {
  it('sends the exact base64 of a web ReadableStream', async () => {
    const content = Buffer.concat([...deterministicChunks(300_001, 10_007)]);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of deterministicChunks(300_001, 10_007)) controller.enqueue(new Uint8Array(chunk));
        controller.close();
      },
    });
    await client().send({ ...base, attachments: [{ filename: 'web.bin', stream }] });
    const body = JSON.parse(server.requests[0]!.body);
    expect(body.attachments[0]).toEqual({ filename: 'web.bin', content: content.toString('base64') });
  });

  it('sends a Blob with its Content-Length known, and resends it on a retry', async () => {
    const bytes = Buffer.concat([...deterministicChunks(100_000)]);
    const blob = new Blob([bytes], { type: 'application/octet-stream' });
    server.queue.push((_request, response) => json(response, 429, { errors: ['slow down'] }));
    const retrying = new MailtrapClient({
      token,
      endpoints: { send: server.url },
      rateLimit: false,
      retry: { minDelayMs: 1, maxDelayMs: 5 },
    });
    clients.push(retrying);
    await retrying.send({ ...base, attachments: [{ filename: 'blob.bin', stream: blob }] });
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(JSON.parse(request.body).attachments[0].content).toBe(bytes.toString('base64'));
      expect(request.headers['content-length']).toBe(String(Buffer.byteLength(request.body)));
    }
  });

  it('refuses a Blob over the message limit before sending, in send and in validateBatch', async () => {
    const blob = new Blob([new Uint8Array(3_000_000)]);
    const error = await client(server.url, 1_000_000)
      .send({ ...base, attachments: [{ filename: 'big.bin', stream: blob }] })
      .catch((caught: unknown) => caught);
    expect(MailtrapValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/`message` is \d+ bytes .* at most 1000000 bytes/);
    expect(() =>
      validateBatch(
        { base: { ...base, attachments: [{ filename: 'big.bin', stream: blob }] }, requests: [{}] },
        { maxMessageBytes: 1_000_000 },
      ),
    ).toThrow(MailtrapValidationError);
    expect(server.requests).toHaveLength(0);
  });
});
