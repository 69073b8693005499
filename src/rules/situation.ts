import type { Citation } from '../corpus/quotes.ts';
import { askingClause } from '../text/asking.ts';
import { CitationList, type CheckupItem, type GroundedStatement, type Outcome, type RuleEngine, type TopicResult } from './engine.ts';
import { answerToPending, assumptionsIn, extractFacts, mergeFacts, type Assumption, type FactName, type Facts } from './facts.ts';

/** What a conversation has established so far; stored with each message and read by the next turn. */
export interface SituationState {
  topic?: string;
  outcome?: Outcome | 'checkup';
  facts: Facts;
  missing?: FactName[];
  computed?: Record<string, string | number>;
  /** Facts taken from something the user said about another thing (the guarantee's amount from the loan's), not stated. */
  assumed?: FactName[];
  /** For a check-up: the numbers of the measures that apply. */
  measures?: number[];
}

export interface SituationAnswer {
  text: string;
  citations: Citation[];
  state: SituationState;
}

/** Opens the line that asks the user for the fact a decision still waits for (always the answer's last line). */
export const DEPENDS_ON = '能否享受取决于';
/** A question whether the asker can (能…吗, 可不可以, 行不行), as against how or how much. */
const WHETHER = /能不能|能否|可不可以|可以吗|可以不|能.{0,8}[吗不么]|行不行|行吗|行不|算不算|是否/;
/** The opening of a yes that holds on conditions the facts stated so far do not settle (the situation rules and the campaign rules alike). */
export const CONDITIONAL_YES = '有条件可以，要看以下条件：';
const ELIGIBILITY = /能不能|能否|可不可以|可以吗|可以申请|能申请|能.{0,8}[吗不]|行不行|有没有|符合|够不够|享受|拿多少|补多少|多少补贴|有补贴|给补贴|补贴吗|算不算|还能|怎么办|咋办|想办|想申请|要办|要申请|打算申请|怎么算|能补|给续/;
/** Asking how to go about it (not a single fact such as 多久 or 电话, which the text answers directly). */
const PROCEDURE = /怎么|如何|咋|流程|步骤|办理|去哪|在哪|哪里|哪个网站|找谁|撤下|移出/;
const CHECKUP = /(哪些|什么|啥|有没有)(金融)?(政策|举措|措施|扶持|支持)|(能|可以)享受(哪些|什么|啥)|适用哪些|政策体检|体检一下|匹配.{0,4}政策|都能.{0,4}(申请|享受)|对口的政策|有.{0,4}政策(吗|能用)/;


/** Predicates of a yes/no that are about the asker qualifying (能办、符合、能拿到补贴、能续上). */
const QUALIFIES = /能不能|能否|可不可以|可以|能.{0,10}[吗不么]|行不行|行不|行吗|中不中|中不|符合|够不够|够.{0,4}[吗么]|享受|拿到|拿不到|沾光|有没有.{0,4}补|补贴吗|补多少|多少|几|算不算|还能|续|办/;
/** A yes/no on another predicate: who is paid, where or how it is done, who recognises what. */
const OTHER_PREDICATE = /打到|打给|给到|发到|到账|直接给|谁来|认不认|认可不|承认|互认|当面(?:去|跑)?办?理?/g;

function asksOtherThanEligibility(question: string): boolean {
  const clause = askingClause(question).replace(/[？?]+$/, '');
  return new RegExp(OTHER_PREDICATE.source).test(clause) && !QUALIFIES.test(clause.replace(OTHER_PREDICATE, ''));
}

function shortTitle(title: string): string {
  return title.replace(/^[一二三四五六七八九十]+、/, '');
}

const ASK_PROFILE =
  '为更准确地匹配，请补充：企业规模（小微/中型/大型）、贷款类型和到期日、担保金额和费率、是否受过行政处罚或列入失信/经营异常名录、是否获得过银行贷款、是否为国家电网供应链企业或科技型企业、有无上市或股权融资计划。';

const FACT_LABELS: Partial<Record<FactName, string>> = {
  size: '企业规模',
  loanKind: '贷款类型',
  dueDate: '贷款到期日',
  guaranteeAmountYuan: '单户担保金额',
  guaranteeRatePercent: '担保费率',
  inReguaranteeScope: '这笔担保是否纳入全省再担保业务范围',
};

