/**
 * /mcp: the MCP server (src/mcp/server.ts) over Streamable HTTP, with the SDK's Web-standard transport (Request in,
 * Response out), so the same code serves on Node (through @hono/node-server) and in the Worker.
 *
 * Stateless: each POST gets a fresh server and transport (no Mcp-Session-Id), which is what holds across Worker
 * isolates and Node restarts alike; a follow-up question carries its conversationId instead of a session. Answers are
 * plain JSON (no SSE stream): no tool sends progress, and a stateless server has nothing to push, so GET (the
 * server-to-client stream) and DELETE (ending a session) are answered 405, as the MCP specification allows.
 *
 * Not an OpenAPI operation (a plain Hono router, left out of /openapi.json), and outside /api/*: the app's rate limit
 * and CORS do not cover it unless the mount adds them.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { createMcpServer, type McpDeps } from '../../mcp/server.ts';
import { BODY_LIMIT } from '../http.ts';

/** What /mcp needs: the MCP server's own deps (the same services the app is built from). */
export type McpRouteDeps = McpDeps;

/** A JSON-RPC error with no request id, as the transport answers what it refuses. */
function rpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** What the transport's own refusals mean, said in Chinese (its messages are English), by HTTP status. */
const REFUSALS: Record<number, string> = {
  400: '请求不是有效的 JSON-RPC 消息，请检查格式。',
  404: '找不到这个会话（本服务无状态，不使用 Mcp-Session-Id）。',
  405: '本服务为无状态 MCP 服务，只接受 POST 请求。',
  406: '请求须同时接受 application/json 和 text/event-stream（Accept 请求头）。',
  413: `请求内容过大，请控制在${BODY_LIMIT / 1024}KB以内。`,
  415: '请求体须为 JSON（Content-Type: application/json）。',
};

/**
 * A refusal of the transport with its JSON-RPC error message in Chinese (the code and status as they were); any other
 * response as it is.
 */
async function inChinese(res: Response): Promise<Response> {
  const message = REFUSALS[res.status];
  if (!message || !(res.headers.get('content-type') ?? '').includes('application/json')) return res;
  const body = (await res.json().catch(() => null)) as { error?: { code?: number } } | null;
  // (Its other headers, Allow say, are kept; the body's own length and type are the new body's.)
  const kept = Object.fromEntries([...res.headers].filter(([name]) => !/^content-(length|type)$/i.test(name)));
  return rpcError(res.status, typeof body?.error?.code === 'number' ? body.error.code : -32600, message, kept);
}

/**
 * The /mcp router, mounted at /mcp:
 *
 * @example
 * app.route('/mcp', mcpRoutes({ conversations, corpus, retriever, matcher, applications, rules, today, logger, readiness }));
 */
export function mcpRoutes(deps: McpRouteDeps) {
  const app = new Hono();

  app.post('/', async (c) => {
    const server = createMcpServer(deps);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // (A body over the API's limit is answered 413 before it is parsed.)
      maxRequestBodySize: BODY_LIMIT,
    });
    try {
      await server.connect(transport);
      // The JSON answer is whole once handleRequest resolves: the server can be closed before it is sent.
      return inChinese(await transport.handleRequest(c.req.raw));
    } catch (caught) {
      deps.logger?.error('mcp_request_failed', { message: caught instanceof Error ? caught.message : String(caught) });
      return rpcError(500, -32603, '服务内部出错，请稍后再试。');
    } finally {
      await server.close();
    }
  });

  const notServed = () => rpcError(405, -32000, '本服务为无状态 MCP 服务，只接受 POST 请求。', { Allow: 'POST' });
  app.get('/', notServed);
  app.delete('/', notServed);
  return app;
}
