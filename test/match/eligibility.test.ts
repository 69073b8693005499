import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase } from '../../src/match/case-facts.ts';
import { CampaignEligibility } from '../../src/match/eligibility.ts';
import { startTestService, type TestService } from '../support/app.ts';

/**
 * Campaign eligibility asked in the chat: the campaign's rules held against the facts one question states. A no
 * needs one stated fact that fails a rule; a yes needs the question to ask about the condition it meets (or, for who
 * may apply, every rule on who the applicant is to be stated and met). Nothing unstated is assumed.
 */
let t: TestService;
let eligibility: CampaignEligibility;
beforeAll(async () => {
  t = await startTestService();
  eligibility = new CampaignEligibility(t.services.corpus, t.services.matcher.campaigns, () => '2026-12-05');
});
afterAll(() => t.close());

const JXL = 'jinrong-xingliao-2025';
const DS = 'dianshu-chengjin-2025';
const XZ = 'xinzhi-shengchanli-2025';
const T10 = 'top10-events-2025';

describe('campaign eligibility from a question', () => {
  it('says no when a stated fact fails a rule, quoting that rule', () => {
    const founded = eligibility.check('我们公司2025年3月才注册成立，想报点数成金', [DS]);
    expect(founded?.verdict).toBe('no');
    expect(founded?.rules.map((r) => r.id)).toEqual(['dscj-operating-2y']);
    expect(founded?.rules[0].quote.quote).toContain('持续经营满两年');
    expect(eligibility.check('点数成金我们想6家单位一起联合申报', [DS])?.rules.map((r) => r.id)).toEqual(['dscj-joint-max3']);
    expect(eligibility.check('我们是黑龙江注册的证券公司，能参加金融兴辽吗', [JXL])?.verdict).toBe('no');
  });

  it('says yes only for a condition the question asks about by name', () => {
    expect(eligibility.check('我们公司2021年5月注册成立，报点数成金经营年限够吗', [DS])?.verdict).toBe('yes');
    // The case runs in Guangdong, which one rule asks; the question is about applying as a branch, which no rule read here settles.
    expect(eligibility.check('我们是深圳一家券商的广州营业部，案例在广州落地，能报点数成金吗', [DS])).toBeNull();
    // A Shanghai case of a Hangzhou lead meets the location rule; the partner and resources it lacks are not all read.
    expect(eligibility.check('我们杭州的团队牵头，项目落地在上海，能报数据要素×金融服务上海示范案例吗', [T10])).toBeNull();
  });

  it('says yes to who may apply only when every rule on the applicant is stated and met', () => {
    const insurer = eligibility.check('我们是锦州注册的一家保险公司，能参加金融兴辽吗', [JXL]);
    expect(insurer?.verdict).toBe('yes');
    expect(insurer?.rules.map((r) => r.id).sort()).toEqual(['jxl-applicant-type', 'jxl-region']);
    expect(insurer?.unchecked).toBe(1);
    // The kind alone, with the region unsaid, is no yes.
    expect(eligibility.check('我们是一家保险公司，能参加金融兴辽吗', [JXL])).toBeNull();
  });

  it('quotes the line of the applicant list that names the asker’s kind', () => {
    const lab = eligibility.check('我们是一所高校的研究院，能申报金融新质生产力案例吗', [XZ]);
    expect(lab?.verdict).toBe('yes');
    expect(lab?.rules[0].quote.quote).toBe('学术研究机构：开展相关研究的高校、科研院所、实验室等');
    const doc = t.services.corpus.document(XZ)!;
    expect(doc.text.slice(lab!.rules[0].quote.start, lab!.rules[0].quote.end)).toBe(lab!.rules[0].quote.quote);
  });

  it('returns nothing when the question states no fact a rule tests', () => {
    expect(eligibility.check('点数成金的申报方向能勾两个吗', [DS])).toBeNull();
    expect(eligibility.check('金融兴辽能报吗', [JXL])).toBeNull();
  });
});

describe('reading a case from a question', () => {
  const read = (text: string) => readCase(text, [], '2026-12-05');
  it('takes a place said not to be the case’s as none of its regions', () => {
    expect(read('系统只在沈阳几家农商行用，没在广东落地').caseRegions).toEqual(['辽宁']);
    expect(read('我们杭州的公司牵头，项目在上海落地，但是没有上海本地的合作方').shanghaiLeadOrPartner).toBe(false);
    expect(read('上海有一家合作方银行做联合实施').shanghaiLeadOrPartner).toBe(true);
  });

  it('reads where the applicant is registered from 「X注册的」 and 「外省注册」', () => {
    expect(read('金融兴辽，我们是吉林注册的城商行，在辽宁也有业务').applicantRegion).toBe('吉林');
    expect(read('俺们是大连注册的融资租赁公司').applicantRegion).toBe('辽宁');
    expect(read('外省注册的银行能报不').applicantRegion).toBe('外省');
  });

  it('reads an age (成立刚一年, 刚成立一年半, 成立三年了) as a founding date counted back from today', () => {
    expect(read('成立刚一年的公司能当申报主体不').foundedOn).toBe('2025-12-05');
    expect(read('我们公司刚成立一年半').foundedOn).toBe('2025-06-05');
    expect(read('公司成立三年了').foundedOn).toBe('2023-12-05');
    expect(eligibility.check('成立刚一年的公司能报点数成金不', [DS])?.verdict).toBe('no');
  });

  it('counts the units of a joint application however it is said, and no count when none is said', () => {
    expect(read('我们拉了4家单位一块儿联合申报').jointApplicants).toBe(4);
    expect(read('一家银行加两家科技公司，3家一起报一个项目').jointApplicants).toBe(3);
    expect(read('五家单位一起联合报').jointApplicants).toBe(5);
    expect(read('我们打算联合申报').jointApplicants).toBeUndefined();
  });
});
