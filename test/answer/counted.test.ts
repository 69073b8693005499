import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageLine, shareLine } from '../../src/answer/averages.ts';
import { daySpanLine } from '../../src/answer/spans.ts';
import { limitGaps } from '../../src/answer/verdict.ts';
import { extractFacts } from '../../src/rules/facts.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

/**
 * What a question asks to be counted from the quoted text (set K, fifth round, issue 13): days of a period or to a
 * deadline, an average per unit, a share of a number, and weighted scores across cases and follow-ups.
 */
describe('days', () => {
  const today = '2026-12-06';

  it('counts a period the text gives as a range, both ends included', () => {
    expect(daySpanLine('评审一共多长时间', ['（二）集中评审（10月21日—11月10日）'], today)).toContain('共21天');
    expect(daySpanLine('投票开了几天', ['投票时间：2025年10月12日-2025年10月17日'], today)).toContain('共6天');
  });

  it('counts from the day the question names, or today, to the deadline the text gives', () => {
    expect(daySpanLine('我们2025年10月15号发的邮件，离截止还剩几天', ['报送截止时间：2025年10月20日'], today)).toContain('还有5天');
    // A day said without a year is in the deadline's year.
    expect(daySpanLine('营业执照3月31号才下来，到截止还剩几天', ['2026年2月10日-4月10日'], today)).toContain('还有10天');
    expect(daySpanLine('按今天算距离这个截点还有多少天', ['对2027年9月30日前到期的中型民营企业流动资金贷款'], today)).toContain('还有298天');
    // (Of several dates, the one the text says things end by.)
    expect(daySpanLine('2025年10月1日算，离截止还有几天', ['2025年9月1日启动，2025年10月20日截止，2025年11月10日评审'], today)).toContain('还有19天');
  });

  it('counts a period’s whole length when asked from its start to its end, both ends included (set M)', () => {
    expect(daySpanLine('申报期总共有多少天？从开始那天到截止那天，含头含尾', ['2026年2月10日-4月10日'], today)).toBe('按原文“2026年2月10日—4月10日”计，首尾两天都算，共60天。\n');
  });

  it('counts from today to the one day the question names when the text quotes no date (set M)', () => {
    expect(daySpanLine('流贷2027年1月20日到期，现在离到期还有几天', ['全面落实无还本续贷政策'], today)).toContain('还有45天');
    // (A day already past, or none named, counts nothing.)
    expect(daySpanLine('流贷2026年1月20日到期，离到期还有几天', ['全面落实无还本续贷政策'], today)).toBe('');
    expect(daySpanLine('离到期还有几天', ['全面落实无还本续贷政策'], today)).toBe('');
  });

  it('counts nothing when the question asks no count of days, asks the text’s own period, or the text has no single deadline', () => {
    expect(daySpanLine('截止哪天', ['报送截止时间：2025年10月20日'], today)).toBe('');
    expect(daySpanLine('要提前多久申请', ['可提前1个月'], today)).toBe('');
    expect(daySpanLine('离结束还有几天', ['2025年9月1日开始', '2025年11月10日评审'], today)).toBe('');
  });

  it('counts the days since a deadline already past, however the question says it (set N)', () => {
    expect(daySpanLine('报名截止到现在过去多少天了', ['报名时间：即日起-2025年10月9日'], today)).toContain('已过去423天');
    expect(daySpanLine('截止日子过了几天了', ['报送截止时间：2025年10月20日'], today)).toContain('已过去412天');
  });

  it('counts from today when the question says so, beside another day it names (set N)', () => {
    // 「从今天12月6号算」 starts the count; the loan's own due day is not where it starts.
    expect(daySpanLine('流贷明年5月10号到期，从今天12月6号算，离中型企业那个截止日还有多少天', ['对2027年9月30日前到期的中型民营企业流动资金贷款'], today)).toContain(
      '从2026年12月6日到“2027年9月30日”，还有298天',
    );
  });

  it('counts to the day the answer computed to turn to the lender by, when that is what the counting sentence asks (set N)', () => {
    const computed = '请在2027年1月5日前（原文：可提前1个月）通过网上银行、手机银行或线下网点向贷款银行提出无还本续贷需求。';
    expect(daySpanLine('贷款2027年2月5日到期，照提前一个月算，我还剩几天准备时间', ['全面落实无还本续贷政策'], today, computed)).toContain('到2027年1月5日，还有30天');
    // (A count of the days to the due day itself is not the days to the apply-by day.)
    expect(daySpanLine('贷款2027年2月5日到期，离到期还有几天？提前一个月是哪天', ['全面落实无还本续贷政策'], today, computed)).toContain('到2027年2月5日，还有61天');
  });

  it('does not take a day said to be today for the day a loan falls due', () => {
    expect(extractFacts('我司中型企业，以今天（2026年12月6日）计，距离截点还有多少天', today).dueDate).toBeUndefined();
    expect(extractFacts('中型企业，流贷2027年3月1日到期', today).dueDate).toBe('2027-03-01');
  });
});

