/**
 * npm run eval:metamorphic [-- --n 5000 --seeds 3 --base URL]: the large metamorphic sweep. Generates `n` phrasings
 * per domain (无还本续贷, 担保费补贴, 点数成金 eligibility) for each seed — the same cases said in many ways, with
 * distractor clauses — asks the chat, and counts the answers that disagree with the oracle written from the source
 * sentences (test/support/oracle.ts). Prints the count (target 0) and the first disagreements; exits 1 when any.
 */
import { parseArgs } from 'node:util';
import { sweep } from '../test/support/metamorphic.ts';
import { evalClient } from './eval-files.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '5000' }, seeds: { type: 'string', default: '3' }, base: { type: 'string' } } });
const n = Number(values.n);
const { client, close } = await evalClient(values.base, '2026-12-06');
let total = 0;
let disagreements = 0;
const started = Date.now();
for (let seed = 1; seed <= Number(values.seeds); seed++) {
  const result = await sweep(client, { renewal: n, guarantee: n, dianshu: n }, seed * 101);
  const checked = Object.values(result.checked).reduce((a, b) => a + b, 0);
  total += checked;
  disagreements += result.disagreements.length;
  console.log(`seed ${seed * 101}: ${JSON.stringify(result.checked)} — ${result.disagreements.length} disagreement(s)`);
  for (const d of result.disagreements.slice(0, 10)) console.log(`  ${d.domain} | ${d.text}\n    expected ${d.expected} | got ${d.got}`);
}
close();
console.log(`${total} phrasings, ${disagreements} disagreement(s) with the oracle, ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = disagreements === 0 ? 0 : 1;
