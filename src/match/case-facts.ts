import { findDateMentions, RELATIVE_YEARS } from '../rules/facts.ts';
import { monthsBefore } from '../rules/language.ts';
import { parseNumber } from '../rules/numbers.ts';

export type OrgType =
  | 'bank'
  | 'insurance'
  | 'securities'
  | 'fund'
  | 'futures'
  | 'trust'
  | 'guarantee'
  | 'leasing'
  | 'consumer_finance'
  | 'microcredit'
  | 'factoring'
  | 'asset_management'
  | 'investment'
  | 'fintech'
  | 'infrastructure'
  | 'exchange'
  | 'university'
  | 'research'
  | 'regulator'
  | 'government'
  | 'telecom'
  | 'enterprise';

/** What a case description says about the applicant and the case. Fields stay undefined until stated. */
export interface CaseFacts {
  orgType?: OrgType;
  /** Province where the applicant is registered or based (辽宁、广东、上海 ...). */
  applicantRegion?: string;
  /** Provinces where the case runs. */
  caseRegions: string[];
  /** The day the applicant was founded; with `spans.foundedOn` when only a month or a year was said. */
  foundedOn?: string;
  implementedOn?: string;
  /** The earliest and latest day a date said to the month or the year allows (a rule holds only if it holds for both). */
  spans?: Partial<Record<'foundedOn' | 'implementedOn', [string, string]>>;
  /** Years in which the text says work was done. */
  workYears: number[];
  technologies: string[];
  usesAi?: boolean;
  frontierTech?: boolean;
  jointApplicants?: number;
  /** A serious bad integrity record (失信、列入黑名单). */
  integrityIssue?: boolean;
  /** A serious violation of law or regulation (受到行政处罚、违规被罚). */
  seriousViolation?: boolean;
  shanghaiLeadOrPartner?: boolean;
  /** caseRegions were not said but taken from the applicant's region (read loosely for ranking only). */
  caseRegionsAssumed?: boolean;
  /** Where a cross-region case's core teams or infrastructure sit: in Shanghai (「数据运营团队常驻上海」), or said elsewhere (「服务器算力也在杭州机房」). */
  shanghaiResources?: boolean;
  /** Whom a case mainly serves: mainly Shanghai's (「贷款客户九成是上海的小微」), or mainly another place's. */
  shanghaiValue?: boolean;
  /** The applicant works with a licensed financial institution (builds for banks, 与保险公司合作), or says it does not. */
  licensedPartner?: boolean;
  quantifiedEvidence?: boolean;
  /** The case is in use (上线、投产、落地、在用), or not yet (还在开发、预计明年上线). */
  inUse?: boolean;
  /** The technology was proven in a real financial business setting (a PoC done, or in production), or said not to be. */
  validatedInBusiness?: boolean;
  /** The applicant is a branch or a subsidiary (分行、支行、分公司、子公司), or the head office (总行、总部). */
  branchOrSubsidiary?: boolean;
  /** Campaign aliases the text names. */
  namedCampaigns: string[];
  /** Track ids whose names the text uses (「上海示范案例」「技术创新突破」). */
  namedTracks?: string[];
}

const ORG_TYPES: Array<[RegExp, OrgType]> = [
  [/交易所|清算所|登记结算|票据交易|数据交易所|征信中心|金融基础设施/, 'exchange'],
  [/融资担保|担保公司|担保集团|再担保/, 'guarantee'],
  [/金融租赁|融资租赁|租赁公司/, 'leasing'],
  [/消费金融公司|消金/, 'consumer_finance'],
  [/小额贷款|小贷公司/, 'microcredit'],
  [/保理/, 'factoring'],
  [/证券|券商/, 'securities'],
  [/期货/, 'futures'],
  [/信托/, 'trust'],
  [/基金公司|公募|私募|基金管理|创投机构|创投公司|投资公司|资本|股权投资|风投/, 'investment'],
  [/理财子|资管|资产管理/, 'asset_management'],
  [/保险|寿险|财险|保司/, 'insurance'],
  [/银行|农商行|城商行|股份行|国有大行|国有行|农信|信用社|村镇银行|农商|分行|支行/, 'bank'],
  [/运营商|电信|移动公司|联通|铁塔/, 'telecom'],
  // (A licensed payment company — 第三方支付、支付机构 — is a financial technology firm for the campaigns' purposes.)
  [/金融科技|科技公司|科技有限公司|支付公司|支付机构|第三方支付|科技企业|软件公司|技术服务商|互联网公司|数据公司|数科|信息技术|人工智能公司|saas(?:公司|厂商|服务商)|it公司|技术公司|系统集成商|软件服务商/i, 'fintech'],
  [/大学|高校|学院|研究院|研究所|实验室|科研院所/, 'research'],
  // (「政府性融资担保公司」「政府出资的基金」: 政府 as a modifier of another kind names no government body.)
  [/金融监管局|地方金融管理局|数据局|监管局|人民银行|金融办|发改委|政府(?!性|出资|投资|引导|背景|控股|主导|产业)|管委会/, 'regulator'],
  [/制造|工厂|厂家|厂子|民营厂|[\u4e00-\u9fff]{1,3}厂(?!商)|生产企业|制造企业|实体企业|餐饮|饭店|饭馆|餐馆|烧烤|火锅|[\u4e00-\u9fff]{1,2}店(?!铺|面贷)|连锁|民宿|物业|培训机构|超市|农场|养殖场|合作社|零售|商贸公司|物流公司|房地产|建筑公司|医院|诊所|传媒|自媒体|文化公司|公关|咨询公司|咨询机构|律所|律师事务所|会计师事务所|广告公司|设计公司|代账|财税公司|营销公司|外贸公司|贸易公司|城投|做[\u4e00-\u9fff]{1,6}(?:加工|生产|制造|批发|养殖|种植|零售)的/, 'enterprise'],
];

