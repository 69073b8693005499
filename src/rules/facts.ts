import { formatChineseDate, iso, lastDay } from '../text/dates.ts';
import { monthsBefore } from './language.ts';
import { clauseStart, formatYuan, moneyMentions, parseNumber } from './numbers.ts';

export type EnterpriseSize = 'micro_small' | 'medium' | 'large';
export type LoanKind = 'working_capital' | 'fixed_asset';
export type CreditIssue = '行政处罚' | '严重失信' | '异常经营名录';

/** What the service knows of an enterprise's situation; every field is optional until stated. */
export interface Facts {
  size?: EnterpriseSize;
  loanKind?: LoanKind;
  /** ISO date the loan falls due; a month without a day is that month's last day. */
  dueDate?: string;
  dueDatePrecision?: 'day' | 'month';
  /** The day the loan was made (「2024年11月20日我行发放的」「今天就放款」), said instead of its due date. */
  issuedOn?: string;
  /** The loan's term in months (「3年期」「18个月的流动资金贷款」「期限一年」). */
  termMonths?: number;
  hasLoan?: boolean;
  guaranteeAmountYuan?: number;
  guaranteeRatePercent?: number;
  hasGuarantee?: boolean;
  /** The guarantee is within the province's re-guarantee scope (纳入了省再担保), or said not to be. */
  inReguaranteeScope?: boolean;
  /** The asker says it does not know whether the guarantee is within that scope (不知道算不算省再担保范围). */
  reguaranteeInDoubt?: boolean;
  lacksCollateral?: boolean;
  creditIssue?: CreditIssue;
  everBorrowed?: boolean;
  stateGridSupplier?: boolean;
  techEnterprise?: boolean;
  listingPlan?: boolean;
  equityFinancing?: boolean;
  covidAffected?: boolean;
  region?: string;
  /** A bank's non-performing loan ratio over all its loans, in percent (各项贷款不良率). */
  allLoansNplPercent?: number;
  /** Its non-performing loan ratio on loans to private enterprises, in percent (民营企业贷款不良率). */
  privateNplPercent?: number;
  /** A new repayment arrangement agreed with the lender (重新签了还款协议、已重新达成还款安排), or said not to be. */
  repaymentRearranged?: boolean;
  /** The enterprise is state-owned or state-controlled (国企、国资控股51%), not a private one; or said to be private (民营). */
  stateOwned?: boolean;
  /** The asker speaks for a bank (我行、本行、我们是…银行); false when it speaks for an enterprise of another kind (我们厂、我们startup). */
  askerIsBank?: boolean;
}

export type FactName = keyof Facts;

/** A fact taken from something the user said about another thing, stated in the answer as an assumption. */
export interface Assumption {
  fact: FactName;
  /** The assumption in the user's terms (「按担保金额等于贷款金额500万元计」). */
  text: string;
  /** Worked out from what the user stated (a due day from the day the loan was made and its term), not assumed. */
  derived?: true;
}

/**
 * Reads an enterprise's situation from free Chinese text: size, loan type and
 * due date (resolved against today), guarantee amount (元/万元/亿元, Arabic or
 * Chinese numerals) and fee rate (%, 百分之, 千分之, 个点), credit problems,
 * and the circumstances the other measures turn on.
 *
 * @example
 * extractFacts('我们是中型企业，流贷明年7月20日到期', '2026-11-22')
 * // { size: 'medium', loanKind: 'working_capital', dueDate: '2027-07-20', dueDatePrecision: 'day', hasLoan: true }
 */
