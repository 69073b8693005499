import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/rules/facts.ts';
import { converse, startTestService, type TestService } from '../support/app.ts';

/**
 * Conditions the asker leaves open or states, as blind set N's writers told them (eighth round, issues 12 and 13): a
 * guarantee the asker does not know to be within the province's re-guarantee scope is no 「符合」.
 */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-09' });
});
afterAll(() => t.close());

const ask = (...questions: string[]) => converse(t, ...questions);

describe('the re-guarantee scope of a guarantee', () => {
  it('reads whether the asker says its guarantee is within the scope, outside it, or does not know', () => {
    expect(extractFacts('担保公司说纳入了省再担保', '2026-12-09').inReguaranteeScope).toBe(true);
    expect(extractFacts('这笔在省再担保体系里', '2026-12-09').inReguaranteeScope).toBe(true);
    expect(extractFacts('担保公司说这笔没纳入省再担保', '2026-12-09').inReguaranteeScope).toBe(false);
    expect(extractFacts('不在省再担保范围里', '2026-12-09').inReguaranteeScope).toBe(false);
    const doubted = extractFacts('我不知道他们这笔算不算进省里再担保那个范围里', '2026-12-09');
    expect(doubted.reguaranteeInDoubt).toBe(true);
    expect(doubted.inReguaranteeScope).toBeUndefined();
    // (A list of companies within the scope says nothing of the asker's guarantee.)
    expect(extractFacts('想要一份纳入再担保范围的担保公司名单', '2026-12-09').inReguaranteeScope).toBeUndefined();
  });

  it('asks, rather than says 符合, when the asker does not know whether the guarantee is within the scope', async () => {
    const [reply] = await ask('这回担保公司给做了三百万担保，费率0.7%。我不知道他们这笔算不算进省里再担保那个范围里。省财政那个担保费补贴我们能享受吗？');
    expect(reply.answer).not.toMatch(/^符合/);
    expect(reply.answer).toContain('再担保业务范围');
  });

  it('says no for a guarantee said to be outside the scope, quoting the measure', async () => {
    const [reply] = await ask('担保公司给我们担保了300万，费率0.8%，担保公司说这笔没纳入省再担保，能拿担保费补贴不？');
    expect(reply.answer).toMatch(/^不符合/);
    expect(reply.citations.some((c) => c.quote.includes('对纳入全省再担保业务范围的融资担保业务给予风险补偿和保费补贴'))).toBe(true);
  });

  it('still says 符合 with the figures when the asker says nothing of the scope', async () => {
    const [reply] = await ask('担保公司给我们担保了300万，费率0.8%，能拿担保费补贴不？');
    expect(reply.answer).toMatch(/^符合/);
    expect(reply.answer).toContain('1.5万元');
  });
});
