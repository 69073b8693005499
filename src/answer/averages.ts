/** A question for an average per unit (平均每户、每户次平均、人均). */
const ASKS_AVERAGE = /平均[，,]?每|每(?:户|家|户次)[^，。；？?]{0,10}(?:平均|约为?多少|约是多少)|按[^，。；？?]{0,8}平均|人均|户均/;
/** A sum of money the text states: 「4000亿元」「350亿元」「1.5万元」. */
const MONEY = /(\d+(?:\.\d+)?)\s*(亿|万)元/g;
/** A count the text states: 「40万户」「4万户次」「150余家」. */
const COUNT = /(\d+(?:\.\d+)?)\s*(万)?\s*(?:余|多)?\s*(户次|户|家)/g;

const UNIT = { 亿: 1e8, 万: 1e4 } as const;

function yuanText(yuan: number): string {
  if (yuan >= 1e8) return `${+(yuan / 1e8).toFixed(2)}亿元`;
  if (yuan >= 1e4) return `${+(yuan / 1e4).toFixed(2)}万元`;
  return `${+yuan.toFixed(2)}元`;
}

/**
 * A line for an average the question asks of the quoted targets (「若两项目标恰好达成，按注册户数平均，每户累计融资金额约为多少」
 * against 「注册户数超40万户，累计解决融资金额超4000亿元」): the one sum of money divided by the one count the quoted text
 * sentence gives, with both figures named. Empty unless the question asks an average and a quoted sentence gives exactly
 * one of each.
 */
export function averageLine(question: string, claims: string[]): string {
  if (!ASKS_AVERAGE.test(question)) return '';
  // (From one quoted sentence that gives both: 「…新增融资担保业务350亿元以上，服务民营企业4万户次以上」.)
  for (const text of claims) {
    const sums = [...text.matchAll(MONEY)].map((m) => ({ said: m[0], yuan: Number(m[1]) * UNIT[m[2] as keyof typeof UNIT] }));
    const counts = [...text.matchAll(COUNT)].map((m) => ({ said: m[0], n: Number(m[1]) * (m[2] ? 1e4 : 1), unit: m[3] }));
    if (sums.length !== 1 || counts.length !== 1 || counts[0].n <= 0) continue;
    const [sum] = sums;
    const [count] = counts;
    return `按原文的“${sum.said}”和“${count.said}”计，平均每${count.unit}约${yuanText(sum.yuan / count.n)}（${sum.said} ÷ ${count.said}）。\n`;
  }
  return '';
}

/** A question for how many of a number the asker gives (「一共47个案例，最后能有几个进路演」). */
const ASKS_HOW_MANY = /几个|多少个|几家|多少家|几项|多少项/;
const GIVEN_COUNT = /(\d+)\s*(个|家|项)/g;
/** A share the text takes of a number: 「选出30%比例数量（取整数）」. */
const SHARE = /(\d+(?:\.\d+)?)%\s*(?:的)?(?:比例|数量)/;

/**
 * A line for the share of a number the question gives that the quoted rule takes (47 cases, 「选出30%比例数量（取整数）」 →
 * 47 × 30% = 14.1, 14 as a whole number when the rule says 取整数). Empty unless the question gives one such number and
 * asks how many, and one quoted sentence states one such share.
 */
export function shareLine(question: string, claims: string[]): string {
  if (!ASKS_HOW_MANY.test(question)) return '';
  const given = [...question.matchAll(GIVEN_COUNT)];
  if (given.length !== 1) return '';
  const n = Number(given[0][1]);
  const rules = claims.filter((c) => SHARE.test(c));
  if (rules.length !== 1) return '';
  const share = Number(SHARE.exec(rules[0])![1]);
  const exact = Math.round(n * share * 100) / 10000;
  const whole = /取整/.test(rules[0]) && !Number.isInteger(exact) ? `，取整数为${Math.floor(exact)}${given[0][2]}` : '';
  return `按${n}${given[0][2]}计：${n} × ${share}% = ${exact}${whole}。\n`;
}
