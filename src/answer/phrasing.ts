import type { Asked } from '../understand/lexicons.ts';
import { askingClause } from '../text/asking.ts';
import type { OutsideScope } from '../understand/frame.ts';

/** Asked types as a decline names them (「原文没有写首贷中心的电话」). */
export const ASKED_LABELS: Record<Asked, string> = {
  email: '邮箱',
  phone: '电话',
  url: '网址',
  website: '网址或平台',
  address: '地址',
  place: '具体地点',
  hours: '办理或接听时间',
  date: '日期',
  period: '期限',
  organiser: '主办或负责单位',
  target: '适用对象',
  materials: '所需材料',
  format: '格式或字数要求',
  button: '要点的按钮',
  amount: '具体数额',
  list: '清单',
  steps: '办理步骤',
  yesno: '明确说法',
  purpose: '目的或依据',
  reason: '说明',
  overview: '概况',
  next: '下一步',
};

/**
 * The verdict a yes/no answer opens with, in the question's own terms:
 * 「能不能」→ 可以/不可以, 「是不是」→ 是/不是, 「有没有」→ 有/没有,
 * 「要不要」→ 需要/不需要, 「符不符合」→ 符合/不符合, 「够不够」→ 够/不够.
 */
export function verdictLead(whole: string, verdict: 'yes' | 'no'): string {
  const yes = verdict === 'yes';
  // In the asking clause's terms (「手里有仓单，能拿去融资吗」 asks 能…吗, not 有…吗).
  const question = askingClause(whole);
  // 「超没超」「超了没事吧」: whether the figure meets the limit comes first (a yes is that it does), then the question's terms.
  if (/超没超|超不超|超了吗|超了没|超出了吗|超[了出]?.{0,2}(?:没事|没关系|要紧|行吗|行不|行吧)/.test(question)) return yes ? '符合要求，没超。' : '不符合要求，超了。';
  if (/赶趟|来得及|来不来得及|赶得上|赶不赶得上/.test(question)) return yes ? '来得及。' : '不行，来不及了。';
  if (/有没有|有无|有.{0,12}吗|有.{0,12}[不没]$/.test(question)) return yes ? '有。' : '没有。';
  if (/符不符合|符合.{0,12}[吗么不]|合不合格|合格[吗么不]/.test(question)) return yes ? '符合。' : '不符合。';
  if (/够不够|够.{0,6}[吗么]$/.test(question)) return yes ? '够。' : '不够。';
  if (/收钱|收费|要钱|花钱/.test(question)) return yes ? '收费。' : '不收费。';
  if (/要不要|需不需要|需要.{0,12}吗|必须|得.{0,8}吗|要(?!求).{0,8}吗/.test(question)) return yes ? '需要。' : '不需要。';
  if (/能不能|能否|可不可以|可以|能.{0,16}[吗么不]|行不行|行不|行吗|行么|中不|好使/.test(question)) return yes ? '可以。' : '不可以。';
  if (/算不算|算.{0,12}吗/.test(question)) return yes ? '算。' : '不算。';
  return yes ? '是的。' : '不是。';
}

/** Why a question lies outside the documents, in the user's terms. */
export function outsideMessage(outside: OutsideScope): string {
  const base = '本服务只依据《辽宁省金融支持民营经济发展若干举措》及其操作指南和2025年四项金融案例征集活动的原文作答。';
  if (outside.kind === 'region') return `抱歉，${base}${outside.region}的政策不在这些文件之内，无法回答；这些文件中的举措是辽宁省的政策。`;
  if (outside.kind === 'programme') return `抱歉，${base}“${outside.marker}”不是这些文件中的活动，文件中没有它的规定，无法回答。`;
  if (outside.kind === 'personal') return `抱歉，${base}您问的是个人金融事务（${outside.marker}），这些文件针对的是企业融资，没有相关规定，无法回答。`;
  if (outside.kind === 'unrelated') return `抱歉，${base}您问的（${outside.marker}）属于税务、工商登记、社保、企业划型等事务，这些文件没有相关规定，无法回答，请向主管部门咨询。`;
  return `抱歉，${base}具体纠纷的法律问题（${outside.marker}）不在这些文件之内，无法提供法律意见。`;
}
