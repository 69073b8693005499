import { findDateMentions, saidToBeToday } from '../rules/facts.ts';
import { daysBetween, formatChineseDate, iso, lastDay } from '../text/dates.ts';

/** A question for a number of days (几天、多少天、多长时间、多久). 提前多久 asks the text's own period, not a count. */
const ASKS_DAY_COUNT = /(?<!提前)(?:几|多少)个?(?:天|日)|多长时间|多久|多少时间/;
/** …counted up to a day (还剩几天、离截止还有多少天、距离该截点还有多少天). */
const ASKS_UNTIL = /还(?:剩|有|差)|离|距离?|到[^，。；？?]{0,14}(?:截止|截点|结束|截至)|过去了?(?:多少|几)|过了(?:多少|几)|晚了(?:多少|几)|已经过了/;
/** …counted from today, said outright (从今天算、打今儿个算、今天12月9号). */
const FROM_TODAY = /(?:从|打|自|按)(?:今天|今日|今儿个?|现在)(?:起)?(?:算|开始|计)/;
/** A question about the day to turn to the lender by (按提前一个月去找银行…还有几天准备时间). */
const ASKS_APPLY_BY = /提前|准备时间|准备的时间/;
/** A deadline the answer computed itself (「请在2026年12月20日前（原文：可提前1个月）…」). */
const COMPUTED_DEADLINE = /请在(\d{4})年(\d{1,2})月(\d{1,2})日前/;
/** A question for a period's whole length (总共/一共多少天、含头含尾、首尾都算、从开始到截止). */
const ASKS_WHOLE_PERIOD = /总共|一共|含头含尾|头尾都算|首尾都算|首尾|从(?:开始|起始|第一天)[^，。；？?]{0,8}到/;
/** A date of the text, with or without its year: 「2025年10月12日」「10月21日」. */
const TEXT_DATE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/g;
const RANGE_MARK = /^\s*[-—–~至到]\s*$/;
/** Words before a date that make it the deadline (截止时间：2025年10月20日). */
const DEADLINE_BEFORE = /(?:截止|截至|截点)[^，。；\d]{0,8}$/;
/** …or after it (2025年10月20日截止、4月10日前). */
const DEADLINE_AFTER = /^(?:\s*)(?:截止|止|前)/;

interface TextDate {
  date: string;
  text: string;
  at: number;
  end: number;
}

/** The dates of a quoted text; one written without its year has the year of the dated one before it, else today's. */
function textDates(claim: string, today: string): TextDate[] {
  let year = +today.slice(0, 4);
  const found: TextDate[] = [];
  for (const m of claim.matchAll(TEXT_DATE)) {
    const month = +m[2];
    if (month < 1 || month > 12) continue;
    if (m[1]) year = +m[1];
    found.push({ date: iso(year, month, Math.min(+m[3], lastDay(year, month))), text: m[0], at: m.index!, end: m.index! + m[0].length });
  }
  return found;
}

/**
 * A line that counts the days a question asks for from the dates of the quoted text: the length of a period the text
 * gives as a range (「集中评审（10月21日—11月10日）」 → 21天, both ends counted), or the days from a day the question names —
 * today when it names none — to the text's deadline (「10月15号发出去的，离报送截止还剩几天」 → 5天). Empty when the question
 * asks no count of days, or the text holds no single period or deadline to count.
 */
