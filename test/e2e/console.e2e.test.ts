import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from './support/images.ts';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const WEATHER = '今天沈阳天气怎么样？';
/** How long to wait for the page to catch up with a click. */
const POLL = { timeout: 15_000 };

interface AskResponse {
  answerable: boolean;
  messageId: string;
  declineReason?: string;
}

interface RunDetail {
  status: 'running' | 'finished';
  metrics?: Record<string, number | null>;
  failures?: string[];
  validation?: unknown[];
  results?: Array<{ set: string; caseId: string; pass: boolean; detail: { source?: { quote: string }; problems?: string[] } }>;
}

/** Metrics where lower is better (src/evals/metrics.ts METRIC_DEFS). */
const LOWER_IS_BETTER = ['falseYesRate', 'wrongAnswerRate', 'declineRate', 'latencyP50Ms', 'latencyP95Ms'];

let server: RunningServer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

async function ask(question: string): Promise<AskResponse> {
  const res = await fetch(`${server.base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
  expect(res.status).toBe(200);
  return (await res.json()) as AskResponse;
}

async function feedback(messageId: string, helpful: boolean, comment: string): Promise<void> {
  const res = await fetch(`${server.base}/api/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId, helpful, comment }) });
  expect(res.status).toBe(201);
}

async function evalRun(id: string): Promise<RunDetail> {
  return (await (await fetch(`${server.base}/api/evals/runs/${id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as RunDetail;
}

/** Starts an eval through the API and waits for it, so the console has a previous run to compare with. */
async function runEvalThroughApi(): Promise<string> {
  const res = await fetch(`${server.base}/api/evals/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  for (let i = 0; i < 1800 && (await evalRun(id)).status === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
  return id;
}

describe('staff console (/console)', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();

    // Questions the log should show: answered ones (with feedback), declined ones, and a hostile string.
    const subsidy = await ask('担保费补贴是多少？');
    expect(subsidy.answerable).toBe(true);
    await feedback(subsidy.messageId, true, '说得很清楚，附了原文，谢谢');
    const renewal = await ask('小微企业可以申请无还本续贷吗？');
    expect(renewal.answerable).toBe(true);
    await feedback(renewal.messageId, false, '想知道具体去哪个银行办');
    expect((await ask('信用修复一般多久能办好？')).answerable).toBe(true);
    expect((await ask('金融兴辽报名截止是哪天？')).answerable).toBe(true);
    expect((await ask('在辽信宝上测额会不会影响我们企业的征信记录？')).declineReason).toBe('no_evidence');
    expect((await ask(WEATHER)).answerable).toBe(false);
    expect((await ask('帮我推荐几只明天能涨的股票')).answerable).toBe(false);
    expect((await ask(HOSTILE)).answerable).toBe(false);

    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    mkdirSync(IMAGES, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the Chinese error for a wrong token and asks again', async () => {
    await page.goto(`${server.base}/console`);
    await expect(page.title()).resolves.toContain('控制台');
    await page.getByLabel('管理令牌').fill('not-the-token');
    await page.getByRole('button', { name: '登录' }).click();
    const error = page.locator('#signin-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('管理令牌不正确');
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await page.getByLabel('管理令牌').inputValue()).toBe('not-the-token');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);

    // A token kept in the tab that the server no longer accepts: asked again on the next visit.
    await page.evaluate('sessionStorage.setItem("policy-console-admin-token", "revoked-token")');
    await page.reload();
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('管理令牌不正确');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  });

  it('signs in with the right token, keeps it for the tab and sends it on admin calls', async () => {
    const adminCall = page.waitForRequest((r) => r.url().includes('/api/admin/questions'));
    await page.getByLabel('管理令牌').fill(ADMIN_TOKEN);
    await page.getByLabel('管理令牌').press('Enter');
    expect((await adminCall).headers().authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    await page.locator('#app').waitFor({ state: 'visible' });
    expect(await page.getByRole('tab', { name: '评测' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate<string[]>('Object.values({ ...sessionStorage })')).toContain(ADMIN_TOKEN);

    await page.reload();
    await page.locator('#app').waitFor({ state: 'visible' });
    expect(await page.locator('#signin').isHidden()).toBe(true);
  });

  it('shows the questions log with answered/declined (and why), filters and the unanswered groups', async () => {
    // By keyboard: focus the selected tab and move right.
    await page.getByRole('tab', { name: '评测' }).focus();
    await page.keyboard.press('ArrowRight');
    const tab = page.getByRole('tab', { name: '提问记录' });
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    expect(await tab.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    const rows = page.locator('#questions tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(8);

    const subsidy = rows.filter({ hasText: '担保费补贴是多少？' });
    expect(await subsidy.locator('td').nth(2).textContent()).toBe('已回答');
    expect(await subsidy.locator('td.a').textContent()).toContain('担保费补贴');
    const weather = rows.filter({ hasText: WEATHER });
    expect(await weather.locator('td').nth(2).textContent()).toBe('拒答超出文件范围');
    expect(await weather.textContent()).toContain('无反馈');

    // The hostile question is text, not markup, and nothing ran.
    const hostile = page.locator('#questions td.q', { hasText: HOSTILE });
    expect(await hostile.count()).toBe(1);
    expect(await hostile.textContent()).toBe(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);

    // Declined only (server-side filter).
    await page.getByLabel('回答情况').selectOption('false');
    await expect.poll(() => rows.count(), POLL).toBe(4);
    expect(await page.locator('#questions tbody tr[data-answerable="false"]').count()).toBe(4);
    expect(await rows.filter({ hasText: WEATHER }).count()).toBe(1);

    await page.getByLabel('回答情况').selectOption('');
    await expect.poll(() => rows.count(), POLL).toBe(8);

    // Keyword filter (server-side).
    await page.getByLabel('问题关键词').fill('续贷');
    await page.getByLabel('问题关键词').press('Enter');
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().textContent()).toContain('小微企业可以申请无还本续贷吗？');
    await page.getByLabel('问题关键词').fill('');
    await page.getByLabel('问题关键词').press('Enter');
    await expect.poll(() => rows.count(), POLL).toBe(8);

    // Unanswered questions, grouped: the declined weather question is there; the hostile one as text.
    const groups = page.locator('#unanswered article.group');
    await groups.first().waitFor();
    expect(await page.locator('#unanswered li', { hasText: WEATHER }).count()).toBe(1);
    expect(await page.locator('#unanswered').textContent()).toContain('超出文件范围');
    expect(await page.locator('#unanswered li', { hasText: HOSTILE }).textContent()).toBe(HOSTILE);

    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    await page.getByLabel('问题关键词').blur();
    await page.screenshot({ path: join(IMAGES, 'console-questions.png'), fullPage: true });
  });

  it('shows the feedback and comment given on an answer, and filters by it', async () => {
    const rows = page.locator('#questions tbody tr');
    const subsidy = rows.filter({ hasText: '担保费补贴是多少？' });
    expect(await subsidy.locator('td').nth(4).textContent()).toBe('有帮助“说得很清楚，附了原文，谢谢”');
    const renewal = rows.filter({ hasText: '小微企业可以申请无还本续贷吗？' });
    expect(await renewal.locator('td').nth(4).textContent()).toBe('没帮助“想知道具体去哪个银行办”');

    // Client-side filter over the fetched questions.
    await page.getByLabel('用户反馈').selectOption('helpful');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('担保费补贴是多少？');
    await page.getByLabel('用户反馈').selectOption('unhelpful');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('小微企业可以申请无还本续贷吗？');
    await page.getByLabel('用户反馈').selectOption('none');
    expect(await rows.count()).toBe(6);
    await page.getByLabel('用户反馈').selectOption('');
    expect(await rows.count()).toBe(8);
  });

  it('lists the documents, shows a section as text, and searches chunks', async () => {
    await page.getByRole('tab', { name: '语料' }).click();
    const docs = page.locator('#docs button');
    await expect.poll(() => docs.count(), POLL).toBe(5);
    expect(await docs.first().getAttribute('aria-pressed')).toBe('true');

    const section = page.locator('#outline button', { hasText: '九、发挥担保增信保障作用' }).first();
    await section.waitFor();
    await section.click();
    expect(await section.getAttribute('aria-current')).toBe('true');
    expect(await page.locator('#section-crumbs').textContent()).toContain('九、发挥担保增信保障作用');
    expect(await page.locator('#section-text').textContent()).toMatch(/^九、发挥担保增信保障作用[\s\S]*担保/);

    // Another document: its own outline.
    await docs.nth(1).click();
    await expect.poll(() => docs.nth(1).getAttribute('aria-pressed'), POLL).toBe('true');
    await page.locator('#outline button').first().waitFor();

    await page.getByLabel('检索词').fill('担保费补贴');
    await page.getByRole('button', { name: '检索', exact: true }).click();
    const hits = page.locator('#search-results li');
    await hits.first().waitFor();
    expect(await hits.count()).toBeGreaterThan(3);
    const ranks = await page.locator('#search-results .rank').allTextContents();
    expect(ranks.slice(0, 3)).toEqual(['#1', '#2', '#3']);
    expect(await hits.first().textContent()).toMatch(/综合 \d\.\d{4} · BM25 \d+\.\d{4} · 向量/);
    expect(await hits.first().locator('.path').textContent()).toContain('›');
    expect(await hits.first().locator('p').textContent()).toContain('担保');
    expect(await hits.first().locator('p').textContent()).toContain('补贴');
  });

  it('runs an eval from the console, follows its progress, and shows metrics, history and failing cases', { timeout: 240_000 }, async () => {
    // A first run through the API, so the history and the comparison have something before this one.
    const first = await runEvalThroughApi();

    await page.getByRole('tab', { name: '评测' }).click();
    await page.locator(`#runs button[data-run-id="${first}"]`).waitFor();
    expect(await page.locator('#runs button.run').count()).toBe(1);

    const started = page.waitForResponse((r) => r.url().endsWith('/api/evals/run') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '立即运行' }).click();
    const response = await started;
    expect(response.status()).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await page.locator('#eval-progress').waitFor({ state: 'visible' });
    expect(await page.getByRole('button', { name: '立即运行' }).isDisabled()).toBe(true);

    // Done: the progress bar is full and the run is listed, selected, with its metrics.
    await page.locator('#eval-status', { hasText: '评测完成' }).waitFor({ timeout: 180_000 });
    const progress = await page.locator('#eval-progress').evaluate((el) => ({ value: Number(Reflect.get(el, 'value')), max: Number(Reflect.get(el, 'max')) }));
    expect(progress.value).toBe(progress.max);
    expect(progress.max).toBeGreaterThan(100);
    const row = page.locator(`#runs button[data-run-id="${id}"]`);
    await expect.poll(() => row.getAttribute('aria-pressed'), POLL).toBe('true');
    expect(await page.locator('#runs button.run').count()).toBe(2);
    expect(await row.textContent()).toMatch(/\d+ 个用例，通过 \d+/);
    // The detail shown is this run's (the first run's detail was on screen while this one loaded).
    await page.locator(`#run-detail[data-run-id="${id}"]:not([aria-busy])`).waitFor();
    await page.locator('#run-detail-body tr[data-metric="factAccuracy"]').waitFor();
    expect(await page.locator('#run-detail-body tr[data-metric="factAccuracy"] td').nth(1).textContent()).toMatch(/^\d+\.\d%$/);
    expect(await page.locator('#run-detail-body tr[data-metric="latencyP95Ms"] td').nth(1).textContent()).toMatch(/ms$/);
    expect(await page.locator('#comparison').textContent()).toMatch(/新失败 \d+ 个/);
    expect(await page.locator('#threshold-failures').isVisible()).toBe(true);
    expect(await page.locator('#validation-problems').isVisible()).toBe(true);

    // The verdict against the thresholds the server reports, worked out here from the run's metrics.
    const detailForVerdict = await evalRun(id);
    const listed = (await (await fetch(`${server.base}/api/evals/runs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { thresholds: Record<string, number> };
    expect(Object.keys(listed.thresholds).length).toBeGreaterThan(5);
    const missed = Object.entries(listed.thresholds).filter(([key, limit]) => {
      const value = detailForVerdict.metrics?.[key];
      if (typeof value !== 'number') return false;
      return LOWER_IS_BETTER.includes(key) ? value > limit : value < limit;
    });
    const pass = missed.length === 0 && !detailForVerdict.failures?.length && !detailForVerdict.validation?.length;
    expect(await page.locator('#run-verdict .verdict-word').textContent()).toBe(pass ? '达标' : '未达标');
    expect(await row.locator('.badge').textContent()).toBe(pass ? '达标' : '未达标');
    expect(await page.locator('#run-detail-body table.metrics tr[data-met="no"]').count()).toBe(missed.length);
    for (const [key] of missed) {
      const label = (await page.locator(`#run-detail-body tr[data-metric="${key}"] td`).first().evaluate((td) => td.firstChild?.textContent ?? '')).trim();
      expect(await page.locator('#run-verdict li', { hasText: label }).count()).toBe(1);
    }
    expect(await page.locator('#run-detail-body tr[data-metric="factAccuracy"] td').nth(2).textContent()).toBe(`≥ ${Math.round(listed.thresholds.factAccuracy * 10000) / 100}%`);
    expect(await page.locator('#run-detail-body tr[data-metric="factAccuracy"] .metric-help').isVisible()).toBe(true);
    // Failing track cases in words, not the top-1 formula.
    for (const r of detailForVerdict.results!.filter((x) => !x.pass && x.set === 'tracks')) {
      const trackCard = page.locator(`#failing-cases article[data-case="tracks:${r.caseId}"]`);
      if (r.detail.problems?.some((p) => p.startsWith('top-1 '))) expect(await trackCard.locator('.track-verdict').textContent()).toMatch(/^期望：.+；实际首选：.+$/);
      expect(await trackCard.textContent()).not.toContain('∉');
    }

    // History: one inline SVG line chart per metric, two points each.
    for (const metric of ['factAccuracy', 'citationSupport', 'refusalAccuracy', 'situationAccuracy', 'trackTop1', 'hit3', 'latencyP95Ms']) {
      const chart = page.locator(`#charts figure[data-metric="${metric}"] svg`);
      expect(await chart.count()).toBe(1);
      expect(await chart.locator('circle').count()).toBe(2);
      expect(await chart.locator('polyline').count()).toBe(1);
    }

    // A failing case with its source span: the expected quote is highlighted in its context.
    const detail = await evalRun(id);
    const withSource = detail.results!.find((r) => !r.pass && r.detail.source?.quote);
    expect(withSource).toBeDefined();
    const card = page.locator(`#failing-cases article[data-case="${withSource!.set}:${withSource!.caseId}"]`);
    await card.waitFor();
    expect(await card.locator('mark').textContent()).toBe(withSource!.detail.source!.quote);
    expect((await card.locator('.source .quote').textContent())!.length).toBeGreaterThan(withSource!.detail.source!.quote.length);
    expect(await card.locator('.problems li').count()).toBeGreaterThan(0);

    // Filter the failing cases by set.
    await page.getByLabel('按评测集筛选').selectOption('qa');
    expect(await page.locator('#failing-cases article.case').count()).toBe(detail.results!.filter((r) => !r.pass && r.set === 'qa').length);

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The page down to the first failing case with its highlighted source.
    const firstCase = await page.locator('#failing-cases article.case').first().boundingBox();
    await page.screenshot({ path: join(IMAGES, 'console-evals.png'), fullPage: true, clip: { x: 0, y: 0, width: 1366, height: Math.ceil(firstCase!.y + firstCase!.height + 6) } });
  });
});
