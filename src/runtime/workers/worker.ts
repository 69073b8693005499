/**
 * The Cloudflare Workers entry: the same Hono app as on Node, with storage in
 * D1 through drizzle-orm and the index from the artifact `npm run
 * worker:build` bundles (see wrangler.toml). Everything is wired on the first
 * request an isolate serves and kept for the isolate's life.
 */
import artifactJson from 'policy-artifact';
import { drizzle } from 'drizzle-orm/d1';
import { fixedClock, systemClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import { ConversationStore } from '../../db/store.ts';
import { createApp } from '../../web/app.ts';
import { createLogger } from '../../web/log.ts';
import { bindingLimiter } from '../../web/rate-limit.ts';
import { domainAppDeps, wireDomain } from '../domain.ts';
import { ARTIFACT_VERSION, artifactIndex, type WorkerArtifact } from './artifact.ts';
import { StaffAnswerStore } from '../../db/staff-store.ts';
import { staffSync } from '../../web/staff.ts';
import { d1WriteCheck } from '../../db/health.ts';
import { readinessProbe } from '../../web/readiness.ts';

export interface Env {
  /** The D1 database (wrangler.toml [[d1_databases]]). */
  DB: D1Database;
  /** Cloudflare's Rate Limiting binding (wrangler.toml [[ratelimits]]); without it each isolate counts on its own. */
  RATE_LIMITER?: RateLimit;
  /** Settings as in .env.example, from [vars] or `wrangler secret put`. */
  [setting: string]: unknown;
}

type App = ReturnType<typeof createApp>;

let started: Promise<App> | undefined;

async function startApp(env: Env): Promise<App> {
  const artifact = artifactJson as WorkerArtifact;
  if (artifact.version !== ARTIFACT_VERSION) throw new Error(`artifact version ${artifact.version}, this Worker reads ${ARTIFACT_VERSION}: run npm run worker:build`);
  const settings = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const config = loadConfig(settings);
  const logger = createLogger(config.LOG_LEVEL);
  let vectors = 0;
  const domain = await wireDomain(artifact.files, {
    config,
    clock: config.TODAY ? fixedClock(config.TODAY) : systemClock,
    logger,
    index: async (corpus) => {
      const loaded = artifactIndex(artifact, corpus, config);
      vectors = loaded.vectors.size;
      return loaded;
    },
  });
  logger.info('started', { runtime: 'workers', mode: domain.answers.mode, documents: domain.corpus.documents.length, chunks: domain.corpus.chunks.length, artifactBuiltAt: artifact.builtAt });
  return createApp({
    ...domainAppDeps(domain, config, logger),
    store: new ConversationStore(drizzle(env.DB), { publicTexts: domain.corpus.documents.map((d) => d.text) }),
    // (Each isolate reloads the approved staff answers when they change, looking at most every STAFF_REFRESH_MS.)
    staff: staffSync(new StaffAnswerStore(drizzle(env.DB)), domain.staffTargets, () => domain.answers.clearCache()),
    assets: artifact.assets,
    // Cloudflare sets the caller's address (and replaces one a client sends). The binding counts per location across
    // isolates, with the limit wrangler.toml gives it; RATE_LIMIT=0 still turns limiting off.
    clientKey: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    rateLimiter: env.RATE_LIMITER ? bindingLimiter(env.RATE_LIMITER, { periodSeconds: 60 }) : undefined,
    readiness: readinessProbe({ database: d1WriteCheck(env.DB), index: () => ({ vectors, chunks: domain.corpus.chunks.length }) }),
  });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    started ??= startApp(env);
    let app: App;
    try {
      app = await started;
    } catch (error) {
      // Let the next request try again rather than keep a failed start for the isolate's life.
      started = undefined;
      createLogger().error('start_failed', { message: error instanceof Error ? error.message : String(error) });
      return Response.json({ error: { code: 'unavailable', message: '服务正在启动或配置有误，请稍后再试。' } }, { status: 503 });
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
