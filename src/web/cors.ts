import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  /** Origins a browser may call from (`https://example.cn`), or `['*']` for any. */
  origins: string[];
  methods: string[];
  /** Request headers a page may send. */
  headers: string[];
  /** How long, in seconds, a browser may reuse a preflight answer. */
  maxAge: number;
}

/**
 * CORS for the widget's host pages: an allowlist of origins, preflights
 * answered with 204.
 *
 * The allow headers are set with `c.header()` before the handler runs, so
 * they are part of whatever response it builds (errors included) and nothing
 * is patched afterwards. Hono's own `cors()` writes to `c.res` before the
 * handler and so turns every response into a streamed copy of itself, which
 * costs more than the handler on a small JSON route.
 *
 * @example
 * app.use('/api/*', cors({ origins: ['https://www.example.cn'], methods: ['GET', 'POST'], headers: ['Content-Type'], maxAge: 600 }))
 */
const EXPOSED = 'Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, X-Request-Id';

export function cors(options: CorsOptions): MiddlewareHandler {
  const any = options.origins.includes('*');
  const allowed = new Set(options.origins);
  const methods = options.methods.join(', ');
  const headers = options.headers.join(', ');
  const allowOrigin = (origin: string | undefined): string | undefined => {
    if (any) return '*';
    return origin !== undefined && allowed.has(origin) ? origin : undefined;
  };

  return async (c, next) => {
    const origin = c.req.header('origin');
    const allow = allowOrigin(origin);
    // The answer depends on the Origin header unless every origin gets the same one.
    if (!any) c.header('Vary', 'Origin', { append: true });
    if (allow) {
      c.header('Access-Control-Allow-Origin', allow);
      // What a page on another site may read of the answer: when to try again, how much is left, which request it was.
      c.header('Access-Control-Expose-Headers', EXPOSED);
    }

    // Every OPTIONS under the prefix is answered as a preflight: nothing else here takes OPTIONS.
    if (c.req.method === 'OPTIONS') {
      if (allow) {
        c.header('Access-Control-Allow-Methods', methods);
        c.header('Access-Control-Allow-Headers', headers);
        c.header('Access-Control-Max-Age', String(options.maxAge));
      }
      return c.body(null, 204);
    }
    await next();
  };
}
