/**
 * Content-Security-Policy in Debian's Chromium: the widget embedded by a third-party page whose own policy allows no
 * inline style or script, and the service's own pages (demo, console) under the policy header the service sends. Every
 * page records `securitypolicyviolation` events (through an init script, which no page policy governs) and console
 * errors; none may occur.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';
import { ask, inShadow, newPage } from './support/widget.ts';

let server: RunningServer;
let browser: Browser;
let host: Server;
let hostBase: string;
const contexts: BrowserContext[] = [];

/** The host page: another origin, with the strict policy an operator of a government site might set. */
const hostPage = (service: string) => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>某区政务服务网（严格 CSP 的宿主页面）</title>
<link rel="stylesheet" href="/host.css">
</head>
<body>
<h1>某区政务服务网</h1>
<p>本页的内容安全策略不允许任何内联样式和内联脚本。</p>
<script src="${service}/widget.js" data-api="${service}" async></script>
</body>
</html>`;

const hostPolicy = (service: string) => `default-src 'self'; script-src 'self' ${service}; connect-src ${service}; style-src 'self'`;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  host = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': hostPolicy(server.base) });
      res.end(hostPage(server.base));
    } else if (req.url === '/host.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end('body { font-family: serif; margin: 40px; }');
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostBase = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await server?.stop();
});

interface Watched {
  page: Page;
  violations: () => Promise<Array<{ directive: string; blocked: string }>>;
  consoleErrors: string[];
}

/** A page that records every CSP violation and console error from its first script on. */
async function watched(url: string): Promise<Watched> {
  const { context, page } = await newPage(browser);
  contexts.push(context);
  await page.addInitScript(`
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }), true);
  `);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(url);
  return { page, consoleErrors, violations: () => page.evaluate<Array<{ directive: string; blocked: string }>>('window.__violations') };
}

describe('the widget on a host page with a strict CSP', () => {
  it('opens, asks, shows an answer with citations and its source, with no policy violation', async () => {
    const { page, violations, consoleErrors } = await watched(`${hostBase}/`);
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-panel').waitFor();
    // Its styles are in force: the launcher is fixed in the corner, the panel laid out as a column.
    expect(await inShadow<string>(page, `return getComputedStyle(root.querySelector('.la')).position;`)).toBe('fixed');
    expect(await inShadow<string>(page, `return getComputedStyle(root.querySelector('.p')).flexDirection;`)).toBe('column');

    const bubble = await ask(page, '担保费补贴标准是什么？');
    const chips = bubble.getByTestId('chat-citation');
    expect(await chips.count()).toBeGreaterThan(0);
    await chips.first().click();
    await page.getByTestId('source-quote').waitFor();
    expect(((await page.getByTestId('source-quote').textContent()) ?? '').length).toBeGreaterThan(0);

    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // The watch works: an inline <style> is what this host's policy refuses.
    await page.evaluate(`document.head.append(Object.assign(document.createElement('style'), { textContent: 'body{color:red}' }))`);
    await expect.poll(violations).toEqual([{ directive: 'style-src-elem', blocked: 'inline' }]);
  });
});

describe("the service's own pages under its policy header", () => {
  it('the demo page: styled from its stylesheet, the widget answering, no violation', async () => {
    const { page, violations, consoleErrors } = await watched(`${server.base}/`);
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(246, 241, 233)');
    await page.getByTestId('chat-launcher').click();
    const bubble = await ask(page, '信用修复平均要几天？');
    expect(await bubble.getByTestId('chat-citation').count()).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('the staff console: styled from its stylesheet, signed in and browsing the corpus, no violation', async () => {
    const { page, violations, consoleErrors } = await watched(`${server.base}/console`);
    expect(await page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor')).toBe('rgb(244, 246, 249)');
    await page.getByLabel('管理令牌').fill(ADMIN_TOKEN);
    await page.getByLabel('管理令牌').press('Enter');
    await page.locator('#app').waitFor({ state: 'visible' });
    // The corpus tab indents its outline through the CSSOM, which a policy without 'unsafe-inline' allows.
    await page.getByRole('tab', { name: '语料' }).click();
    const nested = page.locator('#outline button').nth(3);
    await nested.waitFor();
    expect(await nested.evaluate((b) => (b as unknown as { style: { paddingLeft: string } }).style.paddingLeft)).toMatch(/^\d+px$/);
    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
