/**
 * The inbox with hostile mail, in headless Chromium: scripts never run, nothing remote loads until
 * the user asks, and the control endpoints refuse requests from a page of another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, hasChromium, launchChromium } from './chromium.test-support';
import { http } from './http.test-support';
import { type RunningEmulator, startEmulator } from './index';

const slow = { timeout: 30_000 };

/** HTML that tries every way a message can run code or reach a server, all aimed at `canary`. */
function hostileHtml(canary: string, emulator: string): string {
  return `<!doctype html><html><head>
<meta http-equiv="refresh" content="1;url=${canary}/refresh">
<link rel="stylesheet" href="${canary}/link-stylesheet.css">
<link rel="preconnect" href="${canary}"><link rel="dns-prefetch" href="${canary}"><link rel="prefetch" href="${canary}/prefetch">
<base href="${canary}/base/">
<style>
@import url("${canary}/import.css");
@font-face { font-family: Remote; src: url("${canary}/font.woff2"); }
body { background: url("${canary}/css-background.png"); font-family: Remote; }
</style>
<script src="${canary}/script-src.js"></script>
</head><body background="${canary}/body-background.png">
<p id="hostile">Hostile body</p>
<script>window.top.__pwned = 'script'; fetch('${canary}/script-fetch'); fetch('${emulator}/_emulator/reset', { method: 'POST' });</script>
<img src="${canary}/image.png" alt="tracker">
<img src="relative.png" alt="relative to base">
<img src="missing.png" onerror="window.top.__pwned = 'onerror'; fetch('${canary}/onerror')">
<img srcset="${canary}/srcset.png 1x" alt="">
<picture><source srcset="${canary}/picture-source.png"><img alt=""></picture>
<div style="background-image: url('${canary}/inline-style.png')">inline</div>
<table background="${canary}/table-background.png"><tr><td>t</td></tr></table>
<video poster="${canary}/poster.png" src="${canary}/video.mp4" autoplay></video>
<audio src="${canary}/audio.mp3" autoplay></audio>
<iframe src="${canary}/iframe"></iframe>
<object data="${canary}/object"></object>
<embed src="${canary}/embed">
<input type="image" src="${canary}/input-image.png">
<svg width="10" height="10"><image href="${canary}/svg-image.png" width="10" height="10"/></svg>
<form action="${canary}/form" method="post"><input name="a" value="b" autofocus onfocus="this.form.submit()"></form>
<a href="${canary}/link" ping="${canary}/ping">a link</a>
</body></html>`;
}

