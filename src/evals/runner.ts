import type { AskClient } from './client.ts';
import { dialogueMetrics, runDialogueSet, tally, type DialogueCaseResult, type Judgement, type JudgementTally } from './dialogues.ts';
import { meetsThreshold, METRIC_DEFS, type MetricKey, type Metrics } from './metrics.ts';
import type { ApplicationSet, EvalSets, QaSet, RefusalSet, ValidationProblem } from './sets.ts';
import { runSituationSet } from './situations.ts';
import { runTrackSet, trackMetrics } from './tracks.ts';

export type { Metrics } from './metrics.ts';

/** A set's name: its kind, or for dialogue sets the file's name (dialogues-blind-a). */
export type SetName = string;

/** One case's outcome, with what a reviewer needs to see why it failed. */
export interface CaseOutcome {
  set: SetName;
  id: string;
  pass: boolean;
  problems: string[];
  question?: string;
  answer?: string;
  expected?: string[];
  source?: { docId: string; quote: string; start?: number; end?: number; context?: string };
  latencyMs?: number;
  /** For questions (qa, refusals, dialogue turns): right, answered wrongly, or declined. */
  judgement?: Judgement;
  /** The asked type of a dialogue turn ('decline' for a turn that must be declined). */
  askedType?: string;
  /** For track cases: track id → 「活动·赛道」, as the service named them. */
  names?: Record<string, string>;
  /** For dialogue cases: each turn's judgement, in order. */
  turns?: Array<{ question: string; answer: string; judgement: Judgement; askedType: string; problems: string[] }>;
}


export interface EvalReport {
  startedAt: string;
  finishedAt: string;
  mode: string;
  target: string;
  corpusHash: string;
  cases: number;
  passed: number;
  failed: number;
  metrics: Metrics;
  sets: Record<string, { cases: number; passed: number }>;
  /** Right, wrong and declined questions per set and per asked type, with their rates. */
  breakdown: Breakdown;
  validation: ValidationProblem[];
  results: CaseOutcome[];
}

export interface Breakdown {
  sets: Record<
    string,
    JudgementTally & {
      answerAccuracy?: number | null;
      followUpAccuracy?: number | null;
      eligibilityAccuracy?: number | null;
      arithmeticAccuracy?: number | null;
      falseYesRate?: number | null;
      outOfScopeDeclined?: number | null;
      noDetailDeclined?: number | null;
      categories?: Record<string, JudgementTally>;
    }
  >;
  /** Over the dialogue sets' turns, by the asked type the writer gave each. */
  types: Record<string, JudgementTally>;
  /** With a model configured: what the claim checks made of its drafts over the whole run (null in extractive mode). */
  modelChecks?: ModelCheckTotals | null;
  /** Questions the service answered with a staff answer (approved in the console), not by itself. */
  staffAnswered?: Array<{ question: string; staffAnswerId: string }>;
}

/** The claim checks' counts over a run, summed from each /api/ask answer's `checks`. */
export interface ModelCheckTotals {
  /** Answers the model drafted (those that carry checks). */
  drafted: number;
  /** Of those, answered in llm mode. */
  llmAnswers: number;
  /** Of those, answered extractively because no verified sentence answered the question. */
  fallbacks: number;
  sentences: number;
  shown: number;
  /** Sentences dropped, by reason. */
  dropped: Record<string, number>;
}

/** A client that adds up the `checks` of every /api/ask answer it passes on, and notes those a staff answer gave. */
function countingAnswers(client: AskClient, totals: ModelCheckTotals, staffAnswered: NonNullable<Breakdown['staffAnswered']>): AskClient {
  return {
    get: (path) => client.get(path),
    async post(path, body) {
      const res = await client.post(path, body);
      const via = path === '/api/ask' ? res.body?.via : undefined;
      if (via?.staffAnswerId) staffAnswered.push({ question: String((body as { question?: unknown }).question ?? ''), staffAnswerId: String(via.staffAnswerId) });
      const checks = path === '/api/ask' ? res.body?.checks : undefined;
      if (checks && typeof checks === 'object') {
        totals.drafted++;
        if (res.body.mode === 'llm') totals.llmAnswers++;
        if (checks.fallback) totals.fallbacks++;
        totals.sentences += Number(checks.sentences) || 0;
        totals.shown += Number(checks.shown) || 0;
        for (const [reason, n] of Object.entries(checks.dropped ?? {})) totals.dropped[reason] = (totals.dropped[reason] ?? 0) + (Number(n) || 0);
      }
      return res;
    },
  };
}

