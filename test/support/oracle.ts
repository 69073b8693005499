/**
 * An oracle for the rules, written straight from the source sentences and independent of the engine (it imports
 * nothing from src/): what the documents say the outcome is for a case whose facts are known exactly. The metamorphic
 * tests phrase the same case in many ways and hold the service's answer to this.
 *
 * 《若干举措》三、用好无还本续贷政策：
 *   「全面落实无还本续贷政策，鼓励银行机构根据小微民营企业申请，提前开展贷款调查和评审。」
 *   「推动无还本续贷政策适用对象扩展至中型企业，对2027年9月30日前到期的中型民营企业流动资金贷款比照小微企业续贷相关要求提供续贷支持。」
 *   （操作指南）「如有续贷需要，可提前1个月……及时向贷款银行提出无还本续贷需求。」
 * 《若干举措》九、发挥担保增信保障作用（操作指南）：
 *   「目前，对单户500万元以下且担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴……」
 * 《“点数成金”申报指南》二、申报条件：
 *   「申报主体持续经营满两年」（申报时间 2026年2月10日-4月10日）、「单个项目联合申报单位数量不超过3家」、
 *   「所申报案例应为在用且落地应用于广东」、「所申报案例须在2025年底前实施应用」
 */

export type Size = 'micro_small' | 'medium' | 'large';
export type LoanKind = 'working_capital' | 'fixed_asset';

export interface RenewalCase {
  size?: Size;
  loanKind?: LoanKind;
  /** YYYY-MM-DD */
  due?: string;
}

export interface Expected {
  outcome: 'eligible' | 'not_eligible' | 'need_info';
  applyBy?: string;
  subsidyYuan?: number;
}

export function renewalOracle(c: RenewalCase): Expected {
  if (c.size === 'micro_small') return { outcome: 'eligible', ...(c.due ? { applyBy: oneMonthEarlier(c.due) } : {}) };
  if (c.size === 'large') return { outcome: 'not_eligible' };
  if (c.size === 'medium') {
    if (c.loanKind === 'fixed_asset') return { outcome: 'not_eligible' };
    if (c.loanKind === 'working_capital' && c.due) {
      // 「2027年9月30日前到期」 read as due on or before that day.
      return c.due <= '2027-09-30' ? { outcome: 'eligible', applyBy: oneMonthEarlier(c.due) } : { outcome: 'not_eligible' };
    }
    if (c.due && c.due > '2027-09-30') return { outcome: 'not_eligible' };
  }
  return { outcome: 'need_info' };
}

export interface GuaranteeCase {
  amountYuan?: number;
  ratePercent?: number;
  /** What the asker says of the province's re-guarantee scope: within, outside, or that it does not know; unstated when undefined. */
  reguarantee?: 'in' | 'out' | 'doubt';
}

/**
 * 「对单户500万元以下且担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴」, and the measure's 「对纳入全省再担保业务范围的
 * 融资担保业务给予风险补偿和保费补贴」: a guarantee said to be outside that scope gets none; one whose asker does not know
 * whether it is within cannot be told it qualifies.
 */
export function guaranteeOracle(c: GuaranteeCase): Expected {
  const amountOk = c.amountYuan === undefined ? undefined : c.amountYuan <= 5_000_000;
  const rateOk = c.ratePercent === undefined ? undefined : c.ratePercent <= 1;
  if (amountOk === false || rateOk === false || c.reguarantee === 'out') return { outcome: 'not_eligible' };
  if (c.reguarantee === 'doubt') return { outcome: 'need_info' };
  if (amountOk && rateOk) return { outcome: 'eligible', subsidyYuan: Math.round(c.amountYuan! * 0.005 * 100) / 100 };
  return { outcome: 'need_info' };
}

export interface DianshuCase {
  foundedOn?: string;
  jointApplicants?: number;
  /** Whether the case is in use in 广东 (true / false), unstated when undefined. */
  inGuangdong?: boolean;
  implementedOn?: string;
}

/** 'no' when a stated fact fails a rule; otherwise nothing the stated facts rule out. */
export function dianshuOracle(c: DianshuCase): 'no' | 'not-no' {
  if (c.foundedOn !== undefined && c.foundedOn > '2024-02-10') return 'no';
  if (c.jointApplicants !== undefined && c.jointApplicants > 3) return 'no';
  if (c.inGuangdong === false) return 'no';
  if (c.implementedOn !== undefined && c.implementedOn > '2025-12-31') return 'no';
  return 'not-no';
}

/** The same day a month earlier, the last day of that month when it has no such day (3月31日 → 2月28日). */
export function oneMonthEarlier(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
