/** How an eval run reaches the service: in-process through the app, or over HTTP to a running one. */
export interface AskClient {
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  get(path: string): Promise<{ status: number; body: any }>;
}

type RequestFn = (path: string, init: RequestInit) => Response | Promise<Response>;

function clientFrom(request: RequestFn): AskClient {
  const call = async (path: string, init: RequestInit) => {
    const res = await request(path, init);
    return { status: res.status, body: await res.json() };
  };
  return {
    post: (path, body) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    get: (path) => call(path, { method: 'GET' }),
  };
}

/** A client for the Hono app in this process (`app.request`). */
export function inProcessClient(app: { request(path: string, init: RequestInit): Response | Promise<Response> }): AskClient {
  return clientFrom((path, init) => app.request(path, init));
}

/** A client for a running service at `base` (for example http://127.0.0.1:8787). */
export function httpClient(base: string, timeoutMs = 30_000): AskClient {
  return clientFrom((path, init) => fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(timeoutMs) }));
}