const PROVINCES: Array<[RegExp, string]> = [
  // (「北京朝阳」 is Beijing's 朝阳区, not Liaoning's 朝阳市.)
  [/辽宁|沈阳|大连|鞍山|抚顺|本溪|丹东|锦州|营口|阜新|辽阳|铁岭|(?<!北京(?:市)?)朝阳|盘锦|葫芦岛/, '辽宁'],
  [/广东|广州|深圳|佛山|东莞|珠海|中山|惠州|汕头|江门|湛江|肇庆|粤港澳|大湾区/, '广东'],
  [/上海|浦东|陆家嘴|临港/, '上海'],
  [/北京|中关村/, '北京'],
  [/江苏|南京|苏州|无锡|常州/, '江苏'],
  [/浙江|杭州|宁波|温州/, '浙江'],
  [/山东|济南|青岛/, '山东'],
  [/吉林|长春/, '吉林'],
  [/黑龙江|哈尔滨/, '黑龙江'],
  [/天津/, '天津'],
  [/河北|石家庄|雄安/, '河北'],
  [/四川|成都/, '四川'],
  [/湖北|武汉/, '湖北'],
  [/福建|福州|厦门/, '福建'],
  [/重庆/, '重庆'],
  [/海南|海口/, '海南'],
  [/安徽|合肥|芜湖/, '安徽'],
  [/河南|郑州|洛阳/, '河南'],
  [/湖南|长沙/, '湖南'],
  [/江西|南昌/, '江西'],
  [/山西|太原/, '山西'],
  [/陕西|西安/, '陕西'],
  [/广西|南宁/, '广西'],
  [/云南|昆明/, '云南'],
  [/贵州|贵阳/, '贵州'],
  [/甘肃|兰州/, '甘肃'],
  [/内蒙古|呼和浩特|包头/, '内蒙古'],
  [/新疆|乌鲁木齐/, '新疆'],
  [/宁夏|银川/, '宁夏'],
  [/青海|西宁/, '青海'],
  [/西藏|拉萨/, '西藏'],
  [/香港/, '香港'],
  [/澳门/, '澳门'],
  [/台湾|台北/, '台湾'],
];

const TECHNOLOGIES: Array<[RegExp, string]> = [
  [/大模型|AIGC|生成式|GPT|DeepSeek|通义|文心|LLM/i, '大模型'],
  [/人工智能|AI(?![a-z])|机器学习|深度学习|知识图谱|神经网络|智能体|强化学习|自然语言|OCR|计算机视觉|算法模型|AI模型/i, '人工智能'],
  [/区块链|联盟链|上链|智能合约/, '区块链'],
  [/隐私计算|多方安全计算|联邦学习|可信执行环境|TEE|同态加密/i, '隐私计算'],
  [/量子/, '量子计算'],
  [/生物识别|人脸识别|声纹|指纹|虹膜|活体检测/, '生物识别'],
  [/云计算|云原生|上云|私有云|分布式/, '云计算'],
  [/大数据|数据中台|数据湖/, '大数据'],
  [/物联网|IoT|传感器|电子围栏/i, '物联网'],
  [/数字人民币|数币/, '数字人民币'],
  [/RPA|机器人流程自动化/i, 'RPA'],
];

/** The words that name a kind of organisation (「学术研究机构：…高校、科研院所、实验室」 names universities). */
export function orgTypeWords(type: OrgType): RegExp[] {
  return ORG_TYPES.filter(([, t]) => t === type).map(([re]) => re);
}

/** Words just before a place that say the case is not there (「没在广东落地」「没有上海的合作方」). */
const NEGATED = /(?:没|未|不|无|没有)$/;
/** A place that is part of a list's name (上海示范案例、上海的特色榜单), not where anyone is. */
const LIST_PLACE = /上海(?=的?(?:示范|特色|榜单))/g;
/** A word of a poor integrity record, and a clause that says there is none. */
const INTEGRITY = /失信|黑名单|不良诚信|诚信记录不良/;
const INTEGRITY_DENIED = /(?:没|未|无|不存在|从没|从来没)(?:有|出过|过|被列入?|上过|进过)?(?:任何|啥|什么)?[^，。；]{0,8}(?:失信|黑名单|不良诚信)/;

const FRONTIER = new Set(['大模型', '区块链', '隐私计算', '量子计算', '生物识别']);

/**
 * Reads a case description the way the matcher needs it: who applies and
 * from where, where the case runs, when it was founded and implemented,
 * which technologies it uses, how many units apply jointly, and which
 * campaign it names. Nothing is guessed: an unstated fact stays undefined.
 */
