import { z } from 'zod';
import type { AskClient } from './client.ts';

/**
 * Dialogue sets: questions in real-user phrasing, single- or multi-turn, each
 * turn expecting either an answer (the facts it must state, the source it
 * must rest on, the verdict of a yes/no question) or a decline. Blind sets are
 * written in this format from the seed documents alone, by someone who has
 * seen neither the code nor the other sets.
 */

export const ASKED_TYPES = [
  'date',
  'period',
  'phone',
  'email',
  'address',
  'website',
  'organiser',
  'materials',
  'format',
  'list',
  'steps',
  'yesno',
  'amount',
  'reason',
  'other',
] as const;
export type AskedType = (typeof ASKED_TYPES)[number];

/** A source is named by its corpus document id, or by the seed file the writer read (resolved through the quote). */
const sourceSchema = z
  .object({ docId: z.string().optional(), file: z.string().optional(), quote: z.string().min(2) })
  .strict()
  .refine((s) => s.docId !== undefined || s.file !== undefined, { message: 'a source names docId or file' });

const answerTurnSchema = z
  .object({
    question: z.string().min(1),
    expect: z.literal('answer'),
    askedType: z.enum(ASKED_TYPES),
    /** Strings the answer must contain; an array is a set of alternatives, any one of which suffices. */
    facts: z.array(z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])).min(1),
    sources: z.array(sourceSchema).min(1),
    /** yes or no: the verdict the answer must open with; depends: the rules turn on a fact the user did not give, so the answer must not assert either. */
    yesNo: z.enum(['yes', 'no', 'depends']).optional(),
    /** Values the answer must contain that follow from the quotes by arithmetic (a date a month before another, a weighted total); each an array of spellings. */
    computed: z.array(z.array(z.string().min(1)).min(1)).optional(),
    note: z.string().optional(),
  })
  .strict();

const declineTurnSchema = z
  .object({
    question: z.string().min(1),
    expect: z.literal('decline'),
    declineKind: z.enum(['out_of_scope', 'no_evidence']),
    note: z.string().optional(),
  })
  .strict();

const turnSchema = z.discriminatedUnion('expect', [answerTurnSchema, declineTurnSchema]);

export const dialogueSetSchema = z.object({
  note: z.string().optional(),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  cases: z.array(
    z
      .object({
        id: z.string(),
        category: z.enum(['fact', 'followup', 'decline', 'eligibility', 'arithmetic']),
        turns: z.array(turnSchema).min(1),
        tags: z.array(z.string()).optional(),
      })
      .strict(),
  ),
});

export type DialogueSet = z.infer<typeof dialogueSetSchema>;
export type DialogueCase = DialogueSet['cases'][number];
export type DialogueTurn = z.infer<typeof turnSchema>;
export type AnswerTurn = z.infer<typeof answerTurnSchema>;

/** How one turn went: right, answered wrongly (a missing fact, a wrong verdict, another document), or declined. */
export type Judgement = 'right' | 'wrong' | 'declined';

export interface JudgedTurn {
  question: string;
  expect: 'answer' | 'decline';
  /** The case's category (fact, followup, decline, eligibility, arithmetic). */
  category: DialogueCase['category'];
  /** For a turn that must be declined: why (another region or topic, or a detail the documents lack). */
  declineKind?: 'out_of_scope' | 'no_evidence';
  askedType: AskedType | 'decline';
  /** The verdict the writer expected (yes, no, depends), where there is one. */
  yesNo?: 'yes' | 'no' | 'depends';
  /** The verdict the answer opened with, for a turn that expected one. */
  verdict?: 'yes' | 'no' | null;
  /** 0 for the opening question, 1 and more for follow-ups. */
  index: number;
  judgement: Judgement;
  problems: string[];
  answer: string;
  expected: string[];
  latencyMs: number;
}

export interface DialogueCaseResult {
  id: string;
  category: DialogueCase['category'];
  pass: boolean;
  turns: JudgedTurn[];
}

/** Counts of right, wrong and declined turns, with the rates a reviewer reads. */
export interface JudgementTally {
  turns: number;
  right: number;
  wrong: number;
  declined: number;
  /** Wrong turns over all turns. */
  wrongAnswerRate: number | null;
  /** Declined turns over the turns that expected an answer. */
  declineRate: number | null;
}

/** Folds what the judge compares: NFKC (full-width letters and digits), no whitespace, lower case. */
export function foldForJudging(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u200b-\u200d\ufeff]/g, '').toLowerCase();
}

const YES_LEAD = /^(?:是的?|对|可以|能|行|符合|属于|需要|要|有|会|支持|允许|适用|算|满足|来得及|够)/;
const NO_LEAD = /^(?:不|否|没|无|暂不|未|非)/;
/** The longest opening clause that is read as a verdict. */
const VERDICT_MAX_CHARS = 8;
/** An answer that opens by saying the documents give no plain yes or no. */
const NO_VERDICT_STATEMENT = /^原文没有直接给出/;

