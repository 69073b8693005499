import { foldText } from '../understand/fold.ts';
import type { AskedTypes } from '../understand/lexicons.ts';
import { CHINESE_NUMERAL, moneyMentions, parseNumber } from '../rules/numbers.ts';
import { A_NOT_A, askingClause, EITHER_OR } from '../text/asking.ts';
import { countChars } from '../text/chars.ts';


/** A question asking whether something is required (要不要、必须…吗), not whether it is allowed. */
const ASKS_REQUIRED = /要不要|需不需要|需要不|用不用|必须|得.{0,8}吗|需要.{0,12}[吗么不]|需要.{0,24}[吗么不][?？]*$|要(?!求).{0,8}[吗么]|是否需要|是不是得|还得|非得|得单独|得先|是不是只能|只能.{0,10}[吗么]/;

/** A question that describes the asker's own case (我们是…, 我公司…, 俺们厂…): its yes or no is an eligibility ruling. */
const DESCRIBES_OWN_CASE = /(?:我们|俺们|咱们|我司|我行|本公司|本单位|(?:^|[，,。；\s])(?:我|俺|咱))(?:是|公司(?!的)|单位(?!的)|厂(?!的)|行|企业(?!的)|这边|这个|的)/;

/** A question asking whether something will happen (会不会, 会…吗, 是否会). */
const WILL = /会不会|是否会|会.{1,12}[吗么]|能不能被/;
/** Either-or verbs that ask whether one may, must or is (read by the polarity words), not whether something is done. */
const MODAL_VERBS = ['能', '可', '是', '有', '要', '行', '会', '得', '用', '需', '算', '中', '够', '对', '好', '成'];
/** Character pairs the asking clause (its 会不会 aside) must share with a rule that states the thing, to be about it. */
const WILL_SHARED_PAIRS = 3;

/** How many of a text's character pairs the other text holds. */
function sharedPairs(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i + 2 <= a.length; i++) if (/^[\u4e00-\u9fff]{2}$/.test(a.slice(i, i + 2)) && b.includes(a.slice(i, i + 2))) n++;
  return n;
}

/** A question asking whether something exists (有没有、有…吗). */
const ASKS_EXISTS = /有没有|有无|有.{0,12}[吗么]|有.{0,12}[不没]$/;

/**
 * The yes or no a quoted rule gives a yes/no question, from the words the rule
 * says it with (corpus/asked-types.json `polarity`): 「不得」「只能」 say no;
 * 「可以」「鼓励」 say yes to whether something is allowed, 「须」「应当」 to
 * whether it is required; a question that itself says 「只能」 or 「不用」 turns
 * the answer round. A rule that says both, or neither, settles nothing: null,
 * and the answer says the documents give no plain yes or no.
 */
export function verdictFromRule(question: string, rule: string, polarity: AskedTypes['polarity']): 'yes' | 'no' | null {
  // Whether the asker's own case qualifies (「我们是金融科技公司，能报吗」) is for the rules to decide, never for wording;
  // what everyone must (or need not) do is the same for the asker (「我们企业还得单独去财政局申请吗」: 不必).
  let text = withoutIgnored(foldText(ruleClause(question, rule, polarity)), polarity);
  // The clause that asks: whether it asks what is required is read there (「非得网上弄吗？能去窗口办不」 asks what is
  // allowed), and only it can turn the answer round.
  const asked = askingClause(foldText(question));
  // (What the rule says of two exclusive ways, 单选 or 免费, holds for every asker.)
  // 「能多选吗」 against 「申报方向（单选）」: the rule says one of two exclusive ways, the question asks about the other.
  for (const [a, b] of polarity.opposites) {
    for (const [said, other] of [[a, b], [b, a]]) {
      if (!text.includes(said) || text.includes(other)) continue;
      if (asked.includes(other) && !asked.includes(said)) return 'no';
      if (asked.includes(said) && !asked.includes(other)) return 'yes';
    }
  }
  if (DESCRIBES_OWN_CASE.test(foldText(question)) && !ASKS_REQUIRED.test(foldText(question))) return null;
  let no = false;
  for (const word of polarity.no) {
    if (!text.includes(word)) continue;
    no = true;
    text = text.split(word).join(' ');
  }
  // 「是不是非得去现场办」 against 「也可在…线下窗口办理」: one way among others is not a must. (In a run-on message the
  // asking clause holds the story too — 「我们不是给国家电网供货的…能不能走供应链金融」 — and only its last words ask.)
  const asks = asked.length > RUN_ON_CHARS ? asked.slice(-ASKING_TAIL_CHARS) : asked;
  const turned = polarity.turn.some((word) => asks.replace(EITHER_OR, ' ').includes(word));
  if (ASKS_REQUIRED.test(asked) && !no && polarity.optional.some((word) => text.includes(word)) && !polarity.require.some((word) => text.includes(word))) {
    // (「是不是只能在网上办」 asks whether one way is a must, as 「非得」 does: its 只能 turns nothing.)
    const turnedMust = polarity.turn.some((word) => !word.startsWith('只') && asks.replace(EITHER_OR, ' ').includes(word));
    return turnedMust ? 'yes' : 'no';
  }
  const yesWords = ASKS_REQUIRED.test(asked) ? polarity.require : polarity.permit;
  const yes = yesWords.some((word) => text.includes(word));
  // 「优秀案例会不会推给监管搞沙盒」 against 「择机将优秀案例报送相关监管部门，…进行“沙盒监管”」: asked whether something
  // will happen, a rule that states it, with no negation, says it will.
  // (What it asks about, the clause's last words — 沙盒 in 「搞沙盒啥的」, 奖金 in 「给奖金吗」 — must be among the rule's.)
  // So is an either-or of a verb the rule itself uses (「税务那边认不认这个修复结果」 against 「…实现信用修复结果互认」).
  const verb = new RegExp(A_NOT_A.source).exec(asked)?.[1];
  const statesVerb = verb !== undefined && !MODAL_VERBS.includes(verb) && text.includes(verb);
  if (!no && !yes && (WILL.test(asked) || statesVerb) && !/[不未无非没]/.test(text)) {
    const clause = asked.replace(WILL, ' ').replace(new RegExp(A_NOT_A.source, 'g'), ' ');
    const tail = (clause.replace(/(?:啥的|什么的|之类的|[吗么呢啊吧不没?？!！。\s])+$/, '').match(/[\u4e00-\u9fff]{1,4}$/)?.[0] ?? '');
    if (sharedPairs(clause, text) >= WILL_SHARED_PAIRS && sharedPairs(tail, text) > 0) return 'yes';
  }
  if (no === yes) return null;
  // (「我们不是电力行业的，…能拿去融资吗」 describes, then asks: its 不是 turns nothing.)
  return no !== turned ? 'no' : 'yes';
}

