/**
 * The chat widget's answer features (issue 15), in Debian's Chromium against the real server:
 * citation chips while streaming, distinct source labels, links, a conversation kept across reloads,
 * copy / stop / retry, follow-up suggestions, touch targets and scroll lock on a phone, the question kept
 * in view, the launcher's label and the track recommendation cards.
 * Takes the screenshots widget-restored-desktop.png, widget-retry-mobile.png and widget-tracks-desktop.png (docs/images/ with npm run screenshots).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citation } from '../../src/answer/types.ts';
import { IMAGES } from './support/images.ts';
import { launchBrowser, startServer, type RunningServer } from './support/server.ts';
import { activeTestId, ask, inShadow, newPage } from './support/widget.ts';

// Browser globals, for the functions these tests run inside the page (page.evaluate); the tests' own tsconfig has no DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
declare const navigator: any;
declare const document: any;
declare const window: any;
declare const getComputedStyle: any;
type HTMLElement = any;

const STORE = 'lnPolicyChat.conversationId';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(IMAGES, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.stop();
});

interface Demo {
  page: Page;
  context: BrowserContext;
  errors: string[];
  requests: string[];
}

const PHONE = { width: 390, height: 844, mobile: true };

async function openDemo(options: { width?: number; height?: number; mobile?: boolean } = {}): Promise<Demo> {
  const { context, page } = await newPage(browser, options);
  contexts.push(context);
  const demo: Demo = { page, context, errors: [], requests: [] };
  page.on('pageerror', (e) => demo.errors.push(e.message));
  page.on('request', (r) => demo.requests.push(r.url()));
  await page.goto(`${server.base}/`);
  await page.getByTestId('chat-launcher').waitFor();
  return demo;
}

interface Stored {
  conversationId: string;
  messages: Array<{ messageId: string; question: string; answer: string; citations: Citation[] }>;
}
async function conversation(id: string): Promise<Stored> {
  const res = await fetch(`${server.base}/api/conversations/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Stored;
}
const storedId = (page: Page) => page.evaluate((key) => localStorage.getItem(key), STORE);

/** The label a citation chip must carry: title › section › the quote's first 12 characters. */
const label = (c: Citation) => {
  const q = [...c.quote];
  return `${c.title} › ${c.section} › ${q.length > 12 ? q.slice(0, 12).join('') + '…' : c.quote}`;
};

const sse = (events: Array<[string, unknown]>) => events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('');
const fulfillSse = (route: Route, events: Array<[string, unknown]>) =>
  route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: sse(events) });
/** Splits text into pieces of `size` characters, as the extractive mode streams it. */
const pieces = (text: string, size: number) => [...text].reduce<string[]>((out, ch, i) => (i % size ? (out[out.length - 1] += ch) : out.push(ch), out), []);

const SECTION = '若干举措 › 操作指南 › 十、高效办成信用修复“一件事” › 操作路径';
const C1: Citation = { n: 1, docId: 'liaoning-measures-2025', title: '辽宁省金融支持民营经济发展若干举措', section: SECTION, quote: '企业可根据严重失信主体、行政处罚、异常经营名录等不同的修复需求', start: 0, end: 31 };
const C2: Citation = { n: 2, docId: 'liaoning-measures-2025', title: '辽宁省金融支持民营经济发展若干举措', section: SECTION, quote: '也可到当地政务服务中心线下窗口办理', start: 40, end: 57 };

interface Frame {
  text: string;
  chips: Array<{ n: string; pending: boolean; title: string | null; tag: string }>;
  qTop: number;
  qBottom: number;
  logHeight: number;
  scrollTop: number;
  max: number;
}
/** Records the last answer bubble at every change while it streams. */
async function recordStreaming(page: Page) {
  await inShadow(page, `
    window.__frames = [];
    new MutationObserver(() => {
      const b = [...root.querySelectorAll('[data-testid="chat-answer"]')].pop();
      if (!b || b.dataset.state !== 'streaming' || b.querySelector('.wait')) return;
      const t = b.querySelector('.t');
      const log = root.querySelector('[data-testid="chat-messages"]');
      const q = [...root.querySelectorAll('[data-testid="chat-question"]')].pop();
      const lr = log.getBoundingClientRect(), qr = q.getBoundingClientRect();
      window.__frames.push({
        text: t.textContent,
        chips: [...t.querySelectorAll('[data-testid="chat-citation"]')].map((c) => ({ n: c.dataset.n, pending: c.hasAttribute('data-pending'), title: c.getAttribute('title'), tag: c.localName })),
        qTop: qr.top - lr.top, qBottom: qr.bottom - lr.top, logHeight: lr.height, scrollTop: log.scrollTop, max: log.scrollHeight - log.clientHeight,
      });
    }).observe(root, { subtree: true, childList: true, characterData: true });`);
}
const frames = (page: Page) => page.evaluate(() => (globalThis as unknown as { __frames: Frame[] }).__frames);

