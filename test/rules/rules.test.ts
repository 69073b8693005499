import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthsBefore } from '../../src/rules/language.ts';
import type { Facts } from '../../src/rules/facts.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

const evaluate = (topic: string, facts: Facts) => t.services.rules.evaluate(topic, facts);

function expectCitedAndTrue(result: ReturnType<typeof evaluate>) {
  for (const s of result.statements) {
    expect(s.quotes.length).toBeGreaterThan(0);
    for (const q of s.quotes) expect(t.services.corpus.document(q.docId)!.text.slice(q.start, q.end)).toBe(q.quote);
  }
}

describe('rule files', () => {
  it('all rest on verbatim quotes of the shipped corpus', () => {
    expect(t.services.rules.problems).toEqual([]);
    expect(t.services.rules.topics.map((x) => x.topic).sort()).toEqual(['credit_repair', 'guarantee_subsidy', 'npl_tolerance', 'renewal']);
    expect(t.services.rules.measures.measures.map((m) => m.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('不良率容忍度 (a bank’s ratios against 各项贷款不良率 + 3 个百分点)', () => {
  it('computes the ceiling from the ratio over all loans and holds the private-enterprise ratio against it', () => {
    const within = evaluate('npl_tolerance', { allLoansNplPercent: 1.3, privateNplPercent: 3.8 });
    expect(within).toMatchObject({ outcome: 'eligible', computed: { nplCapPercent: 4.3 } });
    expect(within.statements[0].text.startsWith('是的，在容忍度以内')).toBe(true);
    const over = evaluate('npl_tolerance', { allLoansNplPercent: 1.4, privateNplPercent: 4.6 });
    expect(over).toMatchObject({ outcome: 'not_eligible', computed: { nplCapPercent: 4.4, nplExcessPoints: 0.2 } });
    expect(over.statements[0].text).toContain('超过了0.2个百分点');
    // The boundary is inside: 「不高于」.
    expect(evaluate('npl_tolerance', { allLoansNplPercent: 1.5, privateNplPercent: 4.5 }).outcome).toBe('eligible');
    expectCitedAndTrue(within);
  });

  it('states the ceiling when only the ratio over all loans is given, and asks for it otherwise', () => {
    const cap = evaluate('npl_tolerance', { allLoansNplPercent: 1.6 });
    expect(cap).toMatchObject({ outcome: 'steps', computed: { nplCapPercent: 4.6 } });
    expect(cap.statements[0].text).toContain('4.6%');
    const open = evaluate('npl_tolerance', { privateNplPercent: 3 });
    expect(open.outcome).toBe('need_info');
    expect(open.missing.map((m) => m.fact)).toEqual(['allLoansNplPercent']);
  });

  it('reads both ratios from the question by their labels, and a follow-up’s changed one', async () => {
    const first = await (await postJson(t.app, '/api/ask', { question: '我们行各项贷款不良率1.4%，民营贷款不良率4.0%，在容忍度范围里吗？' })).json();
    expect(first.answer.startsWith('是的')).toBe(true);
    expect(first.situation).toMatchObject({ topic: 'npl_tolerance', outcome: 'eligible', computed: { nplCapPercent: 4.4 } });
    const next = await (await postJson(t.app, '/api/ask', { question: '民营要是涨到4.6%呢？各项不变', conversationId: first.conversationId })).json();
    expect(next.answer.startsWith('不在容忍度以内')).toBe(true);
    expect(next.situation.facts).toMatchObject({ allLoansNplPercent: 1.4, privateNplPercent: 4.6 });
  });
});

describe('无还本续贷', () => {
  it('小微企业 qualifies whatever the loan', () => {
    const r = evaluate('renewal', { size: 'micro_small', loanKind: 'fixed_asset' });
    expect(r.outcome).toBe('eligible');
    expect(r.statements[0].quotes[0].quote).toContain('小微民营企业');
    expectCitedAndTrue(r);
  });

  it('中型企业 with a 流动资金贷款 due on or before 2027-09-30 qualifies, and is told to apply one month ahead', () => {
    const r = evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate: '2026-07-20', dueDatePrecision: 'day' });
    expect(r.outcome).toBe('eligible');
    expect(r.computed.applyBy).toBe('2026-06-20');
    expect(r.statements.map((s) => s.text).join('')).toContain('2026年6月20日前');
    expect(r.statements.some((s) => s.quotes.some((q) => q.quote.includes('可提前1个月')))).toBe(true);
  });

  it('boundary: due exactly 2027-09-30 qualifies; 2027-10-01 does not', () => {
    expect(evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate: '2027-09-30', dueDatePrecision: 'day' }).outcome).toBe('eligible');
    const late = evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate: '2027-10-01', dueDatePrecision: 'day' });
    expect(late.outcome).toBe('not_eligible');
    expect(late.statements[0].text).toContain('晚于2027年9月30日');
    expect(late.statements[0].quotes[0].quote).toContain('2027年9月30日前到期的中型民营企业流动资金贷款');
  });

  it('fails a 中型企业 whose loan is not a 流动资金贷款, and a 大型企业', () => {
    expect(evaluate('renewal', { size: 'medium', loanKind: 'fixed_asset', dueDate: '2027-01-01' }).outcome).toBe('not_eligible');
    expect(evaluate('renewal', { size: 'large', loanKind: 'working_capital', dueDate: '2027-01-01' }).outcome).toBe('not_eligible');
  });

  it('fails a state-owned or state-controlled enterprise (the policy is for 民营企业), and asks nothing of ownership unsaid', () => {
    const state = evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate: '2027-03-31', stateOwned: true });
    expect(state.outcome).toBe('not_eligible');
    expect(state.statements[0].text).toContain('国有或国有控股企业不是文件所说的民营企业');
    expect(evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate: '2027-03-31', stateOwned: false }).outcome).toBe('eligible');
    expect(evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate: '2027-03-31' }).outcome).toBe('eligible');
  });

  it('asks for size first, then the loan type, then the due date', () => {
    expect(evaluate('renewal', {}).missing[0].fact).toBe('size');
    expect(evaluate('renewal', { size: 'medium' }).missing[0].fact).toBe('loanKind');
    expect(evaluate('renewal', { size: 'medium', loanKind: 'working_capital' }).missing[0].fact).toBe('dueDate');
    expect(evaluate('renewal', {}).outcome).toBe('need_info');
  });

  it('never contradicts its rule: every due date up to 2027-09-30 qualifies, every later one fails', () => {
    for (let day = Date.parse('2027-09-20'); day <= Date.parse('2027-10-10'); day += 86_400_000) {
      const dueDate = new Date(day).toISOString().slice(0, 10);
      const r = evaluate('renewal', { size: 'medium', loanKind: 'working_capital', dueDate, dueDatePrecision: 'day' });
      expect(r.outcome, dueDate).toBe(dueDate <= '2027-09-30' ? 'eligible' : 'not_eligible');
    }
  });
});

