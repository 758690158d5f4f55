import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, hasChromium, launchChromium } from './chromium.test-support';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

const slow = { timeout: 30_000 };

describe.runIf(hasChromium)('the web inbox shows the account in headless Chromium', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  let receiverUrl: string;
  const statuses = [500, 500, 500, 503];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(statuses.shift() ?? 200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
    emulator = await startEmulator({
      domains: [{ name: 'example.com' }, { name: 'later.test', verified: false }],
      webhookDelivery: { retryDelayMs: 50, batchWindowMs: 10 },
    });
    browser = await launchChromium();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('lists domains with DNS records and tokens, verifies one, and shows tokens, webhooks and delivery attempts', async () => {
    const hook = await http(`${emulator.url}/api/webhooks`, {
      token: emulator.token,
      body: {
        webhook: {
          url: receiverUrl,
          webhook_type: 'email_sending',
          sending_stream: 'transactional',
          event_types: ['delivery', 'bounce'],
        },
      },
    });
    expect(hook.status).toBe(200);
    await http(`${emulator.endpoints.send}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'a@example.com' },
        to: [{ email: 'bounced@simulator.mailtrap-kit.test' }],
        subject: 'Hi',
        text: 'x',
      },
    });
    await emulator.webhooksSettled();

    await page.goto(emulator.url);
    await page.locator('#show-account').click();
    const later = page.locator('.domain[data-domain="later.test"]');
    await expect.poll(() => later.count(), slow).toBe(1);
    expect(await later.textContent()).toContain('not verified');
    expect(await later.locator('tbody tr').count()).toBe(6);
    expect(await later.locator('tbody').textContent()).toContain('rwmt1._domainkey.later.test');
    expect(await later.locator('.domain-token').textContent()).toBe(
      emulator.domains.get('later.test')!.token,
    );

    await later.locator('button.verify').click();
    await expect.poll(async () => (await later.textContent()) ?? '', slow).toContain('verified');
    await expect.poll(() => later.locator('button.verify').count(), slow).toBe(0);
    expect(emulator.domains.get('later.test')!.dns_verified).toBe(true);

    expect(await page.locator('#a-tokens').textContent()).toContain('example.com sending token');
    expect(await page.locator('#a-webhooks').textContent()).toContain(receiverUrl);
    const delivery = page.locator('#a-deliveries tr.delivery').first();
    expect(await delivery.textContent()).toContain('bounce bounced@simulator.mailtrap-kit.test');
    // repeated outcomes are one entry, so a webhook retried 40 times stays one readable line
    expect(await delivery.textContent()).toContain('#1–#3 500, #4 503, #5 200');
    expect(await delivery.textContent()).toContain('delivered');
  });

  it("shows each recipient's events in the message's Events tab, live", async () => {
    const sent = await http(`${emulator.endpoints.send}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'a@example.com' },
        to: [{ email: 'clicked@simulator.mailtrap-kit.test' }, { email: 'reader@example.org' }],
        subject: 'Events please',
        html: '<a href="https://example.com/x">x</a>',
      },
    });
    await page.locator('#show-messages').click();
    await page.goto(`${emulator.url}/#/message/${sent.body.message_ids[0]}`);
    await page.locator('[data-tab=events]').click();
    const recipients = page.locator('#m-events .recipient');
    await expect.poll(() => recipients.count(), slow).toBe(2);
    expect(
      await recipients
        .first()
        .locator('.event')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-type'))),
    ).toEqual(['delivery', 'open', 'click']);
    expect(await recipients.first().textContent()).toContain('click_url: https://example.com/x');

    emulator.addEvent(sent.body.message_ids[1], { type: 'open', user_agent: 'Thunderbird/128' });
    await expect
      .poll(async () => (await recipients.nth(1).textContent()) ?? '', slow)
      .toContain('user agent: Thunderbird/128');
  });
});
