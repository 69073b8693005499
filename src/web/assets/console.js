// 政策问答服务 · 工作人员控制台（/console）。
// Plain script, no dependencies. Everything that comes from the server is put
// on the page as text nodes (textContent / createTextNode), never as HTML.
(function () {
  'use strict';

  var TOKEN_KEY = 'policy-console-admin-token';
  var NAME_KEY = 'policy-console-staff-name';
  var POLL_MS = 1000;

  // Mirrors METRIC_DEFS in src/evals/metrics.ts (names, labels, directions, one-line help); `chart`: drawn in the history.
  var METRICS = [
    { key: 'factAccuracy', label: '答案要点准确率', kind: 'ratio', chart: true, help: '问答集：预期要点出现在回答中的比例' },
    { key: 'citationVerbatim', label: '引用逐字率', kind: 'ratio', chart: true, help: '回答所附引用与原文逐字一致的比例' },
    { key: 'citationSupport', label: '引用支持率', kind: 'ratio', chart: true, help: '预期要点有原文引用支持的比例' },
    { key: 'hit1', label: '检索命中率@1', kind: 'ratio', help: '检索第 1 条结果即为预期原文出处的问题比例' },
    { key: 'hit3', label: '检索命中率@3', kind: 'ratio', chart: true, help: '检索前 3 条结果包含预期原文出处的问题比例' },
    { key: 'hit5', label: '检索命中率@5', kind: 'ratio', help: '检索前 5 条结果包含预期原文出处的问题比例' },
    { key: 'mrr', label: 'MRR', kind: 'score', chart: true, help: '预期原文出处排名倒数的平均值，越接近 1 越好' },
    { key: 'refusalAccuracy', label: '拒答准确率', kind: 'ratio', chart: true, help: '应当拒答的问题被正确拒答的比例' },
    { key: 'dialogueAccuracy', label: '对话事实题答对率', kind: 'ratio', chart: true, help: '对话集（含盲测集）的单轮事实题：要点齐全、是否结论正确、引用所问文件的比例' },
    { key: 'followUpAccuracy', label: '追问答对率', kind: 'ratio', chart: true, help: '对话集中第二轮及以后（省略了主语的追问）答对的比例' },
    { key: 'dialogueEligibility', label: '对话资格题答对率', kind: 'ratio', chart: true, help: '对话集中企业描述自身情况、问能否享受或能否申报的问题答对的比例' },
    { key: 'arithmeticAccuracy', label: '对话计算题答对率', kind: 'ratio', chart: true, help: '对话集中需要按原文规则计算（提前一个月的日期、加权总分、不良率容忍度、字数与大小限制）的问题答对的比例' },
    { key: 'falseYesRate', label: '误判符合率', kind: 'ratio', chart: true, lowerIsBetter: true, help: '原文规则判定不符合、或取决于用户没有说明的情况时，回答却直接说“可以/符合”的比例；最严重的一类答错，应为 0' },
    { key: 'outOfScopeDeclined', label: '超范围拒答率', kind: 'ratio', chart: true, help: '对话集中问外省政策、个人金融、其他年度、具体纠纷等超出文件范围的问题被拒答的比例' },
    { key: 'noDetailDeclined', label: '无依据拒答率', kind: 'ratio', chart: true, help: '对话集中问到文件没有写的细节（奖金、利率、某处的电话）被拒答的比例' },
    { key: 'wrongAnswerRate', label: '答错率', kind: 'ratio', chart: true, lowerIsBetter: true, help: '作答但答错（缺要点、结论相反、引用了别的文件、该拒答却作答）的问题占全部问题的比例，越低越好' },
    { key: 'declineRate', label: '误拒率', kind: 'ratio', chart: true, lowerIsBetter: true, help: '原文能回答、服务却拒答的问题占应作答问题的比例，越低越好' },
    { key: 'situationAccuracy', label: '情境判断准确率', kind: 'ratio', chart: true, help: '多轮情境对话全部判断正确的比例' },
    { key: 'trackTop1', label: '赛道 Top-1', kind: 'ratio', chart: true, help: '推荐的第一个赛道即为正确赛道的比例' },
    { key: 'trackTop3', label: '赛道 Top-3', kind: 'ratio', chart: true, help: '正确赛道出现在前三个推荐中的比例' },
    { key: 'chatTrackTop3', label: '对话赛道 Top-3', kind: 'ratio', chart: true, help: '把案例描述直接发到对话框时，回答推荐的前三个赛道包含正确赛道的比例' },
    { key: 'eligibilityAccuracy', label: '资格判断准确率', kind: 'ratio', chart: true, help: '参评资格判断正确的比例' },
    { key: 'checkerAccuracy', label: '申报书检查准确率', kind: 'ratio', chart: true, help: '申报书检查结果与预期一致的比例' },
    { key: 'latencyP50Ms', label: '延迟 P50', kind: 'ms', lowerIsBetter: true, help: '一半的请求在此时间内完成，越低越好' },
    { key: 'latencyP95Ms', label: '延迟 P95', kind: 'ms', chart: true, lowerIsBetter: true, help: '95% 的请求在此时间内完成，越低越好' },
  ];
  var SET_LABELS = { qa: '问答要点', refusals: '拒答', situations: '情境判断', tracks: '赛道推荐', applications: '申报书检查' };
  var TYPE_LABELS = { date: '日期/截止', period: '期限/时长', phone: '电话', email: '邮箱', address: '地址', website: '网址/平台', organiser: '主办/责任单位', materials: '材料', format: '格式/字数/大小', list: '列举', steps: '步骤', yesno: '是否', amount: '金额/比例/数量', reason: '原因/目的', other: '其他', decline: '应拒答' };
  var CATEGORY_LABELS = { fact: '单轮事实题', followup: '多轮追问', eligibility: '资格判断', arithmetic: '规则计算', decline: '应拒答' };
  var DECLINE_LABELS = { out_of_scope: '超出文件范围', no_evidence: '原文中没有依据', manipulation: '套取指令或越权要求', empty: '问题为空', unknown: '原因未记录' };
  var DOC_KINDS = { measures: '政策举措', campaign: '案例征集', guide: '操作指南' };
  var SECTION_KINDS = { preamble: '开头', label: '段落标签', item: '条目' };
  var STAFF_STATUS = { pending: ['待审核', 'warn'], approved: ['已生效', 'ok'], rejected: ['已驳回', 'bad'], withdrawn: ['已撤销', 'plain'] };

  // ------------------------------------------------------------ DOM helpers

  function $(id) {
    return document.getElementById(id);
  }

  /** Builds an element; string children become text nodes. `props`: className, text, attrs, on. */
  function h(tag, props) {
    var el = document.createElement(tag);
    applyProps(el, props);
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs) {
    var el = document.createElementNS(SVG_NS, tag);
    for (var name in attrs || {}) el.setAttribute(name, String(attrs[name]));
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function applyProps(el, props) {
    if (!props) return;
    if (props.className) el.className = props.className;
    if (props.text !== undefined && props.text !== null) el.textContent = String(props.text);
    var attrs = props.attrs || {};
    for (var name in attrs) if (attrs[name] !== undefined && attrs[name] !== null && attrs[name] !== false) el.setAttribute(name, String(attrs[name]));
    var on = props.on || {};
    for (var type in on) el.addEventListener(type, on[type]);
  }

  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(parent, c); });
      return;
    }
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function fill(el) {
    clear(el);
    for (var i = 1; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function badge(text, tone) {
    return h('span', { className: 'badge ' + (tone || 'plain'), text: text });
  }

  function notice(text) {
    return h('p', { className: 'notice', text: text });
  }

  // ------------------------------------------------------------ formatting

  var timeParts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  });

  /** ISO time → “2026-11-22 10:54:43” (Beijing time). */
  function fmtTime(iso, withSeconds) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso || '');
    var p = {};
    timeParts.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    var hour = p.hour === '24' ? '00' : p.hour;
    return p.year + '-' + p.month + '-' + p.day + ' ' + hour + ':' + p.minute + (withSeconds ? ':' + p.second : '');
  }

  function fmtMetric(value, kind) {
    if (value === null || value === undefined || typeof value !== 'number' || !isFinite(value)) return '—';
    if (kind === 'ratio') return (value * 100).toFixed(1) + '%';
    if (kind === 'ms') return (Math.round(value * 10) / 10) + ' ms';
    return value.toFixed(3);
  }

  /** The change from `before` to `now`, as text and a tone (better/worse); latency is better when lower. */
  function fmtDelta(now, before, kind, lowerIsBetter) {
    if (typeof now !== 'number' || typeof before !== 'number') return { text: '—', tone: 'flat' };
    var diff = now - before;
    var shown = kind === 'ratio' ? (diff * 100).toFixed(1) + ' 个百分点' : kind === 'ms' ? (Math.round(diff * 10) / 10) + ' ms' : diff.toFixed(3);
    if (Math.abs(diff) < (kind === 'ms' ? 0.05 : 0.0005)) return { text: '持平', tone: 'flat' };
    var better = kind === 'ms' || lowerIsBetter ? diff < 0 : diff > 0;
    return { text: (diff > 0 ? '▲ +' : '▼ ') + shown.replace(/^-/, '−'), tone: better ? 'up' : 'down' };
  }

  function pct(n, d) {
    return d ? ((n / d) * 100).toFixed(1) + '%' : '—';
  }

  /** A threshold as people write it: 0.915 → “91.5%”, 0.0325 → “3.25%”, 250 → “250 ms”. */
  function fmtThreshold(value, kind) {
    if (typeof value !== 'number' || !isFinite(value)) return '—';
    if (kind === 'ratio') return String(Math.round(value * 10000) / 100) + '%';
    if (kind === 'ms') return String(Math.round(value * 10) / 10) + ' ms';
    return String(Math.round(value * 1000) / 1000);
  }

  function metricDef(key) {
    return METRICS.filter(function (m) { return m.key === key; })[0] || null;
  }

  /** Whether `value` meets `threshold` in the metric's direction; null when either is missing. */
  function meets(metric, value, threshold) {
    if (typeof value !== 'number' || !isFinite(value) || typeof threshold !== 'number') return null;
    return metric.lowerIsBetter ? value <= threshold : value >= threshold;
  }

  /** “追问答对率 66.7%，低于阈值 91.5%”: a missed threshold in words. */
  function missSentence(metric, value, threshold) {
    var limit = fmtThreshold(threshold, metric.kind);
    var shown = fmtMetric(value, metric.kind);
    if (shown === limit && metric.kind === 'ratio') shown = (value * 100).toFixed(2) + '%';
    return metric.label + ' ' + shown + '，' + (metric.lowerIsBetter ? '高于' : '低于') + '阈值 ' + limit;
  }

  /**
   * A run's verdict against the thresholds: 达标 only when no metric misses its threshold, the server reported no
   * failures and the eval sets match the sources; otherwise one plain sentence per reason.
   */
  function verdictOf(run) {
    var reasons = [];
    var missed = {};
    var metrics = run.metrics || {};
    METRICS.forEach(function (m) {
      var limit = thresholds[m.key];
      if (meets(m, metrics[m.key], limit) === false) {
        missed[m.key] = true;
        reasons.push(missSentence(m, metrics[m.key], limit));
      }
    });
    (run.failures || []).forEach(function (f) {
      // The server's own wording is “followUpAccuracy = 0.667，低于阈值 0.915”: put it in words unless already said.
      var parsed = /^(\w+) = (-?[\d.]+)，(?:低于|高于)阈值 (-?[\d.]+)$/.exec(String(f));
      var m = parsed && metricDef(parsed[1]);
      if (m) {
        if (!missed[m.key]) {
          missed[m.key] = true;
          reasons.push(missSentence(m, Number(parsed[2]), Number(parsed[3])));
        }
        return;
      }
      if (/个评测案例与原文不符$/.test(String(f)) && (run.validation || []).length) return; // said below
      reasons.push(String(f));
    });
    if ((run.validation || []).length) reasons.push('评测集中有 ' + run.validation.length + ' 处案例与原文不符（见「评测集与原文核对」）');
    return { ok: reasons.length === 0, reasons: reasons };
  }

  function setLabel(name) {
    if (SET_LABELS[name]) return SET_LABELS[name];
    var dialogue = /^dialogues-?(.*)$/.exec(name);
    return dialogue ? '对话' + (dialogue[1] ? '·' + dialogue[1] : '') : name;
  }

  /** Right, wrong and declined questions per set and per asked type (a wrong answer is worse than a decline). */
  function breakdownBlock(run) {
    var b = run.breakdown;
    if (!b || !b.sets || !Object.keys(b.sets).length) return h('div');
    var rate = function (v) { return typeof v === 'number' ? (v * 100).toFixed(1) + '%' : '—'; };
    var table = function (label, rows, labelOf) {
      return h('table', { attrs: { 'aria-label': label } },
        h('thead', null, h('tr', null, h('th', { text: label }), h('th', { className: 'num', text: '问题' }), h('th', { className: 'num', text: '答对' }), h('th', { className: 'num', text: '答错' }), h('th', { className: 'num', text: '拒答' }), h('th', { className: 'num', text: '答错率' }), h('th', { className: 'num', text: '误拒率' }))),
        h('tbody', null, Object.keys(rows).map(function (k) {
          var t = rows[k];
          return h('tr', { attrs: { 'data-breakdown': k } }, h('td', { text: labelOf(k) }), h('td', { className: 'num', text: String(t.turns) }), h('td', { className: 'num', text: String(t.right) }),
            h('td', { className: 'num' + (t.wrong ? ' down' : ''), text: String(t.wrong) }), h('td', { className: 'num', text: String(t.declined) }), h('td', { className: 'num', text: rate(t.wrongAnswerRate) }), h('td', { className: 'num', text: rate(t.declineRate) }));
        })));
    };
    return h('div', { attrs: { id: 'breakdown' } },
      h('h3', { text: '答对、答错与拒答' }),
      h('p', { className: 'hint', text: '答错（作答但缺要点、结论相反、引用别的文件，或该拒答却作答）比拒答更糟，两者分开统计。' }),
      table('评测集', b.sets, setLabel),
      Object.keys(b.sets).filter(function (k) { return b.sets[k].categories; }).map(function (k) {
        return table(setLabel(k) + ' · 题目类别', b.sets[k].categories, function (c) { return CATEGORY_LABELS[c] || c; });
      }),
      b.types && Object.keys(b.types).length ? table('所问类型', b.types, function (k) { return TYPE_LABELS[k] || k; }) : h('div'));
  }

  function declineLabel(reason) {
    return DECLINE_LABELS[reason] || reason || DECLINE_LABELS.unknown;
  }

  // ------------------------------------------------------------ API and sign-in

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  // Kept in sessionStorage; in memory too, for browsers that block storage.
  var memoryToken = '';
  function token() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || memoryToken;
    } catch (e) {
      return memoryToken;
    }
  }

  /** Calls the service with the admin token; a 401/403 signs the staff member out and asks for the token again. */
  function api(path, options) {
    options = options || {};
    var headers = { Accept: 'application/json' };
    var t = options.token !== undefined ? options.token : token();
    if (t) headers.Authorization = 'Bearer ' + t;
    var init = { method: options.method || 'GET', headers: headers, cache: 'no-store' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    return fetch(path, init).then(
      function (res) {
        return res.json().then(
          function (data) { return { res: res, data: data }; },
          function () { return { res: res, data: null }; },
        );
      },
      function () {
        throw new ApiError(0, 'network', '无法连接服务，请检查网络或稍后再试。');
      },
    ).then(function (r) {
      if (r.res.ok) return { status: r.res.status, data: r.data };
      var error = (r.data && r.data.error) || {};
      var err = new ApiError(r.res.status, error.code || 'http_' + r.res.status, error.message || '请求失败（HTTP ' + r.res.status + '），请稍后再试。');
      if ((r.res.status === 401 || r.res.status === 403) && !options.token) signOut(authMessage(err));
      throw err;
    });
  }

  function authMessage(err) {
    if (err.status === 401) return '管理令牌不正确或已失效，请重新输入。（' + err.message + '）';
    return err.message;
  }

  function showError(err) {
    if (err && (err.status === 401 || err.status === 403)) return; // already back at the sign-in form
    var box = $('app-error');
    box.textContent = (err && err.message) || '出错了，请稍后再试。';
    box.hidden = false;
  }

  function clearError() {
    $('app-error').hidden = true;
  }

  function signOut(message) {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      /* storage unavailable: nothing to remove */
    }
    memoryToken = '';
    stopPolling();
    closeDialog($('attach-dialog'));
    closeDialog($('name-dialog'));
    $('app').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    var box = $('signin-error');
    box.textContent = message || '';
    box.hidden = !message;
    var input = $('token');
    input.value = '';
    input.focus();
  }

  /** Shows the console; `focus`: move focus to the selected tab (after signing in with the form, whose field goes away). */
  function signedIn(focus) {
    $('signin').hidden = true;
    $('signin-error').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    loaded = {};
    var wanted = (location.hash || '').replace('#', '');
    selectTab(TABS.indexOf(wanted) >= 0 ? wanted : 'evals', focus === true);
  }

  $('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = $('token').value.trim();
    var box = $('signin-error');
    if (!value) {
      box.textContent = '请输入管理令牌。';
      box.hidden = false;
      return;
    }
    box.hidden = true;
    // Any admin route checks the token; the questions log is the cheapest.
    api('/api/admin/questions?limit=1', { token: value }).then(
      function () {
        try {
          sessionStorage.setItem(TOKEN_KEY, value);
        } catch (e) {
          /* storage unavailable: the token lives only in this page */
        }
        memoryToken = value;
        signedIn(true);
      },
      function (err) {
        box.textContent = err.status === 401 || err.status === 403 ? authMessage(err) : err.message;
        box.hidden = false;
        $('token').select();
      },
    );
  });

  $('signout').addEventListener('click', function () {
    signOut('');
  });

  // ------------------------------------------------------------ tabs

  var TABS = ['evals', 'questions', 'corpus'];
  var loaded = {};

  function selectTab(name, focus) {
    TABS.forEach(function (t) {
      var tab = $('tab-' + t);
      var on = t === name;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $('panel-' + t).hidden = !on;
    });
    if (focus) $('tab-' + name).focus();
    if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
    clearError();
    if (name === 'evals') loadRuns();
    if (name === 'questions') loadQuestions();
    if (name === 'corpus' && !loaded.corpus) {
      loaded.corpus = true;
      loadDocuments();
    }
  }

  TABS.forEach(function (t, i) {
    var tab = $('tab-' + t);
    tab.addEventListener('click', function () { selectTab(t, false); });
    tab.addEventListener('keydown', function (event) {
      var next = null;
      if (event.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
      else if (event.key === 'ArrowLeft') next = TABS[(i + TABS.length - 1) % TABS.length];
      else if (event.key === 'Home') next = TABS[0];
      else if (event.key === 'End') next = TABS[TABS.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next, true);
      }
    });
  });

  // ------------------------------------------------------------ 评测

  var runs = [];
  var thresholds = {};
  var currentRun = null;
  var selectedRunId = null;
  var pollTimer = null;
  var pollingId = null;

  function loadRuns() {
    return api('/api/evals/runs').then(function (r) {
      runs = (r.data && r.data.runs) || [];
      thresholds = (r.data && r.data.thresholds) || {};
      renderRuns();
      renderCharts();
      var running = r.data && r.data.running;
      if (running && running.runId && pollingId !== running.runId) startPolling(running.runId);
      var stillThere = runs.some(function (x) { return x.id === selectedRunId; });
      if (!stillThere && runs.length) selectRun(runs[0].id);
      else if (stillThere) markSelectedRun();
    }, showError);
  }

  function renderRuns() {
    var box = $('runs');
    if (!runs.length) {
      fill(box, notice('还没有评测记录。点击上方「立即运行」开始第一次评测。'));
      return;
    }
    fill(
      box,
      runs.map(function (run) {
        var ok = verdictOf(run).ok;
        return h(
          'button',
          { className: 'run', attrs: { type: 'button', 'data-run-id': run.id, 'aria-pressed': 'false' }, on: { click: function () { selectRun(run.id); } } },
          h('span', { className: 'when', text: fmtTime(run.startedAt, true) }),
          ok ? badge('达标', 'ok') : badge('未达标', 'bad'),
          h('span', { className: 'meta', text: run.cases + ' 个用例，通过 ' + run.passed + '（' + pct(run.passed, run.cases) + '） · ' + run.mode + ' · ' + run.target }),
        );
      }),
    );
    markSelectedRun();
  }

  function markSelectedRun() {
    Array.prototype.forEach.call($('runs').querySelectorAll('button.run'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-run-id') === selectedRunId ? 'true' : 'false');
    });
  }

  function renderCharts() {
    var box = $('charts');
    if (!runs.length) {
      fill(box, notice('运行评测后，这里按指标画出历史趋势。'));
      return;
    }
    var history = runs.slice().reverse(); // oldest → newest
    fill(
      box,
      METRICS.filter(function (m) { return m.chart; }).map(function (m) {
        return lineChart(m, history);
      }),
    );
  }

  /** One metric over the runs as an inline SVG line chart; each point has a tooltip with its run time and value. */
  function lineChart(metric, history) {
    var W = 196, H = 96, left = 38, right = 8, top = 8, bottom = 16;
    var values = history.map(function (r) {
      var v = r.metrics ? r.metrics[metric.key] : null;
      return typeof v === 'number' && isFinite(v) ? v : null;
    });
    var present = values.filter(function (v) { return v !== null; });
    var latest = present.length ? present[present.length - 1] : null;
    var lo, hi;
    if (metric.kind === 'ms') {
      lo = 0;
      hi = Math.max(1, Math.max.apply(null, present.length ? present : [1]) * 1.25);
    } else {
      var min = present.length ? Math.min.apply(null, present) : 0;
      var max = present.length ? Math.max.apply(null, present) : 1;
      lo = Math.max(0, min - 0.05);
      hi = Math.min(1, max + 0.05);
      if (hi - lo < 0.2) {
        var mid = (hi + lo) / 2;
        lo = Math.max(0, mid - 0.1);
        hi = Math.min(1, lo + 0.2);
        lo = Math.max(0, hi - 0.2);
      }
    }
    var n = values.length;
    var x = function (i) { return n === 1 ? left + (W - left - right) / 2 : left + (i * (W - left - right)) / (n - 1); };
    var y = function (v) { return top + (1 - (v - lo) / (hi - lo || 1)) * (H - top - bottom); };
    var label = function (v) { return metric.kind === 'ratio' ? Math.round(v * 100) + '%' : metric.kind === 'ms' ? Math.round(v) + 'ms' : v.toFixed(2); };

    var svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': metric.label + '的历史趋势：共 ' + n + ' 次运行，最近一次 ' + fmtMetric(latest, metric.kind) });
    [hi, (hi + lo) / 2, lo].forEach(function (v) {
      svg.appendChild(s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: '#e6e9ef', 'stroke-width': 1 }));
      svg.appendChild(s('text', { x: left - 5, y: y(v) + 3.5, 'text-anchor': 'end', 'font-size': 11, fill: '#7a8494' }, label(v)));
    });
    svg.appendChild(s('text', { x: left, y: H - 3, 'font-size': 9, fill: '#9aa3b1' }, n > 1 ? '旧' : ''));
    svg.appendChild(s('text', { x: W - right, y: H - 3, 'font-size': 9, fill: '#9aa3b1', 'text-anchor': 'end' }, n > 1 ? '新' : ''));
    // Lines between consecutive known values; a missing metric breaks the line.
    var segment = [];
    var flush = function () {
      if (segment.length > 1) svg.appendChild(s('polyline', { points: segment.join(' '), fill: 'none', stroke: '#1f5fbf', 'stroke-width': 2, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
      segment = [];
    };
    values.forEach(function (v, i) {
      if (v === null) return flush();
      segment.push(x(i).toFixed(1) + ',' + y(v).toFixed(1));
    });
    flush();
    values.forEach(function (v, i) {
      if (v === null) return;
      var last = i === n - 1;
      svg.appendChild(
        s('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: last ? 3.6 : 2.6, fill: last ? '#1f5fbf' : '#fff', stroke: '#1f5fbf', 'stroke-width': 1.5 },
          s('title', null, fmtTime(history[i].startedAt) + '：' + fmtMetric(v, metric.kind))),
      );
    });
    return h('figure', { className: 'chart', attrs: { 'data-metric': metric.key } },
      h('figcaption', null, h('b', { text: metric.label }), h('span', { text: fmtMetric(latest, metric.kind) })),
      svg);
  }

  function selectRun(id) {
    selectedRunId = id;
    markSelectedRun();
    // Until the chosen run's detail arrives, the one shown is another run's: say so rather than let it pass for this one.
    var section = $('run-detail');
    if (section.getAttribute('data-run-id') !== id) section.setAttribute('aria-busy', 'true');
    var titles = loadDocumentList().catch(function () { return []; });
    return Promise.all([api('/api/evals/runs/' + encodeURIComponent(id)), titles]).then(function (all) {
      var r = all[0];
      if (selectedRunId !== id) return;
      if (r.data.status === 'running') return;
      renderRunDetail(r.data);
    }, showError);
  }

  function renderRunDetail(run) {
    var section = $('run-detail');
    section.hidden = false;
    section.setAttribute('data-run-id', run.id);
    section.removeAttribute('aria-busy');
    $('run-detail-meta').textContent = fmtTime(run.startedAt, true) + ' 开始 · ' + run.mode + ' · ' + run.target + ' · 语料 ' + String(run.corpusHash || '').slice(0, 10);
    var comparison = run.comparison || { previousId: null, newlyFailing: [], newlyPassing: [] };
    var previous = runs.filter(function (x) { return x.id === comparison.previousId; })[0] || null;
    var failures = run.failures || [];
    var validation = run.validation || [];
    var verdict = verdictOf(run);
    currentRun = run;

    var verdictBlock = h('section', { className: 'verdict ' + (verdict.ok ? 'ok' : 'bad'), attrs: { id: 'run-verdict', 'data-verdict': verdict.ok ? 'pass' : 'fail', 'aria-label': '结论' } },
      h('div', { className: 'verdict-head' },
        h('strong', { className: 'verdict-word', text: verdict.ok ? '达标' : '未达标' }),
        h('span', { text: verdict.ok
          ? '所有设了阈值的指标都达到阈值，评测集与原文一致。'
          : '有 ' + verdict.reasons.length + ' 项没有达到要求：' })),
      verdict.ok ? null : h('ul', { className: 'plain reasons' }, verdict.reasons.map(function (t) { return h('li', { text: t }); })));

    var summary = h('div', { className: 'summary' },
      stat(String(run.cases), '用例总数'),
      stat(String(run.passed), '通过', 'up'),
      stat(String(run.failed), '未通过', run.failed ? 'down' : ''),
      stat(pct(run.passed, run.cases), '通过率'));

    var metricsTable = h('table', { className: 'metrics', attrs: { 'aria-label': '本次运行的指标' } },
      h('thead', null, h('tr', null, h('th', { text: '指标' }), h('th', { className: 'num', text: '本次' }), h('th', { className: 'num', text: '阈值' }), h('th', { text: '是否达标' }), h('th', { className: 'num', text: '上一次' }), h('th', { className: 'num', text: '变化' }))),
      h('tbody', null, METRICS.map(function (m) {
        var now = run.metrics ? run.metrics[m.key] : null;
        var before = previous && previous.metrics ? previous.metrics[m.key] : null;
        var delta = fmtDelta(now, before, m.kind, m.lowerIsBetter);
        var limit = thresholds[m.key];
        var met = meets(m, now, limit);
        var mark = typeof limit !== 'number' ? h('span', { className: 'flat', text: '未设阈值' })
          : met === null ? h('span', { className: 'flat', text: '无数据' })
          : met ? h('span', { className: 'up', text: '✔ 达标' }) : h('span', { className: 'down', text: '✘ 未达标' });
        return h('tr', { className: met === false ? 'missed' : '', attrs: { 'data-metric': m.key, 'data-met': met === null ? 'none' : met ? 'yes' : 'no' } },
          h('td', null, m.label, ' ', h('code', { text: m.key }), h('div', { className: 'metric-help', text: m.help })),
          h('td', { className: 'num', text: fmtMetric(now, m.kind) }),
          h('td', { className: 'num', text: typeof limit === 'number' ? (m.lowerIsBetter ? '≤ ' : '≥ ') + fmtThreshold(limit, m.kind) : '—' }),
          h('td', { className: 'mark' }, mark),
          h('td', { className: 'num', text: previous ? fmtMetric(before, m.kind) : '—' }),
          h('td', { className: 'num ' + delta.tone, text: previous ? delta.text : '—' }));
      })));

    var sets = run.sets || {};
    var setsTable = h('table', { attrs: { 'aria-label': '各评测集通过情况' } },
      h('thead', null, h('tr', null, h('th', { text: '评测集' }), h('th', { className: 'num', text: '用例' }), h('th', { className: 'num', text: '通过' }), h('th', { className: 'num', text: '通过率' }))),
      h('tbody', null, Object.keys(sets).map(function (name) {
        return h('tr', null, h('td', { text: setLabel(name) }), h('td', { className: 'num', text: String(sets[name].cases) }), h('td', { className: 'num', text: String(sets[name].passed) }), h('td', { className: 'num', text: pct(sets[name].passed, sets[name].cases) }));
      })));

    var thresholdBlock = h('div', { attrs: { id: 'threshold-failures' } },
      h('h3', { text: '阈值检查' }),
      verdict.ok || (failures.length === 0 && verdict.reasons.length === (validation.length ? 1 : 0))
        ? h('p', { className: 'up', text: '✔ 所有设了阈值的指标都达到 evals/config.json 中的阈值。' })
        : h('ul', { className: 'plain' }, verdict.reasons.map(function (f) { return h('li', { className: 'down', text: f }); })));

    var validationBlock = h('div', { attrs: { id: 'validation-problems' } },
      h('h3', { text: '评测集与原文核对' }),
      validation.length
        ? h('ul', { className: 'plain' }, validation.map(function (p) {
            return h('li', null, h('b', { text: setLabel(p.set) + ' / ' + p.caseId }), '（', h('code', { text: p.docId }), '）：', p.problem);
          }))
        : h('p', { className: 'up', text: '✔ 所有评测案例的原文摘录都能在语料中逐字找到。' }));

    var compareBlock = h('div', { attrs: { id: 'comparison' } }, h('h3', { text: '与上一次运行相比' }));
    if (!comparison.previousId) {
      compareBlock.appendChild(h('p', { className: 'hint', text: '这是第一次运行，没有可比较的上一次。' }));
    } else {
      compareBlock.appendChild(h('p', null,
        '上一次：' + (previous ? fmtTime(previous.startedAt, true) : comparison.previousId) + '。',
        h('span', { className: comparison.newlyFailing.length ? 'down' : 'flat', text: '新失败 ' + comparison.newlyFailing.length + ' 个' }), '，',
        h('span', { className: comparison.newlyPassing.length ? 'up' : 'flat', text: '新通过 ' + comparison.newlyPassing.length + ' 个' }), '。'));
      if (comparison.newlyFailing.length) compareBlock.appendChild(h('div', { className: 'chips', attrs: { 'aria-label': '新失败的用例' } }, comparison.newlyFailing.map(function (k) { return h('span', { className: 'chip down', text: k }); })));
      if (comparison.newlyPassing.length) compareBlock.appendChild(h('div', { className: 'chips', attrs: { 'aria-label': '新通过的用例' } }, comparison.newlyPassing.map(function (k) { return h('span', { className: 'chip up', text: k }); })));
    }

    fill($('run-detail-body'),
      verdictBlock,
      summary,
      h('div', { className: 'detail-grid' },
        h('div', null, h('h3', { text: '指标' }), metricsTable, breakdownBlock(run)),
        h('div', null, h('h3', { text: '各评测集' }), setsTable, thresholdBlock, validationBlock, compareBlock)),
      failingCases(run, comparison));
  }

  function stat(value, label, tone) {
    return h('div', { className: 'stat' }, h('b', { className: tone || '', text: value }), h('small', { text: label }));
  }

  function failingCases(run, comparison) {
    var failing = (run.results || []).filter(function (r) { return !r.pass; });
    var newly = {};
    (comparison.newlyFailing || []).forEach(function (k) { newly[k] = true; });
    var wrap = h('section', { attrs: { id: 'failing-cases', 'aria-labelledby': 'failing-title' } });
    var list = h('div');
    var sets = [];
    failing.forEach(function (r) { if (sets.indexOf(r.set) < 0) sets.push(r.set); });
    var select = h('select', { attrs: { id: 'failing-set' } },
      h('option', { attrs: { value: '' }, text: '全部（' + failing.length + '）' }),
      sets.map(function (name) {
        var count = failing.filter(function (r) { return r.set === name; }).length;
        return h('option', { attrs: { value: name }, text: setLabel(name) + '（' + count + '）' });
      }));
    var render = function () {
      var shown = failing.filter(function (r) { return !select.value || r.set === select.value; });
      fill(list, shown.length ? shown.map(function (r) { return caseCard(r, newly[r.set + ':' + r.caseId]); }) : notice('没有未通过的用例。'));
    };
    select.addEventListener('change', render);
    wrap.appendChild(h('h3', { attrs: { id: 'failing-title' }, text: '未通过的用例（' + failing.length + '）' }));
    if (failing.length) wrap.appendChild(h('p', { className: 'filters' }, h('label', { attrs: { for: 'failing-set' } }, '按评测集筛选', select)));
    wrap.appendChild(list);
    render();
    return wrap;
  }

  function caseCard(result, isNew) {
    var d = result.detail || {};
    var rows = [];
    var problems = (d.problems || []).map(String);
    var track = result.set === 'tracks' ? trackWords(d) : null;
    if (d.question) rows.push([track ? '案例描述' : '问题', d.question]);
    if (track) {
      rows.push(['赛道', '期望：' + (track.expected.join(' 或 ') || '（未指定）') + '；实际首选：' + track.first]);
      if (track.top.length > 1) rows.push(['推荐前三', track.top.join('、')]);
      problems = problems.map(trackProblem).filter(Boolean);
    } else {
      var hasAnswer = d.answer !== undefined && d.answer !== null && d.answer !== '';
      if (hasAnswer) rows.push(['回答', d.answer]);
      else if (d.question) rows.push(['回答', '（没有回答）']);
      if (d.expected && d.expected.length) rows.push(['预期', d.expected.join('、')]);
    }
    return h('article', { className: 'case', attrs: { 'data-case': result.set + ':' + result.caseId } },
      h('h4', null, badge(setLabel(result.set), 'info'), h('span', { className: 'case-id', text: result.caseId }), isNew ? badge('新失败', 'bad') : null),
      h('dl', null,
        rows.map(function (row) { return [h('dt', { text: row[0] }), h('dd', { className: row[0] === '赛道' ? 'track-verdict' : '', text: row[1] })]; }),
        problems.length ? [h('dt', { text: '问题所在' }), h('dd', { className: 'problems' }, h('ul', { className: 'plain' }, problems.map(function (p) { return h('li', { text: p }); })))] : null,
        d.source ? [h('dt', { text: '原文出处' }), h('dd', null, sourceSpan(d.source))] : null));
  }

  /**
   * A track case's expected and recommended tracks by name. Names are taken from the result when it carries them
   * (expectedNames / topNames arrays, or a names map id → “活动·赛道”), else the ids are shown.
   */
  function trackWords(d) {
    var names = d.names && typeof d.names === 'object' ? d.names : {};
    var nameOf = function (id, i, list) {
      if (list && typeof list[i] === 'string' && list[i]) return list[i];
      return typeof names[id] === 'string' && names[id] ? names[id] : String(id);
    };
    var expectedIds = Array.isArray(d.expected) ? d.expected : [];
    var expectedNames = Array.isArray(d.expectedNames) ? d.expectedNames : Array.isArray(d.trackNames) && d.trackNames.length === expectedIds.length ? d.trackNames : null;
    var topIds = Array.isArray(d.top) ? d.top : typeof d.answer === 'string' && d.answer ? d.answer.split(/,\s*/) : [];
    // The problem “top-1 X ∉ A|B” names the first choice even when the recommended list was not kept.
    var formula = (d.problems || []).map(function (p) { return /^top-1 (\S+) ∉ (.+)$/.exec(String(p)); }).filter(Boolean)[0];
    if (!topIds.length && formula && formula[1] !== '(none)') topIds = [formula[1]];
    if (!expectedIds.length && formula) expectedIds = formula[2].split('|');
    var topNames = Array.isArray(d.topNames) ? d.topNames : null;
    var top = topIds.map(function (id, i) { return nameOf(id, i, topNames); });
    return {
      expected: expectedIds.map(function (id, i) { return nameOf(id, i, expectedNames); }),
      top: top,
      first: top.length ? top[0] : '无（没有推荐任何赛道）',
    };
  }

  /** A track case's problem in words; the top-1 formula is already said by the 期望/实际首选 line. */
  function trackProblem(p) {
    if (/^top-1 /.test(p)) return '首选赛道不是期望的赛道';
    var m = /^expected ineligible (.+)$/.exec(p);
    if (m) return '应判定为不符合参评资格，但没有判定：' + m[1].split(/,\s*/).join('、');
    m = /^expected nothing to fit, got (.*)$/.exec(p);
    if (m) return '应提示没有合适的赛道，实际却推荐了：' + (m[1].split(/,\s*/).filter(Boolean).join('、') || '（无）');
    m = /^HTTP (\d+)$/.exec(p);
    if (m) return '推荐接口出错（HTTP ' + m[1] + '）';
    return p;
  }

  /** The expected source quote in its surrounding text, the quote in <mark>; built from text nodes only. */
  function sourceSpan(source) {
    var context = typeof source.context === 'string' ? source.context : '';
    var quote = typeof source.quote === 'string' ? source.quote : '';
    var at = quote && context ? context.indexOf(quote) : -1;
    var body = h('div', { className: 'quote' });
    if (at >= 0) {
      body.appendChild(document.createTextNode('…' + context.slice(0, at)));
      body.appendChild(h('mark', { text: quote }));
      body.appendChild(document.createTextNode(context.slice(at + quote.length) + '…'));
    } else {
      body.appendChild(h('mark', { text: quote }));
      if (!context) body.appendChild(h('span', { className: 'down', text: '（这段摘录在原文中找不到）' }));
    }
    return h('div', { className: 'source' },
      h('div', { className: 'doc' }, docTitle(source.docId), ' ', h('code', { text: source.docId + (typeof source.start === 'number' && source.start >= 0 ? ' · 字符 ' + source.start + '–' + source.end : '') })),
      body);
  }

  // Titles of the documents, for labelling sources (fetched once).
  var documents = [];
  function docTitle(docId) {
    var doc = documents.filter(function (d) { return d.docId === docId; })[0];
    return doc ? doc.title : '';
  }
  function loadDocumentList() {
    if (documents.length) return Promise.resolve(documents);
    return api('/api/documents').then(function (r) {
      documents = r.data || [];
      return documents;
    });
  }

  function showProgress(done, total) {
    $('eval-progress-wrap').hidden = false;
    var bar = $('eval-progress');
    var label = $('eval-progress-label');
    if (!total) {
      bar.removeAttribute('value');
      label.textContent = '正在准备评测…';
    } else {
      bar.max = total;
      bar.value = done;
      label.textContent = '已完成 ' + done + ' / ' + total + '（' + Math.floor((done / total) * 100) + '%）';
    }
  }

  function startPolling(id) {
    stopPolling();
    pollingId = id;
    $('run-eval').disabled = true;
    $('eval-status').textContent = '评测正在运行，完成后自动显示结果。';
    showProgress(0, 0);
    var tick = function () {
      api('/api/evals/runs/' + encodeURIComponent(id)).then(
        function (r) {
          if (pollingId !== id) return;
          if (r.data.status === 'running') {
            showProgress(r.data.done, r.data.total);
            pollTimer = setTimeout(tick, POLL_MS);
            return;
          }
          showProgress(r.data.cases, r.data.cases);
          finishPolling('评测完成（' + fmtTime(r.data.startedAt, true) + '）：' + r.data.cases + ' 个用例，通过 ' + r.data.passed + ' 个，未通过 ' + r.data.failed + ' 个。');
          selectedRunId = id;
          loadRuns().then(function () { selectRun(id); });
        },
        function (err) {
          if (pollingId !== id) return;
          if (err.status === 401 || err.status === 403) return;
          finishPolling('');
          showError(err);
        },
      );
    };
    pollTimer = setTimeout(tick, POLL_MS);
  }

  function finishPolling(message) {
    stopPolling();
    $('eval-progress-wrap').hidden = !message;
    $('eval-status').textContent = message;
  }

  function stopPolling() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    pollingId = null;
    $('run-eval').disabled = false;
  }

  $('run-eval').addEventListener('click', function () {
    clearError();
    $('run-eval').disabled = true;
    api('/api/evals/run', { method: 'POST' }).then(
      function (r) { startPolling(r.data.id); },
      function (err) {
        $('run-eval').disabled = false;
        if (err.status === 409) {
          // Someone else started one: follow that run.
          $('eval-status').textContent = err.message;
          return loadRuns();
        }
        showError(err);
      },
    );
  });

  // The selected run as a report: printed (print stylesheet hides the navigation) or downloaded as JSON.
  $('run-print').addEventListener('click', function () {
    var select = $('failing-set');
    if (select && select.value) {
      // A report lists every failing case, not just the set picked on screen.
      select.value = '';
      select.dispatchEvent(new Event('change'));
    }
    window.print();
  });

  $('run-download').addEventListener('click', function () {
    if (!currentRun) return;
    var blob = new Blob([JSON.stringify(currentRun, null, 2) + '\n'], { type: 'application/json' });
    saveFile(blob, 'eval-run-' + String(currentRun.id).replace(/[^\w.-]+/g, '_') + '.json');
  });

  // ------------------------------------------------------------ 提问记录

  var questions = [];
  var questionsRequest = 0;

  function loadQuestions() {
    var params = new URLSearchParams({ limit: '100' });
    var answered = $('q-answered').value;
    var keyword = $('q-keyword').value.trim();
    if (answered) params.set('answered', answered);
    if (keyword) params.set('q', keyword);
    var mine = ++questionsRequest;
    $('questions').setAttribute('aria-busy', 'true');
    api('/api/admin/questions?' + params.toString()).then(function (r) {
      if (mine !== questionsRequest) return;
      questions = (r.data && r.data.questions) || [];
      renderQuestions();
    }, showError).then(function () { $('questions').removeAttribute('aria-busy'); });
    api('/api/admin/unanswered').then(function (r) { renderUnanswered((r.data && r.data.groups) || []); }, showError);
    loadStaffAnswers();
  }

  function feedbackMatches(q, wanted) {
    if (!wanted) return true;
    if (wanted === 'helpful') return q.helpful === true;
    if (wanted === 'unhelpful') return q.helpful === false;
    return q.helpful === null || q.helpful === undefined;
  }

  function renderQuestions() {
    var wanted = $('q-feedback').value;
    var shown = questions.filter(function (q) { return feedbackMatches(q, wanted); });
    $('questions-count').textContent = '显示 ' + shown.length + ' 条' + (shown.length !== questions.length ? '（共取回 ' + questions.length + ' 条）' : '') + '，最新的在前';
    if (!shown.length) {
      fill($('questions'), notice('没有符合条件的提问。'));
      return;
    }
    fill($('questions'), h('table', { className: 'qtable', attrs: { 'aria-label': '提问记录' } },
      h('thead', null, h('tr', null, ['时间', '问题', '结果', '回答', '用户反馈', '耗时', '处理'].map(function (t, i) { return h('th', { className: i === 5 ? 'num' : '', text: t }); }))),
      h('tbody', null, shown.map(questionRow))));
  }

  function questionRow(q) {
    var result = q.answerable
      ? h('td', null, badge('已回答', 'ok'))
      : h('td', null, badge('拒答', 'warn'), h('span', { className: 'reason', text: declineLabel(q.declineReason) }));
    var feedback = h('td', { className: 'fb' },
      q.helpful === true ? badge('有帮助', 'ok') : q.helpful === false ? badge('没帮助', 'bad') : badge('无反馈', 'plain'),
      q.comment ? h('span', { className: 'comment', text: '“' + q.comment + '”' }) : null);
    var answer = h('div', { className: 'clamp', text: q.answer || '' });
    var answerCell = h('td', { className: 'a' }, answer);
    if ((q.answer || '').length > 90) {
      var toggle = h('button', { className: 'btn small', attrs: { type: 'button', 'aria-expanded': 'false' }, text: '展开' });
      toggle.addEventListener('click', function () {
        var open = answer.classList.toggle('clamp') === false;
        toggle.textContent = open ? '收起' : '展开';
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      answerCell.appendChild(toggle);
    }
    return h('tr', { attrs: { 'data-id': q.id, 'data-answerable': q.answerable ? 'true' : 'false' } },
      h('td', { className: 'when', text: fmtTime(q.createdAt, true) }),
      h('td', { className: 'q', text: q.question }),
      result,
      answerCell,
      feedback,
      h('td', { className: 'num', text: typeof q.latencyMs === 'number' ? Math.round(q.latencyMs) + ' ms' : '—' }),
      // Declined or rated unhelpful: staff can give it its answer (a passage) or mark it out of scope.
      h('td', { className: 'act' }, !q.answerable || q.helpful === false ? staffActions(q.question, q.id, false) : null));
  }

  function renderUnanswered(groups) {
    var box = $('unanswered');
    if (!groups.length) {
      fill(box, notice('目前没有未能回答的问题。'));
      return;
    }
    fill(box, h('div', { className: 'groups' }, groups.map(function (g) {
      var reasons = Object.keys(g.reasons || {}).map(function (k) { return declineLabel(k) + ' ×' + g.reasons[k]; }).join('，');
      // Named by the policy subject the questions are about when the server knows it; else by their keyword topic.
      var subject = g.subject && typeof g.subject.name === 'string' && g.subject.name ? g.subject : null;
      var examples = (g.questions || []).map(function (q) { return h('li', null, q, staffActions(q, null, true)); });
      return h('article', { className: 'group', attrs: { 'data-subject-id': subject ? subject.id : null } },
        h('h3', null, h('span', { className: 'group-name', text: subject ? subject.name : g.topic || '其他' }), badge(g.count + ' 次', 'warn')),
        h('div', { className: 'meta', text: (subject ? '政策主题 · ' : '关键词归类 · ') + '原因：' + reasons + ' · 最近：' + fmtTime(g.last) }),
        examples.length ? h('div', { className: 'examples-label', text: '例如：' }) : null,
        h('ul', null, examples));
    })));
  }

  $('q-answered').addEventListener('change', loadQuestions);
  $('q-feedback').addEventListener('change', renderQuestions);
  $('q-refresh').addEventListener('click', loadQuestions);
  $('q-form').addEventListener('submit', function (event) {
    event.preventDefault();
    loadQuestions();
  });


  // ------------------------------------------------------------ 人工答案（指定答案出处 / 超出范围，及其审核）

  /** The name staff sign their answers and reviews with: asked once, kept in this browser. */
  var memoryName = '';
  function staffName() {
    try {
      return localStorage.getItem(NAME_KEY) || memoryName;
    } catch (e) {
      return memoryName;
    }
  }

  function setStaffName(name) {
    memoryName = name;
    try {
      localStorage.setItem(NAME_KEY, name);
    } catch (e) {
      /* storage unavailable: kept for this page only */
    }
    showStaffName();
  }

  function showStaffName() {
    var name = staffName();
    $('staff-who').textContent = name ? '署名：' + name : '尚未署名';
    $('staff-rename').textContent = name ? '更换署名' : '填写署名';
  }

  // Where focus goes back to when a dialog closes: the control that opened it, or (when that is gone, e.g. replaced
  // by “已提交审核”) the element named by returnFocus().
  var openers = {};
  var fallbacks = {};

  function openDialog(dialog) {
    if (dialog.open) return;
    openers[dialog.id] = document.activeElement;
    fallbacks[dialog.id] = null;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }

  function closeDialog(dialog) {
    if (!dialog || !dialog.open) return;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }

  function returnFocus(dialog, el) {
    fallbacks[dialog.id] = el;
  }

  /** Focusable controls inside `container`, in tab order (no positive tabindex is used on this page). */
  function focusables(container) {
    return Array.prototype.filter.call(container.querySelectorAll('button, input, select, textarea, a[href], [tabindex]'), function (el) {
      return !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0;
    });
  }

  ['attach-dialog', 'name-dialog'].forEach(function (id) {
    var dialog = $(id);
    // Tab and Shift+Tab go round inside the open dialog instead of leaving it for the browser's toolbar.
    dialog.addEventListener('keydown', function (event) {
      if (event.key !== 'Tab' || event.defaultPrevented) return;
      var list = focusables(dialog);
      if (!list.length) return;
      var at = list.indexOf(document.activeElement);
      if (event.shiftKey && at <= 0) {
        event.preventDefault();
        list[list.length - 1].focus();
      } else if (!event.shiftKey && (at === -1 || at === list.length - 1)) {
        event.preventDefault();
        list[0].focus();
      }
    });
    dialog.addEventListener('close', function () {
      // The sign-in form takes focus itself when signing out closes the dialogs.
      if (!$('signin').hidden) return;
      var back = [openers[id], fallbacks[id]].filter(function (el) { return el && el.isConnected && el.getClientRects().length > 0; })[0];
      openers[id] = fallbacks[id] = null;
      if (back && !dialog.contains(back)) back.focus();
    });
  });

  var nameWaiters = [];

  /** Resolves with the staff member's name, asking for it first when it is not known yet (or when `again`); null when cancelled. */
  function askName(again) {
    var known = staffName();
    if (known && !again) return Promise.resolve(known);
    return new Promise(function (resolve) {
      nameWaiters.push(resolve);
      var input = $('staff-name');
      input.value = known;
      $('name-error').hidden = true;
      openDialog($('name-dialog'));
      input.focus();
    });
  }

  function settleName(name) {
    var waiting = nameWaiters;
    nameWaiters = [];
    closeDialog($('name-dialog'));
    waiting.forEach(function (resolve) { resolve(name); });
  }

  $('name-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('staff-name').value.trim();
    if (!name) {
      $('name-error').textContent = '请填写姓名。';
      $('name-error').hidden = false;
      $('staff-name').focus();
      return;
    }
    setStaffName(name);
    settleName(name);
  });
  $('name-cancel').addEventListener('click', function () { settleName(null); });
  // Esc closes the dialog: the same as 取消.
  $('name-dialog').addEventListener('close', function () { if (nameWaiters.length) settleName(null); });
  $('staff-rename').addEventListener('click', function () { askName(true); });

  /**
   * The two actions on an unanswered or badly rated question. `cssLabels`: the buttons' words are drawn by CSS
   * (and named by aria-label), so that a list item of example questions keeps only the question as its text.
   */
  function staffActions(question, messageId, cssLabels) {
    var box = h('span', { className: 'staff-acts' });
    var button = function (label, onClick) {
      var props = { className: 'btn small', attrs: { type: 'button' }, on: { click: onClick } };
      if (cssLabels) {
        props.className += ' css-label';
        props.attrs['data-label'] = label;
        props.attrs['aria-label'] = label;
      } else {
        props.text = label;
      }
      return h('button', props);
    };
    var done = function () { return markSubmitted(box, cssLabels); };
    append(box, [
      button('指定答案出处', function () { openAttach(question, messageId, done); }),
      button('标记为超出范围', function (event) { markOutOfScope(question, messageId, event.currentTarget, done); }),
    ]);
    return box;
  }

  /** Replaces the actions by “已提交审核”, which takes focus if it was on them (keyboard users keep their place). */
  function markSubmitted(box, cssLabels) {
    var label = '已提交审核';
    var active = document.activeElement;
    // Focus was on the actions, or lost when the pressed one was disabled while sending.
    var focused = !active || active === document.body || box.contains(active);
    var note = h('span', cssLabels
      ? { className: 'badge info css-label', attrs: { 'data-label': label, role: 'note', 'aria-label': label, tabindex: '-1' } }
      : { className: 'badge info', text: label, attrs: { tabindex: '-1' } });
    fill(box, note);
    box.setAttribute('data-submitted', 'true');
    if (focused) note.focus();
    return note;
  }

  function submitStaffAnswer(body) {
    return api('/api/admin/staff-answers', { method: 'POST', body: body }).then(function (r) {
      setStaffStatus('已提交“' + body.question + '”，待审核。');
      if ($('sa-status').value !== 'pending' && $('sa-status').value !== '') $('sa-status').value = 'pending';
      loadStaffAnswers();
      return r.data && r.data.staffAnswer;
    });
  }

  function markOutOfScope(question, messageId, button, done) {
    clearError();
    askName(false).then(function (by) {
      if (!by) return;
      button.disabled = true;
      var body = { question: question, by: by, kind: 'out_of_scope' };
      if (messageId) body.messageId = messageId;
      submitStaffAnswer(body).then(done, function (err) {
        button.disabled = false;
        showError(err);
      });
    });
  }

  /**
   * A chunk's text cut into sentences at 。！？； (closing quotes and brackets stay with their sentence) and at line
   * breaks, each trimmed, with its offsets within the chunk text.
   */
  function sentencesOf(text) {
    var out = [];
    var re = /[^。！？；\n]+(?:[。！？；]+[”’"」』）)]*)?|[。！？；]+[”’"」』）)]*/g;
    var m;
    while ((m = re.exec(text))) {
      var piece = m[0];
      var lead = piece.length - piece.replace(/^\s+/, '').length;
      var body = piece.trim();
      if (!body || !/[^\s。！？；”’"」』）)]/.test(body)) continue;
      var start = m.index + lead;
      out.push({ text: body, start: start, end: start + body.length });
    }
    return out;
  }

  // The dialog's state: where the answer is picked from (`source`: 'passages' or 'fields') and what is picked, a
  // sentence { docId, start, end, text, title, section } or a catalogue field { field, label, docId, start, end, text, section }.
  var attach = null; // { question, messageId, done, source, picked }
  var ATTACH_SOURCES = {
    passages: { label: '检索原文', placeholder: '' },
    fields: { label: '检索目录字段', placeholder: '例如：投票时间、金融兴辽（留空列出全部）' },
  };

  function openAttach(question, messageId, done) {
    clearError();
    attach = { question: question, messageId: messageId, done: done, source: 'passages', picked: null };
    $('attach-question').textContent = question;
    $('attach-q').value = question;
    showAttachSource();
    clear($('attach-results'));
    showPicked();
    $('attach-error').hidden = true;
    openDialog($('attach-dialog'));
    $('attach-q').focus();
    searchForAttach();
  }

  function showAttachSource() {
    var source = attach ? attach.source : 'passages';
    ['passages', 'fields'].forEach(function (name) {
      $('attach-source-' + name).setAttribute('aria-pressed', name === source ? 'true' : 'false');
    });
    $('attach-q-label').textContent = ATTACH_SOURCES[source].label;
    $('attach-q').placeholder = ATTACH_SOURCES[source].placeholder;
  }

  ['passages', 'fields'].forEach(function (name) {
    $('attach-source-' + name).addEventListener('click', function () {
      if (!attach || attach.source === name) return;
      attach.source = name;
      attach.picked = null;
      // Fields are found by words of their label or quote, rarely by the whole question: list them all instead.
      var box = $('attach-q');
      if (name === 'fields' && box.value.trim() === attach.question) box.value = '';
      else if (name === 'passages' && !box.value.trim()) box.value = attach.question;
      showAttachSource();
      showPicked();
      searchForAttach();
    });
  });

  function attachError(err) {
    var box = $('attach-error');
    box.textContent = (err && err.message) || '出错了，请稍后再试。';
    box.hidden = false;
  }

  function searchForAttach() {
    if (attach && attach.source === 'fields') return searchFields();
    var q = $('attach-q').value.trim();
    var box = $('attach-results');
    $('attach-error').hidden = true;
    if (!q) {
      fill(box, notice('请输入检索词。'));
      return;
    }
    fill(box, notice('检索中…'));
    var mine = attach;
    api('/api/search?' + new URLSearchParams({ q: q, k: '8' }).toString()).then(function (r) {
      if (mine !== attach || mine.source !== 'passages') return;
      var results = (r.data && r.data.results) || [];
      if (!results.length) {
        fill(box, notice('没有检索到相关片段，换个说法再试。'));
        return;
      }
      fill(box, h('ol', { className: 'hits', attrs: { 'aria-label': '检索结果' } }, results.map(function (hit) {
        var sentences = sentencesOf(String(hit.text || ''));
        return h('li', { attrs: { 'data-chunk-id': hit.chunkId } },
          h('div', { className: 'head' },
            h('span', { className: 'rank', text: '#' + hit.rank }),
            h('b', { text: hit.title }),
            h('span', { className: 'path', text: hit.section })),
          h('div', { className: 'sentences', attrs: { role: 'group', 'aria-label': '选择一句作为答案' } }, sentences.map(function (sn) {
            var pick = {
              docId: hit.docId,
              start: hit.start + sn.start,
              end: hit.start + sn.end,
              text: sn.text,
              title: hit.title,
              section: hit.section,
            };
            return h('button', {
              className: 'sentence',
              text: sn.text,
              attrs: { type: 'button', 'aria-pressed': 'false', 'data-doc-id': pick.docId, 'data-start': pick.start, 'data-end': pick.end },
              on: { click: function (event) { pickSentence(pick, event.currentTarget); } },
            });
          })));
      })));
    }, function (err) {
      if (mine !== attach || mine.source !== 'passages') return;
      clear(box);
      attachError(err);
    });
  }

  /** The campaigns' catalogue fields (活动 › 字段) whose label or quote match the search box; all of them when it is empty. */
  function searchFields() {
    var q = $('attach-q').value.trim();
    var box = $('attach-results');
    $('attach-error').hidden = true;
    fill(box, notice('检索中…'));
    var mine = attach;
    api('/api/admin/catalogue-fields' + (q ? '?' + new URLSearchParams({ q: q }).toString() : '')).then(function (r) {
      if (mine !== attach || mine.source !== 'fields') return;
      var fields = (r.data && r.data.fields) || [];
      if (!fields.length) {
        fill(box, notice(q ? '没有匹配的目录字段。换个说法，或清空检索词列出全部字段。' : '没有可选的目录字段。'));
        return;
      }
      fill(box, h('ul', { className: 'hits fields', attrs: { 'aria-label': '目录字段' } }, fields.map(function (f) {
        var pick = { field: f.id, label: f.label, docId: f.docId, start: f.start, end: f.end, text: f.quote, title: f.title, section: f.section };
        return h('li', { attrs: { 'data-field-id': f.id } }, h('button', {
          className: 'field',
          attrs: { type: 'button', 'aria-pressed': 'false', 'data-testid': 'attach-field', 'data-field-id': f.id },
          on: { click: function (event) { pickSentence(pick, event.currentTarget); } },
        }, h('span', { className: 'field-label', text: f.label }), h('span', { className: 'field-quote', text: f.quote })));
      })));
    }, function (err) {
      if (mine !== attach || mine.source !== 'fields') return;
      clear(box);
      attachError(err);
    });
  }

  function pickSentence(pick, button) {
    attach.picked = pick;
    Array.prototype.forEach.call($('attach-results').querySelectorAll('button[aria-pressed]'), function (b) {
      b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
    });
    showPicked();
  }

  function showPicked() {
    var pick = attach && attach.picked;
    var box = $('attach-picked');
    $('attach-submit').disabled = !pick;
    if (!pick) {
      clear(box);
      box.hidden = true;
      return;
    }
    var where = h('code', { text: pick.docId + ' · 字符 ' + pick.start + '–' + pick.end });
    fill(box,
      pick.field
        ? h('div', { className: 'doc' }, '已选目录字段 · ', h('b', { className: 'field-label', text: pick.label }), ' ', where)
        : h('div', { className: 'doc' }, '已选句子 · ' + (pick.section || pick.title) + ' ', where),
      h('div', { className: 'quote-text', text: pick.text }));
    box.hidden = false;
  }

  $('attach-form').addEventListener('submit', function (event) {
    event.preventDefault();
    searchForAttach();
  });

  $('attach-cancel').addEventListener('click', function () {
    closeDialog($('attach-dialog'));
  });

  $('attach-dialog').addEventListener('close', function () {
    attach = null;
  });

  $('attach-submit').addEventListener('click', function () {
    var current = attach;
    if (!current || !current.picked) return;
    $('attach-error').hidden = true;
    askName(false).then(function (by) {
      if (!by || current !== attach) return;
      var pick = current.picked;
      var body = pick.field
        ? { question: current.question, by: by, kind: 'answer', field: pick.field }
        : { question: current.question, by: by, kind: 'answer', docId: pick.docId, start: pick.start, end: pick.end };
      if (current.messageId) body.messageId = current.messageId;
      $('attach-submit').disabled = true;
      submitStaffAnswer(body).then(function () {
        // The opener is replaced by “已提交审核”: focus goes there.
        if (current.done) returnFocus($('attach-dialog'), current.done());
        if (current === attach) closeDialog($('attach-dialog'));
      }, function (err) {
        if (current !== attach) return showError(err);
        $('attach-submit').disabled = false;
        attachError(err);
      });
    });
  });

  // The review list.
  var staffRequest = 0;

  /** Says what just happened; `undo`: an answer just approved, offered to 撤销 at once beside the message. */
  function setStaffStatus(text, undo) {
    $('staff-status').textContent = text;
    var button = $('staff-undo');
    undoable = undo || null;
    button.hidden = !undo;
    button.disabled = false;
    if (undo) button.setAttribute('aria-label', '撤销刚才的通过：“' + undo.question + '”');
    else button.removeAttribute('aria-label');
  }

  var undoable = null;

  function staffError(err) {
    if (err && (err.status === 401 || err.status === 403)) return;
    var box = $('staff-error');
    box.textContent = (err && err.message) || '出错了，请稍后再试。';
    box.hidden = false;
  }

  function loadStaffAnswers() {
    showStaffName();
    var status = $('sa-status').value;
    var mine = ++staffRequest;
    var box = $('staff-answers');
    box.setAttribute('aria-busy', 'true');
    // Titles label the quotes; the list still shows without them.
    var titles = loadDocumentList().then(null, function () { return []; });
    return Promise.all([api('/api/admin/staff-answers' + (status ? '?' + new URLSearchParams({ status: status }).toString() : '')), titles]).then(function (both) {
      if (mine !== staffRequest) return;
      $('staff-error').hidden = true;
      renderStaffAnswers((both[0].data && both[0].data.staffAnswers) || [], status);
    }, function (err) {
      if (mine !== staffRequest) return;
      clear(box);
      staffError(err);
    }).then(function () {
      if (mine === staffRequest) box.removeAttribute('aria-busy');
    });
  }

  function renderStaffAnswers(list, status) {
    var box = $('staff-answers');
    if (!list.length) {
      fill(box, notice(status ? '没有' + STAFF_STATUS[status][0] + '的人工答案。' : '还没有人工答案。'));
      return;
    }
    fill(box, h('table', { className: 'satable', attrs: { 'aria-label': '人工答案' } },
      h('thead', null, h('tr', null, ['状态', '问题', '答案出处', '提交', '审核', '操作'].map(function (t) { return h('th', { text: t }); }))),
      h('tbody', null, list.map(staffAnswerRow))));
  }

  /** How an answer joins the question bank: 标准问 of its own entry, or 相似问 of the entry with that 标准问. */
  function bankRole(bank) {
    if (!bank || (bank.role !== 'standard' && bank.role !== 'similar')) return null;
    return h('div', { className: 'bank', attrs: { 'data-testid': 'staff-bank', 'data-role': bank.role, 'data-entry-id': bank.entryId } },
      bank.role === 'standard' ? '标准问' : '相似问（归入：' + (bank.standard || '') + '）');
  }

  function staffAnswerRow(a) {
    var st = STAFF_STATUS[a.status] || [a.status, 'plain'];
    var where = h('code', { text: a.docId + (typeof a.start === 'number' ? ' · 字符 ' + a.start + '–' + a.end : '') });
    var quote = a.kind === 'out_of_scope'
      ? h('td', { className: 'quote' }, badge('超出范围', 'warn'), h('span', { className: 'hint', text: ' 问答将按超出文件范围拒答' }))
      : h('td', { className: 'quote' }, h('div', { className: 'source' },
          a.fieldLabel
            ? h('div', { className: 'doc', attrs: { title: a.section || null } }, '目录字段 · ', h('span', { className: 'field-label', attrs: { 'data-testid': 'staff-field' }, text: a.fieldLabel }), ' ', where)
            : h('div', { className: 'doc' }, a.section || docTitle(a.docId), ' ', where),
          h('div', { className: 'quote-text', text: a.quote || '' })),
        bankRole(a.bank));
    var actions = [];
    if (a.status === 'pending') {
      actions.push(reviewButton(a, 'approve', '通过', true), reviewButton(a, 'reject', '驳回', false));
    } else if (a.status === 'approved') {
      actions.push(reviewButton(a, 'withdraw', '撤销', false));
    }
    return h('tr', { attrs: { 'data-id': a.id, 'data-status': a.status, 'data-kind': a.kind } },
      h('td', null, badge(st[0], st[1])),
      h('td', { className: 'q', text: a.question }),
      quote,
      h('td', { className: 'who' }, h('span', { text: a.createdBy || '—' }), h('small', { text: a.createdAt ? fmtTime(a.createdAt, true) : '' })),
      h('td', { className: 'who' }, a.reviewedBy ? [h('span', { text: a.reviewedBy }), h('small', { text: a.reviewedAt ? fmtTime(a.reviewedAt, true) : '' })] : h('span', { className: 'hint', text: '—' })),
      h('td', { className: 'act' }, h('span', { className: 'staff-acts' }, actions)));
  }

  var REVIEW_DONE = {
    approve: '已通过，问答即刻按这条人工答案回答。',
    reject: '已驳回。',
    withdraw: '已撤销，问答不再按这条人工答案回答。',
  };

  function reviewButton(a, action, label, primary) {
    return h('button', {
      className: 'btn small' + (primary ? ' primary' : ''),
      text: label,
      attrs: { type: 'button', 'data-action': action },
      on: {
        click: function (event) {
          var button = event.currentTarget;
          $('staff-error').hidden = true;
          askName(false).then(function (by) {
            if (!by) return;
            var row = button.closest('tr');
            var at = Array.prototype.indexOf.call(row.parentNode.children, row);
            Array.prototype.forEach.call(row.querySelectorAll('button'), function (b) { b.disabled = true; });
            api('/api/admin/staff-answers/' + encodeURIComponent(a.id) + '/' + action, { method: 'POST', body: { by: by } }).then(function () {
              setStaffStatus('“' + a.question + '”' + REVIEW_DONE[action], action === 'approve' ? a : null);
              // The row goes from the list: focus moves to 撤销 after an approval, else to the row now in its place.
              loadStaffAnswers().then(function () { focusAfterReview(action === 'approve' ? $('staff-undo') : null, at); });
            }, function (err) {
              staffError(err);
              // 409: someone else changed it meanwhile; show where it stands now.
              if (err.status === 409) loadStaffAnswers().then(function () { staffError(err); });
              else Array.prototype.forEach.call(row.querySelectorAll('button'), function (b) { b.disabled = false; });
            });
          });
        },
      },
    });
  }

  /** Puts focus back in the review list after its rows were redrawn: on `preferred`, else the row at index `at` (or the last one), else the status filter. */
  function focusAfterReview(preferred, at) {
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected && !active.disabled) return; // the user has moved on
    if (preferred && !preferred.hidden) return preferred.focus();
    var rows = $('staff-answers').querySelectorAll('tbody tr');
    var row = rows[Math.min(at, rows.length - 1)];
    var next = row && row.querySelector('button:not([disabled])');
    (next || $('sa-status')).focus();
  }

  $('staff-undo').addEventListener('click', function () {
    var a = undoable;
    if (!a) return;
    var button = $('staff-undo');
    $('staff-error').hidden = true;
    askName(false).then(function (by) {
      if (!by || undoable !== a) return;
      button.disabled = true;
      api('/api/admin/staff-answers/' + encodeURIComponent(a.id) + '/withdraw', { method: 'POST', body: { by: by } }).then(function () {
        setStaffStatus('“' + a.question + '”' + REVIEW_DONE.withdraw);
        loadStaffAnswers().then(function () { focusAfterReview($('sa-status'), 0); });
      }, function (err) {
        setStaffStatus('');
        staffError(err);
        loadStaffAnswers().then(function () { staffError(err); focusAfterReview($('sa-status'), 0); });
      });
    });
  });

  /** Downloads the approved answers in the question-bank file format (the admin token goes in the header, so not a plain link). */
  $('staff-export').addEventListener('click', function () {
    var button = $('staff-export');
    $('staff-error').hidden = true;
    button.disabled = true;
    fetch('/api/admin/staff-answers/export', { headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' }, cache: 'no-store' }).then(function (res) {
      if (!res.ok) {
        return res.json().then(function (data) { return (data && data.error) || {}; }, function () { return {}; }).then(function (error) {
          var err = new ApiError(res.status, error.code || 'http_' + res.status, error.message || '导出失败（HTTP ' + res.status + '），请稍后再试。');
          if (res.status === 401 || res.status === 403) signOut(authMessage(err));
          throw err;
        });
      }
      var name = fileName(res.headers.get('Content-Disposition')) || 'question-bank.json';
      return res.blob().then(function (blob) {
        saveFile(blob, name);
        setStaffStatus('已导出题库（' + name + '）。');
      });
    }, function () {
      throw new ApiError(0, 'network', '无法连接服务，请检查网络或稍后再试。');
    }).then(null, staffError).then(function () {
      button.disabled = false;
    });
  });

  /** The file name of a Content-Disposition header (filename*=UTF-8'' first, then filename=). */
  function fileName(header) {
    var value = String(header || '');
    var name = '';
    var star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(value);
    if (star) {
      try {
        name = decodeURIComponent(star[1].trim());
      } catch (e) {
        /* badly encoded: the plain name below */
      }
    }
    var plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(value);
    if (!name && plain) name = (plain[1] !== undefined ? plain[1] : plain[2]).trim();
    return name.replace(/[\\/]+/g, '_');
  }

  function saveFile(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = h('a', { attrs: { href: url, download: name } });
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  $('sa-status').addEventListener('change', function () {
    setStaffStatus('');
    loadStaffAnswers();
  });
  $('sa-refresh').addEventListener('click', function () { loadStaffAnswers(); });

  // ------------------------------------------------------------ 语料

  var currentDoc = null;

  function loadDocuments() {
    loadDocumentList().then(function (docs) {
      if (!docs.length) {
        fill($('docs'), notice('语料中没有文件。'));
        return;
      }
      fill($('docs'), docs.map(function (d) {
        return h('button', { attrs: { type: 'button', 'data-doc-id': d.docId, 'aria-pressed': 'false' }, on: { click: function () { openDocument(d.docId); } } },
          h('b', { text: d.title }),
          h('span', { className: 'meta', text: [DOC_KINDS[d.kind] || d.kind, d.issuer, d.published, d.region].filter(Boolean).join(' · ') }));
      }));
      openDocument(docs[0].docId);
    }, showError);
  }

  function openDocument(docId) {
    Array.prototype.forEach.call($('docs').querySelectorAll('button'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-doc-id') === docId ? 'true' : 'false');
    });
    api('/api/documents/' + encodeURIComponent(docId)).then(function (r) {
      currentDoc = r.data;
      var sections = currentDoc.sections || [];
      fill($('outline'), sections.length
        ? h('ul', null, sections.map(function (sec) {
            var button = h('button', { attrs: { type: 'button', 'data-section-id': sec.id, title: sec.path.join(' › ') }, on: { click: function () { showSection(sec); } } },
              sec.title,
              SECTION_KINDS[sec.kind] ? h('span', { className: 'kind', text: SECTION_KINDS[sec.kind] }) : null);
            button.style.paddingLeft = 6 + Math.max(0, sec.depth) * 16 + 'px';
            return h('li', null, button);
          }))
        : notice('这份文件没有解析出章节。'));
      $('section-crumbs').textContent = currentDoc.title;
      $('section-text').textContent = '共 ' + sections.length + ' 个章节。点击左侧章节查看原文。';
    }, showError);
  }

  function showSection(sec) {
    Array.prototype.forEach.call($('outline').querySelectorAll('button'), function (b) {
      if (b.getAttribute('data-section-id') === sec.id) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    });
    $('section-crumbs').textContent = currentDoc.title + ' › ' + sec.path.join(' › ') + '（字符 ' + sec.start + '–' + sec.end + '）';
    var text = $('section-text');
    text.textContent = String(currentDoc.text || '').slice(sec.start, sec.end);
    text.scrollTop = 0;
  }

  $('search-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var q = $('search-q').value.trim();
    var box = $('search-results');
    if (!q) {
      fill(box, notice('请输入检索词。'));
      return;
    }
    fill(box, notice('检索中…'));
    api('/api/search?' + new URLSearchParams({ q: q, k: '20' }).toString()).then(function (r) {
      var results = (r.data && r.data.results) || [];
      if (!results.length) {
        fill(box, notice('没有检索到相关片段。'));
        return;
      }
      fill(box, h('ol', { className: 'hits', attrs: { 'aria-label': '检索结果' } }, results.map(function (hit) {
        return h('li', { attrs: { 'data-chunk-id': hit.chunkId } },
          h('div', { className: 'head' },
            h('span', { className: 'rank', text: '#' + hit.rank }),
            h('b', { text: hit.title }),
            h('span', { className: 'scores', text: '综合 ' + num(hit.score) + ' · BM25 ' + num(hit.bm25) + ' · 向量 ' + num(hit.vector) })),
          h('div', { className: 'path' }, hit.section, ' ', h('code', { text: hit.chunkId + ' · 字符 ' + hit.start + '–' + hit.end })),
          h('p', { text: hit.text }));
      })));
    }, function (err) {
      fill(box, h('div', { className: 'error', attrs: { role: 'alert' }, text: err.message }));
    });
  });

  function num(x) {
    return typeof x === 'number' ? x.toFixed(4) : '—';
  }

  // ------------------------------------------------------------ start

  // A token kept from earlier in this tab is checked first: it may have been changed on the server.
  if (token()) {
    api('/api/admin/questions?limit=1').then(function () { signedIn(false); }, function (err) {
      if (err.status === 401 || err.status === 403) return; // api() has already asked again
      signedIn(false);
      showError(err);
    });
  } else {
    signOut('');
  }
})();
