import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from './support/images.ts';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';

/**
 * Closing the loop from the console: an unanswered (or badly rated) question attached to the sentence that answers
 * it, or marked out of scope, then reviewed (通过 / 驳回 / 撤销). The list and review flows run on sample data
 * (page.route), so they do not depend on timing; the last block runs the whole loop against the real server, when
 * its staff-answer routes are there.
 */

const HOSTILE = '<img src=x onerror=alert(1)>';
const POLL = { timeout: 15_000 };
const NAME_KEY = 'policy-console-staff-name';

interface StaffAnswer {
  id: string;
  question: string;
  kind: 'answer' | 'out_of_scope';
  docId: string | null;
  start: number | null;
  end: number | null;
  quote: string | null;
  section: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  createdBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  messageId: string | null;
}

const QUESTIONS = [
  { id: 'm-declined', conversationId: 'c1', question: '辽信宝测额会影响征信吗？', answer: '抱歉，原文中没有找到依据。', answerable: false, declineReason: 'no_evidence', mode: 'extractive', latencyMs: 12, createdAt: '2026-11-22T03:10:00.000Z', helpful: null, comment: null },
  { id: 'm-unhelpful', conversationId: 'c2', question: '无还本续贷去哪里办？', answer: '符合条件的小微企业可以申请无还本续贷。', answerable: true, declineReason: null, mode: 'extractive', latencyMs: 9, createdAt: '2026-11-22T03:05:00.000Z', helpful: false, comment: '想知道具体去哪个银行办' },
  { id: 'm-fine', conversationId: 'c3', question: '担保费补贴是多少？', answer: '担保费率不超过1%。', answerable: true, declineReason: null, mode: 'extractive', latencyMs: 8, createdAt: '2026-11-22T03:00:00.000Z', helpful: true, comment: null },
];

const GROUPS = [
  { topic: '天气', count: 2, reasons: { out_of_scope: 2 }, last: '2026-11-22T02:00:00.000Z', questions: ['今天沈阳天气怎么样？', HOSTILE] },
];

/** A chunk whose sentences end in 。！？；, one with a closing quote, one after a line break with leading spaces. */
const CHUNK_START = 1000;
const CHUNK_TEXT = '（一）适用范围。各银行应当“应续尽续”！\n  是否收费？不收取任何费用；详见附件';
const SEARCH = {
  query: '续贷',
  results: [
    { rank: 1, chunkId: 'measures:12', docId: 'measures', title: '若干措施', section: '若干措施 › 三、续贷', text: CHUNK_TEXT, start: CHUNK_START, end: CHUNK_START + CHUNK_TEXT.length, score: 0.9, bm25: 3.1, vector: 0.8 },
    { rank: 2, chunkId: 'guide:3', docId: 'guide', title: '操作指南', section: '操作指南 › 二', text: `客服电话：12345。${HOSTILE}。`, start: 40, end: 40 + 10 + HOSTILE.length + 1, score: 0.5, bm25: 1.2, vector: 0.4 },
  ],
};
const SENTENCES = ['（一）适用范围。', '各银行应当“应续尽续”！', '是否收费？', '不收取任何费用；', '详见附件'];

