import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { z } from 'zod';
import type { AnswerService } from '../answer/service.ts';
import type { Answer, Citation } from '../answer/types.ts';
import { verifiedCitations } from '../answer/verify.ts';
import { uuidv7 } from '../ids.ts';
import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import type { ConversationStore } from '../db/store.ts';
import type { Retriever } from '../search/retriever.ts';
import { BodyTooLargeError, readBodyText, type BodyReader } from './body.ts';
import { cors } from './cors.ts';
import { sendError, validationMessage } from './errors.ts';
import type { Logger } from './log.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { fixedWindow, rateLimit, type RateLimiter } from './rate-limit.ts';
import { requestId } from './request-id.ts';
import { httpsUrl, securityHeaders } from './security.ts';
import type { RuleEngine } from '../rules/engine.ts';
import type { TrackMatcher } from '../match/matcher.ts';
import type { EvalStore } from '../db/eval-store.ts';
import { requireAdmin } from './admin.ts';
import { staffRoutes, type StaffDeps } from './staff.ts';
import { applicationDraftSchema, type ApplicationChecker } from '../match/application-check.ts';
import { runCheckup } from '../rules/checkup.ts';
import { profileFacts } from '../rules/profile.ts';
import type { SituationState } from '../rules/situation.ts';
import type { Frame } from '../understand/frame.ts';
import { errorCode, storageFailure } from '../db/health.ts';
import { readinessRoutes, sendStorageUnavailable, storageUnavailable, type Readiness } from './readiness.ts';
import {
  askRequestSchema,
  checkupRequestSchema,
  recommendRequestSchema,
  feedbackRequestSchema,
  searchQuerySchema,
  type askResponseSchema,
} from './schemas.ts';

export interface AppDeps {
  corpus: Corpus;
  retriever: Retriever;
  answers: AnswerService;
  store: ConversationStore;
  logger: Logger;
  embedderId: string;
  /** Requests per client per minute on /api; 0 turns limiting off. */
  rateLimitPerMinute: number;
  /** A limiter shared beyond this process (the Workers binding) in place of the in-memory window of rateLimitPerMinute. */
  rateLimiter?: RateLimiter;
  /** Origins allowed to call the API from a browser; ['*'] for any. */
  allowedOrigins: string[];
  /** The client's address, for rate limiting and the request log (src/web/client-address.ts reads it through proxies). */
  clientKey: (c: Context) => string;
  /** Whether the request came over TLS, which decides HSTS; the URL's scheme by default. */
  overTls?: (c: Context) => boolean;
  /** The rule engine behind situation answers and the check-up. */
  rules?: RuleEngine;
  /** The 点数成金 application checker behind /api/applications/check. */
  applications?: ApplicationChecker;
  /** Marks the messages this app stores: an eval run's own app says 'eval'. */
  messageSource?: 'user' | 'eval';
  /** The widget, its demo page and the staff console, as the runtime ships them. */
  assets?: Partial<Record<'widget.js' | 'demo.html' | 'demo.css' | 'console.html' | 'console.css' | 'console.js' | 'favicon.svg', string>>;
  /** Eval runs: stored history, and a way to start one (admin). */
  evals?: {
    store: EvalStore;
    start(): { runId: string; started: boolean };
    progress(): { runId: string; done: number; total: number } | null;
    /** The thresholds a run must meet (evals/config.json). */
    thresholds?: Record<string, number>;
  };
  adminToken?: string;
  /** Staff answers: the console's review list and the chat's approved answers (src/web/staff.ts). */
  staff?: StaffDeps;
  /** Readiness (GET /readyz): the database takes writes, the vector index is loaded (src/web/readiness.ts). */
  readiness?: Readiness;
  /** The campaign-track matcher behind /api/recommend. */
  matcher?: TrackMatcher;
  /** Today's date (YYYY-MM-DD, China time), from the injected clock. */
  today: () => string;
  /** How the runtime reads a request body; the Fetch API request by default. */
  readBody?: BodyReader;
  newId?: () => string;
}

