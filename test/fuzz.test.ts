/**
 * The short fuzz run: ~600 generated bad or odd requests (bench/fuzz-cases.ts)
 * through the in-process app, raw byte bodies included. The full run over HTTP,
 * with 10,000 requests and malformed HTTP on raw sockets, is `npx tsx bench/fuzz.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUZZ_ADMIN_TOKEN,
  ROUTES,
  STANDARD_METHODS,
  UNKNOWN_ROUTE,
  checkResponse,
  describeCase,
  describeResponse,
  generateCases,
  requestInit,
  type Failure,
  type FuzzCase,
  type FuzzResponse,
} from '../bench/fuzz-cases.ts';
import { postJson, startTestService, type TestService } from './support/app.ts';

const SEED = 20261122;
const COUNT = 600;

interface Result {
  c: FuzzCase;
  res: FuzzResponse;
  failures: Failure[];
}

let t: TestService;
let results: Result[] = [];
let prototypeBefore: string[] = [];

beforeAll(async () => {
  t = await startTestService({ ADMIN_TOKEN: FUZZ_ADMIN_TOKEN });
  const first = await (await postJson(t.app, '/api/ask', { question: '无还本续贷需要提前多久向银行提出？' })).json();
  const cases = generateCases(SEED, COUNT, { conversationId: first.conversationId, messageId: first.messageId }, { maxBodyBytes: 512 * 1024 });
  prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  results = [];
  for (const c of cases) {
    const response = await t.app.request(c.path, requestInit(c));
    const res: FuzzResponse = { status: response.status, headers: response.headers, body: await response.text() };
    results.push({ c, res, failures: checkResponse(c, res) });
  }
}, 120_000);
afterAll(() => t.close());

/** Failing requests of the given kinds, readable in the assertion diff. */
function failing(...kinds: Failure['kind'][]): string[] {
  return results
    .filter((r) => r.failures.some((f) => kinds.includes(f.kind)))
    .map((r) => [describeCase(r.c), describeResponse(r.res), ...r.failures.map((f) => `  ${f.kind}: ${f.detail}`)].join('\n'));
}

describe(`fuzz (seed ${SEED}, ${COUNT} requests, in-process)`, () => {
  it('covers every route, the methods the issue names, and every kind of body', () => {
    const routes = new Set(results.map((r) => r.c.route));
    expect([...routes].sort()).toEqual([...ROUTES.map((s) => s.name), UNKNOWN_ROUTE].sort());
    const methods = new Set(results.map((r) => r.c.method));
    for (const m of STANDARD_METHODS) expect(methods).toContain(m);
    const kinds = new Set(results.flatMap((r) => r.c.kinds.map((k) => k.replace(/^(body:[^:]+|path:[^:]+|method:[^:]+):.*/, '$1'))));
    for (const k of [
      'body:valid',
      'body:mutated',
      'body:odd-top',
      'body:broken',
      'body:bad-utf8',
      'body:empty',
      'body:size',
      'body:stream',
      'body:escaped-control',
      'body:format',
      'body:absent',
      'method:wrong',
      'method:exotic',
      'method:custom',
      'path:traversal',
      'path:long',
      'path:injection',
      'path:encoding',
      'accept:sse',
      'auth:valid',
      'auth:invalid',
      'type:bad',
      'type:none',
    ]) {
      expect(kinds, k).toContain(k);
    }
    // Some requests are valid and reach the handlers; most are refused.
    expect(results.filter((r) => r.res.status < 300).length).toBeGreaterThan(50);
    expect(results.filter((r) => r.res.status >= 400).length).toBeGreaterThan(COUNT / 3);
  });

  it('answers no request with a 5xx', () => {
    expect(failing('5xx')).toEqual([]);
  });

  it('answers every 4xx with the JSON error {error: {code, message}} and a Chinese message', () => {
    expect(failing('non-json-4xx')).toEqual([]);
  });

  it('answers with the documented status where it is certain: 413, 415, 400, 401, 204, a 4xx for unknown paths and methods', () => {
    expect(results.filter((r) => r.c.expect).length).toBeGreaterThan(COUNT / 4);
    expect(failing('unexpected-status')).toEqual([]);
    const statuses = new Set(results.map((r) => r.res.status));
    for (const s of [400, 401, 404, 413, 415]) expect(statuses).toContain(s);
  });

  it('never redirects, and every 2xx that says JSON is JSON', () => {
    expect(failing('3xx', 'bad-2xx-json', 'no-response')).toEqual([]);
  });

  it('leaves Object.prototype as it was (__proto__ and constructor keys in bodies)', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('still answers a valid question afterwards', async () => {
    const res = await postJson(t.app, '/api/ask', { question: '小微企业能申请无还本续贷吗？' });
    expect(res.status).toBe(200);
    expect((await res.json()).answerable).toBe(true);
  });
});
