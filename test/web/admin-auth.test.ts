/**
 * The admin routes' access (src/web/admin.ts): Bearer only, refusals in our error shape and in Chinese, closed without
 * a configured token; and the eval routes (src/web/routes/evals.ts) against a stub runner.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalStore } from '../../src/db/eval-store.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { sendError } from '../../src/web/errors.ts';
import { ApiError } from '../../src/web/http.ts';
import { createLogger } from '../../src/web/log.ts';
import { evalRoutes, type EvalsDeps } from '../../src/web/routes/evals.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

const TOKEN = 'admin-auth-test.token~1';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Every admin operation, with a request the route would take from an admin. */
const ADMIN_CALLS: Array<[method: 'GET' | 'POST', path: string]> = [
  ['GET', '/api/admin/questions'],
  ['GET', '/api/admin/unanswered'],
  ['GET', '/api/admin/staff-answers'],
  ['GET', '/api/admin/staff-answers/export'],
  ['GET', '/api/admin/catalogue-fields'],
  ['POST', '/api/admin/staff-answers'],
  ['POST', '/api/admin/staff-answers/some-id/approve'],
  ['POST', '/api/admin/staff-answers/some-id/reject'],
  ['POST', '/api/admin/staff-answers/some-id/withdraw'],
  ['GET', '/api/evals/runs'],
  ['GET', '/api/evals/runs/some-run'],
  ['POST', '/api/evals/run'],
];

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ADMIN_TOKEN: TOKEN });
});
afterAll(() => t?.close());

const call = (method: string, path: string, headers: Record<string, string> = {}, app = t.app) =>
  app.request(path, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'POST' ? { body: '{}' } : {}) });

