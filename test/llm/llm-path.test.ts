/**
 * The model path end to end against a local OpenAI-compatible stub (no
 * network): ChatOpenAI's structured output via function calling, grounding
 * of the draft against the stored text, the extractive fallback on every
 * kind of model failure, and OpenAI embeddings for the index.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../../src/answer/types.ts';
import type { Chunk } from '../../src/corpus/chunk.ts';
import { createServices, nodeAppDeps, type Services } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import type { Logger } from '../../src/web/log.ts';
import { startOpenAiStub, stubbedConfig, type ChatRequest, type OpenAiStub, type RecordedRequest } from '../support/openai-stub.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SYSTEM_PROMPT = readFileSync(join(ROOT, 'prompts/answer.system.md'), 'utf8');
const IN_SCOPE = '信用修复一般需要多长时间？';
const FABRICATED = '企业信用修复一律当天办结，无需提交任何材料。';

interface LogLine {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  return {
    info: (event, fields) => lines.push({ level: 'info', event, fields }),
    warn: (event, fields) => lines.push({ level: 'warn', event, fields }),
    error: (event, fields) => lines.push({ level: 'error', event, fields }),
  };
}

/** Whole sentences of a passage (ending in 。！？), long enough to be a citation. */
function sentencesOf(text: string): string[] {
  return (text.match(/[^。！？\n]+[。！？]/g) ?? []).map((s) => s.trim()).filter((s) => s.length >= 8);
}

/** The first passage (in prompt order) containing `needle`, and the sentence of it that does. */
function findSentence(request: ChatRequest, needle: string): { passageId: string; quote: string } {
  for (const [passageId, text] of request.passages) {
    const quote = sentencesOf(text).find((s) => s.includes(needle));
    if (quote) return { passageId, quote };
  }
  throw new Error(`no passage sentence contains ${needle}; passages: ${[...request.passages.keys()].join(',')}`);
}

/** A verbatim sentence from a passage other than `except`. */
function otherSentence(request: ChatRequest, except: string): { passageId: string; quote: string } {
  for (const [passageId, text] of request.passages) {
    if (passageId === except) continue;
    const quote = sentencesOf(text)[0];
    if (quote) return { passageId, quote };
  }
  throw new Error('no second passage with a whole sentence');
}

