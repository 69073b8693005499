import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessClient } from '../../src/evals/client.ts';
import { startTestService, type TestService } from '../support/app.ts';
import { sweep } from '../support/metamorphic.ts';
import { dianshuOracle, guaranteeOracle, oneMonthEarlier, renewalOracle } from '../support/oracle.ts';
import { renewalPhrasings } from '../support/phrasings.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ TODAY: '2026-12-06', ANSWER_CACHE_SIZE: '0' });
});
afterAll(() => t.close());

describe('the oracle (written from the source sentences, apart from the engine)', () => {
  it('reads the boundaries as the documents state them', () => {
    expect(renewalOracle({ size: 'medium', loanKind: 'working_capital', due: '2027-09-30' })).toEqual({ outcome: 'eligible', applyBy: '2027-08-30' });
    expect(renewalOracle({ size: 'medium', loanKind: 'working_capital', due: '2027-10-01' }).outcome).toBe('not_eligible');
    expect(renewalOracle({ size: 'medium' }).outcome).toBe('need_info');
    expect(guaranteeOracle({ amountYuan: 5_000_000, ratePercent: 1 })).toEqual({ outcome: 'eligible', subsidyYuan: 25_000 });
    expect(guaranteeOracle({ amountYuan: 5_100_000 }).outcome).toBe('not_eligible');
    expect(guaranteeOracle({ amountYuan: 3_000_000, ratePercent: 0.8, reguarantee: 'out' }).outcome).toBe('not_eligible');
    expect(guaranteeOracle({ amountYuan: 3_000_000, ratePercent: 0.8, reguarantee: 'doubt' }).outcome).toBe('need_info');
    expect(guaranteeOracle({ amountYuan: 3_000_000, ratePercent: 0.8, reguarantee: 'in' }).outcome).toBe('eligible');
    expect(dianshuOracle({ foundedOn: '2024-02-11' })).toBe('no');
    expect(dianshuOracle({ foundedOn: '2024-02-10', jointApplicants: 3 })).toBe('not-no');
    expect(oneMonthEarlier('2027-03-31')).toBe('2027-02-28');
  });

  it('is fed varied phrasings of the same facts', () => {
    const texts = renewalPhrasings(200).map((p) => p.text);
    expect(new Set(texts).size).toBeGreaterThan(190);
  });
});

describe('metamorphic: thousands of phrasings of a case get the outcome the oracle gives', () => {
  it('renewal, guarantee subsidy and 点数成金 eligibility: no disagreement', async () => {
    const client = inProcessClient(t.app);
    const { checked, disagreements } = await sweep(client, { renewal: 1200, guarantee: 1000, dianshu: 800 });
    expect(checked.renewal).toBe(1200);
    expect(checked.guarantee).toBe(1000);
    expect(checked.dianshu).toBeGreaterThan(700);
    expect(disagreements.slice(0, 15), `${disagreements.length} disagreements`).toEqual([]);
  }, 240_000);
});