describe('担保费补贴', () => {
  it('qualifies at 200万元 and 0.8%, and computes 200万元 × 0.5% = 1万元', () => {
    const r = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 2_000_000, guaranteeRatePercent: 0.8 });
    expect(r.outcome).toBe('eligible');
    expect(r.computed.subsidyYuan).toBe(10_000);
    expect(r.statements[0].text).toContain('200万元 × 0.5% = 1万元');
    expect(r.statements.some((s) => s.text.includes('不必另行向财政部门提出申请'))).toBe(true);
    expectCitedAndTrue(r);
  });

  it('boundaries: exactly 500万元 and exactly 1% qualify', () => {
    const r = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 5_000_000, guaranteeRatePercent: 1 });
    expect(r.outcome).toBe('eligible');
    expect(r.computed.subsidyYuan).toBe(25_000);
  });

  it('fails each condition with its reason', () => {
    const large = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 5_000_100, guaranteeRatePercent: 0.9 });
    expect(large.outcome).toBe('not_eligible');
    expect(large.statements[0].text).toContain('超过了500万元');
    const dear = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 2_000_000, guaranteeRatePercent: 1.01 });
    expect(dear.outcome).toBe('not_eligible');
    expect(dear.statements[0].text).toContain('超过了1%');
    const both = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 8_000_000, guaranteeRatePercent: 1.5 });
    expect(both.statements[0].text).toContain('两项条件都不满足');
  });

  it('a rate over 1% fails even before the amount is known', () => {
    expect(evaluate('guarantee_subsidy', { guaranteeRatePercent: 1.2 }).outcome).toBe('not_eligible');
  });

  it('asks for the amount, then the rate', () => {
    expect(evaluate('guarantee_subsidy', {}).missing[0].fact).toBe('guaranteeAmountYuan');
    expect(evaluate('guarantee_subsidy', { guaranteeAmountYuan: 1_000_000 }).missing[0].fact).toBe('guaranteeRatePercent');
  });

  it('the measure gives the subsidy to guarantees within the province\'s re-guarantee scope: outside is a no, in doubt is asked', () => {
    const outside = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 3_000_000, guaranteeRatePercent: 0.8, inReguaranteeScope: false });
    expect(outside.outcome).toBe('not_eligible');
    expect(outside.statements[0].text).toContain('纳入全省再担保业务范围');
    expectCitedAndTrue(outside);
    const doubted = evaluate('guarantee_subsidy', { guaranteeAmountYuan: 3_000_000, guaranteeRatePercent: 0.8, reguaranteeInDoubt: true });
    expect(doubted.outcome).toBe('need_info');
    expect(doubted.missing.map((m) => m.fact)).toEqual(['inReguaranteeScope']);
    expect(evaluate('guarantee_subsidy', { guaranteeAmountYuan: 3_000_000, guaranteeRatePercent: 0.8, reguaranteeInDoubt: true, inReguaranteeScope: true }).outcome).toBe('eligible');
    // (Doubt about the scope does not save a guarantee that fails a limit.)
    expect(evaluate('guarantee_subsidy', { guaranteeAmountYuan: 6_000_000, guaranteeRatePercent: 0.8, reguaranteeInDoubt: true }).outcome).toBe('not_eligible');
  });
});

