/** Reading the corpus itself: hybrid search over its passages (GET /api/search) and its documents (GET /api/documents…). */
import { createRoute, z } from '@hono/zod-openapi';
import { sectionLabel, type Corpus } from '../../corpus/corpus.ts';
import type { Retriever } from '../../search/retriever.ts';
import { ApiError, errorResponses, json, router } from '../http.ts';
import { documentDetailSchema, documentSummarySchema, searchQuerySchema, searchResponseSchema } from '../schemas.ts';

export interface DocumentRouteDeps {
  corpus: Corpus;
  retriever: Retriever;
}

const searchRoute = createRoute({
  method: 'get',
  path: '/search',
  operationId: 'search',
  tags: ['原文'],
  summary: '检索原文片段（混合检索：BM25 + 向量）',
  request: { query: searchQuerySchema },
  responses: { 200: json(searchResponseSchema, '按得分排序的片段'), ...errorResponses(400, 429) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/documents',
  operationId: 'listDocuments',
  tags: ['原文'],
  summary: '文件列表',
  responses: { 200: json(z.array(documentSummarySchema), '语料中的文件'), ...errorResponses(429) },
});

const documentRoute = createRoute({
  method: 'get',
  path: '/documents/{docId}',
  operationId: 'getDocument',
  tags: ['原文'],
  summary: '文件全文与章节（含字符偏移）',
  request: { params: z.object({ docId: z.string().describe('文件编号，见 /api/documents') }) },
  responses: { 200: json(documentDetailSchema, '全文'), ...errorResponses(404, 429) },
});

/** The search and document routes, mounted at /api. */
export function documentRoutes({ corpus, retriever }: DocumentRouteDeps) {
  const app = router();

  app.openapi(searchRoute, async (c) => {
    const { q, k } = c.req.valid('query');
    const hits = await retriever.retrieve(q, { k });
    return c.json(
      {
        query: q,
        results: hits.map((h, i) => ({
          rank: i + 1,
          chunkId: h.chunk.id,
          docId: h.chunk.docId,
          title: corpus.document(h.chunk.docId)!.title,
          section: sectionLabel(h.chunk),
          text: h.chunk.text,
          start: h.chunk.start,
          end: h.chunk.end,
          score: round(h.score),
          bm25: round(h.bm25),
          vector: round(h.vector),
        })),
      },
      200,
    );
  });

  app.openapi(listRoute, (c) => c.json(corpus.documents.map(summary), 200));

  app.openapi(documentRoute, (c) => {
    const doc = corpus.document(c.req.valid('param').docId);
    if (!doc) throw new ApiError(404, 'document_not_found', '找不到这份文件，请从 /api/documents 的列表中选择。');
    return c.json(
      {
        ...summary(doc),
        text: doc.text,
        sections: doc.sections.map((s) => ({ id: s.id, path: s.path, title: s.title, kind: s.kind, start: s.start, end: s.end, depth: s.depth })),
      },
      200,
    );
  });
  return app;
}

function summary(doc: Corpus['documents'][number]) {
  return { docId: doc.id, title: doc.title, issuer: doc.issuer, published: doc.published, kind: doc.kind, region: doc.region };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
