import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/corpus/corpus.ts';
import { ApplicationChecker, parseApplicationRules, type ApplicationDraft } from '../../src/match/application-check.ts';
import { checkRule, loadCatalogue } from '../../src/match/catalogue.ts';
import { TrackMatcher } from '../../src/match/matcher.ts';
import { computeAll, conditionSchema, evaluate, factsOf, missingFacts, unknownFacts, type Condition, type FactReader } from '../../src/rules/language.ts';
import { loadCorpus, readCorpusFile } from '../support/corpus.ts';

const reader =
  (facts: Record<string, unknown>): FactReader =>
  (name) =>
    facts[name] as ReturnType<FactReader>;

describe('the rule language', () => {
  const medium: Condition = {
    all: [
      { fact: 'size', is: 'medium' },
      { fact: 'loanKind', is: 'working_capital' },
      { fact: 'dueDate', onOrBefore: '2027-09-30' },
    ],
  };

  it('decides all / any / not three-valued: an unstated fact leaves a verdict open, never false', () => {
    expect(evaluate(medium, reader({ size: 'medium', loanKind: 'working_capital', dueDate: '2027-09-30' }))).toBe('pass');
    expect(evaluate(medium, reader({ size: 'medium', loanKind: 'working_capital', dueDate: '2027-10-01' }))).toBe('fail');
    expect(evaluate(medium, reader({ size: 'medium' }))).toBe('unknown');
    // One failing part decides all of them, whatever is still unknown.
    expect(evaluate(medium, reader({ size: 'large' }))).toBe('fail');
    const either: Condition = { any: [{ fact: 'listingPlan', is: true }, { fact: 'equityFinancing', is: true }] };
    expect(evaluate(either, reader({ equityFinancing: true }))).toBe('pass');
    expect(evaluate(either, reader({ listingPlan: false }))).toBe('unknown');
    expect(evaluate(either, reader({ listingPlan: false, equityFinancing: false }))).toBe('fail');
    expect(evaluate({ not: either }, reader({ listingPlan: false, equityFinancing: false }))).toBe('pass');
    expect(evaluate({ not: either }, reader({}))).toBe('unknown');
    // all of none always holds; its negation never does.
    expect(evaluate({ all: [] }, reader({}))).toBe('pass');
    expect(evaluate({ not: { all: [] } }, reader({}))).toBe('fail');
  });

  it('tests lists, sets, known-ness and another fact', () => {
    expect(evaluate({ fact: 'orgType', in: ['bank', 'insurance'] }, reader({ orgType: 'bank' }))).toBe('pass');
    expect(evaluate({ fact: 'orgType', in: ['bank', 'insurance'] }, reader({ orgType: 'enterprise' }))).toBe('fail');
    expect(evaluate({ fact: 'caseRegions', includes: '广东' }, reader({ caseRegions: ['上海', '广东'] }))).toBe('pass');
    expect(evaluate({ fact: 'caseRegions', includes: '广东' }, reader({ caseRegions: [] }))).toBe('unknown');
    expect(evaluate({ fact: 'creditIssue', known: true }, reader({}))).toBe('fail');
    const tolerance: Condition = { fact: 'smallNpl', lte: { fact: 'cap' } };
    expect(evaluate(tolerance, reader({ smallNpl: 4.5, cap: 5 }))).toBe('pass');
    expect(evaluate(tolerance, reader({ smallNpl: 5.5, cap: 5 }))).toBe('fail');
    expect(evaluate(tolerance, reader({ smallNpl: 5.5 }))).toBe('unknown');
    expect(factsOf(tolerance)).toEqual(['smallNpl', 'cap']);
  });

  it('names the facts still missing, only where they could decide', () => {
    expect(missingFacts(medium, reader({ size: 'medium' }))).toEqual(['loanKind', 'dueDate']);
    expect(missingFacts(medium, reader({ size: 'large' }))).toEqual([]);
  });

  it('computes dates, amounts, percentage points and weighted totals, a later value from an earlier one', () => {
    const values = computeAll(
      {
        applyBy: { monthsBefore: { fact: 'dueDate', months: 1 } },
        since: { yearsBefore: { date: '2026-02-10', years: 2 } },
        subsidy: { multiply: { fact: 'amount', by: 0.005 } },
        fee: { percentOf: { fact: 'amount', percent: 'rate' } },
        cap: { plus: { fact: 'allNpl', add: 3 } },
        total: { weighted: [{ fact: 'vote', weight: 0.4 }, { fact: 'expert', weight: 0.6 }] },
        capPlus: { plus: { fact: 'cap', add: 1 } },
        repairedBy: { daysAfter: { fact: 'submittedOn', days: 3 } },
        yearEnd: { daysAfter: { fact: 'lateDecember', days: 6 } },
      },
      reader({ dueDate: '2027-03-31', amount: 3_000_000, rate: 0.6, allNpl: 1.8, vote: 80, expert: 90, submittedOn: '2026-12-07', lateDecember: '2026-12-28' }),
    );
    expect(values).toEqual({ applyBy: '2027-02-28', since: '2024-02-10', subsidy: 15000, fee: 18000, cap: 4.8, total: 86, capPlus: 5.8, repairedBy: '2026-12-10', yearEnd: '2027-01-03' });
    // A value whose facts are unstated is left out, not guessed.
    expect(computeAll({ total: { weighted: [{ fact: 'vote', weight: 0.4 }, { fact: 'expert', weight: 0.6 }] } }, reader({ vote: 80 }))).toEqual({});
  });

  it('parses what a file writes and reports facts outside the vocabulary', () => {
    const parsed = conditionSchema.parse({ any: [{ fact: 'size', is: 'medium' }, { not: { fact: 'sizee', is: 'large' } }] });
    expect(unknownFacts(parsed, new Set(['size']))).toEqual(['sizee']);
    expect(conditionSchema.safeParse({ fact: 'size', bigger: 3 }).success).toBe(false);
    expect(conditionSchema.safeParse({ fact: 'dueDate', onOrBefore: '2027/09/30' }).success).toBe(false);
  });
});

