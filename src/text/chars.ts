const NOT_COUNTED = /[\s\u200b]/u;

/**
 * 字数 as the documents' limits are counted (「20字内」「200字内」): every code point other than whitespace (spaces,
 * tabs, line breaks, U+3000, no-break spaces, BOM) and the zero-width space counts as one — a CJK character, a
 * letter, a digit, a punctuation mark, an emoji. The application checker and the chat count alike.
 */
export function countChars(text: string): number {
  let n = 0;
  for (const ch of text) if (!NOT_COUNTED.test(ch)) n++;
  return n;
}
