import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { todayIn, type Clock } from '../../clock.ts';
import { loadConfig, type Config } from '../../config.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import { EvalStore } from '../../db/eval-store.ts';
import type { Database } from '../../db/store.ts';
import { httpClient, type AskClient } from '../../evals/client.ts';
import { DROP_REASON_LABELS, renderHtmlReport } from '../../evals/html-report.ts';
import { ASKED_TYPE_LABELS, CATEGORY_LABELS, formatMetric, METRIC_DEFS, setLabel, type MetricKey } from '../../evals/metrics.ts';
import { runEvals, thresholdFailures, type EvalReport } from '../../evals/runner.ts';
import { loadEvalSets, sourceResolver, validateEvalSets } from '../../evals/sets.ts';
import { uuidv7 } from '../../ids.ts';

/**
 * What a run uses of the services it asks: the corpus its sets are checked against, their clock and settings (to open
 * another day's), and the database that keeps the run.
 */
export interface EvalServices {
  corpus: Corpus;
  clock: Clock;
  config: Config;
  db: Database;
  close(): void;
}

/**
 * How a run reaches the Node services, given by src/runtime/node/services.ts (which starts runs itself, so this
 * module cannot import it): services opened for a configuration, and the in-process client of the app over them.
 */
export interface NodeWiring<S extends EvalServices> {
  createServices(config: Config): Promise<S>;
  appClient(services: S): AskClient;
}

export interface EvalRunOptions<S extends EvalServices> {
  /** Run against a running service instead of in-process. */
  base?: string;
  evalsDir?: string;
  reportsDir?: string;
  /** Environment for the in-process service (CORPUS_DIR, DATA_DIR ...). */
  env?: Record<string, string | undefined>;
  /** Use these services (the server's own) instead of starting new ones. */
  services?: S;
  out?: (line: string) => void;
  progress?: (done: number, total: number) => void;
  runId?: string;
}

export interface EvalRunResult {
  exitCode: number;
  report: EvalReport;
  runId: string;
  failures: string[];
  files: { json: string; html: string };
}

/**
 * Validates the eval sets of a directory against the corpus, runs them (in-process through the services' own app, or
 * against `base`), prints a table per set and the metrics, writes <reportsDir>/<timestamp>.json and .html, stores the
 * run in SQLite, and reports a failure when the sets no longer match the corpus or a threshold is missed.
 */
export async function runEvalSets<S extends EvalServices>(options: EvalRunOptions<S>, { createServices, appClient }: NodeWiring<S>): Promise<EvalRunResult> {
  const out = options.out ?? ((line: string) => console.log(line));
  const evalsDir = resolve(options.evalsDir ?? 'evals');
  const reportsDir = resolve(options.reportsDir ?? join(evalsDir, 'reports'));
  const files = Object.fromEntries(
    readdirSync(evalsDir)
      .filter((n) => n.endsWith('.json') && n !== 'config.json')
      .map((n) => [n, readFileSync(join(evalsDir, n), 'utf8')]),
  );
  const sets = loadEvalSets(files);
  const thresholds = (JSON.parse(readFileSync(join(evalsDir, 'config.json'), 'utf8')) as { thresholds: Partial<Record<MetricKey, number>> }).thresholds;

  // In-process runs use the service's own data directory (DATA_DIR, default ./data), so the
  // run lands in the same SQLite file the server reads, and its history accumulates.
  let services = options.services;
  if (!services) {
    const env: Record<string, string | undefined> = { ...options.env, RATE_LIMIT: '0', LOG_LEVEL: 'silent' };
    env.TODAY ??= sets.situations?.today ?? sets.qa?.today;
    services = await createServices(loadConfig(env));
  }
  // A set written on another day than the service's runs against a service whose clock says that day.
  const dayServices = new Map<string, S>();
  try {
    const validation = validateEvalSets(sets, services.corpus);
    for (const p of validation) out(`✗ 评测集与原文不符：${p.set}/${p.caseId}（${p.docId}）${p.problem}`);
    const client: AskClient = options.base ? httpClient(options.base) : appClient(services);
    const base = services;
    const report = await runEvals(sets, client, validation, {
      target: options.base ?? 'in-process',
      onCase: (done, total) => options.progress?.(done, total),
      docIdOf: sourceResolver(services.corpus, sets),
      clientForDay: options.base
        ? undefined
        : async (today) => {
            if (todayIn(base.clock) === today) return client;
            let day = dayServices.get(today);
            if (!day) dayServices.set(today, (day = await createServices({ ...base.config, TODAY: today })));
            return appClient(day);
          },
    });
    const failures = [...thresholdFailures(report.metrics, thresholds), ...(validation.length ? [`${validation.length} 个评测案例与原文不符`] : [])];

    printTables(report, out);
    for (const f of failures) out(`✗ ${f}`);

    const runId = options.runId ?? uuidv7();
    const store = new EvalStore(services.db);
    await store.saveRun(runId, report, failures);
    const history = (await store.listRuns(30)).reverse().map((r) => ({ startedAt: r.startedAt, metrics: r.metrics }));
    mkdirSync(reportsDir, { recursive: true });
    const stamp = report.startedAt.replace(/[:.]/g, '-');
    const json = join(reportsDir, `${stamp}.json`);
    const html = join(reportsDir, `${stamp}.html`);
    writeFileSync(json, JSON.stringify({ id: runId, ...report, failures }, null, 2));
    writeFileSync(html, renderHtmlReport(report, history, { thresholdFailures: failures }));
    out(`报告：${json}`);
    out(`      ${html}`);
    out(`评测用例：通过 ${report.passed} 个，未通过 ${report.failed} 个。`);
    return { exitCode: failures.length ? 1 : 0, report, runId, failures, files: { json, html } };
  } finally {
    for (const day of dayServices.values()) day.close();
    if (!options.services) services.close();
  }
}

