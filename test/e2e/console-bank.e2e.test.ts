import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, launchBrowser, startServer, type RunningServer } from './support/server.ts';
import type { BankPlacement } from '../../src/understand/bank.ts';
import type { StaffEntry } from '../../src/understand/staff.ts';
import type { CatalogueField } from '../../src/match/catalogue.ts';

/**
 * Staff answers and the question bank, against the real server: a question attached to a campaign catalogue field
 * (「目录字段」 in the attach dialog) or to a sentence, the place each takes in the bank (标准问, or 相似问 of an
 * entry) shown in the review list, and 「导出题库」 downloading the approved ones in the bank's file format.
 */

const POLL = { timeout: 15_000 };
const NAME_KEY = 'policy-console-staff-name';
const FIELD_QUESTION = '金融兴辽投票几点截止？';
const PASSAGE_QUESTION = '在辽信宝上测额会不会影响我们企业的征信记录？';
const SIMILAR_QUESTION = '金融兴辽的投票到几点截止？';
const VOTE_FIELD = 'jinrong-xingliao-2025:timeline:投票时间';

/** A staff answer as the admin routes return it (src/web/staff.ts). */
type StaffAnswer = StaffEntry & { field: string | null; fieldLabel: string | null; bank: BankPlacement | null; status: string };
type Field = CatalogueField;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const admin = (path: string) => fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
const bankText = (bank: BankPlacement) => (bank.role === 'standard' ? '标准问' : `相似问（归入：${bank.standard}）`);

