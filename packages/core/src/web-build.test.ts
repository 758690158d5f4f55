import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageBuild from '../tsup.config';

// The builds for fetch runtimes (Bun, Deno, Workers) and browsers, run in a Node process as if it
// had no Buffer: the build is made with every free `Buffer` pointing at nothing, and loaded while
// `globalThis.Buffer` is gone (Node's own fetch needs it back afterwards). What the code can reach
// is then fetch, AbortSignal, TextEncoder, ReadableStream, Blob and Web Crypto. The smoke suites
// run the same build on Bun, Deno and workerd themselves.

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so the build resolves @noble/hashes from its node_modules like the real dist.
const outDir = fileURLToPath(new URL(`../.test-results/web-build-${process.pid}/`, import.meta.url));

interface Emulator {
  endpoints: { send: string; bulk: string; sandbox: string; general: string };
  token: string;
  messages(): Array<{ subject?: string; attachments: Array<{ filename: string; size: number }> }>;
  requests(): Array<{ path: string; status?: number; userAgent?: string }>;
  faults: { inject(options: Record<string, unknown>): number };
  close(): Promise<void>;
}
const emulatorPackage = '@mailtrap-kit/emulator';
let emulator: Emulator;

beforeAll(async () => {
  const [, web, browser] = packageBuild as Options[];
  for (const [settings, flavour] of [
    [web!, 'web'],
    [browser!, 'browser'],
  ] as const) {
    await build({
      ...settings,
      config: false,
      entry: { index: `${packageRoot}src/index.ts` },
      outDir: `${outDir}${flavour}`,
      define: { Buffer: 'globalThis.__noBuffer' },
      sourcemap: false,
      silent: true,
    });
  }
  const { startEmulator } = (await import(/* @vite-ignore */ emulatorPackage)) as {
    startEmulator(options?: Record<string, unknown>): Promise<Emulator>;
  };
  emulator = await startEmulator();
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await rm(outDir, { recursive: true, force: true });
});

