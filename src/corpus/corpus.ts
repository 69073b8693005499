import { chunkSections, type Chunk } from './chunk.ts';
import { manifestSchema, type ManifestEntry } from './manifest.ts';
import { parseSections, type Section } from './structure.ts';

export interface CorpusDocument {
  id: string;
  title: string;
  shortTitle: string;
  issuer: string | null;
  published: string | null;
  region: string;
  kind: ManifestEntry['kind'];
  text: string;
  sections: Section[];
}

export interface Corpus {
  documents: CorpusDocument[];
  chunks: Chunk[];
  /** SHA-256 over the manifest, every document and every data file the index depends on. */
  hash: string;
  document(id: string): CorpusDocument | undefined;
  chunk(id: string): Chunk | undefined;
}

/** The raw files a corpus is built from, as the runtime read them. */
export interface CorpusSource {
  manifest: unknown;
  /** Document texts keyed by the manifest's `file` paths. */
  files: Record<string, string>;
  /** Other data files (synonyms, rules ...) that feed the index; part of the hash. */
  data?: Record<string, string>;
}

export async function buildCorpus(source: CorpusSource): Promise<Corpus> {
  const manifest = manifestSchema.parse(source.manifest);
  const ids = new Set<string>();
  const documents: CorpusDocument[] = [];
  const chunks: Chunk[] = [];
  for (const entry of manifest.documents) {
    if (ids.has(entry.id)) throw new Error(`duplicate document id in manifest: ${entry.id}`);
    ids.add(entry.id);
    const text = source.files[entry.file];
    if (text === undefined) throw new Error(`manifest names a missing file: ${entry.file}`);
    const sections = parseSections(entry.id, entry.shortTitle, text, entry.parts);
    const { file: _file, parts: _parts, ...meta } = entry;
    documents.push({ ...meta, text, sections });
    chunks.push(...chunkSections(entry.id, text, sections));
  }
  const byDoc = new Map(documents.map((d) => [d.id, d]));
  const byChunk = new Map(chunks.map((c) => [c.id, c]));
  return {
    documents,
    chunks,
    hash: await hashSource(source),
    document: (id) => byDoc.get(id),
    chunk: (id) => byChunk.get(id),
  };
}

async function hashSource(source: CorpusSource): Promise<string> {
  const parts = [JSON.stringify(source.manifest)];
  for (const name of Object.keys(source.files).sort()) parts.push(name, source.files[name]);
  for (const name of Object.keys(source.data ?? {}).sort()) parts.push(name, source.data![name]);
  const bytes = new TextEncoder().encode(parts.join('\u0000'));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function sectionLabel(chunkOrSection: { path: string[] }): string {
  return chunkOrSection.path.join(' › ');
}
