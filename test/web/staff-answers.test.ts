/**
 * Closing the loop: staff attach a question the service did not answer to the passage that answers it (or mark
 * it out of scope); once approved the chat answers it so without a restart; withdrawing undoes it; who and when
 * are kept; another instance sharing the database picks the change up; an eval run names the answers that came
 * from staff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/web/log.ts';
import { createApp } from '../../src/web/app.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { inProcessClient } from '../../src/evals/client.ts';
import { runEvals } from '../../src/evals/runner.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';

const AUTH = { authorization: 'Bearer staff-secret-token' };
const UNANSWERED = '金融兴辽的奖金有多少？';

describe('staff answers', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ ADMIN_TOKEN: 'staff-secret-token' });
  });
  afterAll(() => t?.close());

  const ask = async (question: string, app = t.app) => (await postJson(app, '/api/ask', { question })).json();
  const admin = (path: string, body: unknown) => postJson(t.app, path, body, AUTH);
  /** A whole sentence of the 金融兴辽 document, with its offsets. */
  const sentence = (needle: string) => {
    const doc = t.services.corpus.document('jinrong-xingliao-2025')!;
    const at = doc.text.indexOf(needle);
    const start = Math.max(doc.text.lastIndexOf('。', at), doc.text.lastIndexOf('\n', at)) + 1;
    const end = doc.text.indexOf('。', at) + 1;
    return { docId: doc.id, start, end, quote: doc.text.slice(start, end) };
  };

  it('needs the admin token and refuses spans that are not a whole clause of a stored document', async () => {
    expect((await postJson(t.app, '/api/admin/staff-answers', { kind: 'out_of_scope', question: 'x', by: '张三' })).status).toBe(401);
    const span = sentence('JRXL2025@126.com');
    const bad = [
      { kind: 'answer', question: UNANSWERED, by: '张三', docId: 'no-such-doc', start: 0, end: 10 },
      { kind: 'answer', question: UNANSWERED, by: '张三', docId: span.docId, start: span.start + 3, end: span.end - 5 },
      { kind: 'answer', question: UNANSWERED, by: '张三', docId: span.docId, start: 0, end: 5_000 },
      { kind: 'answer', question: UNANSWERED, by: '', docId: span.docId, start: span.start, end: span.end },
      { kind: 'maybe', question: UNANSWERED, by: '张三' },
    ];
    for (const body of bad) {
      const res = await admin('/api/admin/staff-answers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await (await t.app.request('/api/admin/staff-answers', { headers: AUTH })).json()).staffAnswers).toEqual([]);
  });

  it('answers an attached question with the chosen passage only once approved, and stops when withdrawn', async () => {
    const before = await ask(UNANSWERED);
    expect(before.answerable).toBe(false);
    const span = sentence('JRXL2025@126.com');
    const created = await admin('/api/admin/staff-answers', { kind: 'answer', question: UNANSWERED, by: '张三', docId: span.docId, start: span.start, end: span.end, messageId: before.messageId });
    expect(created.status).toBe(201);
    const { staffAnswer } = await created.json();
    expect(staffAnswer).toMatchObject({ status: 'pending', createdBy: '张三', quote: span.quote, messageId: before.messageId });

    // Pending: not used yet.
    expect((await ask(UNANSWERED)).answerable).toBe(false);

    const approved = await admin(`/api/admin/staff-answers/${staffAnswer.id}/approve`, { by: '李四' });
    expect(approved.status).toBe(200);
    expect((await approved.json()).staffAnswer).toMatchObject({ status: 'approved', reviewedBy: '李四' });
    // Approving twice is refused.
    expect((await admin(`/api/admin/staff-answers/${staffAnswer.id}/approve`, { by: '李四' })).status).toBe(409);

    for (const q of [UNANSWERED, '请问金融兴辽的奖金有多少']) {
      const after = await ask(q);
      expect(after.answerable, q).toBe(true);
      expect(after.via, q).toEqual({ staffAnswerId: staffAnswer.id });
      expect(after.citations, q).toEqual([expect.objectContaining({ docId: span.docId, start: span.start, end: span.end, quote: span.quote })]);
    }
    // A different question about the same campaign is not answered by it.
    expect((await ask('金融兴辽的主办单位是谁？')).via).toBeUndefined();

    const withdrawn = await admin(`/api/admin/staff-answers/${staffAnswer.id}/withdraw`, { by: '李四' });
    expect((await withdrawn.json()).staffAnswer.status).toBe('withdrawn');
    const undone = await ask(UNANSWERED);
    expect(undone.answerable).toBe(false);
    expect(undone.via).toBeUndefined();
  });

  it('declines a question marked out of scope, and another instance on the same database picks it up', async () => {
    const question = '金融兴辽能不能帮我们公司代写申报材料';
    const other = createApp(nodeAppDeps(t.services, createLogger('silent'), { clientKey: () => 'other' }));
    // The other instance has looked once already (its first request loads what is approved).
    await ask('你好', other);
    const { staffAnswer } = await (await admin('/api/admin/staff-answers', { kind: 'out_of_scope', question, by: '王五' })).json();
    await admin(`/api/admin/staff-answers/${staffAnswer.id}/approve`, { by: '李四' });
    const here = await ask(question);
    expect(here).toMatchObject({ answerable: false, declineReason: 'out_of_scope', via: { staffAnswerId: staffAnswer.id } });
    // Without a restart, the other instance answers by it too once it looks again (at most STAFF_REFRESH_MS later;
    // a fresh instance looks at once).
    const fresh = createApp(nodeAppDeps(t.services, createLogger('silent'), { clientKey: () => 'fresh' }));
    expect((await ask(question, fresh)).via).toEqual({ staffAnswerId: staffAnswer.id });
    const list = (await (await t.app.request('/api/admin/staff-answers?status=approved', { headers: AUTH })).json()).staffAnswers;
    expect(list.map((a: { id: string }) => a.id)).toContain(staffAnswer.id);
    expect((await t.app.request('/api/admin/staff-answers?status=nonsense', { headers: AUTH })).status).toBe(400);
  });

  it('masks personal data in what staff store', async () => {
    const res = await admin('/api/admin/staff-answers', { kind: 'out_of_scope', question: '我手机13812345678，能帮我查征信吗', by: '赵六 13912345678' });
    const { staffAnswer } = await res.json();
    expect(staffAnswer.question).not.toContain('13812345678');
    expect(staffAnswer.createdBy).not.toContain('13912345678');
    const row = t.services.sqlite.prepare('select question, created_by from staff_answers where id = ?').get(staffAnswer.id) as { question: string; created_by: string };
    expect(row.question).not.toContain('13812345678');
  });

  it('names in an eval run the answers that came from staff', async () => {
    const question = '金融兴辽能不能帮我们公司代写申报材料';
    const report = await runEvals(
      { refusals: { cases: [{ id: 'staff-1', question, kind: 'out_of_scope' }] } } as never,
      inProcessClient(t.app),
      [],
    );
    expect(report.breakdown.staffAnswered).toEqual([{ question, staffAnswerId: expect.any(String) }]);
  });
});
