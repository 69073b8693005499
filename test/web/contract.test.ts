/**
 * The HTTP contract: /openapi.json, as the running app serves it, against the app's real responses.
 *
 * - The document is a structurally valid OpenAPI 3.1 document and every schema in it compiles with a third-party
 *   validator (Ajv, JSON Schema 2020-12, with formats).
 * - TABLE below holds real requests, keyed by `METHOD /path/{param}` as the document spells operations: for every
 *   operation one that succeeds and one for each error it can answer. Every response's status must be documented
 *   for its operation, its content type documented for that status, and its body valid against the documented
 *   schema (each SSE event's data against the schema the document gives for that event).
 * - Coverage both ways: every documented status is produced by some request (or listed in SKIPPED with the reason
 *   it cannot be produced in-process), every documented operation has requests, and every route the app serves
 *   under /api, /healthz and /readyz is documented.
 * - A client generated from the document (openapi-typescript, openapi-fetch) compiles against
 *   test/support/contract-client-usage.ts, and its calls work against the app.
 *
 * The test is driven by the document: it names no operationId and assumes no schema name.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/ids.ts';
import { runEvalSets } from '../../src/runtime/node/eval-run.ts';
import { createServices, evalAppClient, nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { startTestService, type TestService } from '../support/app.ts';
import {
  compileClientUsage,
  deref,
  DocumentValidator,
  esc,
  labelOf,
  operationsOf,
  parseSse,
  schemaPointers,
  servedRoutes,
  sseDescription,
  structuralProblems,
  type Json,
  type Operation,
} from '../support/contract.ts';
import { exerciseClient } from '../support/contract-client-usage.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TOKEN = 'contract-admin-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DOC_ID = 'liaoning-measures-2025';
/** A question whose answer carries `situation.measures` (the chat's 政策体检). */
const CHECKUP_QUESTION = '我们是小微企业，有一笔流动资金贷款明年3月到期，能享受哪些政策？';

// ─── The request table ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The app a request goes to: `main` (ADMIN_TOKEN set, no rate limit), `noAdmin` (no ADMIN_TOKEN: admin routes 403),
 * `limited` (RATE_LIMIT=1: the request is sent once more after a first one from the same client, and is the 429),
 * `storage` (the SQLite connection refuses writes, `PRAGMA query_only`, while the request runs: SQLITE_READONLY).
 */
type AppName = 'main' | 'noAdmin' | 'limited' | 'storage';

interface Ctx {
  conversationId: string;
  messageId: string;
  /** A whole clause of a document, as staff attach it. */
  clause: { docId: string; start: number; end: number };
  /** A finished eval run, stored by a small real run. */
  finishedRunId: string;
  /** The run POST /api/evals/run started (stubbed: it does not run the eval sets). */
  runningRunId?: string;
  /** Staff answers set up for the review routes: pending ones, and one rejected (no review step applies to it). */
  staff: { approve: string; reject: string; withdraw: string; spare: string; rejected: string };
}

interface Case {
  /** The status the request is meant to produce (coverage reads the status it actually got). */
  status: number;
  why: string;
  app?: AppName;
  /** The concrete path; the key's path when not given. */
  path?: string | ((ctx: Ctx) => string);
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json unless headers say otherwise). */
  body?: unknown;
  /** A raw body, sent as is. */
  raw?: string;
  /** Reads what the response gives for later cases. */
  after?: (ctx: Ctx, body: Json) => void;
}

type Req = Omit<Case, 'status' | 'why' | 'app'>;
const lazy = <T,>(value: T | ((ctx: Ctx) => T), ctx: Ctx): T => (typeof value === 'function' ? (value as (ctx: Ctx) => T)(ctx) : value);

/** The refusals of a JSON body: not JSON, too large, not declared as JSON. */
const bodyErrors = (req: Req = {}): Case[] => [
  { ...req, status: 400, why: 'malformed JSON (invalid_json)', body: undefined, raw: '{"question":' },
  { ...req, status: 413, why: 'a body over 64 KB (payload_too_large)', body: undefined, raw: JSON.stringify({ padding: 'x'.repeat(70_000) }) },
  { ...req, status: 415, why: 'Content-Type text/xml (unsupported_media_type)', body: undefined, raw: '<q/>', headers: { ...req.headers, 'content-type': 'text/xml' } },
];

