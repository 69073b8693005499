import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase } from '../../src/match/case-facts.ts';
import { extractFacts } from '../../src/rules/facts.ts';
import { moneyMentions } from '../../src/rules/numbers.ts';
import { introductions } from '../../src/text/asking.ts';
import { inSimplified, withoutEmoji } from '../../src/text/script.ts';
import { limitComparison } from '../../src/answer/verdict.ts';
import { converse, postJson, startTestService, type TestService } from '../support/app.ts';

/**
 * What the asker tells of its case, as blind set M's writers told it (seventh round, issues 12 and 13): sums with a
 * currency before them, a loan with no guarantee, a loan already paid off, a what-if after a may-I, a case no longer in
 * use, where a case may be asked about, how far a figure is from its limit, and text in traditional characters.
 */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-08' });
});
afterAll(() => t.close());

const ask = (...questions: string[]) => converse(t, ...questions);

describe('sums with a currency said before them', () => {
  it('reads ¥3,200,000 and RMB 3.2m as yuan, and a bare 3.2m as no sum', () => {
    expect(moneyMentions('担保金额¥3,200,000').map((m) => m.yuan)).toEqual([3_200_000]);
    expect(moneyMentions('担保金额rmb3.2m').map((m) => m.yuan)).toEqual([3_200_000]);
    expect(moneyMentions('厂房层高3.2m')).toEqual([]);
    expect(extractFacts('单户担保金额¥3,200,000，担保费率0.85%', '2026-12-08')).toMatchObject({ guaranteeAmountYuan: 3_200_000, guaranteeRatePercent: 0.85 });
  });

  it('answers the subsidy for a guarantee told as ¥3,200,000 with its figures', async () => {
    const [reply] = await ask('单户担保金额¥3,200,000，担保费率0.85%，这种能享受省里那个担保费补贴不？');
    expect(reply.answer).toMatch(/^符合/);
    expect(reply.answer).toContain('1.6万元');
  });
});

describe('a loan with no guarantee', () => {
  it('reads 纯信用、没找担保公司 as no guarantee, unless the guarantee’s own amount is given', () => {
    expect(extractFacts('我们在银行贷的是纯信用贷款，没找担保公司', '2026-12-08').hasGuarantee).toBe(false);
    expect(extractFacts('没有担保公司愿意给我们担', '2026-12-08').hasGuarantee).toBe(false);
    expect(extractFacts('担保公司给担了300万', '2026-12-08').hasGuarantee).toBe(true);
    expect(extractFacts('我们找了担保公司担了，为啥没有担保费补贴', '2026-12-08').hasGuarantee).toBe(true);
    expect(extractFacts('有没有担保公司能给我们担', '2026-12-08').hasGuarantee).toBe(true);
  });

  it('does not take 「我们在银行贷的」 for a bank asking', () => {
    expect(extractFacts('我们在银行贷的款', '2026-12-08').askerIsBank).toBeUndefined();
    expect(extractFacts('我们是农商行', '2026-12-08').askerIsBank).toBe(true);
  });

  it('answers that such a loan gets no guarantee-fee subsidy', async () => {
    const [reply] = await ask('我们在银行贷的是纯信用贷款，没找担保公司，那个百分之零点五的担保费补贴我们能拿不？');
    expect(reply.answer).toMatch(/^不能/);
    expect(reply.answer).toContain('担保业务');
  });
});