describe('gaps to targets (set M)', () => {
  it('holds each figure the question gives against the one target the quotes set in its unit', () => {
    const target = ['2027年底前，力争平台企业注册户数超40万户，累计解决融资金额超4000亿元。'];
    expect(limitGaps('现在注册31.5万户、累计解决融资2650亿元，分别还差多少', target)).toEqual([
      { kind: 'floor', value: 315_000, limit: 400_000, unit: '户' },
      { kind: 'floor', value: 265_000_000_000, limit: 400_000_000_000, unit: '元' },
    ]);
    // (A 「不超过」 is a ceiling, not a target to pass.)
    expect(limitGaps('我们想报5家', ['单个项目联合申报单位数量不超过3家。'])).toEqual([{ kind: 'ceiling', value: 5, limit: 3, unit: '家' }]);
  });
});

describe('averages and shares', () => {
  it('divides the one sum by the one count a quoted sentence gives', () => {
    expect(averageLine('按户数平均，每户融资金额约为多少', ['力争平台企业注册户数超40万户，累计解决融资金额超4000亿元。'])).toContain('平均每户约100万元');
    expect(averageLine('平均每户次多少', ['新增融资担保业务350亿元以上，服务民营企业4万户次以上。', '单户500万元以下'])).toContain('约87.5万元');
    expect(averageLine('一共多少钱', ['新增融资担保业务350亿元以上，服务民营企业4万户次以上。'])).toBe('');
  });

  it('takes the share of the number the question gives, as a whole number when the rule says so', () => {
    expect(shareLine('一共47个案例，能有几个进路演', ['选出30%比例数量（取整数）进入路演答辩。'])).toContain('取整数为14个');
    expect(shareLine('能有几个进路演', ['选出30%比例数量（取整数）进入路演答辩。'])).toBe('');
  });
});

describe('in the chat', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-06' });
  });
  afterAll(() => t.close());

  async function conversation(...questions: string[]): Promise<string[]> {
    const answers: string[] = [];
    let conversationId: string | undefined;
    for (const question of questions) {
      const res = await postJson(t.app, '/api/ask', { question, ...(conversationId ? { conversationId } : {}) });
      const body = (await res.json()) as { answer: string; conversationId: string };
      conversationId = body.conversationId;
      answers.push(body.answer);
    }
    return answers;
  }

  it('dates the fastest and the average repair from the day the asker will submit', async () => {
    const [answer] = await conversation('我们打算后天提交信用修复申请，是行政处罚那类，最快哪天修好？平均呢又是哪天？');
    expect(answer).toContain('最快3天计（按自然日），为2026年12月11日');
    expect(answer).toContain('平均6天计（按自然日），为2026年12月14日');
  });

  it('holds the day a repair would be done by against the day the asker needs it by (set N)', async () => {
    const [late] = await conversation('有个行政处罚要修复，下周一（12月14号）投标要用。今天12月6号网上提申请，按最快的速度，能在14号前修好吗？');
    expect(late).toMatch(/^(?:可以|能)/);
    const [early] = await conversation('有个行政处罚要修复，今天12月6号网上提申请，按最快的速度，能在8号前修好吗？');
    expect(early).toMatch(/^不/);
    expect(early).toContain('为2026年12月9日');
  });

  it('counts the days to the medium firms’ date for a firm that asks it', async () => {
    const [answer] = await conversation('我们是中型民营企业，做年度预算，想知道中型企业流贷无还本续贷那个截止日期，打今天算还剩多少天？');
    expect(answer).toContain('还有298天');
  });

  it('says how many days ago a closed campaign stopped taking applications (set N)', async () => {
    const [answer] = await conversation('点数成金现在还能报不？哪天截止的，截止到现在过去多少天了？');
    expect(answer).toMatch(/^不/);
    expect(answer).toContain('已过去240天');
  });

  it('counts a small firm’s days to the day it should turn to its bank by (set N)', async () => {
    const [answer] = await conversation('我们小微企业，流贷2027年2月5日到期，想走无还本续贷，照提前一个月去找银行，打今天算还有几天准备时间？');
    expect(answer).toContain('还有30天');
  });

  it('totals two cases’ scores, and keeps the other score when a follow-up changes one', async () => {
    const [two] = await conversation('金融兴辽算分：甲案例网络投票90分、专家评审70分，乙案例网络投票60分、专家评审85分，各是多少？');
    expect(two).toContain('= 78分');
    expect(two).toContain('= 75分');
    const [, changed] = await conversation('金融兴辽网络投票我们估计70分，专家评审80分，综合多少？', '那专家评审要是90呢');
    expect(changed).toContain('网络投票70分×40% + 专家评审90分×60% = 82分');
  });

  it('solves for the score a part needs when the total is said as 综合分', async () => {
    const [answer] = await conversation('金融兴辽专家评审我们能拿80分，想让综合分到80，网络投票得拿多少？');
    expect(answer).toContain('网络投票需要至少80分');
    // (「综合才能到80」 says the target too: 80 is no part's score — set N.)
    const [then] = await conversation('金融兴辽专家评审要是拿85分，网络投票至少得多少分综合才能到80？');
    expect(then).toContain('网络投票需要至少72.5分');
    // (So in a follow-up, where a figure alone may be a part's score.)
    const [, next] = await conversation('金融兴辽网络投票我们估计70分，专家评审80分，综合多少？', '要是网络投票只有50分，专家评审至少要多少分综合才能到80？');
    expect(next).toContain('专家评审需要至少100分');
  });
});
