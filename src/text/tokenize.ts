/**
 * Chinese-aware tokenizer: each CJK character is a unigram and each adjacent
 * pair an overlapping bigram (unlike Lucene's CJKAnalyzer, which emits bigrams
 * only), runs of Latin letters and digits are lower-cased words, and anything
 * else only separates tokens.
 *
 * @example
 * tokenize('无还本续贷300万')
 * // ['无', '还', '无还', '本', '还本', '续', '本续', '贷', '续贷', '300', '万']
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  forEachToken(text, (token) => tokens.push(token));
  return tokens;
}

/** Only the CJK bigrams and the Latin/digit words: the tokens that carry meaning on their own. */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  forEachToken(text, (token) => {
    if (token.length > 1 || !isCjk(token.charCodeAt(0))) terms.push(token);
  });
  return terms;
}

export function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    // Full-width digits and letters, which converted documents and phone keyboards produce.
    (code >= 0xff10 && code <= 0xff19) ||
    (code >= 0xff21 && code <= 0xff3a) ||
    (code >= 0xff41 && code <= 0xff5a)
  );
}

function normalizeWordChar(code: number): string {
  if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
  return String.fromCharCode(code).toLowerCase();
}

function forEachToken(text: string, emit: (token: string) => void): void {
  let word = '';
  let previousCjk = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isCjk(code)) {
      if (word) {
        emit(word);
        word = '';
      }
      const ch = text[i];
      emit(ch);
      if (previousCjk) emit(previousCjk + ch);
      previousCjk = ch;
    } else if (isWordChar(code)) {
      previousCjk = '';
      word += normalizeWordChar(code);
    } else {
      previousCjk = '';
      if (word) {
        emit(word);
        word = '';
      }
    }
  }
  if (word) emit(word);
}
