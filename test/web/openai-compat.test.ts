/**
 * The OpenAI-compatible API (/v1) through the official `openai` SDK, against the real Node wiring (corpus, index,
 * SQLite): plain, streamed and multi-turn completions, declines, API keys, the shared rate limit, masking and storage,
 * OpenAI's error shape, and the bodies against the schemas /openapi.json documents for them.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { MAX_USER_TURNS, MODEL_ID } from '../../src/web/routes/openai.ts';
import { DocumentValidator, type Json } from '../support/contract.ts';
import { converse, postJson, startTestService, type TestService } from '../support/app.ts';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub.ts';

type App = TestService['app'];

/** What this service adds to OpenAI's completion and to the stream's finishing chunk. */
interface Extra {
  citations: Array<{ n: number; docId: string; title: string; section: string; quote: string; start: number; end: number }>;
  declined: boolean;
  decline_reason?: string;
  conversation_id: string;
  message_id: string;
  content?: string;
}

const silent = createLogger('silent');
const QUESTION = '无还本续贷需要提前多久向银行提出？';

let t: TestService;
let validator: DocumentValidator;

/** The openai SDK, its requests served by `app` in process. */
function sdk(app: App, options: { apiKey?: string; client?: string } = {}) {
  return new OpenAI({
    apiKey: options.apiKey ?? 'unused',
    baseURL: 'http://policy.test/v1',
    maxRetries: 0,
    defaultHeaders: options.client ? { 'x-test-client': options.client } : undefined,
    fetch: async (url, init) => app.request(url instanceof Request ? url : String(url), init),
  });
}

const extra = (body: object) => body as unknown as Extra;
const codePoints = (s: string) => [...s].length;

/** Every quote of the citations is its document's exact span. */
function expectVerbatim(citations: Extra['citations']) {
  for (const c of citations) {
    expect(Object.keys(c).sort()).toEqual(['docId', 'end', 'n', 'quote', 'section', 'start', 'title']);
    expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
  }
}

/** A value against the schema /openapi.json documents under components/schemas/<name>. */
function expectDocumented(name: string, value: unknown) {
  expect(validator.errors(`/components/schemas/${name}`, value), name).toEqual([]);
}

/** A raw /v1 request, for what the SDK does not show (headers, the stream's lines). */
function post(app: App, body: unknown, headers: Record<string, string> = {}) {
  return postJson(app, '/v1/chat/completions', body, headers);
}

/** An error body in OpenAI's shape, its message in Chinese. */
function expectOpenAiError(body: any, type: string, code: string) {
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error).toMatchObject({ type, code });
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expectDocumented('OpenAiError', body);
}

const storedQuestions = (conversationId: string) =>
  (t.services.sqlite.prepare('select question from messages where conversation_id = ? order by created_at, rowid').all(conversationId) as Array<{ question: string }>).map(
    (r) => r.question,
  );

beforeAll(async () => {
  t = await startTestService();
  validator = new DocumentValidator((await (await t.app.request('/openapi.json')).json()) as Json);
});
afterAll(() => t?.close());