describe('信用修复', () => {
  it('gives the steps in order: site, button, column, guide, online application, offline window, phone', () => {
    const r = evaluate('credit_repair', { creditIssue: '行政处罚' });
    expect(r.outcome).toBe('steps');
    const steps = r.steps.map((s) => s.text).join('\n');
    const order = ['xyln.ln.gov.cn', '【信用服务】', '“信用修复”专栏', '《失信信息信用修复指引》', '在线提交信用修复申请', '线下窗口', '024—31318629'];
    const positions = order.map((x) => steps.indexOf(x));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(r.statements[0].text).toContain('平均6天，最快3天');
    expect(r.statements.some((s) => s.text.includes('“行政处罚”类'))).toBe(true);
  });
});

describe('monthsBefore', () => {
  it.each([
    ['2026-07-20', '2026-06-20'],
    ['2027-03-31', '2027-02-28'],
    ['2028-03-31', '2028-02-29'],
    ['2027-01-15', '2026-12-15'],
    ['2027-09-30', '2027-08-30'],
  ])('%s → %s', (due, applyBy) => expect(monthsBefore(due, 1)).toBe(applyBy));
});

describe('situation answers through /api/ask', () => {
  it('asks for a missing fact, and the next turn of the same conversation completes it', async () => {
    const first = await (await postJson(t.app, '/api/ask', { question: '我们公司的贷款快到期了，能申请无还本续贷吗？' })).json();
    expect(first.situation).toMatchObject({ topic: 'renewal', outcome: 'need_info', missing: ['size', 'loanKind', 'dueDate'] });
    expect(first.answer).toContain('请问贵企业是小微企业、中型企业还是大型企业？');
    expect(first.citations.length).toBeGreaterThan(0);

    const second = await (await postJson(t.app, '/api/ask', { question: '中型企业，流贷', conversationId: first.conversationId })).json();
    expect(second.situation).toMatchObject({ outcome: 'need_info', missing: ['dueDate'] });

    const third = await (await postJson(t.app, '/api/ask', { question: '明年7月20日到期', conversationId: first.conversationId })).json();
    expect(third.situation).toMatchObject({ topic: 'renewal', outcome: 'eligible', computed: { applyBy: '2027-06-20' } });
    expect(third.answer).toContain('2027年6月20日前');
    for (const c of third.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
  });

  it('answers a yes/no that the facts stated so far do not rule out with a yes on conditions, then asks for the fact', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '无还本续贷中型企业能用不？' })).json();
    expect(body.situation.outcome).toBe('need_info');
    expect(body.answer.startsWith('有条件可以')).toBe(true);
    expect(body.answer).toContain('2027年9月30日前到期的中型企业流动资金贷款');
    expect(body.answer).toMatch(/请问[^？]*流动资金贷款/);
    // The conditions are shown in the rule's own words, not only in the summary (set L: 「小微民营企业」).
    expect(body.answer).toMatch(/原文：“[^”]*小微民营企业[^”]*”\[\d\]/);
    expect(body.answer).toContain('中型民营企业流动资金贷款');
    for (const c of body.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
    // How to go about it is no yes/no: no verdict is put before it.
    const how = await (await postJson(t.app, '/api/ask', { question: '中型企业怎么申请无还本续贷？' })).json();
    expect(how.answer.startsWith('有条件可以')).toBe(false);
  });

  it('answers the details a message asks beside the rules’ yes/no, each with its own quote, the rules’ question last', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '无还本续贷要提前多久申请？去哪申请？中型企业能办吗？' })).json();
    expect(body.situation.topic).toBe('renewal');
    expect(body.answer.startsWith('有条件可以')).toBe(true);
    expect(body.answer).toContain('提前1个月');
    expect(body.answer.trim().split('\n').pop()).toMatch(/^能否享受取决于/);
    const markers = [...body.answer.matchAll(/\[(\d+)\]/g)].map((m: RegExpMatchArray) => Number(m[1]));
    expect(new Set(markers)).toEqual(new Set(body.citations.map((c: any) => c.n)));
    for (const c of body.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
  });

  it('gives the subsidy and the fee itself at the stated rate, each with its arithmetic', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '担保公司给我们担了320万，费率0.9%，省里补多少？我们担保费一共要交多少？' })).json();
    expect(body.situation).toMatchObject({ topic: 'guarantee_subsidy', outcome: 'eligible', computed: { subsidyYuan: 16000, feeYuan: 28800 } });
    expect(body.answer).toContain('320万元 × 0.5% = 1.6万元');
    expect(body.answer).toContain('320万元 × 0.9% = 2.88万元');
  });

  it('answers 「担保600万、费率0.9%，有补贴吗？」 with the reason it fails', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '担保600万、费率0.9%，有补贴吗？' })).json();
    expect(body.situation.outcome).toBe('not_eligible');
    expect(body.answer).toContain('600万元超过了500万元');
    expect(body.citations[0].quote).toContain('单户500万元以下');
  });

  it('works the due day out from the day the loan was made and its term, and says so before resting the verdict on it', async () => {
    const body = await (
      await postJson(t.app, '/api/ask', { question: '替客户问：中型民企，2025年6月10日我行放款的两年期流动资金贷款，有担保公司担保，到期能走无还本续贷吗？' })
    ).json();
    expect(body.situation).toMatchObject({ topic: 'renewal', outcome: 'eligible', computed: { applyBy: '2027-05-10' } });
    expect(body.answer).toContain('到期日按2025年6月10日放款、期限2年计，为2027年6月10日');
    // (A guarantee's amount is nothing the renewal rules use: no assumption about it is said.)
    expect(body.answer).not.toContain('担保金额');
    const late = await (await postJson(t.app, '/api/ask', { question: '我们中型企业，流贷2025年12月1日放的，三年期，能无还本续贷吗' })).json();
    expect(late.situation.outcome).toBe('not_eligible');
    expect(late.answer).toContain('2028年12月1日到期，晚于2027年9月30日');
  });

  it('asks when the loan is due, not answering on the day it was made', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '我们是中型企业，流动资金贷款2025年5月20日发放的，能无还本续贷吗' })).json();
    expect(body.situation).toMatchObject({ outcome: 'need_info', missing: ['dueDate'] });
  });

  it('answers a follow-up asking the day the rule worked out, for a client or with 你们 in it', async () => {
    const first = await (
      await postJson(t.app, '/api/ask', { question: '客户经理帮客户问：客户是小微企业，流贷明年4月18号到期，能办无还本续贷吗？' })
    ).json();
    expect(first.situation).toMatchObject({ outcome: 'eligible', computed: { applyBy: '2027-03-18' } });
    const forClient = await (
      await postJson(t.app, '/api/ask', { question: '明白。那客户照提前1个月提续贷需求来算，应该是哪一天？', conversationId: first.conversationId })
    ).json();
    expect(forClient.answer).toContain('2027年3月18日前');
    const own = await (await postJson(t.app, '/api/ask', { question: '我们小微企业，流贷明年4月18号到期，能续贷不' })).json();
    const again = await (await postJson(t.app, '/api/ask', { question: '好嘞，那照你们讲的提前一个月去提，是几号啊', conversationId: own.conversationId })).json();
    expect(again.answer).toContain('2027年3月18日前');
  });

  it('assumes the guarantee’s amount again from a follow-up’s new loan amount, and says so; an amount stated stays stated', async () => {
    const first = await (await postJson(t.app, '/api/ask', { question: '我们要贷800万，担保公司费率0.7%，能有担保费补贴吗' })).json();
    expect(first.situation).toMatchObject({ outcome: 'not_eligible', assumed: ['guaranteeAmountYuan'] });
    const second = await (await postJson(t.app, '/api/ask', { question: '那要是只贷肆佰万呢', conversationId: first.conversationId })).json();
    expect(second.situation).toMatchObject({ outcome: 'eligible', facts: { guaranteeAmountYuan: 4_000_000 }, computed: { subsidyYuan: 20_000 } });
    expect(second.answer).toContain('按担保金额等于您说的贷款金额400万元计');
    const stated = await (await postJson(t.app, '/api/ask', { question: '担保600万，费率0.7%，有补贴吗' })).json();
    expect(stated.situation.assumed).toBeUndefined();
    const loanOnly = await (await postJson(t.app, '/api/ask', { question: '那贷款只贷400万呢', conversationId: stated.conversationId })).json();
    // (The guarantee's amount was said: a loan's amount does not replace it.)
    expect(loanOnly.situation?.facts?.guaranteeAmountYuan ?? 6_000_000).toBe(6_000_000);
  });

  it('uses the profile sent with the question', async () => {
    const body = await (
      await postJson(t.app, '/api/ask', { question: '这笔能续贷吗？', profile: { size: '中型', loans: [{ kind: '流动资金贷款', dueDate: '2027-09-30' }] } })
    ).json();
    expect(body.situation).toMatchObject({ outcome: 'eligible', computed: { applyBy: '2027-08-30' } });
  });

  it('answers 「我们这种情况能享受哪些政策？」 with the check-up over what the conversation said', async () => {
    const first = await (await postJson(t.app, '/api/ask', { question: '我们是小微企业，给国家电网供货，从来没贷过款' })).json();
    const second = await (await postJson(t.app, '/api/ask', { question: '我们这种情况能享受哪些政策？', conversationId: first.conversationId })).json();
    expect(second.situation.outcome).toBe('checkup');
    expect(second.situation.measures).toEqual(expect.arrayContaining([1, 4, 6, 8]));
    expect(second.answer).toContain('电e金服');
    expect(second.answer).toContain('首贷中心');
  });
});

