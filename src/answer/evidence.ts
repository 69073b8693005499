import type { Chunk } from '../corpus/chunk.ts';
import type { Corpus } from '../corpus/corpus.ts';
import type { Section } from '../corpus/structure.ts';
import type { ContentTerm } from '../search/query.ts';
import type { RetrievedChunk, Retriever } from '../search/retriever.ts';
import { splitClauses, splitSentences, type Span } from '../text/sentences.ts';
import { carriesContactDetail, statesDate, statesFigure, type Intent } from './intent.ts';

/** A sentence of a retrieved chunk, scored against the question. */
export interface Evidence {
  docId: string;
  chunkId: string;
  section: Section;
  start: number;
  end: number;
  text: string;
  /** Lower-cased text with full-width characters folded, for matching. */
  folded: string;
  score: number;
  /** Indexes (into the question's content terms) this sentence covers. */
  covers: Set<number>;
}

export interface WeightedContent extends ContentTerm {
  weight: number;
}

const CONTEXT_FACTOR = 0.5;
const NAMED_MISS_FACTOR = 0.7;

/** Weights content terms by IDF over the chunks, so rare topic words count most. */
export function weighContent(retriever: Retriever, terms: ContentTerm[], factor = 1): WeightedContent[] {
  return terms.map((t) => ({ ...t, weight: retriever.idf(t.term) * factor }));
}

/**
 * Words that ask for a kind of detail rather than name a topic: 「地址」 is
 * answered by a sentence that gives an address, whether or not it says 地址.
 */
