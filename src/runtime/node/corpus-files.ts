import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../../web/app.ts';
import type { DataFiles } from '../domain.ts';

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
    prompts: { system: read(promptsDir, 'answer.system.md'), human: read(promptsDir, 'answer.human.md'), frame: read(promptsDir, 'frame.system.md') },
    rules: jsonFiles(join(corpusDir, 'rules'), () => true),
    campaigns: jsonFiles(join(corpusDir, 'campaigns'), (name) => !name.endsWith('-application.json')),
    applications: jsonFiles(join(corpusDir, 'campaigns'), (name) => name.endsWith('-application.json')),
    understanding: {
      gazetteer: read(corpusDir, 'gazetteer.json'),
      askedTypes: read(corpusDir, 'asked-types.json'),
      scope: read(corpusDir, 'scope.json'),
      fillers: read(corpusDir, 'fillers.txt'),
      questions: existsSync(join(corpusDir, 'questions')) ? jsonFiles(join(corpusDir, 'questions'), () => true) : {},
    },
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

/**
 * The project folder (where package.json is): where the corpus, web assets, migrations, evals and build outputs
 * live. Found by walking up from this module, so the same code works from src/ (tsx) and from the compiled dist/node/.
 */
export const PROJECT_ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'corpus'))) return dir;
    if (dirname(dir) === dir) throw new Error(`project folder (package.json with corpus/) not found above ${from}`);
  }
}
const ASSETS = ['widget.js', 'demo.html', 'demo.css', 'console.html', 'console.css', 'console.js', 'favicon.svg'] as const;

/** The widget, demo page and console files (src/web/assets), read once. */
export function readWebAssets(): NonNullable<AppDeps['assets']> {
  const assets: NonNullable<AppDeps['assets']> = {};
  for (const name of ASSETS) {
    const file = join(PROJECT_ROOT, 'src/web/assets', name);
    if (existsSync(file)) assets[name] = readFileSync(file, 'utf8');
  }
  return assets;
}

/** The eval thresholds (evals/config.json), or none when the file is absent. */
export function readThresholds(): Record<string, number> {
  const file = join(PROJECT_ROOT, 'evals/config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { thresholds: Record<string, number> }).thresholds : {};
}