const BODY_LIMIT = 64 * 1024;

/** The service's HTTP interface, free of any runtime: Node and Workers each wire their own deps in. */
export function createApp(deps: AppDeps) {
  const { corpus, retriever, answers, store, logger } = deps;
  const newId = deps.newId ?? (() => uuidv7());
  const readJson = jsonReader(deps.readBody ?? readBodyText);
  const app = new Hono();

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      client: deps.clientKey(c),
      ms: Math.round((performance.now() - started) * 100) / 100,
    });
  });
  app.use(securityHeaders({ overTls: deps.overTls ?? httpsUrl }));
  app.use(
    '/api/*',
    cors({
      origins: deps.allowedOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      headers: ['Content-Type', 'Accept', 'Authorization'],
      maxAge: 600,
    }),
  );
  if (deps.rateLimitPerMinute > 0) {
    app.use('/api/*', rateLimit({ limiter: deps.rateLimiter ?? fixedWindow({ perMinute: deps.rateLimitPerMinute }), clientKey: deps.clientKey }));
  }

  if (deps.readiness) app.route('/readyz', readinessRoutes(deps.readiness));

  app.get('/healthz', (c) =>
    c.json({
      ok: true as const,
      mode: answers.mode,
      documents: corpus.documents.length,
      chunks: corpus.chunks.length,
      corpusHash: corpus.hash,
      embedder: deps.embedderId,
      lexicalKernel: deps.retriever.bm25.kernel,
    }),
  );

  app.get('/openapi.json', (c) => c.json(buildOpenApiDocument()));

  app.post('/api/ask', async (c) => {
    const body = await readJson(c, askRequestSchema);
    if (body instanceof Response) return body;

    let conversationId = body.conversationId;
    let previousTopic: string | undefined;
    let previousSituation: SituationState | undefined;
    let previousFrame: Frame | undefined;
    const newConversation = conversationId === undefined;
    if (conversationId !== undefined) {
      if (!(await store.conversationExists(conversationId))) {
        return sendError(c, 404, 'conversation_not_found', '找不到这个会话，请不带 conversationId 重新提问以开始新会话。');
      }
      const last = await store.lastMessage(conversationId);
      previousTopic = last?.topic;
      previousSituation = (last?.situation as SituationState | null) ?? undefined;
      previousFrame = (last?.frame as Frame | null) ?? undefined;
    } else {
      conversationId = newId();
    }

    const started = performance.now();
    const profile = body.profile ? profileFacts(body.profile, deps.today()) : undefined;
    const input = { question: body.question, previousTopic, previousSituation, previousFrame, profile };
    await deps.staff?.refresh();

    /** Checks, stores and shapes a finished answer: the same for JSON and for the end of a stream. */
    const finish = async (answer: Answer) => {
      // Last check before anything leaves the server: every quote is a verbatim span.
      const citations = verifiedCitations(corpus, answer.citations);
      if (citations.length !== answer.citations.length) throw new Error('an unverifiable quote reached the response');
      const related = answer.related ? verifiedCitations(corpus, answer.related) : [];
      if (related.length !== (answer.related?.length ?? 0)) throw new Error('an unverifiable related quote reached the response');
      const latencyMs = performance.now() - started;
      // (The logger masks personal data in every string it writes.)
      if (answer.checks?.dropped.length) logger.info('llm_sentences_dropped', { shown: answer.checks.shown, dropped: answer.checks.dropped });

      const messageId = newId();
      await store.saveMessage(
        {
          id: messageId,
          conversationId: conversationId!,
          // (The store masks personal numbers in every free-text field, the frame's and checks' words included.)
          question: body.question,
          answer: answer.answer,
          answerable: answer.answerable,
          declineReason: answer.declineReason ?? null,
          citations,
          mode: answer.mode,
          latencyMs,
          topic: answer.topic,
          coverage: answer.coverage,
          situation: answer.situation ?? null,
          frame: answer.frame ?? null,
          // What the claim checks dropped from a model's draft, and why.
          checks: answer.checks ?? null,
          source: deps.messageSource ?? 'user',
          createdAt: new Date(),
        },
        newConversation,
      );

      const response: z.infer<typeof askResponseSchema> = {
        answer: answer.answer,
        answerable: answer.answerable,
        citations,
        conversationId: conversationId!,
        messageId,
        mode: answer.mode,
        ...(answer.declineReason ? { declineReason: answer.declineReason } : {}),
        ...(related.length ? { related } : {}),
        ...(answer.frame ? { understood: answers.understood(answer.frame) } : {}),
        ...(answer.situation?.topic || answer.situation?.outcome ? { situation: { ...answer.situation, facts: { ...answer.situation.facts } } } : {}),
        ...(answer.tracks ? { tracks: answer.tracks } : {}),
        ...(answer.suggestions?.length ? { suggestions: answer.suggestions } : {}),
        ...(answer.via ? { via: answer.via } : {}),
        ...(answer.checks
          ? {
              checks: {
                sentences: answer.checks.sentences,
                shown: answer.checks.shown,
                dropped: answer.checks.dropped.reduce<Record<string, number>>((n, d) => ({ ...n, [d.reason]: (n[d.reason] ?? 0) + 1 }), {}),
                fallback: answer.checks.fallback !== undefined,
              },
            }
          : {}),
      };
      return response;
    };

    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return c.json(await finish(await answers.answer(input)));
    const sse = streamSSE(
      c,
      async (stream) => {
        // A model's sentences go out as they pass the claim checks, while it is still writing; an extractive answer
        // (or a model answer that fell back to it) is sent in pieces once done. `done` always carries the final answer.
        let streamed = 0;
        let writing = Promise.resolve();
        const onSentence = (sentence: { text: string; citations: Citation[] }) => {
          const citations = verifiedCitations(corpus, sentence.citations);
          if (citations.length !== sentence.citations.length) return;
          streamed++;
          writing = writing.then(() => stream.writeSSE({ event: 'token', data: JSON.stringify({ text: sentence.text, citations }) }));
        };
        const answer = await answers.answer({ ...input, onSentence });
        await writing;
        const response = await finish(answer);
        if (streamed === 0 || answer.mode !== 'llm') {
          for (const piece of tokensOf(answer.answer)) await stream.writeSSE({ event: 'token', data: JSON.stringify({ text: piece }) });
        }
        await stream.writeSSE({ event: 'done', data: JSON.stringify(response) });
      },
      async (error, stream) => {
        // (A stream's failure never reaches onError: a storage failure is said here the same way.)
        const storage = storageFailure(error);
        if (storage) deps.readiness?.noteFailure(error);
        logger.error('ask_stream_failed', { message: error.message, ...(storage ? { code: errorCode(error) } : {}) });
        const failure = storage ? storageUnavailable : { code: 'internal', message: '回答生成失败，请稍后再试。' };
        await stream.writeSSE({ event: 'error', data: JSON.stringify({ error: failure }) });
      },
    );
    // Say the charset: some clients read an unlabelled stream as Latin-1.
    sse.headers.set('Content-Type', 'text/event-stream; charset=utf-8');
    return sse;
  });

  app.post('/api/checkup', async (c) => {
    const body = await readJson(c, checkupRequestSchema);
    if (body instanceof Response) return body;
    if (!deps.rules) return sendError(c, 404, 'not_found', '政策体检未启用。');
    return c.json(runCheckup(deps.rules, body.profile, deps.today()));
  });

  app.post('/api/recommend', async (c) => {
    const body = await readJson(c, recommendRequestSchema);
    if (body instanceof Response) return body;
    if (!deps.matcher) return sendError(c, 404, 'not_found', '赛道推荐未启用。');
    const { description, campaign, ...stated } = body.case;
    const result = deps.matcher.match(description, { ...stated, ...(campaign ? { namedCampaigns: [campaign] } : {}) });
    for (const r of result.recommendations) {
      if (verifiedCitations(corpus, r.citations).length !== r.citations.length) throw new Error('an unverifiable quote reached a recommendation');
    }
    return c.json({ recommendations: result.recommendations, facts: result.facts, ...(result.message ? { message: result.message } : {}) });
  });

  app.post('/api/applications/check', async (c) => {
    const body = await readJson(c, applicationDraftSchema);
    if (body instanceof Response) return body;
    if (!deps.applications) return sendError(c, 404, 'not_found', '申报书检查未启用。');
    const result = deps.applications.check(body.draft);
    const citations = result.findings.map((f) => f.citation);
    if (verifiedCitations(corpus, citations).length !== citations.length) throw new Error('an unverifiable quote reached a checker finding');
    return c.json(result);
  });

  app.get('/api/evals/runs', requireAdmin(deps.adminToken), async (c) => {
    if (!deps.evals) return sendError(c, 404, 'not_found', '评测未启用。');
    const limit = Math.min(500, Math.max(1, Math.floor(Number(c.req.query('limit') ?? 50)) || 50));
    return c.json({ runs: await deps.evals.store.listRuns(limit), running: deps.evals.progress(), thresholds: deps.evals.thresholds ?? {} });
  });

  app.get('/api/evals/runs/:id', requireAdmin(deps.adminToken), async (c) => {
    if (!deps.evals) return sendError(c, 404, 'not_found', '评测未启用。');
    const id = c.req.param('id');
    const running = deps.evals.progress();
    if (running?.runId === id) return c.json({ id, status: 'running', done: running.done, total: running.total });
    const run = await deps.evals.store.getRun(id);
    if (!run) return sendError(c, 404, 'eval_run_not_found', '找不到这次评测。');
    const [results, comparison] = await Promise.all([deps.evals.store.resultsOf(id), deps.evals.store.compareWithPrevious(run)]);
    return c.json({ ...run, status: 'finished', results, comparison });
  });

  app.post('/api/evals/run', requireAdmin(deps.adminToken), async (c) => {
    if (!deps.evals) return sendError(c, 404, 'not_found', '评测未启用。');
    const { runId, started } = deps.evals.start();
    if (!started) return sendError(c, 409, 'eval_running', '已有评测正在运行，请稍后再试。');
    return c.json({ id: runId, status: 'running' }, 202);
  });

  app.get('/api/admin/questions', requireAdmin(deps.adminToken), async (c) => {
    const answered = c.req.query('answered');
    const limit = Math.min(500, Math.max(1, Math.floor(Number(c.req.query('limit') ?? 100)) || 100));
    const before = c.req.query('before');
    const rows = await store.recentMessages({
      answered: answered === 'true' ? true : answered === 'false' ? false : undefined,
      contains: c.req.query('q')?.slice(0, 100) || undefined,
      before: before && !Number.isNaN(Date.parse(before)) ? new Date(before) : undefined,
      limit,
    });
    return c.json({ questions: rows });
  });

  app.get('/api/admin/unanswered', requireAdmin(deps.adminToken), async (c) => {
    const rows = await store.recentMessages({ answered: false, limit: 1000 });
    const subjectOf = (frame: unknown) => {
      const subjects = (frame as Frame | null)?.subjects;
      return subjects?.length ? answers.understood(frame as Frame).subjects[0] : undefined;
    };
    const questions = rows.filter((r) => r.declineReason !== 'manipulation').map(({ frame, ...r }) => ({ ...r, subject: subjectOf(frame) }));
    return c.json({ groups: groupUnanswered(questions, retriever) });
  });

  app.get('/api/conversations/:id', async (c) => {
    const id = c.req.param('id');
    if (id.length > 64 || !(await store.conversationExists(id))) {
      return sendError(c, 404, 'conversation_not_found', '找不到这个会话。');
    }
    const rows = await store.messagesOf(id);
    // The newest answer offers its follow-up suggestions again, as it did when it was given.
    const newest = rows.at(-1);
    const suggestions = newest?.answerable ? answers.suggestionsFor(newest.frame as Frame | null, newest.citations as Citation[]) : [];
    return c.json({
      conversationId: id,
      messages: rows.map((m) => ({
        messageId: m.id,
        question: m.question,
        answer: m.answer,
        answerable: m.answerable,
        citations: m.citations,
        mode: m.mode,
        createdAt: m.createdAt.toISOString(),
        ...(m === newest && suggestions.length ? { suggestions } : {}),
      })),
    });
  });

  app.get('/api/search', async (c) => {
    const parsed = searchQuerySchema.safeParse({ q: c.req.query('q'), k: c.req.query('k') || undefined });
    if (!parsed.success) return sendError(c, 400, 'invalid_request', validationMessage(parsed.error));
    const hits = await retriever.retrieve(parsed.data.q, { k: parsed.data.k });
    return c.json({
      query: parsed.data.q,
      results: hits.map((h, i) => ({
        rank: i + 1,
        chunkId: h.chunk.id,
        docId: h.chunk.docId,
        title: corpus.document(h.chunk.docId)!.title,
        section: sectionLabel(h.chunk),
        text: h.chunk.text,
        start: h.chunk.start,
        end: h.chunk.end,
        score: round(h.score),
        bm25: round(h.bm25),
        vector: round(h.vector),
      })),
    });
  });

  app.post('/api/feedback', async (c) => {
    const body = await readJson(c, feedbackRequestSchema);
    if (body instanceof Response) return body;
    if (!(await store.getMessage(body.messageId))) {
      return sendError(c, 404, 'message_not_found', '找不到要评价的回答，请确认 messageId。');
    }
    const id = newId();
    await store.saveFeedback({ id, messageId: body.messageId, helpful: body.helpful, comment: body.comment || undefined, createdAt: new Date() });
    return c.json({ ok: true as const, id }, 201);
  });

  app.get('/api/documents', (c) => c.json(corpus.documents.map(summary)));

  app.get('/api/documents/:docId', (c) => {
    const doc = corpus.document(c.req.param('docId'));
    if (!doc) return sendError(c, 404, 'document_not_found', '找不到这份文件，请从 /api/documents 的列表中选择。');
    return c.json({
      ...summary(doc),
      text: doc.text,
      sections: doc.sections.map((s) => ({ id: s.id, path: s.path, title: s.title, kind: s.kind, start: s.start, end: s.end, depth: s.depth })),
    });
  });

  const asset = (name: keyof NonNullable<AppDeps['assets']>, type: string) => (c: Context) => {
    const body = deps.assets?.[name];
    if (body === undefined) return sendError(c, 404, 'not_found', '页面不存在。');
    c.header('Content-Type', type);
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(body);
  };
  app.get('/', asset('demo.html', 'text/html; charset=utf-8'));
  app.get('/widget.js', asset('widget.js', 'text/javascript; charset=utf-8'));
  app.get('/demo.css', asset('demo.css', 'text/css; charset=utf-8'));
  app.get('/console', asset('console.html', 'text/html; charset=utf-8'));
  app.get('/console.js', asset('console.js', 'text/javascript; charset=utf-8'));
  app.get('/console.css', asset('console.css', 'text/css; charset=utf-8'));
  // (Browsers ask for /favicon.ico on their own; the SVG answers both.)
  app.get('/favicon.svg', asset('favicon.svg', 'image/svg+xml'));
  app.get('/favicon.ico', asset('favicon.svg', 'image/svg+xml'));

  if (deps.staff) staffRoutes(app, { staff: deps.staff, corpus, adminToken: deps.adminToken, newId }, readJson);

  app.notFound((c) => sendError(c, 404, 'not_found', '没有这个接口，请查看 /openapi.json。'));
  app.onError((error, c) => {
    // A malformed percent-encoding in the path or query (%C0%AF) is the client's mistake.
    if (error instanceof URIError) return sendError(c, 400, 'invalid_encoding', '请求地址中含有无效的编码，请检查参数。');
    // A full disk, a read-only or unreachable database: 503 in Chinese, and /readyz says not ready.
    if (storageFailure(error)) {
      deps.readiness?.noteFailure(error);
      logger.error('storage_unavailable', { requestId: c.get('requestId'), path: c.req.path, code: errorCode(error) });
      return sendStorageUnavailable(c);
    }
    logger.error('unhandled', { requestId: c.get('requestId'), path: c.req.path, message: error.message });
    return sendError(c, 500, 'internal_error', '服务内部出错，请稍后再试。');
  });
  return app;
}