describe('who may use a measure, asked in the chat', () => {
  const ask = async (question: string, conversationId?: string) => (await postJson(t.app, '/api/ask', { question, ...(conversationId ? { conversationId } : {}) })).json();

  it('gives a conditional yes that asks for the condition a question leaves unsaid (征信: 疫情 and a new repayment arrangement)', async () => {
    const open = await ask('我们厂疫情那会儿停工没钱还贷款逾期了现在征信上还有记录能不能给调一下');
    expect(open.answer.startsWith('有条件可以')).toBe(true);
    expect(open.answer).toContain('请问是否已与贷款银行重新达成还款安排');
    const both = await ask('疫情那两年订单断了没钱还贷，后来跟银行重新签了还款协议，按新的还款计划一直正常还。征信上能按调整后的安排重新报吗');
    expect(both.answer.startsWith('可以')).toBe(true);
    expect(both.answer).toContain('重新上报金融信用信息基础数据库');
  });

  it('takes the topic whose facts a question gives in full, and a short follow-up asking by when after a yes', async () => {
    const window = await ask('中型民营的流动资金贷款，2027.9.25到期，赶得上那个期限不？哪天之前得跟银行说');
    expect(window.answer.startsWith('可以申请')).toBe(true);
    expect(window.answer).toContain('请在2027年8月25日前');
    const first = await ask('客户是中型民企，流动资金贷款2027年7月10日到期，能无还本续贷不？');
    const when = await ask('那最晚啥时候得跟银行提？', first.conversationId);
    expect(when.answer).toContain('请在2027年6月10日前');
  });

  it('reads the measure from how owners name it (不用先还钱就能接着贷 is 无还本续贷), and a large enterprise is told no', async () => {
    const large = await ask('我刚接我爸的厂子，会计说咱这算大型企业。有笔贷款明年四月到期，听人说有个不用先还钱就能接着贷的政策，咱能用上不？');
    expect(large.answer.startsWith('不符合')).toBe(true);
    expect(large.answer).toContain('大型企业');
  });
});