describe('POST /v1/chat/completions through the openai SDK', () => {
  it('answers like /api/ask: content with [n] markers, verbatim citations, usage in code points, stored', async () => {
    const completion = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] });
    const asked = await (await postJson(t.app, '/api/ask', { question: QUESTION })).json();

    expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL_ID, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }] });
    expect(completion.id).toMatch(/^chatcmpl-/);
    const content = completion.choices[0].message.content!;
    expect(content).toBe(asked.answer);
    expect(content).toContain('提前1个月');
    expect(content).toMatch(/\[1\]/);
    const { citations, declined, conversation_id, message_id } = extra(completion);
    expect(citations).toEqual(asked.citations);
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expect(content).toContain(`[${c.n}]`);
    expectVerbatim(citations);
    expect(declined).toBe(false);
    expect(completion.usage).toEqual({ prompt_tokens: codePoints(QUESTION), completion_tokens: codePoints(content), total_tokens: codePoints(QUESTION) + codePoints(content) });
    expectDocumented('ChatCompletion', completion);

    // Stored as /api/ask stores: the conversation and its message are there to read back and to give feedback on.
    expect(storedQuestions(conversation_id)).toEqual([QUESTION]);
    const history = await (await t.app.request(`/api/conversations/${conversation_id}`)).json();
    expect(history.messages[0]).toMatchObject({ messageId: message_id, answer: content, citations });
    expect((await postJson(t.app, '/api/feedback', { messageId: message_id, helpful: true })).status).toBe(201);
  });

  it('declines as a normal message with finish_reason stop, saying it declined', async () => {
    const completion = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: '帮我推荐几只明天能涨的股票' }] });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message.content).toMatch(/[\u4e00-\u9fff]/);
    expect(extra(completion)).toMatchObject({ declined: true, decline_reason: 'out_of_scope', citations: [] });
    expectDocumented('ChatCompletion', completion);
  });

  it('streams chat.completion.chunk events: the same content, the citations on the finishing chunk, usage last', async () => {
    const plain = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] });
    const stream = await sdk(t.app).chat.completions.create({
      model: MODEL_ID,
      messages: [{ role: 'user', content: QUESTION }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) expectDocumented('ChatCompletionChunk', chunk);

    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const pieces = chunks.flatMap((c) => c.choices.map((choice) => choice.delta.content ?? '')).filter(Boolean);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(plain.choices[0].message.content);
    // No piece splits a [n] marker.
    for (const piece of pieces) expect(piece).not.toMatch(/\[\d*$|^\d*\]/);

    const finishing = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishing).toHaveLength(1);
    expect(finishing[0].choices[0].finish_reason).toBe('stop');
    expect(extra(finishing[0]).citations).toEqual(extra(plain).citations);
    expect(extra(finishing[0]).declined).toBe(false);
    expect(extra(finishing[0]).content).toBeUndefined();
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(plain.usage);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('sends data lines only, labelled UTF-8, ending in data: [DONE]; no usage chunk unless asked', async () => {
    const res = await post(t.app, { model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }], stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await res.text();
    expect(text).not.toMatch(/^event:/m);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const data = text
      .split('\n\n')
      .filter(Boolean)
      .map((block) => block.replace(/^data: /, ''));
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && !('usage' in c))).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('works with the SDK’s stream helper (chat.completions.stream → finalChatCompletion)', async () => {
    const plain = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: '信用修复平均要几天？' }] });
    const final = await sdk(t.app).chat.completions.stream({ model: MODEL_ID, messages: [{ role: 'user', content: '信用修复平均要几天？' }] }).finalChatCompletion();
    expect(final.choices[0].message.content).toBe(plain.choices[0].message.content);
    expect(final.choices[0].finish_reason).toBe('stop');
  });

  it('replays the earlier user messages: a follow-up without its subject is answered about the earlier one', async () => {
    const [, followUp] = await converse(t, '小微企业能申请无还本续贷吗？', '那中型企业呢？');
    const completion = await sdk(t.app).chat.completions.create({
      model: MODEL_ID,
      messages: [
        { role: 'system', content: '你是政策助手。' },
        { role: 'user', content: '小微企业能申请无还本续贷吗？' },
        // (Assistant turns are not read: the service recomputes its own context.)
        { role: 'assistant', content: '（客户端保存的上一轮回答）' },
        { role: 'user', content: [{ type: 'text', text: '那中型企业呢？' }] },
      ],
    });
    const content = completion.choices[0].message.content!;
    expect(content).toBe(followUp.answer);
    expect(content).toContain('2027年9月30日');
    expect(extra(completion).citations).toEqual(followUp.citations);
    // Without the earlier turn, the same words are not that answer.
    const alone = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: '那中型企业呢？' }] });
    expect(alone.choices[0].message.content).not.toBe(content);
    // Both turns are stored in the request's one conversation; usage counts both questions.
    expect(storedQuestions(extra(completion).conversation_id)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
    expect(completion.usage!.prompt_tokens).toBe(codePoints('小微企业能申请无还本续贷吗？那中型企业呢？'));
  });

  it(`reads at most the newest ${MAX_USER_TURNS} user messages`, async () => {
    const questions = Array.from({ length: MAX_USER_TURNS + 3 }, (_, i) => `续贷第${i + 1}问：需要提前多久申请？`);
    const completion = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: questions.map((content) => ({ role: 'user' as const, content })) });
    expect(storedQuestions(extra(completion).conversation_id)).toEqual(questions.slice(-MAX_USER_TURNS));
  });

  it('masks personal numbers in what it stores, replayed turns included', async () => {
    const completion = await sdk(t.app).chat.completions.create({
      model: MODEL_ID,
      messages: [
        { role: 'user', content: '我的电话13912345678，担保费补贴怎么申请？' },
        { role: 'user', content: '身份证210102199001011234，续贷要提前多久？' },
      ],
    });
    const stored = storedQuestions(extra(completion).conversation_id);
    expect(stored).toHaveLength(2);
    expect(stored.join()).not.toContain('13912345678');
    expect(stored.join()).not.toContain('210102199001011234');
    expect(stored[0]).toContain('139****5678');
  });
});

