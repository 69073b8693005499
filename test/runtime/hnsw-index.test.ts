/**
 * The Node vector index: hnswlib graphs built in worker threads, split above
 * a size, written beside a description and read back; a search over several
 * graphs answers as one search over all the vectors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestions } from '../../bench/stats.ts';
import { buildGraphs, efFor, graphLayout, MAX_GRAPH_SIZE, readStoredIndex, saveStoredIndex, writeStoredIndex } from '../../src/runtime/node/hnsw-index.ts';
import { buildIndexArtifact, localEmbedder, type IndexArtifact } from '../../src/search/build.ts';
import type { Embedder } from '../../src/search/embedder.ts';
import { ExactVectorIndex } from '../../src/search/vector-index.ts';
import { loadCorpus } from '../support/corpus.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-hnsw-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('graphLayout', () => {
  it('keeps up to MAX_GRAPH_SIZE vectors in one graph, and splits more into contiguous graphs of equal size', () => {
    expect(graphLayout(0)).toEqual([{ file: 'vectors.hnsw', start: 0, size: 0 }]);
    expect(graphLayout(MAX_GRAPH_SIZE)).toEqual([{ file: 'vectors.hnsw', start: 0, size: MAX_GRAPH_SIZE }]);
    const split = graphLayout(2 * MAX_GRAPH_SIZE + 1);
    expect(split.map((g) => g.file)).toEqual(['vectors.0.hnsw', 'vectors.1.hnsw', 'vectors.2.hnsw']);
    expect(split.map((g) => g.size)).toEqual([100_000, 100_000, 100_001]);
    split.forEach((g, i) => expect(g.start).toBe(i === 0 ? 0 : split[i - 1].start + split[i - 1].size));
    expect(graphLayout(237, 100).map((g) => g.size)).toEqual([79, 79, 79]);
  });
});

describe('HnswVectorIndex over the seed corpus', () => {
  let artifact: IndexArtifact;
  let embedder: Embedder;
  let exact: ExactVectorIndex;
  let queries: Float32Array[];
  beforeAll(async () => {
    const corpus = await loadCorpus();
    embedder = localEmbedder(corpus);
    artifact = await buildIndexArtifact(corpus, embedder);
    exact = new ExactVectorIndex(artifact.vectors);
    queries = await Promise.all(loadQuestions(ROOT).map((q) => embedder.embedQuery(q)));
  });

  const expectExact = (search: (q: Float32Array, k: number) => Array<{ id: number; score: number }>) => {
    for (const query of queries) {
      for (const k of [1, 40, 500]) {
        const hits = search(query, k);
        const expected = exact.search(query, k);
        expect(hits).toHaveLength(expected.length);
        expect(new Set(hits.map((h) => h.id))).toEqual(new Set(expected.map((h) => h.id)));
        hits.forEach((h, i) => {
          expect(h.score).toBeCloseTo(expected[i].score, 5);
          if (i > 0) expect(h.score).toBeLessThanOrEqual(hits[i - 1].score);
        });
      }
    }
  };

  it('is one graph at corpus size and finds what an exact scan finds', async () => {
    const dir = temp();
    const index = await writeStoredIndex(dir, artifact);
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).graphs).toEqual([{ file: 'vectors.hnsw', start: 0, size: 237 }]);
    expect(index.size).toBe(artifact.vectors.length);
    expectExact((q, k) => index.search(q, k));
  });

  it('split into graphs, merges their hits into the same best k, written and read back', async () => {
    const dir = temp();
    const graphs = await buildGraphs(dir, artifact, { maxGraphSize: 100 });
    expect(graphs.map((g) => g.file)).toEqual(['vectors.0.hnsw', 'vectors.1.hnsw', 'vectors.2.hnsw']);
    saveStoredIndex(dir, artifact, graphs);
    const stored = readStoredIndex(dir, artifact.corpusHash, artifact.embedderId)!;
    expect(stored.vectors.size).toBe(artifact.vectors.length);
    expectExact((q, k) => stored.vectors.search(q, k));
    // A graph file gone: the index is not taken as complete, so the service rebuilds it.
    rmSync(join(dir, 'vectors.1.hnsw'));
    expect(readStoredIndex(dir, artifact.corpusHash, artifact.embedderId)).toBeNull();
  });

  it('reads an index written before graphs were split (no graph list: one vectors.hnsw)', async () => {
    const dir = temp();
    await writeStoredIndex(dir, artifact);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    delete meta.graphs;
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    const stored = readStoredIndex(dir, artifact.corpusHash, artifact.embedderId)!;
    expectExact((q, k) => stored.vectors.search(q, k));
    expect(readStoredIndex(dir, 'another-corpus', artifact.embedderId)).toBeNull();
  });

  it('rejects when a graph cannot be written, and leaves no index to be taken for a finished one', async () => {
    const dir = temp();
    // The graph's file name is taken by a directory, so hnswlib cannot write it.
    mkdirSync(join(dir, 'vectors.hnsw.tmp'));
    await expect(buildGraphs(dir, artifact)).rejects.toThrow(/vectors\.hnsw\.tmp: .*corrupted/);
    expect(readStoredIndex(dir, artifact.corpusHash, null)).toBeNull();
  });
});

describe('efFor (hnswlib search breadth)', () => {
  it('searches 8 × k wide in corpus-sized graphs and 4 × k in large ones, never below 64', () => {
    expect(efFor(40, 237)).toBe(320);
    expect(efFor(40, 20_000)).toBe(320);
    expect(efFor(40, 126_596)).toBe(160);
    expect(efFor(5, 237)).toBe(64);
    expect(efFor(5, 253_192)).toBe(64);
  });
});
