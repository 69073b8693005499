/**
 * npm run --silent mcp: the MCP server over stdio, for desktop agents (Claude Desktop, Cursor …) that start it as a
 * child process. The same tools as /mcp (src/mcp/server.ts), over the Node services wired as the HTTP server wires
 * them: the corpus and index in CORPUS_DIR and DATA_DIR, the SQLite conversation store, the model when configured.
 *
 * stdout carries MCP messages only: the log goes to stderr (LOG_LEVEL, `warn` unless set), and a bad setting is
 * one line on stderr and exit 1. (`npm run` without --silent prints its own banner to stdout: use --silent.)
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Conversations } from '../src/chat/conversation.ts';
import { uuidv7 } from '../src/ids.ts';
import { createMcpServer } from '../src/mcp/server.ts';
import { createServices, nodeAppDeps } from '../src/runtime/node/services.ts';
import { startupConfig } from '../src/runtime/node/startup.ts';
import { createLogger } from '../src/web/log.ts';

const config = startupConfig({ LOG_LEVEL: 'warn' });

const logger = createLogger(config.LOG_LEVEL, (line) => process.stderr.write(`${line}\n`));
const services = await createServices(config, { logger });
// The HTTP app's own wiring (today's date, approved staff answers), so a stdio answer is the answer /api/ask gives.
const deps = nodeAppDeps(services, logger);
const conversations = new Conversations({
  corpus: deps.corpus,
  answers: deps.answers,
  store: deps.store,
  logger,
  today: deps.today,
  newId: uuidv7,
  staff: deps.staff,
});
const server = createMcpServer({
  conversations,
  corpus: deps.corpus,
  retriever: deps.retriever,
  matcher: deps.matcher,
  applications: deps.applications,
  rules: deps.rules,
  today: deps.today,
  logger,
});

// The client ends the server by closing its stdin (or by a signal): the database is closed on the way out.
const transport = new StdioServerTransport();
let closed = false;
const shutdown = () => {
  if (closed) return;
  closed = true;
  void server.close().finally(() => {
    services.close();
    process.exit(0);
  });
};
process.stdin.on('end', shutdown);
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
await server.connect(transport);
logger.info('mcp_stdio_ready', { mode: services.answers.mode, documents: services.corpus.documents.length });
