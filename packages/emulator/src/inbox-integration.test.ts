/**
 * The Integration page in headless Chromium, and its samples run as printed: the curl line with
 * the shell, the core sample with Node against the same emulator.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, hasChromium, launchChromium } from './chromium.test-support';
import { type RunningEmulator, startEmulator } from './index';

const run = promisify(execFile);
const slow = { timeout: 30_000 };
// Under CI curl is installed (.ci/run); a missing one fails there instead of skipping.
const hasCurl = existsSync('/usr/bin/curl') || Boolean(process.env.CI);

describe.runIf(hasChromium)('the Integration page in headless Chromium', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emulator = await startEmulator({
      domains: [{ name: 'acme.test' }, { name: 'later.test', verified: false }],
    });
    browser = await launchChromium();
    page = browser.page;
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: emulator.url });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  async function sample(id: string): Promise<string> {
    return (await page.locator(`[data-sample=${id}] pre`).textContent())!;
  }

  it('shows the endpoint variables, the domains and a copyable sample per way of sending', async () => {
    await page.goto(`${emulator.url}/#/integration`);
    await expect.poll(() => page.locator('[data-sample]').count(), slow).toBe(4);
    const endpoints = (await page.locator('#i-endpoints').textContent())!;
    expect(endpoints).toContain(`MAILTRAP_ENDPOINT${emulator.url}`);
    expect(endpoints).toContain(`MAILTRAP_API_TOKEN${emulator.token}`);
    expect(endpoints).toContain(`Transactional${emulator.url}/transactional`);
    expect(endpoints).not.toContain('SMTP');
    expect(await page.locator('#i-domains li').allTextContents()).toEqual([
      'acme.test verified',
      'later.test not verified',
    ]);
    expect(
      await page
        .locator('[data-sample]')
        .evaluateAll((cards) =>
          cards.map((card) => (card as unknown as { dataset: { sample: string } }).dataset.sample),
        ),
    ).toEqual(['environment', 'core', 'nodemailer', 'curl']);
    expect(await sample('environment')).toBe(
      `export MAILTRAP_API_TOKEN=${emulator.token}\nexport MAILTRAP_ENDPOINT=${emulator.url}\nnode app.js`,
    );
    expect(await sample('nodemailer')).toContain(
      'MailtrapTransport({ token: process.env.MAILTRAP_API_TOKEN })',
    );
    // samples send from a verified domain
    expect(await sample('core')).toContain("from: { email: 'app@acme.test' }");

    await page.locator('[data-sample=curl] button.copy').click();
    await expect
      .poll(() => page.locator('[data-sample=curl] button.copy').textContent(), slow)
      .toBe('Copied');
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(await sample('curl'));
  });

  it.runIf(hasCurl)('runs the curl sample as shown', async () => {
    await page.goto(`${emulator.url}/#/integration`);
    await expect.poll(() => page.locator('[data-sample=curl] pre').count(), slow).toBe(1);
    const { stdout } = await run('sh', ['-c', await sample('curl')]);
    expect(JSON.parse(stdout)).toMatchObject({ success: true });
    expect(emulator.messages().at(-1)?.subject).toBe('Hello from the emulator');
  });

  it('runs the core sample as shown, with the environment of the page', async () => {
    await page.goto(`${emulator.url}/#/integration`);
    await expect.poll(() => page.locator('[data-sample=core] pre').count(), slow).toBe(1);
    const before = emulator.messages().length;
    // in the package's folder, so that Node finds @mailtrap-kit/core
    const file = fileURLToPath(new URL(`../integration-sample-${process.pid}.mjs`, import.meta.url));
    await writeFile(file, `${await sample('core')}\nconsole.log(JSON.stringify(message_ids));\n`);
    try {
      const { stdout } = await run(process.execPath, [file], {
        env: { ...process.env, MAILTRAP_API_TOKEN: emulator.token, MAILTRAP_ENDPOINT: emulator.url },
      });
      expect(JSON.parse(stdout)).toHaveLength(1);
    } finally {
      await rm(file, { force: true });
    }
    expect(emulator.messages()).toHaveLength(before + 1);
    expect(emulator.messages().at(-1)?.from.email).toBe('app@acme.test');
  });

  it('shows the SMTP listeners and an SMTP sample that sends as shown when SMTP is on', async () => {
    const withSmtp = await startEmulator({ smtpPort: 0 });
    const file = fileURLToPath(new URL(`../integration-smtp-sample-${process.pid}.mjs`, import.meta.url));
    try {
      await page.goto(`${withSmtp.url}/#/integration`);
      await expect.poll(() => page.locator('[data-sample]').count(), slow).toBe(5);
      const endpoints = (await page.locator('#i-endpoints').textContent())!;
      expect(endpoints).toContain(`SMTP${withSmtp.smtp!.host}:${withSmtp.smtp!.port}`);
      expect(endpoints).toContain(`SMTP bulk${withSmtp.smtp!.host}:${withSmtp.smtp!.bulkPort}`);
      const code = await page.locator('[data-sample=smtp] pre').textContent();
      expect(code).toContain(`port: ${withSmtp.smtp!.port},`);
      await writeFile(file, code!);
      await run(process.execPath, [file]);
      expect(withSmtp.messages().map((message) => message.subject)).toEqual(['Hello over SMTP']);
    } finally {
      await rm(file, { force: true });
      await withSmtp.close();
    }
  });
});
