import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postJson, startTestService, type TestService } from '../support/app.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

const count = (table: string) => (t.services.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('POST /api/ask', () => {
  it('answers in the contract shape and stores the exchange', async () => {
    const before = count('messages');
    const res = await postJson(t.app, '/api/ask', { question: '无还本续贷需要提前多久向银行提出？' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['answer', 'answerable', 'citations', 'conversationId', 'mode']));
    expect(body.mode).toBe('extractive');
    expect(body.answerable).toBe(true);
    expect(body.answer).toContain('提前1个月');
    for (const c of body.citations) {
      expect(Object.keys(c).sort()).toEqual(['docId', 'end', 'n', 'quote', 'section', 'start', 'title']);
      expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
    }
    expect(count('messages')).toBe(before + 1);
  });

  it('round-trips a conversation through SQLite: question, answer, citations, mode and latency', async () => {
    const first = await (await postJson(t.app, '/api/ask', { question: '小微企业能申请无还本续贷吗？' })).json();
    const second = await (await postJson(t.app, '/api/ask', { question: '那中型企业呢？', conversationId: first.conversationId })).json();
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.answer).toContain('2027年9月30日');

    // Read the file itself through a second connection, as another process would.
    const db = new Database(join(t.dataDir, 'policy.sqlite'), { readonly: true });
    const rows = db
      .prepare('select question, answer, citations, mode, latency_ms, answerable from messages where conversation_id = ? order by created_at, rowid')
      .all(first.conversationId) as Array<{ question: string; answer: string; citations: string; mode: string; latency_ms: number; answerable: number }>;
    db.close();
    expect(rows.map((r) => r.question)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
    expect(rows[1].answer).toBe(second.answer);
    expect(JSON.parse(rows[1].citations)).toEqual(second.citations);
    expect(rows[1].mode).toBe('extractive');
    expect(rows[1].latency_ms).toBeGreaterThan(0);
    expect(rows[1].answerable).toBe(1);

    const history = await (await t.app.request(`/api/conversations/${first.conversationId}`)).json();
    expect(history.messages.map((m: { question: string }) => m.question)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
  });

  it('keeps the documents’ own public numbers in a stored answer while masking the asker’s', async () => {
    const first = await (await postJson(t.app, '/api/ask', { question: '我手机13812345678，信用修复可以打哪个电话咨询？' })).json();
    expect(first.answer).toContain('024—31318629');
    const history = await (await t.app.request(`/api/conversations/${first.conversationId}`)).json();
    expect(history.messages[0].answer).toContain('024—31318629');
    expect(history.messages[0].question).not.toContain('13812345678');
    expect(history.messages[0].question).toContain('138****5678');
  });

  it('declines out-of-scope questions with an empty citation list', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '帮我查一下明天沈阳飞北京的航班' })).json();
    expect(body.answerable).toBe(false);
    expect(body.citations).toEqual([]);
    expect(body.answer).toMatch(/抱歉/);
  });

  it('streams the same answer as SSE: token events, then done with the full JSON', async () => {
    const res = await postJson(t.app, '/api/ask', { question: '信用修复平均要几天？' }, { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const raw = await res.text();
    const events = raw
      .split('\n\n')
      .filter((block) => block.trim())
      .map((block) => ({
        event: /^event: (.+)$/m.exec(block)?.[1],
        data: block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'),
      }));
    const tokens = events.filter((e) => e.event === 'token');
    const done = events.filter((e) => e.event === 'done');
    expect(tokens.length).toBeGreaterThan(1);
    expect(done).toHaveLength(1);
    expect(events[events.length - 1].event).toBe('done');
    const final = JSON.parse(done[0].data);
    expect(tokens.map((e) => JSON.parse(e.data).text).join('')).toBe(final.answer);
    expect(final.answer).toContain('6天');
    expect(final.citations.length).toBeGreaterThan(0);
  });
});

