import type { BankEntry, QuestionBank } from './bank.ts';
import type { Gazetteer } from './gazetteer.ts';

/** Follow-up questions offered after an answer, at most. */
const MAX_SUGGESTIONS = 3;

/**
 * Follow-up questions for an answer about some subjects: the standard questions (标准问) of the question bank's
 * entries whose quotes lie in those subjects' own text — so each one is a question the documents answer — leaving
 * out what the answer already quoted and the kinds of detail the question already asked, one per kind of detail
 * (a date, the materials, the steps …), in the bank's order. Which entries lie in a set of subjects is worked out
 * once per set, not on every answer.
 */
export class FollowUps {
  private readonly inside = new Map<string, BankEntry[]>();

  constructor(
    private readonly bank: QuestionBank,
    private readonly gazetteer: Gazetteer,
  ) {}

  suggest(subjectIds: string[], asked: string[], cited: Array<{ docId: string; start: number; end: number }>): string[] {
    const out: string[] = [];
    const kinds = new Set(asked);
    for (const entry of this.entriesOf(subjectIds)) {
      if (out.length >= MAX_SUGGESTIONS) break;
      if (kinds.has(entry.type)) continue;
      if (entry.quotes.some((q) => cited.some((c) => c.docId === entry.docId && c.start < q.end && q.start < c.end))) continue;
      kinds.add(entry.type);
      out.push(entry.questions[0]);
    }
    return out;
  }

  /** The bank's entries (other than 'other') whose every quote lies in the subjects' text. */
  private entriesOf(subjectIds: string[]): BankEntry[] {
    const key = subjectIds.join('|');
    let entries = this.inside.get(key);
    if (!entries) {
      const subjects = subjectIds.map((id) => this.gazetteer.get(id)).filter((s) => s !== undefined);
      entries =
        subjects.length === 0
          ? []
          : this.bank.entries.filter((e) => e.type !== 'other' && e.quotes.every((q) => this.gazetteer.touches(subjects, e.docId, q.start, q.end)));
      // (Sets of subjects come from the gazetteer, so there are few; the bound only guards against a pathological mix.)
      if (this.inside.size >= 1000) this.inside.clear();
      this.inside.set(key, entries);
    }
    return entries;
  }
}
