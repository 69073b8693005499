import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import type { Chunk } from '../corpus/chunk.ts';
import { checkClaim, isMeaningfulQuote, type ClaimContext, type DroppedSentence, type DropReason } from './claims.ts';
import type { Composition } from './extractive.ts';
import type { Claim } from './types.ts';
import type { FrameInput } from './model-frame.ts';
import { findQuoteSpan, verifyQuote } from './verify.ts';
import { z } from 'zod';

/** A retrieved chunk as the model sees it, under a short id it cites by. */
export interface Passage {
  id: string;
  chunk: Chunk;
}

/**
 * What the model fills in. The citations come before the answer, so that while the answer streams each of its
 * sentences can be checked against the quotes it cites as soon as the sentence is complete.
 */
export const draftSchema = z.object({
  answerable: z.boolean().describe('资料是否足以回答问题'),
  citations: z
    .array(
      z.object({
        n: z.number().int().describe('回答中使用的引用编号'),
        passageId: z.string().describe('所引用资料的编号，如 P1'),
        quote: z.string().describe('从该资料中逐字复制的完整原文句子或分句'),
      }),
    )
    .describe('先列出回答要用的每个引用编号及其原文'),
  answer: z.string().describe('简洁的中文回答，每句论断后用 [n] 标注引用编号'),
});

export type LlmDraft = z.infer<typeof draftSchema>;

/** The draft as far as the model has written it (partial JSON parsed): any field may be missing or cut short. */
export interface PartialDraft {
  answerable?: unknown;
  citations?: unknown;
  answer?: unknown;
}

export interface DraftInput {
  question: string;
  /** The previous turn's topic, for follow-up questions. */
  context?: string;
  passages: Passage[];
  /** Today's date (YYYY-MM-DD), for questions about windows and deadlines. */
  today: string;
}

/** Tokens a model call used, as the provider reports them. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** A language model that drafts a cited answer from passages; the server grounds the draft sentence by sentence. */
export interface LlmAnswerer {
  readonly model: string;
  /**
   * Streams the draft as the model writes it: each value is the whole draft so far, the last one the
   * finished draft. Aborting `signal` ends the stream.
   */
  stream(input: DraftInput, signal: AbortSignal): AsyncIterable<PartialDraft>;
  /**
   * Reads a question into subjects, asked types and facts (src/answer/model-frame.ts's schema), when the
   * deployment has the model read questions too (LLM_READ_QUESTIONS). The result is checked before use.
   */
  readFrame?(input: FrameInput, signal: AbortSignal): Promise<unknown>;
}

export function formatPassages(passages: Passage[]): string {
  return passages.map((p) => `[${p.id}]（${sectionLabel(p.chunk)}）\n${p.chunk.text}`).join('\n\n');
}

/** A sentence that passed every check, with its markers renumbered in the order sentences were shown. */
export interface ShownSentence {
  text: string;
  /** Claims first cited by this sentence (their numbers follow those already shown). */
  claims: Claim[];
}

export interface GroundingLimits {
  /** Characters of answer text shown at most; sentences past it are dropped and the stream is stopped. */
  maxChars: number;
  /** Citations the draft may carry. */
  maxCitations: number;
}

/** A sentence of an answer: the text up to 。！？ or a line break, with the closing quotes and the [n] markers after it. */
const SENTENCE = /[^。！？\n]+(?:[。！？]+[”’」』）)]*)?(?:[ \t]*\[\d+\])*[ \t]*\n?/g;

/**
 * Grounds a model's draft sentence by sentence while it streams. Each citation's quote must be a verbatim,
 * meaningful span of the passage it names; each sentence must cite at least one such quote and pass the
 * claim checks (src/answer/claims.ts) against the quotes it cites. A sentence that fails is dropped and
 * recorded with its reason; the rest are shown in order, their markers renumbered 1..n.
 */
export class DraftGrounder {
  private readonly byId: Map<string, Passage>;
  /** Citation number → its verified claim, or why it failed. */
  private verified: Map<number, Claim | DropReason> | null = null;
  /** Characters of the answer already judged. */
  private judged = 0;
  private readonly renumber = new Map<number, number>();
  readonly claims: Claim[] = [];
  readonly shown: string[] = [];
  readonly dropped: DroppedSentence[] = [];
  /** Sentences the draft held, judged so far. */
  sentences = 0;
  /** Set when the answer reached its length limit: the caller stops the model. */
  full = false;
  declined = false;

  constructor(
    private readonly corpus: Corpus,
    passages: Passage[],
    private readonly context: ClaimContext,
    private readonly limits: GroundingLimits,
  ) {
    this.byId = new Map(passages.map((p) => [p.id, p]));
  }

