import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCorpus, type Corpus } from '../../src/corpus/corpus.ts';
import { readDataFiles } from '../../src/runtime/node/corpus-files.ts';

export const CORPUS_DIR = join(import.meta.dirname, '../../corpus');
export const PROMPTS_DIR = join(import.meta.dirname, '../../prompts');

export function loadCorpus(): Promise<Corpus> {
  return buildCorpus(readDataFiles(CORPUS_DIR, PROMPTS_DIR).source);
}

export function readCorpusFile(name: string): string {
  return readFileSync(join(CORPUS_DIR, name), 'utf8');
}
