import { and, asc, desc, eq } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Citation } from '../answer/types.ts';
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
  createdAt: Date;
}

export interface NewFeedback {
  id: string;
  messageId: string;
  helpful: boolean;
  comment?: string;
  createdAt: Date;
}

/** Conversations, their messages and feedback, stored through drizzle-orm. */
export class ConversationStore {
  constructor(private readonly db: Database) {}

  async conversationExists(id: string): Promise<boolean> {
    const row = await this.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, id)).get();
    return row !== undefined;
  }

  /** The newest message of a conversation, whose topic a follow-up builds on. */
  async lastMessage(conversationId: string): Promise<StoredMessage | undefined> {
    const row = await this.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(1)
      .get();
    return row as StoredMessage | undefined;
  }

  async messagesOf(conversationId: string): Promise<StoredMessage[]> {
    const rows = await this.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.createdAt), asc(messages.id))
      .all();
    return rows as StoredMessage[];
  }

  async getMessage(id: string): Promise<StoredMessage | undefined> {
    return (await this.db.select().from(messages).where(eq(messages.id, id)).get()) as StoredMessage | undefined;
  }

  /** Stores one question and its answer, creating the conversation on its first message. */
  async saveMessage(message: StoredMessage, newConversation: boolean): Promise<void> {
    if (newConversation) {
      await this.db.insert(conversations).values({ id: message.conversationId, createdAt: message.createdAt }).run();
    }
    await this.db.insert(messages).values(message).run();
  }

  async saveFeedback(entry: NewFeedback): Promise<void> {
    await this.db.insert(feedback).values({ ...entry, comment: entry.comment ?? null }).run();
  }

  async feedbackFor(messageId: string) {
    return this.db.select().from(feedback).where(and(eq(feedback.messageId, messageId))).all();
  }
}