describe('/v1 refusals in OpenAI’s error shape', () => {
  it('says model_not_found (404, param model) for another model; the SDK throws NotFoundError', async () => {
    const error = await sdk(t.app)
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: QUESTION }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found', param: 'model' });
    expectOpenAiError(await (await post(t.app, { model: 'gpt-4o', messages: [{ role: 'user', content: QUESTION }] })).json(), 'invalid_request_error', 'model_not_found');
    expect((await sdk(t.app).models.retrieve('gpt-4o').catch((e: unknown) => e)) instanceof OpenAI.NotFoundError).toBe(true);
  });

  it.each([
    ['no messages', { model: MODEL_ID, messages: [] }, 'messages'],
    ['no user message', { model: MODEL_ID, messages: [{ role: 'system', content: '你好' }] }, 'messages'],
    ['an empty question', { model: MODEL_ID, messages: [{ role: 'user', content: '   ' }] }, 'messages[0].content'],
    ['an over-long question', { model: MODEL_ID, messages: [{ role: 'user', content: '续贷'.repeat(600) }] }, 'messages[0].content'],
    ['an image part', { model: MODEL_ID, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }] }, 'messages[0].content[0]'],
    ['an unknown role', { model: MODEL_ID, messages: [{ role: 'robot', content: '续贷' }] }, 'messages[0].role'],
    ['no model', { messages: [{ role: 'user', content: '续贷' }] }, 'model'],
    ['n = 2', { model: MODEL_ID, n: 2, messages: [{ role: 'user', content: '续贷' }] }, 'n'],
  ])('refuses %s with a 400 naming the field', async (_, body, param) => {
    const res = await post(t.app, body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expectOpenAiError(json, 'invalid_request_error', json.error.code);
    expect(json.error.param).toBe(param);
  });

  it('refuses malformed JSON, a non-JSON body and an unknown path in the same shape', async () => {
    const malformed = await post(t.app, '{"model":');
    expect(malformed.status).toBe(400);
    expectOpenAiError(await malformed.json(), 'invalid_request_error', 'invalid_json');
    const xml = await post(t.app, '<q/>', { 'content-type': 'text/xml' });
    expect(xml.status).toBe(415);
    expectOpenAiError(await xml.json(), 'invalid_request_error', 'unsupported_media_type');
    const unknown = await t.app.request('/v1/completions', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expectOpenAiError(await unknown.json(), 'invalid_request_error', 'unknown_url');
    // (/api keeps its own shape.)
    expect(await (await t.app.request('/api/nothing')).json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers 503 storage_unavailable (with Retry-After) when the database refuses writes, and an error chunk midway in a stream', async () => {
    t.services.sqlite.pragma('query_only = ON');
    try {
      const res = await post(t.app, { model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expectOpenAiError(await res.json(), 'server_error', 'storage_unavailable');

      const stream = await sdk(t.app).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }], stream: true });
      const error = await (async () => {
        for await (const _ of stream) void _;
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'server_error', code: 'storage_unavailable' });
    } finally {
      t.services.sqlite.pragma('query_only = OFF');
    }
  });
});

describe('GET /v1/models', () => {
  it('lists the one model, the service, dated by its newest document; retrieves it', async () => {
    const page = await sdk(t.app).models.list();
    const newest = t.services.corpus.documents.map((d) => d.published).filter(Boolean).sort().at(-1)!;
    expect(page.data).toEqual([{ id: MODEL_ID, object: 'model', created: Date.parse(`${newest}T00:00:00+08:00`) / 1000, owned_by: 'liaoning-policy-guide' }]);
    expect(await sdk(t.app).models.retrieve(MODEL_ID)).toEqual(page.data[0]);
    expectDocumented('ModelList', await (await t.app.request('/v1/models')).json());
  });
});

