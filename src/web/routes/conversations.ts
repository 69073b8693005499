/** A conversation read back (GET /api/conversations/{id}) and feedback on one of its answers (POST /api/feedback). */
import { createRoute, z } from '@hono/zod-openapi';
import type { Conversations } from '../../chat/conversation.ts';
import type { ConversationStore } from '../../db/store.ts';
import type { BodyReader } from '../body.ts';
import { ApiError, BODY_ERRORS, errorResponses, json, jsonBody, jsonRequest, router } from '../http.ts';
import { conversationResponseSchema, feedbackRequestSchema, feedbackResponseSchema } from '../schemas.ts';

export interface ConversationRouteDeps {
  conversations: Conversations;
  store: ConversationStore;
  newId: () => string;
  readBody: BodyReader;
}

const historyRoute = createRoute({
  method: 'get',
  path: '/conversations/{id}',
  operationId: 'getConversation',
  tags: ['问答'],
  summary: '会话记录（挂件刷新页面后据此恢复对话）',
  request: { params: z.object({ id: z.string().describe('/api/ask 返回的 conversationId') }) },
  responses: { 200: json(conversationResponseSchema, '会话中的问答'), ...errorResponses(404, 429) },
});

const feedbackRoute = createRoute({
  method: 'post',
  path: '/feedback',
  operationId: 'sendFeedback',
  tags: ['问答'],
  summary: '对回答的反馈（是否有帮助、意见）',
  request: { body: jsonRequest(feedbackRequestSchema) },
  responses: { 201: json(feedbackResponseSchema, '已记录'), ...errorResponses(...BODY_ERRORS, 404, 503) },
});

/** The conversation and feedback routes, mounted at /api. */
export function conversationRoutes(deps: ConversationRouteDeps) {
  const { conversations, store } = deps;
  const app = router();

  app.openapi(historyRoute, async (c) => {
    const history = await conversations.history(c.req.valid('param').id);
    if (!history) throw new ApiError(404, 'conversation_not_found', '找不到这个会话。');
    return c.json(history, 200);
  });

  app.openapi({ ...feedbackRoute, middleware: [jsonBody(deps.readBody)] }, async (c) => {
    const body = c.req.valid('json');
    if (!(await store.getMessage(body.messageId))) throw new ApiError(404, 'message_not_found', '找不到要评价的回答，请确认 messageId。');
    const id = deps.newId();
    // (The store masks personal numbers in the comment.)
    await store.saveFeedback({ id, messageId: body.messageId, helpful: body.helpful, comment: body.comment || undefined, createdAt: new Date() });
    return c.json({ ok: true as const, id }, 201);
  });
  return app;
}
