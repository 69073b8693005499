import { verdictOf } from '../../src/evals/dialogues.ts';
import { describe, expect, it } from 'vitest';
import { asksExistence, limitComparison, ruleSentence, statedFigure, verdictFromConditions, verdictFromFormats, verdictFromLimits, verdictFromListedApplicant, verdictFromRegistration, verdictFromRule } from '../../src/answer/verdict.ts';
import { verdictLead } from '../../src/answer/phrasing.ts';
import { parseAskedTypes } from '../../src/understand/lexicons.ts';
import { readCorpusFile } from '../support/corpus.ts';

const polarity = parseAskedTypes(readCorpusFile('asked-types.json')).polarity;
const verdict = (question: string, rule: string) => verdictFromRule(question, rule, polarity);

describe('the verdict a quoted rule gives', () => {
  it('says no where the rule forbids or restricts', () => {
    expect(verdict('申报方向能多选吗', '每个案例只能选择一个申报方向')).toBe('no');
    expect(verdict('名称里能带企业名吗', '名称中不得包含企业、品牌、产品等名称信息')).toBe('no');
  });

  it('turns round for a question that itself restricts or negates', () => {
    expect(verdict('申报方向只能选一个吗', '每个案例只能选择一个申报方向')).toBe('yes');
    expect(verdict('能不能多选', '每个案例只能选择一个申报方向')).toBe('no');
  });

  it('reads permission for 「能不能」 and requirement for 「要不要」', () => {
    expect(verdict('企业能线上提需求吗', '企业可登录平台提出融资需求')).toBe('yes');
    expect(verdict('要不要交盖章扫描件', '电子版申报表及盖章扫描件须统一发送至邮箱')).toBe('yes');
    // A requirement is no answer to whether something is allowed.
    expect(verdict('外地机构牵头能报吗', '必须满足以下全部条件')).toBeNull();
  });

  it('never rules on the asker’s own case from wording (that is the rules’ job)', () => {
    expect(verdict('我们是金融科技公司，能报吗', '鼓励金融科技公司申报')).toBeNull();
    expect(verdict('我们公司成立一年，可以申报吗', '成立满两年的企业可以申报')).toBeNull();
  });

  it('still says what everyone must or need not do when the asker describes their case', () => {
    expect(verdict('我们企业还得单独去财政局申请吗', '且自动享受低成本的担保服务，不必另行向财政部门提出申请。')).toBe('no');
    expect(verdict('这个补贴，需要我们企业自己再跑一趟财政部门申请不？', '且自动享受低成本的担保服务，不必另行向财政部门提出申请。')).toBe('no');
    // 「我们公司的信用报告」 names what is asked about; it describes nobody's case.
    expect(verdict('平台上能下载我们公司的信用报告不', '同时也支持下载企业信用报告。')).toBe('yes');
  });

  it('answers the clause that asks: the last of several, not an alternative offered after 还是', () => {
    const window = '企业也可在当地政务服务中心线下窗口办理';
    expect(verdict('信用修复非得网上弄吗？能去窗口办不', window)).toBe('yes');
    expect(verdict('信用修复能去窗口办不？非得网上弄吗', window)).toBe('no');
    const branch = '申报主体可以是总部机构，也可以是分、子公司。';
    expect(verdict('能以分公司名义报吗，还是必须总部', branch)).toBe('yes');
    expect(verdict('必须总部报吗', branch)).toBe('no');
  });

  it('reads 「勾两个」 against 单选 and 「满足一条就行」 against 全部条件 as the other of two exclusive ways', () => {
    expect(verdict('申报方向能勾两个吗', '申报方向（单选）')).toBe('no');
    expect(verdict('三条满足一条就行吗', '由非在沪机构牵头的跨区域合作项目，必须满足以下全部条件：')).toBe('no');
    expect(verdict('得全部满足吗', '申报主体要求（符合以下任一条件即可）：')).toBe('no');
  });

  it('says yes to whether something will happen when the rule states it without negation, and only then', () => {
    const rule = '（四）案例推荐：择机将优秀案例报送相关监管部门，由监管部门自主选择合适项目进行“沙盒监管”或“创新测试”。';
    expect(verdict('优秀案例会不会推给监管部门搞沙盒监管', rule)).toBe('yes');
    expect(verdict('优秀案例会不会给奖金', rule)).toBeNull();
    expect(verdict('分数会带进答辩吗', '专业评审、网络投票分数不计入答辩评审环节。')).toBe('no');
  });

  it('reads 「（如有）」 as optional: not required', () => {
    expect(verdict('相关新闻报道必须得附上吗', '3.案例主题相关的公开新闻报道（如有）等更多支撑内容可以附件材料形式提供。')).toBe('no');
  });

  it('says a kind of applicant listed on its own line may apply — as a kind, never for the asker’s own case', () => {
    const listed = [
      { text: '金融科技公司：与持牌金融机构合作的技术服务商', section: '2025金融新质生产力优秀案例征集活动方案 › (一)申报主体' },
      { text: '监管科技实践单位：如地方数据局、金融监管局、交易中心等', section: '2025金融新质生产力优秀案例征集活动方案 › (一)申报主体' },
    ];
    expect(verdictFromListedApplicant('金融科技公司能报不', listed)).toBe('yes');
    expect(verdictFromListedApplicant('地方数据局这种政府部门也行？', listed)).toBe('yes');
    expect(verdictFromListedApplicant('我们是金融科技公司，能报吗', listed)).toBeNull();
    expect(verdictFromListedApplicant('保险公司能报不', listed)).toBeNull();
    // A short follow-up carries the question's 能 and may name the kind by its head noun — not by a generic one.
    const academic = [{ text: '学术研究机构：开展相关研究的高校、科研院所、实验室等', section: '方案 › (一)申报主体' }];
    expect(verdictFromListedApplicant('高校呢', academic)).toBe('yes');
    expect(verdictFromListedApplicant('机构呢', academic)).toBeNull();
    // A sentence that sets conditions before its list says more than that a kind may apply.
    const conditioned = [{ text: '本次征集活动的参与主体为辽宁省内注册的金融机构，包括但不限于：银行、保险、证券', section: '金融兴辽 › 参与主体' }];
    expect(verdictFromListedApplicant('银行能报不', conditioned)).toBeNull();
    expect(verdictFromRegistration('外省注册的银行能报不', [conditioned[0].text], [])).toBe('no');
  });

  it('reads the clause of the rule that answers what is asked, when its clauses say different things', () => {
    const rule = '企业在向银行申请贷款时，若抵押物不足可向担保机构申请担保增信以获得贷款，且自动享受低成本的担保服务，不必另行向财政部门提出申请。';
    expect(verdict('抵押物不够，可以找担保机构增信不', rule)).toBe('yes');
    expect(verdict('担保费补贴企业要自己去财政局申请吗', rule)).toBe('no');
  });

  it('reads a run-on message’s story as story: a 不是 in it does not turn the answer round', () => {
    const rule = '除电力领域外，其他领域供应链企业可结合自身拥有的应收账款、商业票据、仓单、订单等质押融资产品向银行机构申请融资。';
    expect(verdict('我们不是给国家电网供货的跟电力不沾边做汽车配件的手里有主机厂的应收账款能不能走供应链金融找银行融资', rule)).toBe('yes');
    // Asked in its own words, a restriction still turns it.
    expect(verdict('是不是只能电力领域的才可以', rule)).not.toBe('yes');
  });

  it('takes a clause that only sets a condition (若…不能满足) as no verdict, and one that also says what follows as one', () => {
    const rule = '若额度评估结果不能满足企业贷款需求，企业可勾选是否需要融资担保或是否有抵押物，填写完成后可直接点击【申请贷款】按钮，即可进入线上贷款申请流程。';
    expect(verdict('测额不够的话还能在平台上申请贷款不', rule)).toBe('yes');
    expect(verdict('去银行贷款抵押物不够，可以找担保机构增信不？', '企业在向银行申请贷款时，若抵押物不足可向担保机构申请担保增信以获得贷款，且自动享受低成本的担保服务，不必另行向财政部门提出申请。')).toBe('yes');
  });

  it('settles nothing where the rule says both, or neither', () => {
    expect(verdict('能报吗', '鼓励申报，但不得重复申报')).toBeNull();
    expect(verdict('能报吗', '活动分为征集、评审、发布三个阶段')).toBeNull();
  });
});

