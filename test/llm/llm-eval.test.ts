/**
 * Issue 14's measure: an eval run in LLM mode against an adversarial stand-in model shows no unsupported
 * sentence. The stand-in writes, for every question, grounded sentences and one of each kind of unsupported
 * sentence (changed figure, invented phone and address, flipped negation, sweeping quantifier, a claim cited to
 * an unrelated passage, a fragment quote); the run goes through the app, the LangChain client, the stream and
 * the claim checks, and the stand-in's ledger is the oracle.
 */
import { describe, expect, it } from 'vitest';
import { runStandInEval, type StandInEvalResult } from '../support/standin-eval.ts';

describe('eval in LLM mode against the adversarial stand-in', () => {
  let result: StandInEvalResult;

  it('runs the qa, refusal and dev dialogue sets with the model path', async () => {
    result = await runStandInEval(['qa.json', 'refusals.json', 'dialogues-dev.json']);
    expect(result.report.mode).toBe('llm');
    expect(result.drafts).toBeGreaterThan(150);
    expect(result.unsupportedWritten).toBeGreaterThan(result.drafts * 4);
  }, 240_000);

  it('shows none of the unsupported sentences the stand-in wrote', () => {
    expect(result.leaks).toEqual([]);
  });

  it('shows grounded sentences and counts what it dropped, by reason, in the report', () => {
    const checks = result.report.breakdown.modelChecks!;
    expect(checks.drafted).toBe(result.drafts);
    expect(checks.llmAnswers).toBeGreaterThan(checks.drafted / 2);
    expect(checks.shown).toBeGreaterThan(0);
    expect(checks.sentences).toBe(checks.shown + Object.values(checks.dropped).reduce((a, b) => a + b, 0));
    for (const reason of ['unsupported_value', 'negation_flip', 'unsupported_quantifier', 'unrelated_quote', 'fragment_quote']) {
      expect(checks.dropped[reason], reason).toBeGreaterThan(0);
    }
  });

  it('keeps every citation verbatim and declines what must be declined', () => {
    expect(result.report.metrics.citationVerbatim).toBe(1);
    expect(result.report.metrics.refusalAccuracy).toBe(1);
  });
});

describe('eval in LLM mode with the stand-in also reading the questions (LLM_READ_QUESTIONS)', () => {
  let result: StandInEvalResult;

  it('runs the situation and a dialogue set with every question read by the model too', async () => {
    result = await runStandInEval(['situations.json', 'dialogues-blind-b.json'], { readQuestions: true });
    expect(result.readings).toBeGreaterThan(100);
  }, 240_000);

  it('never takes a fact the stand-in made up for one the question stated', () => {
    expect(result.guessesUsed).toEqual([]);
  });

  it('still shows no unsupported sentence and decides every situation as before', () => {
    expect(result.leaks).toEqual([]);
    expect(result.report.metrics.situationAccuracy).toBe(1);
    expect(result.report.metrics.falseYesRate).toBe(0);
  });
});
