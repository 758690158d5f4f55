import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MailtrapAuthenticationError,
  MailtrapClient,
  type MailtrapClientOptions,
  MailtrapNetworkError,
  MailtrapPermissionError,
  MailtrapServerError,
  type SendMail,
} from './index';

// The emulator is loaded by name at run time (vitest resolves workspace packages to their sources),
// so core keeps no build-time dependency on it. Only the parts used here are typed.
interface Emulator {
  url: string;
  endpoints: { send: string; bulk: string; sandbox: string; general: string };
  token: string;
  accountId: number;
  sandboxId: number;
  messages(filter?: unknown): Array<{
    id: string;
    messageIds: string[];
    stream: string;
    sandboxId?: number;
    subject?: string;
    to: Array<{ email: string }>;
    attachments: Array<{ filename: string; size: number }>;
    custom_variables: Record<string, string>;
  }>;
  requests(): Array<{ path: string; status?: number; userAgent?: string; fault?: string }>;
  faults: {
    inject(options: Record<string, unknown>): number;
    clear(): void;
    rateLimit(limit: { requests: number; windowMs: number } | false): void;
  };
  reset(): void;
  close(): Promise<void>;
}
const emulatorPackage = '@mailtrap-kit/emulator';

let emulator: Emulator;
const clients: MailtrapClient[] = [];
const mail: SendMail = {
  from: { email: 'hello@example.com', name: 'Example' },
  to: [{ email: 'one@example.org' }, { email: 'two@example.org' }],
  cc: [{ email: 'three@example.org' }],
  subject: 'Welcome',
  text: 'Hello!',
  custom_variables: { run: 'r-1' },
};

function client(options: MailtrapClientOptions = {}): MailtrapClient {
  const created = new MailtrapClient({
    token: emulator.token,
    endpoints: emulator.endpoints,
    retry: { minDelayMs: 1, maxDelayMs: 10 },
    ...options,
  });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  const { startEmulator } = (await import(/* @vite-ignore */ emulatorPackage)) as {
    startEmulator(options?: Record<string, unknown>): Promise<Emulator>;
  };
  emulator = await startEmulator({
    tokens: [
      { token: 'emulator-token-all-streams' },
      { token: 'emulator-token-bulk-only', streams: ['bulk'] },
      { token: 'emulator-token-mailtrap-kit-test', domains: ['mailtrap-kit.test'] },
    ],
  });
});
afterAll(async () => {
  await Promise.all(clients.map((created) => created.close()));
  await emulator?.close();
});
beforeEach(() => {
  emulator.reset();
});