export interface RunOptions {
  /** Called after each case, for progress display. */
  onCase?: (done: number, total: number, outcome: CaseOutcome) => void;
  target?: string;
  /**
   * A client whose service takes `today` as its date, for sets written on
   * another day than the main client's; the main client when absent.
   */
  clientForDay?: (today: string) => Promise<AskClient>;
  /** Resolves a dialogue source (document id, or the seed file it was read from) to a document id. */
  docIdOf?: (source: { docId?: string; file?: string; quote: string }) => string | undefined;
}

const ratio = (num: number, den: number) => (den === 0 ? null : num / den);

/**
 * Runs every eval set against the service through `client` (in-process or
 * over HTTP) and computes the metrics: fact accuracy, citation verbatim rate,
 * citation support (the cited quote contains the expected fact), retrieval
 * hit@1/3/5 and MRR of the expected source span, refusal, situation, track and
 * checker accuracy, and latency.
 */
export async function runEvals(sets: EvalSets, plainClient: AskClient, validation: ValidationProblem[], plainOptions: RunOptions = {}): Promise<EvalReport> {
  const startedAt = new Date().toISOString();
  const modelChecks: ModelCheckTotals = { drafted: 0, llmAnswers: 0, fallbacks: 0, sentences: 0, shown: 0, dropped: {} };
  const staffAnswered: NonNullable<Breakdown['staffAnswered']> = [];
  const client = countingAnswers(plainClient, modelChecks, staffAnswered);
  const dayClient = plainOptions.clientForDay;
  const options: RunOptions = { ...plainOptions, clientForDay: dayClient ? async (today) => countingAnswers(await dayClient(today), modelChecks, staffAnswered) : undefined };
  const total =
    (sets.qa?.cases.length ?? 0) +
    (sets.refusals?.cases.length ?? 0) +
    (sets.situations?.cases.length ?? 0) +
    (sets.tracks?.cases.length ?? 0) +
    (sets.applications?.cases.length ?? 0) +
    (sets.dialogues ?? []).reduce((n, d) => n + d.set.cases.length, 0);
  const results: CaseOutcome[] = [];
  const record = (o: CaseOutcome) => {
    results.push(o);
    options.onCase?.(results.length, total, o);
  };
  const health = await client.get('/healthz');
  const documents = new Map<string, string>();
  const documentText = async (docId: string) => {
    if (!documents.has(docId)) documents.set(docId, (await client.get(`/api/documents/${encodeURIComponent(docId)}`)).body?.text ?? '');
    return documents.get(docId)!;
  };

  const qa = sets.qa ? await runQa(sets.qa, client, documentText, record) : null;
  const refusals = sets.refusals ? await runRefusals(sets.refusals, client, record) : null;
  const situations = sets.situations
    ? await runSituationSet(sets.situations, client, (r) =>
        record({ set: 'situations', id: r.id, pass: r.pass, problems: r.turns.flatMap((t) => t.problems), question: r.turns.map((t) => t.question).join(' → '), answer: r.turns.at(-1)?.answer }),
      )
    : null;
  const tracks = sets.tracks
    ? await runTrackSet(sets.tracks, options.clientForDay ? await options.clientForDay(sets.tracks.today) : client, (r) =>
        record({ set: 'tracks', id: r.id, pass: r.pass, problems: r.problems, question: r.description, answer: r.top.join(', '), expected: r.expected, names: r.names }),
      )
    : null;
  const applications = sets.applications ? await runApplications(sets.applications, client, record) : null;
  const dialogues: Array<{ name: string; results: DialogueCaseResult[] }> = [];
  for (const { name, set } of sets.dialogues ?? []) {
    const dayClient = options.clientForDay ? await options.clientForDay(set.today) : client;
    const caseResults = await runDialogueSet(set, dayClient, options.docIdOf ?? ((s) => s.docId), (r) =>
      record({
        set: name,
        id: r.id,
        pass: r.pass,
        problems: r.turns.flatMap((t, i) => t.problems.map((p) => (r.turns.length > 1 ? `第${i + 1}轮：${p}` : p))),
        question: r.turns.map((t) => t.question).join(' → '),
        answer: r.turns.at(-1)?.answer,
        expected: r.turns.flatMap((t) => t.expected),
        turns: r.turns.map((t) => ({ question: t.question, answer: t.answer, judgement: t.judgement, askedType: t.askedType, problems: t.problems })),
        latencyMs: r.turns.reduce((sum, t) => sum + t.latencyMs, 0) / r.turns.length,
      }),
    );
    dialogues.push({ name, results: caseResults });
  }
  const allDialogueResults = dialogues.flatMap((d) => d.results);
  const dm = allDialogueResults.length ? dialogueMetrics(allDialogueResults) : null;
  const judgedOf = (set?: string) =>
    results.filter((r) => r.judgement && (set === undefined || r.set === set)).map((r) => ({ judgement: r.judgement!, expect: r.set === 'refusals' ? ('decline' as const) : ('answer' as const) }));
  const judgedQuestions = judgedOf();
  const allJudged = [...judgedQuestions, ...allDialogueResults.flatMap((r) => r.turns)];
  const overall = allJudged.length ? tally(allJudged) : null;

  const tm = tracks ? trackMetrics(tracks) : null;
  const latencies = results.filter((r) => r.latencyMs !== undefined).map((r) => r.latencyMs!).sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 10) / 10 : null);
  const metrics: Metrics = {
    factAccuracy: qa?.factAccuracy ?? null,
    citationVerbatim: qa?.citationVerbatim ?? null,
    citationSupport: qa?.citationSupport ?? null,
    hit1: qa?.hit[0] ?? null,
    hit3: qa?.hit[1] ?? null,
    hit5: qa?.hit[2] ?? null,
    mrr: qa?.mrr ?? null,
    refusalAccuracy: refusals,
    situationAccuracy: situations ? ratio(situations.filter((s) => s.pass).length, situations.length) : null,
    trackTop1: tm?.top1 ?? null,
    trackTop3: tm?.top3 ?? null,
    chatTrackTop3: tm?.chatTop3 ?? null,
    eligibilityAccuracy: tm?.eligibility ?? null,
    checkerAccuracy: applications,
    dialogueAccuracy: dm?.answerAccuracy ?? null,
    followUpAccuracy: dm?.followUpAccuracy ?? null,
    dialogueEligibility: dm?.eligibilityAccuracy ?? null,
    arithmeticAccuracy: dm?.arithmeticAccuracy ?? null,
    falseYesRate: dm?.falseYesRate ?? null,
    outOfScopeDeclined: dm?.outOfScopeDeclined ?? null,
    noDetailDeclined: dm?.noDetailDeclined ?? null,
    wrongAnswerRate: overall?.wrongAnswerRate ?? null,
    declineRate: overall?.declineRate ?? null,
    latencyP50Ms: pct(0.5),
    latencyP95Ms: pct(0.95),
  };
  const setsSummary: EvalReport['sets'] = {};
  for (const r of results) {
    const s = (setsSummary[r.set] ??= { cases: 0, passed: 0 });
    s.cases++;
    if (r.pass) s.passed++;
  }
  const breakdown: Breakdown = { sets: {}, types: dm?.byType ?? {}, modelChecks: modelChecks.drafted > 0 ? modelChecks : null, staffAnswered };
  for (const name of ['qa', 'refusals']) {
    const of = judgedOf(name);
    if (of.length) breakdown.sets[name] = tally(of);
  }
  for (const { name, results: r } of dialogues) {
    const m = dialogueMetrics(r);
    breakdown.sets[name] = {
      ...m.overall,
      answerAccuracy: m.answerAccuracy,
      followUpAccuracy: m.followUpAccuracy,
      eligibilityAccuracy: m.eligibilityAccuracy,
      arithmeticAccuracy: m.arithmeticAccuracy,
      falseYesRate: m.falseYesRate,
      outOfScopeDeclined: m.outOfScopeDeclined,
      noDetailDeclined: m.noDetailDeclined,
      categories: m.byCategory,
    };
  }
  const passed = results.filter((r) => r.pass).length;
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: health.body?.mode ?? 'unknown',
    target: options.target ?? 'in-process',
    corpusHash: health.body?.corpusHash ?? '',
    cases: results.length,
    passed,
    failed: results.length - passed,
    metrics,
    sets: setsSummary,
    breakdown,
    validation,
    results,
  };
}

