import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runCrashCheck } from '../bench/crash.ts';

// The short form of `npx tsx bench/crash.ts`: ~3 s of /api/ask load from 8
// clients against the real server, SIGKILL mid-load, restart on the same
// DATA_DIR, and every answer that was acknowledged with a 200 must be in
// SQLite (and served back by the API), with integrity_check 'ok'.

const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

describe('kill -9 under load', () => {
  it('loses no acknowledged answer and leaves the database intact', async () => {
    const lines: string[] = [];
    const report = await runCrashCheck({
      seconds: 3,
      clients: 8,
      healthTimeoutMs: 10_000,
      requestTimeoutMs: 5_000,
      log: (line) => lines.push(line),
      onSpawn: (child) => children.push(child),
    });
    const context = `${lines.join('\n')}\nproblems: ${report.problems.join('; ')}`;
    console.log(
      `crash check: ${report.sent} sent, ${report.acknowledged} acknowledged, SIGKILL after ${report.killedAfterMs} ms ` +
        `(${report.inFlightAtKill} in flight), ${report.rowsFound} rows found, ${report.missing.length} missing, ` +
        `${report.apiMissing.length} missing via API, integrity ${report.integrity}, restart ${report.restartMs} ms`,
    );

    expect(report.acknowledged, context).toBeGreaterThan(0);
    expect(report.exitSignal, context).toBe('SIGKILL');
    expect(report.missing, context).toEqual([]);
    expect(report.wrongRows, context).toEqual([]);
    expect(report.rowsFound, context).toBe(report.acknowledged);
    expect(report.apiMissing, context).toEqual([]);
    expect(report.integrity, context).toBe('ok');
    expect(report.foreignKeyProblems, context).toBe(0);
    expect(report.healthzAfterRestart, context).toBe(true);
    expect(report.askAfterRestart, context).toBe(true);
    expect(report.pass, context).toBe(true);
  }, 30_000);
});
