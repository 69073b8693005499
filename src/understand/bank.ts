import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { locateQuote, quoteAt, type Quote } from '../corpus/quotes.ts';
import { ASKED, type Asked } from './lexicons.ts';
import { NgramIndex, type SimilarityLexicon } from './similarity.ts';
import type { StaffEntry } from './staff.ts';
import { UNDERSTANDING } from '../tuning.ts';

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
  /** Set when that question is one staff attached in the console (the staff answer's id). */
  staffId?: string;
}

/** How a staff answer joins the bank: the standard question (标准问) of an entry of its own, or a similar one (相似问). */
export interface BankPlacement {
  entryId: string;
  role: 'standard' | 'similar';
  /** The entry's standard question. */
  standard: string;
  /** What the entry answers (for a new entry: what its standard question asks for). */
  type: Asked | 'other';
}

/** How much of a bank entry's text a staff passage must share to be the same fact (src/tuning.ts; the entry must also answer the same kind of question: see `place`). */
const SAME_FACT_OVERLAP = UNDERSTANDING.staffSameFactOverlap;

/** Kinds of question an entry of another kind answers too (as the frame's bank matching takes them: src/answer/framed.ts). */
const ANSWERED_BY: Partial<Record<Asked | 'other', Array<Asked | 'other'>>> = { place: ['address'], purpose: ['reason'] };

/** Weight of an entry's second-closest question in its score (the closest weighs 1). */
const SECOND_QUESTION_WEIGHT = UNDERSTANDING.bankSecondQuestionWeight;

interface Asking {
  entry: BankEntry;
  question: string;
  verdict?: 'yes' | 'no';
  staffId?: string;
}

/**
 * The question bank (标准问 / 相似问, corpus/questions/*.json): for each fact
 * of the documents, the verbatim quotes that answer it and the ways people
 * ask for it. A question is matched to the bank's questions by character
 * n-gram similarity, the offline form of doc2query. Every quote is located
 * in its document when the bank is loaded; an entry whose quote is no longer
 * verbatim there is left out and reported, never answered from.
 *
 * Staff answers approved in the console join it (`join`): a question staff
 * attached to the passage of an entry becomes one of its similar questions,
 * one attached to another passage the standard question of an entry of its
 * own (and later ones to that passage its similar questions). They are then
 * matched like the files' own ways of asking, so a paraphrase of the staff
 * question finds the passage too.
 */