describe('the sentence a yes/no question is about', () => {
  it('is the one sharing most of its words, not the first of the quote', () => {
    const claims = ['在评审期间同步进行专家评审。最终结果由网络投票与专家评审综合得分决定。', '评审期间不对外公布专家评审委员会名单。'];
    expect(ruleSentence('专家评审委员会名单公开不', claims)).toBe('评审期间不对外公布专家评审委员会名单。');
    expect(verdict('专家评审委员会名单公开不', ruleSentence('专家评审委员会名单公开不', claims)!)).toBe('no');
  });
  it('is one that says yes or no at all: a describing sentence beside it shares words but rules on nothing', () => {
    const claims = ['路演答辩：组织进入路演答辩的案例进行答辩评审，现场公布分数。专业评审、网络投票分数不计入答辩评审环节。'];
    const polarity = { no: ['不计入'], permit: ['可'], require: ['须'], turn: [], optional: [], ignore: [], opposites: [] } as never;
    expect(ruleSentence('路演答辩那轮，网络投票的分算不算', claims, polarity)).toBe('专业评审、网络投票分数不计入答辩评审环节。');
  });
});

describe('a must asked about a way the rule offers as one of several', () => {
  it('is no; asked whether it is allowed, or where the rule says it must, yes', () => {
    const rule = '企业也可到线下窗口办理。';
    expect(verdict('是不是非得去线下窗口办', rule)).toBe('no');
    expect(verdict('能不能去线下窗口办', rule)).toBe('yes');
    expect(verdict('是不是非得去线下窗口办', '企业须到线下窗口办理。')).toBe('yes');
  });
});

