/**
 * The BM25 accumulation kernels: the hand-written WebAssembly loop and the
 * JavaScript one compute scores[docs[i]] += idf · impacts[i] to the same bits,
 * over any range, and leave the rest of the scores alone.
 */
import { describe, expect, it } from 'vitest';
import { allocatePostings, type PostingArrays } from '../../src/search/accumulate.ts';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same postings in both kinds of arrays: `terms` runs of ascending text ordinals with weights of any size. */
function fill(arrays: PostingArrays[], postings: number, texts: number, seed: number): void {
  const next = random(seed);
  const docs = new Int32Array(postings);
  const impacts = new Float32Array(postings);
  for (let i = 0, doc = 0; i < postings; i++) {
    doc = next() < 0.1 ? Math.floor(next() * texts) : Math.min(texts - 1, doc + 1 + Math.floor(next() * 5));
    docs[i] = doc;
    impacts[i] = next() < 0.05 ? next() * 1e-30 : next() * 2.2;
  }
  for (const a of arrays) {
    a.docs.set(docs);
    a.impacts.set(impacts);
  }
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('allocatePostings', () => {
  it('gives WebAssembly arrays on Node unless told otherwise', () => {
    expect(allocatePostings(10, 4).kernel).toBe('wasm');
    expect(allocatePostings(10, 4, { kernel: 'js' }).kernel).toBe('js');
    const empty = allocatePostings(0, 0);
    expect([empty.docs.length, empty.impacts.length, empty.scores.length]).toEqual([0, 0, 0]);
    empty.accumulate(0, 0, 1);
  });

  it('adds idf · impact into each posting’s text, exactly as the JavaScript loop does', () => {
    for (const [postings, texts, seed] of [[1, 1, 1], [5_000, 700, 2], [60_000, 9_000, 3]]) {
      const wasm = allocatePostings(postings, texts);
      const js = allocatePostings(postings, texts, { kernel: 'js' });
      fill([wasm, js], postings, texts, seed);
      const next = random(seed + 100);
      for (let call = 0; call < 40; call++) {
        const start = Math.floor(next() * postings);
        const end = start + Math.floor(next() * (postings - start + 1));
        const idf = call % 7 === 0 ? 0.4 * Math.log(1 + next()) : next() * 12;
        wasm.accumulate(start, end, idf);
        js.accumulate(start, end, idf);
      }
      expect(sameBits(wasm.scores, js.scores)).toBe(true);
      expect(wasm.scores.some((s) => s > 0)).toBe(true);
    }
  });

  it('touches only the texts of the postings in the range', () => {
    const arrays = allocatePostings(6, 5);
    arrays.docs.set([0, 2, 4, 1, 2, 3]);
    arrays.impacts.set([1, 0.5, 0.25, 2, 1, 4]);
    arrays.accumulate(1, 4, 2);
    expect([...arrays.scores]).toEqual([0, 4, 1, 0, 0.5]);
    arrays.accumulate(4, 4, 2);
    arrays.accumulate(5, 3, 2);
    expect([...arrays.scores]).toEqual([0, 4, 1, 0, 0.5]);
    arrays.scores.fill(0);
    arrays.accumulate(0, 6, 1);
    expect([...arrays.scores]).toEqual([1, 2, 1.5, 4, 0.25]);
  });
});
