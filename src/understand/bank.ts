import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { locateQuote, type Quote } from '../corpus/quotes.ts';
import { ASKED, type Asked } from './lexicons.ts';
import { NgramIndex, type SimilarityLexicon } from './similarity.ts';

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    type: z.enum([...ASKED, 'other']),
    /** Verbatim clauses that answer the entry's questions, in the order the answer shows them. */
    quotes: z.array(z.string().min(2)).min(1),
    /** The standard question first, then the ways people ask the same. */
    questions: z.array(z.string().min(1)).min(1),
    /** Yes/no questions this entry settles, with their verdicts. */
    yesno: z.array(z.object({ question: z.string().min(1), verdict: z.enum(['yes', 'no']) }).strict()).optional(),
  })
  .strict();

const bankFileSchema = z.object({ docId: z.string(), note: z.string().optional(), entries: z.array(entrySchema) }).strict();

export interface BankEntry {
  id: string;
  docId: string;
  type: Asked | 'other';
  quotes: Quote[];
  questions: string[];
  yesno: Array<{ question: string; verdict: 'yes' | 'no' }>;
}

export interface BankHit {
  entry: BankEntry;
  /** The bank question the user's question is most like. */
  question: string;
  score: number;
  /** Set when that question is a yes/no question the entry settles. */
  verdict?: 'yes' | 'no';
}

/** Weight of an entry's second-closest question in its score (the closest weighs 1). */
const SECOND_QUESTION_WEIGHT = 0.5;

interface Asking {
  entry: BankEntry;
  question: string;
  verdict?: 'yes' | 'no';
}

/**
 * The question bank (标准问 / 相似问, corpus/questions/*.json): for each fact
 * of the documents, the verbatim quotes that answer it and the ways people
 * ask for it. A question is matched to the bank's questions by character
 * n-gram similarity, the offline form of doc2query. Every quote is located
 * in its document when the bank is loaded; an entry whose quote is no longer
 * verbatim there is left out and reported, never answered from.
 */
export class QuestionBank {
  readonly entries: BankEntry[] = [];
  readonly problems: string[] = [];
  private readonly index: NgramIndex<Asking>;
  /** The same ways of asking with the subjects' names left out: what each asks about its subject. */
  private readonly aspects: NgramIndex<Asking>;

  /**
   * `aspect` leaves the names of subjects out of a text (「小微企业融资协调工作机制，进申报清单要啥标准」 → 「进申报清单要啥
   * 标准」); without it the aspect search is the plain one.
   */
  constructor(
    corpus: Corpus,
    files: Record<string, string>,
    lexicon: SimilarityLexicon,
    private readonly aspect: (text: string) => string = (text) => text,
  ) {
    this.index = new NgramIndex<Asking>(lexicon);
    this.aspects = new NgramIndex<Asking>(lexicon);
    const ids = new Set<string>();
    for (const [name, text] of Object.entries(files)) {
      const parsed = bankFileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`corpus/questions/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      for (const e of parsed.data.entries) {
        if (ids.has(e.id)) throw new Error(`corpus/questions/${name}: duplicate entry id ${e.id}`);
        ids.add(e.id);
        let quotes: Quote[];
        try {
          quotes = e.quotes.map((q) => locateQuote(corpus, parsed.data.docId, q));
        } catch (error) {
          this.problems.push(`${name} ${e.id}: ${(error as Error).message}`);
          continue;
        }
        const entry: BankEntry = { id: e.id, docId: parsed.data.docId, type: e.type, quotes, questions: e.questions, yesno: e.yesno ?? [] };
        this.entries.push(entry);
        const add = (item: Asking) => {
          this.index.add(item.question, item);
          // A way of asking that only names its subject asks nothing of it.
          const aspect = this.aspect(item.question);
          if (this.aspects.clean(aspect).replace(/\s+/g, '').length >= 2) this.aspects.add(aspect, item);
        };
        for (const question of entry.questions) add({ entry, question });
        for (const y of entry.yesno) add({ entry, question: y.question, verdict: y.verdict });
      }
    }
    this.index.build();
    this.aspects.build();
  }

  /** Every question the bank holds, with its entry (for the eval-overlap check). */
  get questions(): Array<{ entryId: string; question: string }> {
    return this.entries.flatMap((e) => [...e.questions, ...e.yesno.map((y) => y.question)].map((question) => ({ entryId: e.id, question })));
  }

  /**
   * The entries whose questions are most like `text`, best first, one hit per
   * entry (its most similar question); `keep` filters entries (by subject).
   */
  search(text: string, limit = 5, keep: (entry: BankEntry) => boolean = () => true, by: 'whole' | 'aspect' = 'whole'): BankHit[] {
    // An entry is as close as its closest question, and a little closer when a second of its questions is close too:
    // several ways of asking agreeing is better evidence than one lucky overlap.
    const byEntry = new Map<BankEntry, { first: { item: Asking; score: number }; second: number }>();
    const index = by === 'aspect' ? this.aspects : this.index;
    for (const found of index.search(by === 'aspect' ? this.aspect(text) : text, limit * 20, (a) => keep(a.entry))) {
      const seen = byEntry.get(found.item.entry);
      if (!seen) byEntry.set(found.item.entry, { first: found, second: 0 });
      else if (seen.second === 0) seen.second = found.score;
    }
    return [...byEntry.values()]
      .map(({ first, second }) => ({
        entry: first.item.entry,
        question: first.item.question,
        score: (first.score + SECOND_QUESTION_WEIGHT * second) / (1 + SECOND_QUESTION_WEIGHT),
        ...(first.item.verdict ? { verdict: first.item.verdict } : {}),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /** The closest yes/no question of an entry, if it is close enough to carry its verdict over. */
  verdictFor(text: string, entry: BankEntry): { question: string; verdict: 'yes' | 'no'; score: number } | null {
    let best: { question: string; verdict: 'yes' | 'no'; score: number } | null = null;
    for (const { item, score } of this.index.search(text, 40, (a) => a.entry === entry && a.verdict !== undefined)) {
      if (!best || score > best.score) best = { question: item.question, verdict: item.verdict!, score };
    }
    return best;
  }

  /** The folded text the similarity compares. */
  clean(text: string): string {
    return this.index.clean(text);
  }
}
