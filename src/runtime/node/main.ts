import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../../web/app.ts';
import { createLogger } from '../../web/log.ts';
import { readNodeBody } from './read-body.ts';
import { createServices, nodeAppDeps } from './services.ts';
import { startupConfig } from './startup.ts';

// Settings: the environment, then a .env file in the working folder for what the environment leaves unset; a bad one
// (or an unusable DATA_DIR) is one line for the operator and exit 1.
const config = startupConfig();
const logger = createLogger(config.LOG_LEVEL);
const started = performance.now();
const services = await createServices(config, { logger });
const app = createApp(
  // (The client's address comes from the socket, or from trusted proxies' headers with TRUST_PROXY.)
  nodeAppDeps(services, logger, { readBody: readNodeBody }),
);

const server = serve(
  {
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    // A client that stalls while sending its request is answered 408 (by the clientError handler below) within
    // REQUEST_TIMEOUT_MS plus the check interval.
    serverOptions: { requestTimeout: config.REQUEST_TIMEOUT_MS, headersTimeout: config.REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
  },
  (info) => {
    logger.info('listening', {
      port: info.port,
      mode: services.answers.mode,
      documents: services.corpus.documents.length,
      chunks: services.corpus.chunks.length,
      indexRebuilt: services.index.rebuilt,
      startupMs: Math.round(performance.now() - started),
    });
  },
) as Server;

const CLIENT_ERRORS: Record<string, { status: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: '431 Request Header Fields Too Large', code: 'headers_too_large', message: '请求头或地址过长，请缩短后重试。' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: '408 Request Timeout', code: 'request_timeout', message: '请求发送超时，请检查网络后重试。' },
};
const BAD_REQUEST = { status: '400 Bad Request', code: 'bad_request', message: '请求格式无法识别，请检查请求方法和格式。' };

// Requests Node rejects before the app sees them (unknown methods, oversized headers, a request not sent in time)
// still get a JSON error in Chinese.
server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
  if (!socket.writable) return socket.destroy();
  const { status, code, message } = CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST;
  const body = JSON.stringify({ error: { code, message } });
  socket.write(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  // A client may still be sending its body: closing now, with its bytes unread, would reset the
  // connection before it reads the answer. Leave the closing to the client (Connection: close), for 2 s at most.
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), 2_000).unref();
});

// A stop (SIGTERM from systemd, a container runtime or `npm start`'s parent; SIGINT from a terminal) lets requests in
// flight finish — new connections are refused and idle keep-alive ones closed at once — for SHUTDOWN_TIMEOUT_MS at
// most, then closes what is left and the database.
let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  logger.info('shutdown', { signal });
  const finish = (code: number) => {
    services.close();
    process.exit(code);
  };
  server.close(() => finish(0));
  server.closeIdleConnections();
  setTimeout(() => {
    logger.warn('shutdown_forced', { afterMs: config.SHUTDOWN_TIMEOUT_MS });
    server.closeAllConnections();
    finish(0);
  }, config.SHUTDOWN_TIMEOUT_MS).unref();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
