import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AnswerService } from '../answer/service.ts';
import { Conversations } from '../chat/conversation.ts';
import type { Corpus } from '../corpus/corpus.ts';
import { errorCode, storageFailure } from '../db/health.ts';
import type { ConversationStore } from '../db/store.ts';
import { uuidv7 } from '../ids.ts';
import type { ApplicationChecker } from '../match/application-check.ts';
import type { TrackMatcher } from '../match/matcher.ts';
import type { RuleEngine } from '../rules/engine.ts';
import type { Retriever } from '../search/retriever.ts';
import { ADMIN_SECURITY_SCHEME } from './admin.ts';
import { readBodyText, type BodyReader } from './body.ts';
import { cors } from './cors.ts';
import { sendError } from './errors.ts';
import { ApiError, invalidJson, router } from './http.ts';
import type { Logger } from './log.ts';
import { fixedWindow, rateLimit, type RateLimiter } from './rate-limit.ts';
import { sendStorageUnavailable, type Readiness } from './readiness.ts';
import { requestId } from './request-id.ts';
import { adminRoutes } from './routes/admin.ts';
import { askRoutes } from './routes/ask.ts';
import { assetRoutes, type Assets } from './routes/assets.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { checkupRoutes } from './routes/checkup.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { documentRoutes } from './routes/documents.ts';
import { evalRoutes, type EvalsDeps } from './routes/evals.ts';
import { healthRoutes } from './routes/health.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { isOpenAiPath, OpenAiError, openAiNotFound, openAiRateLimited, openAiRoutes, sendOpenAiError, sendOpenAiStorageUnavailable } from './routes/openai.ts';
import { httpsUrl, securityHeaders } from './security.ts';
import type { StaffDeps } from './staff.ts';

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
  rules: RuleEngine;
  /** The campaign-track matcher behind /api/recommend. */
  matcher: TrackMatcher;
  /** The 点数成金 application checker behind /api/applications/check; absent while its campaign is disabled. */
  applications?: ApplicationChecker;
  /** Marks the messages this app stores: an eval run's own app says 'eval'. */
  messageSource?: 'user' | 'eval';
  /** The widget, its demo page and the staff console, as the runtime ships them. */
  assets?: Assets;
  /** Eval runs (admin): stored history, and a way to start one; the routes are served when given. */
  evals?: EvalsDeps;
  adminToken?: string;
  /** Keys the OpenAI-compatible API (/v1) requires as `Authorization: Bearer <key>` (API_KEYS); none: /v1 is open, like /api. */
  apiKeys?: string[];
  /** Staff answers: the console's review list and the chat's approved answers (src/web/staff.ts). */
  staff?: StaffDeps;
  /** Readiness (GET /readyz): the database takes writes, the vector index is loaded (src/web/readiness.ts). */
  readiness?: Readiness;
  /** Today's date (YYYY-MM-DD, China time), from the injected clock. */
  today: () => string;
  /** How the runtime reads a request body; the Fetch API request by default. */
  readBody?: BodyReader;
  newId?: () => string;
}

/**
 * The service's HTTP interface, free of any runtime: Node and Workers each wire their own deps in. Each area of the
 * API is a router in src/web/routes, declared with @hono/zod-openapi, so /openapi.json is generated from the same
 * schemas that validate requests; handlers throw ApiError and the one onError below renders every failure (under /v1,
 * the OpenAI-compatible API, in OpenAI's error shape).
 */
