import { ASKED_TYPE_LABELS, CATEGORY_LABELS, METRIC_DEFS, setLabel, type MetricKind, type Metrics } from './metrics.ts';
import type { CaseOutcome, EvalReport } from './runner.ts';

/**
 * Renders an eval report as one self-contained HTML page in Simplified Chinese
 * for policy staff: header with the verdict (thresholds met and sets consistent with the corpus), metrics table, pass rate per set
 * and metric history as inline SVG charts, test-set validation problems, and
 * the failing cases with the expected source span highlighted.
 *
 * Pure: no I/O, no runtime imports. Everything taken from the report is
 * HTML-escaped; the page has no scripts, no event handlers and no external
 * resources (a Content-Security-Policy meta tag forbids them too).
 */

export interface HistoryEntry {
  startedAt: string;
  metrics: Metrics;
}

export interface HtmlReportOptions {
  /** Threshold failures (e.g. from `thresholdFailures`), listed in the header and counted in the verdict. */
  thresholdFailures?: string[];
  /** Page title; defaults to “政策问答服务评测报告”. */
  title?: string;
}

const METRICS = METRIC_DEFS;
type MetricDef = (typeof METRIC_DEFS)[number];

const SET_ORDER = ['qa', 'refusals', 'situations', 'tracks', 'applications'];

/** Failing cases are shown expanded up to this many; beyond it they are collapsed. */
const OPEN_FAILURES_MAX = 8;
/** History charts show at most this many of the most recent runs. */
const HISTORY_MAX = 60;

// ---------------------------------------------------------------- helpers

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}
const esc = escapeHtml;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);


function formatMetric(v: number | null | undefined, kind: MetricKind): string {
  if (!isNum(v)) return '—';
  if (kind === 'ratio') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'score') return v.toFixed(3);
  return v >= 100 ? String(Math.round(v)) : v.toFixed(1);
}

function formatDelta(cur: number | null | undefined, prev: number | null | undefined, kind: MetricKind, lowerIsBetter = kind === 'ms'): { text: string; cls: string } {
  if (!isNum(cur) || !isNum(prev)) return { text: '—', cls: 'delta-none' };
  const d = cur - prev;
  const shown = kind === 'ratio' ? d * 100 : d;
  const digits = kind === 'score' ? 3 : 1;
  if (Math.abs(shown) < 0.5 * 10 ** -digits) return { text: '持平', cls: 'delta-same' };
  const better = lowerIsBetter ? d < 0 : d > 0;
  const sign = shown > 0 ? '+' : '−';
  const unit = kind === 'ratio' ? ' 个百分点' : kind === 'ms' ? ' ms' : '';
  return { text: `${better ? '▲' : '▼'} ${sign}${Math.abs(shown).toFixed(digits)}${unit}`, cls: better ? 'delta-good' : 'delta-bad' };
}

