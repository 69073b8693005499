import { describe, expect, it } from 'vitest';
import { channelFor, parseChannels, unverifiableChannels } from '../../src/answer/channels.ts';
import { parseGuardPatterns } from '../../src/answer/guard.ts';
import { parseStopPhrases, parseSynonyms } from '../../src/search/lexicon.ts';
import { loadConfig } from '../../src/config.ts';
import { loadCorpus, readCorpusFile } from '../support/corpus.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROMPTS_DIR } from '../support/corpus.ts';

describe('data files under corpus/ and prompts/', () => {
  it('every channel quote is verbatim in its document', async () => {
    const corpus = await loadCorpus();
    const channels = parseChannels(readCorpusFile('channels.json'));
    expect(unverifiableChannels(corpus, channels)).toEqual([]);
    expect(unverifiableChannels(corpus, [{ ...channels[0], quote: '联系电话024—99999999' }])).toHaveLength(1);
  });

  it('routes a declined question to the channel its topic names', () => {
    const channels = parseChannels(readCorpusFile('channels.json'));
    expect(channelFor('失信了怎么办', channels).text).toContain('024—31318629');
    expect(channelFor('银行乱收费', channels).text).toContain('12378');
    expect(channelFor('随便问问', channels).topics).toEqual([]);
  });

  it('synonym groups and stop phrases parse, and bad files are refused', () => {
    expect(parseSynonyms(readCorpusFile('synonyms.json')).length).toBeGreaterThan(10);
    expect(() => parseSynonyms('{"groups": [["只有一个"]]}')).toThrow();
    const stops = parseStopPhrases('# 注释\n怎么\n请问\n');
    expect(stops).toEqual(['怎么', '请问']);
  });

  it('guard patterns compile', () => {
    expect(parseGuardPatterns(readFileSync(join(PROMPTS_DIR, 'guard.json'), 'utf8')).length).toBeGreaterThan(5);
    expect(() => parseGuardPatterns('{"patterns": ["("]}')).toThrow();
  });
});

describe('configuration', () => {
  it('defaults to the embedded extractive mode with no key', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 8787, DATA_DIR: './data', llm: false, embeddings: 'local', RATE_LIMIT: 120 });
  });

  it('switches to the model and OpenAI embeddings when a key is set, and honours EMBEDDINGS=local', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'k' })).toMatchObject({ llm: true, embeddings: 'openai' });
    expect(loadConfig({ OPENAI_API_KEY: 'k', EMBEDDINGS: 'local' })).toMatchObject({ llm: true, embeddings: 'local' });
    expect(() => loadConfig({ EMBEDDINGS: 'openai' })).toThrow();
  });
});