describe('bad input: a Chinese 4xx and nothing stored', () => {
  const cases: Array<[string, () => Response | Promise<Response>, number, string]> = [
    ['missing question', () => postJson(t.app, '/api/ask', {}), 400, 'invalid_request'],
    ['empty question', () => postJson(t.app, '/api/ask', { question: '' }), 400, 'invalid_request'],
    ['blank question', () => postJson(t.app, '/api/ask', { question: '  \n\t ' }), 400, 'invalid_request'],
    ['question of 1,001 characters', () => postJson(t.app, '/api/ask', { question: '续'.repeat(1001) }), 400, 'invalid_request'],
    ['question as a number', () => postJson(t.app, '/api/ask', { question: 42 }), 400, 'invalid_request'],
    ['question as an array', () => postJson(t.app, '/api/ask', { question: ['续贷'] }), 400, 'invalid_request'],
    ['conversationId as a number', () => postJson(t.app, '/api/ask', { question: '续贷', conversationId: 7 }), 400, 'invalid_request'],
    ['profile as a string', () => postJson(t.app, '/api/ask', { question: '续贷', profile: '小微' }), 400, 'invalid_request'],
    ['body as an array', () => postJson(t.app, '/api/ask', '[]'), 400, 'invalid_request'],
    ['body as null', () => postJson(t.app, '/api/ask', 'null'), 400, 'invalid_request'],
    ['invalid JSON', () => postJson(t.app, '/api/ask', '{"question": "续贷"'), 400, 'invalid_json'],
    ['empty body', () => postJson(t.app, '/api/ask', ''), 400, 'invalid_json'],
    ['unknown conversation', () => postJson(t.app, '/api/ask', { question: '续贷', conversationId: 'no-such-conversation' }), 404, 'conversation_not_found'],
    ['form-encoded body', () => t.app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'question=x' }), 415, 'unsupported_media_type'],
    ['body over 64KB', () => postJson(t.app, '/api/ask', { question: '续贷', padding: 'x'.repeat(70_000) }), 413, 'payload_too_large'],
    ['feedback without helpful', () => postJson(t.app, '/api/feedback', { messageId: 'x' }), 400, 'invalid_request'],
    ['feedback with helpful as a string', () => postJson(t.app, '/api/feedback', { messageId: 'x', helpful: 'yes' }), 400, 'invalid_request'],
    ['feedback on an unknown message', () => postJson(t.app, '/api/feedback', { messageId: 'no-such-message', helpful: true }), 404, 'message_not_found'],
    ['unknown document', () => t.app.request('/api/documents/no-such-doc'), 404, 'document_not_found'],
    ['unknown route', () => t.app.request('/api/nothing-here'), 404, 'not_found'],
  ];

  it.each(cases)('%s', async (_name, send, status, code) => {
    const before = [count('conversations'), count('messages'), count('feedback')];
    const res = await send();
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect([count('conversations'), count('messages'), count('feedback')]).toEqual(before);
  });

  // A browser's simple request (no preflight) sends text/plain; curl -d without -H sends none; some clients label JSON +json.
  it.each([
    ['text/plain;charset=UTF-8'],
    [undefined],
    ['application/merge-patch+json'],
    ['application/json; charset=utf-8'],
  ])('reads a JSON body sent as %s', async (type) => {
    const body = JSON.stringify({ question: '无还本续贷要提前多久申请？' });
    const res = await t.app.request('/api/ask', { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.answerable).toBe(true);
    expect(await t.services.store.getMessage(answer.messageId)).toMatchObject({ question: '无还本续贷要提前多久申请？' });
  });

  it.each([['application/json'], ['text/plain']])('parses a JSON body sent as %s once (the validator takes the parsed value from the body cache)', async (type) => {
    const body = JSON.stringify({ question: '担保费补贴怎么申请？' });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const res = await t.app.request('/api/ask', { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status).toBe(200);
      expect(parse.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('accepts exactly 1,000 characters', async () => {
    const res = await postJson(t.app, '/api/ask', { question: '续'.repeat(1000) });
    expect(res.status).toBe(200);
  });
});

describe('POST /api/feedback', () => {
  it('stores helpful / not helpful with a comment against the message', async () => {
    const answer = await (await postJson(t.app, '/api/ask', { question: '首贷中心在哪里？' })).json();
    const res = await postJson(t.app, '/api/feedback', { messageId: answer.messageId, helpful: false, comment: '想知道沈阳的具体地址' });
    expect(res.status).toBe(201);
    const rows = await t.services.store.feedbackFor(answer.messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0].helpful).toBe(false);
    expect(rows[0].comment).toBe('想知道沈阳的具体地址');
  });
});

describe('documents, health and OpenAPI', () => {
  it('lists documents with the contract fields', async () => {
    const docs = await (await t.app.request('/api/documents')).json();
    expect(docs).toHaveLength(5);
    const measures = docs.find((d: { docId: string }) => d.docId === 'liaoning-measures-2025');
    expect(measures).toMatchObject({ title: '辽宁省金融支持民营经济发展若干举措', issuer: '辽宁省人民政府办公厅', published: '2025-04-16', kind: 'measures' });
  });

  it('serves a document with its text and sections, so a citation can be shown in place', async () => {
    const answer = await (await postJson(t.app, '/api/ask', { question: '担保费补贴标准' })).json();
    const c = answer.citations[0];
    const doc = await (await t.app.request(`/api/documents/${c.docId}`)).json();
    expect(doc.text.slice(c.start, c.end)).toBe(c.quote);
    expect(doc.sections.some((s: { start: number; end: number }) => s.start <= c.start && c.end <= s.end)).toBe(true);
  });

  it('reports health once the index is loaded', async () => {
    const body = await (await t.app.request('/healthz')).json();
    expect(body).toMatchObject({ ok: true, mode: 'extractive', documents: 5, lexicalKernel: 'wasm' });
    expect(body.chunks).toBeGreaterThan(100);
  });

  it('publishes an OpenAPI document derived from the schemas', async () => {
    const doc = await (await t.app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/ask', '/api/search', '/api/feedback', '/api/documents', '/api/documents/{docId}', '/healthz']));
    // (Named schemas are components, referred to by $ref.)
    const resolve = (schema: { $ref?: string }) => (schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);
    const ask = resolve(doc.paths['/api/ask'].post.requestBody.content['application/json'].schema);
    expect(ask.required).toContain('question');
    expect(resolve(doc.paths['/api/ask'].post.responses['200'].content['application/json'].schema).properties.citations).toBeDefined();
  });
});

describe('group commit', () => {
  it('commits a burst of concurrent questions and acknowledges each only once stored', async () => {
    const before = count('messages');
    const questions = Array.from({ length: 40 }, (_, i) => `担保费补贴第${i}问：单户多少万以下能补贴？`);
    const bodies = await Promise.all(questions.map(async (question) => (await postJson(t.app, '/api/ask', { question })).json()));
    expect(count('messages')).toBe(before + 40);
    for (const body of bodies) {
      const row = t.services.sqlite.prepare('select question from messages where id = ?').get(body.messageId) as { question: string };
      expect(questions).toContain(row.question);
    }
  });
});

describe('favicon', () => {
  it('serves the icon as SVG at /favicon.svg and at the /favicon.ico browsers ask for on their own', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('image/svg+xml');
      expect(await res.text(), path).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    }
  });
});
