/**
 * Scale benchmark (`npm run bench -- --scale [--factor 1000] [--seed 1] [--iterations 5000] [--json]`).
 *
 * 1. Generates a corpus `--factor` times the seed corpus (bench/scale-corpus.ts,
 *    in a child process so its memory is not counted) under os.tmpdir().
 * 2. Builds the index the way the service does when it has to rebuild
 *    (src/runtime/node/services.ts): reads the corpus folder, buildCorpus,
 *    fits the local HashedNgramEmbedder on the chunks, buildIndexArtifact,
 *    builds the hnswlib graphs in worker threads (more than one, side by
 *    side, above MAX_GRAPH_SIZE vectors) and writes them to disk, reads them
 *    back and constructs the Retriever (BM25) over them with the real
 *    lexicon files. Each phase is timed; the build time is their sum, from
 *    reading files to a ready retriever.
 * 3. Times `retriever.retrieve(q, { k: 5 })` over bench/questions.json: one
 *    cold pass (first sight of each question, so the retriever's word cache
 *    is empty), up to ten warm-up passes (20 s at most), then `--iterations`
 *    calls (stopping after 60 s), each timed alone; then the BM25 search
 *    alone, to show how much of a query it is and which loop ran it.
 * 4. Measures the vector index's recall of the exact best candidates (an
 *    exact scan of the raw vectors, after the memory figures are taken).
 * 5. Prints the figures and checks the targets: build < 5 min, query p50 <
 *    10 ms, peak RSS < 2 GiB. Exits 1 if any fails; with --json the last line
 *    is one JSON object with every figure.
 *
 * Memory: a worker thread samples process.memoryUsage.rss() every 10 ms (RSS
 * is the process's, so the samples cover the main thread's synchronous
 * phases and the graph builders' threads too), and the kernel's high-water mark (resourceUsage().maxRSS) is
 * reported beside it; heapUsed is read at the end of each phase.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildCorpus, type Corpus } from '../src/corpus/corpus.ts';
import { readDataFiles } from '../src/runtime/node/corpus-files.ts';
import { buildGraphs, readStoredIndex, saveStoredIndex } from '../src/runtime/node/hnsw-index.ts';
import { buildIndexArtifact, localEmbedder } from '../src/search/build.ts';
import { dot } from '../src/search/embedder.ts';
import { HashedNgramEmbedder } from '../src/search/hashed-embedder.ts';
import { parseRequiredDetails, parseStopPhrases, parseSynonyms } from '../src/search/lexicon.ts';
import { CANDIDATES, Retriever } from '../src/search/retriever.ts';
import type { VectorIndex } from '../src/search/vector-index.ts';
import type { ScaleCorpusStats } from './scale-corpus.ts';
import { latencyLine, loadQuestions, log, logVerdict, ms, printTable, roundedSummary, summarize, timeMs } from './stats.ts';

export interface ScaleArgs {
  factor: number;
  seed: number;
  iterations: number;
  json: boolean;
}

const TARGETS = {
  buildMs: 5 * 60_000,
  queryP50Ms: 10,
  rssBytes: 2 * 1024 ** 3,
} as const;
const QUERY_BUDGET_MS = 60_000;
const WARMUP_PASSES = 10;
const WARMUP_BUDGET_MS = 20_000;
const MiB = 1024 ** 2;
const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

interface Phase {
  name: string;
  ms: number;
  /** RSS and heapUsed at the end of the phase. */
  rss: number;
  heapUsed: number;
}

