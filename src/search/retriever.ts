import { raceSignal } from '../deadline.ts';
import type { Chunk } from '../corpus/chunk.ts';
import type { Corpus } from '../corpus/corpus.ts';
import { Bm25Index, idfOf } from './bm25.ts';
import type { Embedder } from './embedder.ts';
import type { Lexicon } from './lexicon.ts';
import { analyzeQuery, type AnalyzedQuery } from './query.ts';
import type { VectorIndex } from './vector-index.ts';
import { SEARCHING } from '../tuning.ts';

export interface RetrievedChunk {
  chunk: Chunk;
  /** Fused score: weighted reciprocal rank of the lexical and vector rankings. */
  score: number;
  bm25: number;
  vector: number;
}

export interface RetrieveOptions {
  k?: number;
  /** Text of the conversation so far, searched at a lower weight for follow-up questions. */
  context?: string;
  /** The answer's deadline: a remote embedder still working when it passes is abandoned, and the search is lexical only. */
  signal?: AbortSignal;
}

/** The text each chunk is indexed under: its section path (document short title first) and its own text. */
export function chunkIndexText(chunk: Chunk): string {
  return [...chunk.path, chunk.text].join('\n');
}

const { rrfK: RRF_K, vectorWeight: VECTOR_WEIGHT, contextWeight: CONTEXT_WEIGHT } = SEARCHING;
/** How many hits each ranking (BM25, vectors) brings to the fusion. */
export const CANDIDATES = SEARCHING.candidates;

/**
 * Hybrid retrieval: BM25 over CJK uni/bigrams (with synonym expansion) fused
 * with vector search by weighted reciprocal rank fusion.
 *
 * @example
 * const hits = await retriever.retrieve('中型企业能续贷吗', { k: 5 });
 * hits[0].chunk.path // ['若干举措', '三、用好无还本续贷政策']
 */
export class Retriever {
  readonly bm25: Bm25Index;
  private readonly indexTexts: string[];
  private readonly dfCache = new Map<string, number>();

  constructor(
    readonly corpus: Corpus,
    readonly lexicon: Lexicon,
    private readonly embedder: Embedder,
    private readonly vectors: VectorIndex,
    /** Called when the query cannot be embedded; retrieval then goes on with BM25 alone. */
    private readonly onVectorError: (error: Error) => void = () => {},
  ) {
    this.indexTexts = corpus.chunks.map((c) => chunkIndexText(c).toLowerCase());
    this.bm25 = new Bm25Index(this.indexTexts);
  }

  /**
   * The question's query. Text it quotes that no passage contains (a case name the asker proposes, 「想叫“华信银行智能授信
   * 应用”」; its own product 「“惠农e贷”」) is the asker's content, not words to find passages by: it is left out. Quoted
   * text the documents use (「“基于XX技术在XX领域的应用”」「“金融兴辽”」) stays.
   */
  analyze(question: string): AnalyzedQuery {
    const own = question.replace(/“([^“”]{2,80})”|「([^「」]{2,80})」|"([^"]{2,80})"/g, (whole, a?: string, b?: string, c?: string) =>
      this.documentFrequency((a ?? b ?? c ?? '').toLowerCase().replace(/\s+/g, '')) > 0 ? whole : ' ',
    );
    return analyzeQuery(own, this.lexicon, this);
  }

  /**
   * Number of chunks whose indexed text contains `word` (any length): the
   * postings of its rarest bigram, each checked for the whole word. Cached,
   * since questions reuse the same words.
   */
  documentFrequency(word: string): number {
    const cached = this.dfCache.get(word);
    if (cached !== undefined) return cached;
    let df: number;
    if (word.length <= 2) df = this.bm25.documentFrequency(word);
    else {
      let rarest = this.bm25.documentsWith(word.slice(0, 2));
      for (let i = 1; i + 2 <= word.length && rarest.length > 0; i++) {
        const docs = this.bm25.documentsWith(word.slice(i, i + 2));
        if (docs.length < rarest.length) rarest = docs;
      }
      df = 0;
      for (const doc of rarest) if (this.indexTexts[doc].includes(word)) df++;
    }
    if (this.dfCache.size > 50_000) this.dfCache.clear();
    this.dfCache.set(word, df);
    return df;
  }

  /** IDF of a word of any length, on the same scale as BM25's. */
  idf(word: string): number {
    return idfOf(this.documentFrequency(word), this.bm25.size);
  }

  private async vectorSearch(text: string, signal?: AbortSignal) {
    try {
      return this.vectors.search(await raceSignal(this.embedder.embedQuery(text, signal), signal), CANDIDATES);
    } catch (error) {
      // A remote embedder that is down or slow must not take answering down with it.
      this.onVectorError(error as Error);
      return [];
    }
  }

  async retrieve(query: string | AnalyzedQuery, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const k = options.k ?? 5;
    const analyzed = typeof query === 'string' ? this.analyze(query) : query;
    const terms = [...analyzed.terms];
    let embeddingText = analyzed.embeddingText;
    if (options.context) {
      const context = this.analyze(options.context);
      const present = new Set(terms.map((t) => t.term));
      for (const t of context.terms) {
        if (!present.has(t.term)) terms.push({ term: t.term, weight: t.weight * CONTEXT_WEIGHT });
      }
      embeddingText = `${embeddingText} ${context.embeddingText}`;
    }

    const lexical = this.bm25.search(terms, CANDIDATES);
    const semantic = await this.vectorSearch(embeddingText, options.signal);

    const fused = new Map<number, RetrievedChunk>();
    const entry = (doc: number) => {
      let e = fused.get(doc);
      if (!e) fused.set(doc, (e = { chunk: this.corpus.chunks[doc], score: 0, bm25: 0, vector: 0 }));
      return e;
    };
    lexical.forEach((hit, rank) => {
      const e = entry(hit.doc);
      e.bm25 = hit.score;
      e.score += 1 / (RRF_K + rank + 1);
    });
    semantic.forEach((hit, rank) => {
      const e = entry(hit.id);
      e.vector = hit.score;
      e.score += VECTOR_WEIGHT / (RRF_K + rank + 1);
    });
    return [...fused.values()].sort((a, b) => b.score - a.score || a.chunk.start - b.chunk.start).slice(0, k);
  }
}
