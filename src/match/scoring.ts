import type { Quote } from '../corpus/quotes.ts';
import { computeAll } from '../rules/language.ts';
import { CHINESE_NUMERAL, parseNumber } from '../rules/numbers.ts';
import type { Campaign } from './catalogue.ts';

/** A weighted total computed from the scores a question gives, by the weights the campaign's document states. */
export interface ScoreFinding {
  campaignId: string;
  parts: Array<{ name: string; weight: number; score: number }>;
  total: number;
  quote: Quote;
  /** When the question gives a target total and every part's score but one: the score that part needs (over 100: out of reach). */
  needed?: { name: string; weight: number; score: number; target: number };
}

/**
 * 「网络投票折算下来八十分，专家评审打了90分，综合得多少」: the scores a question gives for each part of a campaign's
 * weighted scoring (网络投票 40%、专家评审 60% for 金融兴辽; 专业评审 95%、网络投票 5% for 点数成金), totalled with
 * the rule language's weighted sum. Null unless the question gives a score for every part.
 */
export class ScoreCalculator {
  constructor(private readonly campaigns: Campaign[]) {}

  compute(question: string, docIds: string[]): ScoreFinding | null {
    const campaign = this.campaigns.find((c) => docIds.includes(c.docId) && c.scoring?.parts?.length);
    const parts = campaign?.scoring?.parts;
    if (!campaign || !parts) return null;
    const text = question.replace(/\s+/g, '');
    const scores: Record<string, number> = {};
    const taken: Array<[number, number]> = [];
    const missing: typeof parts = [];
    // (The target total is read first, so that its figure is no part's score.)
    const target = TARGET.exec(text);
    if (target) taken.push([target.index, target.index + target[0].length]);
    for (const part of parts) {
      const score = scoreAfter(text, part.words, taken);
      if (score === undefined) missing.push(part);
      else scores[part.name] = score;
    }
    // 「网络投票估计也就70分，想综合得分到85的话专家评审得打多少分」: one part unknown, the total given — that part's need.
    if (missing.length === 1 && target && parts.length > 1) {
      const goal = parseNumber(target[1]);
      const [part] = missing;
      const known = parts.filter((p) => p !== part).reduce((sum, p) => sum + scores[p.name] * p.weight, 0);
      const need = Math.round(((goal - known) / part.weight) * 100) / 100;
      if (!Number.isFinite(need) || goal > 100) return null;
      return {
        campaignId: campaign.id,
        parts: parts.filter((p) => p !== part).map((p) => ({ name: p.name, weight: p.weight, score: scores[p.name] })),
        total: goal,
        quote: campaign.quote(campaign.scoring!.quote),
        needed: { name: part.name, weight: part.weight, score: need, target: goal },
      };
    }
    if (missing.length) return null;
    const total = computeAll({ total: { weighted: parts.map((p) => ({ fact: p.name, weight: p.weight })) } }, (name) => scores[name]).total;
    if (typeof total !== 'number') return null;
    return {
      campaignId: campaign.id,
      parts: parts.map((p) => ({ name: p.name, weight: p.weight, score: scores[p.name] })),
      total,
      quote: campaign.quote(campaign.scoring!.quote),
    };
  }
}

/** A total the question aims at (「想综合得分到85」「总分要上90」). */
const TARGET = new RegExp(`(?:综合|总分|总成绩|最终|总得分)(?:得分|分数|成绩)?(?:要|想)?(?:到|达到|上|过|拿到)(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL}]+)分?`);

const SCORE = new RegExp(`^[^，。；,;？?\\d${CHINESE_NUMERAL}]{0,14}?(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL}]+)\\s*分`);

/** The score said right after one of a part's words (「专家评审打了90分」「网络投票折算下来八十分」), not one already taken. */
function scoreAfter(text: string, words: string[], taken: Array<[number, number]>): number | undefined {
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      if (taken.some(([a, b]) => at >= a && at < b)) continue;
      const m = SCORE.exec(text.slice(at + word.length));
      if (!m) continue;
      const value = parseNumber(m[1]);
      if (!Number.isFinite(value) || value > 100) continue;
      taken.push([at, at + word.length + m[0].length]);
      return value;
    }
  }
  return undefined;
}
