import { describe, expect, it } from 'vitest';
import { answerToPending, extractFacts, findDateMentions, mergeFacts } from '../../src/rules/facts.ts';
import { parseChineseInteger } from '../../src/rules/numbers.ts';

const TODAY = '2026-11-22';
const facts = (text: string) => extractFacts(text, TODAY);

describe('enterprise size', () => {
  it.each([
    ['我们是小微企业', 'micro_small'],
    ['我们属于小型企业', 'micro_small'],
    ['个体户一个', 'micro_small'],
    ['我们是中型企业', 'medium'],
    ['中型民营企业', 'medium'],
    ['我们算大型企业', 'large'],
  ])('「%s」 → %s', (text, size) => expect(facts(text).size).toBe(size));

  it('does not decide from 「中小企业」, which names two sizes', () => expect(facts('我们是中小企业').size).toBeUndefined());
  it('reads a negation', () => expect(facts('我们不是小微企业，是中型企业').size).toBe('medium'));
  it('does not take the size a policy is compared with for the asker’s own', () => {
    expect(facts('中型民企，流贷2027年11月到期，能比照小微企业续贷不').size).toBe('medium');
    expect(facts('我们厂子中型的，照着小微企业那样续贷行不').size).toBe('medium');
    expect(facts('像小微企业那样续贷能行吗').size).toBeUndefined();
    expect(facts('我们是中型民营制造企业，能不能按小微那样搞无还本续贷').size).toBe('medium');
  });
});

describe('amounts (guarantee)', () => {
  it.each([
    ['担保200万', 2_000_000],
    ['担保200万元', 2_000_000],
    ['担保额2,000,000元', 2_000_000],
    ['0.05亿的担保', 5_000_000],
    ['担保两百万', 2_000_000],
    ['担保三百五十万', 3_500_000],
    ['300w担保', 3_000_000],
    ['担保5000000元', 5_000_000],
    // 担 alone says what the sum is (set L): not 承担 or 担心.
    ['说是省再担保那块的，就担这150万', 1_500_000],
    ['担保公司全额担了三百万', 3_000_000],
  ])('「%s」 → %d yuan', (text, yuan) => expect(facts(text).guaranteeAmountYuan).toBe(yuan));

  it('does not take a sum one bears or worries about for the guarantee', () => {
    expect(facts('利息我们承担20万，担保费率1%').guaranteeAmountYuan).toBeUndefined();
    expect(facts('担心200万不够，担保费率0.8%').guaranteeAmountYuan).toBeUndefined();
  });

  it('does not take a year or a date for an amount', () => expect(facts('2027年担保').guaranteeAmountYuan).toBeUndefined());
});

describe('a reply to the fact last asked for', () => {
  it('fills the amount asked for with the only amount the reply says of nothing in particular', () => {
    const reply = '三百万 百分之零点八';
    expect(answerToPending(reply, facts(reply), ['guaranteeAmountYuan'])).toMatchObject({ guaranteeAmountYuan: 3_000_000, guaranteeRatePercent: 0.8 });
    // An amount the reply attaches to something else, or two bare amounts, fill nothing.
    expect(answerToPending('营收三个亿', facts('营收三个亿'), ['guaranteeAmountYuan']).guaranteeAmountYuan).toBeUndefined();
    expect(answerToPending('三百万或者四百万', facts('三百万或者四百万'), ['guaranteeAmountYuan']).guaranteeAmountYuan).toBeUndefined();
    expect(answerToPending('三百万', facts('三百万'), []).guaranteeAmountYuan).toBeUndefined();
  });

  it('reads 「三百万百分之零点八」 as two figures, not 300.01万', () => {
    expect(facts('担保三百万百分之零点八')).toMatchObject({ guaranteeAmountYuan: 3_000_000, guaranteeRatePercent: 0.8 });
  });
});