describe('two exclusive ways (单选 / 多选)', () => {
  it('is no when the question asks the other way, yes when it asks the same', () => {
    expect(verdict('申报方向可以勾好几个吗，能多选不', '申报方向（单选）')).toBe('no');
    expect(verdict('申报方向是单选吧', '申报方向（单选）')).toBe('yes');
    // What the rule says for everyone holds for the asker who describes themselves too.
    expect(verdict('我们是上市后备企业，那个咨询收钱不', '对民营上市后备企业提供财务合规等免费咨询服务。')).toBe('no');
    expect(verdictLead('咨询收钱不', 'no')).toBe('不收费。');
  });
});

describe('a verdict in the terms of the question', () => {
  it('answers 「还赶趟不」「来得及吗」 with whether there is still time, read as the yes or no it is', () => {
    expect(verdictLead('俺现在报还赶趟不？', 'no')).toBe('不行，来不及了。');
    expect(verdictOf(`${verdictLead('现在交还来得及吗', 'no')}报送截止时间：2025年10月20日`)).toBe('no');
    expect(verdictOf(`${verdictLead('现在交还来得及吗', 'yes')}报送截止时间：2025年10月20日`)).toBe('yes');
  });
});

describe('either-or questions with any verb', () => {
  it('are read as yes/no and do not turn the answer round', () => {
    expect(verdict('前面的分计不计进去', '专业评审、网络投票分数不计入答辩评审环节。')).toBe('no');
    expect(verdict('分公司报得报不了', '申报主体可以是总部机构，也可以是分、子公司。')).toBe('yes');
  });
});

describe('existence questions', () => {
  it('are those that ask whether something is there', () => {
    expect(asksExistence('有没有高校做智库支持')).toBe(true);
    expect(asksExistence('有字数限制吗')).toBe(true);
    expect(asksExistence('能多选吗')).toBe(false);
  });
});

