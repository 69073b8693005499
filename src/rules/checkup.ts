import type { Citation } from '../corpus/quotes.ts';
import { CitationList, type GroundedStatement, type RuleEngine, type TopicResult } from './engine.ts';
import { describeFact, mergeFacts, type Facts } from './facts.ts';
import { formatPercent, formatYuan } from './numbers.ts';
import { profileFacts, type Profile } from './profile.ts';

export interface CheckupDecision {
  /** Which loan or guarantee the decision is about. */
  subject: string;
  outcome: TopicResult['outcome'];
  /** The decision and what follows, with [n] markers. */
  text: string;
  missing: string[];
}

export interface CheckupMeasure {
  number: number;
  title: string;
  applies: 'yes' | 'no' | 'unknown';
  forBanks: boolean;
  /** Why the measure applies (or the decision, for 续贷/担保费补贴/信用修复), with [n] markers. */
  why: string[];
  decisions: CheckupDecision[];
  /** What to do first, and where. */
  firstStep?: string;
  steps: string[];
  targets: string[];
  missing: string[];
}

export interface CheckupReport {
  facts: Facts;
  measures: CheckupMeasure[];
  missing: string[];
  citations: Citation[];
}

/**
 * The policy check-up: every measure with whether it applies to the profile,
 * why, the decision for each loan and guarantee the profile lists, what to do
 * first and where, and the facts still missing, all cited from one list.
 */
export function runCheckup(engine: RuleEngine, profile: Profile, today: string): CheckupReport {
  const facts = profileFacts(profile, today);
  const list = new CitationList();
  const allMissing = new Set<string>();
  const measures = engine.checkup(facts).map((item): CheckupMeasure => {
    const decisions: CheckupDecision[] = [];
    // For a rules topic without a fixed procedure (续贷、担保费补贴), the steps are what an eligible decision says to do next.
    let nextSteps: GroundedStatement[] = [];
    if (item.topic && item.applies === 'yes') {
      for (const { subject, variant } of variantsFor(item.topic.topic, facts, profile)) {
        const result = engine.evaluate(item.topic.topic, variant);
        const text = result.statements.map((s) => list.cite(s)).join('');
        const missing = result.missing.slice(0, 1).map((m) => m.ask);
        missing.forEach((m) => allMissing.add(m));
        decisions.push({ subject, outcome: result.outcome, text, missing });
        if (result.outcome === 'eligible' && nextSteps.length === 0) nextSteps = result.statements.slice(1);
      }
    }
    const steps = (item.topic?.steps.length ? item.topic.steps : item.steps.length ? item.steps : nextSteps).map((s) => list.cite(s));
    const why = item.why ? [list.cite(item.why)] : [];
    const missing = [...new Set(decisions.flatMap((d) => d.missing))];
    return {
      number: item.number,
      title: item.title,
      applies: item.applies,
      forBanks: item.forBanks,
      why,
      decisions,
      firstStep: steps[0],
      steps,
      targets: item.targets.map((s) => list.cite(s)),
      missing,
    };
  });
  return { facts, measures, missing: [...allMissing], citations: list.citations };
}

/** One fact set per loan (续贷) or guarantee (担保费补贴) the profile lists; the profile's own facts otherwise. */
function variantsFor(topic: string, facts: Facts, profile: Profile): Array<{ subject: string; variant: Facts }> {
  if (topic === 'renewal' && profile.loans && profile.loans.length > 0) {
    return profile.loans.map((loan, i) => {
      const variant = mergeFacts(facts, {
        loanKind: loan.kind === 'working_capital' || loan.kind === 'fixed_asset' ? loan.kind : undefined,
        dueDate: loan.dueDate,
        dueDatePrecision: loan.dueDate ? 'day' : undefined,
      });
      if (loan.kind === 'other') delete variant.loanKind;
      const parts = [variant.loanKind ? describeFact('loanKind', variant) : null, loan.dueDate ? `${describeFact('dueDate', variant)}到期` : null];
      return { subject: `贷款${i + 1}${parts.some(Boolean) ? `（${parts.filter(Boolean).join('，')}）` : ''}`, variant };
    });
  }
  if (topic === 'guarantee_subsidy' && profile.guarantees && profile.guarantees.length > 0) {
    return profile.guarantees.map((g, i) => {
      const variant = mergeFacts(facts, { guaranteeAmountYuan: g.amountYuan, guaranteeRatePercent: g.ratePercent });
      const parts = [g.amountYuan ? formatYuan(g.amountYuan) : null, g.ratePercent !== undefined ? `费率${formatPercent(g.ratePercent)}` : null];
      return { subject: `担保${i + 1}${parts.some(Boolean) ? `（${parts.filter(Boolean).join('，')}）` : ''}`, variant };
    });
  }
  return [{ subject: '本企业', variant: facts }];
}