describe('LLM path against a local OpenAI-compatible stub', () => {
  let stub: OpenAiStub;
  let services: Services;
  let slow: Services;
  const dirs: string[] = [];
  const logs: LogLine[] = [];
  const slowLogs: LogLine[] = [];
  /** Requests the stub saw while `services` was being built (the index build). */
  let buildRequests: RecordedRequest[] = [];

  const configFor = (timeoutMs: number) => stubbedConfig(stub, dirs, { LLM_TIMEOUT_MS: String(timeoutMs) });

  /** The corpus chunk a passage of the prompt is (its text is the chunk's text). */
  const chunkOf = (text: string): Chunk => {
    const chunk = services.corpus.chunks.find((c) => c.text === text);
    if (!chunk) throw new Error(`passage is not a corpus chunk: ${text.slice(0, 40)}`);
    return chunk;
  };

  /** Every citation is the stored text of its document between start and end. */
  const expectVerbatim = (citations: Citation[]) => {
    expect(citations.length).toBeGreaterThan(0);
    citations.forEach((c, i) => {
      expect(c.n).toBe(i + 1);
      const doc = services.corpus.document(c.docId);
      expect(doc, c.docId).toBeDefined();
      expect(doc!.text.slice(c.start, c.end)).toBe(c.quote);
    });
  };

  const ask = (question: string, on: Services = services): Promise<Answer> => on.answers.answer({ question });

  beforeAll(async () => {
    stub = await startOpenAiStub();
    services = await createServices(configFor(10_000), { logger: recordingLogger(logs) });
    buildRequests = [...stub.requests];
    // (A deadline long enough for the retrieval before the model call even on a loaded machine.)
    slow = await createServices(configFor(1_000), { logger: recordingLogger(slowLogs) });
  });

  afterAll(async () => {
    services?.close();
    slow?.close();
    await stub?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    stub.reset();
    logs.length = 0;
    slowLogs.length = 0;
    stub.setChat(() => {
      throw new Error('this test did not script the chat model');
    });
  });

  it('sends the prompt files, the configured model and the key, and grounds a verbatim draft (mode llm)', async () => {
    let seen: ChatRequest | undefined;
    let expected: Array<{ passageId: string; quote: string }> = [];
    stub.setChat((request) => {
      seen = request;
      const first = findSentence(request, '平均修复时间');
      const second = otherSentence(request, first.passageId);
      expected = [first, second];
      return {
        draft: {
          answerable: true,
          // Markers after the full stop, as the extractive answers write them, and before it.
          answer: `信用修复申请可在线提交，平均修复时间6天，最快3天。[1]另外，${second.quote.replace(/[。！？]$/, '')}[2]。`,
          citations: [
            { n: 1, passageId: first.passageId, quote: first.quote },
            { n: 2, passageId: `[${second.passageId}]`, quote: `  ${second.quote} ` },
          ],
        },
      };
    });

    const answer = await ask(IN_SCOPE);

    // What reached the model.
    const chats = stub.chatRequests();
    expect(chats).toHaveLength(1);
    const request = chats[0];
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer test-key');
    expect(request.model).toBe('stub-model');
    // The draft is streamed, so that sentences can be checked and shown while the model writes.
    expect(request.body.stream).toBe(true);
    expect(request.toolName).toBe('answer');
    expect(request.body.tools.map((t: any) => t.function.name)).toEqual(['answer']);
    expect(Object.keys(request.body.tools[0].function.parameters.properties).sort()).toEqual(['answer', 'answerable', 'citations']);
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request.system).toBe(SYSTEM_PROMPT);
    expect(request.human).toContain('今天的日期：2026-11-22');
    expect(request.human).toContain('对话上文（用于理解追问，可能为空）：（无）');
    expect(request.human).toContain(`问题：${IN_SCOPE}`);
    expect(request.passages.size).toBeGreaterThanOrEqual(2);
    expect([...request.passages.keys()]).toEqual([...request.passages.keys()].map((_, i) => `P${i + 1}`));
    for (const text of request.passages.values()) chunkOf(text);

    // What came back: the model's answer, grounded.
    expect(seen).toBeDefined();
    expect(answer.mode).toBe('llm');
    expect(answer.answerable).toBe(true);
    expect(answer.declineReason).toBeUndefined();
    expect(answer.answer.startsWith(`信用修复申请可在线提交，平均修复时间6天，最快3天。[1]另外，${expected[1].quote.replace(/[。！？]$/, '')}[2]。`)).toBe(true);
    expect(answer.citations).toHaveLength(2);
    expectVerbatim(answer.citations);
    answer.citations.forEach((c, i) => {
      expect(c.quote).toBe(expected[i].quote);
      const chunk = chunkOf(seen!.passages.get(expected[i].passageId)!);
      expect(c.docId).toBe(chunk.docId);
      expect(c.start).toBeGreaterThanOrEqual(chunk.start);
      expect(c.end).toBeLessThanOrEqual(chunk.end);
      expect(c.section).toBe(chunk.path.join(' › '));
      expect(c.title).toBe(services.corpus.document(chunk.docId)!.title);
    });
    expect(answer.citations[0].quote).toContain('平均修复时间6天');
    expect(logs.filter((l) => l.event === 'llm_fallback')).toEqual([]);
  });

  it('drops a fabricated citation and the sentence carrying its marker, renumbering from [1]', async () => {
    let real = { passageId: '', quote: '' };
    stub.setChat((request) => {
      real = findSentence(request, '平均修复时间');
      return {
        draft: {
          answerable: true,
          answer: '信用修复当天即可办结[1]。平均修复时间为6天，最快3天[2]。',
          citations: [
            { n: 1, passageId: real.passageId, quote: FABRICATED },
            { n: 2, passageId: real.passageId, quote: real.quote },
          ],
        },
      };
    });

    const answer = await ask(IN_SCOPE);

    expect(stub.chatRequests()).toHaveLength(1);
    expect(answer.mode).toBe('llm');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).not.toContain('当天即可办结');
    expect(answer.answer.startsWith('平均修复时间为6天，最快3天[1]。')).toBe(true);
    expect(answer.answer).not.toContain('[2]');
    expect(answer.citations).toHaveLength(1);
    expectVerbatim(answer.citations);
    expect(answer.citations[0].quote).toBe(real.quote);
    expect(answer.citations.some((c) => c.quote.includes('当天'))).toBe(false);
  });

  it('drops a citation whose quote is verbatim in the document but outside the passage it names', async () => {
    let sameDocument = false;
    stub.setChat((request) => {
      const real = findSentence(request, '平均修复时间');
      const docId = chunkOf(request.passages.get(real.passageId)!).docId;
      // A sentence of another passage of the same document: in the document text, not in the named passage.
      const elsewhere = [...request.passages]
        .filter(([id, text]) => id !== real.passageId && chunkOf(text).docId === docId)
        .map(([, text]) => sentencesOf(text).find((q) => !request.passages.get(real.passageId)!.includes(q)))
        .find((q) => q !== undefined);
      if (!elsewhere) throw new Error('no other passage of the same document among the passages');
      sameDocument = services.corpus.document(docId)!.text.includes(elsewhere);
      return {
        draft: {
          answerable: true,
          answer: '平均修复时间6天。[1]另有其他规定。[2]',
          // [2] names the passage [1] came from, but quotes another one.
          citations: [
            { n: 1, passageId: real.passageId, quote: real.quote },
            { n: 2, passageId: real.passageId, quote: elsewhere },
          ],
        },
      };
    });

    const answer = await ask(IN_SCOPE);

    expect(sameDocument).toBe(true);
    expect(answer.mode).toBe('llm');
    expect(answer.answer.startsWith('平均修复时间6天。[1]')).toBe(true);
    expect(answer.answer).not.toContain('另有其他规定');
    expect(answer.citations).toHaveLength(1);
    expectVerbatim(answer.citations);
  });

  it('falls back to the extractive answer when every quote is fabricated', async () => {
    stub.setChat((request) => ({
      draft: {
        answerable: true,
        answer: '信用修复当天即可办结[1]。无需任何材料[2]。',
        citations: [
          { n: 1, passageId: 'P1', quote: FABRICATED },
          { n: 2, passageId: request.passages.has('P2') ? 'P2' : 'P1', quote: '无需提交任何申请材料即可修复。' },
        ],
      },
    }));

    const answer = await ask(IN_SCOPE);

    expect(stub.chatRequests()).toHaveLength(1);
    expect(answer.mode).toBe('extractive');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).not.toContain('当天即可办结');
    expectVerbatim(answer.citations);
    expect(answer.citations.some((c) => c.quote.includes('平均修复时间6天'))).toBe(true);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'llm_fallback', fields: { reason: expect.stringContaining('verifiable citation') } }),
    );
  });

  it('falls back to the extractive answer when the model says the passages cannot answer', async () => {
    stub.setChat((request) => {
      const real = findSentence(request, '平均修复时间');
      // Even with a verifiable citation, answerable=false is the model declining.
      return {
        draft: {
          answerable: false,
          answer: '资料不足，无法回答[1]。',
          citations: [{ n: 1, passageId: real.passageId, quote: real.quote }],
        },
      };
    });

    const answer = await ask(IN_SCOPE);

    expect(stub.chatRequests()).toHaveLength(1);
    expect(answer.mode).toBe('extractive');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).not.toContain('资料不足');
    expectVerbatim(answer.citations);
    expect(logs.some((l) => l.event === 'llm_fallback')).toBe(true);
  });

  it('retries HTTP 500 with backoff inside the deadline, then falls back to the extractive answer', async () => {
    stub.setChat(() => ({ status: 500 }));

    const answer = await ask(IN_SCOPE);

    // Three attempts in all, two retries logged with their backoff.
    expect(stub.chatRequests()).toHaveLength(3);
    expect(logs.filter((l) => l.event === 'llm_retry').map((l) => [l.fields?.attempt, l.fields?.status])).toEqual([
      [1, 500],
      [2, 500],
    ]);
    expect(answer.mode).toBe('extractive');
    expect(answer.answerable).toBe(true);
    expectVerbatim(answer.citations);
    expect(logs).toContainEqual(
      expect.objectContaining({ event: 'llm_fallback', fields: { reason: expect.stringContaining('model call failed') } }),
    );
  });

  it('falls back to the extractive answer when the model returns arguments that do not fit the schema', async () => {
    stub.setChat(() => ({ rawArguments: '{"answerable": true, "answer": 42}' }));

    const answer = await ask(IN_SCOPE);

    expect(stub.chatRequests()).toHaveLength(1);
    expect(answer.mode).toBe('extractive');
    expect(answer.answerable).toBe(true);
    expectVerbatim(answer.citations);
  });

  it('falls back to the extractive answer when the model is slower than LLM_TIMEOUT_MS', async () => {
    let delivered = false;
    stub.setChat((request) => {
      const real = findSentence(request, '平均修复时间');
      delivered = true;
      // A perfectly good draft, but four seconds late.
      return {
        delayMs: 4_000,
        draft: { answerable: true, answer: '平均修复时间6天。[1]', citations: [{ n: 1, passageId: real.passageId, quote: real.quote }] },
      };
    });

    const started = performance.now();
    const answer = await ask(IN_SCOPE, slow);
    const elapsed = performance.now() - started;

    expect(delivered).toBe(true);
    expect(stub.chatRequests()).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_000);
    expect(answer.mode).toBe('extractive');
    expect(answer.answerable).toBe(true);
    expectVerbatim(answer.citations);
    expect(slowLogs).toContainEqual(
      expect.objectContaining({ event: 'llm_fallback', fields: { reason: expect.stringMatching(/timed out|model call failed/) } }),
    );
  });

  it('declines an out-of-scope question before any model call', async () => {
    let called = 0;
    stub.setChat(() => {
      called++;
      return { draft: { answerable: true, answer: '今天沈阳晴。[1]', citations: [{ n: 1, passageId: 'P1', quote: '今天沈阳晴' }] } };
    });

    const answer = await ask('今天沈阳天气怎么样');

    expect(called).toBe(0);
    expect(stub.chatRequests()).toHaveLength(0);
    expect(answer.answerable).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.mode).toBe('extractive');
    expect(answer.declineReason).toBe('out_of_scope');
    // Retrieval still ran, with the query embedded by the stub.
    expect(stub.embeddingRequests().length).toBeGreaterThan(0);
  });

  it('builds the index through the stub /v1/embeddings when EMBEDDINGS is unset and a key is set', async () => {
    expect(services.config.embeddings).toBe('openai');
    expect(services.index.rebuilt).toBe(true);
    expect(services.index.embedderId.startsWith('openai:')).toBe(true);
    expect(services.index.embedderId).toContain(`${stub.url}/v1`);

    const embeddings = buildRequests.filter((r) => r.path === '/v1/embeddings');
    expect(embeddings.length).toBeGreaterThan(0);
    expect(buildRequests.filter((r) => r.path === '/v1/chat/completions')).toEqual([]);
    for (const r of embeddings) {
      expect(r.headers.authorization).toBe('Bearer test-key');
      expect(r.body.model).toBe('text-embedding-3-small');
    }
    // Every chunk was embedded (documents go as arrays of inputs).
    const inputs = embeddings.flatMap((r) => (Array.isArray(r.body.input) ? r.body.input : []));
    expect(inputs.length).toBe(services.corpus.chunks.length);

    // The index holds the vectors the model returned (64 dimensions), not an assumed size.
    const meta = JSON.parse(readFileSync(join(services.index.dir, 'meta.json'), 'utf8'));
    expect(meta.embedderId).toBe(services.index.embedderId);
    expect(meta.dimensions).toBe(64);
    expect(meta.chunkIds).toHaveLength(services.corpus.chunks.length);

    // Search embeds the query through the stub too, and finds the passage.
    stub.reset();
    const hits = await services.retriever.retrieve('信用修复平均修复时间', { k: 5 });
    const queries = stub.embeddingRequests();
    expect(queries).toHaveLength(1);
    expect(typeof queries[0].body.input).toBe('string');
    expect(hits.some((h) => h.vector > 0)).toBe(true);
    expect(hits.some((h) => h.chunk.text.includes('平均修复时间6天'))).toBe(true);
  });

  describe('through the HTTP app', () => {
    const appLogs: LogLine[] = [];
    const app = () =>
      createApp(nodeAppDeps(services, recordingLogger(appLogs), { clientKey: () => 'test-client', rateLimitPerMinute: 1_000 }));
    const post = (question: string) =>
      app().request('/api/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      });

    it('answers /api/ask in llm mode with verbatim citations and stores the turn', async () => {
      let real = { passageId: '', quote: '' };
      stub.setChat((request) => {
        real = findSentence(request, '平均修复时间');
        return {
          draft: {
            answerable: true,
            answer: '平均修复时间6天，最快3天。[1]',
            citations: [{ n: 1, passageId: real.passageId, quote: real.quote }],
          },
        };
      });

      const res = await post(IN_SCOPE);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        answer: string;
        answerable: boolean;
        mode: string;
        citations: Citation[];
        conversationId: string;
        messageId: string;
      };
      expect(stub.chatRequests()).toHaveLength(1);
      expect(body.mode).toBe('llm');
      expect(body.answerable).toBe(true);
      expect(body.answer.startsWith('平均修复时间6天，最快3天。[1]')).toBe(true);
      expect(body.citations).toHaveLength(1);
      expect(body.citations[0].quote).toBe(real.quote);
      expectVerbatim(body.citations);

      const health = (await (await app().request('/healthz')).json()) as { mode: string; embedder: string };
      expect(health.mode).toBe('llm');
      expect(health.embedder).toBe(services.index.embedderId);

      const stored = (await (await app().request(`/api/conversations/${body.conversationId}`)).json()) as {
        messages: Array<{ messageId: string; mode: string; citations: Citation[] }>;
      };
      expect(stored.messages).toHaveLength(1);
      expect(stored.messages[0].messageId).toBe(body.messageId);
      expect(stored.messages[0].mode).toBe('llm');
      expect(stored.messages[0].citations).toEqual(body.citations);
    });

    it('answers /api/ask with 200 in extractive mode when the model fails', async () => {
      stub.setChat(() => ({ status: 503 }));

      const res = await post(IN_SCOPE);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { mode: string; answerable: boolean; citations: Citation[] };
      // (503 is retried twice before the extractive answer stands.)
      expect(stub.chatRequests()).toHaveLength(3);
      expect(body.mode).toBe('extractive');
      expect(body.answerable).toBe(true);
      expectVerbatim(body.citations);
      expect(appLogs.filter((l) => l.level === 'error')).toEqual([]);
    });
  });
});
