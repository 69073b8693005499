import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, startTestService, type TestService } from '../support/app.ts';

/**
 * A follow-up that names only another campaign (「那点数成金那个呢？」) asks it what the last question asked, and is
 * answered as that question restated: whether it is still open, its deadline and the days since (set N, eighth round).
 */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-09' });
});
afterAll(() => t.close());

describe('a follow-up that names only another campaign', () => {
  it('asks it whether it is still open and how long ago it closed, as the last question asked the first one', async () => {
    const [, next] = await converse(t, '新质生产力那个现在还能报吗？哪天截止的，过去多少天了？', '那点数成金那个呢？');
    expect(next.answerable).toBe(true);
    expect(next.answer).toMatch(/^不/);
    expect(next.citations.every((c) => c.docId === 'dianshu-chengjin-2025')).toBe(true);
    expect(next.answer).toContain('2026年4月10日');
    expect(next.answer).toContain('已过去243天');
  });

  it('asks it the deadline the last question asked, after thanks', async () => {
    const [, next] = await converse(t, '请问2025年度“点数成金”案例的申报截止日期是哪一天？', '好的谢谢。“金融兴辽”案例一项呢？');
    expect(next.answerable).toBe(true);
    expect(next.citations.every((c) => c.docId === 'jinrong-xingliao-2025')).toBe(true);
    expect(next.answer).toContain('2025年10月9日');
  });
});
