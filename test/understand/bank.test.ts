import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/corpus/corpus.ts';
import { bigramDice, comparable, evalQuestionsIn, nearCopies, nearCopyFinder } from '../../src/runtime/node/bank-overlap.ts';
import { QuestionBank } from '../../src/understand/bank.ts';
import { foldText } from '../../src/understand/fold.ts';
import { parseStopPhrases, parseSynonyms } from '../../src/search/lexicon.ts';
import { CORPUS_DIR, loadCorpus, readCorpusFile } from '../support/corpus.ts';

const EVALS_DIR = join(import.meta.dirname, '../../evals');

let corpus: Corpus;
let bank: QuestionBank;

function bankFiles(): Record<string, string> {
  const dir = join(CORPUS_DIR, 'questions');
  return Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

beforeAll(async () => {
  corpus = await loadCorpus();
  bank = new QuestionBank(corpus, bankFiles(), {
    fillers: parseStopPhrases(readCorpusFile('fillers.txt')).map(foldText),
    synonyms: parseSynonyms(readCorpusFile('synonyms.json')),
  });
});

describe('the question bank', () => {
  it('compares what is asked, not who it is asked for (帮客户问下, 我一个客户)', () => {
    for (const question of ['驿站地址', '金融兴辽邮箱', '首贷中心在哪']) {
      const plain = bank.search(question, 1)[0];
      for (const wrapped of [`帮客户问下 ${question}`, `帮领导问一下，${question}`, `我一个客户 ${question}`]) {
        const hit = bank.search(wrapped, 1)[0];
        expect(hit.entry.id, wrapped).toBe(plain.entry.id);
        expect(hit.score, wrapped).toBeCloseTo(plain.score, 6);
      }
    }
  });

  it('searches what a question asks of its subject apart from the subject’s name', () => {
    const withAspects = new QuestionBank(
      corpus,
      bankFiles(),
      { fillers: parseStopPhrases(readCorpusFile('fillers.txt')).map(foldText), synonyms: parseSynonyms(readCorpusFile('synonyms.json')) },
      (text) => foldText(text).replace('小微企业融资协调工作机制', ' '),
    );
    const question = '小微企业融资协调工作机制，进申报清单要啥标准';
    expect(withAspects.search(question, 1, () => true, 'aspect')[0].entry.quotes[0].quote).toContain('5项标准');
  });

  it('locates every quote verbatim, so no entry is disabled', () => {
    expect(bank.problems).toEqual([]);
    expect(bank.entries.length).toBeGreaterThan(200);
    for (const e of bank.entries) {
      for (const q of e.quotes) expect(corpus.document(q.docId)!.text.slice(q.start, q.end)).toBe(q.quote);
    }
  });

  it('covers every document', () => {
    const docs = new Set(bank.entries.map((e) => e.docId));
    for (const d of corpus.documents) expect(docs.has(d.id), d.id).toBe(true);
  });

  it('holds no eval question, nor a near copy of one (the bank is written from the documents, never from eval cases)', () => {
    const evals = evalQuestionsIn(EVALS_DIR);
    expect(evals.length).toBeGreaterThan(500);
    const find = nearCopyFinder(evals);
    const copies = bank.questions.flatMap((b) => find(b.question).map((q) => `${b.entryId}: 「${b.question}」 ~ 「${q}」`));
    expect(copies).toEqual([]);
    // (Every bank question against every eval question, some 6,000 of them: a check of content, not of speed — on a
    // busy machine it may take well over the default 30 s, and that is no failure.)
  }, 300_000);

  it('measures near copies by bigram overlap of the folded text', () => {
    expect(nearCopies('金融兴辽是谁主办的？', ['金融兴辽是谁主办的'])).toHaveLength(1);
    expect(nearCopies('金融兴辽由谁来主办呢', ['金融兴辽是谁主办的'])).toHaveLength(0);
    expect(bigramDice(comparable('辽信宝测额最高多少'), comparable('辽信宝测额最高是多少'))).toBeGreaterThan(0.8);
  });

  it('finds a colloquial question’s fact among the ways people ask', () => {
    const [hit] = bank.search('辽信宝测额最多给测多少钱', 1);
    expect(hit.entry.quotes.some((q) => q.quote.includes('300万元'))).toBe(true);
    expect(hit.score).toBeGreaterThan(0.5);
  });

  it('keeps to the subject it is asked to search within', () => {
    const [hit] = bank.search('邮箱是多少', 1, (e) => e.docId === 'xinzhi-shengchanli-2025');
    expect(hit.entry.quotes.map((q) => q.quote).join()).toContain('zhaofeifei1@xinhua.org');
  });

  it('scores an unrelated question low', () => {
    const [hit] = bank.search('沈阳明天下雨吗要不要带伞', 1);
    expect(hit?.score ?? 0).toBeLessThan(0.3);
  });
});
