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
import { QuestionBank } from '../../src/understand/bank.ts';
import { StaffAnswers } from '../../src/understand/staff.ts';
import { StaffAnswerStore } from '../../src/db/staff-store.ts';
import { staffSync } from '../../src/web/staff.ts';

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

  /** The line of the measures that says what a 首贷中心 does with a request. */
  const firstLoanLine = () => {
    const doc = t.services.corpus.document('liaoning-measures-2025')!;
    const at = doc.text.indexOf('推送至各银行机构');
    const start = doc.text.lastIndexOf('\n', at) + 1;
    return { docId: doc.id, start, end: doc.text.indexOf('\n', at) };
  };
  const get = async (path: string) => (await t.app.request(path, { headers: AUTH })).json();

  it('joins the question bank once approved: a paraphrase finds the passage through the staff question, with no verdict staff did not give', async () => {
    const question = '首贷中心是不是直接就给我们放款了';
    const paraphrase = '首贷中心是直接放款的吗';
    expect((await ask(paraphrase)).answerable).toBe(false);
    const line = firstLoanLine();
    const { staffAnswer } = await (await admin('/api/admin/staff-answers', { kind: 'answer', question, by: '张三', ...line })).json();
    // The file's entries quoting this line answer where the centre is, its steps, what to bring: another kind of question.
    expect(staffAnswer.bank).toEqual({ entryId: `staff-${staffAnswer.id}`, role: 'standard', standard: question, type: 'other' });
    await admin(`/api/admin/staff-answers/${staffAnswer.id}/approve`, { by: '李四' });

    const found = await ask(paraphrase);
    expect(found.answerable).toBe(true);
    expect(found.via).toEqual({ staffAnswerId: staffAnswer.id });
    expect(found.answer).not.toMatch(/^(是的|不是|可以|不可以|能|不能)/);
    for (const c of found.citations) expect(c.start >= line.start && c.end <= line.end, c.quote).toBe(true);
    // A question about the centre that the files' bank answers stays theirs.
    expect((await ask('首贷中心在哪')).via).toBeUndefined();

    // A second question to the same passage is its similar question (相似问), the first staying the standard one.
    const second = (await (await admin('/api/admin/staff-answers', { kind: 'answer', question: '首贷中心会不会自己放贷', by: '王五', ...line })).json()).staffAnswer;
    expect(second.bank).toEqual({ entryId: `staff-${staffAnswer.id}`, role: 'similar', standard: question, type: 'other' });
    await admin(`/api/admin/staff-answers/${second.id}/withdraw`, { by: '王五' });

    // Withdrawn, the paraphrase is declined again.
    await admin(`/api/admin/staff-answers/${staffAnswer.id}/withdraw`, { by: '李四' });
    expect((await ask(paraphrase)).via).toBeUndefined();
  });

  it('joins a files’ entry as its similar question when it asks that entry’s kind of question about its passage', async () => {
    const res = await admin('/api/admin/staff-answers', { kind: 'answer', question: '首贷中心一般设在什么地方', by: '张三', ...firstLoanLine() });
    const { staffAnswer } = await res.json();
    expect(staffAnswer.bank).toEqual({ entryId: 'm8-first-loan-center-location', role: 'similar', standard: '首贷中心在哪', type: 'address' });
    await admin(`/api/admin/staff-answers/${staffAnswer.id}/reject`, { by: '李四' });
    expect((await get('/api/admin/staff-answers?status=rejected')).staffAnswers.find((a: { id: string }) => a.id === staffAnswer.id).bank).toBeNull();
  });

  it('attaches a question to a campaign catalogue field, answered with the field’s verbatim span', async () => {
    expect((await t.app.request('/api/admin/catalogue-fields')).status).toBe(401);
    const all = (await get('/api/admin/catalogue-fields')).fields as Array<{ id: string; label: string; docId: string; start: number; end: number; quote: string }>;
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    for (const f of all) expect(t.services.corpus.document(f.docId)!.text.slice(f.start, f.end), f.id).toBe(f.quote);
    const { fields } = await get(`/api/admin/catalogue-fields?q=${encodeURIComponent('金融兴辽 投票')}`);
    const voting = fields.find((f: { label: string }) => f.label === '金融兴辽 › 投票时间');
    expect(voting).toBeDefined();
    expect(fields.every((f: { label: string; quote: string }) => /金融兴辽/.test(f.label) && /投票/.test(f.label + f.quote))).toBe(true);

    const question = '兴辽网上投票从几号投到几号';
    const created = await admin('/api/admin/staff-answers', { kind: 'answer', question, by: '张三', field: voting.id });
    expect(created.status).toBe(201);
    const { staffAnswer } = await created.json();
    expect(staffAnswer).toMatchObject({ field: voting.id, fieldLabel: '金融兴辽 › 投票时间', quote: voting.quote, start: voting.start, end: voting.end });
    await admin(`/api/admin/staff-answers/${staffAnswer.id}/approve`, { by: '李四' });
    const answered = await ask(question);
    expect(answered.via).toEqual({ staffAnswerId: staffAnswer.id });
    expect(answered.citations).toEqual([expect.objectContaining({ docId: voting.docId, start: voting.start, end: voting.end, quote: voting.quote })]);

    for (const body of [
      { kind: 'answer', question, by: '张三', field: 'jinrong-xingliao-2025:no-such-field' },
      { kind: 'answer', question, by: '张三', field: voting.id, docId: voting.docId, start: voting.start, end: voting.end },
      { kind: 'answer', question, by: '张三' },
    ]) {
      const res = await admin('/api/admin/staff-answers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('leaves out an answer whose catalogue field the catalogue no longer has', async () => {
    const store = new StaffAnswerStore(t.services.db);
    const withField = (await store.approved()).find((a) => a.field !== null)!;
    expect(withField).toBeDefined();
    const lexicon = { fillers: [], synonyms: [] };
    const matcher = new StaffAnswers(lexicon);
    const fields = t.services.staffTargets.fields;
    const place = { place: () => new Map() };
    await staffSync(store, { matcher, bank: place, fields }, () => {}).refresh(true);
    expect(matcher.match(withField.question)?.id).toBe(withField.id);
    await staffSync(store, { matcher, bank: place, fields: fields.filter((f) => f.id !== withField.field) }, () => {}).refresh(true);
    expect(matcher.match(withField.question)).toBeNull();
  });

  it('exports the approved answers in the question bank’s file format, which the bank loads as it is', async () => {
    const res = await t.app.request('/api/admin/staff-answers/export', { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const exported = await res.json();
    const files = Object.fromEntries(Object.entries(exported.files).map(([name, file]) => [name, JSON.stringify(file)]));
    expect(Object.keys(files).length).toBeGreaterThan(0);
    const bank = new QuestionBank(t.services.corpus, files, { fillers: [], synonyms: [] });
    expect(bank.problems).toEqual([]);
    const approved = (await get('/api/admin/staff-answers?status=approved')).staffAnswers as Array<{ question: string; kind: string; bank: { entryId: string; role: string } | null }>;
    const own = approved.filter((a) => a.bank?.entryId.startsWith('staff-'));
    expect(own.length).toBeGreaterThan(0);
    for (const a of own) expect(bank.entries.find((e) => e.id === a.bank!.entryId)?.questions, a.question).toContain(a.question);
    expect(exported.outOfScope).toEqual(approved.filter((a) => a.kind === 'out_of_scope').map((a) => a.question));
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
