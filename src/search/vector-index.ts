import { dot } from './embedder.ts';

export interface VectorHit {
  /** Position of the vector in the order it was added (the chunk ordinal). */
  id: number;
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

/** Nearest-neighbour search over normalised vectors. */
export interface VectorIndex {
  readonly size: number;
  search(query: Float32Array, k: number): VectorHit[];
}

/**
 * Exact search by scanning every vector: portable (no native code), exact, and
 * fast enough for corpora of a few thousand chunks; the Node runtime uses
 * hnswlib-node instead.
 */
export class ExactVectorIndex implements VectorIndex {
  constructor(private readonly vectors: Float32Array[]) {}

  get size(): number {
    return this.vectors.length;
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const hits = this.vectors.map((v, id) => ({ id, score: dot(query, v) }));
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return hits.slice(0, k);
  }
}
