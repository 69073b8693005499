/**
 * The MCP server over Streamable HTTP, as a real client reaches it: the SDK's Client and StreamableHTTPClientTransport
 * against mcpRoutes served by @hono/node-server on a free port, over the real Node services. Then the server's own
 * failure paths (a missing campaign, a failing service, an unverifiable quote), through the SDK's in-memory transport.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/chat/conversation.ts';
import type { ConversationStore } from '../../src/db/store.ts';
import { uuidv7 } from '../../src/ids.ts';
import type { TrackMatcher } from '../../src/match/matcher.ts';
import type { Retriever } from '../../src/search/retriever.ts';
import { createMcpServer, type McpDeps } from '../../src/mcp/server.ts';
import { BODY_LIMIT } from '../../src/web/http.ts';
import { mcpRoutes } from '../../src/web/routes/mcp.ts';
import { applicationCheckResponseSchema } from '../../src/web/routes/campaigns.ts';
import { askResponseSchema, checkupResponseSchema, recommendResponseSchema } from '../../src/web/schemas.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';
import { expectVerbatim, mcpDepsOf, textOf } from './support.ts';

type ToolResult = { content: unknown; structuredContent?: Record<string, any>; isError?: boolean };

let t: TestService;
let http: ServerType;
let url: URL;
let client: Client;

const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult;

beforeAll(async () => {
  t = await startTestService();
  const app = new Hono().route('/mcp', mcpRoutes(mcpDepsOf(t)));
  http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(http, 'listening');
  url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
  client = new Client({ name: 'policy-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
});

afterAll(async () => {
  await client?.close();
  await new Promise((done) => (http ? http.close(done) : done(undefined)));
  t?.close();
});

describe('MCP over Streamable HTTP', () => {
  it('introduces itself and lists the five tools, each with an input and an output schema and a Chinese description', async () => {
    expect(client.getServerVersion()?.name).toBe('liaoning-policy-guide');
    expect(client.getInstructions()).toMatch(/逐字引用/);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['ask_policy', 'check_application', 'policy_checkup', 'recommend_track', 'search_policy']);
    for (const tool of tools) {
      expect(tool.description, tool.name).toMatch(/[\u4e00-\u9fff]/);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    const ask = tools.find((tool) => tool.name === 'ask_policy')!;
    expect(Object.keys(ask.inputSchema.properties!)).toEqual(['question', 'conversationId', 'profile']);
    expect(ask.inputSchema.required).toEqual(['question']);
    expect(Object.keys(ask.outputSchema!.properties!)).toEqual(expect.arrayContaining(['answer', 'citations', 'conversationId']));
    expect(Object.keys(tools.find((tool) => tool.name === 'search_policy')!.inputSchema.properties!)).toEqual(['query', 'k']);
    expect(tools.find((tool) => tool.name === 'recommend_track')!.inputSchema.required).toEqual(['description']);
    expect(tools.find((tool) => tool.name === 'check_application')!.inputSchema.required).toEqual(['fields', 'sections']);
    expect(Object.keys(tools.find((tool) => tool.name === 'policy_checkup')!.inputSchema.properties!)).toEqual(expect.arrayContaining(['size', 'loans', 'guarantees']));
  });

  it('ask_policy answers with verbatim citations in both the structured result and the text, stores the turn, and takes a follow-up', async () => {
    const first = await call('ask_policy', { question: '小微企业能申请无还本续贷吗？' });
    expect(first.isError).toBeFalsy();
    const reply = first.structuredContent!;
    expect(askResponseSchema.safeParse(reply).success).toBe(true);
    expect(reply.answerable).toBe(true);
    expect(reply.citations.length).toBeGreaterThan(0);
    expectVerbatim(t, reply.citations);
    const text = textOf(first);
    expect(text.startsWith(reply.answer)).toBe(true);
    for (const c of reply.citations) expect(text).toContain(`[${c.n}] 《${c.title}》 ${c.section}：「${c.quote}」`);
    expect(text).toContain(`会话编号：${reply.conversationId}`);

    const second = await call('ask_policy', { question: '那中型企业呢？', conversationId: reply.conversationId });
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent!.conversationId).toBe(reply.conversationId);
    expect(second.structuredContent!.answerable).toBe(true);
    expect(second.structuredContent!.answer).toMatch(/中型/);
    expectVerbatim(t, second.structuredContent!.citations);

    const rows = await t.services.store.messagesOf(reply.conversationId);
    expect(rows.map((r) => r.question)).toEqual(['小微企业能申请无还本续贷吗？', '那中型企业呢？']);
    expect(rows.map((r) => r.id)).toEqual([reply.messageId, second.structuredContent!.messageId]);
    expect(rows[1].answer).toBe(second.structuredContent!.answer);
  });

  it('ask_policy gives the answer POST /api/ask gives', async () => {
    const question = '信用修复平均要几天？';
    const api = await (await postJson(t.app, '/api/ask', { question })).json();
    const mcp = (await call('ask_policy', { question })).structuredContent!;
    expect(mcp.answer).toBe(api.answer);
    expect(mcp.citations).toEqual(api.citations);
    expect(mcp.conversationId).not.toBe(api.conversationId);
  });

  it('ask_policy masks the asker’s phone number in the stored question', async () => {
    const result = await call('ask_policy', { question: '我手机13812345678，信用修复可以打哪个电话咨询？' });
    expect(result.isError).toBeFalsy();
    const [row] = await t.services.store.messagesOf(result.structuredContent!.conversationId);
    expect(row.question).not.toContain('13812345678');
    expect(row.question).toContain('138****5678');
  });

  it('ask_policy refuses an unknown conversation with a Chinese tool error, storing nothing', async () => {
    const result = await call('ask_policy', { question: '那中型企业呢？', conversationId: 'no-such-conversation' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('找不到这个会话，请不带 conversationId 重新提问以开始新会话。');
    expect(result.structuredContent).toBeUndefined();
    expect(await t.services.store.conversationExists('no-such-conversation')).toBe(false);
  });

  it('search_policy returns ranked verbatim passages, as /api/search ranks them', async () => {
    const result = await call('search_policy', { query: '无还本续贷', k: 3 });
    expect(result.isError).toBeFalsy();
    const { query, results } = result.structuredContent!;
    expect(query).toBe('无还本续贷');
    expect(results.map((r: { n: number }) => r.n)).toEqual([1, 2, 3]);
    expectVerbatim(t, results);
    const api = await (await t.app.request('/api/search?q=' + encodeURIComponent('无还本续贷') + '&k=3')).json();
    expect(results.map((r: { chunkId: string }) => r.chunkId)).toEqual(api.results.map((r: { chunkId: string }) => r.chunkId));
    const text = textOf(result);
    for (const r of results) expect(text).toContain(`「${r.quote}」`);
    // k defaults to 5, as on /api/search.
    expect((await call('search_policy', { query: '担保费补贴' })).structuredContent!.results).toHaveLength(5);
  });

  it('recommend_track returns the recommendations /api/recommend returns, every reason quoted verbatim', async () => {
    const description = '我们是沈阳的一家银行，用大数据风控为小微企业提供线上信用贷款，2024年在辽宁全省落地，服务了3万户小微企业。';
    const result = await call('recommend_track', { description, orgType: 'bank' });
    expect(result.isError).toBeFalsy();
    const body = result.structuredContent!;
    expect(recommendResponseSchema.safeParse(body).success).toBe(true);
    expect(body.recommendations.length).toBeGreaterThan(0);
    for (const r of body.recommendations) expectVerbatim(t, r.citations);
    const api = await (await postJson(t.app, '/api/recommend', { case: { description, orgType: 'bank' } })).json();
    expect(body.recommendations).toEqual(api.recommendations);
    const text = textOf(result);
    expect(text).toContain(`1. ${body.recommendations[0].campaign} · ${body.recommendations[0].track}`);
    for (const c of body.recommendations[0].citations) expect(text).toContain(`「${c.quote}」`);
  });

  it('check_application reports a draft’s problems, each with the rule’s verbatim quote', async () => {
    const result = await call('check_application', {
      fields: { 案例名称: '数金科技公司基于隐私计算的普惠信贷风控平台', 案例简介: '简'.repeat(201) },
      sections: { 案例内容: '内'.repeat(2999) },
      direction: '“数据要素×”金融创新案例',
      attachments: ['营业执照'],
      applicant: { name: '广州数金科技有限公司', foundedOn: '2024-03-01', jointApplicants: ['甲', '乙', '丙', '丁'], landedIn: ['四川'] },
    });
    expect(result.isError).toBeFalsy();
    const body = result.structuredContent!;
    expect(applicationCheckResponseSchema.safeParse(body).success).toBe(true);
    expect(body.ok).toBe(false);
    expect(body.findings.map((f: { kind: string; field: string }) => `${f.kind}:${f.field}`)).toEqual(
      expect.arrayContaining(['too_long:案例名称', 'forbidden_name:案例名称', 'too_short:案例内容', 'missing_attachment:申报承诺函']),
    );
    expectVerbatim(t, body.findings.map((f: { citation: never }) => f.citation));
    const text = textOf(result);
    expect(text).toContain(`发现${body.findings.length}项`);
    for (const f of body.findings) expect(text).toContain(f.message);
  });

  it('policy_checkup lists the measures for a profile, with verbatim citations', async () => {
    const profile = { size: '小微', loans: [{ kind: '流动资金贷款', dueDate: '2027-03-31' }], guarantees: [{ amountYuan: 2_000_000, ratePercent: 0.8 }], everBorrowed: true };
    const result = await call('policy_checkup', profile);
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent!;
    expect(checkupResponseSchema.safeParse(report).success).toBe(true);
    expect(report.measures.some((m: { applies: string }) => m.applies === 'yes')).toBe(true);
    expect(report.citations.length).toBeGreaterThan(0);
    expectVerbatim(t, report.citations);
    expect(report).toEqual(await (await postJson(t.app, '/api/checkup', { profile })).json());
    const text = textOf(result);
    expect(text).toMatch(/^政策体检结果：/);
    for (const c of report.citations) expect(text).toContain(`[${c.n}] 《${c.title}》`);
  });

  it('refuses invalid arguments with a tool error that carries the schema’s Chinese message', async () => {
    const empty = await call('ask_policy', { question: '   ' });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toContain('问题不能为空，请输入您想咨询的内容。');
    const short = await call('recommend_track', { description: '银行' });
    expect(short.isError).toBe(true);
    expect(textOf(short)).toContain('案例描述太短了');
    const tooMany = await call('search_policy', { query: '续贷', k: 51 });
    expect(tooMany.isError).toBe(true);
    expect(textOf(tooMany)).toContain('返回条数（k）最多为50。');
    const unknownField = await call('policy_checkup', { sizes: '小微' });
    expect(unknownField.isError).toBe(true);
  });
});

describe('/mcp over plain HTTP', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });

  it('is stateless: no session id, a tools/list answered as plain JSON without an initialize first', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { 'mcp-protocol-version': '2025-06-18' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('mcp-session-id')).toBeNull();
    const body = await res.json();
    expect(body.result.tools).toHaveLength(5);
  });

  it('answers GET and DELETE 405 (no server stream, no session), with a Chinese JSON-RPC error', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(url, { method, headers: { accept: 'text/event-stream' } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect((await res.json()).error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses what the transport cannot take with its status and a JSON-RPC error in Chinese', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask_policy', arguments: { question: '续'.repeat(BODY_LIMIT) } } });
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const refusals: Array<[string, Promise<Response>, number]> = [
      ['a body over the API’s limit', post(big), 413],
      ['a body that is not JSON', post('{not json'), 400],
      ['JSON that is no JSON-RPC message', post('{"hello":"world"}'), 400],
      ['a client that does not accept an event stream', post(list, { accept: 'application/json' }), 406],
      ['a body that is not labelled JSON', post(list, { 'content-type': 'text/plain' }), 415],
    ];
    for (const [what, response, status] of refusals) {
      const res = await response;
      expect(res.status, what).toBe(status);
      const body = await res.json();
      expect(body.jsonrpc, what).toBe('2.0');
      expect(typeof body.error.code, what).toBe('number');
      expect(body.error.message, what).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff]/);
    }
  });
});

describe('createMcpServer', () => {
  /** A client connected in memory to a server over these deps (the test service's, with the overrides). */
  const connect = async (overrides: Partial<McpDeps>) => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer({ ...mcpDepsOf(t), ...overrides }).connect(serverSide);
    const local = new Client({ name: 'policy-test', version: '1.0.0' });
    await local.connect(clientSide);
    return local;
  };
  const logged = () => {
    const lines: Array<{ event: string; fields?: Record<string, unknown> }> = [];
    return { lines, logger: { error: (event: string, fields?: Record<string, unknown>) => void lines.push({ event, fields }) } };
  };

  it('does not offer check_application while its campaign is disabled', async () => {
    const local = await connect({ applications: undefined });
    expect((await local.listTools()).tools.map((tool) => tool.name)).not.toContain('check_application');
    await local.close();
  });

  it('turns a failing service into a Chinese tool error, the details going to the log only', async () => {
    const { lines, logger } = logged();
    const retriever = { retrieve: async () => { throw new Error('index gone for 13812345678'); } } as unknown as Retriever;
    const local = await connect({ retriever, logger });
    const result = (await local.callTool({ name: 'search_policy', arguments: { query: '续贷' } })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('服务内部出错，请稍后再试。');
    expect(lines).toEqual([{ event: 'mcp_tool_failed', fields: { tool: 'search_policy', message: 'index gone for 13812345678' } }]);
    await local.close();
  });

  it('says a storage failure as the API does, and tells readiness', async () => {
    const noted: Error[] = [];
    const store = Object.create(t.services.store) as ConversationStore;
    store.saveMessage = async () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const conversations = new Conversations({ corpus: t.services.corpus, answers: t.services.answers, store, logger: { info() {} }, today: () => '2026-11-22', newId: uuidv7 });
    const local = await connect({ conversations, readiness: { noteFailure: (error) => void noted.push(error) } });
    const result = (await local.callTool({ name: 'ask_policy', arguments: { question: '续贷要提前多久申请？' } })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('数据存储暂时不可用（空间不足、不可写或暂时无法连接），请稍后再试。');
    expect(noted.map((e) => e.message)).toEqual(['database or disk is full']);
    await local.close();
  });

  it('lets no unverifiable quote out', async () => {
    const real = t.services.matcher;
    const matcher = {
      match: (description: string, options: object) => {
        const result = real.match(description, options);
        const [first, ...rest] = result.recommendations;
        const forged = { ...first.citations[0], quote: '伪造的引用' };
        return { ...result, recommendations: [{ ...first, citations: [forged, ...first.citations.slice(1)] }, ...rest] };
      },
    } as unknown as TrackMatcher;
    const local = await connect({ matcher });
    const result = (await local.callTool({ name: 'recommend_track', arguments: { description: '我们是沈阳的一家银行，用大数据风控为小微企业提供线上信用贷款。' } })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain('伪造的引用');
    await local.close();
  });
});
