import type { Corpus } from '../corpus/corpus.ts';
import { askingClause, ASKS_STILL_OPEN } from '../text/asking.ts';
import { RELATIVE_YEARS } from '../rules/facts.ts';
import { formatChineseDate } from '../text/dates.ts';
import { parseNumber } from '../rules/numbers.ts';
import { monthsBefore } from '../rules/language.ts';
import { quoteAt, type Quote } from '../corpus/quotes.ts';
import { AI_DENIED, clauseFrom, EVIDENCE_DENIED, NO_WORK_THEN, orgTypeWords, QUANTIFIED, readCase, SHANGHAI_PARTNER_DENIED, type CaseFacts } from './case-facts.ts';
import { catalogueNames, checkRule, ruleFacts, ruleText, trackNames, type Campaign, type CampaignRule, type CaseFactName } from './catalogue.ts';

/** What a campaign's rules say about the facts one question states. */
export interface EligibilityFinding {
  campaignId: string;
  /**
   * no: a stated fact fails a rule. yes: every rule that applies is met by a stated fact (or by the declaration the
   * application requires anyway, said as an assumption), or the question asks about one condition by name and it is
   * met. conditional: the stated facts meet the rules they touch, and other rules still wait for facts not given.
   */
  verdict: 'yes' | 'no' | 'conditional';
  /** The rules that decided, with the quotes they rest on (the failing ones for a no, the met ones otherwise). */
  rules: Array<{ id: string; facts: string[]; quote: Quote }>;
  /** Rules still waiting for a fact (a conditional yes): their quotes and what to ask. */
  open: Array<{ id: string; quote: Quote; ask: string | null }>;
  /** Rules taken as met on the declaration the application requires (近两年内无重大不良诚信记录…), said as assumptions. */
  assumed: Array<{ id: string; quote: Quote }>;
  /** Rules of the campaign the question says nothing about (left to the applicant). */
  unchecked: number;
  /** How a deciding fact was read, said beside the verdict (「前年」 counted from today as 2024年). */
  readings?: string[];
}

/**
 * Facts a chat question can state plainly enough to be held against a rule. Years of work (every year a question
 * mentions, 「2025年没新动作」 included), quantified evidence (any figure) and a Shanghai partner assumed absent are read
 * loosely for ranking case descriptions; in a question they are taken only when said outright (see `statedFacts`).
 */
const STATED_IN_A_QUESTION: ReadonlySet<string> = new Set<CaseFactName>([
  'orgType',
  'applicantRegion',
  'caseRegions',
  'foundedOn',
  'implementedOn',
  'jointApplicants',
  'integrityIssue',
  'seriousViolation',
  'frontierTech',
  'inUse',
  'validatedInBusiness',
  'branchOrSubsidiary',
  'licensedPartner',
  'shanghaiResources',
  'shanghaiValue',
]);

/**
 * Campaign eligibility asked in the chat (「我们公司2022年3月注册的，点数成金经营年限够不够」「吉林注册的城商行能报金融兴辽吗」):
 * the question is read as a case (the same reader the track recommendation uses), and the campaign's rules (those of
 * the campaign, and those of a track only when the question names that track) are held against the facts it states.
 * A rule the question says nothing about is not assumed either way: it is named as a condition still to check.
 */
export class CampaignEligibility {
  /** The campaigns' and tracks' names, which the case reader reads no place from. */
  private readonly names: string[];

  constructor(
    private readonly corpus: Corpus,
    private readonly campaigns: Campaign[],
    private readonly today: () => string,
  ) {
    this.names = catalogueNames(campaigns);
  }

  /**
   * The finding for the campaign of one of the documents, or null when the question states no fact a rule tests. A
   * campaign whose window has closed says so beside any verdict (and is the no itself when that is what is asked).
   */
  check(question: string, docIds: string[], subjectNames: string[] = []): EligibilityFinding | null {
    const campaign = this.campaigns.find((c) => docIds.includes(c.docId));
    if (!campaign) return null;
    const closed = this.closedNote(campaign);
    const found = this.findings(campaign, question, subjectNames, closed);
    if (!found || !closed || found.rules.some((r) => r.id === `${campaign.id}-window`)) return found;
    return { ...found, readings: [...(found.readings ?? []), closed] };
  }

  /** 「按今天（…）计，报名已于…截止」 for a campaign whose window has closed, else null. */
  private closedNote(campaign: Campaign): string | null {
    const closes = campaign.window?.closes;
    return closes !== undefined && closes < this.today() ? `按今天（${formatChineseDate(this.today())}）计，报名已于${formatChineseDate(closes)}截止` : null;
  }

