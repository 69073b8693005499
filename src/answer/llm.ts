import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import type { Chunk } from '../corpus/chunk.ts';
import type { Composition } from './extractive.ts';
import type { Claim } from './types.ts';
import { locateQuote, verifyQuote } from './verify.ts';
import { z } from 'zod';

/** A retrieved chunk as the model sees it, under a short id it cites by. */
export interface Passage {
  id: string;
  chunk: Chunk;
}

export const draftSchema = z.object({
  answerable: z.boolean().describe('资料是否足以回答问题'),
  answer: z.string().describe('简洁的中文回答，每个论断后用 [n] 标注引用编号'),
  citations: z
    .array(
      z.object({
        n: z.number().int().describe('回答中使用的引用编号'),
        passageId: z.string().describe('所引用资料的编号，如 P1'),
        quote: z.string().describe('从该资料中逐字复制的原文句子'),
      }),
    )
    .describe('回答中每个引用编号对应的原文'),
});

export type LlmDraft = z.infer<typeof draftSchema>;

export interface DraftInput {
  question: string;
  /** The previous turn's topic, for follow-up questions. */
  context?: string;
  passages: Passage[];
  /** Today's date (YYYY-MM-DD), for questions about windows and deadlines. */
  today: string;
}

/** A language model that drafts a cited answer from passages; the server grounds the draft. */
export interface LlmAnswerer {
  readonly model: string;
  draft(input: DraftInput, signal: AbortSignal): Promise<LlmDraft>;
}

export function formatPassages(passages: Passage[]): string {
  return passages.map((p) => `[${p.id}]（${sectionLabel(p.chunk)}）\n${p.chunk.text}`).join('\n\n');
}

/**
 * Checks a model's draft against the stored text. Each cited quote must be a
 * verbatim span of the cited passage's document; citations that fail are
 * dropped, and so is every sentence of the answer left without a verified
 * citation. Returns null when nothing verifiable remains or the model
 * declined, so the caller falls back to the extractive answer.
 */
export function groundDraft(corpus: Corpus, draft: LlmDraft, passages: Passage[]): Composition | null {
  if (!draft.answerable) return null;
  const byId = new Map(passages.map((p) => [p.id, p]));
  const verified = new Map<number, Claim>();
  for (const c of draft.citations) {
    const passage = byId.get(c.passageId.trim().replace(/^\[|\]$/g, ''));
    if (!passage || verified.has(c.n)) continue;
    const doc = corpus.document(passage.chunk.docId);
    const quote = c.quote.trim();
    if (!doc || quote.length < 4) continue;
    const at = locateQuote(doc.text, quote, passage.chunk.start, passage.chunk.end);
    if (!at || at.start < passage.chunk.start || at.end > passage.chunk.end) continue;
    if (!verifyQuote(doc.text, quote, at.start, at.end)) continue;
    verified.set(c.n, { text: quote, docId: doc.id, start: at.start, end: at.end, section: sectionLabel(passage.chunk) });
  }
  if (verified.size === 0) return null;

  // Keep sentences whose every marker verified; renumber markers 1..n in reading order.
  // A sentence keeps the closing quotes and the markers written after its 。！？ (“……3天。[1]”).
  const claims: Claim[] = [];
  const renumber = new Map<number, number>();
  const sentences = draft.answer.match(/[^。！？\n]+(?:[。！？]+[”’」』）)]*)?(?:[ \t]*\[\d+\])*[ \t]*\n?/g) ?? [];
  const kept: string[] = [];
  for (const sentence of sentences) {
    const markers = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    if (markers.length === 0 || !markers.every((n) => verified.has(n))) continue;
    kept.push(
      sentence.replace(/\[(\d+)\]/g, (_, raw: string) => {
        const n = Number(raw);
        if (!renumber.has(n)) {
          claims.push(verified.get(n)!);
          renumber.set(n, claims.length);
        }
        return `[${renumber.get(n)}]`;
      }),
    );
  }
  if (claims.length === 0) return null;
  return { text: kept.join('').trim(), claims };
}
