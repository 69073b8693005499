/**
 * An eval run in LLM mode against the adversarial stand-in (test/support/standin.ts behind the
 * OpenAI-compatible stub): the service is configured with a model as a deployer would configure one
 * (OPENAI_API_KEY, OPENAI_BASE_URL), every answer goes through the real LangChain client, the stream and
 * the claim checks, and the stand-in's own ledger says how many unsupported sentences reached an answer.
 * Used by test/llm/llm-eval.test.ts (in CI) and by `npm run eval:llm`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import type { AskClient } from '../../src/evals/client.ts';
import { runEvals, type EvalReport } from '../../src/evals/runner.ts';
import { loadEvalSets, validateEvalSets } from '../../src/evals/sets.ts';
import { createServices, evalAppClient } from '../../src/runtime/node/services.ts';
import { createLogger } from '../../src/web/log.ts';
import { startOpenAiStub } from './openai-stub.ts';
import { adversarialReply, GUESSED, unsupportedShown, type StandInLedger } from './standin.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface StandInEvalResult {
  report: EvalReport;
  /** Answers in which an unsupported sentence the stand-in wrote was shown: must be none. */
  leaks: Array<{ question: string; sentences: string[] }>;
  /** Drafts the stand-in wrote. */
  drafts: number;
  /** Questions it read (with readQuestions). */
  readings: number;
  /** Answers that stated a fact the stand-in made up (GUESSED) as what the question said: must be none. */
  guessesUsed: Array<{ question: string; answer: string }>;
  /** Unsupported sentences it wrote. */
  unsupportedWritten: number;
}

/** Runs the named eval files (under evals/) in LLM mode against the adversarial stand-in. */
export async function runStandInEval(files: string[], options: { readQuestions?: boolean } = {}): Promise<StandInEvalResult> {
  const ledger: StandInLedger = { unsupported: new Map(), drafts: 0, readings: 0 };
  const stub = await startOpenAiStub((request) => adversarialReply(request, ledger));
  const dir = mkdtempSync(join(tmpdir(), 'standin-eval-'));
  const sets = loadEvalSets(Object.fromEntries(files.map((f) => [f, readFileSync(join(ROOT, 'evals', f), 'utf8')])));
  const services = await createServices(
    loadConfig({
      OPENAI_API_KEY: 'stand-in',
      OPENAI_BASE_URL: `${stub.url}/v1`,
      OPENAI_MODEL: 'stand-in',
      // The passages are found by the embedded index, as with a provider that has no embeddings.
      EMBEDDINGS: 'local',
      DATA_DIR: dir,
      CORPUS_DIR: join(ROOT, 'corpus'),
      PROMPTS_DIR: join(ROOT, 'prompts'),
      TODAY: sets.qa?.today ?? sets.situations?.today ?? '2026-11-22',
      RATE_LIMIT: '0',
      LLM_READ_QUESTIONS: String(options.readQuestions ?? false),
    }),
    { logger: createLogger('silent') },
  );
  const leaks: StandInEvalResult['leaks'] = [];
  const guessesUsed: StandInEvalResult['guessesUsed'] = [];
  try {
    const app = evalAppClient(services);
    // Every answer is read against the stand-in's ledger of what it wrote unsupported for that question.
    const client: AskClient = {
      get: (path) => app.get(path),
      async post(path, body) {
        const res = await app.post(path, body);
        const question = (body as { question?: string }).question;
        if (path === '/api/ask' && question && typeof res.body?.answer === 'string') {
          const shown = unsupportedShown(ledger, question.trim(), res.body.answer);
          if (shown.length) leaks.push({ question, sentences: shown });
          const facts = res.body.situation?.facts ?? {};
          const guessed = Object.entries(GUESSED).some(([k, v]) => facts[k] === v) || /以上判断按对您问题的理解/.test(res.body.answer) && /大型|固定资产|黑龙江|2031/.test(res.body.answer) && !/大型|固定资产|黑龙江|2031/.test(question);
          if (guessed) guessesUsed.push({ question, answer: res.body.answer });
        }
        return res;
      },
    };
    const report = await runEvals(sets, client, validateEvalSets(sets, services.corpus), { target: 'stand-in' });
    const unsupportedWritten = [...ledger.unsupported.values()].reduce((n, s) => n + s.length, 0);
    return { report, leaks, drafts: ledger.drafts, readings: ledger.readings, guessesUsed, unsupportedWritten };
  } finally {
    services.close();
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
