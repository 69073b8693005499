/**
 * The scale benchmark's corpus generator (bench/scale-corpus.ts) at a small
 * factor: the same seed writes the same files, the size is the one asked
 * for, and the service's own reader, structure parser and chunker take it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEED_DIR, writeScaleCorpus } from '../bench/scale-corpus.ts';
import { buildCorpus } from '../src/corpus/corpus.ts';
import { readDataFiles } from '../src/runtime/node/corpus-files.ts';
import { PROMPTS_DIR } from './support/corpus.ts';

const FACTOR = 4;
const tmp = mkdtempSync(join(tmpdir(), 'scale-corpus-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, seed: number) {
  const dir = join(tmp, name);
  return { dir, stats: writeScaleCorpus(SEED_DIR, dir, { factor: FACTOR, seed }) };
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = { 'manifest.json': readFileSync(join(dir, 'manifest.json'), 'utf8') };
  for (const name of readdirSync(join(dir, 'docs'))) out[name] = readFileSync(join(dir, 'docs', name), 'utf8');
  return out;
}

describe(`scale corpus (factor ${FACTOR})`, () => {
  const a = write('a', 7);
  const b = write('b', 7);
  const other = write('other', 8);

  it('writes the same files for the same seed, and other documents for another seed', () => {
    expect(files(b.dir)).toEqual(files(a.dir));
    expect(b.stats).toEqual(a.stats);
    expect(files(other.dir)['scale-00001.txt']).not.toBe(files(a.dir)['scale-00001.txt']);
  });

  it(`is ${FACTOR} times the seed in characters, past it by less than one section, with the seed documents first`, () => {
    const target = FACTOR * a.stats.seedCharacters;
    expect(a.stats.characters).toBeGreaterThanOrEqual(target);
    expect(a.stats.characters - target).toBeLessThan(1_500);
    const { documents } = JSON.parse(files(a.dir)['manifest.json']) as { documents: Array<{ id: string }> };
    const seed = JSON.parse(readFileSync(join(SEED_DIR, 'manifest.json'), 'utf8')) as { documents: Array<{ id: string }> };
    expect(documents.slice(0, seed.documents.length)).toEqual(seed.documents);
    expect(documents.length).toBe(a.stats.documents);
  });

  it('is read, parsed and chunked by the service, with numbered headings, labelled paragraphs and parts', async () => {
    const corpus = await buildCorpus(readDataFiles(a.dir, PROMPTS_DIR).source);
    const generated = corpus.documents.filter((d) => d.id.startsWith('scale-'));
    expect(generated.length).toBeGreaterThan(5);
    for (const doc of generated) {
      expect(doc.sections.filter((s) => s.kind === 'heading').length, doc.id).toBeGreaterThanOrEqual(3);
      expect(corpus.chunks.some((c) => c.docId === doc.id)).toBe(true);
    }
    const measures = generated.filter((d) => d.kind === 'measures');
    expect(measures.length).toBeGreaterThan(0);
    for (const doc of measures) {
      const guide = doc.sections.filter((s) => s.path[1] === '操作指南');
      expect(guide.map((s) => s.title), doc.id).toEqual(expect.arrayContaining(['工作目标', '操作路径']));
    }
    for (const chunk of corpus.chunks) expect(chunk.text).toBe(corpus.document(chunk.docId)!.text.slice(chunk.start, chunk.end));
  });

  it('varies the documents instead of copying them', () => {
    const texts = Object.entries(files(a.dir)).filter(([name]) => name.startsWith('scale-'));
    expect(new Set(texts.map(([, text]) => text)).size).toBe(texts.length);
    const { documents } = JSON.parse(files(a.dir)['manifest.json']) as { documents: Array<{ id: string; region: string }> };
    expect(new Set(documents.filter((d) => d.id.startsWith('scale-')).map((d) => d.region)).size).toBeGreaterThan(2);
  });
});
