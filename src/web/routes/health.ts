/** Liveness (GET /healthz: the process answers) and readiness (GET /readyz: the database takes writes, the index is loaded). */
import { createRoute } from '@hono/zod-openapi';
import type { AnswerService } from '../../answer/service.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import type { Retriever } from '../../search/retriever.ts';
import { json, router } from '../http.ts';
import { readinessRoutes, type Readiness } from '../readiness.ts';
import { healthResponseSchema } from '../schemas.ts';

export interface HealthRouteDeps {
  corpus: Corpus;
  retriever: Retriever;
  answers: AnswerService;
  embedderId: string;
  readiness?: Readiness;
}

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'health',
  tags: ['运行状态'],
  summary: '健康检查（存活）',
  responses: { 200: json(healthResponseSchema, '进程在运行') },
});

/** The health routes, mounted at /. /readyz is served when the runtime gives a readiness probe. */
export function healthRoutes(deps: HealthRouteDeps) {
  const app = router();
  app.openapi(healthRoute, (c) =>
    c.json(
      {
        ok: true as const,
        mode: deps.answers.mode,
        documents: deps.corpus.documents.length,
        chunks: deps.corpus.chunks.length,
        corpusHash: deps.corpus.hash,
        embedder: deps.embedderId,
        lexicalKernel: deps.retriever.bm25.kernel,
      },
      200,
    ),
  );
  if (deps.readiness) app.route('/readyz', readinessRoutes(deps.readiness));
  return app;
}
