/**
 * Issue 14 end to end against the local OpenAI-compatible stub: every
 * sentence a model drafts is checked against the quotes it cites before it
 * is shown; verified sentences stream while the model is still writing; one
 * deadline covers the query's embedding, the chat and their retries; a
 * runaway answer is cut off; what was dropped is logged and stored.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../src/answer/types.ts';
import { createServices, nodeAppDeps, type Services } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import type { Logger } from '../../src/web/log.ts';
import { startOpenAiStub, stubbedConfig, type ChatRequest, type OpenAiStub } from '../support/openai-stub.ts';

/** The guarantee subsidy: its passage states 「…担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴…」. */
const QUESTION = '担保费补贴给多少？';

interface LogLine {
  event: string;
  fields?: Record<string, unknown>;
}
const recordingLogger = (lines: LogLine[]): Logger => ({
  info: (event, fields) => lines.push({ event, fields }),
  warn: (event, fields) => lines.push({ event, fields }),
  error: (event, fields) => lines.push({ event, fields }),
});

/** The passage holding `needle`, and the whole sentence of it (up to 。) that does. */
function sentenceWith(request: ChatRequest, needle: string): { passageId: string; quote: string } {
  for (const [passageId, text] of request.passages) {
    const quote = (text.match(/[^。！？\n：]+[。！？]/g) ?? []).map((s) => s.trim()).find((s) => s.includes(needle));
    if (quote) return { passageId, quote };
  }
  throw new Error(`no passage sentence contains ${needle}`);
}

/** A sentence of another passage that shares no figure with the subsidy sentence. */
function unrelatedSentence(request: ChatRequest, except: string): { passageId: string; quote: string } {
  for (const [passageId, text] of request.passages) {
    if (passageId === except) continue;
    const quote = (text.match(/[^。！？\n：]+[。！？]/g) ?? []).map((s) => s.trim()).find((s) => s.length >= 15 && !s.includes('补贴'));
    if (quote) return { passageId, quote };
  }
  throw new Error('no unrelated sentence');
}

const GOOD = '省财政对单户500万元以下、担保费率不超过1%的担保业务给予0.5%的担保费补贴[1]。';

/** A draft with one grounded sentence and one of each kind of unsupported sentence. */
function adversarialDraft(request: ChatRequest) {
  const subsidy = sentenceWith(request, '0.5%');
  const other = unrelatedSentence(request, subsidy.passageId);
  return {
    answerable: true,
    citations: [
      { n: 1, passageId: subsidy.passageId, quote: subsidy.quote },
      { n: 2, passageId: other.passageId, quote: other.quote },
      { n: 3, passageId: subsidy.passageId, quote: '担保费补贴' },
    ],
    answer: [
      GOOD,
      '担保费补贴比例为5%[1]。',
      '所有企业均可申请这项担保费补贴[1]。',
      '担保费率超过1%的担保业务也给予0.5%的担保费补贴[1]。',
      '可拨打咨询电话024-88886666申请担保费补贴[1]。',
      '可登录https://dbbt.ln.gov.cn在线申请担保费补贴[1]。',
      '担保业务可以享受省财政的担保费补贴[2]。',
      '省财政给予担保费补贴[3]。',
    ].join(''),
  };
}

const UNSUPPORTED = ['比例为5%', '所有企业', '超过1%的担保业务也', '024-88886666', 'dbbt.ln.gov.cn', '享受省财政', '省财政给予担保费补贴[3]'];

