import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../support/corpus.ts';
import { startTestService } from '../support/app.ts';

const dirs: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('hnswlib index on disk', () => {
  it('is built once, reloaded while the corpus is unchanged, and rebuilt when its content hash changes', async () => {
    const dataDir = temp('policy-index-');
    const corpusDir = temp('policy-corpus-');
    cpSync(CORPUS_DIR, corpusDir, { recursive: true });
    const env = { DATA_DIR: dataDir, CORPUS_DIR: corpusDir };

    const first = await startTestService(env);
    expect(first.services.index.rebuilt).toBe(true);
    const graph = join(dataDir, 'index', 'vectors.hnsw');
    expect(statSync(graph).size).toBeGreaterThan(0);
    const hash = first.services.corpus.hash;
    first.close();

    const second = await startTestService(env);
    expect(second.services.index.rebuilt).toBe(false);
    expect(second.services.corpus.hash).toBe(hash);
    const hits = await second.services.retriever.retrieve('担保费补贴', { k: 1 });
    expect(hits[0].chunk.path.join(' › ')).toContain('九、发挥担保增信保障作用');
    second.close();

    const file = join(corpusDir, 'docs', 'liaoning-measures-2025.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('平均修复时间6天', '平均修复时间5天'));
    const third = await startTestService(env);
    expect(third.services.index.rebuilt).toBe(true);
    expect(third.services.corpus.hash).not.toBe(hash);
    const a = await third.services.answers.answer({ question: '信用修复平均要几天？' });
    expect(a.answer).toContain('5天');
    // The credit-repair rules quote the old sentence: they are set aside, not served.
    expect(third.services.rules.problems.some((p) => p.includes('平均修复时间6天'))).toBe(true);
    expect(third.services.rules.topic('credit_repair')).toBeUndefined();
    const situation = await third.services.answers.answer({ question: '我们被罚款了，怎么修复信用？' });
    expect(situation.situation?.topic).toBeUndefined();
    for (const c of situation.citations) expect(third.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
    third.close();
  });

  it('rebuilds when a synonym file changes, since it is part of the hash', async () => {
    const dataDir = temp('policy-index-');
    const corpusDir = temp('policy-corpus-');
    cpSync(CORPUS_DIR, corpusDir, { recursive: true });
    const env = { DATA_DIR: dataDir, CORPUS_DIR: corpusDir };
    (await startTestService(env)).close();
    const synonyms = join(corpusDir, 'synonyms.json');
    const data = JSON.parse(readFileSync(synonyms, 'utf8'));
    data.groups.push(['首贷中心', '首贷服务中心']);
    writeFileSync(synonyms, JSON.stringify(data));
    const again = await startTestService(env);
    expect(again.services.index.rebuilt).toBe(true);
    again.close();
  });
});
