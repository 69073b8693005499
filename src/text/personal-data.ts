/**
 * Personal numbers in free text — mobile and landline numbers, resident ID card numbers (18 and 15 digits) and
 * 统一社会信用代码 — found however they are typed and masked where they stand. The text is read through a
 * normalised view: NFKC (full-width digits and letters, full-width dashes and spaces), invisible characters
 * dropped (zero-width spaces, joiners, soft hyphens, combining marks), digits split by spaces, hyphens, dots,
 * dashes or brackets joined up, a +86 / 0086 / 86- prefix read as such, and letters in any case. Each number
 * found is written back in place of its original characters, its first and last characters kept so staff can
 * still tell entries apart (「139****5678」「024-******29」); the rest of the text is left exactly as it was.
 */

export interface MaskOptions {
  /**
   * Numbers to leave as written: public ones such as the documents' hotlines, in the form
   * {@link publicNumbersIn} lists them (so 「024—31318629」 in a document keeps 「024-31318629」 in an answer).
   */
  keep?: ReadonlySet<string>;
}

/**
 * Masks every personal number in a text. Idempotent (a masked text comes back unchanged) and never throws.
 *
 * @example
 * maskPersonalData('我的手机+86 138 1234 5678') // '我的手机+86 138****5678'
 * maskPersonalData('热线024—31318629', { keep: publicNumbersIn([corpusText]) }) // unchanged when the corpus has it
 */
export function maskPersonalData(text: string, options: MaskOptions = {}): string {
  if (typeof text !== 'string' || !mayHoldNumber(text)) return text;
  try {
    const view = normalise(text);
    const edits = findNumbers(view, options.keep).filter((found) => !found.kept);
    return edits.length ? rewrite(text, view, edits) : text;
  } catch {
    // Should the masking itself fail, no digit gets through.
    return text.replace(/\p{N}/gu, '*');
  }
}

/**
 * The personal-looking numbers a set of public texts (the corpus documents) contains, normalised: what
 * {@link MaskOptions.keep} takes so that the documents' own hotlines and contacts stay readable.
 */
export function publicNumbersIn(texts: Iterable<string>): Set<string> {
  const numbers = new Set<string>();
  for (const text of texts) {
    if (!mayHoldNumber(text)) continue;
    for (const found of findNumbers(normalise(text))) numbers.add(found.key);
  }
  return numbers;
}

/**
 * Masks every string inside a JSON-like value (object keys too): a stored situation, frame or claim-check record
 * holds the user's own words. Other values come back as they are; never throws.
 */
export function maskPersonalDataIn<T>(value: T, options: MaskOptions = {}): T {
  try {
    // Most stored situations and frames hold no number at all: they are read once and handed back as they are.
    if (!anyMayHoldNumber(value, new Set())) return value;
    return maskValue(value, options, new Set()) as T;
  } catch {
    // (Only an exotic object, a throwing getter say, gets here: nothing of it is stored rather than all of it unmasked.)
    return null as T;
  }
}

function anyMayHoldNumber(value: unknown, within: Set<object>): boolean {
  if (typeof value === 'string') return mayHoldNumber(value);
  if (value === null || typeof value !== 'object') return false;
  // (A value inside itself, or an object of some class, is left to maskValue to decide.)
  if (within.has(value)) return true;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  within.add(value);
  if (Array.isArray(value)) {
    for (const v of value) if (anyMayHoldNumber(v, within)) return true;
  } else {
    for (const k of Object.keys(value)) if (mayHoldNumber(k) || anyMayHoldNumber((value as Record<string, unknown>)[k], within)) return true;
  }
  within.delete(value);
  return false;
}

function maskValue(value: unknown, options: MaskOptions, within: Set<object>): unknown {
  if (typeof value === 'string') return maskPersonalData(value, options);
  if (value === null || typeof value !== 'object') return value;
  // A value inside itself cannot be stored as JSON; it is not handed back unmasked either.
  if (within.has(value)) return '[circular]';
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  within.add(value);
  // A value with nothing to mask is handed back as it is (most stored situations and frames hold no number).
  let changed = false;
  const keep = <V>(before: V, after: V): V => {
    if (before !== after) changed = true;
    return after;
  };
  const masked = Array.isArray(value)
    ? value.map((v) => keep(v, maskValue(v, options, within)))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [keep(k, maskPersonalData(k, options)), keep(v, maskValue(v, options, within))]));
  within.delete(value);
  return changed ? masked : value;
}