/** An asking clause longer than this is a run-on message whose story comes first; its last words ask. */
const RUN_ON_CHARS = 24;
const ASKING_TAIL_CHARS = 14;

/**
 * A rule without the clauses that only set a condition (「若额度评估结果不能满足企业贷款需求，」): their 不能 says when,
 * not what is allowed. The rule whole when every clause is one.
 */
function withoutConditions(rule: string): string {
  // (A clause that also says what follows — 「若抵押物不足可向担保机构申请担保增信」 — is kept.)
  const kept = rule.split(/(?<=[，；,;])/).filter((c) => !/^\s*(?:若|如果|倘若|假如|如若)/.test(c) || /可|须|应当|需要|必须/.test(c));
  return kept.join('').trim() ? kept.join('') : rule;
}

/**
 * The clause of a rule that says yes or no to what is asked, when its clauses say different things: 「若抵押物不足可向
 * 担保机构申请担保增信…，不必另行向财政部门提出申请」 permits the 增信 and spares the 申请. Of the clauses holding a word
 * of `polarity`, the one sharing most character pairs with the question's asking clause; the whole rule otherwise.
 */
function ruleClause(question: string, rule: string, polarity: AskedTypes['polarity']): string {
  const asked = askingClause(foldText(question));
  // (A question of what is required is answered by a clause that says what is or is not required; one of what is
  // allowed, by one that allows or forbids.)
  const words = ASKS_REQUIRED.test(asked)
    ? [...polarity.no, ...polarity.require, ...polarity.optional]
    : [...polarity.no, ...polarity.permit, ...polarity.opposites.flat()];
  const clauses = withoutConditions(rule).split(/(?<=[，；,;])/).filter((c) => c.trim());
  const polar = clauses.filter((c) => words.some((w) => withoutIgnored(foldText(c), polarity).includes(w)));
  if (polar.length === 1 && clauses.length > 1) return polar[0];
  if (polar.length < 2) return clauses.join('');
  const pairs = charPairs(asked);
  const ranked = polar.map((c) => ({ c, n: pairsIn(foldText(c), pairs) })).sort((a, b) => b.n - a.n);
  // (Only a clear choice: two clauses the question shares alike leave the rule whole.)
  return ranked[0].n > 0 && ranked[0].n > ranked[1].n ? ranked[0].c : rule;
}

/** The character pairs of a text. */
function charPairs(text: string): Set<string> {
  const pairs = new Set<string>();
  for (let i = 0; i + 2 <= text.length; i++) pairs.add(text.slice(i, i + 2));
  return pairs;
}

/** How many of a text's character pairs (counted where they stand) are among the given ones. */
function pairsIn(text: string, pairs: Set<string>): number {
  let n = 0;
  for (let i = 0; i + 2 <= text.length; i++) if (pairs.has(text.slice(i, i + 2))) n++;
  return n;
}

/** A rule's text without the words that hold a polarity word but say nothing (可复制性, 融资需求). */
function withoutIgnored(text: string, polarity: AskedTypes['polarity']): string {
  return polarity.ignore.reduce((rest, word) => rest.split(word).join(' '), text);
}

/**
 * The sentence of the quoted text a yes/no question is about: among the
 * sentences that say yes or no to anything (a word of `polarity`), the one that
 * shares most of its character pairs (「前面专业评审的分还带进去吗」 →
 * 「专业评审、网络投票分数不计入答辩评审环节」, not the sentence beside it that
 * only describes the 路演答辩).
 */
export function ruleSentence(question: string, claims: string[], polarity?: AskedTypes['polarity']): string | null {
  const pairs = charPairs(foldText(question));
  const sentences = claims.flatMap((claim) => claim.split(/(?<=[。；！？])/)).filter((sentence) => foldText(sentence).trim());
  const words = polarity ? [...polarity.no, ...polarity.permit, ...polarity.require, ...polarity.opposites.flat()] : [];
  const ruling = sentences.filter((sentence) => words.some((word) => withoutIgnored(foldText(sentence), polarity!).includes(word)));
  // A question of what is required (「是不是还得自己去财政局申请」) is ruled by a sentence that says what must or need not be
  // done (不必另行…申请、也可…办理), not by one that only permits or supports something.
  const musts = polarity && ASKS_REQUIRED.test(askingClause(foldText(question)))
    ? ruling.filter((sentence) => [...polarity.no, ...polarity.require, ...polarity.optional].some((word) => withoutIgnored(foldText(sentence), polarity).includes(word)))
    : [];
  let best: { text: string; shared: number } | null = null;
  for (const sentence of musts.length ? musts : ruling.length ? ruling : sentences) {
    const shared = pairsIn(foldText(sentence), pairs);
    if (!best || shared > best.shared) best = { text: sentence, shared };
  }
  return best?.text ?? null;
}

/** Head nouns too general to name a kind of applicant by themselves. */
const GENERIC_KINDS = /^(?:公司|机构|单位|企业|银行|部门|组织|主体)$/;
/** The longest label of a kind of applicant (监管科技实践单位) on its own line. */
const APPLICANT_KIND_MAX = 12;
/** Headings under which a document lists who may apply. */
const APPLICANT_FIELDS = /申报主体|参与主体|征集对象|申报对象|适用对象|申报单位/;

/**
 * 「金融科技公司能报不」「地方数据局这种政府部门也行？」 against a line of the list of who may apply (「金融科技公司：与持牌
 * 金融机构合作的技术服务商」「监管科技实践单位：如地方数据局、金融监管局…」): the kind asked about is listed, so it may — as a
 * kind. Never for the asker's own case (that is for the rules: other conditions may still deny it), nor for a question of
 * what is required.
 */
