/**
 * Masks personal data in text that is about to be stored: mobile and landline
 * numbers, resident ID card numbers and 统一社会信用代码. Keeps the first
 * and last characters so staff can still tell entries apart.
 *
 * @example
 * maskPersonalData('我的手机13912345678') // '我的手机139****5678'
 */
export function maskPersonalData(text: string): string {
  // ID cards first: an all-digit ID number also fits the credit code's alphabet.
  return text
    .replace(ID_CARD, (m) => keep(m, 3, 2))
    .replace(CREDIT_CODE, (m) => keep(m, 2, 2))
    .replace(MOBILE, (m) => keep(m, 3, 4))
    .replace(LANDLINE, (m) => keep(m, m.search(/[-—–]/) + 1 || 4, 2));
}

// 18 characters from the code's alphabet (no I, O, Z, S, V), with digits where the standard puts them.
const CREDIT_CODE = /(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])/g;
const ID_CARD = /(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)/g;
// A digit run inside a hexadecimal identifier (a request id 「…6d0703…」) is no phone number.
const MOBILE = /(?<![\dA-Fa-f])1[3-9]\d{9}(?![\dA-Fa-f])/g;
const LANDLINE = /(?<![\dA-Fa-f])0\d{2,3}[-—–]?\d{7,8}(?![\dA-Fa-f])/g;

function keep(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}
