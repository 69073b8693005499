/**
 * npm run eval:coverage: lists every figure the corpus states (amounts, rates,
 * dates, durations, counts, phone numbers, addresses, URLs, e-mails) that no
 * eval case mentions, and every measure and campaign track without a case.
 */
import { readDataFiles } from '../src/runtime/node/corpus-files.ts';
import { buildCorpus } from '../src/corpus/corpus.ts';
import { corpusFigures, uncoveredFigures } from '../src/evals/coverage.ts';
import { loadEvalSets, caseTexts } from '../src/evals/sets.ts';
import { loadEvalFiles } from './eval-files.ts';

const files = readDataFiles('corpus', 'prompts');
const corpus = await buildCorpus(files.source);
const sets = loadEvalSets(loadEvalFiles('evals'));
const figures = corpusFigures(corpus);
const missing = uncoveredFigures(figures, caseTexts(sets));
for (const f of missing) console.log(`uncovered ${f.kind.padEnd(8)} ${f.text}  (${f.docId})`);
console.log(`${figures.length - missing.length}/${figures.length} figures covered`);
process.exitCode = missing.length ? 1 : 0;
