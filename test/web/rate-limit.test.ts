import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rateLimit } from '../../src/web/rate-limit.ts';

function appWith(perMinute: number, clock: { t: number }) {
  const app = new Hono();
  app.use(rateLimit({ perMinute, clientKey: (c) => c.req.header('x-client') ?? 'anon', now: () => clock.t }));
  app.get('/', (c) => c.text('ok'));
  return app;
}

describe('rateLimit', () => {
  it('allows N requests per client per minute, then answers 429 in Chinese until the window rolls over', async () => {
    const clock = { t: 60_000 * 1000 };
    const app = appWith(3, clock);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.request('/', { headers: { 'x-client': 'a' } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await app.request('/', { headers: { 'x-client': 'a' } });
    expect((await limited.json()).error.message).toContain('请求过于频繁');
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect((await app.request('/', { headers: { 'x-client': 'b' } })).status).toBe(200);
    clock.t += 60_000;
    expect((await app.request('/', { headers: { 'x-client': 'a' } })).status).toBe(200);
  });

  it('is off when the limit is 0', async () => {
    const app = appWith(0, { t: 0 });
    for (let i = 0; i < 50; i++) expect((await app.request('/')).status).toBe(200);
  });
});
