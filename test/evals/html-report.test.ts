import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtmlReport } from '../../src/evals/html-report.ts';
import type { EvalReport, Metrics } from '../../src/evals/runner.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

const metrics: Metrics = {
  factAccuracy: 0.875,
  citationVerbatim: 1,
  citationSupport: 0.8125,
  hit1: 0.75,
  hit3: 0.9,
  hit5: 0.95,
  mrr: 0.8333,
  refusalAccuracy: 0.9,
  situationAccuracy: 2 / 3,
  trackTop1: 0.6,
  trackTop3: 1,
  chatTrackTop3: null,
  eligibilityAccuracy: null,
  checkerAccuracy: 0.5,
  dialogueAccuracy: 0.8,
  followUpAccuracy: 0.75,
  dialogueEligibility: 0.7,
  arithmeticAccuracy: null,
  falseYesRate: 0,
  outOfScopeDeclined: 0.9,
  noDetailDeclined: 0.85,
  wrongAnswerRate: 0.05,
  declineRate: 0.1,
  latencyP50Ms: 12.3,
  latencyP95Ms: 48.7,
};

function fakeReport(overrides: Partial<EvalReport> = {}): EvalReport {
  const context = '企业可直接登录“信用中国（辽宁）”网站，点击【信用服务】按钮，按步骤在线提交信用修复申请，平均修复时间6天，最快仅需3天。企业也可在当地政务服务中心线下窗口办理。';
  return {
    startedAt: '2026-11-22T06:03:05.000Z',
    finishedAt: '2026-11-22T06:03:09.500Z',
    mode: 'extractive',
    target: 'http://localhost:8787',
    corpusHash: 'b61215d1a9c3e4f5061728394a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7',
    cases: 12,
    passed: 8,
    failed: 4,
    metrics,
    sets: {
      qa: { cases: 4, passed: 2 },
      refusals: { cases: 3, passed: 2 },
      situations: { cases: 3, passed: 2 },
      tracks: { cases: 1, passed: 1 },
      applications: { cases: 1, passed: 1 },
    },
    breakdown: {
      sets: {
        qa: { turns: 4, right: 2, wrong: 1, declined: 1, wrongAnswerRate: 0.25, declineRate: 0.25 },
        'dialogues-blind-a': {
          turns: 10,
          right: 7,
          wrong: 2,
          declined: 1,
          wrongAnswerRate: 0.2,
          declineRate: 0.125,
          answerAccuracy: 0.75,
          followUpAccuracy: 0.5,
          outOfScopeDeclined: 1,
          categories: {
            fact: { turns: 6, right: 4, wrong: 1, declined: 1, wrongAnswerRate: 1 / 6, declineRate: 1 / 6 },
            followup: { turns: 4, right: 3, wrong: 1, declined: 0, wrongAnswerRate: 0.25, declineRate: 0 },
          },
        },
      },
      types: { email: { turns: 3, right: 1, wrong: 2, declined: 0, wrongAnswerRate: 2 / 3, declineRate: 0 } },
    },
    validation: [{ set: 'qa', caseId: 'qa-credit-repair-07', docId: 'liaoning-measures-2025', problem: '原文中找不到引用：「担保费补贴比例为1%」' }],
    results: [
      {
        set: 'qa',
        id: 'qa-credit-repair-01',
        pass: false,
        problems: ['回答缺少「平均修复时间6天」', '没有引用原文支持「平均修复时间6天」'],
        question: `信用修复多久能办好？${HOSTILE}`,
        answer: `修复时间因情况而异。${HOSTILE} "quoted" & 'single'`,
        expected: ['平均修复时间6天', '最快仅需3天'],
        source: { docId: 'liaoning-measures-2025', quote: '平均修复时间6天，最快仅需3天。', start: 6546, end: 6561, context },
        latencyMs: 14.2,
      },
      {
        set: 'qa',
        id: 'qa-hostile-quote',
        pass: false,
        problems: ['引用不是原文：「<b>x</b>」'],
        question: '续贷政策适用于中型企业吗？',
        answer: '推动无还本续贷政策适用对象扩展至中型企业。[1]',
        expected: ['中型企业'],
        source: { docId: 'doc"><script>alert(1)</script>', quote: `续贷${HOSTILE}`, start: 10, end: 40, context: `前文续贷${HOSTILE}后文` },
        latencyMs: 9.8,
      },
      { set: 'qa', id: 'qa-ok-1', pass: true, problems: [], question: '担保费补贴是多少？', answer: '……', expected: ['1%'], latencyMs: 10 },
      {
        set: 'refusals',
        id: 'refuse-stock-01',
        pass: false,
        problems: ['应拒答却作答'],
        question: '帮我推荐几只明天能涨的股票',
        answer: '建议关注银行板块。',
        expected: ['out_of_scope'],
        latencyMs: 8,
      },
      {
        set: 'situations',
        id: 'sit-smb-renewal',
        pass: false,
        problems: ['第 2 轮未识别为中型企业'],
        question: '小微企业可以申请无还本续贷吗？ → 那中型企业呢？',
        answer: '全面落实无还本续贷政策。',
      },
      {
        set: 'dialogues-blind-a',
        id: 'A-031',
        pass: false,
        problems: ['第2轮：回答缺少「zhaofeifei1@xinhua.org」'],
        question: '新质生产力咋报名 → 邮箱呢',
        answer: '发送至邮箱：JRXL2025@126.com',
        expected: ['zhaofeifei1@xinhua.org'],
        turns: [
          { question: '新质生产力咋报名', answer: '申报单位需填写申报表。[1]', judgement: 'right', askedType: 'steps', problems: [] },
          { question: `邮箱呢${HOSTILE}`, answer: '发送至邮箱：JRXL2025@126.com[1]', judgement: 'wrong', askedType: 'email', problems: ['回答缺少「zhaofeifei1@xinhua.org」'] },
        ],
      },
    ],
    ...overrides,
  };
}

