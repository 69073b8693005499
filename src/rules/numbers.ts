// (With the financial forms a cheque or contract uses: 壹贰叁肆伍陆柒捌玖, 拾佰仟.)
const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 幺: 1, 壹: 1, 二: 2, 两: 2, 俩: 2, 贰: 2, 三: 3, 仨: 3, 叁: 3, 四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const SECTIONS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

/** The characters a Chinese numeral is written with (digits, 十百千, 万亿, 点 for decimals). */
export const CHINESE_NUMERAL = '零〇一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点';

/**
 * Parses a Chinese numeral of any size (三百五十、两千、十二、一千五百万、三亿两千万、一点五亿、零点八), with the
 * spoken shortening of a trailing digit (一千五 = 1500, 三万五 = 35000, 两百五 = 250); NaN when it is not one.
 */
export function parseChineseInteger(text: string): number {
  if (!text || !new RegExp(`^[${CHINESE_NUMERAL}]+$`).test(text)) return NaN;
  const [whole, fraction] = text.split('点');
  if (text.split('点').length > 2) return NaN;
  let value = parseSections(whole);
  if (fraction !== undefined) {
    // 一点五亿: the section unit after the decimals scales the whole number.
    const unit = /[万亿]$/.exec(fraction)?.[0];
    const digits = [...(unit ? fraction.slice(0, -1) : fraction)].map((ch) => DIGITS[ch]);
    if (digits.length === 0 || digits.some((d) => d === undefined)) return NaN;
    value = Number(`${whole ? value : 0}.${digits.join('')}`) * (unit ? SECTIONS[unit] : 1);
  }
  return value;
}

/** 三亿两千万 → 3×10⁸ + 2000×10⁴; each section below 10,000. */
function parseSections(text: string): number {
  if (text === '') return 0;
  let total = 0;
  let rest = text;
  for (const [unit, scale] of [['亿', 1e8], ['万', 1e4]] as const) {
    const at = rest.indexOf(unit);
    if (at < 0) continue;
    const head = rest.slice(0, at);
    total += (head === '' ? 1 : parseBelowTenThousand(head)) * scale;
    rest = rest.slice(at + 1);
    // 三万五: a single trailing digit after a section is that section's next place (5 × 1000).
    if (rest.length === 1 && rest in DIGITS) return total + DIGITS[rest] * (scale / 10);
  }
  return total + parseBelowTenThousand(rest);
}

function parseBelowTenThousand(text: string): number {
  if (text === '') return 0;
  let total = 0;
  let digit = 0;
  let lastUnit = 0;
  for (const ch of text) {
    if (ch in DIGITS) digit = DIGITS[ch];
    else if (ch in UNITS) {
      total += (digit || 1) * UNITS[ch];
      lastUnit = UNITS[ch];
      digit = 0;
    } else return NaN;
  }
  // 一千五 = 1500: a bare digit right after 百/千 stands for the next place down (not after 十, nor after 零: 一千零五 = 1005).
  if (digit && lastUnit >= 100 && text.length >= 2 && text[text.length - 2] in UNITS && !text.includes('零')) return total + digit * (lastUnit / 10);
  return total + digit;
}

/** Parses 12、12.5、1,200 or a Chinese numeral. */
export function parseNumber(text: string): number {
  const plain = text.replace(/[,，]/g, '');
  if (/^\d+(\.\d+)?$/.test(plain)) return Number(plain);
  return parseChineseInteger(plain);
}

/** What a sum of money measures, by the words around it. */
export type MoneyRole = 'guarantee' | 'loan' | 'revenue' | 'capital' | 'fee' | 'subsidy' | 'other';

export interface MoneyMention {
  start: number;
  end: number;
  yuan: number;
  /** 三百来万、五百多万: an approximate figure. */
  approximate: boolean;
  role: MoneyRole;
}

// (「2.5kw」: k and w together are 千万, as people type it.)
const UNIT_SCALE: Record<string, number> = { 亿: 1e8, 千万: 1e7, 百万: 1e6, 十万: 1e5, 万: 1e4, kw: 1e7, w: 1e4, k: 1e3, 千: 1e3, m: 1e6, mn: 1e6, million: 1e6 };
/** A numeral: Arabic, or Chinese starting with a digit or 十 (「亿」 alone is a unit, not a number; 「三百万百分之零点八」 is two figures). */
const MONEY = new RegExp(
  `(\\d+(?:,\\d{3})*(?:\\.\\d+)?|[零〇一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖十拾](?:(?!百分之)[${CHINESE_NUMERAL}])*)\\s*(来|多|余)?\\s*个?\\s*(亿|千万|百万|十万|万|kw|w|k|千|million|mn|m(?![a-z]))?\\s*(来|多|余|出头|左右|上下)?\\s*(元|块钱|块|人民币)?`,
  'gi',
);

