import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Response, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from './support/images.ts';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';

/**
 * The console's run report (verdict against the thresholds, metrics explained, failing cases in words, print and
 * JSON export) and the unanswered groups by subject, on fixed runs: the eval API is answered from fixtures here so
 * every case (a run that misses, one that passes, track cases with and without names) is on screen without a
 * minute-long real eval. The real eval is run in console.e2e.test.ts.
 */

const HOSTILE = '<img src=x onerror=alert(1)>';
const POLL = { timeout: 15_000 };

const THRESHOLDS = { factAccuracy: 0.98, followUpAccuracy: 0.915, falseYesRate: 0, trackTop1: 0.89, latencyP95Ms: 250 };

const baseRun = {
  mode: 'extractive',
  target: 'in-process',
  corpusHash: '3f9a0c51d2e7b8',
  sets: { qa: { cases: 40, passed: 39 }, tracks: { cases: 20, passed: 18 }, 'dialogues-blind-a': { cases: 30, passed: 29 } },
  breakdown: null,
  validation: [] as Array<{ set: string; caseId: string; docId: string; problem: string }>,
};

/** Misses two thresholds; the server's failures say so in its own (formula) wording. */
const failingRun = {
  ...baseRun,
  id: 'run-fail',
  startedAt: '2026-11-22T02:30:00.000Z',
  finishedAt: '2026-11-22T02:31:05.000Z',
  cases: 90,
  passed: 86,
  failed: 4,
  metrics: { factAccuracy: 0.99, followUpAccuracy: 0.6667, falseYesRate: 0.02, trackTop1: 0.9, latencyP95Ms: 120.4 },
  failures: ['followUpAccuracy = 0.667，低于阈值 0.915', 'falseYesRate = 0.020，高于阈值 0'],
};

/** Misses a threshold although the stored failures are empty (thresholds raised since): still 未达标. */
const silentMissRun = {
  ...baseRun,
  id: 'run-silent-miss',
  startedAt: '2026-11-21T02:30:00.000Z',
  finishedAt: '2026-11-21T02:31:00.000Z',
  cases: 90,
  passed: 88,
  failed: 2,
  metrics: { factAccuracy: 0.9, followUpAccuracy: 0.95, falseYesRate: 0, trackTop1: 0.95, latencyP95Ms: 110 },
  failures: [],
};

const passingRun = {
  ...baseRun,
  id: 'run-pass',
  startedAt: '2026-11-20T02:30:00.000Z',
  finishedAt: '2026-11-20T02:31:00.000Z',
  cases: 90,
  passed: 90,
  failed: 0,
  metrics: { factAccuracy: 1, followUpAccuracy: 0.95, falseYesRate: 0, trackTop1: 0.95, latencyP95Ms: 100 },
  failures: [],
};

const QA_SOURCE = {
  docId: 'measures-2024',
  quote: '担保费率不超过1%',
  start: 1200,
  end: 1209,
  context: '对符合条件的小微企业，政府性融资担保机构担保费率不超过1%，并按规定给予补贴。',
};

const failingResults = [
  {
    set: 'tracks',
    caseId: 't-named',
    pass: false,
    detail: {
      set: 'tracks',
      id: 't-named',
      pass: false,
      problems: ['top-1 jxl-pension ∉ jxl-fusion|t10-industry'],
      question: '我们是一家为制造业企业提供供应链融资的银行分行，想报今年的案例征集。',
      answer: 'jxl-pension, jxl-fusion',
      expected: ['jxl-fusion', 't10-industry'],
      names: { 'jxl-pension': '金融兴辽·养老金融', 'jxl-fusion': '金融兴辽·产融结合', 't10-industry': '十大案例·产业金融' },
    },
  },
  {
    set: 'tracks',
    caseId: 't-ids',
    pass: false,
    detail: {
      set: 'tracks',
      id: 't-ids',
      pass: false,
      problems: ['top-1 jxl-green ∉ jxl-tech', 'expected nothing to fit, got jxl-green, jxl-tech'],
      question: '科技型中小企业知识产权质押融资案例。',
      answer: 'jxl-green, jxl-tech',
      expected: ['jxl-tech'],
    },
  },
  {
    set: 'qa',
    caseId: 'qa-017',
    pass: false,
    detail: {
      set: 'qa',
      id: 'qa-017',
      pass: false,
      problems: ['缺少要点「1%」'],
      question: `担保费率是多少？${HOSTILE}`,
      answer: '政府性融资担保机构按规定给予补贴。',
      expected: ['1%'],
      source: QA_SOURCE,
    },
  },
  {
    set: 'dialogues-blind-a',
    caseId: 'd-004',
    pass: false,
    detail: { set: 'dialogues-blind-a', id: 'd-004', pass: false, problems: ['第2轮：应作答却拒答'], question: '金融兴辽报名截止是哪天？ → 那要交哪些材料？', answer: '', expected: ['申报书'] },
  },
  { set: 'qa', caseId: 'qa-001', pass: true, detail: { set: 'qa', id: 'qa-001', pass: true, problems: [] } },
];