export function extractFacts(input: string, today: string): Facts {
  const text = normalize(input);
  const facts: Facts = {};
  const size = readSize(text);
  if (size) facts.size = size;

  // 「固贷27年5月到期…另一笔流贷300w上月已结清」: a loan said to be paid off is not the one asked about.
  const loans = text.split(/[；;。]|(?=另一笔|还有一笔|一笔是)/);
  const live = loans.filter((part) => !SETTLED.test(part));
  const owed = live.length > 0 && live.length < loans.length ? live.join('；') : text;
  // (「其实是固定资产贷款，不是流贷」: a kind said not to be the loan's is not its kind.)
  if (affirmed(owed, WORKING_CAPITAL)) facts.loanKind = 'working_capital';
  else if (affirmed(owed, FIXED_ASSET)) facts.loanKind = 'fixed_asset';

  // 「一笔是固定资产贷款…2027年6月到期；另一笔是流动资金贷款…2027年11月20日到期」: two loans, each with its own due date.
  // The working-capital loan is the one the measures turn on; its date is the one said beside it.
  const working = live.filter((part) => WORKING_CAPITAL.test(part));
  const twoKinds = facts.loanKind === 'working_capital' && FIXED_ASSET.test(owed) && working.length === 1;
  const ofLoan = twoKinds ? working[0] : owed;
  // (A day said to be today — 「以今天（2026年12月6日）计」「今天12月6号」 — is when the asker counts from, not a day of the loan.)
  const dates = findDateMentions(ofLoan, today).filter((d) => !saidToBeToday(ofLoan, d.start));
  const due = readDueDate(ofLoan, dates);
  if (due) {
    facts.dueDate = due.date;
    facts.dueDatePrecision = due.precision;
  }
  // 「2024年11月20日我行发放的3年期流动资金贷款」「今天就放款，18个月」: the day it was made and its term give the day it is due;
  // the day it was made alone is not when it is due.
  const issued = readIssueDate(ofLoan, dates, today);
  if (issued) facts.issuedOn = issued;
  const term = readTermMonths(ofLoan);
  if (term) facts.termMonths = term;
  if (!due && issued && term) {
    facts.dueDate = monthsBefore(issued, -term);
    facts.dueDatePrecision = 'day';
  }
  if (facts.loanKind || facts.dueDate || /(?<!没|无|未)(贷款|借款|流贷|续贷|转贷|倒贷)/.test(text)) facts.hasLoan = true;

  // Whose the enterprise is: state-owned or state-controlled (国企、国资控股、市属国有), or private (民营、民企) — said of itself.
  if (BANK_ASKER.test(text)) facts.askerIsBank = true;
  else if (ENTERPRISE_ASKER.test(text)) facts.askerIsBank = false;
  if (STATE_OWNED.test(text) && !negated(text, STATE_OWNED)) facts.stateOwned = true;
  else if (/(?:我们|俺们|咱们|我司|本公司|客户|这家)?[^，。；]{0,8}(?:是|属于|为)[^，。；]{0,6}(?:民营|民企|私营)/.test(text) || negated(text, STATE_OWNED)) facts.stateOwned = false;

  if (REARRANGED_DENIED.test(text)) facts.repaymentRearranged = false;
  else if (REARRANGED.test(text)) facts.repaymentRearranged = true;

  const amount = readGuaranteeAmount(text);
  if (amount !== undefined) facts.guaranteeAmountYuan = amount;
  // 「纯信用贷款，没找担保公司」: a loan said to have no guarantee has none (unless a guarantee's own amount is given).
  if (GUARANTEE_DENIED.test(text) && amount === undefined) facts.hasGuarantee = false;
  else if (/担保/.test(text)) facts.hasGuarantee = true;
  // 「担保公司说纳入了省再担保」「不知道算不算进省里再担保那个范围里」「这笔没纳入再担保」.
  // (「纳入再担保范围的担保公司名单」 names companies, not the asker's guarantee.)
  const ofGuarantee = text.replace(REGUARANTEE_OF_OTHERS, '');
  if (/再担保/.test(ofGuarantee)) {
    if (REGUARANTEE_DOUBTED.test(ofGuarantee)) facts.reguaranteeInDoubt = true;
    else if (REGUARANTEE_DENIED.test(ofGuarantee)) facts.inReguaranteeScope = false;
    else if (REGUARANTEE_STATED.test(ofGuarantee)) facts.inReguaranteeScope = true;
  }
  for (const [fact, value] of Object.entries(readNplRatios(text))) (facts as Record<string, number>)[fact] = value;
  const rate = readRate(text);
  if (rate !== undefined) facts.guaranteeRatePercent = rate;
  if (/(没有|没|缺|缺少|不够|不足)(啥|什么|多少|太多)?的?(抵押|押品)|抵押物?.{0,4}(不足|不够|不太够|不大够|没有|缺)/.test(text)) facts.lacksCollateral = true;

  if (/失信|黑名单|被执行人|老赖/.test(text)) facts.creditIssue = '严重失信';
  else if (/经营异常|异常名录|异常经营/.test(text)) facts.creditIssue = '异常经营名录';
  else if (/罚款|罚了|被罚|罚过|处罚|行政处罚/.test(text)) facts.creditIssue = '行政处罚';

  if (/(没|没有|从没|从来没|从未|未|从不)(有)?(?:在|跟|向|找|从)?(?:任何)?(?:一家)?(?:银行)?(贷过|借过|申请过贷款|获得过银行贷款|银行贷款记录|贷款记录)|(第一次|头一回|头一次|第一回|首次)(想)?(贷款|找银行|向银行|借钱|借款|申请贷款)/.test(text)) {
    // (Naming 首贷 or the 首贷中心 says nothing of the asker: 「我们贷过款了，还能去首贷中心吗」.)
    facts.everBorrowed = false;
    // 「从没贷过款」 mentions 贷款 but means there is no loan.
    delete facts.hasLoan;
  }
  // 「我们贷过款了」「在银行有贷款」: borrowed before (said outright, never inferred from a loan's other facts).
  const borrowed = /贷过款|借过款|贷过银行|有过银行贷款|(?:银|商|信用社|农信|村镇)行?贷过|之前贷过|以前贷过|已经贷过|在银行有贷款|有银行贷款|贷过(?:一笔|\d|[一两二三四五六七八九十几]+[十百千万])/;
  if (facts.everBorrowed === undefined && borrowed.test(text) && !negated(text, borrowed)) facts.everBorrowed = true;
  if (/国家电网|国网|电网/.test(text) && !negated(text, /国家电网|国网|电网/)) facts.stateGridSupplier = true;
  const tech = /科技型|科技企业|科技公司|高新技术|高新企业|专精特新|科创/;
  if (tech.test(text)) facts.techEnterprise = !negated(text, tech);
  if (/上市|ipo|挂牌|新三板|北交所|科创板|创业板/.test(text) && !negated(text, /上市|ipo/)) facts.listingPlan = true;
  if (/股权融资|风投|创投|投资机构|引入投资|融股权/.test(text)) facts.equityFinancing = true;
  // 「跟疫情没关系」「不是因为疫情」「疫情那几年生意其实还行」: the epidemic said not to be the cause.
  if (COVID_DENIED.test(text)) facts.covidAffected = false;
  else if (/疫情/.test(text)) facts.covidAffected = true;
  const region = /(沈阳|大连|鞍山|抚顺|本溪|丹东|锦州|营口|阜新|辽阳|铁岭|朝阳|盘锦|葫芦岛)/.exec(text);
  if (region) facts.region = region[1];
  return facts;
}

