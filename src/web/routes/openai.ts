/**
 * The OpenAI-compatible face of the service, mounted at /v1, so the official `openai` SDK (and any client of the
 * Chat Completions API) works unchanged: POST /v1/chat/completions and GET /v1/models(/{model}).
 *
 * - The model id names the service ({@link MODEL_ID}); any other is a 404 `model_not_found`.
 * - `messages` is the conversation. The last user message is the question; the earlier user messages (at most
 *   {@link MAX_USER_TURNS} in all, the newest) are replayed in order in one new conversation, each answered and stored
 *   as /api/ask would, so the last one is asked with the follow-up context they establish (subject, situation, frame).
 *   System and assistant messages are read for nothing: the service keeps its own context.
 * - `choices[0].message.content` is the answer with its [n] markers; top-level `citations` are /api/ask's citation
 *   objects; a decline is a normal message (`finish_reason: "stop"`) with `declined: true` and `decline_reason`.
 * - `stream: true`: `chat.completion.chunk` events (data lines only), the citations on the chunk that says
 *   `finish_reason`, usage in one more chunk with no choices when `stream_options.include_usage` is set, then
 *   `data: [DONE]`; a failure midway is one `{"error": …}` chunk, and the stream ends.
 * - `usage` counts Unicode code points, not model tokens (see {@link Usage}).
 * - Errors are OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, the message in Chinese
 *   ({@link sendOpenAiError}; the app renders every failure under /v1 so).
 *
 * Answering, checking, masking and storing are the conversation's (src/chat/conversation.ts), as for /api/ask.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { streamSSE } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Citation } from '../../answer/types.ts';
import { verifiedCitations } from '../../answer/verify.ts';
import type { Conversations, Reply } from '../../chat/conversation.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import { errorCode, storageFailure } from '../../db/health.ts';
import type { BodyReader } from '../body.ts';
import { validationMessage } from '../errors.ts';
import { ApiError, jsonBody, jsonRequest } from '../http.ts';
import type { Logger } from '../log.ts';
import { sendStorageUnavailable, storageUnavailable, type Readiness } from '../readiness.ts';
import { QUESTION_MAX, citationSchema } from '../schemas.ts';
import { tokensOf } from './ask.ts';

/** The one model this API serves: the service itself. */
export const MODEL_ID = 'liaoning-policy' as const;
/** `owned_by` of {@link MODEL_ID}. */
export const MODEL_OWNER = 'liaoning-policy-guide' as const;
/** The most user messages of a request that are read: the question and the newest earlier ones before it. */
export const MAX_USER_TURNS = 8;

export interface OpenAiRouteDeps {
  conversations: Conversations;
  corpus: Corpus;
  logger: Logger;
  readBody: BodyReader;
  readiness?: Readiness;
  /** Keys a client must present as `Authorization: Bearer <key>` (API_KEYS); none: open, like /api. */
  apiKeys?: string[];
}

// ─── Errors ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Whether a path is the OpenAI-compatible API's, whose errors take OpenAI's shape. */
export const isOpenAiPath = (path: string) => path === '/v1' || path.startsWith('/v1/');

/**
 * A request /v1 refuses, with the request field it is about (OpenAI's `param`). Thrown in a handler, rendered in
 * OpenAI's error shape by the app's onError.
 */
export class OpenAiError extends ApiError {
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(status, code, message);
  }
}

/** OpenAI's error `type` for a status. */
export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** An error in OpenAI's shape. */
export function openAiErrorBody(status: number, code: string, message: string, param: string | null = null) {
  return { error: { message, type: openAiErrorType(status), param, code } };
}

/**
 * Answers an error in OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`), through the context so it
 * carries the headers already set for the request (X-Request-Id, CORS, rate limit).
 *
 * @example
 * return sendOpenAiError(c, 404, 'model_not_found', '没有这个模型。', 'model');
 */
export function sendOpenAiError(c: Context, status: ContentfulStatusCode, code: string, message: string, param: string | null = null) {
  return c.json(openAiErrorBody(status, code, message, param), status);
}