/** The refusals of an admin route: no token, a malformed Authorization header, no ADMIN_TOKEN configured. */
const adminErrors = (req: Req = {}): Case[] => [
  { ...req, status: 401, why: 'no admin token (unauthorized)', headers: { ...req.headers, authorization: '' } },
  { ...req, status: 401, why: 'a wrong admin token (unauthorized)', headers: { ...req.headers, authorization: 'Bearer not-the-token' } },
  { ...req, status: 400, why: 'an Authorization header that is not a bearer token (invalid_authorization)', headers: { ...req.headers, authorization: 'Basic Y29udHJhY3Q6dGVzdA==' } },
  { ...req, status: 403, why: 'ADMIN_TOKEN not configured (admin_disabled)', app: 'noAdmin', headers: { ...AUTH, ...req.headers } },
];

const rateLimited = (req: Req = {}): Case => ({ ...req, status: 429, why: 'the second request of a client with RATE_LIMIT=1 (rate_limited)', app: 'limited' });
const storageFailure = (req: Req): Case => ({ ...req, status: 503, why: 'the database refuses writes (storage_unavailable)', app: 'storage' });

const admin = (req: Req): Req => ({ ...req, headers: { ...AUTH, ...req.headers } });
const review = (step: 'approve' | 'reject' | 'withdraw'): Case[] => {
  const path = (id: string | ((ctx: Ctx) => string)) => (ctx: Ctx) => `/api/admin/staff-answers/${encodeURIComponent(lazy(id, ctx))}/${step}`;
  const ok = admin({ path: path((ctx) => ctx.staff[step]), body: { by: '李四' } });
  return [
    { ...ok, status: 200, why: `${step} a pending answer` },
    { ...admin({ path: path((ctx) => ctx.staff.rejected), body: { by: '李四' } }), status: 409, why: `${step} a rejected answer (staff_answer_state)` },
    { ...admin({ path: path('no-such-staff-answer'), body: { by: '李四' } }), status: 404, why: 'an unknown staff answer (staff_answer_not_found)' },
    { ...admin({ path: path((ctx) => ctx.staff.spare), body: {} }), status: 400, why: 'no `by` (invalid_request)' },
    ...bodyErrors(admin({ path: path((ctx) => ctx.staff.spare) })),
    ...adminErrors({ path: path((ctx) => ctx.staff.spare), body: { by: '李四' } }),
    rateLimited(admin({ path: path((ctx) => ctx.staff.spare), body: { by: '李四' } })),
    storageFailure(admin({ path: path((ctx) => ctx.staff.spare), body: { by: '李四' } })),
  ];
};

