import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const conversations = sqliteTable('conversations', {
  id: text('id').primaryKey(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`),
});

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    answerable: integer('answerable', { mode: 'boolean' }).notNull(),
    declineReason: text('decline_reason'),
    /** The citations as returned, JSON. */
    citations: text('citations', { mode: 'json' }).notNull(),
    mode: text('mode', { enum: ['extractive', 'llm'] }).notNull(),
    latencyMs: real('latency_ms').notNull(),
    /** Retrieval topic (question plus carried context), read by the next turn. */
    topic: text('topic').notNull(),
    coverage: real('coverage').notNull(),
    /** What the conversation has established about the enterprise (topic, facts, outcome), JSON. */
    situation: text('situation', { mode: 'json' }),
    /** How the question was read (subject, asked types, scope), JSON: a follow-up inherits what it leaves out. */
    frame: text('frame', { mode: 'json' }),
    /** With a model: sentences written, shown and dropped (with why) by the claim checks, and any fallback, JSON. */
    checks: text('checks', { mode: 'json' }),
    /** 'user' for real traffic, 'eval' for questions an eval run asked. */
    source: text('source', { enum: ['user', 'eval'] }).notNull().default('user'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt)],
);

export const feedback = sqliteTable(
  'feedback',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    comment: text('comment'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('feedback_message_idx').on(t.messageId)],
);

export const evalRuns = sqliteTable('eval_runs', {
  id: text('id').primaryKey(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at').notNull(),
  mode: text('mode').notNull(),
  target: text('target').notNull(),
  corpusHash: text('corpus_hash').notNull(),
  cases: integer('cases').notNull(),
  passed: integer('passed').notNull(),
  failed: integer('failed').notNull(),
  /** Metric name → value, JSON. */
  metrics: text('metrics', { mode: 'json' }).notNull(),
  /** Set name → {cases, passed}, JSON. */
  sets: text('sets', { mode: 'json' }).notNull(),
  /** Right, wrong and declined questions per set and per asked type, JSON (runs before it have none). */
  breakdown: text('breakdown', { mode: 'json' }),
  /** Eval-set problems found against the corpus (a quote no longer verbatim ...), JSON. */
  validation: text('validation', { mode: 'json' }).notNull(),
  /** Threshold failures, JSON. */
  failures: text('failures', { mode: 'json' }).notNull(),
});

export const evalResults = sqliteTable(
  'eval_results',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => evalRuns.id),
    set: text('set').notNull(),
    caseId: text('case_id').notNull(),
    pass: integer('pass', { mode: 'boolean' }).notNull(),
    /** The case outcome (question, answer, problems, source span), JSON. */
    detail: text('detail', { mode: 'json' }).notNull(),
  },
  (t) => [index('eval_results_run_idx').on(t.runId)],
);

/**
 * Answers staff attach to questions the service could not answer well (like annotation replies): the verbatim
 * passage that answers the question, or a mark that it is outside the documents. Pending until a second look
 * approves it; approved ones are answered in the chat without a restart; withdrawn is the undo.
 */
export const staffAnswers = sqliteTable(
  'staff_answers',
  {
    id: text('id').primaryKey(),
    /** The question, masked like every stored question. */
    question: text('question').notNull(),
    kind: text('kind', { enum: ['answer', 'out_of_scope'] }).notNull(),
    docId: text('doc_id'),
    start: integer('start'),
    end: integer('end'),
    /** The verbatim span of the stored document that answers the question. */
    quote: text('quote'),
    section: text('section'),
    /** The campaign catalogue field staff picked (src/match/catalogue.ts catalogueFields), when they picked one: its span is then re-read from the catalogue. */
    field: text('field'),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'withdrawn'] }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    /** The message the question came from, when staff started from one. */
    messageId: text('message_id'),
  },
  (t) => [index('staff_answers_status_idx').on(t.status)],
);