/** The 503 of a storage failure in OpenAI's shape, with the service's own Retry-After. */
export function sendOpenAiStorageUnavailable(c: Context) {
  // (The service's own 503 sets Retry-After on the context; this response carries it too.)
  sendStorageUnavailable(c);
  return sendOpenAiError(c, 503, storageUnavailable.code, storageUnavailable.message);
}

/** The 429 of the rate limit in OpenAI's shape (src/web/rate-limit.ts `refuse`). */
export const openAiRateLimited = (c: Context) => sendOpenAiError(c, 429, 'rate_limit_exceeded', '请求过于频繁，请稍后再试。');

/** The 404 of a path under /v1 that is not served. */
export const openAiNotFound = (c: Context) =>
  sendOpenAiError(c, 404, 'unknown_url', '没有这个接口：OpenAI 兼容接口为 POST /v1/chat/completions、GET /v1/models，详见 /openapi.json。');

const errorSchema = z
  .object({
    error: z.object({
      message: z.string().describe('中文错误说明'),
      type: z
        .enum(['invalid_request_error', 'authentication_error', 'permission_error', 'rate_limit_error', 'server_error'])
        .describe('错误类别，与 OpenAI 相同'),
      param: z.string().nullable().describe('出错的请求字段，如 model、messages[2].content；不针对字段时为 null'),
      code: z.string().nullable().describe('错误代码，如 model_not_found、invalid_api_key、rate_limit_exceeded'),
    }),
  })
  .openapi('OpenAiError');

const ERROR_MEANINGS: Record<number, string> = {
  400: '请求不正确（JSON 无效、messages 不符合要求、没有用户消息）',
  401: '设置了 API_KEYS 时，缺少或无效的 API 密钥',
  404: '模型不存在（model_not_found）',
  413: '请求体超过 64KB',
  415: '请求体不是 JSON',
  429: '请求过于频繁（见 Retry-After）',
  503: '存储暂不可用',
};

/** The documented error responses of a /v1 operation, each in OpenAI's error shape. */
function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: ERROR_MEANINGS[status] ?? '错误', content: { 'application/json': { schema: errorSchema } } }]),
  );
}

