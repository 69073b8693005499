import type { Corpus } from '../corpus/corpus.ts';
import type { Embedder } from './embedder.ts';
import { HashedNgramEmbedder, type HashedEmbedderModel } from './hashed-embedder.ts';
import { chunkIndexText } from './retriever.ts';

/** Everything an index build produces, in a form any runtime can store and load. */
export interface IndexArtifact {
  corpusHash: string;
  embedderId: string;
  dimensions: number;
  /** Chunk ids in vector order. */
  chunkIds: string[];
  /** One vector per chunk; built by buildIndexArtifact, they are consecutive views of one Float32Array (over shared memory where there is some). */
  vectors: Float32Array[];
  /** The local embedder's learned statistics, when the local embedder is used. */
  localModel?: HashedEmbedderModel;
}

export type EmbedderFactory = (corpus: Corpus) => Embedder;

/** The default: a hashed n-gram TF-IDF embedder fitted to the corpus itself. */
export const localEmbedder: EmbedderFactory = (corpus) => HashedNgramEmbedder.fit(corpus.chunks.map(chunkIndexText));

const allocate = (bytes: number): ArrayBufferLike =>
  typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);

export async function buildIndexArtifact(corpus: Corpus, embedder: Embedder): Promise<IndexArtifact> {
  const texts = corpus.chunks.map(chunkIndexText);
  // One allocation for all the vectors: at a few hundred thousand chunks, one small buffer per chunk
  // costs an allocation each and, once freed, leaves memory the process does not give back. Its width
  // is that of the first vector: a remote model's size is only known once it has answered. Shared
  // where the runtime has shared memory, so Node's graph builders (worker threads) read it in place.
  let matrix: Float32Array | undefined;
  let width = 0;
  const vectors: Float32Array[] = [];
  const batch = 256;
  for (let i = 0; i < texts.length; i += batch) {
    for (const vector of await embedder.embedDocuments(texts.slice(i, i + batch))) {
      if (!matrix) matrix = new Float32Array(allocate(texts.length * (width = vector.length) * 4));
      if (vector.length !== width) throw new Error(`embedder ${embedder.id} returned vectors of ${width} and ${vector.length} dimensions`);
      const row = matrix.subarray(vectors.length * width, (vectors.length + 1) * width);
      row.set(vector);
      vectors.push(row);
    }
  }
  return {
    corpusHash: corpus.hash,
    embedderId: embedder.id,
    dimensions: embedder.dimensions,
    chunkIds: corpus.chunks.map((c) => c.id),
    vectors,
    localModel: embedder instanceof HashedNgramEmbedder ? embedder.model : undefined,
  };
}