/** A follow-up that asks how much or by when (能补多少钱、多少万、最晚啥时候得提). */
const ASKS_AMOUNT = /多少钱|补多少|能拿多少|给多少|拿多少|多少万|省多少|有多少|最晚|最迟|啥时候|什么时候|哪天|哪一天|哪日|几号|几月几|提前多久/;
const AMOUNT_FOLLOW_UP_CHARS = 16;
const OWN_AMOUNT_FOLLOW_UP_CHARS = 40;
/** Words by which the asker speaks of its own case (我们、俺们、这笔); see also CLIENT_REFERENCE. */
const OWN_CASE = /我们|俺们|咱们|咱|我司|我这|这笔|那笔|我的/;
/** The client a bank's officer or an agent asks for (客户、该企业), not the bank's own account manager (客户经理). */
export const CLIENT_REFERENCE = /客户(?!经理)|该企业|该公司|这家企业|这家公司|这户/;

/**
 * The facts with what this question lets be assumed (see assumptionsIn). A fact an earlier turn only assumed is assumed
 * again from this turn when it can be: 「那要是只贷叁佰万呢」 after 「要贷0.3个亿」 moves the guarantee's assumed amount.
 */
function assume(question: string, facts: Facts, own: Facts, before: FactName[]): { facts: Facts; assumptions: Assumption[] } {
  const open = before.filter((f) => own[f] === undefined);
  if (open.length) {
    const fresh = { ...facts };
    for (const f of open) delete fresh[f];
    const again = assumptionsIn(question, fresh, open.includes('guaranteeAmountYuan'));
    if (again.assumptions.some((a) => open.includes(a.fact))) return again;
  }
  return assumptionsIn(question, facts);
}

/**
 * Answers questions about an enterprise's own case with the rule files:
 * reads its facts from the question (and from earlier turns and a profile),
 * decides the topic's rules, computes dates and amounts, and asks for the
 * fact a decision still needs. Returns null when the question is not about
 * a situation, so the caller answers it from the text instead.
 */
export class SituationService {
  constructor(private readonly engine: RuleEngine) {}

  answer(question: string, today: string, previous?: SituationState, profile: Facts = {}): SituationAnswer | null {
    const read = extractFacts(question, today);
    const own = previous?.outcome === 'need_info' && previous.missing?.length ? answerToPending(question, read, previous.missing) : read;
    const facts = mergeFacts(mergeFacts(previous?.facts ?? {}, profile), own);
    const named = this.topicNamedIn(question) ?? this.topicOfFacts(read);
    if (CHECKUP.test(question) && !(named && /吗|不$|么/.test(question) && !/哪些|什么|啥/.test(question))) return this.checkup(facts);

    // A conversation about a topic goes on when the next turn supplies that topic's facts.
    const pending = previous?.topic;
    // 「那能补多少钱？」 after a yes: a short follow-up asking the amount is about the case just decided.
    // (Longer when it says it is the asker's own case: 「那按指南说的提前量，俺们最好哪天去跟银行提？」.)
    const length = question.replace(/\s+/g, '').length;
    // (And when it asks for the day the rule worked out for the case: 「行，那按你们说的提前一个月跟银行提，是哪天」.)
    const computedDay = Object.values(previous?.computed ?? {}).some((v) => /^\d{4}-\d{2}-\d{2}$/.test(String(v)));
    const short =
      length <= AMOUNT_FOLLOW_UP_CHARS ||
      (length <= OWN_AMOUNT_FOLLOW_UP_CHARS && (OWN_CASE.test(question) || CLIENT_REFERENCE.test(question) || (computedDay && /提前/.test(question) && /哪天|几号|哪一天|啥时候|什么时候|最晚|最迟/.test(question))));
    // (Naming the topic again is no new question: 「那客户按指南提前1个月提出续贷需求的话，对应哪天？」.)
    const asksAmountAgain = (!named || named === pending) && previous?.outcome === 'eligible' && short && ASKS_AMOUNT.test(question);
    const reassumes = this.reassumes(question, today, previous);
    const topicName = named ?? (pending && (this.suppliesFacts(pending, own) || asksAmountAgain || reassumes) ? pending : undefined);
    if (!topicName) return null;
    const topic = this.engine.topic(topicName)!;

    const suppliesOwnFacts = this.suppliesFacts(topicName, own);
    const continuing =
      pending === topicName &&
      (this.suppliesFacts(topicName, own) || (previous?.outcome === 'need_info' && Object.keys(own).length > 0) || asksAmountAgain || reassumes || topic.facts.length === 0);
    const requiresOk = !topic.requires || topic.requires.some((w) => question.includes(w));
    const situational =
      topic.facts.length === 0
        ? // A procedure topic (信用修复): the enterprise says what happened to it, or asks how to go about it.
          own.creditIssue !== undefined || continuing || PROCEDURE.test(question) || ELIGIBILITY.test(question)
        : suppliesOwnFacts || continuing || (ELIGIBILITY.test(question) && requiresOk);
    if (!situational) return null;
    // 「…补贴是不是会直接打到我们公司账户上」「是不是必须跑省里窗口当面办」: a yes/no on something other than whether the
    // asker qualifies (who is paid, where it is done) is for the text; the rules' yes would answer another question.
    // (So for a procedure topic: 「修复完了税务那边认不认」 is no question whether the asker may repair its credit.)
    if (asksOtherThanEligibility(question)) return null;
    const { facts: assumedFacts, assumptions: all } = assume(question, facts, own, previous?.assumed ?? []);
    // (Only what this topic's rules use: a guarantee's amount assumed says nothing of a renewal.)
    const assumptions = all.filter((a) => topic.facts.some((f) => f.name === a.fact));
    const answer = this.compose(this.engine.evaluate(topicName, assumedFacts), assumedFacts, WHETHER.test(question) && !/怎么|咋|多少|几/.test(question), assumptions);
    const assumed = [...new Set([...(previous?.assumed ?? []).filter((f) => own[f] === undefined), ...all.filter((a) => !a.derived).map((a) => a.fact)])];
    if (assumed.length) answer.state.assumed = assumed;
    return answer;
  }