/**
 * Unanswered questions grouped by what they are about: the subject the question reader found (a campaign, a
 * measure, a platform …), else their two weightiest content words; biggest group first: what users ask that
 * the corpus lacks.
 */
function groupUnanswered(
  rows: Array<{ question: string; createdAt: Date; declineReason: string | null; subject?: { id: string; name: string } }>,
  retriever: Retriever,
) {
  const groups = new Map<string, { topic: string; subject?: { id: string; name: string }; count: number; reasons: Record<string, number>; questions: string[]; last: Date }>();
  const keywords = (question: string) =>
    retriever
      .analyze(question)
      .content.map((t) => ({ term: t.term, weight: retriever.idf(t.term) }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 2)
      .map((t) => t.term)
      .sort()
      .join(' · ') || '（无主题词）';
  for (const r of rows) {
    const key = r.subject ? `subject:${r.subject.id}` : keywords(r.question);
    const g = groups.get(key) ?? { topic: r.subject?.name ?? key, ...(r.subject ? { subject: r.subject } : {}), count: 0, reasons: {}, questions: [], last: r.createdAt };
    g.count++;
    g.reasons[r.declineReason ?? 'unknown'] = (g.reasons[r.declineReason ?? 'unknown'] ?? 0) + 1;
    if (g.questions.length < 5 && !g.questions.includes(r.question)) g.questions.push(r.question);
    if (r.createdAt > g.last) g.last = r.createdAt;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, 100);
}

function summary(doc: Corpus['documents'][number]) {
  return { docId: doc.id, title: doc.title, issuer: doc.issuer, published: doc.published, kind: doc.kind, region: doc.region };
}

/** Parses a JSON body against a schema; a Response (4xx) when it is not acceptable. */
function jsonReader(readBody: BodyReader) {
  return async <T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T> | Response> => {
    const type = c.req.header('content-type') ?? '';
    if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type) && !type.startsWith('text/plain')) {
      return sendError(c, 415, 'unsupported_media_type', '请求体须为 JSON（Content-Type: application/json）。');
    }
    let text: string;
    try {
      text = await readBody(c, BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return sendError(c, 413, 'payload_too_large', `请求内容过大，请控制在${BODY_LIMIT / 1024}KB以内。`);
      }
      return sendError(c, 400, 'invalid_body', '请求体读取失败，请重试。');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return sendError(c, 400, 'invalid_json', '请求体不是有效的 JSON，请检查格式。');
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return sendError(c, 400, 'invalid_request', validationMessage(parsed.error));
    return parsed.data;
  };
}

/** Splits an answer into small pieces for streaming, never inside a [n] marker. */
export function tokensOf(text: string): string[] {
  return text.match(/\[\d+\]|[^[]{1,12}|\[/g) ?? [];
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