/**
 * The verdict an answer opens with: its first clause must say yes (是、可以、
 * 符合、需要…) or no (不…、没有、无需…). An answer that only quotes the rule
 * states no verdict.
 */
export function verdictOf(answer: string): 'yes' | 'no' | null {
  const lead = foldForJudging(answer).replace(/^(?:您好|你好|答|回答)[:：，,]?/, '');
  // The verdict is a short opening (「可以。」「不符合，」「有。」), not the first word of a quoted sentence (「对所有入围机构…」).
  const first = lead.split(/[。！？!?；;，,：:\n]|\[\d+\]/)[0] ?? '';
  if (first.length > VERDICT_MAX_CHARS) return null;
  if (NO_LEAD.test(first)) return 'no';
  if (YES_LEAD.test(first)) return 'yes';
  return null;
}

/** An answer that opens by making its verdict conditional (「有条件可以，要看…」「要看…」「取决于…」). */
const CONDITIONAL_LEAD = /^(?:(?:您好|你好)[:：，,]?)?(?:有条件|要看|取决于|视情况|看情况|不一定|需满足|须满足|如果|若)/;

/** Dates written 2027年5月20日, 2027-5-20 or 2027.05.20, all as 2027-05-20, so computed dates compare by value. */
function isoDates(text: string): string {
  const pad = (n: string) => n.padStart(2, '0');
  return text
    .replace(/(\d{4})年(\d{1,2})月(\d{1,2})[日号]/g, (_, y, m, d) => `${y}-${pad(m)}-${pad(d)}`)
    .replace(/(\d{4})[-./](\d{1,2})[-./](\d{1,2})/g, (_, y, m, d) => `${y}-${pad(m)}-${pad(d)}`);
}

/** Judges one answer turn against the service's response body; `docIds` are the documents its sources lie in. */
export function judgeAnswerTurn(turn: AnswerTurn, body: any, docIds: string[]): { judgement: Judgement; problems: string[] } {
  if (body?.answerable !== true) return { judgement: 'declined', problems: ['回答为“无法回答”'] };
  const problems: string[] = [];
  const answer = foldForJudging(body.answer ?? '');
  for (const fact of turn.facts) {
    const alternatives = Array.isArray(fact) ? fact : [fact];
    if (!alternatives.some((a) => answer.includes(foldForJudging(a)))) problems.push(`回答缺少「${alternatives.join('」或「')}」`);
  }
  for (const value of turn.computed ?? []) {
    if (!value.some((a) => answer.includes(foldForJudging(a)) || isoDates(answer).includes(isoDates(foldForJudging(a))))) problems.push(`回答缺少计算结果「${value.join('」或「')}」`);
  }
  if (turn.yesNo === 'depends') {
    // The rules turn on a fact the user did not give: a plain yes or no asserts it; stating the condition (or asking) is right.
    const verdict = CONDITIONAL_LEAD.test(foldForJudging(body.answer ?? '')) ? null : verdictOf(body.answer ?? '');
    if (verdict !== null) problems.push(`结论取决于用户没有说明的情况，回答却直接给出「${verdict === 'yes' ? '是' : '否'}」`);
  } else if (turn.yesNo) {
    const verdict = verdictOf(body.answer ?? '');
    // Saying plainly that the documents give no yes or no (and quoting what they say) asserts nothing: it declines the verdict.
    if (verdict === null && NO_VERDICT_STATEMENT.test(foldForJudging(body.answer ?? ''))) {
      return { judgement: 'declined', problems: ['没有给出是或否（回答说明原文没有直接的说法）'] };
    }
    if (verdict !== turn.yesNo) problems.push(`结论应为「${turn.yesNo === 'yes' ? '是' : '否'}」，回答${verdict === null ? '没有先给出是或否' : `给出的是「${verdict === 'yes' ? '是' : '否'}」`}`);
  }
  const cited: string[] = (body.citations ?? []).map((c: { docId: string }) => c.docId);
  if (docIds.length && !cited.some((d) => docIds.includes(d))) problems.push(`引用的不是所问文件（应引用 ${docIds.join('、')}，实际 ${[...new Set(cited)].join('、') || '无'}）`);
  return { judgement: problems.length ? 'wrong' : 'right', problems };
}

/** Judges one decline turn: any answer given where the documents have none is wrong. */
export function judgeDeclineTurn(body: any): { judgement: Judgement; problems: string[] } {
  if (body?.answerable === false && (body.citations ?? []).length === 0) return { judgement: 'right', problems: [] };
  return { judgement: 'wrong', problems: ['应拒答却作答'] };
}

/**
 * Runs every case as one conversation (the conversationId carried from turn
 * to turn) and judges each turn. `docIdOf` resolves a source to its document.
 */
