import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutErhua } from '../../src/understand/fold.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

/** Spoken forms (set L, sixth round, issue 12): 儿化 as 东北 and 北京 speakers type it. */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-07' });
});
afterAll(() => t.close());

describe('the spoken 儿', () => {
  it('drops it where the documents spell the word without it, and keeps 儿子、女儿 and the reader’s own 哪儿', () => {
    expect(withoutErhua('几家单位一块儿报，这事儿咋整')).toBe('几家单位一块报，这事咋整');
    expect(withoutErhua('我儿子的公司，女儿也在')).toBe('我儿子的公司，女儿也在');
    expect(withoutErhua('驿站搁哪儿，今儿能去不')).toBe('驿站搁哪儿，今儿能去不');
  });

  it('answers a question asked with it as the same question without it', async () => {
    const res = await postJson(t.app, '/api/ask', { question: '点数成金最多让几家一块儿报' });
    const reply = (await res.json()) as { answer: string; answerable: boolean };
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('不超过3家');
  });
});

describe('a subject named by what happened to the asker', () => {
  it('reads a fee the bank charged that the asker finds unfair as measure 5, with its hotline', async () => {
    const res = await postJson(t.app, '/api/ask', { question: '贷款时候银行硬收了一笔服务费 感觉不合理 有地方能举报不 电话多少' });
    const reply = (await res.json()) as { answer: string; answerable: boolean };
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('12378');
  });

  it('reads 「给头一回借钱的企业办的地方」 as the 首贷中心', async () => {
    const res = await postJson(t.app, '/api/ask', { question: '从来没跟银行借过钱，听说每个市有个专门给头一回借钱的企业办的地方，一般在哪儿？' });
    const reply = (await res.json()) as { answer: string; answerable: boolean };
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('首贷中心');
    expect(reply.answer).toContain('政务服务大厅');
  });
});
