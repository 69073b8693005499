import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase } from '../../src/match/case-facts.ts';
import { extractFacts } from '../../src/rules/facts.ts';
import { moneyMentions } from '../../src/rules/numbers.ts';
import { misquotedFigure } from '../../src/answer/verdict.ts';
import { converse, startTestService, type TestService } from '../support/app.ts';

/**
 * Conditions the asker leaves open or states, as blind set N's writers told them (eighth round, issues 12 and 13): a
 * guarantee the asker does not know to be within the province's re-guarantee scope is no 「符合」; 「那个金额是三百万」 after a
 * clause about a guarantee is the guarantee's amount; a follow-up that asks the day or sum the rules computed for the
 * asker's own case is about that case however long it is; a detail of the measure asked beside a case the rules cannot
 * yet decide is answered, with what the rules still need.
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

describe('what the asker’s sums and follow-ups are about', () => {
  it('reads a bare 「那个金额是…」 as the amount of what the clause before it names', () => {
    expect(moneyMentions('想找担保公司做个担保，那个金额是三百万').map((m) => m.role)).toEqual(['guarantee']);
    expect(moneyMentions('我们在农商行贷了一笔，金额是两百万').map((m) => m.role)).toEqual(['loan']);
    // (A clause that names what the sum measures keeps it.)
    expect(moneyMentions('担保公司给担保，营收是三个亿').map((m) => m.role)).toEqual(['revenue']);
  });

  it('takes the guarantee’s amount from 「那个金额是…」 and answers the subsidy once the rate follows', async () => {
    const [first, second] = await ask(
      '厂里想找担保公司做个担保，那个金额是两百万，费率还没定。省里那个担保费补贴我们能享受上不？',
      '费率定了，0.9%。那省财政能补我们多少钱？',
    );
    expect(first.answer).toContain('担保费率');
    expect(second.answer).toMatch(/^符合/);
    expect(second.answer).toContain('1万元');
  });

  it('answers the day to turn to the bank by when a longer follow-up says it is the asker’s own case', async () => {
    const [, next] = await ask('我们是中型企业，有笔流动资金贷款2027年4月30号到期，能走无还本续贷不？', '那照指南说的提前量算，我们最晚哪天得去找银行提？');
    expect(next.answer).toContain('2027年3月30日');
  });

  it('answers a detail of the measure asked beside a case the rules cannot yet decide, then asks what they need', async () => {
    const [reply] = await ask('我们公司有笔贷款下个月底到期，手头紧，想走无还本续贷，要提前多长时间跟银行说？');
    expect(reply.answer).toContain('提前1个月');
    expect(reply.answer).toContain('请问贵企业是小微企业、中型企业还是大型企业');
  });
});

describe('when the applicant was founded and which years it worked', () => {
  it('reads a founding day with the place between (「去年三月在广州黄埔注册的」)', () => {
    const facts = readCase('我们公司是去年五月在深圳南山注册的，平台在广州用着', [], '2026-12-09');
    expect(facts.foundedOn).toBe('2025-05-31');
  });

  it('does not count the campaign’s edition (「报2025年度金融兴辽」) as a year the applicant worked', () => {
    const facts = readCase('2024年做了一单供应链融资，今年没再做，想拿它报2025年度金融兴辽', [], '2026-12-09');
    expect(facts.workYears).toEqual([2024]);
  });

  it('says no to 点数成金 for a firm founded less than two years before, and to 金融兴辽 for work done only in 2024', async () => {
    const [young] = await ask('我们公司是去年五月在深圳南山注册的，风控平台2025年9月上线，在广州几家银行在用。点数成金能报不？');
    expect(young.answer).toMatch(/^不/);
    const [old] = await ask('我们是营口注册的城商行，2024年10月做了一笔知识产权质押贷款，2025年一整年没再做类似业务。拿它报2025年度金融兴辽的科技金融赋能行不行？');
    expect(old.answer).toMatch(/^不/);
    expect(old.answer).toContain('2025年度开展的');
  });
});

describe('claims the asker checks, and sizes it asks about', () => {
  it('finds a figure a checked claim misstates, in the unit the quoted text gives it', () => {
    const quoted = ['全省民营企业贷款不良率容忍度放宽至不高于各项贷款不良率3个百分点。'];
    expect(misquotedFigure('有篇文章说容忍度放宽到各项贷款不良率以上5个百分点，对不对？', quoted)).toEqual({ claimed: '5个百分点', quoted: '3个百分点' });
    // The claim's own figure, a unit the text does not use, or no check asked: nothing misstated.
    expect(misquotedFigure('说是放宽3个百分点，对吗', quoted)).toBeNull();
    expect(misquotedFigure('说是放宽30天，对吗', quoted)).toBeNull();
    expect(misquotedFigure('容忍度放宽5个百分点以后银行会怎么做', quoted)).toBeNull();
  });

  it('says no to a claim with a misstated figure, and gives the text’s', async () => {
    const [reply] = await ask('朋友圈说辽宁民营企业贷款不良率容忍度放宽到比各项贷款不良率高5个百分点，这个说法准确吗？');
    expect(reply.answer).toMatch(/^不/);
    expect(reply.answer).toContain('原文为3个百分点');
  });

  it('does not take sizes offered as alternatives for the asker’s size, and declines to classify it', async () => {
    expect(extractFacts('我们这算中型还是小微啊', '2026-12-09').size).toBeUndefined();
    expect(extractFacts('我们是中型企业，不知道以前算小微还是中型', '2026-12-09').size).toBe('medium');
    const [, next] = await ask('我们有笔流动资金贷款明年6月到期，能不能走无还本续贷？', '我们两百来人，营收一个多亿，这算中型还是小微？');
    expect(next.answerable).toBe(false);
  });
});

describe('who applies and what the case uses, said the way applicants say it (set N)', () => {
  it('reads the applicant’s place after a greeting and without 的 (「Hi，我们是广州一家…」)', () => {
    expect(readCase('Hi，我们是深圳一家持牌的支付公司，做跨境收款', [], '2026-12-09').applicantRegion).toBe('广东');
    expect(readCase('您好，我们是杭州一家做风控的科技公司', [], '2026-12-09').applicantRegion).toBe('浙江');
  });

  it('reads a payment company as a financial technology firm and a 城投 platform as an enterprise', () => {
    expect(readCase('我们是一家第三方支付公司', [], '2026-12-09').orgType).toBe('fintech');
    expect(readCase('我在营口一个市属城投平台融资部，我们不是金融机构', [], '2026-12-09').orgType).toBe('enterprise');
  });

  it('reads 「no LLM」「without AI」 as no AI, and 「we use LLM」 as AI', () => {
    expect(readCase('技术上是分布式架构，no LLM，风控是rule-based', [], '2026-12-09').usesAi).toBe(false);
    expect(readCase('纯规则引擎 without AI', [], '2026-12-09').usesAi).toBe(false);
    expect(readCase('we use LLM for credit memos', [], '2026-12-09').usesAi).toBe(true);
  });
});

describe('sums in the forms a contract or a chat writes them', () => {
  it('reads financial numerals (叁佰万、壹仟贰佰万元) and 「kw」 for 千万', () => {
    expect(moneyMentions('贷款叁佰万元').map((m) => m.yuan)).toEqual([3_000_000]);
    expect(moneyMentions('担保壹仟贰佰万元').map((m) => m.yuan)).toEqual([12_000_000]);
    expect(moneyMentions('授信2.5kw').map((m) => m.yuan)).toEqual([25_000_000]);
    // (w and k alone keep their own meanings.)
    expect(moneyMentions('贷款50w，保费3k').map((m) => m.yuan)).toEqual([500_000, 3_000]);
  });

  it('answers the subsidy for a guarantee written in financial numerals', async () => {
    const [reply] = await ask('担保公司给担了贰佰万，费率0.8%，省里担保费补贴能拿不？');
    expect(reply.answer).toMatch(/^符合/);
    expect(reply.answer).toContain('1万元');
  });
});