// Once normalised, a personal number holds at least ten digits (a landline with its area code; mobiles and IDs more),
// or six digits among eighteen digits and letters (a credit code); and none runs across a character outside the
// patterns' alphabet (a Han character, 「，」, a line break …). A text with no such stretch (a date, an amount, a
// question with no number) needs no further reading.
const MIN_DIGITS = 10;
const MIN_CODE_DIGITS = 6;
const CODE_LENGTH = 18;

// What normalisation makes of one character, worked out once per code point and remembered: whether it is dropped
// (invisible), kept as it is, ends any number (no character of its NFKC form is in the patterns' alphabet), and how
// many ASCII digits and letters its NFKC form holds (「⑳」 two digits, 「８」 one).
const KNOWN = 1;
const IDENTITY = 2;
const BREAKS = 4;
const DROPPED = 8;
const DIGIT_SHIFT = 4;
const LETTER_SHIFT = 8;
const COUNT_MASK = 0xf;
const PATTERN_CHAR = /[0-9A-Za-z+* \t.\-\u00B7\u2010-\u2015\u2212\u30FB()]/;
// Zero-width and other invisible characters, combining marks and control characters (tabs and line breaks apart).
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}\u0000-\u0008\u000E-\u001F\u007F-\u009F\u115F\u1160\u2800\u3164\uFFA0]$/u;
const basicPlane = new Uint16Array(0x10000);
const otherPlanes = new Map<number, number>();

function classOf(code: number): number {
  const known = code < 0x10000 ? basicPlane[code] : otherPlanes.get(code);
  if (known) return known;
  const ch = String.fromCodePoint(code);
  let bits = KNOWN;
  if (INVISIBLE.test(ch)) bits |= DROPPED;
  else {
    const folded = ch.normalize('NFKC');
    if (folded === ch) bits |= IDENTITY;
    if (!PATTERN_CHAR.test(folded)) bits |= BREAKS;
    bits |= Math.min(folded.replace(/[^0-9]/g, '').length, COUNT_MASK) << DIGIT_SHIFT;
    bits |= Math.min(folded.replace(/[^A-Za-z]/g, '').length, COUNT_MASK) << LETTER_SHIFT;
  }
  if (code < 0x10000) basicPlane[code] = bits;
  else otherPlanes.set(code, bits);
  return bits;
}

/** Whether some stretch of the text, read as the patterns read it, holds enough digits to be a personal number. */
function mayHoldNumber(text: string): boolean {
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    const bits = classOf(code);
    if (bits & BREAKS) {
      digits = 0;
      letters = 0;
      continue;
    }
    digits += (bits >> DIGIT_SHIFT) & COUNT_MASK;
    letters += (bits >> LETTER_SHIFT) & COUNT_MASK;
    if (digits >= MIN_DIGITS || (digits >= MIN_CODE_DIGITS && digits + letters >= CODE_LENGTH)) return true;
  }
  return false;
}

/** The text as the patterns read it, with each of its characters' span in the original. */
interface View {
  source: string;
  text: string;
  from: number[];
  to: number[];
}

function normalise(text: string): View {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const size = code > 0xffff ? 2 : 1;
    const bits = classOf(code);
    if (!(bits & DROPPED)) {
      const ch = text.slice(i, i + size);
      const folded = bits & IDENTITY ? ch : ch.normalize('NFKC');
      for (const unit of folded.split('')) {
        chars.push(unit);
        from.push(i);
        to.push(i + size);
      }
    }
    i += size;
  }
  return { source: text, text: chars.join(''), from, to };
}

// What may stand between the digits of one number (after NFKC): spaces, hyphens, dots, dashes, middle dots, brackets.
const SEP = '[ \\t.\\-\\u00B7\\u2010-\\u2015\\u2212\\u30FB()]{0,3}';
const digits = (n: number) => `(?:${SEP}\\d){${n}}`;
// A number glued to hexadecimal characters is part of an identifier (a request id 「…6d0703…」), not a phone number;
// one right after (or before) a masked number's stars is the rest of that number (「138****5678」), which keeps the
// masking idempotent. (Fewer than four stars is markdown bold, 「**13812345678**」, and masks as usual.)
const NOT_AFTER_HEX = `(?<![0-9A-Fa-f])(?<![0-9A-Za-z]${SEP}\\*{4,})`;
const NOT_BEFORE_HEX = `(?![0-9A-Fa-f])(?!${SEP}\\*{4,}[0-9A-Za-z])`;
const COUNTRY = `(?:\\+ ?|00)86${SEP}`;

interface Kind {
  name: string;
  /** Where a candidate stands; the `number` group (or `area` and `line`) is what gets masked. */
  shape: RegExp;
  /** Whether the candidate's characters (separators gone, upper case) are such a number. */
  valid: RegExp;
  head: number;
  tail: number;
}

