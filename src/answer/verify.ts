import type { Corpus } from '../corpus/corpus.ts';
import type { Citation } from './types.ts';

/** True when `quote` is exactly the stored text of the document between `start` and `end`. */
export function verifyQuote(documentText: string, quote: string, start: number, end: number): boolean {
  return (
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    end > start &&
    end <= documentText.length &&
    quote.length > 0 &&
    documentText.slice(start, end) === quote
  );
}

/**
 * The last gate before a response leaves the server: keeps only citations
 * whose quote is a verbatim span of the named stored document.
 */
export function verifiedCitations(corpus: Corpus, citations: Citation[]): Citation[] {
  return citations.filter((c) => {
    const doc = corpus.document(c.docId);
    return doc !== undefined && verifyQuote(doc.text, c.quote, c.start, c.end);
  });
}

/** Where `quote` stands in a document's text, preferring an occurrence inside [from, to) (src/corpus/quotes.ts locateQuote resolves a quote against the corpus instead). */
export function findQuoteSpan(
  documentText: string,
  quote: string,
  from = 0,
  to = documentText.length,
): { start: number; end: number } | null {
  if (!quote) return null;
  const inside = documentText.indexOf(quote, from);
  if (inside >= 0 && inside + quote.length <= to) return { start: inside, end: inside + quote.length };
  const anywhere = documentText.indexOf(quote);
  return anywhere >= 0 ? { start: anywhere, end: anywhere + quote.length } : null;
}