export class QuestionBank {
  /** The entries of corpus/questions. */
  readonly entries: BankEntry[] = [];
  readonly problems: string[] = [];
  /** Entries made of staff answers (`join`). */
  staffEntries: BankEntry[] = [];
  private readonly byId = new Map<string, BankEntry>();
  private readonly fileIndex: NgramIndex<Asking>;
  private readonly fileAspects: NgramIndex<Asking>;
  private index: NgramIndex<Asking>;
  /** The same ways of asking with the subjects' names left out: what each asks about its subject. */
  private aspects: NgramIndex<Asking>;

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
    this.fileIndex = new NgramIndex<Asking>(lexicon);
    this.fileAspects = new NgramIndex<Asking>(lexicon);
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
        this.byId.set(entry.id, entry);
        const items = [...entry.questions.map((question) => ({ entry, question })), ...entry.yesno.map((y) => ({ entry, question: y.question, verdict: y.verdict }))];
        for (const { text, item } of this.asked(items)) this.fileIndex.add(text, item);
        for (const { text, item } of this.aspectsOf(items)) this.fileAspects.add(text, item);
      }
    }
    this.fileIndex.build();
    this.fileAspects.build();
    this.index = this.fileIndex;
    this.aspects = this.fileAspects;
  }

  private asked(items: Asking[]): Array<{ text: string; item: Asking }> {
    return items.map((item) => ({ text: item.question, item }));
  }

  private aspectsOf(items: Asking[]): Array<{ text: string; item: Asking }> {
    // A way of asking that only names its subject asks nothing of it.
    return items.map((item) => ({ text: this.aspect(item.question), item })).filter(({ text }) => this.fileAspects.clean(text).replace(/\s+/g, '').length >= 2);
  }

  /**
   * Where each staff answer joins the bank, taking them in the order given (approved ones first, oldest first): a
   * passage that is the fact of an entry answering the same kind of question (`typeOf`: 「首贷中心在哪」's address entry
   * is no home for 「首贷中心是不是直接放款」, though both quote one sentence) makes the question one of that entry's
   * similar questions; otherwise the first question of a kind attached to a passage is the standard question of a new
   * entry, and later ones of that kind to the same passage its similar questions. Out-of-scope answers join nothing
   * (they are declines, matched as the same question only).
   */
  place(staff: StaffEntry[], typeOf: (question: string) => Asked | 'other' = () => 'other'): Map<string, BankPlacement> {
    const placed = new Map<string, BankPlacement>();
    const own = new Map<string, BankPlacement>();
    for (const s of staff) {
      if (s.kind !== 'answer' || s.docId === null || s.start === null || s.end === null) continue;
      const type = typeOf(s.question);
      const entry = this.entryOf(s.docId, s.start, s.end, type);
      if (entry) {
        placed.set(s.id, { entryId: entry.id, role: 'similar', standard: entry.questions[0], type: entry.type });
        continue;
      }
      const key = `${s.docId}:${s.start}:${s.end}:${type}`;
      const first = own.get(key);
      if (first) placed.set(s.id, { ...first, role: 'similar' });
      else {
        const standard: BankPlacement = { entryId: `staff-${s.id}`, role: 'standard', standard: s.question, type };
        own.set(key, standard);
        placed.set(s.id, standard);
      }
    }
    return placed;
  }

  /**
   * Takes the approved staff answers into the bank as they now stand (replacing the last ones), placed by `place`; a
   * new entry's type is what its standard question asks for (`typeOf`). The files' entries are not changed.
   */
  join(staff: StaffEntry[], corpus: Corpus, typeOf: (question: string) => Asked | 'other'): void {
    const placed = this.place(staff, typeOf);
    const made = new Map<string, BankEntry>();
    const items: Asking[] = [];
    for (const s of staff) {
      const at = placed.get(s.id);
      const doc = s.docId === null ? undefined : corpus.document(s.docId);
      if (!at || !doc) continue;
      let entry = this.byId.get(at.entryId) ?? made.get(at.entryId);
      if (!entry) {
        entry = { id: at.entryId, docId: doc.id, type: at.type, quotes: [quoteAt(doc, s.start!, s.end!)], questions: [], yesno: [] };
        made.set(entry.id, entry);
      }
      if (made.has(entry.id)) entry.questions.push(s.question);
      items.push({ entry, question: s.question, staffId: s.id });
    }
    this.staffEntries = [...made.values()];
    this.index = items.length ? this.fileIndex.with(this.asked(items)) : this.fileIndex;
    this.aspects = items.length ? this.fileAspects.with(this.aspectsOf(items)) : this.fileAspects;
  }

  /** The files' entry of this type whose answer is this passage (see SAME_FACT_OVERLAP), the closest when several are. */
  private entryOf(docId: string, start: number, end: number, type: Asked | 'other'): BankEntry | undefined {
    let best: { entry: BankEntry; overlap: number } | undefined;
    for (const entry of this.entries) {
      if (entry.type !== type && !ANSWERED_BY[type]?.includes(entry.type)) continue;
      const quotes = entry.quotes.filter((q) => q.docId === docId);
      if (quotes.length !== entry.quotes.length) continue;
      const from = Math.min(...quotes.map((q) => q.start));
      const to = Math.max(...quotes.map((q) => q.end));
      const shared = Math.min(to, end) - Math.max(from, start);
      if (shared <= 0) continue;
      const overlap = shared / (Math.max(to, end) - Math.min(from, start));
      if (overlap >= SAME_FACT_OVERLAP && (!best || overlap > best.overlap)) best = { entry, overlap };
    }
    return best?.entry;
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
        ...(first.item.staffId ? { staffId: first.item.staffId } : {}),
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