describe('chat widget: citations while streaming', () => {
  it('renders split [n] markers as pending chips at once and fills them from `done` (extractive mode)', async () => {
    const { page, errors } = await openDemo();
    const answer = '信用修复可以在线办理，平均修复时间6天[1]。也可到政务服务中心线下窗口办理，咨询电话024-31318629[2]。';
    const tokens = pieces(answer, 2);
    // Markers really are split across tokens.
    expect(tokens.filter((t) => /\[\d*$/.test(t)).length).toBe(2);
    await page.route('**/api/ask', (route) =>
      fulfillSse(route, [
        ...tokens.map((text): [string, unknown] => ['token', { text }]),
        ['done', { answer, answerable: true, citations: [C1, C2], conversationId: 'c-mock', messageId: 'm-mock', mode: 'extractive' }],
      ]),
    );
    await page.getByTestId('chat-launcher').click();
    await recordStreaming(page);
    const bubble = await ask(page, '被处罚了怎么修复信用？');

    const seen = await frames(page);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    // Never a raw marker, not even half of one.
    for (const f of seen) expect(f.text).not.toMatch(/[[\]]/);
    // A marker whose citation is not known yet is a pending chip while streaming.
    const pending = seen.filter((f) => f.chips.some((c) => c.pending));
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(pending[0].chips[0]).toMatchObject({ n: '1', pending: true });
    // The text grew while streaming.
    expect(seen[0].text.length).toBeLessThan(seen[seen.length - 1].text.length);

    // `done` fills them in: real chips, labelled by document › section › quote.
    const chips = bubble.getByTestId('chat-citation');
    expect(await chips.count()).toBe(2);
    expect(await bubble.locator('[data-pending]').count()).toBe(0);
    expect(await chips.nth(0).getAttribute('title')).toBe(label(C1));
    expect(await chips.nth(1).getAttribute('title')).toBe(label(C2));
    expect((await bubble.locator('.t').textContent()) ?? '').not.toMatch(/[[\]]/);
    expect(errors).toEqual([]);
  });

  it('shows chips from token citations at once in LLM mode, and `done` stays authoritative', async () => {
    const { page, errors } = await openDemo();
    const s1 = '信用修复可以在线办理，平均修复时间6天[1]。';
    const s2 = '也可到政务服务中心线下窗口办理[2]。';
    const final1 = { ...C1, quote: '平均修复时间6天，最快仅需3天' };
    await page.route('**/api/ask', (route) =>
      fulfillSse(route, [
        ['token', { text: s1, citations: [C1] }],
        ['token', { text: s2, citations: [C2] }],
        ['done', { answer: s1 + s2, answerable: true, citations: [final1, C2], conversationId: 'c-mock', messageId: 'm-mock', mode: 'llm' }],
      ]),
    );
    await page.getByTestId('chat-launcher').click();
    await recordStreaming(page);
    const bubble = await ask(page, '被处罚了怎么修复信用？');
    const seen = await frames(page);
    const withChip = seen.filter((f) => f.chips.length);
    expect(withChip.length).toBeGreaterThanOrEqual(1);
    for (const f of seen) {
      expect(f.text).not.toMatch(/[[\]]/);
      // Known from the token: a real, clickable chip straight away.
      for (const c of f.chips) expect(c).toMatchObject({ pending: false, tag: 'button' });
    }
    expect(withChip[0].chips[0].title).toBe(label(C1));
    // The final render uses the `done` citations.
    expect(await bubble.getByTestId('chat-citation').first().getAttribute('title')).toBe(label(final1));
    expect(errors).toEqual([]);
  });
});

describe('chat widget: answers', () => {
  it('labels citations from the same section apart, with the quote’s first words', async () => {
    const { page } = await openDemo();
    await page.getByTestId('chat-launcher').click();
    const bubble = await ask(page, '担保200万、费率0.8%，能拿多少担保费补贴？');
    const { messages } = await conversation((await storedId(page))!);
    const cites = messages[0].citations;
    // This answer cites one section twice: the labels still differ.
    const sections = cites.map((c) => `${c.docId}|${c.section}`);
    expect(new Set(sections).size).toBeLessThan(sections.length);
    const titles: Record<string, string | null> = {};
    for (const chip of await bubble.getByTestId('chat-citation').all()) titles[(await chip.getAttribute('data-n'))!] = await chip.getAttribute('title');
    for (const c of cites) expect(titles[String(c.n)]).toBe(label(c));
    expect(new Set(cites.map(label)).size).toBe(cites.length);
    // The source list under the answer says the same.
    expect(await bubble.getByTestId('chat-source').allTextContents()).toEqual(cites.map((c) => `${c.n}${label(c)}`));
  });

  it('turns web addresses and phone numbers into links built as elements', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    // Real data: the credit-repair answer names a website and a phone number.
    const real = await ask(page, '企业被行政处罚了，怎么做信用修复？');
    const site = real.getByTestId('chat-link').first();
    expect(await site.getAttribute('href')).toBe('https://xyln.ln.gov.cn');
    expect(await site.getAttribute('target')).toBe('_blank');
    expect(await site.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await real.getByTestId('chat-tel').first().getAttribute('href')).toBe('tel:02431318629');

    const answer = '详见 https://xyln.ln.gov.cn/a?b=1。热线400-123-4567，手机13912345678，座机024-12345678；javascript:alert(1) 与 ftp://example.com 不是链接，金额20000000000元也不是[1]。';
    await page.route('**/api/ask', (route) =>
      fulfillSse(route, [
        ['token', { text: answer }],
        ['done', { answer, answerable: true, citations: [C1], conversationId: 'c-mock', messageId: 'm-mock', mode: 'extractive' }],
      ]),
    );
    const bubble = await ask(page, '有网址和电话吗？');
    const links = bubble.getByTestId('chat-link');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://xyln.ln.gov.cn/a?b=1');
    expect(await links.first().textContent()).toBe('https://xyln.ln.gov.cn/a?b=1');
    const tels = await bubble.getByTestId('chat-tel').evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    expect(tels).toEqual(['tel:4001234567', 'tel:13912345678', 'tel:02412345678']);
    expect(await bubble.locator('a[href^="javascript"], a[href^="ftp"]').count()).toBe(0);
    // The text reads the same, markers aside.
    expect(await bubble.locator('.t').textContent()).toBe(answer.replace('[1]', '1'));
    expect(demo.errors).toEqual([]);
  });

  it('keeps the conversation across reloads, and starts a new one on request', async () => {
    const { page } = await openDemo();
    const bodies: Array<{ question: string; conversationId?: string }> = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/ask')) bodies.push(r.postDataJSON() as { question: string; conversationId?: string });
    });
    await page.getByTestId('chat-launcher').click();
    await ask(page, '在线测额最高能测多少？');
    const id = await storedId(page);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // Reload: the history comes back from GET /api/conversations/:id.
    let restored = page.waitForResponse((r) => r.url().endsWith(`/api/conversations/${id}`));
    await page.reload();
    expect((await restored).status()).toBe(200);
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-question').first().waitFor();
    expect(await page.getByTestId('chat-question').allTextContents()).toEqual(['在线测额最高能测多少？']);
    const old = page.getByTestId('chat-answer').first();
    expect(await old.getAttribute('data-restored')).toBe('true');
    expect(await old.textContent()).toContain('300万元');
    expect(await old.getByTestId('chat-citation').count()).toBeGreaterThanOrEqual(1);
    expect(await old.getByTestId('chat-feedback-up').count()).toBe(1);

    // The next question continues that conversation.
    await ask(page, '测额之后怎么申请贷款？');
    expect(bodies.at(-1)).toEqual({ question: '测额之后怎么申请贷款？', conversationId: id });
    restored = page.waitForResponse((r) => r.url().endsWith(`/api/conversations/${id}`));
    await page.reload();
    await restored;
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-question').nth(1).waitFor();
    expect(await page.getByTestId('chat-question').allTextContents()).toEqual(['在线测额最高能测多少？', '测额之后怎么申请贷款？']);
    await page.screenshot({ path: join(IMAGES, 'widget-restored-desktop.png'), scale: 'css', animations: 'disabled', clip: { x: 840, y: 30, width: 440, height: 770 } });

    // 「新对话」, by keyboard: the history is cleared and forgotten.
    await page.getByTestId('chat-new').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('chat-question').count()).toBe(0);
    expect(await page.getByTestId('chat-suggestion').count()).toBe(5);
    expect(await storedId(page)).toBeNull();
    expect(await activeTestId(page)).toBe('chat-input');
    await ask(page, '在线测额最高能测多少？');
    expect(bodies.at(-1)).toEqual({ question: '在线测额最高能测多少？' });
    const fresh = await storedId(page);
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh).not.toBe(id);

    // An id the server does not know: a fresh start, and the id is dropped.
    await page.evaluate((key) => localStorage.setItem(key, '00000000-0000-7000-8000-000000000000'), STORE);
    const unknown = page.waitForResponse((r) => r.url().includes('/api/conversations/00000000'));
    await page.reload();
    expect((await unknown).status()).toBe(404);
    await page.waitForFunction((key) => localStorage.getItem(key) === null, STORE);
    await page.getByTestId('chat-launcher').click();
    expect(await page.getByTestId('chat-question').count()).toBe(0);
    await ask(page, '在线测额最高能测多少？');
    expect(bodies.at(-1)).toEqual({ question: '在线测额最高能测多少？' });
  });

  it('shows the newest restored answer’s follow-up suggestions after a reload, and one asks when clicked', async () => {
    const { page, errors } = await openDemo();
    const bodies: Array<{ question: string; conversationId?: string }> = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/ask')) bodies.push(r.postDataJSON() as { question: string; conversationId?: string });
    });
    await page.getByTestId('chat-launcher').click();
    await ask(page, '担保200万、费率0.8%，能拿多少担保费补贴？');
    const live = await (await ask(page, '在线测额最高能测多少？')).getByTestId('chat-suggestion').allTextContents();
    const id = (await storedId(page))!;
    // The server gives them back with the newest message only.
    const stored = (await conversation(id)).messages as Array<{ suggestions?: string[] }>;
    expect(stored[0].suggestions).toBeUndefined();
    const offered = stored[1].suggestions ?? [];
    expect(offered.length).toBeGreaterThanOrEqual(2);
    expect(live).toEqual(offered.slice(0, 3));

    const restored = page.waitForResponse((r) => r.url().endsWith(`/api/conversations/${id}`));
    await page.reload();
    await restored;
    await page.getByTestId('chat-launcher').click();
    const answers = page.getByTestId('chat-history').getByTestId('chat-answer');
    await answers.nth(1).waitFor();
    // Under the last restored answer, as after a live one; not under the earlier one.
    expect(await answers.nth(0).getByTestId('chat-suggestion').count()).toBe(0);
    const suggestions = answers.nth(1).getByTestId('chat-suggestion');
    expect(await suggestions.allTextContents()).toEqual(offered.slice(0, 3));
    expect(await answers.nth(1).getByRole('group', { name: '您可能还想问' }).isVisible()).toBe(true);

    await suggestions.nth(1).click();
    const next = page.getByTestId('chat-answer').nth(2);
    await next.and(page.locator('[data-state="done"]')).waitFor();
    expect(await page.getByTestId('chat-question').last().textContent()).toBe(offered[1]);
    expect(bodies.at(-1)).toEqual({ question: offered[1], conversationId: id });
    // Asked: the restored answer no longer offers them.
    expect(await answers.nth(1).getByTestId('chat-suggestion').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('copies the answer text', async () => {
    const { page, context } = await openDemo();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await page.getByTestId('chat-launcher').click();
    const bubble = await ask(page, '在线测额最高能测多少？');
    const { messages } = await conversation((await storedId(page))!);
    await bubble.getByTestId('chat-copy').click();
    await bubble.getByTestId('chat-copy').getByText('已复制').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(messages[0].answer.replace(/\[\d+\]/g, ''));
    expect(copied).toContain('300万元');
  });

  it('stops a streaming answer: the fetch is aborted, by keyboard too', async () => {
    const { page, errors } = await openDemo();
    await page.getByTestId('chat-launcher').click();
    const failed: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().endsWith('/api/ask')) failed.push(r.failure()?.errorText ?? '');
    });
    // A server that never answers: only aborting the fetch ends the wait.
    await page.route('**/api/ask', () => {});
    await page.getByTestId('chat-input').fill('在线测额最高能测多少？');
    await page.getByTestId('chat-input').press('Enter');
    await page.getByTestId('chat-stop').waitFor();
    expect(await page.getByTestId('chat-send').isVisible()).toBe(false);
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('chat-stop');
    await page.keyboard.press('Enter');
    const stopped = page.getByTestId('chat-answer').first();
    await stopped.and(page.locator('[data-state="stopped"]')).waitFor();
    expect(await stopped.getByTestId('chat-stopped').textContent()).toContain('已停止');
    await expect.poll(() => failed.length).toBe(1);
    expect(failed[0]).toMatch(/abort/i);
    expect(await page.getByTestId('chat-send').isVisible()).toBe(true);
    expect(await page.getByTestId('chat-stop').isVisible()).toBe(false);
    expect(await activeTestId(page)).toBe('chat-input');
    await page.unrouteAll({ behavior: 'ignoreErrors' });

    // Mid-stream: the text shown so far stays, the rest never comes.
    const question = '企业被行政处罚了，怎么做信用修复？';
    await page.getByTestId('chat-input').fill(question);
    await page.getByTestId('chat-input').press('Enter');
    const bubble = page.getByTestId('chat-answer').nth(1);
    await bubble.locator('.t').filter({ hasText: '信用' }).waitFor();
    await page.getByTestId('chat-stop').click();
    await bubble.and(page.locator('[data-state="stopped"]')).waitFor();
    const { messages } = await conversation((await storedId(page))!);
    const shown = (await bubble.locator('.t').textContent()) ?? '';
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(messages.at(-1)!.answer.length - 20);
    expect(await bubble.getByTestId('chat-feedback-up').count()).toBe(0);
    // And the chat goes on.
    expect(await (await ask(page, '在线测额最高能测多少？')).textContent()).toContain('300万元');
    expect(errors).toEqual([]);
  });

  it('drops the still-pending citation chips of a stopped answer, says it is incomplete, and 重试 asks again', async () => {
    const { page, errors } = await openDemo();
    // A stream that sends three tokens and then stalls until the fetch is aborted: [1] comes with its citation
    // (a real chip at once), [2] without (pending until `done`, which never comes), then half a marker.
    await page.addInitScript(`
      window.__stall = true;
      const real = window.fetch;
      window.fetch = (url, init) => {
        if (!window.__stall || !String(url).endsWith('/api/ask')) return real(url, init);
        const signal = init && init.signal;
        const events = ${JSON.stringify(
          sse([
            ['token', { text: '信用修复可以在线办理[1]。', citations: [C1] }],
            ['token', { text: '也可到政务服务中心线下窗口办理[2]。' }],
            ['token', { text: '咨询电话[' }],
          ]),
        )};
        const body = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(events));
            signal && signal.addEventListener('abort', () => controller.error(new DOMException('The user aborted a request.', 'AbortError')));
          },
        });
        return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } }));
      };`);
    await page.reload();
    await page.getByTestId('chat-launcher').click();
    const question = '企业被行政处罚了，怎么做信用修复？';
    await page.getByTestId('chat-input').fill(question);
    await page.getByTestId('chat-input').press('Enter');
    const bubble = page.getByTestId('chat-answer').first();
    await bubble.locator('[data-pending="true"]').waitFor();
    expect(await bubble.locator('button[data-testid="chat-citation"][data-n="1"]').count()).toBe(1);
    await bubble.locator('.t').filter({ hasText: '咨询电话' }).waitFor(); // the paced text has caught up with the stalled stream
    await page.getByTestId('chat-stop').click();

    await bubble.and(page.locator('[data-state="stopped"]')).waitFor();
    // No chip is left waiting for a confirmation that will not come; the one the token brought stays.
    expect(await bubble.locator('[data-pending]').count()).toBe(0);
    expect(await bubble.getByTestId('chat-citation').evaluateAll((els) => els.map((e) => [e.localName, e.getAttribute('data-n')]))).toEqual([['button', '1']]);
    // The text shown stays, without raw or half markers, and is marked as cut short.
    expect(await bubble.locator('.t').textContent()).toBe('信用修复可以在线办理1。也可到政务服务中心线下窗口办理。咨询电话');
    expect(await bubble.getByTestId('chat-stopped').textContent()).toBe('已停止回答，以上内容不完整。');
    expect(await bubble.getByTestId('chat-feedback-up').count()).toBe(0);
    expect(await activeTestId(page)).toBe('chat-input');

    // 重试, by keyboard: the stopped exchange gives way to the full answer, with its confirmed sources.
    await page.evaluate(() => (window.__stall = false));
    await bubble.getByTestId('chat-retry').focus();
    await page.keyboard.press('Enter');
    const answer = page.getByTestId('chat-answer').first();
    await answer.and(page.locator('[data-state="done"]')).waitFor();
    expect(await page.getByTestId('chat-question').allTextContents()).toEqual([question]);
    expect(await page.getByTestId('chat-stopped').count()).toBe(0);
    expect(await answer.locator('[data-pending]').count()).toBe(0);
    expect(await answer.getByTestId('chat-citation').count()).toBeGreaterThanOrEqual(1);
    expect(await answer.getByTestId('chat-source').count()).toBeGreaterThanOrEqual(1);
    expect(await answer.textContent()).toContain('信用修复');
    expect(errors).toEqual([]);
  });

  it('offers a retry after 429, 5xx and network errors, re-sending the kept question', async () => {
    const { page } = await openDemo(PHONE);
    await page.getByTestId('chat-launcher').click();
    const sent: string[] = [];
    const failures: Array<(route: Route) => Promise<void>> = [
      (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂时不可用，请稍后再试。' } }) }),
      (route) => route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试。' } }) }),
      (route) => route.abort('internetdisconnected'),
    ];
    await page.route('**/api/ask', async (route) => {
      sent.push((route.request().postDataJSON() as { question: string }).question);
      const fail = failures.shift();
      await (fail ? fail(route) : route.continue());
    });
    const question = '在线测额最高能测多少？';
    await page.getByTestId('chat-input').fill(question);
    await page.getByTestId('chat-input').press('Enter');
    for (const expected of ['服务暂时不可用', '请求过于频繁', '网络']) {
      const error = page.getByTestId('chat-error');
      await error.waitFor();
      expect(await error.textContent()).toContain(expected);
      // The typed question is kept.
      expect(await page.getByTestId('chat-input').inputValue()).toBe(question);
      if (expected === '服务暂时不可用') await page.screenshot({ path: join(IMAGES, 'widget-retry-mobile.png'), scale: 'css', animations: 'disabled' });
      // Retry, by keyboard.
      await page.getByTestId('chat-retry').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('chat-answer').or(page.getByTestId('chat-error')).first().waitFor();
    }
    const answer = page.getByTestId('chat-answer');
    await answer.and(page.locator('[data-state="done"]')).waitFor();
    expect(await answer.textContent()).toContain('300万元');
    expect(sent).toEqual([question, question, question, question]);
    // One question, one answer, no leftover errors; the input is empty again.
    expect(await page.getByTestId('chat-question').allTextContents()).toEqual([question]);
    expect(await page.getByTestId('chat-error').count()).toBe(0);
    expect(await page.getByTestId('chat-input').inputValue()).toBe('');

    // A rejected question (400) is not worth retrying.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.route('**/api/ask', (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_request', message: '问题不能为空。' } }) }),
    );
    await page.getByTestId('chat-input').fill('？');
    await page.getByTestId('chat-input').press('Enter');
    await page.getByTestId('chat-error').waitFor();
    expect(await page.getByTestId('chat-retry').count()).toBe(0);
  });

  it('shows follow-up suggestions that ask when clicked, and none when the answer has none', async () => {
    const { page } = await openDemo();
    const bodies: Array<{ question: string; conversationId?: string }> = [];
    let suggestions: string[] = [];
    let drop = false;
    // Whatever the server sends, the answer carries 2–3 suggestions here (or none, when `drop`).
    await page.route('**/api/ask', async (route) => {
      bodies.push(route.request().postDataJSON() as { question: string; conversationId?: string });
      const res = await route.fetch();
      const body = (await res.text()).replace(/event: done\ndata: (.*)\n/, (_, json: string) => {
        const done = JSON.parse(json) as { suggestions?: string[] };
        if (drop) delete done.suggestions;
        else if (!done.suggestions?.length) done.suggestions = ['担保费补贴怎么申请？', '补贴比例是多少？'];
        suggestions = done.suggestions ?? [];
        return `event: done\ndata: ${JSON.stringify(done)}\n`;
      });
      await route.fulfill({ response: res, body });
    });
    await page.getByTestId('chat-launcher').click();
    const first = await ask(page, '担保200万、费率0.8%，能拿多少担保费补贴？');
    const offered = first.getByTestId('chat-suggestion');
    expect(suggestions.length).toBeGreaterThanOrEqual(2);
    expect(await offered.allTextContents()).toEqual(suggestions.slice(0, 3));

    // Keyboard: Enter on a suggestion asks it, in the same conversation.
    const pick = suggestions[0];
    await offered.first().focus();
    await page.keyboard.press('Enter');
    const second = page.getByTestId('chat-answer').nth(1);
    await second.and(page.locator('[data-state="done"]')).waitFor();
    expect(await page.getByTestId('chat-question').last().textContent()).toBe(pick);
    expect(bodies[1]).toEqual({ question: pick, conversationId: bodies[1].conversationId });
    expect(bodies[1].conversationId).toEqual(await storedId(page));
    expect(await activeTestId(page)).toBe('chat-input'); // focus went to 停止 while it answered, then back to the input
    // Only the latest answer offers suggestions.
    expect(await first.getByTestId('chat-suggestion').count()).toBe(0);

    drop = true;
    const third = await ask(page, '在线测额最高能测多少？');
    expect(await third.getByTestId('chat-suggestion').count()).toBe(0);
    expect(await page.getByTestId('chat-messages').locator('.fu').count()).toBe(0);
  });

  for (const size of [{ name: 'desktop', width: 1280, height: 800 }, { name: 'phone', ...PHONE }]) {
    it(`keeps the question in view while a long answer streams (${size.name})`, async () => {
      const { page } = await openDemo(size);
      await page.getByTestId('chat-launcher').click();
      await ask(page, '在线测额最高能测多少？');
      const long = Array.from({ length: 40 }, (_, i) => `第${i + 1}点：这是一段较长的回答，用来检查回答流式显示时提问是否一直留在视野里。`).join('\n') + '[1]';
      await page.route('**/api/ask', (route) =>
        fulfillSse(route, [
          ...pieces(long, 8).map((text): [string, unknown] => ['token', { text }]),
          ['done', { answer: long, answerable: true, citations: [C1], conversationId: 'c-mock', messageId: 'm-mock', mode: 'extractive' }],
        ]),
      );
      await recordStreaming(page);
      await ask(page, '请详细说说');
      const seen = await frames(page);
      expect(seen.length).toBeGreaterThan(5);
      // The answer outgrows the message list...
      expect(seen.at(-1)!.max).toBeGreaterThan(seen.at(-1)!.logHeight);
      // ...but the question never leaves the view, and the list followed the answer down to it.
      for (const f of seen) {
        expect(f.qTop).toBeGreaterThanOrEqual(0);
        expect(f.qBottom).toBeLessThanOrEqual(f.logHeight);
      }
      expect(seen.at(-1)!.qTop).toBeLessThan(40);
      const end = await inShadow<{ scrollTop: number; max: number; qTop: number }>(page, `
        const log = root.querySelector('[data-testid="chat-messages"]');
        const q = [...root.querySelectorAll('[data-testid="chat-question"]')].pop();
        return { scrollTop: log.scrollTop, max: log.scrollHeight - log.clientHeight, qTop: q.getBoundingClientRect().top - log.getBoundingClientRect().top };`);
      expect(end.qTop).toBeGreaterThanOrEqual(0);
      expect(end.qTop).toBeLessThan(40);
      // Not scrolled to the bottom.
      expect(end.scrollTop).toBeLessThan(end.max - 100);
    });
  }
});

