import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvalStore } from '../../src/db/eval-store.ts';
import type { EvalReport } from '../../src/evals/runner.ts';
import { openDatabase } from '../../src/runtime/node/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'eval-store-'));
const opened = openDatabase(join(dir, 'policy.sqlite'));
afterAll(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

function report(startedAt: string, passing: Record<string, boolean>): EvalReport {
  const results = Object.entries(passing).map(([id, pass]) => ({ set: 'qa', id, pass }));
  return {
    id: 'x',
    startedAt,
    finishedAt: startedAt,
    mode: 'extractive',
    target: 'in-process',
    corpusHash: 'h',
    cases: results.length,
    passed: results.filter((r) => r.pass).length,
    failed: results.filter((r) => !r.pass).length,
    metrics: {},
    sets: {},
    breakdown: {},
    validation: { ok: true, problems: [] },
    results,
  } as unknown as EvalReport;
}

describe('eval run history', () => {
  it('compares a run with the one stored before it, even when the clock stepped back between them', async () => {
    const store = new EvalStore(opened.db);
    await store.saveRun('run-1', report('2026-12-05T10:00:00.000Z', { a: true, b: false }), []);
    // The wall clock was set back (NTP) before the second run started.
    await store.saveRun('run-2', report('2026-12-05T09:59:00.000Z', { a: false, b: true }), []);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-2', 'run-1']);
    const second = (await store.getRun('run-2'))!;
    expect(await store.compareWithPrevious(second)).toEqual({ previousId: 'run-1', newlyFailing: ['qa:a'], newlyPassing: ['qa:b'] });
    const first = (await store.getRun('run-1'))!;
    expect((await store.compareWithPrevious(first)).previousId).toBeNull();
  });
});
