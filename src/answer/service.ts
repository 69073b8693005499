import type { Corpus } from '../corpus/corpus.ts';
import { todayIn, type Clock } from '../clock.ts';
import type { RetrievedChunk, Retriever } from '../search/retriever.ts';
import { channelFor, type Channel } from './channels.ts';
import { daysBetween, findDates, formatChineseDate } from '../text/dates.ts';
import { answerCoverage, gatherEvidence, weighContent } from './evidence.ts';
import { averageLine, shareLine } from './averages.ts';
import { daySpanLine, deadlineVerdict } from './spans.ts';
import { composeExtractive, type Composition } from './extractive.ts';
import type { Guard } from './guard.ts';
import { detectIntent, looksLikeFollowUp } from './intent.ts';
import { DraftGrounder, type LlmAnswerer, type Passage, type ShownSentence } from './llm.ts';
import { eitherSignal } from '../deadline.ts';
import { acceptModelReading, factsFillingGaps, modelFrameSchema, withModelReading, type AcceptedReading } from './model-frame.ts';
import type { Answer, Citation, DeclineReason, ModelChecks } from './types.ts';
import { quoteAt, type Quote } from '../corpus/quotes.ts';
import { assumptionsIn, extractFacts, findDateMentions, mergeFacts, saidToBeToday, type Facts } from '../rules/facts.ts';
import { daysAfter } from '../rules/language.ts';
import { formatYuan, parseNumber } from '../rules/numbers.ts';
import { CLIENT_REFERENCE, CONDITIONAL_YES, DEPENDS_ON, type SituationService, type SituationState } from '../rules/situation.ts';
import { foldText, withoutErhua } from '../understand/fold.ts';
import { inSimplified, withoutEmoji } from '../text/script.ts';
import { ORDINAL, type Frame, type FrameReader, type ListedItem } from '../understand/frame.ts';
import type { Gazetteer, Subject } from '../understand/gazetteer.ts';
import type { StaffEntry } from '../understand/staff.ts';
import type { AskedTypeDef, AskedTypes } from '../understand/lexicons.ts';
import { ASKED_LABELS, outsideMessage, verdictLead } from './phrasing.ts';
import { askedTogether, type FramedAnswerer, type FramedResult } from './framed.ts';
import { allMatches, ledLines } from './sentence-model.ts';
import { composeQuotes } from './quoted.ts';
import { ANSWERING } from '../tuning.ts';
import { asksAboutBannedName, asksExistence, asksRequired, requiredClause, conditionsMet, facesLimit, formatFinding, gapRelation, limitComparison, limitGaps, misquotedFigure, nameContentFinding, NO_PLAIN_VERDICT, pixelFinding, ruleSentence, statedFigure, verdictFromConditions, verdictFromListedApplicant, verdictFromRegistration, verdictFromRule, withQuotedTextCounted } from './verdict.ts';
import { verifyQuote } from './verify.ts';
import { askingClause, withoutTrailingRemarks, ASKS_STILL_OPEN, EITHER_OR } from '../text/asking.ts';
import { splitSentences } from '../text/sentences.ts';

export interface AnswerServiceOptions {
  /** Reads a question's pinyin slips as the domain's words (「带款」 → 贷款) before anything else reads it. */
  spelling?: { read(question: string): string };
  corpus: Corpus;
  retriever: Retriever;
  clock: Clock;
  guard: Guard;
  channels: Channel[];
  /** When set, answers are drafted by the model and grounded; the extractive answer is the fallback. */
  llm?: LlmAnswerer;
  /** The one deadline of an answer's model work (the query's embedding, the chat, their retries), in milliseconds. */
  llmTimeoutMs?: number;
  /** Characters of model-written answer shown at most (the rest is dropped and the model stopped). */
  llmMaxChars?: number;
  /** Answers questions about the enterprise's own case from the rule files. */
  situations?: SituationService;
  /** Reads every question into a frame (subjects, asked types, scope); absent, questions are read by retrieval alone. */
  understanding?: {
    reader: FrameReader;
    framed: FramedAnswerer;
    gazetteer: Gazetteer;
    types: AskedTypeDef[];
    /** Cities of the measures' region, as the scope lexicon lists them. */
    localities: string[];
    /** The words by which a quoted rule says yes or no. */
    polarity: AskedTypes['polarity'];
    /** Place names the scope lexicon knows (other provinces' and the measures' region's), with their province. */
    places?: Array<{ name: string; province: string }>;
    /** Holds a campaign's eligibility rules against the facts a question states (the catalogue the track recommendation uses). */
    eligibility?: EligibilityCheck;
    /** Tracks for a case described in the chat. */
    tracks?: TrackRecommender;
    /** Follow-up questions about the subjects an answer was about, that the documents answer (src/understand/suggestions.ts). */
    suggest?: (subjects: string[], asked: string[], cited: Array<{ docId: string; start: number; end: number }>) => string[];
    /** Weighted totals of the scores a question gives (implemented in src/match/scoring.ts). */
    scores?: {
      compute(question: string, docIds: string[], earlier?: string): {
        parts: Array<{ name: string; weight: number; score: number }>;
        total: number;
        quote: Quote;
        others?: Array<{ parts: Array<{ name: string; weight: number; score: number }>; total: number }>;
        needed?: { name: string; weight: number; score: number; target: number };
      } | null;
    };
  };
  /** Extractive answers kept in memory (0 turns the cache off). */
  cacheSize?: number;
  /** Answers staff attached to questions in the console, approved (src/understand/staff.ts); matched before anything else. */
  staff?: { match(question: string): StaffEntry | null };
  /** Logged when the model path fails and the extractive answer is used instead. */
  onLlmFallback?: (reason: string) => void;
}

/** The campaign rules a question's own facts settle (implemented over the campaign catalogue in src/match/eligibility.ts). */
export interface EligibilityCheck {
  check(
    question: string,
    docIds: string[],
    subjectNames: string[],
  ): {
    verdict: 'yes' | 'no' | 'conditional';
    rules: Array<{ id: string; quote: Quote }>;
    open: Array<{ id: string; quote: Quote; ask: string | null }>;
    assumed: Array<{ quote: Quote }>;
    unchecked: number;
    readings?: string[];
  } | null;
}

/** The track recommendation for a case description (implemented by the matcher behind /api/recommend). */
export interface TrackRecommender {
  match(description: string): {
    recommendations: Array<{
      campaign: string;
      campaignId: string;
      track: string;
      trackId: string;
      quota: number | null;
      eligible: boolean | null;
      fits: boolean;
      named: boolean;
      reasons: string[];
      citations: Citation[];
      failedRules: Array<{ id: string; message: string }>;
      questions: string[];
    }>;
    message?: string;
    /** What the description says of the applicant: its kind when stated (a bank, a fintech, an enterprise …). */
    facts: { orgType?: string };
  };
}

/** A question that asks which campaign, track or list a case fits (报哪个合适、哪个方向、能报啥、which one fits). */
const WHICH_TRACK =
  /(?:报|申报|投|参加|参评|选)(?:哪个|哪一个|哪一类|哪类|哪种|哪条|哪些|啥|什么)|哪个(?:赛道|方向|类别|榜单|活动|小方向)|(?:赛道|方向|类别|榜单)(?:选|报)?哪|适合(?:报|申报|哪)|哪个(?:合适|对口|最合适)|对口|推荐(?:个|一下)?(?:赛道|方向)|which|fits?\b|看看哪个|(?:报|申报|投|参加|参评|选)[^，。；？?]{1,16}还是|(?:报|申报|参加|参评)[^，。；？?]{1,12}?(?:哪一类|哪类|哪个类别?|哪个方向|哪条赛道|啥方向|什么方向|哪个赛道)|(?:报|申报|投|参加|参评)(?:到)?(?:哪里|哪儿|哪边)|(?:有|还有)?(?:什么|啥|哪些)(?:榜单|赛道|方向|类别|活动)(?:适合|合适|能报|可以报)/i;
