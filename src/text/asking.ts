/** An either-or form of any verb (带不带、计不计、超没超): a yes/no question however the verb is spelled. */
export const A_NOT_A = /([\u4e00-\u9fff])[不没]\1/;

/** Either-or forms of a question (能不能, 是不是): they ask, they do not reverse. */
export const EITHER_OR = new RegExp(`能不能|可不可以|可以不|是不是|要不要|需不需要|需要不|有没有|行不行|算不算|会不会|用不用|得不得|让不让|给不给|中不中|${A_NOT_A.source}`, 'g');

/**
 * The clause of a question that asks (has an either-or form or ends in 吗/不/没/呢/？), else the last one. Of
 * several, the last one asks (「非得网上弄吗？能去窗口办不」 asks whether the window will do), except an alternative
 * offered after 还是 (「能以分行名义报吗，还是必须总行」 asks about the 分行). The story before it
 * (「23年就上线了，…我们这种公司能报不」) is not what is asked.
 */
export function askingClause(asked: string): string {
  const clauses = asked
    .split(/(?<=[，,。；;！!？?])/)
    .map((c) => c.trim())
    .filter((c) => c.replace(/[，,。；;！!？?\s]/g, ''));
  const isAsking = (c: string) => new RegExp(EITHER_OR.source).test(c) || /[吗么嘛不没呢][，,。；;！!？?]*$/.test(c) || /[?？]$/.test(c);
  // (A closing 「咋整？」「怎么办？」 after the question asks nothing of its own.)
  const generic = (c: string) => /^(?:那)?(?:咋整|咋办|怎么办|怎么弄|咋弄|怎么整|咋搞|怎么搞)(?:啊|呀|呢)?[？?。！!]*$/.test(c);
  const asking = clauses.filter((c) => isAsking(c) && !/^还是/.test(c));
  if (asking.length > 1 && generic(asking[asking.length - 1])) asking.pop();
  const strip = (c: string) => c.replace(/[，,。；;！!]$/, '');
  return strip(asking.length ? asking[asking.length - 1] : (clauses[clauses.length - 1] ?? asked));
}

/** A question whether a campaign still takes applications (现在还能报名不、还来得及吗、截止了没). */
export const ASKS_STILL_OPEN = /现在还能|现在能报|还能报名|还来得及|来得及[吗不么]|还赶得上|赶得上[吗不么]|截止了[没吗么]|过期了[没吗么]|还开着|还收[吗不么]|还在征集/;
