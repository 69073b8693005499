import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseChannels, unverifiableChannels } from '../../answer/channels.ts';
import { createGuard, parseGuardPatterns } from '../../answer/guard.ts';
import type { LlmAnswerer } from '../../answer/llm.ts';
import { AnswerService } from '../../answer/service.ts';
import { fixedClock, systemClock, todayIn, type Clock } from '../../clock.ts';
import { loadRuleEngine } from '../../rules/load.ts';
import type { RuleEngine } from '../../rules/engine.ts';
import { SituationService } from '../../rules/situation.ts';
import { loadCatalogue } from '../../match/catalogue.ts';
import { TrackMatcher } from '../../match/matcher.ts';
import { ApplicationChecker, parseApplicationRules } from '../../match/application-check.ts';
import type { AppDeps } from '../../web/app.ts';
import { EvalStore } from '../../db/eval-store.ts';
import { uuidv7 } from '../../ids.ts';
import type { Config } from '../../config.ts';
import { buildCorpus, type Corpus } from '../../corpus/corpus.ts';
import { ConversationStore } from '../../db/store.ts';
import { createOpenAiAnswerer, createOpenAiEmbedder } from '../../llm/openai.ts';
import { buildIndexArtifact, localEmbedder } from '../../search/build.ts';
import type { Embedder } from '../../search/embedder.ts';
import { HashedNgramEmbedder } from '../../search/hashed-embedder.ts';
import { parseStopPhrases, parseSynonyms } from '../../search/lexicon.ts';
import { Retriever } from '../../search/retriever.ts';
import type { VectorIndex } from '../../search/vector-index.ts';
import type { Logger } from '../../web/log.ts';
import { readDataFiles } from './corpus-files.ts';
import { openDatabase } from './database.ts';
import { readStoredIndex, writeStoredIndex } from './hnsw-index.ts';

export interface Services {
  config: Config;
  rules: RuleEngine;
  matcher: TrackMatcher;
  applications: ApplicationChecker;
  corpus: Corpus;
  retriever: Retriever;
  answers: AnswerService;
  store: ConversationStore;
  clock: Clock;
  index: { rebuilt: boolean; embedderId: string; dir: string };
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
  const corpusDir = resolve(config.CORPUS_DIR);
  const files = readDataFiles(corpusDir, resolve(config.PROMPTS_DIR));
  const corpus = await buildCorpus(files.source);
  const channels = parseChannels(files.channels);
  const broken = unverifiableChannels(corpus, channels);
  if (broken.length) throw new Error(`channels.json quotes not found verbatim in the corpus: ${broken.map((c) => c.quote).join(' | ')}`);

  const indexDir = join(resolve(config.DATA_DIR), 'index');
  const { embedder, vectors, rebuilt } = await loadOrBuildIndex(config, corpus, indexDir);
  const lexicon = {
    synonyms: parseSynonyms(files.synonyms),
    stopPhrases: parseStopPhrases(files.stopPhrases),
    requiredDetails: parseStopPhrases(files.requiredDetails),
  };
  const retriever = new Retriever(corpus, lexicon, embedder, vectors, (error) =>
    overrides.logger?.warn('vector_search_failed', { message: error.message }),
  );

  const clock = overrides.clock ?? (config.TODAY ? fixedClock(config.TODAY) : systemClock);
  const rules = loadRuleEngine(corpus, files.rules);
  const matcher = new TrackMatcher(loadCatalogue(corpus, files.campaigns), () => todayIn(clock));
  const applicationRules = files.applications['dianshu-application.json'];
  if (!applicationRules) throw new Error('corpus/campaigns/dianshu-application.json is missing');
  const applications = new ApplicationChecker(corpus, parseApplicationRules(applicationRules));
  for (const problem of rules.problems) overrides.logger?.error('rule_disabled', { problem });
  const llm =
    overrides.llm ??
    (config.OPENAI_API_KEY
      ? createOpenAiAnswerer({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          prompts: files.prompts,
          timeoutMs: config.LLM_TIMEOUT_MS,
        })
      : undefined);
  const answers = new AnswerService({
    corpus,
    retriever,
    clock,
    guard: createGuard(parseGuardPatterns(files.guard)),
    channels,
    llm,
    llmTimeoutMs: config.LLM_TIMEOUT_MS,
    cacheSize: config.ANSWER_CACHE_SIZE,
    situations: new SituationService(rules),
    onLlmFallback: (reason) => overrides.logger?.warn('llm_fallback', { reason }),
  });

