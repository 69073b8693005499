/** What kind of answer a question asks for, read from general question cues (not from any one wording). */
export interface Intent {
  /** 怎么办、如何申请、流程: answer as ordered steps. */
  procedure: boolean;
  /** 电话、网址、邮箱、地址: prefer sentences that carry contact details. */
  contact: boolean;
  /** 什么时候、截止、多久: dates and durations matter; date status is computed against today. */
  time: boolean;
  /** 目标、要达到: prefer 工作目标 sections. */
  target: boolean;
  /** 多少、几天、费率、额度: prefer sentences and clauses that state a figure. */
  quantity: boolean;
}

const PROCEDURE = /怎么|怎样|如何|咋|流程|步骤|程序|手续|办理|怎么办|途径|渠道|去哪|到哪|在哪.{0,4}(申请|办|提交)|操作|具体做法/;
const CONTACT = /电话|热线|联系|网址|网站|官网|邮箱|邮件|地址|在哪|哪里|哪儿|小程序|平台|app|二维码/i;
const TIME = /什么时候|何时|哪天|哪几天|几月|截止|截至|期限|时间|日期|多久|几天|多长|还能|来得及|窗口|过期|开始|结束|最晚|最早|哪年|哪一年/;
const TARGET = /目标|达到|多少户|规模|力争|计划/;
const QUANTITY = /标准是|什么标准|怎么算|如何计算|计算|名额|数量|多少|几[天个月年家户种项条名]|多久|多长|多大|比例|费率|利率|额度|金额|上限|下限|最高|最低|最多|最少|最快|权重|占比|字数|几成|百分之/;

export function detectIntent(question: string): Intent {
  return {
    procedure: PROCEDURE.test(question) && !/怎么算|如何计算|怎么计算/.test(question),
    contact: CONTACT.test(question),
    time: TIME.test(question),
    target: TARGET.test(question),
    quantity: QUANTITY.test(question),
  };
}

const CONTACT_DETAIL = /https?:\/\/|\d{3,4}[—-]?\d{7,8}|1\d{10}|@|号|路|邮箱|电话/;

/** A figure the sentence states; an enumeration mark such as （1） or 2. is not one. */
export function statesFigure(text: string): boolean {
  return /\d/.test(text.replace(/[（(]\d{1,2}[）)]|^\s*\d{1,2}[.．、]/g, ''));
}

export function statesDate(text: string): boolean {
  return /\d{4}年|\d{1,2}月\d{1,2}日|\d{1,2}月(?:底|前)?|\d{4}-\d{1,2}-\d{1,2}|\d+个?(?:工作日|天|月)/.test(text);
}

export function carriesContactDetail(sentence: string): boolean {
  return CONTACT_DETAIL.test(sentence);
}

/** Follow-up questions lean on the previous turn: 「那中型企业呢？」「如果是300万呢」. */
export function looksLikeFollowUp(question: string, contentTerms: number): boolean {
  const q = question.trim();
  if (/^(那|那么|那如果|如果|假如|要是|还有|另外|再问|换成|改成|同样|这个|那个|它|他们)/.test(q)) return true;
  if (/呢[？?。!！]*$/.test(q) && q.length <= 20) return true;
  return contentTerms <= 1 && q.length <= 12;
}