/** Every operation's requests, keyed as the document keys operations. Cases run in this order. */
const TABLE: Record<string, Case[]> = {
  'GET /healthz': [{ status: 200, why: 'alive' }],
  'GET /readyz': [
    { status: 200, why: 'ready' },
    { status: 503, why: 'the database takes no write (not ready)', app: 'storage' },
  ],
  'GET /openapi.json': [{ status: 200, why: 'the document itself' }],
  'POST /api/ask': [
    { status: 200, why: 'a 政策体检 question (situation.measures)', body: { question: CHECKUP_QUESTION } },
    { status: 200, why: 'a follow-up with a profile', body: (ctx: Ctx) => ({ question: '那中型企业呢？', conversationId: ctx.conversationId, profile: { size: '中型' } }) },
    { status: 200, why: 'a declined question', body: { question: '帮我推荐几只明天能涨的股票' } },
    { status: 200, why: 'a 赛道 question (tracks)', body: { question: '我们是大连的一家农商行，推出了给农户的小额信用贷款产品，适合报哪个赛道？' } },
    { status: 200, why: 'SSE: token events, then done', body: { question: '信用修复平均要几天？' }, headers: { accept: 'text/event-stream' } },
    { status: 200, why: 'SSE while the database refuses writes: an error event', app: 'storage', body: { question: '信用修复平均要几天？' }, headers: { accept: 'text/event-stream' } },
    storageFailure({ body: { question: '信用修复平均要几天？' } }),
    { status: 400, why: 'an empty question (invalid_request)', body: { question: '' } },
    { status: 404, why: 'an unknown conversation (conversation_not_found)', body: { question: '那中型企业呢？', conversationId: 'no-such-conversation' } },
    ...bodyErrors(),
    rateLimited({ body: { question: '续贷' } }),
  ],
  'POST /api/checkup': [
    {
      status: 200,
      why: 'a profile',
      body: { profile: { size: '小微', loans: [{ kind: '流动资金贷款', dueDate: '2027-03-31' }], guarantees: [{ amountYuan: 2_000_000, ratePercent: 0.8 }], everBorrowed: true } },
    },
    { status: 200, why: 'an empty profile', body: { profile: {} } },
    { status: 400, why: 'an undefined profile field (invalid_request)', body: { profile: { sizes: '小微' } } },
    ...bodyErrors(),
    rateLimited({ body: { profile: {} } }),
  ],
  'POST /api/recommend': [
    {
      status: 200,
      why: 'a case description',
      body: { case: { description: '我们是大连的一家农商行，2025年推出“惠农快贷”，依托农户信用档案给种植户和合作社发放小额信用贷款，全年投放3.6亿元。也想问问能不能报点数成金。' } },
    },
    { status: 200, why: 'a description that fits no track (message)', body: { case: { description: '我们公司主要做餐饮连锁，想了解一下有什么活动。' } } },
    { status: 400, why: 'a description under 10 characters (invalid_request)', body: { case: { description: '银行' } } },
    ...bodyErrors(),
    rateLimited({ body: { case: { description: '我们是一家银行，做了普惠金融产品。' } } }),
  ],
  'POST /api/applications/check': [
    {
      status: 200,
      why: 'a draft with findings',
      body: {
        draft: {
          fields: { 案例名称: '数金科技基于隐私计算的普惠信贷风控平台应用', 案例简介: '简介', 案例创新点: '创新点说明' },
          sections: { 摘要: '摘要内容', 案例内容: '案例内容' },
          direction: '“数据要素×”金融创新案例',
          attachments: ['营业执照', '申报承诺函'],
          applicant: { name: '广州数金科技有限公司', foundedOn: '2019-05-01', jointApplicants: ['甲银行'], landedIn: ['广州'], implementedOn: '2024-06-01' },
        },
      },
    },
    { status: 400, why: 'an undefined draft field (invalid_request)', body: { draft: { fields: {}, sections: {}, colour: 'red' } } },
    ...bodyErrors(),
    rateLimited({ body: { draft: { fields: {}, sections: {} } } }),
  ],
  'POST /api/evals/run': [
    { ...admin({}), status: 202, why: 'starts a run', after: (ctx, body) => (ctx.runningRunId = body?.id) },
    { ...admin({}), status: 409, why: 'a run is already running (eval_running)' },
    ...adminErrors(),
    rateLimited(admin({})),
  ],
  'GET /api/evals/runs': [{ ...admin({}), status: 200, why: 'stored runs, the running one, thresholds' }, ...adminErrors(), rateLimited(admin({}))],
  'GET /api/evals/runs/{id}': [
    { ...admin({ path: (ctx) => `/api/evals/runs/${ctx.finishedRunId}` }), status: 200, why: 'a finished run with results and comparison' },
    { ...admin({ path: (ctx) => `/api/evals/runs/${ctx.runningRunId ?? 'not-started'}` }), status: 200, why: 'the running run (progress)' },
    { ...admin({ path: '/api/evals/runs/no-such-run' }), status: 404, why: 'an unknown run (eval_run_not_found)' },
    ...adminErrors({ path: '/api/evals/runs/no-such-run' }),
    rateLimited(admin({ path: '/api/evals/runs/no-such-run' })),
  ],
  'GET /api/admin/questions': [
    { ...admin({}), status: 200, why: 'recent questions' },
    { ...admin({ query: { answered: 'false', q: '股票', limit: '5', before: '2100-01-01T00:00:00Z' } }), status: 200, why: 'filtered' },
    ...adminErrors(),
    rateLimited(admin({})),
  ],
  'GET /api/admin/unanswered': [{ ...admin({}), status: 200, why: 'grouped unanswered questions' }, ...adminErrors(), rateLimited(admin({}))],
  'GET /api/conversations/{id}': [
    { status: 200, why: 'a stored conversation', path: (ctx) => `/api/conversations/${ctx.conversationId}` },
    { status: 404, why: 'an unknown conversation (conversation_not_found)', path: '/api/conversations/no-such-conversation' },
    rateLimited({ path: '/api/conversations/no-such-conversation' }),
  ],
  'GET /api/search': [
    { status: 200, why: 'a query', query: { q: '担保费补贴', k: '3' } },
    { status: 400, why: 'no q (invalid_request)' },
    { status: 400, why: 'k out of range (invalid_request)', query: { q: '续贷', k: '99' } },
    rateLimited({ query: { q: '续贷' } }),
  ],
  'POST /api/feedback': [
    { status: 201, why: 'feedback on a stored answer', body: (ctx: Ctx) => ({ messageId: ctx.messageId, helpful: false, comment: '想要具体地址' }) },
    { status: 400, why: 'helpful is not a boolean (invalid_request)', body: (ctx: Ctx) => ({ messageId: ctx.messageId, helpful: 'yes' }) },
    { status: 404, why: 'an unknown message (message_not_found)', body: { messageId: 'no-such-message', helpful: true } },
    ...bodyErrors(),
    rateLimited({ body: { messageId: 'm', helpful: true } }),
    storageFailure({ body: (ctx: Ctx) => ({ messageId: ctx.messageId, helpful: true }) }),
  ],
  'GET /api/documents': [{ status: 200, why: 'the corpus' }, rateLimited()],
  'GET /api/documents/{docId}': [
    { status: 200, why: 'a document', path: `/api/documents/${DOC_ID}` },
    { status: 404, why: 'an unknown document (document_not_found)', path: '/api/documents/no-such-document' },
    rateLimited({ path: `/api/documents/${DOC_ID}` }),
  ],
  'GET /api/admin/staff-answers': [
    { ...admin({}), status: 200, why: 'all staff answers' },
    { ...admin({ query: { status: 'pending' } }), status: 200, why: 'the pending ones' },
    { ...admin({ query: { status: 'nonsense' } }), status: 400, why: 'an unknown status (invalid_status)' },
    ...adminErrors(),
    rateLimited(admin({})),
  ],
  'GET /api/admin/catalogue-fields': [
    { ...admin({}), status: 200, why: 'all fields' },
    { ...admin({ query: { q: '金融兴辽 投票' } }), status: 200, why: 'filtered' },
    ...adminErrors(),
    rateLimited(admin({})),
  ],
  'GET /api/admin/staff-answers/export': [{ ...admin({}), status: 200, why: 'the approved answers as bank files' }, ...adminErrors(), rateLimited(admin({}))],
  'POST /api/admin/staff-answers': [
    { ...admin({ body: { kind: 'out_of_scope', question: '能帮我们代写申报材料吗', by: '张三' } }), status: 201, why: 'out of scope' },
    { ...admin({ body: (ctx: Ctx) => ({ kind: 'answer', question: '首贷中心是不是直接放款', by: '张三', ...ctx.clause }) }), status: 201, why: 'a whole clause of a document' },
    { ...admin({ body: (ctx: Ctx) => ({ kind: 'answer', question: '首贷中心是不是直接放款', by: '张三', docId: ctx.clause.docId, start: ctx.clause.start + 2, end: ctx.clause.end - 3 }) }), status: 400, why: 'half a sentence (span_not_clause)' },
    { ...admin({ body: { kind: 'maybe', question: '问题', by: '张三' } }), status: 400, why: 'an unknown kind (invalid_request)' },
    ...bodyErrors(admin({})),
    ...adminErrors({ body: { kind: 'out_of_scope', question: '问题', by: '张三' } }),
    rateLimited(admin({ body: { kind: 'out_of_scope', question: '问题', by: '张三' } })),
    storageFailure(admin({ body: { kind: 'out_of_scope', question: '存储故障时的问题', by: '张三' } })),
  ],
  'POST /api/admin/staff-answers/{id}/approve': review('approve'),
  'POST /api/admin/staff-answers/{id}/reject': review('reject'),
  'POST /api/admin/staff-answers/{id}/withdraw': review('withdraw'),
  'POST /v1/chat/completions': [
    { status: 200, why: 'a question (OpenAI chat completion)', body: { model: 'liaoning-policy', messages: [{ role: 'user', content: '信用修复平均要几天？' }] } },
    {
      status: 200,
      why: 'a follow-up, its earlier user message replayed',
      body: {
        model: 'liaoning-policy',
        messages: [
          { role: 'user', content: '小微企业能申请无还本续贷吗？' },
          { role: 'assistant', content: '可以。' },
          { role: 'user', content: [{ type: 'text', text: '那中型企业呢？' }] },
        ],
      },
    },
    { status: 200, why: 'a declined question (declined)', body: { model: 'liaoning-policy', messages: [{ role: 'user', content: '帮我推荐几只明天能涨的股票' }] } },
    { status: 400, why: 'no user message (invalid_request)', body: { model: 'liaoning-policy', messages: [{ role: 'system', content: '你好' }] } },
    { status: 404, why: 'another model (model_not_found)', body: { model: 'gpt-4o', messages: [{ role: 'user', content: '续贷' }] } },
    ...bodyErrors(),
    rateLimited({ body: { model: 'liaoning-policy', messages: [{ role: 'user', content: '续贷' }] } }),
    storageFailure({ body: { model: 'liaoning-policy', messages: [{ role: 'user', content: '信用修复平均要几天？' }] } }),
  ],
  'GET /v1/models': [{ status: 200, why: 'the one model' }, rateLimited()],
  'GET /v1/models/{model}': [
    { status: 200, why: 'the model', path: '/v1/models/liaoning-policy' },
    { status: 404, why: 'another model (model_not_found)', path: '/v1/models/gpt-4o' },
    rateLimited({ path: '/v1/models/liaoning-policy' }),
  ],
  // The static assets: checked when the document lists them (it need not: they are pages, not API operations).
  ...Object.fromEntries(['/', '/widget.js', '/demo.css', '/console', '/console.js', '/console.css', '/favicon.svg', '/favicon.ico'].map((p) => [`GET ${p}`, [{ status: 200, why: 'the asset' }]])),
};