describe('ownership and a repayment arrangement', () => {
  it('reads a state-owned or state-controlled enterprise, and a private one said so', () => {
    expect(facts('我们是浙江一家国企在鞍山设的子公司，国资控股51%').stateOwned).toBe(true);
    expect(facts('客户是一家市属国有控股的上市后备企业').stateOwned).toBe(true);
    expect(facts('我们不是国企，是民营的中型企业').stateOwned).toBe(false);
    expect(facts('我们是中型企业').stateOwned).toBeUndefined();
  });

  it('reads a new repayment arrangement agreed, or said not to be', () => {
    expect(facts('后来跟银行重新签了还款协议').repaymentRearranged).toBe(true);
    expect(facts('后来跟银行重新谈了还款安排').repaymentRearranged).toBe(true);
    expect(facts('还没跟银行重新签协议').repaymentRearranged).toBe(false);
    expect(facts('疫情那会儿停工没钱还贷款').repaymentRearranged).toBeUndefined();
  });
});

describe('rates', () => {
  it.each([
    ['费率0.9%', 0.9],
    ['担保费率百分之0.8', 0.8],
    ['收费百分之零点九', 0.9],
    ['千分之八的费率', 0.8],
    ['费率1个点', 1],
    ['费率1%，补贴0.5%吗', 1],
  ])('「%s」 → %d%%', (text, percent) => expect(facts(text).guaranteeRatePercent).toBe(percent));
});

describe('due dates, resolved against today (2026-11-22)', () => {
  it.each([
    ['2027年9月30日到期', '2027-09-30', 'day'],
    ['2027-09-30到期', '2027-09-30', 'day'],
    ['2027/9/30到期', '2027-09-30', 'day'],
    ['2027.9.30到期', '2027-09-30', 'day'],
    ['27年9月底到期', '2027-09-30', 'month'],
    ['2027年12月到期', '2027-12-31', 'month'],
    ['明年7月20日到期', '2027-07-20', 'day'],
    ['明年7月20号到期', '2027-07-20', 'day'],
    ['明年的6月10号到期', '2027-06-10', 'day'],
    ['下个月15号到期', '2026-12-15', 'day'],
    ['下个月底到期', '2026-12-31', 'month'],
    ['7月20号到期', '2027-07-20', 'day'],
    ['12月5日到期', '2026-12-05', 'day'],
    ['明年九月底到期', '2027-09-30', 'month'],
  ])('「%s」 → %s', (text, date, precision) => {
    const f = facts(text);
    expect(f.dueDate).toBe(date);
    expect(f.dueDatePrecision).toBe(precision);
  });

  it('takes the date next to 到期 when several are given', () => {
    expect(facts('2025年借的流贷，2027年3月31日到期').dueDate).toBe('2027-03-31');
  });

  it('takes the working-capital loan’s own due date when two loans are told (set L)', () => {
    const two = facts('有两笔贷款：一笔是固定资产贷款3000万，2027年5月到期；另一笔是流动资金贷款800万，2027年10月15日到期');
    expect(two).toMatchObject({ loanKind: 'working_capital', dueDate: '2027-10-15' });
    const first = facts('流贷600万明年8月10日到期，还有一笔设备贷明年12月到期');
    expect(first).toMatchObject({ loanKind: 'working_capital', dueDate: '2027-08-10' });
  });

  it('clamps a day past the month end', () => {
    expect(findDateMentions('2027年2月30日', TODAY)[0].date).toBe('2027-02-28');
  });
});

describe('loan kind and circumstances', () => {
  it('reads the loan kind', () => {
    expect(facts('流贷').loanKind).toBe('working_capital');
    expect(facts('流动资金贷款').loanKind).toBe('working_capital');
    expect(facts('固定资产贷款').loanKind).toBe('fixed_asset');
  });

  it('reads credit problems', () => {
    expect(facts('被罚过款').creditIssue).toBe('行政处罚');
    expect(facts('上了失信名单').creditIssue).toBe('严重失信');
    expect(facts('被列入经营异常名录').creditIssue).toBe('异常经营名录');
  });

  it('reads the circumstances the other measures turn on', () => {
    const f = facts('我们是高新技术企业，给国家电网供货，从来没贷过款，抵押物不太够，打算明年上市，疫情期间有过延期');
    expect(f).toMatchObject({ techEnterprise: true, stateGridSupplier: true, everBorrowed: false, lacksCollateral: true, listingPlan: true, covidAffected: true });
  });

  it('reads 不是科技企业 as a no', () => expect(facts('我们不是科技企业').techEnterprise).toBe(false));

  it('does not take a loan kind said not to be the loan’s', () => {
    expect(facts('这笔是固贷，不是流贷').loanKind).toBe('fixed_asset');
    expect(facts('那笔并非流动资金贷款，是设备贷').loanKind).toBe('fixed_asset');
    expect(facts('不是固贷，是流贷').loanKind).toBe('working_capital');
  });
});

