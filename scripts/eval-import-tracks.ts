/**
 * npm run eval:import-tracks -- <written.json> <out.json>: turns a blind writer's track cases (campaigns and tracks
 * named as the documents name them) into a track set of catalogue ids (evals/…/tracks.json). Fails on a name that
 * does not denote exactly one campaign or track.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importWrittenTracks } from '../src/evals/blind-tracks.ts';
import { trackSetSchema } from '../src/evals/tracks.ts';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('用法：npm run eval:import-tracks -- <盲测赛道集.json> <输出 tracks.json>');
  process.exit(2);
}
const dir = 'corpus/campaigns';
const catalogue = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('-application.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const set = trackSetSchema.parse(importWrittenTracks(JSON.parse(readFileSync(from, 'utf8')), catalogue));
writeFileSync(to, `${JSON.stringify(set, null, 2)}\n`);
console.log(`${set.cases.length} cases → ${to}`);
