/**
 * Turns texts into vectors. The local embedder and LangChain's OpenAI
 * embeddings both satisfy it, so the index and retriever never know which
 * one is in use.
 */
export interface Embedder {
  /** Identifies the model and its settings; an index built with another id is rebuilt. */
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** `signal` is the answer's deadline: a remote embedder gives up (and stops retrying) when it aborts. */
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
}

export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
