import { sectionLabel, type Corpus, type CorpusDocument } from './corpus.ts';
import type { Section } from './structure.ts';

/** A verbatim span of a stored document, with the label of the deepest section holding it. */
export interface Quote {
  docId: string;
  title: string;
  /** Section path, from the document's short title down, joined with ' › '. */
  section: string;
  quote: string;
  start: number;
  end: number;
}

/** A quote as an answer cites it: `n` is its marker in the answer's text ([1], [2] ...). */
export interface Citation extends Quote {
  n: number;
}

/** The deepest section that holds the whole span; of equally deep ones, the one that starts last. */
export function deepestSection(doc: CorpusDocument, start: number, end: number): Section | undefined {
  let best: Section | undefined;
  for (const s of doc.sections) {
    if (s.start > start || end > s.end) continue;
    if (!best || s.depth > best.depth || (s.depth === best.depth && s.start > best.start)) best = s;
  }
  return best;
}

/** The quote at [start, end) of a document, labelled with its deepest section. */
export function quoteAt(doc: CorpusDocument, start: number, end: number): Quote {
  const section = deepestSection(doc, start, end);
  return { docId: doc.id, title: doc.title, section: section ? sectionLabel(section) : doc.shortTitle, quote: doc.text.slice(start, end), start, end };
}

export interface LocateOptions {
  /** Search from the first character after this anchor text (for a quote the document repeats). */
  after?: string;
  /** Refuse a quote that occurs more than once (without an anchor), instead of taking the first. */
  unique?: boolean;
}

/**
 * Finds a verbatim quote in a document of the corpus: its offsets and its
 * deepest section. The one place every data file's quotes (rules, campaign
 * catalogue, application form, question bank, gazetteer) are located; a quote
 * that is not verbatim there is an error naming the document and the text.
 *
 * @example
 * locateQuote(corpus, 'liaoning-measures-2025', '平均修复时间6天').section
 * // '若干举措 › 操作指南 › 十、高效办成信用修复“一件事” › 操作路径'
 */
export function locateQuote(corpus: Corpus, docId: string, quote: string, options: LocateOptions = {}): Quote {
  const doc = corpus.document(docId);
  if (!doc) throw new Error(`unknown document ${docId} for quote "${quote}"`);
  let from = 0;
  if (options.after !== undefined) {
    const anchor = doc.text.indexOf(options.after);
    if (anchor < 0) throw new Error(`anchor not found verbatim in ${docId}: "${options.after}"`);
    from = anchor + options.after.length;
  }
  const start = quote ? doc.text.indexOf(quote, from) : -1;
  if (start < 0) throw new Error(`quote not found verbatim in ${docId}: "${quote}"`);
  if (options.unique && options.after === undefined && doc.text.indexOf(quote, start + 1) >= 0) {
    throw new Error(`quote occurs more than once in ${docId}; lengthen it or give an "after" anchor: "${quote}"`);
  }
  return quoteAt(doc, start, start + quote.length);
}