async function runQa(set: QaSet, client: AskClient, documentText: (id: string) => Promise<string>, record: (o: CaseOutcome) => void) {
  let factsFound = 0;
  let factsTotal = 0;
  let supported = 0;
  let citationsOk = 0;
  let citationsTotal = 0;
  const ranks: Array<number | null> = [];
  for (const c of set.cases) {
    const started = performance.now();
    const res = await client.post('/api/ask', { question: c.question });
    const latencyMs = performance.now() - started;
    const body = res.body ?? {};
    const answer: string = body.answer ?? '';
    const citations: Array<{ docId: string; quote: string; start: number; end: number }> = body.citations ?? [];
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`HTTP ${res.status}`);
    if (!body.answerable) problems.push('回答为“无法回答”');
    for (const fact of c.facts) {
      factsTotal++;
      if (answer.includes(fact)) factsFound++;
      else problems.push(`回答缺少「${fact}」`);
      if (citations.some((x) => x.quote.includes(fact))) supported++;
      else problems.push(`没有引用原文支持「${fact}」`);
    }
    for (const x of citations) {
      citationsTotal++;
      const text = await documentText(x.docId);
      if (text.slice(x.start, x.end) === x.quote) citationsOk++;
      else problems.push(`引用不是原文：「${x.quote}」`);
    }
    const judgement: Judgement = !body.answerable
      ? 'declined'
      : c.facts.every((f) => answer.includes(f)) && citations.some((x) => x.docId === c.source.docId)
        ? 'right'
        : 'wrong';
    const doc = await documentText(c.source.docId);
    const start = doc.indexOf(c.source.quote);
    const end = start + c.source.quote.length;
    const search = await client.get(`/api/search?q=${encodeURIComponent(c.question)}&k=5`);
    const hits: Array<{ docId: string; start: number; end: number }> = search.body?.results ?? [];
    const rank = start < 0 ? -1 : hits.findIndex((h) => h.docId === c.source.docId && h.start < end && start < h.end);
    ranks.push(rank >= 0 ? rank + 1 : null);
    record({
      set: 'qa',
      id: c.id,
      pass: problems.length === 0,
      problems,
      question: c.question,
      answer,
      expected: c.facts,
      source: { docId: c.source.docId, quote: c.source.quote, start, end, context: start >= 0 ? doc.slice(Math.max(0, start - 60), end + 60) : undefined },
      latencyMs,
      judgement,
    });
  }
  const n = set.cases.length;
  return {
    factAccuracy: ratio(factsFound, factsTotal),
    citationSupport: ratio(supported, factsTotal),
    citationVerbatim: ratio(citationsOk, citationsTotal),
    hit: [1, 3, 5].map((k) => ratio(ranks.filter((r) => r !== null && r <= k).length, n)),
    mrr: ratio(ranks.reduce<number>((sum, r) => sum + (r ? 1 / r : 0), 0), n),
  };
}