function sample(): StaffAnswer[] {
  return [
    { id: 'sa-1', question: '辽信宝测额会影响征信吗？', kind: 'answer', docId: 'measures', start: 1200, end: 1215, quote: '测额查询不影响企业征信记录。', section: '若干措施 › 五、辽信宝', status: 'pending', createdBy: '张敏', createdAt: '2026-11-22T03:20:00.000Z', reviewedBy: null, reviewedAt: null, messageId: 'm-declined' },
    { id: 'sa-2', question: `今天沈阳天气怎么样？${HOSTILE}`, kind: 'out_of_scope', docId: null, start: null, end: null, quote: null, section: null, status: 'pending', createdBy: '张敏', createdAt: '2026-11-22T03:21:00.000Z', reviewedBy: null, reviewedAt: null, messageId: null },
    { id: 'sa-3', question: '担保费能退吗？', kind: 'answer', docId: 'measures', start: 300, end: 320, quote: HOSTILE, section: '若干措施 › 二', status: 'approved', createdBy: '李强', createdAt: '2026-11-21T08:00:00.000Z', reviewedBy: '王芳', reviewedAt: '2026-11-21T09:30:00.000Z', messageId: null },
    { id: 'sa-4', question: '贷款利率多少？', kind: 'answer', docId: 'measures', start: 10, end: 20, quote: '利率由银行确定。', section: '若干措施', status: 'rejected', createdBy: '李强', createdAt: '2026-11-20T08:00:00.000Z', reviewedBy: '王芳', reviewedAt: '2026-11-20T09:00:00.000Z', messageId: null },
    { id: 'sa-5', question: '旧问题', kind: 'out_of_scope', docId: null, start: null, end: null, quote: null, section: null, status: 'withdrawn', createdBy: '李强', createdAt: '2026-11-19T08:00:00.000Z', reviewedBy: '王芳', reviewedAt: '2026-11-19T10:00:00.000Z', messageId: null },
  ];
}

let server: RunningServer;
let browser: Browser;

