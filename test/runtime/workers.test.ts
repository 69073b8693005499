import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, inProcessClient, type AskClient } from '../../src/evals/client.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';

// The Workers build in workerd (wrangler dev, local D1) against the Node
// build in this process: every eval question, case and draft must get the
// same answer from both, and the Worker must store what it answers.

const TODAY = '2026-11-22';
const set = (name: string) => JSON.parse(readFileSync(`evals/${name}.json`, 'utf8')) as { cases: Array<Record<string, any>> };

let worker: RunningWorker;
let node: TestService;
let onWorker: AskClient;
let onNode: AskClient;

beforeAll(async () => {
  [worker, node] = await Promise.all([startWorker({ TODAY, RATE_LIMIT: '0', LOG_LEVEL: 'warn', ADMIN_TOKEN: 'worker-test-token', API_KEYS: 'worker-api-key' }), startTestService({ TODAY })]);
  onWorker = httpClient(worker.baseUrl);
  onNode = inProcessClient(node.app);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  node?.close();
});

/** An answer without the ids each runtime makes up. */
function comparable(body: Record<string, unknown>) {
  const { conversationId: _c, messageId: _m, ...rest } = body;
  return rest;
}

async function askBoth(turns: string[]) {
  const conversations: Record<'worker' | 'node', string | undefined> = { worker: undefined, node: undefined };
  const out: Array<{ worker: unknown; node: unknown }> = [];
  for (const question of turns) {
    const [w, n] = await Promise.all(
      (['worker', 'node'] as const).map(async (side) => {
        const client = side === 'worker' ? onWorker : onNode;
        const res = await client.post('/api/ask', { question, ...(conversations[side] ? { conversationId: conversations[side] } : {}) });
        expect(res.status, `${side}: ${question}`).toBe(200);
        conversations[side] = res.body.conversationId;
        return comparable(res.body);
      }),
    );
    out.push({ worker: w, node: n });
  }
  return out;
}

describe('the Worker (workerd, D1) answers as the Node server does', () => {
  it('serves the health check with the same corpus and embedder; BM25 sums in JavaScript there, in WebAssembly on Node', async () => {
    const [w, n] = await Promise.all([onWorker.get('/healthz'), onNode.get('/healthz')]);
    expect(w.status).toBe(200);
    // workerd refuses to compile WebAssembly from bytes, so every answer compared below comes from the other loop.
    expect([w.body.lexicalKernel, n.body.lexicalKernel]).toEqual(['js', 'wasm']);
    expect({ ...w.body, lexicalKernel: undefined }).toEqual({ ...n.body, lexicalKernel: undefined });
  });

  it('is ready on both: the database (D1, SQLite) takes a write and the index is loaded', async () => {
    const [w, n] = await Promise.all([onWorker.get('/readyz'), onNode.get('/readyz')]);
    expect([w.status, n.status]).toEqual([200, 200]);
    for (const r of [w, n]) expect(r.body).toMatchObject({ ready: true, checks: { database: { ok: true }, index: { ok: true } } });
  });

  it('gives the same answer and citations to every QA and refusal question', async () => {
    const questions = [...set('qa').cases, ...set('refusals').cases].map((c) => c.question as string);
    const differing: string[] = [];
    for (const question of questions) {
      const [pair] = await askBoth([question]);
      if (JSON.stringify(pair.worker) !== JSON.stringify(pair.node)) differing.push(question);
    }
    expect(differing).toEqual([]);
    expect(questions.length).toBeGreaterThan(150);
  });

  it('follows multi-turn situations the same way, carrying context through D1', async () => {
    const cases = [...set('situations').cases, ...set('situations-holdout').cases];
    const differing: string[] = [];
    for (const c of cases) {
      for (const pair of await askBoth(c.turns as string[])) {
        if (JSON.stringify(pair.worker) !== JSON.stringify(pair.node)) differing.push(c.id as string);
      }
    }
    expect(differing).toEqual([]);
  });

  it('recommends the same tracks for every track case, and checks every draft the same way', async () => {
    const differing: string[] = [];
    for (const c of set('tracks').cases) {
      const body = { case: { description: c.description, ...(c.fields ?? {}) } };
      const [w, n] = await Promise.all([onWorker.post('/api/recommend', body), onNode.post('/api/recommend', body)]);
      if (w.status !== n.status || JSON.stringify(w.body) !== JSON.stringify(n.body)) differing.push(c.id as string);
    }
    for (const c of set('applications').cases) {
      const body = { draft: c.draft };
      const [w, n] = await Promise.all([onWorker.post('/api/applications/check', body), onNode.post('/api/applications/check', body)]);
      if (w.status !== n.status || JSON.stringify(w.body) !== JSON.stringify(n.body)) differing.push(c.id as string);
    }
    expect(differing).toEqual([]);
  });
});

