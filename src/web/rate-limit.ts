import type { MiddlewareHandler } from 'hono';
import { sendError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests allowed per client per minute; 0 turns limiting off. */
  perMinute: number;
  /** Identifies the client (its address, as the runtime knows it). */
  clientKey: (c: Parameters<MiddlewareHandler>[0]) => string;
  now?: () => number;
}

/**
 * A fixed one-minute window per client, kept in memory (one process). The
 * table is swept when a window rolls over, so it never outgrows the clients
 * of one minute.
 *
 * @example
 * app.use('/api/*', rateLimit({ perMinute: 120, clientKey: (c) => c.req.header('x-real-ip') ?? 'anon' }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const now = options.now ?? Date.now;
  let window = Math.floor(now() / 60_000);
  let counts = new Map<string, number>();
  return async (c, next) => {
    if (options.perMinute <= 0) return next();
    const current = Math.floor(now() / 60_000);
    if (current !== window) {
      window = current;
      counts = new Map();
    }
    const key = options.clientKey(c);
    const used = (counts.get(key) ?? 0) + 1;
    counts.set(key, used);
    if (used > options.perMinute) {
      c.header('Retry-After', String(60 - Math.floor((now() / 1000) % 60)));
      return sendError(c, 429, 'rate_limited', '请求过于频繁，请稍后再试。');
    }
    return next();
  };
}