describe('against the emulator', () => {
  it('keeps a strict server free of 429s with the default rate limiter margin', async () => {
    // The emulator counts arrivals in a sliding window, like the real API; the client's limiter
    // reserves slots ahead, so without a margin a timer that fires late bunches two slots.
    emulator.faults.rateLimit({ requests: 5, windowMs: 500 });
    try {
      const limited = client({ retry: false, rateLimit: { requests: 5, windowMs: 500 } });
      const results = await Promise.allSettled(Array.from({ length: 25 }, () => limited.send(mail)));
      const refused = results.filter((result) => result.status === 'rejected');
      expect(refused.map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
      expect(emulator.requests().filter((request) => request.status === 429)).toHaveLength(0);
    } finally {
      emulator.faults.rateLimit(false);
    }
  });

  it('sends on the transactional stream: one id per recipient, stored as sent', async () => {
    const result = await client().send(mail);
    expect(result.success).toBe(true);
    expect(result.message_ids).toHaveLength(3);
    const [stored] = emulator.messages();
    expect(stored?.messageIds).toEqual(result.message_ids);
    expect(stored?.stream).toBe('transactional');
    expect(stored?.custom_variables).toEqual({ run: 'r-1' });
    expect(emulator.requests()[0]?.userAgent).toMatch(/^mailtrap-kit\//);
  });

  it('sends on the bulk and sandbox streams', async () => {
    await client({ stream: 'bulk' }).send(mail);
    await client({ stream: 'sandbox', sandboxId: emulator.sandboxId }).send(mail);
    expect(emulator.messages().map((message) => message.stream)).toEqual(['bulk', 'sandbox']);
    expect(emulator.messages()[1]?.sandboxId).toBe(emulator.sandboxId);
  });

  it('batch-sends with per-item results in order, including a failed item', async () => {
    emulator.faults.inject({ kind: 'batch_item_failure', recipient: 'b@example.org' });
    const result = await client().batchSend({
      base: { from: mail.from, subject: 'News', html: '<p>News</p>' },
      requests: [
        { to: [{ email: 'a@example.org' }] },
        { to: [{ email: 'b@example.org' }] },
        { to: [{ email: 'c@example.org' }] },
      ],
    });
    expect(result.responses.map((item) => item.success)).toEqual([true, false, true]);
    expect(result.responses[1]?.errors?.length).toBeGreaterThan(0);
    expect(emulator.messages().map((message) => message.to[0]?.email)).toEqual([
      'a@example.org',
      'c@example.org',
    ]);
  });

  it('batch-sends JSON texts on the bulk stream: each message delivered with its recipient and subject', async () => {
    const requests = [
      JSON.stringify({ to: [{ email: 'a@example.org', name: 'Ä "A"' }], custom_variables: { id: '0' } }),
      JSON.stringify({
        to: [{ email: 'b@example.org' }],
        subject: 'For B 🎉',
        custom_variables: { id: '1' },
      }),
      JSON.stringify({ to: [{ email: 'c@example.org' }], subject: 'For C', text: 'Hi C' }),
    ];
    const result = await client({ stream: 'bulk' }).batchSendJson({
      base: { from: mail.from, subject: 'News', html: '<p>News</p>', custom_variables: { run: 7 } },
      requests,
    });
    expect(result.responses.map((item) => item.success)).toEqual([true, true, true]);
    const stored = emulator.messages();
    expect(
      stored.map((message) => [
        message.stream,
        message.to[0]?.email,
        message.subject,
        message.custom_variables,
      ]),
    ).toEqual([
      // a request's custom_variables replace the base's, as any field it gives
      ['bulk', 'a@example.org', 'News', { id: '0' }],
      ['bulk', 'b@example.org', 'For B 🎉', { id: '1' }],
      ['bulk', 'c@example.org', 'For C', { run: '7' }],
    ]);
    expect(stored.map((message) => message.messageIds)).toEqual(
      result.responses.map((item) => item.message_ids),
    );
  });

  it('streams an attachment from a readable stream', async () => {
    const bytes = createHash('sha512').update('x').digest();
    const content = Buffer.concat(Array.from({ length: 20_000 }, () => bytes));
    await client().send({
      ...mail,
      attachments: [
        { filename: 'data.bin', stream: Readable.from([content.subarray(0, 7), content.subarray(7)]) },
      ],
    });
    expect(emulator.messages()[0]?.attachments[0]).toMatchObject({
      filename: 'data.bin',
      size: content.byteLength,
    });
  });

  it('sends a path attachment whose base64 the emulator decodes to the file, also after a retried 429', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mailtrap-kit-core-emulator-'));
    try {
      // Not a multiple of the 48 KiB read size nor of 3: the last chunk carries base64 padding.
      const bytes = randomBytes(3 * 1024 * 1024 + 2);
      const file = join(directory, 'report.bin');
      await writeFile(file, bytes);
      emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 0 });
      await client().send({
        ...mail,
        attachments: [{ filename: 'report.bin', path: file, type: 'application/octet-stream' }],
      });
      expect(emulator.requests().map((request) => request.status)).toEqual([429, 200]);
      const [stored] = emulator.messages();
      expect(stored?.attachments[0]).toMatchObject({ filename: 'report.bin', size: bytes.byteLength });
      const download = await fetch(
        `${emulator.url}/_emulator/messages/${encodeURIComponent(stored!.id)}/attachments/0`,
      );
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('retries a 429 with Retry-After and sends exactly once', async () => {
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 0 });
    await client().send(mail);
    expect(emulator.requests().map((request) => request.status)).toEqual([429, 200]);
    expect(emulator.messages()).toHaveLength(1);
  });

  it('does not retry a reset after the body: the message was accepted once, the error says maybe sent', async () => {
    emulator.faults.inject({ kind: 'reset_after_body' });
    const error = await client()
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapNetworkError.isInstance(error)).toBe(true);
    expect((error as MailtrapNetworkError).maybeSent).toBe(true);
    expect(emulator.messages()).toHaveLength(1);
    expect(emulator.requests()).toHaveLength(1);
  });

  it('does not retry a 500 by default; retryAmbiguous does', async () => {
    emulator.faults.inject({ kind: 'server_error', count: 1 });
    const error = await client()
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapServerError.isInstance(error)).toBe(true);
    expect(emulator.messages()).toHaveLength(0);
    emulator.faults.inject({ kind: 'server_error', count: 1 });
    await client({ retry: { retryAmbiguous: true, minDelayMs: 1 } }).send(mail);
    expect(emulator.messages()).toHaveLength(1);
  });

  it('maps a wrong token to an authentication error and an unverified domain to a permission error', async () => {
    const wrong = await client({ token: 'not-a-token' })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapAuthenticationError.isInstance(wrong)).toBe(true);
    expect((wrong as MailtrapAuthenticationError).status).toBe(401);
    const unverified = await client()
      .send({ ...mail, from: { email: 'someone@unverified.example.net' } })
      .catch((caught: unknown) => caught);
    expect(
      MailtrapPermissionError.isInstance(unverified) || MailtrapAuthenticationError.isInstance(unverified),
    ).toBe(true);
    expect([401, 403]).toContain((unverified as MailtrapPermissionError).status);
    const wrongStream = await client({ token: 'emulator-token-bulk-only' })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect([401, 403]).toContain((wrongStream as MailtrapPermissionError).status);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('reports a 401 for a sender domain the token does not cover as such, naming the domain', async () => {
    const error = await client({ token: 'emulator-token-mailtrap-kit-test' })
      .send(mail)
      .catch((caught: unknown) => caught);
    expect(MailtrapAuthenticationError.isInstance(error)).toBe(true);
    expect((error as MailtrapAuthenticationError).senderDomains).toEqual(['example.com']);
    expect((error as Error).message).toMatch(
      /the token does not cover the sending domain 'example\.com' — API tokens are per sending domain: use the token of example\.com /,
    );
    expect((error as Error).message.match(/does not cover/g)).toHaveLength(1);
    expect(emulator.messages()).toHaveLength(0);
  });

  it('runs template CRUD in both path forms and sends with the template', async () => {
    for (const api of [client(), client({ accountId: emulator.accountId })]) {
      const created = await api.templates.create({
        name: 'Welcome',
        subject: 'Hi {{name}}',
        category: 'onboarding',
        body_text: 'Hello {{name}}',
      });
      expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect((await api.templates.list()).some((template) => template.id === created.id)).toBe(true);
      const updated = await api.templates.update(created.id, { subject: 'Hey {{name}}' });
      expect(updated.subject).toBe('Hey {{name}}');
      expect((await api.templates.get(created.id)).subject).toBe('Hey {{name}}');
      const result = await api.send({
        from: mail.from,
        to: [{ email: 'tpl@example.org' }],
        template_uuid: created.uuid,
        template_variables: { name: 'Ada' },
      });
      expect(result.message_ids).toHaveLength(1);
      await api.templates.delete(created.id);
      await expect(api.templates.get(created.id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    }
    const paths = emulator.requests().map((request) => request.path);
    expect(paths).toContain('/api/email_templates');
    expect(paths).toContain(`/api/accounts/${emulator.accountId}/email_templates`);
  });

  it('finds sent messages in Email Logs with bracketed filters, in both path forms', async () => {
    const sent = await client().send({ ...mail, to: [{ email: 'logs@example.org' }], cc: undefined });
    for (const api of [client(), client({ accountId: emulator.accountId })]) {
      const page = await api.emailLogs.list({
        filters: { to: { operator: 'ci_equal', value: 'LOGS@example.org' } },
      });
      expect(page.messages.map((message) => message.message_id)).toEqual(sent.message_ids);
      const one = await api.emailLogs.get(sent.message_ids[0]!);
      expect(one.message_id).toBe(sent.message_ids[0]);
      expect(one.custom_variables).toEqual({ run: 'r-1' });
    }
  });

  it('iterates Email Logs across pages', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const result = await client().batchSend({
        base: { from: mail.from, subject: 'Paged', text: 'x', category: 'paged' },
        requests: Array.from({ length: 25 }, (_, item) => ({
          to: [{ email: `p${index}-${item}@example.org` }],
        })),
      });
      for (const item of result.responses) ids.push(...(item.message_ids ?? []));
    }
    const found: string[] = [];
    for await (const message of client().emailLogs.iterate({
      filters: { category: { operator: 'equal', value: 'paged' } },
    })) {
      found.push(message.message_id);
    }
    expect(found.sort()).toEqual([...ids].sort());
    const pages = emulator.requests().filter((request) => request.path.endsWith('/email_logs'));
    expect(pages.length).toBeGreaterThanOrEqual(2);
  });

  it('lists accounts and suppressions', async () => {
    const accounts = await client().accounts.list();
    expect(accounts.some((account) => account.id === emulator.accountId)).toBe(true);
    expect(Array.isArray(await client().suppressions.list({ email: 'nobody@example.org' }))).toBe(true);
  });
});