async function ask(question: string): Promise<{ answerable: boolean; via?: { staffAnswerId: string } }> {
  const res = await fetch(`${server.base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { answerable: boolean; via?: { staffAnswerId: string } };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  expect((await ask(FIELD_QUESTION)).answerable).toBe(false);
  expect((await ask(PASSAGE_QUESTION)).answerable).toBe(false);
  context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  await context.addInitScript(`localStorage.setItem(${JSON.stringify(NAME_KEY)}, '孙工')`);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.base}/console#questions`);
  await page.getByLabel('管理令牌').fill(ADMIN_TOKEN);
  await page.getByLabel('管理令牌').press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe('staff console: catalogue fields, the question bank and its export (real server)', () => {
  const dialog = () => page.locator('#attach-dialog');
  const example = (question: string) => page.locator('#unanswered li', { hasText: question });
  const entry = (id: string) => page.locator(`#staff-answers tr[data-id="${id}"]`);
  let fieldAnswer: StaffAnswer;
  let passageAnswer: StaffAnswer;

  it('lists the catalogue fields in the attach dialog, searched with the same box, and submits the picked one by its id', async () => {
    await expect.poll(() => example(FIELD_QUESTION).count(), POLL).toBe(1);
    await example(FIELD_QUESTION).getByRole('button', { name: '指定答案出处' }).click();
    await dialog().waitFor({ state: 'visible' });
    expect(await page.getByTestId('attach-source-passages').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('attach-source-fields').getAttribute('aria-pressed')).toBe('false');

    // 目录字段: the question itself matches no field's words, so the box is cleared and every field listed.
    const all = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/catalogue-fields');
    await page.getByTestId('attach-source-fields').click();
    const listed = (await (await all).json()) as { fields: Field[] };
    expect(new URL((await all).url()).searchParams.get('q')).toBeNull();
    expect(await page.getByTestId('attach-source-fields').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#attach-q').inputValue()).toBe('');
    expect(listed.fields.length).toBeGreaterThan(10);
    await expect.poll(() => dialog().getByTestId('attach-field').count(), POLL).toBe(listed.fields.length);

    // Searched with the same box: each result shows its label and quote, as text.
    const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/catalogue-fields' && new URL(r.url()).searchParams.get('q') === '投票时间');
    await page.locator('#attach-q').fill('投票时间');
    await page.locator('#attach-q').press('Enter');
    const { fields } = (await (await searched).json()) as { fields: Field[] };
    expect(fields.map((f) => f.id)).toContain(VOTE_FIELD);
    expect(fields.length).toBeLessThan(listed.fields.length);
    const buttons = dialog().getByTestId('attach-field');
    await expect.poll(() => buttons.count(), POLL).toBe(fields.length);
    for (const [i, f] of fields.entries()) {
      expect(await buttons.nth(i).locator('.field-label').textContent()).toBe(f.label);
      expect(await buttons.nth(i).locator('.field-quote').textContent()).toBe(f.quote);
    }
    const vote = fields.find((f) => f.id === VOTE_FIELD)!;
    expect(vote.label).toBe('金融兴辽 › 投票时间');
    expect(await page.getByRole('button', { name: '提交审核' }).isDisabled()).toBe(true);

    const pick = dialog().locator(`[data-testid="attach-field"][data-field-id="${VOTE_FIELD}"]`);
    await pick.click();
    expect(await pick.getAttribute('aria-pressed')).toBe('true');
    expect(await dialog().locator('[data-testid="attach-field"][aria-pressed="true"]').count()).toBe(1);
    expect(await page.locator('#attach-picked .field-label').textContent()).toBe(vote.label);
    expect(await page.locator('#attach-picked .quote-text').textContent()).toBe(vote.quote);
    expect(await page.locator('#attach-picked code').textContent()).toBe(`${vote.docId} · 字符 ${vote.start}–${vote.end}`);

    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/staff-answers' && r.request().method() === 'POST');
    await page.getByRole('button', { name: '提交审核' }).click();
    const response = await created;
    expect(response.request().postDataJSON()).toEqual({ question: FIELD_QUESTION, by: '孙工', kind: 'answer', field: VOTE_FIELD });
    expect(response.status()).toBe(201);
    fieldAnswer = ((await response.json()) as { staffAnswer: StaffAnswer }).staffAnswer;
    expect(fieldAnswer).toMatchObject({ question: FIELD_QUESTION, field: VOTE_FIELD, fieldLabel: vote.label, quote: vote.quote, status: 'pending' });
    expect(fieldAnswer.bank).not.toBeNull();
    await dialog().waitFor({ state: 'hidden' });
    expect(await example(FIELD_QUESTION).getByRole('note', { name: '已提交审核' }).count()).toBe(1);
  });

  it('still attaches sentences under 原文段落, which gets the question back in the box', async () => {
    await example(PASSAGE_QUESTION).getByRole('button', { name: '指定答案出处' }).click();
    await dialog().waitFor({ state: 'visible' });
    await page.getByTestId('attach-source-fields').click();
    await expect.poll(() => dialog().getByTestId('attach-field').count(), POLL).toBeGreaterThan(10);
    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/search');
    await page.getByTestId('attach-source-passages').click();
    expect(new URL((await searched).url()).searchParams.get('q')).toBe(PASSAGE_QUESTION);
    expect(await page.locator('#attach-q').inputValue()).toBe(PASSAGE_QUESTION);
    await expect.poll(() => dialog().locator('button.sentence').count(), POLL).toBeGreaterThan(0);
    expect(await dialog().getByTestId('attach-field').count()).toBe(0);

    await page.locator('#attach-q').fill('辽信宝');
    await page.locator('#attach-q').press('Enter');
    const sentences = dialog().locator('button.sentence');
    await expect.poll(() => sentences.count(), POLL).toBeGreaterThan(0);
    const texts = await sentences.allTextContents();
    const index = texts.findIndex((t) => t.length >= 12);
    await sentences.nth(index).click();
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/staff-answers' && r.request().method() === 'POST');
    await page.getByRole('button', { name: '提交审核' }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    const body = response.request().postDataJSON() as Record<string, unknown>;
    expect(body.field).toBeUndefined();
    expect(body.docId).toEqual(expect.any(String));
    passageAnswer = ((await response.json()) as { staffAnswer: StaffAnswer }).staffAnswer;
    expect(passageAnswer).toMatchObject({ question: PASSAGE_QUESTION, field: null, fieldLabel: null, quote: texts[index] });
    expect(passageAnswer.bank).not.toBeNull();
    await dialog().waitFor({ state: 'hidden' });
  });

  it('shows where each answer joins the question bank, and the field label in place of the section', async () => {
    // One more, through the API: the same question in other words, attached to the same field after the first.
    const res = await fetch(`${server.base}/api/admin/staff-answers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'answer', question: SIMILAR_QUESTION, by: '孙工', field: VOTE_FIELD }),
    });
    expect(res.status).toBe(201);
    const similar = ((await res.json()) as { staffAnswer: StaffAnswer }).staffAnswer;
    await page.locator('#sa-refresh').click();
    await expect.poll(() => entry(similar.id).count(), POLL).toBe(1);
    await expect.poll(() => entry(fieldAnswer.id).count(), POLL).toBe(1);
    await expect.poll(() => entry(passageAnswer.id).count(), POLL).toBe(1);
    // As the server lists them (the role a pending answer will take once approved).
    const { staffAnswers } = (await (await admin('/api/admin/staff-answers?status=pending')).json()) as { staffAnswers: StaffAnswer[] };
    expect(staffAnswers.length).toBe(3);
    for (const a of staffAnswers) {
      const row = entry(a.id);
      expect(await row.getByTestId('staff-bank').textContent(), a.question).toBe(bankText(a.bank!));
      expect(await row.getByTestId('staff-bank').getAttribute('data-role')).toBe(a.bank!.role);
      expect(await row.locator('.quote-text').textContent()).toBe(a.quote);
    }
    const field = entry(fieldAnswer.id);
    expect(await field.getByTestId('staff-field').textContent()).toBe('金融兴辽 › 投票时间');
    expect(await field.locator('.source .doc').textContent()).toBe(`目录字段 · 金融兴辽 › 投票时间 ${fieldAnswer.docId} · 字符 ${fieldAnswer.start}–${fieldAnswer.end}`);
    // A sentence's row keeps its section.
    expect(await entry(passageAnswer.id).getByTestId('staff-field').count()).toBe(0);
    expect(await entry(passageAnswer.id).locator('.source .doc').textContent()).toBe(`${passageAnswer.section} ${passageAnswer.docId} · 字符 ${passageAnswer.start}–${passageAnswer.end}`);
    // Both roles are drawn: the 辽信宝 sentence is in no entry yet; the reworded question joins the first one's entry.
    expect(staffAnswers.find((a) => a.id === passageAnswer.id)!.bank!.role).toBe('standard');
    expect(staffAnswers.find((a) => a.id === similar.id)!.bank).toMatchObject({ role: 'similar', standard: FIELD_QUESTION });
    expect(await entry(similar.id).getByTestId('staff-bank').textContent()).toBe(`相似问（归入：${FIELD_QUESTION}）`);
  });

  it('exports the approved answers (only those) as the question-bank file the server gives', async () => {
    await entry(fieldAnswer.id).getByRole('button', { name: '通过' }).click();
    await expect.poll(() => entry(fieldAnswer.id).count(), POLL).toBe(0);
    expect((await ask(FIELD_QUESTION)).via).toEqual({ staffAnswerId: fieldAnswer.id });
    // Still listed as approved, with its bank role.
    await page.locator('#sa-status').selectOption('approved');
    await expect.poll(() => entry(fieldAnswer.id).count(), POLL).toBe(1);
    expect(await entry(fieldAnswer.id).getByTestId('staff-bank').textContent()).toBe(bankText(fieldAnswer.bank!));

    const download = page.waitForEvent('download');
    await page.getByTestId('staff-export').click();
    const file = await download;
    const direct = await admin('/api/admin/staff-answers/export');
    expect(direct.status).toBe(200);
    expect(direct.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(file.suggestedFilename()).toBe(/filename="([^"]+)"/.exec(direct.headers.get('content-disposition')!)![1]);
    const saved = JSON.parse(readFileSync((await file.path())!, 'utf8')) as Record<string, unknown>;
    const expected = (await direct.json()) as Record<string, unknown>;
    expect({ ...saved, exportedAt: null }).toEqual({ ...expected, exportedAt: null });
    const text = JSON.stringify(saved);
    expect(text).toContain(FIELD_QUESTION);
    expect(text).not.toContain(PASSAGE_QUESTION); // still pending
    expect(text).not.toContain(SIMILAR_QUESTION);
    expect(await page.locator('#staff-status').textContent()).toContain('已导出题库');
    expect(await page.getByTestId('staff-export').isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
