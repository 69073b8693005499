import type { Context, MiddlewareHandler } from 'hono';
import { sendError } from './errors.ts';

/** What a limiter says about one more request from a client. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the client's window starts afresh. */
  resetSeconds: number;
  /** The window's quota, its length and what is left of it, when the limiter knows them (Cloudflare's binding does not say). */
  quota?: { limit: number; remaining: number; windowSeconds: number };
}

/** Counts one request for a client key and decides. */
export type RateLimiter = (key: string) => RateLimitDecision | Promise<RateLimitDecision>;

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Identifies the client (its address, as the runtime knows it). */
  clientKey: (c: Context) => string;
  /** The 429 response, for an API with its own error shape (/v1 answers OpenAI's); the service's `rate_limited` by default. */
  refuse?: (c: Context) => Response | Promise<Response>;
}

/**
 * Rate limiting by client: a 429 in Chinese with `Retry-After` once the limiter says no, and, when the limiter knows
 * its quota, the IETF draft headers on every response (`RateLimit-Limit`, `-Remaining`, `-Reset`, `-Policy`).
 *
 * @example
 * app.use('/api/*', rateLimit({ limiter: fixedWindow({ perMinute: 120 }), clientKey: (c) => c.req.header('x-real-ip') ?? 'anon' }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  return async (c, next) => {
    const decision = await options.limiter(options.clientKey(c));
    if (decision.quota) {
      c.header('RateLimit-Limit', String(decision.quota.limit));
      c.header('RateLimit-Remaining', String(decision.quota.remaining));
      c.header('RateLimit-Reset', String(decision.resetSeconds));
      c.header('RateLimit-Policy', `${decision.quota.limit};w=${decision.quota.windowSeconds}`);
    }
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.resetSeconds));
      return options.refuse ? options.refuse(c) : sendError(c, 429, 'rate_limited', '请求过于频繁，请稍后再试。');
    }
    await next();
  };
}

/**
 * A fixed one-minute window per client, kept in memory (one process, or one Worker isolate). The table is swept when
 * a window rolls over, so it never outgrows the clients of one minute.
 */
export function fixedWindow(options: { perMinute: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  let window = Math.floor(now() / 60_000);
  let counts = new Map<string, number>();
  return (key) => {
    const t = now();
    const current = Math.floor(t / 60_000);
    if (current !== window) {
      window = current;
      counts = new Map();
    }
    const used = (counts.get(key) ?? 0) + 1;
    counts.set(key, used);
    return {
      allowed: used <= options.perMinute,
      resetSeconds: secondsToBoundary(t, 60),
      quota: { limit: options.perMinute, remaining: Math.max(0, options.perMinute - used), windowSeconds: 60 },
    };
  };
}

/** The part of Cloudflare's Rate Limiting binding (wrangler.toml `[[ratelimits]]`) a limiter uses. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Cloudflare's Rate Limiting binding: one count per client shared by the isolates of a location, with the limit and
 * period wrangler.toml gives it. It says only yes or no, so no quota headers; `Retry-After` is the time to the next
 * period boundary. If the binding fails, the request goes through: an outage of the limiter is not one of the service.
 */
export function bindingLimiter(binding: RateLimitBinding, options: { periodSeconds: 10 | 60; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  return async (key) => {
    const allowed = await binding.limit({ key }).then((outcome) => outcome.success, () => true);
    return { allowed, resetSeconds: secondsToBoundary(now(), options.periodSeconds) };
  };
}

/** Whole seconds, at least 1, until the next multiple of `period` seconds. */
function secondsToBoundary(ms: number, period: number): number {
  return period - Math.floor((ms / 1000) % period);
}
