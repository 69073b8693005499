/**
 * npm run eval:situations [-- --base URL] [--verbose]: runs evals/situations.json
 * against the service (in-process by default, with the set's "today") and
 * prints the accuracy per topic and every failing turn.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evalClient } from './eval-files.ts';
import { runSituationSet, situationSetSchema } from '../src/evals/situations.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, verbose: { type: 'boolean', default: false }, file: { type: 'string', default: 'evals/situations.json' } } });
const set = situationSetSchema.parse(JSON.parse(readFileSync(values.file!, 'utf8')));

const { client, close } = await evalClient(values.base, set.today);

const results = await runSituationSet(set, client);
close();
const byTopic = new Map<string, { pass: number; total: number }>();
for (const r of results) {
  const t = byTopic.get(r.topic) ?? { pass: 0, total: 0 };
  t.total++;
  if (r.pass) t.pass++;
  byTopic.set(r.topic, t);
  if (!r.pass || values.verbose) {
    for (const turn of r.turns) {
      if (turn.pass && !values.verbose) continue;
      console.log(`${turn.pass ? 'PASS' : 'FAIL'} ${r.id}「${turn.question}」 ${turn.problems.join('; ')}`);
      if (!turn.pass) console.log(`     → ${turn.answer.replace(/\n/g, ' ').slice(0, 160)}`);
    }
  }
}
for (const [topic, t] of byTopic) console.log(`${topic.padEnd(18)} ${t.pass}/${t.total}`);
const passed = results.filter((r) => r.pass).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = passed === results.length ? 0 : 1;
