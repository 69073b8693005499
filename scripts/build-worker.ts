/**
 * npm run worker:build: writes dist/worker/artifact.json, the corpus, index
 * vectors and web assets the Worker bundles (wrangler.toml aliases its import).
 */
import { statSync } from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { buildWorkerArtifact, WORKER_ARTIFACT, writeWorkerArtifact } from '../src/runtime/node/worker-artifact.ts';

const started = performance.now();
const artifact = await buildWorkerArtifact(loadConfig(process.env));
writeWorkerArtifact(artifact);
console.log(
  JSON.stringify({
    file: WORKER_ARTIFACT,
    bytes: statSync(WORKER_ARTIFACT).size,
    corpusHash: artifact.index.corpusHash,
    chunks: artifact.index.chunkIds.length,
    embedder: artifact.index.embedderId,
    ms: Math.round(performance.now() - started),
  }),
);
