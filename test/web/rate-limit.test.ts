import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bindingLimiter, fixedWindow, rateLimit, type RateLimiter } from '../../src/web/rate-limit.ts';

function appWith(limiter: RateLimiter) {
  const app = new Hono();
  app.use(rateLimit({ limiter, clientKey: (c) => c.req.header('x-client') ?? 'anon' }));
  app.get('/', (c) => c.text('ok'));
  return app;
}

const get = (app: Hono, client = 'a') => app.request('/', { headers: { 'x-client': client } });

describe('rateLimit with the in-memory window', () => {
  it('allows N requests per client per minute, then answers 429 in Chinese until the window rolls over', async () => {
    const clock = { t: 60_000 * 1000 };
    const app = appWith(fixedWindow({ perMinute: 3, now: () => clock.t }));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(app)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(app);
    expect((await limited.json()).error.message).toContain('请求过于频繁');
    expect((await get(app, 'b')).status).toBe(200);
    clock.t += 60_000;
    expect((await get(app)).status).toBe(200);
  });

  it('says the quota on every response (IETF RateLimit headers) and when to come back on a 429', async () => {
    // 15.2 s into a minute: the window resets in 45 s.
    const clock = { t: 60_000 * 1000 + 15_200 };
    const app = appWith(fixedWindow({ perMinute: 2, now: () => clock.t }));
    const responses = [await get(app), await get(app), await get(app)];
    expect(responses.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['1', '0', '0']);
    for (const r of responses) {
      expect(r.headers.get('ratelimit-limit')).toBe('2');
      expect(r.headers.get('ratelimit-reset')).toBe('45');
      expect(r.headers.get('ratelimit-policy')).toBe('2;w=60');
    }
    expect(responses.map((r) => r.headers.get('retry-after'))).toEqual([null, null, '45']);
    expect(responses[2].status).toBe(429);
    clock.t += 44_000;
    expect((await get(app)).headers.get('retry-after')).toBe('1');
  });
});

describe('rateLimit with the Workers binding', () => {
  function binding(limit: number) {
    const counts = new Map<string, number>();
    const keys: string[] = [];
    return {
      keys,
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return { success: counts.get(key)! <= limit };
      },
    };
  }

  it("counts by the client's key with the binding's own limit, and sends only Retry-After, the quota being the binding's", async () => {
    const limiter = binding(2);
    const app = appWith(bindingLimiter(limiter, { periodSeconds: 60, now: () => 60_000 * 1000 + 30_000 }));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(app, '203.0.113.9')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await get(app, '203.0.113.10')).status).toBe(200);
    expect(limiter.keys).toEqual(['203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.10']);
    const limited = await get(app, '203.0.113.9');
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('ratelimit-limit')).toBeNull();
  });

  it('lets requests through when the binding fails', async () => {
    const app = appWith(bindingLimiter({ limit: () => Promise.reject(new Error('unavailable')) }, { periodSeconds: 10 }));
    expect((await get(app)).status).toBe(200);
  });
});
