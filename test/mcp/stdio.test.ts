/**
 * The MCP server over stdio, as a desktop agent starts it: the SDK's Client and StdioClientTransport spawning
 * scripts/mcp.ts (what `npm run mcp` runs) with a fresh DATA_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/runtime/node/services.ts';

const ROOT = join(import.meta.dirname, '../..');

let dataDir: string;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';
const transportErrors: Error[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'policy-mcp-stdio-'));
  transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'scripts/mcp.ts'],
    cwd: ROOT,
    // (Only the default variables and these: no model key reaches the child, so it answers extractively.)
    env: { ...getDefaultEnvironment(), DATA_DIR: dataDir, TODAY: '2026-11-22', LOG_LEVEL: 'info' },
    stderr: 'pipe',
  });
  (transport.stderr as Readable).on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  client = new Client({ name: 'policy-stdio-test', version: '1.0.0' });
  // A line on stdout that is not a JSON-RPC message is reported here.
  client.onerror = (error) => transportErrors.push(error);
  // (The first start in a fresh DATA_DIR builds the vector index: slow on a busy machine.)
  await client.connect(transport, { timeout: 120_000 });
}, 150_000);

afterAll(async () => {
  await client?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('MCP over stdio (npm run mcp)', () => {
  it('lists the five tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['ask_policy', 'check_application', 'policy_checkup', 'recommend_track', 'search_policy']);
  });

  it('answers ask_policy with verbatim citations, storing the turn in DATA_DIR, and keeps its log off stdout', async () => {
    const result = (await client.callTool({ name: 'ask_policy', arguments: { question: '续贷要提前多久申请？' } })) as {
      content: Array<{ type: string; text: string }>;
      structuredContent: { answer: string; answerable: boolean; conversationId: string; citations: Array<{ docId: string; quote: string; start: number; end: number }> };
      isError?: boolean;
    };
    expect(result.isError).toBeFalsy();
    const reply = result.structuredContent;
    expect(reply.answerable).toBe(true);
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(result.content[0].text).toContain(reply.answer);

    // The quotes, and the stored turn, read back through the same Node wiring over the same DATA_DIR.
    const services = await createServices(loadConfig({ DATA_DIR: dataDir, TODAY: '2026-11-22', LOG_LEVEL: 'silent' }));
    try {
      for (const c of reply.citations) expect(services.corpus.document(c.docId)?.text.slice(c.start, c.end)).toBe(c.quote);
      expect((await services.store.messagesOf(reply.conversationId)).map((m) => m.question)).toEqual(['续贷要提前多久申请？']);
    } finally {
      services.close();
    }

    // The log went to stderr, and nothing but MCP messages came on stdout.
    expect(stderr).toContain('"event":"mcp_stdio_ready"');
    expect(transportErrors).toEqual([]);
  });
});
