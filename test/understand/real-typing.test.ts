import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameContentFinding } from '../../src/answer/verdict.ts';
import { readCase } from '../../src/match/case-facts.ts';
import { extractFacts } from '../../src/rules/facts.ts';
import { corpusWords, SpellingReader } from '../../src/understand/spelling.ts';
import { converse, postJson, startTestService, type ChatReply, type TestService } from '../support/app.ts';

/**
 * Questions typed the way business owners type (set K, fifth round, issue 12): pinyin slips, where the asker moved from, a may-I that tells nothing of the asker. Each case stands for its class.
 */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-06' });
});
afterAll(() => t.close());

const ask = async (question: string) => (await converse(t, question))[0];

/** A conversation: each question asked in the one before's conversation. */
const conversation = (...questions: string[]) => converse(t, ...questions);

describe('pinyin slips', () => {
  const corpus = '企业可向各市首贷中心申请首贷业务。流动资金贷款到期。在线提交信用修复申请。申报表发送至邮箱。创新案例。第三届东北亚金融大会。';
  const reader = new SpellingReader(() => ['首贷中心', '贷款', '流动资金', '信用修复', '申报表', '放贷', '解金融', '金融'], corpus, ['房贷']);

  it('reads a homophone slip back as the domain word it sounds like', () => {
    expect(reader.read('留动资金带款快到期了')).toBe('流动资金贷款快到期了');
    expect(reader.read('首带中心在哪，信用修附咋弄')).toBe('首贷中心在哪，信用修复咋弄');
  });

  it('leaves what the documents hold, words that mark another matter, and a neighbour of a right word alone', () => {
    expect(reader.read('个人房贷能续不')).toBe('个人房贷能续不');
    expect(reader.read('第三届金融大会在哪开')).toBe('第三届金融大会在哪开');
    expect(reader.read('企业可向各市首贷中心申请')).toBe('企业可向各市首贷中心申请');
  });

  it('reads a slip on a word naming a detail back to it only where that detail is asked for right after it (set N)', () => {
    const details = new SpellingReader(() => ['信用修复'], corpus, [], ['邮箱', '电话', '地址', '上限']);
    expect(details.read('金融兴辽申报邮想多少')).toBe('金融兴辽申报邮箱多少');
    expect(details.read('驿站的电化是啥')).toBe('驿站的电话是啥');
    expect(details.read('给个具体地只呗')).toBe('给个具体地址呗');
    // (Not a word of its own that only sounds so: 「正式上线呢」 is no 上限.)
    expect(details.read('那要是明年才正式上线呢')).toBe('那要是明年才正式上线呢');
  });

  it("takes the documents' own words, not pieces of them or function words", () => {
    const words = corpusWords(['创新案例的申报表发送至邮箱。填写申报表并盖章，优秀创新案例申报表电子版。以下内容以下']);
    expect(words).toContain('申报表');
    expect(words).not.toContain('新案例');
    expect(words.some((w) => w.includes('以'))).toBe(false);
  });

  it('answers a question typed with slips as it answers the same question typed right', async () => {
    const typed = await ask('我们公司被列进经营异长名录了，信用修附在哪个网站申请');
    const right = await ask('我们公司被列进经营异常名录了，信用修复在哪个网站申请');
    expect(typed.answerable).toBe(true);
    expect(typed.answer).toBe(right.answer);
    expect(typed.answer).toContain('xyln.ln.gov.cn');
  });
});

describe('where the asker moved from', () => {
  it('is a fact of the asker, not another province asked about', async () => {
    const reply = await ask('我去年刚从浙江把厂子搬到营口，想了解下这个“普惠金融直达工程”是省里哪几个部门负责的？');
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('责任单位');
  });

  it("unless that province's own policy is asked at a later mention", async () => {
    const reply = await ask('我从深圳刚搬到大连，深圳那边有没有担保费补贴？');
    expect(reply.answerable).toBe(false);
    expect(reply.declineReason).toBe('out_of_scope');
  });
});

describe('whom a measure is for', () => {
  it('answers a may-I that tells nothing of the asker with whom it is for, and asks', async () => {
    const reply = await ask('首贷中心我们能去申请吗');
    expect(reply.answer.startsWith('有条件可以')).toBe(true);
    expect(reply.answer).toContain('未获得过银行贷款的民营企业');
    expect(reply.answer).toContain('是否获得过银行贷款');
  });

  it('leaves a question of how or for what to the text', async () => {
    const reply = await ask('驿站那边能帮着弄股权融资方案吗？');
    expect(reply.answer.startsWith('有条件可以')).toBe(false);
    expect(reply.answer).toContain('股权融资方案');
  });

  it('reads 没跟银行借过一分钱 as never borrowed and 在农商行贷过一笔 as borrowed', async () => {
    const never = await ask('俺们汽修厂干了八年了，从来没跟银行借过一分钱，这种情况能找首贷中心不？');
    expect(never.answer.startsWith('可以')).toBe(true);
    expect(never.answer).toContain('未获得过银行贷款的民营企业');
    const borrowed = await ask('我们厂前年在农商行贷过一笔八十五万，早就还清了。现在想去首贷中心办贷款，能行不？');
    expect(borrowed.answer.startsWith('可以')).toBe(false);
    expect(borrowed.answer.startsWith('有条件可以')).toBe(false);
  });
});