describe('claim-level grounding of model drafts', () => {
  let stub: OpenAiStub;
  let services: Services;
  let slow: Services;
  const dirs: string[] = [];
  const logs: LogLine[] = [];
  const slowLogs: LogLine[] = [];

  const configFor = (extra: Record<string, string>) => stubbedConfig(stub, dirs, extra);
  const app = (on: Services, lines: LogLine[]) => createApp(nodeAppDeps(on, recordingLogger(lines), { clientKey: () => 'test', rateLimitPerMinute: 1_000 }));
  const post = (on: Services, lines: LogLine[], question: string, stream = false) =>
    app(on, lines).request('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(stream ? { accept: 'text/event-stream' } : {}) },
      body: JSON.stringify({ question }),
    });

  /** Reads an SSE response, noting when each event arrived. */
  async function readEvents(res: Response): Promise<Array<{ event: string; data: any; at: number }>> {
    const events: Array<{ event: string; data: any; at: number }> = [];
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value ?? new Uint8Array(), { stream: !done });
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) events.push({ event, data: JSON.parse(data), at: Date.now() });
      }
      if (done) return events;
    }
  }

  beforeAll(async () => {
    stub = await startOpenAiStub();
    services = await createServices(configFor({ LLM_TIMEOUT_MS: '10000', LLM_MAX_ANSWER_CHARS: '600' }), { logger: recordingLogger(logs) });
    slow = await createServices(configFor({ LLM_TIMEOUT_MS: '1000' }), { logger: recordingLogger(slowLogs) });
  });
  afterAll(async () => {
    services?.close();
    slow?.close();
    await stub?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    stub.reset();
    stub.setEmbeddingDelay(0);
    logs.length = 0;
    slowLogs.length = 0;
  });

  it('shows the grounded sentence and drops each unsupported one, with its reason, in the logs and the stored message', async () => {
    stub.setChat((request) => ({ draft: adversarialDraft(request), usage: { prompt_tokens: 321, completion_tokens: 54, total_tokens: 375 } }));

    const res = await post(services, logs, QUESTION);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { answer: string; mode: string; citations: Citation[]; messageId: string };

    expect(body.mode).toBe('llm');
    expect(body.answer).toBe(GOOD);
    for (const bad of UNSUPPORTED) expect(body.answer).not.toContain(bad);
    expect(body.citations).toHaveLength(1);
    const doc = services.corpus.document(body.citations[0].docId)!;
    expect(doc.text.slice(body.citations[0].start, body.citations[0].end)).toBe(body.citations[0].quote);

    const row = services.sqlite.prepare('select checks from messages where id = ?').get(body.messageId) as { checks: string };
    const checks = JSON.parse(row.checks) as { sentences: number; shown: number; dropped: Array<{ reason: string; detail: string; sentence: string }> };
    expect(checks.sentences).toBe(8);
    expect(checks.shown).toBe(1);
    expect(checks.dropped.map((d) => d.reason)).toEqual([
      'unsupported_value',
      'unsupported_quantifier',
      'negation_flip',
      'unsupported_value',
      'unsupported_value',
      'unrelated_quote',
      'fragment_quote',
    ]);
    expect(checks.dropped[0].detail).toBe('5%');
    const logged = logs.find((l) => l.event === 'llm_sentences_dropped');
    expect((logged?.fields?.dropped as unknown[]).length).toBe(7);
    // Token usage, as the provider reported it.
    expect(logs).toContainEqual({ event: 'llm_usage', fields: { model: 'stub-model', prompt: 321, completion: 54, total: 375 } });
  });

  it('falls back to the extractive answer when no sentence of the draft holds', async () => {
    stub.setChat((request) => {
      const draft = adversarialDraft(request);
      return { draft: { ...draft, answer: draft.answer.replace(GOOD, '') } };
    });
    const answer = await services.answers.answer({ question: QUESTION });
    expect(answer.mode).toBe('extractive');
    expect(answer.answerable).toBe(true);
    for (const bad of UNSUPPORTED) expect(answer.answer).not.toContain(bad);
    expect(answer.checks?.shown).toBe(0);
    expect(answer.checks?.fallback).toMatch(/verifiable/);
  });

  it('streams the first verified sentence while the model is still writing', async () => {
    stub.setChat((request) => {
      const subsidy = sentenceWith(request, '0.5%');
      return {
        // Twelve grounded sentences, sent eight characters every 15 ms: about a second of writing.
        draft: { answerable: true, citations: [{ n: 1, passageId: subsidy.passageId, quote: subsidy.quote }], answer: GOOD.repeat(12) },
        chunkChars: 8,
        chunkDelayMs: 15,
      };
    });
    const events = await readEvents(await post(services, logs, QUESTION, true));
    const tokens = events.filter((e) => e.event === 'token');
    const done = events.find((e) => e.event === 'done')!;
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(tokens[0].data.text).toBe(GOOD);
    expect(tokens[0].data.citations.map((c: Citation) => c.n)).toEqual([1]);
    // The first sentence reached the client before the model wrote its last chunk.
    expect(tokens[0].at).toBeLessThan(stub.chunkTimes.at(-1)!);
    expect(done.data.mode).toBe('llm');
    expect(done.data.answer).toBe(tokens.map((t) => t.data.text).join(''));
  });

  it('never streams an unsupported sentence', async () => {
    stub.setChat((request) => ({ draft: adversarialDraft(request), chunkChars: 16 }));
    const events = await readEvents(await post(services, logs, QUESTION, true));
    const streamed = events.filter((e) => e.event === 'token').map((e) => e.data.text).join('');
    expect(streamed).toBe(GOOD);
  });

  it('cuts off a runaway answer at the length limit and stores only what was verified', async () => {
    stub.setChat((request) => {
      const subsidy = sentenceWith(request, '0.5%');
      return {
        draft: { answerable: true, citations: [{ n: 1, passageId: subsidy.passageId, quote: subsidy.quote }], answer: GOOD + '补贴'.repeat(1_000_000) },
        chunkChars: 65_536,
      };
    });
    const res = await post(services, logs, QUESTION);
    const body = (await res.json()) as { answer: string; mode: string; messageId: string };
    expect(body.mode).toBe('llm');
    expect(body.answer).toBe(GOOD);
    const row = services.sqlite.prepare('select length(answer) as n, checks from messages where id = ?').get(body.messageId) as { n: number; checks: string };
    expect(row.n).toBe(GOOD.length);
    expect(JSON.parse(row.checks).dropped.map((d: { reason: string }) => d.reason)).toEqual(['too_long']);
  });

  it('keeps what was verified when the model hangs mid-answer, within the deadline', async () => {
    stub.setChat((request) => {
      const subsidy = sentenceWith(request, '0.5%');
      const draft = { answerable: true, citations: [{ n: 1, passageId: subsidy.passageId, quote: subsidy.quote }], answer: `${GOOD}担保费补贴比例为` };
      // Everything up to the start of the second sentence, then silence.
      return { draft, chunkChars: 4, hangAfterChars: JSON.stringify(draft).length - 12 };
    });
    const started = performance.now();
    const answer = await slow.answers.answer({ question: QUESTION });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toBe(GOOD);
  });

  it('holds one deadline for the query embedding and the chat together, then answers extractively', async () => {
    stub.setEmbeddingDelay(5_000);
    stub.setChat(() => ({ delayMs: 5_000, draft: { answerable: false, citations: [], answer: '' } }));
    const started = performance.now();
    const res = await post(slow, slowLogs, QUESTION);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { mode: string; answerable: boolean };
    // LLM_TIMEOUT_MS is 1000: the two hanging calls share it instead of taking 1000 ms each (or 5 s).
    expect(elapsed).toBeLessThan(1_900);
    expect(body.mode).toBe('extractive');
    expect(body.answerable).toBe(true);
    expect(slowLogs.some((l) => l.event === 'llm_fallback' && /timed out/.test(String(l.fields?.reason)))).toBe(true);
  });

  it('retries a 429 with backoff and then shows the grounded draft', async () => {
    let calls = 0;
    stub.setChat((request) => {
      calls++;
      if (calls === 1) return { status: 429, body: { error: { message: 'rate limited', type: 'rate_limit_error' } } };
      return { draft: { ...adversarialDraft(request), answer: GOOD } };
    });
    const answer = await services.answers.answer({ question: QUESTION });
    expect(calls).toBe(2);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toBe(GOOD);
    expect(logs.filter((l) => l.event === 'llm_retry').map((l) => l.fields?.status)).toEqual([429]);
  });
});
