/**
 * npm run eval [-- --base URL] [--dir evals/holdout] [--json]: runs every eval set
 * of a directory (default evals/; see
 * src/runtime/node/eval-command.ts). With --json the last line is one JSON
 * object: {"cases": N, "passed": N, "failed": N, "metrics": {...}}.
 */
import { parseArgs } from 'node:util';
import { runEvalCommand } from '../src/runtime/node/eval-command.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean', default: false } } });
const tty = process.stderr.isTTY;
let lastShown = -1;
const result = await runEvalCommand({
  base: values.base,
  evalsDir: values.dir,
  env: process.env,
  progress: (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
    if (tty) process.stderr.write(`\r${bar}${done === total ? '\n' : ''}`);
    else if (Math.floor((done / total) * 10) !== lastShown) {
      lastShown = Math.floor((done / total) * 10);
      process.stderr.write(`${bar}\n`);
    }
  },
});
if (values.json) {
  const { cases, passed, failed, metrics, breakdown } = result.report;
  console.log(JSON.stringify({ cases, passed, failed, metrics, breakdown, failures: result.failures, runId: result.runId }));
}
process.exitCode = result.exitCode;
