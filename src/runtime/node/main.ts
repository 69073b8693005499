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

// Requests Node rejects before the app sees them (unknown methods, oversized headers) still get a JSON error in Chinese.
server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
  if (!socket.writable) return socket.destroy();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: tooLarge
      ? { code: 'headers_too_large', message: '请求头或地址过长，请缩短后重试。' }
      : { code: 'bad_request', message: '请求格式无法识别，请检查请求方法和格式。' },
  });
  socket.write(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // A client may still be sending its body: closing now, with its bytes unread, would reset the
  // connection before it reads the answer. Leave the closing to the client (Connection: close), for 2 s at most.
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), 2_000).unref();
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
