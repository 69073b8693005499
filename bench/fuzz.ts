/**
 * Fuzz proof (`npx tsx bench/fuzz.ts [--count 10000] [--seed N|random] [--concurrency 16]
 * [--timeout 15000] [--raw 300] [--case I] [--show 40] [--worker]`).
 *
 * With --worker the target is the Workers build under wrangler dev (workerd,
 * local D1) instead of the Node server; everything else is the same.
 *
 * 1. Starts the real server (`startServer()` from test/e2e/support/server.ts:
 *    127.0.0.1, a temporary data directory, ADMIN_TOKEN e2e-admin-token) and
 *    makes one valid /api/ask so conversation and message ids exist.
 * 2. Sends `--count` generated bad or odd requests (bench/fuzz-cases.ts) with
 *    fetch, `--concurrency` at a time, each with a `--timeout` ms deadline, and
 *    checks every response: no 5xx, no 3xx, no request without an answer,
 *    every 4xx (HEAD excepted) a JSON `{"error": {"code", "message"}}` with a
 *    Chinese message, and the documented status where it is certain (413, 415,
 *    400, 401, 204, a 4xx for unknown paths and methods).
 * 3. Sends `--raw` malformed HTTP requests over plain TCP sockets (bad request
 *    lines, invalid headers, chunked-encoding errors, truncated and pipelined
 *    requests), checking that /healthz still answers after every batch, that
 *    nothing is a 5xx, and that whatever the app itself answers (responses
 *    with X-Request-Id) is a JSON error. Responses Node's HTTP parser writes
 *    before the app (no X-Request-Id) are counted and listed, not failed: the
 *    raw requests are not HTTP the app could see.
 * 4. Prints requests per route and status, per method and per body kind, the
 *    number of 5xx and of 4xx without the JSON error, and every failing
 *    request with the command that replays it. Exits 1 on any failure.
 *
 * Every case is a function of the seed and its number: `--case I` replays
 * case I of `--seed S` alone and prints request and response in full.
 */
import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { startServer } from '../test/e2e/support/server.ts';
import { startWorker } from '../test/support/worker.ts';
import {
  FUZZ_ADMIN_TOKEN,
  Rng,
  answeredBeforeApp,
  caseSeed,
  checkResponse,
  describeCase,
  describeResponse,
  errorShapeProblem,
  generateCase,
  requestInit,
  type Failure,
  type FuzzCase,
  type FuzzResponse,
  type KnownIds,
} from './fuzz-cases.ts';

interface Args {
  count: number;
  seed: number;
  concurrency: number;
  timeout: number;
  raw: number;
  case?: number;
  show: number;
  /** Fuzz the Workers build (wrangler dev, workerd, local D1) instead of the Node server. */
  worker: boolean;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '16' },
      timeout: { type: 'string', default: '15000' },
      raw: { type: 'string', default: '300' },
      case: { type: 'string' },
      show: { type: 'string', default: '40' },
      worker: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
    return n;
  };
  return {
    count: int('count', values.count),
    seed: values.seed === 'random' ? randomInt(0, 2 ** 31) : int('seed', values.seed),
    concurrency: Math.max(1, int('concurrency', values.concurrency)),
    timeout: int('timeout', values.timeout),
    raw: int('raw', values.raw),
    case: values.case === undefined ? undefined : int('case', values.case),
    show: int('show', values.show),
    worker: values.worker ?? false,
  };
}

// ---------------------------------------------------------------------------
// Fetch phase
// ---------------------------------------------------------------------------

interface Outcome {
  c: FuzzCase;
  res?: FuzzResponse;
  error?: string;
  ms: number;
  failures: Failure[];
}

async function send(base: string, c: FuzzCase, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  try {
    // The path is appended, not resolved: `//healthz` must stay a path.
    const res = await fetch(base + c.path, requestInit(c, AbortSignal.timeout(timeoutMs)));
    const body = await res.text();
    const r: FuzzResponse = { status: res.status, headers: res.headers, body };
    return { c, res: r, ms: performance.now() - started, failures: checkResponse(c, r) };
  } catch (e) {
    const error = e as Error & { cause?: { code?: string; message?: string } };
    const why = `${error.name}: ${error.message}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ''}`;
    return { c, error: why, ms: performance.now() - started, failures: [{ kind: 'no-response', detail: why }] };
  }
}

