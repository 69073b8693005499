import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * The policy of the service's own pages (the demo page, the staff console): scripts, styles and requests from this
 * origin only, nothing inline, never framed.
 */
export const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Everything else (JSON, the widget script, the icon): a document made of it may load and run nothing. */
export const RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'";

export const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityHeadersOptions {
  /** Whether the request came over TLS; HSTS goes out only then (a browser ignores it over plain HTTP anyway). */
  overTls: (c: Context) => boolean;
}

/**
 * Security headers on every response: Hono's set (nosniff, no referrer, not framed, cross-origin readable so host
 * pages can load the widget), a Content-Security-Policy that fits what the response is, and HSTS over TLS only.
 *
 * @example
 * app.use(securityHeaders({ overTls: (c) => new URL(c.req.url).protocol === 'https:' }))
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  const common = secureHeaders({ crossOriginResourcePolicy: 'cross-origin', strictTransportSecurity: false, xFrameOptions: 'DENY' });
  return (c, next) =>
    common(c, async () => {
      await next();
      const page = c.res.headers.get('content-type')?.startsWith('text/html') ?? false;
      c.res.headers.set('Content-Security-Policy', page ? PAGE_POLICY : RESOURCE_POLICY);
      if (options.overTls(c)) c.res.headers.set('Strict-Transport-Security', HSTS);
    });
}

/** Whether the request's own URL is https: true of the Workers runtime behind Cloudflare's edge. */
export const httpsUrl = (c: Context) => new URL(c.req.url).protocol === 'https:';
