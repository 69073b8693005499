import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: the client's X-Request-Id when it is safe to repeat, else a new one. */
    requestId: string;
  }
}

/** What a client's own id may look like to be kept: short, and nothing a log line or a header could trip on. */
const SAFE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export interface RequestIdOptions {
  /** Makes a new id; a random UUID by default. */
  generate?: () => string;
}

/**
 * Gives every request an id, kept as `c.get('requestId')` for the log lines and sent back as `X-Request-Id`. A client
 * (or the proxy in front) may bring its own id to follow a request through both logs; one that is not 8–64 letters,
 * digits or `._:-` is replaced, never echoed.
 *
 * @example
 * app.use(requestId())
 * app.get('/', (c) => c.text(c.get('requestId')))
 */
export function requestId(options: RequestIdOptions = {}): MiddlewareHandler {
  const generate = options.generate ?? (() => crypto.randomUUID());
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given !== undefined && SAFE_ID.test(given) ? given : generate();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  };
}
