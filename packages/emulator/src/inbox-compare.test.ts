import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, hasChromium, launchChromium } from './chromium.test-support';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

const slow = { timeout: 15_000 };

describe.runIf(hasChromium)('the inbox compares two messages in headless Chromium', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emulator = await startEmulator({ smtpPort: 0 });
    browser = await launchChromium();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  /** One message from shop@example.com to ann@example.org over the SMTP listener. */
  async function sendOverSmtp(mail: { subject: string; text: string; headers?: Record<string, string> }) {
    const smtp = nodemailer.createTransport({
      host: emulator.smtp!.host,
      port: emulator.smtp!.port,
      ignoreTLS: true,
      auth: { user: 'api', pass: emulator.token },
    });
    try {
      await smtp.sendMail({ from: 'shop@example.com', to: 'ann@example.org', ...mail });
    } finally {
      smtp.close();
    }
  }

  it('picks the SMTP and API twins, marks the differences, and keeps the pair in the URL', async () => {
    await http(`${emulator.url}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'shop@example.com' },
        to: [{ email: 'bob@example.org' }],
        subject: 'Other',
        text: 'x',
      },
    });
    await sendOverSmtp({
      subject: 'Twins',
      text: 'line one\nline two\n',
      headers: { 'X-MT-Category': 'Receipts' },
    });
    await http(`${emulator.url}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'shop@example.com' },
        to: [{ email: 'ann@example.org' }],
        subject: 'Twins',
        text: 'line one\nline 2\n',
        category: 'Receipts',
      },
    });
    const [, overSmtp, overApi] = emulator.messages();

    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${emulator.url}/`);
    await page.click('#show-compare');
    await expect.poll(() => page.getAttribute('#show-compare', 'aria-current'), slow).toBe('page');
    // the newest message and the newest other one with its subject are picked
    await expect.poll(() => page.textContent('#compare-summary'), slow).toBe('1 field differs.');
    expect(errors).toEqual([]);
    expect(await page.inputValue('#compare-a')).toBe(overApi!.id);
    expect(await page.inputValue('#compare-b')).toBe(overSmtp!.id);
    await page.selectOption('#compare-a', overSmtp!.id);
    await page.selectOption('#compare-b', overApi!.id);
    await expect
      .poll(() => page.evaluate('location.hash'), slow)
      .toBe(`#/compare/${overSmtp!.id}/${overApi!.id}`);
    await expect.poll(() => page.textContent('#compare-head-b'), slow).toBe('B · API · transactional');
    expect(await page.textContent('#compare-head-a')).toBe('A · SMTP · transactional');
    expect(await page.textContent('#compare-summary')).toBe('1 field differs.');
    const differing = await page.$$eval('#compare-rows tr.differs', (rows) =>
      rows.map((row) => row.getAttribute('data-field')),
    );
    expect(differing).toEqual(['Text']);
    const diff = await page.$$eval('tr[data-field=Text] pre.diff span', (lines) =>
      lines.map((line) => `${line.className}:${line.textContent}`),
    );
    expect(diff).toEqual(['same:  line one', 'removed:- line two', 'added:+ line 2']);
    await page.check('#compare-only');
    const shown = await page.$$eval('#compare-rows tr:not(.group)', (rows) =>
      rows.map((row) => row.getAttribute('data-field')),
    );
    expect(shown).toContain('Text');
    expect(shown).not.toContain('Subject');

    // the pair in the URL opens the view directly
    await page.goto(`${emulator.url}/#/compare/${overApi!.id}/${overSmtp!.id}`);
    await expect.poll(() => page.textContent('#compare-head-a'), slow).toBe('A · API · transactional');
    await expect.poll(() => page.isHidden('#messages-view'), slow).toBe(true);
    await page.click('#show-messages');
    await expect.poll(() => page.isHidden('#compare-view'), slow).toBe(true);
    expect(await page.evaluate('location.hash')).toBe('#/messages');
    expect(await page.getAttribute('#show-compare', 'aria-current')).toBeNull();
  }, 60_000);

  it('pairs an SMTP message with its API twin by default, not two API sends of the same subject', async () => {
    await sendOverSmtp({ subject: 'Triplets', text: 'smtp' });
    for (const text of ['api one', 'api two']) {
      const sent = await http(`${emulator.url}/api/send`, {
        token: emulator.token,
        body: {
          from: { email: 'shop@example.com' },
          to: [{ email: 'ann@example.org' }],
          subject: 'Triplets',
          text,
        },
      });
      expect(sent.status).toBe(200);
    }
    const triplets = emulator.messages().filter((message) => message.subject === 'Triplets');
    const overSmtp = triplets.find((message) => message.text?.trim() === 'smtp')!;
    const newestApi = triplets.find((message) => message.text?.trim() === 'api two')!;
    await page.goto(`${emulator.url}/#/messages`);
    await page.click('#show-compare');
    await expect
      .poll(() => page.evaluate('location.hash'), slow)
      .toBe(`#/compare/${newestApi.id}/${overSmtp.id}`);
    // the heads read as they did for the pair shown before: wait for this pair's texts
    await expect.poll(() => page.textContent('tr[data-field=Text]'), slow).toContain('api two');
    expect(await page.textContent('tr[data-field=Text]')).toContain('smtp');
    expect(await page.textContent('#compare-head-a')).toBe('A · API · transactional');
    expect(await page.textContent('#compare-head-b')).toBe('B · SMTP · transactional');
  }, 60_000);

  it('marks each message of the list with how it arrived, SMTP or API', async () => {
    await page.goto(`${emulator.url}/#/messages`);
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(emulator.messages().length);
    const shown = await page.$$eval('#messages li', (items) =>
      items.map((item) => [item.getAttribute('data-id'), item.querySelector('.badge.via')?.textContent]),
    );
    const expected = emulator
      .messages()
      .map((message) => [message.id, message.smtp ? 'SMTP' : 'API'])
      .reverse();
    expect(shown).toEqual(expected);
    expect(shown.filter(([, via]) => via === 'SMTP')).toHaveLength(2);
  }, 60_000);
});
