import { z } from 'zod';
import { readinessResponseSchema } from './readiness.ts';
import { applicationDraftSchema } from '../match/application-check.ts';
import {
  askRequestSchema,
  askResponseSchema,
  checkupRequestSchema,
  checkupResponseSchema,
  recommendRequestSchema,
  recommendResponseSchema,
  conversationResponseSchema,
  documentDetailSchema,
  documentSummarySchema,
  errorResponseSchema,
  feedbackRequestSchema,
  feedbackResponseSchema,
  healthResponseSchema,
  searchResponseSchema,
} from './schemas.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: '错误（中文说明）', content: json(errorResponseSchema) }]));

let cached: object | null = null;

/** The OpenAPI 3.1 document, derived from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): object {
  if (cached) return cached;
  cached = {
    openapi: '3.1.0',
    info: {
      title: '辽宁金融支持民营经济政策问答服务',
      version: '0.1.0',
      description: '依据政策原文逐字引用作答的检索问答接口。所有错误返回 {"error": {"code", "message"}}，message 为中文。',
    },
    paths: {
      '/healthz': { get: { summary: '健康检查（存活）', responses: { 200: { description: '进程在运行', content: json(healthResponseSchema) } } } },
      '/readyz': {
        get: {
          summary: '就绪检查：数据库可写、向量索引已载入',
          responses: { 200: { description: '就绪', content: json(readinessResponseSchema) }, 503: { description: '未就绪（message 说明哪一项）', content: json(readinessResponseSchema) } },
        },
      },
      '/api/ask': {
        post: {
          summary: '提问（Accept: text/event-stream 时以 SSE 流式返回：token 事件，最后一个 done 事件携带完整 JSON）',
          requestBody: { required: true, content: json(askRequestSchema, 'input') },
          responses: {
            200: { description: '回答', content: { ...json(askResponseSchema), 'text/event-stream': { schema: { type: 'string' } } } },
            ...errors(400, 404, 413, 415, 429),
          },
        },
      },
      '/api/checkup': {
        post: {
          summary: '政策体检：按企业情况列出适用的举措、理由、第一步、每笔贷款/担保的判断和缺少的信息（均附引用）',
          requestBody: { required: true, content: json(checkupRequestSchema, 'input') },
          responses: { 200: { description: '体检结果', content: json(checkupResponseSchema) }, ...errors(400, 413, 415, 429) },
        },
      },
      '/api/recommend': {
        post: {
          summary: '赛道推荐：按案例描述为四项征集活动的每个赛道打分、核对申报条件，给出理由（附引用）与申报时间状态',
          requestBody: { required: true, content: json(recommendRequestSchema, 'input') },
          responses: { 200: { description: '按得分排序的推荐', content: json(recommendResponseSchema) }, ...errors(400, 413, 415, 429) },
        },
      },
      '/api/applications/check': {
        post: {
          summary: '“点数成金”申报书检查：字数上下限、名称规则、必要附件、申报条件，每条附原文引用',
          requestBody: { required: true, content: json(applicationDraftSchema, 'input') },
          responses: { 200: { description: '检查结果' }, ...errors(400, 413, 415, 429) },
        },
      },
      '/api/evals/runs': { get: { summary: '评测运行列表（含指标）与正在进行的运行', responses: { 200: { description: '运行列表' } } } },
      '/api/evals/runs/{id}': {
        get: {
          summary: '一次评测的指标、逐案例结果、与上一次相比新失败/新通过的案例；运行中时返回进度',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: '评测' }, ...errors(404) },
        },
      },
      '/api/evals/run': {
        post: {
          summary: '发起一次评测（需 Authorization: Bearer <ADMIN_TOKEN>）',
          responses: { 202: { description: '已开始' }, ...errors(401, 403, 409) },
        },
      },
      '/api/conversations/{id}': {
        get: {
          summary: '会话记录',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: '会话中的问答', content: json(conversationResponseSchema) }, ...errors(404) },
        },
      },
      '/api/search': {
        get: {
          summary: '检索原文片段（混合检索：BM25 + 向量）',
          parameters: [
            { name: 'q', in: 'query', required: true, schema: { type: 'string', maxLength: 1000 } },
            { name: 'k', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 } },
          ],
          responses: { 200: { description: '按得分排序的片段', content: json(searchResponseSchema) }, ...errors(400, 429) },
        },
      },
      '/api/feedback': {
        post: {
          summary: '对回答的反馈（是否有帮助、意见）',
          requestBody: { required: true, content: json(feedbackRequestSchema, 'input') },
          responses: { 201: { description: '已记录', content: json(feedbackResponseSchema) }, ...errors(400, 404, 413, 415, 429) },
        },
      },
      '/api/documents': {
        get: { summary: '文件列表', responses: { 200: { description: '语料中的文件', content: json(z.array(documentSummarySchema)) } } },
      },
      '/api/documents/{docId}': {
        get: {
          summary: '文件全文与章节（含字符偏移）',
          parameters: [{ name: 'docId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: '全文', content: json(documentDetailSchema) }, ...errors(404) },
        },
      },
    },
  };
  return cached;
}