describe('admin access', () => {
  it('refuses every admin route without a token, or with a wrong one, 401 unauthorized in Chinese with a Bearer challenge', async () => {
    for (const [method, path] of ADMIN_CALLS) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Bearer ${TOKEN}x` }] as Array<Record<string, string>>) {
        const res = await call(method, path, headers);
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate'), path).toMatch(/^Bearer /);
        expect(res.headers.get('content-type'), path).toContain('application/json');
        // (The app's own headers still go out on a refusal.)
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('x-request-id'), path).toBeTruthy();
        expect(await res.json(), path).toEqual({ error: { code: 'unauthorized', message: '需要有效的管理令牌才能访问，请登录后重试。' } });
      }
    }
  });

  it('lets a page on another allowed origin read the refusal (CORS headers kept)', async () => {
    const res = await call('GET', '/api/admin/questions', { origin: 'https://host.example', authorization: 'Bearer wrong' });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
  });

  it('answers a malformed Authorization header 400 invalid_authorization, in Chinese', async () => {
    for (const authorization of ['Basic ZTJlOmFkbWlu', 'Bearer', 'Bearer ', `Token ${TOKEN}`, "Bearer ' OR '1'='1", 'Bearer \u00ff\u00fe']) {
      const res = await call('GET', '/api/admin/questions', { authorization });
      expect(res.status, authorization).toBe(400);
      const { error } = await res.json();
      expect(error.code, authorization).toBe('invalid_authorization');
      expect(error.message, authorization).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('takes the token as Bearer only: the scheme in any case and spacing, but no longer the X-Admin-Token header', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER   ${TOKEN}`]) {
      expect((await call('GET', '/api/admin/questions', { authorization })).status, authorization).toBe(200);
    }
    expect((await call('GET', '/api/admin/questions', { 'x-admin-token': TOKEN })).status).toBe(401);
  });

  it('checks the token before the body: an unauthenticated bad body is 401, not 400', async () => {
    const res = await t.app.request('/api/admin/staff-answers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(401);
    const typed = await t.app.request('/api/admin/staff-answers', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(typed.status).toBe(401);
  });

  it('closes every admin route with 403 admin_disabled when the server has no token, whatever is sent', async () => {
    const closed = createApp({ ...nodeAppDeps(t.services, createLogger('silent'), { clientKey: () => 'closed' }), adminToken: undefined });
    for (const [method, path] of ADMIN_CALLS) {
      for (const headers of [{}, AUTH, { authorization: 'Bearer undefined' }] as Array<Record<string, string>>) {
        const res = await call(method, path, headers, closed);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(await res.json()).toEqual({ error: { code: 'admin_disabled', message: '管理接口未启用：请在服务端设置 ADMIN_TOKEN。' } });
      }
    }
  });

  it('declares the bearer scheme on every admin operation in /openapi.json, with its refusals documented', async () => {
    const doc = await (await t.app.request('/openapi.json')).json();
    expect(doc.components.securitySchemes.adminBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [method, path] of ADMIN_CALLS) {
      const documented = path.replace('some-id', '{id}').replace('some-run', '{id}');
      const op = doc.paths[documented]?.[method.toLowerCase()];
      expect(op, documented).toBeDefined();
      expect(op.security, documented).toEqual([{ adminBearer: [] }]);
      for (const status of ['400', '401', '403', '429']) expect(op.responses[status], `${documented} ${status}`).toBeDefined();
    }
    const ids = ADMIN_CALLS.map(([method, path]) => doc.paths[path.replace('some-id', '{id}').replace('some-run', '{id}')][method.toLowerCase()].operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
  });
});

describe('admin lists', () => {
  it('keeps the lenient filters: a junk limit or date falls back, a repeated parameter takes its first value', async () => {
    for (const query of ['limit=junk', 'limit=0', 'limit=99999', 'limit=1&limit=2', 'before=yesterday', 'answered=maybe', 'q=']) {
      const res = await t.app.request(`/api/admin/questions?${query}`, { headers: AUTH });
      expect(res.status, query).toBe(200);
      expect(Array.isArray((await res.json()).questions), query).toBe(true);
    }
    expect((await t.app.request('/api/evals/runs?limit=junk', { headers: AUTH })).status).toBe(200);
  });

  it('answers an unknown staff-answer status with its own code and message', async () => {
    const res = await t.app.request('/api/admin/staff-answers?status=nonsense', { headers: AUTH });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_status', message: 'status 须为 pending、approved、rejected 或 withdrawn。' } });
  });

  it('refuses a review of an unknown answer 404, and a review without who took it 400', async () => {
    const missing = await postJson(t.app, '/api/admin/staff-answers/no-such-answer/approve', { by: '李四' }, AUTH);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('staff_answer_not_found');
    const nobody = await postJson(t.app, '/api/admin/staff-answers/no-such-answer/approve', {}, AUTH);
    expect(nobody.status).toBe(400);
    expect((await nobody.json()).error).toEqual({ code: 'invalid_request', message: '请填写操作人（by）。' });
  });

  it('serves no staff-answer routes when the runtime keeps no staff answers', async () => {
    const bare = createApp({ ...nodeAppDeps(t.services, createLogger('silent'), { clientKey: () => 'bare' }), staff: undefined });
    expect((await bare.request('/api/admin/staff-answers', { headers: AUTH })).status).toBe(404);
    expect((await bare.request('/api/admin/questions', { headers: AUTH })).status).toBe(200);
  });
});

describe('eval routes', () => {
  /** The eval router on an app that renders errors as the service's does, over a stub runner. */
  const evalApp = (evals: EvalsDeps, adminToken: string | undefined) => {
    const app = new OpenAPIHono();
    app.route('/api/evals', evalRoutes({ evals, adminToken }));
    app.onError((error, c) => {
      if (error instanceof ApiError) return sendError(c, error.status, error.code, error.message);
      if (error instanceof HTTPException) return error.getResponse();
      throw error;
    });
    return app;
  };
  const run = { id: 'run-1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', mode: 'extractive', target: 'in-process', corpusHash: 'h', cases: 1, passed: 1, failed: 0, metrics: { factAccuracy: 1 }, sets: {}, breakdown: null, validation: [], failures: [] };

  it('lists runs with the limit clamped to 1…500 (50 by default), the run in progress and the thresholds', async () => {
    const limits: number[] = [];
    const store = { listRuns: async (limit: number) => (limits.push(limit), [run]) } as unknown as EvalStore;
    const app = evalApp({ store, start: () => ({ runId: 'x', started: true }), progress: () => ({ runId: 'run-2', done: 3, total: 9 }), thresholds: { factAccuracy: 0.8 } }, TOKEN);
    for (const query of ['', '?limit=7', '?limit=9999', '?limit=0', '?limit=junk']) {
      const res = await app.request(`/api/evals/runs${query}`, { headers: AUTH });
      expect(res.status, query).toBe(200);
      expect(await res.json()).toEqual({ runs: [run], running: { runId: 'run-2', done: 3, total: 9 }, thresholds: { factAccuracy: 0.8 } });
    }
    expect(limits).toEqual([50, 7, 500, 50, 50]);
  });

  it('shows a run in progress, a finished run with its results and comparison, and 404 for an unknown one', async () => {
    const comparison = { previousId: null, newlyFailing: [], newlyPassing: [] };
    const results = [{ set: 'qa', caseId: 'c1', pass: true, detail: { set: 'qa', id: 'c1', pass: true, problems: [] } }];
    const store = {
      getRun: async (id: string) => (id === 'run-1' ? run : undefined),
      resultsOf: async () => results,
      compareWithPrevious: async () => comparison,
    } as unknown as EvalStore;
    const app = evalApp({ store, start: () => ({ runId: 'x', started: true }), progress: () => ({ runId: 'run-2', done: 1, total: 4 }) }, TOKEN);
    expect(await (await app.request('/api/evals/runs/run-2', { headers: AUTH })).json()).toEqual({ id: 'run-2', status: 'running', done: 1, total: 4 });
    expect(await (await app.request('/api/evals/runs/run-1', { headers: AUTH })).json()).toEqual({ ...run, status: 'finished', results, comparison });
    const missing = await app.request('/api/evals/runs/nope', { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'eval_run_not_found', message: '找不到这次评测。' } });
  });

  it('starts a run (202), refuses a second while one runs (409 eval_running), and only with the token', async () => {
    let running = false;
    const app = evalApp({
      store: {} as EvalStore,
      start: () => (running ? { runId: 'run-9', started: false } : ((running = true), { runId: 'run-9', started: true })),
      progress: () => null,
    }, TOKEN);
    expect((await app.request('/api/evals/run', { method: 'POST' })).status).toBe(401);
    expect(running).toBe(false);
    const started = await app.request('/api/evals/run', { method: 'POST', headers: AUTH });
    expect(started.status).toBe(202);
    expect(await started.json()).toEqual({ id: 'run-9', status: 'running' });
    const again = await app.request('/api/evals/run', { method: 'POST', headers: AUTH });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toEqual({ code: 'eval_running', message: '已有评测正在运行，请稍后再试。' });
    expect((await evalApp({ store: {} as EvalStore, start: () => ({ runId: 'r', started: true }), progress: () => null }, undefined).request('/api/evals/run', { method: 'POST', headers: AUTH })).status).toBe(403);
  });
});