  private findings(campaign: Campaign, question: string, subjectNames: string[], closed: string | null): EligibilityFinding | null {
    const facts = statedFacts(question, readCase(question, this.campaigns.flatMap((c) => c.aliases), this.today(), this.names), this.today());
    const text = question.replace(/\s+/g, '');
    const named = new Set(
      campaign.tracks.filter((t) => trackNames(t).some((a) => text.includes(a) || subjectNames.includes(a))).map((t) => t.id),
    );
    const applicable = campaign.rules.filter((r) => !r.tracks || r.tracks.some((t) => named.has(t)));
    // Only what the question states: a rule's value for an unstated fact (whenUnstated) is no fact of this asker's.
    const all = applicable.map((rule) => ({
      rule,
      verdict: ruleFacts(rule).some((f) => STATED_IN_A_QUESTION.has(f) || f in facts.said) ? checkRule(campaign, rule, facts, true) : ('unknown' as const),
    }));
    // 「现在还能报名不」: asked whether it is still open, the window answers — a closed one is a no, whatever else holds.
    if (closed && ASKS_STILL_OPEN.test(question.replace(/\s+/g, '')) && !all.some((v) => v.verdict === 'fail')) {
      const quote = campaign.quote(campaign.window!.quote);
      return {
        campaignId: campaign.id,
        verdict: 'no',
        rules: [{ id: `${campaign.id}-window`, facts: ['windowCloses'], quote }],
        open: [],
        assumed: [],
        unchecked: 0,
        readings: [closed],
      };
    }
    const verdicts = all.filter((v) => v.verdict !== 'unknown');
    if (verdicts.length === 0) return this.undecided(campaign, all, facts);
    const failed = verdicts.filter((v) => v.verdict === 'fail');
    // A year said as 前年/去年/今年 is counted from today; when a rule on the case's year decides, that reading is said.
    const readings = (decided: typeof all) =>
      facts.relativeYears.length && decided.some(({ rule }) => ruleFacts(rule).includes('workYears'))
        ? { readings: facts.relativeYears.map(({ word, year }) => `“${word}”按今天（${formatChineseDate(this.today())}）计为${year}年；如指的不是这一年，请告诉我具体年份`) }
        : {};
    const quoted = (list: typeof all) => list.map(({ rule, verdict }) => ({ id: rule.id, facts: ruleFacts(rule), quote: this.quoteFor(campaign, rule, verdict, facts) }));
    if (failed.length) {
      // A count over its bound is said with the count and by how much (「按5家计，超出3家的上限2家」).
      const counts = failed.flatMap(({ rule }) => [...countOver(rule, facts, text), ...yearsFrom(campaign, rule, facts)]);
      const read = readings(failed).readings ?? [];
      const notes = [...counts, ...read];
      return { campaignId: campaign.id, verdict: 'no', rules: quoted(failed), open: [], assumed: [], unchecked: applicable.length - failed.length, ...(notes.length ? { readings: notes } : {}) };
    }
    const open = all.filter((v) => v.verdict === 'unknown' && !v.rule.grants);
    // A declaration the application requires of everyone (无重大不良诚信记录) is taken, and said, when not stated.
    const assumed = open.filter((v) => v.rule.whenUnstated && checkRule(campaign, v.rule, facts) === 'pass');
    const waiting = open.filter((v) => !assumed.includes(v));
    const met = verdicts.filter((v) => v.verdict === 'pass');
    // (Asked in the clause that asks — 「…23年就上线了，…我们这种公司能报不」 asks about the kind, not the date — and only
    // when no rule still open turns on the same fact: a technology company's kind is met only with a licensed partner.)
    // (A clause that asks of no condition by name — 「…一共三家，数量上超没超？」 — asks of what the question told.)
    // (Spaces part a chat's fragments as commas do: 「24年就上线了 没啥违规 能报不」 asks 「能报不」.) A clause that asks
    // only whether the applicant may take part (「能报不」「eligible吗」) asks of every condition, none by name.
    const clause = askingClause(question.trim().replace(/\s+/g, '，')).replace(/\s+/g, '');
    const namesCondition = ASKS_OF_KIND.test(clause) || Object.values(ASKED_ABOUT).some((re) => re?.test(clause));
    const asking = namesCondition ? clause : ASKS_WHOLE.test(clause) ? '' : text;
    const openFacts = new Set(waiting.flatMap((v) => ruleFacts(v.rule)));
    const asked = met.filter((v) => ruleFacts(v.rule).some((f) => ASKED_ABOUT[f]?.test(asking) && !openFacts.has(f)));
    const base = { campaignId: campaign.id, assumed: assumed.map(({ rule }) => ({ id: rule.id, quote: campaign.quote(rule.quote) })) };
    if (waiting.length === 0) return { ...base, verdict: 'yes', rules: quoted(met), open: [], unchecked: 0, ...readings(met) };
    // 「经营年限够不够」: a condition asked about by name, and met, is a yes on that condition (the others are named after it).
    if (asked.length) return { ...base, verdict: 'yes', rules: quoted(asked), open: [], assumed: [], unchecked: applicable.length - asked.length, ...readings(asked) };
    return {
      ...base,
      verdict: 'conditional',
      rules: quoted(met),
      open: waiting.map(({ rule }) => ({ id: rule.id, quote: campaign.quote(rule.quote), ask: rule.ask ? ruleText(campaign, rule, rule.ask) : null })),
      unchecked: waiting.length,
      ...readings(met),
    };
  }