export function verdictFromListedApplicant(question: string, claims: Array<{ text: string; section: string }>): 'yes' | null {
  const asked = askingClause(foldText(question));
  // (「高校呢」 after 「金融科技公司能报不」 asks the same of another kind: a short follow-up carries the question's 能.)
  const carried = asked.length <= 8 && /呢[?？]*$/.test(asked);
  // (「我们是高校里的实验室，也行吧」 tells only its kind: the list of kinds decides. A case with dates or figures is for the rules.)
  const onlyItsKind = !/\d|[一二两三四五六七八九十百千万]+(?:年|月|个|家|万|亿|字)/.test(question);
  if ((DESCRIBES_OWN_CASE.test(foldText(question)) && !onlyItsKind) || ASKS_REQUIRED.test(asked) || !(/能|可以|行|可不可以|够格|有资格/.test(asked) || carried)) return null;
  for (const claim of claims) {
    if (!APPLICANT_FIELDS.test(claim.section)) continue;
    const text = foldText(claim.text);
    const colon = text.search(/[：:]/);
    // (A kind's own line, 「金融科技公司：…」; a sentence that sets conditions before its list, 「参与主体为辽宁省内注册的
    // 金融机构，包括但不限于：银行…」, says more than that a kind may apply.)
    if (colon < 2 || colon > APPLICANT_KIND_MAX) continue;
    const names = [text.slice(0, colon), ...text.slice(colon + 1).replace(/^如|等$|等[。；]?$/g, '').split(/[、，,；;。如]|等/)].map((n) => n.trim()).filter((n) => n.length >= 2 && n.length <= 12);
    if (names.some((n) => asked.includes(n))) return 'yes';
    // (A short follow-up names the kind by its head, 「高校呢」 for 「开展相关研究的高校」 — not by a generic one, 公司 or 机构.)
    const core = asked.replace(/[呢吗么吧啊?？!！。，,\s]+$/g, '').replace(/^(?:那|那么|还有)/, '');
    if (carried && core.length >= 2 && !GENERIC_KINDS.test(core) && names.some((n) => n.endsWith(core))) return 'yes';
  }
  return null;
}

/** Whether a yes/no question asks if something is required (要不要、是不是得…), which is the same for every asker. */
export function asksRequired(question: string): boolean {
  return ASKS_REQUIRED.test(foldText(question));
}

/**
 * The clause of a message that asks what everyone must do (「担保费补贴那个，是不是得我们自己去财政局递材料申请？要准备啥
 * 材料？」 → 「担保费补贴那个，是不是得我们自己去财政局递材料申请？」, with the clause before it that names the subject), or
 * the message when no single clause asks it.
 */
export function requiredClause(question: string): string {
  const clauses = question.split(/(?<=[？?！!。；;])/);
  const asking = clauses.filter((c) => ASKS_REQUIRED.test(foldText(c)));
  return asking.length === 1 ? asking[0] : question;
}

/** Whether a yes/no question asks if something exists (有没有高校做智库支持): finding it in the text is the yes. */
export function asksExistence(question: string): boolean {
  // The asking clause: 「手里有仓单，能拿去融资吗」 does not ask whether something exists.
  return ASKS_EXISTS.test(askingClause(foldText(question)));
}

/** What an answer to a yes/no question opens with when the quoted text gives no plain yes or no. */
export const NO_PLAIN_VERDICT = '原文没有直接给出“是”或“否”的说法，相关原文如下：';