/** `messages.0.content` as OpenAI names a field: `messages[0].content`. */
function paramOf(path: ReadonlyArray<PropertyKey>): string | null {
  if (!path.length) return null;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The API-key check of every /v1 route: bearer-auth against the keys (constant-time), its refusals in OpenAI's shape. */
function apiKeyAuth(keys: string[]): MiddlewareHandler {
  const refuse = (message: string) => (c: Context) => sendOpenAiError(c, 401, 'invalid_api_key', message);
  return bearerAuth({
    token: keys,
    noAuthenticationHeader: { message: refuse('需要 API 密钥：请在请求头中提供 Authorization: Bearer <密钥>。') },
    invalidToken: { message: refuse('API 密钥无效，请检查后重试。') },
    // (OpenAI answers a malformed header as it does a wrong key: 401.)
    invalidAuthenticationHeader: { message: refuse('Authorization 请求头格式不正确：应为“Bearer <密钥>”，密钥只能由字母、数字和 . _ ~ + / - 组成。') },
  });
}

/** The OpenAPI security scheme of /v1 (registered as `apiKeyBearer`); the routes also allow none, for a service without API_KEYS. */
const API_KEY_SCHEME = {
  type: 'http' as const,
  scheme: 'bearer',
  description: 'API 密钥：请求头 `Authorization: Bearer <密钥>`。仅当服务端设置了 API_KEYS（逗号分隔的密钥）时需要；未设置时 /v1 与 /api 一样开放。',
};
const API_KEY_SECURITY: Array<Record<string, string[]>> = [{ apiKeyBearer: [] }, {}];

// ─── Schemas ────────────────────────────────────────────────────────────────────────────────────────────────────────

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

const contentPartSchema = z.looseObject({
  type: z.string({ error: '内容片段须有 type，如 {"type": "text", "text": "……"}。' }),
  text: z.string({ error: '文字片段的 text 必须是文字。' }).optional(),
});

const messageSchema = z.looseObject(
  {
    role: z.enum(ROLES, { error: '消息的 role 须为 system、developer、user、assistant 或 tool。' }),
    content: z
      .union([z.string(), z.array(contentPartSchema), z.null()], { error: '消息的 content 须为文字，或文字片段的数组。' })
      .optional()
      .describe('文字，或 [{"type": "text", "text": "……"}] 片段数组（只读文字片段）'),
    name: z.string().optional(),
  },
  { error: '每条消息须为对象，例如 {"role": "user", "content": "……"}。' },
);

/** The body of POST /v1/chat/completions: OpenAI's request, of which only model, messages, stream, stream_options and n are read. */
export const chatCompletionRequestSchema = z
  .looseObject(
    {
      model: z
        .string({ error: '请填写模型（model），可用的模型见 GET /v1/models。' })
        .min(1, '模型（model）不能为空，可用的模型见 GET /v1/models。')
        .describe(`模型，须为 ${MODEL_ID}`),
      messages: z
        .array(messageSchema, { error: '请提供消息列表（messages），例如 [{"role": "user", "content": "续贷要提前多久申请？"}]。' })
        .min(1, '消息列表（messages）不能为空。')
        .describe(
          `对话：最后一条用户消息是问题，此前的用户消息（连同问题最多 ${MAX_USER_TURNS} 条）按顺序重放，作为追问的上文；` +
            'system、assistant 等消息不读取（服务自己计算上文）。每条用户消息 1～1000 字。',
        ),
      stream: z.boolean({ error: 'stream 须为 true 或 false。' }).nullable().optional().describe('true 时以 SSE 流式返回 chat.completion.chunk'),
      stream_options: z
        .looseObject({ include_usage: z.boolean({ error: 'stream_options.include_usage 须为 true 或 false。' }).nullable().optional() })
        .nullable()
        .optional()
        .describe('include_usage 为 true 时，[DONE] 之前多发一个 choices 为空、带 usage 的分片'),
      n: z
        .number({ error: 'n 须为 1。' })
        .nullable()
        .optional()
        .refine((n) => n === undefined || n === null || n === 1, '只支持 n = 1（每次一个回答）。')
        .describe('只支持 1'),
    },
    { error: `请求体必须是 JSON 对象，例如 {"model": "${MODEL_ID}", "messages": [{"role": "user", "content": "……"}]}。` },
  )
  .describe('OpenAI Chat Completions 请求；其余字段（temperature、max_tokens、user 等）接受但不使用')
  .openapi('ChatCompletionRequest');

const declineFields = {
  citations: z.array(citationSchema).describe('回答中 [n] 所指的原文（与 /api/ask 的 citations 相同，逐字引用）'),
  declined: z.boolean().describe('是否拒答（拒答也以普通消息返回，finish_reason 为 stop）'),
  decline_reason: z
    .enum(['out_of_scope', 'no_evidence', 'no_detail', 'manipulation', 'empty'])
    .optional()
    .describe('拒答原因，同 /api/ask 的 declineReason'),
  conversation_id: z.string().describe('本次请求所建会话的编号（可用 GET /api/conversations/{id} 查看）'),
  message_id: z.string().describe('本条回答的编号，可用于 POST /api/feedback'),
};

const usageSchema = z
  .object({
    prompt_tokens: z.number().int().describe('读取的用户消息（重放的与最后一条）的字符数（Unicode 码位）'),
    completion_tokens: z.number().int().describe('回答的字符数（Unicode 码位）'),
    total_tokens: z.number().int(),
  })
  .describe('按字符（Unicode 码位）计数，不是模型分词的 token 数')
  .openapi('ChatCompletionUsage');

/** POST /v1/chat/completions' answer: OpenAI's `chat.completion`, with this service's citations and decline. */
export const chatCompletionSchema = z
  .object({
    id: z.string().describe('chatcmpl- 加会话编号'),
    object: z.literal('chat.completion'),
    created: z.number().int().describe('Unix 时间（秒）'),
    model: z.literal(MODEL_ID),
    choices: z
      .array(
        z.object({
          index: z.literal(0),
          message: z.object({
            role: z.literal('assistant'),
            content: z.string().describe('回答，含 [n] 引用标记'),
            refusal: z.null(),
          }),
          logprobs: z.null(),
          finish_reason: z.literal('stop'),
        }),
      )
      .length(1),
    usage: usageSchema,
    ...declineFields,
  })
  .openapi('ChatCompletion');

/** One event of the stream: OpenAI's `chat.completion.chunk`; the one that finishes carries the citations and decline. */
export const chatCompletionChunkSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion.chunk'),
    created: z.number().int(),
    model: z.literal(MODEL_ID),
    choices: z
      .array(
        z.object({
          index: z.literal(0),
          delta: z.object({ role: z.literal('assistant').optional(), content: z.string().optional() }),
          logprobs: z.null(),
          finish_reason: z.union([z.literal('stop'), z.null()]).describe('带 stop 的分片结束回答，其余为 null'),
        }),
      )
      .max(1)
      .describe('一个选项；include_usage 时最后的用量分片为空数组'),
    usage: usageSchema.nullable().optional().describe('include_usage 时各分片为 null，最后的用量分片为用量'),
    ...Object.fromEntries(Object.entries(declineFields).map(([k, v]) => [k, v.optional()])),
    content: z
      .string()
      .optional()
      .describe('罕见：大模型的草稿已发出部分句子后被放弃、改用原文摘录作答时，完整回答在此，取代此前各分片的内容'),
  })
  .describe('流式分片：首个分片 delta.role 为 assistant；带 finish_reason 的分片另有 citations、declined 等字段')
  .openapi('ChatCompletionChunk');

