import { isCjk, tokenize } from '../text/tokenize.ts';
import type { WeightedTerm } from './bm25.ts';
import type { Lexicon } from './lexicon.ts';
import { SEARCHING } from '../tuning.ts';

export interface ContentTerm {
  term: string;
  /** Synonym groups whose wording in the question covers this term. */
  groups: number[];
}

/** What the corpus knows of a word: how many chunks contain it. */
export interface Vocabulary {
  documentFrequency(word: string): number;
}

export interface AnalyzedQuery {
  /** The question, lower-cased, with full-width letters and digits folded. */
  text: string;
  /** Terms for BM25: the question's tokens, then synonym expansions at a lower weight. */
  terms: WeightedTerm[];
  /** The question's topic-bearing words (question words and courtesies removed). */
  content: ContentTerm[];
  /** Synonym groups the question mentions. */
  groups: number[];
  /** Text for the embedder: the question and its expansions. */
  embeddingText: string;
}

const EXPANSION_WEIGHT = SEARCHING.expansionWeight;
/** UUIDs, runs of 7+ digits, and 12+ character letter-digit mixes. */
const CODES = /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d{7,}|(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{12,}/g;
const MAX_WORD = 6;

/**
 * Reads a question the way the retriever and the evidence gate need it:
 * tokens to search with, synonym expansions from corpus/synonyms.json, and
 * the content words whose coverage decides whether the corpus answers it.
 *
 * Content words come from a segmentation that uses the corpus itself (and
 * the synonym list) as its dictionary: synonym terms first, then question
 * words are masked, then the longest runs the corpus contains. Characters the
 * corpus never puts together (住房 in 个人住房贷款) stay as an unknown word,
 * which is what lets the gate notice a question about something else.
 */
export function analyzeQuery(question: string, lexicon: Lexicon, vocabulary: Vocabulary): AnalyzedQuery {
  // Reference numbers the asker adds (a case id, a phone number, a UUID) are neither topic nor search terms.
  const text = foldWidth(question).toLowerCase().replace(CODES, ' ');
  const weights = new Map<string, number>();
  for (const token of tokenize(text)) weights.set(token, Math.max(weights.get(token) ?? 0, 1));

  // 1. Synonym terms, longest first, without overlaps.
  const taken = new Array<boolean>(text.length).fill(false);
  const found: Array<{ start: number; end: number; group: number }> = [];
  for (const { term, g } of synonymTermsLongestFirst(lexicon)) {
    for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
      if (taken.slice(at, at + term.length).some(Boolean)) continue;
      for (let i = at; i < at + term.length; i++) taken[i] = true;
      found.push({ start: at, end: at + term.length, group: g });
    }
  }
  const groups = [...new Set(found.map((f) => f.group))];

  const expansions: string[] = [];
  for (const g of groups) {
    for (const term of lexicon.synonyms[g]) {
      if (text.includes(term)) continue;
      expansions.push(term);
      for (const token of tokenize(term)) if (!weights.has(token)) weights.set(token, EXPANSION_WEIGHT);
    }
  }

  // 2. Question words and courtesies are separators.
  const masked = taken.slice();
  const stopChars = new Set(lexicon.stopPhrases.filter((p) => p.length === 1));
  for (const phrase of lexicon.stopPhrases) {
    if (phrase.length === 1) continue;
    for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
      if (taken.slice(at, at + phrase.length).some(Boolean)) continue;
      for (let i = at; i < at + phrase.length; i++) masked[i] = true;
    }
  }

  // 3. Synonym words, then the longest corpus words in what is left, in question order.
  const words: Array<{ start: number; term: string; groups: number[] }> = found.map((f) => ({
    start: f.start,
    term: text.slice(f.start, f.end),
    groups: [f.group],
  }));
  const runs = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;
  for (let i = 0; i < text.length; ) {
    if (masked[i]) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && !masked[end]) end++;
    const segment = text.slice(i, end);
    for (const m of segment.matchAll(runs)) {
      const at = i + m.index!;
      if (!isCjk(m[0].charCodeAt(0))) {
        if (m[0].length >= 2) words.push({ start: at, term: m[0], groups: [] });
      }
      else for (const w of segmentRun(m[0], vocabulary, stopChars)) words.push({ start: at + w.start, term: w.term, groups: [] });
    }
    i = end;
  }
  words.sort((a, b) => a.start - b.start);
  const seen = new Set<string>();
  const content: ContentTerm[] = [];
  for (const w of words) {
    if (seen.has(w.term)) continue;
    seen.add(w.term);
    content.push({ term: w.term, groups: w.groups });
  }

  return {
    text,
    terms: [...weights].map(([term, weight]) => ({ term, weight })),
    content,
    groups,
    embeddingText: [text, ...expansions].join(' '),
  };
}

const sortedTerms = new WeakMap<Lexicon, Array<{ term: string; g: number }>>();

function synonymTermsLongestFirst(lexicon: Lexicon): Array<{ term: string; g: number }> {
  let terms = sortedTerms.get(lexicon);
  if (!terms) {
    terms = lexicon.synonyms.flatMap((group, g) => group.map((term) => ({ term, g }))).sort((a, b) => b.term.length - a.term.length);
    sortedTerms.set(lexicon, terms);
  }
  return terms;
}

/**
 * Greedy longest match against the corpus. Single characters the corpus
 * cannot join to a neighbour collect into an unknown word, except
 * one-character particles and verbs from the stop list (要、写、从、来), which
 * say little on their own; a lone unknown character is dropped.
 */
function segmentRun(run: string, vocabulary: Vocabulary, stopChars: Set<string>): Array<{ start: number; term: string }> {
  const out: Array<{ start: number; term: string }> = [];
  let unknownStart = -1;
  const flushUnknown = (end: number) => {
    // A lone leftover character still counts when the corpus never uses it (涨, 股 in 「下周能涨的银行股」):
    // its IDF is then at its highest, while a common one (测) weighs little.
    if (unknownStart >= 0 && (end - unknownStart >= 2 || vocabulary.documentFrequency(run.slice(unknownStart, end)) === 0)) {
      out.push({ start: unknownStart, term: run.slice(unknownStart, end) });
    }
    unknownStart = -1;
  };
  const longestAt = (i: number) => {
    for (let l = Math.min(MAX_WORD, run.length - i); l >= 2; l--) {
      if (vocabulary.documentFrequency(run.slice(i, i + l)) > 0) return l;
    }
    return 0;
  };
  for (let i = 0; i < run.length; ) {
    let length = longestAt(i);
    // 「在融资」「的股票」: a particle glued to the word after it is not part of that word.
    if (length >= 2 && stopChars.has(run[i]) && (length === 2 || longestAt(i + 1) >= 2)) length = 0;
    // 「处理的」: nor is one glued to the word before it.
    if (length >= 3 && stopChars.has(run[i + length - 1]) && vocabulary.documentFrequency(run.slice(i, i + length - 1)) > 0) length--;
    if (length === 0) {
      if (stopChars.has(run[i])) flushUnknown(i);
      else if (unknownStart < 0) unknownStart = i;
      i++;
      continue;
    }
    flushUnknown(i);
    out.push({ start: i, term: run.slice(i, i + length) });
    i += length;
  }
  flushUnknown(run.length);
  return out;
}

function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}