/** Units a figure is compared in, each with the factor to a common base (万 → 万元). */
const UNITS: Record<string, { base: string; factor: number }> = {
  亿元: { base: '元', factor: 1e8 },
  亿: { base: '元', factor: 1e8 },
  万元: { base: '元', factor: 1e4 },
  万: { base: '元', factor: 1e4 },
  元: { base: '元', factor: 1 },
  天: { base: '天', factor: 1 },
  个工作日: { base: '天', factor: 1 },
  个月: { base: '月', factor: 1 },
  家: { base: '家', factor: 1 },
  字: { base: '字', factor: 1 },
  // 「注册31.5万户」「服务4万户次」: counts of enterprises served.
  万户: { base: '户', factor: 1e4 },
  户: { base: '户', factor: 1 },
  万户次: { base: '户次', factor: 1e4 },
  户次: { base: '户次', factor: 1 },
  // 「写了1.2k字」「两千字」「一万字」: thousands and ten-thousands of characters.
  k字: { base: '字', factor: 1e3 },
  千字: { base: '字', factor: 1e3 },
  w字: { base: '字', factor: 1e4 },
  万字: { base: '字', factor: 1e4 },
  // (A file's size in MB is held against a limit in KB: 「0.25M」 is 256KB against 「小于200kb」.)
  mb: { base: 'kb', factor: 1024 },
  m: { base: 'kb', factor: 1024 },
  兆: { base: 'kb', factor: 1024 },
  // 「450w」「3W」: 万 as people type it.
  w: { base: '元', factor: 1e4 },
  '%': { base: '%', factor: 1 },
  // A difference between two rates (高出2.5个百分点), not a rate: it is held only against a limit said the same way.
  个百分点: { base: 'pp', factor: 1 },
  kb: { base: 'kb', factor: 1 },
  // 「150k左右」 of a file.
  k: { base: 'kb', factor: 1 },
};
// (「6000多字」 is at least 6000; 「25个字」 counts 字 all the same.)
// (「零点二五兆」: a figure in words may have decimals; 兆 is how people say MB.)
const FIGURE = /(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟](?:[零一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]|点(?=[零一二三四五六七八九])){0,7})\s*(?:多|余)?\s*(?:个(?=字))?(k字|千字|w字|万字|万户次|万户|户次|户|亿元|亿|万元|万|元|个工作日|天|个月|家|字|mb|兆|m(?![a-z])|w(?![a-z])|kb|k(?![a-z])|%|个百分点)/gi;
/** A range of figures in one unit (「3000-5000字」): a floor and a ceiling together. */
const RANGE = /(\d+(?:\.\d+)?)\s*[-—–~～至到]\s*(\d+(?:\.\d+)?)\s*(万元|万|元|个工作日|天|个月|家|字|kb|%)/g;
/** A date (2023年1月, 2025年底, 2025年10月9日), to be held against a date a rule sets as a limit. */
const DATE = /(20\d\d)\s*年\s*(?:(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|(底))?/g;
/** Words after a date that make it the earliest allowed (2023年1月及之后) or the latest (2025年底前). */
const DATE_FLOOR_AFTER = /^(?:及之后|及以后|以后|之后|起)/;
const DATE_CEILING_AFTER = /^(?:前|之前|以前)/;
/** A date a rule sets as a limit, as it stands in the text. */
const DATE_LIMIT = /20\d\d\s*年\s*(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|底)?\s*(?:及之后|及以后|以后|之后|起|前|之前|以前)/;
/** Words before a figure that make it a ceiling (最高300万元, 不超过3家) or a floor (不少于3000字, 最快仅需3天). */
const CEILING_BEFORE = /(?:最高|最多|不超过|不高于|不得超过|上限为?|控制在|至多|(?<!不)小于|(?<!不)低于)[^，。；\d]{0,10}$/;
const CEILING_AFTER = /^(?:以下|以内|之内|内)/;
// (A target said as 「超40万户」「突破600亿元」 is a floor to reach.)
const FLOOR_BEFORE = /(?:最快|最少|最低|不少于|不低于|至少|满|(?<![不未得])超过?|突破)[^，。；\d]{0,10}$/;
const FLOOR_AFTER = /^(?:以上)/;
/** Words before a figure that make it the best case (最快仅需3天). */
const BEST_CASE_BEFORE = /最快[^，。；\d]{0,10}$/;

interface Limit {
  kind: 'ceiling' | 'floor' | 'range';
  value: number;
  /** A floor that is the best case, not a promise (「最快仅需3天」): reaching it is possible, never assured. */
  bestCase?: true;
  /** The top of a range. */
  max?: number;
  base: string;
}

function figures(text: string): Array<{ value: number; base: string; at: number; end: number }> {
  const folded = foldText(text);
  const amounts = [...folded.matchAll(FIGURE)].flatMap((m) => {
    const unit = UNITS[m[2].toLowerCase()];
    // 「两天」「一个月」「叁佰万」: a figure in words (大写 too) counts as its number.
    const number = /^\d/.test(m[1]) ? Number(m[1]) : parseNumber(m[1]);
    return !Number.isFinite(number) ? [] : [{ value: number * unit.factor, base: unit.base, at: m.index!, end: m.index! + m[0].length }];
  });
  return [...amounts, ...dates(folded)];
}

/**
 * Dates as yyyymmdd numbers (a month alone is its first day, 「年底」 the last day of the year), each in the base
 * of the event it dates (date:implement for 上线/实施, date:due for 到期, date:submit for 申报/报送, date:found
 * for 成立): a date is held only against a limit on the same event (「2026年3月报」 is not an implementation date).
 * A date whose event the words around it do not tell is left out.
 */
function dates(folded: string): Array<{ value: number; base: string; at: number; end: number }> {
  return [...folded.matchAll(DATE)].flatMap((m) => {
    const at = m.index!;
    const end = at + m[0].length;
    const event = DATE_EVENTS.find((e) => e.words.test(folded.slice(end, end + 8)) || e.before.test(folded.slice(Math.max(0, at - 8), at)));
    if (!event) return [];
    const year = Number(m[1]);
    const value = m[4] ? year * 10000 + 1231 : year * 10000 + (m[2] ? Number(m[2]) : 1) * 100 + (m[3] ? Number(m[3]) : 1);
    return [{ value, base: `date:${event.name}`, at, end }];
  });
}

/** The events a date can be of, by the words after it (「2022年10月上线」「2025年底前实施应用」) or before it (「实施时间为2023年1月」). */
const DATE_EVENTS = [
  { name: 'found', words: /^[^，。；\d]{0,3}(?:成立|注册|开业|创立|设立|开的)/, before: /(?:成立|注册)(?:时间|日期)?[为是于在]?$/ },
  { name: 'due', words: /^[^，。；\d]{0,3}到期/, before: /到期(?:时间|日)?[为是]?$/ },
  { name: 'implement', words: /^[^，。；\d]{0,4}(?:上线|落地|实施|应用|投产|运行|推出|投入使用)/, before: /(?:实施|上线|应用)(?:时间|日期)?[为是于在]?$/ },
  { name: 'submit', words: /^[^，。；\d]{0,3}(?:申报|报名|报送|提交|递交|报)/, before: /(?:申报|报送|提交)(?:时间|截止)?[为是于在：:]?$/ },
];

function limitsIn(rule: string): Limit[] {
  const text = foldText(rule);
  const ranged: Array<{ at: number; end: number }> = [];
  const ranges = [...text.matchAll(RANGE)].map((m): Limit => {
    ranged.push({ at: m.index!, end: m.index! + m[0].length });
    const unit = UNITS[m[3]];
    return { kind: 'range', value: Number(m[1]) * unit.factor, max: Number(m[2]) * unit.factor, base: unit.base };
  });
  const single = figures(rule)
    .filter((f) => !ranged.some((r) => f.at >= r.at && f.end <= r.end))
    .flatMap((f): Limit[] => {
      const before = text.slice(Math.max(0, f.at - 12), f.at);
      const after = text.slice(f.end, f.end + 3);
      if (f.base.startsWith('date:')) {
        // A month as a ceiling (「2025年10月前」) runs to its end.
        if (DATE_CEILING_AFTER.test(after)) return [{ kind: 'ceiling' as const, value: f.value % 100 === 1 && !/日/.test(text.slice(f.at, f.end)) ? f.value + 30 : f.value, base: f.base }];
        if (DATE_FLOOR_AFTER.test(after)) return [{ kind: 'floor' as const, value: f.value, base: f.base }];
        return [];
      }
      if (CEILING_BEFORE.test(before) || CEILING_AFTER.test(after)) return [{ kind: 'ceiling' as const, value: f.value, base: f.base }];
      if (FLOOR_BEFORE.test(before) || FLOOR_AFTER.test(after)) return [{ kind: 'floor' as const, value: f.value, base: f.base, ...(BEST_CASE_BEFORE.test(before) ? { bestCase: true as const } : {}) }];
      return [];
    });
  return [...ranges, ...single];
}

/**
 * Whether a stated figure meets a limit the quoted text sets in the same unit: 「能测到500万不」 against
 * 「最高可获得300万元」 is a no, 「写了5000字够不够」 against 「不少于3000字」 a yes. The verdict is always whether the
 * figure is within the rule, also when the question asks whether it goes over (「25个字超没超」: no, it does not meet the
 * 20字内; the answer's opening says so in the question's terms, see verdictLead). Only one figure of that unit in the
 * question and one limit of it in the quotes decide; anything else settles nothing (null).
 */
export function verdictFromLimits(question: string, quoted: string[]): 'yes' | 'no' | null {
  return limitComparison(question, quoted)?.verdict ?? null;
}

/**
 * A text quoted in a question that asks about a word limit (「案例名称我们拟的是“基于联邦学习技术在…的应用”，字数符合要求不」)
 * counted as the documents count 字数, so that it is held against the limit like a figure the asker gives: the quoted
 * text is replaced by 「24个字」. Anything else is returned as it is.
 */
export function withQuotedTextCounted(question: string): string {
  // 「今天在网上提交修复明天能修好不」: a day named after a start today is a number of days (明天 = 1天内).
  // (Only a day named after the start: 「明天上午就投标了…今天提交…明天能修好不」 holds one day, not two.)
  const start = STARTS_TODAY.exec(question);
  const from = start ? start.index + start[0].length : -1;
  const dated =
    from >= 0 ? question.slice(0, from) + question.slice(from).replace(/(?<!今)(大后天|后天|明天)/g, (day) => `${DAYS_FROM_TODAY[day]}天内`) : question;
  if (dated !== question) return withQuotedTextCounted(dated);
  // (Asked about its length — 字数、几个字、超没超 — not about a word in it: 「带银行名字行不行」.)
  if (!/字数|几个字|多少个?字|\d+字|字内|超没超|超了|超不超|超出|太长|长度|够不够/.test(question)) return question;
  return question.replace(/“([^“”]{2,300})”|"([^"]{2,300})"|「([^「」]{2,300})」/g, (_whole, a?: string, b?: string, c?: string) => `${countChars(a ?? b ?? c ?? '')}个字`);
}

