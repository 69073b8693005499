import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config.ts';
import { EvalStore } from '../../db/eval-store.ts';
import { httpClient, inProcessClient, type AskClient } from '../../evals/client.ts';
import { renderHtmlReport } from '../../evals/html-report.ts';
import { runEvals, thresholdFailures, type EvalReport, type Metrics } from '../../evals/runner.ts';
import { loadEvalSets, validateEvalSets } from '../../evals/sets.ts';
import { uuidv7 } from '../../ids.ts';
import { createApp } from '../../web/app.ts';
import { createLogger } from '../../web/log.ts';
import { createServices, nodeAppDeps, type Services } from './services.ts';

export interface EvalCommandOptions {
  /** Run against a running service instead of in-process. */
  base?: string;
  evalsDir?: string;
  reportsDir?: string;
  /** Environment for the in-process service (CORPUS_DIR, DATA_DIR ...). */
  env?: Record<string, string | undefined>;
  /** Use these services (the server's own) instead of starting new ones. */
  services?: Services;
  out?: (line: string) => void;
  progress?: (done: number, total: number) => void;
  runId?: string;
}

export interface EvalCommandResult {
  exitCode: number;
  report: EvalReport;
  runId: string;
  failures: string[];
  files: { json: string; html: string };
}

/**
 * `npm run eval`: validates the eval sets against the corpus, runs them
 * (in-process, or against `base`), prints a table per set and the metrics,
 * writes evals/reports/<timestamp>.json and .html, stores the run in SQLite,
 * and fails when the sets no longer match the corpus or a threshold is missed.
 */
export async function runEvalCommand(options: EvalCommandOptions = {}): Promise<EvalCommandResult> {
  const out = options.out ?? ((line: string) => console.log(line));
  const evalsDir = resolve(options.evalsDir ?? 'evals');
  const reportsDir = resolve(options.reportsDir ?? join(evalsDir, 'reports'));
  const files = Object.fromEntries(
    readdirSync(evalsDir)
      .filter((n) => n.endsWith('.json') && n !== 'config.json')
      .map((n) => [n, readFileSync(join(evalsDir, n), 'utf8')]),
  );
  const sets = loadEvalSets(files);
  const thresholds = (JSON.parse(readFileSync(join(evalsDir, 'config.json'), 'utf8')) as { thresholds: Partial<Record<keyof Metrics, number>> }).thresholds;

  // In-process runs use the service's own data directory (DATA_DIR, default ./data), so the
  // run lands in the same SQLite file the server reads, and its history accumulates.
  let services = options.services;
  if (!services) {
    const env: Record<string, string | undefined> = { ...options.env, RATE_LIMIT: '0', LOG_LEVEL: 'silent' };
    env.TODAY ??= sets.situations?.today ?? sets.qa?.today;
    services = await createServices(loadConfig(env));
  }
  try {
    const validation = validateEvalSets(sets, services.corpus);
    for (const p of validation) out(`✗ 评测集与原文不符：${p.set}/${p.caseId}（${p.docId}）${p.problem}`);
    const client: AskClient = options.base
      ? httpClient(options.base)
      : inProcessClient(createApp(nodeAppDeps(services, createLogger('silent'), { clientKey: () => 'eval', rateLimitPerMinute: 0, messageSource: 'eval' })));
    const report = await runEvals(sets, client, validation, {
      target: options.base ?? 'in-process',
      onCase: (done, total) => options.progress?.(done, total),
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
    if (!options.services) services.close();
  }
}

const SET_LABELS: Record<string, string> = { qa: '问答要点', refusals: '拒答', situations: '情境判断', tracks: '赛道推荐', applications: '申报书检查' };
const METRIC_LABELS: Record<keyof Metrics, string> = {
  factAccuracy: '答案要点准确率',
  citationVerbatim: '引用逐字率',
  citationSupport: '引用支持率',
  hit1: '检索命中率@1',
  hit3: '检索命中率@3',
  hit5: '检索命中率@5',
  mrr: 'MRR',
  refusalAccuracy: '拒答准确率',
  situationAccuracy: '情境判断准确率',
  trackTop1: '赛道 Top-1',
  trackTop3: '赛道 Top-3',
  eligibilityAccuracy: '资格判断准确率',
  checkerAccuracy: '申报书检查准确率',
  latencyP50Ms: '延迟 P50 (ms)',
  latencyP95Ms: '延迟 P95 (ms)',
};

function printTables(report: EvalReport, out: (line: string) => void): void {
  out('');
  out('评测集            案例   通过   通过率');
  for (const [set, s] of Object.entries(report.sets)) {
    out(`${(SET_LABELS[set] ?? set).padEnd(12, '　')}${String(s.cases).padStart(5)}${String(s.passed).padStart(7)}   ${((s.passed / s.cases) * 100).toFixed(1)}%`);
  }
  out('');
  for (const [name, value] of Object.entries(report.metrics) as Array<[keyof Metrics, number | null]>) {
    const shown = value === null ? '—' : name.startsWith('latency') ? `${value}` : `${(value * 100).toFixed(1)}%`;
    out(`${METRIC_LABELS[name].padEnd(14, '　')} ${shown}`);
  }
  const failing = report.results.filter((r) => !r.pass);
  if (failing.length) {
    out('');
    out('未通过的案例：');
    for (const r of failing.slice(0, 40)) out(`  ${r.set}/${r.id}：${r.problems.join('；')}`);
    if (failing.length > 40) out(`  ……另有 ${failing.length - 40} 个`);
  }
}