describe('the Worker stores conversations and feedback in D1', () => {
  it('keeps a conversation, serves it back, and takes feedback on its messages', async () => {
    const first = await onWorker.post('/api/ask', { question: '小微企业能申请无还本续贷吗？' });
    const second = await onWorker.post('/api/ask', { question: '那中型企业呢？', conversationId: first.body.conversationId });
    expect(second.status).toBe(200);
    expect(second.body.answer).toContain('2027年9月30日');

    const history = await onWorker.get(`/api/conversations/${first.body.conversationId}`);
    expect(history.body.messages.map((m: { question: string }) => m.question)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
    expect(history.body.messages[1].citations).toEqual(second.body.citations);

    const feedback = await onWorker.post('/api/feedback', { messageId: second.body.messageId, helpful: true, comment: '很清楚' });
    expect(feedback.status).toBe(201);
  });

  it('searches the questions log in D1 with any query the console can send', async () => {
    const admin = { authorization: 'Bearer worker-test-token' };
    await onWorker.post('/api/ask', { question: '担保费率100%_的业务有补贴吗' });
    for (const q of ['100%_', '续'.repeat(100), '\u0000\u0001']) {
      const res = await fetch(new URL(`/api/admin/questions?q=${encodeURIComponent(q)}`, worker.baseUrl), { headers: admin });
      expect(res.status, q).toBe(200);
    }
    const found = await (await fetch(new URL(`/api/admin/questions?q=${encodeURIComponent('100%_')}`, worker.baseUrl), { headers: admin })).json();
    expect(found.questions.map((r: { question: string }) => r.question)).toEqual(['担保费率100%_的业务有补贴吗']);
  });

  it('keeps staff answers in D1 and answers by an approved one at once', async () => {
    const admin = { authorization: 'Bearer worker-test-token', 'content-type': 'application/json' };
    const question = '金融兴辽能不能帮我们公司代写申报材料';
    const post = async (path: string, body: unknown) => fetch(new URL(path, worker.baseUrl), { method: 'POST', headers: admin, body: JSON.stringify(body) });
    const created = await post('/api/admin/staff-answers', { kind: 'out_of_scope', question, by: '张三' });
    expect(created.status).toBe(201);
    const { staffAnswer } = await created.json();
    expect((await post(`/api/admin/staff-answers/${staffAnswer.id}/approve`, { by: '李四' })).status).toBe(200);
    const answered = await onWorker.post('/api/ask', { question });
    expect(answered.body).toMatchObject({ answerable: false, declineReason: 'out_of_scope', via: { staffAnswerId: staffAnswer.id } });
    expect((await post(`/api/admin/staff-answers/${staffAnswer.id}/withdraw`, { by: '李四' })).status).toBe(200);
    expect((await onWorker.post('/api/ask', { question })).body.via).toBeUndefined();
  });

  it('masks personal data before it reaches D1', async () => {
    const res = await onWorker.post('/api/ask', { question: '我的电话13912345678，担保费补贴怎么申请？' });
    const history = await onWorker.get(`/api/conversations/${res.body.conversationId}`);
    expect(history.body.messages[0].question).not.toContain('13912345678');
  });

  it('refuses bad input with a Chinese 4xx, as on Node', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question":' }],
      ['/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '' }) }],
      ['/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '续贷'.repeat(600) }) }],
      ['/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'x'.repeat(70_000) }) }],
      ['/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '续贷', conversationId: 'nope' }) }],
      ['/api/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: 'nope', helpful: true }) }],
      ['/api/nothing-here', { method: 'GET' }],
    ];
    for (const [path, init] of cases) {
      const [w, n] = await Promise.all([fetch(new URL(path, worker.baseUrl), init), node.app.request(path, init)]);
      const [wb, nb] = [await w.json(), await n.json()];
      expect(w.status, `${path} ${String(init.body).slice(0, 40)}`).toBe(n.status);
      expect(w.status).toBeGreaterThanOrEqual(400);
      expect(w.status).toBeLessThan(500);
      expect(wb).toEqual(nb);
      expect(wb.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('streams an answer as server-sent events', async () => {
    const res = await fetch(new URL('/api/ask', worker.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: '担保费补贴是多少？' }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).toContain('event: token');
    const done = text.split('event: done\n')[1];
    const body = JSON.parse(done.slice(done.indexOf('data: ') + 6).split('\n')[0]);
    const plain = await postJson(node.app, '/api/ask', { question: '担保费补贴是多少？' });
    expect(comparable(body)).toEqual(comparable(await plain.json()));
  });
});

/**
 * The OpenAI-compatible API (/v1) through the openai SDK, on the Worker (API_KEYS set there) and on Node (open): the
 * same completions, plain, multi-turn and streamed, apart from the ids and times each runtime makes up.
 */
describe('the OpenAI-compatible API on the Worker', () => {
  const MODEL = 'liaoning-policy';
  const onWorkerSdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${worker.baseUrl}/v1`, maxRetries: 0 });
  const onNodeSdk = () => new OpenAI({ apiKey: 'unused', baseURL: 'http://node.test/v1', maxRetries: 0, fetch: async (url, init) => node.app.request(String(url), init) });
  /** A completion or chunk without what each runtime makes up: ids and times. */
  const comparableCompletion = (body: object) => {
    const { id: _i, created: _c, conversation_id: _cid, message_id: _mid, ...rest } = body as Record<string, unknown>;
    return rest;
  };
  const streamed = async (client: OpenAI, messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[]) => {
    const chunks: object[] = [];
    for await (const chunk of await client.chat.completions.create({ model: MODEL, messages, stream: true, stream_options: { include_usage: true } })) chunks.push(chunk);
    return chunks.map(comparableCompletion);
  };

  it('answers plain and multi-turn completions as Node does, and streams the same chunks', async () => {
    const conversations: OpenAI.Chat.Completions.ChatCompletionMessageParam[][] = [
      [{ role: 'user', content: '担保费补贴是多少？' }],
      [{ role: 'user', content: '帮我推荐几只明天能涨的股票' }],
      [
        { role: 'user', content: '小微企业能申请无还本续贷吗？' },
        { role: 'assistant', content: '可以。' },
        { role: 'user', content: '那中型企业呢？' },
      ],
    ];
    for (const messages of conversations) {
      const [w, n] = await Promise.all([
        onWorkerSdk('worker-api-key').chat.completions.create({ model: MODEL, messages }),
        onNodeSdk().chat.completions.create({ model: MODEL, messages }),
      ]);
      expect(comparableCompletion(w)).toEqual(comparableCompletion(n));
      const [ws, ns] = await Promise.all([streamed(onWorkerSdk('worker-api-key'), messages), streamed(onNodeSdk(), messages)]);
      expect(ws).toEqual(ns);
      expect(ws.length).toBeGreaterThan(3);
    }
    const followUp = await onWorkerSdk('worker-api-key').chat.completions.create({ model: MODEL, messages: conversations[2] });
    expect(followUp.choices[0].message.content).toContain('2027年9月30日');
    // Both turns stored in D1, in the request's one conversation.
    const history = await onWorker.get(`/api/conversations/${(followUp as unknown as { conversation_id: string }).conversation_id}`);
    expect(history.body.messages.map((m: { question: string }) => m.question)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
  });

  it('requires one of API_KEYS there, refusing in OpenAI’s shape', async () => {
    const refused = await onWorkerSdk('not-the-key').models.list().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    const res = await fetch(`${worker.baseUrl}/v1/models`);
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key', param: null });
    expect((await onWorkerSdk('worker-api-key').models.list()).data.map((m) => m.id)).toEqual([MODEL]);
  });
});

/**
 * LLM mode in the Workers runtime (workerd through wrangler dev): the same claim checks and the same streaming
 * as on Node, against the OpenAI-compatible stub on loopback. The draft mixes one grounded sentence with
 * unsupported ones; only the grounded one may reach the client, streamed before `done`. (In this file, after the
 * parity suite: one Worker build at a time.)
 */
const LLM_GOOD = '省财政对单户500万元以下、担保费率不超过1%的担保业务给予0.5%的担保费补贴[1]。';
const LLM_BAD = ['担保费补贴比例为5%[1]。', '所有企业均可申请这项担保费补贴[1]。', '可拨打咨询电话024-88886666申请担保费补贴[1]。'];

describe('the MCP server on the Worker', () => {
  /** An MCP client over Streamable HTTP: to the Worker's /mcp, or to the Node app's in this process. */
  const connect = async (side: 'worker' | 'node') => {
    const client = new Client({ name: 'parity-test', version: '1.0.0' });
    const transport =
      side === 'worker'
        ? new StreamableHTTPClientTransport(new URL(`${worker.baseUrl}/mcp`))
        : new StreamableHTTPClientTransport(new URL('http://node.test/mcp'), { fetch: async (url, init) => node.app.request(String(url), init) });
    await client.connect(transport);
    return client;
  };
  /** A tool result without the ids each runtime makes up. */
  const comparableResult = (result: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(result, (key, value) => (key === 'conversationId' || key === 'messageId' ? undefined : value)).replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'));

  it('lists the same tools and gives the same results as Node, a follow-up carrying its conversation', async () => {
    const [w, n] = await Promise.all([connect('worker'), connect('node')]);
    try {
      const [wt, nt] = await Promise.all([w.listTools(), n.listTools()]);
      expect(wt.tools.map((t) => t.name).sort()).toEqual(['ask_policy', 'check_application', 'policy_checkup', 'recommend_track', 'search_policy']);
      expect(wt).toEqual(nt);
      const calls: Array<{ name: string; arguments: Record<string, unknown> }> = [
        { name: 'ask_policy', arguments: { question: '无还本续贷要提前多久申请？' } },
        { name: 'search_policy', arguments: { query: '担保费补贴', k: 3 } },
        { name: 'recommend_track', arguments: { description: '我们是沈阳的一家银行，用大数据风控模型为小微企业发放纯信用贷款，已在全省落地。' } },
        { name: 'policy_checkup', arguments: { size: '小微' } },
      ];
      for (const call of calls) {
        const [wr, nr] = await Promise.all([w.callTool(call), n.callTool(call)]);
        expect(wr.isError ?? false, call.name).toBe(false);
        expect(comparableResult(wr), call.name).toEqual(comparableResult(nr));
      }
      const first = (await w.callTool({ name: 'ask_policy', arguments: { question: '小微企业能申请无还本续贷吗？' } })) as { structuredContent?: { conversationId?: string } };
      const conversationId = first.structuredContent!.conversationId!;
      const next = await w.callTool({ name: 'ask_policy', arguments: { question: '那中型企业呢？', conversationId } });
      expect(JSON.stringify(next.content)).toContain('2027年9月30日');
      // Both turns are stored in D1 in that conversation.
      const history = await onWorker.get(`/api/conversations/${conversationId}`);
      expect(history.body.messages.map((m: { question: string }) => m.question)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
    } finally {
      await Promise.all([w.close(), n.close()]);
    }
  });
});

describe('LLM mode on the Worker', () => {
  let stub: OpenAiStub;
  let worker: RunningWorker;

  beforeAll(async () => {
    stub = await startOpenAiStub((request) => {
      for (const [passageId, text] of request.passages) {
        const quote = (text.match(/[^。！？\n：]+[。！？]/g) ?? []).map((s) => s.trim()).find((s) => s.includes('0.5%'));
        if (quote) return { draft: { answerable: true, citations: [{ n: 1, passageId, quote }], answer: [LLM_GOOD, ...LLM_BAD].join('') }, chunkChars: 16 };
      }
      return { status: 500 };
    });
    worker = await startWorker({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${stub.url}/v1`, OPENAI_MODEL: 'stub-model', EMBEDDINGS: 'local', TODAY: '2026-11-22' });
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await stub?.close();
  });

  it('streams the grounded sentence and shows none of the unsupported ones', async () => {
    const res = await fetch(`${worker.baseUrl}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: '担保费补贴给多少？' }),
    });
    const text = await res.text();
    const events = text
      .split(/\n\n/)
      .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1], data: /^data: (.*)$/m.exec(block)?.[1] }))
      .filter((e) => e.event && e.data)
      .map((e) => ({ event: e.event!, data: JSON.parse(e.data!) }));
    const done = events.find((e) => e.event === 'done')!.data;
    expect(stub.chatRequests().length).toBeGreaterThan(0);
    expect(done.mode).toBe('llm');
    expect(done.answer).toBe(LLM_GOOD);
    expect(done.checks).toEqual({ sentences: 4, shown: 1, dropped: { unsupported_value: 2, unsupported_quantifier: 1 }, fallback: false });
    const tokens = events.filter((e) => e.event === 'token').map((e) => e.data.text as string);
    expect(tokens).toEqual([LLM_GOOD]);
  }, 60_000);
});

/**
 * Rate limiting in workerd: with wrangler.toml's [[ratelimits]] binding (here with a limit of 3, far below RATE_LIMIT),
 * the binding decides per cf-connecting-ip; without the block, each isolate's own window of RATE_LIMIT does. (The
 * parity suite above runs with the binding and RATE_LIMIT=0: limiting off.)
 */
describe('rate limiting on the Worker', () => {
  const ask = (baseUrl: string, ip: string) => fetch(`${baseUrl}/api/documents`, { headers: { 'cf-connecting-ip': ip } });
  /** Lets the minute's last seconds pass, so a test's requests fall in one window of the limiter. */
  const oneWindow = async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 100));
  };

  it('enforces the Rate Limiting binding with its own limit, per caller address', async () => {
    const worker = await startWorker({ RATE_LIMIT: '100', TODAY }, { wranglerToml: (text) => withRateLimiter(text, 'simple = { limit = 3, period = 60 }') });
    try {
      await oneWindow();
      const responses = [];
      for (let i = 0; i < 4; i++) responses.push(await ask(worker.baseUrl, '203.0.113.1'));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect((await responses[3].json()).error.code).toBe('rate_limited');
      expect(Number(responses[3].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(responses[3].headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // The binding says only yes or no: no quota headers that would be RATE_LIMIT's, not its own.
      expect(responses[0].headers.get('ratelimit-limit')).toBeNull();
      expect((await ask(worker.baseUrl, '203.0.113.2')).status).toBe(200);
    } finally {
      await worker.stop();
    }
  }, 180_000);

  it("falls back to the isolate's own window of RATE_LIMIT without the binding", async () => {
    const worker = await startWorker({ RATE_LIMIT: '3', TODAY }, { wranglerToml: (text) => withRateLimiter(text, null) });
    try {
      await oneWindow();
      const responses = [];
      for (let i = 0; i < 4; i++) responses.push(await ask(worker.baseUrl, '203.0.113.1'));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(responses.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
      expect(responses[0].headers.get('ratelimit-policy')).toBe('3;w=60');
      expect(responses[3].headers.get('retry-after')).toBe(responses[3].headers.get('ratelimit-reset'));
      expect((await ask(worker.baseUrl, '203.0.113.2')).status).toBe(200);
    } finally {
      await worker.stop();
    }
  }, 180_000);
});

/** wrangler.toml with its [[ratelimits]] block's `simple = …` line replaced, or the block removed (null). */
function withRateLimiter(text: string, simple: string | null): string {
  const block = /^\[\[ratelimits\]\]\n(?:[^\n[].*\n)*/m;
  const found = block.exec(text);
  if (!found) throw new Error('wrangler.toml has no [[ratelimits]] block');
  return text.replace(block, simple === null ? '' : found[0].replace(/^simple = .*$/m, simple));
}
