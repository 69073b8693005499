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
  /** Further sets of scores the question gives, one per case (「A案例…，B案例…」), each with its total. */
  others?: Array<{ parts: Array<{ name: string; weight: number; score: number }>; total: number }>;
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

  /**
   * `earlier` is what the conversation said before, for a follow-up that changes one score (「那专家评审要是只有75呢」):
   * a part the question gives no score for keeps the one said there.
   */
  compute(question: string, docIds: string[], earlier?: string): ScoreFinding | null {
    const campaign = this.campaigns.find((c) => docIds.includes(c.docId) && c.scoring?.parts?.length);
    const parts = campaign?.scoring?.parts;
    if (!campaign || !parts) return null;
    const text = question.replace(/\s+/g, '');
    const scores: Record<string, number> = {};
    const taken: Array<[number, number]> = [];
    let missing: typeof parts = [];
    // (The target total is read first, so that its figure is no part's score.)
    const target = TARGET.exec(text);
    if (target) taken.push([target.index, target.index + target[0].length]);
    Object.assign(scores, scoreRound(text, parts, taken, earlier ? BARE_SCORE : SCORE));
    missing = parts.filter((p) => scores[p.name] === undefined);
    if (missing.length && missing.length < parts.length && earlier && !target) {
      const before = earlier.replace(/\s+/g, '');
      const said = lastScores(before, parts, TARGET.exec(before));
      for (const part of missing) if (said[part.name] !== undefined) scores[part.name] = said[part.name];
      missing = missing.filter((p) => scores[p.name] === undefined);
    }
    // 「A案例网络投票95分、专家80分，B案例投票70分、专家92分」: a second full set of scores is a second case.
    const more: Array<Record<string, number>> = [];
    for (let round = 0; round < 4 && !missing.length && !target; round++) {
      const next = scoreRound(text, parts, taken);
      if (Object.keys(next).length !== parts.length) break;
      more.push(next);
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
    const totalOf = (given: Record<string, number>) => computeAll({ total: { weighted: parts.map((p) => ({ fact: p.name, weight: p.weight })) } }, (name) => given[name]).total;
    const total = totalOf(scores);
    if (typeof total !== 'number') return null;
    const others = more.map((given) => ({ parts: parts.map((p) => ({ name: p.name, weight: p.weight, score: given[p.name] })), total: totalOf(given) }));
    return {
      campaignId: campaign.id,
      parts: parts.map((p) => ({ name: p.name, weight: p.weight, score: scores[p.name] })),
      total,
      quote: campaign.quote(campaign.scoring!.quote),
      ...(others.length && others.every((o) => typeof o.total === 'number') ? { others: others as Array<{ parts: ScoreFinding['parts']; total: number }> } : {}),
    };
  }
}

type ScoredParts = NonNullable<NonNullable<Campaign['scoring']>['parts']>;

/** One score for each part the text gives one for, each the first not yet taken (and then taken). */
function scoreRound(text: string, parts: ScoredParts, taken: Array<[number, number]>, pattern = SCORE): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const part of parts) {
    const score = scoreAfter(text, part.words, taken, pattern);
    if (score !== undefined) scores[part.name] = score;
  }
  return scores;
}

/** The scores a text last gave each part (what a follow-up that changes one keeps of the others). */
function lastScores(text: string, parts: ScoredParts, target: RegExpExecArray | null): Record<string, number> {
  const said: Record<string, number> = {};
  const taken: Array<[number, number]> = target ? [[target.index, target.index + target[0].length]] : [];
  for (let round = 0; round < 4; round++) {
    const next = scoreRound(text, parts, taken);
    if (Object.keys(next).length === 0) break;
    Object.assign(said, next);
  }
  return said;
}

/** A total the question aims at (「想综合得分到85」「总分要上90」). */
const TARGET = new RegExp(`(?:综合|总分|总成绩|最终|总得分)(?:得分|分数|成绩|分)?(?:要|想|能|才能|才|就能|能够|可以|才可以)?(?:到|达到|上|过|拿到|(?:整|弄|冲|做|搞|提|拉|干)到)(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL}]+)分?`);

/**
 * A part's score: a figure in 分 within a few words of the part's name (「专家评审打了90分」), full marks (「拿了满分100」), or a
 * bare figure right after the name that ends its item (「A 专业评审 90、网络投票 40」).
 */
const SCORE = new RegExp(
  `^(?:[^，。；,;？?\\d${CHINESE_NUMERAL}]{0,14}?(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL}]+)\\s*分|[^，。；,;？?\\d]{0,24}?满分\\s*(100|一百)(?![\\d万票])|[^，。；,;？?\\d${CHINESE_NUMERAL}]{0,3}?(\\d+(?:\\.\\d+)?)(?=[、，,；;。？?]|$))`,
);
/** In a follow-up that changes a score said before, the figure alone will do (「那专家评审要是只有75呢」). */
const BARE_SCORE = new RegExp(`^[^，。；,;？?\\d${CHINESE_NUMERAL}]{0,14}?(\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL}]+)\\s*(?:分|(?=[呢吗吧的了，,。？?]|$))`);

/** The score said right after one of a part's words (「专家评审打了90分」「网络投票折算下来八十分」), not one already taken. */
function scoreAfter(text: string, words: string[], taken: Array<[number, number]>, pattern = SCORE): number | undefined {
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      if (taken.some(([a, b]) => at >= a && at < b)) continue;
      const m = pattern.exec(text.slice(at + word.length));
      if (!m) continue;
      // (Nor a figure inside what is already taken: 「专家评审至少得多少分综合才能到80」 — 80 is the target total's.)
      const from = at + word.length;
      if (taken.some(([a, b]) => from < b && from + m[0].length > a)) continue;
      const value = parseNumber(m[1] ?? m[2] ?? m[3]);
      if (!Number.isFinite(value) || value > 100) continue;
      taken.push([at, at + word.length + m[0].length]);
      return value;
    }
  }
  return undefined;
}
