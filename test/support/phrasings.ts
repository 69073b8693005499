/**
 * Phrasings for the metamorphic tests: one case (its facts known exactly) said in many ways — sizes, loan kinds,
 * dates, amounts and rates in every spelling, clauses in any order, and distractors a careless reader takes for the
 * asker's own facts (a size heard of, a negated size, revenue and registered capital beside a guarantee, a place in a
 * name). The expected outcome comes from ./oracle.ts, never from the engine.
 */
import type { DianshuCase, GuaranteeCase, LoanKind, RenewalCase, Size } from './oracle.ts';

/** A small deterministic generator (mulberry32), so a failing phrasing can be found again by its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const shuffle = <T>(r: () => number, xs: T[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
function cnDay(d: number): string {
  if (d <= 10) return d === 10 ? '十' : CN[d];
  if (d < 20) return `十${CN[d - 10]}`;
  return `${CN[Math.floor(d / 10)]}十${d % 10 ? CN[d % 10] : ''}`;
}

/** A date as people type it, relative to today 2026-12-06 (明年 = 2027, 后年 = 2028). */
export function sayDate(r: () => number, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const monthEnd = new Date(Date.UTC(y, m, 0)).getUTCDate() === d;
  const rel = y === 2027 ? '明年' : y === 2028 ? '后年' : null;
  const forms = [
    `${y}年${m}月${d}日`,
    `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    `${y}/${m}/${d}`,
    `${y}.${m}.${d}`,
    `${y % 100}年${m}月${d}号`,
    ...(rel ? [`${rel}${m}月${d}号`, `${rel}${CN[m]}月${cnDay(d)}号`] : []),
    ...(monthEnd ? [`${y % 100}年${m}月底`, `${y}年${m}月底`, ...(rel ? [`${rel}${CN[m]}月底`] : [])] : []),
  ];
  return pick(r, forms);
}

const SIZE_WORDS: Record<Size, string[]> = {
  micro_small: ['小微企业', '小型企业', '微型企业', '小企业'],
  medium: ['中型企业', '中型的', '中型民营企业'],
  large: ['大型企业', '大型的'],
};
const OWN_SIZE = [(w: string) => `我们是${w}`, (w: string) => `俺们厂子算${w}`, (w: string) => `公司划型是${w}`, (w: string) => `我们属于${w}`];
const LOAN_WORDS: Record<LoanKind, string[]> = {
  working_capital: ['流动资金贷款', '流贷', '一笔流贷'],
  fixed_asset: ['固定资产贷款', '设备贷', '项目贷'],
};
const RENEWAL_ENDINGS = ['能办无还本续贷不？', '能不能不还本直接续上？', '无还本续贷能行不', '想办无还本续贷，中不中', '这笔能续贷吗？'];
const RENEWAL_DISTRACTORS: Array<(own?: Size) => string | null> = [
  (own) => (own && own !== 'micro_small' ? '听说小微企业续贷不卡到期时间' : null),
  (own) => (own && own !== 'micro_small' ? '我们不是小微企业' : null),
  () => '去年营收3亿',
  () => '注册资本五百万',
  () => '我们在鞍山',
  () => 'loan快到期了心里没底',
];

export interface Phrased<C> {
  text: string;
  facts: C;
  /** For a guarantee the asker gives only the loan's amount of: the answer must say it assumed the guarantee equals it. */
  assumes?: boolean;
}

const DUE_DATES = ['2027-09-30', '2027-09-29', '2027-10-01', '2027-08-15', '2027-11-30', '2028-01-31', '2027-03-31', '2026-12-20', '2027-12-31', '2027-06-20'];

export function renewalPhrasings(n: number, seed = 1): Array<Phrased<RenewalCase>> {
  const r = random(seed);
  const out: Array<Phrased<RenewalCase>> = [];
  for (let i = 0; i < n; i++) {
    const size = r() < 0.9 ? pick(r, ['micro_small', 'medium', 'medium', 'large'] as const) : undefined;
    const loanKind = r() < 0.85 ? pick(r, ['working_capital', 'working_capital', 'fixed_asset'] as const) : undefined;
    const due = r() < 0.9 ? pick(r, DUE_DATES) : undefined;
    const parts: string[] = [];
    if (size) parts.push(pick(r, OWN_SIZE)(pick(r, SIZE_WORDS[size])));
    const loan = loanKind ? pick(r, LOAN_WORDS[loanKind]) : '贷款';
    parts.push(due ? `${loan}${sayDate(r, due)}到期` : `有笔${loan}快到期了`);
    for (const d of shuffle(r, RENEWAL_DISTRACTORS).slice(0, Math.floor(r() * 3))) {
      const text = d(size);
      if (text) parts.splice(Math.floor(r() * (parts.length + 1)), 0, text);
    }
    out.push({ text: `${parts.join('，')}，${pick(r, RENEWAL_ENDINGS)}`, facts: { size, loanKind, due } });
  }
  return out;
}

const AMOUNTS: Array<[number, string[]]> = [
  [800_000, ['80万', '八十万']],
  [3_000_000, ['300万', '三百万', '300万元', '3,000,000元', '300w']],
  [5_000_000, ['500万', '五百万', '0.05亿', '500w']],
  [5_100_000, ['510万', '五百一十万']],
  [15_000_000, ['一千五百万', '1500万', '1.5千万', '1500w']],
  [200_000_000, ['两个亿', '2亿']],
];
const RATES: Array<[number, string[]]> = [
  [0.5, ['0.5%', '千分之五']],
  [0.8, ['0.8%', '百分之零点八', '千分之八', '0.8个点']],
  [1, ['1%', '1个点', '百分之一']],
  [1.2, ['1.2%', '百分之一点二', '1.2个点']],
];
const GUARANTEE_ENDINGS = ['能拿到担保费补贴不？', '省里的担保费补贴能享受吗', '能有补贴不', '这种能补贴吗？'];
const REGUARANTEE: Array<['in' | 'out' | 'doubt', string[]]> = [
  ['in', ['担保公司说纳入了省再担保', '这笔属于省再担保范围', '在省再担保体系里']],
  ['out', ['担保公司说这笔没纳入省再担保', '不在省再担保范围里', '这笔不属于再担保业务']],
  ['doubt', ['不知道算不算省再担保范围', '再担保那块不清楚', '也说不好纳没纳入省再担保']],
];
const GUARANTEE_DISTRACTORS = ['公司营收3亿', '注册资本八百万', '我们是小微企业', '我们在大连', '去年纳税两百来万'];

export function guaranteePhrasings(n: number, seed = 2): Array<Phrased<GuaranteeCase>> {
  const r = random(seed);
  const out: Array<Phrased<GuaranteeCase>> = [];
  for (let i = 0; i < n; i++) {
    const amount = r() < 0.9 ? pick(r, AMOUNTS) : undefined;
    const rate = r() < 0.9 ? pick(r, RATES) : undefined;
    // Now and then the asker gives the loan's amount and says it is guaranteed, without the guarantee's own amount.
    const viaLoan = amount !== undefined && r() < 0.15;
    const parts: string[] = [];
    if (amount) {
      const said = pick(r, amount[1]);
      parts.push(viaLoan ? `贷款${said}，担保公司给做的担保` : pick(r, [`担保公司给我们担保了${said}`, `${said}的担保`, `担保额${said}`]));
    } else parts.push('担保公司给我们做了担保');
    // Now and then the rate is given as the year's fee, to be divided by the amount guaranteed.
    const asFee = rate !== undefined && amount !== undefined && !viaLoan && amount[0] <= 15_000_000 && r() < 0.15;
    if (asFee) parts.push(`一年收担保费${(amount![0] * rate![0]) / 100 / 10_000}万`);
    else if (rate) parts.push(pick(r, [`费率${pick(r, rate[1])}`, `担保费率${pick(r, rate[1])}`, `收费${pick(r, rate[1])}`]));
    // Now and then the asker says whether the guarantee is within the province's re-guarantee scope, or that it does not know.
    const reguarantee = r() < 0.25 ? pick(r, REGUARANTEE) : undefined;
    if (reguarantee) parts.push(pick(r, reguarantee[1]));
    for (const d of shuffle(r, GUARANTEE_DISTRACTORS).slice(0, Math.floor(r() * 3))) parts.splice(Math.floor(r() * (parts.length + 1)), 0, d);
    out.push({
      text: `${parts.join('，')}，${pick(r, GUARANTEE_ENDINGS)}`,
      facts: { amountYuan: amount?.[0], ratePercent: rate?.[0], ...(reguarantee ? { reguarantee: reguarantee[0] } : {}) },
      ...(viaLoan ? { assumes: true } : {}),
    });
  }
  return out;
}

const FOUNDED: Array<[string | undefined, string[]]> = [
  ['2024-02-10', ['2024年2月10日成立', '成立于2024年2月10日']],
  ['2024-02-11', ['2024年2月11日成立的', '成立于2024年2月11日']],
  ['2020-06-01', ['2020年6月成立', '成立于2020年6月']],
  ['2025-01-01', ['2025年1月1日成立', '2025年1月成立的']],
  // A year alone that straddles the line decides nothing.
  [undefined, ['2024年成立的']],
];
const JOINT: Array<[number, string[]]> = [
  [2, ['联合2家单位一起申报', '两家单位联合申报']],
  [3, ['联合3家单位一起申报', '三家单位联合申报', '拉了3家一起报']],
  [4, ['联合4家单位一起申报', '四家单位联合申报']],
  [5, ['五家单位联合申报', '拉了5家一起报']],
];
const PLACES: Array<[boolean, string[]]> = [
  [true, ['案例在深圳落地', '已在广州上线应用', '案例落地在佛山']],
  [false, ['案例只在沈阳落地', '没在广东落地，在上海用着', '案例不在广东，在杭州落地']],
];
const IMPLEMENTED: Array<[string, string[]]> = [
  ['2025-12-01', ['2025年12月上线', '2025年12月投产']],
  ['2025-03-01', ['2025年3月上线']],
  ['2026-01-01', ['2026年1月上线', '2026年1月才投产']],
];
const DIANSHU_ENDINGS = ['能报点数成金不？', '点数成金够条件不', '想报点数成金，行不行', '广州那个点数成金能报吗'];

export function dianshuPhrasings(n: number, seed = 3): Array<Phrased<DianshuCase>> {
  const r = random(seed);
  const out: Array<Phrased<DianshuCase>> = [];
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    const facts: DianshuCase = {};
    if (r() < 0.6) {
      const [date, forms] = pick(r, FOUNDED);
      facts.foundedOn = date;
      parts.push(`公司${pick(r, forms)}`);
    }
    if (r() < 0.5) {
      const [count, forms] = pick(r, JOINT);
      facts.jointApplicants = count;
      parts.push(pick(r, forms));
    }
    if (r() < 0.5) {
      const [inGd, forms] = pick(r, PLACES);
      facts.inGuangdong = inGd;
      parts.push(pick(r, forms));
    }
    if (r() < 0.4) {
      const [date, forms] = pick(r, IMPLEMENTED);
      facts.implementedOn = date;
      parts.push(`项目${pick(r, forms)}`);
    }
    if (parts.length === 0) continue;
    out.push({ text: `我们是一家金融科技公司，${shuffle(r, parts).join('，')}，${pick(r, DIANSHU_ENDINGS)}`, facts });
  }
  return out;
}