describe.runIf(hasChromium)('the inbox with hostile mail, in headless Chromium', () => {
  let emulator: RunningEmulator;
  let canary: Server;
  let canaryUrl: string;
  let canaryHits: string[] = [];
  let canaryConnections = 0;
  const sockets = new Set<Socket>();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    canary = createServer((incoming, response) => {
      canaryHits.push(incoming.url ?? '');
      if (incoming.url === '/attack.html') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(attackPage(emulator.url));
        return;
      }
      response.writeHead(200, { 'content-type': 'image/gif', 'access-control-allow-origin': '*' });
      response.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    });
    canary.on('connection', (socket) => {
      canaryConnections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
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
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => canary?.close(resolve));
  });

  beforeEach(() => {
    canaryHits = [];
    canaryConnections = 0;
  });

  it('runs no script of a message and loads nothing remote until "Load remote content"', async () => {
    const sent = await http(`${emulator.endpoints.send}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'evil@example.com' },
        to: [{ email: 'victim@example.org' }],
        subject: 'Hostile',
        text: 'x',
        html: hostileHtml(canaryUrl, emulator.url),
      },
    });
    expect(sent.status).toBe(200);
    const id = sent.body.message_ids[0];

    await page.goto(`${emulator.url}/#/message/${id}`);
    const frame = page.frameLocator('#m-html');
    await expect.poll(() => frame.locator('#hostile').textContent(), slow).toBe('Hostile body');
    await expect.poll(() => page.locator('#m-remote').textContent(), slow).toBe('Load remote content');
    // time for a meta refresh, autoplay, lazy loads and preconnects to happen if they could
    await page.waitForTimeout(2500);
    expect(canaryHits).toEqual([]);
    expect(canaryConnections).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(emulator.messages()).toHaveLength(1);
    expect(await page.locator('#m-html').getAttribute('sandbox')).not.toContain('allow-scripts');

    // The user asks: images, stylesheets and fonts load; scripts, frames, plugins, forms still do not.
    await page.locator('#m-remote').click();
    await expect.poll(() => page.locator('#m-remote').getAttribute('aria-pressed'), slow).toBe('true');
    await expect.poll(() => canaryHits.includes('/image.png'), slow).toBe(true);
    await expect.poll(() => canaryHits.includes('/link-stylesheet.css'), slow).toBe(true);
    await expect.poll(() => canaryHits.includes('/import.css'), slow).toBe(true);
    await page.waitForTimeout(1500);
    for (const path of [
      '/script-src.js',
      '/script-fetch',
      '/onerror',
      '/iframe',
      '/object',
      '/embed',
      '/form',
      '/refresh',
      '/base/relative.png',
      '/video.mp4',
      '/audio.mp3',
    ]) {
      expect(canaryHits, path).not.toContain(path);
    }
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(emulator.messages()).toHaveLength(1);

    // Blocked again for the next load.
    await page.locator('#m-remote').click();
    await expect.poll(() => page.locator('#m-remote').getAttribute('aria-pressed'), slow).toBe('false');
    expect(await page.locator('#m-html').getAttribute('src')).not.toContain('remote=1');
  }, 120_000);

  it('refuses the control endpoints to a page of another loopback origin', async () => {
    await http(`${emulator.endpoints.send}/api/send`, {
      token: emulator.token,
      body: {
        from: { email: 'a@example.com' },
        to: [{ email: 'b@example.org' }],
        subject: 'kept',
        text: 'x',
      },
    });
    const kept = emulator.messages().length;
    expect(kept).toBeGreaterThan(0);
    const statuses: Array<{ url: string; status: number }> = [];
    page.on('response', (response) => {
      if (response.url().startsWith(emulator.url))
        statuses.push({ url: response.url(), status: response.status() });
    });
    // the attacker's page: 127.0.0.1 on another port (same site, another origin)
    await page.goto(`${canaryUrl}/attack.html`);
    await expect.poll(() => page.evaluate(() => (globalThis as { done?: number }).done), slow).toBe(5);
    await page.waitForTimeout(500);
    expect(emulator.messages()).toHaveLength(kept);
    expect(emulator.faults.active()).toEqual([]);
    expect(emulator.faults.history()).toEqual([]);
    expect(emulator.domains.get('pending.example')).toBeUndefined();
    const simple = statuses.filter((entry) => !entry.url.includes('/faults/'));
    expect(simple.length).toBeGreaterThanOrEqual(3);
    expect(simple.every((entry) => entry.status === 403)).toBe(true);

    // The same requests from the inbox's own origin do what they say (so the refusal is the check).
    await page.goto(emulator.url);
    await page.evaluate(async () => {
      await fetch('/_emulator/faults', { method: 'POST', body: JSON.stringify({ kind: 'server_error' }) });
      await fetch('/_emulator/messages', { method: 'DELETE' });
    });
    expect(emulator.faults.active()).toHaveLength(1);
    expect(emulator.messages()).toHaveLength(0);
    emulator.faults.clear();
  }, 120_000);

  it('answers a foreign Origin or Sec-Fetch-Site with 403, and tools without them as usual', async () => {
    const foreign = await http(`${emulator.url}/_emulator/messages`, {
      method: 'DELETE',
      headers: { origin: 'http://127.0.0.1:1' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toContain('http://127.0.0.1:1');
    const sameSite = await http(`${emulator.url}/_emulator/reset`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(sameSite.status).toBe(403);
    expect(sameSite.body.error).toContain('Sec-Fetch-Site: same-site');
    const crossSite = await http(`${emulator.url}/_emulator/faults`, {
      body: { kind: 'server_error' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const tool = await http(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect(tool.status).toBe(200);
    const own = await http(`${emulator.url}/_emulator/faults`, {
      method: 'DELETE',
      headers: { 'sec-fetch-site': 'same-origin', origin: emulator.url },
    });
    expect(own.status).toBe(200);
  });
});

/** A page of another origin that tries the control API: simple requests, a form and a preflighted DELETE. */
function attackPage(target: string): string {
  return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="form" method="post" action="${target}/_emulator/reset" target="sink"></form>
<script>
window.done = 0;
function settle() { window.done++; }
fetch('${target}/_emulator/faults', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ kind: 'server_error' }) }).then(settle, settle);
fetch('${target}/_emulator/messages', { method: 'DELETE' }).then(settle, settle);
fetch('${target}/_emulator/domains', { method: 'POST', mode: 'no-cors', body: JSON.stringify({ name: 'pending.example' }) }).then(settle, settle);
fetch('${target}/_emulator/reset', { method: 'POST', mode: 'no-cors' }).then(settle, settle);
document.getElementById('form').submit();
settle();
</script></body></html>`;
}
