import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createServices, nodeAppDeps, type ServiceOverrides, type Services } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';

export interface TestService {
  services: Services;
  app: ReturnType<typeof createApp>;
  dataDir: string;
  close(): void;
}

/** The real Node wiring (corpus files, hnswlib index on disk, SQLite file) in a fresh temporary data directory. */
export async function startTestService(
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
): Promise<TestService> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'policy-test-'));
  const config = loadConfig({ TODAY: '2026-11-22', RATE_LIMIT: '0', LOG_LEVEL: 'silent', ...env, DATA_DIR: dataDir });
  const services = await createServices(config, overrides);
  const app = createApp(nodeAppDeps(services, createLogger('silent'), { clientKey: (c) => c.req.header('x-test-client') ?? 'test' }));
  return {
    services,
    app,
    dataDir,
    close: () => {
      services.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function postJson(app: TestService['app'], path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A chat reply as the tests read it. */
export interface ChatReply {
  answer: string;
  answerable: boolean;
  declineReason?: string;
  conversationId: string;
  citations: Array<{ docId: string; quote: string; start: number; end: number }>;
}

/**
 * One conversation: each question asked in the conversation of the one before. Every reply must be a 200 whose quotes
 * are the exact spans of their documents; the replies, in order.
 */
export async function converse(t: TestService, ...questions: string[]): Promise<ChatReply[]> {
  const replies: ChatReply[] = [];
  for (const question of questions) {
    const conversationId = replies.at(-1)?.conversationId;
    const res = await postJson(t.app, '/api/ask', { question, ...(conversationId ? { conversationId } : {}) });
    if (res.status !== 200) throw new Error(`「${question}」: status ${res.status}`);
    const reply = (await res.json()) as ChatReply;
    for (const c of reply.citations) {
      const span = t.services.corpus.document(c.docId)?.text.slice(c.start, c.end);
      if (span !== c.quote) throw new Error(`「${question}」: quote [${c.docId} ${c.start}–${c.end}] is not the document's span`);
    }
    replies.push(reply);
  }
  return replies;
}
