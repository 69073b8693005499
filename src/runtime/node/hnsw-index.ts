import hnswlib from 'hnswlib-node';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexArtifact } from '../../search/build.ts';
import type { HashedEmbedderModel } from '../../search/hashed-embedder.ts';
import type { VectorHit, VectorIndex } from '../../search/vector-index.ts';

const { HierarchicalNSW } = hnswlib;

/** One HNSW graph of the index: the vectors start … start + size − 1, labelled with their chunk ordinals. */
export interface GraphFile {
  file: string;
  start: number;
  size: number;
}

interface IndexMeta {
  corpusHash: string;
  embedderId: string;
  dimensions: number;
  chunkIds: string[];
  localModel?: HashedEmbedderModel;
  /** Absent in indexes written before graphs were split: one graph, vectors.hnsw. */
  graphs?: GraphFile[];
  builtAt: string;
}

/** Graph settings: the same for every graph, whatever its size. */
const GRAPH = { m: 16, efConstruction: 200, randomSeed: 42 };
/**
 * The most vectors one graph holds. Inserting into an HNSW graph is
 * single-threaded (hnswlib-node's addPoint), and at 250,000 vectors of 512
 * dimensions one graph took 200–220 s to build here; above this size the
 * vectors are split into graphs of equal size, built at the same time in
 * worker threads (one per core) and searched one after the other. Below it
 * (every corpus of the seed's kind) the index is one graph, as before.
 */
export const MAX_GRAPH_SIZE = 150_000;

/** hnswlib-node's HNSW graphs in cosine space, persisted beside a JSON description. */
export class HnswVectorIndex implements VectorIndex {
  private constructor(
    private readonly graphs: Array<{ index: InstanceType<typeof HierarchicalNSW>; size: number }>,
    readonly size: number,
  ) {}

  static read(dir: string, dimensions: number, files: GraphFile[]): HnswVectorIndex {
    const graphs = files.map(({ file, size }) => {
      const index = new HierarchicalNSW('cosine', dimensions);
      index.readIndexSync(join(dir, file));
      return { index, size };
    });
    return new HnswVectorIndex(graphs, files.reduce((n, g) => n + g.size, 0));
  }

  /** The best k over every graph (each asked for its own best k), best first, ties to the lower chunk ordinal. */
  search(query: Float32Array, k: number): VectorHit[] {
    const point = Array.from(query);
    const hits: VectorHit[] = [];
    for (const { index, size } of this.graphs) {
      const n = Math.min(k, size);
      if (n === 0) continue;
      index.setEf(efFor(n, size));
      const { neighbors, distances } = index.searchKnn(point, n);
      neighbors.forEach((id, i) => hits.push({ id, score: 1 - distances[i] }));
    }
    if (this.graphs.length > 1) hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return hits.slice(0, Math.min(k, this.size));
  }
}

/** How `count` vectors are split into graphs of at most `maxGraphSize`, as equal as can be. */
export function graphLayout(count: number, maxGraphSize = MAX_GRAPH_SIZE): GraphFile[] {
  const parts = Math.max(1, Math.ceil(count / maxGraphSize));
  return Array.from({ length: parts }, (_, i) => {
    const start = Math.floor((i * count) / parts);
    const end = Math.floor(((i + 1) * count) / parts);
    return { file: parts === 1 ? 'vectors.hnsw' : `vectors.${i}.hnsw`, start, size: end - start };
  });
}

/**
 * Builds the graphs of `artifact` into `dir` (as `<file>.tmp`; saveStoredIndex
 * puts them in place), in worker threads, at most one per core at a time, so
 * the main thread stays free and the graphs are built side by side.
 */
export async function buildGraphs(dir: string, artifact: IndexArtifact, options: { maxGraphSize?: number } = {}): Promise<GraphFile[]> {
  mkdirSync(dir, { recursive: true });
  const layout = graphLayout(artifact.vectors.length, options.maxGraphSize);
  const vectors = sharedMatrix(artifact.vectors, artifact.dimensions);
  const queue = [...layout];
  const builder = async () => {
    for (let graph = queue.shift(); graph; graph = queue.shift()) {
      await buildGraph({ ...GRAPH, vectors, dimensions: artifact.dimensions, start: graph.start, size: graph.size, file: join(dir, `${graph.file}.tmp`) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(layout.length, availableParallelism()) }, builder));
  return layout;
}

const GRAPH_WORKER = new URL('./hnsw-graph-worker.mjs', import.meta.url);

function buildGraph(workerData: typeof GRAPH & { vectors: SharedArrayBuffer; dimensions: number; start: number; size: number; file: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    // The builder's JavaScript holds one reused point array (the vectors are shared, the graph is native):
    // a small heap keeps each thread's memory to its graph.
    const worker = new Worker(GRAPH_WORKER, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 } });
    let done = false;
    worker.once('message', () => (done = true));
    worker.once('error', (error) => reject(new Error(`HNSW graph ${workerData.file}: ${error.message}`)));
    worker.once('exit', (code) => (done && code === 0 ? resolve() : reject(new Error(`HNSW graph build for ${workerData.file} exited with code ${code}`))));
  });
}

