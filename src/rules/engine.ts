import type { Corpus } from '../corpus/corpus.ts';
import { locateQuote, type Citation } from '../corpus/quotes.ts';
import { formatChineseDate } from '../text/dates.ts';
import { describeFact, type FactName, type Facts } from './facts.ts';
import { formatPercent, formatYuan } from './numbers.ts';
import { allOf, computationFacts, computeAll, evaluate, factsOf, missingFacts, type FactReader } from './language.ts';
import type { MeasuresFile, Statement, TopicFile } from './schema.ts';

export type Outcome = 'eligible' | 'not_eligible' | 'need_info' | 'steps';

/** A statement the service makes, with the verbatim quotes it rests on. */
export interface GroundedStatement {
  text: string;
  quotes: ResolvedQuote[];
}

/** A verbatim span of a document, located once when the rule files are loaded. */
export type ResolvedQuote = Omit<Citation, 'n'>;

export interface TopicResult {
  topic: string;
  title: string;
  measure: number;
  outcome: Outcome;
  ruleId?: string;
  statements: GroundedStatement[];
  /** Ordered steps (for topics that list a procedure). */
  steps: GroundedStatement[];
  /** Facts still needed to decide, with the question to ask for each. */
  missing: Array<{ fact: FactName; ask: string }>;
  computed: Record<string, string | number>;
}

/**
 * Evaluates the rule files under corpus/rules against an enterprise's facts.
 * Every quote a rule file names is located in the corpus when the engine is
 * built. A topic or measure whose quote is no longer verbatim in the corpus
 * (a document was updated, a rule was not) is left out and listed in
 * `problems`: the service then answers that question from the text alone
 * rather than from a rule that no longer rests on its source.
 */
export class RuleEngine {
  readonly topics: TopicFile[];
  readonly measures: MeasuresFile;
  readonly problems: string[] = [];
  private readonly resolved = new Map<string, ResolvedQuote>();

  constructor(
    private readonly corpus: Corpus,
    topics: TopicFile[],
    measures: MeasuresFile,
  ) {
    const usable = (scope: string, quotes: Record<string, { docId: string; text: string }>, statements: Array<Statement | undefined>) => {
      const before = this.problems.length;
      for (const [key, q] of Object.entries(quotes)) this.resolve(`${scope}.${key}`, q, this.problems);
      for (const s of statements) {
        for (const key of s?.cite ?? []) if (!(key in quotes)) this.problems.push(`${scope}: cites unknown quote "${key}"`);
      }
      return this.problems.length === before;
    };
    this.topics = topics.filter((t) => usable(t.topic, t.quotes, [t.summary, ...t.rules, ...t.then, ...t.steps]));
    this.measures = {
      ...measures,
      measures: measures.measures
        .filter((m) => usable(`m${m.number}`, m.quotes, [m.why, ...m.steps, ...m.targets]))
        .filter((m) => !m.topic || this.topics.some((t) => t.topic === m.topic)),
    };
  }

  topic(name: string): TopicFile | undefined {
    return this.topics.find((t) => t.topic === name);
  }

  /** Decides a topic for the facts: the first rule whose conditions all hold, else what is missing. */
  evaluate(topicName: string, facts: Facts): TopicResult {
    const topic = this.topic(topicName);
    if (!topic) throw new Error(`unknown topic ${topicName}`);
    const scope = topic.topic;
    const result: TopicResult = {
      topic: topic.topic,
      title: topic.title,
      measure: topic.measure,
      outcome: 'need_info',
      statements: [],
      steps: topic.steps.map((s) => this.ground(scope, s, facts, {})),
      missing: [],
      computed: {},
    };
    const read = factReader(facts);
    const undecided = new Set<FactName>();
    const undecidedOutcomes = new Set<string>();
    for (const rule of topic.rules) {
      const when = allOf(rule.when);
      // A rule may compare a fact with a value it computes (不良率 with 各项贷款不良率 + 3 个百分点).
      const computedFirst = computeAll(rule.compute, read);
      const readWith: FactReader = (name) => (name in computedFirst ? computedFirst[name] : read(name));
      const verdict = evaluate(when, readWith);
      if (verdict === 'unknown') {
        // (A value the rule computes is missing when a fact it is computed from is: that fact is what to ask.)
        const missing = missingFacts(when, readWith).flatMap((fact) => {
          const spec = rule.compute?.[fact];
          return spec ? computationFacts(spec).filter((f) => read(f) === undefined) : [fact];
        });
        for (const fact of missing) undecided.add(fact as FactName);
        undecidedOutcomes.add(rule.outcome);
        continue;
      }
      if (verdict === 'fail') continue;
      // The order in the file is the order of precedence: a rule fires past undecided
      // earlier rules only when none of them could have led to another outcome.
      if ([...undecidedOutcomes].some((o) => o !== rule.outcome)) break;
      const computed = computedFirst;
      result.outcome = rule.outcome;
      result.ruleId = rule.id;
      result.computed = computed;
      result.statements.push(this.ground(scope, rule, facts, computed));
      if (rule.outcome !== 'not_eligible') {
        for (const extra of topic.then) {
          if (evaluate(allOf(extra.when), read) !== 'pass') continue;
          const more = { ...computed, ...computeAll(extra.compute, read) };
          Object.assign(result.computed, more);
          result.statements.push(this.ground(scope, extra, facts, more));
        }
      }
      return result;
    }
    if (topic.summary) result.statements.push(this.ground(scope, topic.summary, facts, {}));
    const order: string[] = topic.facts.map((f) => f.name);
    result.missing = topic.facts.filter((f) => undecided.has(f.name as FactName)).map((f) => ({ fact: f.name as FactName, ask: f.ask }));
    result.missing.sort((a, b) => order.indexOf(a.fact) - order.indexOf(b.fact));
    return result;
  }

