/**
 * Folds text for matching a question against names and cue words: NFKC
 * (full-width letters, digits and brackets become half-width), zero-width
 * characters and whitespace removed, lower case, and quotation marks and
 * book-title marks dropped (「“辽信宝”小程序」 and 「辽信宝小程序」 read alike).
 *
 * @example
 * foldText('“信用中国（辽宁）” 网站') // '信用中国(辽宁)网站'
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/[\s“”"'‘’「」『』《》〈〉【】]/g, '')
    .toLowerCase();
}