export function readCase(description: string, campaignAliases: string[], today: string, otherNames: string[] = []): CaseFacts {
  // (A space between two Chinese words parts a chat's fragments as a comma does: 「团队都在杭州 服务器也在杭州 上海那边就是合作银行」.)
  const original = description.replace(/(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])/g, '，').replace(/\s+/g, '');
  // Places inside the names of campaigns and tracks (「“数据要素×金融服务”上海示范案例」「广州那个点数成金」) are no fact of the
  // case: the names are blanked before places are read (and the campaigns named are read from the text as written).
  const text = withoutNames(original, [...campaignAliases, ...otherNames]);
  const facts: CaseFacts = { caseRegions: [], workYears: [], technologies: [], namedCampaigns: [] };

  // Who applies: the kind the asker gives itself (「我们是…的融资租赁公司」「俺们…民营厂子」), not a partner or a client
  // it names (「跟银行整了个订单贷」「给瓦房店几家轴承厂做了设备直租」).
  const subject = text.slice(0, Math.max(40, text.search(/[，。；]/) + 1));
  facts.orgType = firstMatch(ORG_TYPES, withoutOthers(subject)) ?? firstMatch(ORG_TYPES, withoutOthers(text));

  // The applicant's region: an explicit registration, or the place in the sentence that introduces it.
  const registered = /(注册(地)?(?:就|也|都)?(在|于)|总部(?:就|也|都)?(位于|设在|在)|位于|落户)([^，。；]{1,12})/.exec(text);
  // The place in the sentence that introduces the applicant, which may come second
  // (「想报“金融兴辽”的案例。我们是江苏南通的一家农商行」).
  const introPlace = (
    /^(?:我们|我司|本行|本公司|我行|我们公司)?(?:是|为)?(?<place>[^，。；]{0,12}?)(?:的|本地的?)(?:一家|家)/.exec(text) ??
    /(?<=[。；！？!?])(?:我们|我司|本行|本公司|我行|我们公司)(?:是|为)(?<place>[^，。；]{0,12}?)(?:的|本地的?)(?:一家|家)/.exec(text) ??
    // (「Hi，我们是广州一家持牌的支付公司」: after a greeting, and without 的.)
    /(?:^|[，,。；！？!?])(?:我们|我司|本行|本公司|我行|我们公司)(?:是|为)(?<place>[^，。；]{2,12}?)(?:的|本地的?)?一家/.exec(text.slice(0, 60))
  )?.groups?.place;
  // 「吉林注册的城商行」「大连注册的」: the place just before 注册 is where the applicant is registered (the last one said that
  // names a place: 「…我们要是广州注册的呢」 after the case puts Guangzhou in its place; not 「在辽宁没有注册的」).
  const registeredIn = [...text.matchAll(/([\u4e00-\u9fff]{2,4}?)(?:本地)?注册的/g)].filter((m) => firstMatch(PROVINCES, m[1]) && !/(?:没有?|未|不是|并非|非|不)$/.test(m[1])).at(-1);
  // 「外省注册的银行」: registered outside the measures' province (辽宁), wherever that is.
  const elsewhere = /(?:外省|省外)(?:注册|的)/.test(text);
  const regionSource = registered?.[5] ?? registeredIn?.[1] ?? introPlace ?? (/^(我们|我司)?(是|为)?([\u4e00-\u9fff]{2,6})(银行|农商行|城商行|证券|保险|担保|租赁|信托)/.exec(text)?.[3] ?? '');
  // Else a place named in the sentence that introduces the applicant (「深圳一家股份制银行分行。」).
  // (A place the first sentence says the applicant is not in or has nothing in — 「我们在上海没有合作机构」 — is not its own.)
  // (Nor is a place in a list's name: 「报上海示范案例」「上海那个特色榜单」.)
  const firstClause = withoutDeniedPlaces(text.slice(0, Math.max(1, text.search(/[，。；]/)))).replace(LIST_PLACE, '');
  facts.applicantRegion = firstMatch(PROVINCES, regionSource) ?? firstMatch(PROVINCES, firstClause) ?? (elsewhere ? '外省' : undefined);
  // 「由这家杭州公司牵头」: the lead applies, so where the lead sits is the applicant's region.
  const lead = facts.applicantRegion ? null : /(?:由|是)([^，。；]{1,14}?)(?:牵头|主导)/.exec(text);
  if (lead) facts.applicantRegion = firstMatch(PROVINCES, withoutDeniedPlaces(lead[1]).replace(LIST_PLACE, ''));

  // (「给东莞一家农商行做的」: where the client is, the case runs.)
  for (const m of text.matchAll(/(落地|应用于|服务于?|覆盖|在|面向|推广到|试点于?|上线于?|给|为|帮)([^，。；]{0,16})/g)) {
    // 「没在广东落地」「未在上海应用」 says where the case does not run; 「总部就在陆家嘴」 where the applicant sits.
    if (NEGATED.test(text.slice(Math.max(0, m.index! - 2), m.index!))) continue;
    if (m[1] === '在' && APPLICANT_SEAT.test(text.slice(Math.max(0, m.index! - 4), m.index!))) continue;
    for (const [re, region] of PROVINCES) {
      const at = m[2].search(re);
      // 「在上海没有合作机构」「广东那边没业务」: a place followed by a denial is not where the case runs.
      if (at < 0 || /^[\u4e00-\u9fff]{0,4}?(?:没有?|不|未|无)/.test(m[2].slice(at).replace(re, ''))) continue;
      if (!facts.caseRegions.includes(region)) facts.caseRegions.push(region);
    }
  }
  // (Unsaid, the case is taken to run where the applicant is — for ranking; a question's eligibility does not take it.)
  // (「给本地农商行做的系统」「在当地落地」 say it: the applicant's place is the case's.)
  if (facts.caseRegions.length === 0 && facts.applicantRegion) {
    facts.caseRegions.push(facts.applicantRegion);
    if (!/(?:给|为|帮|在|服务|面向)[^，。；]{0,4}(?:本地|当地)/.test(text)) facts.caseRegionsAssumed = true;
  }
  // 「广东一家客户都没有」「没在上海落地」: a place the case is said not to run in. Where else it runs may be unsaid, but
  // not there: the regions are those said (or the applicant's, less the denied), else somewhere else.
  const denied = deniedCaseRegions(text);
  if (denied.length && (facts.caseRegions.length === 0 || facts.caseRegionsAssumed)) {
    const rest = facts.caseRegions.filter((r) => !denied.includes(r));
    facts.caseRegions = rest.length ? rest : [ELSEWHERE];
    delete facts.caseRegionsAssumed;
  }

  // When the applicant was founded and the case implemented: a day, or the span a month or a year leaves open
  // (「2024年成立的」 is any day of 2024), so that a rule is decided only where the whole span decides it.
  const founded = datedEvent(text, today, FOUNDED_AFTER, FOUNDED_BEFORE);
  // 「成立三年了」「成立刚一年」「刚成立一年半」: an age, counted back from today (at least that old, less than a year more).
  const age = /(?:成立|开了|干了)(?:了|刚|才|已经?|有)?(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个)?年(半)?|(?:刚|才)成立(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个)?年(半)?/.exec(text);
  if (founded) setSpan(facts, 'foundedOn', founded);
  else if (age) {
    const years = parseNumber(age[1] ?? age[3]);
    const months = Math.round((years + (age[2] ?? age[4] ? 0.5 : 0)) * 12);
    setSpan(facts, 'foundedOn', [monthsBefore(today, months + (age[2] ?? age[4] ? 6 : 12)), monthsBefore(today, months)]);
  }
  const implemented = datedEvent(text, today, IMPLEMENTED_AFTER, IMPLEMENTED_BEFORE, true);
  if (implemented) setSpan(facts, 'implementedOn', implemented);
  // A year is a year of work unless its clause says no work was done then (「去年没再做」「2025年这个项目没再做任何新东西」)
  // or only counts the staff (「今年team也就30来人」).
  const noWork = (at: number) => NO_WORK_THEN.test(clauseFrom(text, at));
  for (const m of text.matchAll(/(20\d{2})年/g)) {
    const y = Number(m[1]);
    if (!noWork(m.index!) && !facts.workYears.includes(y)) facts.workYears.push(y);
  }
  for (const d of findDateMentions(text, today)) {
    const y = Number(d.date.slice(0, 4));
    if (!noWork(d.start) && !facts.workYears.includes(y)) facts.workYears.push(y);
  }
  // 今年 / 去年 / 前年 from today.
  const ty = Number(today.slice(0, 4));
  for (const m of text.matchAll(/(前年|去年|今年)/g)) {
    if (noWork(m.index!)) continue;
    const y = ty + RELATIVE_YEARS[m[1]];
    if (!facts.workYears.includes(y)) facts.workYears.push(y);
  }

  // Technologies named only to say they are not used (「没用啥大模型AI那些高科技」「跟AI大模型没关系」) are not the case's.
  const aiDenied = AI_DENIED.test(text);
  const techText = aiDenied ? text.replace(new RegExp(AI_DENIED.source, 'gi'), ' ') : text;
  for (const [re, name] of TECHNOLOGIES) if (re.test(techText)) facts.technologies.push(name);
  // Unmentioned is unknown; other technologies without AI, or an explicit 「没有用AI」, is a no.
  const ai = facts.technologies.some((t) => t === '大模型' || t === '人工智能');
  if (aiDenied) facts.usesAi = false;
  else if (ai) facts.usesAi = true;
  else if (facts.technologies.length) facts.usesAi = false;
  const frontier = facts.technologies.filter((t) => FRONTIER.has(t));
  if (facts.technologies.length) facts.frontierTech = frontier.length > 0;

  const joint = /(联合|共同|携手)([^，。；]{0,30}?)(申报|实施|开发|建设)/.exec(text);
  // 「4家单位一块儿联合申报」「3家一起报一个项目」「五家单位一起联合报」: the units of one joint application.
  const count = /(\d+|[一二两三四五六七八九十])家(?:单位|机构|公司)?[^，。；\d]{0,6}?(?:联合|共同|一起|一块儿?)[^，。；]{0,4}?(?:申报|报)/.exec(text);
  const total = /共(\d+|[一二三四五六七八九十])家(单位|机构)/.exec(text);
  if (count) facts.jointApplicants = parseNumber(count[1]);
  // 「共5家单位实施」 counts the lead unit too.
  else if (total) facts.jointApplicants = parseNumber(total[1]) - 1;
  else if (joint) {
    const named = joint[2].split(/[、和与及]/).filter((s) => s.length >= 2).length;
    if (named > 0) facts.jointApplicants = named;
  }

  // (「没出过啥违规和失信记录」「无失信记录」 say there is none.)
  const integrity = clauses(text).filter((c) => INTEGRITY.test(c));
  if (integrity.some((c) => !INTEGRITY_DENIED.test(c))) facts.integrityIssue = true;
  else if (integrity.length) facts.integrityIssue = false;
  // (Violations the case finds in others — 「识别疑似操纵线索48起，移送稽查后被立案」「帮监管发现违规放贷」 — are its subject, not the
  // applicant's record: a clause that detects, reports or fights them says nothing of the applicant.)
  if (clauses(text).some((c) => SERIOUS_VIOLATION.test(c) && !DETECTS_OTHERS.test(c))) facts.seriousViolation = true;

  const leadInShanghai = facts.applicantRegion === '上海';
  // (「没有上海本地的合作方」 is no partner there.)
  const partner = /上海[^，。；]{0,12}(合作方|联合实施|合作伙伴|联合|合作)|(联合|携手|合作)[^，。；]{0,12}上海/.exec(text);
  const partnerDenied = (partner && NEGATED.test(text.slice(Math.max(0, partner.index - 3), partner.index))) || SHANGHAI_PARTNER_DENIED.test(text);
  if (leadInShanghai || (partner && !partnerDenied)) facts.shanghaiLeadOrPartner = true;
  else if (partnerDenied || facts.applicantRegion) facts.shanghaiLeadOrPartner = false;

  // A case led from outside Shanghai: where its core teams or infrastructure sit, and whom it mainly serves (each read
  // only from a clause that says it, and only where it names a place).
  const inShanghai = (c: string) => /上海|在沪|沪上|浦东|陆家嘴|临港/.test(c) && !SHANGHAI_DENIED_IN.test(c);
  const elsewhereThan = (c: string) => PROVINCES.some(([re, region]) => region !== '上海' && re.test(c));
  for (const c of clauses(text)) {
    // (「杭州的团队牵头」 says who leads, not where the project's teams sit.)
    if (SH_RESOURCES.test(c) && !/牵头|主导/.test(c)) {
      if (inShanghai(c)) facts.shanghaiResources = true;
      else if (elsewhereThan(c) || SHANGHAI_DENIED_IN.test(c)) facts.shanghaiResources ??= false;
    }
    if (SH_SERVED.test(c) && SH_MAINLY.test(c)) {
      if (inShanghai(c) && !SH_MINOR.test(c)) facts.shanghaiValue = true;
      else if (elsewhereThan(c) || SH_MINOR.test(c)) facts.shanghaiValue ??= false;
    }
  }
  // Customers mainly in Shanghai put the case's main application there.
  if (facts.shanghaiValue === true && !facts.caseRegions.includes('上海')) {
    if (facts.caseRegionsAssumed) facts.caseRegions = [];
    delete facts.caseRegionsAssumed;
    facts.caseRegions.push('上海');
  }

  // A partner or client that is a licensed institution (「为11家村镇银行上线了…平台」「跟两家券商合作」), or none (「也没有和任何
  // 持牌金融机构合作」). (A licensed applicant needs none; the rule that asks it is for technology companies.)
  if (PARTNER_DENIED.test(text)) facts.licensedPartner = false;
  else if (PARTNER.test(text)) facts.licensedPartner = true;

  // (「只有定性描述，没统计数据」 says there is none, whatever figures the text gives otherwise.)
  facts.quantifiedEvidence = EVIDENCE_DENIED.test(text) ? false : QUANTIFIED.test(text);

  // Not yet in use (「还在开发阶段，预计明年下半年才能上线」) is said outright; in use is an implementation said, or 在用/上线了.
  // (「广东没上线」 says where it is not, not that it is nowhere: a clause that names a place does not deny the use.)
  if (clauses(text).some((c) => NOT_IN_USE.test(c) && !PROVINCES.some(([re]) => re.test(c)))) facts.inUse = false;
  // (An implementation said of a past day — 「2024年3月上线」 — is a case in use.)
  else if (IN_USE.test(text) || (facts.implementedOn !== undefined && (facts.spans?.implementedOn?.[1] ?? facts.implementedOn) <= today)) facts.inUse = true;
  if (VALIDATION_DENIED.test(text)) facts.validatedInBusiness = false;
  else if (VALIDATED.test(text) || facts.inUse === true) facts.validatedInBusiness = true;
  const level = /(?:我们|我行|我司|本行|俺们|咱们)?(?:是|作为)?[^，。；]{0,16}?(分行|支行|分公司|子公司|分支机构|总行|总部|总公司|母公司)/.exec(withoutOthers(subject));
  if (level) facts.branchOrSubsidiary = !/总行|总部|总公司|母公司/.test(level[1]);

  for (const alias of campaignAliases) if (original.includes(alias)) facts.namedCampaigns.push(alias);
  return facts;
}