function parseTime(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Beijing time (UTC+8, no daylight saving), independent of the machine's time zone. */
function beijingParts(iso: string) {
  const d = parseTime(iso);
  if (!d) return null;
  const b = new Date(d.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())}`,
    short: `${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())}`,
    time: `${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`,
    seconds: `${p(b.getUTCHours())}:${p(b.getUTCMinutes())}:${p(b.getUTCSeconds())}`,
  };
}

const fullTime = (iso: string) => {
  const b = beijingParts(iso);
  return b ? `${b.date} ${b.seconds}` : iso;
};
const minuteTime = (iso: string) => {
  const b = beijingParts(iso);
  return b ? `${b.date} ${b.time}` : iso;
};

function formatDuration(startIso: string, endIso: string): string | null {
  const s = parseTime(startIso);
  const e = parseTime(endIso);
  if (!s || !e) return null;
  const ms = e.getTime() - s.getTime();
  if (ms < 0) return null;
  if (ms < 1000) return `${ms} 毫秒`;
  const sec = ms / 1000;
  if (sec < 60) return `${sec.toFixed(1)} 秒`;
  return `${Math.floor(sec / 60)} 分 ${Math.round(sec % 60)} 秒`;
}


// ---------------------------------------------------------------- sections

function renderHeader(report: EvalReport, options: HtmlReportOptions, title: string): string {
  const thresholds = options.thresholdFailures ?? [];
  const reasons: string[] = [];
  if (report.cases === 0) reasons.push('没有运行任何用例');
  if (report.validation.length > 0) reasons.push(`${report.validation.length} 处测试集校验问题`);
  if (thresholds.length > 0) reasons.push(`${thresholds.length} 项指标低于阈值`);
  const ok = reasons.length === 0;
  const hash = report.corpusHash ? report.corpusHash.slice(0, 12) : '—';
  const duration = formatDuration(report.startedAt, report.finishedAt);
  const passRate = report.cases > 0 ? `${((report.passed / report.cases) * 100).toFixed(1)}%` : '—';
  return `<header class="page-header">
  <div class="title-row">
    <h1>${esc(title)}</h1>
    <div class="badge ${ok ? 'badge-pass' : 'badge-fail'}" role="status">${ok ? '✔ 通过' : '✘ 未通过'}</div>
  </div>
  ${
    ok
      ? `<p class="verdict verdict-pass">各项指标均达到阈值，测试集与原文一致${report.failed > 0 ? `（另有 ${report.failed} 个用例未通过，见下文）` : ''}。</p>`
      : `<p class="verdict verdict-fail">未通过原因：${esc(reasons.join('；'))}。</p>`
  }
  ${
    thresholds.length
      ? `<ul class="threshold-list">${thresholds.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`
      : ''
  }
  <dl class="facts">
    <div><dt>运行时间（北京时间）</dt><dd>${esc(fullTime(report.startedAt))}${duration ? `<span class="muted">，耗时 ${esc(duration)}</span>` : ''}</dd></div>
    <div><dt>被测服务</dt><dd>${esc(report.target || '—')}</dd></div>
    <div><dt>模式</dt><dd>${esc(report.mode || '—')}</dd></div>
    <div><dt>语料哈希</dt><dd><code title="${esc(report.corpusHash)}">${esc(hash)}</code></dd></div>
  </dl>
  <div class="counts">
    <div class="count"><span class="count-n">${esc(report.cases)}</span><span class="count-l">用例总数</span></div>
    <div class="count count-pass"><span class="count-n">${esc(report.passed)}</span><span class="count-l">通过</span></div>
    <div class="count count-fail"><span class="count-n">${esc(report.failed)}</span><span class="count-l">未通过</span></div>
    <div class="count"><span class="count-n">${esc(passRate)}</span><span class="count-l">通过率</span></div>
  </div>
</header>`;
}

function renderMetricsTable(report: EvalReport, previous: HistoryEntry | null): string {
  const rows = METRICS.map((m) => {
    const cur = report.metrics[m.key];
    const delta = formatDelta(cur, previous?.metrics[m.key], m.kind, m.better === 'lower');
    return `<tr>
      <th scope="row">${esc(m.label)}<span class="key">${esc(m.key)}</span></th>
      <td class="num${isNum(cur) ? '' : ' muted'}">${esc(formatMetric(cur, m.kind))}</td>
      <td class="num ${delta.cls}">${esc(delta.text)}</td>
      <td class="help">${esc(m.help)}</td>
    </tr>`;
  }).join('\n');
  const prevNote = previous ? `“较上次”对比 ${esc(minuteTime(previous.startedAt))} 的运行。` : '暂无上次运行可对比。';
  return `<section id="metrics">
  <h2>指标</h2>
  <p class="note">比例以百分比显示；“—”表示本次未运行相应测试集。${prevNote}</p>
  <table class="metrics">
    <thead><tr><th scope="col">指标</th><th scope="col" class="num">本次</th><th scope="col" class="num">较上次</th><th scope="col">说明</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
</section>`;
}

function orderedSets(sets: EvalReport['sets']): string[] {
  const names = Object.keys(sets);
  return [...SET_ORDER.filter((n) => names.includes(n)), ...names.filter((n) => !SET_ORDER.includes(n)).sort()];
}

function renderSetChart(report: EvalReport): string {
  const names = orderedSets(report.sets);
  if (names.length === 0) return `<section id="sets"><h2>各测试集通过率</h2><p class="note">本次没有运行任何测试集。</p></section>`;
  const W = 760;
  const rowH = 38;
  const labelW = 120;
  const valueW = 150;
  const barW = W - labelW - valueW - 10;
  const top = 26;
  const H = top + names.length * rowH + 8;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => {
      const x = labelW + t * barW;
      return `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${H - 4}" class="grid"/><text x="${x}" y="${top - 10}" class="axis" text-anchor="middle">${t * 100}%</text>`;
    })
    .join('');
  const bars = names
    .map((name, i) => {
      const s = report.sets[name];
      const cases = isNum(s?.cases) ? s.cases : 0;
      const passed = isNum(s?.passed) ? s.passed : 0;
      const rate = cases > 0 ? Math.max(0, Math.min(1, passed / cases)) : null;
      const y = top + i * rowH;
      const cls = rate === null ? 'bar-none' : rate >= 1 ? 'bar-good' : rate >= 0.8 ? 'bar-warn' : 'bar-bad';
      const text = rate === null ? '无用例' : `${(rate * 100).toFixed(1)}%（${passed}/${cases}）`;
      const w = rate === null ? 0 : Math.max(rate * barW, rate > 0 ? 2 : 0);
      return `<g>
      <title>${esc(`${setLabel(name)}：${text}`)}</title>
      <text x="${labelW - 10}" y="${y + rowH / 2 + 5}" class="bar-label" text-anchor="end">${esc(setLabel(name))}</text>
      <rect x="${labelW}" y="${y + 7}" width="${barW}" height="${rowH - 14}" class="bar-track" rx="3"/>
      <rect x="${labelW}" y="${y + 7}" width="${w.toFixed(1)}" height="${rowH - 14}" class="${cls}" rx="3"/>
      <text x="${labelW + barW + 10}" y="${y + rowH / 2 + 5}" class="bar-value">${esc(text)}</text>
    </g>`;
    })
    .join('\n');
  return `<section id="sets">
  <h2>各测试集通过率</h2>
  <svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="各测试集通过率柱状图" preserveAspectRatio="xMinYMin meet">
    ${grid}
    ${bars}
  </svg>
</section>`;
}

