/**
 * Claim-level grounding of a model's sentence: what the sentence asserts must
 * be what the quotes it cites say. A sentence passes only when every figure,
 * date, amount, percentage, phone number, e-mail address, web address,
 * organisation and place it names occurs in its quotes (after numerals and
 * units are normalised) or among the values the rule engine computed; when no
 * predicate's polarity is flipped against the quotes (「超过」 where the quote
 * says 「不超过」); when it adds no sweeping quantifier the quotes lack
 * (「所有企业均可」); and when its content is the quotes' (a sentence cited to
 * an unrelated quote fails). Runtime-free: used by the service for every
 * sentence a model drafts.
 */
import { parseChineseInteger } from '../rules/numbers.ts';

/** Why a model's sentence was not shown. */
export type DropReason =
  /** The sentence cites nothing. */
  | 'no_citation'
  /** A cited quote is not a verbatim span of the passage it names. */
  | 'unverified_quote'
  /** A cited quote is a fragment (not a whole clause) or too short to support anything. */
  | 'fragment_quote'
  /** A figure, date, amount, contact, organisation or place the quotes do not hold. */
  | 'unsupported_value'
  /** A predicate negated against the quotes (「超过」 vs 「不超过」). */
  | 'negation_flip'
  /** A sweeping quantifier (所有、一律、任何…) the quotes do not have. */
  | 'unsupported_quantifier'
  /** The sentence's content is not the cited quotes' (a claim cited to an unrelated quote). */
  | 'unrelated_quote'
  /** Written after the answer reached its length limit. */
  | 'too_long';

export interface DroppedSentence {
  sentence: string;
  reason: DropReason;
  /** What failed, e.g. the unsupported value 「5%」. */
  detail: string;
}

export type ClaimCheck = { ok: true } | { ok: false; reason: DropReason; detail: string };

export interface ClaimContext {
  /** Place names (provinces, cities) a sentence may name only when its quotes do. */
  places: readonly string[];
  /** Text the rule engine computed for this question (dates, day counts, gaps, totals); its values count as supported. */
  computed?: readonly string[];
}

/** Share of a sentence's content bigrams its quotes must hold. */
const MIN_CONTENT_SHARE = 0.4;
/** Below this many content bigrams a sentence is a connective (「可以。」), judged by its values and polarity alone. */
const MIN_CONTENT_BIGRAMS = 3;
/** A quote shorter than this (letters, digits and CJK characters) supports nothing. */
const MIN_QUOTE_CHARS = 6;

/** Checks one sentence of a draft against the verbatim quotes it cites. */
export function checkClaim(sentence: string, quotes: readonly string[], context: ClaimContext): ClaimCheck {
  const said = normalizeClaimText(withoutMarkers(sentence));
  const quoted = quotes.map(normalizeClaimText).join('\n');
  const computed = (context.computed ?? []).map(normalizeClaimText).join('\n');
  const support = `${quoted}\n${computed}`;

  const missing = unsupportedValue(said, quoted, support);
  if (missing) return { ok: false, reason: 'unsupported_value', detail: missing };
  // A phone number, e-mail or web address the quotes hold is what the sentence is about, however few other words it shares.
  const contact = [PHONE, EMAIL, URL].some((re) => new RegExp(re.source, re.flags).test(said));
  const place = context.places.find((p) => p.length >= 2 && said.includes(p) && !support.includes(p));
  if (place) return { ok: false, reason: 'unsupported_value', detail: place };
  const org = unsupportedOrganisation(said, support, context.places);
  if (org) return { ok: false, reason: 'unsupported_value', detail: org };
  const flipped = flippedPredicate(said, support);
  if (flipped) return { ok: false, reason: 'negation_flip', detail: flipped };
  const quantifier = QUANTIFIERS.find((q) => said.includes(q) && !quoted.includes(q));
  if (quantifier) return { ok: false, reason: 'unsupported_quantifier', detail: quantifier };
  const share = contentShare(said, support);
  if (!contact && share !== null && share < MIN_CONTENT_SHARE) return { ok: false, reason: 'unrelated_quote', detail: `与引文重合${Math.round(share * 100)}%` };
  return { ok: true };
}