describe('API_KEYS', () => {
  let keyed: App;
  beforeAll(() => {
    // Through the configuration and the runtime's wiring, as the server reads it.
    const config = { ...t.services.config, API_KEYS: loadConfig({ API_KEYS: ' key-one, key-two ,key-one' }).API_KEYS };
    expect(config.API_KEYS).toEqual(['key-one', 'key-two']);
    keyed = createApp(nodeAppDeps({ ...t.services, config }, silent));
  });

  it('refuses a missing or wrong key with 401 invalid_api_key (the SDK throws AuthenticationError), and takes each key', async () => {
    const wrong = await sdk(keyed, { apiKey: 'key-three' })
      .chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    expect(await sdk(keyed, { apiKey: 'key-three' }).models.list().catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);

    for (const headers of [{}, { authorization: 'Basic a2V5LW9uZQ==' }, { authorization: 'Bearer key-one!' }] as Array<Record<string, string>>) {
      const res = await post(keyed, { model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expectOpenAiError(await res.json(), 'authentication_error', 'invalid_api_key');
    }

    for (const apiKey of ['key-one', 'key-two']) {
      const completion = await sdk(keyed, { apiKey }).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] });
      expect(completion.choices[0].message.content).toContain('提前1个月');
    }
    expect((await sdk(keyed, { apiKey: 'key-two' }).models.list()).data[0].id).toBe(MODEL_ID);
  });

  it('leaves /api open and answers a browser’s preflight for /v1 without a key', async () => {
    expect((await keyed.request('/api/documents')).status).toBe(200);
    const preflight = await keyed.request('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin: 'https://example.cn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-stainless-os' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Stainless-OS/);
  });

  it('is open when unset, and refuses an unusable setting without echoing it', () => {
    expect(loadConfig({}).API_KEYS).toBeUndefined();
    for (const bad of ['secret key!', ',', 'ok-key,密钥']) {
      let error: unknown;
      try {
        loadConfig({ API_KEYS: bad });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('API_KEYS');
      expect((error as Error).message).not.toContain(bad);
    }
  });
});

describe('the rate limit on /v1', () => {
  it('counts /api and /v1 together and answers 429 rate_limit_exceeded with Retry-After (the SDK throws RateLimitError)', async () => {
    const limited = createApp(nodeAppDeps(t.services, silent, { rateLimitPerMinute: 1, clientKey: (c) => c.req.header('x-test-client') ?? 'test' }));
    const first = await sdk(limited, { client: 'limited-a' }).chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] });
    expect(first.choices[0].message.content).toBeTruthy();
    const error = await sdk(limited, { client: 'limited-a' })
      .chat.completions.create({ model: MODEL_ID, messages: [{ role: 'user', content: QUESTION }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });

    expect((await limited.request('/api/documents', { headers: { 'x-test-client': 'limited-b' } })).status).toBe(200);
    const res = await limited.request('/v1/models', { headers: { 'x-test-client': 'limited-b' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectOpenAiError(await res.json(), 'rate_limit_error', 'rate_limit_exceeded');
    // (/api keeps its own 429.)
    expect((await (await limited.request('/api/documents', { headers: { 'x-test-client': 'limited-b' } })).json()).error.code).toBe('rate_limited');
  });
});

/**
 * Model mode: the model's sentences go out as they pass the claim checks, while it writes; joined, the deltas are the
 * answer a plain request gets. (The stub drafts one grounded sentence and three unsupported ones the checks drop.)
 */
describe('model mode', () => {
  const GOOD = '省财政对单户500万元以下、担保费率不超过1%的担保业务给予0.5%的担保费补贴[1]。';
  const BAD = ['担保费补贴比例为5%[1]。', '所有企业均可申请这项担保费补贴[1]。'];
  let stub: OpenAiStub;
  let llm: TestService;

  beforeAll(async () => {
    stub = await startOpenAiStub((request) => {
      for (const [passageId, text] of request.passages) {
        const quote = (text.match(/[^。！？\n：]+[。！？]/g) ?? []).map((s) => s.trim()).find((s) => s.includes('0.5%'));
        if (quote) return { draft: { answerable: true, citations: [{ n: 1, passageId, quote }], answer: [GOOD, ...BAD].join('') }, chunkChars: 16 };
      }
      return { status: 500 };
    });
    llm = await startTestService({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${stub.url}/v1`, OPENAI_MODEL: 'stub-model', EMBEDDINGS: 'local' });
  }, 120_000);
  afterAll(async () => {
    llm?.close();
    await stub?.close();
  });

  it('streams the checked sentences as they come; joined they are the plain answer', async () => {
    const messages = [{ role: 'user' as const, content: '担保费补贴给多少？' }];
    const plain = await sdk(llm.app).chat.completions.create({ model: MODEL_ID, messages });
    expect(plain.choices[0].message.content).toContain(GOOD);
    const stream = await sdk(llm.app).chat.completions.create({ model: MODEL_ID, messages, stream: true });
    const pieces: string[] = [];
    let finishing: Extra | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content);
      if (chunk.choices[0]?.finish_reason) finishing = extra(chunk);
    }
    expect(pieces[0]).toBe(GOOD);
    expect(pieces.join('')).toBe(plain.choices[0].message.content);
    expect(finishing!.citations).toEqual(extra(plain).citations);
    expect(finishing!.content).toBeUndefined();
    for (const bad of BAD) expect(pieces.join('')).not.toContain(bad);
  });
});
