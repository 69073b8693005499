import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';

/**
 * The staff console with the keyboard only (Tab, Shift+Tab, Enter, Space, Escape, typing; the arrow keys between the
 * tabs, as in any tab list) and never the mouse: signing in, attaching an unanswered question to a sentence and to a
 * catalogue field, approving and undoing in the review list, and the run report's print and export. Every stop on
 * the way shows its focus ring and has a name; dialogs keep focus inside and give it back on Escape.
 * The staff answers run against the real server; the eval runs are fixtures (a real eval takes a minute and is run
 * in console.e2e.test.ts).
 */

const POLL = { timeout: 15_000 };
const PASSAGE_QUESTION = '在辽信宝上测额会不会影响我们企业的征信记录？';
const FIELD_QUESTION = '金融兴辽投票几点截止？';
const VOTE_FIELD = 'jinrong-xingliao-2025:timeline:投票时间';

const run = (id: string, startedAt: string, passed: number) => ({
  id,
  startedAt,
  finishedAt: startedAt,
  mode: 'extractive',
  target: 'in-process',
  corpusHash: '3f9a0c51d2e7b8',
  cases: 10,
  passed,
  failed: 10 - passed,
  metrics: { factAccuracy: passed / 10 },
  failures: [],
  validation: [],
  sets: { qa: { cases: 10, passed } },
  breakdown: null,
});
const RUNS = [run('run-new', '2026-11-22T02:30:00.000Z', 9), run('run-old', '2026-11-21T02:30:00.000Z', 10)];
const DETAILS: Record<string, unknown> = Object.fromEntries(
  RUNS.map((r, i) => [r.id, { ...r, status: 'finished', results: [], comparison: { previousId: RUNS[i + 1]?.id ?? null, newlyFailing: [], newlyPassing: [] } }]),
);

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

interface Focus {
  id: string;
  testId: string | null;
  name: string;
  visible: boolean;
  dialog: string | null;
  text: string;
}

