/**
 * Eval runs over HTTP (admin), mounted at /api/evals: the stored runs with their metrics, one run's per-case results
 * and what changed since the run before, and starting a run inside the service. The staff console's 评测 tab reads
 * these. Every route takes the admin token (src/web/admin.ts).
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { EvalStore } from '../../db/eval-store.ts';
import { adminAuth, adminRouteFor } from '../admin.ts';
import { ApiError, errorResponses, json, router } from '../http.ts';
import { limitParam } from './admin-schemas.ts';

/** Eval runs as the runtime gives them: stored history, and a way to start one. */
export interface EvalsDeps {
  store: EvalStore;
  /** Starts a run in the background; `started` is false when one is already running (its id is then that run's). */
  start(): { runId: string; started: boolean };
  /** The run in progress, if any. */
  progress(): { runId: string; done: number; total: number } | null;
  /** The thresholds a run must meet (evals/config.json). */
  thresholds?: Record<string, number>;
}

export interface EvalRouteDeps {
  evals: EvalsDeps;
  /** The admin token (ADMIN_TOKEN); without it every route answers 403. */
  adminToken?: string;
}

const TAGS = ['评测'];

const progressSchema = z
  .object({ runId: z.string(), done: z.number().int().describe('已完成的案例数'), total: z.number().int().describe('案例总数') })
  .openapi('EvalProgress');

const tallySchema = z.looseObject({
  turns: z.number().int(),
  right: z.number().int(),
  wrong: z.number().int(),
  declined: z.number().int(),
  wrongAnswerRate: z.number().nullable().describe('答错的占全部问题'),
  declineRate: z.number().nullable().describe('拒答的占应作答的问题'),
});

/** Right, wrong and declined questions per set and per asked type (src/evals/runner.ts Breakdown). */
const breakdownSchema = z
  .object({
    sets: z.record(z.string(), tallySchema.extend({ categories: z.record(z.string(), tallySchema).optional() })).describe('评测集 → 统计（另含该集的各项比率）'),
    types: z.record(z.string(), tallySchema).describe('所问信息类型 → 统计（对话集）'),
    modelChecks: z
      .object({
        drafted: z.number().int(),
        llmAnswers: z.number().int(),
        fallbacks: z.number().int(),
        sentences: z.number().int(),
        shown: z.number().int(),
        dropped: z.record(z.string(), z.number().int()),
      })
      .nullable()
      .optional()
      .describe('大模型模式下逐句核验的合计（原文摘录模式为 null）'),
    staffAnswered: z.array(z.object({ question: z.string(), staffAnswerId: z.string() })).optional().describe('由人工答案回答的问题'),
  })
  .describe('按评测集与所问类型的答对、答错、拒答统计');

/** A run as stored (src/db/eval-store.ts StoredRun): the report without its per-case results. */
const evalRunSchema = z
  .object({
    id: z.string(),
    startedAt: z.string().describe('ISO 8601'),
    finishedAt: z.string().describe('ISO 8601'),
    mode: z.string().describe('extractive 或 llm'),
    target: z.string().describe('评测的对象（in-process 或服务地址）'),
    corpusHash: z.string(),
    cases: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    metrics: z.record(z.string(), z.number().nullable()).describe('指标名 → 值（见 src/evals/metrics.ts；无法计算时为 null）'),
    sets: z.record(z.string(), z.object({ cases: z.number().int(), passed: z.number().int() })).describe('评测集 → 案例数与通过数'),
    breakdown: breakdownSchema.nullable().describe('较早的运行没有这一项（null）'),
    validation: z.array(z.object({ set: z.string(), caseId: z.string(), docId: z.string(), problem: z.string() })).describe('评测集与语料不符之处（引用不再逐字一致等）'),
    failures: z.array(z.string()).describe('未达到的阈值'),
  })
  .openapi('EvalRun');

const judgement = z.enum(['right', 'wrong', 'declined']);

/** One case's outcome (src/evals/runner.ts CaseOutcome). */
const caseOutcomeSchema = z
  .looseObject({
    set: z.string(),
    id: z.string(),
    pass: z.boolean(),
    problems: z.array(z.string()),
    question: z.string().optional(),
    answer: z.string().optional(),
    expected: z.array(z.string()).optional(),
    source: z
      .object({ docId: z.string(), quote: z.string(), start: z.number().int().optional(), end: z.number().int().optional(), context: z.string().optional() })
      .optional(),
    latencyMs: z.number().optional(),
    judgement: judgement.optional(),
    askedType: z.string().optional(),
    names: z.record(z.string(), z.string()).optional(),
    turns: z.array(z.object({ question: z.string(), answer: z.string(), judgement, askedType: z.string(), problems: z.array(z.string()) })).optional(),
  })
  .openapi('EvalCaseOutcome');