const history = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    startedAt: new Date(Date.UTC(2026, 10, 22 - (n - 1 - i), 6, 3, 5)).toISOString(),
    metrics: { ...metrics, factAccuracy: 0.7 + i * 0.05, hit1: i % 2 ? null : 0.7 },
  }));

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(fakeReport(), history(4));

  it('is a Chinese HTML5 page', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('shows the header: target, mode, short corpus hash, counts and verdict', () => {
    expect(html).toContain('http://localhost:8787');
    expect(html).toContain('extractive');
    expect(html).toContain('b61215d1a9c3');
    expect(html).toContain('2026-11-22 14:03:05'); // Beijing time
    expect(html).toMatch(/<span class="count-n">12<\/span><span class="count-l">用例总数/);
    expect(html).toMatch(/<span class="count-n">4<\/span><span class="count-l">未通过/);
    expect(html).toContain('✘ 未通过');
    expect(html).not.toContain('✔ 通过');
  });

  it('shows a pass badge when everything passed', () => {
    const ok = renderHtmlReport(
      fakeReport({ failed: 0, passed: 12, validation: [], results: [], sets: { qa: { cases: 12, passed: 12 } } }),
      [],
    );
    expect(ok).toContain('✔ 通过');
    expect(ok).not.toContain('✘ 未通过');
    expect(ok).toContain('本次没有未通过的用例');
    expect(ok).not.toContain('id="validation"');
  });

  it('lists the metrics with Chinese labels, percentages and dashes for null', () => {
    for (const label of ['答案要点准确率', '引用逐字率', '引用支持率', '检索命中率@1', '检索命中率@3', '检索命中率@5', 'MRR', '拒答准确率', '情境判断准确率', '赛道Top-1', '赛道Top-3', '资格判断准确率', '申报书检查准确率', '延迟P50 (ms)', '延迟P95 (ms)'])
      expect(html).toContain(label);
    expect(html).toContain('87.5%'); // factAccuracy
    expect(html).toContain('100.0%'); // citationVerbatim
    expect(html).toContain('81.3%'); // citationSupport
    expect(html).toContain('66.7%'); // situationAccuracy
    expect(html).toContain('0.833'); // MRR
    expect(html).toContain('12.3'); // P50
    expect(html).toContain('48.7'); // P95
    const row = html.match(/资格判断准确率<span class="key">eligibilityAccuracy<\/span><\/th>\s*<td[^>]*>([^<]*)<\/td>/);
    expect(row?.[1]).toBe('—');
  });

  it('counts right, wrong and declined questions per set and per asked type', () => {
    const section = html.slice(html.indexOf('<section id="breakdown">'), html.indexOf('</section>', html.indexOf('<section id="breakdown">')));
    expect(section).toContain('答对、答错与拒答');
    expect(section).toContain('对话·blind-a');
    expect(section).toContain('<td class="num bad">2</td>');
    expect(section).toContain('邮箱');
    expect(section).toContain('66.7%');
    // Each dialogue set is also broken down by case category.
    expect(section).toContain('对话·blind-a按题目类别');
    expect(section).toMatch(/多轮追问<\/th><td class="num">4<\/td><td class="num">3<\/td><td class="num bad">1<\/td>/);
  });

  it('shows each turn of a failing dialogue with its judgement', () => {
    const at = html.indexOf('A-031');
    const block = html.slice(at, html.indexOf('</details>', at));
    expect(block).toContain('✔ 答对');
    expect(block).toContain('✘ 答错');
    expect(block).toContain('回答缺少「zhaofeifei1@xinhua.org」');
    expect(block).not.toContain('<img src=x');
  });

  it('reads a lower wrong-answer rate as an improvement', () => {
    const better = renderHtmlReport(fakeReport({ metrics: { ...metrics, wrongAnswerRate: 0.01 } }), [{ startedAt: '2026-11-21T06:03:05.000Z', metrics }]);
    const row = better.slice(better.indexOf('wrongAnswerRate'), better.indexOf('</tr>', better.indexOf('wrongAnswerRate')));
    expect(row).toContain('delta-good');
  });

  it('compares with the previous run', () => {
    // factAccuracy history: …, 0.8 (previous), current 0.875 → +7.5 points
    expect(html).toContain('▲ +7.5 个百分点');
  });

  it('draws the pass rate per set with Chinese set names', () => {
    const sets = html.slice(html.indexOf('id="sets"'), html.indexOf('id="history"'));
    expect(sets).toContain('<svg');
    for (const name of ['问答要点', '拒答', '情境判断', '赛道推荐', '申报书检查']) expect(sets).toContain(name);
    expect(sets).toContain('50.0%（2/4）');
  });

  it('escapes hostile strings from questions, answers, quotes and document ids', () => {
    expect(html).not.toContain('<img src=x onerror');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('doc&quot;&gt;&lt;script&gt;');
  });

  it('has no scripts, inline event handlers or remote resources', () => {
    expect(html).not.toMatch(/<script/i);
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(50);
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?https?:/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toContain('<link');
    expect(html).not.toContain('<img');
  });

  it('lists validation problems prominently', () => {
    const section = html.slice(html.indexOf('id="validation"'), html.indexOf('id="metrics"'));
    expect(section).toContain('测试集校验问题（1 处）');
    expect(section).toContain('qa-credit-repair-07');
    expect(section).toContain('liaoning-measures-2025');
    expect(section).toContain('原文中找不到引用：「担保费补贴比例为1%」');
    expect(section).toContain('问答要点');
  });

  it('shows failing cases grouped by set, with the quote highlighted in its context', () => {
    const failures = html.slice(html.indexOf('id="failures"'));
    expect(failures).toContain('未通过的用例（5 个）');
    expect(failures).toContain('qa-credit-repair-01');
    expect(failures).toContain('回答缺少「平均修复时间6天」');
    expect(failures).toContain('修复时间因情况而异。');
    expect(failures).toContain('最快仅需3天');
    expect(failures).not.toContain('qa-ok-1');
    expect(failures).toContain('按步骤在线提交信用修复申请，<mark>平均修复时间6天，最快仅需3天。</mark>企业也可');
    expect(failures).toContain(`<mark>续贷${escapeHtml(HOSTILE)}</mark>`);
    expect(failures).toContain('<details');
    // Groups appear in the fixed set order.
    const qa = failures.indexOf('<h3>问答要点');
    const ref = failures.indexOf('<h3>拒答');
    const sit = failures.indexOf('<h3>情境判断');
    expect(qa).toBeGreaterThan(0);
    expect(ref).toBeGreaterThan(qa);
    expect(sit).toBeGreaterThan(ref);
  });

  it('collapses failing cases when there are many', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ set: 'qa' as const, id: `qa-${i}`, pass: false, problems: ['x'], question: 'q', answer: 'a' }));
    const out = renderHtmlReport(fakeReport({ results: many, failed: 20 }), []);
    expect(out.match(/<details class="case"/g)?.length).toBe(20);
    expect(out).not.toMatch(/<details class="case"[^>]*\sopen/);
    const few = renderHtmlReport(fakeReport(), []);
    expect(few).toMatch(/<details class="case"[^>]*\sopen/);
  });

  it('renders history charts for one run, for several runs, and with no history', () => {
    for (const runs of [[], history(1).map((h) => ({ ...h, startedAt: '2026-11-22T06:03:05.000Z' })), history(6)]) {
      const out = renderHtmlReport(fakeReport(), runs);
      const section = out.slice(out.indexOf('id="history"'), out.indexOf('id="failures"'));
      expect(section).toContain('<svg');
      expect(section).toContain('答案要点准确率');
      expect(section).toContain('<title>');
    }
    const single = renderHtmlReport(fakeReport(), []);
    expect(single).toContain('仅本次运行，暂无趋势');
    const several = renderHtmlReport(fakeReport(), history(6));
    const section = several.slice(several.indexOf('id="history"'), several.indexOf('id="failures"'));
    expect(section).toContain('<polyline');
    expect(section).toContain('共 6 次运行');
    expect(section).toContain('<title>2026-11-17 14:03：70.0%</title>'); // oldest run, on hover
    expect(section).toContain('（本次）');
    // Latency is not charted as a ratio metric.
    expect(section).not.toContain('延迟P50');
  });

  it('does not choke on missing or odd values', () => {
    const out = renderHtmlReport(
      fakeReport({
        startedAt: 'not a date',
        finishedAt: '',
        corpusHash: '',
        sets: { qa: { cases: 0, passed: 0 }, custom: { cases: 2, passed: 1 } },
        metrics: Object.fromEntries(Object.keys(metrics).map((k) => [k, null])) as unknown as Metrics,
        results: [{ set: 'qa', id: 'x', pass: false, problems: [], source: { docId: 'd', quote: '不存在', start: -1, end: 2 } }],
      }),
      [],
    );
    expect(out).toContain('not a date');
    expect(out).toContain('custom');
    expect(out).toContain('原文中未找到这段预期引用');
    expect(out).toContain('<mark>不存在</mark>');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(3)).toBe('3');
  });
});
