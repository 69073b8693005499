/**
 * npm run --silent mcp: the MCP server over stdio, for desktop agents (Claude Desktop, Cursor …) that start it as a
 * child process. The same tools as /mcp (src/mcp/server.ts), over the Node services wired as the HTTP server wires
 * them: the corpus and index in CORPUS_DIR and DATA_DIR, the SQLite conversation store, the model when configured.
 *
 * stdout carries MCP messages only: the log goes to stderr (LOG_LEVEL, `warn` unless set), and a bad setting is
 * one line on stderr and exit 1. (`npm run` without --silent prints its own banner to stdout: use --silent.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Conversations } from '../src/chat/conversation.ts';
import { ConfigError, loadConfig, parseDotenv } from '../src/config.ts';
import { uuidv7 } from '../src/ids.ts';
import { createMcpServer } from '../src/mcp/server.ts';
import { checkDataDir } from '../src/runtime/node/data-dir.ts';
import { createServices, nodeAppDeps } from '../src/runtime/node/services.ts';
import { createLogger } from '../src/web/log.ts';

const fromFile = existsSync('.env') ? parseDotenv(readFileSync('.env', 'utf8')) : {};
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig({ LOG_LEVEL: 'warn', ...fromFile, ...process.env });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const dataDirProblem = checkDataDir(config.DATA_DIR);
if (dataDirProblem) {
  console.error(dataDirProblem);
  process.exit(1);
}

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