  /**
   * 「我们公司是2024年成立的，经营年限够不够」: a fact the question states that leaves its rule undecided (a year, where the
   * rule's bound falls inside it) is a yes on that condition, with the bound said and the fact that settles it asked —
   * not a decline. Null when the question states no such fact.
   */
  private undecided(campaign: Campaign, all: Array<{ rule: CampaignRule; verdict: string }>, facts: CaseFacts): EligibilityFinding | null {
    const spans = facts.spans ?? {};
    const pending = all.filter(({ rule, verdict }) => verdict === 'unknown' && !rule.grants && ruleFacts(rule).some((f) => f in spans));
    if (pending.length === 0) return null;
    const bounds = pending.flatMap(({ rule }) => boundOf(campaign, rule, facts));
    return {
      campaignId: campaign.id,
      verdict: 'conditional',
      rules: [],
      open: pending.map(({ rule }) => ({ id: rule.id, quote: campaign.quote(rule.quote), ask: rule.ask ? ruleText(campaign, rule, rule.ask) : null })),
      assumed: [],
      unchecked: pending.length,
      ...(bounds.length ? { readings: bounds } : {}),
    };
  }

  /**
   * The rule's quote; for a kind of applicant that is allowed, the line of the rule's list that names that kind
   * (「学术研究机构：开展相关研究的高校、科研院所、实验室等」 for a university lab), when the rule's quote is one line of such a list.
   */
  private quoteFor(campaign: Campaign, rule: CampaignRule, verdict: string, facts: CaseFacts): Quote {
    const quote = campaign.quote(rule.quote);
    if (!ruleFacts(rule).includes('orgType') || verdict !== 'pass' || !facts.orgType) return quote;
    const doc = this.corpus.document(quote.docId);
    if (!doc) return quote;
    const words = orgTypeWords(facts.orgType);
    const names = (line: string) => words.some((re) => re.test(line));
    const lineStart = doc.text.lastIndexOf('\n', quote.start - 1) + 1;
    // The rule's own line, then the lines of its list after it (up to a blank line).
    let at = lineStart;
    for (let i = 0; i < LIST_LINES_MAX && at < doc.text.length; i++) {
      const end = doc.text.indexOf('\n', at) < 0 ? doc.text.length : doc.text.indexOf('\n', at);
      const line = doc.text.slice(at, end);
      if (line.trim() === '') break;
      if (names(line)) {
        const lead = line.length - line.trimStart().length;
        return quoteAt(doc, at + lead, end);
      }
      at = end + 1;
    }
    return quote;
  }
}

/** Lines of an applicant list searched for the asker's kind. */
const LIST_LINES_MAX = 8;

/** The words by which a question asks about one condition itself: only such a condition, met, answers yes. */
/** A clause that asks about the applicant's kind (「我们这种公司能报不」): no condition met by name, and no story to read one from. */
const ASKS_OF_KIND = /这(?:种|类|样的?)(?:公司|单位|机构|企业)|(?:主体|单位|机构)(?:类型|资格)|什么(?:公司|单位|机构)都|身份/;

/** The units counted facts are said in. */
const COUNT_UNITS: Partial<Record<string, string>> = { jointApplicants: '家' };

