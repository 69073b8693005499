import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, todayIn } from '../../src/clock.ts';
import { readCase } from '../../src/match/case-facts.ts';
import { TrackMatcher } from '../../src/match/matcher.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

const recommend = async (description: string, extra: Record<string, unknown> = {}) => {
  const res = await postJson(t.app, '/api/recommend', { case: { description, ...extra } });
  expect(res.status).toBe(200);
  return res.json();
};
const inCampaign = (body: any, campaignId: string) => body.recommendations.filter((r: any) => r.campaignId === campaignId);

function expectVerified(body: any) {
  for (const r of body.recommendations) {
    for (const c of r.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
    for (const reason of r.reasons) for (const m of reason.matchAll(/\[(\d+)\]/g)) expect(r.citations.some((c: any) => c.n === Number(m[1]))).toBe(true);
  }
}

describe('catalogue', () => {
  it('has every campaign and track the source lists, titles as the source writes them', () => {
    const byId = new Map(t.services.matcher.campaigns.map((c) => [c.id, c]));
    expect(byId.get('jinrong-xingliao-2025')!.tracks.map((x) => [x.title, x.quota])).toEqual([
      ['“金融兴辽”融合发展优秀案例', 3],
      ['“金融兴辽”创投业务优秀案例', 5],
      ['“金融兴辽”股权、债券业务优秀案例', 5],
      ['“金融兴辽”科技金融赋能优秀案例', 5],
      ['“金融兴辽”绿色金融示范优秀案例', 5],
      ['“金融兴辽”普惠金融深化优秀案例', 5],
      ['“金融兴辽”数字金融建设优秀案例', 2],
      ['“金融兴辽”养老金融提质优秀案例', 3],
      ['“金融兴辽”ESG与社会责任优秀案例', 3],
    ]);
    const xz = byId.get('xinzhi-shengchanli-2025')!;
    expect(new Set(xz.tracks.map((x) => x.direction)).size).toBe(8);
    expect(xz.tracks).toHaveLength(16);
    expect(byId.get('dianshu-chengjin-2025')!.tracks).toHaveLength(4);
    expect(byId.get('top10-events-2025')!.tracks.map((x) => x.id)).toEqual(['t10-tech', 't10-digital', 't10-shanghai', 't10-tech-breakthrough', 't10-industry']);
    const xz2 = byId.get('xinzhi-shengchanli-2025')!;
    expect(xz2.materials.some((m) => m.quote.includes('3000-5000字'))).toBe(true);
    expect(xz2.materials.some((m) => m.quote.includes('JPG格式'))).toBe(true);
    expect(xz2.criteria.map((m) => m.quote.slice(0, 3))).toEqual(['创新性', '实效性', '示范性', '合规性']);
    for (const c of t.services.matcher.campaigns) {
      const doc = t.services.corpus.document(c.docId)!;
      for (const m of [...c.materials, ...c.criteria]) expect(doc.text).toContain(m.quote);
      for (const track of c.tracks) {
        expect(doc.text).toContain(track.focus);
        expect(doc.text).toContain(track.title);
      }
    }
  });
});

describe('金融兴辽', () => {
  it('recommends the inclusive-finance case of a Liaoning bank to the 普惠金融深化 track, eligible, window closed', async () => {
    const body = await recommend('我们是大连的一家农商行，2025年推出“惠农快贷”，依托农户信用档案给种植户和合作社发放小额信用贷款，全年投放3.6亿元，服务农户8000余户。');
    const top = body.recommendations[0];
    expect(top).toMatchObject({ trackId: 'jxl-inclusive', track: '“金融兴辽”普惠金融深化优秀案例', campaign: '2025年度“金融兴辽”优秀案例征集活动', eligible: true });
    expect(top.window).toMatchObject({ closes: '2025-10-09', status: 'closed' });
    expect(top.score).toBeGreaterThan(0);
    expect(top.score).toBeLessThanOrEqual(1);
    expectVerified(body);
  });

  it('fails a bank registered outside Liaoning that names the campaign, citing the rule', async () => {
    const body = await recommend('我们是江苏的一家城商行，2025年为小微企业推出线上信用贷，想申报金融兴辽的普惠金融案例。');
    const jxl = inCampaign(body, 'jinrong-xingliao-2025');
    expect(jxl.length).toBeGreaterThan(0);
    expect(jxl[0].eligible).toBe(false);
    expect(jxl[0].failedRules.map((f: any) => f.id)).toContain('jxl-region');
    expect(jxl[0].citations.some((c: any) => c.quote.includes('辽宁省内注册的金融机构'))).toBe(true);
  });

  it('fails a manufacturer (not a financial institution)', async () => {
    const body = await recommend('我们是沈阳的一家装备制造企业，2025年用设备融资租赁扩产，想参加金融兴辽评选。');
    expect(inCampaign(body, 'jinrong-xingliao-2025')[0].failedRules.map((f: any) => f.id)).toContain('jxl-applicant-type');
  });

  it('asks where the applicant is registered instead of guessing', async () => {
    const body = await recommend('一家城商行在2025年发行了绿色金融债券，募集资金投向风电和光伏项目，想参加金融兴辽。');
    const jxl = inCampaign(body, 'jinrong-xingliao-2025')[0];
    expect(jxl.eligible).toBeNull();
    expect(jxl.questions).toContain('请问申报单位在哪个省市注册？');
  });
});

describe('金融新质生产力', () => {
  it('recommends an AI credit-scoring case to 信用评估创新', async () => {
    const body = await recommend('我们是杭州的一家金融科技公司，2024年3月上线基于大模型的小微企业信用评估系统，与三家城商行合作，累计授信200亿元。');
    expect(body.recommendations[0]).toMatchObject({ trackId: 'xz-5-1', direction: '风险管理智能化', eligible: true });
    expectVerified(body);
  });

  it('date boundary: implemented 2023-01 passes, 2022-12 fails 「案例实施时间为2023年1月及之后」', async () => {
    const ok = await recommend('某证券公司2023年1月上线基于大模型的智能投研平台，构建产业链图谱，服务研究员300人，想报新质生产力。');
    expect(inCampaign(ok, 'xinzhi-shengchanli-2025')[0].failedRules).toEqual([]);
    const late = await recommend('某证券公司2022年12月上线基于大模型的智能投研平台，构建产业链图谱，服务研究员300人，想报新质生产力。');
    expect(inCampaign(late, 'xinzhi-shengchanli-2025')[0].failedRules.map((f: any) => f.id)).toContain('xz-since-2023');
  });

  it('fails a named case that says it uses no AI, and asks when the case does not say', async () => {
    const body = await recommend('我们银行2024年5月上线了新一代手机银行，用云计算和分布式架构重构转账和理财页面，没有用到AI，想申报金融新质生产力案例。');
    expect(inCampaign(body, 'xinzhi-shengchanli-2025')[0].failedRules.map((f: any) => f.id)).toContain('xz-ai');
    const silent = await recommend('我们银行2024年5月上线了新一代手机银行，重构转账和理财页面，想申报金融新质生产力案例。');
    const xz = inCampaign(silent, 'xinzhi-shengchanli-2025')[0];
    expect(xz.eligible).toBeNull();
    expect(xz.questions).toContain('请问案例是否应用了人工智能大模型？');
  });
});

describe('点数成金', () => {
  it('fails a case not landed in 广东, and one with four joint applicants', async () => {
    const outside = await recommend('我们是成都的一家科技公司，成立于2018年，2024年上线隐私计算平台，在四川服务多家银行，想报点数成金。');
    expect(inCampaign(outside, 'dianshu-chengjin-2025')[0].failedRules.map((f: any) => f.id)).toContain('dscj-guangdong');
    const joint = await recommend('广州一家银行成立于2005年，联合A公司、B公司、C大学、D研究院共同申报点数成金，2024年在广东落地数据要素平台。');
    expect(inCampaign(joint, 'dianshu-chengjin-2025')[0].failedRules.map((f: any) => f.id)).toContain('dscj-joint-max3');
  });

  it('founding-date boundary against 2026-02-10: founded 2024-02 passes, 2024-03 fails 「持续经营满两年」', async () => {
    const ok = await recommend('我们是深圳的一家金融科技公司，成立于2024年2月，2025年在广东上线联邦学习风控平台，想申报点数成金。', { foundedOn: '2024-02-10' });
    expect(inCampaign(ok, 'dianshu-chengjin-2025')[0].failedRules.map((f: any) => f.id)).not.toContain('dscj-operating-2y');
    const young = await recommend('我们是深圳的一家金融科技公司，2025年在广东上线联邦学习风控平台，想申报点数成金。', { foundedOn: '2024-02-11' });
    expect(inCampaign(young, 'dianshu-chengjin-2025')[0].failedRules.map((f: any) => f.id)).toContain('dscj-operating-2y');
  });

  it('window 2026-02-10 to 2026-04-10: open on 2026-03-01, closed on 2026-11-22', async () => {
    const campaigns = t.services.matcher.campaigns;
    const march = new TrackMatcher(campaigns, () => todayIn(fixedClock('2026-03-01')));
    const desc = '广州某银行2024年上线数据要素平台，用联邦学习融合政务数据，为广东小微企业授信。';
    expect(march.match(desc).recommendations.find((r) => r.campaignId === 'dianshu-chengjin-2025')!.window.status).toBe('open');
    const january = new TrackMatcher(campaigns, () => todayIn(fixedClock('2026-01-15')));
    expect(january.match(desc).recommendations.find((r) => r.campaignId === 'dianshu-chengjin-2025')!.window.status).toBe('upcoming');
    const body = await recommend(desc);
    expect(inCampaign(body, 'dianshu-chengjin-2025')[0].window).toMatchObject({ opens: '2026-02-10', closes: '2026-04-10', status: 'closed' });
  });
});

describe('十大事件', () => {
  it('fails a Beijing-only case for the 上海示范案例 and an RPA tool for 技术创新突破', async () => {
    const bj = await recommend('我们是北京的一家数据公司，2024年在北京上线公共数据授权运营的普惠信贷产品，想报上海示范案例。');
    const sh = bj.recommendations.find((r: any) => r.trackId === 't10-shanghai');
    expect(sh.failedRules.map((f: any) => f.id)).toContain('t10-shanghai-location');
    const rpa = await recommend('我们券商2025年上线RPA机器人流程自动化，替代人工对账，想申报年度技术创新突破。');
    const tech = rpa.recommendations.find((r: any) => r.trackId === 't10-tech-breakthrough');
    expect(tech.failedRules.map((f: any) => f.id)).toContain('t10-tech-scope');
    expect(tech.window.status).toBe('unknown');
  });
});

describe('nothing fits', () => {
  it('says so instead of forcing a match, and names the campaigns the applicant may not enter at all, with the rule', async () => {
    const body = await recommend('我们是一家连锁餐厅，今年开发了会员积分小程序，想提升复购率。');
    expect(body.message).toContain('没有找到');
    expect(body.recommendations.filter((r: any) => r.fits)).toEqual([]);
    // A restaurant is no applicant of the campaigns for financial institutions: said once per campaign, with the quote.
    const jxl = inCampaign(body, 'jinrong-xingliao-2025');
    expect(jxl).toHaveLength(1);
    expect(jxl[0]).toMatchObject({ eligible: false, fits: false });
    expect(jxl[0].failedRules.map((f: any) => f.id)).toContain('jxl-applicant-type');
    for (const r of body.recommendations) expect(r.eligible).toBe(false);
  });
});

describe('a case outside finance', () => {
  it('fits nothing when its only finance words are denied, a campaign’s name or the applicant’s size, even with campaigns named', async () => {
    for (const description of [
      '我是鞍山一家轴承厂的，去年厂里上了MES系统和数字化车间，良品率从92%提到98.5%，跟银行贷款啥的没关系，就是生产上的。注册资本两千万。金融兴辽、点数成金这些能不能报一下？',
      '我家在沈阳开了六家烧烤店，去年我接手以后上了抖音团购和小程序点单，营业额一年涨了一千五百来万，会员搞了三万多。听说现在评那个数字金融啥的案例，我们这个数字化算不算？能往哪报？',
    ]) {
      const body = await recommend(description);
      expect(body.recommendations.filter((r: any) => r.fits && r.eligible !== false), description).toEqual([]);
      expect(body.message).toContain('没有找到');
    }
    // The same kind of applicant with a financing story is in finance.
    const loan = await recommend('我们是鞍山一家轴承厂，2025年用应收账款在银行做了供应链融资，融资成本降了一个点，想看看能报啥。');
    expect(loan.recommendations.length).toBeGreaterThan(0);
  });
});

describe('ranking reads what the case says of itself', () => {
  it('a name the case quotes or a focus word it denies is no fit (「没涉及数据产品」「想报“数据要素×金融服务”上海示范案例」)', async () => {
    const body = await recommend('我们是上海的一家城商行，今年在上海做了数字人民币缴费场景，没涉及数据产品，也没用到外部数据。想报“数据要素×金融服务”上海示范案例。');
    const sh = body.recommendations.find((r: any) => r.trackId === 't10-shanghai');
    expect(sh.reasons[0]).not.toMatch(/数据要素|数据产品/);
    const digital = body.recommendations.find((r: any) => r.trackId === 't10-digital');
    expect(digital.reasons[0]).toContain('数字人民币');
  });

  it('naming one track raises that track only, not its siblings', async () => {
    const story = '我们是广州的一家农商行，2024年部署了200个RPA机器人做对账和报表报送，节省人工工时约15万小时。';
    const plain = await recommend(story);
    const named = await recommend(`${story}想报“年度技术创新突破”榜单。`);
    const score = (body: any, id: string) => body.recommendations.find((r: any) => r.trackId === id)?.score;
    for (const sibling of ['t10-digital', 't10-industry', 't10-tech']) expect(score(named, sibling)).toBe(score(plain, sibling));
    expect(named.recommendations.find((r: any) => r.trackId === 't10-tech-breakthrough').named).toBe(true);
  });

  it('a generic word of a focus list (银行) counts for less than a rare one when the source documents use it everywhere', () => {
    const { campaigns } = t.services.matcher;
    const description = '我们是北京的一家银行，2025年为生物医药企业开发了研发中断险，承保创新药企30家。';
    const flat = new TrackMatcher(campaigns, () => '2026-11-22').match(description, {}, { limit: 40, minScore: 0 }).recommendations;
    const weighed = new TrackMatcher(campaigns, () => '2026-11-22', t.services.corpus.documents.map((d) => d.text)).match(description, {}, { limit: 40, minScore: 0 }).recommendations;
    const fit = (rs: any[], id: string) => rs.find((r) => r.trackId === id)!.score;
    // dscj-fi-app matches only on 银行 (in dozens of source sentences); t10-tech on 研发中断险 (in one).
    expect(fit(weighed, 'dscj-fi-app')).toBeLessThan(fit(flat, 'dscj-fi-app'));
    expect(fit(weighed, 't10-tech') / fit(weighed, 'dscj-fi-app')).toBeGreaterThan(fit(flat, 't10-tech') / fit(flat, 'dscj-fi-app'));
  });

  it('a technology the case reader names counts as the focus word of its family (「AI图像定损」 is 人工智能)', async () => {
    const body = await recommend('我们是佛山的一家财险分公司，2025年在车险理赔里上线了AI图像定损和视频查勘，小额案件平均30分钟赔付到账，全年线上理赔40万件。');
    const app = body.recommendations.find((r: any) => r.trackId === 'dscj-fi-app');
    expect(app.reasons[0]).toContain('人工智能');
  });

  it('a financial applicant is in finance whatever words its case uses', async () => {
    const body = await recommend('我们是宁波的一家城商行。用两年把核心系统迁到国产分布式数据库和云原生架构，单日处理能力提升到5倍，运维成本每年省下8000万元。');
    expect(body.message).toBeUndefined();
    expect(body.recommendations.find((r: any) => r.fits && r.eligible !== false).trackId).toBe('t10-digital');
  });

  it('never hides what fits behind a named campaign the case may not enter, and never says nothing fits while something does', async () => {
    for (const description of [
      '我们是一家做财经自媒体的文化传媒公司，2024年用大模型做了个给用户推荐基金组合的App，付费会员两万人，没有任何金融牌照。能报“金融新质生产力”吗？',
      '我们是杭州的一家金融科技公司，2025年用区块链和隐私计算给外贸企业做订单核验和融资撮合，想报金融兴辽。',
      '我们是一家连锁火锅店，2025年上线了会员储值小程序，会员30万，想报个案例评选。',
    ]) {
      const body = await recommend(description);
      const fitting = body.recommendations.filter((r: any) => r.fits && r.eligible !== false);
      expect(fitting.length > 0 || typeof body.message === 'string').toBe(true);
      expect(fitting.length > 0 && typeof body.message === 'string').toBe(false);
    }
  });

  it('says a track that fits but that a stated fact rules out, beyond the best few', async () => {
    const body = await recommend('我们是广州的一家数据资产登记服务机构，2025年和3家银行合作做数据资产质押融资，帮10家企业完成数据资源登记、评估和入表，撬动贷款2亿元。');
    const sh = body.recommendations.find((r: any) => r.trackId === 't10-shanghai');
    expect(sh).toBeDefined();
    expect(sh.eligible).toBe(false);
    expect(sh.failedRules.map((f: any) => f.id)).toContain('t10-shanghai-location');
    expectVerified(body);
  });
});

describe('bad input', () => {
  it.each([
    [{}, '案例'],
    [{ case: {} }, '案例描述'],
    [{ case: { description: '太短' } }, '太短'],
    [{ case: { description: 5 } }, '案例描述'],
    [{ case: { description: '我们是一家银行，做了一个普惠金融项目。', foundedOn: '2020/1/1' } }, 'YYYY-MM-DD'],
    [{ case: { description: '我们是一家银行，做了一个普惠金融项目。', orgType: 'alien' } }, '单位类型'],
  ])('refuses %j with a Chinese 400', async (body, words) => {
    const res = await postJson(t.app, '/api/recommend', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(words);
  });
});

describe('readCase', () => {
  it('reads a place the case is said not to run in as no region of it (「广东一家都没有」「没在上海落地」), and a partner denied as no such thing', () => {
    expect(readCase('杭州一家数据科技公司，客户都在江浙沪，广东一家都没有。', [], '2026-12-06').caseRegions).toEqual(['浙江']);
    expect(readCase('我们的项目没在广东落地。', [], '2026-12-06').caseRegions).toEqual(['其他地区']);
    expect(readCase('我们是北京的科技公司，上海没有合作方。', [], '2026-12-06').caseRegions).toEqual(['北京']);
  });

  it('reads the applicant, places, dates, technologies and named campaigns without guessing', () => {
    const f = readCase('我们是广州的一家金融科技公司，成立于2019年5月，2024年3月上线基于大模型和隐私计算的风控平台，在广东和上海落地，想报点数成金。', ['点数成金'], '2026-11-22');
    // A month said is the span of its days: a rule is decided on it only where the first and the last day agree.
    expect(f).toMatchObject({ orgType: 'fintech', applicantRegion: '广东', usesAi: true, frontierTech: true, namedCampaigns: ['点数成金'] });
    expect(f.spans).toEqual({ foundedOn: ['2019-05-01', '2019-05-31'], implementedOn: ['2024-03-01', '2024-03-31'] });
    expect(f.caseRegions).toEqual(expect.arrayContaining(['广东', '上海']));
    expect(readCase('一家银行做了普惠贷款', [], '2026-11-22').applicantRegion).toBeUndefined();
  });

  it('reads the kind by its head noun, the applicant from its own introduction, and denials and others\' violations as such', () => {
    const read = (text: string) => readCase(text, ['金融兴辽'], '2026-11-22');
    // 政府 as a modifier names no government body; 股份行 is a bank (and its 零售部 no retailer).
    expect(read('锦州市一家政府性融资担保公司，2025年给农户做批量担保。').orgType).toBe('guarantee');
    expect(read('上海一家股份行的零售部，今年做了数字人民币红包。').orgType).toBe('bank');
    // The sentence that introduces the applicant may come second.
    expect(read('想报“金融兴辽”的科技金融案例。我们是江苏南通的一家农商行，2025年推出研发贷。').applicantRegion).toBe('江苏');
    // AI said to be absent, with no verb (「没有AI模型」「无人工智能」).
    expect(read('系统用的是规则引擎和流程编排，没有AI模型。').usesAi).toBe(false);
    expect(read('业务全靠人工审批，无人工智能。').usesAi).toBe(false);
    // 「上海这边没有合作机构」 is no Shanghai partner.
    expect(read('我们是杭州的一家金融科技公司，服务上海的外贸企业，上海这边没有合作机构。').shanghaiLeadOrPartner).toBe(false);
    // Violations the case detects in others are its subject, not the applicant's record; its own penalty is.
    expect(read('我们是交易所监察部，系统识别疑似操纵线索40起，移送后被立案12起。').seriousViolation).toBeUndefined();
    expect(read('我们是一家券商，2024年因违规被证监会罚款。').seriousViolation).toBe(true);
    expect(read('我们是一家银行，2024年被发现违规放贷后受到行政处罚。').seriousViolation).toBe(true);
  });
});

describe('POST /api/applications/check', () => {
  it('reports every limit, missing attachment and failed rule of a draft, each with a verbatim quote', async () => {
    const res = await postJson(t.app, '/api/applications/check', {
      draft: {
        fields: { 案例名称: '数金科技公司基于隐私计算的普惠信贷风控平台', 案例简介: '简'.repeat(201) },
        sections: { 案例内容: '内'.repeat(2999) },
        direction: '“数据要素×”金融创新案例',
        attachments: ['营业执照'],
        applicant: { name: '广州数金科技有限公司', foundedOn: '2024-03-01', jointApplicants: ['甲', '乙', '丙', '丁'], landedIn: ['四川'] },
      },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(false);
    const kinds = body.findings.map((f: any) => `${f.kind}:${f.field}`);
    expect(kinds).toEqual(expect.arrayContaining(['too_long:案例名称', 'forbidden_name:案例名称', 'too_long:案例简介', 'too_short:案例内容', 'missing_attachment:申报承诺函', 'missing_attachment:方案书']));
    expect(body.findings.filter((f: any) => f.kind === 'ineligible').length).toBeGreaterThanOrEqual(3);
    for (const f of body.findings) {
      expect(f.message).toMatch(/[\u4e00-\u9fff]/);
      expect(t.services.corpus.document(f.citation.docId)!.text.slice(f.citation.start, f.citation.end)).toBe(f.citation.quote);
    }
  });

  it('refuses a malformed draft with a Chinese 400', async () => {
    const res = await postJson(t.app, '/api/applications/check', { draft: { fields: { 案例名称: 5 } } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
