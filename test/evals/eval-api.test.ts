import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timingSafeEqual } from '../../src/web/admin.ts';
import { startTestService, type TestService } from '../support/app.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ADMIN_TOKEN: 'staff-secret-token' });
});
afterAll(() => t.close());

const run = (headers: Record<string, string> = {}) => t.app.request('/api/evals/run', { method: 'POST', headers });

describe('eval API', () => {
  it('refuses to start a run without the admin token, or with a wrong one, in Chinese', async () => {
    const none = await run();
    expect(none.status).toBe(401);
    expect((await none.json()).error.message).toContain('管理令牌');
    expect((await run({ authorization: 'Bearer staff-secret-tokem' })).status).toBe(401);
  });

  it('starts a run with the token, shows its progress, then stores it with metrics and per-case results', async () => {
    const started = await run({ authorization: 'Bearer staff-secret-token' });
    expect(started.status).toBe(202);
    const { id } = await started.json();
    expect((await run({ authorization: 'Bearer staff-secret-token' })).status).toBe(409);
    let body: any;
    for (let i = 0; i < 600; i++) {
      body = await (await t.app.request(`/api/evals/runs/${id}`)).json();
      if (body.status === 'finished') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(body.status).toBe('finished');
    expect(body.cases).toBeGreaterThan(100);
    expect(body.results.length).toBe(body.cases);
    expect(body.metrics.citationVerbatim).toBe(1);
    expect(body.comparison).toMatchObject({ previousId: null, newlyFailing: [], newlyPassing: [] });
    const list = await (await t.app.request('/api/evals/runs')).json();
    expect(list.runs.map((r: { id: string }) => r.id)).toContain(id);
  }, 180_000);

  it('answers an unknown run with a Chinese 404', async () => {
    const res = await t.app.request('/api/evals/runs/nope');
    expect(res.status).toBe(404);
  });
});

describe('timingSafeEqual', () => {
  it('compares whole strings', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
  });
});
