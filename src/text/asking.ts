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
  const asking = clauses.filter((c) => isAsking(c) && !/^还是/.test(c));
  const strip = (c: string) => c.replace(/[，,。；;！!]$/, '');
  return strip(asking.length ? asking[asking.length - 1] : (clauses[clauses.length - 1] ?? asked));
}

/** A word that asks for something (啥、哪、多少、咋 …, 东北话 嘎哈): a clause holding one asks, whatever it ends with. */
const QUESTION_WORD = /(?<!没|没有|也没)(?:啥|什么)(?![也都])|哪|多少|怎么|怎样|咋|几[个天种项家月年时号点]|谁|嘎哈|干哈|干啥/;
/** A request (「你一步步说说」「给我列一下」): it asks as much as a question does. */
const REQUEST = /说说|讲讲|介绍一?下|列(?:一下|出来|全)|告诉我|给我(?:说|讲|列|发)/;

/**
 * Every clause of a message that asks (an either-or form, a question word, or 吗/不/呢/？ at its end), joined; the whole
 * message when none does. The rest is the story the asker tells of itself (「俺家搁铁岭开个铁锅炖饭店，二十来张桌」),
 * which says who asks, not what.
 */
export function askingClauses(asked: string): string {
  const clauses = asked
    .split(/(?<=[，,。；;！!？?])/)
    .map((c) => c.trim())
    .filter((c) => c.replace(/[，,。；;！!？?\s]/g, ''));
  const asking = clauses.filter((c) => new RegExp(EITHER_OR.source).test(c) || /[吗么嘛不没呢][，,。；;！!？?]*$/.test(c) || /[?？]$/.test(c) || QUESTION_WORD.test(c) || REQUEST.test(c));
  return asking.length ? asking.join('') : asked;
}