function normalizeHistory(report: EvalReport, history: HistoryEntry[]): HistoryEntry[] {
  const list = (Array.isArray(history) ? history : []).filter((h) => h && typeof h === 'object' && h.metrics);
  if (!list.some((h) => h.startedAt === report.startedAt)) list.push({ startedAt: report.startedAt, metrics: report.metrics });
  return list.slice(-HISTORY_MAX);
}

function renderSparkline(m: MetricDef, runs: HistoryEntry[], currentStartedAt: string): string {
  const W = 300;
  const H = 150;
  const left = 40;
  const right = 14;
  const top = 12;
  const bottom = 28;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const n = runs.length;
  const xAt = (i: number) => (n === 1 ? left + plotW / 2 : left + (i * plotW) / (n - 1));
  // Ratio metrics and MRR all lie in [0, 1]; a fixed axis keeps runs comparable.
  const yAt = (v: number) => top + plotH - Math.max(0, Math.min(1, v)) * plotH;
  const values = runs.map((r) => {
    const v = r.metrics?.[m.key];
    return isNum(v) ? v : null;
  });
  const latest = values[n - 1];
  const prev = n >= 2 ? values[n - 2] : null;
  const delta = formatDelta(latest, prev, m.kind, m.better === 'lower');

  const grid = [0, 0.5, 1]
    .map((t) => {
      const y = yAt(t);
      const label = m.kind === 'ratio' ? `${t * 100}%` : String(t);
      return `<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" class="grid"/><text x="${left - 6}" y="${y + 4}" class="axis" text-anchor="end">${label}</text>`;
    })
    .join('');

  // Line segments, broken where a run has no value.
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const lines = segments
    .filter((s) => s.includes(' '))
    .map((s) => `<polyline points="${s}" class="line"/>`)
    .join('');

  const colW = n === 1 ? plotW : plotW / (n - 1);
  const points = runs
    .map((r, i) => {
      const v = values[i];
      const x = xAt(i);
      const isCurrent = i === n - 1 && r.startedAt === currentStartedAt;
      const tip = `${minuteTime(r.startedAt)}${isCurrent ? '（本次）' : ''}：${formatMetric(v, m.kind)}`;
      const hit = `<rect x="${(x - colW / 2).toFixed(1)}" y="${top}" width="${colW.toFixed(1)}" height="${plotH}" class="hit"/>`;
      const dot = v === null ? '' : `<circle cx="${x.toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="${isCurrent ? 4.5 : 3}" class="${isCurrent ? 'dot dot-current' : 'dot'}"/>`;
      return `<g><title>${esc(tip)}</title>${hit}${dot}</g>`;
    })
    .join('');

  const first = beijingParts(runs[0].startedAt);
  const last = beijingParts(runs[n - 1].startedAt);
  const xLabels =
    n === 1
      ? `<text x="${xAt(0)}" y="${H - 8}" class="axis" text-anchor="middle">${esc(first ? `${first.short} ${first.time}` : '')}</text>`
      : `<text x="${left}" y="${H - 8}" class="axis" text-anchor="start">${esc(first ? first.short : '')}</text><text x="${W - right}" y="${H - 8}" class="axis" text-anchor="end">${esc(last ? last.short : '')}</text>`;

  return `<figure class="spark">
    <figcaption><span class="spark-title">${esc(m.label)}</span><span class="spark-value">${esc(formatMetric(latest, m.kind))}</span><span class="spark-delta ${delta.cls}">${n >= 2 ? esc(delta.text) : ''}</span></figcaption>
    <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(`${m.label}历次运行趋势`)}">
      ${grid}${lines}${points}${xLabels}
    </svg>
  </figure>`;
}

