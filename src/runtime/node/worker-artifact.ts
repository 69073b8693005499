import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../../config.ts';
import { buildCorpus } from '../../corpus/corpus.ts';
import { configuredOpenAiEmbedder } from '../../llm/openai.ts';
import { buildIndexArtifact, localEmbedder } from '../../search/build.ts';
import { packArtifact, type WorkerArtifact } from '../workers/artifact.ts';
import { PROJECT_ROOT, readDataFiles, readThresholds, readWebAssets } from './corpus-files.ts';

/** Where `npm run worker:build` writes the artifact; wrangler.toml's [alias] points the Worker's import at it. */
export const WORKER_ARTIFACT = join(PROJECT_ROOT, 'dist/worker/artifact.json');

/**
 * Builds what the Worker ships: the corpus folder and prompts as text, the
 * vectors of every chunk from the same embedder the Node index uses (the
 * local one unless EMBEDDINGS says openai), the web assets and the eval
 * thresholds.
 */
export async function buildWorkerArtifact(config: Config, now = new Date()): Promise<WorkerArtifact> {
  const files = readDataFiles(resolve(config.CORPUS_DIR), resolve(config.PROMPTS_DIR));
  const corpus = await buildCorpus(files.source);
  const embedder = config.embeddings === 'openai' ? configuredOpenAiEmbedder(config) : localEmbedder(corpus);
  const index = await buildIndexArtifact(corpus, embedder);
  return packArtifact(files, index, readWebAssets(), readThresholds(), now);
}

/** Writes the artifact atomically, so a Worker build never bundles half a file. */
export function writeWorkerArtifact(artifact: WorkerArtifact, file = WORKER_ARTIFACT): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, JSON.stringify(artifact));
  renameSync(partial, file);
}
