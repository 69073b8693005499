import { serve } from '@hono/node-server';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { fixedWindow } from '../../src/web/rate-limit.ts';
import { startTestService, type TestService } from '../support/app.ts';

// The Node server on 127.0.0.1 with the client address and transport wired as nodeAppDeps wires them by default: this
// test plays a reverse proxy on the same machine, forwarding two clients' requests with X-Forwarded-For.

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

interface Running {
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>;
  logged(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The app for a TRUST_PROXY setting and a limit of 2 requests a minute, served on a free loopback port. (The window's
 * clock stands still, 30 s into a minute, so no test straddles two windows.)
 */
async function serveWith(trustProxy: string): Promise<Running> {
  const lines: Array<Record<string, unknown>> = [];
  const services = { ...t.services, config: { ...t.services.config, TRUST_PROXY: loadConfig({ TRUST_PROXY: trustProxy }).TRUST_PROXY } };
  const app = createApp(nodeAppDeps(services, createLogger('info', (l) => lines.push(JSON.parse(l))), { rateLimitPerMinute: 2, rateLimiter: fixedWindow({ perMinute: 2, now: () => 60_000 * 1000 + 30_000 }) }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    // (Raw node:http, so the request target can be an absolute URL, as a client may send it.)
    get: (path, headers = {}) =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
        });
        req.on('error', reject);
        req.end();
      }),
    logged: () => lines.filter((l) => l.event === 'request'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Alice and Bob behind the same proxy: Alice spends the minute's two requests, then each asks once more. */
async function twoClients(server: Running, forwarded: (client: string) => Record<string, string>) {
  const alice = forwarded('203.0.113.1');
  const bob = forwarded('203.0.113.2');
  const statuses = [];
  for (const headers of [alice, alice, alice, bob]) statuses.push((await server.get('/api/documents', headers)).status);
  return statuses;
}

describe('TRUST_PROXY behind a real Node server', () => {
  it('off: every client behind the proxy shares its address, and one bucket', async () => {
    const server = await serveWith('false');
    try {
      expect(await twoClients(server, (ip) => ({ 'x-forwarded-for': ip }))).toEqual([200, 200, 429, 429]);
      expect(server.logged().map((l) => l.client)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
    } finally {
      await server.close();
    }
  });

  it('the proxy address: each client forwarded by it gets its own bucket, and its address in the log', async () => {
    const server = await serveWith('127.0.0.1');
    try {
      expect(await twoClients(server, (ip) => ({ 'x-forwarded-for': ip }))).toEqual([200, 200, 429, 200]);
      expect(server.logged().map((l) => l.client)).toEqual(['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2']);
    } finally {
      await server.close();
    }
  });

  it('one hop: the same, reading the entry the proxy appended after whatever the client sent', async () => {
    const server = await serveWith('1');
    try {
      expect(await twoClients(server, (ip) => ({ 'x-forwarded-for': `198.51.100.99, ${ip}` }))).toEqual([200, 200, 429, 200]);
      expect(server.logged().at(-1)!.client).toBe('203.0.113.2');
    } finally {
      await server.close();
    }
  });

  it('a proxy list the socket is not on: X-Forwarded-For is spoofable from there, so ignored', async () => {
    const server = await serveWith('10.0.0.0/8');
    try {
      expect(await twoClients(server, (ip) => ({ 'x-forwarded-for': ip }))).toEqual([200, 200, 429, 429]);
    } finally {
      await server.close();
    }
  });

  it('sends the rate-limit headers and Retry-After over the wire', async () => {
    const server = await serveWith('false');
    try {
      const first = await server.get('/api/documents');
      expect(first.headers['ratelimit-limit']).toBe('2');
      expect(first.headers['ratelimit-remaining']).toBe('1');
      expect(first.headers['ratelimit-policy']).toBe('2;w=60');
      await server.get('/api/documents');
      const limited = await server.get('/api/documents');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('30');
      expect(limited.headers['ratelimit-reset']).toBe('30');
      expect((await server.get('/healthz')).headers['ratelimit-limit']).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('sends HSTS only when a trusted proxy says the request came over TLS, never on plain HTTP', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const trusted = await serveWith('127.0.0.1');
    const untrusted = await serveWith('10.0.0.0/8');
    const off = await serveWith('false');
    try {
      expect((await trusted.get('/healthz', https)).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect((await trusted.get('/healthz', { 'x-forwarded-proto': 'http' })).headers['strict-transport-security']).toBeUndefined();
      expect((await trusted.get('/healthz')).headers['strict-transport-security']).toBeUndefined();
      expect((await untrusted.get('/healthz', https)).headers['strict-transport-security']).toBeUndefined();
      expect((await off.get('/healthz', https)).headers['strict-transport-security']).toBeUndefined();
      // An absolute request target makes the URL https, but the connection is still plain HTTP.
      const absolute = await off.get(`https://127.0.0.1/healthz`);
      expect(absolute.status).toBe(200);
      expect(absolute.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await Promise.all([trusted.close(), untrusted.close(), off.close()]);
    }
  });
});