function renderHistory(report: EvalReport, history: HistoryEntry[]): string {
  const runs = normalizeHistory(report, history);
  const ratioMetrics = METRICS.filter((m) => m.kind !== 'ms');
  const withData = ratioMetrics.filter((m) => runs.some((r) => isNum(r.metrics?.[m.key])));
  const without = ratioMetrics.filter((m) => !withData.includes(m));
  const span =
    runs.length === 1
      ? '仅本次运行，暂无趋势：每张图只有本次这一个数据点，之后的运行会在此连成折线。'
      : `共 ${runs.length} 次运行，从 ${esc(minuteTime(runs[0].startedAt))} 到 ${esc(minuteTime(runs[runs.length - 1].startedAt))}（北京时间）。`;
  return `<section id="history">
  <h2>指标历史趋势</h2>
  <p class="note">${span}纵轴为 0–100%，鼠标悬停在图上可查看每次运行的时间和数值；较大的圆点为本次运行。</p>
  ${withData.length ? `<div class="sparks">${withData.map((m) => renderSparkline(m, runs, report.startedAt)).join('\n')}</div>` : '<p class="note">历次运行均没有比例类指标数据。</p>'}
  ${without.length && withData.length ? `<p class="note">无数据（历次均未运行）：${esc(without.map((m) => m.label).join('、'))}。</p>` : ''}
</section>`;
}

const rate = (v: number | null | undefined) => (isNum(v) ? `${(v * 100).toFixed(1)}%` : '—');

/**
 * Right, wrong and declined questions per set and per asked type: a wrong
 * answer is worse than a decline, so the two are counted apart.
 */
function renderBreakdown(report: EvalReport): string {
  const b = report.breakdown;
  if (!b || (Object.keys(b.sets).length === 0 && Object.keys(b.types).length === 0)) return '';
  const row = (label: string, t: { turns: number; right: number; wrong: number; declined: number; wrongAnswerRate: number | null; declineRate: number | null }) =>
    `<tr><th scope="row">${esc(label)}</th><td class="num">${t.turns}</td><td class="num">${t.right}</td><td class="num${t.wrong ? ' bad' : ''}">${t.wrong}</td><td class="num">${t.declined}</td><td class="num">${rate(t.wrongAnswerRate)}</td><td class="num">${rate(t.declineRate)}</td></tr>`;
  const head = (first: string) =>
    `<thead><tr><th scope="col">${first}</th><th scope="col" class="num">问题</th><th scope="col" class="num">答对</th><th scope="col" class="num">答错</th><th scope="col" class="num">拒答</th><th scope="col" class="num">答错率</th><th scope="col" class="num">误拒率</th></tr></thead>`;
  const sets = Object.entries(b.sets);
  const types = Object.entries(b.types);
  return `<section id="breakdown">
  <h2>答对、答错与拒答</h2>
  <p class="note">答错：作答了，但缺少要点、是否结论相反、引用了别的文件，或该拒答的问题作答了；拒答：原文能回答却说“无法回答”。答错比拒答更糟，两者分开统计。答错率 = 答错 ÷ 全部问题；误拒率 = 拒答 ÷ 应作答的问题。</p>
  ${sets.length ? `<table class="metrics">${head('测试集')}<tbody>${sets.map(([name, t]) => row(setLabel(name), t)).join('')}</tbody></table>` : ''}
  ${sets
    .filter(([, t]) => t.categories && Object.keys(t.categories).length)
    .map(([name, t]) => `<h3>${esc(setLabel(name))}按题目类别</h3><table class="metrics">${head('题目类别')}<tbody>${Object.entries(t.categories!).map(([c, ct]) => row(CATEGORY_LABELS[c] ?? c, ct)).join('')}</tbody></table>`)
    .join('\n  ')}
  ${types.length ? `<h3>对话集按所问类型</h3><table class="metrics">${head('所问类型')}<tbody>${types.map(([type, t]) => row(ASKED_TYPE_LABELS[type] ?? type, t)).join('')}</tbody></table>` : ''}
</section>`;
}

