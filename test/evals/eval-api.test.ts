import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timingSafeEqual } from '../../src/web/admin.ts';
import { startTestService, type TestService } from '../support/app.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ADMIN_TOKEN: 'staff-secret-token' });
});
afterAll(() => t.close());

const run = (headers: Record<string, string> = {}) => t.app.request('/api/evals/run', { method: 'POST', headers });
const AUTH = { authorization: 'Bearer staff-secret-token' };
const get = (path: string) => t.app.request(path, { headers: AUTH });

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
      body = await (await get(`/api/evals/runs/${id}`)).json();
      if (body.status === 'finished') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(body.status).toBe('finished');
    expect(body.cases).toBeGreaterThan(100);
    expect(body.results.length).toBe(body.cases);
    expect(body.metrics.citationVerbatim).toBe(1);
    expect(body.comparison).toMatchObject({ previousId: null, newlyFailing: [], newlyPassing: [] });
    // The run's own questions stay out of the staff's questions log.
    const log = await (await get('/api/admin/questions?limit=500')).json();
    expect(log.questions).toEqual([]);
    const list = await (await get('/api/evals/runs')).json();
    expect(list.thresholds.citationVerbatim).toBe(1);
    expect((await t.app.request('/api/evals/runs')).status).toBe(401);
    expect(list.runs.map((r: { id: string }) => r.id)).toContain(id);
  }, 180_000);

  it('answers an unknown run with a Chinese 404', async () => {
    const res = await get('/api/evals/runs/nope');
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

describe('questions log (admin)', () => {
  it('lists recent questions with their latest feedback, filters declined ones, and groups the unanswered', async () => {
    const post = (path: string, body: unknown) => t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answered = await (await post('/api/ask', { question: '首贷中心一般设在哪里？' })).json();
    await post('/api/feedback', { messageId: answered.messageId, helpful: false, comment: '想要具体地址' });
    await post('/api/ask', { question: '今天沈阳天气怎么样？' });
    const all = await (await get('/api/admin/questions')).json();
    const row = all.questions.find((q: { id: string }) => q.id === answered.messageId);
    expect(row).toMatchObject({ answerable: true, helpful: false, comment: '想要具体地址' });
    const declined = await (await get('/api/admin/questions?answered=false')).json();
    expect(declined.questions.map((q: { question: string }) => q.question)).toContain('今天沈阳天气怎么样？');
    expect(declined.questions.every((q: { answerable: boolean }) => !q.answerable)).toBe(true);
    const groups = await (await get('/api/admin/unanswered')).json();
    expect(groups.groups.some((g: { questions: string[] }) => g.questions.includes('今天沈阳天气怎么样？'))).toBe(true);
    expect((await t.app.request('/api/admin/questions')).status).toBe(401);
  });

  it('groups unanswered questions by the subject the question reader found, named as people call it, with examples', async () => {
    const post = (question: string) => t.app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
    for (const q of ['金融兴辽的奖金有多少？', '金融兴辽奖金标准是啥', '点数成金的奖金有多少？']) expect((await (await post(q)).json()).answerable).toBe(false);
    const { groups } = (await (await get('/api/admin/unanswered')).json()) as { groups: Array<{ topic: string; subject?: { id: string; name: string }; count: number; questions: string[] }> };
    const jxl = groups.find((g) => g.questions.includes('金融兴辽的奖金有多少？'))!;
    expect(jxl.subject).toBeDefined();
    expect(jxl.topic).toBe(jxl.subject!.name);
    expect(jxl.topic).toContain('金融兴辽');
    expect(jxl.questions).toContain('金融兴辽奖金标准是啥');
    // Another campaign's question is another group, however alike the words.
    expect(jxl.questions).not.toContain('点数成金的奖金有多少？');
  });

  it('finds questions by a literal piece of their text: % and _ are characters, ASCII case is ignored, long queries work', async () => {
    const post = (question: string) => t.app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
    await post('担保费率100%_的业务有补贴吗');
    await post('辽信宝 APP 怎么登录');
    const search = async (q: string) =>
      ((await (await get(`/api/admin/questions?q=${encodeURIComponent(q)}`)).json()) as { questions: Array<{ question: string }> }).questions.map((r) => r.question);
    expect(await search('100%_')).toEqual(['担保费率100%_的业务有补贴吗']);
    expect(await search('%')).toEqual(['担保费率100%_的业务有补贴吗']);
    expect(await search('app')).toEqual(['辽信宝 APP 怎么登录']);
    const long = await get(`/api/admin/questions?q=${encodeURIComponent('续'.repeat(100))}`);
    expect(long.status).toBe(200);
    expect((await long.json()).questions).toEqual([]);
  });
});
