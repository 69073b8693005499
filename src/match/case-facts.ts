import { findDateMentions } from '../rules/facts.ts';
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
  foundedOn?: string;
  implementedOn?: string;
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
  quantifiedEvidence?: boolean;
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
  [/银行|农商行|城商行|农信|信用社|村镇银行|农商|分行|支行/, 'bank'],
  [/运营商|电信|移动公司|联通|铁塔/, 'telecom'],
  [/金融科技|科技公司|科技有限公司|科技企业|软件公司|技术服务商|互联网公司|数据公司|数科|信息技术|人工智能公司/, 'fintech'],
  [/大学|高校|学院|研究院|研究所|实验室|科研院所/, 'research'],
  [/金融监管局|地方金融管理局|数据局|监管局|人民银行|金融办|发改委|政府|管委会/, 'regulator'],
  [/制造|工厂|厂家|餐饮|饭店|火锅|连锁|农场|养殖场|合作社|零售|商贸公司|物流公司|房地产|建筑公司|医院|诊所|传媒|自媒体|文化公司/, 'enterprise'],
];

const PROVINCES: Array<[RegExp, string]> = [
  [/辽宁|沈阳|大连|鞍山|抚顺|本溪|丹东|锦州|营口|阜新|辽阳|铁岭|朝阳|盘锦|葫芦岛/, '辽宁'],
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

const FRONTIER = new Set(['大模型', '区块链', '隐私计算', '量子计算', '生物识别']);

/**
 * Reads a case description the way the matcher needs it: who applies and
 * from where, where the case runs, when it was founded and implemented,
 * which technologies it uses, how many units apply jointly, and which
 * campaign it names. Nothing is guessed: an unstated fact stays undefined.
 */
export function readCase(description: string, campaignAliases: string[], today: string): CaseFacts {
  const text = description.replace(/\s+/g, '');
  const facts: CaseFacts = { caseRegions: [], workYears: [], technologies: [], namedCampaigns: [] };

  const subject = text.slice(0, Math.max(40, text.search(/[，。；]/) + 1));
  facts.orgType = firstMatch(ORG_TYPES, subject) ?? firstMatch(ORG_TYPES, text);

  // The applicant's region: an explicit registration, or the place in the sentence that introduces it.
  const registered = /(注册(地)?(在|于)|总部(位于|设在|在)|位于|落户)([^，。；]{1,12})/.exec(text);
  const intro = /^(我们|我司|本行|本公司|我行|我们公司)?(是|为)?([^，。；]{0,12}?)(的|本地的?)(一家|家)/.exec(text);
  // 「吉林注册的城商行」「大连注册的」: the place just before 注册 is where the applicant is registered.
  const registeredIn = /([\u4e00-\u9fff]{2,4}?)(?:本地)?注册的/.exec(text);
  // 「外省注册的银行」: registered outside the measures' province (辽宁), wherever that is.
  const elsewhere = /(?:外省|省外)(?:注册|的)/.test(text);
  const regionSource = registered?.[5] ?? (registeredIn && firstMatch(PROVINCES, registeredIn[1]) ? registeredIn[1] : undefined) ?? intro?.[3] ?? (/^(我们|我司)?(是|为)?([\u4e00-\u9fff]{2,6})(银行|农商行|城商行|证券|保险|担保|租赁|信托)/.exec(text)?.[3] ?? '');
  // Else a place named in the sentence that introduces the applicant (「深圳一家股份制银行分行。」).
  facts.applicantRegion =
    firstMatch(PROVINCES, regionSource) ?? firstMatch(PROVINCES, text.slice(0, Math.max(1, text.search(/[，。；]/)))) ?? (elsewhere ? '外省' : undefined);

  for (const m of text.matchAll(/(落地|应用于|服务于?|覆盖|在|面向|推广到|试点于?|上线于?)([^，。；]{0,16})/g)) {
    // 「没在广东落地」「未在上海应用」 says where the case does not run.
    if (NEGATED.test(text.slice(Math.max(0, m.index! - 2), m.index!))) continue;
    for (const [re, region] of PROVINCES) if (re.test(m[2]) && !facts.caseRegions.includes(region)) facts.caseRegions.push(region);
  }
  if (facts.caseRegions.length === 0 && facts.applicantRegion) facts.caseRegions.push(facts.applicantRegion);

  const founded = /(成立于|创立于|注册成立于|成立时间为?)(\d{4})年(?:(\d{1,2})月)?|(\d{4})年(?:(\d{1,2})月)?(?:[^，。；\d]{0,8}?)(成立|注册成立|注册|创立)/.exec(text);
  // 「成立三年了」「成立刚一年」「刚成立一年半」: an age, counted back from today.
  const age = /(?:成立|开了|干了)(?:了|刚|才|已经?|有)?(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个)?年(半)?|(?:刚|才)成立(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个)?年(半)?/.exec(text);
  if (!founded && age) {
    const years = parseNumber(age[1] ?? age[3]);
    const months = Math.round((years + (age[2] ?? age[4] ? 0.5 : 0)) * 12);
    const [y, m, d] = today.split('-').map(Number);
    const back = new Date(Date.UTC(y, m - 1 - months, d));
    facts.foundedOn = back.toISOString().slice(0, 10);
  }
  if (founded) {
    const year = Number(founded[2] ?? founded[4]);
    const month = Number(founded[3] ?? founded[5] ?? 12);
    facts.foundedOn = `${year}-${String(month).padStart(2, '0')}-${month === 12 && !(founded[3] ?? founded[5]) ? '31' : '01'}`;
  }
  const implemented = [
    ...text.matchAll(/(\d{4})年(?:(\d{1,2})月)?(?:[^，。；]{0,6}?)(上线|投产|落地|实施|推出|启动|投入使用|运行|开展|发布|首发|开发|建成|试点)/g),
  ].map((m) => `${m[1]}-${String(Number(m[2] ?? 1)).padStart(2, '0')}-01`);
  if (implemented.length) facts.implementedOn = implemented.sort()[0];
  for (const m of text.matchAll(/(20\d{2})年/g)) {
    const y = Number(m[1]);
    if (!facts.workYears.includes(y)) facts.workYears.push(y);
  }
  for (const d of findDateMentions(text, today)) {
    const y = Number(d.date.slice(0, 4));
    if (!facts.workYears.includes(y)) facts.workYears.push(y);
  }
  if (/今年/.test(text) && !facts.workYears.includes(2025)) facts.workYears.push(2025);

  for (const [re, name] of TECHNOLOGIES) if (re.test(text)) facts.technologies.push(name);
  // Unmentioned is unknown; other technologies without AI, or an explicit 「没有用AI」, is a no.
  const ai = facts.technologies.some((t) => t === '大模型' || t === '人工智能');
  if (/(没有|没|未|不)(用到?|使用|涉及|采用)(任何)?(AI|人工智能|大模型)/i.test(text)) facts.usesAi = false;
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

  if (/失信|黑名单|不良诚信|诚信记录不良/.test(text)) facts.integrityIssue = true;
  if (/(受到|被).{0,8}(行政处罚|重大处罚|罚款|处罚|通报|立案)|重大违法|因违规|违规.{0,10}(罚|处罚)/.test(text)) facts.seriousViolation = true;

  const leadInShanghai = facts.applicantRegion === '上海';
  // (「没有上海本地的合作方」 is no partner there.)
  const partner = /上海[^，。；]{0,12}(合作方|联合实施|合作伙伴|联合|合作)|(联合|携手|合作)[^，。；]{0,12}上海/.exec(text);
  const partnerDenied = partner && NEGATED.test(text.slice(Math.max(0, partner.index - 3), partner.index));
  if (leadInShanghai || (partner && !partnerDenied)) facts.shanghaiLeadOrPartner = true;
  else if (facts.applicantRegion) facts.shanghaiLeadOrPartner = false;

  facts.quantifiedEvidence = /\d+(\.\d+)?\s*(亿|万|家|户|笔|%|个百分点|倍|人次|项)/.test(text);

  for (const alias of campaignAliases) if (text.includes(alias)) facts.namedCampaigns.push(alias);
  return facts;
}

function firstMatch<T>(table: Array<[RegExp, T]>, text: string): T | undefined {
  let best: { at: number; value: T } | undefined;
  for (const [re, value] of table) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.at)) best = { at: m.index, value };
  }
  return best?.value;
}