/** A question whether something now meets a rule (这回行了吧, 还中不, 够不够, 合格吗, ok吗). */
const ASKS_FIT = /行|中不|中吗|够|合格|符合|能用|可以|过得了|满足|达标|超|ok|没问题/i;
/** A figure with the unit it counts in (四千八百字, 150kb, 500万). */
const FIGURE_UNIT = /(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(字|kb|KB|k|MB|万元|万|家|天|个月)/;
/** A number said without a unit (五千五, 5500). */
const BARE_NUMBER = /(?<![\d.×*xX乘])(?:\d+(?:\.\d+)?|[一二两三四五六七八九十][一二两三四五六七八九十百千万]*[百千万][一二两三四五六七八九十]?)(?![\d.一二两三四五六七八九十百千万字kKmM家天个%×*xX乘年月日号])/;
/** A file format or pixel dimensions a question gives (jpg, 1000*1000). */
const FILE_FORMAT_OR_PIXELS = /\b(?:jpe?g|png|gif|bmp|pdf|docx?)\b|\d+\s*[*×xX]\s*\d+/i;
/** A sentence that says what may be done when its limit is not enough (若…不能满足/不足…，可…). */
const BEYOND_LIMIT_PROVIDED = /(?:若|如果|如)[^。；]{0,24}(?:不能满足|无法满足|不足|不够|超过|超出)[^。；]{0,40}可/;
/** The limited thing after a ceiling's figure (「最高可获得300万元的信用贷款额度评估」 → 信用贷款额度评估). */
const LIMITED_THING = /(?:最高|最多|不超过|上限为?)[^，。；\d]{0,6}\d+(?:\.\d+)?\s*[万亿]?元?的?([\u4e00-\u9fff]{2,12})/;

/**
 * Whether a quoted ceiling's own sentence says what to do beyond it, and the question asks about that (申请贷款), not
 * about the limited thing itself (「直接测出500万的额度能行不」 asks of the 额度 the ceiling bounds).
 */
function beyondLimitProvided(quote: string, question: string): boolean {
  const beyond = BEYOND_LIMIT_PROVIDED.exec(quote);
  const thing = LIMITED_THING.exec(quote)?.[1];
  if (!beyond || !thing) return false;
  // What the sentence lets one do beyond the limit (申请贷款), which the question must ask about.
  const then = quote.slice(beyond.index + beyond[0].length);
  const actions = (then.match(BEYOND_ACTIONS) ?? []).filter((a) => question.includes(a));
  const head = thing.replace(/(?:评估|结果|情况)$/, '').slice(-2);
  return actions.length > 0 && !question.includes(head);
}

/** What a sentence may let one do beyond its limit. */
const BEYOND_ACTIONS = /申请|办理|提交|勾选|选择|追加|补充/g;
/** A question that asks for other options beside the one it names (别的选择、还能报啥、不行的话报哪). */
const ASKS_ALTERNATIVES = /别的(?:选择|方向|赛道|榜单|活动|地方|能报)|有(?:没有)?别的|还有(?:哪些|啥|什么)(?:能报|可以报|合适)|不行的话|其他(?:能报|可以报|活动|赛道|方向)|还能报(?:啥|什么|哪)/;
/** A question that introduces the asker's organisation and what it did (a case, not a question about a rule). */
const INTRODUCES_A_CASE =
  /(?:我们|我行|我司|本行|俺们|咱们|我们公司|我们团队|我们实验室|我们支行|我们分行)[^，。；]{0,30}?(?:是|做了?|推出|上线|搞了|开发|建了|给|为|用)|^(?:[^，。；]{0,8}[，,])?[^，。；]{0,24}?(?:某|一家|一所|一个)[^，。；]{0,16}?(?:银行|行|公司|机构|保险|证券|券商|担保|租赁|实验室|大学|高校|协会|部|中心|所)|^[^，。；？?]{0,20}(?:银行|分行|支行|公司|机构|保险|证券|券商|担保|租赁|实验室|大学|高校|协会|中心|研究院)[。；]|^[^，。；？?]{0,12}(?:银行|分行|支行|行|公司|券商|证券|保险|基金|期货|信托|机构)[^，。；？?]{0,8}(?:部|部门|团队|中心|交易台|研究所)(?:的)?[。；，,]/;
/** A last clause that asks only by how much to cut or add (超了要删多少、得压掉多少、不够的话还差多少). */
const GAP_TAIL = /[，,？?。\s](?:那|要是|如果)?(?:超了|超的话|不够的话|不够)?(?:要|得|需要)?(?:删|压|减|砍|去掉|缩|补|加|多写|少写|差)(?:掉|多少|了)?多少?[^，,？?。]{0,4}[？?]?\s*$/;
/** A question that asks how far a figure it gives is from the limit (差多少, 还差, 超出多少). */
const ASKS_GAP = /差多少|差了多少|还差|差额|缺多少|缺口|多出多少|超出多少|超了多少|超多少|少多少|差几|超了?几|多出几|(?:还|能)?剩(?:下)?(?:多少|几)|余量|buffer|(?:得|要|需要)?(?:砍|删|减|压|去)掉?(?:多少|几)|(?:差|超出?|多出)(?:了|的|出来的)(?:那|这)?(?:部分|块|些)?(?:钱|金额)?(?:有|是)?多少/;

/**
 * 「想要450w信用贷，…最多能评多少？差多少？」 against 「最高可获得300万元」: the figure the question gives held against the
 * quoted limit in its unit, and the gap said (「按450万元计，比300万元的上限多150万元。」). Empty otherwise.
 */
function gapLine(question: string, quoted: string[]): string {
  if (!ASKS_GAP.test(foldText(question))) return '';
  const counted = withQuotedTextCounted(question);
  const one = limitComparison(counted, quoted)?.gap;
  // (「注册户数、累计融资额分别还差多少」: each unit the question gives a figure in, against its own target.)
  const gaps = one ? [one] : limitGaps(counted, quoted);
  return gaps
    .map((gap) => {
      const relation = gapRelation(gap, null, true, (n) => figureIn(n, gap.unit));
      return relation ? `按${figureIn(gap.value, gap.unit)}计，${relation}。\n` : '';
    })
    .join('');
}

/** A figure of a gap or limit as the answer says it (300万元, not 3000000元; 20字). */
function figureIn(n: number, unit: string): string {
  // (Two decimals at most: 307.2KB − 200KB is 107.2KB, not 107.19999999999999KB.)
  const shown = Math.round(n * 100) / 100;
  // (Sums of 亿 are said in 亿元, as the documents' targets are: 1350亿元, not 13500000万元.)
  if (unit === '元' && shown >= 1e8) return `${Number((shown / 1e8).toFixed(4))}亿元`;
  // (…and counts of 户 in 万户: 8.5万户, not 85000户.)
  if (unit.startsWith('户') && shown >= 1e4) return `${Number((shown / 1e4).toFixed(4))}万${unit}`;
  return unit === '元' ? formatYuan(shown) : `${shown}${unit}`;
}

/** The names a (folded) question gives its sets of scores (A/B, 甲/乙), upper-cased, in the order first named. */
function setLabels(folded: string): string[] {
  return [...new Set([...folded.matchAll(new RegExp(SET_LABEL.source, 'g'))].map((m) => (m[1] ?? m[2]).toUpperCase()))];
}

/** A question which of two sets scores higher, or by how much (谁高、差多少、高几分、相差). */
const ASKS_SCORE_GAP = /谁(?:的分)?高|哪(?:个|家|组)(?:的分)?高|差多少|差几分|高多少|高几分|相差|差距/;

/**
 * 「A银行…B银行…按权重算谁高？差多少？」: of two weighted totals, which is higher and by how much (「A（第1组）比B（第2组）高
 * 0.8分。」). Empty unless two totals and a question that asks it.
 */
function scoreGapLine(question: string, totals: number[]): string {
  const folded = foldText(question);
  if (totals.length !== 2 || totals[0] === totals[1] || !ASKS_SCORE_GAP.test(folded)) return '';
  const labels = setLabels(folded);
  const name = (i: number) => (labels.length === 2 ? `${labels[i]}（第${i + 1}组）` : `第${i + 1}组`);
  const [high, low] = totals[0] > totals[1] ? [0, 1] : [1, 0];
  return `${name(high)}比${name(low)}高${Number((totals[high] - totals[low]).toFixed(2))}分。\n`;
}

/** A question for the total of what the text lists (一共评多少个, 加起来至少多少字). */
const ASKS_SUM = /(?:一共|总共|加起来|加一块|加在一起|合计|总计)[^，。；？?]{0,10}(?:多少|几)/;
/** One figure of a listed item (「（3个）」「不少于500字」「名额10个」). */
const ITEM_FIGURE = /(\d+)\s*(个|字|家|万元|亿元|天|分)/g;

/**
 * 「九个类别加起来一共评多少个优秀案例」 answered with the list of the categories, each with its quota: the figures of the
 * listed items, one each and in one unit, totalled (「合计：3 + 5 + 5 + … = 36个。」). Empty unless two or more items give one.
 */
function totalLine(question: string, quoted: string[]): string {
  if (!ASKS_SUM.test(foldText(question))) return '';
  const items = quoted.map((q) => [...q.matchAll(ITEM_FIGURE)]).filter((ms) => ms.length === 1).map(([m]) => ({ n: Number(m[1]), unit: m[2] }));
  const units = [...new Set(items.map((i) => i.unit))];
  if (items.length < 2 || units.length !== 1) return '';
  return `合计：${items.map((i) => i.n).join(' + ')} = ${items.reduce((sum, i) => sum + i.n, 0)}${units[0]}。\n`;
}

/** Qualifiers of a period a text gives (「最快仅需3天」「平均修复时间6天」), as a question picks one. */
const PERIOD_QUALIFIERS = ['最快', '最慢', '平均', '最长', '最短', '最多', '最少'];
/** 「打算明天submit」「今天就提交」: the day counted from, said relative to today, and what is done then. */
const RELATIVE_START = /(今天|明天|后天)[^，。；？?]{0,16}?(提交|申请|报送|递交|办理|申报|submit)/i;
const RELATIVE_DAYS: Record<string, number> = { 今天: 0, 明天: 1, 后天: 2 };
const PERIOD_IN_TEXT = new RegExp(`(${PERIOD_QUALIFIERS.join('|')})?[^，。；\\d]{0,6}?(\\d+|[一二两三四五六七八九十]+)(?:个)?(?:自然日|天)`, 'g');
/** A yes/no whether the asker may use something (能申请不, 可以去吗, 能不能办). */
const ASKS_MAY_USE = /能不能|可不可以|能否|可否|可以[^，。；]{0,16}[吗么不]|能[^，。；]{0,16}[吗么不]|行不行|行不|中不中/;
/** A turn that asks the last question again on what it adds (「这回呢」「这样算不算」「现在能报了吧」). */
/** The words of a clause that asks whether one may use a thing at all: who, the may-words, going and applying. */
const MAY_USE_WORDS = /我们|俺们|咱们|我司|我|俺|咱|公司|企业|厂子?|这种情况|这样的?|能不能|可不可以|能否|可否|可以|行不行|行不|中不中|[能可行]|去|到|找|申请|办理?|用|享受|参加|走|的|了|吗|么|呢|啊|吧|不/g;

/**
 * Whether a clause asks if one may use a subject at all (「首贷中心我们能去申请吗」), not how or for what
 * (「驿站那边能帮着弄股权融资方案吗」「用微信小程序行不」): with the subject's names and the may-words gone, nothing is left.
 */
function asksWhetherAtAll(clause: string, gazetteer: Gazetteer | undefined): boolean {
  const folded = clause.replace(/[？?，,。！!\s]/g, '');
  return (gazetteer ? gazetteer.without(folded) : folded).replace(MAY_USE_WORDS, '').trim().length === 0;
}

/** A follow-up that puts another value in place of one the case said (「那要是23年1月才上线呢」「换成去年成立的呢」). */
const REPLACES = /^(?:那|那么)?(?:要是|如果|假如|假设|换成|改成|若是?)/;
/** A date or a year said (2022年10月、23年1月、去年、2024年): what such a follow-up may put in place. */
const DATED = /(?:\d{2,4}年|前年|去年|今年)(?:\d{1,2}月(?:\d{1,2}[日号])?|底|初|末)?/;
const DATED_ALL = new RegExp(DATED.source, 'g');
/** What a date is said of in a case (上线、成立 …). */
const DATED_EVENT = /上线|落地|实施|成立|注册|投产|开展|推出|应用|启动|运行/g;

/** Whether one set of scores passes the other (反超、赢), or only is higher (高于、比…高、领先); and the names of two sets (A/B, 甲/乙). */
const PASSES = /反超|超过|超越|赶超|赢|胜过|压过/;
const HIGHER = /高于|比.{1,4}高|领先/;
const SET_LABEL = /(?<![a-z])([ab])(?![a-z])|([甲乙])/;

const REVISITS = /这回呢|这下呢|这样呢|现在呢|那现在|这回行|这下行|这样算不算|这样行不|这样可以|算不算|行了吧|可以了吧|能报了吧|够了吧|符合了吧/;
/** Any sign of a question (a question mark, a question word or particle). */
const ASKS_SOMETHING = /[？?]|吗|呢|啥|什么|怎么|咋|哪|多少|是否|能否|可否|行不|能不|可不可以|能不能|有没有|请问|想问/;
/** Wanting to apply, said as a statement (「想报点数成金。」「想报十大事件的产业赋能那个，也想报金融兴辽。」). */
const WANTS_TO_APPLY = /想报|想申报|准备报|打算报|打算申报|准备申报|想参加|想投/;

/**
 * A yes/no question about taking part in a campaign (「能报点数成金吗」「够格不」「3家一起报能行不」), not about a report,
 * a press item or a form (报告, 报道, 报送, 申报书).
 */
const ASKS_TO_TAKE_PART = /(?:报|参加|参评|参与|参选)(?!告|道|送|表|书|名时间|纸|方向|材料|截止|流程|渠道|方式|邮箱|入口|格式|模板)|够格|资格|够条件|符合条件|符合要求|能整不|能整吗|算不算符合|这条算不算|这条(?:过|够)不|(?:这种|这样|这个)?能算[吗不么]|算数[吗不么]|满没满|够不够(?:两年|年限)/;

/** Said under a yes that checked only the rules the question's facts touch. */
const CHECKED_ONLY = '（以上只对照了您提到的情况；其余申报条件请以活动方案原文为准。）';

export interface AskInput {
  question: string;
  /** Topic of the conversation's previous turn (Answer.topic), for follow-up questions. */
  previousTopic?: string;
  /** What earlier turns established about the enterprise. */
  previousSituation?: SituationState;
  /** Facts the caller states about the enterprise (the request's profile). */
  profile?: Facts;
  /** How the conversation's previous question was read. */
  previousFrame?: Frame;
  /**
   * With a model configured: called with each sentence of the model's draft as soon as it has passed the claim
   * checks, while the model is still writing (its markers numbered as in the final answer).
   */
  onSentence?: (sentence: { text: string; citations: Citation[] }) => void;
}

/** One answer's model work: the deadline its calls share, where verified sentences go, and what the checks found. */
interface ModelTurn {
  deadline: AbortSignal;
  onSentence?: AskInput['onSentence'];
  checks: ModelChecks;
}


const { minCoverage: MIN_COVERAGE, outOfScopeCoverage: OUT_OF_SCOPE_COVERAGE, retrieveK: RETRIEVE_K, answerCacheSize: ANSWER_CACHE_SIZE } = ANSWERING;

const MESSAGES = {
  manipulation:
    '抱歉，我只能依据辽宁省金融支持民营经济政策及相关案例征集文件的原文回答问题，不能执行更改规则、扮演角色或透露内部设置的请求。请直接描述您想了解的政策问题。',
  empty:
    '您好！我可以依据政策原文解答辽宁省金融支持民营经济的举措（如无还本续贷、担保费补贴、信用修复、在线测额、首贷）以及2025年各类金融案例征集活动的问题。请直接输入您的问题。',
  noEvidence: '抱歉，现有政策文件中没有找到能回答这个问题的依据，为避免误导，暂不作答。',
  outOfScope: '抱歉，这个问题不在本服务依据的政策文件范围内（辽宁省金融支持民营经济发展若干举措及其操作指南、2025年金融案例征集活动），暂时无法回答。',
} as const;

/**
 * Answers a question from the corpus: guard, retrieval, evidence gate, then
 * an extractive composition (or a grounded model draft), with every quote
 * checked against the stored text before it is returned.
 */
/** A question that speaks of the asker's own enterprise (我们, 俺家厂, 本公司…): the situation rules may apply to it. */
const SELF_REFERENCE = /我|俺|咱|本公司|本单位|本企业|自家|本厂|(?:^|[，,。；;\s])(?:公司|企业|厂子?|单位)(?:划型|规模)?(?:是|属于|算)/;
/** Checking what was heard about a rule (听说…真的假的, 现在…也能…了？), not asking about one's own case. */
const HEARSAY = /听说|真的假的|是真的吗|是不是真的|真的吗|据说|有人说|网上说|也(?:能|可以|可)[^，。？?]{0,6}了[吗么]?[？?]?$/;
/** Asked types a situation answer (a decision on the asker's case, or its steps) can be what is asked for. */
const SITUATION_TYPES = new Set(['yesno', 'overview', 'steps']);

/** How an assumption read by the model names each fact (src/answer/model-frame.ts writes them so). */
const FACT_LABELS: Record<string, string> = {
  size: '企业规模',
  loanKind: '贷款种类',
  dueDate: '贷款到期日',
  guaranteeAmountYuan: '担保金额',
  guaranteeRatePercent: '担保费率',
  region: '所在地',
};

export class AnswerService {
  /**
   * Extractive answers already composed, by day, carried topic and question.
   * They are a pure function of these (and of the corpus, fixed for the
   * process's life), so repeated questions, which dominate real traffic, cost
   * a lookup. Model answers are not cached: a fallback after a passing model
   * failure must not stick.
   */
  private readonly cache = new Map<string, Promise<Answer>>();

  constructor(private readonly options: AnswerServiceOptions) {}

  get mode(): Answer['mode'] {
    return this.options.llm ? 'llm' : 'extractive';
  }

  /** How a frame reads to a client: the subjects by name, the asked types, whether it leaned on the previous turn. */
  understood(frame: Frame): { subjects: Array<{ id: string; name: string }>; asked: string[]; followUp: boolean } {
    const gazetteer = this.options.understanding?.gazetteer;
    return {
      subjects: frame.subjects.map((id) => ({ id, name: gazetteer?.get(id)?.name ?? id })),
      asked: frame.types,
      followUp: frame.followUp,
    };
  }

  answer(input: AskInput): Promise<Answer> {
    const question = input.question.trim();
    const capacity = this.options.cacheSize ?? ANSWER_CACHE_SIZE;
    if (this.options.llm || capacity === 0) return this.compute(question, input);
    const key = [
      todayIn(this.options.clock),
      input.previousTopic ?? '',
      JSON.stringify(input.previousSituation ?? null),
      JSON.stringify(input.previousFrame ?? null),
      JSON.stringify(input.profile ?? null),
      question,
    ].join('\u0000');
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const answer = this.compute(question, input);
    this.cache.set(key, answer);
    if (this.cache.size > capacity) this.cache.delete(this.cache.keys().next().value!);
    // A failed computation is not remembered.
    answer.catch(() => this.cache.delete(key));
    return answer;
  }

  private async compute(typed: string, input: AskInput): Promise<Answer> {
    const { llm, llmTimeoutMs = 20_000 } = this.options;
    // One deadline for all the model work of this answer, started before any of it.
    const turn: ModelTurn | undefined = llm
      ? { deadline: AbortSignal.timeout(llmTimeoutMs), onSentence: input.onSentence, checks: { sentences: 0, shown: 0, dropped: [] } }
      : undefined;
    const computed = await this.computeAnswer(typed, input, turn);
    const answer = turn && (turn.checks.sentences > 0 || turn.checks.fallback) ? { ...computed, checks: turn.checks } : computed;
    // An answer about a subject offers what else the documents answer about it.
    const suggestions = answer.answerable ? this.suggestionsFor(answer.frame, answer.citations) : [];
    return suggestions.length ? { ...answer, suggestions } : answer;
  }

  /**
   * What else the documents answer about the subjects an answer was about (none for an answer about no subject): given
   * after a live answer, and again with a conversation's stored newest answer when it is restored.
   */
  suggestionsFor(frame: Frame | null | undefined, cited: Array<{ docId: string; start: number; end: number }>): string[] {
    const suggest = this.options.understanding?.suggest;
    if (!suggest || !frame || !Array.isArray(frame.subjects) || frame.subjects.length === 0) return [];
    return suggest(frame.subjects, frame.types ?? [], cited);
  }

  private async computeAnswer(typed: string, input: AskInput, turn: ModelTurn | undefined): Promise<Answer> {
    const { guard, situations, clock, understanding } = this.options;
    // (Read here, behind the cache: a repeated question costs a lookup, not a reading of its sounds.)
    // (Traditional characters become simplified first, emoji become spaces, then the spoken 儿 goes: 「一块儿报」 is read as
    // 「一块报」.)
    const spoken = withoutErhua(withoutEmoji(inSimplified(typed)));
    const asked = this.options.spelling?.read(spoken) ?? spoken;
    // 「…写了230字，超了没？超了要删多少？」: a last clause that only asks by how much is answered by the yes/no before it, whose
    // verdict line says the gap (「按230字计，超出200字的上限30字」).
    const gapTail = GAP_TAIL.exec(asked);
    const before = gapTail && gapTail.index > 0 ? askingClause(foldText(asked.slice(0, gapTail.index))).replace(/[？?，,。！!\s]+$/, '') : '';
    let question = before && (/[吗么不没]$/.test(before) || new RegExp(EITHER_OR.source).test(before)) ? asked.slice(0, gapTail!.index).trim() : asked;
    const previousTopic = input.previousTopic;
    // (An answer that named tracks inline — 「设置金融机构科技创新应用案例、科技赋能金融研发创新案例…等四大方向」 — listed them:
    // 「第二个方向细说下」 asks about the second one named. Read only when a question points at an Nth.)
    const listed = input.previousFrame && !input.previousFrame.items && ORDINAL.test(foldText(question)) ? this.tracksNamedIn(input.previousFrame.cited ?? []) : undefined;
    const previousFrame = listed ? { ...input.previousFrame!, items: listed } : input.previousFrame;
    let frame = understanding?.reader.read(question, previousFrame);
    // 「那新质生产力那个呢？」 after 「金融兴辽现在还能报名吗？截止是哪天？」 names a new subject and asks nothing of its own: it is
    // the last question asked of that subject, and is answered as if the asker had typed it so — every path (eligibility,
    // whether it is still open, the days since its deadline) reads the restated question.
    // (Only a question the previous turn asked in full, of a campaign: a measure's 「那第七条呢」 is answered by the frame as before.)
    if (frame?.detailInherited && frame.detail && frame.named.length > 0 && !previousFrame?.typesInherited) {
      const named = frame.named.map((id) => understanding!.gazetteer.get(id));
      if (named.every((s) => s?.kind === 'campaign')) {
        const carried = frame.types;
        question = `${named.map((s) => s!.name).join('、')}：${frame.detail.trim()}`;
        const restated = understanding!.reader.read(question, previousFrame);
        frame = { ...restated, types: [...new Set([...restated.types, ...carried])], followUp: true };
      }
    }
    const withFrame = (answer: Answer, items?: ListedItem[]): Answer => {
      if (!frame) return answer;
      const cited = answer.citations.map((c) => ({ docId: c.docId, start: c.start, end: c.end }));
      return { ...answer, frame: { ...frame, ...(items ? { items } : {}), ...(cited.length ? { cited } : {}) } };
    };
    if (guard.isManipulation(question)) return withFrame(this.decline('manipulation', question, question, 0));
    // A question staff answered in the console gets their answer: the passage they chose, or a decline.
    const staffed = this.options.staff?.match(question);
    const fromStaff = staffed ? this.staffAnswer(staffed, question) : null;
    if (fromStaff) return withFrame(fromStaff);
    // A case described in the chat and a question which campaign or track it fits: the track recommendation answers —
    // before the scope check, since a case names places and things of its own (上海的客户, 社保缴费数据) that are no
    // question about another province's or a person's affairs.
    const advice = frame ? this.trackAdvice(question, frame) : null;
    if (advice) return withFrame(advice);
    if (frame?.outside) return withFrame(this.declineOutside(frame, question));
    // With the model reading questions too: what it read and the vocabularies accept fills what the offline reader left
    // open (no subject, no asked type, a fact of the case); where both read something, the offline reading stands.
    const read = frame && turn ? await this.readWithModel(question, previousTopic, turn) : null;
    let modelFacts: Facts = {};
    let assumed = '';
    if (read && frame) {
      frame = withModelReading(frame, read);
      modelFacts = factsFillingGaps(read.facts, extractFacts(question, todayIn(clock)));
      const keys = Object.keys(modelFacts);
      if (keys.length) assumed = `（以上判断按对您问题的理解：${read.assumptions.filter((a) => keys.some((k) => a.startsWith(FACT_LABELS[k] ?? '\u0000'))).join('；')}。如与实际不符，请更正后再问。）`;
    }

    // A question for a list (「全国首批增设了哪些领域的失信信息修复」) about nobody's own case is answered from the
    // text, not by the situation rules its words happen to touch.
    // So is a question for one detail of a measure (「担保费补贴多长时间能拨付」「新增担保业务目标多少」) that states nothing of
    // the asker's own case: the rules would only ask for the facts of a case nobody described.
    // (In a conversation about a case, one asked for a client goes on speaking of the client: 「那客户按指南提前1个月提出…对应哪天？」.)
    // (So does one that gives a new figure for what the case's last turn only assumed: 「那要是只贷肆佰万呢」.)
    const ownCase =
      SELF_REFERENCE.test(question) ||
      this.statesOwnFacts(question) ||
      (!!input.previousSituation?.topic && CLIENT_REFERENCE.test(question)) ||
      !!situations?.reassumes(question, todayIn(clock), input.previousSituation);
    // The situation rules are the measures' (续贷, 担保费补贴, 信用修复 …): a question about a case collection is never for them.
    const campaignsNamed = frame ? this.campaignSubjects(frame.named) : [];
    const aboutCampaign = !!frame && frame.named.length > 0 && campaignsNamed.length === frame.named.length;
    // 「…担保额三个亿出头，想报金融兴辽科技金融赋能那类，主体资格没问题吧」: taking part in a campaign it names is for the
    // campaign's rules, whatever measure's words (担保) the case also uses.
    const takesPartInCampaign = campaignsNamed.length > 0 && ASKS_TO_TAKE_PART.test(foldText(question));
    const asksForText =
      frame !== undefined &&
      (aboutCampaign ||
        takesPartInCampaign ||
        (frame.types.includes('list') && !SELF_REFERENCE.test(question) && !input.previousSituation?.topic) ||
        // (An elliptic follow-up in a conversation about the asker's case stays with that case.)
        (!ownCase && !(input.previousSituation?.topic && frame.named.length === 0) && frame.types.length > 0 && frame.types.every((t) => !SITUATION_TYPES.has(t))) ||
        // 「在线提交能2天修复好吗」: a figure held against what the text allows, not a case for the rules.
        (!ownCase && frame.types.includes('yesno') && (statedFigure(withQuotedTextCounted(question))?.kind ?? 'date') !== 'date') ||
        // 「听说无还本续贷现在中型企业也能沾光了，真的假的」: a yes/no about the rule itself, with no case described.
        // (「听说」「真的假的」 check what was heard about the rule; a bare 「中型企业能不能续贷」 still gets the rules' questions.)
        (frame.types.includes('yesno') && HEARSAY.test(question) && !SELF_REFERENCE.test(question) && !this.describesCase(question)) ||
        // 「民营上市后备企业能享受啥免费服务」 asks what a measure gives a group it names, not for a check-up of the asker.
        (!ownCase && frame.named.length > 0 && /享受(?:哪些|什么|啥)|有(?:哪些|什么|啥)(?:免费)?(?:服务|支持|优惠)/.test(question)));
    let situation = asksForText ? null : situations?.answer(question, todayIn(clock), input.previousSituation, Object.keys(modelFacts).length ? mergeFacts(modelFacts, input.profile ?? {}) : input.profile);
    // A check-up (which measures fit the asker) is for someone who describes their case, not for a question about a measure
    // it names (「降融资成本那条，督促银行用好啥政策工具」).
    if (situation?.state.outcome === 'checkup' && !ownCase && frame && frame.named.length > 0) situation = null;
    // The rules asking for a fact of the case do not answer a yes/no the text settles for everyone
    // (「想享受担保费补贴，是不是得先去财政厅递材料」: 不必另行向财政部门提出申请).
    // Only for what is required of everyone: whether the asker qualifies still waits for the fact it needs.
    if (situation?.state.outcome === 'need_info' && frame?.types.includes('yesno') && asksRequired(question) && understanding) {
      const settled = understanding.framed.answer(question, frame, previousFrame);
      if (settled?.kind === 'answer') {
        if (settled.verdict ?? this.ruleVerdict(question, settled.composition.claims.map((c) => c.text))) situation = null;
      }
    }
    // 「他那笔流贷明年到期…这一条举措具体是由哪些单位负责落实的」「贷款下个月到期…最晚要提前多长时间跟银行提」: a detail of
    // the measure asked beside the asker's case, which the rules cannot yet decide, is answered first; what the rules still
    // need follows.
    // (Unless what the rules quote already holds a value of the asked kind: 「到期日在哪天之前」 is answered by 2027年9月30日 there.)
    const detailTypes = frame ? understanding!.types.filter((d) => frame.types.includes(d.type) && !SITUATION_TYPES.has(d.type)) : [];
    const quotedHolds = situation ? detailTypes.every((d) => d.values?.some((v) => situation!.citations.some((c) => v.test(c.quote)))) : false;
    if (situation?.state.outcome === 'need_info' && frame && !frame.types.includes('yesno') && detailTypes.length > 0 && !quotedHolds) {
      const { answer: detail } = await this.answerFromFrameOrText(question, previousTopic, frame, previousFrame, turn);
      if (detail.answerable) {
        const asking = situation.text.split('\n').filter((l) => l.startsWith(DEPENDS_ON));
        return withFrame({ ...detail, answer: [detail.answer, ...asking].join('\n'), situation: situation.state });
      }
    }
    if (situation) {
      const citations = situation.citations;
      if (this.allVerbatim(citations)) {
        // A yes/no about how a thing is done (「能去窗口办不」) opens with the verdict its quoted rule gives, when it gives one.
        // (A figure the question gives — 「今天提交明天能修好不」, one day against 「最快仅需3天」 — is held against the quoted limit first.)
        const asksHow = situation.state.outcome === 'steps' && frame?.types.includes('yesno') && understanding;
        // (So does one that asks what everyone must do — 「续贷是不是非得跑银行柜台」「补贴是不是还得自己去财政局申请」 — beside
        // the rules' verdict on the asker's case, which is not what it asks.)
        const asksMust = !asksHow && frame?.types.includes('yesno') && asksRequired(question) && understanding;
        // 「今天提修复申请，就算按最快的速度，能在11号前修好吗」: the day the period ends, held against the day it must be done by.
        const periodLine = this.dateFromPeriod(question, citations.map((c) => c.quote));
        const byDeadline = asksHow ? deadlineVerdict(question, periodLine, todayIn(clock)) : null;
        const verdict = asksHow
          ? (byDeadline ??
            limitComparison(withQuotedTextCounted(question), citations.map((c) => c.quote))?.verdict ??
            this.ruleVerdict(question, citations.map((c) => c.quote)))
          : asksMust
            ? // (Of a message that asks more — 「是不是得自己去财政局申请？要准备啥材料？」 — the clause that asks the must.)
              this.ruleVerdict(requiredClause(question), citations.map((c) => c.quote))
            : null;
        // 「要提前多久申请？去哪申请？中型企业能办吗？」: the rules answer whether; the details asked beside it are answered
        // from the text and shown after it, each with its own quotes.
        const beside = this.detailsBeside(question, frame, previousFrame, citations.length);
        // (Details that only repeat what the rules already quoted add nothing.)
        const besides = beside && beside.citations.some((b) => !citations.some((c) => c.docId === b.docId && c.start === b.start && c.end === b.end)) ? beside : null;
        const quotes = citations.map((c) => c.quote);
        // (The days to a day the rules computed — the day to turn to the lender by — count too.)
        const counted = withCounted(situation.text, `${periodLine}${this.counted(question, quotes, situation.text)}`, true);
        const text = verdict ? `${verdictLead(question, verdict)}\n${counted}` : counted;
        // (The question the rules still ask the user stays last.)
        const lines = text.split('\n');
        const asking = lines.length > 1 && lines[lines.length - 1].startsWith(DEPENDS_ON) ? lines.pop()! : null;
        // (A fact only the model read is said as the assumption it is, before the question the rules still ask.)
        const used = assumed && (situation.state.outcome === 'eligible' || situation.state.outcome === 'not_eligible' || situation.state.outcome === 'need_info') ? assumed : '';
        const joined = besides || used ? [...lines, ...(besides ? [besides.text] : []), ...(used ? [used] : []), ...(asking ? [asking] : [])].join('\n') : text;
        return withFrame({
          answer: joined,
          answerable: true,
          citations: besides ? [...citations, ...besides.citations] : citations,
          mode: 'extractive',
          topic: question,
          coverage: 1,
          situation: situation.state,
        });
      }
    }

    const known = mergeFacts(mergeFacts(input.previousSituation?.facts ?? {}, input.profile ?? {}), extractFacts(question, todayIn(clock)));
    const { answer, items } = await this.answerFromFrameOrText(question, previousTopic, frame, previousFrame, turn);
    const situated = Object.keys(known).length ? { ...answer, situation: { ...input.previousSituation, facts: known } } : answer;
    return withFrame(situated, items);
  }

  /**
   * The details of a kind (提前多久, 去哪) a question asks beside what the rules answer, answered from the text with
   * their quotes numbered after the rules' `offset` ones; null when it asks none or the text holds none.
   */
  private detailsBeside(question: string, frame: Frame | undefined, previousFrame: Frame | undefined, offset: number): { text: string; citations: Citation[] } | null {
    const { understanding } = this.options;
    if (!understanding || !frame || frame.subjects.length === 0) return null;
    const details = frame.types.filter((t) => !SITUATION_TYPES.has(t) && understanding.types.some((d) => d.type === t && d.values));
    // Only beside a question the rules take up: several asks in one message, one of them the rules' yes/no.
    if (details.length === 0 || !frame.types.includes('yesno') || question.split(/[？?]/).filter((c) => c.trim()).length < 2) return null;
    const asked = understanding.framed.answer(question, { ...frame, types: details }, previousFrame);
    if (asked?.kind !== 'answer') return null;
    const citations = this.cite(asked.composition);
    if (citations.length === 0) return null;
    const text = asked.composition.text.replace(/\[(\d+)\]/g, (_, n: string) => `[${Number(n) + offset}]`);
    return { text, citations: citations.map((c) => ({ ...c, n: c.n + offset })) };
  }

  /**
   * The frame's answer (question bank, then the subject's own text for the
   * asked type), or a decline when the subject has no such detail; retrieval
   * over all passages when the frame decides nothing.
   */
  private async answerFromFrameOrText(
    question: string,
    previousTopic: string | undefined,
    frame: Frame | undefined,
    previousFrame: Frame | undefined,
    turn: ModelTurn | undefined,
  ): Promise<{ answer: Answer; items?: ListedItem[] }> {
    const { understanding } = this.options;
    if (!frame || !understanding) return { answer: await this.answerFromText(question, previousTopic, turn) };
    const topic = frame.subjectInherited && previousTopic ? `${previousTopic} ${question}` : question;
    const scored = this.weightedScore(question, frame, topic, frame.subjectInherited ? previousTopic : undefined);
    if (scored) return { answer: scored };
    const whoMay = this.measureWhoMay(question, frame, topic) ?? this.whatIfWhoMay(question, frame, previousFrame, topic, previousTopic);
    if (whoMay) return { answer: whoMay };
    const rechecked = this.recheck(question, frame, previousFrame, topic, previousTopic);
    if (rechecked) return { answer: rechecked };
    const eligible = this.campaignEligibility(question, frame, topic, previousTopic, previousFrame);
    if (eligible) {
      // 「…能报金融兴辽吗？截止哪天？」: the details asked beside it follow, each with its own quotes; a case told at
      // length then gets the tracks it fits, as the recommendation would give them.
      const besides = this.detailsBeside(question, frame, previousFrame, eligible.citations.length);
      const withBesides = besides ? { ...eligible, answer: `${eligible.answer}\n${besides.text}`, citations: [...eligible.citations, ...besides.citations] } : eligible;
      const advice = this.trackAdvice(question, frame, { offset: withBesides.citations.length });
      return {
        answer: advice
          ? { ...withBesides, answer: `${withBesides.answer}\n\n${advice.answer}`, citations: [...withBesides.citations, ...advice.citations], tracks: advice.tracks }
          : withBesides,
      };
    }
    const framed = this.twoAsks(question, frame, previousFrame) ?? understanding.framed.answer(question, frame, previousFrame);
    if (framed?.kind === 'missing_detail') return { answer: this.declineMissingDetail(question, topic, framed.subjects, framed.types, framed.about) };
    if (framed?.kind === 'answer') {
      if (!this.coversYears(frame, framed.composition.claims)) return { answer: this.decline('no_evidence', question, topic, 0) };
      if (this.missesAskedDetail(foldText(question), framed.composition.claims.map((c) => foldText(c.text)))) {
        return { answer: this.decline('no_evidence', question, topic, 0) };
      }
      // With a model configured, it drafts the answer from the passages that hold what the frame found; its
      // citations are checked like any other, and the frame's own quotes stand when the draft does not hold up.
      const quoted = framed.composition.claims.map((c) => c.text);
      const draft = turn
        ? await this.draftWithModel(question, frame.followUp ? previousTopic : undefined, await this.passagesFor(question, frame, framed.composition, turn), turn, [gapLine(question, quoted), totalLine(question, quoted), this.counted(question, quoted)])
        : null;
      const drafted = draft && this.answersModelDraft(question, draft, turn!, frame) ? draft : null;
      const composition = drafted ?? framed.composition;
      const citations = this.cite(composition);
      if (citations.length > 0) {
        let text = composition.text;
        // (Staff attached a passage to a question, not a verdict: one matched through their question gets the passage alone.)
        if (!drafted && frame.types.includes('yesno') && !framed.staffAnswerId) {
          // 「有没有高校做智库支持」: the subject's own field or value of the asked kind, found, is the yes.
          const found = framed.how === 'typed' && asksExistence(question) ? 'yes' : undefined;
          text = `${this.verdictOpening(question, framed.verdict ?? found, composition)}${text}`;
        }
        if (frame.types.includes('date') || frame.types.includes('period')) text += this.dateNote(citations);
        if (!drafted && frame.types.includes('date')) text = `${this.dateFromPeriod(question, composition.claims.map((c) => c.text))}${text}`;
        if (!drafted && !frame.types.includes('yesno')) text = `${gapLine(question, composition.claims.map((c) => c.text))}${totalLine(question, composition.claims.map((c) => c.text))}${text}`;
        if (!drafted) text = withCounted(text, this.counted(question, composition.claims.map((c) => c.text)), frame.types.includes('yesno'));
        const mode: Answer['mode'] = drafted ? 'llm' : 'extractive';
        // (Found through a question staff attached: the eval report and the stored message say so.)
        const via = framed.staffAnswerId ? { via: { staffAnswerId: framed.staffAnswerId } } : {};
        return { answer: { answer: text, answerable: true, citations, mode, topic, coverage: 1, ...via }, items: drafted ? undefined : framed.items };
      }
    }
    const subjects = frame.subjects.map((id) => understanding.gazetteer.get(id)).filter((x): x is Subject => x !== undefined);
    // The previous topic is context only for a follow-up that names no subject of its own (「那信用修复呢」 replaces it).
    const context = frame.followUp && frame.named.length === 0 ? previousTopic : undefined;
    const answer = await this.answerFromText(question, context, turn, { frame, subjects });
    return { answer, items: answer.answerable ? numberedItems(answer) : undefined };
  }

  /**
   * 「公司成立三年了，从来没在银行贷过款，想去首贷中心试试，能申请不」: a yes/no whether the asker may use a measure whose
   * text names whom it is for, the question stating facts that put the asker there — a yes with the measure's statement
   * and its quote; of an asker it is not for, no plain yes or no and the sentence naming whom it is for. Null otherwise.
   */
  /** Whether every citation is a verbatim span of its stored document (checked before it leaves the server). */
  private allVerbatim(citations: Citation[]): boolean {
    return citations.every((c) => {
      const doc = this.options.corpus.document(c.docId);
      return doc !== undefined && verifyQuote(doc.text, c.quote, c.start, c.end);
    });
  }

  private measureWhoMay(question: string, frame: Frame, topic: string): Answer | null {
    const { situations, clock } = this.options;
    if (!situations || !frame.types.includes('yesno') || !ASKS_MAY_USE.test(askingClause(foldText(question)))) return null;
    // (A service point or platform of a measure — 首贷中心, 科技金融服务驿站 — is asked about as its measure.)
    const measureOf = (id: string) => (id.startsWith('measure:') ? id : this.options.understanding?.gazetteer.get(id)?.parent);
    const measures = frame.subjects
      .map(measureOf)
      .filter((id): id is string => id?.startsWith('measure:') === true)
      .map((id) => Number(id.slice('measure:'.length)));
    const found = measures.length ? situations.whoMay(question, todayIn(clock), measures) : null;
    if (!found) return null;
    // Telling nothing of itself, the asker gets whom the measure is for only when it asks whether it may use it at all, not
    // how (「首贷中心能线上申请吗」 is for the text).
    if (found.told === 0 && !asksWhetherAtAll(askingClause(foldText(question)), this.options.understanding?.gazetteer)) return null;
    const { citations } = found;
    if (!this.allVerbatim(citations)) return null;
    // Of an asker the measure is not for by what it says of itself (「我们贷过款了，还能去首贷中心吗」「逾期跟疫情没关系」): no,
    // with the sentence that names whom it is for.
    const quoted = citations.map((c) => `${c.quote}[${c.n}]`).join('');
    const answer =
      found.holds === 'conditional'
        ? `${CONDITIONAL_YES}\n${found.text}`
        : found.holds
          ? `${verdictLead(question, 'yes')}\n${found.text}`
          : `${verdictLead(question, 'no')}\n按您说的情况，这项举措不是面向贵企业的。原文写明它面向的是：${quoted}`;
    return { answer, answerable: true, citations, mode: 'extractive', topic, coverage: 1 };
  }

  /**
   * 「那要是前年在农商行贷过80万，已经还清了呢」 after 「…能去首贷中心申请不？」: a what-if that puts other facts in place
   * asks the last may-I again, on the facts it now tells (with the last question's asking clause and subject).
   */
  private whatIfWhoMay(question: string, frame: Frame, previousFrame: Frame | undefined, topic: string, previousTopic?: string): Answer | null {
    if (!frame.followUp || !previousTopic || !previousFrame?.types.includes('yesno') || !REPLACES.test(question.trim())) return null;
    const ask = askingClause(foldText(previousTopic));
    if (!ASKS_MAY_USE.test(ask)) return null;
    const subjects = frame.subjects.length ? frame.subjects : previousFrame.subjects;
    return this.measureWhoMay(`${question.trim().replace(/呢?[？?。！!]*$/, '')}，${ask}`, { ...frame, subjects, types: ['yesno'] }, topic);
  }

  /**
   * 「我们公司2022年3月注册的，点数成金经营年限够不够」: a yes/no about taking part in a campaign that states facts its
   * rules test is answered by those rules: no with the rule a fact fails, else yes with the rules the facts meet (and a
   * note that only those were checked). Null when the question states nothing a rule tests.
   */
  /**
   * 「ok转成jpg了，结果变成260kb，这回行了吧」「估计得写到五千五，那还中不」 after a yes/no held a figure against a rule: the new
   * figures (sizes, formats, pixels, counts) held against the rule the last answer quoted. Null unless the question is a
   * follow-up that names no subject of its own, gives such a figure, and the rule settles it.
   */
  private recheck(asked: string, frame: Frame, previousFrame: Frame | undefined, topic: string, previousTopic?: string): Answer | null {
    const { corpus } = this.options;
    // (The turn before may itself have been such a follow-up — 「那要是png呢」 — whose own words ask no yes/no: the
    // conversation's question is still whether the file passes.)
    const askedFit = previousFrame?.types.includes('yesno') || (previousTopic !== undefined && ASKS_FIT.test(foldText(previousTopic)));
    if (!frame.followUp || frame.named.length > 0 || !askedFit || !previousFrame?.cited?.length) return null;
    // (Only a question whether the figures now meet the rule: 「补贴的钱是打给我们企业吗」 asks something else.)
    // (New figures told with no question — 「又压了一下 190kb 还是1000*1000 jpg」 — ask the same.)
    // (「那要是png呢」 puts another figure or format in place of the last one: the same question.)
    if (!ASKS_FIT.test(askingClause(foldText(asked))) && !REPLACES.test(asked.trim()) && /[吗呢么？?]|谁|哪|什么|啥|多少|怎|咋|几/.test(asked)) return null;
    // (A bare number — 「估计得写到五千五」 after 「写了四千八百字」 — is in the unit the last question gave its figure in.)
    const unit = previousTopic ? FIGURE_UNIT.exec(previousTopic)?.[1] : undefined;
    const question = unit && !FIGURE_UNIT.test(asked) ? asked.replace(BARE_NUMBER, (n) => `${n}${unit}`) : asked;
    const counted = withQuotedTextCounted(question);
    if (!statedFigure(counted) && !FILE_FORMAT_OR_PIXELS.test(question)) return null;
    const quotes = previousFrame.cited.flatMap((c) => {
      const doc = corpus.document(c.docId);
      return doc ? [quoteAt(doc, c.start, c.end)] : [];
    });
    if (quotes.length === 0) return null;
    const composition = composeQuotes(quotes, 'other');
    const opening = this.verdictOpening(question, undefined, composition);
    if (opening.startsWith(NO_PLAIN_VERDICT)) return null;
    const citations = this.cite(composition);
    if (citations.length === 0) return null;
    return { answer: `${opening}${composition.text}`, answerable: true, citations, mode: 'extractive', topic, coverage: 1 };
  }

  /** The subjects among `ids` that are a campaign or part of one (a track, a list of it). */
  private campaignSubjects(ids: string[]): Subject[] {
    const gazetteer = this.options.understanding?.gazetteer;
    if (!gazetteer) return [];
    return ids.map((id) => gazetteer.get(id)).filter((s): s is Subject => s !== undefined && gazetteer.ofCampaign(s));
  }

  /**
   * 「金融兴辽网络投票八十分，专家评审90分，综合得多少」: the scores given, totalled by the weights the campaign's document
   * states (a computation of the rule language), with the sentence that states the weights. Null unless every part is given.
   */
  private weightedScore(question: string, frame: Frame, topic: string, earlier?: string): Answer | null {
    const { understanding } = this.options;
    if (!understanding?.scores) return null;
    const found = understanding.scores.compute(question, docIdsOf(this.campaignSubjects(frame.subjects)), earlier);
    if (!found) return null;
    const composition = composeQuotes([found.quote], 'other');
    const citations = this.cite(composition);
    if (citations.length === 0) return null;
    const pct = (w: number) => `${Number((w * 100).toFixed(2))}%`;
    const sum = found.parts.map((p) => `${p.name}${p.score}分×${pct(p.weight)}`).join(' + ');
    if (found.needed) {
      const n = found.needed;
      const reach = n.score > 100 ? `，超过100分，按这个比例即使满分也达不到${n.target}分` : n.score <= 0 ? '，已经够了' : '';
      return {
        answer: `要综合得分${n.target}分，${n.name}需要至少${n.score}分：（${n.target} − ${sum}）÷ ${pct(n.weight)} = ${n.score}分${reach}。\n${composition.text}`,
        answerable: true,
        citations,
        mode: 'extractive',
        topic,
        coverage: 1,
      };
    }
    if (found.others?.length) {
      // One line per case, in the order the question gives them.
      const sets = [found, ...found.others];
      const lines = sets.map((set, i) => `第${i + 1}组：${set.parts.map((p) => `${p.name}${p.score}分×${pct(p.weight)}`).join(' + ')} = ${set.total}分`);
      const totals = sets.map((set) => set.total);
      const lead = this.comparisonLead(question, totals);
      return {
        answer: `${lead}按您给的${lines.length}组分数，综合得分分别为：\n${lines.join('\n')}\n${scoreGapLine(question, totals)}${composition.text}`,
        answerable: true,
        citations,
        mode: 'extractive',
        topic,
        coverage: 1,
      };
    }
    return { answer: `综合得分为${found.total}分：${sum} = ${found.total}分。\n${composition.text}`, answerable: true, citations, mode: 'extractive', topic, coverage: 1 };
  }

  /**
   * 「B 靠投票能反超 A 吗」 over two sets of scores named A and B (甲/乙): whether the one the question asks about
   * (the first name in its asking clause) has the higher total, as a verdict; '' when the question names no two sets
   * or asks no such thing.
   */
  private comparisonLead(question: string, totals: number[]): string {
    if (totals.length !== 2) return '';
    const folded = foldText(question);
    const asked = askingClause(folded);
    const can = PASSES.test(asked);
    if (!can && !HIGHER.test(asked)) return '';
    const labels = setLabels(folded);
    const subject = SET_LABEL.exec(asked);
    if (labels.length !== 2 || !subject) return '';
    const index = labels.indexOf((subject[1] ?? subject[2]).toUpperCase());
    if (totals[index] === totals[1 - index]) return '';
    const higher = totals[index] > totals[1 - index];
    const verdict = can ? (higher ? '能' : '不能') : higher ? '是的' : '不是';
    const name = (i: number) => `${labels[i]}（第${i + 1}组）`;
    return `${verdict}：${name(index)}综合得分${totals[index]}分，${higher ? '高于' : '低于'}${name(1 - index)}的${totals[1 - index]}分。\n`;
  }

  private campaignEligibility(question: string, frame: Frame, topic: string, previousTopic?: string, previousFrame?: Frame): Answer | null {
    const { understanding, corpus } = this.options;
    if (!understanding?.eligibility) return null;
    // 「我们给三家城商行做的，算合作吧」 after 「…我们这种公司能报不？」, 「现在补了数据：…这回呢？」 after a no: the facts it
    // gives are added to the case the last question told, and the rules (of the campaign that question was about) held
    // against both. It answers when it changes what the rules find; a follow-up asking something else leaves them as they were.
    const told =
      previousTopic !== undefined &&
      ASKS_TO_TAKE_PART.test(foldText(previousTopic)) &&
      !ASKS_TO_TAKE_PART.test(foldText(question)) &&
      (frame.followUp || REVISITS.test(question));
    const subjects = this.campaignSubjects(told && previousFrame?.subjects.length ? previousFrame.subjects : frame.subjects);
    if (subjects.length === 0) return null;
    const check = (text: string) => understanding.eligibility!.check(text, docIdsOf(subjects), subjects.map((s) => s.name));
    const before = told ? check(previousTopic!) : null;
    // (「那要是23年1月才正式上线呢」 puts a date in place of the one the case said of the same event: the case is read
    // without that date; its other dates — 「2018年成立」 — stay.)
    const events = REPLACES.test(question.trim()) && DATED.test(question) ? (question.match(DATED_EVENT) ?? []) : [];
    const replaced = events.length
      ? previousTopic?.replace(DATED_ALL, (date, at: number, whole: string) => (events.some((e) => whole.slice(at + date.length, at + date.length + 8).includes(e) || whole.slice(Math.max(0, at - 6), at).includes(e)) ? '' : date))
      : previousTopic;
    const combined = `${replaced}。${question}`;
    const after = before ? check(combined) : null;
    const key = (f: NonNullable<typeof before>) => `${f.verdict}|${f.rules.map((r) => r.id).join()}|${f.open.map((r) => r.id).join()}`;
    const answersOurQuestion = before !== null && after !== null && key(before) !== key(after);
    if (!answersOurQuestion && (!frame.types.includes('yesno') || !ASKS_TO_TAKE_PART.test(foldText(question)))) return null;
    const asked = answersOurQuestion ? combined : question;
    const found = answersOurQuestion ? after : check(asked);
    if (!found) return null;
    const sentence = (quote: Quote) => {
      const doc = corpus.document(quote.docId)!;
      return quoteAt(doc, ...sentenceAround(doc.text, quote.start, quote.end));
    };
    // The rules that decide (or are met), then, for a conditional yes, the rules still waiting for a fact, each quoted.
    const deciding = dedupeQuotes(found.rules.map(({ quote }) => sentence(quote)));
    const waiting = dedupeQuotes(found.open.map(({ quote }) => sentence(quote))).filter((q) => !deciding.some((d) => d.start === q.start && d.docId === q.docId));
    const composition = composeQuotes([...deciding, ...waiting], 'other');
    const citations = this.cite(composition);
    if (citations.length === 0) return null;
    const asks = [...new Set(found.open.map((o) => o.ask).filter((a): a is string => Boolean(a)))];
    const assumed = found.assumed.length ? `\n（按申报时须作出的承诺，假定${found.assumed.map((a) => a.quote.quote.replace(/[。；，]$/, '')).join('、')}。）` : '';
    const note =
      found.verdict === 'conditional'
        ? `${asks.length ? `\n还需要确认：${asks.join('')}` : ''}${assumed}`
        : found.verdict === 'yes'
          ? found.unchecked > 0
            ? `\n${CHECKED_ONLY}`
            : assumed
          : '';
    // The verdict is worded as the clause that asks to take part (「能报金融兴辽吗」), not a detail asked after it.
    // (「报名截止哪天？」 beside it names 报名 too, but asks no yes/no.)
    const clauses = asked.split(/(?<=[？?！!。；;])/).filter((c) => ASKS_TO_TAKE_PART.test(foldText(c)));
    const clause = clauses.find((c) => /[吗么不呗][？?！!。\s]*$|能不能|可不可以|行不行|够不够/.test(c)) ?? clauses[0] ?? asked;
    const lead = found.verdict === 'conditional' ? CONDITIONAL_YES : verdictLead(clause, found.verdict);
    const readings = (found.readings ?? []).map((r) => `\n（${r}。）`).join('');
    // 「截止是哪天，到今天过去多少天了」: the days since (or to) the quoted deadline.
    const counted = this.counted(question, composition.claims.map((c) => c.text)).trimEnd();
    return { answer: `${lead}\n${composition.text}${note}${readings}${counted ? `\n${counted}` : ''}`, answerable: true, citations, mode: 'extractive', topic, coverage: 1 };
  }

  /**
   * A case typed into the chat with a question which campaign or track it fits (「…这个报哪个合适？」「想报十大事件、
   * 金融兴辽，看看哪个对口」): the same recommendations as /api/recommend — the best-fitting tracks with why (the
   * track's focus quoted), each campaign's conditions (met, failed with the rule quoted, or still to tell), the
   * campaigns it may not apply to, and a pointer to the case form for the full reasons. Null for anything else.
   */
  private trackAdvice(question: string, frame: Frame, beside?: { offset: number }): Answer | null {
    const { understanding } = this.options;
    const recommender = understanding?.tracks;
    if (!recommender) return null;
    const text = question.replace(/\s+/g, '');
    const campaignsNamed = new Set(this.campaignSubjects(frame.named).map((s) => s.docId));
    // (A long case that only says it wants to apply, or asks nothing, is asking where it fits; a yes/no about one campaign
    // — 「…能报金融兴辽不？」 — is answered by that campaign's rules first, and a case told at length gets the other
    // tracks it fits beside that verdict.)
    const yesNoOnOne = campaignsNamed.size <= 1 && frame.types.includes('yesno');
    const asksWhich =
      WHICH_TRACK.test(text) ||
      ASKS_ALTERNATIVES.test(text) ||
      campaignsNamed.size >= 2 ||
      (text.length >= 100 && (beside !== undefined || (!yesNoOnOne && (WANTS_TO_APPLY.test(text) || frame.types.length === 0))));
    if (text.length < 50 || !INTRODUCES_A_CASE.test(text)) return null;
    // A shorter case that asks nothing at all is one too when the applicant is of a kind the campaigns are for (a bank, an
    // insurer, a fintech, a university …) — an enterprise telling its own situation (贷款明年到期) is asking about the measures.
    const asksNothing = frame.types.length === 0 && !ASKS_SOMETHING.test(text);
    const result = asksWhich || asksNothing ? recommender.match(question) : null;
    if (!result || !(asksWhich || (result.facts.orgType !== undefined && result.facts.orgType !== 'enterprise'))) return null;
    const citations: Citation[] = [];
    const renumber = (line: string, own: Citation[]) =>
      line.replace(/\[(\d+)\]/g, (whole, n: string) => {
        const c = own.find((x) => x.n === Number(n));
        if (!c) return '';
        let global = citations.find((x) => x.docId === c.docId && x.start === c.start && x.end === c.end);
        if (!global) citations.push((global = { ...c, n: (beside?.offset ?? 0) + citations.length + 1 }));
        return `[${global.n}]`;
      });
    const fitting = result.recommendations.filter((r) => r.fits && r.eligible !== false).slice(0, 3);
    const barred = result.recommendations.filter((r) => r.eligible === false && (r.named || r.fits));
    const lines: string[] = [];
    if (beside && fitting.length === 0) return null;
    if (fitting.length === 0) lines.push(result.message ?? '没有找到与这个案例明显相符的赛道。');
    else lines.push(beside ? '按您描述的案例，各项征集中较合适的赛道（按相符度排序）：' : '根据您描述的案例，较合适的赛道（按相符度排序）：');
    fitting.forEach((r, i) => {
      const quota = r.quota ? `，名额${r.quota}个` : '';
      lines.push(`${i + 1}. ${r.track}（${r.campaign}${quota}）：${renumber(r.reasons[0] ?? '', r.citations)}`);
      if (r.eligible === null && r.questions.length) lines.push(`   申报条件还需确认：${r.questions.join('')}`);
    });
    const seen = new Set<string>();
    for (const r of barred) {
      if (seen.has(r.campaignId)) continue;
      seen.add(r.campaignId);
      const failing = r.reasons.filter((line) => line.startsWith('不符合：')).map((line) => renumber(line.replace(/^不符合：/, ''), r.citations));
      if (failing.length) lines.push(`不能申报${r.campaign}：${failing.join('')}`);
    }
    if (citations.length === 0) return null;
    lines.push('如需查看每个赛道的完整理由、全部申报条件和申报时间，可打开“赛道推荐”，用这段描述获取推荐。');
    const recommendations = [...fitting, ...barred.filter((r) => !fitting.includes(r))].map((r) => ({
      campaignId: r.campaignId,
      campaign: r.campaign,
      trackId: r.trackId,
      track: r.track,
      eligible: r.eligible,
    }));
    return { answer: lines.join('\n'), answerable: true, citations, mode: 'extractive', topic: question, coverage: 1, tracks: { recommendations } };
  }

  /**
   * 「公示期间有异议谁来管？查实了咋办」「经验总结最少写多少字，未来展望呢」: two questions in one, each asking its own
   * kind of thing, are answered each on its own (the second keeps the first's subject) and shown together. Only when
   * both are answered from the text and their answers differ; otherwise the question is read whole.
   */
  private twoAsks(question: string, frame: Frame, previousFrame: Frame | undefined): FramedResult | null {
    const { understanding } = this.options;
    if (!understanding || frame.subjects.length === 0) return null;
    const clauses = question
      .split(/(?<=[？?])|[，,](?=[^，,？?]{2,}呢[？?]?$)/)
      .map((c) => c.trim())
      .filter((c) => c.replace(/[？?，,。\s]/g, '').length >= 3);
    if (clauses.length !== 2) return null;
    const frames = clauses.map((c, i) => {
      const read = understanding.reader.read(c, i === 0 ? previousFrame : frame);
      return read.subjects.length ? read : { ...read, subjects: frame.subjects, subjectInherited: true };
    });
    // Each clause must ask for something (the second may ask it of another thing: 「…最少写多少字，未来展望呢」).
    if (frames.some((f) => f.types.length === 0)) return null;
    const parts = clauses.map((c, i) => understanding.framed.answer(c, frames[i], i === 0 ? previousFrame : frame));
    if (!parts.every((p) => p?.kind === 'answer')) return null;
    const [a, b] = parts as Array<Extract<FramedResult, { kind: 'answer' }>>;
    const key = (x: typeof a) => x.composition.claims.map((c) => `${c.docId}:${c.start}:${c.end}`).join('|');
    if (key(a) === key(b)) return null;
    return { kind: 'answer', composition: understanding.framed.join([a.composition, b.composition]), how: 'typed', verdict: a.verdict ?? b.verdict };
  }

  /**
   * Years and editions the question names (2024年的, 第四届) must be in what
   * the answer quotes; a city it names (大连的驿站) must not be answered with
   * a quote about another city (沈阳的驿站).
   */
  private coversYears(frame: Frame, claims: Array<{ text: string; section: string; docId?: string; start?: number }>): boolean {
    // Every quoted claim must be about the named year or edition: a background sentence that mentions 2024
    // does not make the 2025 deadline next to it an answer about 2024. The edition a document's own title names
    // (「第三届（2025）“十大科技金融事件”…」) is what every sentence of it is about.
    const heading = (c: { docId?: string }) => {
      const text = c.docId ? (this.options.corpus.document(c.docId)?.text ?? '') : '';
      return text.slice(0, Math.max(0, text.indexOf('\n')));
    };
    // So is what the same line says just before the claim (「…共同举行的第二届“金融兴辽”…取得了圆满成功。活动评选出了…」).
    const before = (c: { docId?: string; start?: number }) => {
      const text = c.docId && c.start !== undefined ? (this.options.corpus.document(c.docId)?.text ?? '') : '';
      return c.start === undefined ? '' : text.slice(text.lastIndexOf('\n', c.start - 1) + 1, c.start);
    };
    const about = (c: { text: string; section: string; docId?: string; start?: number }) => `${heading(c)} ${c.section} ${before(c)} ${c.text}`;
    if (!claims.every((c) => frame.years.every((y) => about(c).includes(String(y))) && frame.editions.every((e) => about(c).includes(e)))) return false;
    const said = claims.map(about).join(' ');
    if (frame.localities.length === 0) return true;
    const cities = this.options.understanding!.localities.filter((c) => said.includes(c));
    return cities.length === 0 || frame.localities.some((c) => cities.includes(c));
  }

  private async answerFromText(question: string, previousTopic: string | undefined, turn: ModelTurn | undefined, framing?: { frame: Frame; subjects: Subject[] }): Promise<Answer> {
    const { corpus, retriever } = this.options;
    const analyzed = retriever.analyze(question);
    const intent = detectIntent(question);
    const followUp = Boolean(previousTopic) && (framing ? framing.frame.followUp : looksLikeFollowUp(question, analyzed.content.length));
    const context = followUp ? previousTopic : undefined;
    const topic = context ? `${context} ${question}` : question;
    if (analyzed.content.length === 0 && !context) return this.decline('empty', question, topic, 0);

    let hits = this.preferNamedDocuments(analyzed.text, await retriever.retrieve(analyzed, { k: RETRIEVE_K * 3, context, signal: turn?.deadline }));
    if (framing && framing.subjects.length) {
      // The answer comes from the subject's own text; another subject's detail never stands in for it.
      const gazetteer = this.options.understanding!.gazetteer;
      const inside = hits.filter((h) => gazetteer.touches(framing.subjects, h.chunk.docId, h.chunk.start, h.chunk.end));
      if (inside.length === 0 && !framing.frame.subjectInherited) return this.decline('no_evidence', question, topic, 0);
      if (inside.length > 0) hits = inside;
    }
    hits = hits.slice(0, RETRIEVE_K);
    const asked = weighContent(retriever, analyzed.content);
    const contextTerms = context
      ? weighContent(
          retriever,
          retriever.analyze(context).content.filter((t) => !analyzed.content.some((q) => q.term === t.term)),
        )
      : [];
    let evidence = gatherEvidence(corpus, retriever, hits, asked, contextTerms, intent);
    if (framing && framing.subjects.length) {
      const gazetteer = this.options.understanding!.gazetteer;
      const inside = evidence.filter((e) => gazetteer.touches(framing.subjects, e.docId, e.start, e.end));
      if (inside.length) evidence = inside;
    }
    const covered = answerCoverage(asked, evidence);
    if (covered >= MIN_COVERAGE && this.missesAskedDetail(analyzed.text, evidence.slice(0, 6).map((e) => e.folded))) {
      return this.decline('no_evidence', question, topic, covered);
    }
    if (covered < MIN_COVERAGE) {
      // Off-topic only when the question names nothing the domain vocabulary knows.
      // A follow-up about the conversation's subject is never off-topic, however few words of its own it has.
      const offTopic = covered < OUT_OF_SCOPE_COVERAGE && analyzed.groups.length === 0 && !framing?.frame.subjects.length;
      return this.decline(offTopic ? 'out_of_scope' : 'no_evidence', question, topic, covered);
    }

    let composition = composeExtractive(corpus, retriever, evidence, asked, intent);
    // A passage answered with a lead alone (「（3）重点征集方向（包括但不限于）」) gives the lines it leads.
    if (composition.claims.length === 1) {
      const [claim] = composition.claims;
      const doc = corpus.document(claim.docId);
      const items = doc ? ledLines(doc, { start: claim.start, end: claim.end, quote: claim.text }) : [];
      if (doc && items.length >= 2) composition = composeQuotes([quoteAt(doc, claim.start, claim.end), ...items], 'list');
    }
    let mode: Answer['mode'] = 'extractive';
    if (turn) {
      const claims = composition.claims.map((c) => c.text);
      const drafted = await this.draftWithModel(question, context, hits.map((h) => h.chunk), turn, [gapLine(question, claims), this.counted(question, claims)]);
      // The draft stands only where it answers what the extractive answer would: else the extractive answer does.
      if (drafted && this.answersModelDraft(question, drafted, turn, framing?.frame, analyzed.text)) {
        composition = drafted;
        mode = 'llm';
      }
    }
    if (framing && !this.answersAskedType(question, framing.frame, composition)) return this.decline('no_evidence', question, topic, covered);
    // The detail the question names (利率) must be in what the answer quotes, not only somewhere near it.
    if (this.missesAskedDetail(analyzed.text, composition.claims.map((c) => foldText(c.text)))) return this.decline('no_evidence', question, topic, covered);
    if (framing && !this.coversYears(framing.frame, composition.claims)) return this.decline('no_evidence', question, topic, covered);
    const citations = this.cite(composition);
    if (citations.length === 0) return this.decline('no_evidence', question, topic, covered);
    let text = composition.text;
    if (mode === 'extractive') {
      const claims = composition.claims.map((c) => c.text);
      // (A yes/no's verdict line says its own gap.)
      const gap = framing?.frame.types.includes('yesno') ? '' : gapLine(question, claims);
      text = withCounted(text, `${gap}${this.counted(question, claims)}`, false);
    }
    if (framing?.frame.types.includes('yesno')) text = `${this.verdictOpening(question, undefined, composition)}\n${text}`;
    if (intent.time) text += this.dateNote(citations);
    return { answer: text, answerable: true, citations, mode, topic, coverage: covered };
  }

  /**
   * A yes/no question is answered yes or no first: the bank's verdict, else the
   * one the quoted rule's own words give, else a plain statement that the
   * documents give none (never a guess).
   */
  private verdictOpening(question: string, settled: 'yes' | 'no' | undefined, composition: Composition): string {
    const quoted = composition.claims.map((c) => c.text);
    // A figure or a missing condition the asker states, held against the quoted limit or list, decides first: a
    // rule that permits 「最高300万元」 does not permit 500万.
    // (A file in a format the rule does not allow is a no, whatever its size.)
    const counted = withQuotedTextCounted(question);
    // (A limit whose own sentence says what to do beyond it — 「最高可获得300万元…若额度评估结果不能满足企业贷款需求，企业可
    // 勾选…申请贷款」 — does not make a larger figure a no.)
    const found = limitComparison(counted, quoted);
    // 「信用修复3天能整完不」 against 「最快仅需3天」: the best case is possible, never assured.
    if (found?.bestCase) {
      const { value, fastest, unit } = found.bestCase;
      return value === fastest
        ? `不一定：原文说最快${fastest}${unit}，${value}${unit}内办完要按最快的速度，不能保证。`
        : `不一定：原文说最快${fastest}${unit}，${value}${unit}内有可能办完，但原文没有保证的时限。`;
    }
    const limit = found?.verdict === 'no' && quoted.some((q) => beyondLimitProvided(q, question)) ? null : found;
    // (A name that carries an organisation's or a product's name is a no, whatever its length.)
    const named = nameContentFinding(question, quoted);
    const pixels = pixelFinding(question, quoted);
    const format = formatFinding(question, quoted);
    // Every check the question's facts can be held to; one that fails is a no, whatever the others find
    // (a 150KB JPG of 300×300 pixels meets the size and the format, not the pixels).
    // 「稿子里写的是“…放宽至不高于各项贷款不良率2个百分点”，这个说法准确吗」: a figure the claim gives that the quoted text
    // gives otherwise, in the same unit, makes the claim wrong.
    const misquoted = misquotedFigure(question, quoted);
    const checks = [
      misquoted ? 'no' : null,
      named?.verdict ?? null,
      verdictFromRegistration(question, quoted, this.options.understanding!.places ?? []),
      format?.verdict ?? null,
      pixels?.verdict ?? null,
      limit?.verdict ?? null,
      verdictFromConditions(question, quoted),
    ];
    // The conditions a rule lists (5项标准), held against those the question says it meets: all of them is a yes, some
    // of them a conditional yes that names the rest.
    const met = checks.includes('no') ? null : conditionsMet(question, quoted);
    if (met?.verdict === 'conditional') return `有条件可以：您说到的符合，还要满足${met.missing.map((m) => `“${m}”`).join('、')}。`;
    const measured = checks.includes('no') ? 'no' : (checks.find((c): c is 'yes' => c === 'yes') ?? (met ? 'yes' : undefined));
    // A figure the quoted limit could not be held against (several figures against a floor) is not settled by wording.
    if (!measured && found === limit && facesLimit(question, quoted)) return NO_PLAIN_VERDICT;
    // 「案例名称用这个可以吗」: a rule on what a name must not carry (不应包含企业、品牌、产品名称) says no only of a name that
    // carries one; of a name not shown, or one that carries none, its 「不应」 decides nothing.
    if (!measured && !settled && asksAboutBannedName(question, quoted)) return NO_PLAIN_VERDICT;
    // 「截止哪天？现在还来得及么」 against dates that have all passed: no.
    if (!measured && ASKS_STILL_OPEN.test(foldText(question))) {
      const today = todayIn(this.options.clock);
      const dates = quoted.flatMap((q) => findDates(q));
      if (dates.length > 0 && dates.every((d) => d.date < today)) return '不可以，已经截止。';
    }
    const verdict = measured ?? settled ?? this.ruleVerdict(question, quoted) ?? verdictFromListedApplicant(question, composition.claims);
    if (!verdict) return NO_PLAIN_VERDICT;
    // The figure held against the limit, and how far from it (「按24个字计，超出20字的上限4字。」).
    const gap = measured && measured === limit?.verdict ? limit.gap : undefined;
    let figure = '';
    if (gap) figure = `按${figureIn(gap.value, gap.unit)}计，${gapRelation(gap, verdict, false, (n) => figureIn(n, gap.unit))}。`;
    const carries = `${named ? `名称中含有“${named.carries}”（${named.kind}）。` : ''}${format?.said ?? ''}${pixels?.said ?? ''}`;
    const sum = measured && measured === limit?.verdict && limit.sum ? `${limit.sum.parts}部分合计${limit.sum.value}${limit.sum.unit}。` : '';
    const said = misquoted && verdict === 'no' ? `原文为${misquoted.quoted}，不是${misquoted.claimed}。` : '';
    return `${verdictLead(question, verdict)}${said}${carries}${sum}${figure}`;
  }

  /** The yes or no the quoted text's own words give (the sentence of it that rules on the question), or null. */
  private ruleVerdict(question: string, quoted: string[]): 'yes' | 'no' | null {
    const polarity = this.options.understanding!.polarity;
    const rule = ruleSentence(question, quoted, polarity);
    return rule ? verdictFromRule(question, rule, polarity) : null;
  }

  /**
   * Whether a question describes a case (「单户200万、费率0.8%」「贷款2027年6月到期」) rather than quoting the
   * policy's own figures (「那0.5%多久拨付」) or naming the size a measure is for (「小微企业续贷提前多久」).
   */
  private statesOwnFacts(question: string): boolean {
    if (!this.describesCase(question)) return false;
    // A figure said as a limit (「单户500万元以下」「费率不超过1%的」) is the policy's, quoted back; one said of the asker's
    // own loan or guarantee (「500万的担保，收费1个点」), even when it equals a figure of the documents, is a fact of the case.
    const figures = [...question.matchAll(/\d+(?:\.\d+)?\s*(?:%|％|万元|万|亿元|亿|元|年\d{1,2}月\d{1,2}日|年\d{1,2}月|年|个月|月|日|天|家|户|个点)?/g)];
    const asLimit = (m: RegExpMatchArray) =>
      /^(?:元)?(?:以下|以内|以上|及以下|之内|及以上)/.test(question.slice(m.index! + m[0].length)) ||
      /(?:不超过|不高于|不低于|低于|高于|最高|上限|最多|超过)$/.test(question.slice(Math.max(0, m.index! - 3), m.index));
    return figures.length === 0 || figures.some((m) => !asLimit(m));
  }

  /**
   * Whether the question tells any fact of a case beyond a size or the topic's own words (a loan type, a date, an
   * amount): whether the enterprise has a loan or a guarantee is read from the topic's words (续贷, 担保) and tells no case.
   */
  private describesCase(question: string): boolean {
    // (A loan's amount said of a guarantee counts: the rules take it, and say so.)
    const { size: _size, ...facts } = assumptionsIn(question, extractFacts(question, todayIn(this.options.clock))).facts;
    return Object.values(facts).some((value) => typeof value !== 'boolean');
  }

  /** An answer to 「邮箱是啥」 must state an email: a neighbouring sentence of the same section does not answer it. */
  private answersAskedType(question: string, frame: Frame, composition: Composition): boolean {
    const types = this.options.understanding!.types.filter((t) => t.values && frame.types.includes(t.type));
    if (types.length === 0) return true;
    // A value the question itself names is what it asks about, not the answer (「东北亚金融大会在哪开」: the 大会 is no place).
    const asked = foldText(question).replace(/[“”"'‘’「」《》]/g, '');
    // The value is taken with the name it ends (「辽宁省融资信用服务平台」, not 「平台」 alone).
    const named = (text: string, m: RegExpMatchArray) => {
      const before = text.slice(Math.max(0, m.index! - 12), m.index!);
      return foldText(before.slice(before.search(/[^，。；：、“”（）《》()\s]*$/)) + m[0]);
    };
    const states = (text: string, re: RegExp) =>
      allMatches(re, text).some(
        (m) => /^[：:]/.test(text.slice(m.index! + m[0].length)) || !(asked.includes(named(text, m)) || (m[0].length >= 4 && asked.includes(foldText(m[0])))),
      );
    // Every detail asked in its own clause must be stated (「辅导会哪天在哪开」: a date and a place, not a 公众号).
    // (「多少」 asks a figure alongside most other details; it is not a detail of its own here.)
    const groups = askedTogether(question, types).filter((group) => !group.every((t) => t.type === 'amount'));
    const answered = (group: AskedTypeDef[]) => composition.claims.some((c) => group.some((t) => t.values!.some((re) => states(c.text, re))));
    return groups.length ? groups.every(answered) : composition.claims.some((c) => types.some((t) => t.values!.some((re) => states(c.text, re))));
  }

  /**
   * 「续贷利率是多少」: the question asks for a detail (corpus/required-details.txt)
   * that none of the best sentences states; quoting them would not answer it.
   */
  private missesAskedDetail(question: string, sentences: string[]): boolean {
    // Literal match: synonym groups are too broad here (收费 is not a 手续费 amount).
    // A year the question names (「2026年度的金融兴辽」) is such a detail too.
    // A year other than the documents' own is the frame's business (coversYears): 「2025年那期啥时候申报」 is asking about these documents.
    const years = this.options.understanding ? [] : (question.match(/20\d{2}(?=年)/g) ?? []);
    const details = [...(this.options.retriever.lexicon.requiredDetails ?? []), ...years.map((y) => ({ word: y, accept: [y] }))];
    // A detail named in a remark after the asking clauses (「领导催着下班前发出去」) is not asked.
    const asked = withoutTrailingRemarks(question);
    return details.some((detail) => asked.includes(detail.word) && !sentences.some((s) => detail.accept.some((word) => s.includes(word))));
  }

  /**
   * When the question names a document (「金融兴辽」「点数成金」, or a synonym
   * of its short title), evidence comes from that document only.
   */
  private preferNamedDocuments(text: string, hits: RetrievedChunk[]): RetrievedChunk[] {
    const { corpus, retriever } = this.options;
    const named = corpus.documents
      .filter((doc) => {
        const title = doc.shortTitle.toLowerCase();
        const group = retriever.lexicon.synonyms.find((g) => g.includes(title)) ?? [title];
        return group.some((alias) => text.includes(alias));
      })
      .map((doc) => doc.id);
    if (named.length === 0) return hits;
    const kept = hits.filter((h) => named.includes(h.chunk.docId));
    return kept.length > 0 ? kept : hits;
  }

  /**
   * Has the model draft an answer from the passages, streaming: each sentence is checked against the quotes it
   * cites as soon as it is complete (src/answer/claims.ts) and, when it passes, shown through the turn's
   * onSentence; one that fails is dropped and recorded. Null when nothing held, the model declined, or the
   * deadline passed before any sentence did — the caller's extractive answer stands then.
   */
  private async draftWithModel(question: string, context: string | undefined, chunks: Passage['chunk'][], turn: ModelTurn, computed: string[]): Promise<Composition | null> {
    const { llm, corpus, clock, onLlmFallback, llmMaxChars = 1200, understanding } = this.options;
    const passages: Passage[] = chunks.map((chunk, i) => ({ id: `P${i + 1}`, chunk }));
    const today = todayIn(clock);
    const [y, m, d] = today.split('-').map(Number);
    const grounder = new DraftGrounder(
      corpus,
      passages,
      { places: (understanding?.places ?? []).map((p) => p.name), computed: [`${y}年${m}月${d}日`, ...computed] },
      { maxChars: llmMaxChars, maxCitations: 20 },
    );
    // Stopped by the deadline, or by us once the answer reached its length limit.
    const stop = new AbortController();
    const signal = eitherSignal(turn.deadline, stop.signal);
    const show = (sentences: ShownSentence[]) => {
      for (const sentence of sentences) {
        turn.checks.shown++;
        // (Numbered as in the whole answer: the sentence's new claims are the last ones the grounder took.)
        const citations = this.cite({ text: '', claims: grounder.claims }).filter((c) => sentence.claims.includes(grounder.claims[c.n - 1]));
        turn.onSentence?.({ text: sentence.text, citations });
      }
    };
    let last: unknown = undefined;
    let reason: string | undefined;
    try {
      if (turn.deadline.aborted) throw new Error('deadline passed before the model was called');
      for await (const partial of llm!.stream({ question, context, passages, today }, signal)) {
        last = partial;
        show(grounder.feed(partial as Record<string, unknown>, false));
        if (grounder.full) {
          stop.abort(new Error('answer length limit'));
          break;
        }
      }
      if (last && !grounder.full) show(grounder.feed(last as Record<string, unknown>, true));
      if (grounder.declined) reason = 'model declined: the passages do not answer';
    } catch (error) {
      reason = turn.deadline.aborted ? 'model call timed out' : `model call failed: ${(error as Error).message}`;
    }
    turn.checks.sentences += grounder.sentences;
    turn.checks.dropped.push(...grounder.dropped);
    const composition = grounder.composition();
    if (!composition) {
      reason ??= grounder.sentences === 0 ? 'model answer had no usable sentence' : 'no sentence of the model answer had a verifiable citation';
      turn.checks.fallback = reason;
      onLlmFallback?.(reason);
    }
    return composition;
  }

  /**
   * The model's reading of the question (subjects, asked types, facts), checked against the gazetteer, the asked-type
   * lexicon and the question's own words; null when the model does not read questions, fails, or answers out of schema.
   */
  private async readWithModel(question: string, previousTopic: string | undefined, turn: ModelTurn): Promise<AcceptedReading | null> {
    const { llm, understanding, clock, onLlmFallback } = this.options;
    if (!llm?.readFrame || !understanding) return null;
    const input = {
      question,
      context: previousTopic,
      subjects: understanding.gazetteer.subjects.map((s) => ({ id: s.id, name: s.name })),
      types: understanding.types.map((d) => ({ type: d.type, label: ASKED_LABELS[d.type] ?? d.type })),
      today: todayIn(clock),
    };
    try {
      const parsed = modelFrameSchema.safeParse(await llm.readFrame(input, turn.deadline));
      if (!parsed.success) {
        onLlmFallback?.('model reading of the question did not fit the schema');
        return null;
      }
      return acceptModelReading(parsed.data, input);
    } catch (error) {
      onLlmFallback?.(turn.deadline.aborted ? 'model reading of the question timed out' : `model reading of the question failed: ${(error as Error).message}`);
      return null;
    }
  }

  /**
   * Whether a grounded draft answers what was asked: the type the frame asks (a date for 截止哪天) and, given the
   * question's folded text, the detail it names (利率); records and logs the fallback when not.
   */
  private answersModelDraft(question: string, draft: Composition, turn: ModelTurn, frame?: Frame, detailText?: string): boolean {
    const answersType = !frame || this.answersAskedType(question, frame, draft);
    if (answersType && !(detailText !== undefined && this.missesAskedDetail(detailText, draft.claims.map((c) => foldText(c.text))))) return true;
    turn.checks.fallback = 'model answer does not answer the asked detail';
    this.options.onLlmFallback?.(turn.checks.fallback);
    return false;
  }

  /**
   * The passages a model drafts from: the stored chunks that hold what the
   * frame found, first, then the best retrieved chunks of the same subjects.
   */
  private async passagesFor(question: string, frame: Frame, composition: Composition, turn: ModelTurn): Promise<Passage['chunk'][]> {
    const { corpus, retriever, understanding } = this.options;
    const chunks: Passage['chunk'][] = [];
    for (const claim of composition.claims) {
      const chunk = corpus.chunks.find((c) => c.docId === claim.docId && c.start <= claim.start && claim.end <= c.end);
      if (chunk && !chunks.includes(chunk)) chunks.push(chunk);
    }
    const subjects = frame.subjects.map((id) => understanding!.gazetteer.get(id)).filter((x): x is Subject => x !== undefined);
    for (const hit of await retriever.retrieve(retriever.analyze(question), { k: RETRIEVE_K * 3, signal: turn.deadline })) {
      if (chunks.length >= RETRIEVE_K) break;
      const inside = subjects.length === 0 || understanding!.gazetteer.touches(subjects, hit.chunk.docId, hit.chunk.start, hit.chunk.end);
      if (inside && !chunks.includes(hit.chunk)) chunks.push(hit.chunk);
    }
    return chunks;
  }

  /** The tracks of one campaign the cited spans name, in the order named (two or more), each as the item of its own text; else undefined. */
  private tracksNamedIn(cited: ListedItem[]): ListedItem[] | undefined {
    const { corpus, understanding } = this.options;
    const gazetteer = understanding?.gazetteer;
    if (!gazetteer || cited.length === 0 || cited.length > 2) return undefined;
    const tracks = cited
      .flatMap((c) => gazetteer.find(foldText(corpus.document(c.docId)?.text.slice(c.start, c.end) ?? '')))
      .map((m) => m.subject)
      .filter((subject, i, all) => subject.kind === 'track' && all.indexOf(subject) === i);
    if (tracks.length < 2 || new Set(tracks.map((t) => t.parent)).size !== 1 || tracks.some((t) => !t.spans[0])) return undefined;
    return tracks.map((t) => ({ docId: t.spans[0].docId, start: t.spans[0].start, end: t.spans[0].end }));
  }

  /** Turns claims into numbered citations, keeping only those whose quote is verbatim in its document. */
  private cite(composition: Composition): Citation[] {
    const { corpus } = this.options;
    const citations: Citation[] = [];
    composition.claims.forEach((claim, i) => {
      const doc = corpus.document(claim.docId);
      if (!doc || !verifyQuote(doc.text, claim.text, claim.start, claim.end)) return;
      citations.push({
        n: i + 1,
        docId: doc.id,
        title: doc.title,
        section: claim.section,
        quote: claim.text,
        start: claim.start,
        end: claim.end,
      });
    });
    return citations.length === composition.claims.length ? citations : [];
  }

  /** States, against today's date, whether the dates the cited text gives have passed. */
  /**
   * 「我们12月7号提交，最快哪天能修好」 against 「平均修复时间6天，最快仅需3天」: the day the asker names plus the period the
   * quotes give — the one the question's 最快/平均/最长… picks, or the only one — in calendar days (the rule language's
   * daysAfter), said as computed and how. Empty unless the question names one day and the quotes one such period.
   */
  private dateFromPeriod(question: string, claims: string[]): string {
    const today = todayIn(this.options.clock);
    // The day counted from: one the question names, or 今天/明天/后天 before what is done (「打算明天submit」).
    const relative = RELATIVE_START.exec(question);
    const named = findDateMentions(question, today).filter((d) => d.precision === 'day' && !saidToBeToday(question, d.start));
    const start = relative ? { date: daysAfter(today, RELATIVE_DAYS[relative[1]]), end: relative.index + relative[0].length } : named.length === 1 ? named[0] : null;
    if (!start) return '';
    const periods = claims.flatMap((claim) =>
      [...claim.matchAll(PERIOD_IN_TEXT)].map((m) => ({ qualifier: m[1] ?? '', days: parseNumber(m[2]) })).filter((p) => Number.isFinite(p.days)),
    );
    // Each qualifier the question names (「最快…哪天？按平均时间算又是哪天」) gets its own line; none named, the only period.
    const wanted = PERIOD_QUALIFIERS.filter((q) => question.includes(q));
    const groups = wanted.length ? wanted.map((q) => periods.filter((p) => p.qualifier === q)) : [periods];
    if (groups.some((g) => g.length !== 1)) return '';
    const verb = (relative && (/submit/i.test(relative[2]) ? '提交' : relative[2])) ?? /^[^，。；？?]{0,4}?(提交|申请|报送|递交|办理|申报)/.exec(question.slice(start.end))?.[1] ?? '起算';
    return groups
      .map(([{ qualifier, days }]) => `按${formatChineseDate(start.date)}${verb}、${qualifier}${days}天计（按自然日），为${formatChineseDate(daysAfter(start.date, days))}。\n`)
      .join('');
  }

  /** What the question asks to be counted from the quoted text: days to a deadline or of a period, an average per unit, a share. */
  private counted(question: string, quoted: string[], computed = ''): string {
    return `${daySpanLine(question, quoted, todayIn(this.options.clock), computed)}${averageLine(question, quoted)}${shareLine(question, quoted)}`;
  }

  private dateNote(citations: Citation[]): string {
    const today = todayIn(this.options.clock);
    const dates = citations.flatMap((c) => findDates(c.quote));
    if (dates.length === 0) return '';
    const latest = dates.reduce((a, b) => (a.date > b.date ? a : b));
    const days = daysBetween(today, latest.date);
    const todayText = formatChineseDate(today);
    if (days < 0) return `\n（按今天${todayText}计，上述时间均已过去。）`;
    if (days === 0) return `\n（今天${todayText}正是“${latest.text}”。）`;
    return `\n（按今天${todayText}计，距“${latest.text}”还有${days}天。）`;
  }

  /** A question about another province's policy, personal finance or a legal dispute. */
  private declineOutside(frame: Frame, question: string): Answer {
    const channel = channelFor(question, this.options.channels);
    return {
      answer: `${outsideMessage(frame.outside!)}${channel.text}`,
      answerable: false,
      citations: [],
      mode: 'extractive',
      declineReason: 'out_of_scope',
      topic: question,
      coverage: 0,
    };
  }

  /**
   * The subject exists but the documents give no such detail for it (首贷中心
   * has no phone): say so, quote what they do say about it, and where to ask.
   */
  private declineMissingDetail(question: string, topic: string, subjects: Subject[], types: Array<keyof typeof ASKED_LABELS>, about: Quote | null): Answer {
    const names = subjects.map((s) => s.name).join('、');
    const asked = types.map((t) => ASKED_LABELS[t]).join('、');
    const channel = channelFor(`${question} ${subjects.flatMap((s) => s.aliases.slice(0, 3)).join(' ')}`, this.options.channels);
    const doc = about ? this.options.corpus.document(about.docId) : undefined;
    const related = about && doc && verifyQuote(doc.text, about.quote, about.start, about.end) ? [{ n: 1, ...about }] : [];
    const said = related.length ? `关于${names}，原文写的是：“${related[0].quote}”` : '';
    return {
      answer: `抱歉，政策原文没有写${names}的${asked}，为避免误导，暂不作答。${said}${channel.text}`,
      answerable: false,
      citations: [],
      mode: 'extractive',
      declineReason: 'no_detail',
      topic,
      coverage: 0,
      ...(related.length ? { related } : {}),
    };
  }

  /**
   * A staff answer as the chat gives it: the chosen passage, checked verbatim against the stored document (one
   * whose document has since changed is not used), or an out-of-scope decline.
   */
  private staffAnswer(entry: StaffEntry, question: string): Answer | null {
    const via = { staffAnswerId: entry.id };
    if (entry.kind === 'out_of_scope') return { ...this.decline('out_of_scope', question, question, 0), via };
    const doc = entry.docId ? this.options.corpus.document(entry.docId) : undefined;
    if (!doc || entry.quote === null || entry.start === null || entry.end === null || !verifyQuote(doc.text, entry.quote, entry.start, entry.end)) return null;
    const citation: Citation = { n: 1, docId: doc.id, title: doc.title, section: entry.section ?? doc.title, quote: entry.quote, start: entry.start, end: entry.end };
    return { answer: `${entry.quote}[1]`, answerable: true, citations: [citation], mode: 'extractive', topic: question, coverage: 1, via };
  }

  /** Forgets the answers kept in memory: after staff answers change, a question answered before may be answered otherwise. */
  clearCache(): void {
    this.cache.clear();
  }

  private decline(reason: DeclineReason, question: string, topic: string, covered: number): Answer {
    let answer: string;
    if (reason === 'manipulation') answer = MESSAGES.manipulation;
    else if (reason === 'empty') answer = MESSAGES.empty;
    else {
      const channel = channelFor(question, this.options.channels);
      answer = `${reason === 'out_of_scope' ? MESSAGES.outOfScope : MESSAGES.noEvidence}${channel.text}`;
    }
    return { answer, answerable: false, citations: [], mode: 'extractive', declineReason: reason, topic, coverage: covered };
  }
}


/** An answer with what the question asks to be counted: first, or after the verdict line of a yes/no. */
function withCounted(text: string, lines: string, verdictFirst: boolean): string {
  if (!lines) return text;
  if (!verdictFirst) return `${lines}${text}`;
  const cut = text.indexOf('\n');
  return cut < 0 ? `${text}\n${lines.trimEnd()}` : `${text.slice(0, cut + 1)}${lines}${text.slice(cut + 1)}`;
}

/** The spans of a numbered answer (steps, a list), for 「第二条展开说说」. */
function numberedItems(answer: Answer): ListedItem[] | undefined {
  const lines = answer.answer.split('\n').filter((l) => /^\d+\. /.test(l));
  if (lines.length < 2) return undefined;
  return lines
    .map((l) => Number(/\[(\d+)\]/.exec(l)?.[1]))
    .map((n) => answer.citations.find((c) => c.n === n))
    .filter((c): c is Citation => c !== undefined)
    .map((c) => ({ docId: c.docId, start: c.start, end: c.end }));
}

/** The sentences of its line (the sentence model's) a rule's clause stands in, from the first to the last. */
function sentenceAround(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  const spans = splitSentences(text, lineStart, lineEnd).filter((s) => s.start < end && start < s.end);
  return spans.length ? [spans[0].start, spans[spans.length - 1].end] : [start, end];
}

function dedupeQuotes(quotes: Quote[]): Quote[] {
  return quotes.filter((q, i) => quotes.findIndex((o) => o.docId === q.docId && o.start === q.start && o.end === q.end) === i);
}

/** The documents of subjects, each once. */
function docIdsOf(subjects: Subject[]): string[] {
  return [...new Set(subjects.flatMap((s) => (s.docId ? [s.docId] : [])))];
}