/** A currency said before a figure (「¥3,200,000」「RMB 3.2m」「人民币500万」), spaces allowed. */
const CURRENCY_BEFORE = /(?:[¥￥]|rmb|cny|人民币)\s*$/i;

/** Words that say what a sum measures, nearest first: 「营收3亿」「注册资本八百万」「担保额五百万」「贷了500万」. */
const ROLE_WORDS: Array<[MoneyRole, RegExp]> = [
  ['fee', /担保费(?!率)|保费|手续费|服务费|咨询费|顾问费|利息/],
  ['subsidy', /补贴|补助|奖励|奖金/],
  ['capital', /注册资本|注册资金|实缴|实收资本|资本金/],
  ['revenue', /营收|营业收入|营业额|销售额|收入|产值|流水|年产值|利润|纳税/],
  // (「就担这150万」「全额担300万」: 担 alone, not 承担、担心.)
  ['guarantee', /担保|再担保|保额|(?<![承负分])担(?![心当任忧])(?:这个|这|了|个|那)?/],
  ['loan', /贷款|借款|流贷|授信|额度|融资|贷了|借了|贷个|借个|放款|续贷|信用贷|贷/],
];

/**
 * Every sum of money in a text (Arabic or Chinese numerals, 万/亿/千万/w/k, 元/块), each with what it measures: the
 * role word closest before it in its clause, else one right after it (「500万的担保」). Years, dates, percentages and
 * counts (家、户、笔、人) are not sums.
 */
export function moneyMentions(text: string): MoneyMention[] {
  const out: MoneyMention[] = [];
  for (const m of text.matchAll(MONEY)) {
    const [whole, number, approxBefore, unit, approxAfter, suffix] = m;
    const start = m.index!;
    const end = start + whole.length;
    const chineseHasUnit = /[万亿]/.test(number);
    // 「¥3,200,000」「RMB 3.2m」「人民币500万」: a currency said before the figure marks it as money too.
    const currency = suffix ?? CURRENCY_BEFORE.exec(text.slice(Math.max(0, start - 4), start))?.[0];
    if (!unit && !currency && !chineseHasUnit) continue;
    // (m, mn and million are money only beside a currency: 「3.2m」 alone may be metres.)
    if (/^m/i.test(unit ?? '') && !currency) continue;
    if (/^[年月日号%％个家户笔人次倍天岁]/.test(text.slice(end)) || /[第年]$/.test(text.slice(0, start))) continue;
    if (/^点/.test(number) || /点$/.test(number)) continue;
    const value = parseNumber(number);
    if (!Number.isFinite(value) || value === 0) continue;
    const scale = UNIT_SCALE[(unit ?? '').toLowerCase()] ?? 1;
    out.push({ start, end, yuan: Math.round(value * scale * 100) / 100, approximate: Boolean(approxBefore ?? approxAfter), role: roleOf(text, start, end) });
  }
  return out;
}

/** Where the clause holding position `at` begins: just after the last ，。；？！ (full- or half-width) or line break before it. */
export function clauseStart(text: string, at: number): number {
  return Math.max(0, ...['，', ',', '。', '；', ';', '？', '?', '！', '\n'].map((p) => text.lastIndexOf(p, at - 1) + 1));
}

/** A clause that names only 「the amount」 (那个金额是、金额是、数额), of what the clause before it names. */
const AMOUNT_OF_IT = /^(?:那个|这个|这笔的?|那笔的?)?(?:金额|数额|额度)(?:是|为|有|大概|差不多|:|：)?/;

function roleOf(text: string, start: number, end: number): MoneyRole {
  const before = text.slice(Math.max(clauseStart(text, start), start - 12), start);
  let best: { role: MoneyRole; at: number } | undefined;
  for (const [role, re] of ROLE_WORDS) {
    const all = [...before.matchAll(new RegExp(re.source, 'g'))];
    const last = all.at(-1);
    if (last && (!best || last.index! + last[0].length > best.at)) best = { role, at: last.index! + last[0].length };
  }
  if (best) return best.role;
  const after = text.slice(end, end + 6);
  for (const [role, re] of ROLE_WORDS) if (new RegExp(`^的?(?:${re.source})`).test(after)) return role;
  // 「找担保公司做个担保，那个金额是三百万」: a bare 金额 is the amount of what the clause before it names.
  const clause = clauseStart(text, start);
  if (AMOUNT_OF_IT.test(text.slice(clause, start)) && clause > 0) {
    const previous = text.slice(clauseStart(text, clause - 1), clause);
    let nearest: { role: MoneyRole; at: number } | undefined;
    for (const [role, re] of ROLE_WORDS) {
      const last = [...previous.matchAll(new RegExp(re.source, 'g'))].at(-1);
      if (last && (!nearest || last.index! > nearest.at)) nearest = { role, at: last.index! };
    }
    if (nearest) return nearest.role;
  }
  return 'other';
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
