import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Citation } from '../corpus/quotes.ts';
import { maskPersonalData, maskPersonalDataIn, publicNumbersIn, type MaskOptions } from '../text/personal-data.ts';
import { conversations, feedback, messages } from './schema.ts';

// Works over any drizzle SQLite driver: better-sqlite3 on Node, D1 on Workers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = BaseSQLiteDatabase<'sync' | 'async', any, any>;

export interface StoredMessage {
  id: string;
  conversationId: string;
  question: string;
  answer: string;
  answerable: boolean;
  declineReason: string | null;
  citations: Citation[];
  mode: 'extractive' | 'llm';
  latencyMs: number;
  topic: string;
  coverage: number;
  situation: unknown;
  /** How the question was read (src/understand/frame.ts), for the next turn to inherit. */
  frame: unknown;
  /** With a model: the claim checks' counts and the sentences dropped from its draft, with why (src/answer/claims.ts). */
  checks?: unknown;
  /** Who asked: a user, or an eval run (kept out of the staff's questions log). */
  source: 'user' | 'eval';
  createdAt: Date;
}

export interface NewFeedback {
  id: string;
  messageId: string;
  helpful: boolean;
  comment?: string;
  createdAt: Date;
}

const ph = (name: string) => sql.placeholder(name);

export interface StoreOptions {
  /**
   * Runs a function inside one database transaction (synchronous drivers).
   * When given, messages saved in the same turn of the event loop are
   * committed together (group commit): each caller still resolves only after
   * its row is committed, so nothing acknowledged can be lost, but a burst of
   * requests pays for one commit instead of one each.
   */
  transaction?: (work: () => void) => void;
  /** Runs a function on the next turn of the event loop (Node's setImmediate); the group commit's flush. */
  defer?: (fn: () => void) => void;
  /**
   * Texts whose numbers are public (the corpus documents): their hotlines and contacts stay readable in stored
   * answers, every other personal number is masked.
   */
  publicTexts?: Iterable<string>;
}

interface PendingWrite {
  message: StoredMessage;
  newConversation: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Conversations, their messages and feedback, stored through drizzle-orm. Whatever route writes them, every
 * free-text column (question, answer, topic, feedback comment, and each string inside the situation, frame and
 * claim-check records) has its personal numbers masked on the way in; citations are verbatim document text and
 * stay as they are.
 */
export class ConversationStore {
  private pending: PendingWrite[] = [];
  private readonly mask: MaskOptions;

  // The hot path's statements are prepared once (drizzle maps the placeholders' values per column).
  private readonly insertConversation;
  private readonly insertMessage;
  private readonly selectConversation;
  private readonly selectLastMessage;

