import type { QuestionBank } from './bank.ts';
import type { Gazetteer } from './gazetteer.ts';

/** Follow-up questions offered after an answer, at most. */
const MAX_SUGGESTIONS = 3;

/**
 * Follow-up questions for an answer about `subjectIds`: the standard questions (标准问) of the question bank's
 * entries whose quotes lie in those subjects' own text — so each one is a question the documents answer — leaving
 * out what the answer already quoted and the kinds of detail the question already asked, one per kind of detail
 * (a date, the materials, the steps …), in the bank's order.
 */
export function suggestFollowUps(
  bank: QuestionBank,
  gazetteer: Gazetteer,
  subjectIds: string[],
  asked: string[],
  cited: Array<{ docId: string; start: number; end: number }>,
): string[] {
  const subjects = subjectIds.map((id) => gazetteer.get(id)).filter((s) => s !== undefined);
  if (subjects.length === 0) return [];
  const out: string[] = [];
  const kinds = new Set(asked);
  for (const entry of bank.entries) {
    if (out.length >= MAX_SUGGESTIONS) break;
    if (kinds.has(entry.type) || entry.type === 'other') continue;
    const inside = entry.quotes.every((q) => gazetteer.touches(subjects, entry.docId, q.start, q.end));
    const quotedAlready = entry.quotes.some((q) => cited.some((c) => c.docId === entry.docId && c.start < q.end && q.start < c.end));
    if (!inside || quotedAlready) continue;
    kinds.add(entry.type);
    out.push(entry.questions[0]);
  }
  return out;
}
