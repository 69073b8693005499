/**
 * npm run eval:tracks [-- --base URL] [--file F]: runs the track development
 * set (evals/tracks.json) through /api/recommend, prints top-1 / top-3
 * accuracy, eligibility and nothing-fits accuracy, and every case it gets wrong.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evalClient } from './eval-files.ts';
import { runTrackSet, trackMetrics, trackSetSchema } from '../src/evals/tracks.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, file: { type: 'string', default: 'evals/tracks.json' } } });
const set = trackSetSchema.parse(JSON.parse(readFileSync(values.file!, 'utf8')));
const { client, close } = await evalClient(values.base, set.today);
const results = await runTrackSet(set, client);
close();
for (const r of results.filter((x) => !x.pass)) {
  console.log(`FAIL ${r.id} ${r.problems.join('; ')}\n     top3=${r.top.join(',') || '-'}「${r.description.slice(0, 70)}…」`);
}
const m = trackMetrics(results);
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
console.log(`cases ${results.length}  top-1 ${pct(m.top1)}  top-3 ${pct(m.top3)}  eligibility ${pct(m.eligibility)}  nothing-fits ${pct(m.noFit)}`);
const passed = results.filter((r) => r.pass).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = passed === results.length ? 0 : 1;
