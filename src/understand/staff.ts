import { foldText } from './fold.ts';
import { NgramIndex, type SimilarityLexicon } from './similarity.ts';
import { UNDERSTANDING } from '../tuning.ts';

/** An approved staff answer as the chat uses it. */
export interface StaffEntry {
  id: string;
  question: string;
  kind: 'answer' | 'out_of_scope';
  docId: string | null;
  start: number | null;
  end: number | null;
  quote: string | null;
  section: string | null;
}

/** How alike a question must be to a staff answer's question to be answered by it (src/tuning.ts). */
const SAME_QUESTION = UNDERSTANDING.staffSameQuestion;

/**
 * The staff answers in effect (approved in the console), matched against each question before anything else
 * reads it. Replaced whole when staff approve or withdraw one, so a change takes effect without a restart.
 */
export class StaffAnswers {
  private exact = new Map<string, StaffEntry>();
  private index: NgramIndex<StaffEntry>;

  /** `bank` takes the same answers into the question bank (QuestionBank.join), where paraphrases find them too. */
  constructor(
    private readonly lexicon: SimilarityLexicon,
    private readonly bank?: { join(entries: StaffEntry[]): void },
  ) {
    this.index = new NgramIndex(lexicon);
  }

  get size(): number {
    return this.exact.size;
  }

  /** Takes the approved answers as they now stand, in the order they were approved. */
  load(entries: StaffEntry[]): void {
    this.bank?.join(entries);
    const index = new NgramIndex<StaffEntry>(this.lexicon);
    const exact = new Map<string, StaffEntry>();
    for (const e of entries) {
      exact.set(foldText(e.question), e);
      index.add(e.question, e);
    }
    index.build();
    this.index = index;
    this.exact = exact;
  }

  /** The staff answer for this question, if staff answered the same question. */
  match(question: string): StaffEntry | null {
    if (this.exact.size === 0) return null;
    const same = this.exact.get(foldText(question));
    if (same) return same;
    const [best] = this.index.search(question, 1);
    return best && best.score >= SAME_QUESTION ? best.item : null;
  }
}