function printTables(report: EvalReport, out: (line: string) => void): void {
  out('');
  out('评测集            案例   通过   通过率');
  for (const [set, s] of Object.entries(report.sets)) {
    out(`${setLabel(set).padEnd(12, '　')}${String(s.cases).padStart(5)}${String(s.passed).padStart(7)}   ${((s.passed / s.cases) * 100).toFixed(1)}%`);
  }
  out('');
  for (const m of METRIC_DEFS) out(`${m.label.padEnd(14, '　')} ${formatMetric(report.metrics[m.key], m.kind)}`);
  const tallyLine = (label: string, t: { turns: number; right: number; wrong: number; declined: number }) =>
    `${label.padEnd(12, '　')}${String(t.turns).padStart(5)}${String(t.right).padStart(6)}${String(t.wrong).padStart(6)}${String(t.declined).padStart(6)}`;
  out('');
  out('答对、答错与拒答      问题   答对   答错   拒答');
  for (const [set, t] of Object.entries(report.breakdown.sets)) {
    out(tallyLine(setLabel(set), t));
    for (const [category, c] of Object.entries(t.categories ?? {})) out(tallyLine(`　${CATEGORY_LABELS[category] ?? category}`, c));
  }
  if (Object.keys(report.breakdown.types).length) {
    out('对话集按所问类型：');
    for (const [type, t] of Object.entries(report.breakdown.types)) out(tallyLine(ASKED_TYPE_LABELS[type] ?? type, t));
  }
  const checks = report.breakdown.modelChecks;
  if (checks) {
    out('');
    out(`大模型逐句核验：起草 ${checks.drafted} 个回答，以模型回答作答 ${checks.llmAnswers} 个，改用原文摘录 ${checks.fallbacks} 个；写出 ${checks.sentences} 句，展示 ${checks.shown} 句，删去 ${checks.sentences - checks.shown} 句`);
    for (const [reason, n] of Object.entries(checks.dropped)) out(`  ${(DROP_REASON_LABELS[reason] ?? reason).padEnd(22, '　')}${String(n).padStart(5)}`);
  }
  const staffed = report.breakdown.staffAnswered ?? [];
  if (staffed.length) out(`\n经人工答案作答的问题 ${staffed.length} 个：${staffed.slice(0, 10).map((s) => s.question).join('；')}`);
  const failing = report.results.filter((r) => !r.pass);
  if (failing.length) {
    out('');
    out('未通过的案例：');
    for (const r of failing.slice(0, 40)) out(`  ${r.set}/${r.id}：${r.problems.join('；')}`);
    if (failing.length > 40) out(`  ……另有 ${failing.length - 40} 个`);
  }
}