describe('POST /api/checkup', () => {
  it('returns each measure that applies, why, what to do first, the decision per loan and guarantee, and what is missing, all cited', async () => {
    const res = await postJson(t.app, '/api/checkup', {
      profile: {
        size: '中型',
        region: '沈阳',
        loans: [
          { kind: '流动资金贷款', dueDate: '2027-03-31' },
          { kind: '流动资金贷款', dueDate: '2027-12-31' },
        ],
        guarantees: [{ amountYuan: 3_000_000, ratePercent: 0.9 }],
        creditIssue: '行政处罚',
        everBorrowed: true,
        techEnterprise: true,
      },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    const byNumber = new Map(body.measures.map((m: { number: number }) => [m.number, m]));
    const renewal: any = byNumber.get(3);
    expect(renewal.applies).toBe('yes');
    expect(renewal.decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['eligible', 'not_eligible']);
    expect(renewal.decisions[0].text).toContain('2027年2月28日前');
    expect((byNumber.get(9) as any).decisions[0].text).toContain('1.5万元');
    expect((byNumber.get(10) as any).firstStep).toContain('xyln.ln.gov.cn');
    expect((byNumber.get(2) as any).applies).toBe('yes');
    expect((byNumber.get(8) as any).applies).toBe('no');
    expect((byNumber.get(12) as any)).toMatchObject({ applies: 'no', forBanks: true });
    const markers = new Set<number>();
    for (const m of body.measures) for (const text of [...m.why, ...m.steps, ...m.targets, ...m.decisions.map((d: { text: string }) => d.text)]) for (const x of text.matchAll(/\[(\d+)\]/g)) markers.add(Number(x[1]));
    expect([...markers].sort((a, b) => a - b)).toEqual(body.citations.map((c: { n: number }) => c.n));
    for (const c of body.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
  });

  it('lists what is missing for an incomplete profile', async () => {
    const body = await (await postJson(t.app, '/api/checkup', { profile: { loans: [{ dueDate: '2027-01-31' }] } })).json();
    expect(body.missing).toContain('请问贵企业是小微企业、中型企业还是大型企业？');
  });

  it.each([
    [{ profile: { size: '巨型' } }, '企业规模'],
    [{ profile: { loans: [{ dueDate: '2027-02-30' }] } }, '日期'],
    [{ profile: { guarantees: [{ amountYuan: -5 }] } }, '金额'],
    [{ profile: { guarantees: [{ ratePercent: 120 }] } }, '费率'],
    [{ profile: 'x' }, 'profile'],
    [{}, 'profile'],
    [{ profile: { sizee: '小微' } }, '不支持的字段'],
  ])('refuses a bad profile %j with a Chinese 400', async (body, words) => {
    const res = await postJson(t.app, '/api/checkup', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(words);
  });
});