  /**
   * Whether a follow-up gives a new figure for a fact the case's last turn only assumed: 「那要是只贷肆佰万呢」 after a
   * guarantee's amount taken from the loan's gives the new loan amount, the guarantee's new assumed amount.
   */
  reassumes(question: string, today: string, previous?: SituationState): boolean {
    return (
      !!previous?.assumed?.includes('guaranteeAmountYuan') &&
      extractFacts(question, today).guaranteeAmountYuan === undefined &&
      assumptionsIn(question, {}, true).assumptions.some((a) => a.fact === 'guaranteeAmountYuan')
    );
  }

  /**
   * Whether the asker may use a measure whose text names whom it is for, on the facts this question states (see
   * RuleEngine.whoMay): the statement why, with its quotes, or null.
   */
  whoMay(question: string, today: string, measures: number[]): { holds: boolean | 'conditional'; text: string; citations: Citation[]; told: number } | null {
    const stated = extractFacts(question, today);
    for (const number of measures) {
      const found = this.engine.whoMay(number, stated);
      if (!found) continue;
      const list = new CitationList();
      // (Of an asker it is not for, only whom it is for is quoted: the statement why says it is for them.)
      const said = found.holds ? list.cite(found.why) : list.cite({ text: '', quotes: found.why.quotes });
      // The sentences themselves follow, word for word (「原文：“…把信贷资金引向未获得过银行贷款的民营企业。”[1]」), and for
      // a conditional yes what is still to tell.
      const asks = found.asks.length ? `\n还需要确认：${found.asks.join('')}` : '';
      const text = found.holds ? `${said}\n原文：${list.citations.map((c) => `“${c.quote}”[${c.n}]`).join('')}${asks}` : said;
      return { holds: found.holds, text, citations: list.citations, told: found.told };
    }
    return null;
  }

  /** The policy check-up: every measure that applies to these facts, why, and where to start. */
  checkup(facts: Facts): SituationAnswer {
    const items = this.engine.checkup(facts);
    const list = new CitationList();
    const lines = ['根据您提供的情况，可以关注以下政策：'];
    const missing = new Set<string>();
    items
      .filter((i) => i.applies === 'yes')
      .forEach((item, index) => {
        const points = this.checkupPoints(item).map((p) => list.cite(p));
        lines.push(`${index + 1}. ${shortTitle(item.title)}：${points.join('')}`);
        for (const m of item.topic?.missing ?? []) missing.add(m.ask);
      });
    const undecided = items.filter((i) => i.applies === 'unknown');
    if (undecided.length) lines.push(`还可能适用：${undecided.map((i) => shortTitle(i.title)).join('、')}（需要更多信息）。`);
    if (missing.size) lines.push(`还需要确认：${[...missing].join('')}`);
    else if (undecided.length) lines.push(ASK_PROFILE);
    const measures = items.filter((i) => i.applies === 'yes').map((i) => i.number);
    return { text: lines.join('\n'), citations: list.citations, state: { outcome: 'checkup', facts, measures } };
  }

