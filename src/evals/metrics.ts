/**
 * The eval metrics, defined once: the report, the command's table, the
 * threshold check and the staff console all read their names, kinds and
 * directions from here.
 */
export const METRIC_DEFS = [
  { key: 'factAccuracy', label: '答案要点准确率', kind: 'ratio', better: 'higher', help: '问答集：预期要点出现在回答中的比例' },
  { key: 'citationVerbatim', label: '引用逐字率', kind: 'ratio', better: 'higher', help: '回答所附引用与原文逐字一致的比例' },
  { key: 'citationSupport', label: '引用支持率', kind: 'ratio', better: 'higher', help: '预期要点有原文引用支持的比例' },
  { key: 'hit1', label: '检索命中率@1', kind: 'ratio', better: 'higher', help: '检索第 1 条结果即为预期原文出处的问题比例' },
  { key: 'hit3', label: '检索命中率@3', kind: 'ratio', better: 'higher', help: '检索前 3 条结果包含预期原文出处的问题比例' },
  { key: 'hit5', label: '检索命中率@5', kind: 'ratio', better: 'higher', help: '检索前 5 条结果包含预期原文出处的问题比例' },
  { key: 'mrr', label: 'MRR', kind: 'score', better: 'higher', help: '预期原文出处排名倒数的平均值，越接近 1 越好' },
  { key: 'refusalAccuracy', label: '拒答准确率', kind: 'ratio', better: 'higher', help: '应当拒答的问题被正确拒答的比例' },
  { key: 'dialogueAccuracy', label: '对话事实题答对率', kind: 'ratio', better: 'higher', help: '对话集（含盲测集）的单轮事实题：要点齐全、是否结论正确、引用所问文件的比例' },
  { key: 'followUpAccuracy', label: '追问答对率', kind: 'ratio', better: 'higher', help: '对话集中第二轮及以后（省略了主语的追问）答对的比例' },
  { key: 'dialogueEligibility', label: '对话资格题答对率', kind: 'ratio', better: 'higher', help: '对话集中企业描述自身情况、问能否享受或能否申报的问题答对的比例' },
  { key: 'arithmeticAccuracy', label: '对话计算题答对率', kind: 'ratio', better: 'higher', help: '对话集中需要按原文规则计算（提前一个月的日期、加权总分、不良率容忍度、字数与大小限制）的问题答对的比例' },
  { key: 'falseYesRate', label: '误判符合率', kind: 'ratio', better: 'lower', help: '原文规则判定不符合、或取决于用户没有说明的情况时，回答却直接说“可以/符合”的比例；最严重的一类答错，应为 0' },
  { key: 'outOfScopeDeclined', label: '超范围拒答率', kind: 'ratio', better: 'higher', help: '对话集中问外省政策、个人金融、其他年度、具体纠纷等超出文件范围的问题被拒答的比例' },
  { key: 'noDetailDeclined', label: '无依据拒答率', kind: 'ratio', better: 'higher', help: '对话集中问到文件没有写的细节（奖金、利率、某处的电话）被拒答的比例' },
  { key: 'wrongAnswerRate', label: '答错率', kind: 'ratio', better: 'lower', help: '作答但答错（缺要点、结论相反、引用了别的文件、该拒答却作答）的问题占全部问题的比例，越低越好' },
  { key: 'declineRate', label: '误拒率', kind: 'ratio', better: 'lower', help: '原文能回答、服务却拒答的问题占应作答问题的比例，越低越好' },
  { key: 'situationAccuracy', label: '情境判断准确率', kind: 'ratio', better: 'higher', help: '多轮情境对话全部判断正确的比例' },
  { key: 'trackTop1', label: '赛道Top-1', kind: 'ratio', better: 'higher', help: '推荐的第一个赛道即为正确赛道的比例' },
  { key: 'trackTop3', label: '赛道Top-3', kind: 'ratio', better: 'higher', help: '正确赛道出现在前三个推荐中的比例' },
  { key: 'chatTrackTop3', label: '对话赛道Top-3', kind: 'ratio', better: 'higher', help: '把案例描述直接发到对话框时，回答推荐的前三个赛道包含正确赛道的比例' },
  { key: 'eligibilityAccuracy', label: '资格判断准确率', kind: 'ratio', better: 'higher', help: '参评资格判断正确的比例' },
  { key: 'checkerAccuracy', label: '申报书检查准确率', kind: 'ratio', better: 'higher', help: '申报书检查结果与预期一致的比例' },
  { key: 'latencyP50Ms', label: '延迟P50 (ms)', kind: 'ms', better: 'lower', help: '一半的请求在此时间内完成，越低越好' },
  { key: 'latencyP95Ms', label: '延迟P95 (ms)', kind: 'ms', better: 'lower', help: '95% 的请求在此时间内完成，越低越好' },
] as const;

export type MetricKey = (typeof METRIC_DEFS)[number]['key'];
export type MetricKind = 'ratio' | 'score' | 'ms';
export type MetricDef = (typeof METRIC_DEFS)[number];
export type Metrics = Record<MetricKey, number | null>;

/** Asked types and set names as the reports show them. */
export const ASKED_TYPE_LABELS: Record<string, string> = {
  date: '日期/截止',
  period: '期限/时长',
  phone: '电话',
  email: '邮箱',
  address: '地址',
  website: '网址/平台',
  organiser: '主办/责任单位',
  materials: '材料',
  format: '格式/字数/大小',
  list: '列举',
  steps: '步骤',
  yesno: '是否',
  amount: '金额/比例/数量',
  reason: '原因/目的',
  other: '其他',
  decline: '应拒答',
};

export const SET_LABELS: Record<string, string> = {
  qa: '问答要点',
  refusals: '拒答',
  situations: '情境判断',
  tracks: '赛道推荐',
  applications: '申报书检查',
};

/** A set's label; dialogue sets are named after their file (dialogues-blind-a → 对话·blind-a). */
export function setLabel(name: string): string {
  if (SET_LABELS[name]) return SET_LABELS[name];
  const dialogue = /^dialogues-?(.*)$/.exec(name);
  return dialogue ? `对话${dialogue[1] ? `·${dialogue[1]}` : ''}` : name;
}

/** Whether a value meets its threshold, in the metric's direction. */
export function meetsThreshold(key: MetricKey, value: number, threshold: number): boolean {
  const def = METRIC_DEFS.find((m) => m.key === key);
  return def?.better === 'lower' ? value <= threshold : value >= threshold;
}

export function formatMetric(value: number | null | undefined, kind: MetricKind): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (kind === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'ms') return `${value.toFixed(1)} ms`;
  return value.toFixed(3);
}

/** Dialogue case categories as reports name them. */
export const CATEGORY_LABELS: Record<string, string> = { fact: '单轮事实题', followup: '多轮追问', eligibility: '资格判断', arithmetic: '规则计算', decline: '应拒答' };
