/**
 * A conversation, turn by turn, free of HTTP: a question opens a turn (a new conversation, or the next turn of a stored
 * one, carrying what the last turn established), the answer service answers it, and the finished answer is checked
 * (every quote verbatim), stored and shaped as the reply. The HTTP routes (src/web/routes/ask.ts) only parse, stream
 * and serialise; an eval run and the widget go through the same steps.
 */
import type { AnswerService, AskInput } from '../answer/service.ts';
import type { Answer, Citation, TrackAdvice } from '../answer/types.ts';
import { verifiedCitations } from '../answer/verify.ts';
import type { Corpus } from '../corpus/corpus.ts';
import type { ConversationStore } from '../db/store.ts';
import { profileFacts, type Profile } from '../rules/profile.ts';
import type { SituationState } from '../rules/situation.ts';
import type { Frame } from '../understand/frame.ts';

/** Where the conversation's log lines go (the web logger, which masks personal data in every field). */
export interface TurnLogger {
  info(event: string, fields: Record<string, unknown>): void;
}

export interface ConversationDeps {
  corpus: Corpus;
  answers: AnswerService;
  store: ConversationStore;
  logger: TurnLogger;
  /** Today's date (YYYY-MM-DD, China time): a profile's dates are read against it. */
  today: () => string;
  newId: () => string;
  /** Marks the messages stored: an eval run's own service says 'eval'. */
  source?: 'user' | 'eval';
  /** Staff answers approved elsewhere are picked up before a question is answered. */
  staff?: { refresh(): Promise<void> };
}

/** One question asked: the conversation it belongs to and what the answer service is given. */
export interface Turn {
  conversationId: string;
  newConversation: boolean;
  input: AskInput;
  /** When the turn was opened (performance.now()), for the stored latency. */
  started: number;
}

/** A finished answer as the service replies it (POST /api/ask, and the `done` event of its stream). */
export interface Reply {
  answer: string;
  answerable: boolean;
  citations: Citation[];
  conversationId: string;
  messageId: string;
  mode: Answer['mode'];
  declineReason?: NonNullable<Answer['declineReason']>;
  related?: Citation[];
  understood?: ReturnType<AnswerService['understood']>;
  situation?: SituationState;
  tracks?: TrackAdvice;
  suggestions?: string[];
  via?: { staffAnswerId: string };
  checks?: { sentences: number; shown: number; dropped: Record<string, number>; fallback: boolean };
}

/** A stored conversation as it is read back (the widget restores it after a reload). */
export interface History {
  conversationId: string;
  messages: Array<{
    messageId: string;
    question: string;
    answer: string;
    answerable: boolean;
    citations: Citation[];
    mode: Answer['mode'];
    createdAt: string;
    suggestions?: string[];
  }>;
}

/** The longest conversation id a client may send: anything longer was never given out. */
const MAX_ID_LENGTH = 64;

/**
 * Conversations over the answer service and the store.
 *
 * @example
 * const turn = await conversations.open({ question: '续贷要提前多久申请？' });
 * const reply = await conversations.finish(turn!, await conversations.answer(turn!));
 */
export class Conversations {
  constructor(private readonly deps: ConversationDeps) {}

  /**
   * Opens a turn: of the conversation named (null when there is no such conversation), or of a new one. The last
   * stored turn's topic, situation and question frame are carried over, so a follow-up can leave its subject out.
   */
  async open(request: { question: string; conversationId?: string; profile?: Profile }): Promise<Turn | null> {
    const { store } = this.deps;
    let previous: Pick<AskInput, 'previousTopic' | 'previousSituation' | 'previousFrame'> = {};
    if (request.conversationId !== undefined) {
      if (!(await store.conversationExists(request.conversationId))) return null;
      const last = await store.lastMessage(request.conversationId);
      previous = {
        previousTopic: last?.topic,
        previousSituation: (last?.situation as SituationState | null) ?? undefined,
        previousFrame: (last?.frame as Frame | null) ?? undefined,
      };
    }
    const started = performance.now();
    const profile = request.profile ? profileFacts(request.profile, this.deps.today()) : undefined;
    await this.deps.staff?.refresh();
    return {
      conversationId: request.conversationId ?? this.deps.newId(),
      newConversation: request.conversationId === undefined,
      input: { question: request.question, ...previous, profile },
      started,
    };
  }

