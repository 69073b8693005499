import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { startTestService } from '../support/app.ts';

function recorder(level: Parameters<typeof createLogger>[0] = 'info') {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, (line) => lines.push(line)), parsed: () => lines.map((l) => JSON.parse(l)) };
}

describe('createLogger', () => {
  it('writes one JSON object per event with time, level and event', () => {
    const r = recorder();
    r.logger.info('request', { path: '/api/ask', status: 200 });
    expect(r.parsed()).toEqual([{ time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), level: 'info', event: 'request', path: '/api/ask', status: 200 }]);
  });

  it('drops events below its level', () => {
    const r = recorder('warn');
    r.logger.info('request');
    r.logger.warn('slow');
    expect(r.parsed().map((l) => l.event)).toEqual(['slow']);
  });

  it('masks personal numbers in any text field, nested ones included', () => {
    const r = recorder();
    r.logger.error('unhandled', { message: 'Failed query … params: user,%13912345678%', detail: { question: '身份证210102199003071234，信用代码91210100MA0XXXXX1X' } });
    const line = r.lines[0];
    expect(line).not.toContain('13912345678');
    expect(line).not.toContain('210102199003071234');
    expect(line).toContain('139****5678');
  });

  it('masks every spelling in every string of the line: the event, field names, a request path', () => {
    const r = recorder();
    r.logger.info('asked 138-1234-5678', { path: '/api/conversations/+86 １３８ 1234\u200b5678', ['13812345678']: 'x', ids: ['110101 19900307 4518'] });
    const line = r.lines[0].normalize('NFKC').replace(/[\s\-\u200b+]/g, '');
    expect(line).not.toContain('13812345678');
    expect(line).not.toContain('110101199003074518');
    expect(r.parsed()[0]).toMatchObject({ event: 'asked 138****5678', path: '/api/conversations/+86 138****5678', ['138****5678']: 'x' });
  });

  it('never writes a secret: secret-named fields are dropped, bearer tokens and API keys in text are cut', () => {
    const r = recorder();
    r.logger.warn('llm_fallback', { apiKey: 'sk-live-abcdefghijkl', headers: { Authorization: 'Bearer abc.def' }, reason: 'Incorrect API key provided: sk-proj-1234567890abcdef; sent Bearer e2e-admin-token' });
    const line = r.lines[0];
    for (const secret of ['sk-live-abcdefghijkl', 'abc.def', 'sk-proj-1234567890abcdef', 'e2e-admin-token']) expect(line).not.toContain(secret);
    expect(JSON.parse(line).apiKey).toBe('[redacted]');
  });
});

describe('the service log', () => {
  it('has a request id on every request line and no personal number or token anywhere', async () => {
    const t = await startTestService({ ADMIN_TOKEN: 'very-secret-admin-token' });
    const r = recorder();
    const app = createApp(nodeAppDeps(t.services, r.logger, { clientKey: () => 'test' }));
    try {
      const ask = (question: string) => app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
      expect((await ask('我手机13912345678，担保费补贴怎么申请？')).status).toBe(200);
      await ask('');
      await app.request('/api/admin/questions?q=13912345678', { headers: { authorization: 'Bearer very-secret-admin-token' } });
      await app.request('/api/admin/questions', { headers: { authorization: 'Bearer wrong-token' } });
      const requests = r.parsed().filter((l) => l.event === 'request');
      expect(requests).toHaveLength(4);
      for (const l of requests) expect(l.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const all = r.lines.join('\n');
      for (const secret of ['13912345678', 'very-secret-admin-token', 'wrong-token']) expect(all).not.toContain(secret);
    } finally {
      t.close();
    }
  });
});