describe('how far a figure is from the rule’s limit', () => {
  it('says by how many points a guarantee fee rate is over 1%', async () => {
    const [reply] = await ask('担保公司收我们百分之一点二的担保费，单户三百万，这个能拿省里的担保费补贴吗？超了的话超多少');
    expect(reply.answer).toContain('高出0.2个百分点');
  });

  it('says how many points a private-loan NPL ratio has left under the tolerance', async () => {
    const [reply] = await ask('我行各项贷款NPL 2.1%，民企贷款NPL 4.5%，在辽宁这个容忍度内不？还剩多少buffer');
    expect(reply.answer).toContain('距容忍度还有0.6个百分点');
  });

  it('reads 1.2k字 as 1200 characters and 得砍掉多少 as asking the gap', async () => {
    const [reply] = await ask('点数成金申报书里单位简介我们写了1.2k字，把历史沿革、股东、十几项荣誉全塞进去了，限制是多少？得砍掉多少？');
    expect(reply.answer).toContain('按1200字计，比1000字的限额多200字');
  });

  it('says how far each figure is from its own target (户 and 亿元)', async () => {
    const [reply] = await ask('省里说2027年底前融资信用服务平台企业注册户数要超多少户、累计融资超多少？假如全省现在注册31.5万户、累计解决融资2650亿元，分别还差多少？');
    expect(reply.answer).toContain('按31.5万户计，距40万户的下限还差8.5万户。');
    expect(reply.answer).toContain('按2650亿元计，距4000亿元的下限还差1350亿元。');
  });

  it('counts the days of a period from 「今天」 however far it stands from the verb (今天在…网站上提交了)', async () => {
    const [reply] = await ask('今天在信用中国（辽宁）上提交了行政处罚的信用修复申请，最快哪天能修好？平均下来得哪天？');
    expect(reply.answer).toContain('最快3天计（按自然日），为2026年12月11日');
    expect(reply.answer).toContain('平均6天计（按自然日），为2026年12月14日');
  });

  it('says which of two weighted totals is higher, and by how much', async () => {
    const [reply] = await ask('金融兴辽里面，假设A银行网络投票95分、专家70分，B银行网络投票60分、专家92分，按权重算谁高？差多少？');
    expect(reply.answer).toContain('A（第1组）比B（第2组）高0.8分。');
    // (Not asked, not said.)
    const [plain] = await ask('金融兴辽里面，A银行网络投票95分、专家70分，B银行网络投票60分、专家92分，综合各多少分');
    expect(plain.answer).not.toContain('高0.8分');
  });

  it('reads 还剩多少 as asking the gap', async () => {
    const [reply] = await ask('辽信宝测额最高多少？我们想贷四百五十万，还剩多少得找别的路子');
    expect(reply.answer).toContain('多150万元');
  });
});

describe('what everyone must do, asked beside another question', () => {
  it('answers 「是不是得自己去财政局递材料申请？要准备啥材料？」 with the need-not the text gives everyone', async () => {
    const [reply] = await ask('担保费补贴那个，是不是得我们自己去财政局递材料申请？要准备啥材料？我们是抚顺一家小机加工厂，担了一百五十万');
    expect(reply.answer).toMatch(/^不是/);
    expect(reply.answer).toContain('不必另行向财政部门提出申请');
  });
});

describe('a loan already paid off', () => {
  it('is not the loan asked about', () => {
    expect(extractFacts('中型民企 固贷 27年5月到期 能走无还本续贷？另一笔流贷300w上月已结清', '2026-12-08')).toMatchObject({
      loanKind: 'fixed_asset',
      dueDate: '2027-05-31',
    });
  });

  it('leaves a medium firm’s fixed-asset loan outside the renewal measure', async () => {
    const [reply] = await ask('中型民企 固贷 27年5月到期 能走无还本续贷？另一笔流贷300w上月已结清 急');
    expect(reply.answer).toMatch(/^暂不符合/);
    expect(reply.answer).toContain('流动资金贷款');
  });
});

describe('a what-if after a may-I', () => {
  it('asks the 首贷中心 question again on the facts the follow-up tells', async () => {
    const [first, second] = await ask('我们公司成立三年了从来没在银行带过款，能去首贷中心申请不？', '那要是前年在农商行贷过80万，已经还清了呢');
    expect(first.answer).not.toMatch(/^不可以/);
    expect(second.answer).toMatch(/^不可以/);
    expect(second.answer).toContain('未获得过银行贷款');
  });

  it('asks the 征信 adjustment question again when the follow-up says the cause was not the epidemic', async () => {
    const [, second] = await ask(
      '我们是大连一家旅行社，疫情那几年没客人，暂时还不上银行贷款，后来跟银行重新谈了还款安排，征信上的逾期能按新安排调整吗',
      '要是不是疫情的原因，是去年大客户跑路了导致逾期的呢',
    );
    expect(second.answerable).toBe(true);
    expect(second.answer).toMatch(/^不可以/);
  });
});