/**
 * Documented statuses no request in the table produces, and why they cannot be produced in-process. A key is
 * `METHOD /path STATUS`, or `* STATUS` for every operation.
 */
const SKIPPED: Record<string, string> = {
  '* 408': 'request_timeout is the Node HTTP server’s (REQUEST_TIMEOUT_MS), before the app: app.request never meets it',
  '* 431': 'headers_too_large is the Node HTTP server’s, before the app',
  '* 500': 'internal_error only follows an unexpected failure (a bug); nothing in the table should provoke one',
  'GET /api/conversations/{id} 503': 'reads only: SQLite keeps reading when it refuses writes, so no storage failure can be provoked in-process',
  'GET /api/admin/questions 503': 'reads only (see GET /api/conversations/{id} 503)',
  'GET /api/admin/unanswered 503': 'reads only (see GET /api/conversations/{id} 503)',
  'GET /api/admin/staff-answers 503': 'reads only (see GET /api/conversations/{id} 503)',
  'GET /api/admin/staff-answers/export 503': 'reads only (see GET /api/conversations/{id} 503)',
  'GET /api/evals/runs 503': 'reads only (see GET /api/conversations/{id} 503)',
  'GET /api/evals/runs/{id} 503': 'reads only (see GET /api/conversations/{id} 503)',
  'POST /api/evals/run 503': 'starting a run writes nothing (the run itself writes later, in the background)',
  'POST /v1/chat/completions 401': 'the apps here set no API_KEYS, so /v1 is open; test/web/openai-compat.test.ts produces the 401s',
  'GET /v1/models 401': 'no API_KEYS here (see POST /v1/chat/completions 401)',
  'GET /v1/models/{model} 401': 'no API_KEYS here (see POST /v1/chat/completions 401)',
};