  const database = openDatabase(join(resolve(config.DATA_DIR), 'policy.sqlite'));
  return {
    config,
    rules,
    matcher,
    applications,
    corpus,
    retriever,
    answers,
    store: new ConversationStore(database.db, { transaction: (work) => database.sqlite.transaction(work)() }),
    clock,
    index: { rebuilt, embedderId: embedder.id, dir: indexDir },
    sqlite: database.sqlite,
    db: database.db,
    close: database.close,
  };
}

const ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../web/assets');

/** The widget, demo page and console files (src/web/assets), read once. */
function readWebAssets(): AppDeps['assets'] {
  const assets: NonNullable<AppDeps['assets']> = {};
  for (const name of ['widget.js', 'demo.html', 'console.html', 'console.js'] as const) {
    if (existsSync(join(ASSETS_DIR, name))) assets[name] = readFileSync(join(ASSETS_DIR, name), 'utf8');
  }
  return assets;
}

function readThresholds(): Record<string, number> {
  const file = join(dirname(fileURLToPath(import.meta.url)), '../../../evals/config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { thresholds: Record<string, number> }).thresholds : {};
}

/** The HTTP app's dependencies as the Node runtime wires them. */
export function nodeAppDeps(services: Services, logger: Logger, extra: Pick<AppDeps, 'clientKey'> & Partial<AppDeps>): AppDeps {
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
        // The run reaches the service through its own app, in this process.
        void import('./eval-command.ts')
          .then(({ runEvalCommand }) =>
            runEvalCommand({ services, runId, out: () => {}, progress: (done, total) => (running = { runId, done, total }) }),
          )
          .catch((error: Error) => logger.error('eval_run_failed', { runId, message: error.message }))
          .finally(() => (running = null));
        return { runId, started: true };
      },
    },
    adminToken: services.config.ADMIN_TOKEN,
    assets: readWebAssets(),
    corpus: services.corpus,
    retriever: services.retriever,
    answers: services.answers,
    store: services.store,
    rules: services.rules,
    matcher: services.matcher,
    applications: services.applications,
    today: () => todayIn(services.clock),
    logger,
    embedderId: services.index.embedderId,
    rateLimitPerMinute: services.config.RATE_LIMIT,
    allowedOrigins: services.config.ALLOWED_ORIGINS,
    ...extra,
  };
}

async function loadOrBuildIndex(
  config: Config,
  corpus: Corpus,
  dir: string,
): Promise<{ embedder: Embedder; vectors: VectorIndex; rebuilt: boolean }> {
  const remote =
    config.embeddings === 'openai'
      ? createOpenAiEmbedder({
          apiKey: config.OPENAI_API_KEY!,
          baseURL: config.OPENAI_BASE_URL,
          model: config.OPENAI_EMBEDDING_MODEL,
          dimensions: config.OPENAI_EMBEDDING_DIMENSIONS,
          timeoutMs: config.LLM_TIMEOUT_MS,
        })
      : null;
  const stored = readStoredIndex(dir, corpus.hash, remote ? remote.id : null);
  if (stored && (remote || stored.meta.localModel)) {
    const embedder = remote ?? new HashedNgramEmbedder(stored.meta.localModel!);
    if (embedder.id === stored.meta.embedderId) return { embedder, vectors: stored.vectors, rebuilt: false };
  }
  const embedder = remote ?? localEmbedder(corpus);
  const artifact = await buildIndexArtifact(corpus, embedder);
  return { embedder, vectors: writeStoredIndex(dir, artifact), rebuilt: true };
}
