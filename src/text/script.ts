import { Converter } from 'opencc-js/t2cn';

/** Traditional characters (Hong Kong and Taiwan forms) to the mainland's simplified ones, by OpenCC's tables. */
const toSimplified = Converter({ from: 'hk', to: 'cn' });

/**
 * A text typed in traditional characters (「請問我們公司在「信用中國（遼寧）」網站…」) as the documents write it, in
 * simplified ones. A text that is already simplified comes back as it is; so does one where only a single character
 * would change (a Cantonese 嗰 alone is no traditional text).
 */
export function inSimplified(text: string): string {
  const converted = toSimplified(text);
  if (converted === text) return text;
  const typed = [...text];
  const simplified = [...converted];
  if (typed.length !== simplified.length) return converted;
  let changed = 0;
  for (let i = 0; i < typed.length && changed < 2; i++) if (typed[i] !== simplified[i]) changed++;
  return changed >= 2 ? converted : text;
}

/**
 * A text with its emoji as spaces (「首贷中心能管我们不🙏」 → 「首贷中心能管我们不」, 「小电商😂 辽信宝…」): an emoji after a
 * question's 不/吗 must not hide that it asks, and one between words parts them as a space does.
 */
export function withoutEmoji(text: string): string {
  return text.replace(/(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\uFE0F\u200D])+/gu, ' ').replace(/ {2,}/g, ' ').trim();
}