const listResponseSchema = z.object({
  runs: z.array(evalRunSchema).describe('保存的运行，最新的在前'),
  running: progressSchema.nullable().describe('正在进行的运行；没有时为 null'),
  thresholds: z.record(z.string(), z.number()).describe('指标名 → 阈值（evals/config.json）'),
});

const runningRunSchema = z
  .object({ id: z.string(), status: z.literal('running'), done: z.number().int(), total: z.number().int() })
  .openapi('EvalRunInProgress');

const finishedRunSchema = evalRunSchema
  .extend({
    status: z.literal('finished'),
    results: z.array(z.object({ set: z.string(), caseId: z.string(), pass: z.boolean(), detail: caseOutcomeSchema })).describe('逐案例结果'),
    comparison: z
      .object({
        previousId: z.string().nullable().describe('上一次运行（按保存的先后）；没有时为 null'),
        newlyFailing: z.array(z.string()).describe('上一次通过、这一次失败的案例（评测集:案例编号）'),
        newlyPassing: z.array(z.string()).describe('上一次失败、这一次通过的案例'),
      })
      .describe('与上一次运行相比'),
  })
  .openapi('EvalRunDetail');

/**
 * The eval routes, mounted at /api/evals. They are registered only for a runtime that runs evals: the app mounts
 * this router only when it is given `evals`; elsewhere (Workers) /api/evals/* falls through to the app's 404
 * `not_found`.
 *
 * @example
 * if (deps.evals) app.route('/api/evals', evalRoutes({ evals: deps.evals, adminToken: deps.adminToken }));
 */
export function evalRoutes({ evals, adminToken }: EvalRouteDeps): OpenAPIHono {
  const app = router();
  const adminRoute = adminRouteFor(adminAuth(adminToken), TAGS);

  const listRoute = adminRoute({
    method: 'get',
    path: '/runs',
    operationId: 'listEvalRuns',
    summary: '评测运行记录（含指标）、正在进行的运行和阈值',
    request: { query: z.object({ limit: limitParam(50) }) },
    responses: { 200: json(listResponseSchema, '运行记录'), ...errorResponses(400, 429, 503) },
  });
  app.openapi(listRoute, async (c) =>
    c.json({ runs: await evals.store.listRuns(c.req.valid('query').limit), running: evals.progress(), thresholds: evals.thresholds ?? {} }, 200),
  );

  const getRoute = adminRoute({
    method: 'get',
    path: '/runs/{id}',
    operationId: 'getEvalRun',
    summary: '一次评测：指标、逐案例结果、与上一次相比新失败/新通过的案例；运行中时为进度',
    request: { params: z.object({ id: z.string().describe('运行编号') }) },
    responses: {
      200: json(z.discriminatedUnion('status', [runningRunSchema, finishedRunSchema]), '运行中的进度，或已完成的运行'),
      ...errorResponses(400, 404, 429, 503),
    },
  });
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const running = evals.progress();
    if (running?.runId === id) return c.json({ id, status: 'running' as const, done: running.done, total: running.total }, 200);
    const run = await evals.store.getRun(id);
    if (!run) throw new ApiError(404, 'eval_run_not_found', '找不到这次评测。');
    const [results, comparison] = await Promise.all([evals.store.resultsOf(id), evals.store.compareWithPrevious(run)]);
    return c.json({ ...run, status: 'finished' as const, results: results as Array<(typeof results)[number] & { detail: z.infer<typeof caseOutcomeSchema> }>, comparison }, 200);
  });

  const startRoute = adminRoute({
    method: 'post',
    path: '/run',
    operationId: 'startEvalRun',
    summary: '在服务内发起一次评测（后台运行，用 GET /api/evals/runs/{id} 查看进度）',
    responses: {
      202: json(z.object({ id: z.string().describe('运行编号'), status: z.literal('running') }), '已开始'),
      ...errorResponses(400, 409, 429),
    },
  });
  app.openapi(startRoute, (c) => {
    const { runId, started } = evals.start();
    if (!started) throw new ApiError(409, 'eval_running', '已有评测正在运行，请稍后再试。');
    return c.json({ id: runId, status: 'running' as const }, 202);
  });
  return app;
}
