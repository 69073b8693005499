/**
 * npm run eval:situations [-- --base URL] [--verbose]: runs evals/situations.json
 * against the service (in-process by default, with the set's "today") and
 * prints the accuracy per topic and every failing turn.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { httpClient, inProcessClient, type AskClient } from '../src/evals/client.ts';
import { runSituationSet, situationSetSchema } from '../src/evals/situations.ts';
import { loadConfig } from '../src/config.ts';
import { createServices, nodeAppDeps } from '../src/runtime/node/services.ts';
import { createApp } from '../src/web/app.ts';
import { createLogger } from '../src/web/log.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, verbose: { type: 'boolean', default: false }, file: { type: 'string', default: 'evals/situations.json' } } });
const set = situationSetSchema.parse(JSON.parse(readFileSync(values.file!, 'utf8')));

let client: AskClient;
let close = () => {};
if (values.base) client = httpClient(values.base);
else {
  const dataDir = mkdtempSync(join(tmpdir(), 'policy-eval-'));
  const services = await createServices(loadConfig({ DATA_DIR: dataDir, TODAY: set.today, RATE_LIMIT: '0', LOG_LEVEL: 'silent' }));
  client = inProcessClient(createApp(nodeAppDeps(services, createLogger('silent'), { clientKey: () => 'eval' })));
  close = () => {
    services.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

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
