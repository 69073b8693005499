import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { maskPersonalData } from '../text/personal-data.ts';
import { staffAnswers } from './schema.ts';
import type { Database } from './store.ts';
import type { StaffEntry } from '../understand/staff.ts';

export type StaffAnswerStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** A staff answer as stored: what the chat uses (StaffEntry), its review state, and who did what when. */
export interface StaffAnswer extends StaffEntry {
  /** The catalogue field staff picked (CatalogueField id), or null for a passage picked in the text. */
  field: string | null;
  status: StaffAnswerStatus;
  createdBy: string;
  createdAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  messageId: string | null;
}

/** Which status a review step moves an answer from, and to. */
export const REVIEW_STEPS = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  // The undo: an approved answer stops being used; a pending one is taken back.
  withdraw: { from: ['pending', 'approved'], to: 'withdrawn' },
} as const satisfies Record<string, { from: StaffAnswerStatus[]; to: StaffAnswerStatus }>;

export type ReviewStep = keyof typeof REVIEW_STEPS;

/**
 * Staff answers (src/db/schema.ts staffAnswers) through drizzle: the same on SQLite and D1. The question and the
 * names of who wrote and reviewed it have their personal numbers masked on the way in; the quote is verbatim
 * document text and stays as it is.
 */
export class StaffAnswerStore {
  constructor(private readonly db: Database) {}

  async create(answer: StaffAnswer): Promise<void> {
    const reviewedBy = answer.reviewedBy === null ? null : maskPersonalData(answer.reviewedBy);
    await this.db.insert(staffAnswers).values({ ...answer, question: maskPersonalData(answer.question), createdBy: maskPersonalData(answer.createdBy), reviewedBy }).run();
  }

  async list(status?: StaffAnswerStatus, limit = 200): Promise<StaffAnswer[]> {
    const query = this.db.select().from(staffAnswers);
    const rows = await (status ? query.where(eq(staffAnswers.status, status)) : query).orderBy(desc(staffAnswers.createdAt), desc(sql`rowid`)).limit(limit).all();
    return rows as StaffAnswer[];
  }

  async get(id: string): Promise<StaffAnswer | undefined> {
    return (await this.db.select().from(staffAnswers).where(eq(staffAnswers.id, id)).get()) as StaffAnswer | undefined;
  }

  /** Moves an answer one review step, recording who and when; false when its status does not allow the step. */
  async review(id: string, step: ReviewStep, by: string, at: Date): Promise<boolean> {
    const { from, to } = REVIEW_STEPS[step];
    const result = await this.db
      .update(staffAnswers)
      .set({ status: to, reviewedBy: maskPersonalData(by), reviewedAt: at })
      .where(and(eq(staffAnswers.id, id), inArray(staffAnswers.status, [...from])))
      .returning({ id: staffAnswers.id })
      .all();
    return result.length > 0;
  }

  /** The answers in effect, in the order they were approved (the first to a passage is its standard question). */
  async approved(): Promise<StaffAnswer[]> {
    return (await this.list('approved', 5000)).sort(inReviewOrder);
  }

  /** When anything last changed (a new answer or a review), for other instances to notice. */
  async lastChange(): Promise<number> {
    const row = await this.db
      .select({ at: sql<number | null>`max(max(coalesce(${staffAnswers.reviewedAt}, 0)), max(${staffAnswers.createdAt}))` })
      .from(staffAnswers)
      .get();
    return Number(row?.at ?? 0);
  }
}

/** Oldest review first (then oldest creation): the order answers joined the question bank in. */
export function inReviewOrder(a: StaffAnswer, b: StaffAnswer): number {
  return (a.reviewedAt?.getTime() ?? 0) - (b.reviewedAt?.getTime() ?? 0) || a.createdAt.getTime() - b.createdAt.getTime();
}
