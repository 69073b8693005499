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
  private readonly df: Map<string, number>;
  private readonly documents: number;

  constructor(readonly model: HashedEmbedderModel) {
    this.dimensions = model.dimensions;
    this.documents = model.documents;
    this.df = new Map(Object.entries(model.documentFrequency));
    this.id = `hashed-ngram-tfidf-${model.dimensions}`;
  }

  /** Learns document frequencies from the corpus texts. */
  static fit(texts: string[], dimensions = 512): HashedNgramEmbedder {
    const documentFrequency: Record<string, number> = {};
    for (const text of texts) {
      for (const feature of new Set(features(text))) {
        documentFrequency[feature] = (documentFrequency[feature] ?? 0) + 1;
      }
    }
    return new HashedNgramEmbedder({ dimensions, documents: texts.length, documentFrequency });
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
  }

  embed(text: string): Float32Array {
    const counts = new Map<string, number>();
    for (const feature of features(text)) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const vector = new Float32Array(this.dimensions);
    for (const [feature, tf] of counts) {
      const df = this.df.get(feature) ?? 0;
      const idf = Math.log((this.documents + 1) / (df + 1)) + 1;
      const weight = (1 + Math.log(tf)) * idf * featureWeight(feature);
      const h = fnv1a(feature);
      const slot = h % this.dimensions;
      vector[slot] += h & 0x80000000 ? -weight : weight;
    }
    return normalize(vector);
  }
}

function features(text: string): string[] {
  const out = tokenize(text);
  // Trigrams over CJK runs capture short words that bigrams split (无还本, 担保费).
  let run = '';
  const flush = () => {
    for (let i = 0; i + 3 <= run.length; i++) out.push(run.slice(i, i + 3));
    run = '';
  };
  for (const ch of text) {
    if (isCjk(ch.charCodeAt(0))) run += ch;
    else flush();
  }
  flush();
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