/** What has focus: its id, accessible name (roughly: aria-label, aria-labelledby, label or text), whether its ring shows. */
const FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const byIds = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  const name = (el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') && byIds(el.getAttribute('aria-labelledby'))) || [...(el.labels || [])].map((l) => l.textContent).join(' ') || el.textContent || '').trim();
  return { id: el.id, testId: el.getAttribute('data-testid'), name, visible: el.matches(':focus-visible'), dialog: el.closest('dialog')?.id ?? null, text: (el.textContent || '').trim() };
})()`;
const focus = (p: Page) => p.evaluate(FOCUS) as Promise<Focus | null>;

/**
 * Presses Tab (or Shift+Tab, whichever way the target lies) until the focused element satisfies `predicate` (the
 * source of a function of the element); every stop on the way must show its focus ring and have a name.
 */
async function tabTo(p: Page, predicate: string, max = 400): Promise<Focus> {
  const backwards = await p.evaluate(`(() => {
    const match = ${predicate};
    const target = [...document.querySelectorAll('*')].find((el) => match(el));
    if (!target) throw new Error('nothing to tab to: ' + ${JSON.stringify(predicate)});
    const from = document.activeElement || document.body;
    return from !== target && !!(from.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
  })()`);
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focus(p);
    expect(now, `focus lost on the way to ${predicate}`).not.toBeNull();
    expect(now!.visible, `no focus ring on ${JSON.stringify(now)}`).toBe(true);
    expect(now!.name, `no name on ${JSON.stringify(now)}`).not.toBe('');
    if (await p.evaluate(`(${predicate})(document.activeElement)`)) return now!;
  }
  throw new Error(`${predicate} not reached in ${max} key presses`);
}

const inExample = (question: string, label: string) =>
  `(el) => el.localName === 'button' && el.getAttribute('aria-label') === ${JSON.stringify(label)} && !!el.closest('#unanswered li') && el.closest('li').firstChild.textContent === ${JSON.stringify(question)}`;

function json(route: Route, body: unknown): Promise<void> {
  return route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
}

async function ask(question: string): Promise<{ answerable: boolean; via?: { staffAnswerId: string } }> {
  const res = await fetch(`${server.base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { answerable: boolean; via?: { staffAnswerId: string } };
}

async function staffAnswer(id: string): Promise<{ status: string }> {
  const res = await fetch(`${server.base}/api/admin/staff-answers`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const { staffAnswers } = (await res.json()) as { staffAnswers: Array<{ id: string; status: string }> };
  return staffAnswers.find((a) => a.id === id)!;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  expect((await ask(PASSAGE_QUESTION)).answerable).toBe(false);
  expect((await ask(FIELD_QUESTION)).answerable).toBe(false);
  context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // window.print() would block a headless page: count the calls instead. Any pointer use is counted too.
  await page.addInitScript(`
    window.print = function () { window.__printed = (window.__printed || 0) + 1; };
    window.__pointer = 0;
    addEventListener('pointerdown', () => window.__pointer++, true);`);
  await page.route(
    (url) => url.pathname.startsWith('/api/evals/runs'),
    (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/api/evals/runs') return json(route, { runs: RUNS, running: null, thresholds: { factAccuracy: 0.8 } });
      return json(route, DETAILS[decodeURIComponent(path.slice('/api/evals/runs/'.length))]);
    },
  );
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe('staff console with the keyboard only', () => {
  const dialog = () => page.locator('#attach-dialog');
  let passageId = '';
  let fieldId = '';

  it('signs in: the token field has focus, Enter signs in, and focus moves to the selected tab', async () => {
    await page.goto(`${server.base}/console`);
    await page.locator('#signin').waitFor();
    expect((await focus(page))?.id).toBe('token');
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#app').waitFor({ state: 'visible' });
    expect(await focus(page)).toMatchObject({ id: 'tab-evals', visible: true, name: '评测' });
  });

  it('opens the unanswered list and the attach dialog: Tab stays inside, Escape closes it and focus returns to the opener', async () => {
    await page.keyboard.press('ArrowRight');
    expect(await focus(page)).toMatchObject({ id: 'tab-questions', visible: true });
    expect(await page.locator('#panel-questions').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#unanswered li', { hasText: PASSAGE_QUESTION }).count(), POLL).toBe(1);

    const opener = inExample(PASSAGE_QUESTION, '指定答案出处');
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'visible' });
    expect(await focus(page)).toMatchObject({ id: 'attach-q', dialog: 'attach-dialog', visible: true });
    expect(await page.locator('#attach-q').inputValue()).toBe(PASSAGE_QUESTION);
    await expect.poll(() => dialog().locator('button.sentence').count(), POLL).toBeGreaterThan(0);

    // Backwards past the first control comes round to the last one (提交审核 is disabled: 取消), and forwards again.
    await page.keyboard.press('Shift+Tab');
    expect(await focus(page)).toMatchObject({ testId: 'attach-source-fields', dialog: 'attach-dialog' });
    await page.keyboard.press('Shift+Tab');
    expect(await focus(page)).toMatchObject({ testId: 'attach-source-passages', dialog: 'attach-dialog' });
    await page.keyboard.press('Shift+Tab');
    expect(await focus(page)).toMatchObject({ id: 'attach-cancel', dialog: 'attach-dialog', visible: true });
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ testId: 'attach-source-passages', dialog: 'attach-dialog', visible: true });

    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    expect(await focus(page)).toMatchObject({ name: '指定答案出处', visible: true, dialog: null });
    expect(await page.evaluate(`(${opener})(document.activeElement)`)).toBe(true);
  });

  it('searches, picks a sentence with Space, submits with Enter and signs in the name dialog; focus lands on 已提交审核', async () => {
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'visible' });
    expect((await focus(page))?.id).toBe('attach-q');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('辽信宝');
    const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/search' && new URL(r.url()).searchParams.get('q') === '辽信宝');
    await page.keyboard.press('Enter');
    await searched;
    await expect.poll(() => dialog().locator('button.sentence').count(), POLL).toBeGreaterThan(0);

    const sentence = await tabTo(page, `(el) => el.matches('#attach-results button.sentence') && el.textContent.length >= 12`);
    await page.keyboard.press('Space');
    expect(await page.evaluate(`document.activeElement.getAttribute('aria-pressed')`)).toBe('true');
    expect(await page.locator('#attach-picked .quote-text').textContent()).toBe(sentence.text);

    await tabTo(page, `(el) => el.id === 'attach-submit'`);
    await page.keyboard.press('Enter');
    await page.locator('#name-dialog').waitFor({ state: 'visible' });
    expect(await focus(page)).toMatchObject({ id: 'staff-name', dialog: 'name-dialog' });
    await page.keyboard.type('键盘');
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/staff-answers' && r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    const response = await created;
    expect(response.status()).toBe(201);
    const body = (await response.json()) as { staffAnswer: { id: string; quote: string; createdBy: string } };
    expect(body.staffAnswer).toMatchObject({ quote: sentence.text, createdBy: '键盘' });
    passageId = body.staffAnswer.id;
    await dialog().waitFor({ state: 'hidden' });
    // The opener was replaced by 已提交审核, which takes focus: the keyboard user keeps their place.
    await expect.poll(() => focus(page), POLL).toMatchObject({ name: '已提交审核', visible: true, dialog: null });
    expect(await page.evaluate(`document.activeElement.closest('li').firstChild.textContent`)).toBe(PASSAGE_QUESTION);
  });

  it('picks a catalogue field (目录字段) with the keyboard, searched with the same box', async () => {
    await tabTo(page, inExample(FIELD_QUESTION, '指定答案出处'));
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'visible' });
    expect((await focus(page))?.id).toBe('attach-q');
    await page.keyboard.press('Shift+Tab');
    expect(await focus(page)).toMatchObject({ testId: 'attach-source-fields', visible: true });
    await page.keyboard.press('Space');
    expect(await page.getByTestId('attach-source-fields').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => dialog().getByTestId('attach-field').count(), POLL).toBeGreaterThan(10);

    await page.keyboard.press('Tab');
    expect((await focus(page))?.id).toBe('attach-q');
    await page.keyboard.type('投票时间');
    const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/catalogue-fields' && new URL(r.url()).searchParams.get('q') === '投票时间');
    await page.keyboard.press('Enter');
    await searched;
    // (The list is drawn after the response arrives.)
    await expect.poll(() => dialog().locator(`button[data-field-id="${VOTE_FIELD}"]`).count(), POLL).toBeGreaterThan(0);
    const field = await tabTo(page, `(el) => el.getAttribute('data-field-id') === ${JSON.stringify(VOTE_FIELD)} && el.localName === 'button'`);
    expect(field.text).toContain('金融兴辽 › 投票时间');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(`document.activeElement.getAttribute('aria-pressed')`)).toBe('true');

    await tabTo(page, `(el) => el.id === 'attach-submit'`);
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/staff-answers' && r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    const response = await created;
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toEqual({ question: FIELD_QUESTION, by: '键盘', kind: 'answer', field: VOTE_FIELD });
    fieldId = ((await response.json()) as { staffAnswer: { id: string } }).staffAnswer.id;
    await dialog().waitFor({ state: 'hidden' });
    await expect.poll(() => focus(page), POLL).toMatchObject({ name: '已提交审核', visible: true });
    expect(await page.evaluate(`document.activeElement.closest('li').firstChild.textContent`)).toBe(FIELD_QUESTION);
  });

  it('approves in the review list (Enter, Space), then undoes it with 撤销, which takes focus after approving', async () => {
    const row = (id: string) => page.locator(`#staff-answers tr[data-id="${id}"]`);
    await expect.poll(() => row(fieldId).count(), POLL).toBe(1);
    await tabTo(page, `(el) => el.matches('#staff-answers tr[data-id="${fieldId}"] button[data-action="approve"]')`);
    await page.keyboard.press('Enter');
    await expect.poll(() => row(fieldId).count(), POLL).toBe(0);
    expect(await page.locator('#staff-status').textContent()).toBe(`“${FIELD_QUESTION}”已通过，问答即刻按这条人工答案回答。`);
    await expect.poll(() => focus(page), POLL).toMatchObject({ testId: 'staff-undo', visible: true, name: `撤销刚才的通过：“${FIELD_QUESTION}”` });
    expect((await ask(FIELD_QUESTION)).via).toEqual({ staffAnswerId: fieldId });

    await page.keyboard.press('Enter');
    await expect.poll(async () => (await staffAnswer(fieldId)).status, POLL).toBe('withdrawn');
    await expect.poll(() => page.locator('#staff-status').textContent(), POLL).toBe(`“${FIELD_QUESTION}”已撤销，问答不再按这条人工答案回答。`);
    expect(await page.getByTestId('staff-undo').isVisible()).toBe(false);
    await expect.poll(() => focus(page), POLL).toMatchObject({ id: 'sa-status', visible: true });
    expect((await ask(FIELD_QUESTION)).via).toBeUndefined();

    // Space works on the review buttons too.
    await tabTo(page, `(el) => el.matches('#staff-answers tr[data-id="${passageId}"] button[data-action="approve"]')`);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await staffAnswer(passageId)).status, POLL).toBe('approved');
    await expect.poll(() => focus(page), POLL).toMatchObject({ testId: 'staff-undo', visible: true });
  });

  it('closes the name dialog with Escape, keeping focus inside it before and giving it back to 更换署名 after', async () => {
    await tabTo(page, `(el) => el.id === 'staff-rename'`);
    await page.keyboard.press('Enter');
    await page.locator('#name-dialog').waitFor({ state: 'visible' });
    expect(await focus(page)).toMatchObject({ id: 'staff-name', dialog: 'name-dialog' });
    expect(await page.locator('#staff-name').inputValue()).toBe('键盘');
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ id: 'name-cancel', visible: true });
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ name: '确定', dialog: 'name-dialog', visible: true });
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ id: 'staff-name', dialog: 'name-dialog' });
    await page.keyboard.press('Escape');
    await page.locator('#name-dialog').waitFor({ state: 'hidden' });
    expect(await focus(page)).toMatchObject({ id: 'staff-rename', visible: true });
    expect(await page.locator('#staff-who').textContent()).toBe('署名：键盘');
  });

  it('selects a run and uses the run report’s 打印/导出 and 下载 JSON', async () => {
    await tabTo(page, `(el) => el.id === 'tab-questions'`);
    await page.keyboard.press('ArrowLeft');
    expect(await focus(page)).toMatchObject({ id: 'tab-evals', visible: true });
    await page.locator('#run-detail[data-run-id="run-new"]:not([aria-busy])').waitFor(POLL);

    await tabTo(page, `(el) => el.matches('#runs button[data-run-id="run-old"]')`);
    await page.keyboard.press('Enter');
    await page.locator('#run-detail[data-run-id="run-old"]:not([aria-busy])').waitFor(POLL);
    expect(await page.locator('#runs button[data-run-id="run-old"]').getAttribute('aria-pressed')).toBe('true');

    await tabTo(page, `(el) => el.id === 'run-print'`);
    await page.keyboard.press('Enter');
    expect(await page.evaluate('window.__printed || 0')).toBe(1);
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ id: 'run-download', visible: true });
    const download = page.waitForEvent('download');
    await page.keyboard.press('Space');
    const file = await download;
    expect(file.suggestedFilename()).toBe('eval-run-run-old.json');
    expect(JSON.parse(readFileSync((await file.path())!, 'utf8'))).toEqual(DETAILS['run-old']);

    // All of it without the mouse.
    expect(await page.evaluate('window.__pointer')).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
