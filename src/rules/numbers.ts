const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Parses a Chinese numeral below 10,000 (三百五十、两千、十二); NaN when it is not one. */
export function parseChineseInteger(text: string): number {
  if (!text || !/^[零〇一二两三四五六七八九十百千]+$/.test(text)) return NaN;
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in DIGITS) digit = DIGITS[ch];
    else {
      total += (digit || 1) * UNITS[ch];
      digit = 0;
    }
  }
  return total + digit;
}

/** Parses 12、12.5、1,200 or a Chinese numeral. */
export function parseNumber(text: string): number {
  const plain = text.replace(/[,，]/g, '');
  if (/^\d+(\.\d+)?$/.test(plain)) return Number(plain);
  return parseChineseInteger(plain);
}

/** Formats yuan as the documents do: 万元 when it divides, else 元. */
export function formatYuan(yuan: number): string {
  if (yuan >= 10_000) {
    const wan = yuan / 10_000;
    return `${Number.isInteger(wan) ? wan : Number(wan.toFixed(4))}万元`;
  }
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2)}元`;
}

export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(4))}%`;
}