async function pool<T>(count: number, concurrency: number, work: (i: number) => Promise<T>, onDone: (t: T, i: number) => void) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        onDone(await work(i), i);
      }
    }),
  );
}

async function healthy(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
    return res.status === 200 && (await res.json()).ok === true;
  } catch {
    return false;
  }
}

async function setUp(base: string): Promise<KnownIds> {
  const res = await fetch(`${base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: '无还本续贷需要提前多久向银行提出？' }),
  });
  if (res.status !== 200) throw new Error(`set-up /api/ask answered ${res.status}`);
  const body = (await res.json()) as { conversationId: string; messageId: string };
  return { conversationId: body.conversationId, messageId: body.messageId };
}

// ---------------------------------------------------------------------------
// Raw socket phase
// ---------------------------------------------------------------------------

interface RawCase {
  label: string;
  parts: Buffer[];
  /** Pause between parts (slow senders). */
  gapMs?: number;
  /** Half-close after writing. */
  end?: boolean;
  /** How long to wait for the server before giving up (it may rightly wait for more bytes). */
  waitMs?: number;
}

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

interface RawOutcome {
  rc: RawCase;
  index: number;
  responses: RawResponse[];
  closedByServer: boolean;
  error?: string;
  failures: string[];
  beforeApp: number;
}

const b = (s: string) => Buffer.from(s, 'latin1');
const u = (s: string) => Buffer.from(s, 'utf8');

const RAW_TARGETS = [
  '/healthz',
  '/api/ask',
  '/api/search?q=%E7%BB%AD%E8%B4%B7',
  '/api/feedback',
  '/api/recommend',
  '/api/checkup',
  '/api/applications/check',
  '/api/documents',
  '/api/documents/liaoning-measures-2025',
  '/api/conversations/x',
  '/api/evals/runs',
  '/api/admin/questions',
  '/openapi.json',
  '/',
  '/widget.js',
  '/console',
  '/nope',
];
const JSON_TARGETS = ['/api/ask', '/api/feedback', '/api/recommend', '/api/checkup', '/api/applications/check'];
const ASK = '{"question":"无还本续贷需要提前多久向银行提出？"}';

/** The raw request templates; case i uses template i mod n, with seeded variation. */
function rawTemplates(host: string): Array<(r: Rng) => RawCase> {
  const H = `Host: ${host}\r\n`;
  const C = 'Connection: close\r\n';
  const target = (r: Rng) => r.pick(RAW_TARGETS);
  const jsonTarget = (r: Rng) => r.pick(JSON_TARGETS);
  const post = (path: string, extra: string, body: string | Buffer) =>
    Buffer.concat([b(`POST ${path} HTTP/1.1\r\n${H}${C}Content-Type: application/json\r\n${extra}\r\n`), typeof body === 'string' ? u(body) : body]);
  const chunked = (path: string, body: string) => Buffer.concat([b(`POST ${path} HTTP/1.1\r\n${H}${C}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`), u(body)]);
  const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
  const get = (path: string, extra = '') => b(`GET ${path} HTTP/1.1\r\n${H}${C}${extra}\r\n`);
  const one = (label: string, parts: Buffer[], more: Partial<RawCase> = {}): RawCase => ({ label, parts, ...more });
  return [
    // Request lines.
    () => one('line:empty-lines', [b('\r\n\r\n\r\n')], { end: true }),
    () => one('line:method-only', [b('GET\r\n\r\n')]),
    () => one('line:http-0.9', [b('GET /healthz\r\n\r\n')]),
    (r) => one('line:no-host', [b(`GET ${target(r)} HTTP/1.1\r\n${C}\r\n`)]),
    (r) => one('line:bad-version', [b(`GET ${target(r)} HTTP/${r.pick(['9.9', '1.2', '2.0', '0.9', '1', 'x', '1.1.1'])}\r\n${H}${C}\r\n`)]),
    (r) => one('line:extra-token', [b(`GET ${target(r)} HTTP/1.1 extra\r\n${H}${C}\r\n`)]),
    (r) => one('line:double-space', [b(`GET  ${target(r)}  HTTP/1.1\r\n${H}${C}\r\n`)]),
    (r) => one('line:bare-lf', [b(`GET ${target(r)} HTTP/1.1\n${H.trim()}\n${C.trim()}\n\n`)]),
    (r) => one('line:garbage', [Buffer.from(Array.from({ length: r.int(1, 4096) }, () => r.int(0, 255)))], { end: r.chance(0.5) }),
    (r) => one('line:tls-client-hello', [Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), Buffer.from(Array.from({ length: 200 }, () => r.int(0, 255)))])]),
    () => one('line:h2-preface', [Buffer.concat([b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])])]),
    (r) => one('line:long-uri', [b(`GET /${'a'.repeat(r.int(17_000, 100_000))} HTTP/1.1\r\n${H}${C}\r\n`)]),
    (r) => one('line:unknown-method', [b(`${r.pick(['FOO', 'get', 'G\u0000T', 'GET\t', 'BREW', 'P OST', '续贷'])} ${target(r)} HTTP/1.1\r\n${H}${C}\r\n`)]),
    () => one('line:nul-in-path', [b(`GET /healthz\u0000x HTTP/1.1\r\n${H}${C}\r\n`)]),
    (r) => one('line:raw-bytes-in-path', [Buffer.concat([b('GET /api/documents/'), Buffer.from(r.pick([[0xff, 0xfe], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]])), b(` HTTP/1.1\r\n${H}${C}\r\n`)])]),
    () => one('line:utf8-in-path', [u(`GET /api/search?q=续贷 HTTP/1.1\r\n${H}${C}\r\n`)]),
    () => one('line:absolute-uri', [b(`GET http://evil.example/healthz HTTP/1.1\r\nHost: evil.example\r\n${C}\r\n`)]),
    () => one('line:connect', [b('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n')]),
    () => one('line:asterisk', [b(`OPTIONS * HTTP/1.1\r\n${H}${C}\r\n`)]),
    (r) => one('line:traversal', [b(`GET ${r.pick(['/../../../etc/passwd', '/api/documents/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '\\..\\..\\windows\\win.ini', '/..%2f..%2fetc%2fpasswd', '/./././healthz'])} HTTP/1.1\r\n${H}${C}\r\n`)]),
    (r) => one('line:no-leading-slash', [b(`GET ${r.pick(['healthz', '..%2fetc', '?q=1', '#x', '@evil.example/', '//evil.example/healthz'])} HTTP/1.1\r\n${H}${C}\r\n`)]),
    // Headers.
    (r) => one('header:space-in-name', [get(target(r), 'Bad Header: y\r\n')]),
    (r) => one('header:no-colon', [get(target(r), 'NoColonHere\r\n')]),
    (r) => one('header:empty-name', [get(target(r), ': value\r\n')]),
    (r) => one('header:nul-in-value', [get(target(r), 'X-Fuzz: a\u0000b\r\n')]),
    (r) => one('header:ctl-in-value', [get(target(r), `X-Fuzz: a${r.pick(['\u0001', '\u007f', '\u001b', '\u000b'])}b\r\n`)]),
    (r) => one('header:overflow', [get(target(r), `X-Fuzz: ${'a'.repeat(r.int(17_000, 80_000))}\r\n`)]),
    (r) => one('header:many', [get(target(r), Array.from({ length: r.pick([200, 1500, 2500]) }, (_, i) => `x${i}:v\r\n`).join(''))]),
    (r) => one('header:obs-fold', [get(target(r), 'X-Fuzz: a\r\n  folded\r\n')]),
    (r) => one('header:duplicate-host', [get(target(r), 'Host: evil.example\r\n')]),
    (r) => one('header:empty-host', [b(`GET ${target(r)} HTTP/1.1\r\nHost: \r\n${C}\r\n`)]),
    (r) => one('header:latin1-name', [get(target(r), 'X-\u00e9\u00ff: v\r\n')]),
    (r) => one('header:utf8-value', [Buffer.concat([b(`GET ${target(r)} HTTP/1.1\r\n${H}${C}`), u('X-Fuzz: 续贷😀\r\nAuthorization: Bearer 令牌\r\n\r\n')])]),
    (r) => one('header:cl-invalid', [post(jsonTarget(r), `Content-Length: ${r.pick(['-1', 'abc', '1, 2', '99999999999999999999', '+5', '0x10', '1.5'])}\r\n`, ASK)]),
    (r) => one('header:cl-duplicate', [post(jsonTarget(r), `Content-Length: ${Buffer.byteLength(ASK)}\r\nContent-Length: ${Buffer.byteLength(ASK) + r.int(1, 10)}\r\n`, ASK)]),
    (r) => one('header:cl-and-te', [post(jsonTarget(r), `Content-Length: 4\r\nTransfer-Encoding: chunked\r\n`, `0\r\n\r\nGET /healthz HTTP/1.1\r\n${H}\r\n`)]),
    (r) =>
      one('header:te-odd', [
        post(jsonTarget(r), `Transfer-Encoding: ${r.pick(['gzip, chunked', 'chunked, identity', 'xchunked', 'chunked\r\nTransfer-Encoding: chunked', 'identity', 'CHUNKED', ' chunked'])}\r\n`, chunk(ASK) + '0\r\n\r\n'),
      ]),
    (r) => one('header:te-space-before-colon', [post(jsonTarget(r), 'Transfer-Encoding : chunked\r\n', chunk(ASK) + '0\r\n\r\n')]),
    (r) => one('header:expect-100', [post(jsonTarget(r), `Expect: 100-continue\r\nContent-Length: ${Buffer.byteLength(ASK)}\r\n`, ''), u(ASK)], { gapMs: 50 }),
    (r) => one('header:expect-odd', [post(jsonTarget(r), `Expect: ${r.pick(['200-ok', 'x'.repeat(100), '100-continue, foo'])}\r\nContent-Length: ${Buffer.byteLength(ASK)}\r\n`, ASK)]),
    (r) => one('header:upgrade-websocket', [get(target(r), 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n')]),
    (r) => one('header:upgrade-h2c', [get(target(r), 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n')]),
    (r) => one('header:big-cookie', [get(target(r), `Cookie: s=${'c'.repeat(r.int(8000, 15_000))}\r\n`)]),
    (r) => one('header:odd-content-type', [post(jsonTarget(r), `Content-Type: application/json${r.pick(['\t', ';;;', '; charset=\u00ff', '; boundary="'])}\r\nContent-Length: ${Buffer.byteLength(ASK)}\r\n`, ASK)]),
    (r) => one('header:admin-raw-token', [Buffer.concat([b(`GET ${r.pick(['/api/admin/questions', '/api/evals/runs', '/api/admin/unanswered'])} HTTP/1.1\r\n${H}${C}`), u(`Authorization: Bearer ${r.pick(['令牌', 'e2e-admin-token\u0000', 'é'.repeat(1000)])}\r\n\r\n`)])]),
    // Chunked bodies.
    (r) => one('chunk:bad-size', [chunked(jsonTarget(r), `${r.pick(['zz', 'g', '0x5', ' 5', '5 ', '', '1\u0000'])}\r\nhello\r\n0\r\n\r\n`)]),
    (r) => one('chunk:size-mismatch', [chunked(jsonTarget(r), `5\r\n${r.pick(['abcdefgh', 'ab'])}\r\n0\r\n\r\n`)]),
    (r) => one('chunk:missing-final', [chunked(jsonTarget(r), chunk(ASK))], { end: true }),
    (r) => one('chunk:missing-final-hang', [chunked(jsonTarget(r), chunk(ASK))], { waitMs: 800 }),
    (r) => one('chunk:huge-size', [chunked(jsonTarget(r), `${r.pick(['ffffffffffffffffffff', '7fffffffffffffff', 'ffffffff'])}\r\nhello\r\n`)], { end: true }),
    (r) => one('chunk:negative', [chunked(jsonTarget(r), '-1\r\nhello\r\n0\r\n\r\n')]),
    (r) => one('chunk:extension', [chunked(jsonTarget(r), `${Buffer.byteLength(ASK).toString(16)};a=b;c="d"\r\n${ASK}\r\n0\r\n\r\n`)]),
    (r) => one('chunk:long-extension', [chunked(jsonTarget(r), `5;${'a'.repeat(r.int(5000, 40_000))}\r\nhello\r\n0\r\n\r\n`)]),
    (r) => one('chunk:bad-trailer', [chunked(jsonTarget(r), `${chunk(ASK)}0\r\n${r.pick(['Bad Trailer', 'X: a\u0000b', ': x', 'Content-Length: 5'])}\r\n\r\n`)]),
    (r) => one('chunk:no-crlf', [chunked(jsonTarget(r), '5\r\nhello0\r\n\r\n')]),
    (r) => one('chunk:lf-only', [chunked(jsonTarget(r), `${Buffer.byteLength(ASK).toString(16)}\n${ASK}\n0\n\n`)]),
    (r) => one('chunk:over-limit', [chunked(jsonTarget(r), chunk(`{"question":"${'a'.repeat(r.int(65_536, 200_000))}"}`) + '0\r\n\r\n')]),
    () => one('chunk:tiny-chunks', [chunked('/api/ask', [...ASK].map((ch) => chunk(ch)).join('') + '0\r\n\r\n')]),
    (r) => one('chunk:then-garbage', [chunked(jsonTarget(r), `${chunk(ASK)}0\r\n\r\nGARBAGE\r\n\r\n`)]),
    // Truncated, slow, pipelined.
    (r) => one('body:short-close', [post(jsonTarget(r), 'Content-Length: 100\r\n', '{"question":')], { end: true }),
    (r) => one('body:short-hang', [post(jsonTarget(r), 'Content-Length: 100\r\n', '{"question":')], { waitMs: 800 }),
    (r) => one('body:partial-headers-close', [b(`GET ${target(r)} HTTP/1.1\r\n${H}`)], { end: true }),
    (r) => one('body:partial-headers-hang', [b(`GET ${target(r)} HTTP/1.1\r\n${H}X-Fuzz: `)], { waitMs: 800 }),
    (r) => {
      const whole = get(target(r));
      const parts: Buffer[] = [];
      for (let at = 0; at < whole.length; at += 7) parts.push(whole.subarray(at, at + 7));
      return one('body:slow-valid', parts, { gapMs: 3 });
    },
    (r) => one('pipeline:valid-then-garbage', [b(`GET /healthz HTTP/1.1\r\n${H}\r\nGARBAGE ${target(r)} HTTP/1.1\r\n\r\n`)]),
    () => one('pipeline:many', [b(`GET /healthz HTTP/1.1\r\n${H}\r\n`.repeat(19) + `GET /healthz HTTP/1.1\r\n${H}${C}\r\n`)]),
    (r) =>
      one('pipeline:post-then-bad', [
        Buffer.concat([b(`POST ${jsonTarget(r)} HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(ASK)}\r\n\r\n`), u(ASK), b('\u0000\u0001\u0002\r\n\r\n')]),
      ]),
    (r) => one('body:get-with-body', [b(`GET ${target(r)} HTTP/1.1\r\n${H}${C}Content-Length: 5\r\n\r\nhello`)]),
    (r) => one('body:http-1.0', [b(`GET ${target(r)} HTTP/1.0\r\n${r.chance(0.5) ? 'Connection: keep-alive\r\n' : ''}\r\n`)], { end: true }),
    (r) => one('body:post-no-length', [b(`POST ${jsonTarget(r)} HTTP/1.1\r\n${H}Content-Type: application/json\r\n\r\n`), u(ASK)]),
    (r) => {
      const bad = Buffer.from([0x7b, 0x22, 0x71, 0x75, 0x65, 0x73, 0x74, 0x69, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0x22, 0x7d]);
      return one('body:invalid-utf8', [post(jsonTarget(r), `Content-Length: ${bad.length}\r\n`, bad)]);
    },
  ];
}

function parseResponses(data: Buffer): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = data.subarray(at, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m) break;
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const status = Number(m[1]);
    at = end + 4;
    let body: Buffer = Buffer.alloc(0);
    if (status >= 200 && status !== 204 && status !== 304) {
      if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
        const parts: Buffer[] = [];
        for (;;) {
          const lineEnd = data.indexOf('\r\n', at);
          if (lineEnd < 0) break;
          const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
          if (!Number.isFinite(size)) break;
          parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
          at = lineEnd + 2 + size + 2;
          if (size === 0) break;
        }
        body = Buffer.concat(parts);
      } else if (headers.has('content-length')) {
        const n = Number(headers.get('content-length'));
        body = data.subarray(at, at + n);
        at += n;
      } else {
        body = data.subarray(at);
        at = data.length;
      }
    }
    out.push({ status, headers, body: body.toString('utf8') });
  }
  return out;
}

function sendRaw(port: number, rc: RawCase, index: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closedByServer = false;
    let error: string | undefined;
    let settled = false;
    const socket = connect({ host: '127.0.0.1', port });
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const responses = parseResponses(Buffer.concat(chunks));
      const failures: string[] = [];
      let beforeApp = 0;
      for (const res of responses) {
        const fromApp = res.headers.has('x-request-id');
        if (!fromApp) beforeApp++;
        if (res.status >= 500) failures.push(`${res.status} ${fromApp ? 'from the app' : 'before the app'}: ${res.body.slice(0, 200)}`);
        else if (res.status >= 400 && fromApp) {
          const problem = errorShapeProblem({ status: res.status, headers: new Headers([...res.headers]), body: res.body });
          if (problem) failures.push(`${res.status} from the app: ${problem}`);
        }
      }
      resolve({ rc, index, responses, closedByServer, error, failures, beforeApp });
    };
    const timer = setTimeout(finish, rc.waitMs ?? 3000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => (closedByServer = true));
    socket.on('close', finish);
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('connect', async () => {
      for (const part of rc.parts) {
        if (socket.destroyed) break;
        socket.write(part);
        if (rc.gapMs) await new Promise((r) => setTimeout(r, rc.gapMs));
      }
      if (rc.end && !socket.destroyed) socket.end();
    });
  });
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

function table(title: string, rows: Map<string, Map<string, number>>): string {
  const columns = [...new Set([...rows.values()].flatMap((m) => [...m.keys()]))].sort();
  const names = [...rows.keys()];
  const width = Math.max(title.length, ...names.map((n) => n.length));
  const colWidth = (c: string) => Math.max(c.length, ...[...rows.values()].map((m) => String(m.get(c) ?? '').length), 5);
  const header = [title.padEnd(width), 'total'.padStart(6), ...columns.map((c) => c.padStart(colWidth(c)))].join('  ');
  const lines = names.map((n) => {
    const m = rows.get(n)!;
    const total = [...m.values()].reduce((s, x) => s + x, 0);
    return [n.padEnd(width), String(total).padStart(6), ...columns.map((c) => String(m.get(c) ?? '').padStart(colWidth(c)))].join('  ');
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n');
}

function bump(rows: Map<string, Map<string, number>>, row: string, col: string) {
  const m = rows.get(row) ?? new Map<string, number>();
  m.set(col, (m.get(col) ?? 0) + 1);
  rows.set(row, m);
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length})` : s);

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

/** The Worker with the settings the Node server gets from startServer(). */
async function startFuzzWorker(): Promise<{ base: string; stop(): Promise<void> }> {
  const worker = await startWorker({ TODAY: '2026-11-22', RATE_LIMIT: '0', LOG_LEVEL: 'warn', ADMIN_TOKEN: FUZZ_ADMIN_TOKEN });
  return { base: worker.baseUrl, stop: worker.stop };
}

async function main() {
  const args = parseCli();
  const server = args.worker ? await startFuzzWorker() : await startServer({ ADMIN_TOKEN: FUZZ_ADMIN_TOKEN });
  const port = Number(new URL(server.base).port);
  let exitCode = 0;
  try {
    if (!(await healthy(server.base))) throw new Error('the server did not come up');
    const known = await setUp(server.base);

    if (args.case !== undefined) {
      const c = generateCase(args.seed, args.case, known, { worker: args.worker });
      const o = await send(server.base, c, args.timeout);
      console.log(describeCase(c));
      console.log(o.res ? describeResponse(o.res) : `  no response: ${o.error}`);
      if (o.res) console.log(`  full body (${o.res.body.length} chars): ${clip(o.res.body, 4000)}`);
      console.log(o.failures.length ? o.failures.map((f) => `  FAIL ${f.kind}: ${f.detail}`).join('\n') : '  ok');
      exitCode = o.failures.length ? 1 : 0;
      return;
    }

    console.log(`Fuzzing ${server.base}: seed ${args.seed}, ${args.count} requests, concurrency ${args.concurrency}, timeout ${args.timeout} ms`);
    const byRoute = new Map<string, Map<string, number>>();
    const byMethod = new Map<string, Map<string, number>>();
    const byBody = new Map<string, Map<string, number>>();
    const failed: Outcome[] = [];
    const beforeWorker: Outcome[] = [];
    let slowest: Outcome | undefined;
    let done = 0;
    const started = performance.now();
    await pool(
      args.count,
      args.concurrency,
      (i) => send(server.base, generateCase(args.seed, i, known, { worker: args.worker }), args.timeout),
      (o) => {
        const status = o.res ? String(o.res.status) : 'ERR';
        bump(byRoute, o.c.route, status);
        bump(byMethod, o.c.method.length > 12 ? `${o.c.method.slice(0, 10)}…` : o.c.method, status);
        bump(byBody, o.c.kinds.find((k) => k.startsWith('body:'))?.replace(/^body:([^:]+).*/, 'body:$1') ?? 'body:none', status);
        // workerd answers methods it does not know (LINK, BREW ...) with a plain 501 before any
        // Worker code runs; noted, since no Worker can change it, and failed nowhere else.
        if (args.worker && o.res && answeredBeforeApp(o.res) && o.res.status === 501) beforeWorker.push(o);
        else if (o.failures.length) failed.push(o);
        if (!slowest || o.ms > slowest.ms) slowest = o;
        if (++done % 1000 === 0) console.log(`  ${done} / ${args.count} (${failed.length} failing so far)`);
      },
    );
    const fetchMs = performance.now() - started;
    if (args.worker) {
      // With a large body still uploading, workerd's 501 for such a method arrives as a reset connection.
      const refused = new Set(beforeWorker.map((o) => o.c.method));
      for (const o of failed.filter((f) => refused.has(f.c.method) && f.failures.every((x) => x.kind === 'no-response'))) {
        failed.splice(failed.indexOf(o), 1);
        beforeWorker.push(o);
      }
    }
    const healthyAfterFetch = await healthy(server.base);

    // Raw sockets. In front of a Worker, Cloudflare's edge parses HTTP; wrangler dev's local proxy is not what runs there.
    if (args.worker) args.raw = 0;
    const templates = rawTemplates(`127.0.0.1:${port}`);
    const rawRng = (i: number) => new Rng(caseSeed(args.seed ^ 0x5eed, i));
    const rawOutcomes: RawOutcome[] = [];
    const healthFailures: number[] = [];
    const rawStarted = performance.now();
    const BATCH = 50;
    for (let from = 0; from < args.raw; from += BATCH) {
      const n = Math.min(BATCH, args.raw - from);
      await pool(
        n,
        8,
        (k) => sendRaw(port, templates[(from + k) % templates.length](rawRng(from + k)), from + k),
        (o) => rawOutcomes.push(o),
      );
      if (!(await healthy(server.base))) healthFailures.push(from + n);
    }
    const rawMs = performance.now() - rawStarted;
    const healthyAtEnd = await healthy(server.base);
    const askAtEnd = await fetch(`${server.base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '小微企业能申请无还本续贷吗？' }),
      signal: AbortSignal.timeout(10_000),
    })
      .then((r) => r.status)
      .catch(() => 0);

    // Report.
    const count = (kind: Failure['kind']) => failed.filter((o) => o.failures.some((f) => f.kind === kind)).length;
    const nonJson = failed.filter((o) => o.failures.some((f) => f.kind === 'non-json-4xx'));
    const nonJsonBeforeApp = nonJson.filter((o) => o.res && answeredBeforeApp(o.res)).length;
    const fiveXX = count('5xx');

    console.log('');
    console.log(table('route', byRoute));
    console.log('');
    console.log(table('method', byMethod));
    console.log('');
    console.log(table('body', byBody));
    console.log('');
    console.log(`HTTP requests:            ${args.count} in ${(fetchMs / 1000).toFixed(1)} s (${Math.round(args.count / (fetchMs / 1000))} req/s), seed ${args.seed}`);
    console.log(`5xx:                      ${fiveXX}`);
    console.log(`4xx without JSON error:   ${nonJson.length}${nonJson.length ? ` (${nonJsonBeforeApp} answered by Node's HTTP layer before the app, no X-Request-Id)` : ''}`);
    console.log(`unexpected status:        ${count('unexpected-status')}`);
    console.log(`3xx:                      ${count('3xx')}`);
    console.log(`2xx with broken JSON:     ${count('bad-2xx-json')}`);
    console.log(`no response (timeout/reset): ${count('no-response')}`);
    if (args.worker) {
      const methods = [...new Set(beforeWorker.map((o) => o.c.method))];
      console.log(`501 or reset from workerd before the Worker ran (unknown methods; noted, not failed): ${beforeWorker.length}${methods.length ? ` (${methods.map((m) => clip(m, 14)).join(', ')})` : ''}`);
      console.log('raw socket phase:         skipped for the Worker (wrangler dev\'s local proxy parses HTTP, not the Worker)');
    }
    if (slowest) console.log(`slowest request:          ${Math.round(slowest.ms)} ms (#${slowest.c.index} ${slowest.c.method} ${clip(slowest.c.path, 80)})`);
    console.log(`/healthz after the HTTP phase: ${healthyAfterFetch ? 'ok' : 'FAILED'}`);

    const rawStatus = new Map<string, Map<string, number>>();
    for (const o of rawOutcomes) {
      const group = o.rc.label.split(':')[0];
      if (!o.responses.length) bump(rawStatus, group, o.closedByServer ? 'closed' : o.error ? o.error : 'timeout');
      for (const res of o.responses) bump(rawStatus, group, `${res.status}${res.headers.has('x-request-id') ? '' : '*'}`);
    }
    const rawFailed = rawOutcomes.filter((o) => o.failures.length);
    const rawBeforeApp = rawOutcomes.reduce((s, o) => s + o.beforeApp, 0);
    console.log('');
    console.log(`Raw socket requests: ${rawOutcomes.length} (${templates.length} templates) in ${(rawMs / 1000).toFixed(1)} s; responses by status (* = written by Node's HTTP layer before the app, no JSON):`);
    console.log(table('raw', rawStatus));
    console.log(`raw failures (5xx, or an app 4xx without the JSON error): ${rawFailed.length}`);
    console.log(`raw responses written before the app (noted, not failed): ${rawBeforeApp}`);
    console.log(`/healthz after every raw batch of ${BATCH}: ${healthFailures.length ? `FAILED after ${healthFailures.join(', ')}` : 'ok'}; at the end: ${healthyAtEnd ? 'ok' : 'FAILED'}; /api/ask at the end: ${askAtEnd}`);

    if (failed.length) {
      console.log('');
      console.log(`Failing HTTP requests (${failed.length}); replay one with: npx tsx bench/fuzz.ts --seed ${args.seed} --case <#>`);
      failed.sort((a, b) => a.c.index - b.c.index);
      const groups = new Map<string, Outcome[]>();
      for (const o of failed) {
        const key = `${o.failures.map((f) => f.kind).join('+')} | ${o.res?.status ?? 'ERR'} | ${o.c.kinds.filter((k) => /^(method|path|body):/.test(k)).join(' ')}`;
        groups.set(key, [...(groups.get(key) ?? []), o]);
      }
      console.log('By kind:');
      for (const [key, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
        console.log(`  ${String(list.length).padStart(5)}  ${key}  (e.g. #${list.slice(0, 5).map((o) => o.c.index).join(', #')})`);
      }
      console.log('Every failing request:');
      for (const o of failed) {
        console.log(
          `  #${o.c.index} ${clip(o.c.method, 14)} ${clip(o.c.path, 100)} -> ${o.res?.status ?? 'no response'}: ${o.failures.map((f) => `${f.kind}: ${f.detail}`).join('; ')}`,
        );
      }
      console.log(`In full (first ${Math.min(args.show, failed.length)}):`);
      for (const o of failed.slice(0, args.show)) {
        console.log(describeCase(o.c));
        console.log(o.res ? describeResponse(o.res) : `  no response: ${o.error}`);
        for (const f of o.failures) console.log(`  FAIL ${f.kind}: ${f.detail}`);
      }
    }
    if (rawFailed.length) {
      console.log('');
      console.log('Failing raw requests:');
      for (const o of rawFailed) console.log(`  raw #${o.index} ${o.rc.label}: ${o.failures.join('; ')}`);
    }
    const notes = rawOutcomes.filter((o) => o.beforeApp);
    if (notes.length) {
      const byLabel = new Map<string, string[]>();
      for (const o of notes) byLabel.set(o.rc.label, [...new Set([...(byLabel.get(o.rc.label) ?? []), ...o.responses.filter((r) => !r.headers.has('x-request-id')).map((r) => String(r.status))])]);
      console.log('');
      console.log(`Raw requests Node answered before the app (status, no JSON body): ${[...byLabel].map(([l, s]) => `${l} ${s.join('/')}`).join(', ')}`);
    }

    const ok = failed.length === 0 && rawFailed.length === 0 && healthFailures.length === 0 && healthyAfterFetch && healthyAtEnd && askAtEnd === 200;
    console.log('');
    console.log(ok ? 'PASS' : 'FAIL');
    exitCode = ok ? 0 : 1;
  } finally {
    await server.stop();
  }
  process.exit(exitCode);
}

await main();