// In this order: an 18-digit ID also fits the credit code's alphabet, and each masked span is closed to the patterns after it.
const KINDS: Kind[] = [
  {
    name: 'id18',
    shape: new RegExp(`${NOT_AFTER_HEX}(?<number>[1-9]${digits(16)}${SEP}[\\dXx])${NOT_BEFORE_HEX}`, 'g'),
    valid: /^[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/,
    head: 3,
    tail: 2,
  },
  {
    name: 'id15',
    shape: new RegExp(`${NOT_AFTER_HEX}(?<number>[1-9]${digits(14)})${NOT_BEFORE_HEX}`, 'g'),
    valid: /^[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/,
    head: 3,
    tail: 2,
  },
  {
    // 18 characters from the code's alphabet (no I, O, Z, S, V), with digits where the standard puts them.
    name: 'credit',
    shape: new RegExp(`(?<![0-9A-Za-z])(?<![0-9A-Za-z]${SEP}\\*{4,})(?<number>[0-9A-Za-z](?:${SEP}[0-9A-Za-z]){17})(?![0-9A-Za-z])(?!${SEP}\\*{4,}[0-9A-Za-z])`, 'g'),
    valid: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
    head: 2,
    tail: 2,
  },
  {
    name: 'mobile',
    shape: new RegExp(`${NOT_AFTER_HEX}(?:(?:\\+ ?|00)?86${SEP})?(?<number>1${SEP}[3-9]${digits(9)})${NOT_BEFORE_HEX}`, 'g'),
    valid: /^1[3-9]\d{9}$/,
    head: 3,
    tail: 4,
  },
  {
    // 024-88886666, (024) 8888 6666, +86 24 8888 6666, +86 (0)24 88886666: the area code is kept, the line masked.
    name: 'landline',
    shape: new RegExp(
      `${NOT_AFTER_HEX}(?:${COUNTRY}(?:0${SEP})?(?<intl>[1-9]\\d{1,2})|(?<area>0\\d{2,3}))(?<gap>${SEP})(?<line>[2-9]${digits(6)}(?:${SEP}\\d)?)${NOT_BEFORE_HEX}`,
      'g',
    ),
    valid: /^0?[1-9]\d{8,10}$/,
    head: 0,
    tail: 2,
  },
];

// UUIDs (request, message and conversation ids) are never personal numbers, whatever digits they happen to hold.
const UUID = /(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])/g;

interface Found {
  /** Where the masked part stands in the normalised view. */
  start: number;
  end: number;
  masked: string;
  /** The number as publicNumbersIn lists it. */
  key: string;
  kept: boolean;
}

function findNumbers(view: View, keep?: ReadonlySet<string>): Found[] {
  // UUIDs, and each number found (masked or kept), are closed to the patterns after them.
  const CLOSED = '\u0000';
  let text = view.text.replace(UUID, (id) => CLOSED.repeat(id.length));
  const found: Found[] = [];
  for (const kind of KINDS) {
    const shape = new RegExp(kind.shape.source, kind.shape.flags);
    for (let m = shape.exec(text); m; m = shape.exec(text)) {
      const groups = m.groups!;
      const number = groups.number ?? `${groups.area ?? groups.intl}${groups.gap}${groups.line}`;
      const end = m.index + m[0].length;
      const start = end - number.length;
      const compact = number.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
      if (!kind.valid.test(compact)) {
        // Not this one: look again from the next character (a valid number may start inside the rejected span).
        shape.lastIndex = m.index + 1;
        continue;
      }
      const key = kind.name === 'landline' && !compact.startsWith('0') ? `0${compact}` : compact;
      const kept = keep?.has(key) ?? false;
      found.push({ start, end, key, kept, masked: kept ? number : maskedForm(kind, compact, groups, view, start) });
      text = text.slice(0, start) + CLOSED.repeat(end - start) + text.slice(end);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function maskedForm(kind: Kind, compact: string, groups: Record<string, string>, view: View, start: number): string {
  if (kind.name !== 'landline') return keepEnds(compact, kind.head, kind.tail);
  // The area code stays with what parted it from the line, as typed (「024-」「（024）」), so the entry still reads as a landline.
  const area = groups.area ?? groups.intl;
  const gap = groups.gap ? view.source.slice(view.to[start + area.length - 1], view.from[start + area.length + groups.gap.length]) : '';
  return area + gap + keepEnds(compact.slice(area.length), 0, kind.tail);
}

function keepEnds(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

/** The original text with each found number's characters (invisible ones between them included) replaced. */
function rewrite(text: string, view: View, edits: Found[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    const start = view.from[edit.start];
    out += text.slice(at, start) + edit.masked;
    at = view.to[edit.end - 1];
  }
  return out + text.slice(at);
}
