import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvalCommand } from '../../src/runtime/node/eval-command.ts';
import { loadEvalSets, validateEvalSets } from '../../src/evals/sets.ts';
import { CORPUS_DIR, loadCorpus } from '../support/corpus.ts';

const EVALS_DIR = join(import.meta.dirname, '../../evals');
const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function evalFiles(): Record<string, string> {
  const names = ['qa.json', 'refusals.json', 'situations.json', 'tracks.json', 'applications.json'];
  return Object.fromEntries(names.filter((n) => existsSync(join(EVALS_DIR, n))).map((n) => [n, readFileSync(join(EVALS_DIR, n), 'utf8')]));
}

describe('eval sets', () => {
  it('are valid against the shipped corpus: every expected quote is verbatim and holds its facts', async () => {
    const problems = validateEvalSets(loadEvalSets(evalFiles()), await loadCorpus());
    expect(problems).toEqual([]);
  });

  it('refuse a case whose expected quote is not in the corpus, naming the case and the document', async () => {
    const sets = loadEvalSets({
      'qa.json': JSON.stringify({ today: '2026-11-22', cases: [{ id: 'qa-x', question: '多久？', facts: ['9天'], source: { docId: 'liaoning-measures-2025', quote: '平均修复时间9天' } }] }),
    });
    const problems = validateEvalSets(sets, await loadCorpus());
    expect(problems).toEqual([expect.objectContaining({ set: 'qa', caseId: 'qa-x', docId: 'liaoning-measures-2025' })]);
  });
});

describe('npm run eval', () => {
  it('fails and names the affected cases when one figure in a corpus document changes', async () => {
    const corpusDir = temp('policy-eval-corpus-');
    cpSync(CORPUS_DIR, corpusDir, { recursive: true });
    const file = join(corpusDir, 'docs', 'liaoning-measures-2025.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('平均修复时间6天', '平均修复时间7天'));
    const lines: string[] = [];
    const result = await runEvalCommand({
      evalsDir: EVALS_DIR,
      reportsDir: temp('policy-eval-reports-'),
      env: { CORPUS_DIR: corpusDir, DATA_DIR: temp('policy-eval-data-') },
      out: (line) => lines.push(line),
    });
    expect(result.exitCode).toBe(1);
    const affected = loadEvalSets(evalFiles()).qa!.cases.filter((c) => c.source.quote.includes('平均修复时间6天')).map((c) => c.id);
    expect(affected.length).toBeGreaterThan(0);
    for (const id of affected) expect(lines.some((l) => l.includes(id) && l.includes('liaoning-measures-2025'))).toBe(true);
    expect(result.failures.some((f) => f.includes('与原文不符'))).toBe(true);
  }, 120_000);

  it('passes on the shipped corpus, writes the JSON and HTML reports, and stores the run', async () => {
    const dataDir = temp('policy-eval-data-');
    const reportsDir = temp('policy-eval-reports-');
    const result = await runEvalCommand({ evalsDir: EVALS_DIR, reportsDir, env: { DATA_DIR: dataDir }, out: () => {} });
    expect(result.failures).toEqual([]);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(readFileSync(result.files.json, 'utf8'));
    expect(json).toMatchObject({ id: result.runId, cases: result.report.cases });
    expect(readFileSync(result.files.html, 'utf8')).toContain('<svg');
    expect(result.report.metrics.citationVerbatim).toBe(1);
  }, 120_000);
});
