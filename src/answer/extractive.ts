import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import { quoteAt, type Quote } from '../corpus/quotes.ts';
import type { Retriever } from '../search/retriever.ts';
import { splitClauses, splitSentences } from '../text/sentences.ts';
import { coverage, narrow, type Evidence, type WeightedContent } from './evidence.ts';
import type { Intent } from './intent.ts';
import { ANSWERING } from '../tuning.ts';
import type { Claim } from './types.ts';

export interface Composition {
  /** Answer text with [n] markers, n counting claims from 1. */
  text: string;
  claims: Claim[];
}

const FACT_QUOTE_MAX = 120;
const FACT_ANSWER_MAX = 200;
const STEP_QUOTE_MAX = 90;
const MAX_STEPS = 6;
const MAX_STEP_LINES = 8;
/** Shorter sentences are sub-headings (「（1）在线测额功能。」), not steps. */
const MIN_STEP = 12;
const MIN_CLAIM = 12;

/** A field name, a title or a sub-heading: short, with no full stop and no 「：」 stating a value. */
function isBare(text: string): boolean {
  return text.length < MIN_CLAIM && !/[。；：:！？]/.test(text);
}
/** Section titles that hold a procedure. */
const PROCEDURAL = /操作|流程|路径|方式|办理|步骤|报送|申报路径/;

/**
 * Picks the sentences that answer the question and composes them: one or two
 * claims when a fact is asked, numbered steps (in document order) when a
 * procedure is asked, the items that follow when the best sentence introduces
 * a list (「符合以下任一条件即可：」). Every claim is a verbatim span.
 */
export function composeExtractive(
  corpus: Corpus,
  retriever: Retriever,
  evidence: Evidence[],
  question: WeightedContent[],
  intent: Intent,
): Composition {
  if (evidence.length === 0) return { text: '', claims: [] };
  const synonyms = retriever.lexicon.synonyms;
  const wantsFigure = intent.quantity || intent.time;
  const claimOf = (e: Evidence, maxChars: number): Claim => {
    const doc = corpus.document(e.docId)!;
    const span = narrow(doc.text, e, question, synonyms, maxChars, wantsFigure);
    return {
      text: doc.text.slice(span.start, span.end),
      docId: e.docId,
      start: span.start,
      end: span.end,
      section: sectionLabel(e.section),
      label: e.section.kind === 'label' ? e.section.title : undefined,
    };
  };
  const numbered = (claims: Claim[], lead?: string): Composition => ({
    // A step that carries the document's own number (「1.报送方式：」) is shown under ours only.
    text: [lead, ...claims.map((c, i) => `${i + 1}. ${display(c).replace(/^(\d{1,2}[.．、]|[（(]\d{1,2}[）)])\s*/, '')}[${lead ? i + 2 : i + 1}]`)]
      .filter(Boolean)
      .join('\n'),
    claims,
  });

  // A bare field name or sub-heading (「案例简介」) covers the question's words but says nothing.
  const anchor = evidence.find((e) => !isBare(e.text)) ?? evidence[0];
  if (/[：:]$/.test(anchor.text)) {
    const items = listItems(corpus, anchor);
    if (items.length > 0) {
      const lead = claimOf(anchor, FACT_QUOTE_MAX);
      const claims = items.map((e) => claimOf(e, STEP_QUOTE_MAX + ORPHAN_TAIL_MAX));
      const composed = numbered(claims, `${display(lead)}[1]`);
      return { text: composed.text, claims: [lead, ...claims] };
    }
  }
  if (intent.procedure) {
    // The steps come from a procedural section (操作路径、报送方式 ...) when one is nearly as relevant.
    const procedural = evidence.find((e) => PROCEDURAL.test(e.section.title) && e.score >= anchor.score * 0.4);
    const steps = procedureSteps(evidence, procedural ?? anchor).flatMap((e) => clauseWindows(corpus, e, STEP_QUOTE_MAX)).slice(0, MAX_STEP_LINES);
    if (steps.length >= 1 && procedural && procedural !== anchor && !steps.some((e) => e.start === anchor.start)) {
      // What the policy says first, then how to do it.
      const lead = claimOf(anchor, FACT_QUOTE_MAX);
      const composed = numbered(steps.map((e) => claimOf(e, STEP_QUOTE_MAX + ORPHAN_TAIL_MAX)), `${display(lead)}[1]\n办理方式：`);
      return { text: composed.text, claims: [lead, ...composed.claims] };
    }
    if (steps.length >= 2) return numbered(steps.map((e) => claimOf(e, STEP_QUOTE_MAX + ORPHAN_TAIL_MAX)));
  }

  const claims = [claimOf(anchor, FACT_QUOTE_MAX)];
  const chosen = [anchor];
  for (const e of evidence.slice(0, 8)) {
    if (e === anchor || isBare(e.text)) continue;
    if (chosen.length >= 2) break;
    const gain = coverage(question, [...chosen, e]) - coverage(question, chosen);
    if (gain < 0.1 || e.score < anchor.score * 0.35 || overlaps(e, chosen)) continue;
    const claim = claimOf(e, FACT_QUOTE_MAX);
    const length = claims.reduce((n, c) => n + c.text.length, 0) + claim.text.length;
    if (length > FACT_ANSWER_MAX) continue;
    chosen.push(e);
    claims.push(claim);
  }
  // 「网络投票…权重为40%；专家评审…权重为60%」: a statement continued after 「；」 is kept whole.
  if (/；$/.test(claims[0].text) && claims.length < 2) {
    const next = nextSentence(corpus, anchor);
    const total = claims[0].text.length + (next ? next.text.length : 0);
    if (next && total <= FACT_ANSWER_MAX && !overlaps(next, chosen)) claims.push(claimOf(next, FACT_QUOTE_MAX));
  }
  // Claims read in document order when they come from one document.
  if (claims.every((c) => c.docId === claims[0].docId)) claims.sort((a, b) => a.start - b.start);
  return { text: claims.map((c, i) => `${display(c)}[${i + 1}]`).join(''), claims };
}

