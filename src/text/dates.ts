export interface DateMention {
  /** ISO date (YYYY-MM-DD) the mention resolves to; for a month or year end, its last day. */
  date: string;
  text: string;
}

const FULL = /(\d{4})年(\d{1,2})月(\d{1,2})日/g;
const MONTH_END = /(\d{4})年(\d{1,2})月(?:底|末)/g;
const YEAR_END = /(\d{4})年(?:底|末)/g;
/** 「2026年2月10日-4月10日」: the end of a range written without its year repeats the start's year. */
const RANGE_TAIL = /(\d{4})年\d{1,2}月\d{1,2}日\s*[-—–~至到]\s*(\d{1,2})月(\d{1,2})日/g;

/** Dates a text states with a year, in order of appearance. */
export function findDates(text: string): DateMention[] {
  const found: Array<DateMention & { at: number }> = [];
  for (const m of text.matchAll(FULL)) found.push({ at: m.index!, text: m[0], date: iso(+m[1], +m[2], +m[3]) });
  for (const m of text.matchAll(RANGE_TAIL)) {
    const tail = m[0].slice(m[0].search(/[-—–~至到]/) + 1).trim();
    found.push({ at: m.index! + m[0].length - tail.length, text: tail, date: iso(+m[1], +m[2], +m[3]) });
  }
  for (const m of text.matchAll(MONTH_END)) found.push({ at: m.index!, text: m[0], date: iso(+m[1], +m[2], lastDay(+m[1], +m[2])) });
  for (const m of text.matchAll(YEAR_END)) found.push({ at: m.index!, text: m[0], date: iso(+m[1], 12, 31) });
  return found.sort((a, b) => a.at - b.at).map(({ date, text }) => ({ date, text }));
}

export function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function formatChineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Whole days from `fromIso` to `toIso` (negative when `toIso` is earlier). */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
}
