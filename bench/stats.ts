import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Latency summary of a set of samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (q in (0, 1]). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.length ? total / sorted.length : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** Rounds for display and JSON output (3 decimals keeps sub-millisecond detail). */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Times `fn` once, in milliseconds. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const log = (line = '') => process.stdout.write(`${line}\n`);

/** A duration in milliseconds as the benchmarks print it. */
export const ms = (x: number) => `${x.toFixed(3)} ms`;

/** One latency summary on one line: calls, p50, p99, mean, max. */
export const latencyLine = (s: LatencySummary) => `${s.count} calls  p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  mean ${ms(s.mean)}  max ${ms(s.max)}`;

/** Prints rows as an aligned table: the first row is the header, the first column is left-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const line = (r: string[]) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ');
  log(line(rows[0]));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) log(line(r));
}

/** bench/questions.json: the realistic questions the benchmarks cycle through. */
export function loadQuestions(root: string): string[] {
  const raw: unknown = JSON.parse(readFileSync(join(root, 'bench/questions.json'), 'utf8'));
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((q) => typeof q === 'string' && q.trim())) {
    throw new Error('bench/questions.json must be a non-empty array of questions');
  }
  return raw as string[];
}

/** Runs a benchmark's main and exits with its code; autocannon or fetch may keep sockets alive briefly, so exit is forced. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
      setTimeout(() => process.exit(code), 2_000).unref();
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}

/** A summary in the benchmarks' JSON lines: counts as they are, milliseconds rounded. */
export function roundedSummary(s: LatencySummary) {
  return { count: s.count, p50Ms: round(s.p50), p99Ms: round(s.p99), meanMs: round(s.mean), maxMs: round(s.max) };
}

/** The last line of a benchmark's table: every target met, or which were not. */
export function logVerdict(checks: Array<{ name: string; pass: boolean }>): boolean {
  const pass = checks.every((c) => c.pass);
  log(pass ? 'all targets PASS' : `FAIL: ${checks.filter((c) => !c.pass).map((c) => c.name).join(', ')}`);
  return pass;
}
