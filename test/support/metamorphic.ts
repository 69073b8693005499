/**
 * Runs generated phrasings through the chat (/api/ask, one conversation each) and counts the answers that disagree
 * with the oracle. Shared by the metamorphic test (a few thousand phrasings) and `npm run eval:metamorphic` (a sweep).
 */
import type { AskClient } from '../../src/evals/client.ts';
import { verdictOf } from '../../src/evals/dialogues.ts';
import { dianshuOracle, guaranteeOracle, renewalOracle, type Expected } from './oracle.ts';
import { dianshuPhrasings, guaranteePhrasings, renewalPhrasings, type Phrased } from './phrasings.ts';

export interface Disagreement {
  domain: string;
  text: string;
  expected: string;
  got: string;
}

export interface SweepResult {
  checked: Record<string, number>;
  disagreements: Disagreement[];
}

function situationProblem(body: any, expected: Expected, assumes = false): string | null {
  const s = body?.situation ?? {};
  if (s.outcome !== expected.outcome) return `outcome ${s.outcome ?? '(none)'}`;
  if (expected.applyBy && s.computed?.applyBy !== expected.applyBy) return `applyBy ${s.computed?.applyBy ?? '(none)'}`;
  if (expected.subsidyYuan !== undefined && s.computed?.subsidyYuan !== expected.subsidyYuan) return `subsidyYuan ${s.computed?.subsidyYuan ?? '(none)'}`;
  if (assumes && !String(body.answer ?? '').includes('按担保金额等于')) return 'assumption not stated';
  // A verdict the rules reached is said first: never a yes over a no, nor either over an open question.
  const verdict = verdictOf(body.answer ?? '');
  if (expected.outcome === 'not_eligible' && verdict !== 'no') return `verdict ${verdict ?? '(none)'}`;
  if (expected.outcome !== 'eligible' && verdict === 'yes' && !String(body.answer).startsWith('有条件')) return 'asserted yes';
  return null;
}

export async function sweep(client: AskClient, sizes: { renewal: number; guarantee: number; dianshu: number }, seed = 1): Promise<SweepResult> {
  const disagreements: Disagreement[] = [];
  const checked: Record<string, number> = {};
  const ask = async (text: string) => (await client.post('/api/ask', { question: text })).body;
  const run = async <C>(domain: string, cases: Array<Phrased<C>>, judge: (body: any, c: Phrased<C>) => { expected: string; problem: string | null }) => {
    for (const c of cases) {
      const body = await ask(c.text);
      const { expected, problem } = judge(body, c);
      checked[domain] = (checked[domain] ?? 0) + 1;
      if (problem) disagreements.push({ domain, text: c.text, expected, got: `${problem} — ${String(body?.answer ?? '').slice(0, 80)}` });
    }
  };
  await run('renewal', renewalPhrasings(sizes.renewal, seed), (body, c) => {
    const e = renewalOracle(c.facts);
    return { expected: JSON.stringify(e), problem: situationProblem(body, e) };
  });
  await run('guarantee', guaranteePhrasings(sizes.guarantee, seed + 1), (body, c) => {
    const e = guaranteeOracle(c.facts);
    return { expected: JSON.stringify(e), problem: situationProblem(body, e, c.assumes) };
  });
  await run('dianshu', dianshuPhrasings(sizes.dianshu, seed + 2), (body, c) => {
    const e = dianshuOracle(c.facts);
    const verdict = body?.answerable ? verdictOf(body.answer ?? '') : null;
    const problem = e === 'no' ? (verdict === 'no' ? null : `verdict ${verdict ?? '(none)'}`) : verdict === 'no' ? 'asserted no' : null;
    return { expected: e, problem };
  });
  return { checked, disagreements };
}
