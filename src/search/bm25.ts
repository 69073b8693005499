import { tokenize } from '../text/tokenize.ts';
import { allocatePostings, type PostingArrays, type PostingArraysOptions } from './accumulate.ts';

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Bm25Options extends PostingArraysOptions {
  k1?: number;
  b?: number;
}

/**
 * An in-memory BM25 index over tokenized texts, with postings per term so a
 * query touches only the documents that share a term with it.
 *
 * Sized for a few hundred thousand texts: the postings of all terms sit in
 * two flat typed arrays (text ordinals ascending within a term), filled in
 * two passes so no per-term JS array is ever allocated, each posting carries
 * its precomputed term weight, a search adds into one reused Float64Array
 * (in WebAssembly where it can: see accumulate.ts) and keeps the best `k` in
 * a small heap while it sweeps that array once, instead of building and
 * sorting an entry per matching text.
 */
export class Bm25Index {
  readonly size: number;
  private readonly termIds = new Map<string, number>();
  /**
   * The postings of term t are docs[offsets[t]] … docs[offsets[t + 1] - 1].
   * impacts holds each posting's BM25 term weight before IDF,
   * tf · (k1 + 1) / (tf + k1 · (1 − b + b · length / average length)),
   * computed once at build, so a search only multiplies and adds.
   */
  private readonly offsets: Int32Array;
  /** Postings, impacts and the score accumulators (all 0 between searches; searches are synchronous, so one array serves them all). */
  private readonly postings: PostingArrays;

  constructor(texts: string[], options: Bm25Options = {}) {
    const k1 = options.k1 ?? 1.2;
    const b = options.b ?? 0.75;
    this.size = texts.length;
    const lengths = new Float64Array(texts.length);
    const df: number[] = [];
    const counter = new TermCounter();
    texts.forEach((text, doc) => {
      counter.count(text, (token) => {
        let id = this.termIds.get(token);
        if (id === undefined) this.termIds.set(token, (id = df.push(0) - 1));
        return id;
      });
      counter.each((id, tf) => {
        df[id]++;
        lengths[doc] += tf;
      });
    });
    this.offsets = new Int32Array(df.length + 1);
    for (let t = 0; t < df.length; t++) this.offsets[t + 1] = this.offsets[t] + df[t];
    this.postings = allocatePostings(this.offsets[df.length], texts.length, options);
    const { docs, impacts } = this.postings;
    const next = this.offsets.slice(0, df.length);
    texts.forEach((text, doc) => {
      counter.count(text, (token) => this.termIds.get(token)!);
      counter.each((id, tf) => {
        const at = next[id]++;
        docs[at] = doc;
        impacts[at] = tf;
      });
    });
    const avgLength = texts.length ? lengths.reduce((sum, l) => sum + l, 0) / texts.length : 1;
    const norms = lengths.map((length) => k1 * (1 - b + (b * length) / avgLength));
    for (let i = 0; i < impacts.length; i++) {
      const tf = impacts[i];
      impacts[i] = (tf * (k1 + 1)) / (tf + norms[docs[i]]);
    }
  }

  /** Which accumulation loop searches run: 'wasm' or 'js' (see accumulate.ts). */
  get kernel(): 'wasm' | 'js' {
    return this.postings.kernel;
  }

  /** Number of indexed texts containing `term`. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1] - this.offsets[id];
  }

  /** Ordinals of the texts containing `term`, ascending. */
  documentsWith(term: string): Int32Array {
    const id = this.termIds.get(term);
    return id === undefined ? EMPTY : this.postings.docs.subarray(this.offsets[id], this.offsets[id + 1]);
  }

  idf(term: string): number {
    return idfOf(this.documentFrequency(term), this.size);
  }

  /**
   * Scores every text sharing a term with the query; returns the best `k`,
   * best first (ties to the earlier text). Terms weighted 0 or less are left
   * out: they cannot raise a text, and without them every matching text
   * scores above 0, which is how the sweep tells it from the others.
   */
  search(terms: WeightedTerm[], k: number): Array<{ doc: number; score: number }> {
    if (k <= 0) return [];
    const { scores, accumulate } = this.postings;
    let matched = 0;
    for (const { term, weight } of terms) {
      const id = this.termIds.get(term);
      if (id === undefined || !(weight > 0)) continue;
      const start = this.offsets[id];
      const end = this.offsets[id + 1];
      const idf = idfOf(end - start, this.size) * weight;
      matched += end - start;
      accumulate(start, end, idf);
    }
    if (matched === 0) return [];
    const best = topK(scores, k);
    scores.fill(0);
    return best;
  }
}

const EMPTY = new Int32Array(0);

export function idfOf(df: number, size: number): number {
  return Math.log(1 + (size - df + 0.5) / (df + 0.5));
}

/**
 * Term frequencies of one text at a time, by term id, in order of first
 * occurrence: one array indexed by id instead of a Map per text, which at a
 * few hundred thousand texts is most of the build.
 */
class TermCounter {
  private readonly tf: number[] = [];
  private readonly distinct: number[] = [];

  count(text: string, idOf: (token: string) => number): void {
    this.distinct.length = 0;
    for (const token of tokenize(text)) {
      const id = idOf(token);
      while (this.tf.length <= id) this.tf.push(0);
      if (this.tf[id]++ === 0) this.distinct.push(id);
    }
  }

  /** Calls `fn` with each term of the last text counted and its frequency, and clears the counts. */
  each(fn: (id: number, tf: number) => void): void {
    for (const id of this.distinct) {
      fn(id, this.tf[id]);
      this.tf[id] = 0;
    }
  }
}

/**
 * The best `k` texts scoring above 0, best first (ties to the earlier text),
 * in one sweep: a min-heap holds the best so far, and since the sweep goes
 * in text order, a later text only gets in with a score above the heap's
 * lowest.
 */
function topK(scores: Float64Array, k: number): Array<{ doc: number; score: number }> {
  const heap: number[] = [];
  const worse = (i: number, j: number) => {
    const a = heap[i];
    const b = heap[j];
    return scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  };
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
  let floor = 0;
  for (let doc = 0; doc < scores.length; doc++) {
    if (!(scores[doc] > floor)) continue;
    if (heap.length < k) {
      heap.push(doc);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else {
      heap[0] = doc;
      for (let i = 0; ; ) {
        let least = i;
        for (const child of [2 * i + 1, 2 * i + 2]) if (child < heap.length && worse(child, least)) least = child;
        if (least === i) break;
        swap(i, least);
        i = least;
      }
    }
    if (heap.length === k) floor = scores[heap[0]];
  }
  return heap.map((doc) => ({ doc, score: scores[doc] })).sort((a, b) => b.score - a.score || a.doc - b.doc);
}