export function createApp(deps: AppDeps) {
  const { corpus, retriever, answers, store, logger } = deps;
  const newId = deps.newId ?? (() => uuidv7());
  const readBody = deps.readBody ?? readBodyText;
  const conversations = new Conversations({ corpus, answers, store, logger, today: deps.today, newId, source: deps.messageSource, staff: deps.staff });
  const app = router();

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
  const corsOptions = { origins: deps.allowedOrigins, methods: ['GET', 'POST', 'OPTIONS'], headers: ['Content-Type', 'Accept', 'Authorization'], maxAge: 600 };
  app.use('/api/*', cors(corsOptions));
  // (The openai SDK in a browser also sends its own headers, which a preflight must allow.)
  app.use('/v1/*', cors({ ...corsOptions, headers: [...corsOptions.headers, ...OPENAI_SDK_HEADERS] }));
  // (An MCP client in a browser sends its protocol version and, with sessions, their id.)
  app.use('/mcp', cors({ ...corsOptions, headers: [...corsOptions.headers, 'Mcp-Protocol-Version', 'Mcp-Session-Id', 'Last-Event-ID'] }));
  if (deps.rateLimitPerMinute > 0) {
    // One count per client for /api and /v1 together.
    const limiter = deps.rateLimiter ?? fixedWindow({ perMinute: deps.rateLimitPerMinute });
    app.use('/api/*', rateLimit({ limiter, clientKey: deps.clientKey }));
    app.use('/v1/*', rateLimit({ limiter, clientKey: deps.clientKey, refuse: openAiRateLimited }));
    app.use('/mcp', rateLimit({ limiter, clientKey: deps.clientKey }));
  }

  app.route('/', healthRoutes({ corpus, retriever, answers, embedderId: deps.embedderId, readiness: deps.readiness }));
  app.route('/api/ask', askRoutes({ conversations, corpus, logger, readBody, readiness: deps.readiness }));
  app.route('/api/checkup', checkupRoutes({ rules: deps.rules, today: deps.today, readBody }));
  app.route('/api', campaignRoutes({ corpus, readBody, matcher: deps.matcher, applications: deps.applications }));
  app.route('/api', conversationRoutes({ conversations, store, newId, readBody }));
  app.route('/api', documentRoutes({ corpus, retriever }));
  if (deps.evals) app.route('/api/evals', evalRoutes({ evals: deps.evals, adminToken: deps.adminToken }));
  app.route('/api/admin', adminRoutes({ store, answers, retriever, corpus, adminToken: deps.adminToken, staff: deps.staff, newId, readBody }));
  app.route('/v1', openAiRoutes({ conversations, corpus, logger, readBody, readiness: deps.readiness, apiKeys: deps.apiKeys }));
  app.route('/mcp', mcpRoutes({ conversations, corpus, retriever, matcher: deps.matcher, applications: deps.applications, rules: deps.rules, today: deps.today, logger, readiness: deps.readiness }));
  app.route('/', assetRoutes(deps.assets));

  app.openAPIRegistry.registerComponent('securitySchemes', 'adminBearer', ADMIN_SECURITY_SCHEME);
  let document: unknown;
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: '辽宁金融支持民营经济政策问答服务',
        version: '0.1.0',
        description: '依据政策原文逐字引用作答的检索问答接口。所有错误返回 {"error": {"code", "message"}}，message 为中文。',
      },
    });
    return c.json(document);
  });

  app.notFound((c) => (isOpenAiPath(c.req.path) ? openAiNotFound(c) : sendError(c, 404, 'not_found', '没有这个接口，请查看 /openapi.json。')));
  app.onError((error, c) => {
    // Under /v1 every failure is said in OpenAI's error shape (with the field it is about, when known).
    const openAi = isOpenAiPath(c.req.path);
    const send = (status: ContentfulStatusCode, code: string, message: string) =>
      openAi ? sendOpenAiError(c, status, code, message, error instanceof OpenAiError ? error.param : null) : sendError(c, status, code, message);
    const refusal = error instanceof ApiError ? error : invalidJson(error);
    if (refusal) return send(refusal.status, refusal.code, refusal.message);
    // Hono's own refusals (bearer-auth's, already shaped as the path's; a media type the route does not take).
    if (error instanceof HTTPException) return error.res ?? send(error.status, error.status === 415 ? 'unsupported_media_type' : 'invalid_request', '请求不正确，请检查后重试。');
    // A malformed percent-encoding in the path or query (%C0%AF) is the client's mistake.
    if (error instanceof URIError) return send(400, 'invalid_encoding', '请求地址中含有无效的编码，请检查参数。');
    // A full disk, a read-only or unreachable database: 503 in Chinese, and /readyz says not ready.
    if (storageFailure(error)) {
      deps.readiness?.noteFailure(error);
      logger.error('storage_unavailable', { requestId: c.get('requestId'), path: c.req.path, code: errorCode(error) });
      return openAi ? sendOpenAiStorageUnavailable(c) : sendStorageUnavailable(c);
    }
    logger.error('unhandled', { requestId: c.get('requestId'), path: c.req.path, message: error.message });
    return send(500, 'internal_error', '服务内部出错，请稍后再试。');
  });
  return app;
}

/** The request headers the openai SDK sends besides the standard ones (a browser's preflight asks for them). */
const OPENAI_SDK_HEADERS = [
  'OpenAI-Organization',
  'OpenAI-Project',
  'X-Stainless-Lang',
  'X-Stainless-Package-Version',
  'X-Stainless-OS',
  'X-Stainless-Arch',
  'X-Stainless-Runtime',
  'X-Stainless-Runtime-Version',
  'X-Stainless-Retry-Count',
  'X-Stainless-Timeout',
];