/** Labels of the reasons a model's sentence is dropped (src/answer/claims.ts). */
export const DROP_REASON_LABELS: Record<string, string> = {
  unsupported_value: '数字、日期、联系方式、机构或地名在引文中找不到',
  negation_flip: '肯定与否定和引文相反',
  unsupported_quantifier: '引文没有的“所有、一律”等说法',
  unrelated_quote: '引用的原文与这句话无关',
  fragment_quote: '引用的是残缺片段',
  unverified_quote: '引用不是原文逐字内容',
  no_citation: '没有标注引用',
  too_long: '超出回答长度上限',
};

/** With a model configured: how many of its sentences the claim checks showed and dropped, and why. */
function renderModelChecks(report: EvalReport): string {
  const m = report.breakdown?.modelChecks;
  if (!m) return '';
  const reasons = Object.entries(m.dropped).sort((a, b) => b[1] - a[1]);
  return `<section id="model-checks">
  <h2>大模型回答的逐句核验</h2>
  <p class="note">模型写出的每一句都要与它引用的原文核对：数字、日期、金额、联系方式、机构和地名必须出现在引文中，肯定否定不得相反，不得添加“所有、一律”等说法，内容须与引文相符。未通过的句子删去不展示；剩下的句子答不了问题时改用原文摘录回答。</p>
  <table class="metrics"><tbody>
    <tr><th scope="row">模型起草的回答</th><td class="num">${m.drafted}</td></tr>
    <tr><th scope="row">以模型回答作答</th><td class="num">${m.llmAnswers}</td></tr>
    <tr><th scope="row">改用原文摘录</th><td class="num">${m.fallbacks}</td></tr>
    <tr><th scope="row">模型写出的句子</th><td class="num">${m.sentences}</td></tr>
    <tr><th scope="row">核验通过并展示</th><td class="num">${m.shown}</td></tr>
  </tbody></table>
  ${reasons.length ? `<h3>删去的句子（按原因）</h3><table class="metrics"><tbody>${reasons.map(([r, n]) => `<tr><th scope="row">${esc(DROP_REASON_LABELS[r] ?? r)}</th><td class="num">${n}</td></tr>`).join('')}</tbody></table>` : ''}
</section>`;
}

/** The questions a staff answer answered: what the service did not answer by itself in this run. */
function renderStaffAnswered(report: EvalReport): string {
  const list = report.breakdown?.staffAnswered ?? [];
  if (list.length === 0) return '';
  return `<section id="staff-answered">
  <h2>经人工答案作答的问题（${list.length}）</h2>
  <p class="note">这些问题由工作人员在控制台指定、审核通过的原文出处（或超出范围标记）作答，而不是服务自己读出的答案。</p>
  <table class="metrics"><thead><tr><th scope="col">问题</th><th scope="col">人工答案编号</th></tr></thead><tbody>${list.map((s) => `<tr><td>${esc(s.question)}</td><td><code>${esc(s.staffAnswerId)}</code></td></tr>`).join('')}</tbody></table>
</section>`;
}

function renderValidation(report: EvalReport): string {
  if (!report.validation?.length) return '';
  const rows = report.validation
    .map(
      (v) => `<tr><td>${esc(setLabel(v.set))}</td><td><code>${esc(v.caseId)}</code></td><td><code>${esc(v.docId)}</code></td><td>${esc(v.problem)}</td></tr>`,
    )
    .join('\n');
  return `<section id="validation" class="alert">
  <h2>⚠ 测试集校验问题（${report.validation.length} 处）</h2>
  <p>以下用例的预期与现行原文对不上，通常是政策文件更新后测试集未同步。这些用例的结果不可信，请先核对原文并更新测试集。</p>
  <table class="validation">
    <thead><tr><th scope="col">测试集</th><th scope="col">用例编号</th><th scope="col">文档</th><th scope="col">问题</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
</section>`;
}

function highlightSpan(context: string | undefined, quote: string): { html: string; found: boolean } {
  if (context && quote) {
    const at = context.indexOf(quote);
    if (at >= 0) {
      return {
        html: `${at > 0 ? '…' : ''}${esc(context.slice(0, at))}<mark>${esc(quote)}</mark>${esc(context.slice(at + quote.length))}${at + quote.length < context.length ? '…' : ''}`,
        found: true,
      };
    }
  }
  return { html: `<mark>${esc(quote)}</mark>`, found: false };
}