const modelSchema = z
  .object({
    id: z.literal(MODEL_ID),
    object: z.literal('model'),
    created: z.number().int().describe('语料中最新文件的发布日期（北京时间零点，Unix 秒）'),
    owned_by: z.literal(MODEL_OWNER),
  })
  .openapi('Model');

const modelListSchema = z.object({ object: z.literal('list'), data: z.array(modelSchema) }).openapi('ModelList');

/** Token counts as this service counts them: Unicode code points of what it read and wrote (it has no tokenizer). */
export interface Usage {
  /** Code points of the user messages read (those replayed and the question). */
  prompt_tokens: number;
  /** Code points of the answer. */
  completion_tokens: number;
  total_tokens: number;
}

// ─── Routes ─────────────────────────────────────────────────────────────────────────────────────────────────────────

const chatRoute = createRoute({
  method: 'post',
  path: '/chat/completions',
  operationId: 'createChatCompletion',
  tags: ['OpenAI 兼容'],
  summary: '对话补全（OpenAI Chat Completions 兼容）',
  description:
    `与 OpenAI Chat Completions 兼容，官方 openai SDK 可直接使用（baseURL 指向本服务的 /v1，model 为 ${MODEL_ID}）。` +
    '回答与 /api/ask 相同：content 含 [n] 标记，顶层 citations 为逐字引用；拒答以普通消息返回并带 declined。' +
    '`stream: true` 时以 SSE 返回：每个事件只有 data 行，为 `chat.completion.chunk`（中途失败时为一个 `{"error": {...}}`），' +
    '最后一行为 `data: [DONE]`（不是 JSON）。usage 按字符数计。错误为 OpenAI 的格式。',
  security: API_KEY_SECURITY,
  request: { body: jsonRequest(chatCompletionRequestSchema) },
  responses: {
    200: {
      description: '回答（JSON，或 stream 为 true 时的 SSE 事件流）',
      content: {
        'application/json': { schema: chatCompletionSchema },
        'text/event-stream': {
          schema: { type: 'string', description: 'SSE：data 行为 ChatCompletionChunk 的 JSON（失败时为 OpenAiError），以 data: [DONE] 结束' },
          'x-sse-events': {
            message: { oneOf: [{ $ref: '#/components/schemas/ChatCompletionChunk' }, { $ref: '#/components/schemas/OpenAiError' }] },
          },
        },
      },
    },
    ...errorResponses(400, 401, 404, 413, 415, 429, 503),
  },
});

const listModelsRoute = createRoute({
  method: 'get',
  path: '/models',
  operationId: 'listModels',
  tags: ['OpenAI 兼容'],
  summary: '模型列表（OpenAI 兼容）',
  security: API_KEY_SECURITY,
  responses: { 200: { description: '唯一的模型：本服务', content: { 'application/json': { schema: modelListSchema } } }, ...errorResponses(401, 429) },
});