  /** Answers the turn; with a model, `onSentence` receives each sentence that passed the claim checks as it is written. */
  answer(turn: Turn, onSentence?: AskInput['onSentence']): Promise<Answer> {
    return this.deps.answers.answer(onSentence ? { ...turn.input, onSentence } : turn.input);
  }

  /**
   * Checks, stores and shapes a finished answer. Every quote must be a verbatim span of a stored document: one that
   * is not is a bug, and nothing of the answer leaves the server.
   */
  async finish(turn: Turn, answer: Answer): Promise<Reply> {
    const { corpus, store, logger, answers } = this.deps;
    const citations = verifiedCitations(corpus, answer.citations);
    if (citations.length !== answer.citations.length) throw new Error('an unverifiable quote reached the response');
    const related = answer.related ? verifiedCitations(corpus, answer.related) : [];
    if (related.length !== (answer.related?.length ?? 0)) throw new Error('an unverifiable related quote reached the response');
    const latencyMs = performance.now() - turn.started;
    if (answer.checks?.dropped.length) logger.info('llm_sentences_dropped', { shown: answer.checks.shown, dropped: answer.checks.dropped });

    const messageId = this.deps.newId();
    // (The store masks personal numbers in every free-text field, the frame's and checks' words included.)
    await store.saveMessage(
      {
        id: messageId,
        conversationId: turn.conversationId,
        question: turn.input.question,
        answer: answer.answer,
        answerable: answer.answerable,
        declineReason: answer.declineReason ?? null,
        citations,
        mode: answer.mode,
        latencyMs,
        topic: answer.topic,
        coverage: answer.coverage,
        situation: answer.situation ?? null,
        frame: answer.frame ?? null,
        checks: answer.checks ?? null,
        source: this.deps.source ?? 'user',
        createdAt: new Date(),
      },
      turn.newConversation,
    );

    return {
      answer: answer.answer,
      answerable: answer.answerable,
      citations,
      conversationId: turn.conversationId,
      messageId,
      mode: answer.mode,
      ...(answer.declineReason ? { declineReason: answer.declineReason } : {}),
      ...(related.length ? { related } : {}),
      ...(answer.frame ? { understood: answers.understood(answer.frame) } : {}),
      ...(answer.situation?.topic || answer.situation?.outcome ? { situation: { ...answer.situation, facts: { ...answer.situation.facts } } } : {}),
      ...(answer.tracks ? { tracks: answer.tracks } : {}),
      ...(answer.suggestions?.length ? { suggestions: answer.suggestions } : {}),
      ...(answer.via ? { via: answer.via } : {}),
      ...(answer.checks
        ? {
            checks: {
              sentences: answer.checks.sentences,
              shown: answer.checks.shown,
              dropped: answer.checks.dropped.reduce<Record<string, number>>((n, d) => ({ ...n, [d.reason]: (n[d.reason] ?? 0) + 1 }), {}),
              fallback: answer.checks.fallback !== undefined,
            },
          }
        : {}),
    };
  }

  /** A stored conversation, oldest turn first, its newest answer offering its follow-up suggestions again; null when unknown. */
  async history(conversationId: string): Promise<History | null> {
    const { store, answers } = this.deps;
    if (conversationId.length > MAX_ID_LENGTH || !(await store.conversationExists(conversationId))) return null;
    const rows = await store.messagesOf(conversationId);
    const newest = rows.at(-1);
    const suggestions = newest?.answerable ? answers.suggestionsFor(newest.frame as Frame | null, newest.citations as Citation[]) : [];
    return {
      conversationId,
      messages: rows.map((m) => ({
        messageId: m.id,
        question: m.question,
        answer: m.answer,
        answerable: m.answerable,
        citations: m.citations as Citation[],
        mode: m.mode as Answer['mode'],
        createdAt: m.createdAt.toISOString(),
        ...(m === newest && suggestions.length ? { suggestions } : {}),
      })),
    };
  }
}
