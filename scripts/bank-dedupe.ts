/**
 * npm run bank:dedupe — drops from corpus/questions/*.json every bank question
 * that equals or nearly copies an eval question (evals/**, held-out sets
 * included; see src/runtime/node/bank-overlap.ts), and prints what it dropped.
 * The bank is written from the documents; a question that collides with an eval
 * case would let the eval grade the bank. Run it after adding eval cases or bank
 * entries; `npm test` fails while any near copy remains.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evalQuestionsIn, nearCopyFinder } from '../src/runtime/node/bank-overlap.ts';

const dir = 'corpus/questions';
const evals = evalQuestionsIn('evals');
const findCopies = nearCopyFinder(evals);
let dropped = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
    entries: Array<{ id: string; questions: string[]; yesno?: Array<{ question: string; verdict: string }> }>;
  };
  let changed = false;
  for (const entry of file.entries) {
    const keep = (question: string) => {
      const copies = findCopies(question);
      if (copies.length === 0) return true;
      console.log(`${name} ${entry.id}: 「${question}」 ~ 「${copies[0]}」`);
      dropped++;
      changed = true;
      return false;
    };
    entry.questions = entry.questions.filter(keep);
    if (entry.yesno) entry.yesno = entry.yesno.filter((y) => keep(y.question));
  }
  // An entry left without questions cannot be matched: it goes, and is named so that new questions can be written for it.
  const emptied = file.entries.filter((e) => e.questions.length === 0).map((e) => e.id);
  if (emptied.length) console.log(`${name}: entries removed, no question left: ${emptied.join(', ')}`);
  file.entries = file.entries.filter((e) => e.questions.length > 0);
  if (changed) writeFileSync(join(dir, name), `${JSON.stringify(file, null, 2)}\n`);
}
console.log(`dropped ${dropped} bank question(s) that copied eval questions`);
