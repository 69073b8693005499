/** How an eval run reaches the service: in-process through the app, or over HTTP to a running one. */
export interface AskClient {
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
}

/** A client for the Hono app in this process (`app.request`). */
export function inProcessClient(app: { request(path: string, init: RequestInit): Response | Promise<Response> }): AskClient {
  return {
    async post(path, body) {
      const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
  };
}

/** A client for a running service at `base` (for example http://127.0.0.1:8787). */
export function httpClient(base: string, timeoutMs = 30_000): AskClient {
  return {
    async post(path, body) {
      const res = await fetch(new URL(path, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}
