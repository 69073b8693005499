/**
 * The text block of each tool's result, in Chinese: what an agent that reads only `content` (not `structuredContent`)
 * needs, the quotes included, so it can cite the documents word for word.
 */
import type { Citation } from '../corpus/quotes.ts';
import type {
  AskPolicyOutput,
  CheckApplicationOutput,
  PolicyCheckupOutput,
  RecommendTrackOutput,
  SearchPolicyOutput,
} from './schemas.ts';

/** One quote as a reference line: `[n] 《标题》 章节：「原文」`. */
export function citationLine(c: Citation): string {
  return `[${c.n}] 《${c.title}》 ${c.section}：「${c.quote}」`;
}

function citationBlock(heading: string, citations: Citation[]): string[] {
  return citations.length ? ['', heading, ...citations.map(citationLine)] : [];
}

/** ask_policy: the answer, its quotes, and the conversation id to pass for a follow-up. */
export function askText(reply: AskPolicyOutput): string {
  return [
    reply.answer,
    ...citationBlock('引用（原文逐字）：', reply.citations),
    ...citationBlock('原文中的相关内容：', reply.related ?? []),
    ...(reply.suggestions?.length ? ['', '可以接着问：', ...reply.suggestions.map((s) => `- ${s}`)] : []),
    '',
    `会话编号：${reply.conversationId}（追问时作为 conversationId 传入）`,
  ].join('\n');
}

/** search_policy: the passages found, best first, each a quote. */
export function searchText(result: SearchPolicyOutput): string {
  if (!result.results.length) return `没有检索到与「${result.query}」相关的原文。`;
  return [
    `「${result.query}」的检索结果（共${result.results.length}条，按相关度排序）：`,
    ...result.results.map((r) => `${citationLine(r)}（得分 ${r.score}）`),
  ].join('\n');
}

const ELIGIBILITY: Record<RecommendTrackOutput['recommendations'][number]['eligibility'], string> = {
  eligible: '符合已核对的申报条件',
  ineligible: '不符合申报条件',
  undetermined: '还需补充情况才能判断',
};

const WINDOW: Record<RecommendTrackOutput['recommendations'][number]['window']['status'], string> = {
  open: '正在申报期内',
  closed: '申报已截止',
  upcoming: '尚未开始申报',
  unknown: '申报时间未知',
};

/** recommend_track: each track with its verdict, reasons (failed rules among them), open questions and quotes. */
export function recommendText(result: RecommendTrackOutput): string {
  const lines: string[] = [];
  if (result.message) lines.push(result.message);
  if (result.recommendations.length) lines.push(`赛道推荐（共${result.recommendations.length}项，按相符程度排序）：`);
  result.recommendations.forEach((r, i) => {
    const closes = r.window.closes ? `，截止 ${r.window.closes}` : '';
    lines.push('', `${i + 1}. ${r.campaign} · ${r.track}：${ELIGIBILITY[r.eligibility]}；${WINDOW[r.window.status]}${closes}（得分 ${r.score}）`);
    // (A failed rule is among the reasons already, quoted: failedRules only names it again.)
    for (const reason of r.reasons) lines.push(`   理由：${reason}`);
    for (const question of r.questions) lines.push(`   待补充：${question}`);
    for (const c of r.citations) lines.push(`   ${citationLine(c)}`);
  });
  return lines.join('\n') || '没有找到相符的赛道。';
}

/** check_application: every finding with the rule's quote. */
export function applicationText(result: CheckApplicationOutput): string {
  if (result.ok) return '申报书检查：没有发现问题。';
  const lines = [`申报书检查：发现${result.findings.length}项问题或待补充的信息。`];
  result.findings.forEach((f, i) => {
    const measured = f.limit !== undefined ? `（${f.count !== undefined ? `实际 ${f.count}，` : ''}限值 ${f.limit}）` : '';
    lines.push('', `${i + 1}. 【${f.field}】${f.message}${measured}`, `   依据：《${f.citation.title}》 ${f.citation.section}：「${f.citation.quote}」`);
  });
  return lines.join('\n');
}

const APPLIES: Record<PolicyCheckupOutput['measures'][number]['applies'], string> = { yes: '适用', no: '不适用', unknown: '可能适用（缺少信息）' };

/** policy_checkup: the measures that apply or may apply, why, the first step, what is missing, then the quotes. */
export function checkupText(report: PolicyCheckupOutput): string {
  const lines = ['政策体检结果：'];
  const shown = report.measures.filter((m) => m.applies !== 'no');
  for (const m of shown) {
    lines.push('', `第${m.number}条 ${m.title}：${APPLIES[m.applies]}${m.forBanks ? '（面向金融机构）' : ''}`);
    for (const why of m.why) lines.push(`   ${why}`);
    for (const d of m.decisions) lines.push(`   ${d.subject}：${d.text}`);
    if (m.firstStep) lines.push(`   第一步：${m.firstStep}`);
    if (m.missing.length) lines.push(`   还需要：${m.missing.join('、')}`);
  }
  const notApplying = report.measures.length - shown.length;
  if (notApplying) lines.push('', `另有${notApplying}条举措按所给情况不适用。`);
  if (report.missing.length) lines.push('', `还需要的企业情况：${report.missing.join('、')}`);
  lines.push(...citationBlock('引用（原文逐字）：', report.citations));
  return lines.join('\n');
}
