import { expect } from 'vitest';
import { Conversations } from '../../src/chat/conversation.ts';
import { uuidv7 } from '../../src/ids.ts';
import type { McpDeps } from '../../src/mcp/server.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createLogger } from '../../src/web/log.ts';
import type { TestService } from '../support/app.ts';

/** The MCP server's deps over a test service, wired as the app wires /api/ask's conversations. */
export function mcpDepsOf(t: TestService): McpDeps {
  const logger = createLogger('silent');
  const deps = nodeAppDeps(t.services, logger);
  const conversations = new Conversations({ corpus: deps.corpus, answers: deps.answers, store: deps.store, logger, today: deps.today, newId: uuidv7, staff: deps.staff });
  return { conversations, corpus: deps.corpus, retriever: deps.retriever, matcher: deps.matcher, applications: deps.applications, rules: deps.rules, today: deps.today, logger };
}

/** Every quote is the exact span of its stored document. */
export function expectVerbatim(t: TestService, citations: Array<{ docId: string; quote: string; start: number; end: number }>) {
  for (const c of citations) expect(t.services.corpus.document(c.docId)?.text.slice(c.start, c.end), `${c.docId} ${c.start}–${c.end}`).toBe(c.quote);
}

/** The text of a tool result's single text block. */
export function textOf(result: { content?: unknown }): string {
  const content = result.content as Array<{ type: string; text?: string }>;
  expect(content).toHaveLength(1);
  expect(content[0].type).toBe('text');
  return content[0].text!;
}
