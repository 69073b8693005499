import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { buildCorpus } from '../../src/corpus/corpus.ts';
import { buildWorkerArtifact } from '../../src/runtime/node/worker-artifact.ts';
import { wireDomain } from '../../src/runtime/domain.ts';
import { artifactIndex, unpackVectors, type WorkerArtifact } from '../../src/runtime/workers/artifact.ts';
import { buildIndexArtifact, localEmbedder } from '../../src/search/build.ts';

const config = loadConfig({ EMBEDDINGS: 'local', TODAY: '2026-11-22' });

describe('the Worker artifact', () => {
  it('carries every chunk vector exactly, and the data files, assets and thresholds', async () => {
    const artifact = await buildWorkerArtifact(config, new Date('2026-11-22T00:00:00Z'));
    const corpus = await buildCorpus(artifact.files.source);
    const direct = await buildIndexArtifact(corpus, localEmbedder(corpus));
    const shipped = unpackVectors(artifact);
    expect(shipped).toHaveLength(corpus.chunks.length);
    shipped.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(direct.vectors[i])));
    expect(artifact.index.chunkIds).toEqual(corpus.chunks.map((c) => c.id));
    expect(Object.keys(artifact.assets).sort()).toEqual(['console.css', 'console.html', 'console.js', 'demo.css', 'demo.html', 'favicon.svg', 'widget.js']);
    expect(artifact.thresholds.citationVerbatim).toBe(1);
    // What wrangler bundles is JSON: the round trip must not change a thing.
    expect(unpackVectors(JSON.parse(JSON.stringify(artifact)) as WorkerArtifact).map((v) => Array.from(v))).toEqual(shipped.map((v) => Array.from(v)));
  });

  it('is refused for a corpus whose text changed after it was built', async () => {
    const artifact = await buildWorkerArtifact(config);
    const [name] = Object.keys(artifact.files.source.files);
    const files = { ...artifact.files.source.files, [name]: artifact.files.source.files[name].replace('6天', '7天') };
    const changed = await buildCorpus({ ...artifact.files.source, files });
    expect(() => artifactIndex(artifact, changed, config)).toThrow(/npm run worker:build/);
  });

  it('wires a domain that answers as the Node build does (exact vector search over the same vectors)', async () => {
    const artifact = await buildWorkerArtifact(config);
    const domain = await wireDomain(artifact.files, { config, clock: fixedClock('2026-11-22'), index: async (corpus) => artifactIndex(artifact, corpus, config) });
    const answer = await domain.answers.answer({ question: '信用修复一般多久能办好？' });
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toContain('平均修复时间6天');
    for (const c of answer.citations) expect(domain.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
  });
});
