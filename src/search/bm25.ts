import { tokenize } from '../text/tokenize.ts';

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Bm25Options {
  k1?: number;
  b?: number;
}

/**
 * An in-memory BM25 index over tokenized texts, with postings per term so a
 * query touches only the documents that share a term with it.
 */
export class Bm25Index {
  readonly size: number;
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Float32Array }>();
  private readonly lengths: Float32Array;
  private readonly avgLength: number;
  private readonly k1: number;
  private readonly b: number;

  constructor(texts: string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.size = texts.length;
    this.lengths = new Float32Array(texts.length);
    const build = new Map<string, { docs: number[]; tfs: number[] }>();
    let total = 0;
    texts.forEach((text, doc) => {
      const counts = new Map<string, number>();
      for (const token of tokenize(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
      let length = 0;
      for (const [term, tf] of counts) {
        length += tf;
        let posting = build.get(term);
        if (!posting) build.set(term, (posting = { docs: [], tfs: [] }));
        posting.docs.push(doc);
        posting.tfs.push(tf);
      }
      this.lengths[doc] = length;
      total += length;
    });
    this.avgLength = texts.length ? total / texts.length : 1;
    for (const [term, p] of build) {
      this.postings.set(term, { docs: Int32Array.from(p.docs), tfs: Float32Array.from(p.tfs) });
    }
  }

  /** Number of indexed texts containing `term`. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Ordinals of the texts containing `term`. */
  documentsWith(term: string): Int32Array {
    return this.postings.get(term)?.docs ?? EMPTY;
  }

  idf(term: string): number {
    return idfOf(this.documentFrequency(term), this.size);
  }

  /** Scores every text sharing a term with the query; returns the best `k`, best first. */
  search(terms: WeightedTerm[], k: number): Array<{ doc: number; score: number }> {
    const scores = new Map<number, number>();
    for (const { term, weight } of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term) * weight;
      const { docs, tfs } = posting;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i];
        const tf = tfs[i];
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm));
      }
    }
    return topK(scores, k);
  }
}

const EMPTY = new Int32Array(0);

export function idfOf(df: number, size: number): number {
  return Math.log(1 + (size - df + 0.5) / (df + 0.5));
}

export function topK(scores: Map<number, number>, k: number): Array<{ doc: number; score: number }> {
  const all = [...scores].map(([doc, score]) => ({ doc, score }));
  all.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return all.slice(0, k);
}
