/*
 * 辽宁金融政策问答挂件。嵌入方式（一行）：
 *   <script src="https://HOST/widget.js" data-api="https://HOST" async></script>
 * data-api 为空表示当前页面的来源；省略时取脚本所在的来源。
 * 无依赖、无构建；界面在开放的 shadow root 中，所有数据一律按文本渲染。
 * 宿主页面设有内容安全策略（CSP）时，只需在 script-src 和 connect-src 中加入服务地址，无需 'unsafe-inline'。
 */
(() => {
  'use strict';
  if (window.__lnPolicyChat) return;
  window.__lnPolicyChat = true;

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const attr = script && script.getAttribute('data-api');
  const API = (attr != null ? attr : script && script.src ? new URL(script.src, location.href).origin : '').replace(/\/+$/, '');

  const SUGGESTIONS = [
    '中型企业的流动资金贷款能申请无还本续贷吗？',
    '担保200万、费率0.8%，能拿多少担保费补贴？',
    '被罚过款，怎么修复信用，要多久？',
    '在线测额最高能测多少？',
    '我们的案例适合申报哪个赛道？',
  ];
  const STATUS = { closed: '已截止', open: '进行中', upcoming: '未开始', unknown: '时间未载明' };
  // Where the conversation id is kept, so the chat survives a reload of the host page.
  const STORE = 'lnPolicyChat.conversationId';
  const store = {
    get: () => {
      try {
        return localStorage.getItem(STORE);
      } catch {
        return null;
      }
    },
    set: (id) => {
      try {
        if (id) localStorage.setItem(STORE, id);
        else localStorage.removeItem(STORE);
      } catch {}
    },
  };
  const ICONS = {
    chat: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z',
    x: 'M18 6 6 18M6 6l12 12',
    send: 'M22 2 11 13M22 2l-7 20-4-9-9-4z',
    back: 'M19 12H5M12 19l-7-7 7-7',
    stop: 'M7 7h10v10H7z',
    copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
    retry: 'M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5',
    up: 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
  };

  const CSS = `
*{box-sizing:border-box}[hidden]{display:none!important}
.w{font:14px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;color:#1f2937;text-align:left;-webkit-font-smoothing:antialiased}
button{font:inherit;color:inherit;background:none;border:0;padding:0;margin:0;cursor:pointer}
button:disabled{cursor:default;opacity:.5}
textarea,input{font:inherit;color:inherit;margin:0}
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
:focus{outline:none}:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.la{position:fixed;right:20px;bottom:20px;height:56px;min-width:56px;padding:0 20px 0 16px;border-radius:28px;background:#1559b7;color:#fff;display:flex;align-items:center;gap:8px;font-size:15px;font-weight:600;letter-spacing:.04em;box-shadow:0 6px 20px rgba(21,89,183,.4);z-index:2147483000;transition:transform .15s}
.la:hover{transform:scale(1.04)}.la svg{width:24px;height:24px}
.p{position:fixed;right:20px;bottom:88px;width:400px;max-width:calc(100vw - 40px);height:min(660px,calc(100vh - 108px));background:#fff;border:1px solid #dfe5ee;border-radius:14px;box-shadow:0 14px 44px rgba(15,23,42,.24);display:flex;flex-direction:column;z-index:2147483000;animation:in .16s ease-out}
@keyframes in{from{opacity:0;transform:translateY(8px)}}
.hd{display:flex;align-items:center;gap:8px;padding:12px 10px 12px 16px;border-radius:13px 13px 0 0;background:linear-gradient(135deg,#1a63c7,#0f3f86);color:#fff}
.hd div{flex:1;min-width:0}h2,h3,h4,h5,p{margin:0}
.hd h2{font-size:16px;font-weight:600}.hd p{font-size:12px;opacity:.85}
.hb{border:1px solid rgba(255,255,255,.55);border-radius:999px;padding:2px 11px;line-height:22px;font-size:13px;white-space:nowrap}
.hb:hover,.ib:hover{background:rgba(255,255,255,.16)}
.ib{width:34px;height:34px;border-radius:8px;display:grid;place-items:center}
.v{flex:1;min-height:0;display:flex;flex-direction:column}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px 14px;display:flex;flex-direction:column;gap:12px;background:#f4f6fa}
.m{max-width:90%;padding:9px 12px;border-radius:12px;overflow-wrap:anywhere}
.u{align-self:flex-end;background:#1559b7;color:#fff;border-bottom-right-radius:4px;white-space:pre-wrap}
.b{align-self:flex-start;background:#fff;border:1px solid #e1e7f0;border-bottom-left-radius:4px}
.b.dc{background:#fffbeb;border-color:#f6e3a1}.b.er{background:#fef2f2;border-color:#f9caca;color:#9b1c1c}
.t{white-space:pre-wrap}
[data-state=streaming] .t::after{content:"";display:inline-block;width:2px;height:1em;margin-left:2px;vertical-align:-2px;background:#1559b7;animation:bl 1s steps(2) infinite}
.wait{color:#6b7280}.wait::after{content:"…";animation:bl 1s infinite}
@keyframes bl{50%{opacity:0}}
.cv,.n{display:inline-grid;place-items:center;min-width:18px;height:18px;padding:0 5px;border-radius:9px;background:#e2ecfb;color:#1559b7;font-size:11px;font-weight:700;line-height:1;flex:none}
.c{display:inline-grid;place-items:center;margin:0 2px;vertical-align:2px;line-height:1}.c:hover .cv{background:#1559b7;color:#fff}
.pd .cv{background:#eef1f5;color:#6b7280;box-shadow:inset 0 0 0 1px #cbd5e1}
a{color:#1559b7;text-decoration:underline;text-underline-offset:2px}.u a{color:#fff}
.hs{display:flex;flex-direction:column;gap:12px}
.rn{align-self:center;font-size:12px;color:#6b7280}
.ac{display:inline-flex;align-items:center;gap:4px;border:1px solid #d5dbe4;border-radius:999px;padding:2px 10px;background:#fff;font-size:12px;color:#4b5563}
.ac svg{width:14px;height:14px}.ac:hover{border-color:#1559b7;color:#1559b7}
.rt{display:inline-flex;align-items:center;gap:4px;margin-top:8px}.rt svg{width:16px;height:16px}
.fu{margin-top:10px;padding-top:8px;border-top:1px dashed #dfe5ee}
.ss{margin-top:8px;padding-top:7px;border-top:1px dashed #dfe5ee;display:grid;gap:2px}
.sl,.mu{font-size:12px;color:#6b7280}
.si{display:flex;gap:6px;width:100%;align-items:flex-start;text-align:left;font-size:12px;color:#374151;padding:3px 4px;border-radius:6px}
.si:hover{background:#eef3fb}.si .n{margin-top:1px}
.fb{margin-top:8px;display:flex;flex-wrap:wrap;align-items:center;gap:6px;font-size:12px;color:#6b7280}
.fb svg{width:14px;height:14px}.fd svg{transform:rotate(180deg)}
.fbb{display:inline-flex;align-items:center;gap:4px;border:1px solid #d5dbe4;border-radius:999px;padding:2px 10px;background:#fff}
.fbb:hover,.fbb[aria-pressed=true]{border-color:#1559b7;color:#1559b7;background:#eef3fb}
.fc{display:flex;gap:6px;width:100%}
.fc input,.cf input,.cf textarea,.ta{border:1px solid #cbd5e1;border-radius:8px;background:#fff}
.fc input{flex:1;min-width:0;padding:4px 8px;font-size:13px}
.fc input:focus,.cf input:focus,.cf textarea:focus,.ta:focus{outline:none;border-color:#1559b7;box-shadow:0 0 0 3px rgba(21,89,183,.25)}
.pb{background:#1559b7;color:#fff;border-radius:8px;padding:4px 12px;font-weight:600}.pb:hover{background:#0f4a9c}
.ok{color:#15803d}
.sg{display:grid;gap:6px;margin-top:10px}
.sgb{text-align:left;padding:7px 11px;border:1px solid #c7d6ee;border-radius:9px;background:#f7faff;color:#1559b7;font-size:13px}
.sgb:hover{background:#e8f0fc}
.cm{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 6px;border-top:1px solid #e5e9f0}
.ta{flex:1;resize:none;padding:8px 10px;max-height:120px;line-height:1.5;min-height:40px}
.sd{width:40px;height:40px;border-radius:10px;background:#1559b7;color:#fff;display:grid;place-items:center;flex:none}
.sd.sp2{background:#fff;color:#9b1c1c;border:2px solid #9b1c1c}.sd.sp2 svg{fill:currentColor}
.ft{padding:0 12px 8px;font-size:11px;color:#9aa3af;text-align:center;border-radius:0 0 13px 13px}
.sub{display:flex;align-items:center;gap:8px;padding:10px 12px;border-bottom:1px solid #e5e9f0}
.sub h3{flex:1;font-size:15px;font-weight:600}
.gb{display:inline-flex;align-items:center;gap:4px;font-size:13px;color:#1559b7;padding:4px 6px;border-radius:6px}
.gb svg{width:16px;height:16px}.gb:hover,.xb:hover{background:#eef3fb}
.xb{width:32px;height:32px;border-radius:8px;display:grid;place-items:center;color:#4b5563}
.sc{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:14px 16px;position:relative}
.cf{display:grid;gap:6px;margin-top:10px}
.cf label{font-weight:600;font-size:13px}.cf label span{font-weight:400;color:#6b7280}
.cf textarea{resize:vertical;min-height:110px;padding:8px 10px}.cf input{padding:7px 10px}
.cf .pb{justify-self:start;padding:7px 18px;margin-top:4px}
.rs{margin-top:14px}.rs h4{font-size:14px}
.note{margin-top:8px;padding:8px 10px;border-radius:8px;background:#fffbeb;border:1px solid #f6e3a1}
.er2{margin-top:8px;color:#9b1c1c}
.cd{border:1px solid #e1e7f0;border-radius:10px;padding:12px;margin-top:10px;background:#fff}
.cd h5{font-size:15px;margin:2px 0 6px}
.mt{display:flex;align-items:center;gap:8px;flex-wrap:wrap;font-size:12px;color:#4b5563}
.bd{padding:1px 9px;border-radius:999px;font-weight:600;white-space:nowrap}
.yes{background:#dcfce7;color:#166534}.no{background:#fee2e2;color:#991b1b}.tbd{background:#fef3c7;color:#92400e}.neu{background:#f1f5f9;color:#475569}
.ws{display:flex;align-items:center;flex-wrap:wrap;gap:4px 8px;margin:-12px -12px 10px;padding:7px 12px;border-radius:10px 10px 0 0;font-size:13px;background:#f1f5f9;color:#334155}
.ws strong{font-size:14px;padding:1px 10px;border-radius:6px;background:#475569;color:#fff}
.ws.open{background:#dcfce7;color:#14532d}.ws.open strong{background:#15803d}
.ws.upcoming{background:#dbeafe;color:#1e3a8a}.ws.upcoming strong{background:#1d4ed8}
.fit{font-weight:700;padding:0 8px;border-radius:6px}.fit.hi{background:#dbeafe;color:#1e40af}.fit.md{background:#e0e7ff;color:#3730a3}.fit.lo{background:#f1f5f9;color:#64748b}
.el{display:flex;align-items:baseline;flex-wrap:wrap;gap:4px 8px;margin-top:6px;font-size:13px}
.el .why{flex-basis:100%;color:#4b5563}.el.e-no .why{color:#991b1b}
.cl{background:#f1f5f9;border-color:#cbd5e1;color:#334155;font-weight:600}
.bar{width:64px;height:6px;border-radius:3px;background:#e5e7eb;overflow:hidden}.bar i{display:block;height:100%;background:#1559b7}
.cd ul{margin:8px 0 0;padding-left:18px;font-size:13px}.cd li{margin:2px 0}
.qs{margin-top:6px;font-size:13px}
.cp{position:fixed;top:0;left:0;opacity:0}
.so{position:absolute;top:0;max-height:100%;right:calc(100% + 12px);width:380px;background:#fff;border:1px solid #dfe5ee;border-radius:14px;box-shadow:0 14px 44px rgba(15,23,42,.24);display:flex;flex-direction:column;animation:in .16s ease-out}
.dt{font-weight:600}.sp{display:inline-block;margin-top:8px;padding:3px 8px;border-radius:6px;background:#eef3fb;color:#1559b7;font-size:12px}
.cx{white-space:pre-wrap;line-height:1.9;margin-top:12px}
mark{background:#fde68a;color:inherit;border-radius:2px;box-shadow:0 0 0 2px #fde68a}
@media (max-width:860px){.so{inset:0;width:auto;max-height:none;border-radius:13px}}
@media (max-width:480px){.p{inset:0;width:100%;max-width:none;height:100%;border:0;border-radius:0}.hd,.so,.ft{border-radius:0}.o .la{display:none}}
@media (max-width:480px),(pointer:coarse){
button{min-width:44px;min-height:44px}input,textarea{min-height:44px}
.c{min-width:44px;min-height:44px;margin:-13px -6px;vertical-align:middle}
a{display:inline-block;padding:11px 0;margin:-11px 0}
.hd{padding:6px 6px 6px 12px;gap:4px}.hd p{display:none}.hb{padding:2px 9px}
.ib,.xb,.sd{width:44px;height:44px}.ta{min-height:44px}.fc input{min-height:44px}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}`;

  // Elements are built from tag, attributes and children; strings become text nodes, never markup.
  const h = (tag, props, ...kids) => {
    const el = document.createElement(tag);
    for (const k in props) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c != null && c !== false) el.append(c);
    return el;
  };
  const icon = (name) => {
    const s = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    p.setAttribute('d', ICONS[name]);
    s.append(p);
    return s;
  };
  const day = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? `${m[1]}年${+m[2]}月${+m[3]}日` : iso;
  };

  class ApiError extends Error {
    /** status: the HTTP status, 0 when the answer stream broke off. */
    constructor(message, code, status) {
      super(message);
      this.code = code;
      this.status = status;
    }
  }
  // Worth sending again: the network, a timeout, rate limiting or the server failing; not a rejected question.
  const retryable = (err) => !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
  const failure = (err) =>
    err instanceof ApiError
      ? err.message
      : err && err.name === 'TimeoutError'
        ? '请求超时，请稍后再试。'
        : '网络连接出现问题，暂时无法获取回答，请检查网络后重试。';
  async function api(path, body, accept, abort) {
    const timeout = AbortSignal.timeout ? AbortSignal.timeout(60000) : undefined;
    const res = await fetch(API + path, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'Content-Type': 'application/json', Accept: accept || 'application/json' } : { Accept: 'application/json' },
      body: body && JSON.stringify(body),
      signal: abort && timeout && AbortSignal.any ? AbortSignal.any([abort, timeout]) : abort || timeout,
    });
    if (!res.ok) {
      let e = {};
      try {
        e = (await res.json()).error || {};
      } catch {}
      throw new ApiError(e.message || (res.status >= 500 ? '服务暂时不可用，请稍后再试。' : `请求未成功（${res.status}），请稍后再试。`), e.code, res.status);
    }
    return res;
  }

  // ---- skeleton -------------------------------------------------------------------------------
  const host = document.createElement('ln-policy-chat');
  host.style.cssText = 'all:initial!important';
  const root = host.attachShadow({ mode: 'open' });

  const launcher = h('button', { class: 'la', type: 'button', 'data-testid': 'chat-launcher', 'aria-label': '打开政策问答', 'aria-expanded': 'false', 'aria-controls': 'lnc-panel', onclick: () => (panel.hidden ? open() : close()) }, icon('chat'), h('span', null, '政策问答'));
  const caseBtn = h('button', { class: 'hb', type: 'button', 'data-testid': 'case-open', onclick: () => showCase() }, '赛道推荐');
  const newBtn = h('button', { class: 'hb', type: 'button', 'data-testid': 'chat-new', 'aria-label': '开始新对话', title: '清空对话记录，开始新对话', onclick: () => newChat() }, '新对话');
  const header = h('div', { class: 'hd' },
    h('div', null, h('h2', { id: 'lnc-title' }, '辽宁金融政策问答'), h('p', null, '依据政策原文作答，每句附逐字引用')),
    caseBtn, newBtn,
    h('button', { class: 'ib', type: 'button', 'data-testid': 'chat-close', 'aria-label': '关闭对话窗口', onclick: () => close() }, icon('x')));

  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': '对话记录', 'data-testid': 'chat-messages' });
  const input = h('textarea', { class: 'ta', id: 'lnc-q', rows: '1', maxlength: '1000', 'data-testid': 'chat-input', 'aria-label': '输入您的问题', placeholder: '请输入您的问题，按 Enter 发送' });
  const sendBtn = h('button', { class: 'sd', type: 'submit', 'data-testid': 'chat-send', 'aria-label': '发送' }, icon('send'));
  const stopBtn = h('button', { class: 'sd sp2', type: 'button', 'data-testid': 'chat-stop', 'aria-label': '停止回答', title: '停止回答', hidden: true, onclick: () => busy && busy.abort() }, icon('stop'));
  // Earlier answers restored from the server go here, below the welcome.
  const hist = h('div', { class: 'hs', 'data-testid': 'chat-history' });
  const chatView = h('div', { class: 'v' }, log,
    h('form', { class: 'cm', onsubmit: (e) => { e.preventDefault(); ask(input.value); } }, input, sendBtn, stopBtn),
    h('p', { class: 'ft' }, '回答依据政策原文自动生成，仅供参考，以正式文件为准'));

  const caseDesc = h('textarea', { id: 'lnc-cd', rows: '6', maxlength: '5000', 'data-testid': 'case-description', placeholder: '例如：我们是大连的一家农商行，2025年推出“惠农快贷”，依托农户信用档案给种植户发放小额信用贷款……' });
  const caseRegion = h('input', { id: 'lnc-cr', maxlength: '20', 'data-testid': 'case-region', placeholder: '例如：辽宁、大连', autocomplete: 'off' });
  const caseSubmit = h('button', { class: 'pb', type: 'submit', 'data-testid': 'case-submit' }, '推荐赛道');
  const caseResult = h('div', { class: 'rs', 'aria-live': 'polite', 'data-testid': 'case-result' });
  let caseScroll;
  const caseView = h('div', { class: 'v', hidden: true },
    h('div', { class: 'sub' },
      h('button', { class: 'gb', type: 'button', 'data-testid': 'case-back', 'aria-label': '返回对话', onclick: () => showChat() }, icon('back'), '返回'),
      h('h3', { id: 'lnc-case-title' }, '案例征集赛道推荐')),
    (caseScroll = h('div', { class: 'sc' },
      h('p', { class: 'mu' }, '请用几句话说明申报单位、案例内容、所用技术和落地地区。我们会对照2025年四项金融案例征集活动的赛道、申报条件和申报时间给出建议，理由均附原文引用。'),
      h('form', { class: 'cf', 'aria-labelledby': 'lnc-case-title', onsubmit: (e) => { e.preventDefault(); recommend(); } },
        h('label', { for: 'lnc-cd' }, '案例描述'), caseDesc,
        h('label', { for: 'lnc-cr' }, '注册地 ', h('span', null, '（可选）')), caseRegion,
        caseSubmit),
      caseResult)));

  const srcTitle = h('h3', { id: 'lnc-src-title' }, '原文出处');
  const srcClose = h('button', { class: 'xb', type: 'button', 'data-testid': 'source-close', 'aria-label': '关闭原文', onclick: () => closeSource() }, icon('x'));
  const srcBody = h('div', { class: 'sc', tabindex: '0', 'aria-label': '原文内容' });
  const source = h('div', { class: 'so', role: 'dialog', 'aria-labelledby': 'lnc-src-title', 'data-testid': 'source-panel', hidden: true }, h('div', { class: 'sub' }, srcTitle, srcClose), srcBody);

  const panel = h('div', { class: 'p', id: 'lnc-panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'lnc-title', 'data-testid': 'chat-panel', hidden: true }, header, chatView, caseView, source);
  const wrap = h('div', { class: 'w' }, launcher, panel);
  // A constructed stylesheet, not a <style> element: a host page whose CSP allows no inline style still styles the widget.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else root.append(h('style', null, CSS));
  root.append(wrap);

  // ---- open, close, keyboard ------------------------------------------------------------------
  let started = false;
  function open() {
    panel.hidden = false;
    wrap.classList.add('o');
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', '关闭政策问答');
    lockPage(true);
    if (!started) (welcome(), log.append(hist), toBottom());
    started = true;
    (caseView.hidden ? input : caseDesc).focus();
  }
  function close() {
    closeSource(true);
    lockPage(false);
    panel.hidden = true;
    wrap.classList.remove('o');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', '打开政策问答');
    launcher.focus();
  }
  function showCase() {
    closeSource(true);
    chatView.hidden = true;
    caseView.hidden = false;
    caseBtn.hidden = newBtn.hidden = true;
    caseDesc.focus();
  }
  function showChat() {
    closeSource(true);
    caseView.hidden = true;
    chatView.hidden = false;
    caseBtn.hidden = newBtn.hidden = false;
    caseBtn.focus();
  }
  // While the panel fills a phone's screen, the page underneath does not scroll.
  let locked = null;
  function lockPage(on) {
    const els = [document.documentElement, document.body];
    if (on && !locked && matchMedia('(max-width: 480px)').matches) {
      locked = els.map((el) => [el.style.getPropertyValue('overflow'), el.style.getPropertyPriority('overflow')]);
      for (const el of els) el.style.setProperty('overflow', 'hidden', 'important');
    } else if (!on && locked) {
      els.forEach((el, i) => (locked[i][0] ? el.style.setProperty('overflow', locked[i][0], locked[i][1]) : el.style.removeProperty('overflow')));
      locked = null;
    }
  }
  const visible = (layer) =>
    [...layer.querySelectorAll('button,textarea,input,[tabindex="0"]')].filter((el) => !el.disabled && !el.closest('[inert]') && el.getClientRects().length);
  wrap.addEventListener('keydown', (e) => {
    if (panel.hidden || e.isComposing) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      if (!source.hidden) closeSource();
      else if (!caseView.hidden) showChat();
      else close();
    } else if (e.key === 'Tab') {
      // Focus stays inside the dialog (the source panel when it is modal).
      const f = visible(source.getAttribute('aria-modal') === 'true' ? source : panel);
      const cur = root.activeElement;
      const i = f.indexOf(cur);
      if (!f.length) return;
      if (e.shiftKey && i <= 0) (e.preventDefault(), f[f.length - 1].focus());
      else if (!e.shiftKey && (i === -1 || i === f.length - 1)) (e.preventDefault(), f[0].focus());
    }
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      ask(input.value);
    }
  });
  input.addEventListener('input', () => {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  });
  caseDesc.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) (e.preventDefault(), recommend());
  });

  // ---- chat -----------------------------------------------------------------------------------
  const toBottom = () => (log.scrollTop = log.scrollHeight);
  const within = (el) => el.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
  /** Follows a growing answer, but never scrolls its question out of view. */
  function reveal(q, bubble) {
    const want = Math.min(within(q) - 12, within(bubble) + bubble.offsetHeight + 16 - log.clientHeight);
    if (want > log.scrollTop) log.scrollTop = want;
  }
  function welcome() {
    log.append(h('div', { class: 'm b' },
      h('p', { class: 't' }, '您好！我依据《辽宁省金融支持民营经济发展若干举措》及其操作指南、2025年金融案例征集活动的原文回答问题，回答中的编号可查看原文出处。您可以这样问：'),
      h('div', { class: 'sg' }, SUGGESTIONS.map((q, i) =>
        h('button', { class: 'sgb', type: 'button', 'data-testid': 'chat-suggestion', onclick: () => (i === SUGGESTIONS.length - 1 ? showCase() : ask(q)) }, q)))));
  }

  let conversationId = store.get();
  /** The AbortController of the answer being fetched, null when idle. */
  let busy = null;
  function setBusy(ctrl) {
    const from = root.activeElement;
    busy = ctrl;
    sendBtn.hidden = !!ctrl;
    stopBtn.hidden = !ctrl;
    if (ctrl && from === sendBtn) stopBtn.focus();
    if (!ctrl && from === stopBtn) input.focus();
  }

  async function ask(text) {
    const question = String(text || '').trim();
    if (busy || !question) return;
    const ctrl = new AbortController();
    setBusy(ctrl);
    if (input.value.trim() === question) {
      input.value = '';
      input.style.height = '';
    }
    // Suggestions belong to the latest answer only; focus on one that goes moves to the stop button.
    if (root.activeElement && root.activeElement.closest('.fu')) stopBtn.focus();
    for (const el of log.querySelectorAll('.fu')) el.remove();
    const q = h('div', { class: 'm u', 'data-testid': 'chat-question' }, question);
    const txt = h('div', { class: 't' }, h('span', { class: 'wait' }, '正在查找原文'));
    const bubble = h('div', { class: 'm b', 'data-testid': 'chat-answer', 'data-state': 'streaming', 'aria-busy': 'true' }, txt);
    log.append(q, bubble);
    reveal(q, bubble);

    // Tokens are shown at a readable pace even when they arrive all at once; citations that tokens
    // bring (LLM mode) become chips at once, the others are pending until the final answer.
    const known = new Map();
    let shown = '';
    let ended = false;
    const queue = [];
    const paced = new Promise((resolve) => {
      const timer = setInterval(() => {
        if (ctrl.signal.aborted) queue.length = 0;
        if (queue.length) {
          shown += queue.splice(0, Math.ceil(queue.length / 10)).join('');
          txt.replaceChildren(...streamed(shown, known));
          reveal(q, bubble);
        } else if (ended || ctrl.signal.aborted) {
          clearInterval(timer);
          resolve();
        }
      }, 30);
    });
    const onToken = (t, cites) => {
      for (const c of cites || []) if (c && c.n != null) known.set(c.n, c);
      queue.push(t);
    };
    // Sends the question again in place of this exchange (after an error, or after stopping).
    const retry = () =>
      h('button', { class: 'pb rt', type: 'button', 'data-testid': 'chat-retry', onclick: () => {
        q.remove();
        bubble.remove();
        input.focus();
        ask(question);
      } }, icon('retry'), '重试');
    let answer = null;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          answer = await stream({ question, ...(conversationId ? { conversationId } : {}) }, onToken, ctrl.signal);
          break;
        } catch (err) {
          // The server forgot the conversation (e.g. it was reset): start a new one.
          if (attempt || !(err instanceof ApiError) || err.code !== 'conversation_not_found') throw err;
          conversationId = null;
        }
      }
      if (answer.conversationId) store.set((conversationId = answer.conversationId));
      ended = true;
      await paced;
      if (ctrl.signal.aborted) throw new DOMException('Stopped', 'AbortError');
      renderAnswer(bubble, answer, question);
      reveal(q, bubble);
    } catch (err) {
      ended = true;
      queue.length = 0;
      await paced;
      if (ctrl.signal.aborted) {
        // Stopped: what was shown stays, marked as cut short. A marker whose citation was still pending goes:
        // the answer never completed, so no source was confirmed for it (the final answer's, when it had come, are).
        bubble.setAttribute('data-state', 'stopped');
        const cut = /\[\d*$/.exec(shown);
        txt.replaceChildren(...withChips(cut ? shown.slice(0, cut.index) : shown, answer ? answer.citations : known, false));
        bubble.append(h('p', { class: 'mu', 'data-testid': 'chat-stopped' }, shown ? '已停止回答，以上内容不完整。' : '已停止回答。'), retry());
      } else {
        const again = retryable(err);
        bubble.className = 'm b er';
        bubble.setAttribute('data-testid', 'chat-error');
        bubble.removeAttribute('data-state');
        bubble.replaceChildren(h('p', { class: 't' }, '抱歉，' + failure(err)), again ? retry() : null);
        // The question is kept for sending again.
        if (again && !input.value.trim()) input.value = question;
      }
    } finally {
      bubble.removeAttribute('aria-busy');
      setBusy(null);
      if (bubble.isConnected) reveal(q, bubble);
    }
  }

  /** POST /api/ask as SSE: calls onToken(text, citations) for each `token` event, resolves with the `done` answer. */
  async function stream(body, onToken, abort) {
    const res = await api('/api/ask', body, 'text/event-stream', abort);
    if (!res.body || !(res.headers.get('content-type') || '').includes('event-stream')) return res.json();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    let done = null;
    const handle = (block) => {
      let event = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        const m = /^(event|data):\s?(.*)$/.exec(line);
        if (m && m[1] === 'event') event = m[2];
        else if (m) data.push(m[2]);
      }
      if (!data.length) return;
      const json = JSON.parse(data.join('\n'));
      if (event === 'token') onToken(String(json.text || ''), Array.isArray(json.citations) ? json.citations : null);
      else if (event === 'done') done = json;
      else if (event === 'error') throw new ApiError((json.error && json.error.message) || '回答生成失败，请稍后再试。', json.error && json.error.code, 500);
    };
    for (;;) {
      const { value, done: end } = await reader.read();
      buf += decoder.decode(value || new Uint8Array(), { stream: !end });
      let m;
      while ((m = /\r?\n\r?\n/.exec(buf))) {
        handle(buf.slice(0, m.index));
        buf = buf.slice(m.index + m[0].length);
      }
      if (end) break;
    }
    if (buf.trim()) handle(buf);
    if (!done) throw new ApiError('回答传输中断，请重试。', 'interrupted', 0);
    return done;
  }

  // Web addresses (http/https only) and phone numbers in answer text; everything else stays text.
  const LINKS = /(https?:\/\/[^\s<>"'[\]\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+)|(?<![\d\-‐-―－])(0\d{2,3}[\-‐-―－]\d{7,8}|400[\-‐-―－]?\d{3}[\-‐-―－]?\d{4}|1[3-9]\d{9})(?![\d\-‐-―－])/g;
  function linked(text) {
    const out = [];
    let last = 0;
    for (const m of String(text).matchAll(LINKS)) {
      const s = m[1] ? m[1].replace(/[.,;:!?)'"]+$/, '') : m[2];
      if (m[1] && !/^https?:\/\/[^/.]+\.[^/]/.test(s + '/')) continue;
      out.push(text.slice(last, m.index));
      out.push(m[1]
        ? h('a', { href: s, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'chat-link' }, s)
        : h('a', { href: 'tel:' + s.replace(/\D/g, ''), 'data-testid': 'chat-tel', 'aria-label': '拨打 ' + s }, s));
      last = m.index + s.length;
    }
    out.push(text.slice(last));
    return out.filter((x) => x !== '');
  }

  /** Text with its [n] markers turned into citation chips (pending ones while streaming) and links. */
  function withChips(text, citations, pending) {
    const byN = citations instanceof Map ? citations : new Map((citations || []).map((c) => [c.n, c]));
    return String(text).split(/(\[\d+\])/).flatMap((part) => {
      if (!/^\[\d+\]$/.test(part)) return linked(part);
      const n = +part.slice(1, -1);
      const c = byN.get(n);
      // A marker is never shown as raw "[n]".
      return c ? [chip(c)] : pending ? [h('span', { class: 'c pd', 'data-testid': 'chat-citation', 'data-n': n, 'data-pending': 'true', title: '出处将在回答完成后显示' }, h('span', { class: 'cv' }, String(n)))] : [];
    });
  }
  /** The streamed text so far: an unfinished marker ("[1") at the end waits for the next token. */
  function streamed(text, known) {
    const cut = /\[\d*$/.exec(text);
    return withChips(cut ? text.slice(0, cut.index) : text, known, true);
  }
  /** Tells citations apart: document › section › the quote's first words. */
  const label = (c) => {
    const q = [...String(c.quote || '')];
    return [c.title, c.section, q.length > 12 ? q.slice(0, 12).join('') + '…' : q.join('')].filter(Boolean).join(' › ');
  };
  const chip = (c) =>
    h('button', { class: 'c', type: 'button', 'data-testid': 'chat-citation', 'data-n': c.n, 'aria-label': `查看引用${c.n}：${label(c)}`, title: label(c), onclick: (e) => openSource(c, e.currentTarget) }, h('span', { class: 'cv' }, String(c.n)));

  function renderAnswer(bubble, a, question) {
    const cites = a.citations || [];
    bubble.setAttribute('data-state', 'done');
    if (a.answerable === false) bubble.classList.add('dc');
    bubble.replaceChildren(h('div', { class: 't' }, withChips(a.answer, cites)));
    if (cites.length)
      bubble.append(h('div', { class: 'ss' }, h('p', { class: 'sl' }, '原文出处'), cites.map((c) =>
        h('button', { class: 'si', type: 'button', 'data-testid': 'chat-source', 'aria-label': `查看引用${c.n}的原文：${label(c)}`, title: label(c), onclick: (e) => openSource(c, e.currentTarget) },
          h('span', { class: 'n' }, String(c.n)), h('span', null, label(c))))));
    // A case described in the chat: the case form gives every track's full reasons and conditions, prefilled with it.
    if (a.tracks && question)
      bubble.append(h('button', { class: 'hb', type: 'button', 'data-testid': 'chat-open-case', onclick: () => { caseDesc.value = question; showCase(); } }, '在“赛道推荐”中查看完整理由'));
    const copyLabel = h('span', null, '复制');
    const copyBtn = h('button', { class: 'ac', type: 'button', 'data-testid': 'chat-copy', 'aria-label': '复制回答', onclick: () => copy(String(a.answer || '').replace(/\[\d+\]/g, ''), copyLabel) }, icon('copy'), copyLabel);
    bubble.append(a.messageId ? feedback(a.messageId, copyBtn) : h('div', { class: 'fb' }, copyBtn));
    const more = (Array.isArray(a.suggestions) ? a.suggestions : []).filter((s) => typeof s === 'string' && s.trim()).slice(0, 3);
    if (more.length)
      bubble.append(h('div', { class: 'sg fu', role: 'group', 'aria-label': '您可能还想问' }, h('p', { class: 'sl' }, '您可能还想问：'), more.map((s) =>
        h('button', { class: 'sgb', type: 'button', 'data-testid': 'chat-suggestion', onclick: () => ask(s) }, s))));
  }

  async function copy(text, labelEl) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // Older browsers, or no clipboard permission: a hidden textarea and the copy command.
      const back = root.activeElement;
      const area = h('textarea', { class: 'cp', readonly: true, 'aria-hidden': 'true' });
      area.value = text;
      wrap.append(area);
      area.select();
      try {
        ok = document.execCommand('copy');
      } catch {}
      area.remove();
      if (back) back.focus();
    }
    labelEl.textContent = ok ? '已复制' : '复制失败';
    setTimeout(() => (labelEl.textContent = '复制'), 2000);
  }

  /** The conversation kept from an earlier visit, shown under the welcome; forgotten when the server no longer has it. */
  async function restore() {
    const id = conversationId;
    if (!id) return;
    try {
      const data = await (await api('/api/conversations/' + encodeURIComponent(id))).json();
      const messages = (data && data.messages) || [];
      if (conversationId !== id || !messages.length) return;
      hist.append(h('p', { class: 'rn' }, '— 以下是您之前的对话 —'));
      // Follow-up suggestions belong to the latest answer only, as after a live one; none once a new question was asked.
      const asked = busy || log.querySelector('[data-testid="chat-answer"]:not([data-restored])');
      messages.forEach((m, i) => {
        const bubble = h('div', { class: 'm b', 'data-testid': 'chat-answer', 'data-restored': 'true' });
        hist.append(h('div', { class: 'm u', 'data-testid': 'chat-question' }, m.question), bubble);
        renderAnswer(bubble, i === messages.length - 1 && !asked ? m : { ...m, suggestions: undefined }, null);
      });
      if (!panel.hidden) toBottom();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && conversationId === id) store.set((conversationId = null));
    }
  }

  function newChat() {
    if (busy) busy.abort();
    store.set((conversationId = null));
    closeSource(true);
    hist.replaceChildren();
    log.replaceChildren();
    welcome();
    log.append(hist);
    input.focus();
  }

  function feedback(messageId, lead) {
    let helpful = null;
    const box = h('div', { class: 'fb', role: 'group', 'aria-label': '评价这个回答' });
    const comment = h('input', { 'data-testid': 'chat-feedback-comment', maxlength: '1000', 'aria-label': '补充意见（可选）', placeholder: '补充意见（可选），按 Enter 提交' });
    const submit = h('button', { class: 'pb', type: 'submit', 'data-testid': 'chat-feedback-submit' }, '提交');
    const msg = h('span', { class: 'er2', hidden: true });
    const form = h('form', { class: 'fc', hidden: true, onsubmit: send }, comment, submit);
    const thumb = (up) =>
      h('button', { class: 'fbb' + (up ? '' : ' fd'), type: 'button', 'aria-pressed': 'false', 'data-testid': up ? 'chat-feedback-up' : 'chat-feedback-down', onclick: () => pick(up) }, icon('up'), up ? '有帮助' : '没帮助');
    const ups = [thumb(true), thumb(false)];
    function pick(up) {
      helpful = up;
      ups.forEach((b, i) => b.setAttribute('aria-pressed', String(i === (up ? 0 : 1))));
      form.hidden = false;
      comment.focus();
      form.scrollIntoView({ block: 'nearest' });
    }
    async function send(e) {
      e.preventDefault();
      submit.disabled = true;
      try {
        const c = comment.value.trim();
        await api('/api/feedback', { messageId, helpful, ...(c ? { comment: c } : {}) });
        const thanks = h('p', { class: 'ok', tabindex: '-1', 'data-testid': 'chat-feedback-thanks' }, '感谢反馈！');
        box.replaceChildren(lead, thanks);
        thanks.focus();
      } catch (err) {
        msg.textContent = failure(err);
        msg.hidden = false;
        submit.disabled = false;
      }
    }
    box.append(lead, h('span', null, '这个回答有帮助吗？'), ...ups, form, msg);
    return box;
  }

  // ---- source passages ------------------------------------------------------------------------
  const docs = new Map();
  const getDoc = (id) => {
    if (!docs.has(id)) {
      const p = api('/api/documents/' + encodeURIComponent(id)).then((r) => r.json());
      p.catch(() => docs.delete(id));
      docs.set(id, p);
    }
    return docs.get(id);
  };
  let opener = null;
  let showing = 0;
  async function openSource(c, from) {
    const token = ++showing;
    opener = from;
    const modal = matchMedia('(max-width: 860px)').matches;
    source.setAttribute('aria-modal', String(modal));
    for (const el of [header, chatView, caseView]) el.inert = modal;
    srcTitle.textContent = `引用 ${c.n} 的原文出处`;
    srcBody.replaceChildren(h('p', { class: 'mu' }, '正在加载原文…'));
    source.hidden = false;
    srcClose.focus();
    try {
      const doc = await getDoc(c.docId);
      if (token !== showing) return;
      const text = doc.text || '';
      let start = c.start;
      let end = c.end;
      if (text.slice(start, end) !== c.quote && text.includes(c.quote)) (start = text.indexOf(c.quote)), (end = start + c.quote.length);
      // The deepest section that holds the whole quote; its text is the context.
      const sec = (doc.sections || []).filter((s) => s.start <= start && end <= s.end).sort((a, b) => b.depth - a.depth || b.path.length - a.path.length || a.end - a.start - (b.end - b.start))[0];
      let from = sec ? sec.start : start - 200;
      let to = sec ? sec.end : end + 200;
      from = Math.max(from, start - 500, 0);
      to = Math.min(to, end + 500, text.length);
      const mark = h('mark', { 'data-testid': 'source-quote' }, text.slice(start, end));
      srcBody.replaceChildren(
        h('p', { class: 'dt' }, doc.title || c.title),
        h('p', { class: 'mu' }, [doc.issuer, doc.published && day(doc.published)].filter(Boolean).join(' · ')),
        h('p', { class: 'sp' }, sec ? sec.path.join(' › ') : c.section),
        h('p', { class: 'cx' }, (sec && from > sec.start ? '…' : '') + text.slice(from, start), mark, text.slice(end, to) + (sec && to < sec.end ? '…' : '')),
        h('p', { class: 'mu' }, `高亮部分为回答所引用的原文（第${start + 1}–${end}字）。`));
      srcBody.scrollTop = Math.max(0, mark.offsetTop - srcBody.clientHeight / 3);
    } catch (err) {
      if (token === showing) srcBody.replaceChildren(h('p', { class: 'er2' }, '原文加载失败：' + failure(err)));
    }
  }
  function closeSource(quiet) {
    if (source.hidden) return;
    showing++;
    source.hidden = true;
    for (const el of [header, chatView, caseView]) el.inert = false;
    if (!quiet && opener && opener.isConnected) opener.focus();
  }

  // ---- case recommendation --------------------------------------------------------------------
  async function recommend() {
    const description = caseDesc.value.trim();
    if (!description) {
      caseResult.replaceChildren(h('p', { class: 'er2' }, '请先填写案例描述。'));
      return caseDesc.focus();
    }
    if (caseSubmit.disabled) return;
    caseSubmit.disabled = true;
    caseResult.replaceChildren(h('p', { class: 'mu' }, '正在对照各赛道的聚焦方向和申报条件…'));
    const region = caseRegion.value.trim();
    try {
      const data = await (await api('/api/recommend', { case: { description, ...(region ? { applicantRegion: region } : {}) } })).json();
      const recs = data.recommendations || [];
      const head = h('h4', { tabindex: '-1' }, recs.length ? `推荐结果：${recs.length}个赛道（按相符度排序）` : '推荐结果');
      // Every window closed: said once, above the cards, so nobody prepares an application in vain.
      const allClosed = recs.length > 0 && recs.every((r) => r.window && r.window.status === 'closed');
      caseResult.replaceChildren(head,
        ...(allClosed ? [h('p', { class: 'note cl', role: 'status', 'data-testid': 'case-all-closed' }, '提示：以上赛道的申报时间均已截止，本轮已无法申报，可关注下一年度的征集通知。')] : []),
        ...(data.message ? [h('p', { class: 'note', 'data-testid': 'case-message' }, data.message)] : []), ...recs.map(track));
      head.focus({ preventScroll: true });
      caseScroll.scrollTop = head.offsetTop - 8;
    } catch (err) {
      caseResult.replaceChildren(h('p', { class: 'er2', 'data-testid': 'case-error' }, '抱歉，' + failure(err)));
    } finally {
      caseSubmit.disabled = false;
    }
  }
  /** How well a case fits a track, in words; the score is secondary. */
  const fitLevel = (r) => {
    const score = Number(r.score) || 0;
    return r.fits === false || score < 0.25 ? ['lo', '低'] : score >= 0.4 ? ['hi', '高'] : ['md', '中'];
  };
  function track(r) {
    const w = r.window || {};
    const [fcls, fit] = fitLevel(r);
    const pct = Math.round(Math.max(0, Math.min(1, Number(r.score) || 0)) * 100);
    const when = w.opens && w.closes ? `${day(w.opens)}至${day(w.closes)}` : w.closes ? `截至${day(w.closes)}` : w.opens ? `${day(w.opens)}起` : '原文未载明具体时间';
    const failed = (r.failedRules || []).map((f) => f.message).filter(Boolean);
    const missing = (r.questions || []).filter(Boolean);
    // Eligible but a poor fit is not shown in green: the rules pass, the track is still not a good choice.
    const [ecls, elabel, why] =
      r.eligible === true
        ? fit === '低' ? ['neu', '符合', '申报条件均满足，但案例与该赛道的聚焦方向相符度低，不建议作为首选。'] : ['yes', '符合', '']
        : r.eligible === false
          ? ['no', '不符合', failed.join('；') || '不满足该赛道的申报条件。']
          : ['tbd', '待确认', '还需确认：' + (missing.join(' ') || '部分申报条件所需的信息描述中未提及。')];
    const bar = h('i');
    bar.style.width = pct + '%';
    return h('article', { class: 'cd', 'data-testid': 'case-track', 'data-fit': fcls, 'data-eligible': String(r.eligible) },
      h('p', { class: 'ws ' + (STATUS[w.status] ? w.status : 'unknown'), 'data-testid': 'case-window' },
        h('strong', { 'data-testid': 'case-window-status' }, STATUS[w.status] || STATUS.unknown), h('span', null, '申报时间：', when), w.note ? h('span', { class: 'mu' }, w.note) : null),
      h('p', { class: 'mu' }, r.campaign),
      h('h5', null, r.track, r.quota ? `（${r.quota}个）` : ''),
      h('div', { class: 'mt' },
        h('span', null, '相符度'), h('span', { class: 'fit ' + fcls, 'data-testid': 'case-fit' }, fit),
        h('span', { class: 'bar', 'aria-hidden': 'true' }, bar), h('span', { class: 'mu', 'data-testid': 'case-score' }, `${pct}分`)),
      h('p', { class: 'el e-' + ecls, 'data-testid': 'case-eligibility-line' },
        h('span', null, '申报条件'), h('span', { class: 'bd ' + ecls, 'data-testid': 'case-eligibility' }, elabel),
        why ? h('span', { class: 'why', 'data-testid': 'case-eligibility-detail' }, why) : null),
      r.reasons && r.reasons.length ? h('ul', { 'aria-label': '理由' }, r.reasons.map((t) => h('li', null, withChips(t, r.citations)))) : null,
      r.eligible !== null && missing.length ? h('div', { class: 'qs' }, h('p', null, '还需确认：'), h('ul', null, missing.map((q) => h('li', null, q)))) : null);
  }

  const mount = () => (document.body.append(host), restore());
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
