import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumPath, hasChromium, launchChromium } from './chromium.test-support';
import { type RunningEmulator, startEmulator } from './index';

const required = process.env.MAILTRAP_KIT_REQUIRE_SERVICES === '1';
/** Generous waits: the machine may be busy. */
const slow = { timeout: 30_000 };

if (!hasChromium && !required) {
  console.warn(
    `[emulator] skipping the web inbox browser tests: no Chromium at ${chromiumPath} ` +
      '(install chromium or set CHROMIUM_PATH; MAILTRAP_KIT_REQUIRE_SERVICES=1 makes this a failure)',
  );
}

describe('web inbox requirements', () => {
  it.runIf(required)('has a Chromium when MAILTRAP_KIT_REQUIRE_SERVICES=1', () => {
    expect(hasChromium, `Chromium is required at ${chromiumPath} (MAILTRAP_KIT_REQUIRE_SERVICES=1)`).toBe(
      true,
    );
  });
});

describe.runIf(hasChromium)('web inbox in headless Chromium', () => {
  let emulator: RunningEmulator;
  let canary: Server;
  let canaryUrl: string;
  const canaryHits: string[] = [];
  let browser: Browser;
  let page: Page;

  async function send(path: string, body: unknown) {
    const response = await request(`${emulator.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.body.json()) as any;
    expect(response.statusCode, JSON.stringify(json)).toBe(200);
    return json;
  }

  beforeAll(async () => {
    canary = createServer((incoming, response) => {
      canaryHits.push(incoming.url ?? '');
      response.writeHead(200, { 'content-type': 'image/gif', 'access-control-allow-origin': '*' });
      response.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
    emulator = await startEmulator();
    browser = await launchChromium();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await new Promise((resolve) => canary?.close(resolve));
  });

  it('lists messages live, filters them and shows every part; no script of an email runs', async () => {
    await send('/transactional/api/send', {
      from: { email: 'billing@example.com', name: 'Billing' },
      to: [{ email: 'ann@example.org', name: 'Ann' }],
      cc: [{ email: 'carl@example.org' }],
      subject: 'Your invoice #1042',
      text: 'Plain text part of the invoice.',
      html: '<h1 style="font-family:sans-serif">Invoice #1042</h1><p>Total: <b>€42.00</b></p><img id="logo" src="cid:logo" alt="logo">',
      category: 'invoice',
      custom_variables: { customer_id: 'c-77' },
      headers: { 'X-Campaign': 'autumn' },
      attachments: [
        {
          filename: 'invoice.txt',
          content: Buffer.from('invoice body').toString('base64'),
          type: 'text/plain',
        },
        {
          filename: 'logo.png',
          content:
            'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
          type: 'image/png',
          disposition: 'inline',
          content_id: 'logo',
        },
      ],
    });
    const evilHtml =
      `<p id="evil">Evil newsletter body</p>` +
      `<script>window.top.__pwned = 'script'; try { window.top.document.title = 'pwned'; } catch (e) {}` +
      ` fetch('${canaryUrl}/script'); fetch('${emulator.url}/_emulator/reset', { method: 'POST' });</script>` +
      `<img src="missing.png" onerror="window.top.__pwned = 'onerror'; fetch('${canaryUrl}/onerror'); fetch('${emulator.url}/_emulator/reset', { method: 'POST' })">` +
      `<img src="${canaryUrl}/pixel.gif" alt="">`;
    await send('/bulk/api/batch', {
      base: {
        from: { email: 'news@example.com' },
        subject: 'Evil newsletter',
        html: evilHtml,
        category: 'news',
      },
      requests: [{ to: [{ email: 'victim@example.org' }] }],
    });

    await page.goto(emulator.url);
    await expect.poll(() => page.locator('#messages li').count(), { timeout: 30_000 }).toBe(2);
    const title = await page.title();

    // The evil message: the HTML is shown, its scripts and handlers do not run.
    await page.locator('#messages li', { hasText: 'Evil newsletter' }).click();
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Evil newsletter');
    const frame = page.frameLocator('#m-html');
    await expect
      .poll(() => frame.locator('#evil').textContent(), { timeout: 30_000 })
      .toBe('Evil newsletter body');
    // remote images stay blocked until the user asks for them
    await page.waitForTimeout(1000);
    expect(canaryHits).toEqual([]);
    await page.locator('#m-remote').click();
    await expect.poll(() => canaryHits.includes('/pixel.gif'), { timeout: 30_000 }).toBe(true);
    await page.waitForTimeout(1000);
    expect(canaryHits).not.toContain('/script');
    expect(canaryHits).not.toContain('/onerror');
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(title);
    expect(emulator.messages()).toHaveLength(2);
    expect(await page.locator('#m-html').getAttribute('sandbox')).not.toContain('allow-scripts');

    // The invoice: meta, text, headers, attachments, details, raw JSON.
    await page.locator('#messages li', { hasText: 'Your invoice' }).click();
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Your invoice #1042');
    await expect.poll(() => frame.locator('h1').textContent(), slow).toBe('Invoice #1042');
    await expect
      .poll(
        () =>
          frame
            .locator('#logo')
            .evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
        slow,
      )
      .toBe(1);
    expect(await page.locator('#m-meta').textContent()).toContain('Billing <billing@example.com>');
    expect(await page.locator('#m-meta').textContent()).toContain('carl@example.org');
    await page.locator('[data-tab=text]').click();
    expect(await page.locator('#m-text').textContent()).toBe('Plain text part of the invoice.');
    await page.locator('[data-tab=headers]').click();
    // the headers come in their own request after the message
    await expect.poll(() => page.locator('#m-headers').textContent(), slow).toContain('autumn');
    await page.locator('[data-tab=attachments]').click();
    const link = page.locator('#m-attachments a').first();
    expect(await link.textContent()).toContain('invoice.txt');
    expect(await page.locator('#m-attachments a').nth(1).textContent()).toContain('inline');
    const download = await request(new URL((await link.getAttribute('href'))!, emulator.url));
    expect(await download.body.text()).toBe('invoice body');
    await page.locator('[data-tab=details]').click();
    expect(await page.locator('#m-custom').textContent()).toContain('c-77');
    await page.locator('[data-tab=raw]').click();
    expect(JSON.parse((await page.locator('#m-raw').textContent())!).subject).toBe('Your invoice #1042');

    // Live update: a new message shows up without a reload.
    await send('/sandbox/api/send/1', {
      from: { email: 'qa@example.com' },
      to: [{ email: 'tester@example.org' }],
      subject: 'Sandbox check',
      text: 'hello',
    });
    await expect.poll(() => page.locator('#messages li').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.locator('#messages li').first().textContent()).toContain('Sandbox check');

    // Filters: stream, category, recipient, text.
    await page.selectOption('#filter-stream', 'bulk');
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(1);
    await page.selectOption('#filter-stream', '');
    await page.fill('#filter-category', 'invoice');
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(1);
    await page.fill('#filter-category', '');
    await page.fill('#filter-recipient', 'tester@');
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(1);
    await page.fill('#filter-recipient', '');
    await page.fill('#filter-text', 'plain text part');
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(1);
    await page.fill('#filter-text', '');
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(3);

    await page.locator('#messages li', { hasText: 'Your invoice' }).click();
    await page.locator('[data-tab=html]').click();
    await expect.poll(() => frame.locator('h1').textContent(), slow).toBe('Invoice #1042');
    await page.screenshot({ path: join(tmpdir(), 'emulator-inbox.png') });

    // Requests view: every API request with its status and fault, live.
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 1 });
    const limited = await request(`${emulator.endpoints.send}/api/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        from: { email: 'a@example.com' },
        to: [{ email: 'b@example.org' }],
        subject: 's',
        text: 't',
      }),
    });
    expect(limited.statusCode).toBe(429);
    await limited.body.dump();
    await page.locator('#show-requests').click();
    await expect.poll(() => page.locator('#requests tr').count(), slow).toBe(4);
    expect(await page.locator('#requests tr').first().textContent()).toContain('rate_limit');
    expect(await page.locator('#requests tr').first().locator('.status').textContent()).toBe('429');
    await send('/transactional/api/send', {
      from: { email: 'a@example.com' },
      to: [{ email: 'c@example.org' }],
      subject: 'live',
      text: 't',
    });
    await expect.poll(() => page.locator('#requests tr').count(), slow).toBe(5);
    expect(await page.locator('#requests tr').first().textContent()).toContain('/transactional/api/send');
    await page.screenshot({ path: join(tmpdir(), 'emulator-inbox-requests.png') });
    await page.locator('#show-messages').click();
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(4);
  }, 180_000);

  it('serves the HTML part with a sandbox CSP and the page with a nonce CSP', async () => {
    const [message] = emulator.messages();
    const part = await request(`${emulator.url}/_emulator/messages/${message?.id}/html`);
    await part.body.dump();
    expect(part.headers['content-security-policy']).toMatch(/^sandbox(?![^;]*allow-scripts)/);
    expect(part.headers['content-security-policy']).toContain("default-src 'none'");
    const inbox = await request(emulator.url);
    await inbox.body.dump();
    expect(inbox.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
  });
  it('shows the MIME source and the HTML check of a message', async () => {
    const html = readFileSync(new URL('./fixtures/unsupported-features.html', import.meta.url), 'utf8');
    await send('/sandbox/api/send/1', {
      from: { email: 'qa@example.com', name: 'QA' },
      to: [{ email: 'layout@example.org' }],
      subject: 'Flex layout',
      text: 'Layout check',
      html: html.replace('</body>', '<a href="http://shop.example.com/sale">Plain link</a>\n</body>'),
    });
    await page.goto(emulator.url);
    await page.locator('#messages li', { hasText: 'Flex layout' }).click();
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Flex layout');
    await page.locator('[data-tab=source]').click();
    await expect.poll(() => page.locator('#m-source').textContent(), slow).toContain('Subject: Flex layout');
    const source = (await page.locator('#m-source').textContent())!;
    expect(source).toContain('From: QA <qa@example.com>');
    expect(source).toMatch(/Content-Type: multipart\/alternative;/);
    const eml = await request(new URL((await page.locator('#m-eml').getAttribute('href'))!, emulator.url));
    expect(eml.headers['content-type']).toBe('message/rfc822');
    expect((await eml.body.text()).replace(/\r\n/g, '\n')).toBe(source.replace(/\r\n/g, '\n'));
    await page.locator('[data-tab=check]').click();
    await expect.poll(() => page.locator('#m-check li').count(), slow).toBeGreaterThan(0);
    const flex = page.locator('#m-check li:not(.partial)', { hasText: 'display:flex' });
    expect(await flex.textContent()).toContain('line 9');
    expect(await flex.textContent()).toContain('outlook.windows');
    expect(await page.locator('#m-check-summary').textContent()).toMatch(
      /not supported and \d+ partly supported by some of \d+ clients/,
    );
    // a score per client family: Outlook lacks display:flex on Windows, Apple Mail does not
    const outlook = page.locator('#m-scores tr[data-family=outlook]');
    expect(await outlook.locator('td').first().textContent()).toBe('Outlook');
    expect(Number.parseInt((await outlook.locator('.score').textContent())!, 10)).toBeLessThan(100);
    expect(await outlook.textContent()).toContain('display:flex');
    const apple = page.locator('#m-scores tr[data-family=apple-mail]');
    expect(Number.parseInt((await apple.locator('.score').textContent())!, 10)).toBeGreaterThan(
      Number.parseInt((await outlook.locator('.score').textContent())!, 10),
    );
    expect(await page.locator('#m-scores tbody tr').count()).toBe(6);
    // the links with their targets
    const link = page.locator('#m-links li');
    expect(await link.count()).toBe(1);
    expect(await link.locator('.link-text').textContent()).toBe('Plain link');
    expect(await link.locator('.link-href').textContent()).toBe('http://shop.example.com/sale');
    expect(await link.textContent()).toContain('plain http');
    await page.screenshot({ path: join(tmpdir(), 'emulator-inbox-html-check.png') });
  }, 120_000);
});