/** A question that starts something today (今天提交、现在申请). */
const STARTS_TODAY = /(?:今天|今儿|现在|马上|当天)[^，。；？?]{0,10}(?:提交|申请|办理?|交|递|报)/;
const DAYS_FROM_TODAY: Record<string, number> = { 明天: 1, 后天: 2, 大后天: 3 };

/** How a figure the question states compares with the one quoted limit in its unit: the verdict, and by how much it misses. */
export interface LimitComparison {
  verdict: 'yes' | 'no' | null;
  /** For a single figure against a ceiling, floor or range in one unit: the figure, the limit (and a range's top) and the unit. */
  gap?: Gap;
  /** When the question gives parts and asks about their total: the total held against the limit, and how many parts. */
  sum?: { value: number; unit: string; parts: number };
  /**
   * A figure at or beyond a best case the text gives (「3天能修好不」 against 「最快仅需3天」): possible, not assured, so no
   * yes; the verdict is then null.
   */
  bestCase?: { value: number; fastest: number; unit: string };
}

/** A figure against one limit in its unit. */
export interface Gap {
  kind: 'ceiling' | 'floor' | 'range';
  value: number;
  /** The ceiling, the floor, or a range's bottom. */
  limit: number;
  /** A range's top. */
  max?: number;
  unit: string;
}

/**
 * How far a figure is from its limit, in words (each figure as `say` renders it): over or within a ceiling
 * (「超出200字的上限30字」「距200字的限额还有20字」), short of or above a floor (「距3000字的下限还差200字」), outside or
 * inside a range. `asked` words it for a question that asks the gap itself (差多少: 「比300万元的限额多200万元」).
 * Null when the figure sits exactly on the limit or inside a range and the gap is what was asked.
 */
export function gapRelation(gap: Gap, verdict: 'yes' | 'no' | null, asked: boolean, say: (n: number) => string): string | null {
  const L = say(gap.limit);
  if (gap.kind === 'ceiling') {
    const d = gap.value - gap.limit;
    if (d === 0) return asked ? null : `正好${L}`;
    if (d > 0) return asked ? `比${L}的限额多${say(d)}` : `${verdict === 'no' ? '超出' : '高于'}${L}的上限${say(d)}`;
    return asked ? `距${L}的限额还差${say(-d)}` : `距${L}的限额还有${say(-d)}`;
  }
  if (gap.kind === 'floor') {
    const d = gap.limit - gap.value;
    if (d === 0) return asked ? null : `正好${L}`;
    return d > 0 ? `距${L}的下限还差${say(d)}` : `比${L}的下限多${say(-d)}`;
  }
  if (gap.value < gap.limit) return `距${L}的下限还差${say(gap.limit - gap.value)}`;
  if (gap.value > gap.max!) return `超出${say(gap.max!)}的上限${say(gap.value - gap.max!)}`;
  return asked ? null : `在${L}至${say(gap.max!)}之间`;
}

/** How a base unit is said in an answer (a gap, a total). */
const UNIT_NAMES: Partial<Record<string, string>> = { 字: '字', 家: '家', 天: '天', 月: '个月', 元: '元', mb: 'MB', kb: 'KB', 户: '户', 户次: '户次' };

/** A question about the total of what it lists (总字数, 加起来, 一共). */
const ASKS_TOTAL = /总字数|总数|总共|一共|加起来|加一块|加在一起|合计|总计|总的|总体/;
/** A question about the word count of a text written in sections (正文字数、字数合规、篇幅够不够). */
const SECTION_WORDS = /字数|篇幅/;
/** A unit of another thing than the parts' (38页、3张、5个人). */
const OTHER_UNIT = /^\s*(?:页|张|份|个|人|项|年|岁|%|％|分)/;
/** One part of an enumeration: a figure, in digits or Chinese numerals, with its unit when said. */
const PART = new RegExp(`(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL.replace('点', '')}]{2,})\\s*(?:多|余)?\\s*(?:个(?=字))?(亿元|亿|万元|万|元|个工作日|天|个月|家|字|kb)?`, 'g');

/**
 * The total of the figures a question lists (「背景六百字、技术方案一千八、实施过程1200、量化成效一千、推广价值500」) when it
 * asks about their total: the unit said of one of them holds for the parts said without one. Null unless at least two
 * parts, one unit, and a question about the total.
 */
function summedFigures(question: string): { value: number; base: string; at: number; end: number; parts: number } | null {
  const text = foldText(question);
  // (A report's sections counted one by one — 「创新背景与目标1200字，技术方案架构一千六，实施过程与难点900…正文字数合规吗」 —
  // are parts of one text: its word count is their sum, asked as a total or not.)
  const sections = SECTION_WORDS.test(text);
  if (!ASKS_TOTAL.test(text) && !sections) return null;
  const parts = text
    .split(/[、，,；;。！!？?]/)
    // (A figure of another thing — 「验证报告有38页」 — is no part.)
    .map((segment) => [...segment.matchAll(PART)].filter((m) => (/\d|[十百千万亿]/.test(m[1]) || m[2]) && !(!m[2] && OTHER_UNIT.test(segment.slice(m.index! + m[0].length)))))
    .filter((ms) => ms.length === 1)
    .map(([m]) => ({ value: parseNumber(m[1]), unit: m[2] }));
  const units = [...new Set(parts.map((p) => p.unit).filter(Boolean))];
  if (parts.length < (ASKS_TOTAL.test(text) ? 2 : 3) || units.length !== 1 || parts.some((p) => !Number.isFinite(p.value))) return null;
  if (!ASKS_TOTAL.test(text) && units[0] !== '字') return null;
  const unit = UNITS[units[0]!];
  return { value: parts.reduce((sum, p) => sum + p.value * unit.factor, 0), base: unit.base, at: 0, end: 0, parts: parts.length };
}