  /**
   * Takes the draft so far (`final` for the finished draft) and returns the sentences newly shown. Sentences
   * are judged once their citations are complete: at once when the model wrote the citations first, at the
   * end otherwise.
   */
  feed(draft: PartialDraft, final: boolean): ShownSentence[] {
    if (final && draft.answerable === false) this.declined = true;
    const answer = typeof draft.answer === 'string' ? draft.answer : '';
    const keys = Object.keys(draft);
    const citationsDone = final || (keys.includes('citations') && keys.indexOf('citations') < keys.indexOf('answer'));
    if (this.declined || this.full) return [];
    if (!citationsDone) return this.overrun(answer);
    this.verified ??= this.verify(Array.isArray(draft.citations) ? draft.citations : []);

    const out: ShownSentence[] = [];
    const pattern = new RegExp(SENTENCE.source, 'g');
    pattern.lastIndex = this.judged;
    for (let m = pattern.exec(answer); m && m[0].length > 0; m = pattern.exec(answer)) {
      const end = m.index + m[0].length;
      // Not complete until something follows it that is not the start of a marker (「…3天。[1」).
      if (!final && (end >= answer.length || /^[ \t]*\[\d*$/.test(answer.slice(end)))) break;
      this.judged = end;
      const shown = this.judge(m[0]);
      if (shown) out.push(shown);
      if (this.full) break;
    }
    this.overrun(answer);
    return out;
  }

  /** A run of text not yet judged that is longer than the whole answer may be (no sentence end in it): the model is stopped. */
  private overrun(answer: string): ShownSentence[] {
    if (!this.full && answer.length - this.judged > this.limits.maxChars) {
      this.full = true;
      this.dropped.push({ sentence: `${answer.slice(this.judged, this.judged + 40)}…`, reason: 'too_long', detail: `超过${this.limits.maxChars}字` });
    }
    return [];
  }

  /** The answer shown so far, or null when no sentence held. */
  composition(): Composition | null {
    if (this.declined || this.claims.length === 0) return null;
    return { text: this.shown.join('').trim(), claims: this.claims };
  }

  private verify(raw: unknown[]): Map<number, Claim | DropReason> {
    const verified = new Map<number, Claim | DropReason>();
    for (const c of raw.slice(0, this.limits.maxCitations)) {
      if (!c || typeof c !== 'object') continue;
      const { n, passageId, quote: rawQuote } = c as Record<string, unknown>;
      if (typeof n !== 'number' || typeof passageId !== 'string' || typeof rawQuote !== 'string' || verified.has(n)) continue;
      const passage = this.byId.get(passageId.trim().replace(/^\[|\]$/g, ''));
      const doc = passage ? this.corpus.document(passage.chunk.docId) : undefined;
      const quote = rawQuote.trim();
      const at = doc && quote ? findQuoteSpan(doc.text, quote, passage!.chunk.start, passage!.chunk.end) : null;
      if (!doc || !at || at.start < passage!.chunk.start || at.end > passage!.chunk.end || !verifyQuote(doc.text, quote, at.start, at.end)) {
        verified.set(n, 'unverified_quote');
      } else if (!isMeaningfulQuote(doc.text, at.start, at.end)) {
        verified.set(n, 'fragment_quote');
      } else {
        verified.set(n, { text: quote, docId: doc.id, start: at.start, end: at.end, section: sectionLabel(passage!.chunk) });
      }
    }
    return verified;
  }

  private judge(sentence: string): ShownSentence | null {
    if (!sentence.trim()) return null;
    this.sentences++;
    const drop = (reason: DropReason, detail: string) => {
      this.dropped.push({ sentence: sentence.trim(), reason, detail });
      return null;
    };
    if (this.full) return drop('too_long', '');
    const markers = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    if (markers.length === 0) return drop('no_citation', '');
    const cited: Claim[] = [];
    for (const n of markers) {
      const claim = this.verified!.get(n);
      if (claim === undefined) return drop('unverified_quote', `[${n}] 没有对应的引文`);
      if (typeof claim === 'string') return drop(claim, `[${n}]`);
      cited.push(claim);
    }
    const check = checkClaim(sentence, cited.map((c) => c.text), this.context);
    if (!check.ok) return drop(check.reason, check.detail);
    const length = this.shown.reduce((sum, s) => sum + s.length, 0);
    if (length + sentence.length > this.limits.maxChars) {
      this.full = true;
      return drop('too_long', `超过${this.limits.maxChars}字`);
    }
    const claims: Claim[] = [];
    const text = sentence.replace(/\[(\d+)\]/g, (_, raw: string) => {
      const n = Number(raw);
      if (!this.renumber.has(n)) {
        const claim = this.verified!.get(n) as Claim;
        this.claims.push(claim);
        claims.push(claim);
        this.renumber.set(n, this.claims.length);
      }
      return `[${this.renumber.get(n)}]`;
    });
    this.shown.push(text);
    return { text, claims };
  }
}