const DETAIL_KINDS: Array<{ words: RegExp; detail: RegExp }> = [
  { words: /地址|地点|地方|位置|在哪/, detail: /[路街道]\d|\d+号|[座楼]\S{0,3}层/ },
  { words: /电话|热线|联系方式|手机|号码/, detail: /\d{3,4}[—-]\d{7,8}|1\d{10}|\b\d{5}\b|12378/ },
  { words: /网址|网站|官网|链接|网页/, detail: /https?:\/\// },
  { words: /邮箱|邮件|email/, detail: /@/ },
  { words: /字数|多少字|几个字/, detail: /\d+字/ },
  { words: /名额|数量|几个|几家|几种|几项/, detail: /\d+个|\d+家|\d+种|\d+名/ },
  { words: /时间|日期|截止|期限|哪天/, detail: /\d{1,2}月|\d{4}年|\d+个?(天|工作日|月)/ },
];

export function covers(folded: string, term: ContentTerm, synonyms: string[][]): boolean {
  if (folded.includes(term.term)) return true;
  if (term.groups.some((g) => synonyms[g].some((s) => folded.includes(s)))) return true;
  return DETAIL_KINDS.some((k) => k.words.test(term.term) && k.detail.test(folded));
}

/**
 * Splits the retrieved chunks into sentences and scores each by the weight of
 * the question terms it covers (synonym-aware), with smaller credit for the
 * conversation's earlier topic, the chunk's retrieval rank and the intent.
 */
export function gatherEvidence(
  corpus: Corpus,
  retriever: Retriever,
  hits: RetrievedChunk[],
  question: WeightedContent[],
  context: WeightedContent[],
  intent: Intent,
): Evidence[] {
  const synonyms = retriever.lexicon.synonyms;
  const sections = sectionIndex(corpus);
  const best = hits[0]?.score ?? 1;
  const out: Evidence[] = [];
  for (const hit of hits) {
    const doc = corpus.document(hit.chunk.docId)!;
    const section = sections.get(hit.chunk.sectionId)!;
    for (const { span, text, folded, within } of sentencesOf(hit.chunk, doc.text, section)) {
      let score = 0;
      const covered = new Set<number>();
      question.forEach((t, i) => {
        if (covers(folded, t, synonyms)) {
          score += t.weight;
          covered.add(i);
        } else if (covers(within, t, synonyms)) {
          // The section heading speaks for its sentences (「三、用好无还本续贷政策」).
          score += t.weight * 0.6;
          covered.add(i);
        } else {
          // Partial credit for a long word half present (网络投票 → 投票时间); it does not count as covered.
          score += t.weight * 0.5 * bigramOverlap(t.term, folded);
        }
      });
      for (const t of context) if (covers(within, t, synonyms)) score += t.weight * CONTEXT_FACTOR;
      score *= 1 + 0.25 * (hit.score / best);
      if (intent.procedure && section.title === '操作路径') score *= 1.3;
      if (intent.target && section.title === '工作目标') score *= 1.3;
      if (intent.contact && carriesContactDetail(text)) score *= 1.3;
      // A sentence without a figure cannot answer 多久/多少.
      if (intent.quantity || intent.time) score *= statesFigure(text) ? 1.25 : 0.7;
      if (intent.time && statesDate(text)) score *= 1.2;
      out.push({ docId: doc.id, chunkId: hit.chunk.id, section, start: span.start, end: span.end, text, folded, score, covers: covered });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.start - b.start);
}

/**
 * How well the corpus answers the question: the best share of the question's
 * term weight covered by one passage, where a passage is a top sentence plus
 * the other top sentences of its own section. Two unrelated sentences that
 * each cover half the question (「信用修复」 in one, 「费用」 in another) do
 * not add up to an answer.
 */
export function answerCoverage(question: WeightedContent[], evidence: Evidence[], anchors = 5, pool = 12): number {
  const top = evidence.slice(0, pool);
  let best = 0;
  // Terms the question names through the domain vocabulary (信用修复, 手续费 ...) are what it is
  // about: a passage that leaves one of them out answers a different question.
  const named = question.map((t, i) => (t.groups.length ? i : -1)).filter((i) => i >= 0);
  for (const anchor of top.slice(0, anchors)) {
    const passage = top.filter((e) => e.section.id === anchor.section.id || e.section.path.join('›').startsWith(anchor.section.path.join('›')));
    const coveredTerms = new Set(passage.flatMap((e) => [...e.covers]));
    const missesNamed = named.some((i) => !coveredTerms.has(i));
    best = Math.max(best, coverage(question, passage) * (missesNamed ? NAMED_MISS_FACTOR : 1));
  }
  return best;
}

const sectionIndexes = new WeakMap<Corpus, Map<string, Section>>();

function sectionIndex(corpus: Corpus): Map<string, Section> {
  let index = sectionIndexes.get(corpus);
  if (!index) {
    index = new Map();
    for (const doc of corpus.documents) for (const s of doc.sections) index.set(s.id, s);
    sectionIndexes.set(corpus, index);
  }
  return index;
}

interface Sentence {
  span: Span;
  text: string;
  folded: string;
  /** Folded sentence with its section path in front, for heading-level matches. */
  within: string;
}

const chunkSentences = new WeakMap<Chunk, Sentence[]>();

/** A chunk's sentences (with enough words to quote), split once and kept. */
function sentencesOf(chunk: Chunk, documentText: string, section: Section): Sentence[] {
  let sentences = chunkSentences.get(chunk);
  if (!sentences) {
    const heading = fold(section.path.join(' '));
    let label = '';
    sentences = splitSentences(documentText, chunk.start, chunk.end)
      .map((span) => ({ span, text: documentText.slice(span.start, span.end) }))
      .filter(({ text }) => /[\p{L}\p{N}]{2}/u.test(text))
      .map(({ span, text }) => {
        const folded = fold(text);
        // A short line without a full stop (a form field's name, 「案例创新点」) heads the line after it.
        const sentence = { span, text, folded, within: `${heading} ${label} ${folded}` };
        label = text.length <= 12 && !/[。；！？]/.test(text) ? folded : '';
        return sentence;
      })
      .filter(({ text }) => /[\p{L}\p{N}]{4}/u.test(text));
    chunkSentences.set(chunk, sentences);
  }
  return sentences;
}

/** Share of the question's term weight that a set of sentences covers. */
export function coverage(question: WeightedContent[], evidence: Evidence[]): number {
  const total = question.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) return 0;
  const covered = new Set<number>();
  for (const e of evidence) for (const i of e.covers) covered.add(i);
  let sum = 0;
  covered.forEach((i) => (sum += question[i].weight));
  return sum / total;
}

/**
 * For a long sentence, the shortest run of its clauses that keeps what the
 * question asks about; the run is still a verbatim span of the document.
 */
export function narrow(
  documentText: string,
  evidence: Evidence,
  question: WeightedContent[],
  synonyms: string[][],
  maxChars: number,
  wantsFigure = false,
): Span {
  const span = { start: evidence.start, end: evidence.end };
  if (span.end - span.start <= maxChars) return span;
  const clauses = splitClauses(documentText, span);
  const figureBonus = question.reduce((sum, t) => sum + t.weight, 0) * 0.5 + 1;
  let best: { span: Span; score: number } | null = null;
  for (let i = 0; i < clauses.length; i++) {
    for (let j = i; j < clauses.length; j++) {
      const candidate = { start: clauses[i].start, end: clauses[j].end };
      if (candidate.end - candidate.start > maxChars && j > i) break;
      const folded = fold(documentText.slice(candidate.start, candidate.end));
      let score = question.reduce((sum, t) => sum + (covers(folded, t, synonyms) ? t.weight : 0), 0);
      // A question about a figure (多久、多少) is answered by the clause that states it.
      if (wantsFigure && statesFigure(folded)) score += figureBonus;
      const length = candidate.end - candidate.start;
      if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) < 1e-9 && length < best.span.end - best.span.start)) {
        best = { span: candidate, score };
      }
    }
  }
  if (!best) return span;
  // 「平均修复时间6天，最快仅需3天」: keep the figures that follow the chosen clauses.
  let end = best.span.end;
  for (const clause of clauses) {
    if (!wantsFigure || clause.start < end) continue;
    if (!statesFigure(documentText.slice(clause.start, clause.end)) || clause.end - best.span.start > maxChars) break;
    end = clause.end;
  }
  return { start: best.span.start, end };
}

function bigramOverlap(term: string, text: string): number {
  if (term.length < 3) return 0;
  let hits = 0;
  for (let i = 0; i + 2 <= term.length; i++) if (text.includes(term.slice(i, i + 2))) hits++;
  return hits / (term.length - 1);
}

export function fold(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).toLowerCase();
}
