import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { loadConfig } from '../../config.ts';
import { createApp } from '../../web/app.ts';
import { createLogger } from '../../web/log.ts';
import { readNodeBody } from './read-body.ts';
import { createServices, nodeAppDeps } from './services.ts';

const config = loadConfig(process.env);
const logger = createLogger(config.LOG_LEVEL);
const started = performance.now();
const services = await createServices(config, { logger });
const app = createApp(
  nodeAppDeps(services, logger, {
    clientKey: (c) => getConnInfo(c).remote.address ?? 'unknown',
    readBody: readNodeBody,
  }),
);

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  logger.info('listening', {
    port: info.port,
    mode: services.answers.mode,
    documents: services.corpus.documents.length,
    chunks: services.corpus.chunks.length,
    indexRebuilt: services.index.rebuilt,
    startupMs: Math.round(performance.now() - started),
  });
});

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  logger.info('shutdown', { signal });
  server.close(() => {
    services.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