/** The text with every name of two or more characters (longest first) blanked to 「·」 of its length. */
export function withoutNames(text: string, names: string[]): string {
  return names
    .filter((n) => n.length >= 2)
    .sort((a, b) => b.length - a.length)
    .reduce((t, name) => t.split(name).join('·'.repeat(name.length)), text);
}

/** Words before an organisation that make it another party (a partner, a client, a lender), not the applicant. */
const OTHER_PARTY = /(?:跟|和|与|同|给|为|帮|替|联合|携手|合作的?|服务|对接|找|向|从|客户(?:是|为)?|甲方(?:是|为)?|委托方(?:是|为)?)[^，。；]{0,10}?$/;

/**
 * The text with every match of the patterns that `hides` (given the text before the match and after it) blanked to
 * 「·」 of the same length, so that positions stay and the match is read as nothing.
 */
function blank(text: string, patterns: RegExp[], hides: (before: string, after: string) => boolean): string {
  let out = text;
  for (const re of patterns) {
    out = out.replace(new RegExp(re.source, 'g'), (word, at: number) => (hides(out.slice(0, at), out.slice(at + word.length)) ? '·'.repeat(word.length) : word));
  }
  return out;
}

/** The text with every organisation named as another party (after 跟/给/联合…) blanked, so it is not read as the applicant. */
function withoutOthers(text: string): string {
  return blank(text, ORG_TYPES.map(([re]) => re), (before, after) => OTHER_PARTY.test(before.slice(-12)) || RELAYED.test(after));
}