export function daySpanLine(question: string, claims: string[], today: string, computed = ''): string {
  if (!ASKS_DAY_COUNT.test(question)) return '';
  const dated = claims.map((c) => textDates(c, today));
  const ranges = claims.flatMap((claim, i) =>
    dated[i].slice(1).flatMap((to, k) => {
      const from = dated[i][k];
      return RANGE_MARK.test(claim.slice(from.end, to.at)) && to.date >= from.date ? [{ from, to }] : [];
    }),
  );
  // (A day said to be today — 「从今天12月9号算」 — is where the count starts, not another day asked about.)
  const mentions = findDateMentions(question, today).filter((d) => d.precision === 'day');
  const fromToday = FROM_TODAY.test(question) || mentions.some((d) => saidToBeToday(question, d.start));
  const asked = mentions.filter((d) => !saidToBeToday(question, d.start));
  // 「申报期总共有多少天？从开始那天到截止那天，含头含尾」: the length of the text's one period, not the days to its end.
  const wholePeriod = ASKS_WHOLE_PERIOD.test(question) && asked.length === 0 && ranges.length === 1;
  if (ASKS_UNTIL.test(question) && !wholePeriod) {
    // 「按提前一个月去找银行，从今天算我还有几天准备时间」: the day the answer computed to turn to the lender by.
    // (Only when the sentence that asks the count speaks of it: 「离到期还有几天？按提前一个月提续贷，那个时间点是哪天」 counts to the due date.)
    const counting = question.split(/[？?。！!]/).find((c) => ASKS_DAY_COUNT.test(c)) ?? '';
    const applyBy = ASKS_APPLY_BY.test(counting) ? COMPUTED_DEADLINE.exec(computed) : null;
    if (applyBy) {
      const target = iso(+applyBy[1], +applyBy[2], +applyBy[3]);
      const days = daysBetween(today, target);
      return days < 0 ? '' : `从今天（${formatChineseDate(today)}）到${formatChineseDate(target)}，还有${days}天。\n`;
    }
    if (asked.length > 1 && !fromToday) return '';
    const all = dated.flat();
    const deadlines = claims.flatMap((claim, i) => dated[i].filter((d) => DEADLINE_BEFORE.test(claim.slice(0, d.at)) || DEADLINE_AFTER.test(claim.slice(d.end)) || ranges.some((r) => r.to === d)));
    const pool = deadlines.length ? deadlines : all;
    // 「流贷下个月20号到期，现在离到期还有几天」: with no date quoted, the one day the question names, counted from today.
    if (pool.length === 0 && asked.length === 1 && asked[0].date > today) {
      return `从今天（${formatChineseDate(today)}）到${formatChineseDate(asked[0].date)}，还有${daysBetween(today, asked[0].date)}天。\n`;
    }
    const targets = [...new Set(pool.map((d) => d.date))];
    if (targets.length !== 1) return '';
    const [target] = targets;
    const text = pool.find((d) => d.date === target)!.text;
    // From the day the question names, else today (「打今儿个算」, or no day at all). A day said without a year —
    // 「3月31号才能拿到」 — is in the deadline's year.
    const start = fromToday ? undefined : asked[0];
    let from = start?.date ?? today;
    const said = start ? question.slice(start.start, start.end) : '';
    if (start && !/\d{2,4}年|今年|明年|去年|后年/.test(said)) from = `${target.slice(0, 4)}${from.slice(4)}`;
    const days = daysBetween(from, target);
    const day = formatChineseDate(from);
    if (days < 0) return `按${day}计，原文的“${text}”已过去${-days}天。\n`;
    const named = text.includes('年') ? `“${text}”` : `“${text}”（${formatChineseDate(target)}）`;
    return `从${day}到${named}，还有${days}天。\n`;
  }
  if (asked.length > 0 || ranges.length !== 1) return '';
  const [{ from, to }] = ranges;
  return `按原文“${from.text}—${to.text}”计，首尾两天都算，共${daysBetween(from.date, to.date) + 1}天。\n`;
}

/**
 * Whether the day a period ends (「…为2026年12月12日」, from the line that computed it) is by the day the question says it
 * must be done by (「能在11号前修好吗」「12月20日之前能办完不」): null when the question names no such day or nothing was computed.
 * Of several computed days (最快、平均), the first asked decides.
 */
export function deadlineVerdict(question: string, computed: string, today: string): 'yes' | 'no' | null {
  const ends = [...computed.matchAll(/为(\d{4})年(\d{1,2})月(\d{1,2})日/g)].map((m) => iso(+m[1], +m[2], +m[3]));
  if (ends.length === 0) return null;
  const by = findDateMentions(question, today)
    .filter((d) => d.precision === 'day' && !saidToBeToday(question, d.start) && BY_DAY_AFTER.test(question.slice(d.end, d.end + 4)))
    .map((d) => d.date);
  // (「11号前」: a day of the month alone is this month's, or next month's when this month's has passed.)
  for (const m of question.matchAll(/(?<![\d月])(\d{1,2})(?:号|日)(?=之前|以前|前)/g)) {
    const day = Number(m[1]);
    if (day < 1 || day > 31) continue;
    let [y, mo] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    if (day < Number(today.slice(8, 10))) [y, mo] = mo === 12 ? [y + 1, 1] : [y, mo + 1];
    by.push(iso(y, mo, day));
  }
  const days = [...new Set(by)];
  if (days.length !== 1) return null;
  return ends[0] <= days[0] ? 'yes' : 'no';
}
/** Words after a day that make it the day something must be done by (前、之前、以前、当天能). */
const BY_DAY_AFTER = /^[）)]?(?:之前|以前|前|那天|当天)/;
