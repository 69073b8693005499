import type { Corpus } from '../corpus/corpus.ts';

export type FigureKind = 'amount' | 'rate' | 'date' | 'duration' | 'count' | 'phone' | 'address' | 'url' | 'email';

export interface Figure {
  kind: FigureKind;
  text: string;
  docId: string;
  start: number;
}

const PATTERNS: Array<[FigureKind, RegExp]> = [
  ['url', /https?:\/\/[A-Za-z0-9./_-]+/g],
  ['email', /[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g],
  ['phone', /0\d{2,3}—\d{7,8}|1\d{10}|12378/g],
  ['address', /[\u4e00-\u9fff]{2,}(?:市|区)[\u4e00-\u9fff]{0,8}(?:路|街)\d+(?:—\d+)?号[^\s，。）)]{0,12}/g],
  ['date', /\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月(?:底|及之后)?|\d{4}年底|\d{1,2}月\d{1,2}日/g],
  ['rate', /\d+(?:\.\d+)?%|\d+个百分点/g],
  ['amount', /\d+(?:\.\d+)?(?:万元|亿元|元|万户|万户次)/g],
  ['duration', /(?<!\d)\d{1,2}(?:个)?(?:天|分钟|个月|个工作日|年)(?!度)/g],
  ['count', /\d+余?(?:个|家|种|场|户次|户|项|只|条|字)/g],
];

/**
 * Every figure a document states (sums, rates, dates, durations, counts,
 * phone numbers, addresses, URLs, e-mails), for the coverage check of the
 * eval sets. Form placeholders (X万元, ___个) are not figures.
 */
export function corpusFigures(corpus: Corpus): Figure[] {
  const figures: Figure[] = [];
  for (const doc of corpus.documents) {
    const taken: Array<[number, number]> = [];
    for (const [kind, re] of PATTERNS) {
      for (const m of doc.text.matchAll(re)) {
        const start = m.index!;
        const end = start + m[0].length;
        if (taken.some(([a, b]) => start < b && a < end)) continue;
        taken.push([start, end]);
        figures.push({ kind, text: m[0], docId: doc.id, start });
      }
    }
  }
  const seen = new Set<string>();
  return figures.filter((f) => {
    const key = `${f.kind}|${f.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The figures no eval case mentions (in its question, expected facts or source quote). */
export function uncoveredFigures(figures: Figure[], caseTexts: string[]): Figure[] {
  const all = caseTexts.join('\n');
  return figures.filter((f) => !all.includes(f.text));
}