describe('a case no longer in use, and where a case may be', () => {
  it('reads 停用下线了、现在不在用 as not in use: 点数成金 is a no', async () => {
    const [reply] = await ask('我们是广州一家保理公司，2023年在广州上线过一个区块链应收账款平台，但是25年6月已经停用下线了，现在不在用。拿这个案例去报点数成金还行吗？');
    expect(reply.answer).toMatch(/^不可以/);
    expect(reply.answer).toContain('在用');
  });

  it('answers 外地的行不行 on where the case is used, not with a yes on the rules the case met', async () => {
    const [reply] = await ask('北京一家科技公司，做银行大模型客服，全国二十多家银行在用，2024年就上线了，公司成立八年了。点数成金我们能报吗？外地的行不行');
    expect(reply.answer).toMatch(/^有条件可以/);
    expect(reply.answer).toContain('落地应用于广东');
  });
});

describe('a question in traditional characters', () => {
  it('is read in simplified ones; simplified text and a lone Cantonese 嗰 stay as typed', () => {
    expect(inSimplified('請問「信用中國（遼寧）」網站線上提交信用修復申請')).toBe('请问「信用中国（辽宁）」网站线上提交信用修复申请');
    expect(inSimplified('辽信宝测额最高多少')).toBe('辽信宝测额最高多少');
    expect(inSimplified('咁数字金融嗰个榜呢')).toBe('咁数字金融嗰个榜呢');
  });

  it('is answered as the same question in simplified characters', async () => {
    const [reply] = await ask('請問我們公司在「信用中國（遼寧）」網站線上提交信用修復申請，平均要多久才能修好？最快幾天？');
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('最快仅需3天');
  });

  it('reads a case told in traditional characters for the track recommendation', async () => {
    const traditional = '本行是遼寧大連註冊的城市商業銀行，2025年上線了普惠小微企業線上信用貸款產品，想報金融興遼，哪個類別合適？';
    const res = await postJson(t.app, '/api/recommend', { case: { description: traditional } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { recommendations: Array<{ campaign: string; track: string; eligible: boolean }> };
    expect(body.recommendations[0]).toMatchObject({ campaign: '2025年度“金融兴辽”优秀案例征集活动', eligible: true });
    expect(body.recommendations[0].track).toContain('普惠金融');
  });
});

describe('a campaign named by what it is about', () => {
  it('reads 「AI大模型那个征集」「评十大的那个」「辽宁那个案例征集」 as the campaign they describe', async () => {
    const [ai] = await ask('人工智能大模型案例征集的咨询电话是多少');
    expect(ai.answer).toContain('18516505505');
    // (The 十大 document gives no deadline: the decline says so of that campaign.)
    const [top10] = await ask('评十大的那个，申报截止是哪天');
    expect(top10.answer).toContain('政策原文没有写第三届（2025）“十大科技金融事件”与“十大数字金融事件”征集的日期');
    const [liaoning] = await ask('辽宁那个案例征集，材料发哪个邮箱');
    expect(liaoning.answer).toContain('JRXL2025@126.com');
  });
});

describe('who applies, when the asker names a client too', () => {
  it('reads the asker’s own kind (a PR agency), not its client’s (a leasing company), and 北京朝阳 as Beijing', () => {
    const facts = readCase('我们是北京朝阳的一家公关传播公司，客户是大连一家融资租赁公司，想报金融兴辽', [], '2026-12-08');
    expect(facts.orgType).toBe('enterprise');
    expect(facts.applicantRegion).not.toBe('辽宁');
    expect(readCase('我们是朝阳的一家农商行', [], '2026-12-08').applicantRegion).toBe('辽宁');
  });

  it('reads a SaaS company as a technology company: with no licensed partner it may not enter 金融新质生产力', async () => {
    expect(readCase('我们杭州一家做电商商家经营分析的SaaS公司', [], '2026-12-08').orgType).toBe('fintech');
    const [reply] = await ask('我们杭州一家做电商商家经营分析的SaaS公司，去年八月接了个大模型做商家信用分，没跟任何银行、券商这些持牌机构合作过。新质生产力的案例征集我们这种能算申报主体吗？');
    expect(reply.answer).toMatch(/^不/);
    expect(reply.answer).toContain('与持牌金融机构合作的技术服务商');
  });

  it('reads the place a what-if registers the applicant in, and not a place it is said not to be registered in', async () => {
    expect(readCase('我们是沈阳的科技公司，在沈阳浑南注册的。我们要是广州注册的呢', [], '2026-12-08').applicantRegion).toBe('广东');
    expect(readCase('我们是长春注册的城商行，在辽宁没有注册的法人主体', [], '2026-12-08').applicantRegion).toBe('吉林');
    const [, moved] = await ask(
      '我们是沈阳盛京金科科技有限公司，在沈阳浑南注册的，25年给省内几家农商行做了手机银行数字化改造。想报金融兴辽数字金融建设那个类别，我们这种科技公司算参与主体吗？',
      '我们要是广州注册的呢，业务一模一样',
    );
    expect(moved.answer).toMatch(/^不/);
    expect(moved.answer).toContain('辽宁省内的金融科技类公司');
  });

  it('knows every province: a 合肥 company is from 安徽, not from Liaoning', () => {
    expect(readCase('合肥一家做生物识别的公司，算法已经在三家银行投产了', [], '2026-12-08').applicantRegion).toBe('安徽');
    expect(readCase('我们是西安的一家城商行', [], '2026-12-08').applicantRegion).toBe('陕西');
  });

  it('answers that a PR agency may not apply for 金融兴辽 in its own name', async () => {
    const [reply] = await ask('您好，我们是北京朝阳的一家公关传播公司，客户是大连一家融资租赁公司，想报金融兴辽的绿色金融示范案例。请问我们公关公司能不能以自己的名义作为申报单位替客户报？');
    expect(reply.answer).toMatch(/^不(?:可以|能|行)/);
    expect(reply.answer).toContain('辽宁省内注册的金融机构');
  });
});

describe('the asker introducing itself', () => {
  it('finds 「本溪一家药企财务总监。」「锦州做海鲜加工的，」, not a clause about what is asked', () => {
    expect(introductions('本溪一家药企财务总监。第九条担保增信那条，责任单位写的是谁？')).toBe('本溪一家药企财务总监。');
    expect(introductions('锦州做海鲜加工的，信用修复专栏是啥时候之前要开出来的？')).toBe('锦州做海鲜加工的，');
    expect(introductions('点数成金的案例名称我们起了个25个字的，超没超')).toBe('');
    expect(introductions('金融兴辽的，截止哪天')).toBe('');
  });

  it('answers what is asked, whatever words the introduction uses', async () => {
    const [reply] = await ask('本溪一家药企财务总监。第九条担保增信那条，责任单位写的是谁？');
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('省财政厅');
  });
});

describe('a target is no limit', () => {
  it('does not hold the asker’s loan against the province’s own target', () => {
    const target = '力争2025年全省新增融资担保业务350亿元以上，服务民营企业4万户次以上。';
    expect(limitComparison('想贷三百万，能不能找担保公司增信', [target])).toBeNull();
    expect(limitComparison('贷款额度测出来500万行不行', ['最高可获得300万元的信用贷款额度评估'])?.verdict).toBe('no');
  });
});

describe('a case introduced by a department', () => {
  it('gets track advice in the chat when the asker names its department (「辽宁本地券商投行部。」「城商行金融市场部，」)', async () => {
    const [reply] = await ask('辽宁本地券商投行部。2025年两单想报：一是帮鞍山一家特钢配套企业发了3亿科创公司债；二是帮沈阳一家专精特新完成北交所上市，募资4.2亿。纯投行，没有AI系统，企业也都在辽宁。报哪个？');
    expect(reply.answer).toContain('较合适的赛道');
    expect(reply.answer).toContain('“金融兴辽”股权、债券业务优秀案例');
  });
});

describe('the Nth of tracks named inline', () => {
  it('answers 「第二个方向细说下」 with the second track the last answer named in one sentence', async () => {
    const [list, second] = await ask('点数成金一共几个方向 都叫啥', '第二个方向细说下');
    expect(list.answer).toContain('科技赋能金融研发创新案例');
    expect(second.answer).toMatch(/^科技赋能金融研发创新案例：/);
    expect(second.answer).toContain('隐私计算、区块链、量子通信');
  });
});


describe('emoji', () => {
  it('are read as spaces, so that one after a question’s 不 does not hide that it asks', async () => {
    expect(withoutEmoji('首贷中心能管我们不🙏')).toBe('首贷中心能管我们不');
    expect(withoutEmoji('小电商😂 辽信宝👍🏻能查')).toBe('小电商 辽信宝 能查');
    const [reply] = await ask('我们是做抖音直播带货的小公司 成立三年 但是从来没在银行贷过一分钱 首贷中心能管我们不🙏');
    expect(reply.answer).toMatch(/^可以/);
  });
});
