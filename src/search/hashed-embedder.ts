import { isCjk, tokenize } from '../text/tokenize.ts';
import { normalize, type Embedder } from './embedder.ts';

/** What the local embedder learns from the corpus; stored beside the index. */
export interface HashedEmbedderModel {
  dimensions: number;
  documents: number;
  documentFrequency: Record<string, number>;
}

/**
 * A local embedder that needs no network and no downloaded model: character
 * uni-, bi- and trigrams weighted by sublinear TF × IDF (learned from the
 * corpus), hashed with a sign bit into a fixed number of dimensions and
 * L2-normalised, so cosine similarity approximates n-gram TF-IDF overlap.
 */
export class HashedNgramEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly documents: number;
  /** Each feature the corpus has, by its index into the tables below. */
  private readonly known = new Map<string, number>();
  /** Per known feature its IDF, weight and hash, worked out once instead of for every text that has it. */
  private readonly idfs: Float64Array;
  private readonly weights: Float64Array;
  private readonly hashes: Uint32Array;
  /** Per known feature its count in the text being embedded; all 0 between texts (embedding is synchronous). */
  private readonly counts: Int32Array;

  constructor(readonly model: HashedEmbedderModel) {
    this.dimensions = model.dimensions;
    this.documents = model.documents;
    this.id = `hashed-ngram-tfidf-${model.dimensions}`;
    const entries = Object.entries(model.documentFrequency);
    this.idfs = new Float64Array(entries.length);
    this.weights = new Float64Array(entries.length);
    this.hashes = new Uint32Array(entries.length);
    this.counts = new Int32Array(entries.length);
    entries.forEach(([feature, df], i) => {
      this.known.set(feature, i);
      this.idfs[i] = this.idf(df);
      this.weights[i] = featureWeight(feature);
      this.hashes[i] = fnv1a(feature);
    });
  }

  /**
   * Learns document frequencies from the corpus texts. Features are counted
   * by index, each remembering the last text that counted it, rather than
   * through a Set per text.
   */
  static fit(texts: string[], dimensions = 512): HashedNgramEmbedder {
    const index = new Map<string, number>();
    const counts: number[] = [];
    const lastText: number[] = [];
    texts.forEach((text, t) => {
      for (const feature of features(text)) {
        let i = index.get(feature);
        if (i === undefined) {
          index.set(feature, (i = counts.push(0) - 1));
          lastText.push(-1);
        }
        if (lastText[i] !== t) {
          lastText[i] = t;
          counts[i]++;
        }
      }
    });
    const documentFrequency: Record<string, number> = {};
    for (const [feature, i] of index) documentFrequency[feature] = counts[i];
    return new HashedNgramEmbedder({ dimensions, documents: texts.length, documentFrequency });
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
  }

  embed(text: string): Float32Array {
    // Distinct features in order of first occurrence (the order their weights are added in):
    // known ones as their index, the others (only queries have them) as -1 - their place in `unknown`.
    const order: number[] = [];
    const unknown = new Map<string, number>();
    for (const feature of features(text)) {
      const i = this.known.get(feature);
      if (i !== undefined) {
        if (this.counts[i]++ === 0) order.push(i);
        continue;
      }
      const tf = unknown.get(feature);
      if (tf === undefined) order.push(-1 - unknown.size);
      unknown.set(feature, (tf ?? 0) + 1);
    }
    const others = [...unknown];
    const vector = new Float32Array(this.dimensions);
    for (const at of order) {
      let tf: number, idf: number, featureW: number, h: number;
      if (at >= 0) {
        tf = this.counts[at];
        this.counts[at] = 0;
        idf = this.idfs[at];
        featureW = this.weights[at];
        h = this.hashes[at];
      } else {
        const [feature, count] = others[-1 - at];
        tf = count;
        idf = this.idf(0);
        featureW = featureWeight(feature);
        h = fnv1a(feature);
      }
      const weight = (1 + Math.log(tf)) * idf * featureW;
      const slot = h % this.dimensions;
      vector[slot] += h & 0x80000000 ? -weight : weight;
    }
    return normalize(vector);
  }

  private idf(df: number): number {
    return Math.log((this.documents + 1) / (df + 1)) + 1;
  }
}

function features(text: string): string[] {
  const out = tokenize(text);
  // Trigrams over CJK runs capture short words that bigrams split (无还本, 担保费).
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isCjk(text.charCodeAt(i))) continue;
    for (let j = start; j + 3 <= i; j++) out.push(text.slice(j, j + 3));
    start = i + 1;
  }
  return out;
}

function featureWeight(feature: string): number {
  if (feature.length === 1 && isCjk(feature.charCodeAt(0))) return 0.3;
  return 1;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