describe('one rule, read by the recommendation, the chat and the application form', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus();
  });
  const campaignFile = () => JSON.parse(readCorpusFile('campaigns/dianshu-chengjin.json'));
  const form = () => parseApplicationRules(readCorpusFile('campaigns/dianshu-application.json'));
  const draft = (jointApplicants: string[]): ApplicationDraft => ({ fields: {}, sections: {}, applicant: { jointApplicants } });
  const jointFindings = (checker: ApplicationChecker, n: number) =>
    checker.check(draft(['甲', '乙', '丙', '丁'].slice(0, n))).findings.filter((f) => f.field === '联合申报单位');

  it('a threshold changed in the catalogue changes the form check and the recommendation alike', () => {
    const as = (file: object) => loadCatalogue(corpus, { 'dianshu-chengjin.json': JSON.stringify(file) }).campaigns[0];
    const stock = as(campaignFile());
    const edited = campaignFile();
    edited.rules.find((r: { id: string }) => r.id === 'dscj-joint-max3').when.lte = 2;
    const tightened = as(edited);

    expect(jointFindings(new ApplicationChecker(corpus, form(), stock), 3)).toEqual([]);
    const [finding] = jointFindings(new ApplicationChecker(corpus, form(), tightened), 3);
    expect(finding).toMatchObject({ kind: 'ineligible', limit: 2, count: 3, message: '联合申报单位共3家，超过2家的上限。' });

    const joint = (c: typeof stock) => checkRule(c, c.rules.find((r) => r.id === 'dscj-joint-max3')!, { jointApplicants: 3 });
    expect(joint(stock)).toBe('pass');
    expect(joint(tightened)).toBe('fail');
    const description = '广州的一家城商行，联合3家单位一起申报点数成金，2024年上线了大模型风控平台，已在深圳落地。';
    const recommended = (c: typeof stock) => new TrackMatcher([c], () => '2026-01-10').match(description).recommendations[0];
    expect(recommended(stock).failedRules.map((f) => f.id)).not.toContain('dscj-joint-max3');
    expect(recommended(tightened).failedRules.map((f) => f.id)).toContain('dscj-joint-max3');
  });

  it('a date rule follows the window it is computed from', () => {
    const edited = campaignFile();
    edited.window.opens = '2027-02-10';
    const later = loadCatalogue(corpus, { 'dianshu-chengjin.json': JSON.stringify(edited) }).campaigns[0];
    expect(later.values.operatingSince).toBe('2025-02-10');
    const founded = (c: typeof later) => checkRule(c, c.rules.find((r) => r.id === 'dscj-operating-2y')!, { foundedOn: '2024-06-01' });
    expect(founded(later)).toBe('pass');
    const stock = loadCatalogue(corpus, { 'dianshu-chengjin.json': readCorpusFile('campaigns/dianshu-chengjin.json') }).campaigns[0];
    expect(founded(stock)).toBe('fail');
  });

  it('a campaign whose quote is no longer verbatim, or whose rule names an unknown fact, is left out and reported', () => {
    const tampered = readCorpusFile('campaigns/dianshu-chengjin.json').replace('单个项目联合申报单位数量不超过3家', '单个项目联合申报单位数量不超过5家');
    const load = loadCatalogue(corpus, { 'dianshu-chengjin.json': tampered, 'jinrong-xingliao.json': readCorpusFile('campaigns/jinrong-xingliao.json') });
    expect(load.campaigns.map((c) => c.id)).toEqual(['jinrong-xingliao-2025']);
    expect(load.problems.join()).toMatch(/dianshu-chengjin\.json: .*不超过5家/);
    const typo = campaignFile();
    typo.rules[0].when = { fact: 'foundedAt', onOrBefore: '2024-02-10' };
    const bad = loadCatalogue(corpus, { 'dianshu-chengjin.json': JSON.stringify(typo) });
    expect(bad.campaigns).toEqual([]);
    expect(bad.problems.join()).toContain('unknown fact "foundedAt"');
  });

  it('the form refuses a rule id the catalogue does not have', () => {
    const stock = loadCatalogue(corpus, { 'dianshu-chengjin.json': readCorpusFile('campaigns/dianshu-chengjin.json') }).campaigns[0];
    const rules = form();
    rules.eligibility.rules[0].rule = 'dscj-no-such-rule';
    expect(() => new ApplicationChecker(corpus, rules, stock)).toThrow(/unknown rule dscj-no-such-rule/);
  });
});
