/**
 * npm run index: builds (or confirms) the on-disk search index for the corpus
 * in CORPUS_DIR, printing what it did. The server does the same at start, so
 * this is for checking a corpus change before deploying it.
 */
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/runtime/node/services.ts';

const config = loadConfig(process.env);
const started = performance.now();
const services = await createServices(config);
const { corpus, index } = services;
console.log(
  JSON.stringify(
    {
      corpusHash: corpus.hash,
      documents: corpus.documents.map((d) => ({ id: d.id, sections: d.sections.length, chars: d.text.length })),
      chunks: corpus.chunks.length,
      embedder: index.embedderId,
      rebuilt: index.rebuilt,
      dir: index.dir,
      ms: Math.round(performance.now() - started),
    },
    null,
    2,
  ),
);
services.close();
