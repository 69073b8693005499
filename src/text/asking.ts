/** An either-or form of any verb (带不带、计不计、超没超): a yes/no question however the verb is spelled. */
export const A_NOT_A = /([\u4e00-\u9fff])[不没]\1/;

/** Either-or forms of a question (能不能, 是不是): they ask, they do not reverse. */
export const EITHER_OR = new RegExp(`能不能|可不可以|可以不|是不是|要不要|需不需要|需要不|有没有|行不行|算不算|会不会|用不用|得不得|让不让|给不给|中不中|${A_NOT_A.source}`, 'g');

/** Where a clause of a message ends: after its comma, full stop, semicolon, exclamation or question mark (kept with it). */
const CLAUSE_END = /(?<=[，,。；;！!？?])/;

/**
 * The clause of a question that asks (has an either-or form or ends in 吗/不/没/呢/？), else the last one. Of
 * several, the last one asks (「非得网上弄吗？能去窗口办不」 asks whether the window will do), except an alternative
 * offered after 还是 (「能以分行名义报吗，还是必须总行」 asks about the 分行). The story before it
 * (「23年就上线了，…我们这种公司能报不」) is not what is asked.
 */
export function askingClause(asked: string): string {
  const clauses = asked
    .split(CLAUSE_END)
    .map((c) => c.trim())
    .filter((c) => c.replace(/[，,。；;！!？?\s]/g, ''));
  // (A closing 「咋整？」「怎么办？」 after the question asks nothing of its own.)
  const generic = (c: string) => /^(?:那)?(?:咋整|咋办|怎么办|怎么弄|咋弄|怎么整|咋搞|怎么搞)(?:啊|呀|呢)?[？?。！!]*$/.test(c);
  const asking = clauses.filter((c) => isAsking(c) && !/^还是/.test(c));
  if (asking.length > 1 && generic(asking[asking.length - 1])) asking.pop();
  const strip = (c: string) => c.replace(/[，,。；;！!]$/, '');
  return strip(asking.length ? asking[asking.length - 1] : (clauses[clauses.length - 1] ?? asked));
}

/** A question whether a campaign still takes applications (现在还能报名不、还来得及吗、截止了没、还能递材料吗、还赶趟不). */
export const ASKS_STILL_OPEN = /现在还能|现在能报|现在报还|还能报名|还能(?:递|交|提交|投|申报|参加|参评)|还来得及|来得及[吗不么]|还赶得上|赶得上[吗不么]|赶趟|截止了[没吗么]|过期了[没吗么]|错过了?[吗没么]|还开着|还收[吗不么]|还(?:收|接受)(?:材料|申报)[吗不么]|还在征集/;

/**
 * The remarks that follow a message's last asking clause (「…发哪个邮箱？领导催着下班前发出去，别给我整错了」: what
 * follows the question says nothing of which sentence answers, nor asks when anyone 下班); '' when none follow or
 * no clause asks. A request (给个名单、发我一份、列一下) asks. What comes before the asking clause is not a remark: it
 * often names what is asked about (「新质生产力要交商标图，我手头是个PNG的，300kb，直接发行不行？」).
 */
export function trailingRemarks(asked: string): string {
  const clauses = asked.split(CLAUSE_END);
  let last = -1;
  clauses.forEach((c, i) => {
    if (c.replace(/[，,。；;！!？?\s]/g, '') && asks(c)) last = i;
  });
  return last >= 0 ? clauses.slice(last + 1).join('') : '';
}

/** A message without the remarks after its last asking clause (see `trailingRemarks`). */
export function withoutTrailingRemarks(asked: string): string {
  const remarks = trailingRemarks(asked);
  return remarks ? asked.slice(0, asked.length - remarks.length) : asked;
}

/**
 * A message without the statements of its asker's story (「俺是朝阳村镇银行的，寻思整个材料报金融兴辽。这玩意都分啥案例
 * 类别啊？」 → 「这玩意都分啥案例类别啊？」): clauses that neither ask nor request and that speak of the asker or their
 * plans (我们…、寻思、打算、听说、领导让…). A statement that only names what is asked about (「申报书后面那个附件，必交的是
 * 哪几样」) stays. The whole message when nothing asks.
 */
export function withoutStory(asked: string): string {
  const clauses = asked.split(CLAUSE_END);
  if (!clauses.some((c) => c.replace(/[，,。；;！!？?\s]/g, '') && asks(c))) return asked;
  return clauses.filter((c) => asks(c) || !STORY.test(c.trim())).join('');
}

/** A clause of the asker's story: about themselves or what they plan or heard. */
const STORY = /^(?:我|俺|咱|本单位|本公司|本行)|寻思|打算|准备|计划|想要|听说|听人说|领导|老板|处长|部长/;

function asks(clause: string): boolean {
  return isAsking(clause.trim()) || QUESTION_WORD.test(clause) || REQUEST.test(clause);
}

/** A request for something to be given or told (给个名单、发我一份、列一下、说说、告诉我). */
const REQUEST = /给(?:我|俺)?(?:个|一个|一份|一下|发|列|说|讲|看|查)|发(?:我|俺|一下|过来)|告诉|列(?:一下|出|个)|说说|讲讲|唠唠|介绍|帮(?:我|俺)?(?:查|看|问|找)/;

/** Words that ask for a detail inside a clause that does not end as a question (「驿站几点下班，周末开门不」). */
const QUESTION_WORD = /几|多少|多久|多长|哪|啥|什么|咋|怎么|怎样|如何|谁|是否/;

function isAsking(clause: string): boolean {
  return new RegExp(EITHER_OR.source).test(clause) || /[吗么嘛不没呢][，,。；;！!？?]*$/.test(clause) || /[?？]$/.test(clause);
}

/**
 * A clause in which the asker introduces itself (「本溪一家药企财务总监。」「锦州做海鲜加工的，」「盘锦卖大米的，」「我们是
 * 大连一家做外贸的，」): where it is, what it does, who is writing. It names nothing the question asks about.
 */
const INTRODUCTION =
  /^(?:(?:我|我们|俺|俺们|咱|咱们)(?:是|这边是|这儿是)?)?(?:[\u4e00-\u9fff]{2,4}?(?:市|县|区|这边|那边)?)?(?:一家|一个|做|搞|卖|跑|开|干|种|养)[^，。；！？?!]{0,14}?(?:的|总监|老板|会计|财务|员工|负责人|经理|公司|厂|店|初创|企业)$/;

/** The clauses of a message in which the asker introduces itself (see INTRODUCTION), joined; '' when none. */
export function introductions(asked: string): string {
  return asked
    .split(CLAUSE_END)
    .filter((c) => {
      const bare = c.replace(/[，,。；;！!？?\s]+$/, '');
      return bare.length > 0 && bare.length <= 20 && !asks(c) && INTRODUCTION.test(bare);
    })
    .join('');
}