/** For a rule that bounds a counted fact (`{ "fact": "jointApplicants", "lte": 3 }`) and a stated count over it: the count and the excess. */
function countOver(rule: CampaignRule, facts: CaseFacts, text: string): string[] {
  const when = rule.when as { fact?: string; lte?: unknown; lt?: unknown };
  const unit = when.fact ? COUNT_UNITS[when.fact] : undefined;
  // (A total the question says — 「我们牵头，再加上4家…一共五家」 — is the count it asks about.)
  const total = unit ? new RegExp(`(?:一共|总共|合计|加起来|共)(\\d+|[一二两三四五六七八九十])${unit}`).exec(text) : null;
  const value = total ? parseNumber(total[1]) : when.fact ? (facts as unknown as Record<string, unknown>)[when.fact] : undefined;
  const bound = typeof when.lte === 'number' ? when.lte : typeof when.lt === 'number' ? when.lt - 1 : undefined;
  if (!unit || typeof value !== 'number' || bound === undefined || value <= bound) return [];
  return [`按${value}${unit}计，超出${bound}${unit}的上限${value - bound}${unit}`];
}

/**
 * For a rule that a founding day must be N years before a campaign's date (`onOrBefore` a `yearsBefore` value) and a
 * day the question states: the day it is N years on, and the bound (「按2024年6月15日成立计，满两年为2026年6月15日；须在
 * 2024年2月10日（含）前成立」).
 */
function yearsFrom(campaign: Campaign, rule: CampaignRule, facts: CaseFacts): string[] {
  const found = foundingBound(campaign, rule);
  if (!found || !facts.foundedOn || facts.spans?.foundedOn) return [];
  const spec = campaign.computed[found.fact] as { yearsBefore?: { years: number } } | undefined;
  if (!spec?.yearsBefore) return [];
  const n = spec.yearsBefore.years;
  // (The rule language's month arithmetic: 29 February N years on is the last day of that February.)
  const on = monthsBefore(facts.foundedOn, -n * 12);
  const say = formatChineseDate;
  return [`按${say(facts.foundedOn)}成立计，满${n === 2 ? '两' : n}年为${say(on)}；按活动的计算，须在${say(found.bound)}（含）前成立`];
}

/** For a founding said only as a span (「2024年成立」): the day the rule needs it by (「须在2024年2月10日（含）前成立」). */
function boundOf(campaign: Campaign, rule: CampaignRule, facts: CaseFacts): string[] {
  const found = foundingBound(campaign, rule);
  const span = facts.spans?.foundedOn;
  if (!found || !span) return [];
  const say = formatChineseDate;
  return [`按活动的计算，须在${say(found.bound)}（含）前成立；您说的成立时间在${say(span[0])}至${say(span[1])}之间，要看具体日期`];
}

/** A rule on the founding day (foundedOn on or before a computed day): the name of that day and the day itself. */
function foundingBound(campaign: Campaign, rule: CampaignRule): { fact: string; bound: string } | null {
  const when = rule.when as { fact?: string; onOrBefore?: { fact?: string } };
  if (when.fact !== 'foundedOn' || !when.onOrBefore?.fact) return null;
  const bound = campaign.values[when.onOrBefore.fact];
  return typeof bound === 'string' ? { fact: when.onOrBefore.fact, bound } : null;
}

/** A clause that asks only whether the applicant may take part at all (能报不、能参加吗、符合条件吗、eligible吗). */
const ASKS_WHOLE = /(?:能|可以|可不可以|能不能|让不让|允许)(?:报|申报|参加|参评|参与|投)|报得了|(?:符合|够)(?:条件|资格|要求)?(?:吗|不|没|么)|有资格|够格|eligible|qualif/i;

/** A question about where an applicant or case may be (外地、外省、全国、哪里的、地区). */
const REGION_ASKED = /外地|外省|省外|异地|全国|地区|地域|哪里的|哪儿的|以外|不是(?:广东|广州|辽宁|上海)的?/;

const ASKED_ABOUT: Partial<Record<string, RegExp>> = {
  branchOrSubsidiary: /分行|支行|分公司|子公司|分支机构|以.{0,4}名义/,
  foundedOn: /成立|年限|满两年|经营.{0,3}年|开了.{0,3}年|注册.{0,6}(?:年|月)|\d{4}年.{0,4}注册/,
  implementedOn: /实施|上线|投产|时间上|哪年做|啥时候做|时效/,
  jointApplicants: /几家|\d+家|[一二两三四五六七八九十]家|联合|一起报|一块儿?报/,
  // 「外地的行不行」「全国都能报吗」: where the case or the applicant is, asked about.
  caseRegions: REGION_ASKED,
  applicantRegion: REGION_ASKED,
};