describe('the day a loan was made and its term (today 2026-11-22)', () => {
  it.each([
    ['2024年11月20日我行发放的3年期流动资金贷款', '2024-11-20', 36, '2027-11-20'],
    ['流贷是2025年3月5号放款的，期限两年', '2025-03-05', 24, '2027-03-05'],
    ['18个月的流贷，今天刚下款', '2026-11-22', 18, '2028-05-22'],
    ['一年期流贷，去年12月20号贷的', '2025-12-20', 12, '2026-12-20'],
    ['2025年8月31日放的6个月期周转贷', '2025-08-31', 6, '2026-02-28'],
  ])('「%s」 → made %s, %i months, due %s', (text, issuedOn, termMonths, dueDate) => {
    expect(facts(text)).toMatchObject({ issuedOn, termMonths, dueDate, dueDatePrecision: 'day' });
  });

  it('does not take the day a loan was made for the day it is due', () => {
    const f = facts('中型企业，流贷是2025年6月1日发放的');
    expect(f.issuedOn).toBe('2025-06-01');
    expect(f.dueDate).toBeUndefined();
  });

  it('keeps a due day said outright over one worked out', () => {
    expect(facts('2024年5月放款的3年期流贷，合同写的2027年4月30日到期').dueDate).toBe('2027-04-30');
  });

  it('does not read a company’s age or a count of years as a term', () => {
    expect(facts('我们厂成立6年了，流贷2025年3月放的').termMonths).toBeUndefined();
    expect(facts('干了十年了，2024年1月贷的款').dueDate).toBeUndefined();
  });
});

describe('mergeFacts', () => {
  it('lets a later statement replace an earlier one and keeps the rest', () => {
    expect(mergeFacts({ size: 'micro_small', loanKind: 'working_capital' }, { size: 'medium' })).toEqual({ size: 'medium', loanKind: 'working_capital' });
  });

  it('moves the due day when a later turn gives another day the loan was made, or another term', () => {
    const first = facts('中型企业，2024年11月20日发放的3年期流贷');
    expect(mergeFacts(first, facts('要是2024年7月10日放的呢')).dueDate).toBe('2027-07-10');
    expect(mergeFacts(first, facts('要是两年期的呢')).dueDate).toBe('2026-11-20');
    // (With no term known, the day a loan was made says nothing of when it is due: the earlier due day no longer holds.)
    expect(mergeFacts(facts('流贷明年5月1日到期'), facts('其实是2026年3月放的')).dueDate).toBeUndefined();
    // (A term alone does not move a due day said outright.)
    expect(mergeFacts(facts('流贷明年5月1日到期'), facts('三年期的')).dueDate).toBe('2027-05-01');
  });
});

describe('parseChineseInteger', () => {
  it.each([
    ['十二', 12],
    ['两百', 200],
    ['三百五十', 350],
    ['一千二百', 1200],
    ['二十', 20],
  ])('%s → %d', (text, n) => expect(parseChineseInteger(text)).toBe(n));
});

describe('never borrowed', () => {
  it('is not read as having a loan', () => {
    const f = extractFacts('头一回想找银行贷款，也没啥抵押物', '2026-11-22');
    expect(f).toMatchObject({ everBorrowed: false, lacksCollateral: true });
    expect(f.hasLoan).toBeUndefined();
  });
});

describe('non-performing-loan ratios', () => {
  it('reads each ratio by its label, with or without 「%」', () => {
    expect(facts('各项不良1.8% 民企不良4.5%')).toMatchObject({ allLoansNplPercent: 1.8, privateNplPercent: 4.5 });
    // A reply that changes the figures names them by label only (set L).
    expect(facts('各项要是1.3呢 民企还是4.5')).toMatchObject({ allLoansNplPercent: 1.3, privateNplPercent: 4.5 });
  });

  it('does not take a count or a sum beside the label for a ratio', () => {
    const read = facts('民营企业500人，民企贷款3亿');
    expect(read.privateNplPercent).toBeUndefined();
    expect(read.allLoansNplPercent).toBeUndefined();
  });
});
