import { join, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { LlmAnswerer } from '../../answer/llm.ts';
import { fixedClock, systemClock, type Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import { EvalStore } from '../../db/eval-store.ts';
import { ConversationStore } from '../../db/store.ts';
import { uuidv7 } from '../../ids.ts';
import { configuredOpenAiEmbedder } from '../../llm/openai.ts';
import { buildIndexArtifact, localEmbedder } from '../../search/build.ts';
import { HashedNgramEmbedder } from '../../search/hashed-embedder.ts';
import { inProcessClient, type AskClient } from '../../evals/client.ts';
import { createApp, type AppDeps } from '../../web/app.ts';
import { clientReader, type Connection } from '../../web/client-address.ts';
import { createLogger, type Logger } from '../../web/log.ts';
import { domainAppDeps, wireDomain, type Domain, type LoadedIndex } from '../domain.ts';
import { readDataFiles, readThresholds, readWebAssets } from './corpus-files.ts';
import { openDatabase } from './database.ts';
import { readStoredIndex, writeStoredIndex } from './hnsw-index.ts';
import { StaffAnswerStore } from '../../db/staff-store.ts';
import { staffSync } from '../../web/staff.ts';
import { sqliteWriteCheck } from '../../db/health.ts';
import { readinessProbe } from '../../web/readiness.ts';

export interface Services extends Domain {
  config: Config;
  store: ConversationStore;
  index: { rebuilt: boolean; embedderId: string; dir: string; vectors: number };
  sqlite: ReturnType<typeof openDatabase>['sqlite'];
  db: ReturnType<typeof openDatabase>['db'];
  close(): void;
}

export interface ServiceOverrides {
  clock?: Clock;
  /** A model to use instead of the one the configuration names (tests use a stub server instead). */
  llm?: LlmAnswerer;
  logger?: Logger;
}

/**
 * Wires the Node runtime: reads the corpus and data files, loads the on-disk
 * hnswlib index or rebuilds it when the corpus hash or embedder changed,
 * opens SQLite and migrates it, and builds the answer service.
 */
export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const files = readDataFiles(resolve(config.CORPUS_DIR), resolve(config.PROMPTS_DIR));
  const indexDir = join(resolve(config.DATA_DIR), 'index');
  let rebuilt = false;
  let vectors = 0;
  const clock = overrides.clock ?? (config.TODAY ? fixedClock(config.TODAY) : systemClock);
  const domain = await wireDomain(files, {
    config,
    clock,
    llm: overrides.llm,
    logger: overrides.logger,
    index: async (corpus) => {
      const loaded = await loadOrBuildIndex(config, corpus, indexDir);
      rebuilt = loaded.rebuilt;
      vectors = loaded.vectors.size;
      return loaded;
    },
  });

  const database = openDatabase(join(resolve(config.DATA_DIR), 'policy.sqlite'));
  return {
    ...domain,
    config,
    // (Numbers the documents themselves give — hotlines, contact mobiles — are public: kept in stored answers.)
    store: new ConversationStore(database.db, { transaction: (work) => database.sqlite.transaction(work)(), defer: setImmediate, publicTexts: domain.corpus.documents.map((d) => d.text) }),
    index: { rebuilt, embedderId: domain.embedder.id, dir: indexDir, vectors },
    sqlite: database.sqlite,
    db: database.db,
    close: database.close,
  };
}

/**
 * The in-process client an eval asks through: the service's own app over `services`, with no rate limit, its turns
 * stored as the eval's (kept out of the questions log).
 */
export function evalAppClient(services: Services): AskClient {
  return inProcessClient(createApp(nodeAppDeps(services, createLogger('silent'), { clientKey: () => 'eval', rateLimitPerMinute: 0, messageSource: 'eval' })));
}

/**
 * The HTTP app's dependencies as the Node runtime wires them. The client's address and transport come from the socket
 * of @hono/node-server, read through the proxies TRUST_PROXY trusts; `extra` overrides any of it.
 */
export function nodeAppDeps(services: Services, logger: Logger, extra: Partial<AppDeps> = {}): AppDeps {
  let running: { runId: string; done: number; total: number } | null = null;
  const evalStore = new EvalStore(services.db);
  return {
    evals: {
      store: evalStore,
      thresholds: readThresholds(),
      progress: () => running,
      start: () => {
        if (running) return { runId: running.runId, started: false };
        const runId = uuidv7();
        running = { runId, done: 0, total: 0 };
        // The run reaches the service through its own app, in this process. It is handed this module's wiring:
        // eval-run.ts cannot import the module that starts it without an import cycle.
        void import('./eval-run.ts')
          .then(({ runEvalSets }) =>
            runEvalSets(
              { services, runId, out: () => {}, progress: (done, total) => (running = { runId, done, total }) },
              { createServices, appClient: evalAppClient },
            ),
          )
          .catch((error: Error) => logger.error('eval_run_failed', { runId, message: error.message }))
          .finally(() => (running = null));
        return { runId, started: true };
      },
    },
    ...domainAppDeps(services, services.config, logger),
    staff: staffSync(new StaffAnswerStore(services.db), services.staffTargets, () => services.answers.clearCache()),
    assets: readWebAssets(),
    store: services.store,
    ...clientReader(services.config.TRUST_PROXY, nodeConnection),
    readiness: readinessProbe({
      database: sqliteWriteCheck(services.sqlite),
      index: () => ({ vectors: services.index.vectors, chunks: services.corpus.chunks.length }),
    }),
    ...extra,
  };
}

/** The socket a request came on (none when the app is called in process, as tests do). */
function nodeConnection(c: Context): Connection {
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket as Partial<TLSSocket> | undefined;
  return { address: socket?.remoteAddress, tls: socket?.encrypted === true };
}

async function loadOrBuildIndex(
  config: Config,
  corpus: Corpus,
  dir: string,
): Promise<LoadedIndex & { rebuilt: boolean }> {
  const remote = config.embeddings === 'openai' ? configuredOpenAiEmbedder(config) : null;
  const stored = readStoredIndex(dir, corpus.hash, remote ? remote.id : null);
  if (stored && (remote || stored.meta.localModel)) {
    const embedder = remote ?? new HashedNgramEmbedder(stored.meta.localModel!);
    if (embedder.id === stored.meta.embedderId) return { embedder, vectors: stored.vectors, rebuilt: false };
  }
  const embedder = remote ?? localEmbedder(corpus);
  const artifact = await buildIndexArtifact(corpus, embedder);
  return { embedder, vectors: await writeStoredIndex(dir, artifact), rebuilt: true };
}
