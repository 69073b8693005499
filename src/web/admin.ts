import type { MiddlewareHandler } from 'hono';
import { sendError } from './errors.ts';

/**
 * Compares two strings in time that depends only on their lengths' maximum,
 * not on where they first differ, so a token cannot be guessed byte by byte.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const length = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Admin routes: `Authorization: Bearer <ADMIN_TOKEN>` (or `X-Admin-Token`).
 * Without a configured token the routes are closed.
 *
 * @example
 * app.post('/api/evals/run', requireAdmin(config.ADMIN_TOKEN), handler)
 */
export function requireAdmin(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) return sendError(c, 403, 'admin_disabled', '管理接口未启用：请在服务端设置 ADMIN_TOKEN。');
    const given = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? c.req.header('x-admin-token') ?? '';
    if (!given || !timingSafeEqual(given, token)) return sendError(c, 401, 'unauthorized', '需要有效的管理令牌才能访问，请登录后重试。');
    await next();
  };
}
