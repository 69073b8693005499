import { runEvalSets, type EvalRunOptions, type EvalRunResult } from './eval-run.ts';
import { createServices, evalAppClient, type Services } from './services.ts';

export type EvalCommandOptions = EvalRunOptions<Services>;
export type EvalCommandResult = EvalRunResult;

/**
 * `npm run eval`: validates the eval sets against the corpus, runs them
 * (in-process, or against `base`), prints a table per set and the metrics,
 * writes evals/reports/<timestamp>.json and .html, stores the run in SQLite,
 * and fails when the sets no longer match the corpus or a threshold is missed.
 */
export function runEvalCommand(options: EvalCommandOptions = {}): Promise<EvalCommandResult> {
  return runEvalSets(options, { createServices, appClient: evalAppClient });
}
