import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { requestId } from '../../src/web/request-id.ts';
import { HSTS, httpsUrl, RESOURCE_POLICY, securityHeaders } from '../../src/web/security.ts';
import { startTestService, type TestService } from '../support/app.ts';

const ASSETS = join(import.meta.dirname, '../../src/web/assets');

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

/** The CSP directives of a policy, by name. */
const directives = (policy: string | null) =>
  Object.fromEntries((policy ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));

describe('Content-Security-Policy', () => {
  it('sends the pages a strict policy as a header: scripts and styles from this origin only, nothing inline, never framed', async () => {
    for (const path of ['/', '/console']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      const policy = directives(res.headers.get('content-security-policy'));
      expect(policy['default-src'], path).toEqual(["'none'"]);
      expect(policy['script-src'], path).toEqual(["'self'"]);
      expect(policy['style-src'], path).toEqual(["'self'"]);
      expect(policy['frame-ancestors'], path).toEqual(["'none'"]);
      expect(policy['base-uri'], path).toEqual(["'none'"]);
      expect(res.headers.get('content-security-policy'), path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
  });

  it('serves the pages with no inline script, event handler or style, and their styles as files', async () => {
    const pages = readdirSync(ASSETS).filter((f) => f.endsWith('.html'));
    expect(pages.sort()).toEqual(['console.html', 'demo.html']);
    for (const page of pages) {
      const html = readFileSync(join(ASSETS, page), 'utf8');
      expect(html, page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(html, page).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, page).not.toMatch(/\sstyle\s*=|<style/i);
      expect(html, page).not.toMatch(/javascript:/i);
      expect(html, page).not.toMatch(/http-equiv="Content-Security-Policy"/i);
      for (const [, src] of html.matchAll(/<(?:script|link)[^>]*\s(?:src|href)="([^"]*)"/g)) {
        if (src.startsWith('data:')) continue;
        expect(src, `${page} loads ${src}`).toMatch(/^\/[\w.-]+$/);
        const res = await t.app.request(src);
        expect(res.status, `${page} loads ${src}`).toBe(200);
      }
    }
    for (const sheet of ['/demo.css', '/console.css']) expect((await t.app.request(sheet)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('gives JSON, the widget script and errors a policy under which they can load nothing', async () => {
    for (const path of ['/healthz', '/api/documents', '/api/nothing-here', '/openapi.json', '/widget.js', '/favicon.svg']) {
      expect((await t.app.request(path)).headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    const failed = await t.app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('content-security-policy')).toBe(RESOURCE_POLICY);
  });

  it('covers a streamed answer', async () => {
    const res = await t.app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ question: '担保费补贴是多少？' }) });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-security-policy')).toBe(RESOURCE_POLICY);
    await res.text();
  });
});

describe('secure headers', () => {
  it('marks every response nosniff, not frameable and without referrer leaks, and lets host pages load the widget', async () => {
    for (const path of ['/', '/console', '/healthz', '/api/documents', '/api/nothing-here', '/widget.js']) {
      const res = await t.app.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    expect((await t.app.request('/widget.js')).headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });
});

describe('Strict-Transport-Security', () => {
  function appWith(overTls: Parameters<typeof securityHeaders>[0]['overTls']) {
    const app = new Hono();
    app.use(securityHeaders({ overTls }));
    app.get('/', (c) => c.json({ ok: true }));
    return app;
  }

  it('goes out over TLS only: by default, when the URL is https (as the Workers runtime sees it)', async () => {
    const app = appWith(httpsUrl);
    expect((await app.request('https://policy.example.cn/')).headers.get('strict-transport-security')).toBe(HSTS);
    expect(HSTS).toBe('max-age=31536000; includeSubDomains');
    expect((await app.request('http://policy.example.cn/')).headers.get('strict-transport-security')).toBeNull();
  });

  it('never on plain HTTP in the Node app, whatever the URL or an untrusted X-Forwarded-Proto says', async () => {
    for (const [url, headers] of [
      ['http://localhost/healthz', {}],
      ['https://localhost/healthz', {}],
      ['http://localhost/healthz', { 'x-forwarded-proto': 'https' }],
    ] as const) {
      expect((await t.app.request(url, { headers })).headers.get('strict-transport-security'), `${url} ${JSON.stringify(headers)}`).toBeNull();
    }
  });
});

describe('request ids', () => {
  const ids = () => {
    let n = 0;
    const app = new Hono();
    app.use(requestId({ generate: () => `generated-${++n}` }));
    app.get('/', (c) => c.text(c.get('requestId')));
    return async (given?: string) => {
      const res = await app.request('/', given === undefined ? {} : { headers: { 'x-request-id': given } });
      const body = await res.text();
      expect(res.headers.get('x-request-id')).toBe(body);
      return body;
    };
  };

  it("keeps a client's id that is short and safe, and echoes it", async () => {
    const id = ids();
    for (const given of ['abcdef12', 'req-2026-11-22T10:00:00.123Z', 'trace.01HZX:span_7', 'A'.repeat(64)]) expect(await id(given)).toBe(given);
  });

  it('replaces one that is too short, too long or carries anything else, and makes one when none is given', async () => {
    const id = ids();
    const refused = ['', 'short', 'A'.repeat(65), 'has space in it', 'semi;colon-id', 'quote"d-id-here', '<script>alert(1)</script>', 'plus+sign-id', 'é-accented-id', 'x'.repeat(300)];
    for (const given of refused) expect(await id(given), given).toMatch(/^generated-\d+$/);
    expect(await id()).toMatch(/^generated-\d+$/);
  });

  it('runs through the service: a UUID by default, the client id when safe, in the response and the request log', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = createApp(nodeAppDeps(t.services, createLogger('info', (l) => lines.push(JSON.parse(l))), { clientKey: () => '203.0.113.9' }));
    const own = await app.request('/api/documents', { headers: { 'x-request-id': 'widget-1234-abcd' } });
    const made = await app.request('/api/documents', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(own.headers.get('x-request-id')).toBe('widget-1234-abcd');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const logged = lines.filter((l) => l.event === 'request');
    expect(logged.map((l) => l.requestId)).toEqual(['widget-1234-abcd', made.headers.get('x-request-id')]);
    expect(logged.map((l) => l.client)).toEqual(['203.0.113.9', '203.0.113.9']);
    expect(JSON.stringify(lines)).not.toContain('bad id with spaces');
  });
});
