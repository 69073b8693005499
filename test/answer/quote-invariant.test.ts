import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyQuote } from '../../src/answer/verify.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';
import { random as prng } from '../support/phrasings.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

const OPENERS = ['', '请问', '我们公司', '老板想问下', '你好，', '咨询一下，', '急！'];
const CLOSERS = ['', '？', '吗？', '怎么办？', '，具体怎么操作', '，需要多久', '，打哪个电话', '呢'];
const NOISE = ['<script>alert(1)</script>', '😀', '\u0000', '……', 'SELECT * FROM messages;', '${7*7}', '{{question}}', '   '];

function generateQuestion(random: () => number): string {
  const chunks = t.services.corpus.chunks;
  const chunk = chunks[Math.floor(random() * chunks.length)];
  const from = Math.floor(random() * Math.max(1, chunk.text.length - 4));
  const fragment = chunk.text.slice(from, from + 2 + Math.floor(random() * 14));
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const parts = [pick(OPENERS), fragment, pick(CLOSERS)];
  if (random() < 0.2) parts.splice(Math.floor(random() * 3), 0, pick(NOISE));
  return parts.join('').slice(0, 1000) || '续贷';
}

describe('quote invariant (property)', () => {
  it('no response ever carries a quote that is not the exact span of its document', async () => {
    const random = prng(20251122);
    let answered = 0;
    for (let i = 0; i < 300; i++) {
      const question = generateQuestion(random);
      const res = await postJson(t.app, '/api/ask', { question });
      if (res.status === 400) continue; // a blank generated question is rejected, as it should be
      expect(res.status, question).toBe(200);
      const body = await res.json();
      if (!body.answerable) {
        expect(body.citations, question).toEqual([]);
        continue;
      }
      answered++;
      expect(body.citations.length, question).toBeGreaterThan(0);
      body.citations.forEach((c: { n: number; docId: string; quote: string; start: number; end: number }, i: number) => {
        const doc = t.services.corpus.document(c.docId);
        expect(doc, question).toBeDefined();
        expect(verifyQuote(doc!.text, c.quote, c.start, c.end), `${question} → [${c.n}] ${c.quote}`).toBe(true);
        expect(c.n).toBe(i + 1);
        expect(body.answer).toContain(`[${c.n}]`);
      });
      const markers = [...body.answer.matchAll(/\[(\d+)\]/g)].map((m: RegExpMatchArray) => Number(m[1]));
      expect(Math.max(...markers)).toBe(body.citations.length);
    }
    // The generator draws from the corpus, so most questions are answerable; the property is not vacuous.
    expect(answered).toBeGreaterThan(100);
  });
});

describe('verifyQuote', () => {
  const text = '平均修复时间6天，最快仅需3天。';
  it('accepts only the exact span', () => {
    expect(verifyQuote(text, '最快仅需3天', 9, 15)).toBe(true);
    expect(verifyQuote(text, '最快仅需2天', 9, 15)).toBe(false);
    expect(verifyQuote(text, '最快仅需3天', 8, 14)).toBe(false);
    expect(verifyQuote(text, '', 0, 0)).toBe(false);
    expect(verifyQuote(text, '平均', -1, 1)).toBe(false);
    expect(verifyQuote(text, text + '多', 0, text.length + 1)).toBe(false);
  });
});