export function limitComparison(question: string, quoted: string[]): LimitComparison | null {
  // 「背景六百字、技术方案一千八、实施过程1200…，总字数在要求范围内不」: the parts summed, held against the limit as one figure.
  const total = summedFigures(question);
  const stated = total ? [total] : figures(question);
  // (A target the province sets itself — 「力争2025年全省新增融资担保业务350亿元以上」 — is no limit on the asker's loan.)
  const limits = quoted.filter((q) => !TARGET.test(q)).flatMap(limitsIn);
  let bestCase: LimitComparison['bestCase'];
  // Every unit the question states a figure in must be decided; one figure over its limit is a no.
  const verdicts = [...new Set(stated.map((f) => f.base))].map((base) => {
    const mine = stated.filter((f) => f.base === base);
    const rules = limits.filter((l) => l.base === base);
    if (mine.length === 0 || rules.length !== 1) return null;
    const [limit] = rules;
    // Several figures against a ceiling (「4家单位…银行+两家科技公司」): the largest is the one that counts.
    if (mine.length > 1 && limit.kind !== 'ceiling') return null;
    const value = Math.max(...mine.map((f) => f.value));
    if (limit.kind === 'range') return mine.length === 1 && value >= limit.value && value <= limit.max! ? 'yes' : 'no';
    const meets = limit.kind === 'ceiling' ? value <= limit.value : value >= limit.value;
    if (meets && limit.bestCase) {
      bestCase = { value, fastest: limit.value, unit: UNIT_NAMES[base] ?? '' };
      return 'maybe';
    }
    return meets ? 'yes' : 'no';
  });
  if (!verdicts.includes('no') && bestCase) return { verdict: null, bestCase };
  const verdict = verdicts.includes('no') ? 'no' : verdicts.length > 0 && verdicts.every((v) => v === 'yes') ? 'yes' : null;
  if (verdict === null) return null;
  const totalUnit = total ? UNIT_NAMES[total.base] : undefined;
  if (total && totalUnit) return { verdict, sum: { value: total.value, unit: totalUnit, parts: total.parts } };
  // One figure in one unit against one ceiling or floor: how far it is from the limit (「230字，超出200字的上限30字」).
  const bases = [...new Set(stated.map((f) => f.base))];
  const gap = bases.length === 1 && !bases[0].startsWith('date') ? gapIn(bases[0], stated, limits) : null;
  return gap ? { verdict, gap } : { verdict };
}

/** The one figure stated in a unit against the one limit set in it, as a gap; null unless exactly one of each (and a named unit). */
function gapIn(base: string, stated: Array<{ value: number; base: string }>, limits: Limit[]): Gap | null {
  const mine = stated.filter((f) => f.base === base);
  const rules = limits.filter((l) => l.base === base);
  const unit = UNIT_NAMES[base];
  if (mine.length !== 1 || rules.length !== 1 || !unit) return null;
  const [rule] = rules;
  return { kind: rule.kind, value: mine[0].value, limit: rule.value, ...(rule.max !== undefined ? { max: rule.max } : {}), unit };
}

/** A sentence that sets a target rather than a rule (力争、争取). */
const TARGET = /力争|争取/;

/**
 * 「注册31.5万户、累计融资2650亿元，分别还差多少」 against 「超40万户…超4000亿元」: each figure the question states, one in its
 * unit, held against the one limit or target the quotes set in that unit. Empty when no unit has exactly one of each.
 */
export function limitGaps(question: string, quoted: string[]): Gap[] {
  const stated = figures(question).filter((f) => !f.base.startsWith('date'));
  const limits = quoted.flatMap(limitsIn);
  return [...new Set(stated.map((f) => f.base))].flatMap((base) => gapIn(base, stated, limits) ?? []);
}

/**
 * A no when the asker says where they are registered and the quoted rule admits only entities registered in one
 * province (「本次征集活动的参与主体为辽宁省内注册的金融机构」): 「我们是长春注册的城商行」, or 「在辽宁没有注册」.
 * Only the no is decided here: being registered in the province is one condition among others (what kind of entity).
 * `places` are the place names known (cities and provinces, folded), each with its province.
 */
export function verdictFromRegistration(question: string, quoted: string[], places: Array<{ name: string; province: string }>): 'no' | null {
  const rule = quoted.map(foldText).join(' ');
  const asked = foldText(question);
  // 「外省注册的银行」「省外注册的」: registered outside the province the rule requires.
  if (/省内注册/.test(rule) && /(?:外省|省外|外地|其他省|别的省)[^，。；,;]{0,4}注册/.test(asked)) return 'no';
  const required = [...new Set(places.map((p) => p.province))].find((province) => rule.includes(`${province}省内注册`));
  if (!required) return null;
  for (const { name, province } of places) {
    for (let at = asked.indexOf(name); at >= 0; at = asked.indexOf(name, at + 1)) {
      const after = asked.slice(at + name.length, at + name.length + 8);
      const m = /^[^，。；,;]{0,4}?(没有|没|未|不是|不在)?[^，。；,;]{0,2}?注册/.exec(after);
      if (!m) continue;
      if (m[1] ? province === required : province !== required) return 'no';
    }
  }
  return null;
}

/** A rule that a name must not carry names of some kinds (「名称中不应包含企业、品牌、产品等名称信息」): the kinds. */
const NAME_BAN = /名称中?(?:不应|不得|不能|不要|禁止|不可)(?:包含|含有?|出现|带有?)([^。；，]*?)(?:等)?名称/;
/** What makes a proposed name carry an organisation's name: a company's suffix, or a bank's own name (not 手机银行; 「XX银行」 holds a place for one). */
const ORGANISATION_IN_NAME = /公司|集团|有限|股份|农商行|城商行|村镇银行|信用社|支行|分行|(?:[A-Za-z]{1,8}|[\u4e00-\u9fff]{2}(?<!手机|网上|网络|数字|直销|开放|移动|电子|智慧|智能|商业|政策|民营|外资|中小))银行/;

/**
 * A no when the name a question proposes (between its first and last quotation mark) carries what the quoted rule
 * says a name must not: an organisation's name (「鑫达银行…」) or a brand or product quoted inside it (「…“快e贷”…」),
 * whatever its length. Null otherwise (a name without them is not thereby allowed: the rule may ban other things).
 */
/** Whether the quotes hold a rule on what a name must not carry and the question asks about a name. */
export function asksAboutBannedName(question: string, quoted: string[]): boolean {
  // (「能带我们产品名不」「带银行名字行不行」 ask whether a banned kind of name may be carried: the rule's 「不应」 answers that.)
  const asksOfKind = /(?:带|包含|含|加上?|放|写上?|出现|用)[^，。；？?]{0,6}(?:产品|品牌|企业|公司|行名|银行|单位|机构|商标)/.test(question);
  return NAME_BAN.test(quoted.map(foldText).join(' ')) && /名称|名字|起名|叫/.test(question) && !asksOfKind;
}

