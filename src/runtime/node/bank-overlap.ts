import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseQuestions, loadEvalSets } from '../../evals/sets.ts';
import { foldText } from '../../understand/fold.ts';

/**
 * The question bank is written from the documents, never from eval cases: a
 * bank question equal or nearly equal to an eval question (character-bigram
 * Dice ≥ 0.8 on the folded text) would let the eval grade the bank instead of
 * the reader. Short standard questions written independently do collide
 * (「金融兴辽是谁主办的」); such a bank question is dropped, not the eval case.
 */
export const NEAR_COPY_DICE = 0.8;

/** Every question of every eval file under `evalsDir`, held-out sets included (not config.json, not reports/). */
export function evalQuestionsIn(evalsDir: string): string[] {
  const questions: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== 'reports') walk(join(dir, entry.name));
        continue;
      }
      if (!entry.name.endsWith('.json') || entry.name === 'config.json') continue;
      const kind = entry.name.replace(/\.json$/, '').replace(/-holdout$/, '');
      const name = kind.startsWith('dialogues') ? entry.name : `${kind}.json`;
      questions.push(...caseQuestions(loadEvalSets({ [name]: readFileSync(join(dir, entry.name), 'utf8') })));
    }
  };
  walk(evalsDir);
  return questions;
}

/** A question as the comparison sees it: folded, letters and digits only. */
export function comparable(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N}]/gu, '');
}

function grams(s: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + 2 <= s.length; i++) out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1);
  return out;
}

function dice(a: { text: string; grams: Map<string, number> }, b: { text: string; grams: Map<string, number> }): number {
  let shared = 0;
  for (const [g, n] of a.grams) shared += Math.min(n, b.grams.get(g) ?? 0);
  const total = a.text.length - 1 + (b.text.length - 1);
  return total > 0 ? (2 * shared) / total : 0;
}

/** Dice coefficient of the character bigrams of two comparable texts. */
export function bigramDice(a: string, b: string): number {
  return dice({ text: a, grams: grams(a) }, { text: b, grams: grams(b) });
}

/**
 * The eval questions (of at least six characters) a bank question equals or nearly copies. The eval side is
 * prepared once (folded, its bigrams counted); lengths too far apart for the Dice threshold are never compared.
 */
export function nearCopyFinder(evalQuestions: string[]): (bankQuestion: string) => string[] {
  const prepared = evalQuestions
    .map((question) => {
      const text = comparable(question);
      return { question, text, grams: grams(text) };
    })
    .filter((e) => e.text.length >= 6);
  return (bankQuestion) => {
    const text = comparable(bankQuestion);
    const mine = { text, grams: grams(text) };
    // Dice ≥ t needs the shorter text's bigrams to be at least t/(2−t) of the longer's.
    const ratio = NEAR_COPY_DICE / (2 - NEAR_COPY_DICE);
    return prepared
      .filter((e) => {
        const [short, long] = e.text.length < text.length ? [e.text.length - 1, text.length - 1] : [text.length - 1, e.text.length - 1];
        return e.text === text || (short >= long * ratio && dice(mine, e) >= NEAR_COPY_DICE);
      })
      .map((e) => e.question);
  };
}

/** The eval questions (of at least six characters) a bank question equals or nearly copies. */
export function nearCopies(bankQuestion: string, evalQuestions: string[]): string[] {
  return nearCopyFinder(evalQuestions)(bankQuestion);
}