function renderCase(c: CaseOutcome, index: number, open: boolean): string {
  const problems = Array.isArray(c.problems) ? c.problems : [];
  const expected = Array.isArray(c.expected) ? c.expected : [];
  const answer = typeof c.answer === 'string' ? c.answer : undefined;
  const checkFacts = c.set === 'qa' && answer !== undefined;
  const expectedHtml = expected.length
    ? `<ul class="expected">${expected
        .map((e) => {
          if (!checkFacts) return `<li>${esc(e)}</li>`;
          const inAnswer = answer!.includes(String(e));
          return `<li class="${inAnswer ? 'fact-ok' : 'fact-missing'}">${inAnswer ? '✔' : '✘'} ${esc(e)}<span class="muted">${inAnswer ? '（回答中有）' : '（回答中缺少）'}</span></li>`;
        })
        .join('')}</ul>`
    : '<span class="muted">—</span>';
  const answerHtml = answer === undefined || answer === '' ? '<span class="muted">（无回答）</span>' : `<div class="text">${esc(answer)}</div>`;

  let sourceHtml = '';
  if (c.source) {
    const { html, found } = highlightSpan(c.source.context, c.source.quote ?? '');
    const pos = isNum(c.source.start) && c.source.start >= 0 && isNum(c.source.end) ? `，字符 ${c.source.start}–${c.source.end}` : '';
    const missing = !found || (isNum(c.source.start) && c.source.start < 0) ? '<p class="warn">原文中未找到这段预期引用（可能是文档已更新）。</p>' : '';
    sourceHtml = `<div class="side-by-side">
      <div class="pane">
        <h4>服务的回答</h4>
        ${answerHtml}
      </div>
      <div class="pane">
        <h4>原文出处 <code>${esc(c.source.docId)}</code><span class="muted">${esc(pos)}</span></h4>
        <div class="text source">${html}</div>
        ${missing}
      </div>
    </div>`;
  }

  const JUDGED: Record<string, string> = { right: '✔ 答对', wrong: '✘ 答错', declined: '○ 拒答' };
  const turnsHtml = c.turns?.length
    ? `<ol class="turns">${c.turns
        .map(
          (t) => `<li class="turn turn-${esc(t.judgement)}"><div><strong>${esc(JUDGED[t.judgement] ?? t.judgement)}</strong><span class="muted">（${esc(ASKED_TYPE_LABELS[t.askedType] ?? t.askedType)}）</span></div>
        <div class="text">问：${esc(t.question)}</div><div class="text">答：${esc(t.answer || '（无回答）')}</div>
        ${t.problems.length ? `<ul class="problems">${t.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : ''}</li>`,
        )
        .join('')}</ol>`
    : '';
  if (turnsHtml) {
    return `<details class="case" id="case-${index}"${open ? ' open' : ''}>
    <summary><code class="case-id">${esc(c.id)}</code><span class="summary-q">${esc((c.question ?? '').slice(0, 60))}</span><span class="problem-count">${problems.length} 处问题</span></summary>
    ${turnsHtml}
    <dl class="case-body"><dt>预期</dt><dd>${expectedHtml}</dd></dl>
  </details>`;
  }
  const body = `<dl class="case-body">
      ${c.question !== undefined ? `<dt>提问</dt><dd><div class="text">${esc(c.question)}</div></dd>` : ''}
      ${c.source ? '' : `<dt>服务的回答</dt><dd>${answerHtml}</dd>`}
      <dt>预期</dt><dd>${expectedHtml}</dd>
      <dt>发现的问题</dt><dd>${problems.length ? `<ul class="problems">${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '<span class="muted">—</span>'}</dd>
      ${isNum(c.latencyMs) ? `<dt>耗时</dt><dd>${esc(formatMetric(c.latencyMs, 'ms'))} ms</dd>` : ''}
    </dl>
    ${sourceHtml}`;
  const summaryQ = c.question ? `<span class="summary-q">${esc(c.question.length > 60 ? `${c.question.slice(0, 60)}…` : c.question)}</span>` : '';
  return `<details class="case" id="case-${index}"${open ? ' open' : ''}>
    <summary><code class="case-id">${esc(c.id)}</code>${summaryQ}<span class="problem-count">${problems.length} 处问题</span></summary>
    ${body}
  </details>`;
}