  /** For one applicable measure: the decision (or why it applies) and the first step. */
  private checkupPoints(item: CheckupItem): GroundedStatement[] {
    const points: GroundedStatement[] = [];
    if (item.topic) {
      const conclusion = item.topic.statements[0];
      if (conclusion) points.push(conclusion);
      const firstStep = item.topic.outcome === 'eligible' ? item.topic.statements[1] : item.topic.steps[0];
      if (firstStep) points.push(firstStep);
    } else {
      if (item.why) points.push(item.why);
      if (item.steps[0]) points.push(item.steps[0]);
    }
    return points;
  }

  private compose(result: TopicResult, facts: Facts, asksWhether = false, assumptions: Assumption[] = []): SituationAnswer {
    const list = new CitationList();
    const parts = result.statements.map((s) => list.cite(s));

    // 「中型企业能用不」 with the loan type unsaid: nothing stated rules it out, so the answer is a yes on the conditions the
    // rule quoted below sets, then the question that settles them.
    if (asksWhether && result.outcome === 'need_info' && result.missing.length) parts.unshift(CONDITIONAL_YES);
    // A decision shows the rule it rests on in the source's own words, not only in the summary above.
    // So does a yes on conditions: the conditions are the rule's words (「小微民营企业」), not the summary's.
    const first = result.statements[0]?.quotes ?? [];
    const bases = result.outcome !== 'need_info' ? first.slice(0, 1) : asksWhether && result.missing.length ? first.slice(0, 2) : [];
    if (bases.length) parts.splice(parts[0] === CONDITIONAL_YES ? 2 : 1, 0, `原文：${bases.map((b) => `“${b.quote.replace(/[。；]$/, '')}”${list.cite({ text: '', quotes: [b] })}`).join('')}`);
    // What was taken rather than stated is said right after the verdict, before anything rests on it.
    const used = assumptions.filter((a) => result.outcome !== 'need_info' || !result.missing.some((m) => m.fact === a.fact));
    if (used.length) parts.splice(1, 0, `（${used.map((a) => a.text).join('；')}。）`);
    if (result.steps.length) parts.push('办理步骤：', ...result.steps.map((s, i) => `${i + 1}. ${list.cite(s)}`));
    if (result.outcome === 'need_info' && result.missing.length) {
      const first = result.missing[0];
      parts.push(`${DEPENDS_ON}${FACT_LABELS[first.fact] ?? '更多情况'}。${first.ask}`);
    }
    return {
      text: parts.join('\n'),
      citations: list.citations,
      state: {
        topic: result.topic,
        outcome: result.outcome,
        facts,
        missing: result.missing.map((m) => m.fact),
        computed: result.computed,
      },
    };
  }

  private topicNamedIn(question: string): string | undefined {
    let best: { topic: string; length: number } | undefined;
    for (const t of this.engine.topics) {
      for (const trigger of t.triggers) {
        if (question.includes(trigger) && (!best || trigger.length > best.length)) best = { topic: t.topic, length: trigger.length };
      }
    }
    return best?.topic;
  }

  /**
   * The topic a question's facts belong to when it names none (「中型民营的流动资金贷款，2027.9.25到期，赶得上那个期限不」 gives
   * every fact 无还本续贷 tests): the one topic all of whose facts, two or more, the question states.
   */
  private topicOfFacts(own: Facts): string | undefined {
    const full = this.engine.topics.filter((t) => t.facts.length >= 2 && t.facts.every((f) => own[f.name as keyof Facts] !== undefined));
    return full.length === 1 ? full[0].topic : undefined;
  }

  private suppliesFacts(topicName: string, own: Facts): boolean {
    const topic = this.engine.topic(topicName);
    // (The day a loan was made or its term says when it is due: 「如果这笔是2024年8月20日放的呢」.)
    const supplied = (name: string) => own[name as keyof Facts] !== undefined || (name === 'dueDate' && (own.issuedOn !== undefined || own.termMonths !== undefined));
    return topic !== undefined && topic.facts.some((f) => supplied(f.name));
  }
}