/** Served routes the document may leave out: the document itself and the static assets. */
const UNDOCUMENTED_OK = (key: string) => !/^[A-Z]+ \/(api\/|healthz$|readyz$)/.test(key);

// ─── The run ────────────────────────────────────────────────────────────────────────────────────────────────────────

let t: TestService;
let apps: Record<AppName, ReturnType<typeof createApp>>;
let doc: Json;
let validator: DocumentValidator;
const ctx = {} as Ctx;
let clients = 0;
/** What the table produced: operation key → status → the cases that got it. */
const produced = new Map<string, Map<number, string[]>>();
/** Cases that got another status than they were meant to: operation key → meant status → what they got. */
const missed = new Map<string, Map<number, string[]>>();
/** SSE events seen, and described, per operation key. */
const sseSeen = new Map<string, Set<string>>();
const sseDescribed = new Map<string, Set<string>>();

const silent = createLogger('silent');
const clientKey = (c: { req: { header(name: string): string | undefined } }) => c.req.header('x-test-client') ?? 'contract';

beforeAll(async () => {
  t = await startTestService({ ADMIN_TOKEN: TOKEN });
  const base = nodeAppDeps(t.services, silent, { clientKey });
  // POST /api/evals/run would run every eval set in the background (minutes): the stub starts nothing, but reports
  // its run as running the way the real one does, so the route's 202, 409 and progress responses are real.
  let running: { runId: string; done: number; total: number } | null = null;
  const evals = base.evals && {
    ...base.evals,
    start: () => {
      if (running) return { runId: running.runId, started: false };
      running = { runId: uuidv7(), done: 3, total: 10 };
      return { runId: running.runId, started: true };
    },
    progress: () => running,
  };
  apps = {
    main: createApp({ ...base, evals }),
    noAdmin: createApp(nodeAppDeps(t.services, silent, { clientKey, adminToken: undefined })),
    limited: createApp(nodeAppDeps(t.services, silent, { clientKey, rateLimitPerMinute: 1 })),
    storage: createApp(nodeAppDeps(t.services, silent, { clientKey })),
  };

  const res = await apps.main.request('/openapi.json');
  expect(res.status, 'GET /openapi.json').toBe(200);
  doc = await res.json();
  validator = new DocumentValidator(doc);

  // A stored conversation and message.
  const asked = await (await post('/api/ask', { question: '首贷中心一般设在哪里？' })).json();
  ctx.conversationId = asked.conversationId;
  ctx.messageId = asked.messageId;

  // A whole clause (a line) of the measures, and staff answers in the states the review routes need.
  const text = t.services.corpus.document(DOC_ID)!.text;
  const at = text.indexOf('推送至各银行机构');
  ctx.clause = { docId: DOC_ID, start: text.lastIndexOf('\n', at) + 1, end: text.indexOf('\n', at) };
  const staffAnswer = async (question: string) => {
    const created = await post('/api/admin/staff-answers', { kind: 'out_of_scope', question, by: '张三' }, AUTH);
    expect(created.status, `setting up a staff answer: ${await created.clone().text()}`).toBe(201);
    return (await created.json()).staffAnswer.id as string;
  };
  ctx.staff = {
    approve: await staffAnswer('能帮我们写可研报告吗'),
    reject: await staffAnswer('能帮我们找投资人吗'),
    withdraw: await staffAnswer('能帮我们做审计吗'),
    spare: await staffAnswer('能帮我们做账吗'),
    rejected: await staffAnswer('能帮我们代办营业执照吗'),
  };
  expect((await post(`/api/admin/staff-answers/${ctx.staff.rejected}/reject`, { by: '李四' }, AUTH)).status).toBe(200);

  ctx.finishedRunId = await storeSmallEvalRun();
}, 120_000);

