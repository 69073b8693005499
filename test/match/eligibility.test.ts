import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase } from '../../src/match/case-facts.ts';
import { CampaignEligibility } from '../../src/match/eligibility.ts';
import { startTestService, type TestService } from '../support/app.ts';

/**
 * Campaign eligibility asked in the chat: the campaign's rules held against the facts one question states. A no
 * needs one stated fact that fails a rule; a yes needs every rule that applies to be met (a declaration the form
 * requires anyway is taken, and said), or the question to ask about the one condition it meets by name; otherwise
 * the answer is a conditional yes naming the rules still waiting for a fact. Nothing unstated is assumed.
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

  it('says yes for a condition the question asks about by name, and a conditional yes when other rules wait for facts', () => {
    expect(eligibility.check('我们公司2021年5月注册成立，报点数成金经营年限够吗', [DS])?.verdict).toBe('yes');
    // The case runs in Guangdong and a securities firm may apply; whether it is in use, when it was implemented … are not said.
    const branch = eligibility.check('我们是深圳一家券商的广州营业部，案例在广州落地，能报点数成金吗', [DS]);
    expect(branch?.verdict).toBe('conditional');
    expect(branch?.rules.map((r) => r.id)).toContain('dscj-guangdong');
    expect(branch?.open.map((r) => r.id)).toEqual(expect.arrayContaining(['dscj-operating-2y', 'dscj-in-use', 'dscj-by-2025']));
    // A rule that only says who may apply (总部 or 分、子公司) is never a condition to wait for.
    expect(branch?.open.map((r) => r.id)).not.toContain('dscj-branch');
    // A Shanghai case of a Hangzhou lead meets the location rule; whether it has a Shanghai partner is still open.
    const shanghai = eligibility.check('我们杭州的团队牵头，项目落地在上海，能报数据要素×金融服务上海示范案例吗', [T10]);
    expect(shanghai?.verdict).toBe('conditional');
    expect(shanghai?.open.map((r) => r.id)).toContain('t10-shanghai-partner');
  });

  it('reads results said to have no figures as no quantified evidence, and figures given later as evidence', () => {
    const none = eligibility.check('我们在大连一个装备制造园区给企业做了批量授信产品包，效果只有定性描述，没统计具体数据，能报年度产业赋能典范不', [T10]);
    expect(none?.verdict).toBe('no');
    expect(none?.rules.map((r) => r.id)).toEqual(['t10-industry-evidence']);
    const later = eligibility.check('我们在大连一个装备制造园区给企业做了批量授信产品包，效果只有定性描述，没统计具体数据，能报年度产业赋能典范不。现在补了数据：园区内60家企业拿到授信，总额八亿。', [T10]);
    expect(later?.rules.find((r) => r.id === 't10-industry-evidence') && later.verdict).not.toBe('no');
    // Figures alone are not results said (3家、500万): the evidence rule is not met by them.
    const figuresOnly = eligibility.check('我们3家单位联合做的产业园授信产品包，授信500万起，能报年度产业赋能典范不', [T10]);
    expect(figuresOnly?.rules.map((r) => r.id) ?? []).not.toContain('t10-industry-evidence');
    expect(figuresOnly?.verdict).not.toBe('yes');
    // An implementation said a few words after its date (「25年12月就先在番禺一个支行上线了」), and the earliest of two, counts.
    const early = eligibility.check('我们广州的项目2026年1月才全面上线，其实25年12月就先在番禺一个支行上线了，点数成金能报不', [DS]);
    expect(early?.verdict).not.toBe('no');
    expect(early?.open.map((r) => r.id)).not.toContain('dscj-by-2025');
  });

  it('holds a technology company to the partner the applicant list asks of it (「与持牌金融机构合作的技术服务商」)', () => {
    // Unsaid: a conditional yes that asks — however many other facts the story gives (「23年就上线了」 is no question about the date).
    const unsaid = eligibility.check('我们是做大模型的科技公司，智能客服产品23年就上线了，在好几个场景用着。想报新质生产力，我们这种公司能报不？', [XZ]);
    expect(unsaid?.verdict).toBe('conditional');
    expect(unsaid?.open.map((r) => r.id)).toContain('xz-fintech-partner');
    expect(unsaid?.open.find((r) => r.id === 'xz-fintech-partner')?.quote.quote).toBe('金融科技公司：与持牌金融机构合作的技术服务商');
    // Said: building for banks is working with licensed institutions.
    const said = eligibility.check('我们是做大模型的科技公司，2024年给两家城商行上线了智能客服，在用着。想报新质生产力，我们这种公司能报不？', [XZ]);
    expect(said?.open.map((r) => r.id) ?? []).not.toContain('xz-fintech-partner');
    // Denied: no.
    const denied = eligibility.check('我们是一家金融科技公司，用大模型做了个理财推荐App，也没有和任何持牌金融机构合作，能报新质生产力吗', [XZ]);
    expect(denied?.verdict).toBe('no');
    expect(denied?.rules.map((r) => r.id)).toContain('xz-fintech-partner');
    // A licensed applicant needs no partner.
    expect(eligibility.check('我们是沈阳一家城商行，2024年上线了大模型客服，能报新质生产力吗', [XZ])?.open.map((r) => r.id) ?? []).not.toContain('xz-fintech-partner');
  });

  it('says yes when every rule that applies is met, taking the declarations the form requires as assumptions', () => {
    const leasing = eligibility.check('我们是大连注册的融资租赁公司，2025年给瓦房店几家轴承厂做了设备直租，能报金融兴辽不', [JXL]);
    expect(leasing?.verdict).toBe('yes');
    expect(leasing?.rules.map((r) => r.id).sort()).toEqual(['jxl-applicant-type', 'jxl-region', 'jxl-year']);
    // The kind and the region alone leave the year of the work open: a conditional yes that asks for it.
    const insurer = eligibility.check('我们是锦州注册的一家保险公司，能参加金融兴辽吗', [JXL]);
    expect(insurer?.verdict).toBe('conditional');
    expect(insurer?.open.map((r) => r.id)).toEqual(['jxl-year']);
    // 「25年那届金融兴辽」 names the campaign's edition, not a year of the asker's work.
    expect(eligibility.check('我们是锦州的城商行，25年那届金融兴辽这个案例能报吗', [JXL])?.open.map((r) => r.id)).toEqual(['jxl-year']);
    const ds = eligibility.check('我们是广州的金融科技公司，2020年成立，案例2025年3月上线，一直在深圳用着，能报点数成金不', [DS]);
    expect(ds?.verdict).toBe('yes');
    expect(ds?.assumed.map((r) => r.id).sort()).toEqual(['dscj-integrity', 'dscj-joint-max3', 'dscj-violation']);
  });

  it('reads the applicant as the asker says it is, not a partner or a client it names', () => {
    const factory = eligibility.check('俺们是沈阳一个做机床配件的民营厂子，去年跟银行整了个订单贷，俺们厂自己当申报单位报金融兴辽能行不', [JXL]);
    expect(factory?.verdict).toBe('no');
    expect(factory?.rules.map((r) => r.id)).toEqual(['jxl-applicant-type']);
    expect(eligibility.check('我们支行把网点改成了适老化网点，没用啥AI技术，能报金融新质生产力案例吗', [XZ])?.rules.map((r) => r.id)).toEqual(['xz-ai']);
    expect(eligibility.check('我们实验室的大模型信用评估系统还在开发阶段，预计明年才能上线，能报新质生产力不', [XZ])?.rules.map((r) => r.id)).toEqual(['xz-in-use']);
  });

  it('quotes the line of the applicant list that names the asker’s kind', () => {
    const lab = eligibility.check('我们是一所高校的研究院，能申报金融新质生产力案例吗', [XZ]);
    expect(lab?.verdict).toBe('conditional');
    expect(lab?.rules[0].quote.quote).toBe('学术研究机构：开展相关研究的高校、科研院所、实验室等');
    const doc = t.services.corpus.document(XZ)!;
    expect(doc.text.slice(lab!.rules[0].quote.start, lab!.rules[0].quote.end)).toBe(lab!.rules[0].quote.quote);
  });

  it('answers 「能报不」 as a question about every condition: a met condition the story names is no yes by name', () => {
    // The asking clause asks whether the applicant may take part at all; the 上线 year it told is one condition of several.
    for (const q of ['点数成金 我们广州的科技公司 风控模型在广州几家银行用了一年多了 24年就上线了 没啥违规没不良记录 能报不', '我们的数字风控产品25年之前就上线了。点数成金能报吧？']) {
      const found = eligibility.check(q, [DS]);
      expect(found?.verdict, q).toBe('conditional');
      expect(found?.open.map((r) => r.id), q).toContain('dscj-operating-2y');
    }
    // Asked by name, the same condition still answers yes on its own.
    expect(eligibility.check('我们案例24年就上线了，点数成金对实施时间的要求够不够', [DS])?.verdict).toBe('yes');
  });

  it('counts 前年/去年/今年 from today for the case’s year, and says so', () => {
    const before = eligibility.check('大连一家城商行的，我们有个科技贷的案子是前年落地的，现在还想拿去报2025那届金融兴辽，中不中', [JXL]);
    expect(before?.verdict).toBe('no');
    expect(before?.rules.map((r) => r.id)).toEqual(['jxl-year']);
    expect(before?.readings?.join()).toContain('“前年”按今天（2026年12月5日）计为2024年');
    const last = eligibility.check('大连一家城商行的，我们去年做了个科技贷的项目，能报金融兴辽不', [JXL]);
    expect(last?.verdict).toBe('yes');
    expect(last?.readings?.join()).toContain('2025年');
  });

  it('holds a project led from outside Shanghai to all three conditions of the cross-region list', () => {
    const ids = (q: string) => eligibility.check(q, [T10]);
    // Partner, value and resources all in Shanghai: yes.
    const all = ids('我们是南京的银行牵头，合作方是上海一家科技公司，项目的数据运营团队常驻上海，贷款客户九成是上海的小微，能报上海示范案例吗');
    expect(all?.verdict).toBe('yes');
    // Resources not said: conditional, the resources rule open.
    const open = ids('我们是北京的科技公司牵头，上海有一家合作银行一起做，贷款客户主要是上海的企业，这样能报上海示范案例不');
    expect(open?.verdict).toBe('conditional');
    expect(open?.open.map((r) => r.id)).toContain('t10-shanghai-resources');
    // Teams and servers said to be elsewhere (fragments parted by spaces): no.
    const elsewhere = ids('我们是杭州的数据公司牵头 上海有家银行当核心合作方 客户也主要在上海 团队都在杭州 服务器算力也在杭州机房 上海示范案例能报不');
    expect(elsewhere?.verdict).toBe('no');
    expect(elsewhere?.rules.map((r) => r.id)).toEqual(['t10-shanghai-resources']);
    // The lead told as 「由…牵头」 after the asker (a school) introduced itself: the lead's place is the applicant's (set L).
    const led = ids('我们是一所高校的实验室，跟一家软件公司合作，由这家南京公司牵头，上海一家农商行是核心联合实施方，团队和服务器都在南京，客户主要是上海的小微企业，上海示范案例能报吗');
    expect(led?.verdict).toBe('no');
    expect(led?.rules.map((r) => r.id)).toEqual(['t10-shanghai-resources']);
    // A lead in Shanghai needs none of them; where the case runs still decides (总部在陆家嘴 is the lead's seat, not the case's).
    const seat = ids('我们总部就在陆家嘴，不过这个数据资产入表质押融资的案子主要是在苏州工业园区落地的，服务的也是苏州的企业。上海示范案例能报吗');
    expect(seat?.verdict).toBe('no');
    expect(seat?.rules.map((r) => r.id)).toContain('t10-shanghai-location');
  });

  it('says no to a case whose work was all in another year, however the years around it are said', () => {
    const done = eligibility.check('我们是大连的一家城商行，想报金融兴辽，拿的是2024年4月立项、2024年10月结项的普惠项目，2025年这个项目没再做任何新东西，今年团队也就20来人。能报2025年那届吗？', [JXL]);
    expect(done?.verdict).toBe('no');
    expect(done?.rules.map((r) => r.id)).toEqual(['jxl-year']);
  });

  it('answers 「现在还能报名不」 with the window when it has closed, and says the closed window beside any other verdict', () => {
    const late = new CampaignEligibility(t.services.corpus, t.services.matcher.campaigns, () => '2026-12-06');
    const open = late.check('金融兴辽那个案例征集现在还能报名不？我们支行行长刚听说', [JXL]);
    expect(open?.verdict).toBe('no');
    expect(open?.rules[0].quote.quote).toContain('2025年10月9日');
    expect(open?.readings?.join()).toContain('报名已于2025年10月9日截止');
    // However the window is asked after (set L): 还能递材料吗、还赶趟不.
    for (const asked of ['金融新质生产力按今天这个时间点，还能递材料吗？', '新质生产力那个俺现在报还赶趟不？']) {
      expect(late.check(asked, [XZ])?.readings?.join()).toContain('报名已于2025年10月20日截止');
      expect(late.check(asked, [XZ])?.verdict).toBe('no');
    }
    // A stated fact that fails a rule still decides, with the window said beside it; 「还能报吗」 after a story is no time question.
    const violation = late.check('去年我们被监管查了，定性是重大违法违规，罚了八十五万。想报点数成金，案子在深圳用着，公司成立八年，这种还能报吗？', [DS]);
    expect(violation?.rules.map((r) => r.id)).toEqual(['dscj-violation']);
    expect(violation?.readings?.join()).toContain('报名已于2026年4月10日截止');
    // Before the window closes nothing is said of it.
    const early = new CampaignEligibility(t.services.corpus, t.services.matcher.campaigns, () => '2026-03-01');
    const during = early.check('点数成金现在还能报名不？我们是广州的券商', [DS]);
    expect(during?.verdict).not.toBe('no');
    expect(during?.readings ?? []).not.toContainEqual(expect.stringContaining('截止'));
  });

  it('answers a founding year that leaves the rule open with a yes on conditions, the bound and what to tell', () => {
    const year = eligibility.check('点数成金 我们公司是2024年成立的 经营年限够不够申报', [DS]);
    expect(year?.verdict).toBe('conditional');
    expect(year?.open.map((r) => r.id)).toEqual(['dscj-operating-2y']);
    expect(year?.readings?.join()).toContain('须在2024年2月10日（含）前成立；您说的成立时间在2024年1月1日至2024年12月31日之间');
    // A month that settles it is a plain answer.
    expect(eligibility.check('点数成金 我们公司是2024年1月成立的 经营年限够不够申报', [DS])?.verdict).toBe('yes');
    expect(eligibility.check('点数成金 我们公司是2024年8月成立的 经营年限够不够申报', [DS])?.verdict).toBe('no');
  });

  it('says the day a founding date is two years on, and the day the campaign counts from', () => {
    const young = eligibility.check('公司是2024年6月15号成立的，点数成金要求持续经营满两年，到4月10号那个截止日我们满没满？哪天才满两年？', [DS]);
    expect(young?.verdict).toBe('no');
    expect(young?.readings).toContain('按2024年6月15日成立计，满两年为2026年6月15日；按活动的计算，须在2024年2月10日（含）前成立');
  });

  it('says a count over its bound with the total the question gives', () => {
    const five = eligibility.check('我们牵头 再加上4家合作单位一起报点数成金 一共五家 这个数量中不中', [DS]);
    expect(five?.verdict).toBe('no');
    expect(five?.readings).toContain('按5家计，超出3家的上限2家');
  });

  it('returns nothing when the question states no fact a rule tests', () => {
    expect(eligibility.check('点数成金的申报方向能勾两个吗', [DS])).toBeNull();
    expect(eligibility.check('金融兴辽能报吗', [JXL])).toBeNull();
  });
});

describe('reading a case from a question', () => {
  const read = (text: string) => readCase(text, [], '2026-12-05');
  it('takes technologies said not to be used, places said not to be the case’s and years said to have no work as none of the case’s', () => {
    expect(read('都是客户经理一户一户跑下来的，没用啥大模型AI那些高科技').usesAi).toBe(false);
    expect(read('这个项目本身跟AI大模型没关系').usesAi).toBe(false);
    expect(read('我们在上海没有合作机构，客户也都在大连').caseRegions).toEqual(['辽宁']);
    expect(read('我们在上海没有合作机构，客户也都在大连').shanghaiLeadOrPartner).toBe(false);
    // Today is 2026-12-05: 前年 is 2024, and 去年 had no work.
    expect(read('前年3月到12月搞了一期专项，项目年底就收尾了，去年没再做').workYears).toEqual([2024]);
    expect(read('今年3月才上线的风控系统').workYears).toContain(2026);
    expect(read('今年3月才上线的风控系统').workYears).not.toContain(2025);
    // A year said to have had no work, a headcount and the campaign's edition are no years of work (set L).
    expect(read('2024年3月立项、2024年11月结项，2025年这个项目没再做任何新东西，今年团队也就20来人，想报2025年那届').workYears).toEqual([2024]);
    expect(read('今年10月完成PoC，正式生产上线要到明年3月').inUse).toBe(false);
    // 「没正式上线」 is no 「正式上线」 (set L); 内测 is not in use either.
    expect(read('另一个系统还在内测、没正式上线').inUse).toBe(false);
    expect(read('风控模型灰度中，还没投产').inUse).toBe(false);
    expect(read('去年8月正式上线，一直在用').inUse).toBe(true);
  });

  it('takes the asker’s own kind, not that of an organisation whose words it passes on, and reads 「做…加工的」 as an enterprise', () => {
    expect(read('我们开户行的客户经理说有个评选，让我们厂也报，我们是丹东做板栗加工的').orgType).toBe('enterprise');
    expect(read('银行的信贷员让我们也试试，我们是朝阳做小米种植的合作社').orgType).toBe('enterprise');
    expect(read('俺们是锦州做汽车配件生产的，能报不').orgType).toBe('enterprise');
    // (A bank that speaks for itself is still a bank.)
    expect(read('我们银行的普惠金融部做了个助农贷产品').orgType).toBe('bank');
  });

  it('reads no place from the names of campaigns and tracks it is given', () => {
    const names = ['“数据要素×金融服务” 上海示范案例', '上海示范案例'];
    expect(readCase('我们杭州的项目，想报“数据要素×金融服务”上海示范案例', ['点数成金'], '2026-12-05', names).caseRegions).toEqual(['浙江']);
    expect(readCase('沈阳的银行，广州那个点数成金能报吗', ['点数成金', '广州那个点数成金'], '2026-12-05').caseRegions).toEqual(['辽宁']);
  });

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