describe('a stated figure against a quoted limit', () => {
  it('says no to a figure above a ceiling and yes to one within it', () => {
    expect(verdictFromLimits('在线测额能给我测到500万不', ['最高可获得300万元的信用贷款额度评估'])).toBe('no');
    expect(verdictFromLimits('能测出200万额度不', ['最高可获得300万元的信用贷款额度评估'])).toBe('yes');
    expect(verdictFromLimits('联合申报4家单位可以吗', ['单个项目联合申报单位数量不超过3家'])).toBe('no');
    expect(verdictFromLimits('3家一起报行吗', ['单个项目联合申报单位数量不超过3家'])).toBe('yes');
  });

  it('reads a floor (不少于, 最快) the other way round', () => {
    expect(verdictFromLimits('正文写了2500字够不够', ['案例内容不少于3000字'])).toBe('no');
    expect(verdictFromLimits('写了3500字行吗', ['案例内容不少于3000字'])).toBe('yes');
    expect(verdictFromLimits('在线提交能2天修复好吗', ['平均修复时间6天，最快仅需3天'])).toBe('no');
    // A figure in words counts as its number.
    expect(verdictFromLimits('周三之前两天内能修好吗', ['平均修复时间6天，最快仅需3天'])).toBe('no');
    expect(verdictFromLimits('三家一起报行吗', ['单个项目联合申报单位数量不超过3家'])).toBe('yes');
  });

  it('gives no yes to a figure that only the best case (最快) reaches: possible, not assured', () => {
    const repair = ['平均修复时间6天，最快仅需3天'];
    expect(verdictFromLimits('下周要签合同，信用修复3天能整完不', repair)).toBeNull();
    expect(limitComparison('下周要签合同，信用修复3天能整完不', repair)?.bestCase).toEqual({ value: 3, fastest: 3, unit: '天' });
    expect(limitComparison('5天内能修好吗', repair)?.bestCase).toEqual({ value: 5, fastest: 3, unit: '天' });
    // (Below the best case is still a no; a floor that is a rule, not a best case, still a yes.)
    expect(verdictFromLimits('2天能修好吗', repair)).toBe('no');
    expect(verdictFromLimits('写了3500字行吗', ['案例内容不少于3000字'])).toBe('yes');
  });

  it('reads a figure in 大写 numerals (叁佰万、陆仟字) as its number', () => {
    expect(verdictFromLimits('案例报告写了陆仟字，能交吗', ['案例报告（3000-5000字）'])).toBe('no');
    expect(verdictFromLimits('正文叁仟伍佰字够不够', ['案例内容不少于3000字'])).toBe('yes');
    expect(verdictFromLimits('担保叁佰万，费率0.8%，能补吗', ['对单户500万元以下且担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴'])).toBe('yes');
  });

  it('reads 「6000多字」「25个字」 and a ceiling written 「20字内」「200字内」', () => {
    expect(verdictFromLimits('案例报告写了6000多字，超了没事吧', ['案例报告（3000-5000字）'])).toBe('no');
    expect(verdictFromLimits('案例名称起了个25个字的，超没超', ['命名方式，20字内，名称中不应包含企业'])).toBe('no');
    expect(verdictFromLimits('案例简介写了180字 行吧', ['简述案例内容和应用情况等，200字内。'])).toBe('yes');
  });

  it('settles nothing when units differ, figures are several, or the question asks about going over', () => {
    expect(verdictFromLimits('能测到500万不', ['即可在5分钟左右获得测额结果'])).toBeNull();
    // Against a ceiling, the largest of several figures counts; 「超没超」 gets whether the figure meets the limit, too.
    expect(verdictFromLimits('300万和500万都能测吗', ['最高可获得300万元'])).toBe('no');
    expect(verdictFromLimits('500万超没超', ['最高可获得300万元'])).toBe('no');
    expect(verdictFromLimits('一家主申报加两家联合，一共三家，超没超', ['单个项目联合申报单位数量不超过3家'])).toBe('yes');
    // Rates are not differences between rates: 2% and 4.5% are not held against 「3个百分点」, 高出2.5个百分点 is.
    const tolerance = ['全省民营企业贷款不良率容忍度放宽至不高于各项贷款不良率3个百分点'];
    expect(verdictFromLimits('各项贷款不良率2%，民企不良率4.5%，在容忍度内吗', tolerance)).toBeNull();
    expect(verdictFromLimits('民企不良率比各项贷款高2.5个百分点，在容忍度内吗', tolerance)).toBe('yes');
    // Every stated figure must be within its limit; one it cannot decide leaves the answer open.
    const subsidy = ['对单户500万元以下且担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴'];
    expect(verdictFromLimits('担保400万，费率2%，能补吗', subsidy)).toBe('no');
    expect(verdictFromLimits('担保400万，费率0.8%，能补吗', subsidy)).toBe('yes');
    expect(verdictFromLimits('担保400万，涉及3家银行，能补吗', subsidy)).toBeNull();
  });

  it('names the kind of value a figure is, with a pattern for the same unit', () => {
    expect(statedFigure('能测出200万额度不')?.kind).toBe('amount');
    expect(statedFigure('能测出200万额度不')?.pattern.test('最高可获得300万元')).toBe(true);
    expect(statedFigure('能测出200万额度不')?.pattern.test('5分钟左右')).toBe(false);
    // A figure of the unit that sets no limit, or counts something else (户), is not the rule's limit.
    expect(statedFigure('能测到400万吗')?.pattern.test('累计解决融资金额超4000亿元')).toBe(false);
    expect(statedFigure('能测到400万吗')?.pattern.test('力争平台企业注册户数超40万户')).toBe(false);
    expect(statedFigure('写了2500字行吗')?.kind).toBe('format');
    expect(statedFigure('能2天办完吗')?.kind).toBe('period');
    expect(statedFigure('能报吗')).toBeNull();
  });
});