function json(route: Route, body: unknown, status = 200): Promise<void> {
  return route.fulfill({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.base}/console#questions`);
  await page.getByLabel('管理令牌').fill(ADMIN_TOKEN);
  await page.getByLabel('管理令牌').press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(IMAGES, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('staff console: staff answers on sample data', () => {
  let context: BrowserContext;
  let page: Page;
  let store: StaffAnswer[];
  const posted: Array<Record<string, unknown>> = [];
  const reviews: Array<{ id: string; action: string; body: Record<string, unknown> }> = [];
  const listed: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  /** Set to make the next POST /api/admin/staff-answers fail with this error. */
  let failNextPost: { status: number; code: string; message: string } | null = null;

  beforeAll(async () => {
    store = sample();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.route((url) => url.pathname === '/api/admin/questions', (route) => json(route, { questions: QUESTIONS }));
    await page.route((url) => url.pathname === '/api/admin/unanswered', (route) => json(route, { groups: GROUPS }));
    await page.route((url) => url.pathname === '/api/search', (route) => json(route, SEARCH));
    await page.route(
      (url) => url.pathname.startsWith('/api/admin/staff-answers'),
      async (route) => {
        const request = route.request();
        const url = new URL(request.url());
        if (url.pathname === '/api/admin/staff-answers' && request.method() === 'GET') {
          listed.push(url.search);
          const status = url.searchParams.get('status');
          return json(route, { staffAnswers: store.filter((a) => !status || a.status === status) });
        }
        const body = (request.postDataJSON() ?? {}) as Record<string, unknown>;
        if (url.pathname === '/api/admin/staff-answers' && request.method() === 'POST') {
          posted.push(body);
          if (failNextPost) {
            const error = failNextPost;
            failNextPost = null;
            return json(route, { error: { code: error.code, message: error.message } }, error.status);
          }
          const created: StaffAnswer = {
            id: `sa-new-${posted.length}`,
            question: String(body.question),
            kind: body.kind as StaffAnswer['kind'],
            docId: (body.docId as string) ?? null,
            start: (body.start as number) ?? null,
            end: (body.end as number) ?? null,
            // As the server does: the quote is the document's text at the offsets (here: the sample chunk's).
            quote: body.kind === 'answer' ? CHUNK_TEXT.slice(Number(body.start) - CHUNK_START, Number(body.end) - CHUNK_START) : null,
            section: body.kind === 'answer' ? SEARCH.results[0].section : null,
            status: 'pending',
            createdBy: String(body.by),
            createdAt: '2026-11-22T04:00:00.000Z',
            reviewedBy: null,
            reviewedAt: null,
            messageId: (body.messageId as string) ?? null,
          };
          store.unshift(created);
          return json(route, { staffAnswer: created }, 201);
        }
        const m = /^\/api\/admin\/staff-answers\/([^/]+)\/(approve|reject|withdraw)$/.exec(url.pathname);
        const entry = m && store.find((a) => a.id === decodeURIComponent(m[1]));
        if (!m || !entry) return json(route, { error: { code: 'not_found', message: '找不到这条人工答案。' } }, 404);
        reviews.push({ id: entry.id, action: m[2], body });
        const allowed = m[2] === 'withdraw' ? ['pending', 'approved'] : ['pending'];
        if (!allowed.includes(entry.status)) return json(route, { error: { code: 'invalid_status', message: '这条人工答案的状态已变更，不能再执行这个操作。' } }, 409);
        entry.status = m[2] === 'approve' ? 'approved' : m[2] === 'reject' ? 'rejected' : 'withdrawn';
        entry.reviewedBy = String(body.by);
        entry.reviewedAt = '2026-11-22T04:10:00.000Z';
        return json(route, { staffAnswer: entry });
      },
    );
    await signIn(page);
  });

  afterAll(async () => {
    await context?.close();
  });

  const rows = () => page.locator('#staff-answers tbody tr');
  const row = (id: string) => page.locator(`#staff-answers tr[data-id="${id}"]`);

  it('lists pending staff answers with who and when, the question and the quote (or 超出范围), as text', async () => {
    await expect.poll(() => rows().count(), POLL).toBe(2);
    expect(listed[0]).toBe('?status=pending');
    expect(await page.locator('#staff-answers thead th').allTextContents()).toEqual(['状态', '问题', '答案出处', '提交', '审核', '操作']);
    const first = row('sa-1');
    expect(await first.locator('td').nth(0).textContent()).toBe('待审核');
    expect(await first.locator('td.q').textContent()).toBe('辽信宝测额会影响征信吗？');
    expect(await first.locator('.quote-text').textContent()).toBe('测额查询不影响企业征信记录。');
    expect(await first.locator('.source code').textContent()).toBe('measures · 字符 1200–1215');
    expect(await first.locator('td').nth(3).textContent()).toBe('张敏2026-11-22 11:20:00');
    expect(await first.locator('td').nth(4).textContent()).toBe('—');
    expect(await first.getByRole('button').allTextContents()).toEqual(['通过', '驳回']);
    const outOfScope = row('sa-2');
    expect(await outOfScope.getAttribute('data-kind')).toBe('out_of_scope');
    expect(await outOfScope.locator('td.quote .badge').textContent()).toBe('超出范围');
    expect(await outOfScope.locator('td.q').textContent()).toBe(`今天沈阳天气怎么样？${HOSTILE}`);
    expect(await page.locator('#staff-answers img').count()).toBe(0);
  });

  it('filters by status: 已生效 can be undone (撤销), 已驳回 and 已撤销 have no actions', async () => {
    await page.locator('#sa-status').selectOption('approved');
    await expect.poll(() => listed.at(-1), POLL).toBe('?status=approved');
    await expect.poll(() => rows().count(), POLL).toBe(1);
    const approved = row('sa-3');
    expect(await approved.locator('td').nth(0).textContent()).toBe('已生效');
    expect(await approved.locator('.quote-text').textContent()).toBe(HOSTILE);
    expect(await approved.locator('td').nth(4).textContent()).toBe('王芳2026-11-21 17:30:00');
    expect(await approved.getByRole('button').allTextContents()).toEqual(['撤销']);

    await page.locator('#sa-status').selectOption('rejected');
    await expect.poll(() => page.locator('#staff-answers tr[data-id="sa-4"]').count(), POLL).toBe(1);
    expect(await row('sa-4').locator('td').nth(0).textContent()).toBe('已驳回');
    expect(await row('sa-4').getByRole('button').count()).toBe(0);

    await page.locator('#sa-status').selectOption('withdrawn');
    await expect.poll(() => page.locator('#staff-answers tr[data-id="sa-5"]').count(), POLL).toBe(1);
    expect(await row('sa-5').locator('td').nth(0).textContent()).toBe('已撤销');
    expect(await row('sa-5').getByRole('button').count()).toBe(0);

    await page.locator('#sa-status').selectOption('');
    await expect.poll(() => rows().count(), POLL).toBe(5);
    expect(listed.at(-1)).toBe('');
  });

  it('asks for the name once, keeps it, and sends it as `by` when approving and rejecting', async () => {
    await page.locator('#sa-status').selectOption('pending');
    await expect.poll(() => rows().count(), POLL).toBe(2);
    expect(await page.evaluate<string | null>(`localStorage.getItem('${NAME_KEY}')`)).toBeNull();
    expect(await page.locator('#staff-who').textContent()).toBe('尚未署名');

    await row('sa-1').getByRole('button', { name: '通过' }).click();
    const nameDialog = page.locator('#name-dialog');
    await nameDialog.waitFor({ state: 'visible' });
    // An empty name is refused.
    await nameDialog.getByRole('button', { name: '确定' }).click();
    expect(await page.locator('#name-error').textContent()).toBe('请填写姓名。');
    expect(reviews).toEqual([]);
    await page.getByLabel('姓名', { exact: true }).fill('  王芳 ');
    await nameDialog.getByRole('button', { name: '确定' }).click();

    await expect.poll(() => reviews.length, POLL).toBe(1);
    expect(reviews[0]).toEqual({ id: 'sa-1', action: 'approve', body: { by: '王芳' } });
    expect(await nameDialog.isVisible()).toBe(false);
    expect(await page.evaluate<string | null>(`localStorage.getItem('${NAME_KEY}')`)).toBe('王芳');
    expect(await page.locator('#staff-who').textContent()).toBe('署名：王芳');
    // The approved entry leaves the pending list, and the page says what happened.
    await expect.poll(() => row('sa-1').count(), POLL).toBe(0);
    expect(await page.locator('#staff-status').textContent()).toBe('“辽信宝测额会影响征信吗？”已通过，问答即刻按这条人工答案回答。');

    // Not asked again.
    await row('sa-2').getByRole('button', { name: '驳回' }).click();
    await expect.poll(() => reviews.length, POLL).toBe(2);
    expect(reviews[1]).toEqual({ id: 'sa-2', action: 'reject', body: { by: '王芳' } });
    expect(await nameDialog.isVisible()).toBe(false);
    await expect.poll(() => rows().count(), POLL).toBe(0);
    expect(await page.locator('#staff-answers').textContent()).toBe('没有待审核的人工答案。');
  });

  it('undoes an approved answer (撤销), and shows the server’s Chinese message on a 409', async () => {
    await page.locator('#sa-status').selectOption('approved');
    await expect.poll(() => row('sa-3').count(), POLL).toBe(1);
    expect(await row('sa-1').getByRole('button').allTextContents()).toEqual(['撤销']);
    // Someone else withdraws sa-3 meanwhile: the click gets a 409.
    store.find((a) => a.id === 'sa-3')!.status = 'withdrawn';
    await row('sa-3').getByRole('button', { name: '撤销' }).click();
    const error = page.locator('#staff-error');
    await expect.poll(() => error.isVisible(), POLL).toBe(true);
    expect(await error.textContent()).toBe('这条人工答案的状态已变更，不能再执行这个操作。');
    // The list is reloaded to show where things stand, and the message stays.
    await expect.poll(() => row('sa-3').count(), POLL).toBe(0);
    expect(await error.isVisible()).toBe(true);

    await row('sa-1').getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => reviews.at(-1), POLL).toEqual({ id: 'sa-1', action: 'withdraw', body: { by: '王芳' } });
    await expect.poll(() => row('sa-1').count(), POLL).toBe(0);
    expect(await error.isVisible()).toBe(false);
    expect(await page.locator('#staff-status').textContent()).toContain('已撤销，问答不再按这条人工答案回答。');
  });

  it('offers the actions on declined and unhelpful questions and on unanswered examples, not on answered ones', async () => {
    const qrow = (id: string) => page.locator(`#questions tr[data-id="${id}"]`);
    await expect.poll(() => page.locator('#questions tbody tr').count(), POLL).toBe(3);
    expect(await page.locator('#questions thead th').last().textContent()).toBe('处理');
    for (const id of ['m-declined', 'm-unhelpful']) {
      expect(await qrow(id).getByRole('button').allTextContents(), id).toEqual(['指定答案出处', '标记为超出范围']);
    }
    expect(await qrow('m-fine').getByRole('button').count()).toBe(0);
    // In the groups the buttons carry their words without adding them to the example's own text.
    const example = page.locator('#unanswered li', { hasText: HOSTILE });
    expect(await example.textContent()).toBe(HOSTILE);
    expect(await example.getByRole('button', { name: '指定答案出处' }).isVisible()).toBe(true);
    expect(await example.getByRole('button', { name: '标记为超出范围' }).isVisible()).toBe(true);
    expect(await page.locator('#unanswered img').count()).toBe(0);
  });

  it('attaches a question to one sentence of a search result, with document offsets = chunk start + offset in the chunk', async () => {
    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/search');
    await page.locator('#questions tr[data-id="m-declined"]').getByRole('button', { name: '指定答案出处' }).click();
    const dialog = page.locator('#attach-dialog');
    await dialog.waitFor({ state: 'visible' });
    const search = new URL((await searched).url());
    expect(search.searchParams.get('q')).toBe('辽信宝测额会影响征信吗？');
    expect(search.searchParams.get('k')).toBe('8');
    expect(await page.locator('#attach-question').textContent()).toBe('辽信宝测额会影响征信吗？');

    const first = dialog.locator('li[data-chunk-id="measures:12"] button.sentence');
    await expect.poll(() => first.count(), POLL).toBe(SENTENCES.length);
    expect(await first.allTextContents()).toEqual(SENTENCES);
    // Hostile text in a result is a sentence like any other: text, never markup.
    expect(await dialog.locator('li[data-chunk-id="guide:3"] button.sentence').allTextContents()).toEqual(['客服电话：12345。', `${HOSTILE}。`]);
    expect(await dialog.locator('img').count()).toBe(0);
    expect(await page.getByRole('button', { name: '提交审核' }).isDisabled()).toBe(true);

    const pick = first.filter({ hasText: '不收取任何费用；' });
    await pick.click();
    expect(await pick.getAttribute('aria-pressed')).toBe('true');
    expect(await dialog.locator('button.sentence[aria-pressed="true"]').count()).toBe(1);
    const offset = CHUNK_TEXT.indexOf('不收取任何费用；');
    expect(await page.locator('#attach-picked .quote-text').textContent()).toBe('不收取任何费用；');
    expect(await page.locator('#attach-picked code').textContent()).toBe(`measures · 字符 ${CHUNK_START + offset}–${CHUNK_START + offset + 8}`);

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(IMAGES, 'console-staff-attach.png') });

    // A refused submission shows the server's message in the dialog and keeps it open.
    failNextPost = { status: 400, code: 'invalid_quote', message: '所选句子与原文不符，请重新检索后再选。' };
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => page.locator('#attach-error').isVisible(), POLL).toBe(true);
    expect(await page.locator('#attach-error').textContent()).toBe('所选句子与原文不符，请重新检索后再选。');
    expect(await dialog.isVisible()).toBe(true);

    await page.getByRole('button', { name: '提交审核' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(posted.at(-1)).toEqual({ question: '辽信宝测额会影响征信吗？', by: '王芳', kind: 'answer', docId: 'measures', start: CHUNK_START + offset, end: CHUNK_START + offset + 8, messageId: 'm-declined' });
    expect(await page.locator('#questions tr[data-id="m-declined"] td.act').textContent()).toBe('已提交审核');
    // The new entry is in the pending list.
    expect(await page.locator('#sa-status').inputValue()).toBe('pending');
    await expect.poll(() => page.locator('#staff-answers tr[data-id="sa-new-2"]').count(), POLL).toBe(1);
    expect(await page.locator('#staff-answers tr[data-id="sa-new-2"] .quote-text').textContent()).toBe('不收取任何费用；');
    expect(await page.locator('#staff-answers tr[data-id="sa-new-2"] .source .doc').textContent()).toBe(`若干措施 › 三、续贷 measures · 字符 ${CHUNK_START + offset}–${CHUNK_START + offset + 8}`);
  });

  it('searches again with other words and picks a sentence from the new results; 取消 sends nothing', async () => {
    const before = posted.length;
    await page.locator('#questions tr[data-id="m-unhelpful"]').getByRole('button', { name: '指定答案出处' }).click();
    const dialog = page.locator('#attach-dialog');
    await dialog.waitFor({ state: 'visible' });
    const again = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/search' && new URL(r.url()).searchParams.get('q') === '续贷 费用');
    await page.locator('#attach-q').fill('续贷 费用');
    await page.locator('#attach-q').press('Enter');
    await again;
    await dialog.locator('button.sentence', { hasText: '是否收费？' }).click();
    expect(await page.locator('#attach-picked .quote-text').textContent()).toBe('是否收费？');
    await page.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(posted.length).toBe(before);
    expect(await page.locator('#questions tr[data-id="m-unhelpful"]').getByRole('button').count()).toBe(2);
  });

  it('marks an unanswered example out of scope (no messageId), and a badly rated question with its messageId', async () => {
    await page.locator('#unanswered li', { hasText: '今天沈阳天气怎么样？' }).getByRole('button', { name: '标记为超出范围' }).click();
    await expect.poll(() => posted.at(-1)?.question, POLL).toBe('今天沈阳天气怎么样？');
    expect(posted.at(-1)).toEqual({ question: '今天沈阳天气怎么样？', by: '王芳', kind: 'out_of_scope' });
    const marked = page.locator('#unanswered li', { hasText: '今天沈阳天气怎么样？' });
    await expect.poll(() => marked.getByRole('note', { name: '已提交审核' }).count(), POLL).toBe(1);
    expect(await marked.textContent()).toBe('今天沈阳天气怎么样？');

    // A refused one leaves the buttons and says why.
    failNextPost = { status: 409, code: 'duplicate', message: '这个问题已有待审核的人工答案。' };
    await page.locator('#questions tr[data-id="m-unhelpful"]').getByRole('button', { name: '标记为超出范围' }).click();
    await expect.poll(() => page.locator('#app-error').isVisible(), POLL).toBe(true);
    expect(await page.locator('#app-error').textContent()).toBe('这个问题已有待审核的人工答案。');
    expect(await page.locator('#questions tr[data-id="m-unhelpful"]').getByRole('button', { name: '标记为超出范围' }).isEnabled()).toBe(true);

    await page.locator('#questions tr[data-id="m-unhelpful"]').getByRole('button', { name: '标记为超出范围' }).click();
    await expect.poll(() => posted.at(-1)?.messageId, POLL).toBe('m-unhelpful');
    expect(posted.at(-1)).toEqual({ question: '无还本续贷去哪里办？', by: '王芳', kind: 'out_of_scope', messageId: 'm-unhelpful' });

    // The review list as staff see it: every status.
    await page.locator('#sa-status').selectOption('');
    await expect.poll(() => rows().count(), POLL).toBe(store.length);
    await page.evaluate('window.scrollTo(0, 0)'); // bounding boxes are then page coordinates, as a full-page clip wants
    const card = await page.locator('#staff-review').boundingBox();
    await page.screenshot({ path: join(IMAGES, 'console-staff-review.png'), fullPage: true, clip: { x: 0, y: card!.y - 8, width: 1366, height: Math.ceil(card!.height + 16) } });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

interface AskResult {
  answer: string;
  answerable: boolean;
  declineReason?: string;
  citations: Array<{ docId: string; quote: string; start: number; end: number }>;
  via?: { staffAnswerId: string };
}

async function ask(question: string): Promise<AskResult> {
  const res = await fetch(`${server.base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
  expect(res.status).toBe(200);
  return (await res.json()) as AskResult;
}

describe('staff console: the whole loop against the real server', () => {
  let context: BrowserContext;
  let page: Page;
  let available = false;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // 404 means the server has no staff-answer routes (yet); anything else (a 400 for this empty body) means it does.
    const probe = await fetch(`${server.base}/api/admin/staff-answers`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
    available = probe.status !== 404;
    if (!available) return;
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await context?.close();
  });

  it('answers an unanswerable question with the sentence staff attached once approved, and no longer after 撤销', async (ctx) => {
    if (!available) return ctx.skip();
    const QUESTION = '在辽信宝上测额会不会影响我们企业的征信记录？';
    const before = await ask(QUESTION);
    expect(before.answerable).toBe(false);
    expect(before.via).toBeUndefined();

    await signIn(page);
    const qrow = page.locator('#questions tbody tr', { has: page.locator('td.q', { hasText: QUESTION }) });
    await expect.poll(() => qrow.count(), POLL).toBe(1);
    await qrow.getByRole('button', { name: '指定答案出处' }).click();
    const dialog = page.locator('#attach-dialog');
    await dialog.waitFor({ state: 'visible' });
    await page.locator('#attach-q').fill('辽信宝');
    await page.locator('#attach-q').press('Enter');
    const sentences = dialog.locator('button.sentence');
    await expect.poll(() => sentences.count(), POLL).toBeGreaterThan(0);
    // The first sentence of some length in the results.
    const texts = await sentences.allTextContents();
    const index = texts.findIndex((t) => t.length >= 12);
    expect(index).toBeGreaterThanOrEqual(0);
    const chosen = sentences.nth(index);
    const sentence = texts[index];
    const docId = (await chosen.getAttribute('data-doc-id'))!;
    const start = Number(await chosen.getAttribute('data-start'));
    const end = Number(await chosen.getAttribute('data-end'));
    // The offsets point at exactly this sentence in the document.
    const doc = (await (await fetch(`${server.base}/api/documents/${encodeURIComponent(docId)}`)).json()) as { text: string };
    expect(doc.text.slice(start, end)).toBe(sentence);
    await chosen.click();

    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/staff-answers' && r.request().method() === 'POST');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByLabel('姓名', { exact: true }).fill('赵工');
    await page.locator('#name-dialog').getByRole('button', { name: '确定' }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    const { staffAnswer } = (await response.json()) as { staffAnswer: StaffAnswer };
    expect(staffAnswer).toMatchObject({ question: QUESTION, kind: 'answer', docId, start, end, quote: sentence, status: 'pending', createdBy: '赵工' });
    await dialog.waitFor({ state: 'hidden' });

    // Pending: not in effect yet.
    expect((await ask(QUESTION)).via).toBeUndefined();

    const entry = page.locator(`#staff-answers tr[data-id="${staffAnswer.id}"]`);
    await expect.poll(() => entry.count(), POLL).toBe(1);
    expect(await entry.locator('.quote-text').textContent()).toBe(sentence);
    expect(await entry.locator('td').nth(3).textContent()).toContain('赵工');
    await entry.getByRole('button', { name: '通过' }).click();
    await expect.poll(() => entry.count(), POLL).toBe(0);

    const answered = await ask(QUESTION);
    expect(answered.answerable).toBe(true);
    expect(answered.via).toEqual({ staffAnswerId: staffAnswer.id });
    expect(answered.citations.some((c) => c.docId === docId && c.quote === sentence && c.start === start && c.end === end)).toBe(true);
    expect(answered.answer).toContain(sentence.replace(/[。！？；]$/, ''));

    await page.locator('#sa-status').selectOption('approved');
    await expect.poll(() => entry.count(), POLL).toBe(1);
    expect(await entry.locator('td').nth(4).textContent()).toContain('赵工');
    await entry.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => entry.count(), POLL).toBe(0);
    await page.locator('#sa-status').selectOption('withdrawn');
    await expect.poll(() => entry.count(), POLL).toBe(1);
    expect(await entry.locator('td').nth(0).textContent()).toBe('已撤销');

    const after = await ask(QUESTION);
    expect(after.via).toBeUndefined();
    expect(after.answerable).toBe(before.answerable);
    expect(after.citations.some((c) => c.quote === sentence)).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
