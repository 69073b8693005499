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
  vectors: Float32Array[];
  /** The local embedder's learned statistics, when the local embedder is used. */
  localModel?: HashedEmbedderModel;
}

export type EmbedderFactory = (corpus: Corpus) => Embedder;

/** The default: a hashed n-gram TF-IDF embedder fitted to the corpus itself. */
export const localEmbedder: EmbedderFactory = (corpus) => HashedNgramEmbedder.fit(corpus.chunks.map(chunkIndexText));

export async function buildIndexArtifact(corpus: Corpus, embedder: Embedder): Promise<IndexArtifact> {
  const vectors: Float32Array[] = [];
  const texts = corpus.chunks.map(chunkIndexText);
  const batch = 256;
  for (let i = 0; i < texts.length; i += batch) vectors.push(...(await embedder.embedDocuments(texts.slice(i, i + batch))));
  return {
    corpusHash: corpus.hash,
    embedderId: embedder.id,
    dimensions: embedder.dimensions,
    chunkIds: corpus.chunks.map((c) => c.id),
    vectors,
    localModel: embedder instanceof HashedNgramEmbedder ? embedder.model : undefined,
  };
}