describe('ranges, sizes and dates against a quoted limit', () => {
  it('holds a figure against both ends of a range', () => {
    const rule = '案例报告（3000-5000字）：背景、方案、成效。';
    expect(verdictFromLimits('报告写了2500字够不够', [rule])).toBe('no');
    expect(verdictFromLimits('报告写了4200字行吗', [rule])).toBe('yes');
    expect(verdictFromLimits('报告写了6000字行吗', [rule])).toBe('no');
  });
  it('reads 「小于」 as a ceiling and 「不低于」 still as a floor', () => {
    expect(verdictFromLimits('图片350kb能用吗', ['图样文件大小小于200kb。'])).toBe('no');
    expect(verdictFromLimits('图片150kb能用吗', ['图样文件大小小于200kb。'])).toBe('yes');
    expect(verdictFromLimits('写了2800字够吗', ['正文不低于3000字。'])).toBe('no');
  });
  it('holds a date only against a limit on the same event', () => {
    const floor = '时效性：案例实施时间为2023年1月及之后。';
    expect(verdictFromLimits('系统2022年12月上线的，时间符合吗', [floor])).toBe('no');
    expect(verdictFromLimits('系统2024年3月落地的，时间上行不', [floor])).toBe('yes');
    const ceiling = '所申报案例须在2025年底前实施应用。';
    expect(verdictFromLimits('项目2025年11月上线，赶得上吗', [ceiling])).toBe('yes');
    expect(verdictFromLimits('项目2026年2月才上线，赶得上吗', [ceiling])).toBe('no');
    // A founding date or an application date is not an implementation date.
    expect(verdictFromLimits('公司2024年6月成立，能报吗', [ceiling])).toBeNull();
    expect(verdictFromLimits('打算2026年3月报，能行吗', [ceiling])).toBeNull();
    expect(statedFigure('公司2024年6月成立，能报吗')).toBeNull();
    expect(statedFigure('系统2022年12月上线的，时间符合吗')?.kind).toBe('date');
  });
});

describe('where the asker is registered', () => {
  const places = [
    { name: '吉林', province: '吉林' },
    { name: '长春', province: '吉林' },
    { name: '辽宁', province: '辽宁' },
    { name: '沈阳', province: '辽宁' },
  ];
  const rule = '本次征集活动的参与主体为辽宁省内注册的金融机构，包括但不限于：银行、保险';
  it('is a no when it is outside the one province the rule admits, or the asker says it is not there', () => {
    expect(verdictFromRegistration('我们是长春注册的城商行，能报吗', [rule], places)).toBe('no');
    expect(verdictFromRegistration('我们总部在北京，在辽宁没有注册的机构，能参加吗', [rule], places)).toBe('no');
  });
  it('settles nothing inside the province (what kind of entity is the other condition) or without such a rule', () => {
    expect(verdictFromRegistration('我们是沈阳注册的租赁公司，能报吗', [rule], places)).toBeNull();
    expect(verdictFromRegistration('我们是长春注册的，能报吗', ['面向全国征集'], places)).toBeNull();
  });
});

describe('a file format the asker states', () => {
  const rule = '提供高清商标图（JPG格式，图样文件大小小于200kb）。';
  it('is a no when the rule requires another format, whatever the size', () => {
    expect(verdictFromFormats('我这logo是png的，100kb，能用吗', [rule])).toBe('no');
    expect(verdictFromFormats('申报表发个PDF行不行', ['电子版申报表（Word形式）及盖章扫描件'])).toBe('no');
  });
  it('settles nothing when the format is the required one, or the rule requires none', () => {
    expect(verdictFromFormats('我这logo是jpeg的，100kb，能用吗', [rule])).toBeNull();
    expect(verdictFromFormats('发个PDF行不行', ['申报材料发送至邮箱'])).toBeNull();
  });
});