export function nameContentFinding(question: string, quoted: string[]): { verdict: 'no'; carries: string; kind: string } | null {
  const ban = NAME_BAN.exec(quoted.map(foldText).join(' '));
  if (!ban) return null;
  const first = question.search(/[“"「]/);
  const last = Math.max(question.lastIndexOf('”'), question.lastIndexOf('"'), question.lastIndexOf('」'));
  if (first < 0 || last <= first + 1) return null;
  const name = question.slice(first + 1, last);
  const organisation = /企业|单位|机构|公司/.test(ban[1]) ? ORGANISATION_IN_NAME.exec(name) : null;
  if (organisation) return { verdict: 'no', carries: name.slice(0, organisation.index + organisation[0].length).replace(/^.*[“"「”"」]/, ''), kind: '单位名称' };
  const brand = /品牌|产品/.test(ban[1]) ? /[“"「]([^“”"「」]{1,20})[”"」]/.exec(name) : null;
  if (brand) return { verdict: 'no', carries: brand[1], kind: '品牌或产品名称' };
  return null;
}

/** A rule's pixel range (「像素介于400*400-1500*1500之间」). */
const PIXEL_RANGE = /像素[^，。；\d]{0,6}(\d+)\s*[*×xX]\s*(\d+)\s*[-—–~～至到]\s*(\d+)\s*[*×xX]\s*(\d+)/;
/** An image's size as an asker states it (「300乘300」「3000×3000」「1000*800像素」). */
const DIMENSIONS = new RegExp(`(\\d+|[${CHINESE_NUMERAL}]{1,6})\\s*(?:[*×xX]|乘以?)\\s*(\\d+|[${CHINESE_NUMERAL}]{1,6})`);
/** A scaling said of it (「按比例缩到三分之一」「缩小一半」「放大两倍」). */
const SCALED = /缩(?:小)?(?:到|成|为)?(?:原来的)?([一二三四五六七八九十两]|\d+)分之([一二三四五六七八九十]|\d+)|缩(?:小)?(?:到|成)?一半|放大(?:到)?([一二三四五两]|\d+)倍/;

/**
 * Whether an image the asker describes fits the pixel range the quoted rule sets (「像素介于400*400-1500*1500之间」):
 * 「300乘300」 is a no, 「原图3000×3000，按比例缩到三分之一」 (1000×1000) a yes, with the size it held. Null unless both are said.
 */
export function pixelFinding(question: string, quoted: string[]): { verdict: 'yes' | 'no'; said: string } | null {
  const rule = PIXEL_RANGE.exec(quoted.map(foldText).join(' '));
  const size = DIMENSIONS.exec(foldText(question));
  if (!rule || !size) return null;
  const [minW, minH, maxW, maxH] = rule.slice(1, 5).map(Number);
  let [w, h] = [parseNumber(size[1]), parseNumber(size[2])];
  if (!Number.isFinite(w) || !Number.isFinite(h)) return null;
  const scale = SCALED.exec(foldText(question).slice(size.index));
  if (scale) {
    // (「三分之一」 is written 分母分之分子: ⅓ of each side.)
    const factor = scale[1] ? parseNumber(scale[2]) / parseNumber(scale[1]) : scale[3] ? parseNumber(scale[3]) : 0.5;
    [w, h] = [Math.round(w * factor), Math.round(h * factor)];
  }
  const fits = w >= minW && h >= minH && w <= maxW && h <= maxH;
  return { verdict: fits ? 'yes' : 'no', said: `按${w}×${h}像素计，${fits ? '在' : '不在'}${minW}×${minH}至${maxW}×${maxH}之间。` };
}

/** File formats a rule can require and an asker can state. */
const FORMAT_NAMES = String.raw`\b(jpe?g|png|gif|bmp|tiff?|pdf|docx?|word|wps|xlsx?|excel|pptx?|ofd)\b`;
const FILE_FORMAT = new RegExp(FORMAT_NAMES, 'gi');
/** A format a rule requires: its name followed by 格式, 形式, 文件 or 版 (「JPG格式」「Word形式」). */
const REQUIRED_FORMAT = new RegExp(String.raw`${FORMAT_NAMES}\s*(?:格式|形式|文件|版)`, 'gi');
const FORMAT_FAMILY: Record<string, string> = { jpeg: 'jpg', doc: 'word', docx: 'word', xls: 'excel', xlsx: 'excel', tif: 'tiff', pptx: 'ppt' };

/**
 * A no when the asker's file is in a format the quoted rule does not allow (「PNG的，150kb」 against
 * 「JPG格式，图样文件大小小于200kb」): the size being within its limit does not make a PNG a JPG. Null otherwise.
 */
export function verdictFromFormats(question: string, quoted: string[]): 'no' | null {
  return formatFinding(question, quoted)?.verdict ?? null;
}

/** A format the question gives that the rule does not allow, said (「格式为PNG，要求JPG格式。」); null otherwise. */
export function formatFinding(question: string, quoted: string[]): { verdict: 'no'; said: string } | null {
  const formats = (texts: string[], re: RegExp) =>
    new Set(texts.flatMap((text) => [...foldText(text).matchAll(re)].map((m) => FORMAT_FAMILY[m[1].toLowerCase()] ?? m[1].toLowerCase())));
  const stated = formats([question], FILE_FORMAT);
  if (stated.size === 0) return null;
  // Only formats the rule requires (「JPG格式」「Word形式」), not any it mentions.
  const required = formats(quoted, REQUIRED_FORMAT);
  if (required.size === 0) return null;
  const wrong = [...stated].filter((f) => !required.has(f));
  if (wrong.length === 0) return null;
  const name = (f: string) => f.toUpperCase();
  return { verdict: 'no', said: `格式为${wrong.map(name).join('、')}，要求${[...required].map(name).join('或')}格式。` };
}

/** Whether the question states a figure in a unit the quotes set a limit in (then wording alone must not decide). */
export function facesLimit(question: string, quoted: string[]): boolean {
  const bases = new Set(figures(question).map((f) => f.base));
  return quoted.flatMap(limitsIn).some((l) => bases.has(l.base));
}

/** 「没固定经营场所」: a negation right before a required item. */
const LACKS = /(?:没有|没|无|不具备|不满足|不符合|未)$/;
/** The items of a rule's list of conditions: 「满足5项标准（合规持续经营、固定经营场所…）」「须同时具备：A、B」. */
const CONDITIONS = /(?:标准|条件|要求)[^（(：:]{0,8}[（(：:]([^）)。]+)/;
/** A lead that makes every line under it a condition: 「必须满足以下全部条件」「须同时满足下列条件」. */
const ALL_OF = /(?:必须|须|应当?)(?:同时)?(?:满足|具备|符合)(?:以下|下列)?(?:全部|所有|各项)?(?:条件|要求)/;

/**
 * A no when the asker says their case lacks one of the conditions a quoted rule lists
 * (「没固定经营场所，能进申报清单吗」 against 「满足5项标准（…固定经营场所…）」); null otherwise.
 */
/**
 * The listed conditions of a quoted rule (「满足5项标准（合规持续经营、固定经营场所、真实融资需求、信用状况良好、贷款用途依法合规）」)
 * held against what the question says it has: every one said → yes; some said and none lacking → the ones still to meet.
 * (One said to be lacking is a no: verdictFromConditions.) An item is said when the question holds at least two of its
 * character pairs (「合规经营」 for 合规持续经营, 「真有融资需求」 for 真实融资需求). Null when it says none.
 */
export function conditionsMet(question: string, quoted: string[]): { verdict: 'yes' } | { verdict: 'conditional'; missing: string[] } | null {
  const asked = foldText(question);
  for (const text of quoted) {
    const m = CONDITIONS.exec(foldText(text));
    if (!m) continue;
    const items = m[1].split(/[、，,；;]/).map((s) => s.trim()).filter((s) => s.length >= 2);
    if (items.length < 2) continue;
    // (Said as lacking or poor — 「信用状况一般」「用途不太合规」 — an item is not met: the clause that says it must hold no
    // negation or hedge.)
    const clauses = asked.split(/[，,。；;、？?！!]/);
    const said = items.filter((item) =>
      clauses.some((clause) => sharedPairs(item, clause) >= Math.min(2, item.length - 1) && !/[不没未无差欠]|一般|凑合|有问题|有瑕疵/.test(clause)),
    );
    if (said.length === 0) continue;
    const missing = items.filter((item) => !said.includes(item));
    return missing.length ? { verdict: 'conditional', missing } : { verdict: 'yes' };
  }
  return null;
}

export function verdictFromConditions(question: string, quoted: string[]): 'no' | null {
  const asked = foldText(question);
  const lacks = (items: string[]) =>
    items.some((item) =>
      // The item, its last four characters (「经营场所」) or, for a labelled item, its last three (「合作方」), right after a negation.
      [...new Set([item, item.slice(-4), item.slice(-3)])].some((form) => {
        const at = asked.indexOf(form);
        return form.length >= 3 && at > 0 && LACKS.test(asked.slice(Math.max(0, at - 4), at));
      }),
    );
  for (const [i, text] of quoted.entries()) {
    const folded = foldText(text);
    const m = CONDITIONS.exec(folded);
    if (m) {
      const items = m[1].split(/[、，,；;]/).map((s) => s.trim()).filter((s) => s.length >= 2);
      if (items.length >= 2 && lacks(items)) return 'no';
    }
    // 「必须满足以下全部条件」 over labelled lines (「★上海本地必有深度合作方：…」): each label is a condition.
    if (ALL_OF.test(folded)) {
      const labels = quoted.slice(i + 1).map((line) => foldText(line).match(/^[\s★☆\d.、（）()]*([^：:，。]{3,16})[：:]/)?.[1]).filter((l): l is string => !!l);
      if (labels.length >= 2 && lacks(labels)) return 'no';
    }
  }
  return null;
}

/**
 * The kind of value a yes/no question's own figure is (「能测出200万不」 asks about an amount) and a pattern for
 * a limit stated in the same unit (最高300万元 for 万); null without a figure.
 */
export function statedFigure(question: string): { kind: 'amount' | 'period' | 'format' | 'date'; pattern: RegExp } | null {
  // A sum said of something else than what is asked (「注册资本五百万」「营收3亿」) is context, not the figure in question.
  const folded = foldText(question);
  const context = moneyMentions(folded).filter((m) => m.role === 'revenue' || m.role === 'capital');
  const stated = figures(question).filter((f) => !context.some((m) => f.at >= m.start && f.at < m.end));
  // A date stated (「2022年10月上线的」) is held against a date limit (「2023年1月及之后」「2025年底前」); an amount comes first.
  const [first] = stated.filter((f) => !f.base.startsWith('date:'));
  if (!first && stated.some((f) => f.base !== 'date:found')) return { kind: 'date', pattern: DATE_LIMIT };
  if (!first) return null;
  const units = Object.entries(UNITS)
    .filter(([, u]) => u.base === first.base)
    .map(([name]) => name.replace(/[%]/g, '\\$&'))
    .sort((a, b) => b.length - a.length);
  // A limit in that unit (最高300万元, 不超过3家, 不少于3000字, 3000字以上), not any figure of it (4000亿元, 40万户).
  const figure = `(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十]{1,3})\\s*(?:${units.join('|')})(?![户家人次个])`;
  const pattern = new RegExp(
    `(?:最高|最多|不超过|不高于|不得超过|上限为?|控制在|至多|最快|最少|最低|不少于|不低于|至少)[^，。；\\d]{0,6}${figure}|${figure}\\s*(?:以下|以内|之内|以上)`,
    'i',
  );
  const kind = first.base === '天' || first.base === '月' ? 'period' : first.base === '字' || first.base === 'mb' || first.base === 'kb' ? 'format' : 'amount';
  return { kind, pattern };
}

/** A question whether a statement it quotes or paraphrases is right (准确吗、对不对、是真的吗、没错吧). */
const CHECKS_CLAIM = /准确吗|准确不|准不准确|对吗|对不对|对不|没错吧|没写错吧|有没有写错|是真的吗|真的假的|是不是真的|属实|是这样吗|是这么写的吗|说得对吗/;
/** A figure with a unit a claim may misstate (3个百分点、5个工作日、12种、300万元). */
const CLAIM_FIGURE = new RegExp(`(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL.replace('点', '')}]+)\\s*(个百分点|个工作日|工作日|个月|分钟|小时|天|万元|亿元|万户|户次|户|家|种|条|项|场|%)`, 'g');

/**
 * A figure a claim the question checks gives (「稿子里写的是…2个百分点，准确吗」) where the quoted text gives another in the
 * same unit (3个百分点), and never the claim's: the claim misstates it. Null when the question checks no claim, or every
 * unit it uses is either absent from the quotes or given there with the claim's figure too.
 */
export function misquotedFigure(question: string, quoted: string[]): { claimed: string; quoted: string } | null {
  const text = foldText(question);
  if (!CHECKS_CLAIM.test(text)) return null;
  const figuresIn = (s: string) =>
    [...foldText(s).matchAll(CLAIM_FIGURE)].map((m) => ({ value: parseNumber(m[1]), unit: m[2].replace(/^个(?=工作日)/, ''), said: m[0] })).filter((f) => Number.isFinite(f.value));
  const inQuotes = quoted.flatMap(figuresIn);
  for (const claimed of figuresIn(text)) {
    const same = inQuotes.filter((q) => q.unit === claimed.unit);
    if (same.length === 0 || same.some((q) => q.value === claimed.value)) continue;
    return { claimed: claimed.said, quoted: same[0].said };
  }
  return null;
}