  constructor(
    private readonly db: Database,
    private readonly options: StoreOptions = {},
  ) {
    this.mask = { keep: publicNumbersIn(options.publicTexts ?? []) };
    this.insertConversation = db.insert(conversations).values({ id: ph('id'), createdAt: ph('createdAt') }).prepare();
    this.insertMessage = db
      .insert(messages)
      .values({
        id: ph('id'),
        conversationId: ph('conversationId'),
        question: ph('question'),
        answer: ph('answer'),
        answerable: ph('answerable'),
        declineReason: ph('declineReason'),
        citations: ph('citations'),
        mode: ph('mode'),
        latencyMs: ph('latencyMs'),
        topic: ph('topic'),
        coverage: ph('coverage'),
        situation: ph('situation'),
        frame: ph('frame'),
        checks: ph('checks'),
        source: ph('source'),
        createdAt: ph('createdAt'),
      })
      .prepare();
    this.selectConversation = db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, ph('id'))).prepare();
    this.selectLastMessage = db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, ph('conversationId')))
      .orderBy(desc(messages.createdAt), desc(sql`rowid`))
      .limit(1)
      .prepare();
  }

  async conversationExists(id: string): Promise<boolean> {
    return (await this.selectConversation.get({ id })) !== undefined;
  }

  /** The newest message of a conversation, whose topic a follow-up builds on. */
  async lastMessage(conversationId: string): Promise<StoredMessage | undefined> {
    return (await this.selectLastMessage.get({ conversationId })) as StoredMessage | undefined;
  }

  async messagesOf(conversationId: string): Promise<StoredMessage[]> {
    const rows = await this.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.createdAt), asc(sql`rowid`))
      .all();
    return rows as StoredMessage[];
  }

  async getMessage(id: string): Promise<StoredMessage | undefined> {
    return (await this.db.select().from(messages).where(eq(messages.id, id)).get()) as StoredMessage | undefined;
  }

  /** Stores one question and its answer, creating the conversation on its first message. */
  async saveMessage(unmasked: StoredMessage, newConversation: boolean): Promise<void> {
    const message = this.masked(unmasked);
    if (!this.options.transaction) return this.write(message, newConversation);
    return new Promise((resolve, reject) => {
      if (this.pending.push({ message, newConversation, resolve, reject }) === 1) (this.options.defer ?? queueMicrotask)(() => this.flush());
    });
  }

  private masked(message: StoredMessage): StoredMessage {
    const text = (value: string) => maskPersonalData(value, this.mask);
    const json = <T>(value: T) => maskPersonalDataIn(value, this.mask);
    return {
      ...message,
      question: text(message.question),
      answer: text(message.answer),
      topic: text(message.topic),
      situation: json(message.situation),
      frame: json(message.frame),
      ...(message.checks === undefined ? {} : { checks: json(message.checks) }),
    };
  }

  private async write(message: StoredMessage, newConversation: boolean): Promise<void> {
    if (newConversation) await this.insertConversation.run({ id: message.conversationId, createdAt: message.createdAt });
    await this.insertMessage.run({ ...message });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      // Synchronous drivers run each statement inside the call, so all of them are in the transaction.
      this.options.transaction!(() => {
        for (const w of batch) {
          if (w.newConversation) this.insertConversation.run({ id: w.message.conversationId, createdAt: w.message.createdAt });
          this.insertMessage.run({ ...w.message });
        }
      });
      for (const w of batch) w.resolve();
    } catch {
      // One bad row must not fail the others: retry each on its own.
      for (const w of batch) this.write(w.message, w.newConversation).then(w.resolve, w.reject);
    }
  }

  async saveFeedback(entry: NewFeedback): Promise<void> {
    await this.db.insert(feedback).values({ ...entry, comment: entry.comment === undefined ? null : maskPersonalData(entry.comment, this.mask) }).run();
  }

  /** Recent questions for the staff console, newest first, with their feedback. */
  async recentMessages(filter: { answered?: boolean; contains?: string; before?: Date; limit: number }) {
    const conditions = [
      eq(messages.source, 'user'),
      filter.answered === undefined ? undefined : eq(messages.answerable, filter.answered),
      // instr, not LIKE: no wildcards to escape, and D1 refuses LIKE patterns over 50 bytes.
      filter.contains ? sql`instr(lower(${messages.question}), lower(${filter.contains})) > 0` : undefined,
      filter.before ? lt(messages.createdAt, filter.before) : undefined,
    ].filter((c) => c !== undefined);
    const rows = await this.db
      .select({
        id: messages.id,
        conversationId: messages.conversationId,
        question: messages.question,
        answer: messages.answer,
        answerable: messages.answerable,
        declineReason: messages.declineReason,
        mode: messages.mode,
        latencyMs: messages.latencyMs,
        createdAt: messages.createdAt,
        frame: messages.frame,
        // Spelled out: inside the subquery a bare "id" would resolve to feedback.id.
        helpful: sql<number | null>`(select helpful from feedback where feedback.message_id = "messages"."id" order by created_at desc limit 1)`,
        comment: sql<string | null>`(select comment from feedback where feedback.message_id = "messages"."id" order by created_at desc limit 1)`,
      })
      .from(messages)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(messages.createdAt))
      .limit(filter.limit)
      .all();
    return rows.map((r) => ({ ...r, helpful: r.helpful === null ? null : Boolean(r.helpful) }));
  }

  async feedbackFor(messageId: string) {
    return this.db.select().from(feedback).where(eq(feedback.messageId, messageId)).all();
  }
}
