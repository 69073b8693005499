/**
 * The embeddable chat widget (src/web/assets/widget.js) on its demo page, in Debian's Chromium:
 * streaming answers with citations, the source panel, feedback, follow-ups, the case form,
 * hostile input, a phone-sized screen, keyboard-only use and style isolation.
 * Takes the screenshots widget-desktop.png and widget-mobile.png (docs/images/ with npm run screenshots).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from './support/images.ts';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';
import { activeTestId, ask, inShadow, newPage } from './support/widget.ts';


let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(IMAGES, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Demo {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Messages of any alert/confirm/prompt the page opened. */
  dialogs: string[];
  errors: string[];
}

async function openDemo(options: { width?: number; height?: number; mobile?: boolean } = {}): Promise<Demo> {
  const { context, page } = await newPage(browser, options);
  contexts.push(context);
  const demo: Demo = { page, requests: [], dialogs: [], errors: [] };
  page.on('request', (r) => demo.requests.push(r.url()));
  page.on('dialog', (d) => {
    demo.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => demo.errors.push(e.message));
  await page.goto(`${server.base}/`);
  await page.getByTestId('chat-launcher').waitFor();
  return demo;
}

/** The question as the staff console sees it (admin API), with its latest feedback. */
async function storedQuestion(question: string) {
  const res = await fetch(`${server.base}/api/admin/questions?q=${encodeURIComponent(question)}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  const { questions } = (await res.json()) as {
    questions: Array<{ id: string; question: string; conversationId: string; helpful: boolean | null; comment: string | null }>;
  };
  const row = questions.find((q) => q.question === question);
  expect(row).toBeDefined();
  return row!;
}

function expectOnlyLocalRequests(demo: Demo) {
  expect(demo.requests.length).toBeGreaterThan(0);
  for (const url of demo.requests) expect(url.startsWith(`${server.base}/`)).toBe(true);
}

describe('chat widget', () => {
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  it('streams an answer with citations, opens the cited passage and takes feedback', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await expect(page.getByTestId('chat-panel').isVisible()).resolves.toBe(false);
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-panel').waitFor();
    expect(await activeTestId(page)).toBe('chat-input');
    expect(await page.getByTestId('chat-suggestion').count()).toBe(5);
    expect(await page.getByTestId('chat-suggestion').allTextContents()).toContain('在线测额最高能测多少？');

    // Record the answer bubble's text length at every change while it streams.
    await inShadow(page, `
      window.__lengths = [];
      new MutationObserver(() => {
        const b = [...root.querySelectorAll('[data-testid="chat-answer"]')].pop();
        if (b && b.dataset.state === 'streaming') window.__lengths.push(b.querySelector('.t').textContent.length);
      }).observe(root, { subtree: true, childList: true, characterData: true });`);

    const question = '企业被行政处罚了，怎么做信用修复？';
    const responsePromise = page.waitForResponse((r) => r.url().endsWith('/api/ask'));
    await page.getByTestId('chat-input').fill(question);
    await page.getByTestId('chat-input').press('Enter');
    const response = await responsePromise;
    expect(response.request().headers()['accept']).toBe('text/event-stream');
    expect(response.headers()['content-type']).toContain('text/event-stream');

    // Seen from outside too: the bubble has some text while still streaming, then more.
    const bubble = page.getByTestId('chat-answer').first();
    const streamingText = bubble.and(page.locator('[data-state="streaming"]')).locator('.t');
    await page.waitForFunction(
      () => (globalThis as unknown as { __lengths: number[] }).__lengths.some((n) => n > 0),
      undefined,
      { polling: 10 },
    );
    const firstSeen = (await streamingText.textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
    await bubble.and(page.locator('[data-state="done"]')).waitFor();
    const finalText = (await bubble.locator('.t').textContent()) ?? '';
    const lengths = await page.evaluate(() => (globalThis as unknown as { __lengths: number[] }).__lengths);
    const growing = [...new Set(lengths.filter((n) => n > 0))];
    expect(growing.length).toBeGreaterThanOrEqual(2);
    expect(growing).toEqual([...growing].sort((a, b) => a - b));
    expect(growing[0]).toBeLessThan(finalText.length);
    expect(firstSeen.length).toBeLessThan(finalText.length);

    // The final answer: text with numbered citation chips, as the server stored it.
    const stored = await storedQuestion(question);
    const conversation = (await (await fetch(`${server.base}/api/conversations/${stored.conversationId}`)).json()) as {
      messages: Array<{ answer: string; citations: Array<{ n: number; quote: string }> }>;
    };
    expect(conversation.messages).toHaveLength(1);
    const done = conversation.messages[0];
    expect(finalText).toContain('信用修复');
    const chips = bubble.getByTestId('chat-citation');
    expect(await chips.count()).toBeGreaterThanOrEqual(1);
    expect(await chips.first().textContent()).toBe('1');

    // A citation opens the passage with the quote highlighted in its section; Esc closes it.
    await chips.first().click();
    const source = page.getByTestId('source-panel');
    const mark = source.locator('mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(done.citations[0].quote);
    expect(await source.getAttribute('role')).toBe('dialog');
    expect(((await source.textContent()) ?? '').length).toBeGreaterThan(done.citations[0].quote.length);
    expect(await activeTestId(page)).toBe('source-close');
    // For the picture: the question at the top of the message list.
    await inShadow(page, `
      const log = root.querySelector('[data-testid="chat-messages"]');
      const q = [...root.querySelectorAll('[data-testid="chat-question"]')].pop();
      log.scrollTop += q.getBoundingClientRect().top - log.getBoundingClientRect().top - 12;`);
    await page.screenshot({ path: join(IMAGES, 'widget-desktop.png'), animations: 'disabled' });
    await page.keyboard.press('Escape');
    await source.waitFor({ state: 'hidden' });
    expect(await activeTestId(page)).toBe('chat-citation');
    expect(await page.getByTestId('chat-panel').isVisible()).toBe(true);

    // The document is fetched once, however often its citations are opened.
    await bubble.getByTestId('chat-source').first().click();
    await mark.waitFor();
    await source.getByTestId('source-close').click();
    await source.waitFor({ state: 'hidden' });
    expect(demo.requests.filter((u) => u.includes('/api/documents/')).length).toBe(1);

    // Feedback: 👍, an optional comment, 「感谢反馈」, and the server has it.
    await bubble.getByTestId('chat-feedback-up').click();
    expect(await activeTestId(page)).toBe('chat-feedback-comment');
    await bubble.getByTestId('chat-feedback-comment').fill('步骤很清楚');
    const feedbackResponse = page.waitForResponse((r) => r.url().endsWith('/api/feedback'));
    await bubble.getByTestId('chat-feedback-comment').press('Enter');
    await bubble.getByText('感谢反馈').waitFor();
    const sent = await feedbackResponse;
    expect(sent.request().postDataJSON()).toEqual({ messageId: stored.id, helpful: true, comment: '步骤很清楚' });
    expect(sent.status()).toBe(201);
    expect(await sent.json()).toMatchObject({ ok: true, id: expect.any(String) });
    const rated = await storedQuestion(question);
    expect(rated.helpful).toBe(true);
    expect(rated.comment).toBe('步骤很清楚');

    expectOnlyLocalRequests(demo);
    expect(demo.errors).toEqual([]);
  });

  it('keeps the conversation for a follow-up question', async () => {
    const demo = await openDemo();
    const { page } = demo;
    const bodies: Array<{ question: string; conversationId?: string }> = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/ask')) bodies.push(r.postDataJSON() as { question: string; conversationId?: string });
    });
    await page.getByTestId('chat-launcher').click();
    const first = await ask(page, '小微企业可以申请无还本续贷吗？');
    expect(await first.textContent()).toContain('续贷');
    const second = await ask(page, '那中型企业呢？');
    expect(await second.textContent()).toContain('2027年9月30日');
    expect(await second.getByTestId('chat-citation').count()).toBeGreaterThanOrEqual(1);
    expect(bodies[0].conversationId).toBeUndefined();
    expect(bodies[1].conversationId).toEqual(expect.any(String));
    const conversation = (await (await fetch(`${server.base}/api/conversations/${bodies[1].conversationId}`)).json()) as {
      messages: Array<{ question: string }>;
    };
    expect(conversation.messages.map((m) => m.question)).toEqual(['小微企业可以申请无还本续贷吗？', '那中型企业呢？']);
    expectOnlyLocalRequests(demo);
  });

  it('recommends tracks for a case, with eligibility, window and clickable citations', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    // The last suggested question opens the case form.
    await page.getByTestId('chat-suggestion').last().click();
    expect(await activeTestId(page)).toBe('case-description');

    // Too short: the API's own message, politely.
    await page.getByTestId('case-description').fill('银行案例');
    await page.getByTestId('case-submit').click();
    await page.getByTestId('case-error').waitFor();
    expect(await page.getByTestId('case-error').textContent()).toContain('案例描述太短了');

    await page.getByTestId('case-description').fill(
      '我们是大连的一家农商行，2025年推出“惠农快贷”，依托农户信用档案给种植户和合作社发放小额信用贷款，全年投放3.6亿元，服务农户8000余户。',
    );
    await page.getByTestId('case-region').fill('辽宁');
    await page.getByTestId('case-submit').click();
    const tracks = page.getByTestId('case-result').getByTestId('case-track');
    await tracks.first().waitFor();
    expect(await tracks.count()).toBeGreaterThanOrEqual(1);
    const top = tracks.first();
    expect(await top.textContent()).toContain('普惠金融');
    expect(['符合', '不符合', '待确认']).toContain(await top.getByTestId('case-eligibility').textContent());
    expect(await top.getByTestId('case-eligibility').textContent()).toBe('符合');
    const windowText = (await top.getByTestId('case-window').textContent()) ?? '';
    expect(windowText).toContain('2025年10月9日');
    expect(windowText).toContain('已截止');
    expect(await top.locator('li').count()).toBeGreaterThanOrEqual(1);

    // A reason's citation opens its passage like an answer's does.
    await top.getByTestId('chat-citation').first().click();
    await page.getByTestId('source-panel').locator('mark').waitFor();
    expect(((await page.getByTestId('source-panel').locator('mark').textContent()) ?? '').length).toBeGreaterThan(5);
    await page.keyboard.press('Escape');
    await page.getByTestId('source-panel').waitFor({ state: 'hidden' });

    // Nothing fits: the service's message is shown.
    await page.getByTestId('case-description').fill('我们是一家社区餐馆，想再开一家分店，装修需要一些资金。');
    await page.getByTestId('case-region').fill('');
    await page.getByTestId('case-submit').click();
    await page.getByTestId('case-message').waitFor();
    expect(await page.getByTestId('case-message').textContent()).toContain('没有找到');

    // Esc leaves the form for the chat, then closes the panel.
    await page.keyboard.press('Escape');
    await page.getByTestId('chat-input').waitFor();
    expect(await activeTestId(page)).toBe('case-open');
    expectOnlyLocalRequests(demo);
  });

  it('answers a case described in the chat with its tracks, and opens the case form with the description', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    const description = '我们是沈阳的一家城商行，2025年在铁岭推出“惠农e贷”，给种植户发放纯信用贷款，累计放款1.2万笔、18.6亿元。广东那边我们没业务。这个报哪个合适？点数成金能行不？';
    const answer = await ask(page, description);
    const text = (await answer.textContent()) ?? '';
    expect(text).toContain('较合适的赛道');
    expect(text).toContain('普惠金融深化');
    expect(text).toContain('不能申报');
    await answer.getByTestId('chat-open-case').click();
    expect(await activeTestId(page)).toBe('case-description');
    expect(await page.getByTestId('case-description').inputValue()).toBe(description);
    expectOnlyLocalRequests(demo);
  });

  it('shows hostile input as text and runs nothing', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    const hostile = '<img src=x onerror=alert(1)>';
    const answer = await ask(page, hostile);
    expect(await page.getByTestId('chat-question').last().textContent()).toBe(hostile);
    expect(await answer.textContent()).toContain('无法回答');
    await page.waitForTimeout(300);
    expect(demo.dialogs).toEqual([]);
    expect(await inShadow<number>(page, `return root.querySelectorAll('img').length;`)).toBe(0);
    expect(await page.evaluate(`document.querySelectorAll('img').length`)).toBe(0);
    expect(demo.requests.some((u) => u.endsWith('/x'))).toBe(false);
    expect(demo.errors).toEqual([]);
  });

  it('shows API errors and network failures politely in the chat', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    await page.route('**/api/ask', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试。' } }),
      }),
    );
    await page.getByTestId('chat-input').fill('在线测额最高能测多少？');
    await page.getByTestId('chat-input').press('Enter');
    await page.getByTestId('chat-error').first().waitFor();
    expect(await page.getByTestId('chat-error').first().textContent()).toContain('请求过于频繁，请稍后再试。');

    await page.unroute('**/api/ask');
    await page.route('**/api/ask', (route) => route.abort('internetdisconnected'));
    await page.getByTestId('chat-input').fill('在线测额最高能测多少？');
    await page.getByTestId('chat-input').press('Enter');
    await page.getByTestId('chat-error').nth(1).waitFor();
    expect(await page.getByTestId('chat-error').nth(1).textContent()).toContain('网络');

    // The chat still works afterwards.
    await page.unroute('**/api/ask');
    const answer = await ask(page, '在线测额最高能测多少？');
    expect(await answer.textContent()).toContain('300万元');
  });

  it('fills a phone screen', async () => {
    const demo = await openDemo({ width: 390, height: 844, mobile: true });
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    const panel = page.getByTestId('chat-panel');
    await panel.waitFor();
    await page.waitForTimeout(250); // the opening animation
    const box = (await panel.boundingBox())!;
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    const input = page.getByTestId('chat-input');
    expect(await input.isVisible()).toBe(true);
    const inputBox = (await input.boundingBox())!;
    expect(inputBox.y + inputBox.height).toBeLessThanOrEqual(844);
    expect(inputBox.width).toBeGreaterThan(250);
    const answer = await ask(page, '担保200万、费率0.8%，能拿多少担保费补贴？');
    expect(await answer.textContent()).toContain('1万元');
    expect(await page.getByTestId('chat-close').isVisible()).toBe(true);
    await page.screenshot({ path: join(IMAGES, 'widget-mobile.png'), scale: 'css', animations: 'disabled' });

    // Citations open full-screen over the chat too.
    await answer.getByTestId('chat-citation').first().click();
    await page.getByTestId('source-panel').locator('mark').waitFor();
    expect((await page.getByTestId('source-panel').boundingBox())!.width).toBe(390);
    await page.getByTestId('source-close').click();
    await page.getByTestId('chat-close').click();
    await panel.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('chat-launcher').isVisible()).toBe(true);
  });

  it('works by keyboard alone', async () => {
    const demo = await openDemo();
    const { page } = demo;
    let onLauncher = false;
    for (let i = 0; i < 40 && !onLauncher; i++) {
      await page.keyboard.press('Tab');
      onLauncher = (await page.evaluate(`document.activeElement && document.activeElement.localName`)) === 'ln-policy-chat' && (await activeTestId(page)) === 'chat-launcher';
    }
    expect(onLauncher).toBe(true);
    const outline = await inShadow<string>(page, `return getComputedStyle(root.activeElement).outlineStyle;`);
    expect(outline).not.toBe('none');

    await page.keyboard.press('Enter');
    await page.getByTestId('chat-panel').waitFor();
    expect(await activeTestId(page)).toBe('chat-input');
    expect(await page.getByTestId('chat-panel').getAttribute('aria-modal')).toBe('true');
    expect(await page.getByTestId('chat-messages').getAttribute('aria-live')).toBe('polite');
    expect(await page.getByTestId('chat-launcher').getAttribute('aria-label')).toBeTruthy();
    expect(await page.getByTestId('chat-send').getAttribute('aria-label')).toBe('发送');

    await page.keyboard.type('在线测额最高能测多少？');
    await page.keyboard.press('Enter');
    await page.getByTestId('chat-answer').and(page.locator('[data-state="done"]')).waitFor();
    expect(await page.getByTestId('chat-answer').textContent()).toContain('300万元');

    // Tab stays inside the dialog and reaches the citations and feedback.
    const seen = new Set<string>();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const id = await inShadow<string | null>(page, `const a = root.activeElement; return a && a.closest('[data-testid="chat-panel"]') ? (a.getAttribute('data-testid') || a.localName) : null;`);
      expect(id).not.toBeNull();
      seen.add(id!);
    }
    for (const id of ['chat-close', 'case-open', 'chat-citation', 'chat-feedback-up', 'chat-input', 'chat-send']) expect(seen).toContain(id);

    // Enter on a citation opens the passage, Esc closes it, Esc again closes the panel.
    await page.getByTestId('chat-citation').first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('source-panel').locator('mark').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('source-panel').waitFor({ state: 'hidden' });
    expect(await activeTestId(page)).toBe('chat-citation');
    await page.keyboard.press('Escape');
    await page.getByTestId('chat-panel').waitFor({ state: 'hidden' });
    expect(await activeTestId(page)).toBe('chat-launcher');
    expect(await page.getByTestId('chat-launcher').getAttribute('aria-expanded')).toBe('false');
  });

  it('is not styled by the host page and does not style it', async () => {
    const demo = await openDemo();
    const { page } = demo;
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-panel').waitFor();
    const style = await inShadow<{ font: string; color: string; launcher: number; label: string; icons: string; button: string }>(
      page,
      `const t = root.querySelector('.m .t');
       const s = getComputedStyle(t);
       const l = root.querySelector('[data-testid="chat-launcher"]');
       return { font: s.fontFamily, color: s.color, launcher: l.offsetHeight, label: l.textContent,
         icons: getComputedStyle(l.querySelector('svg')).display, button: getComputedStyle(l).backgroundColor };`,
    );
    expect(style.font).not.toMatch(/^\s*"?(serif|Noto Serif)/i);
    expect(style.font).toMatch(/sans-serif/);
    expect(style.color).not.toBe('rgb(179, 18, 15)');
    expect(style.launcher).toBe(56);
    expect(style.label).toBe('政策问答');
    expect(style.icons).not.toBe('none');
    expect(style.button).toBe('rgb(21, 89, 183)');
    // The page keeps its own look.
    const pageFont = await page.evaluate(`getComputedStyle(document.querySelector('main p')).fontFamily`);
    expect(pageFont).toMatch(/serif$/);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('main p')).color`)).toBe('rgb(179, 18, 15)');
    // Nothing added to the page's styles: its one stylesheet (demo.css); the widget's sheet is adopted by its shadow root.
    expect(await page.evaluate(`[document.styleSheets.length, document.adoptedStyleSheets.length, document.querySelectorAll('style').length]`)).toEqual([1, 0, 0]);
    expect(await inShadow<number>(page, `return root.adoptedStyleSheets.length;`)).toBe(1);
    expect(await inShadow<string>(page, `return root.host.shadowRoot === root ? 'open' : 'closed';`)).toBe('open');
  });
});
