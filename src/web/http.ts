/**
 * What every route file shares: the router type (an OpenAPIHono whose request validation fails in Chinese), the
 * error a handler throws, the JSON body reader that runs before validation, and the documented error responses.
 * A route is declared once with `createRoute` — the same zod schemas validate the request and describe the response
 * in /openapi.json.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BodyTooLargeError, type BodyReader } from './body.ts';
import { validationMessage } from './errors.ts';

/** The largest request body any route takes. */
export const BODY_LIMIT = 64 * 1024;

/**
 * A request the service refuses, with its code and Chinese message: thrown anywhere in a handler, rendered by the
 * app's one onError as `{"error": {"code", "message"}}`.
 *
 * @example
 * if (!doc) throw new ApiError(404, 'document_not_found', '找不到这份文件。');
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(status, { message });
  }
}

/** A router for one area of the API: a failed validation (query, path, body) is a 400 with the schema's Chinese message. */
export function router(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError(400, 'invalid_request', validationMessage(result.error));
    },
  });
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('错误代码，如 invalid_request、conversation_not_found'),
      message: z.string().describe('中文错误说明'),
    }),
  })
  .openapi('Error');

const ERROR_MEANINGS: Record<number, string> = {
  400: '请求不正确（JSON 无效、字段不符合要求）',
  401: '缺少或无效的管理令牌',
  403: '管理接口未启用（服务端未设置 ADMIN_TOKEN）',
  404: '找不到所指的资源',
  408: '请求体发送超时',
  409: '当前状态不允许这个操作',
  413: '请求体超过 64KB',
  415: '请求体不是 JSON',
  429: '请求过于频繁（见 Retry-After）',
  503: '存储暂不可用',
};

/** The documented error responses of an operation, each the `Error` body with its status's meaning. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: ERROR_MEANINGS[status] ?? '错误', content: { 'application/json': { schema: errorSchema } } }]),
  );
}

/** The errors every JSON-body route can answer besides its own: malformed or invalid body, too large, not JSON, rate limited. */
export const BODY_ERRORS = [400, 413, 415, 429] as const;

/** A JSON response's content entry for `createRoute`. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body for `createRoute`. */
export function jsonRequest<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/**
 * A body that is not JSON, as the route's validator refuses it (hono's `HTTPException` 400 "Malformed JSON in request
 * body"), said as our 400 `invalid_json`; anything else undefined.
 */
export function invalidJson(error: unknown): ApiError | undefined {
  if (!(error instanceof HTTPException) || error instanceof ApiError || error.status !== 400 || error.res) return undefined;
  if (!/^Malformed JSON\b/.test(error.message)) return undefined;
  return new ApiError(400, 'invalid_json', '请求体不是有效的 JSON，请检查格式。');
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * Reads a JSON request body before the route's validation runs: refuses other media types (415; `text/plain` and
 * no Content-Type are taken as JSON, as a browser's simple request sends them) and bodies over {@link BODY_LIMIT}
 * (413). The body is read once, by the runtime's own reader, and parsed once, by the route's validator, which reads it
 * from the request's cache; text that is not JSON is the validator's refusal, answered as {@link invalidJson}.
 */
export function jsonBody(readBody: BodyReader): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (type && !JSON_TYPE.test(type) && !type.startsWith('text/plain')) {
      throw new ApiError(415, 'unsupported_media_type', '请求体须为 JSON（Content-Type: application/json）。');
    }
    let text: string;
    try {
      text = await readBody(c, BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new ApiError(413, 'payload_too_large', `请求内容过大，请控制在${BODY_LIMIT / 1024}KB以内。`);
      throw new ApiError(400, 'invalid_body', '请求体读取失败，请重试。');
    }
    asJsonRequest(c, text);
    await next();
  };
}

/** Hands the body already read to the validator, labelled as JSON whatever the client called it. */
function asJsonRequest(c: Context, text: string): void {
  // (Hono keeps the body promise in its cache, whatever its type says.)
  (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
  if (/^application\/json\s*(?:;|$)/i.test(c.req.header('content-type') ?? '')) return;
  const headers = new Headers(c.req.raw.headers);
  headers.set('content-type', 'application/json');
  c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers, body: text, signal: c.req.raw.signal });
}