/** Whose words the asker passes on (「俺们银行客户经理说…」「开户行的经理让我们报」): that organisation is another party. */
const RELAYED = /^(?:的)?(?:客户经理|信贷员|信贷经理|经理|工作人员|业务员|的人|那边)(?:说|讲|推荐|让|叫|建议|介绍|告诉)/;

/** The text from `at` to the end of its clause (the next ，。；：、). */
export function clauseFrom(text: string, at: number): string {
  return text.slice(at).split(/[，。；：,;:、]/)[0];
}

/** A figure of results (87家, 十二亿, 0.6个百分点). */
export const QUANTIFIED = /\d+(\.\d+)?\s*(亿|万|家|户|笔|%|个百分点|倍|人次|项)|(?:效果|效益|成效|成果)[^，。；]{0,3}有(?:具体|量化)?数据/;
/** Results said to have no figures (「只有定性描述」「没统计具体数据」「效果没量化」). */
export const EVIDENCE_DENIED = /没(?:有)?(?:统计|量化|做统计)(?:过)?(?:具体)?(?:的)?(?:数据|数字)?|没(?:有)?(?:具体|量化|统计)(?:的)?(?:数据|数字)|只有定性|定性描述|没量化|无量化|缺(?:少)?(?:具体)?数据|没法量化|拿不出(?:具体)?数据|还?没有?(?:效果|成效)?数据/;

