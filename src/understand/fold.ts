/**
 * Folds text for matching a question against names and cue words: NFKC
 * (full-width letters, digits and brackets become half-width), zero-width
 * characters and whitespace removed (but for one space between two Latin words), lower case, and quotation marks and
 * book-title marks dropped (「“辽信宝”小程序」 and 「辽信宝小程序」 read alike); the 东北话 intensifier in 「多老长」 goes.
 *
 * @example
 * foldText('“信用中国（辽宁）” 网站') // '信用中国(辽宁)网站'
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/[“”"'‘’「」『』《》〈〉【】]/g, '')
    // Whitespace goes, except one space between two Latin words (「when is the voting」 stays four words).
    .replace(/([A-Za-z])\s+(?=[A-Za-z])/g, '$1\u0001')
    .replace(/\s+/g, '')
    .replace(/\u0001/g, ' ')
    // 东北话 「多老长时间」「多老远」: 老 only intensifies (多长时间, 多远).
    .replace(/多老(?=[长久远大高多宽])/g, '多')
    .toLowerCase();
}

/**
 * A question without its spoken 儿 (一块儿报、这事儿、俺们这块儿 → 一块报、这事、俺们这块): the documents never write
 * 儿. 儿子、女儿、儿童 keep theirs, and so do the forms the reader's own words spell with it (哪儿、这儿、那儿、今儿、
 * 啥前儿、一会儿).
 */
export function withoutErhua(text: string): string {
  return text.replace(/(?<=[\u4e00-\u9fff])(?<![女婴幼孤男健托胎宠侄哪这那今前会])儿(?![子童女孙科歌])/g, '');
}