/**
 * The steps of the procedure the best sentence belongs to: relevant sentences
 * of its section (and of sibling items, for campaign lists such as 1.报送方式
 * 2.邮件主题), in the order the document gives them.
 */
function procedureSteps(evidence: Evidence[], anchor: Evidence): Evidence[] {
  const parent = anchor.section.path.slice(0, -1).join('›');
  const sameProcedure = (e: Evidence) =>
    e.section.id === anchor.section.id ||
    (anchor.section.kind === 'item' && e.section.kind === 'item' && e.section.path.slice(0, -1).join('›') === parent);
  const seen = new Set<number>();
  return evidence
    .filter((e) => sameProcedure(e) && e.score >= anchor.score * 0.3 && e.text.length >= MIN_STEP)
    .filter((e) => (seen.has(e.start) ? false : (seen.add(e.start), true)))
    .slice(0, MAX_STEPS)
    .sort((a, b) => a.start - b.start);
}

/**
 * A long procedural sentence (「首先需要进行认证，点击【注册】按钮，…，选择适配金融产品」)
 * holds several steps: it is cut at commas into consecutive windows of at most
 * `maxChars`, each still a verbatim span, so no step is lost to shortening.
 */
function clauseWindows(corpus: Corpus, e: Evidence, maxChars: number): Evidence[] {
  const doc = corpus.document(e.docId)!;
  return windowsOf(doc.text, e, maxChars).map((w) => ({ ...e, start: w.start, end: w.end, text: doc.text.slice(w.start, w.end) }));
}

/**
 * A quoted procedure of one long sentence as its steps (each a verbatim span), for a question that asks how to go
 * about it; the quote itself when it is short enough to be one step.
 */
export function stepQuotes(corpus: Corpus, quote: Quote): Quote[] {
  const doc = corpus.document(quote.docId);
  if (!doc) return [quote];
  const windows = windowsOf(doc.text, quote, STEP_QUOTE_MAX);
  return windows.length > 1 ? windows.map((w) => quoteAt(doc, w.start, w.end)) : [quote];
}

/** The consecutive clause windows of at most `maxChars` a span is cut into; the span itself when it is that short. */
function windowsOf(text: string, span: { start: number; end: number }, maxChars: number): Array<{ start: number; end: number }> {
  if (span.end - span.start <= maxChars) return [{ start: span.start, end: span.end }];
  const windows: Array<{ start: number; end: number }> = [];
  let current: { start: number; end: number } | null = null;
  for (const clause of splitClauses(text, { start: span.start, end: span.end })) {
    if (current && clause.end - current.start > maxChars) {
      windows.push(current);
      current = null;
    }
    current = current ? { start: current.start, end: clause.end } : { start: clause.start, end: clause.end };
  }
  if (current) {
    // A short tail (「zhaofeifei1@xinhua.org。」 after 「…发送至邮箱：」) stays with the clause it completes.
    const previous = windows[windows.length - 1];
    if (previous && current.end - current.start < ORPHAN_TAIL_MAX) windows[windows.length - 1] = { start: previous.start, end: current.end };
    else windows.push(current);
  }
  return windows;
}

/** A last clause shorter than this is not a step of its own. */
const ORPHAN_TAIL_MAX = 30;

/** The sentences that follow a sentence ending in a colon, within its section. */
function listItems(corpus: Corpus, anchor: Evidence): Evidence[] {
  const doc = corpus.document(anchor.docId)!;
  return splitSentences(doc.text, anchor.end, anchor.section.end)
    .filter((span) => /[\p{L}\p{N}]{4}/u.test(doc.text.slice(span.start, span.end)))
    .slice(0, ANSWERING.listItemsMax)
    .map((span) => ({ ...anchor, start: span.start, end: span.end, text: doc.text.slice(span.start, span.end) }));
}

/** The sentence right after `e` on the same line (after a ；), if any. */
function nextSentence(corpus: Corpus, e: Evidence): Evidence | null {
  const doc = corpus.document(e.docId)!;
  const lineEnd = doc.text.indexOf('\n', e.end);
  const to = Math.min(lineEnd < 0 ? doc.text.length : lineEnd, e.section.end);
  const [span] = splitSentences(doc.text, e.end, to);
  return span ? { ...e, start: span.start, end: span.end, text: doc.text.slice(span.start, span.end) } : null;
}

function overlaps(e: Evidence, chosen: Evidence[]): boolean {
  return chosen.some((c) => c.docId === e.docId && e.start < c.end && c.start < e.end);
}

/**
 * A claim as the answer shows it: without its section's own label
 * (「操作路径：」) and without a dangling comma where a clause was cut.
 */
function display(claim: Claim): string {
  let text = claim.text;
  if (claim.label && text.startsWith(`${claim.label}：`)) text = text.slice(claim.label.length + 1);
  return text.replace(/[，、；：,;:]$/, '');
}