/** Licensed institutions as a partner names them. */
const LICENSED = '(?:银行|农商行|城商行|股份行|村镇银行|信用社|农信|券商|证券公司|保险公司|寿险公司|财险公司|保司|信托公司|基金公司|期货公司|持牌金融机构|持牌机构|金融机构)';
const PARTNER = new RegExp(
  `(?:与|和|跟|同|联合|携手)[^，。；]{0,12}?${LICENSED}[^，。；]{0,8}?(?:合作|联合|共建|一起|共同|签约)|(?:为|给|帮|向)[^，。；]{0,12}?${LICENSED}[^，。；]{0,10}?(?:提供|上线|部署|做|开发|建设|搭建|输出|定制)|(?:服务|合作)(?:了|过)?(?:\\d+|[一二两三四五六七八九十几多]+)家${LICENSED}|合作(?:的)?${LICENSED}(?:有|是|包括)`,
);
const PARTNER_DENIED = new RegExp(
  `(?:没有?|未|从没|从来没)(?:和|与|跟|同)[^，。；]{0,20}?${LICENSED}[^，。；]{0,12}?合作|(?:没有?|未|不|无)(?:和|与|跟|同)?(?:任何|哪家|什么)?(?:持牌)?${LICENSED}(?:的)?(?:合作|合作方|合作伙伴|客户)|(?:没有?|未)(?:和|与|跟)(?:任何|哪家)?(?:持牌)?${LICENSED}合作|(?:没有?|无)(?:任何)?(?:合作的?|签约的?)(?:持牌)?${LICENSED}`,
);

const SERIOUS_VIOLATION = /(受到|被).{0,8}(行政处罚|重大处罚|罚款|处罚|通报|立案)|重大违法|因违规|违规.{0,10}(罚|处罚)/;
/** Words of a clause about violations the case detects in others (its subject matter), not the applicant's own (「被发现」 is). */
const DETECTS_OTHERS = /(?<!被)(?:识别|发现|监测|预警|移送|打击|排查|筛查|甄别)|线索|疑似/;

/** The clauses of a text (split at 。；，!? and their half-width forms). */
function clauses(text: string): string[] {
  return text.split(/[。；，！？;,!?]/);
}