/** Runs `body` as an ES module in a fresh Node process without Buffer; returns what it prints as JSON. */
async function withoutBuffer(flavour: 'web' | 'browser', body: string): Promise<Record<string, unknown>> {
  const script = `
    const NodeBuffer = globalThis.Buffer;
    delete globalThis.Buffer;
    const core = await import(${JSON.stringify(`${outDir}${flavour}/index.js`)});
    const out = { buffer: typeof Buffer };
    globalThis.Buffer = NodeBuffer;
    const caught = (promise) => promise.then(() => undefined, (error) => error);
    const describe = (error) => error && { name: error.name, code: error.code, feature: error.feature, message: error.message };
    ${body}
    console.log(JSON.stringify(out));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageRoot,
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(stdout.trim()) as Record<string, unknown>;
}

describe('the build for fetch runtimes', () => {
  it('imports neither undici nor a node: module', async () => {
    const source = await readFile(`${outDir}web/index.js`, 'utf8');
    const imports = [...source.matchAll(/^import\b[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^@noble\/hashes\//);
    expect(source).not.toMatch(/\bimport\(\s*['"](?:node:|undici)/);
    expect(source).not.toMatch(/\brequire\(/);
  });

  it('sends, batches, retries a 429, types a 401 and reads the account API without Buffer', async () => {
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 0 });
    const out = await withoutBuffer(
      'web',
      `
      const client = new core.MailtrapClient({
        token: ${JSON.stringify(emulator.token)},
        endpoints: ${JSON.stringify(emulator.endpoints)},
        retry: { minDelayMs: 1, maxDelayMs: 5 },
      });
      out.transport = client.transport;
      const mail = { from: { email: 'hello@example.com' }, to: [{ email: 'one@example.org' }], subject: 'web', text: 'Hi' };
      out.send = await client.send(mail);
      const bytes = new TextEncoder().encode('héllo attachment');
      const stream = new ReadableStream({ start(controller) { controller.enqueue(bytes.subarray(0, 5)); controller.enqueue(bytes.subarray(5)); controller.close(); } });
      out.attachments = await client.send({ ...mail, subject: 'files', attachments: [
        { filename: 'bytes.txt', content: bytes },
        { filename: 'stream.txt', stream },
        { filename: 'blob.txt', stream: new Blob([bytes]) },
      ] });
      out.batch = await client.batchSend({ base: { from: mail.from, subject: 'batch', text: 'B' }, requests: [{ to: [{ email: 'a@example.org' }] }, { to: [{ email: 'b@example.org' }] }] });
      out.accounts = Array.isArray(await client.accounts.list());
      const wrong = new core.MailtrapClient({ token: 'not-a-token', endpoints: ${JSON.stringify(emulator.endpoints)} });
      const unauthorized = await caught(wrong.send(mail));
      out.unauthorized = { ...describe(unauthorized), status: unauthorized.status, isAuth: core.MailtrapAuthenticationError.isInstance(unauthorized), leaks: unauthorized.message.includes('not-a-token') };
      `,
    );
    expect(out.buffer).toBe('undefined');
    expect(out.transport).toBe('fetch');
    expect(out.send).toMatchObject({ success: true });
    expect(out.attachments).toMatchObject({ success: true });
    expect((out.batch as { responses: unknown[] }).responses).toHaveLength(2);
    expect(out.accounts).toBe(true);
    expect(out.unauthorized).toMatchObject({
      code: 'authentication',
      status: 401,
      isAuth: true,
      leaks: false,
    });
    const statuses = emulator.requests().map((request) => request.status);
    expect(statuses.slice(0, 2)).toEqual([429, 200]);
    const files = emulator.messages().find((message) => message.subject === 'files');
    const size = new TextEncoder().encode('héllo attachment').byteLength;
    expect(files?.attachments).toEqual([
      expect.objectContaining({ filename: 'bytes.txt', size }),
      expect.objectContaining({ filename: 'stream.txt', size }),
      expect.objectContaining({ filename: 'blob.txt', size }),
    ]);
    expect(emulator.requests()[0]?.userAgent).toMatch(/^mailtrap-kit\/\S+ fetch$/);
  });

  it('refuses the Node-only features, naming what they need, before anything is sent', async () => {
    const before = emulator.requests().length;
    const out = await withoutBuffer(
      'web',
      `
      const options = { token: 't0ken', endpoints: ${JSON.stringify(emulator.endpoints)} };
      try { new core.MailtrapClient({ ...options, dispatcher: {} }); } catch (error) { out.dispatcher = describe(error); }
      try { new core.MailtrapClient({ ...options, transport: 'undici' }); } catch (error) { out.undici = describe(error); }
      const client = new core.MailtrapClient(options);
      const mail = { from: { email: 'hello@example.com' }, to: [{ email: 'one@example.org' }], subject: 'S', text: 'T' };
      out.path = describe(await caught(client.send({ ...mail, attachments: [{ filename: 'a.pdf', path: '/etc/hostname' }] })));
      try { core.validateSendMail({ ...mail, attachments: [{ filename: 'a.pdf', path: '/etc/hostname' }] }); } catch (error) { out.validatePath = describe(error); }
      `,
    );
    expect(out.dispatcher).toMatchObject({
      name: 'MailtrapUnsupportedRuntimeError',
      code: 'unsupported_runtime',
      feature: 'dispatcher',
      message: expect.stringMatching(/needs Node\.js/),
    });
    expect(out.undici).toMatchObject({ code: 'unsupported_runtime', feature: "transport: 'undici'" });
    expect(out.path).toMatchObject({
      code: 'unsupported_runtime',
      feature: 'attachments[0].path',
      message: expect.stringMatching(
        /`attachments\[0\]\.path`.*needs Node\.js \(a file system\).*ReadableStream or Blob/,
      ),
    });
    expect(out.validatePath).toMatchObject({ code: 'unsupported_runtime', feature: 'attachments[0].path' });
    expect(emulator.requests().length).toBe(before);
  });

  it('verifies webhook signatures synchronously and through Web Crypto', async () => {
    const body = '{"events":[{"event":"delivery","message_id":"m-1"}]}';
    const secret = 'whsec-0123456789';
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    const out = await withoutBuffer(
      'web',
      `
      const body = ${JSON.stringify(body)};
      const signature = ${JSON.stringify(signature)};
      out.sync = core.verifyWebhookSignature(body, signature, ${JSON.stringify(secret)});
      out.syncBytes = core.verifyWebhookSignature(new TextEncoder().encode(body), 'sha256=' + signature, ${JSON.stringify(secret)});
      out.syncWrong = core.verifyWebhookSignature(body + ' ', signature, ${JSON.stringify(secret)});
      out.async = await core.verifyWebhookSignatureAsync(body, signature, ${JSON.stringify(secret)});
      out.asyncWrongSecret = await core.verifyWebhookSignatureAsync(body, signature, 'other');
      out.events = core.parseWebhookEvents(new TextEncoder().encode(body)).length;
      `,
    );
    expect(out).toEqual({
      buffer: 'undefined',
      sync: true,
      syncBytes: true,
      syncWrong: false,
      async: true,
      asyncWrongSecret: false,
      events: 1,
    });
  });
});

describe('the browser build', () => {
  it('refuses a client (the token would reach every visitor) but validates mail', async () => {
    const out = await withoutBuffer(
      'browser',
      `
      try { new core.MailtrapClient({ token: 't0ken' }); } catch (error) { out.client = describe(error); }
      try { core.validateSendMail({ from: { email: 'a@example.com' }, subject: 'S' }); } catch (error) { out.validation = describe(error); }
      `,
    );
    expect(out.client).toMatchObject({
      code: 'unsupported_runtime',
      feature: 'browser',
      message: expect.stringMatching(/does not run in a browser: the API token would be visible/),
    });
    expect(out.validation).toMatchObject({ code: 'validation' });
  });
});
