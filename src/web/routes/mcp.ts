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
      return await transport.handleRequest(c.req.raw);
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