async function runRefusals(set: RefusalSet, client: AskClient, record: (o: CaseOutcome) => void): Promise<number | null> {
  let right = 0;
  for (const c of set.cases) {
    const started = performance.now();
    const res = await client.post('/api/ask', { question: c.question });
    const latencyMs = performance.now() - started;
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`HTTP ${res.status}`);
    if (res.body?.answerable !== false) problems.push('应拒答却作答');
    if ((res.body?.citations ?? []).length !== 0) problems.push('拒答时不应附引用');
    if (c.kind === 'manipulation' && res.body?.declineReason !== 'manipulation') problems.push(`拒答原因为 ${res.body?.declineReason ?? '(无)'}，应为 manipulation`);
    if (problems.length === 0) right++;
    const judgement: Judgement = res.body?.answerable === false ? 'right' : 'wrong';
    record({ set: 'refusals', id: c.id, pass: problems.length === 0, problems, question: c.question, answer: res.body?.answer, expected: [c.kind], latencyMs, judgement });
  }
  return ratio(right, set.cases.length);
}

async function runApplications(set: ApplicationSet, client: AskClient, record: (o: CaseOutcome) => void): Promise<number | null> {
  let right = 0;
  for (const c of set.cases) {
    const res = await client.post('/api/applications/check', { draft: c.draft });
    const findings: Array<{ kind: string; field: string }> = res.body?.findings ?? [];
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`HTTP ${res.status}：${res.body?.error?.message ?? ''}`);
    if (c.expect.ok !== undefined && res.body?.ok !== c.expect.ok) problems.push(`ok 为 ${res.body?.ok}，应为 ${c.expect.ok}`);
    for (const f of c.expect.findings) if (!findings.some((x) => x.kind === f.kind && x.field === f.field)) problems.push(`缺少检查结果 ${f.kind}:${f.field}`);
    for (const f of c.expect.absent ?? []) if (findings.some((x) => x.kind === f.kind && x.field === f.field)) problems.push(`不应报告 ${f.kind}:${f.field}`);
    if (problems.length === 0) right++;
    record({ set: 'applications', id: c.id, pass: problems.length === 0, problems, answer: findings.map((f) => `${f.kind}:${f.field}`).join(', '), expected: c.expect.findings.map((f) => `${f.kind}:${f.field}`) });
  }
  return ratio(right, set.cases.length);
}

/** Metrics on the wrong side of their thresholds, as Chinese messages. */
export function thresholdFailures(metrics: Metrics, thresholds: Partial<Record<MetricKey, number>>): string[] {
  const failures: string[] = [];
  for (const [name, limit] of Object.entries(thresholds) as Array<[MetricKey, number]>) {
    const value = metrics[name];
    if (value === null || value === undefined) continue;
    if (!meetsThreshold(name, value, limit)) {
      const lower = METRIC_DEFS.find((m) => m.key === name)?.better === 'lower';
      failures.push(`${name} = ${value.toFixed(3)}，${lower ? '高于' : '低于'}阈值 ${limit}`);
    }
  }
  return failures;
}