describe('words that hold a polarity word but say nothing', () => {
  it('do not make a yes (可复制性 is no permission), and 「要求」 is no must', () => {
    expect(verdict('写两千五百字够不够', '案例报告：创新背景、可复制性及推广价值。')).toBeNull();
    expect(verdict('符合时间要求吗', '实施时间为2023年1月及之后。')).toBeNull();
  });
});

describe('a condition the asker lacks', () => {
  const rule = '对满足5项标准（合规持续经营、固定经营场所、真实融资需求、信用状况良好、贷款用途依法合规）的企业，工作专班汇总形成“申报清单”';
  it('says no when the question negates one of the listed conditions', () => {
    expect(verdictFromConditions('没固定经营场所，能进申报清单吗', [rule])).toBe('no');
    expect(verdictFromConditions('我们没有真实融资需求，能进清单吗', [rule])).toBe('no');
  });
  it('reads every labelled line under 「必须满足以下全部条件」 as a condition', () => {
    const lines = ['由非在沪机构牵头的跨区域合作项目，必须满足以下全部条件', '★本地必有深度合作方：拥有至少一家主营业务地在本地的实体机构。', '★核心资源投入在本地：主要团队须常驻本地。'];
    expect(verdictFromConditions('我们外地牵头，本地没有合作方，能报吗', lines)).toBe('no');
    expect(verdictFromConditions('我们外地牵头，本地有一家合作方，能报吗', lines)).toBeNull();
  });
  it('settles nothing when no condition is negated', () => {
    expect(verdictFromConditions('有固定经营场所，能进申报清单吗', [rule])).toBeNull();
    expect(verdictFromConditions('没贷过款能进清单吗', [rule])).toBeNull();
  });
});

describe('the verdict’s wording', () => {
  it('is in the question’s own terms, and 「要求」 is no 「要…吗」', () => {
    expect(verdictLead('时间上符合要求吗', 'no')).toBe('不符合。');
    expect(verdictLead('写了四千字够不够', 'yes')).toBe('够。');
    expect(verdictLead('还要交纸质版吗', 'no')).toBe('不需要。');
    expect(verdictLead('分公司能报吗', 'yes')).toBe('可以。');
  });

  it('says first whether a figure meets the limit when the question asks whether it goes over', () => {
    expect(verdictLead('25个字超没超', 'no')).toBe('不符合要求，超了。');
    expect(verdictLead('三家超没超', 'yes')).toBe('符合要求，没超。');
    expect(verdictLead('写了6000多字，超了没事吧', 'no')).toBe('不符合要求，超了。');
  });
});

describe('a question of what one must do, asked the way owners ask it (set K, fifth round)', () => {
  it('reads 是不是只能 as 非得: one way among others is no must', () => {
    expect(verdict('信用修复是不是只能在网上办？', '企业也可在当地政务服务中心线下窗口办理')).toBe('no');
    expect(verdict('续贷是不是非得跑柜台？', '可提前1个月通过各家银行网上银行、手机银行或线下网点等多种渠道提出')).toBe('no');
  });

  it('turns the answer for a question that asks the negative (「是不是就不管了」)', () => {
    expect(verdict('股权融资那块是不是就不管了', '创投、证券等专门团队可为企业量身定制股权融资方案')).toBe('no');
  });

  it('takes the sentence that says what need not be done, not one that only supports, and skips a closing 咋整', () => {
    const rule = ruleSentence('那个补贴是不是还得自己去财政局递材料申请啊？咋整？', [
      '对单户500万元以下且担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴，在保费补贴的支持下，担保机构对企业的平均担保费率降至1%以下。',
      '企业自动享受低成本的担保服务，不必另行向财政部门提出申请。',
    ], polarity);
    expect(rule).toContain('不必另行');
    expect(verdict('那个补贴是不是还得自己去财政局递材料申请啊？咋整？', rule!)).toBe('no');
  });
});
