import { describe, expect, it } from 'vitest';
import { parseRequiredDetails } from '../../src/search/lexicon.ts';
import { readCorpusFile } from '../support/corpus.ts';

describe('required details', () => {
  it('reads a bare word and a word with the words a source may state it by', () => {
    const details = parseRequiredDetails('# comment\n利率\n交钱：收费、费用、免费\n');
    expect(details).toContainEqual({ word: '利率', accept: ['利率'] });
    expect(details).toContainEqual({ word: '交钱', accept: ['交钱', '收费', '费用', '免费'] });
  });

  it('parses the shipped list, every entry accepting at least its own word', () => {
    const details = parseRequiredDetails(readCorpusFile('required-details.txt'));
    expect(details.length).toBeGreaterThan(10);
    for (const d of details) expect(d.accept[0]).toBe(d.word);
  });
});
