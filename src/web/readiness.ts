import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorCode } from '../db/health.ts';
import { sendError } from './errors.ts';
import { json, router } from './http.ts';

/** The vector index as the runtime loaded it. */
export interface IndexState {
  /** Vectors in the index. */
  vectors: number;
  /** Chunks in the corpus: the index holds one vector for each. */
  chunks: number;
}

export interface ReadinessOptions {
  /** Takes a write and throws when the database refuses it (src/db/health.ts sqliteWriteCheck, d1WriteCheck). */
  database: () => void | Promise<void>;
  /** The loaded vector index; undefined while it is not loaded. */
  index: () => IndexState | undefined;
  /** Milliseconds since the epoch; the system clock by default. */
  now?: () => number;
  /**
   * How long a result is reused, in ms: a load balancer probing every second does not make the
   * database write every second. 2 s by default.
   */
  cacheMs?: number;
  /**
   * How long a storage failure seen by a request keeps the database not ready, in ms, whatever the probe
   * says: the probe's write is small, the failed one may not be. 10 s by default.
   */
  holdMs?: number;
}

/** GET /readyz's body, ready or not (the OpenAPI document derives from it). */
export const readinessResponseSchema = z
  .object({
    ready: z.boolean(),
    checkedAt: z.string().describe('检查时间（结果短时间内复用，默认 2 秒）'),
    checks: z.object({
      database: z.object({
        ok: z.boolean().describe('数据库能否写入'),
        error: z.string().optional().describe('写入失败的代码，如 SQLITE_FULL'),
        seenBy: z.enum(['probe', 'request']).optional().describe('失败由探测写入发现，还是由某个请求发现'),
      }),
      index: z.object({
        ok: z.boolean().describe('向量索引是否已载入且与语料一致'),
        vectors: z.number().int().optional(),
        chunks: z.number().int().optional(),
      }),
    }),
    message: z.string().optional().describe('未就绪时说明哪一项未就绪（中文）'),
  })
  .openapi('Readiness');

export type ReadinessReport = z.infer<typeof readinessResponseSchema>;

export interface Readiness {
  /** The readiness report: a cached one when it is fresher than `cacheMs`. */
  check(): Promise<ReadinessReport>;
  /** Tells the probe a request met a storage failure: not ready at once, for `holdMs`. */
  noteFailure(error: unknown): void;
}

/**
 * Readiness, apart from liveness (/healthz): can this instance serve requests now? The database must take
 * a write and the vector index must be loaded. A result is reused for `cacheMs`; concurrent checks share
 * one probe.
 *
 * @example
 * const readiness = readinessProbe({
 *   database: sqliteWriteCheck(services.sqlite),
 *   index: () => ({ vectors: services.index.vectors, chunks: services.corpus.chunks.length }),
 * });
 * app.route('/readyz', readinessRoutes(readiness));
 */
export function readinessProbe(options: ReadinessOptions): Readiness {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 2_000;
  const holdMs = options.holdMs ?? 10_000;
  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;
  let failure: { at: number; code: string } | undefined;

  const database = async (): Promise<ReadinessReport['checks']['database']> => {
    if (failure && now() - failure.at < holdMs) return { ok: false, error: failure.code, seenBy: 'request' };
    try {
      await options.database();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: errorCode(error), seenBy: 'probe' };
    }
  };

  const index = (): ReadinessReport['checks']['index'] => {
    const state = options.index();
    return state ? { ok: state.vectors === state.chunks, ...state } : { ok: false };
  };

  const run = async (at: number): Promise<ReadinessReport> => {
    const checks = { database: await database(), index: index() };
    const problems = [
      ...(checks.database.ok ? [] : ['数据库不可写']),
      ...(checks.index.ok ? [] : [checks.index.vectors === undefined ? '向量索引未加载' : '向量索引与语料不一致']),
    ];
    const ready = problems.length === 0;
    return { ready, checkedAt: new Date(at).toISOString(), checks, ...(ready ? {} : { message: `服务暂未就绪：${problems.join('，')}。` }) };
  };

  return {
    check() {
      const at = now();
      if (!cached || at - cached.at >= cacheMs) cached = { at, report: run(at) };
      return cached.report;
    },
    noteFailure(error) {
      failure = { at: now(), code: errorCode(error) };
      cached = undefined;
    },
  };
}

const readyRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'ready',
  tags: ['运行状态'],
  summary: '就绪检查：数据库可写、向量索引已载入',
  responses: {
    200: json(readinessResponseSchema, '就绪'),
    503: json(readinessResponseSchema, '未就绪（message 说明哪一项）'),
  },
});

/**
 * GET /readyz: 200 with the report when ready, 503 with it (and a Chinese `message`) when not.
 *
 * @example
 * app.route('/readyz', readinessRoutes(readiness));
 */
export function readinessRoutes(readiness: Readiness) {
  return router().openapi(readyRoute, async (c) => {
    const report = await readiness.check();
    c.header('Cache-Control', 'no-store');
    return report.ready ? c.json(report, 200) : c.json(report, 503);
  });
}

/** The error a request gets when the storage fails (src/db/health.ts storageFailure). */
export const storageUnavailable = {
  code: 'storage_unavailable',
  message: '数据存储暂时不可用（空间不足、不可写或暂时无法连接），请稍后再试。',
} as const;

/** When a client may try again, in seconds. */
const RETRY_AFTER_SECONDS = 30;

/** Answers 503 storage_unavailable in the app's error shape, with Retry-After. */
export function sendStorageUnavailable(c: Context) {
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return sendError(c, 503, storageUnavailable.code, storageUnavailable.message);
}
