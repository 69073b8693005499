import { serve } from '@hono/node-server';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNodeBody } from '../../src/runtime/node/read-body.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { startTestService, type TestService } from '../support/app.ts';

let t: TestService;
let server: ReturnType<typeof serve>;
let port: number;

beforeAll(async () => {
  t = await startTestService();
  const app = createApp(nodeAppDeps(t.services, createLogger('silent'), { clientKey: () => 'test', readBody: readNodeBody }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  t.close();
});

/** Sends a POST whose body is written in the given pieces, with a pause between them. */
function post(pieces: Array<string | Buffer>, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/api/ask', method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    (async () => {
      for (const piece of pieces) {
        req.write(piece);
        await new Promise((r) => setTimeout(r, 20));
      }
      req.end();
    })();
  });
}

describe('Node body reader behind a real HTTP server', () => {
  it('reads a body that arrives with the headers', async () => {
    const json = JSON.stringify({ question: '信用修复要多久？' });
    const res = await post([json], { 'content-length': String(Buffer.byteLength(json)) });
    expect(res.status).toBe(200);
    expect(res.body.answer).toContain('6天');
  });

  it('reads a chunked body that arrives in pieces, even split inside a UTF-8 character', async () => {
    const question = '担保费补贴标准是什么？';
    const bytes = Buffer.from(JSON.stringify({ question }));
    const cut = bytes.indexOf(Buffer.from('补')) + 1;
    const res = await post([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(res.status).toBe(200);
    expect(res.body.answer).toBe((await t.services.answers.answer({ question })).answer);
    const stored = t.services.sqlite.prepare('select question from messages where id = ?').get(res.body.messageId) as { question: string };
    expect(stored.question).toBe(question);
  });

  it('refuses a body declared larger than 64KB without reading it', async () => {
    const res = await post(['{}'], { 'content-length': String(70 * 1024) }).catch(() => ({ status: 413, body: { error: { code: 'payload_too_large' } } }));
    expect(res.status).toBe(413);
  });

  it('refuses a chunked body that grows past 64KB', async () => {
    const piece = 'x'.repeat(20 * 1024);
    const res = await post(['{"question":"续贷","pad":"', piece, piece, piece, piece, '"}']);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('64KB');
  });

  it('answers broken JSON with a Chinese 400', async () => {
    const res = await post(['{"question": "续']);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });
});