describe('chat widget on a phone', () => {
  /** Every visible control in the panel, with its size. */
  async function smallTargets(page: Page) {
    const out: string[] = [];
    const controls = page.getByTestId('chat-panel').locator('button:visible, a:visible, input:visible, textarea:visible, [data-testid="chat-citation"]:visible');
    const count = await controls.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const el = controls.nth(i);
      const box = await el.boundingBox();
      if (!box) continue;
      if (box.width < 44 - 0.01 || box.height < 44 - 0.01)
        out.push(`${(await el.getAttribute('data-testid')) ?? (await el.evaluate((e) => e.localName + ':' + e.textContent))} ${box.width}×${box.height}`);
    }
    return { count, small: out };
  }

  it('gives every control and chip a 44×44 touch area, shows the launcher’s label, and locks the page’s scroll', async () => {
    const { page, errors } = await openDemo(PHONE);
    // The launcher says what it is.
    const launcher = page.getByTestId('chat-launcher');
    expect(await launcher.textContent()).toBe('政策问答');
    expect(await launcher.getByText('政策问答').isVisible()).toBe(true);
    const lb = (await launcher.boundingBox())!;
    expect(lb.height).toBeGreaterThanOrEqual(44);
    expect(lb.x + lb.width).toBeLessThanOrEqual(390);

    // The host page scrolls before the panel opens.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(844 + 400);
    await page.evaluate(() => window.scrollTo(0, 300));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(300);
    await launcher.click();
    await page.getByTestId('chat-panel').waitFor();
    await page.waitForTimeout(250);

    const answer = await ask(page, '企业被行政处罚了，怎么做信用修复？');
    expect(await answer.getByTestId('chat-citation').count()).toBeGreaterThanOrEqual(1);
    expect(await answer.getByTestId('chat-tel').count()).toBeGreaterThanOrEqual(1);
    let targets = await smallTargets(page);
    expect(targets.small).toEqual([]);
    expect(targets.count).toBeGreaterThan(15);

    // Scrolling inside the panel (touch and wheel), and on its header, leaves the page where it was.
    const cdp = await page.context().newCDPSession(page);
    const swipe = async (x: number, from: number, to: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: from }] });
      for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: from + ((to - from) * i) / 10 }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(250);
    };
    const listTop = () => inShadow<number>(page, `return root.querySelector('[data-testid="chat-messages"]').scrollTop;`);
    const before = await listTop();
    await swipe(195, 700, 150);
    expect(await listTop()).toBeGreaterThan(before); // the list did scroll
    for (let i = 0; i < 6; i++) await swipe(195, 700, 150); // past its end
    expect(await page.evaluate(() => window.scrollY)).toBe(300);
    for (let i = 0; i < 8; i++) await swipe(195, 150, 700); // past its start
    expect(await listTop()).toBe(0);
    await swipe(100, 25, 500); // on the header, which does not scroll
    await swipe(100, 500, 25);
    await page.mouse.move(195, 400);
    await page.mouse.wheel(0, 3000);
    await page.waitForTimeout(250);
    expect(await page.evaluate(() => window.scrollY)).toBe(300);

    // The source panel's controls too.
    await answer.getByTestId('chat-citation').first().click();
    await page.getByTestId('source-panel').locator('mark').waitFor();
    targets = await smallTargets(page);
    expect(targets.small).toEqual([]);
    await page.getByTestId('source-close').click();

    // Closing gives the page its scroll back.
    await page.getByTestId('chat-close').click();
    await page.getByTestId('chat-panel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => window.scrollY)).toBe(300);
    expect(await page.evaluate(() => [document.documentElement.style.overflow, document.body.style.overflow])).toEqual(['', '']);
    await page.evaluate(() => window.scrollBy(0, 200));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(500);
    expect(errors).toEqual([]);
  });
});

