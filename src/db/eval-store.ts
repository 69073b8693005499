import { eq, sql } from 'drizzle-orm';
import type { EvalReport } from '../evals/runner.ts';
import { evalResults, evalRuns } from './schema.ts';
import type { Database } from './store.ts';

/** A run as stored: the report without its per-case results (those are rows of their own). */
export type StoredRun = Omit<EvalReport, 'results'> & { id: string; failures: string[] };

/** Eval runs with their metrics and per-case results, so staff can see history and regressions. */
export class EvalStore {
  constructor(private readonly db: Database) {}

  async saveRun(id: string, report: EvalReport, failures: string[]): Promise<void> {
    await this.db
      .insert(evalRuns)
      .values({
        id,
        startedAt: report.startedAt,
        finishedAt: report.finishedAt,
        mode: report.mode,
        target: report.target,
        corpusHash: report.corpusHash,
        cases: report.cases,
        passed: report.passed,
        failed: report.failed,
        metrics: report.metrics,
        sets: report.sets,
        breakdown: report.breakdown,
        validation: report.validation,
        failures,
      })
      .run();
    for (let i = 0; i < report.results.length; i += 200) {
      const rows = report.results.slice(i, i + 200).map((r) => ({ id: `${id}:${r.set}:${r.id}`, runId: id, set: r.set, caseId: r.id, pass: r.pass, detail: r }));
      await this.db.insert(evalResults).values(rows).run();
    }
  }

  /**
   * The latest runs, newest first. Runs are ordered as they were stored (SQLite's rowid), not by their clock time:
   * a wall clock stepped back (NTP) must not put a new run before an old one.
   */
  async listRuns(limit = 50): Promise<StoredRun[]> {
    return (await this.db.select().from(evalRuns).orderBy(sql`rowid desc`).limit(limit).all()) as StoredRun[];
  }

  async getRun(id: string): Promise<StoredRun | undefined> {
    return (await this.db.select().from(evalRuns).where(eq(evalRuns.id, id)).get()) as StoredRun | undefined;
  }

  async resultsOf(id: string): Promise<Array<{ set: string; caseId: string; pass: boolean; detail: unknown }>> {
    return this.db.select({ set: evalResults.set, caseId: evalResults.caseId, pass: evalResults.pass, detail: evalResults.detail }).from(evalResults).where(eq(evalResults.runId, id)).all();
  }

  /** The run before `run`, and which cases newly fail or newly pass compared with it. */
  async compareWithPrevious(run: StoredRun): Promise<{ previousId: string | null; newlyFailing: string[]; newlyPassing: string[] }> {
    // The run stored just before this one (see listRuns on why not by startedAt).
    const previous = (await this.db
      .select()
      .from(evalRuns)
      .where(sql`rowid < (select rowid from eval_runs where id = ${run.id})`)
      .orderBy(sql`rowid desc`)
      .limit(1)
      .get()) as StoredRun | undefined;
    if (!previous) return { previousId: null, newlyFailing: [], newlyPassing: [] };
    const key = (r: { set: string; caseId: string }) => `${r.set}:${r.caseId}`;
    const before = new Map((await this.resultsOf(previous.id)).map((r) => [key(r), r.pass]));
    const now = await this.resultsOf(run.id);
    return {
      previousId: previous.id,
      newlyFailing: now.filter((r) => !r.pass && before.get(key(r)) === true).map(key),
      newlyPassing: now.filter((r) => r.pass && before.get(key(r)) === false).map(key),
    };
  }
}