/**
 * The facts a question says outright, for holding against rules: the case reader's facts, with the loose ones (years
 * of work, AI, a Shanghai partner) kept only when said in so many words — a year of the case's own work
 * (「2025年给…做了设备直租」, not 「25年那届金融兴辽」), 「没用啥AI」 or an AI technology named. `said` lists them.
 */
export function statedFacts(question: string, facts: CaseFacts, today: string): CaseFacts & { said: Record<string, true>; relativeYears: Array<{ word: string; year: number }> } {
  const text = question.replace(/\s+/g, '');
  const said: Record<string, true> = {};
  const thisYear = Number(today.slice(0, 4));
  const years = [...text.matchAll(/(20\d{2}|\d{2})年(?!度?的?(?:那届|那次|这届|这次|届|活动|征集|评选|案例征集)|(?:[“”"]|度“))|(前年|去年|今年)(?!的?(?:那届|那次|这届|这次|届|活动|征集|评选))/g)]
    .filter((m) => {
      const clause = text.slice(Math.max(0, text.lastIndexOf('，', m.index!) + 1), text.indexOf('，', m.index!) < 0 ? text.length : text.indexOf('，', m.index!));
      // (「2025年这个项目没再做任何新东西」 names a year of no work.)
      return WORK_VERB.test(clause) && !NO_WORK_THEN.test(clauseFrom(text, m.index!));
    })
    .map((m) => (m[2] ? { word: m[2], year: thisYear + RELATIVE_YEARS[m[2]] } : { word: undefined, year: m[1].length === 2 ? 2000 + Number(m[1]) : Number(m[1]) }));
  const out: CaseFacts = { ...facts, workYears: [...new Set(years.map((y) => y.year))] };
  const relativeYears = years.filter((y) => y.word).map((y) => ({ word: y.word!, year: y.year }));
  if (years.length) said.workYears = true;
  // 「上海没有合作方」「没有上海本地的合作方」: a Shanghai partner said to be absent (a lead in Shanghai, or a partner there, is read as said).
  if (SHANGHAI_PARTNER_DENIED.test(text) && facts.applicantRegion !== '上海') {
    out.shanghaiLeadOrPartner = false;
    said.shanghaiLeadOrPartner = true;
  } else if (facts.shanghaiLeadOrPartner === true) said.shanghaiLeadOrPartner = true;
  else delete out.shanghaiLeadOrPartner;
  // Results without figures said outright (「没统计具体数据」), or figures said to be the results (「现在补了数据：87家企业拿到
  // 授信，总额十二亿」): whichever is said last. (Figures alone — 3家单位、500万 — are no evidence said: read loosely, they are left out.)
  const denied = lastIndex(text, EVIDENCE_DENIED);
  const figures = [...text.matchAll(new RegExp(`${QUANTIFIED.source}|[一二两三四五六七八九十百千]+(?:亿|万|家|户|个百分点)`, 'g'))].map((m) => m.index!);
  if (denied >= 0 && !(figures.length >= 2 && figures[figures.length - 1] > denied)) {
    out.quantifiedEvidence = false;
    said.quantifiedEvidence = true;
  } else if (figures.length >= 2 && RESULTS_GIVEN.test(text)) {
    out.quantifiedEvidence = true;
    said.quantifiedEvidence = true;
  } else delete out.quantifiedEvidence;
  // Where the case runs, when the question does not say, is not taken from where the applicant is.
  if (facts.caseRegionsAssumed) out.caseRegions = [];
  if (AI_DENIED.test(text)) {
    out.usesAi = false;
    said.usesAi = true;
  } else if (facts.usesAi === true) said.usesAi = true;
  else delete out.usesAi;
  return { ...out, said, relativeYears: relativeYears.filter((r, i) => relativeYears.findIndex((x) => x.word === r.word) === i) };
}

/** Words that say a clause tells work done (the case's year), not a campaign's edition. */
const WORK_VERB = /做|立项|结项|启动|收尾|开展|推出|上线|投放|服务|发放|落地|实施|完成|放了|贷了|投了|推广|运营|试点|帮|给/;

/** Results said to be given in figures (「现在补了数据：…」「成效数据都有」「统计了一下」), not any figures a question holds. */
const RESULTS_GIVEN = /补(?:了|上|齐)?(?:具体)?数据|补充了?数据|数据(?:都|也)?有|有(?:具体|量化)?(?:的)?(?:成效)?数据|统计了|量化了|成效(?:是|有|：|:)/;

/** Where the last match of a pattern starts in a text, or -1. */
function lastIndex(text: string, re: RegExp): number {
  let at = -1;
  for (const m of text.matchAll(new RegExp(re.source, 'g'))) at = m.index!;
  return at;
}