const comparison = (previousId: string | null) => ({ previousId, newlyFailing: [], newlyPassing: [] });
const details: Record<string, unknown> = {
  'run-fail': { ...failingRun, status: 'finished', results: failingResults, comparison: comparison('run-silent-miss') },
  'run-silent-miss': { ...silentMissRun, status: 'finished', results: [], comparison: comparison('run-pass') },
  'run-pass': { ...passingRun, status: 'finished', results: [], comparison: comparison(null) },
};

const GROUPS = [
  {
    topic: '政府性融资担保',
    subject: { id: 'guarantee', name: '政府性融资担保' },
    count: 3,
    reasons: { no_evidence: 3 },
    last: '2026-11-22T03:00:00.000Z',
    questions: ['担保公司的电话是多少？', '担保费能退吗？', HOSTILE],
  },
  { topic: '天气', count: 1, reasons: { out_of_scope: 1 }, last: '2026-11-22T02:00:00.000Z', questions: ['今天沈阳天气怎么样？'] },
];

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dialogs: string[] = [];
const responses: Response[] = [];
const requested: string[] = [];

function json(route: Route, body: unknown): Promise<void> {
  return route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
}

describe('staff console: run report, failing cases in words, unanswered by subject, print and export', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('response', (r) => responses.push(r));
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    // window.print() would block a headless page: count the calls instead.
    await page.addInitScript('window.print = function () { window.__printed = (window.__printed || 0) + 1; };');
    await page.route(
      (url) => url.pathname.startsWith('/api/evals/runs'),
      (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/api/evals/runs') return json(route, { runs: [failingRun, silentMissRun, passingRun], running: null, thresholds: THRESHOLDS });
        const id = decodeURIComponent(path.slice('/api/evals/runs/'.length));
        return details[id] ? json(route, details[id]) : route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"eval_run_not_found","message":"找不到这次评测。"}}' });
      },
    );
    await page.route((url) => url.pathname === '/api/admin/unanswered', (route) => json(route, { groups: GROUPS }));
    mkdirSync(IMAGES, { recursive: true });

    await page.goto(`${server.base}/console`);
    await page.getByLabel('管理令牌').fill(ADMIN_TOKEN);
    await page.getByLabel('管理令牌').press('Enter');
    await page.locator('#app').waitFor({ state: 'visible' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('links the SVG favicon, so the browser does not ask for a missing /favicon.ico', async () => {
    const icon = page.locator('link[rel="icon"]');
    expect(await icon.count()).toBe(1);
    expect(await icon.getAttribute('href')).toBe('/favicon.svg');
    expect(await icon.getAttribute('type')).toBe('image/svg+xml');
    // The browser fetches the linked icon, and never falls back to /favicon.ico (which would be a 404).
    await expect.poll(() => requested.includes('/favicon.svg'), POLL).toBe(true);
    expect(requested).not.toContain('/favicon.ico');
    // (Whether /favicon.svg itself is served is the server's business, tested with its route.)
    expect(responses.filter((r) => r.status() === 404 && new URL(r.url()).pathname !== '/favicon.svg').map((r) => r.url())).toEqual([]);
  });

  it('heads a run that misses thresholds with 未达标 and one plain sentence per missed metric', async () => {
    await page.locator('#run-detail[data-run-id="run-fail"]:not([aria-busy])').waitFor(POLL);
    const verdict = page.locator('#run-verdict');
    expect(await verdict.getAttribute('data-verdict')).toBe('fail');
    expect(await verdict.locator('.verdict-word').textContent()).toBe('未达标');
    expect(await verdict.locator('li').allTextContents()).toEqual(['追问答对率 66.7%，低于阈值 91.5%', '误判符合率 2.0%，高于阈值 0%']);
    // No formula left from the server's wording.
    expect(await page.locator('#run-detail-body').textContent()).not.toContain('followUpAccuracy = ');

    // The run list says the same of every run.
    expect(await page.locator('#runs button[data-run-id="run-fail"] .badge').textContent()).toBe('未达标');
    expect(await page.locator('#runs button[data-run-id="run-silent-miss"] .badge').textContent()).toBe('未达标');
    expect(await page.locator('#runs button[data-run-id="run-pass"] .badge').textContent()).toBe('达标');
  });

  it('shows the threshold and a met/missed mark per metric, and each metric explained in a visible line', async () => {
    const headers = await page.locator('table.metrics thead th').allTextContents();
    expect(headers.slice(0, 4)).toEqual(['指标', '本次', '阈值', '是否达标']);
    const row = (key: string) => page.locator(`table.metrics tr[data-metric="${key}"]`);
    expect(await row('followUpAccuracy').locator('td').nth(2).textContent()).toBe('≥ 91.5%');
    expect(await row('followUpAccuracy').locator('td').nth(3).textContent()).toBe('✘ 未达标');
    expect(await row('followUpAccuracy').getAttribute('data-met')).toBe('no');
    expect(await row('falseYesRate').locator('td').nth(2).textContent()).toBe('≤ 0%');
    expect(await row('falseYesRate').locator('td').nth(3).textContent()).toBe('✘ 未达标');
    expect(await row('factAccuracy').locator('td').nth(3).textContent()).toBe('✔ 达标');
    expect(await row('latencyP95Ms').locator('td').nth(2).textContent()).toBe('≤ 250 ms');
    expect(await row('latencyP95Ms').locator('td').nth(3).textContent()).toBe('✔ 达标');
    expect(await row('hit1').locator('td').nth(3).textContent()).toBe('未设阈值');

    const help = row('followUpAccuracy').locator('.metric-help');
    expect(await help.isVisible()).toBe(true);
    expect(await help.textContent()).toBe('对话集中第二轮及以后（省略了主语的追问）答对的比例');
    expect(await page.locator('table.metrics .metric-help').count()).toBe(await page.locator('table.metrics tbody tr').count());

    await page.evaluate('window.scrollTo(0, 0)'); // bounding boxes are then page coordinates, as a full-page clip wants
    const detail = await page.locator('#run-detail').boundingBox();
    const metrics = await page.locator('table.metrics').boundingBox();
    await page.screenshot({ path: join(IMAGES, 'console-verdict.png'), fullPage: true, clip: { x: 0, y: detail!.y - 8, width: 1366, height: Math.ceil(metrics!.y + metrics!.height - detail!.y + 16) } });
  });

  it('says a track case in words: expected and first-choice tracks by name, or by id when the result has no names', async () => {
    const named = page.locator('#failing-cases article[data-case="tracks:t-named"]');
    expect(await named.locator('.track-verdict').textContent()).toBe('期望：金融兴辽·产融结合 或 十大案例·产业金融；实际首选：金融兴辽·养老金融');
    expect(await named.textContent()).toContain('我们是一家为制造业企业提供供应链融资的银行分行');
    expect(await named.textContent()).not.toContain('∉');
    expect(await named.locator('.problems li').allTextContents()).toEqual(['首选赛道不是期望的赛道']);

    const ids = page.locator('#failing-cases article[data-case="tracks:t-ids"]');
    expect(await ids.locator('.track-verdict').textContent()).toBe('期望：jxl-tech；实际首选：jxl-green');
    expect(await ids.locator('.problems li').allTextContents()).toEqual(['首选赛道不是期望的赛道', '应提示没有合适的赛道，实际却推荐了：jxl-green、jxl-tech']);
  });

  it('shows every failing case with its question, answer and source span (quote in its context), as text', async () => {
    const qa = page.locator('#failing-cases article[data-case="qa:qa-017"]');
    const dd = (label: string) => qa.locator(`dt:text-is("${label}") + dd`);
    expect(await dd('问题').textContent()).toBe(`担保费率是多少？${HOSTILE}`);
    expect(await dd('回答').textContent()).toBe('政府性融资担保机构按规定给予补贴。');
    expect(await qa.locator('mark').textContent()).toBe(QA_SOURCE.quote);
    expect(await qa.locator('.source .quote').textContent()).toBe(`…${QA_SOURCE.context}…`);
    expect(await qa.locator('.source .doc code').textContent()).toBe('measures-2024 · 字符 1200–1209');
    expect(await page.locator('#failing-cases img').count()).toBe(0);

    // A case that was not answered says so rather than showing nothing.
    const dialogue = page.locator('#failing-cases article[data-case="dialogues-blind-a:d-004"]');
    expect(await dialogue.locator('dt:text-is("回答") + dd').textContent()).toBe('（没有回答）');
    expect(await page.locator('#failing-cases article.case').count()).toBe(4);

    await page.evaluate('window.scrollTo(0, 0)');
    const cases = await page.locator('#failing-cases').boundingBox();
    await page.screenshot({ path: join(IMAGES, 'console-failing-cases.png'), fullPage: true, clip: { x: 0, y: cases!.y - 8, width: 1366, height: Math.ceil(cases!.height + 16) } });
  });

  it('calls a run 达标 only when nothing misses: a missed metric with no stored failures is still 未达标', async () => {
    await page.locator('#runs button[data-run-id="run-silent-miss"]').click();
    await page.locator('#run-detail[data-run-id="run-silent-miss"]:not([aria-busy])').waitFor(POLL);
    expect(await page.locator('#run-verdict .verdict-word').textContent()).toBe('未达标');
    expect(await page.locator('#run-verdict li').allTextContents()).toEqual(['答案要点准确率 90.0%，低于阈值 98%']);

    await page.locator('#runs button[data-run-id="run-pass"]').click();
    await page.locator('#run-detail[data-run-id="run-pass"]:not([aria-busy])').waitFor(POLL);
    expect(await page.locator('#run-verdict').getAttribute('data-verdict')).toBe('pass');
    expect(await page.locator('#run-verdict .verdict-word').textContent()).toBe('达标');
    expect(await page.locator('#run-verdict li').count()).toBe(0);
    expect(await page.locator('table.metrics tr[data-met="no"]').count()).toBe(0);
  });

  it('prints the selected run as a report without the navigation (print stylesheet) after showing all failing cases', async () => {
    await page.locator('#runs button[data-run-id="run-fail"]').click();
    await page.locator('#run-detail[data-run-id="run-fail"]:not([aria-busy])').waitFor(POLL);
    await page.getByLabel('按评测集筛选').selectOption('tracks');
    expect(await page.locator('#failing-cases article.case').count()).toBe(2);

    await page.getByRole('button', { name: '打印/导出' }).click();
    expect(await page.evaluate<number>('window.__printed || 0')).toBe(1);
    expect(await page.locator('#failing-cases article.case').count()).toBe(4);

    await page.emulateMedia({ media: 'print' });
    try {
      for (const hidden of ['header.top', '.tabs', '#runs', '#charts', '#run-eval', '.report-actions', '#failing-set']) {
        expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
      }
      for (const shown of ['#run-verdict', 'table.metrics', '#failing-cases article[data-case="tracks:t-named"]', '#failing-cases article[data-case="qa:qa-017"] mark']) {
        expect(await page.locator(shown).first().isVisible(), shown).toBe(true);
      }
      expect(await page.locator('#run-verdict').textContent()).toContain('追问答对率 66.7%，低于阈值 91.5%');
      await page.screenshot({ path: join(IMAGES, 'console-print.png'), fullPage: true });
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    expect(await page.locator('header.top').isVisible()).toBe(true);
  });

  it('downloads the selected run as JSON', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 JSON' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('eval-run-run-fail.json');
    const saved = JSON.parse(readFileSync((await file.path())!, 'utf8')) as unknown;
    expect(saved).toEqual(details['run-fail']);
  });

  it('names unanswered groups by their subject when known, else by topic, with example questions as text', async () => {
    await page.getByRole('tab', { name: '提问记录' }).click();
    const groups = page.locator('#unanswered article.group');
    await expect.poll(() => groups.count(), POLL).toBe(2);
    const bySubject = page.locator('#unanswered article.group[data-subject-id="guarantee"]');
    expect(await bySubject.locator('.group-name').textContent()).toBe('政府性融资担保');
    expect(await bySubject.locator('.meta').textContent()).toContain('政策主题');
    expect(await bySubject.locator('li').allTextContents()).toEqual(['担保公司的电话是多少？', '担保费能退吗？', HOSTILE]);
    expect(await bySubject.locator('.badge').textContent()).toBe('3 次');
    const byTopic = groups.filter({ hasText: '今天沈阳天气怎么样？' });
    expect(await byTopic.getAttribute('data-subject-id')).toBeNull();
    expect(await byTopic.locator('.group-name').textContent()).toBe('天气');
    expect(await byTopic.locator('.meta').textContent()).toContain('超出文件范围');
    expect(await page.locator('#unanswered img').count()).toBe(0);

    await page.evaluate('window.scrollTo(0, 0)');
    const box = await page.locator('#unanswered').boundingBox();
    await page.screenshot({ path: join(IMAGES, 'console-unanswered.png'), fullPage: true, clip: { x: 0, y: box!.y - 60, width: 1366, height: Math.ceil(box!.height + 76) } });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
