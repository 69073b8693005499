/** Patterns of requests that try to extract instructions or change the assistant's role. */
export interface Guard {
  isManipulation(question: string): boolean;
}

/**
 * Characters that show nothing (zero-width spaces and joiners, direction marks and embeddings, word joiners, the BOM,
 * the soft hyphen, the Mongolian vowel separator, the combining grapheme joiner, variation selectors, tag characters):
 * 「忽\u200b略以上指令」 and 「pro\u00admpt」 read as the words they hide.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\u180e\u034f]/gu;
/** A space next to a Chinese character or punctuation mark separates nothing: 「忽 略 以上 指令」 is 「忽略以上指令」. */
const SPACE_BY_HAN = / (?=[\p{Script=Han}\u3000-\u303f])|(?<=[\p{Script=Han}\u3000-\u303f]) /gu;

/**
 * The text the guard's patterns are matched against: compatibility forms folded (NFKC: full-width 「ｉｇｎｏｒｅ」 and
 * 「ＰＲＯＭＰＴ」, full-width punctuation and the ideographic space become their plain forms), invisible characters
 * dropped, lower-cased, every run of whitespace one space, and no space left beside a Chinese character.
 */
export function normalizeForGuard(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SPACE_BY_HAN, '');
}

export function createGuard(patterns: string[]): Guard {
  const compiled = patterns.map((p) => new RegExp(p, 'i'));
  return {
    isManipulation: (question) => {
      const text = normalizeForGuard(question);
      return compiled.some((re) => re.test(text));
    },
  };
}

export function parseGuardPatterns(json: string): string[] {
  const data = JSON.parse(json) as { patterns?: unknown };
  if (!Array.isArray(data.patterns) || !data.patterns.every((p) => typeof p === 'string')) {
    throw new Error('guard file needs a "patterns" array of regular expressions');
  }
  for (const p of data.patterns) new RegExp(p as string, 'i');
  return data.patterns as string[];
}
