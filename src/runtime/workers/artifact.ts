import type { Config } from '../../config.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import { configuredOpenAiEmbedder } from '../../llm/openai.ts';
import type { IndexArtifact } from '../../search/build.ts';
import { HashedNgramEmbedder } from '../../search/hashed-embedder.ts';
import { ExactVectorIndex } from '../../search/vector-index.ts';
import type { AppDeps } from '../../web/app.ts';
import type { DataFiles, LoadedIndex } from '../domain.ts';

/** Bumped when the artifact's shape changes; a Worker refuses an artifact of another version. */
export const ARTIFACT_VERSION = 2;

export type AssetName = keyof NonNullable<AppDeps['assets']>;

/**
 * What `npm run worker:build` ships inside the Worker bundle: the corpus and
 * data files as text, the index the Node build made from them (vectors as
 * base64 little-endian float32, one after another in chunk order), and the
 * widget and console files. A Worker has no file system, so this is all it
 * knows.
 */
export interface WorkerArtifact {
  version: number;
  builtAt: string;
  files: DataFiles;
  index: Omit<IndexArtifact, 'vectors'> & { vectors: string };
  assets: Partial<Record<AssetName, string>>;
  /** Eval thresholds (evals/config.json), shown by the console. */
  thresholds: Record<string, number>;
}

export function packArtifact(
  files: DataFiles,
  index: IndexArtifact,
  assets: WorkerArtifact['assets'],
  thresholds: Record<string, number>,
  builtAt: Date,
): WorkerArtifact {
  const flat = new Float32Array(index.vectors.length * index.dimensions);
  index.vectors.forEach((v, i) => {
    if (v.length !== index.dimensions) throw new Error(`vector ${i} has ${v.length} dimensions, expected ${index.dimensions}`);
    flat.set(v, i * index.dimensions);
  });
  return {
    version: ARTIFACT_VERSION,
    builtAt: builtAt.toISOString(),
    files,
    index: { ...index, vectors: toBase64(new Uint8Array(flat.buffer)) },
    assets,
    thresholds,
  };
}

/** The artifact's vectors, one Float32Array per chunk, in chunk order. */
export function unpackVectors(artifact: WorkerArtifact): Float32Array[] {
  const { dimensions, chunkIds } = artifact.index;
  const bytes = fromBase64(artifact.index.vectors);
  if (bytes.byteLength !== chunkIds.length * dimensions * 4) {
    throw new Error(`index artifact holds ${bytes.byteLength} bytes of vectors, expected ${chunkIds.length} × ${dimensions} float32`);
  }
  const flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return chunkIds.map((_, i) => flat.subarray(i * dimensions, (i + 1) * dimensions));
}

// Float32Array uses the platform's byte order; every platform Node and workerd run on is little-endian.
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The artifact's index for the corpus the Worker parsed from the same
 * artifact: refuses an index built from other text or another embedder, and
 * searches the shipped vectors exactly (hnswlib is native and stays on Node).
 */
export function artifactIndex(artifact: WorkerArtifact, corpus: Corpus, config: Config): LoadedIndex {
  const { index } = artifact;
  if (index.corpusHash !== corpus.hash) throw new Error('the Worker artifact was built from another corpus: run npm run worker:build');
  if (index.chunkIds.length !== corpus.chunks.length || index.chunkIds.some((id, i) => id !== corpus.chunks[i].id)) {
    throw new Error('the Worker artifact lists other chunks than the corpus parses into: run npm run worker:build');
  }
  const embedder = index.localModel
    ? new HashedNgramEmbedder(index.localModel)
    : configuredOpenAiEmbedder(config);
  if (embedder.id !== index.embedderId) {
    throw new Error(`the Worker artifact's vectors come from ${index.embedderId}, but this Worker would embed questions with ${embedder.id}`);
  }
  return { embedder, vectors: new ExactVectorIndex(unpackVectors(artifact)) };
}