function renderFailures(report: EvalReport): string {
  const failing = (report.results ?? []).filter((r) => !r.pass);
  if (failing.length === 0) {
    return `<section id="failures"><h2>未通过的用例</h2><p class="all-pass">本次没有未通过的用例。</p></section>`;
  }
  const open = failing.length <= OPEN_FAILURES_MAX;
  const groups = new Map<string, CaseOutcome[]>();
  for (const r of failing) {
    const list = groups.get(r.set) ?? [];
    list.push(r);
    groups.set(r.set, list);
  }
  const order = [...SET_ORDER.filter((s) => groups.has(s)), ...[...groups.keys()].filter((s) => !SET_ORDER.includes(s)).sort()];
  let index = 0;
  const sections = order
    .map((set) => {
      const list = groups.get(set)!;
      const total = report.sets?.[set]?.cases;
      return `<section class="fail-group">
    <h3>${esc(setLabel(set))}<span class="muted">：${list.length} 个未通过${isNum(total) ? ` / 共 ${total} 个` : ''}</span></h3>
    ${list.map((c) => renderCase(c, ++index, open)).join('\n')}
  </section>`;
    })
    .join('\n');
  return `<section id="failures">
  <h2>未通过的用例（${failing.length} 个）</h2>
  <p class="note">${open ? '' : '用例较多，已折叠，点击标题展开。'}每个用例列出提问、服务的回答、预期和发现的问题；问答用例并排显示原文出处，<mark>高亮</mark>部分为预期引用。</p>
  ${sections}
</section>`;
}

const CSS = `
:root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f6f7f9; --card:#fff; --good:#15803d; --good-bg:#dcfce7; --bad:#b91c1c; --bad-bg:#fee2e2; --warn:#b45309; --accent:#1d4ed8; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.65;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.7rem; margin: 0; }
h2 { font-size: 1.3rem; margin: 0 0 .6rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
h4 { font-size: .95rem; margin: 0 0 .4rem; color: var(--muted); font-weight: 600; }
section, .page-header { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; margin-bottom: 18px; }
section section { border: none; padding: 0; margin: 0 0 12px; background: none; }
code { font-family: "Noto Sans Mono CJK SC", ui-monospace, Menlo, Consolas, monospace; font-size: .9em; background: #f1f5f9; padding: 0 4px; border-radius: 3px; }
.muted { color: var(--muted); font-weight: normal; }
.note { color: var(--muted); font-size: .9rem; margin: .2rem 0 .8rem; }
.title-row { display: flex; align-items: center; gap: 18px; flex-wrap: wrap; }
.badge { font-size: 1.25rem; font-weight: 700; padding: 4px 18px; border-radius: 999px; letter-spacing: .1em; }
.badge-pass { background: var(--good-bg); color: var(--good); border: 2px solid var(--good); }
.badge-fail { background: var(--bad-bg); color: var(--bad); border: 2px solid var(--bad); }
.verdict { margin: .6rem 0; font-weight: 600; }
.verdict-pass { color: var(--good); } .verdict-fail { color: var(--bad); }
.threshold-list { margin: 0 0 .6rem; color: var(--bad); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 8px 24px; margin: .8rem 0; }
.facts dt { color: var(--muted); font-size: .85rem; } .facts dd { margin: 0; font-weight: 600; word-break: break-all; }
.counts { display: flex; gap: 14px; flex-wrap: wrap; }
.count { border: 1px solid var(--line); border-radius: 8px; padding: 8px 18px; min-width: 120px; display: flex; flex-direction: column; }
.count-n { font-size: 1.6rem; font-weight: 700; } .count-l { color: var(--muted); font-size: .85rem; }
.count-pass .count-n { color: var(--good); } .count-fail .count-n { color: var(--bad); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 7px 10px; text-align: left; vertical-align: top; }
thead th { background: #f8fafc; font-size: .9rem; color: var(--muted); }
.metrics th[scope=row] { font-weight: 600; white-space: nowrap; }
.key { display: block; font-size: .75rem; color: var(--muted); font-weight: normal; font-family: ui-monospace, Menlo, Consolas, monospace; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.num { font-size: 1.05rem; }
td.num.bad { color: var(--bad); font-weight: 600; }
ol.turns { margin: 8px 0; padding-left: 1.4em; }
li.turn { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--line); }
li.turn-right { border-color: var(--good); }
li.turn-wrong { border-color: var(--bad); background: var(--bad-bg); }
li.turn-declined { border-color: var(--warn); }
.help { color: var(--muted); font-size: .9rem; }
.delta-good { color: var(--good); } .delta-bad { color: var(--bad); } .delta-same, .delta-none { color: var(--muted); }
td.delta-good, td.delta-bad, td.delta-same, td.delta-none { font-size: .9rem; }
.chart { display: block; max-width: 900px; }
svg text { font-family: inherit; fill: var(--fg); }
svg .axis { font-size: 11px; fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .bar-label { font-size: 14px; font-weight: 600; }
svg .bar-value { font-size: 13px; }
svg .bar-track { fill: #f1f5f9; }
svg .bar-good { fill: #22c55e; } svg .bar-warn { fill: #f59e0b; } svg .bar-bad { fill: #ef4444; } svg .bar-none { fill: none; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; stroke-linejoin: round; }
svg .dot { fill: var(--accent); } svg .dot-current { fill: #fff; stroke: var(--accent); stroke-width: 2.5; }
svg .hit { fill: transparent; } svg g:hover .hit { fill: rgba(29,78,216,.07); }
.sparks { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 14px; }
.spark { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 4px; }
.spark figcaption { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.spark-title { font-weight: 600; } .spark-value { font-size: 1.1rem; font-weight: 700; margin-left: auto; } .spark-delta { font-size: .8rem; }
.alert { border: 2px solid var(--bad); background: #fff7f7; }
.alert h2 { color: var(--bad); border-bottom-color: #fecaca; }
.validation td { background: #fff; }
details.case { border: 1px solid var(--line); border-left: 4px solid var(--bad); border-radius: 6px; margin: 0 0 10px; background: #fff; }
details.case > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
details.case[open] > summary { border-bottom: 1px solid var(--line); background: #fafafa; }
.case-id { font-weight: 700; } .summary-q { flex: 1 1 300px; } .problem-count { color: var(--bad); font-size: .85rem; margin-left: auto; }
.case-body { display: grid; grid-template-columns: 6.5em 1fr; gap: 6px 14px; margin: 12px 14px; }
.case-body dt { color: var(--muted); font-weight: 600; } .case-body dd { margin: 0; }
.case-body ul { margin: 0; padding-left: 1.2em; }
.text { white-space: pre-wrap; word-break: break-word; }
.problems li { color: var(--bad); }
.fact-ok { color: var(--good); } .fact-missing { color: var(--bad); }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin: 0 14px 14px; }
.pane { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fcfcfd; }
.source { font-size: .95rem; }
mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.warn { color: var(--warn); font-size: .9rem; margin: .4rem 0 0; }
.all-pass { color: var(--good); font-weight: 600; }
nav.toc { font-size: .9rem; margin: 0 0 14px; color: var(--muted); }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; }
footer { color: var(--muted); font-size: .8rem; text-align: center; }
@media (max-width: 760px) { .side-by-side { grid-template-columns: 1fr; } .case-body { grid-template-columns: 1fr; } }
@media print { body { background: #fff; } section, .page-header { break-inside: avoid-page; } details.case { break-inside: avoid; } }
`;