const retrieveModelRoute = createRoute({
  method: 'get',
  path: '/models/{model}',
  operationId: 'retrieveModel',
  tags: ['OpenAI 兼容'],
  summary: '模型详情（OpenAI 兼容）',
  security: API_KEY_SECURITY,
  request: { params: z.object({ model: z.string().describe(`模型编号，${MODEL_ID}`) }) },
  responses: { 200: { description: '模型', content: { 'application/json': { schema: modelSchema } } }, ...errorResponses(401, 404, 429) },
});

/** The /v1 router, mounted at /v1. */
export function openAiRoutes(deps: OpenAiRouteDeps) {
  const { conversations, corpus, logger } = deps;
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw new OpenAiError(400, 'invalid_request', validationMessage(result.error), paramOf(result.error.issues[0]?.path ?? []));
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyBearer', API_KEY_SCHEME);
  // The stream's chunk is described by reference from the route: registered here so the document has it.
  app.openAPIRegistry.register('ChatCompletionChunk', chatCompletionChunkSchema);
  if (deps.apiKeys?.length) app.use('*', apiKeyAuth(deps.apiKeys));

  const model = { id: MODEL_ID, object: 'model' as const, created: corpusEpoch(corpus), owned_by: MODEL_OWNER };
  app.openapi(listModelsRoute, (c) => c.json({ object: 'list' as const, data: [model] }, 200));
  app.openapi(retrieveModelRoute, (c) => {
    if (c.req.valid('param').model !== MODEL_ID) throw modelNotFound();
    return c.json(model, 200);
  });

  app.openapi({ ...chatRoute, middleware: [jsonBody(deps.readBody)] }, async (c) => {
    const body = c.req.valid('json');
    if (body.model !== MODEL_ID) throw modelNotFound();
    const questions = userQuestions(body.messages);
    const usage = (answer: string): Usage => {
      const prompt = questions.reduce((n, q) => n + codePoints(q), 0);
      const completion = codePoints(answer);
      return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    };

    // The earlier user messages, answered and stored in order in one new conversation: the last one's context.
    let conversationId: string | undefined;
    for (const question of questions.slice(0, -1)) {
      const turn = await conversations.open({ question, conversationId });
      if (!turn) throw new Error('the replayed conversation is not stored');
      await conversations.finish(turn, await conversations.answer(turn));
      conversationId = turn.conversationId;
    }
    const turn = await conversations.open({ question: questions.at(-1)!, conversationId });
    if (!turn) throw new Error('the replayed conversation is not stored');
    const id = `chatcmpl-${turn.conversationId}`;
    const created = Math.floor(Date.now() / 1000);
    logger.info('chat_completion', { turns: questions.length, stream: body.stream === true });

    if (!body.stream) {
      const reply = await conversations.finish(turn, await conversations.answer(turn));
      return c.json(
        {
          id,
          object: 'chat.completion' as const,
          created,
          model: MODEL_ID,
          choices: [{ index: 0 as const, message: { role: 'assistant' as const, content: reply.answer, refusal: null }, logprobs: null, finish_reason: 'stop' as const }],
          usage: usage(reply.answer),
          ...replyFields(reply),
        },
        200,
      );
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const sse = streamSSE(c, async (stream) => {
      const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model: MODEL_ID,
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      });
      const delta = (content: string) => send(chunk([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]));
      try {
        await send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
        // A model's sentences go out as they pass the claim checks, while it is still writing; an extractive answer
        // (and whatever the final answer adds after the sentences sent) goes out in pieces once done.
        let streamed = '';
        let writing = Promise.resolve();
        const onSentence = (sentence: { text: string; citations: Citation[] }) => {
          const citations = verifiedCitations(corpus, sentence.citations);
          if (citations.length !== sentence.citations.length) return;
          const text = streamed ? sentence.text : sentence.text.trimStart();
          streamed += text;
          writing = writing.then(() => delta(text));
        };
        const answer = await conversations.answer(turn, onSentence);
        await writing;
        const reply = await conversations.finish(turn, answer);
        const sent = reply.answer.startsWith(streamed) ? streamed : reply.answer.startsWith(streamed.trimEnd()) ? streamed.trimEnd() : null;
        // (A model draft abandoned after some of its sentences went out: they cannot be taken back, so the last chunk
        // says the whole answer its citations belong to.)
        if (sent === null) logger.warn('chat_completion_stream_replaced', { streamed: codePoints(streamed), answer: codePoints(reply.answer) });
        else for (const piece of tokensOf(reply.answer.slice(sent.length))) await delta(piece);
        await send(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], { ...replyFields(reply), ...(sent === null ? { content: reply.answer } : {}) }));
        if (includeUsage) await send(chunk([], { usage: usage(reply.answer) }));
        await stream.writeSSE({ data: '[DONE]' });
      } catch (caught) {
        // A stream's failure never reaches onError: it is said here, once, in OpenAI's error shape (a storage failure
        // as the 503 would say it), and the stream ends without [DONE].
        const error = caught instanceof Error ? caught : new Error(String(caught));
        const storage = storageFailure(error);
        if (storage) deps.readiness?.noteFailure(error);
        logger.error('chat_completion_stream_failed', { message: error.message, ...(storage ? { code: errorCode(error) } : {}) });
        await send(
          storage
            ? openAiErrorBody(503, storageUnavailable.code, storageUnavailable.message)
            : openAiErrorBody(500, 'internal_error', '回答生成失败，请稍后再试。'),
        );
      }
    });
    // Say the charset: some clients read an unlabelled stream as Latin-1.
    sse.headers.set('Content-Type', 'text/event-stream; charset=utf-8');
    return sse;
  });
  return app;
}