/**
 * True when `quote`, found at [start, end) of the document, is a meaningful span: a whole clause (it starts
 * and ends at a clause boundary of the stored text) of at least a few characters, not a fragment like 「担保费」.
 */
export function isMeaningfulQuote(documentText: string, start: number, end: number): boolean {
  const quote = documentText.slice(start, end);
  if ((quote.match(/[\p{L}\p{N}]/gu) ?? []).length < MIN_QUOTE_CHARS) return false;
  const before = start === 0 ? '\n' : documentText[start - 1];
  const first = quote[0];
  const last = quote[quote.length - 1];
  const after = end >= documentText.length ? '\n' : documentText[end];
  const opens = CLAUSE_END.test(before) || OPENING.test(first) || /\s/.test(before);
  const closes = CLAUSE_END.test(last) || CLAUSE_END.test(after) || CLOSING.test(after) || /\s/.test(after);
  return opens && closes;
}

const CLAUSE_END = /[。！？；;：:，,、\n]/;
const OPENING = /[（(“「《【\d一二三四五六七八九十]/;
const CLOSING = /[）)”」》】]/;

/** Words that make a claim about everything; a sentence may use one only when its quotes do. */
const QUANTIFIERS = ['所有', '一律', '全部', '任何', '一概', '无论', '不论', '凡是', '全都', '均可', '都可以', '都能', '无条件', '100%'];

function withoutMarkers(sentence: string): string {
  return sentence.replace(/\[\d+\]/g, '');
}

/**
 * Text in the form values are compared in: NFKC (full-width digits and letters), no zero-width characters,
 * no thousands separators, dates written 2025年10月31日 whatever their form, and Chinese numerals before a
 * unit written in digits (三个百分点 → 3个百分点, 十五个工作日 → 15个工作日).
 */
export function normalizeClaimText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, '')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g, (_, y: string, m: string, d: string) => `${y}年${Number(m)}月${Number(d)}日`)
    .replace(/\b0(\d)(?=[月日])/g, '$1')
    .replace(new RegExp(`百分之([\\d.]+|[${NUMERAL}点]+)`, 'g'), (_, n: string) => `${/\d/.test(n) ? n : numeral(n)}%`)
    .replace(new RegExp(`(?<![\\d.])([${NUMERAL}]+)(?=${UNIT.source})`, 'g'), (run: string) => (/^[万亿]+$/.test(run) ? run : numeral(run)));
}

function numeral(run: string): string {
  const n = parseChineseInteger(run);
  return Number.isFinite(n) ? String(n) : run;
}

const NUMERAL = '零〇一二两三四五六七八九十百千万亿';
/** Units a number is read with; longer forms first. */
const UNIT = /(?:个百分点|个工作日|个月|个|万元|亿元|千元|元|万户|万家|万|亿|%|倍|天|日|年|月|周|小时|分钟|家|项|人|户|字|条|次|岁|mb|kb|m|k|兆|页|张|份|名)/i;
const MONEY: Record<string, number> = { 万元: 1e4, 亿元: 1e8, 千元: 1e3, 元: 1, 万: 1e4, 亿: 1e8 };

interface Value {
  /** number|unit-base; money in yuan. */
  key: string;
  number: number;
  shown: string;
}

/** A date as one value: 2025年10月31日, 10月31日 (no year) and 2025年10月 (no day) are three different claims. */
const DATE = /(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号])?/g;

