import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cors } from '../../src/web/cors.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

const WIDGET_HOST = 'https://www.example.cn';

function appWith(origins: string[]) {
  const app = new Hono();
  app.use('/api/*', cors({ origins, methods: ['GET', 'POST', 'OPTIONS'], headers: ['Content-Type', 'Accept'], maxAge: 600 }));
  app.get('/api/ok', (c) => c.json({ ok: true }));
  app.get('/api/fail', () => {
    throw new Error('boom');
  });
  app.onError((_, c) => c.json({ error: { code: 'internal_error', message: '服务内部出错' } }, 500));
  return app;
}

describe('cors', () => {
  it('allows a listed origin on the response itself, and says the answer varies by Origin', async () => {
    const res = await appWith([WIDGET_HOST]).request('/api/ok', { headers: { origin: WIDGET_HOST } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('access-control-allow-origin')).toBe(WIDGET_HOST);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('content-type')).toContain('application/json');
    // The widget on that site may read when to retry after a 429, the rate-limit counts and the request id.
    expect(res.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id']),
    );
  });

  it('gives an unlisted origin no allow header, so the browser keeps the page from reading the answer', async () => {
    const res = await appWith([WIDGET_HOST]).request('/api/ok', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('answers any origin with * when the list is *', async () => {
    const res = await appWith(['*']).request('/api/ok', { headers: { origin: 'https://anyone.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toBeNull();
  });

  it('answers a preflight from a listed origin with 204, methods, headers and max-age', async () => {
    const res = await appWith([WIDGET_HOST]).request('/api/ok', {
      method: 'OPTIONS',
      headers: { origin: WIDGET_HOST, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(WIDGET_HOST);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Accept');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('grants nothing to a preflight from an unlisted origin', async () => {
    const res = await appWith([WIDGET_HOST]).request('/api/ok', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('keeps the allow header on error responses, so the widget can show the error message', async () => {
    const res = await appWith([WIDGET_HOST]).request('/api/fail', { headers: { origin: WIDGET_HOST } });
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe(WIDGET_HOST);
  });
});

describe('the service with ALLOWED_ORIGINS', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ ALLOWED_ORIGINS: `${WIDGET_HOST},https://zwfw.example.cn` });
  });
  afterAll(() => t.close());

  it('lets the widget on a listed host read answers and 4xx errors, and nobody else', async () => {
    const ok = await postJson(t.app, '/api/ask', { question: '无还本续贷要提前多久申请？' }, { origin: WIDGET_HOST });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(WIDGET_HOST);
    expect((await ok.json()).answerable).toBe(true);

    const bad = await postJson(t.app, '/api/ask', { question: '' }, { origin: 'https://zwfw.example.cn' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('https://zwfw.example.cn');

    const other = await postJson(t.app, '/api/ask', { question: '无还本续贷要提前多久申请？' }, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('does not put CORS headers on the widget script or health check, which are not under /api', async () => {
    const res = await t.app.request('/healthz', { headers: { origin: WIDGET_HOST } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
