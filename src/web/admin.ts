/**
 * Admin access: the staff console's routes (eval runs, the questions log, staff answers) take
 * `Authorization: Bearer <ADMIN_TOKEN>`, checked by hono/bearer-auth in constant time. Without a configured token they
 * are closed (403). Each admin route declares {@link ADMIN_SECURITY}; the app registers {@link ADMIN_SECURITY_SCHEME}
 * under the name `adminBearer`.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { errorBody } from './errors.ts';
import { ApiError, errorResponses } from './http.ts';

/**
 * Compares two strings in time that depends only on their lengths' maximum,
 * not on where they first differ, so a token cannot be guessed byte by byte.
 * (The admin routes' own check is bearer-auth's; this one is kept for callers outside.)
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const length = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** What an admin route declares in its `security`: the bearer scheme the app registers as `adminBearer`. */
export const ADMIN_SECURITY = [{ adminBearer: [] }];

/** The OpenAPI security scheme of the admin routes (registered by the app as `adminBearer`). */
export const ADMIN_SECURITY_SCHEME = {
  type: 'http' as const,
  scheme: 'bearer',
  description: '管理令牌：请求头 `Authorization: Bearer <ADMIN_TOKEN>`（服务端设置的 ADMIN_TOKEN）。缺少或不对时 401，格式不对时 400，服务端未设置时 403。',
};

/**
 * A bearer-auth refusal as our error response. Built through the context, it carries the headers already set for the
 * request (X-Request-Id, CORS, rate limit) like every other error; bearer-auth adds its `WWW-Authenticate`.
 */
const refusal =
  (status: 400 | 401, code: string, message: string) =>
  (c: Context): Response =>
    c.json(errorBody(code, message), status);

const unauthorized = refusal(401, 'unauthorized', '需要有效的管理令牌才能访问，请登录后重试。');

/**
 * The admin check, for a route's `middleware`: bearer-auth against `token` (constant-time comparison), its refusals in
 * our error shape — a missing header or a wrong token 401 `unauthorized` (with `WWW-Authenticate`), a header that is
 * not `Bearer <token>` 400 `invalid_authorization`. Without a configured token every request is refused with 403
 * `admin_disabled`.
 *
 * (bearer-auth takes only tokens of the RFC 6750 alphabet, `A-Za-z0-9._~+/-` with trailing `=`: an ADMIN_TOKEN with
 * other characters can never be presented.)
 *
 * @example
 * const adminRoute = adminRouteFor(adminAuth(deps.adminToken), ['评测']);
 */
export function adminAuth(token: string | undefined): MiddlewareHandler {
  if (!token) {
    return async () => {
      throw new ApiError(403, 'admin_disabled', '管理接口未启用：请在服务端设置 ADMIN_TOKEN。');
    };
  }
  // (bearer-auth throws an HTTPException carrying the response; the app's onError sends it as it is.)
  return bearerAuth({
    token,
    noAuthenticationHeader: { message: unauthorized },
    invalidToken: { message: unauthorized },
    invalidAuthenticationHeader: {
      message: refusal(400, 'invalid_authorization', 'Authorization 请求头格式不正确：应为“Bearer <管理令牌>”，令牌只能由字母、数字和 . _ ~ + / - 组成。'),
    },
  });
}

/**
 * Declares the routes of an admin area: each is `createRoute` with the area's `tags`, the `adminBearer` security,
 * `admin` (from {@link adminAuth}) before the route's own middleware, and 401 and 403 among its documented errors.
 *
 * @example
 * const adminRoute = adminRouteFor(adminAuth(deps.adminToken), ['评测']);
 * app.openapi(adminRoute({ method: 'post', path: '/run', responses: { 202: …, ...errorResponses(400, 409, 429) } }), handler);
 */
export function adminRouteFor(admin: MiddlewareHandler, tags: string[]) {
  return <P extends string, R extends Omit<RouteConfig, 'path' | 'tags' | 'security'> & { path: P }>(config: R) =>
    createRoute({
      ...config,
      tags,
      security: ADMIN_SECURITY,
      middleware: [admin, ...[config.middleware ?? []].flat()],
      responses: { ...config.responses, ...errorResponses(401, 403) },
    });
}
