/**
 * npm run eval:llm [-- qa.json refusals.json dialogues-dev.json ...]: an eval run in LLM mode against the
 * adversarial stand-in model (test/support/standin.ts), which writes grounded and unsupported sentences for
 * every question. Prints the claim checks' counts and every unsupported sentence that reached an answer;
 * exits non-zero when one did. No network: the stand-in is a local OpenAI-compatible server.
 */
import { runStandInEval } from '../test/support/standin-eval.ts';
import { DROP_REASON_LABELS } from '../src/evals/html-report.ts';

const files = process.argv.slice(2).filter((a) => a.endsWith('.json'));
const result = await runStandInEval(files.length ? files : ['qa.json', 'refusals.json', 'dialogues-dev.json']);
const checks = result.report.breakdown.modelChecks;
const out = (line: string) => console.log(line);
out(`评测集：${(files.length ? files : ['qa.json', 'refusals.json', 'dialogues-dev.json']).join('、')}（模式 ${result.report.mode}，替身模型）`);
out(`替身模型起草 ${result.drafts} 个回答，写入不受原文支持的句子 ${result.unsupportedWritten} 句`);
if (checks) {
  out(`以模型回答作答 ${checks.llmAnswers} 个，改用原文摘录 ${checks.fallbacks} 个；写出 ${checks.sentences} 句，展示 ${checks.shown} 句，删去 ${checks.sentences - checks.shown} 句：`);
  for (const [reason, n] of Object.entries(checks.dropped).sort((a, b) => b[1] - a[1])) out(`  ${DROP_REASON_LABELS[reason] ?? reason}：${n}`);
}
out(`引用逐字率 ${result.report.metrics.citationVerbatim}，拒答准确率 ${result.report.metrics.refusalAccuracy}`);
out(`展示出来的不受支持的句子：${result.leaks.reduce((n, l) => n + l.sentences.length, 0)}`);
for (const leak of result.leaks) out(`  ✗ ${leak.question}：${leak.sentences.join(' / ')}`);
process.exitCode = result.leaks.length ? 1 : 0;