/** Figures with their units (money in yuan), dates as whole dates, after contacts and addresses are taken out. */
function figures(text: string): Value[] {
  const values: Value[] = [];
  const rest = text.replace(DATE, (date: string, year: string | undefined, month: string, day: string | undefined) => {
    if (!year && !day) return date;
    values.push({ key: `date:${year ?? ''}-${Number(month)}-${day ? Number(day) : ''}`, number: NaN, shown: date });
    return ' ';
  });
  text = rest;
  for (const m of text.matchAll(new RegExp(`(\\d+(?:\\.\\d+)?)(${UNIT.source})?`, 'gi'))) {
    const at = m.index!;
    // 第3条、1. 2、 (ordinals and list numbers) are not claims.
    if (text[at - 1] === '第' || (/^[.、)）]/.test(text.slice(at + m[0].length)) && !m[2])) continue;
    if (/[\d.]/.test(text[at - 1] ?? '')) continue;
    const number = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    const scale = MONEY[unit];
    values.push(
      scale !== undefined
        ? { key: `${+(number * scale).toPrecision(12)}|元`, number, shown: m[0] }
        : { key: `${number}|${unit === '日' ? '日' : unit}`, number, shown: m[0] },
    );
  }
  return values;
}

/** Phone numbers: 400 numbers, mobiles, numbers with an area code, and a bare 7–8 digit number after a word for a phone. */
const PHONE = /(?:\+?86[-\s]?)?(?:400[-\s]?\d{3}[-\s]?\d{4}|1[3-9]\d{9}|0\d{2,3}[-\s—－]?\d{7,8})(?!\d)|(?<=(?:电话|热线|拨打|手机|座机|联系方式)[:：是为]?\s*)\d{7,8}(?!\d)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL = /(?:https?:\/\/)?(?:[\w-]+\.)+(?:com|cn|net|org|gov|edu|info|top|xyz)(?::\d+)?(?:\/[\w\-./?%&=#~]*)?/gi;

/** The first value the sentence names that neither its quotes nor the computed text hold; null when all are held. */
function unsupportedValue(said: string, quoted: string, support: string): string | null {
  let rest = said;
  const lowerSupport = support.toLowerCase();
  for (const m of said.matchAll(EMAIL)) {
    if (!lowerSupport.includes(m[0].toLowerCase())) return m[0];
    rest = rest.replace(m[0], ' ');
  }
  for (const m of rest.matchAll(URL)) {
    const bare = m[0].toLowerCase().replace(/^https?:\/\//, '').replace(/\/$/, '');
    if (!lowerSupport.includes(bare)) return m[0];
    rest = rest.replace(m[0], ' ');
  }
  const supportDigits = support.replace(/[-\s—－+]/g, '');
  for (const m of rest.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, '').replace(/^86(?=\d{11})/, '');
    if (digits.length < 7) continue;
    if (!supportDigits.includes(digits)) return m[0].trim();
    rest = rest.replace(m[0], ' ');
  }
  const held = figures(support);
  const keys = new Set(held.map((v) => v.key));
  // A figure the sentence gives without a unit must be one the quotes give (any unit); the computed text's own
  // figures (today's date, a day count) support only a figure with the same unit.
  const numbers = new Set(figures(quoted).map((v) => v.number));
  for (const v of figures(rest)) {
    const bare = v.key.endsWith('|');
    if (bare ? !numbers.has(v.number) : !keys.has(v.key)) return v.shown;
  }
  return null;
}

/** Endings of organisation names (longest first). */
const ORG_SUFFIX = /(?:管理局|监督管理局|委员会|办公室|服务中心|服务站|中心|协会|学会|商会|联合会|研究院|研究所|交易所|分行|支行|银行|公司|集团|政府|驿站|局|厅)/g;
/** Words ending like an organisation that name none. */
const NOT_ORGANISATIONS = /(?:布局|格局|大局|全局|当局|结局|出局|开局|为中心|核心|重心)$/;
/** Words that lead into a name without being part of it. */
const LEAD_WORDS = /^(?:.*?(?:请|向|由|到|在|联系|咨询|拨打|前往|是|为|和|与|及|或|的|经|找|去|通过|可|可以|需|需要|应|将|对|给|从|把|被))/;

/** An organisation the sentence names that its quotes do not; null when none. */
function unsupportedOrganisation(said: string, support: string, places: readonly string[]): string | null {
  for (const m of said.matchAll(ORG_SUFFIX)) {
    const run = /[\u4e00-\u9fff]{0,14}$/.exec(said.slice(0, m.index!))![0] + m[0];
    if (NOT_ORGANISATIONS.test(run)) continue;
    const name = run.replace(LEAD_WORDS, '') || run;
    if (name.length <= m[0].length) continue;
    let held = '';
    for (let from = 0; from < name.length - m[0].length; from++) {
      if (support.includes(name.slice(from))) {
        held = name.slice(from);
        break;
      }
    }
    if (!held || held.length < m[0].length + 2) return name;
    const head = name.slice(0, name.length - held.length);
    if (head && (/[省市县区州]/.test(head) || places.some((p) => head.includes(p)))) return name;
  }
  return null;
}

/** Predicates whose polarity a sentence must not flip, by family. */
const FAMILIES: Array<{ name: string; words: RegExp }> = [
  { name: '超过', words: /超过|超出|高于|多于|大于|以上/g },
  { name: '低于', words: /低于|少于|小于|以下/g },
  { name: '需要', words: /需要|需|须|必须|应当/g },
  { name: '可以', words: /可以|可|能够|能|允许|准予/g },
  { name: '申请', words: /申请|申报|享受|适用|纳入|参加|参评|报名|受理/g },
  { name: '收取', words: /收取|收费|缴纳/g },
  { name: '给予', words: /给予|予以|补贴|奖励|支持/g },
  { name: '是', words: /属于|算作|视为|认定为/g },
];
/** A negation within the few characters before a predicate (「不得超过」「无需」「不予支持」「未纳入」). */
const NEGATED = /(?:不|未|无|非|没|没有|禁止|严禁|不得|不能|不可|不予|无需|无须|不必|不用|不会)[得能可应会予需]?$/;

/** Each family's polarities in a text: 'pos', 'neg' or both. */
function polarities(text: string): Map<string, Set<'pos' | 'neg'>> {
  const found = new Map<string, Set<'pos' | 'neg'>>();
  for (const family of FAMILIES) {
    for (const m of text.matchAll(family.words)) {
      const before = text.slice(Math.max(0, m.index! - 3), m.index!);
      // 「无还本续贷」「不良贷款」 negate a noun, not the predicate that follows later.
      const polarity = NEGATED.test(before) ? 'neg' : 'pos';
      if (!found.has(family.name)) found.set(family.name, new Set());
      found.get(family.name)!.add(polarity);
    }
  }
  return found;
}

/** A predicate the sentence states with one polarity where the quotes state it only with the other; null when none. */
function flippedPredicate(said: string, quoted: string): string | null {
  const quotedPolarity = polarities(quoted);
  for (const [family, mine] of polarities(said)) {
    const theirs = quotedPolarity.get(family);
    if (!theirs) continue;
    for (const p of mine) {
      if (!theirs.has(p)) return `${p === 'neg' ? '否定' : '肯定'}「${family}」，引文为${p === 'neg' ? '肯定' : '否定'}`;
    }
  }
  return null;
}

/** Words that frame a claim rather than make it; they count for nothing in the content comparison. */
const FRAMING = /根据|按照|依据|原文|规定|文件|政策|明确|指出|提到|显示|其中|具体|来说|如下|以下|您的|您|贵公司|贵单位|贵企业|你们|我们|这个|那个|就是|的话|如果|因此|所以|另外|此外|同时/g;

/** Share of the sentence's content bigrams that the quotes hold; null when the sentence has too few to judge. */
function contentShare(said: string, quoted: string): number | null {
  const content = said.replace(FRAMING, ' ');
  const bigrams = new Set<string>();
  for (const run of content.match(/[\u4e00-\u9fff]+/g) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) bigrams.add(run.slice(i, i + 2));
  }
  if (bigrams.size < MIN_CONTENT_BIGRAMS) return null;
  let held = 0;
  for (const b of bigrams) if (quoted.includes(b)) held++;
  return held / bigrams.size;
}