describe('a proposed name holding a place for a bank', () => {
  it('carries an organisation name («XX银行»)', () => {
    const rule = ['备注：如“基于XX技术在XX领域的应用”等命名方式，20字内，名称中不应包含企业、品牌、产品等名称信息。'];
    expect(nameContentFinding('名称我们想叫“XX银行智能风控平台”，行不？', rule)?.carries).toBe('XX银行');
    expect(nameContentFinding('名称我们想叫“基于手机银行的智能风控应用”，行不？', rule)).toBeNull();
  });
});

describe('facts of a case, said the way applicants say them', () => {
  const read = (text: string) => readCase(text, [], '2026-12-06');

  it('reads a record, a registration, a partner and results said with a denial or in passing', () => {
    expect(read('我们是大连一家科技公司，这些年没出过啥违规和失信记录').integrityIssue).toBe(false);
    expect(read('我们是大连一家科技公司，前年被列入失信名单').integrityIssue).toBe(true);
    expect(read('一家券商，总部和注册地都在吉林长春，辽宁有不少客户').applicantRegion).toBe('吉林');
    expect(read('我们做风控模型，从来没跟银行、保险这些持牌机构合作过').licensedPartner).toBe(false);
    expect(read('系统上线一年，效果也有数据').quantifiedEvidence).toBe(true);
    expect(read('产品还在MVP阶段，只做了内部灰度').inUse).toBe(false);
  });

  it("takes 给本地农商行做的 as the applicant's own region and a list's name as nobody's", () => {
    const local = read('我们是佛山一家软件公司，给本地农商行做的系统去年上线了');
    expect(local.caseRegions).toEqual(['广东']);
    expect(local.caseRegionsAssumed).toBeUndefined();
    expect(read('跨区域合作那种报上海示范案例，我们有上海的合作方').applicantRegion).toBeUndefined();
  });
});

describe('facts of an enterprise, said the way owners say them', () => {
  it('takes an enterprise that is neither small nor medium for a large one', () => {
    expect(extractFacts('我们不是小微也不是中型，流动资金贷款明年六月到期', '2026-12-06').size).toBe('large');
    expect(extractFacts('我们不是小微企业，流动资金贷款明年六月到期', '2026-12-06').size).toBeUndefined();
  });

  it("does not take the policy's own figure the asker points at for the fee rate", () => {
    expect(extractFacts('担保400万，费率记不清了，省里那个0.5%的补贴能拿吗', '2026-12-06').guaranteeRatePercent).toBeUndefined();
    expect(extractFacts('担保400万，费率0.8%，省里那个0.5%的补贴能拿吗', '2026-12-06').guaranteeRatePercent).toBe(0.8);
  });

  it('tells a bank speaking from an enterprise speaking', () => {
    expect(extractFacts('咱们行民营企业贷款不良率3.9%', '2026-12-06').askerIsBank).toBe(true);
    expect(extractFacts('我们支行民营企业不良率高出4个百分点', '2026-12-06').askerIsBank).toBe(true);
    expect(extractFacts('我们startup能申请不良容忍度吗', '2026-12-06').askerIsBank).toBe(false);
    expect(extractFacts('我们厂想问不良容忍度', '2026-12-06').askerIsBank).toBe(false);
  });
});

describe('rules that are not for the asker', () => {
  it('answers no, with whom the measure is for, when what the asker says of itself puts it outside', async () => {
    const covid = await ask('我们逾期是因为下游客户拖款，不是疫情那茬事儿，后来跟银行重新签了还款协议，征信记录能按征信权益保障调整吗');
    expect(covid.answer.startsWith('不可以')).toBe(true);
    expect(covid.answer).toContain('因疫情影响');
  });

  it('tells an enterprise that the NPL tolerance is a bank assessment, and still computes it for a bank', async () => {
    const firm = await ask('我们厂想问问，民企不良贷款容忍度放宽那个政策，我们能去申请吗');
    expect(firm.answer.startsWith('不能')).toBe(true);
    expect(firm.answer).toContain('针对银行机构制定的专项考核激励机制');
    const bank = await ask('我们行各项贷款不良率2%，民营企业贷款不良率4.5%，还在容忍度内不？');
    expect(bank.answer).toContain('5%');
    expect(bank.answer.startsWith('不能')).toBe(false);
  });
});

