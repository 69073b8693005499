/**
 * The model reads questions too. With a model configured, it reads each
 * question into the same parts the offline reader does — the subjects, the
 * asked types, the user's facts — as structured output. Nothing it says is
 * taken on trust: a subject must be one of the gazetteer's, a type one of the
 * asked-type lexicon's, a fact one of the rule vocabulary's and stated in the
 * question's own words (the 「中型」 of a size, the month of a due date, the
 * figure of an amount). The offline reader is the fallback when the model
 * fails, and the tie-breaker: where both read a fact, the offline reading
 * stands, so a fact the model alone reads only fills a gap, and the answer
 * says it was read that way.
 */
import { z } from 'zod';
import { parseChineseInteger } from '../rules/numbers.ts';
import type { EnterpriseSize, Facts, LoanKind } from '../rules/facts.ts';
import type { Frame } from '../understand/frame.ts';

export const modelFrameSchema = z.object({
  subjects: z.array(z.string()).describe('问题所问的主体编号，只能从给出的主体列表中选；没有明确主体则为空数组'),
  asked: z.array(z.string()).describe('问题所问的信息类型，只能从给出的类型列表中选'),
  facts: z
    .object({
      size: z.enum(['micro_small', 'medium', 'large']).nullable().describe('提问企业自己的规模：小微 micro_small、中型 medium、大型 large；没说则为 null'),
      loanKind: z.enum(['working_capital', 'fixed_asset']).nullable().describe('提问企业的贷款种类：流动资金贷款 working_capital、固定资产贷款 fixed_asset；没说则为 null'),
      dueDate: z.string().nullable().describe('提问企业的贷款到期日，YYYY-MM-DD；只说到月则取该月最后一天；没说则为 null'),
      guaranteeAmountYuan: z.number().nullable().describe('担保金额（元）；没说则为 null'),
      guaranteeRatePercent: z.number().nullable().describe('担保费率（百分数，如 1 表示 1%）；没说则为 null'),
      region: z.string().nullable().describe('提问企业注册或所在的省市；没说则为 null'),
    })
    .describe('提问者自己企业的情况，只填问题里明确说出的；提到的别人的情况、举例的情况不填'),
});

export type ModelFrame = z.infer<typeof modelFrameSchema>;

/** What a question gives the model to read against: the subjects and types it may choose from, and the previous turn. */
export interface FrameInput {
  question: string;
  /** The previous turn's question or topic, for follow-ups. */
  context?: string;
  subjects: Array<{ id: string; name: string }>;
  types: Array<{ type: string; label: string }>;
  today: string;
}

/** The part of a model's reading that held up against the vocabularies and the question's words. */
export interface AcceptedReading {
  subjects: string[];
  asked: string[];
  facts: Facts;
  /** Each accepted fact as the answer states its assumption: 「企业规模：中型（问题中说“中型”）」. */
  assumptions: string[];
}

const SIZE_WORDS: Record<EnterpriseSize, { words: RegExp; label: string }> = {
  micro_small: { words: /小微|小型|微型|小企业|小厂|小公司|个体/, label: '小微企业' },
  medium: { words: /中型|中等/, label: '中型企业' },
  large: { words: /大型|大企业/, label: '大型企业' },
};
const LOAN_WORDS: Record<LoanKind, { words: RegExp; label: string }> = {
  working_capital: { words: /流贷|流动资金/, label: '流动资金贷款' },
  fixed_asset: { words: /固定资产|固贷/, label: '固定资产贷款' },
};

/** The numbers a question writes, in digits or Chinese numerals (三百万 → 3000000, 1.2 → 1.2). */
function numbersIn(text: string): number[] {
  const folded = text.normalize('NFKC').replace(/(\d),(?=\d{3})/g, '$1');
  const digits = [...folded.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const words = [...folded.matchAll(/[零〇一二两三四五六七八九十百千万亿]+/g)].map((m) => parseChineseInteger(m[0])).filter(Number.isFinite);
  return [...digits, ...words];
}

/**
 * Keeps what the model read that is one of the known subjects and types, and each fact the question's own words
 * state; drops the rest.
 */
export function acceptModelReading(reading: ModelFrame, input: FrameInput): AcceptedReading {
  const ids = new Set(input.subjects.map((s) => s.id));
  const types = new Set(input.types.map((t) => t.type));
  const q = input.question.normalize('NFKC');
  const numbers = numbersIn(q);
  const facts: Facts = {};
  const assumptions: string[] = [];
  const f = reading.facts;
  if (f.size && SIZE_WORDS[f.size].words.test(q)) {
    facts.size = f.size;
    assumptions.push(`企业规模：${SIZE_WORDS[f.size].label}`);
  }
  if (f.loanKind && LOAN_WORDS[f.loanKind].words.test(q)) {
    facts.loanKind = f.loanKind;
    assumptions.push(`贷款种类：${LOAN_WORDS[f.loanKind].label}`);
  }
  const due = f.dueDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(f.dueDate) : null;
  // The month the question names (「1月」「一月」) must be the due date's.
  if (due && new RegExp(`(?<![\\d])${Number(due[2])}月|${['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'][Number(due[2])]}月`).test(q)) {
    facts.dueDate = f.dueDate!;
    assumptions.push(`贷款到期日：${Number(due[1])}年${Number(due[2])}月${Number(due[3])}日`);
  }
  if (f.guaranteeAmountYuan && f.guaranteeAmountYuan > 0 && [1, 1e4, 1e8].some((unit) => numbers.includes(f.guaranteeAmountYuan! / unit))) {
    facts.guaranteeAmountYuan = f.guaranteeAmountYuan;
    assumptions.push(`担保金额：${f.guaranteeAmountYuan / 1e4}万元`);
  }
  if (f.guaranteeRatePercent !== null && f.guaranteeRatePercent > 0 && numbers.includes(f.guaranteeRatePercent) && /%|百分/.test(q)) {
    facts.guaranteeRatePercent = f.guaranteeRatePercent;
    assumptions.push(`担保费率：${f.guaranteeRatePercent}%`);
  }
  if (f.region && f.region.length >= 2 && q.includes(f.region.replace(/[省市]$/, ''))) {
    facts.region = f.region;
    assumptions.push(`所在地：${f.region}`);
  }
  return {
    subjects: [...new Set(reading.subjects.filter((id) => ids.has(id)))],
    asked: [...new Set(reading.asked.filter((t) => types.has(t)))],
    facts,
    assumptions,
  };
}

/**
 * The offline frame with the model's reading where the offline reader found nothing: subjects when it named
 * none (and inherited none), asked types when it read none. What the offline reader read stands.
 */
export function withModelReading(offline: Frame, accepted: AcceptedReading): Frame {
  let frame = offline;
  if (offline.named.length === 0 && !offline.subjectInherited && accepted.subjects.length > 0) {
    frame = { ...frame, named: accepted.subjects, subjects: accepted.subjects };
  }
  if (offline.asked.length === 0 && !offline.typesInherited && accepted.asked.length > 0) {
    frame = { ...frame, asked: accepted.asked as Frame['asked'], types: accepted.asked as Frame['types'] };
  }
  return frame;
}

/** The model's facts that fill a gap: those the offline reader did not read from the question (it breaks every tie). */
export function factsFillingGaps(accepted: Facts, offline: Facts): Facts {
  const filled: Facts = {};
  for (const [key, value] of Object.entries(accepted)) {
    if ((offline as Record<string, unknown>)[key] === undefined) (filled as Record<string, unknown>)[key] = value;
  }
  return filled;
}
