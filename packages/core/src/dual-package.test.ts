import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageBuild from '../tsup.config';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so the builds resolve `undici` from its node_modules like the real dist does.
const outDir = fileURLToPath(new URL(`../.test-results/dual-build-${process.pid}/`, import.meta.url));

beforeAll(async () => {
  // The package's own build settings (keepNames included), into a private folder.
  // The first build of the config is Node's (ESM + CommonJS).
  const settings = (packageBuild as Options[])[0]!;
  await build({
    ...settings,
    config: false,
    entry: { index: `${packageRoot}src/index.ts` },
    outDir,
    dts: false,
    sourcemap: false,
    silent: true,
  });
}, 120_000);
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('the ESM and the CommonJS copy loaded side by side', () => {
  it('recognise each other’s errors through isInstance', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const esm = await import(${JSON.stringify(`${outDir}index.js`)});
      const cjs = createRequire(import.meta.url)(${JSON.stringify(`${outDir}index.cjs`)});
      const fromCjs = new cjs.MailtrapRateLimitError('slow down', { status: 429, retryAfterMs: 1000 });
      const fromEsm = new esm.MailtrapAuthenticationError('no', { status: 401 });
      let validation;
      try { cjs.validateSendMail({ from: { email: 'a@example.com' } }); } catch (error) { validation = error; }
      const client = new cjs.MailtrapClient({ token: 'dual-token', endpoints: { send: 'http://127.0.0.1:9' } });
      const sendError = await client.send({ from: { email: 'a@example.com' } }).catch((error) => error);
      await client.close();
      console.log(JSON.stringify({
        distinctClasses: esm.MailtrapError !== cjs.MailtrapError,
        plainInstanceof: fromCjs instanceof esm.MailtrapError,
        esmSeesCjsRateLimit: esm.MailtrapRateLimitError.isInstance(fromCjs),
        esmSeesCjsBase: esm.MailtrapError.isInstance(fromCjs),
        esmRejectsWrongClass: esm.MailtrapServerError.isInstance(fromCjs),
        cjsSeesEsmAuth: cjs.MailtrapAuthenticationError.isInstance(fromEsm),
        cjsSeesEsmBase: cjs.MailtrapError.isInstance(fromEsm),
        cjsRejectsWrongClass: cjs.MailtrapPermissionError.isInstance(fromEsm),
        esmSeesCjsValidation: esm.MailtrapValidationError.isInstance(validation),
        esmSeesClientError: esm.MailtrapValidationError.isInstance(sendError),
        rejectsPlainError: esm.MailtrapError.isInstance(new Error('x')) || cjs.MailtrapError.isInstance(null),
        name: fromCjs.name,
        code: fromCjs.code,
      }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageRoot,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim())).toEqual({
      distinctClasses: true,
      plainInstanceof: false,
      esmSeesCjsRateLimit: true,
      esmSeesCjsBase: true,
      esmRejectsWrongClass: false,
      cjsSeesEsmAuth: true,
      cjsSeesEsmBase: true,
      cjsRejectsWrongClass: false,
      esmSeesCjsValidation: true,
      esmSeesClientError: true,
      rejectsPlainError: false,
      name: 'MailtrapRateLimitError',
      code: 'rate_limit',
    });
  });
});

describe('the built package', () => {
  it('keeps the error class names: no bundler renaming in stack traces, constructor names or inspect', async () => {
    const script = `
      import { inspect } from 'node:util';
      const core = await import(${JSON.stringify(`${outDir}index.js`)});
      const names = Object.keys(core).filter((name) => /^Mailtrap.*Error$/.test(name));
      const seen = names.map((name) => {
        const error = new core[name]('message');
        return { name, errorName: error.name, constructorName: error.constructor.name,
          renamed: /_Mailtrap/.test(error.stack + inspect(error)) };
      });
      let configuration;
      try { new core.MailtrapClient({ token: 'a b' }); } catch (error) { configuration = error; }
      console.log(JSON.stringify({ seen, stack: configuration.stack.split('\\n').slice(0, 2).join(' ') }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageRoot,
      timeout: 60_000,
    });
    const { seen, stack } = JSON.parse(stdout.trim()) as {
      seen: Array<{ name: string; errorName: string; constructorName: string; renamed: boolean }>;
      stack: string;
    };
    expect(seen.length).toBeGreaterThanOrEqual(12);
    for (const entry of seen) {
      expect(entry).toEqual({
        name: entry.name,
        errorName: entry.name,
        constructorName: entry.name,
        renamed: false,
      });
    }
    expect(stack).toMatch(/^MailtrapConfigurationError: /);
    expect(stack).not.toMatch(/_Mailtrap/);
  });
});