const modelNotFound = () => new OpenAiError(404, 'model_not_found', `没有这个模型。本服务只有一个模型：${MODEL_ID}（见 GET /v1/models）。`, 'model');

const codePoints = (s: string) => [...s].length;

/** The fields a reply adds to OpenAI's shapes, on the completion and on the stream's chunk that finishes. */
function replyFields(reply: Reply) {
  return {
    citations: reply.citations,
    declined: !reply.answerable,
    ...(reply.declineReason ? { decline_reason: reply.declineReason } : {}),
    conversation_id: reply.conversationId,
    message_id: reply.messageId,
  };
}

/**
 * The user messages a request is answered from, oldest first: at most {@link MAX_USER_TURNS}, the last the question.
 * Each is its text (text parts joined by line breaks), trimmed; an earlier empty one is passed over. Refuses (400) a
 * request without a user message, an empty question, one over {@link QUESTION_MAX} characters, or a part that is not text.
 */
export function userQuestions(messages: z.infer<typeof messageSchema>[]): string[] {
  const users: Array<{ text: string; at: number }> = [];
  messages.forEach((m, at) => {
    if (m.role !== 'user') return;
    let text: string;
    if (typeof m.content === 'string') text = m.content;
    else if (Array.isArray(m.content)) {
      const other = m.content.findIndex((p) => p.type !== 'text' || typeof p.text !== 'string');
      if (other >= 0) throw new OpenAiError(400, 'unsupported_content', '只支持文字内容（type 为 text 的片段），不支持图片、音频或文件。', `messages[${at}].content[${other}]`);
      text = m.content.map((p) => p.text).join('\n');
    } else text = '';
    users.push({ text: text.trim(), at });
  });
  const last = users.at(-1);
  if (!last) throw new OpenAiError(400, 'invalid_request', '消息列表（messages）中没有用户消息（role 为 user），请把问题作为用户消息发送。', 'messages');
  if (!last.text) throw new OpenAiError(400, 'invalid_request', '问题不能为空，请输入您想咨询的内容。', `messages[${last.at}].content`);
  const read = users.filter((u) => u.text).slice(-MAX_USER_TURNS);
  const long = read.find((u) => codePoints(u.text) > QUESTION_MAX);
  if (long) throw new OpenAiError(400, 'invalid_request', `每条用户消息请控制在${QUESTION_MAX}字以内。`, `messages[${long.at}].content`);
  return read.map((u) => u.text);
}

/** The newest publication date among the corpus's documents (midnight, China time) in Unix seconds; 0 when none has one. */
function corpusEpoch(corpus: Corpus): number {
  const dates = corpus.documents.map((d) => d.published).filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d));
  if (!dates.length) return 0;
  return Date.parse(`${dates.sort().at(-1)}T00:00:00+08:00`) / 1000;
}