describe('track recommendation cards', () => {
  const DESCRIPTION = '我们是沈阳的一家城商行，2025年在铁岭推出“惠农e贷”，给种植户发放纯信用贷款，累计放款1.2万笔、18.6亿元。广东那边我们没业务。点数成金能行不？';
  const GREEN = 'rgb(220, 252, 231)';

  async function recommend(page: Page, description: string) {
    await page.getByTestId('case-open').click();
    await page.getByTestId('case-description').fill(description);
    await page.getByTestId('case-submit').click();
    const cards = page.getByTestId('case-result').getByTestId('case-track');
    await cards.first().waitFor();
    return cards;
  }
  async function card(el: ReturnType<Page['locator']>) {
    return el.evaluate((c) => {
      const q = (id: string) => c.querySelector(`[data-testid="${id}"]`);
      const badge = q('case-eligibility')!;
      return {
        first: c.firstElementChild!.getAttribute('data-testid'),
        status: q('case-window-status')?.textContent,
        fit: q('case-fit')?.textContent,
        score: q('case-score')?.textContent,
        eligibility: badge.textContent,
        detail: q('case-eligibility-detail')?.textContent ?? '',
        badgeBg: getComputedStyle(badge).backgroundColor,
        lineBg: getComputedStyle(q('case-eligibility-line')!).backgroundColor,
        line: q('case-eligibility-line')!.getBoundingClientRect().top,
        fitLine: q('case-fit')!.getBoundingClientRect().top,
        statusTop: q('case-window')!.getBoundingClientRect().top,
        titleTop: c.querySelector('h5')!.getBoundingClientRect().top,
      };
    });
  }

  it('shows fit in words, eligibility with its reason, the window status on top and an all-closed banner', async () => {
    const { page, errors } = await openDemo();
    await page.getByTestId('chat-launcher').click();
    const api = page.waitForResponse((r) => r.url().endsWith('/api/recommend'));
    const cards = await recommend(page, DESCRIPTION);
    const data = (await (await api).json()) as {
      recommendations: Array<{ score: number; eligible: boolean | null; failedRules: Array<{ message: string }>; window: { status: string } }>;
    };
    const recs = data.recommendations;
    expect(await cards.count()).toBe(recs.length);
    // Today (2026-11-22) every window has closed: one banner says so.
    expect(recs.every((r) => r.window.status === 'closed')).toBe(true);
    expect(await page.getByTestId('case-all-closed').textContent()).toContain('均已截止');

    let ineligible = 0;
    let lowEligible = 0;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i];
      const c = await card(cards.nth(i));
      expect(c.first).toBe('case-window');
      expect(c.statusTop).toBeLessThan(c.titleTop);
      expect(c.status).toBe('已截止');
      expect(c.lineBg).not.toBe(GREEN); // only the badge is coloured
      expect(['高', '中', '低']).toContain(c.fit);
      expect(c.score).toBe(`${Math.round(r.score * 100)}分`);
      // Eligibility on its own line.
      expect(c.line).toBeGreaterThan(c.fitLine + 5);
      if (r.eligible === false) {
        ineligible++;
        expect(c.eligibility).toBe('不符合');
        for (const f of r.failedRules) expect(c.detail).toContain(f.message);
      }
      if (c.fit === '低') {
        expect(c.badgeBg).not.toBe(GREEN);
        if (r.eligible === true) (lowEligible++, expect(c.detail).toContain('相符度低'));
      }
      if (c.eligibility === '符合' && c.fit !== '低') expect(c.badgeBg).toBe(GREEN);
    }
    expect(ineligible).toBeGreaterThanOrEqual(1);
    expect(lowEligible).toBeGreaterThanOrEqual(1);
    expect(await card(cards.first())).toMatchObject({ fit: '高', eligibility: '符合', badgeBg: GREEN });
    expect(await cards.nth(1).getByText('“点数成金”要求案例在用且落地应用于广东。').first().isVisible()).toBe(true);

    // A reason's citations from the same section are told apart.
    const titles = await cards.first().getByTestId('chat-citation').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    expect(new Set(titles).size).toBe(titles.length);
    await page.getByTestId('case-result').evaluate((el) => el.closest('.sc')!.scrollTo(0, (el as HTMLElement).offsetTop - 8));
    await page.screenshot({ path: join(IMAGES, 'widget-tracks-desktop.png'), scale: 'css', animations: 'disabled', clip: { x: 840, y: 30, width: 440, height: 770 } });
    expect(errors).toEqual([]);
  });

  it('shows an open window, an undetermined eligibility with what is missing, and no banner (phone)', async () => {
    const { page, errors } = await openDemo(PHONE);
    await page.route('**/api/recommend', async (route) => {
      const res = await route.fetch();
      const data = (await res.json()) as { recommendations: Array<Record<string, unknown>> };
      const [a, b, c] = data.recommendations;
      Object.assign(a, { window: { opens: '2026-11-01', closes: '2026-12-31', status: 'open' } });
      Object.assign(b, { eligible: null, eligibility: 'undetermined', failedRules: [], questions: ['请问案例是否已在业务中实际应用？'], window: { opens: '2027-01-10', closes: null, status: 'upcoming' } });
      Object.assign(c, { eligible: true, eligibility: 'eligible', failedRules: [], questions: [], score: 0.16, fits: true });
      await route.fulfill({ response: res, json: data });
    });
    await page.getByTestId('chat-launcher').click();
    const cards = await recommend(page, DESCRIPTION);
    expect(await page.getByTestId('case-all-closed').count()).toBe(0);
    expect(await card(cards.nth(0))).toMatchObject({ status: '进行中', fit: '高', eligibility: '符合', badgeBg: GREEN });
    const tbd = await card(cards.nth(1));
    expect(tbd).toMatchObject({ status: '未开始', eligibility: '待确认' });
    expect(tbd.detail).toContain('请问案例是否已在业务中实际应用？');
    const low = await card(cards.nth(2));
    expect(low).toMatchObject({ fit: '低', eligibility: '符合', score: '16分' });
    expect(low.badgeBg).not.toBe(GREEN);
    expect(await cards.nth(0).getByTestId('case-window').textContent()).toContain('2026年11月1日至2026年12月31日');

    // Touch targets in the case view too.
    const small: string[] = [];
    for (const el of await page.getByTestId('chat-panel').locator('button:visible, input:visible, textarea:visible').all()) {
      const box = (await el.boundingBox())!;
      if (box.width < 44 - 0.01 || box.height < 44 - 0.01) small.push(`${await el.getAttribute('data-testid')} ${box.width}×${box.height}`);
    }
    expect(small).toEqual([]);
    await page.getByTestId('case-result').evaluate((el) => el.closest('.sc')!.scrollTo(0, (el as HTMLElement).offsetTop - 8));
    expect(errors).toEqual([]);
  });
});