const VALIDATION_DENIED = /(?:没|未|尚未|还没)有?(?:在[^，。；]{0,12})?(?:做过|完成|进行|做)?(?:PoC|概念验证)|还在实验室|实验室(?:阶段|里)|没(?:有)?(?:在|进)(?:任何)?(?:真实)?[^，。；]{0,10}(?:场景|业务)|没在[^，。；]{0,12}验证/i;
const VALIDATED = /(?:完成|做过|做了|通过)了?(?:PoC|概念验证)|投入生产|已投产|投产了/i;
/** 「没用啥大模型AI那些高科技」「没用上AI大模型」「跟AI大模型没关系」「不涉及人工智能」: AI said not to be used. */
export const AI_DENIED = /(?:没有|没|未|不|无)(?:用到?|使用|涉及|采用|上|用上)(?:任何|啥|什么|到)?(?:AI|人工智能|大模型)[^，。；]{0,8}|(?:没有|并无|不含|不包含|无)(?:任何|什么)?(?:AI|人工智能|大模型)(?:模型|算法|技术|成分|功能)?(?![\u4e00-\u9fff]{0,3}(?:就|的话|也能|也可|会))|(?:跟|和|与)[^，。；]{0,4}(?:AI|人工智能|大模型)[^，。；]{0,6}(?:没关系|无关|不沾边)|(?<![a-z])(?:no|without|not\s*using|w\/o)\s*(?:any\s*)?(?:llms?|ai|gpt|genai|large\s*models?)(?![a-z])/i;
/** Words just before 在 that say where the applicant itself sits (总部就在…), not where the case runs. */
const APPLICANT_SEAT = /(?:总部|注册|办公|本部|住所|地址|公司)(?:就|也|都)?$/;
/** A clause that says no work was done in the year it names, only counts the staff then, or names a campaign's edition (2025年那届). */
export const NO_WORK_THEN = /^20\d{2}年度?(?:那|这|的)?一?[届期]|^20\d{2}年度?的?[“"「]?(?:金融兴辽|金融新质生产力|新质生产力|点数成金|十大)|没再|没做|没有做|没干|没搞|没开展|未开展|没有开展|没有新|没啥新|没任何|没有任何|没动|(?:team|团队|员工|人员)[^，。；]{0,6}\d|\d+\s*(?:来|多|余)?个?人(?![民工])/i;
/** A clause about a case's core resources: its teams, or its data and computing infrastructure. */
const SH_RESOURCES = /团队|研发中心|运营中心|算力|服务器|机房|数据中心|云平台|部署|核心资源|基础设施/;
/** A clause about whom the case serves or where its results show. */
const SH_SERVED = /客户|用户|借款人|服务的?(?:企业|对象|主体)|服务对象|贷款对象|成效|效益|价值/;
/** Said to be the main part (主要、九成、大部分、以…为主), or only a small one. */
const SH_MAINLY = /主要|大部分|大多|多数|绝大|[五六七八九]成|一半以上|过半|为主|都是|全是|全在|基本(?:都|上)|集中在|几乎|少数|小部分|[一二两三]成|零星|个别/;
const SH_MINOR = /少数|小部分|[一二两三]成|零星|个别/;
/** Shanghai named only to say nothing is there (「上海那边就是合作银行」 names a partner, not resources; 「不在上海」). */
const SHANGHAI_DENIED_IN = /(?:不在|没在|没有在|未在|并非在)(?:上海|沪)|上海(?:那边|这边)?(?:没有|没|无)/;

/** A Shanghai partner said to be absent (「上海没有合作方」「没有上海本地的合作方」「在上海没有合作机构」「上海这边没有合作机构」). */
export const SHANGHAI_PARTNER_DENIED = /(?:没有|没|无|不)[^，。；]{0,6}上海[^，。；]{0,8}(?:合作方|合作单位|合作伙伴|联合实施|合作机构)|上海(?:本地|这边|那边|方面|当地)?(?:也|都)?(?:没有|没|无)(?:任何)?(?:的)?(?:合作方|合作单位|合作伙伴|合作机构)/;
const NOT_IN_USE = /上线要到|要到[^，。；]{0,8}(?:才|再)?(?:正式)?上线|(?:还|都)?没(?:有)?正式(?:上线|投产|落地|运行)|未正式(?:上线|投产|落地)|(?:还|仍|仍然)在内测|内测中|灰度(?:测试)?中|还没(?:有)?(?:投产|投入使用|用起来)|没投产|未投产|尚未正式|还在开发|开发阶段|研发阶段|尚未上线|还没上线|没上线|未上线|尚未落地|还没落地|未落地|预计[^，。；]{0,10}上线|准备上线|计划上线|还在测试|内测阶段|概念阶段|方案阶段|mvp|内部灰度|没有?对外|未对外|停用|已下线|下线了|停运|关停|弃用|不在用|没在用|不再(?:使用|用)|不用了|已经不用/i;
const IN_USE = /已上线|上线了|已投产|投产了|已落地|落地了|在用|用着|已经用|已应用|运行了|投入使用|正式上线|上线运行|上线应用|落地应用|已在[^，。；]{0,8}(?:上线|落地|应用)/;

/** Words after a date that say it is when the applicant was founded (「2024年2月成立」), or before it (「成立于2020年」). */
// (「去年三月在广州黄埔注册的」: where it was founded may stand between.)
const FOUNDED_AFTER = /^(?:[^，。；,;]{0,4}?|在[^，。；,;\d]{1,10}?)(?:成立|注册|创立|创办|开业)/;
const FOUNDED_BEFORE = /(?:成立于|创立于|注册于|成立时间为?|注册时间为?|成立在|注册在|成立是)$/;
/** Words that say a date is when the case went into use (「2025年3月上线」「投产于2023年」). */
const IMPLEMENTED_AFTER = /^[^，。；,;]{0,12}?(?:上线|投产|落地|实施|推出|启动|投入使用|运行|开展|发布|首发|开发|建成|试点|开始做|做的|用上)/;
const IMPLEMENTED_BEFORE = /(?:上线于|投产于|实施于|启动于|(?:上线|实施|投产|落地)时间(?:为|是)?)$/;

/**
 * The span of days of the event a date in the text is said of: a day (2024年2月11日), a month (2025年12月, 25年12月),
 * a year (2024年, 前年, 去年底). `earliest` takes the earliest such date (a case implemented in stages starts with the
 * first); otherwise the first one said.
 */
function datedEvent(text: string, today: string, after: RegExp, before: RegExp, earliest = false): [string, string] | undefined {
  const ty = Number(today.slice(0, 4));
  const spans: Array<{ at: number; span: [string, string] }> = [];
  const said = (start: number, end: number) => after.test(text.slice(end, end + 16)) || before.test(text.slice(Math.max(0, start - 6), start));
  const taken: Array<[number, number]> = [];
  for (const d of findDateMentions(text, today)) {
    taken.push([d.start, d.end]);
    if (!said(d.start, d.end)) continue;
    spans.push({ at: d.start, span: d.precision === 'day' ? [d.date, d.date] : [`${d.date.slice(0, 8)}01`, d.date] });
  }
  // A year alone, or 前年/去年/今年 (with 底 or 初).
  for (const m of text.matchAll(/(20\d{2}|\d{2}(?=年))年|(前年|去年|今年)/g)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (taken.some(([a, b]) => start < b && a < end)) continue;
    const rest = text.slice(end, end + 3);
    const month = /^\d{1,2}月|^[一二三四五六七八九十]{1,2}月/.test(rest);
    if (month) continue;
    const y = m[1] ? (m[1].length === 2 ? 2000 + Number(m[1]) : Number(m[1])) : ty + RELATIVE_YEARS[m[2]];
    const part = /^(?:底|年底|末|年末)/.exec(rest) ? 'end' : /^(?:初|年初)/.exec(rest) ? 'start' : null;
    const tail = part ? (/^年?(?:底|末|初)/.exec(rest)?.[0].length ?? 0) : 0;
    if (!said(start, end + tail)) continue;
    spans.push({ at: start, span: part === 'end' ? [`${y}-12-01`, `${y}-12-31`] : part === 'start' ? [`${y}-01-01`, `${y}-03-31`] : [`${y}-01-01`, `${y}-12-31`] });
  }
  if (spans.length === 0) return undefined;
  if (earliest) return spans.sort((a, b) => (a.span[0] < b.span[0] ? -1 : 1))[0].span;
  return spans.sort((a, b) => a.at - b.at)[0].span;
}

/** Sets a date fact: the day itself when the span is one day, else its latest day with the span beside it. */
function setSpan(facts: CaseFacts, name: 'foundedOn' | 'implementedOn', [from, to]: [string, string]): void {
  facts[name] = from === to ? from : to;
  if (from !== to) facts.spans = { ...facts.spans, [name]: [from, to] };
}

/** Where a case runs when a question says only where it does not. */
export const ELSEWHERE = '其他地区';

/** After a place: it has none of the case's business (「广东那边我们压根没业务」「广东一家都没有」「上海没客户」), not a partner denied. */
const NO_BUSINESS_AFTER = /^(?:那边|这边|方面|当地|本地|市场)?(?:我们|咱们|俺们)?(?:压根|根本|目前|还)?(?:一个|一家|任何)?(?:客户|业务|用户|项目|网点|分支)?(?:都|也)?(?:没有|没|无)(?:业务|客户|落地|应用|用户|项目|开展|上线)?/;
const BUSINESS_WORD = /客户|业务|用户|项目|网点|落地|应用|开展|上线|一家都|一个都/;

/** The provinces a text says the case does not run in (「广东一家都没有」「没在广东落地」「不在上海」). */
function deniedCaseRegions(text: string): string[] {
  const out: string[] = [];
  for (const [re, region] of PROVINCES) {
    for (const m of text.matchAll(new RegExp(re.source, 'g'))) {
      const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 14);
      const before = text.slice(Math.max(0, m.index! - 3), m.index!);
      const noBusiness = NO_BUSINESS_AFTER.exec(after);
      const said =
        (noBusiness && noBusiness[0].length > 0 && BUSINESS_WORD.test(after.slice(0, noBusiness[0].length + 2)) && !/合作/.test(after.slice(0, 8))) ||
        (/(?:没在|未在|不在|没有在)$/.test(before) && /^[^，。；]{0,4}(?:落地|应用|开展|上线|推广|做|用|展业|，|。|$)/.test(after));
      if (said && !out.includes(region)) out.push(region);
    }
  }
  return out;
}

/** The text with every place followed by a denial (「上海没有合作机构」「广东那边没业务」) or after 不在/没在 blanked. */
function withoutDeniedPlaces(text: string): string {
  return blank(
    text,
    PROVINCES.map(([re]) => re),
    (before, after) => /^[\u4e00-\u9fff]{0,4}?(?:没有?|不|未|无)/.test(after.slice(0, 6)) || /(?:不在|没在|未在|不是)$/.test(before.slice(-2)),
  );
}

function firstMatch<T>(table: Array<[RegExp, T]>, text: string): T | undefined {
  let best: { at: number; value: T } | undefined;
  for (const [re, value] of table) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.at)) best = { at: m.index, value };
  }
  return best?.value;
}