/** Peak RSS of the whole process, sampled from a worker thread so busy synchronous phases are covered. */
class RssSampler {
  private readonly peak = new Float64Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor(intervalMs = 10) {
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const peak = new Float64Array(workerData.buffer);
       setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak[0]) peak[0] = rss; }, ${intervalMs});`,
      { eval: true, workerData: { buffer: this.peak.buffer } },
    );
    this.worker.unref();
  }

  get max(): number {
    return Math.max(this.peak[0], process.memoryUsage.rss());
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Runs bench/scale-corpus.ts in a child process and returns its stats line. */
async function generate(root: string, dir: string, args: ScaleArgs): Promise<ScaleCorpusStats> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/scale-corpus.ts'), '--out', dir, '--factor', String(args.factor), '--seed', String(args.seed)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench/scale-corpus.ts exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as ScaleCorpusStats;
}

function fileSizes(dir: string): Record<string, number> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).size]));
}

type PhaseRunner = <T>(name: string, work: () => T | Promise<T>) => Promise<T>;

function phaseRunner(phases: Phase[]): PhaseRunner {
  return async (name, work) => {
    const started = performance.now();
    const result = await work();
    const { rss, heapUsed } = process.memoryUsage();
    const done = { name, ms: performance.now() - started, rss, heapUsed };
    phases.push(done);
    log(`  ${name.padEnd(17)} ${(done.ms / 1000).toFixed(2).padStart(7)} s   rss ${mb(rss).padStart(9)}   heapUsed ${mb(heapUsed).padStart(9)}`);
    return result;
  };
}

/**
 * The service's rebuild (loadOrBuildIndex → writeStoredIndex): fit the local
 * embedder, embed every chunk, build the HNSW graphs (in worker threads, side
 * by side above MAX_GRAPH_SIZE vectors), write them and read them back while
 * the vectors are still held, as the service does; the vectors go out of
 * scope on return, as they do in the service once it holds the retriever.
 */
async function buildAndRead(corpus: Corpus, indexDir: string, phase: PhaseRunner) {
  const fitted = await phase('fit embedder', () => localEmbedder(corpus));
  const artifact = await phase('embed', () => buildIndexArtifact(corpus, fitted));
  const graphs = await phase('HNSW build', () => buildGraphs(indexDir, artifact));
  await phase('write', () => saveStoredIndex(indexDir, artifact, graphs));
  return phase('read back', () => {
    const s = readStoredIndex(indexDir, corpus.hash, null);
    if (!s?.meta.localModel) throw new Error('the index just written did not read back');
    return { vectors: s.vectors, embedder: new HashedNgramEmbedder(s.meta.localModel), graphs: graphs.length };
  });
}

/** Builds, writes and reads back the index as the service does, timing each phase. */
async function buildIndex(root: string, corpusDir: string, indexDir: string, phases: Phase[]) {
  const phase = phaseRunner(phases);
  const files = await phase('read files', () => readDataFiles(corpusDir, join(root, 'prompts')));
  const corpus = await phase('parse + chunk', () => buildCorpus(files.source));
  const stored = await buildAndRead(corpus, indexDir, phase);
  const retriever = await phase('BM25 + retriever', () => {
    const lexicon = {
      synonyms: parseSynonyms(files.synonyms),
      stopPhrases: parseStopPhrases(files.stopPhrases),
      requiredDetails: parseRequiredDetails(files.requiredDetails),
    };
    return new Retriever(corpus, lexicon, stored.embedder, stored.vectors);
  });
  return { corpus, retriever, stored };
}

async function timeQueries(retriever: Retriever, questions: string[], iterations: number) {
  const retrieve = (q: string) => retriever.retrieve(q, { k: 5 });
  const cold: number[] = [];
  for (const q of questions) cold.push(await timeMs(() => retrieve(q)));
  const warmup = performance.now();
  for (let i = 0; i < questions.length * WARMUP_PASSES && performance.now() - warmup < WARMUP_BUDGET_MS; i++) {
    await retrieve(questions[i % questions.length]);
  }
  const warm: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations && performance.now() - started < QUERY_BUDGET_MS; i++) {
    warm.push(await timeMs(() => retrieve(questions[i % questions.length])));
  }
  // The BM25 part alone (the question's terms, the retriever's candidate count): where most of a query's time goes.
  const terms = questions.map((q) => retriever.analyze(q).terms);
  const lexical: number[] = [];
  for (let i = 0; i < Math.min(iterations, 2_000); i++) {
    lexical.push(await timeMs(() => retriever.bm25.search(terms[i % terms.length], CANDIDATES)));
  }
  return { cold: summarize(cold), warm: summarize(warm), lexical: summarize(lexical) };
}

/**
 * The share of the exact best CANDIDATES (by cosine over the raw vectors) that
 * the HNSW graphs return for the bench questions; a hit scoring level with
 * the exact cut counts, since ties there could go either way. The raw vectors
 * are streamed from vectors.f32 in blocks and scanned once for all questions.
 */
async function vectorRecall(indexDir: string, stored: { vectors: VectorIndex; embedder: HashedNgramEmbedder }, questions: string[]): Promise<number> {
  const queries = await Promise.all(questions.map((q) => stored.embedder.embedQuery(q)));
  const dimensions = queries[0].length;
  const size = stored.vectors.size;
  const scores = queries.map(() => new Float32Array(size));
  const rows = 8_192;
  const block = new Float32Array(rows * dimensions);
  const fd = openSync(join(indexDir, 'vectors.f32'), 'r');
  try {
    for (let first = 0; first < size; first += rows) {
      const count = Math.min(rows, size - first);
      readSync(fd, new Uint8Array(block.buffer, 0, count * dimensions * 4), 0, count * dimensions * 4, first * dimensions * 4);
      for (let r = 0; r < count; r++) {
        const row = block.subarray(r * dimensions, (r + 1) * dimensions);
        queries.forEach((q, i) => (scores[i][first + r] = dot(q, row)));
      }
    }
  } finally {
    closeSync(fd);
  }
  let found = 0;
  queries.forEach((q, i) => {
    const cut = Float32Array.from(scores[i]).sort()[size - CANDIDATES];
    found += stored.vectors.search(q, CANDIDATES).filter((hit) => scores[i][hit.id] >= cut - 1e-6).length;
  });
  return found / (queries.length * Math.min(CANDIDATES, size));
}

/** How spread the answers are: distinct top-1 chunks, and how many top-1 hits are seed-document chunks. */
async function spread(retriever: Retriever, questions: string[], seedDocuments: Set<string>) {
  const top = await Promise.all(questions.map(async (q) => (await retriever.retrieve(q, { k: 5 }))[0]?.chunk));
  return {
    distinctTop1: new Set(top.map((c) => c?.id)).size,
    seedTop1: top.filter((c) => c && seedDocuments.has(c.docId)).length,
  };
}

export async function runScale(root: string, args: ScaleArgs): Promise<number> {
  const questions = loadQuestions(root);
  const tmp = mkdtempSync(join(tmpdir(), 'policy-scale-'));
  const corpusDir = join(tmp, 'corpus');
  const indexDir = join(tmp, 'data', 'index');
  try {
    log(`== scale: ${args.factor}× the seed corpus (seed ${args.seed}) ==`);
    const genStarted = performance.now();
    const generated = await generate(root, corpusDir, args);
    const generateMs = performance.now() - genStarted;
    log(
      `generated ${generated.documents} documents, ${generated.characters.toLocaleString('en')} characters ` +
        `(${mb(generated.bytes)} UTF-8; seed ${generated.seedCharacters.toLocaleString('en')}) in ${(generateMs / 1000).toFixed(1)} s`,
    );

    const sampler = new RssSampler();
    const phases: Phase[] = [];
    const { corpus, retriever, stored } = await buildIndex(root, corpusDir, indexDir, phases);
    const buildMs = phases.reduce((n, p) => n + p.ms, 0);
    log(`build: ${(buildMs / 1000).toFixed(1)} s for ${corpus.documents.length} documents, ${corpus.chunks.length} chunks, ${stored.graphs} HNSW graph(s)`);
    const buildPeakRss = sampler.max;

    const queries = await timeQueries(retriever, questions, args.iterations);
    log(`retrieve(k=5), cold pass: ${latencyLine(queries.cold)}`);
    log(`retrieve(k=5), warm:      ${latencyLine(queries.warm)}`);
    log(`BM25 alone (${retriever.bm25.kernel}):    ${latencyLine(queries.lexical)}`);
    const seedIds = new Set(corpus.documents.slice(0, generated.seedDocuments).map((d) => d.id));
    const answers = await spread(retriever, questions, seedIds);
    log(`top-1 over ${questions.length} questions: ${answers.distinctTop1} distinct chunks, ${answers.seedTop1} from the seed documents`);

    const memory = {
      peakRss: sampler.max,
      buildPeakRss,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heapUsedPeak: Math.max(...phases.map((p) => p.heapUsed), process.memoryUsage().heapUsed),
    };
    await sampler.stop();
    // After the memory figures: the exact scan streams the raw vectors, but its score arrays are not the service's.
    const recall = await vectorRecall(indexDir, stored, questions);
    log(`vector recall@${CANDIDATES} against an exact scan: ${(recall * 100).toFixed(1)}%`);
    const index = fileSizes(indexDir);
    const indexBytes = Object.values(index).reduce((n, x) => n + x, 0);

    const checks = [
      { name: 'index build', value: `${(buildMs / 1000).toFixed(1)} s`, limit: '< 300 s', pass: buildMs < TARGETS.buildMs },
      { name: 'query p50', value: ms(queries.warm.p50), limit: `< ${TARGETS.queryP50Ms} ms`, pass: queries.warm.p50 < TARGETS.queryP50Ms },
      { name: 'peak RSS', value: mb(Math.max(memory.peakRss, memory.maxRss)), limit: '< 2048 MiB', pass: Math.max(memory.peakRss, memory.maxRss) < TARGETS.rssBytes },
    ];
    const pass = checks.every((c) => c.pass);

    log();
    log('== summary ==');
    printTable([
      ['corpus', 'value'],
      ['documents', String(corpus.documents.length)],
      ['chunks', String(corpus.chunks.length)],
      ['characters', generated.characters.toLocaleString('en')],
      ['UTF-8 size', mb(generated.bytes)],
      ['on-disk index', `${mb(indexBytes)} (${Object.entries(index).map(([n, b]) => `${n} ${mb(b)}`).join(', ')})`],
    ]);
    log();
    printTable([['build phase', 'seconds'], ...phases.map((p) => [p.name, (p.ms / 1000).toFixed(2)]), ['total', (buildMs / 1000).toFixed(2)]]);
    log();
    printTable([
      ['memory', 'MiB'],
      ['peak RSS (sampled, build + queries)', (memory.peakRss / MiB).toFixed(1)],
      ['peak RSS (sampled, build)', (memory.buildPeakRss / MiB).toFixed(1)],
      ['max RSS (kernel high-water mark)', (memory.maxRss / MiB).toFixed(1)],
      ['peak heapUsed (at phase ends)', (memory.heapUsedPeak / MiB).toFixed(1)],
    ]);
    log();
    printTable([
      ['retrieve(k=5)', 'calls', 'p50 (ms)', 'p99 (ms)', 'mean (ms)', 'max (ms)'],
      ...(['cold', 'warm', 'lexical'] as const).map((k) => [
        k === 'lexical' ? `warm, BM25 part (${retriever.bm25.kernel})` : k,
        String(queries[k].count),
        queries[k].p50.toFixed(3),
        queries[k].p99.toFixed(3),
        queries[k].mean.toFixed(3),
        queries[k].max.toFixed(3),
      ]),
    ]);
    log();
    printTable([['target', 'value', 'limit', 'result'], ...checks.map((c) => [c.name, c.value, c.limit, c.pass ? 'PASS' : 'FAIL'])]);
    log();
    logVerdict(checks);

    if (args.json) {
      log(
        JSON.stringify({
          settings: { ...args, questions: questions.length },
          corpus: { ...generated, chunks: corpus.chunks.length, generateMs: Math.round(generateMs) },
          buildMs: Math.round(buildMs),
          phases: phases.map((p) => ({ name: p.name, ms: Math.round(p.ms), rssBytes: p.rss, heapUsedBytes: p.heapUsed })),
          memory: { peakRssBytes: memory.peakRss, buildPeakRssBytes: memory.buildPeakRss, maxRssBytes: memory.maxRss, heapUsedPeakBytes: memory.heapUsedPeak },
          index: { files: index, totalBytes: indexBytes },
          retrieval: {
            cold: roundedSummary(queries.cold),
            warm: roundedSummary(queries.warm),
            bm25: { kernel: retriever.bm25.kernel, ...roundedSummary(queries.lexical) },
          },
          top1: answers,
          vectorRecall: Math.round(recall * 1000) / 1000,
          targets: checks,
          pass,
        }),
      );
    }
    return pass ? 0 : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
