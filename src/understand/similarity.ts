import { isCjk } from '../text/tokenize.ts';
import { foldText } from './fold.ts';
import { UNDERSTANDING } from '../tuning.ts';

/** Weights of the character n-grams a short text is compared by. */
const GRAM_WEIGHTS = UNDERSTANDING.gramWeights;

/** What the comparison leaves out and folds together. */
export interface SimilarityLexicon {
  /** Folded courtesies and particles (请问, 老铁, 啊) removed before comparing. */
  fillers: string[];
  /** Folded synonym groups; a member also counts as its group's first term, at half weight. */
  synonyms: string[][];
}

type Features = Map<string, number>;

/**
 * A TF-IDF index of short texts (the question bank's questions) by character
 * uni-, bi- and trigrams and Latin words, searched by cosine similarity: a
 * question is compared with the ways people asked, so 「辽信宝测额最多多少」
 * finds 「在线测额最高能测多少」 through shared grams rather than shared prose.
 * Scores lie in [0, 1].
 */
export class NgramIndex<T> {
  private readonly items: T[] = [];
  private readonly vectors: Features[] = [];
  private postings = new Map<string, Array<{ item: number; weight: number }>>();
  private idf = new Map<string, number>();
  private norms: number[] = [];
  private readonly canonical: Array<{ term: string; head: string }>;

  constructor(private readonly lexicon: SimilarityLexicon) {
    this.canonical = lexicon.synonyms
      .flatMap((group) => group.slice(1).map((term) => ({ term, head: group[0] })))
      .filter((x) => x.term !== x.head)
      .sort((a, b) => b.term.length - a.term.length);
  }

  get size(): number {
    return this.items.length;
  }

  add(text: string, item: T): void {
    this.items.push(item);
    this.vectors.push(this.features(text));
  }

  /**
   * A new index holding this one's texts and `more` (built): the question bank with staff questions joined, without
   * reading the bank's thousands of texts again. This index is left as it is.
   */
  with(more: Array<{ text: string; item: T }>): NgramIndex<T> {
    const index = new NgramIndex<T>(this.lexicon);
    index.items.push(...this.items);
    index.vectors.push(...this.vectors);
    for (const { text, item } of more) index.add(text, item);
    index.build();
    return index;
  }

  /** Computes IDF and norms; call once after the last add. */
  build(): void {
    const df = new Map<string, number>();
    for (const v of this.vectors) for (const f of v.keys()) df.set(f, (df.get(f) ?? 0) + 1);
    const n = this.vectors.length;
    this.idf = new Map([...df].map(([f, d]) => [f, Math.log(1 + n / d)]));
    this.postings = new Map();
    this.norms = this.vectors.map((v, i) => {
      let sum = 0;
      for (const [f, tf] of v) {
        const w = tf * this.idf.get(f)!;
        sum += w * w;
        let list = this.postings.get(f);
        if (!list) this.postings.set(f, (list = []));
        list.push({ item: i, weight: w });
      }
      return Math.sqrt(sum);
    });
  }

  /** The most similar items, best first, with cosine scores. */
  search(text: string, limit = 10, keep: (item: T) => boolean = () => true): Array<{ item: T; score: number }> {
    const query = this.features(text);
    let qNorm = 0;
    const scores = new Map<number, number>();
    for (const [f, tf] of query) {
      const idf = this.idf.get(f);
      if (idf === undefined) continue;
      const qw = tf * idf;
      qNorm += qw * qw;
      for (const p of this.postings.get(f)!) scores.set(p.item, (scores.get(p.item) ?? 0) + qw * p.weight);
    }
    // Grams the index has never seen still make the question less like every entry.
    for (const [f, tf] of query) if (!this.idf.has(f)) qNorm += (tf * Math.log(1 + this.vectors.length)) ** 2;
    qNorm = Math.sqrt(qNorm);
    if (qNorm === 0) return [];
    return [...scores]
      .map(([i, dot]) => ({ i, score: dot / (qNorm * this.norms[i]) }))
      .filter(({ i }) => keep(this.items[i]))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, limit)
      .map(({ i, score }) => ({ item: this.items[i], score }));
  }

  /** The folded text without fillers, as the comparison sees it. */
  clean(text: string): string {
    let folded = foldText(text);
    for (const filler of this.lexicon.fillers) if (folded.includes(filler)) folded = folded.split(filler).join(' ');
    // A figure is the asker's fact, not a word to match by (「一百二十KB、300乘300」 against 「商标图 大小 kb」): each is one
    // mark, whatever its value, on both sides of the comparison.
    folded = folded.replace(/\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万亿]{2,}(?=\s*(?:kb|k|mb|m|字|万|元|天|个|家|%|乘|x|×|\*))/giu, '#');
    return folded.replace(/[^\p{L}\p{N}×+*@.%#-]+/gu, ' ').trim();
  }

  private features(text: string): Features {
    const cleaned = this.clean(text);
    const out: Features = new Map();
    const add = (f: string, w: number) => out.set(f, (out.get(f) ?? 0) + w);
    const grams = (s: string, scale: number) => {
      for (const run of s.split(' ')) {
        const chars = [...run];
        let word = '';
        for (let i = 0; i < chars.length; i++) {
          const cjk = isCjk(chars[i].charCodeAt(0));
          if (!cjk) {
            word += chars[i];
            continue;
          }
          if (word) add(`w:${word}`, scale), (word = '');
          for (let n = 1; n <= 3; n++) {
            if (i + n > chars.length) break;
            const gram = chars.slice(i, i + n).join('');
            if (![...gram].every((c) => isCjk(c.charCodeAt(0)))) break;
            add(gram, GRAM_WEIGHTS[n - 1] * scale);
          }
        }
        if (word) add(`w:${word}`, scale);
      }
    };
    grams(cleaned, 1);
    for (const { term, head } of this.canonical) if (cleaned.includes(term)) grams(head, 0.5);
    return out;
  }
}
