/**
 * POST /api/ask: a question, answered as JSON, or as a server-sent event stream when the client accepts
 * `text/event-stream` (`token` events, then `done` with the whole JSON answer; `error` if it fails midway).
 * The turn itself (carrying the conversation over, checking quotes, storing) is the domain's: src/chat/conversation.ts.
 */
import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Citation } from '../../answer/types.ts';
import { verifiedCitations } from '../../answer/verify.ts';
import type { Conversations } from '../../chat/conversation.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import { errorCode, storageFailure } from '../../db/health.ts';
import type { BodyReader } from '../body.ts';
import { ApiError, BODY_ERRORS, errorResponses, errorSchema, jsonBody, jsonRequest, router } from '../http.ts';
import type { Logger } from '../log.ts';
import type { Readiness } from '../readiness.ts';
import { storageUnavailable } from '../readiness.ts';
import { askRequestSchema, askResponseSchema, askStreamTokenSchema } from '../schemas.ts';

export interface AskRouteDeps {
  conversations: Conversations;
  corpus: Corpus;
  logger: Logger;
  readBody: BodyReader;
  readiness?: Readiness;
}

const askRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'ask',
  tags: ['问答'],
  summary: '提问',
  description:
    '依据原文逐字引用作答。带 `Accept: text/event-stream` 时以 SSE 流式返回：若干 `token` 事件（回答的片段，大模型模式下每句附其引用），' +
    '最后一个 `done` 事件携带与 JSON 响应相同的完整回答；中途失败时发送 `error` 事件（`{"error": {...}}`）。各事件的数据结构见 `x-sse-events`。',
  request: { body: jsonRequest(askRequestSchema) },
  responses: {
    200: {
      description: '回答（JSON，或 SSE 事件流）',
      content: {
        'application/json': { schema: askResponseSchema },
        'text/event-stream': {
          schema: { type: 'string', description: 'SSE 事件流：event 为 token、done 或 error，data 为 JSON' },
          'x-sse-events': {
            token: { $ref: '#/components/schemas/AskStreamToken' },
            done: { $ref: '#/components/schemas/AskResponse' },
            error: { $ref: '#/components/schemas/Error' },
          },
        },
      },
    },
    ...errorResponses(...BODY_ERRORS, 404, 503),
  },
});

/** The /api/ask router, mounted at /api/ask. */
export function askRoutes(deps: AskRouteDeps) {
  const { conversations, corpus, logger } = deps;
  const app = router();
  // The stream's token event is described by reference from the route: registered here so the document has it.
  app.openAPIRegistry.register('AskStreamToken', askStreamTokenSchema);

  app.openapi({ ...askRoute, middleware: [jsonBody(deps.readBody)] }, async (c) => {
    const body = c.req.valid('json');
    const turn = await conversations.open(body);
    if (!turn) throw new ApiError(404, 'conversation_not_found', '找不到这个会话，请不带 conversationId 重新提问以开始新会话。');

    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
      return c.json(await conversations.finish(turn, await conversations.answer(turn)), 200);
    }
    const sse = streamSSE(c, async (stream) => {
      try {
        // A model's sentences go out as they pass the claim checks, while it is still writing; an extractive answer
        // (or a model answer that fell back to it) is sent in pieces once done. `done` always carries the final answer.
        let streamed = 0;
        let writing = Promise.resolve();
        const onSentence = (sentence: { text: string; citations: Citation[] }) => {
          const citations = verifiedCitations(corpus, sentence.citations);
          if (citations.length !== sentence.citations.length) return;
          streamed++;
          writing = writing.then(() => stream.writeSSE({ event: 'token', data: JSON.stringify({ text: sentence.text, citations }) }));
        };
        const answer = await conversations.answer(turn, onSentence);
        await writing;
        const reply = await conversations.finish(turn, answer);
        if (streamed === 0 || answer.mode !== 'llm') {
          for (const piece of tokensOf(answer.answer)) await stream.writeSSE({ event: 'token', data: JSON.stringify({ text: piece }) });
        }
        await stream.writeSSE({ event: 'done', data: JSON.stringify(reply) });
      } catch (caught) {
        // A stream's failure never reaches onError: it is said here, once, in the error shape (a storage failure as
        // the 503 would say it). (Caught here rather than by streamSSE's handler, which would add the raw message.)
        const error = caught instanceof Error ? caught : new Error(String(caught));
        const storage = storageFailure(error);
        if (storage) deps.readiness?.noteFailure(error);
        logger.error('ask_stream_failed', { message: error.message, ...(storage ? { code: errorCode(error) } : {}) });
        const failure = storage ? storageUnavailable : { code: 'internal', message: '回答生成失败，请稍后再试。' };
        await stream.writeSSE({ event: 'error', data: JSON.stringify(errorSchema.parse({ error: failure })) });
      }
    });
    // Say the charset: some clients read an unlabelled stream as Latin-1.
    sse.headers.set('Content-Type', 'text/event-stream; charset=utf-8');
    return sse;
  });
  return app;
}

/** Splits an answer into small pieces for streaming, never inside a [n] marker. */
export function tokensOf(text: string): string[] {
  return text.match(/\[\d+\]|[^[]{1,12}|\[/g) ?? [];
}
