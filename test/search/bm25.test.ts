/**
 * BM25 against its definition: scoring every chunk of the real corpus
 * directly (the formula written out in float64, a Map per query) gives the
 * same texts in the same order as the index's flat postings, float32 term
 * weights, reused accumulators and heap, with scores equal to float32
 * precision; and the WebAssembly and JavaScript accumulation loops agree to
 * the bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadQuestions } from '../../bench/stats.ts';
import { Bm25Index, idfOf, type WeightedTerm } from '../../src/search/bm25.ts';
import { chunkIndexText } from '../../src/search/retriever.ts';
import { tokenize } from '../../src/text/tokenize.ts';
import { loadCorpus } from '../support/corpus.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

function reference(texts: string[], terms: WeightedTerm[], k: number, k1 = 1.2, b = 0.75) {
  const counts = texts.map((text) => {
    const c = new Map<string, number>();
    for (const token of tokenize(text)) c.set(token, (c.get(token) ?? 0) + 1);
    return c;
  });
  const lengths = counts.map((c) => [...c.values()].reduce((sum, tf) => sum + tf, 0));
  const average = lengths.reduce((sum, l) => sum + l, 0) / texts.length;
  const scores = new Map<number, number>();
  for (const { term, weight } of terms) {
    const df = counts.filter((c) => c.has(term)).length;
    const idf = idfOf(df, texts.length) * weight;
    counts.forEach((c, doc) => {
      const tf = c.get(term);
      if (!tf) return;
      const norm = k1 * (1 - b + (b * lengths[doc]) / average);
      scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / (tf + norm));
    });
  }
  return [...scores].map(([doc, score]) => ({ doc, score })).sort((x, y) => y.score - x.score || x.doc - y.doc).slice(0, k);
}

/** A question's tokens at weight 1 and, as synonym expansions are, a few other words at 0.4. */
function queryTerms(question: string, extra: string): WeightedTerm[] {
  const own = [...new Set(tokenize(question))];
  return [...own.map((term) => ({ term, weight: 1 })), ...tokenize(extra).filter((t) => !own.includes(t)).map((term) => ({ term, weight: 0.4 }))];
}

describe('Bm25Index', () => {
  let texts: string[];
  let index: Bm25Index;
  const questions = loadQuestions(ROOT);
  beforeAll(async () => {
    texts = (await loadCorpus()).chunks.map((c) => chunkIndexText(c).toLowerCase());
    index = new Bm25Index(texts);
  });

  it('ranks and scores every bench question as the formula does, for any k', () => {
    questions.forEach((question, i) => {
      const terms = queryTerms(question, questions[(i + 1) % questions.length]);
      for (const k of [1, 5, 40, texts.length]) {
        const hits = index.search(terms, k);
        const expected = reference(texts, terms, k);
        expect(hits.map((h) => h.doc)).toEqual(expected.map((h) => h.doc));
        hits.forEach((hit, rank) => expect(Math.abs(hit.score - expected[rank].score) / expected[rank].score).toBeLessThan(1e-6));
      }
    });
  });

  it('searches in WebAssembly on Node, and the JavaScript loop gives the same hits to the bit', () => {
    const js = new Bm25Index(texts, { kernel: 'js' });
    expect(index.kernel).toBe('wasm');
    expect(js.kernel).toBe('js');
    questions.forEach((question, i) => {
      const terms = queryTerms(question, questions[(i + 3) % questions.length]);
      for (const k of [1, 40, texts.length]) expect(js.search(terms, k)).toEqual(index.search(terms, k));
    });
  });

  it('gives the same answer when asked again, whatever was asked in between', () => {
    const terms = queryTerms(questions[0], '');
    const first = index.search(terms, 40);
    index.search(queryTerms(questions[1], questions[2]), 0);
    index.search(queryTerms(questions[3], ''), 3);
    expect(index.search(terms, 40)).toEqual(first);
  });

  it('breaks ties in favour of the earlier text, and leaves out terms weighted 0 or less', () => {
    const small = new Bm25Index(['无还本续贷', '担保费补贴', '无还本续贷', '续贷']);
    const hits = small.search([{ term: '续贷', weight: 1 }], 10);
    expect(hits.map((h) => h.doc)).toEqual([3, 0, 2]);
    expect(hits[1].score).toBe(hits[2].score);
    expect(small.search([{ term: '续贷', weight: 1 }, { term: '担保', weight: 0 }, { term: '补贴', weight: -1 }], 10)).toEqual(hits);
    expect(small.search([{ term: '担保', weight: 0 }], 10)).toEqual([]);
  });

  it('lists the texts holding a term in order, and counts them', () => {
    for (const term of ['续贷', '担', '12378', '不存在的词']) {
      const expected = texts.flatMap((text, doc) => (tokenize(text).includes(term) ? [doc] : []));
      expect([...index.documentsWith(term)]).toEqual(expected);
      expect(index.documentFrequency(term)).toBe(expected.length);
    }
  });
});