describe('a conversation about taking part', () => {
  it('puts a date a follow-up gives in place of the one the case said of the same event, and keeps the others', async () => {
    const [first, then] = await conversation('我们的AI大模型投研助手2022年8月上线，一直在用，效果有数据。新质生产力能报不？', '那要是2023年3月才上线呢');
    expect(first.answer.startsWith('不可以')).toBe(true);
    expect(then.answer.startsWith('可以') || then.answer.startsWith('是')).toBe(true);
    const [, later] = await conversation(
      '我们是深圳的科技公司，2019年成立，给东莞一家农商行做的风控系统2025年6月上线，一直在用，效果有数据，没有失信记录。点数成金能报吗？',
      '那要是上线时间是2026年2月呢',
    );
    expect(later.answer.startsWith('不')).toBe(true);
    expect(later.answer).toContain('2025年底前实施应用');
  });

  it('answers whether there is still time with no when every quoted date has passed', async () => {
    const [, still] = await conversation('点数成金的材料寄到哪', '截止哪天？现在还来得及吗');
    expect(still.answer.startsWith('不可以')).toBe(true);
  });

  it('answers yes to a kind the list of applicants names, when the asker tells only its kind', async () => {
    const [, lab] = await conversation('金融新质生产力哪些单位能报', '我们是科研院所 也行吧');
    expect(lab.answer.startsWith('是') || lab.answer.startsWith('可以')).toBe(true);
  });
});

describe('what a question names that the documents do not hold', () => {
  it('declines another award or contest by its name, and answers what a track of the documents is about', async () => {
    for (const q of ['中国专利奖今年啥时候申报', '辽宁省科学技术进步奖网上在哪报']) {
      const reply = await ask(q);
      expect(reply.answerable).toBe(false);
      expect(reply.declineReason).toBe('out_of_scope');
    }
    const track = await ask('金融兴辽科技金融赋能那个类别主要看啥');
    expect(track.answerable).toBe(true);
    expect(track.citations.some((c) => c.docId === 'jinrong-xingliao-2025')).toBe(true);
  });
});

describe('what everyone must do, asked beside the asker’s own case', () => {
  it('opens with the rule’s no, not the verdict on the case', async () => {
    const counter = await ask('俺们是小微企业，续贷是不是非得去银行网点当面办？');
    expect(counter.answer.startsWith('不是')).toBe(true);
  });
});

describe('a case typed into the chat, asking where to go', () => {
  it('gets track advice however it asks where (报哪个类、该投哪里、有什么榜单适合)', async () => {
    for (const q of [
      '我们是铁岭一家村镇银行，2025年给种玉米的农户做了纯信用的小额贷款，放了八千多万，不良很低，我们应该报金融兴辽的哪个类啊？',
      '我们是大连一家城商行，2025年推出知识产权质押贷款，专门给科技型中小企业，全年放了三个亿。我们该投哪里？',
    ]) {
      const reply = (await (await postJson(t.app, '/api/ask', { question: q })).json()) as ChatReply & { tracks?: { recommendations: unknown[] } };
      expect(reply.tracks?.recommendations.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('does not take 「广东没上线」 for a case not in use', () => {
    expect(readCase('我们是上海一家基金公司，投顾引擎2024年上线，客户主要在长三角，广东没上线', [], '2026-12-06').inUse).toBe(true);
    expect(readCase('我们的投顾引擎还没上线', [], '2026-12-06').inUse).toBe(false);
  });
});

describe('a file checked, then checked again with one thing changed', () => {
  it('holds a size in MB against a limit in KB', async () => {
    const reply = await ask('新质生产力的商标图，jpg的，0.3M，像素800*800，行不？');
    expect(reply.answer.startsWith('不')).toBe(true);
    expect(reply.answer).toContain('307.2KB');
    expect(reply.answer).toContain('107.2KB');
    // Said in words, in 兆 (set L): the size still counts, beside the pixels that pass.
    const spoken = await ask('新质生产力商标图 JPG格式 大小零点三兆 像素九百乘九百 合格不');
    expect(spoken.answer.startsWith('不')).toBe(true);
    expect(spoken.answer).toContain('按307.2KB计，超出200KB的上限107.2KB');
  });

  it('rechecks 「那要是png呢」 and then new pixels told with no question, keeping the unit of each figure', async () => {
    const replies = await conversation('新质生产力商标图我们做了个JPG，150KB，600×600像素，可以吗', '那要是png呢', '换回jpg，但尺寸改成了2000×2000的');
    expect(replies[0].answer.startsWith('可以')).toBe(true);
    expect(replies[1].answer.startsWith('不')).toBe(true);
    expect(replies[1].answer).toContain('PNG');
    expect(replies[2].answer.startsWith('不')).toBe(true);
    expect(replies[2].answer).toContain('2000×2000');
  });
});