/** Later statements win: a follow-up that corrects a fact replaces it. */
export function mergeFacts(earlier: Facts, later: Facts): Facts {
  const merged: Facts = { ...earlier };
  for (const [key, value] of Object.entries(later)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  // 「如果这笔是2024年8月20日放的，其他不变呢」: a new day the loan was made (or a new term) moves the day it is due, unless
  // the later turn says that day itself; with no term known the earlier due day no longer holds.
  if (later.dueDate === undefined && (later.issuedOn !== undefined || (later.termMonths !== undefined && merged.issuedOn !== undefined))) {
    if (merged.issuedOn !== undefined && merged.termMonths !== undefined) {
      merged.dueDate = monthsBefore(merged.issuedOn, -merged.termMonths);
      merged.dueDatePrecision = 'day';
    } else {
      delete merged.dueDate;
      delete merged.dueDatePrecision;
    }
  }
  return merged;
}

function normalize(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** A new repayment arrangement agreed with the lender (重新签了还款协议、达成了新的还款安排、按新的还款计划). */
const REARRANGED = /重新(?:签|签订|签了|达成|谈好|谈了|谈妥|协商了?|约定|定了)[^，。；]{0,6}(?:还款|贷款)?(?:协议|安排|计划)|(?:达成|签了|签订了?)[^，。；]{0,4}新的?还款(?:协议|安排|计划)|按新的还款(?:计划|安排)/;
/** Said not to have one (还没跟银行重新签、没有达成还款安排). */
const REARRANGED_DENIED = /(?:没有?|还没有?|未|尚未)(?:跟|和|与)?(?:银行|金融机构)?(?:重新)?(?:签|签订|达成|谈)[^，。；]{0,6}(?:还款|贷款)?(?:协议|安排|计划)?/;

/** A loan said to have no guarantee (没找担保公司、没有担保、无担保、不走担保、纯信用贷款). */
// (Not 「有没有担保费补贴」「为啥没有担保补贴」: the subsidy or the fee is what is asked there, not the loan's guarantee.)
const GUARANTEE_DENIED =
  /(?<!有)(?:没有?|没找|没走|没用|没通过|没经过|不用|不需要|不走|不找|无需|未|无)(?:任何|啥|什么)?(?:找|走|用|通过|经过)?担保(?!费|补贴|补助|率)|纯信用|全信用/;

/** Not knowing whether a guarantee is within the re-guarantee scope (不知道算不算进再担保范围、再担保那块不清楚). */
const REGUARANTEE_DOUBTED =
  /(?:不知道|不清楚|不确定|说不好|说不准|不晓得|搞不清|闹不清|拿不准|没准|没问|没搞明白)[^。；？?!！]{0,16}再担保|再担保[^。；？?!！]{0,12}(?:不知道|不清楚|不确定|说不好|说不准|不晓得|搞不清|闹不清|拿不准|没准|没问)/;
/** The re-guarantee scope as what picks out companies or lists (纳入再担保范围的担保公司名单、再担保体系内的机构). */
const REGUARANTEE_OF_OTHERS = /[^，。；？?！!]{0,8}再担保(?:业务)?(?:范围|体系)?(?:内|里|中)?的(?:融资)?(?:担保)?(?:公司|机构|名单|名录)/g;
/** A guarantee said to be outside it (没纳入再担保、不在省再担保范围、不属于再担保). */
const REGUARANTEE_DENIED = /(?:没有?|未|尚未|不|不在|不属于|不是)(?:被)?(?:纳入|在|属于|进)?(?:全省|省|省里|省级)?的?再担保/;
/** Said to be within it (纳入了省再担保、属于省再担保范围、在省再担保体系里). */
const REGUARANTEE_STATED = /(?:纳入|属于|在|进了?|是)[^，。；？?]{0,8}再担保/;

/** A loan said to be paid off (已结清、还清了、已还完). */
const SETTLED = /结清|还清|还完|已归还|已经还了|已还款/;

/** Loan kinds as people name them. */
const WORKING_CAPITAL = /流动资金|流贷|周转贷|流资贷/;
const FIXED_ASSET = /固定资产|固贷|项目贷|设备贷|基建贷|技改贷/;

/** A state-owned or state-controlled enterprise (国企、国有控股、国资控股51%、市属国有、央企). */
const STATE_OWNED = /国企|国有(?:控股|企业|独资|全资|参股控股)|国资(?:控股|委控股|全资)|(?:市属|省属|区属|县属)国有|央企/;

/** The asker speaks for a bank: 「我行」「咱们行」「我们支行」「行里」「我是银行的」「我们是一家城商行」. */
const BANK_ASKER = /我行|本行|贵行|(?:我们|咱们?|俺们)(?:支|分)?行(?![业动政])|行里|我是银行|(?:我们|我司|俺们)(?:是|这家|这个)?(?:(?![在从跟向找和到去])[^，。；]){0,8}(?:银行|农商行|城商行|村镇银行|信用社)(?![贷借]|的贷款)/;
/** …or for an enterprise of another kind: 「我们厂」「我们startup」「我们是做外贸的公司」. */
const ENTERPRISE_ASKER = /(?:我们|我司|俺们|咱们|本公司)(?:是(?:一家|个)?[^，。；]{0,8}?)?(?:公司|企业|厂|店|startup|创业公司|工作室|作坊)/i;

const COVID_DENIED =
  /(?:跟|和|与|同)疫情(?:没有?|无|不沾|扯不上|不)(?:啥|什么|任何)?(?:关系|关|影响|边)?|疫情(?:没|没有|并没有?|未)(?:啥|什么|受到?)?(?:影响|关系)|(?:不是|并非|非|没受|没有受|未受|没因为|不是因为)(?:因为|由于)?(?:受)?疫情|疫情[^，。；]{0,8}(?:生意|经营)(?:其实|倒|也)?还(?:行|可以|好|不错)/;

/** Whether some mention of `word` is not said to be denied (「不是流贷」 denies, 「是流贷」 affirms). */
function affirmed(text: string, word: RegExp): boolean {
  const all = new RegExp(word.source, 'g');
  for (const m of text.matchAll(all)) {
    if (!/(不是|不属于|并非|非|不算)$/.test(text.slice(Math.max(0, m.index! - 3), m.index!))) return true;
  }
  return false;
}

function negated(text: string, word: RegExp): boolean {
  const m = word.exec(text);
  return m !== null && /(不是|不属于|没有|并非|非|不)$/.test(text.slice(Math.max(0, m.index - 3), m.index));
}

/** Two sizes offered as alternatives (中型还是小微、小微还是中型企业). */
const ALTERNATIVE_SIZES = /(?:小微|小型|中型|大型|微型)(?:企业)?(?:还是|或是|或者)(?:小微|小型|中型|大型|微型)/;
/** A clause that reports what others say (「听说小微企业续贷不卡到期时间」): the sizes in it are the rule's, not the asker's. */
const HEARSAY_CLAUSE = /听说|据说|听人说|人家说|别人说|网上说|不是说|都说|看新闻|新闻说|政策说|文件说|文件上说/;
/** A clause in which the asker speaks of their own enterprise (「我们去年划型是中型的」). */
const OWN_CLAUSE = /我们|我司|我公司|本公司|俺们?|咱们?|我厂|我家|公司|企业|厂子?|划型|属于|算是?/;

function readSize(text: string): EnterpriseSize | undefined {
  const found: Array<{ at: number; size: EnterpriseSize; own: boolean }> = [];
  const clauses = [...text.matchAll(/[^，,。；;！!？?]+/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
  const clauseOf = (at: number) => clauses.find((c) => at >= c.start && at < c.end);
  const add = (re: RegExp, size: EnterpriseSize) => {
    for (const m of text.matchAll(re)) {
      const before = text.slice(Math.max(0, m.index! - 4), m.index);
      // 「不是小微」 denies a size; 「比照小微企业」「像小微企业那样」 names the policy's size, not the asker's.
      if (/(不是|不属于|非)$/.test(before) || /(比照|参照|按|照着|像|跟|同|如同|当成|当作)[^，,。]{0,2}$/.test(before)) continue;
      const clause = clauseOf(m.index!);
      if (clause && HEARSAY_CLAUSE.test(clause.text)) continue;
      found.push({ at: m.index!, size, own: !!clause && OWN_CLAUSE.test(clause.text.replace(m[0], '')) });
    }
  };
  add(/小微|小型|微型|小企业|微企|个体/g, 'micro_small');
  add(/(?<!小)中型|中等规模|中企(?!业)/g, 'medium');
  add(/大型|大企业|大公司/g, 'large');
  // 「中小企业」 names two sizes at once: it decides nothing.
  const ambiguous = /中小企业|中小微/.test(text);
  if (ambiguous) return undefined;
  // 「不是小微也不是中型」: with both smaller sizes denied and no other said, the enterprise is large.
  if (found.length === 0 && /(?:不是|不属于|非)小微[^，。；]{0,6}(?:也)?(?:不是|不属于|非)中型|(?:不是|不属于|非)中型[^，。；]{0,6}(?:也)?(?:不是|不属于|非)小微/.test(text)) return 'large';
  // The size the asker gives their own enterprise; else the last one named.
  const own = found.filter((f) => f.own);
  // 「可能是小型也可能是中型」: two sizes the asker cannot tell between decide nothing.
  // (「这算中型还是小微啊」「属于小型还是中型」: sizes offered as a question's alternatives are asked, not told.)
  if (/可能是|也可能|不确定|说不准|还没弄清|没定|还是/.test(text) && new Set(found.map((f) => f.size)).size > 1) {
    const told = found.filter((f) => !ALTERNATIVE_SIZES.test(text.slice(Math.max(0, f.at - 8), f.at + 10)));
    if (told.length === 0 || /可能是|也可能|不确定|说不准|还没弄清|没定/.test(text)) return undefined;
    return told.sort((a, b) => b.at - a.at)[0].size;
  }
  return (own.length ? own : found).sort((a, b) => b.at - a.at)[0]?.size;
}

interface DueDate {
  date: string;
  precision: 'day' | 'month';
}

/** Of the dates in `text`, the one it says a loan falls due: the one next to 到期, else the only date given (the day the loan was made is none). */
function readDueDate(text: string, mentions: DateMention[]): DueDate | undefined {
  const dates = mentions.filter((d) => !ISSUED_AFTER.test(text.slice(d.end, d.end + 10)));
  if (dates.length === 0) return undefined;
  const near = dates.find((d) => /^.{0,6}(到期|截止|前到期|期满)/.test(text.slice(d.end, d.end + 8)));
  return near ?? (dates.length === 1 || /到期|期满/.test(text) ? dates[0] : undefined);
}

/** Words after a date that say the loan was made that day (「我行发放的」「放款」「贷的」), not that it is due. */
const ISSUED_AFTER = /^(?:[^，。；,]{0,5}?)(?:发放|放款|放贷|放的|下款|贷的|借的|提款|起贷|签的(?:合同)?|办的)(?!.{0,3}到期)/;
/** Today named as the day the loan is made (「要是今天就放款」「今天刚下款」). */
const ISSUED_TODAY = /(?:今天|今日|今儿个?)(?:就|刚|才|已经)?(?:发放|放款|放贷|放了|下款|提款)/;

/** Of the dates in `text`, the day the loan was made, when it says it (a date followed by 发放/放款/贷的, or 今天就放款). */
function readIssueDate(text: string, mentions: DateMention[], today: string): string | undefined {
  const issued = mentions.find((d) => ISSUED_AFTER.test(text.slice(d.end, d.end + 10)));
  if (issued) return issued.date;
  return ISSUED_TODAY.test(text) ? today : undefined;
}

/** A loan's term in months: 「3年期」「期限3年」「18个月的流动资金贷款」「一年期流贷」. */
function readTermMonths(text: string): number | undefined {
  const n = `(\\d{1,2}|${CN}{1,3}|半)`;
  const term = new RegExp(`${n}(年|个月)期|期限(?:为|是)?${n}(年|个月)|${n}(年|个月)的?(?:期的?)?(?:流动资金|固定资产|经营|信用|周转)?(?:贷款|借款|流贷|固贷|贷)`).exec(text);
  if (!term) return undefined;
  const [count, unit] = term[1] !== undefined ? [term[1], term[2]] : term[3] !== undefined ? [term[3], term[4]] : [term[5], term[6]];
  const value = count === '半' ? 0.5 : parseNumber(count!);
  const months = unit === '年' ? value * 12 : value;
  return Number.isInteger(months) && months > 0 && months <= 360 ? months : undefined;
}

/** Whether the date mention starting at `start` is said to be today (「今天（2026年12月6日）」「今天12月6号」). */
export function saidToBeToday(text: string, start: number): boolean {
  return /(?:今天|今日|今儿个?|现在)[（(]?$/.test(text.slice(Math.max(0, start - 4), start));
}

interface DateMention extends DueDate {
  start: number;
  end: number;
}

const CN = '[零〇一二两三四五六七八九十]';

/** Years named relative to today's (前年 … 后年), as offsets. */
export const RELATIVE_YEARS: Readonly<Record<string, number>> = { 前年: -2, 去年: -1, 今年: 0, 明年: 1, 后年: 2 };

/** Every date in the text: absolute (2027年9月30日、2027-09-30、27年9月底) or relative (明年7月20号、下个月15号). */
export function findDateMentions(text: string, today: string): DateMention[] {
  const [ty, tm, td] = today.split('-').map(Number);
  const out: DateMention[] = [];
  const taken = (start: number, end: number) => out.some((d) => start < d.end && d.start < end);
  const push = (start: number, end: number, y: number, m: number, d: number | null) => {
    if (taken(start, end) || m < 1 || m > 12) return;
    const day = d === null ? lastDay(y, m) : Math.min(d, lastDay(y, m));
    if (d !== null && (d < 1 || d > 31)) return;
    out.push({ start, end, date: iso(y, m, day), precision: d === null ? 'month' : 'day' });
  };
  const num = (s: string) => parseNumber(s);
  const year2 = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

  for (const m of text.matchAll(/(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/g)) push(m.index!, m.index! + m[0].length, +m[1], +m[2], +m[3]);
  const abs = new RegExp(`(\\d{4}|\\d{2})年(\\d{1,2}|${CN}{1,3})月(?:(\\d{1,2}|${CN}{1,3})[日号]|(底|末|下旬))?`, 'g');
  for (const m of text.matchAll(abs)) push(m.index!, m.index! + m[0].length, year2(m[1]), num(m[2]), m[3] ? num(m[3]) : null);
  const rel = new RegExp(`(今年|明年|后年|去年)的?(\\d{1,2}|${CN}{1,3})月(?:(\\d{1,2}|${CN}{1,3})[日号]|(底|末))?`, 'g');
  for (const m of text.matchAll(rel)) {
    const y = ty + RELATIVE_YEARS[m[1]];
    push(m.index!, m.index! + m[0].length, y, num(m[2]), m[3] ? num(m[3]) : null);
  }
  for (const m of text.matchAll(new RegExp(`(下个?月|本月|这个月|当月)(?:(\\d{1,2}|${CN}{1,3})[日号]|(底|末))?`, 'g'))) {
    const next = m[1].startsWith('下');
    const y = next && tm === 12 ? ty + 1 : ty;
    const mo = next ? (tm % 12) + 1 : tm;
    push(m.index!, m.index! + m[0].length, y, mo, m[2] ? num(m[2]) : null);
  }
  for (const m of text.matchAll(/(今年|明年)(底|年底|年末)/g)) push(m.index!, m.index! + m[0].length, ty + (m[1] === '明年' ? 1 : 0), 12, 31);
  // 「7月20日到期」 with no year: the next such day from today.
  for (const m of text.matchAll(new RegExp(`(\\d{1,2}|${CN}{1,3})月(\\d{1,2}|${CN}{1,3})[日号]`, 'g'))) {
    const mo = num(m[1]);
    const d = num(m[2]);
    const y = iso(ty, mo, Math.min(d, 28)) < iso(ty, tm, td) && (mo < tm || (mo === tm && d < td)) ? ty + 1 : ty;
    push(m.index!, m.index! + m[0].length, y, mo, d);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The guarantee amount: a sum the text says is guaranteed (「担保额五百万」「500万的担保」「担保了八百万」). A sum of
 * something else — revenue, registered capital, a loan, a fee — is never taken for it, nor is an approximate sum
 * (「五百来万」), which a limit cannot be held against; the rules then ask for the amount.
 */
function readGuaranteeAmount(text: string): number | undefined {
  const guaranteed = moneyMentions(text).filter((m) => m.role === 'guarantee');
  const exact = guaranteed.filter((m) => !m.approximate);
  return exact.length && exact.length === guaranteed.length ? exact[0].yuan : undefined;
}

/** The guarantee's amount said to be undecided. */
const GUARANTEE_AMOUNT_OPEN = /担保(?:金额|额度|多少)[^，。；]{0,4}(?:还在谈|还没定|没定|未定|待定|不确定|还不知道|不好说)|(?:全额|全部)担[^，。；]{0,8}(?:也可能|或者|还是)[^，。；]{0,6}(?:一部分|部分)/;

/**
 * A reply to the fact the last answer asked for (「请问这笔担保的单户担保金额是多少？」 → 「三百万 百分之零点八」): an amount
 * said of nothing in particular fills the first amount asked for, when it is the reply's only such amount. Facts the reply
 * attaches to something (营收三亿) keep their own roles.
 */
export function answerToPending(input: string, facts: Facts, pending: readonly string[]): Facts {
  const wanted = pending.find((f) => f.endsWith('Yuan') && (facts as Record<string, unknown>)[f] === undefined);
  if (!wanted) return facts;
  const bare = moneyMentions(normalize(input)).filter((m) => m.role === 'other' && !m.approximate);
  return bare.length === 1 ? { ...facts, [wanted]: bare[0].yuan } : facts;
}

/**
 * What the reader takes from something said about another thing, to be stated with the answer: a guarantee for a loan
 * whose amount is given but not the guarantee's own (「贷款500万，担保公司给担保，费率0.8%」) is taken at the loan's amount.
 */
export function assumptionsIn(input: string, facts: Facts, aboutGuarantee = false): { facts: Facts; assumptions: Assumption[] } {
  const found = guaranteeAssumptions(normalize(input), facts, aboutGuarantee);
  // 「2024年11月20日发放的3年期流贷」: the due day worked out from the day the loan was made and its term is said as such.
  const { issuedOn, termMonths, dueDate } = found.facts;
  if (issuedOn !== undefined && termMonths !== undefined && dueDate === monthsBefore(issuedOn, -termMonths)) {
    const term = termMonths % 12 === 0 ? `${termMonths / 12}年` : `${termMonths}个月`;
    found.assumptions.unshift({ fact: 'dueDate', text: `到期日按${formatChineseDate(issuedOn)}放款、期限${term}计，为${formatChineseDate(dueDate)}`, derived: true });
  }
  return found;
}

/** (`aboutGuarantee`: the conversation is about a guarantee, so a follow-up need not say 担保 for its loan to be the one guaranteed.) */
function guaranteeAssumptions(text: string, facts: Facts, aboutGuarantee: boolean): { facts: Facts; assumptions: Assumption[] } {
  // 「担保三百万，一年收担保费2.4万」: the fee rate is the fee over the amount guaranteed, computed and said.
  if (facts.guaranteeAmountYuan !== undefined && facts.guaranteeRatePercent === undefined) {
    const fees = moneyMentions(text).filter((m) => m.role === 'fee' && !m.approximate);
    if (fees.length === 1) {
      const percent = Math.round((fees[0].yuan / facts.guaranteeAmountYuan) * 100 * 10000) / 10000;
      return {
        facts: { ...facts, guaranteeRatePercent: percent },
        assumptions: [{ fact: 'guaranteeRatePercent', text: `担保费率按担保费${formatYuan(fees[0].yuan)}÷担保金额${formatYuan(facts.guaranteeAmountYuan)}计，为${percent}%（按一年期计）` }],
      };
    }
  }
  if (facts.guaranteeAmountYuan !== undefined || (!aboutGuarantee && !/担保/.test(text))) return { facts, assumptions: [] };
  // 「担保金额还在谈，可能全额担也可能只担一部分」: the guarantee's amount is said to be open, so it is asked, not assumed.
  if (GUARANTEE_AMOUNT_OPEN.test(text)) return { facts, assumptions: [] };
  const mentions = moneyMentions(text);
  const loans = mentions.filter((m) => m.role === 'loan' && !m.approximate);
  if (loans.length !== 1 || mentions.some((m) => m.role === 'guarantee')) return { facts, assumptions: [] };
  return {
    facts: { ...facts, guaranteeAmountYuan: loans[0].yuan },
    assumptions: [{ fact: 'guaranteeAmountYuan', text: `按担保金额等于您说的贷款金额${formatYuan(loans[0].yuan)}计；若担保金额不同，请告诉我实际的担保金额` }],
  };
}

/**
 * Percentages in a text (1.3%、百分之四点六), each with where it stands; with `spoken`, also 千分之八 and 1个点 (a fee
 * rate is said so; 「高3个点」 beside a 不良率 is a difference, not a ratio).
 */
function percentMentions(text: string, spoken = false): Array<{ at: number; end: number; percent: number }> {
  const out: Array<{ at: number; end: number; percent: number }> = [];
  const push = (m: RegExpMatchArray, percent: number) => out.push({ at: m.index!, end: m.index! + m[0].length, percent });
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*%/g)) push(m, Number(m[1]));
  for (const m of text.matchAll(new RegExp(`百分之(\\d+(?:\\.\\d+)?|${CN}+(?:点${CN}+)?)`, 'g'))) push(m, chineseDecimal(m[1]));
  if (spoken) {
    for (const m of text.matchAll(new RegExp(`千分之(\\d+(?:\\.\\d+)?|${CN}+)`, 'g'))) push(m, chineseDecimal(m[1]) / 10);
    for (const m of text.matchAll(new RegExp(`(\\d+(?:\\.\\d+)?|${CN}+)个点`, 'g'))) push(m, chineseDecimal(m[1]));
  }
  return out.filter((r) => Number.isFinite(r.percent));
}

/**
 * A bank's non-performing loan ratios: the one said of all loans (各项贷款不良率1.3%、整体不良率) and the one said of
 * loans to private enterprises (民营企业贷款不良率3.8%、民营要是涨到4.6%呢), each by the label before it in its clause.
 */
function readNplRatios(text: string): Pick<Facts, 'allLoansNplPercent' | 'privateNplPercent'> {
  const out: Pick<Facts, 'allLoansNplPercent' | 'privateNplPercent'> = {};
  if (!/不良|各项|民营/.test(text)) return out;
  for (const p of percentMentions(text)) {
    const before = text.slice(Math.max(clauseStart(text, p.at), p.at - 14), p.at);
    const label = [...before.matchAll(/各项|全部贷款|整体|总体|全行|所有贷款|民营|民企|私营/g)].at(-1)?.[0];
    if (!label) continue;
    if (/民营|民企|私营/.test(label)) out.privateNplPercent = p.percent;
    else out.allLoansNplPercent = p.percent;
  }
  // 「各项要是1.3呢 民企还是4.5」: a ratio said right after its label without a 「%」 (a reply that changes one).
  for (const m of text.matchAll(/(各项|全行|民营|民企|私营)[^，。；;,\d]{0,5}?(\d{1,2}(?:\.\d+)?)(?![\d.%％万亿千百元年月日号个家户笔人天岁倍kKwW])/g)) {
    const fact = /民营|民企|私营/.test(m[1]) ? 'privateNplPercent' : 'allLoansNplPercent';
    out[fact] ??= Number(m[2]);
  }
  return out;
}

/** The guarantee fee rate in percent: 0.9%、百分之0.8、千分之八、1个点. */
function readRate(text: string): number | undefined {
  const valid = percentMentions(text, true);
  if (valid.length === 0) return undefined;
  // 「费率0.9%，补贴0.5%吗」: the rate is the figure next to 费率/保费, not the subsidy asked about.
  const feeWord = /费率|保费|担保费|收费|费用/g;
  const anchors = [...text.matchAll(feeWord)].map((m) => m.index!);
  // (「担保费补贴那0.5%」 is the subsidy's rate, never the fee rate: with only such figures the fee rate is unstated.)
  // (Nor a rate the asker wonders the policy might change to: 「补贴会不会涨到1%」.)
  // (Nor the policy's own figure the asker points at: 「省里那个0.5%的补贴」.)
  const pool = valid.filter((r) => !/补贴?.{0,2}$|(?:那个|这个|省里的?|政策(?:里|上)?的?)$|(?:涨到|降到|提高到|提到|调到|升到|变成|降至|提高至|调整为)$|不良率?[^，。；]{0,4}$/.test(text.slice(Math.max(0, r.at - 6), r.at)) && !/^的?(?:担保费|保费)?(?:补贴|补助)/.test(text.slice(r.end, r.end + 6)));
  if (pool.length === 0) return undefined;
  if (anchors.length === 0) return pool[0].percent;
  return pool.reduce((best, r) => {
    const distance = (x: number) => Math.min(...anchors.map((a) => Math.abs(x - a)));
    return distance(r.at) < distance(best.at) ? r : best;
  }).percent;
}

function chineseDecimal(text: string): number {
  if (/^\d/.test(text)) return Number(text);
  const [whole, fraction] = text.split('点');
  const integer = parseNumber(whole);
  if (!fraction) return integer;
  const digits = [...fraction].map((ch) => parseNumber(ch)).join('');
  return Number(`${integer}.${digits}`);
}

export function describeFact(name: FactName, facts: Facts): string {
  switch (name) {
    case 'size':
      return { micro_small: '小微企业', medium: '中型企业', large: '大型企业' }[facts.size!];
    case 'loanKind':
      return { working_capital: '流动资金贷款', fixed_asset: '固定资产贷款' }[facts.loanKind!];
    case 'dueDate':
      return facts.dueDatePrecision === 'month' ? formatChineseDate(facts.dueDate!).replace(/\d+日$/, '') + '（按月底计）' : formatChineseDate(facts.dueDate!);
    default:
      return String(facts[name]);
  }
}