  /**
   * 「公司从来没在银行贷过款，想去首贷中心试试，能申请不」: for a measure whose text names whom it is for
   * (`answersWhoMay`), whether facts the question states meet that: whether they hold, and `why`, when every fact its
   * condition tests is stated; null otherwise.
   */
  whoMay(number: number, stated: Facts): { holds: boolean | 'conditional'; why: GroundedStatement; asks: string[]; told: number } | null {
    const m = this.measures.measures.find((x) => x.number === number);
    if (!m?.answersWhoMay || !m.why) return null;
    const tested = factsOf(m.appliesWhen);
    const unstated = tested.filter((f) => stated[f as FactName] === undefined);
    if (tested.length === 0) return null;
    const verdict = evaluate(m.appliesWhen, factReader(stated));
    const why = this.ground(`m${m.number}`, m.why, stated, {});
    if (verdict !== 'unknown') return { holds: verdict === 'pass', why, asks: [], told: tested.length - unstated.length };
    // Some of the facts said and met, or none said (「首贷中心我们能去申请吗」): a conditional yes that quotes whom it is for
    // and asks for the rest — when the file says how.
    const asks = unstated.map((f) => m.asks?.[f as keyof typeof m.asks]);
    return asks.every((a): a is string => typeof a === 'string') ? { holds: 'conditional', why, asks, told: tested.length - unstated.length } : null;
  }

  /** Which measures apply to the facts: yes, no, or undecided (with what to ask). */
  checkup(facts: Facts): CheckupItem[] {
    const read = factReader(facts);
    return this.measures.measures.map((m) => {
      const applies = evaluate(m.appliesWhen, read);
      const scope = `m${m.number}`;
      const item: CheckupItem = {
        number: m.number,
        title: m.title,
        applies: m.forBanks ? 'no' : applies === 'pass' ? 'yes' : applies === 'fail' ? 'no' : 'unknown',
        forBanks: m.forBanks ?? false,
        why: m.why ? this.ground(scope, m.why, facts, {}) : undefined,
        steps: m.steps.map((s) => this.ground(scope, s, facts, {})),
        targets: m.targets.map((s) => this.ground(scope, s, facts, {})),
      };
      if (m.topic && item.applies === 'yes') item.topic = this.evaluate(m.topic, facts);
      return item;
    });
  }

  private ground(scope: string, statement: Statement, facts: Facts, computed: Record<string, string | number>): GroundedStatement {
    return {
      text: render(statement.say, facts, computed),
      quotes: statement.cite.map((key) => this.resolved.get(`${scope}.${key}`)!),
    };
  }

  private resolve(key: string, q: { docId: string; text: string }, problems: string[]): void {
    try {
      this.resolved.set(key, locateQuote(this.corpus, q.docId, q.text));
    } catch (error) {
      problems.push(`${key}: ${(error as Error).message}`);
    }
  }
}

export interface CheckupItem {
  number: number;
  title: string;
  applies: 'yes' | 'no' | 'unknown';
  forBanks: boolean;
  why?: GroundedStatement;
  steps: GroundedStatement[];
  targets: GroundedStatement[];
  /** For measures with their own rules (续贷、担保费补贴、信用修复): the decision for these facts. */
  topic?: TopicResult;
}

/** The facts as the rule language reads them. */
function factReader(facts: Facts): FactReader {
  return (name) => facts[name as keyof Facts];
}

function render(template: string, facts: Facts, computed: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (name in computed) return formatValue(name, computed[name]);
    const value = facts[name as keyof Facts];
    if (value === undefined) return whole;
    if (name === 'size' || name === 'loanKind' || name === 'dueDate') return describeFact(name, facts);
    return formatValue(name, value as string | number);
  });
}

function formatValue(name: string, value: string | number): string {
  if (typeof value === 'number') {
    if (/Yuan$/.test(name)) return formatYuan(value);
    if (/Percent$/.test(name)) return formatPercent(value);
    return String(value);
  }
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatChineseDate(value) : value;
}

/**
 * Numbers the quotes of grounded statements as citations, in order of first
 * use, reusing the number of a quote cited before.
 */
export class CitationList {
  readonly citations: Citation[] = [];

  /** The statement's text followed by its [n] markers. */
  cite(statement: GroundedStatement): string {
    const markers = statement.quotes.map((q) => {
      let c = this.citations.find((x) => x.docId === q.docId && x.start === q.start && x.end === q.end);
      if (!c) {
        c = { n: this.citations.length + 1, ...q };
        this.citations.push(c);
      }
      return `[${c.n}]`;
    });
    return `${statement.text}${[...new Set(markers)].join('')}`;
  }
}