/** The vectors as one shared matrix: the artifact's own buffer when its rows are consecutive views of shared memory, else a copy. */
function sharedMatrix(vectors: Float32Array[], dimensions: number): SharedArrayBuffer {
  const first = vectors[0];
  const bytes = vectors.length * dimensions * 4;
  if (first && first.buffer instanceof SharedArrayBuffer && first.byteOffset === 0 && first.buffer.byteLength === bytes) {
    if (vectors.every((v, i) => v.buffer === first.buffer && v.byteOffset === i * dimensions * 4)) return first.buffer;
  }
  const shared = new SharedArrayBuffer(bytes);
  const matrix = new Float32Array(shared);
  vectors.forEach((v, i) => matrix.set(v, i * dimensions));
  return shared;
}

/**
 * The search breadth for k neighbours in a graph of `size` vectors. In a
 * graph of corpus size (hundreds to thousands of chunks) ef 8 × k costs
 * little and finds what an exact scan finds, where a narrower search loses
 * candidates (and answers). Past 20,000 vectors the breadth shows in every
 * query's time, so large graphs search at 4 × k, which keeps most of the
 * exact best for about a millisecond more a query than 2 × k. The
 * measurements behind both choices: docs/benchmarks.md, 「其他测量」.
 */
export function efFor(k: number, size: number): number {
  return Math.max(64, (size <= 20_000 ? 8 : 4) * k);
}

export interface StoredIndex {
  meta: IndexMeta;
  vectors: HnswVectorIndex;
}

/**
 * Loads the index from `dir` when it was built from the same corpus hash and
 * embedder; returns null otherwise, so the caller rebuilds.
 */
export function readStoredIndex(dir: string, corpusHash: string, embedderId: string | null): StoredIndex | null {
  const metaFile = join(dir, 'meta.json');
  if (!existsSync(metaFile)) return null;
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as IndexMeta;
  if (meta.corpusHash !== corpusHash) return null;
  if (embedderId !== null && meta.embedderId !== embedderId) return null;
  const graphs = meta.graphs ?? [{ file: 'vectors.hnsw', start: 0, size: meta.chunkIds.length }];
  if (!graphs.every((g) => existsSync(join(dir, g.file)))) return null;
  return { meta, vectors: HnswVectorIndex.read(dir, meta.dimensions, graphs) };
}

/** Builds the HNSW graphs and writes them with the raw vectors and the description; returns the index read back. */
export async function writeStoredIndex(dir: string, artifact: IndexArtifact): Promise<HnswVectorIndex> {
  const graphs = await buildGraphs(dir, artifact);
  saveStoredIndex(dir, artifact, graphs);
  return HnswVectorIndex.read(dir, artifact.dimensions, graphs);
}

/** Puts built graphs in place and writes the raw vectors (for runtimes without hnswlib) and the description. */
export function saveStoredIndex(dir: string, artifact: IndexArtifact, graphs: GraphFile[]): void {
  for (const { file } of graphs) renameSync(join(dir, `${file}.tmp`), join(dir, file));
  writeVectors(join(dir, 'vectors.f32'), artifact.vectors);
  const meta: IndexMeta = {
    corpusHash: artifact.corpusHash,
    embedderId: artifact.embedderId,
    dimensions: artifact.dimensions,
    chunkIds: artifact.chunkIds,
    localModel: artifact.localModel,
    graphs,
    builtAt: new Date().toISOString(),
  };
  // The description is written last: a half-written index is never taken for a finished one.
  writeFileSync(join(dir, 'meta.json.tmp'), JSON.stringify(meta));
  renameSync(join(dir, 'meta.json.tmp'), join(dir, 'meta.json'));
}

/** Writes the vectors back to back as float32, without first copying them all into one array. */
function writeVectors(file: string, vectors: Float32Array[]): void {
  const fd = openSync(file, 'w');
  try {
    for (const v of vectors) writeFileSync(fd, v);
  } finally {
    closeSync(fd);
  }
}
