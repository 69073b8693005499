import { splitSentences, trimSpan, type Span } from '../text/sentences.ts';
import type { Section } from './structure.ts';

export interface Chunk {
  /** Stable within one corpus version: `${docId}:${ordinal}`. */
  id: string;
  docId: string;
  sectionId: string;
  path: string[];
  start: number;
  end: number;
  text: string;
}

export interface ChunkOptions {
  /** Paragraphs are grouped up to this many characters; longer paragraphs are split at sentence ends. */
  maxChars?: number;
}

/**
 * Cuts each section's own text (the part before its first subsection) into
 * chunks of whole paragraphs, splitting an over-long paragraph between
 * sentences. Offsets point into the stored document text.
 */
export function chunkSections(docId: string, text: string, sections: Section[], options: ChunkOptions = {}): Chunk[] {
  const maxChars = options.maxChars ?? 320;
  const chunks: Chunk[] = [];
  const sorted = [...sections].sort((a, b) => a.start - b.start || a.depth - b.depth);
  for (let i = 0; i < sorted.length; i++) {
    const section = sorted[i];
    const firstChild = sorted.slice(i + 1).find((s) => s.start >= section.contentStart && s.start < section.end);
    const ownEnd = firstChild ? firstChild.start : section.end;
    // A heading line is text too (「6.“金融兴辽”普惠金融深化优秀案例（5个）」 states the quota): it opens
    // its section's first chunk. Part headings (the document titles) stay out.
    const from = section.kind === 'heading' ? section.start : section.contentStart;
    for (const span of groupParagraphs(text, from, ownEnd, maxChars)) {
      chunks.push({
        id: `${docId}:${chunks.length}`,
        docId,
        sectionId: section.id,
        path: section.path,
        start: span.start,
        end: span.end,
        text: text.slice(span.start, span.end),
      });
    }
  }
  return chunks;
}

function groupParagraphs(text: string, from: number, to: number, maxChars: number): Span[] {
  const pieces: Span[] = [];
  for (const paragraph of paragraphs(text, from, to)) {
    if (paragraph.end - paragraph.start <= maxChars) pieces.push(paragraph);
    else pieces.push(...packSentences(text, paragraph, maxChars));
  }
  const groups: Span[] = [];
  for (const piece of pieces) {
    const last = groups[groups.length - 1];
    if (last && piece.end - last.start <= maxChars && text.slice(last.end, piece.start).trim() === '') {
      last.end = piece.end;
    } else {
      groups.push({ ...piece });
    }
  }
  return groups;
}

function paragraphs(text: string, from: number, to: number): Span[] {
  const spans: Span[] = [];
  let start = from;
  while (start < to) {
    let end = text.indexOf('\n', start);
    if (end < 0 || end > to) end = to;
    const span = trimSpan(text, start, end);
    if (span) spans.push(span);
    start = end + 1;
  }
  return spans;
}

function packSentences(text: string, paragraph: Span, maxChars: number): Span[] {
  const packed: Span[] = [];
  for (const sentence of splitSentences(text, paragraph.start, paragraph.end)) {
    const last = packed[packed.length - 1];
    if (last && sentence.end - last.start <= maxChars) last.end = sentence.end;
    else packed.push({ ...sentence });
  }
  return packed;
}
