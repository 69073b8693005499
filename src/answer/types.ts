import type { Citation } from '../corpus/quotes.ts';
import type { SituationState } from '../rules/situation.ts';
import type { Frame } from '../understand/frame.ts';
import type { DroppedSentence } from './claims.ts';

// Citation is declared beside the quotes it extends, below both answer/ and rules/; re-exported for the answer's users.
export type { Citation };

export type AnswerMode = 'extractive' | 'llm';

/**
 * Why a question was declined: outside the documents, no evidence for it,
 * an attempt at the instructions, an empty question, or a detail the
 * documents do not give for the subject asked about (首贷中心的电话).
 */
export type DeclineReason = 'out_of_scope' | 'no_evidence' | 'no_detail' | 'manipulation' | 'empty';

export interface Answer {
  answer: string;
  answerable: boolean;
  citations: Citation[];
  mode: AnswerMode;
  /** Why the question was declined, when it was. */
  declineReason?: DeclineReason;
  /** The topic text retrieval used (question plus conversation context); carried to follow-ups. */
  topic: string;
  /** Evidence coverage of the question's content terms, in [0, 1]. */
  coverage: number;
  /** For questions about the enterprise's own case: what is established and decided. */
  situation?: SituationState;
  /** How the question was read; the next turn of the conversation inherits from it. */
  frame?: Frame;
  /**
   * With a decline for a missing detail: what the documents do say about the
   * subject, as verified quotes (the answer text quotes them too).
   */
  related?: Citation[];
  /** For a case description typed into the chat: the tracks recommended for it (as /api/recommend gives them). */
  tracks?: TrackAdvice;
  /** With a model configured: what the claim checks made of its draft (kept with the message, counted by the evals). */
  checks?: ModelChecks;
  /** Follow-up questions the documents answer about the same subject (the question bank's standard questions). */
  suggestions?: string[];
  /** Set when the answer is one staff attached to this question in the console (an approved staff answer). */
  via?: { staffAnswerId: string };
}

/** What the claim checks made of the model's drafts for one answer. */
export interface ModelChecks {
  /** Sentences the model wrote. */
  sentences: number;
  /** Sentences shown. */
  shown: number;
  dropped: DroppedSentence[];
  /** Why the extractive answer was used instead, when it was. */
  fallback?: string;
}

/** The tracks a case description fits, in the order the answer names them; the widget links them to the case form. */
export interface TrackAdvice {
  recommendations: Array<{ campaignId: string; campaign: string; trackId: string; track: string; eligible: boolean | null }>;
}

/** A claim the answer makes and the verbatim span that supports it. */
export interface Claim {
  text: string;
  docId: string;
  start: number;
  end: number;
  section: string;
  /** The label of a labelled section (操作路径), not repeated when the claim is shown. */
  label?: string;
}
