/**
 * The inbox as a daily tool, in headless Chromium: every view and tab in the URL (reload, back),
 * delete and clear with a confirmation, a page at a time, why a message is missing, the favicon,
 * readable request paths and a usable layout at 420 px.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, hasChromium, launchChromium } from './chromium.test-support';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

const slow = { timeout: 30_000 };

async function sendOne(emulator: RunningEmulator, subject: string, extra: Record<string, unknown> = {}) {
  const sent = await http(`${emulator.endpoints.send}/api/send`, {
    token: emulator.token,
    body: {
      from: { email: 'app@example.com' },
      to: [{ email: 'ann@example.org' }],
      subject,
      text: 'x',
      ...extra,
    },
  });
  expect(sent.status).toBe(200);
  return sent.body.message_ids[0] as string;
}

/** Whether the page is wider than its viewport (a sideways scroll of the whole page). */
function overflows(page: Page) {
  return page.evaluate(() => {
    const view = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return view.document.documentElement.scrollWidth > view.innerWidth + 1;
  });
}

describe.runIf(hasChromium)('the inbox as a daily tool, in headless Chromium', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emulator = await startEmulator();
    browser = await launchChromium();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  it('keeps every view and message tab in the URL: reload and back open the same place', async () => {
    const id = await sendOne(emulator, 'Routed', { html: '<p>routed</p>' });
    await page.goto(`${emulator.url}/#/requests`);
    await expect.poll(() => page.locator('#requests-view').isVisible(), slow).toBe(true);
    expect(await page.locator('#show-requests').getAttribute('aria-current')).toBe('page');
    await page.reload();
    await expect.poll(() => page.locator('#requests-view').isVisible(), slow).toBe(true);
    expect(await page.locator('#messages-view').isVisible()).toBe(false);

    await page.locator('#show-account').click();
    await expect.poll(() => page.url(), slow).toMatch(/#\/account$/);
    await expect.poll(() => page.locator('#account-view').isVisible(), slow).toBe(true);
    await page.locator('#show-integration').click();
    await expect.poll(() => page.locator('#integration-view').isVisible(), slow).toBe(true);
    await page.goBack();
    await expect.poll(() => page.locator('#account-view').isVisible(), slow).toBe(true);

    await page.goto(`${emulator.url}/#/messages`);
    await page.locator('#messages li', { hasText: 'Routed' }).click();
    await expect.poll(() => page.url(), slow).toContain(`#/message/${id}`);
    await page.locator('[data-tab=source]').click();
    await expect.poll(() => page.url(), slow).toMatch(new RegExp(`#/message/${id}/source$`));
    await expect.poll(() => page.locator('#m-source').textContent(), slow).toContain('Subject: Routed');
    await page.reload();
    await expect.poll(() => page.locator('[data-panel=source]').isVisible(), slow).toBe(true);
    expect(await page.locator('[data-tab=source]').getAttribute('aria-selected')).toBe('true');
    await page.locator('[data-tab=headers]').click();
    await expect.poll(() => page.locator('[data-panel=headers]').isVisible(), slow).toBe(true);
    await page.goBack();
    await expect.poll(() => page.locator('[data-panel=source]').isVisible(), slow).toBe(true);
    // a shared link opens the tab in a fresh page
    const other = await browser.context.newPage();
    await other.goto(`${emulator.url}/#/message/${id}/text`);
    await expect.poll(() => other.locator('[data-panel=text]').isVisible(), slow).toBe(true);
    expect(await other.locator('#m-text').textContent()).toBe('x');
    await other.close();
  }, 120_000);

  it('shows the HTML check of the message open, not a late answer for the one opened before', async () => {
    const first = await sendOne(emulator, 'Checked first', { html: '<div style="display:flex">first</div>' });
    const second = await sendOne(emulator, 'Checked second (text only)');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const firstCheck = `**/_emulator/messages/${first}/html-check`;
    await page.route(firstCheck, async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.goto(`${emulator.url}/#/message/${first}/check`);
      await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Checked first');
      expect(await page.locator('#m-check-summary').textContent()).toBe('Checking…');
      await page.goto(`${emulator.url}/#/message/${second}/check`);
      await expect
        .poll(() => page.locator('#m-check-summary').textContent(), slow)
        .toBe('This message has no HTML part.');
      // the first message's answer arrives now, after the second's
      const late = page.waitForResponse((response) => response.url().endsWith(`/${first}/html-check`));
      release();
      await late;
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      expect(await page.locator('#m-check-summary').textContent()).toBe('This message has no HTML part.');
      expect(await page.locator('#m-scores').isHidden()).toBe(true);
      expect(await page.locator('#m-subject').textContent()).toBe('Checked second (text only)');
    } finally {
      release();
      await page.unroute(firstCheck);
    }
  }, 120_000);

  it('shows the headers of the MIME form for an API send', async () => {
    const id = await sendOne(emulator, 'With headers', {
      headers: { 'X-Order': '42' },
      cc: [{ email: 'cc@example.org' }],
    });
    await page.goto(`${emulator.url}/#/message/${id}/headers`);
    // the message shown before had headers too: wait for this one's
    await expect.poll(() => page.locator('#m-headers').textContent(), slow).toContain(`<${id}@`);
    const rows = await page
      .locator('#m-headers tr')
      .evaluateAll((list) => list.map((row) => [row.children[0]?.textContent, row.children[1]?.textContent]));
    const headers = Object.fromEntries(rows);
    expect(headers.subject).toBe('With headers');
    expect(headers.from).toBe('app@example.com');
    expect(headers.cc).toBe('cc@example.org');
    expect(headers['x-order']).toBe('42');
    expect(headers['mime-version']).toBe('1.0');
    expect(headers['message-id']).toBe(`<${id}@emulator.mailtrap-kit.test>`);
    expect(headers.date).toBeTruthy();
  });

  it('deletes one message and clears all, each after a confirmation', async () => {
    const confirmation = page.locator('#confirm');
    const first = await sendOne(emulator, 'Delete me');
    await sendOne(emulator, 'Keep me');
    await page.goto(`${emulator.url}/#/message/${first}`);
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Delete me');

    await page.locator('#m-delete').click();
    await expect.poll(() => confirmation.isVisible(), slow).toBe(true);
    expect(await page.locator('#confirm-text').textContent()).toBe('Delete this message from the inbox?');
    await page.locator('#confirm-no').click();
    await expect.poll(() => confirmation.isVisible(), slow).toBe(false);
    await page.waitForTimeout(300);
    expect(emulator.messages().some((message) => message.id === first)).toBe(true);

    await page.locator('#m-delete').click();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => emulator.messages().some((message) => message.id === first), slow).toBe(false);
    await expect.poll(() => page.url(), slow).toMatch(/#\/messages$/);
    await expect.poll(() => page.locator('#messages li', { hasText: 'Delete me' }).count(), slow).toBe(0);
    expect(await page.locator('#messages li', { hasText: 'Keep me' }).count()).toBe(1);

    // the Delete key asks too, and Enter confirms; the question stays while the message's HTML
    // frame loads (a window.confirm() was closed by the browser when that frame navigated)
    const second = await sendOne(emulator, 'Delete by key');
    await page.goto(`${emulator.url}/#/message/${second}`);
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Delete by key');
    await page.keyboard.press('Delete');
    await expect.poll(() => confirmation.isVisible(), slow).toBe(true);
    await page.locator('#m-html').evaluate((frame) => {
      const html = frame as unknown as { src: string };
      html.src = `${html.src}?again`;
    });
    await expect
      .poll(() => page.frames().some((frame) => frame.url().endsWith('/html?again')), slow)
      .toBe(true);
    expect(await confirmation.isVisible()).toBe(true);
    expect(emulator.messages().some((message) => message.id === second)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => emulator.messages().some((message) => message.id === second), slow).toBe(false);
    // the page goes back to the list once the emulator answered: wait for it before opening another
    await expect.poll(() => page.url(), slow).toMatch(/#\/messages$/);

    // an open message that is deleted elsewhere says so
    const third = await sendOne(emulator, 'Deleted elsewhere');
    await page.goto(`${emulator.url}/#/message/${third}`);
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Deleted elsewhere');
    expect((await http(`${emulator.url}/_emulator/messages/${third}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    await expect
      .poll(() => page.locator('#placeholder').textContent(), slow)
      .toBe('This message was deleted.');

    // Escape keeps everything, and only closes the question (not the open view)
    await page.locator('#clear-all').click();
    await expect.poll(() => confirmation.isVisible(), slow).toBe(true);
    expect(await page.locator('#confirm-text').textContent()).toContain('Delete every message in the inbox?');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirmation.isVisible(), slow).toBe(false);
    await page.waitForTimeout(300);
    expect(emulator.messages().length).toBeGreaterThan(0);
    expect(page.url()).toContain(`#/message/${third}`);
    await page.locator('#clear-all').click();
    await expect.poll(() => page.locator('#confirm-yes').textContent(), slow).toBe('Clear all');
    await page.locator('#confirm-yes').click();
    await expect.poll(() => emulator.messages().length, slow).toBe(0);
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(0);
    // Email Logs and counters stay, and the header says which is which
    expect(emulator.logs().length).toBeGreaterThan(0);
    expect(emulator.stats().messages).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('#stats').textContent(), slow)
      .toBe(
        `0 in the inbox${emulator.stats().messages} received${emulator.stats().requests} requests${emulator.stats().faults} faults`,
      );
    await sendOne(emulator, 'After clearing');
    await page.locator('#filter-text').fill('no such text anywhere');
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(0);
    // the filters narrow the list, not what the inbox holds
    await expect.poll(() => page.locator('#stats span').first().textContent(), slow).toBe('1 in the inbox');
    await page.locator('#filter-text').fill('');
  }, 120_000);

  it('lists a page at a time and loads more', async () => {
    expect((await http(`${emulator.url}/_emulator/messages`, { method: 'DELETE' })).status).toBe(200);
    const requests = Array.from({ length: 130 }, (_, index) => ({
      to: [{ email: `r${index}@example.org` }],
      subject: `Paged ${String(index).padStart(3, '0')}`,
    }));
    const batch = await http(`${emulator.endpoints.send}/api/batch`, {
      token: emulator.token,
      body: { base: { from: { email: 'app@example.com' }, text: 'x' }, requests },
    });
    expect(batch.status).toBe(200);
    await page.goto(`${emulator.url}/#/messages`);
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(100);
    expect(await page.locator('#count').textContent()).toBe('100 of 130 shown');
    expect(await page.locator('#messages li').first().textContent()).toContain('Paged 129');
    await page.locator('#load-more').click();
    await expect.poll(() => page.locator('#messages li').count(), slow).toBe(130);
    expect(await page.locator('#messages li').last().textContent()).toContain('Paged 000');
    expect(await page.locator('#load-more').isHidden()).toBe(true);
    // j / k move through the list
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Paged 129');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Paged 128');
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('#m-subject').textContent(), slow).toBe('Paged 129');
  }, 120_000);

  it('says "no such message" for an unknown id, and "deleted" for a deleted one', async () => {
    await page.goto(`${emulator.url}/#/message/not-a-message-id`);
    await expect
      .poll(() => page.locator('#placeholder').textContent(), slow)
      .toBe('No such message: no message with this id was received.');
    const unknown = await http(`${emulator.url}/_emulator/messages/not-a-message-id`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'no such message', reason: 'unknown' });
    const id = await sendOne(emulator, 'Short-lived');
    await http(`${emulator.url}/_emulator/messages/${id}`, { method: 'DELETE' });
    await page.goto(`${emulator.url}/#/message/${id}/text`);
    await expect
      .poll(() => page.locator('#placeholder').textContent(), slow)
      .toBe('This message was deleted.');
  });

  it('says "retention limit" only for a message the retention bounds dropped', async () => {
    const small = await startEmulator({ retainBodies: 2 });
    try {
      const dropped = await sendOne(small, 'Oldest');
      await sendOne(small, 'Second');
      await sendOne(small, 'Third');
      expect(small.messages().map((message) => message.subject)).toEqual(['Second', 'Third']);
      const answer = await http(`${small.url}/_emulator/messages/${dropped}/source`);
      expect(answer.status).toBe(404);
      expect(answer.body.reason).toBe('retention');
      await page.goto(`${small.url}/#/message/${dropped}`);
      await expect
        .poll(() => page.locator('#placeholder').textContent(), slow)
        .toContain('dropped by the retention limit');
    } finally {
      await small.close();
    }
  });

  it('has a favicon and loads without a failed request', async () => {
    const failed: string[] = [];
    const listener = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    };
    page.on('response', listener);
    await page.goto(`${emulator.url}/#/messages`);
    await page.waitForLoadState('networkidle').catch(() => {});
    page.off('response', listener);
    expect(failed).toEqual([]);
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/favicon.svg');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await fetch(`${emulator.url}${path}`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg /);
    }
  });

  it('shows request paths whole, breaking only after a slash', async () => {
    const id = await sendOne(emulator, 'For the requests view');
    const log = await http(`${emulator.url}/api/accounts/${emulator.accountId}/email_logs/${id}`, {
      token: emulator.token,
    });
    expect(log.status).toBe(200);
    for (const width of [1280, 420]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${emulator.url}/#/requests`);
      await expect.poll(() => page.locator('#requests tr').count(), slow).toBeGreaterThan(1);
      // each piece between two break points sits on one line: no break inside a word
      const broken = await page
        .locator('#requests td.path .segment')
        .evaluateAll((segments) =>
          segments
            .filter(
              (segment) =>
                new Set([...segment.getClientRects()].map((rect) => Math.round(rect.top))).size > 1,
            )
            .map((segment) => segment.textContent),
        );
      expect(await page.locator('#requests td.path .segment').count()).toBeGreaterThan(4);
      expect(broken, `width ${width}`).toEqual([]);
      expect(await page.locator('#requests td.path').first().textContent()).toMatch(/^GET \/api\/accounts\//);
      expect(await overflows(page), `width ${width}`).toBe(false);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('is usable at 420 px: list, then the message with a way back, no sideways scroll', async () => {
    const id = await sendOne(emulator, 'A subject long enough to need more than one line on a phone screen', {
      html: '<table width="600"><tr><td>wide newsletter</td></tr></table>',
      category: 'A category with a long name',
    });
    await page.setViewportSize({ width: 420, height: 900 });
    try {
      await page.goto(`${emulator.url}/#/messages`);
      await expect.poll(() => page.locator('#messages li').count(), slow).toBeGreaterThan(0);
      expect(await page.locator('.list-pane').isVisible()).toBe(true);
      expect(await page.locator('#view').isVisible()).toBe(false);
      expect(await overflows(page)).toBe(false);
      await page.locator('#messages li', { hasText: 'A subject long enough' }).click();
      await expect.poll(() => page.locator('#m-subject').isVisible(), slow).toBe(true);
      expect(await page.locator('.list-pane').isVisible()).toBe(false);
      expect(await page.locator('.back').isVisible()).toBe(true);
      expect(await overflows(page)).toBe(false);
      const box = await page.locator('#m-html').boundingBox();
      expect(box!.width).toBeLessThanOrEqual(420);
      expect(box!.width).toBeGreaterThan(300);
      // every view link and every message tab is on screen, none cut off or scrolled out of sight
      for (const selector of ['.views a', '#tabs [role=tab]']) {
        const links = await page.locator(selector).all();
        expect(links.length, selector).toBeGreaterThan(4);
        for (const link of links) {
          const at = await link.boundingBox();
          const name = `${selector} ${await link.textContent()}`;
          expect(at, name).not.toBeNull();
          expect(at!.x, name).toBeGreaterThanOrEqual(0);
          expect(at!.x + at!.width, name).toBeLessThanOrEqual(420);
          expect(await link.evaluate((node) => node.scrollWidth <= node.clientWidth + 1), name).toBe(true);
        }
      }
      // the actions (Download .eml, Delete) neither cover nor touch the stream and category chips
      const gap = 4;
      const chips = await page.locator('#m-badges .badge').all();
      expect(chips.length).toBe(2);
      for (const action of ['#m-eml', '#m-delete']) {
        const a = (await page.locator(action).boundingBox())!;
        for (const chip of chips) {
          const b = (await chip.boundingBox())!;
          const apart =
            a.x + a.width + gap <= b.x ||
            b.x + b.width + gap <= a.x ||
            a.y + a.height + gap <= b.y ||
            b.y + b.height + gap <= a.y;
          expect(apart, `${action} and ${await chip.textContent()}`).toBe(true);
        }
      }
      for (const tab of ['headers', 'source', 'check', 'raw']) {
        await page.goto(`${emulator.url}/#/message/${id}/${tab}`);
        await expect.poll(() => page.locator(`[data-panel=${tab}]`).isVisible(), slow).toBe(true);
        expect(await overflows(page), tab).toBe(false);
      }
      await page.locator('.back').click();
      await expect.poll(() => page.locator('.list-pane').isVisible(), slow).toBe(true);
      for (const view of ['requests', 'account', 'integration']) {
        await page.goto(`${emulator.url}/#/${view}`);
        await expect.poll(() => page.locator(`#${view}-view`).isVisible(), slow).toBe(true);
        await page.waitForTimeout(300);
        expect(await overflows(page), view).toBe(false);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }, 120_000);
});