// ---------------------------------------------------------------- page

export function renderHtmlReport(report: EvalReport, history: Array<{ startedAt: string; metrics: Metrics }>, options: HtmlReportOptions = {}): string {
  const title = options.title ?? '政策问答服务评测报告';
  const runs = normalizeHistory(report, history);
  const currentIndex = runs.findIndex((r) => r.startedAt === report.startedAt);
  const previous = currentIndex > 0 ? runs[currentIndex - 1] : null;
  const failing = (report.results ?? []).filter((r) => !r.pass).length;
  const hasValidation = (report.validation?.length ?? 0) > 0;
  const toc = [
    hasValidation ? '<a href="#validation">测试集校验问题</a>' : '',
    '<a href="#metrics">指标</a>',
    report.breakdown && Object.keys(report.breakdown.sets).length ? '<a href="#breakdown">答对、答错与拒答</a>' : '',
    report.breakdown?.modelChecks ? '<a href="#model-checks">大模型逐句核验</a>' : '',
    '<a href="#sets">各测试集通过率</a>',
    '<a href="#history">历史趋势</a>',
    `<a href="#failures">未通过的用例（${failing}）</a>`,
  ].join('');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>${esc(title)} · ${esc(minuteTime(report.startedAt))}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${renderHeader(report, options, title)}
<nav class="toc">跳转：${toc}</nav>
${renderValidation(report)}
${renderMetricsTable(report, previous)}
${renderBreakdown(report)}
${renderModelChecks(report)}
${renderStaffAnswered(report)}
${renderSetChart(report)}
${renderHistory(report, history)}
${renderFailures(report)}
<footer>生成于 ${esc(fullTime(report.finishedAt))}（北京时间）· 语料哈希 ${esc(report.corpusHash || '—')}</footer>
</main>
</body>
</html>
`;
}