export async function runDialogueSet(
  set: DialogueSet,
  client: AskClient,
  docIdOf: (source: { docId?: string; file?: string; quote: string }) => string | undefined,
  onCase?: (result: DialogueCaseResult) => void,
): Promise<DialogueCaseResult[]> {
  const results: DialogueCaseResult[] = [];
  for (const c of set.cases) {
    let conversationId: string | undefined;
    const turns: JudgedTurn[] = [];
    for (const [index, turn] of c.turns.entries()) {
      const started = performance.now();
      const res = await client.post('/api/ask', { question: turn.question, ...(conversationId ? { conversationId } : {}) });
      const latencyMs = performance.now() - started;
      conversationId = res.body?.conversationId ?? conversationId;
      const judged =
        res.status !== 200
          ? { judgement: 'wrong' as const, problems: [`HTTP ${res.status}`] }
          : turn.expect === 'answer'
            ? judgeAnswerTurn(turn, res.body, [...new Set(turn.sources.map(docIdOf).filter((d): d is string => Boolean(d)))])
            : judgeDeclineTurn(res.body);
      turns.push({
        question: turn.question,
        expect: turn.expect,
        category: c.category,
        ...(turn.expect === 'decline' ? { declineKind: turn.declineKind } : {}),
        askedType: turn.expect === 'answer' ? turn.askedType : 'decline',
        ...(turn.expect === 'answer' && turn.yesNo ? { yesNo: turn.yesNo, verdict: CONDITIONAL_LEAD.test(foldForJudging(res.body?.answer ?? '')) ? null : verdictOf(res.body?.answer ?? '') } : {}),
        index,
        ...judged,
        answer: res.body?.answer ?? '',
        expected: turn.expect === 'answer' ? [...turn.facts, ...(turn.computed ?? [])].map((f) => (Array.isArray(f) ? f.join(' / ') : f)) : [`拒答（${turn.declineKind}）`],
        latencyMs,
      });
    }
    const result = { id: c.id, category: c.category, pass: turns.every((t) => t.judgement === 'right'), turns };
    results.push(result);
    onCase?.(result);
  }
  return results;
}

function rateOf<T>(list: T[], test: (x: T) => boolean): number | null {
  return list.length ? list.filter(test).length / list.length : null;
}

export function tally(turns: Array<Pick<JudgedTurn, 'judgement' | 'expect'>>): JudgementTally {
  const right = turns.filter((t) => t.judgement === 'right').length;
  const wrong = turns.filter((t) => t.judgement === 'wrong').length;
  const declined = turns.filter((t) => t.judgement === 'declined').length;
  const answerable = turns.filter((t) => t.expect === 'answer').length;
  return {
    turns: turns.length,
    right,
    wrong,
    declined,
    wrongAnswerRate: turns.length ? wrong / turns.length : null,
    declineRate: answerable ? declined / answerable : null,
  };
}

/** The dialogue metrics of a set of results: accuracy on answer turns, follow-ups, declines, and the tallies per asked type. */
export function dialogueMetrics(results: DialogueCaseResult[]) {
  const turns = results.flatMap((r) => r.turns);
  const share = (list: JudgedTurn[]) => (list.length ? list.filter((t) => t.judgement === 'right').length / list.length : null);
  const byType: Record<string, JudgementTally> = {};
  for (const type of [...ASKED_TYPES, 'decline'] as const) {
    const of = turns.filter((t) => t.askedType === type);
    if (of.length) byType[type] = tally(of);
  }
  const byCategory: Record<string, JudgementTally> = {};
  for (const category of ['fact', 'followup', 'eligibility', 'arithmetic', 'decline'] as const) {
    const of = turns.filter((t) => t.category === category);
    if (of.length) byCategory[category] = tally(of);
  }
  return {
    /** Single questions whose answer the documents give (the eligibility cases are counted on their own). */
    answerAccuracy: share(turns.filter((t) => t.category === 'fact' && t.expect === 'answer')),
    followUpAccuracy: share(turns.filter((t) => t.index > 0)),
    eligibilityAccuracy: share(turns.filter((t) => t.category === 'eligibility')),
    arithmeticAccuracy: share(turns.filter((t) => t.category === 'arithmetic')),
    /** Of the turns whose rules deny (no) or turn on an unstated fact (depends), those answered with a plain yes: the worst kind of wrong answer. */
    falseYesRate: rateOf(turns.filter((t) => t.yesNo === 'no' || t.yesNo === 'depends'), (t) => t.verdict === 'yes'),
    outOfScopeDeclined: share(turns.filter((t) => t.declineKind === 'out_of_scope')),
    noDetailDeclined: share(turns.filter((t) => t.declineKind === 'no_evidence')),
    overall: tally(turns),
    byType,
    byCategory,
  };
}
