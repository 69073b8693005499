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
