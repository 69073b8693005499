import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusSource } from '../../corpus/corpus.ts';

export interface DataFiles {
  source: CorpusSource;
  synonyms: string;
  stopPhrases: string;
  requiredDetails: string;
  channels: string;
  guard: string;
  prompts: { system: string; human: string };
  /** The rule files under corpus/rules, by file name. */
  rules: Record<string, string>;
  /** The campaign catalogue under corpus/campaigns, by file name (application-form files apart). */
  campaigns: Record<string, string>;
  /** The application-form files (*-application.json) under corpus/campaigns. */
  applications: Record<string, string>;
}

/** Reads the corpus folder (manifest, documents, data files) and the prompts folder. */
export function readDataFiles(corpusDir: string, promptsDir: string): DataFiles {
  const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
  const manifest = JSON.parse(read(corpusDir, 'manifest.json')) as { documents?: Array<{ file?: unknown }> };
  const files: Record<string, string> = {};
  for (const entry of manifest.documents ?? []) {
    if (typeof entry.file === 'string') files[entry.file] = read(corpusDir, entry.file);
  }
  const synonyms = read(corpusDir, 'synonyms.json');
  const stopPhrases = read(corpusDir, 'query-stopwords.txt');
  const requiredDetails = read(corpusDir, 'required-details.txt');
  return {
    source: { manifest, files, data: { 'synonyms.json': synonyms, 'query-stopwords.txt': stopPhrases, 'required-details.txt': requiredDetails } },
    synonyms,
    stopPhrases,
    requiredDetails,
    channels: read(corpusDir, 'channels.json'),
    guard: read(promptsDir, 'guard.json'),
    prompts: { system: read(promptsDir, 'answer.system.md'), human: read(promptsDir, 'answer.human.md') },
    rules: jsonFiles(join(corpusDir, 'rules'), () => true),
    campaigns: jsonFiles(join(corpusDir, 'campaigns'), (name) => !name.endsWith('-application.json')),
    applications: jsonFiles(join(corpusDir, 'campaigns'), (name) => name.endsWith('-application.json')),
  };
}

function jsonFiles(dir: string, keep: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.json') && keep(name))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}