afterAll(() => t?.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return apps.main.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A real eval run over two cases of each eval set, stored the way a full run is (src/runtime/node/eval-run.ts). */
async function storeSmallEvalRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'contract-evals-'));
  try {
    for (const name of ['qa.json', 'refusals.json', 'situations.json', 'tracks.json', 'applications.json']) {
      const set = JSON.parse(readFileSync(join(ROOT, 'evals', name), 'utf8'));
      writeFileSync(join(dir, name), JSON.stringify({ ...set, cases: set.cases.slice(0, 2) }));
    }
    writeFileSync(join(dir, 'config.json'), readFileSync(join(ROOT, 'evals', 'config.json')));
    const runId = uuidv7();
    await runEvalSets({ services: t.services, runId, evalsDir: dir, reportsDir: join(dir, 'reports'), out: () => {} }, { createServices, appClient: evalAppClient });
    return runId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends one case to its app; the response's status, content type and body text. */
async function send(key: string, c: Case): Promise<{ status: number; type: string; text: string }> {
  const [method, template] = key.split(' ');
  let path = c.path === undefined ? template : lazy(c.path, ctx);
  if (c.query) path += `?${new URLSearchParams(c.query)}`;
  const client = c.app === 'limited' ? `contract-limited-${++clients}` : 'contract';
  const headers: Record<string, string> = { 'x-test-client': client };
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(lazy(c.body, ctx)));
  if (body !== undefined) headers['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    if (value === '') delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  const app = apps[c.app ?? 'main'];
  if (c.app === 'limited') await app.request('/api/documents', { headers: { 'x-test-client': client } });
  if (c.app === 'storage') t.services.sqlite.pragma('query_only = ON');
  try {
    const res = await app.request(path, { method, headers, body });
    // (The whole body is read before writes are allowed again: a stream writes at its end.)
    const text = await res.text();
    return { status: res.status, type: (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase(), text };
  } finally {
    if (c.app === 'storage') t.services.sqlite.pragma('query_only = OFF');
  }
}

const record = <V,>(map: Map<string, Map<number, V[]>>, key: string, status: number, value: V) => {
  const byStatus = map.get(key) ?? new Map<number, V[]>();
  byStatus.set(status, [...(byStatus.get(status) ?? []), value]);
  map.set(key, byStatus);
};

/** The problems of one real response against the document: undocumented status or content type, a body off its schema. */
function check(op: Operation, c: Case, res: { status: number; type: string; text: string }): string[] {
  const label = `${labelOf(op)} answered ${res.status} to "${c.why}"`;
  const responses = op.op.responses ?? {};
  const statusKey = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((k) => k in responses);
  if (!statusKey) return [`${label}: status ${res.status} is not documented (documented: ${Object.keys(responses).join(', ') || 'none'}); body: ${res.text.slice(0, 200)}`];
  const { node: response, pointer } = deref(doc, responses[statusKey], `${op.pointer}/responses/${esc(statusKey)}`);
  const content: Record<string, Json> = response?.content ?? {};
  if (!res.text && !res.type) return [];
  const mediaKey =
    Object.keys(content).find((k) => k.toLowerCase() === res.type) ??
    Object.keys(content).find((k) => k === '*/*' || (k.endsWith('/*') && res.type.startsWith(k.slice(0, -1))));
  if (!mediaKey) return [`${label}: content type ${res.type || '(none)'} is not documented for ${statusKey} (documented: ${Object.keys(content).join(', ') || 'no content'})`];
  const media = content[mediaKey];
  const mediaPointer = `${pointer}/content/${esc(mediaKey)}`;

  if (res.type === 'text/event-stream') return checkStream(op, label, media, mediaPointer, res.text);
  if (!/[/+]json$/.test(res.type)) {
    return media?.schema === undefined ? [] : validator.errors(`${mediaPointer}/schema`, res.text).map((e) => `${label}: body does not match the ${mediaKey} schema: ${e}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return [`${label}: the ${res.type} body is not JSON: ${res.text.slice(0, 200)}`];
  }
  if (media?.schema === undefined) return [`${label}: ${statusKey} ${mediaKey} documents no schema for its body`];
  const errors = validator.errors(`${mediaPointer}/schema`, body);
  if (!errors.length) return [];
  const schema = media.schema.$ref ?? `#${mediaPointer}/schema`;
  return [`${label}: the body does not match its documented schema ${schema}:\n    ${errors.join('\n    ')}`];
}

/** Each event of an SSE body against the schema the document gives for that event. */
function checkStream(op: Operation, label: string, media: Json, pointer: string, text: string): string[] {
  const description = sseDescription(media, pointer);
  if ('problem' in description) return [`${label}: ${description.problem}`];
  if ('events' in description) sseDescribed.set(op.key, new Set(description.events.keys()));
  const events = parseSse(text);
  if (!events.length) return [`${label}: the stream has no events: ${text.slice(0, 200)}`];
  const problems = new Set<string>();
  const seen = sseSeen.get(op.key) ?? new Set<string>();
  sseSeen.set(op.key, seen);
  for (const event of events) {
    seen.add(event.event);
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      problems.add(`${label}: the data of event "${event.event}" is not JSON: ${event.data.slice(0, 120)}`);
      continue;
    }
    if ('item' in description) {
      const errors = validator.errors(description.item, { event: event.event, data, ...(event.id === undefined ? {} : { id: event.id }) });
      if (errors.length) problems.add(`${label}: event "${event.event}" does not match the stream's itemSchema:\n    ${errors.join('\n    ')}`);
      continue;
    }
    const schema = description.events.get(event.event);
    if (!schema) {
      problems.add(`${label}: event "${event.event}" is not described (described: ${[...description.events.keys()].join(', ')})`);
      continue;
    }
    const errors = validator.errors(schema, data);
    if (errors.length) problems.add(`${label}: the data of event "${event.event}" does not match its documented schema #${schema}:\n    ${errors.join('\n    ')}`);
  }
  return [...problems];
}

const fail = (heading: string, problems: string[]) => {
  if (problems.length) throw new Error(`${heading} (${problems.length}):\n- ${problems.join('\n- ')}`);
};

describe('/openapi.json is the contract of the running app', () => {
  it('is a structurally valid OpenAPI 3.1 document: version, unique operationIds, resolvable $refs, described responses', () => {
    fail('structural problems', structuralProblems(doc));
  });

  it('gives schemas that all compile with Ajv (JSON Schema 2020-12, with formats)', () => {
    const problems: string[] = [];
    for (const pointer of schemaPointers(doc)) {
      try {
        validator.compile(pointer);
      } catch (error) {
        problems.push(`#${pointer}: ${(error as Error).message}`);
      }
    }
    fail('schemas that do not compile', problems);
  });

  describe('every real response is documented and matches its schema', () => {
    for (const [key, cases] of Object.entries(TABLE)) {
      it(key, async ({ skip }) => {
        const op = operationsOf(doc).find((o) => o.key === key);
        // (Not documented: the coverage checks below say whether it must be.)
        if (!op) return skip();
        const problems: string[] = [];
        for (const c of cases) {
          const res = await send(key, c);
          record(produced, key, res.status, c.why);
          if (res.status !== c.status) record(missed, key, c.status, `"${c.why}" got ${res.status}: ${res.text.slice(0, 160)}`);
          if (res.status < 300 && c.after) c.after(ctx, res.type.endsWith('json') ? JSON.parse(res.text) : undefined);
          problems.push(...check(op, c, res));
        }
        fail(`responses of ${labelOf(op)} that break the document`, problems);
      });
    }
  });

  it('has every documented status produced by a request of the table, or skipped with a reason', () => {
    const problems: string[] = [];
    for (const op of operationsOf(doc)) {
      if (!TABLE[op.key]) continue; // (reported by the next test)
      for (const status of Object.keys(op.op.responses ?? {})) {
        if (!/^\d{3}$/.test(status)) continue;
        if (produced.get(op.key)?.has(Number(status)) || SKIPPED[`${op.key} ${status}`] || SKIPPED[`* ${status}`]) continue;
        const tried = missed.get(op.key)?.get(Number(status));
        problems.push(
          `${labelOf(op)} documents ${status}, which no request produced` +
            (tried ? `: the requests meant for it got another status:\n    ${tried.join('\n    ')}` : ' (add a request to TABLE, or the reason it cannot be produced to SKIPPED)'),
        );
      }
      for (const event of sseDescribed.get(op.key) ?? []) {
        if (!sseSeen.get(op.key)?.has(event)) problems.push(`${labelOf(op)} describes the SSE event "${event}", which no request produced`);
      }
    }
    fail('documented statuses no request produced', problems);
  });

  it('has requests in the table for every documented operation', () => {
    const missing = operationsOf(doc)
      .filter((op) => !TABLE[op.key])
      .map((op) => `${labelOf(op)}: no requests in TABLE (test/web/contract.test.ts)`);
    fail('documented operations the table does not exercise', missing);
  });

  it('documents every route the app serves under /api, /healthz and /readyz, and serves every documented one', () => {
    const served = servedRoutes(apps.main.routes);
    const documented = new Set(operationsOf(doc).map((op) => op.key));
    const problems = [
      ...[...served].filter((key) => !documented.has(key) && !UNDOCUMENTED_OK(key)).map((key) => `${key} is served but not in /openapi.json`),
      ...[...documented].filter((key) => !served.has(key)).map((key) => `${key} is documented but the app does not serve it`),
      ...Object.keys(TABLE)
        .filter((key) => !served.has(key))
        .map((key) => `TABLE has ${key}, which the app does not serve`),
    ];
    fail('routes and document disagree', problems);
  });

  it('generates a typed client (openapi-typescript) that test/support/contract-client-usage.ts compiles against (tsc)', async () => {
    const usage = join(ROOT, 'test/support/contract-client-usage.ts');
    const result = await compileClientUsage(doc, usage, ROOT);
    if (result.status !== 0) {
      throw new Error(`tsc exited ${result.status} compiling ${usage} against the types generated from /openapi.json:\n${result.output}`);
    }
  }, 120_000);

  it('runs the usage file’s calls through openapi-fetch against the app', async () => {
    const readings = await exerciseClient({ baseUrl: 'http://contract.test', fetch: (request) => Promise.resolve(apps.main.request(request)), adminToken: TOKEN, docId: DOC_ID });
    expect(readings.answer.length).toBeGreaterThan(0);
    expect(readings.measures?.length).toBeGreaterThan(0);
    expect(readings.quote).toBeTruthy();
    expect(readings.searchDocId).toBeTruthy();
    expect(readings.documentTitle).toBe(t.services.corpus.document(DOC_ID)!.title);
    expect(readings.feedbackId).toBeTruthy();
    expect(readings.staffAnswers).toBeGreaterThan(0);
  });
});
