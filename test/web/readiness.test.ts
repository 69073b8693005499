import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { postJson, startTestService } from '../support/app.ts';
import { longStoredMessage } from '../support/stored-message.ts';
import { sqliteWriteCheck, storageFailure } from '../../src/db/health.ts';
import { ConversationStore } from '../../src/db/store.ts';
import { openDatabase } from '../../src/runtime/node/database.ts';
import { sendError } from '../../src/web/errors.ts';
import {
  readinessProbe,
  readinessResponseSchema,
  readinessRoutes,
  sendStorageUnavailable,
  type IndexState,
  type ReadinessOptions,
} from '../../src/web/readiness.ts';

// /readyz and the 503 for storage failures, on a real SQLite file, in a small app wired the way the
// service's app is (the route, and the onError branch for storage failures).

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const LOADED: IndexState = { vectors: 120, chunks: 120 };

function setup(options: Partial<ReadinessOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'policy-ready-'));
  dirs.push(dir);
  const { db, sqlite } = openDatabase(join(dir, 'policy.sqlite'));
  const store = new ConversationStore(db, { transaction: (work) => sqlite.transaction(work)(), defer: setImmediate });
  const clock = { now: 0 };
  let probes = 0;
  const write = sqliteWriteCheck(sqlite);
  const readiness = readinessProbe({
    database: () => {
      probes++;
      write();
    },
    index: () => LOADED,
    now: () => clock.now,
    ...options,
  });

  const app = new Hono();
  app.route('/readyz', readinessRoutes(readiness));
  app.post('/api/save', async (c) => {
    await store.saveMessage(message(), true);
    return c.json({ ok: true });
  });
  app.onError((error, c) => {
    if (storageFailure(error)) {
      readiness.noteFailure(error);
      return sendStorageUnavailable(c);
    }
    return sendError(c, 500, 'internal_error', '服务内部出错，请稍后再试。');
  });

  return {
    app,
    readiness,
    clock,
    probes: () => probes,
    /** No page more: what a full disk does to every write that needs one. */
    fill: () => sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`),
    ready: async () => {
      const res = await app.request('/readyz');
      return { status: res.status, body: await res.json() };
    },
  };
}

let serial = 0;
const message = () => longStoredMessage(`m${++serial}`);

describe('GET /readyz', () => {
  it('answers 200 when the database takes a write and the index is loaded', async () => {
    const t = setup();
    const res = await t.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(readinessResponseSchema.strict().parse(body)).toEqual(body);
    expect(body).toEqual({
      ready: true,
      checkedAt: '1970-01-01T00:00:00.000Z',
      checks: { database: { ok: true }, index: { ok: true, vectors: 120, chunks: 120 } },
    });
  });

  it('answers 503 naming the database when it takes no more writes', async () => {
    const t = setup();
    t.fill();
    const res = await t.ready();
    expect(readinessResponseSchema.parse(res.body)).toEqual(res.body);
    expect(res).toEqual({
      status: 503,
      body: {
        ready: false,
        checkedAt: '1970-01-01T00:00:00.000Z',
        checks: { database: { ok: false, error: 'SQLITE_FULL', seenBy: 'probe' }, index: { ok: true, vectors: 120, chunks: 120 } },
        message: '服务暂未就绪：数据库不可写。',
      },
    });
  });

  it('answers 503 naming the index when it is not loaded, or does not match the corpus', async () => {
    const notLoaded = await setup({ index: () => undefined }).ready();
    expect(notLoaded.status).toBe(503);
    expect(notLoaded.body.checks.index).toEqual({ ok: false });
    expect(notLoaded.body.message).toBe('服务暂未就绪：向量索引未加载。');

    const stale = await setup({ index: () => ({ vectors: 119, chunks: 120 }) }).ready();
    expect(stale.body.checks.index).toEqual({ ok: false, vectors: 119, chunks: 120 });
    expect(stale.body.message).toBe('服务暂未就绪：向量索引与语料不一致。');

    const t = setup({ index: () => undefined });
    t.fill();
    expect((await t.ready()).body.message).toBe('服务暂未就绪：数据库不可写，向量索引未加载。');
  });

  it('reuses a result for 2 s, so frequent probes do not write each time; concurrent probes share one write', async () => {
    const t = setup();
    await Promise.all([t.ready(), t.ready(), t.ready()]);
    expect(t.probes()).toBe(1);

    t.fill();
    t.clock.now = 1_999;
    expect((await t.ready()).status).toBe(200);
    expect(t.probes()).toBe(1);

    t.clock.now = 2_000;
    expect((await t.ready()).status).toBe(503);
    expect(t.probes()).toBe(2);
  });
});

describe('a storage failure in a request', () => {
  it('answers 503 storage_unavailable, not 500, when the database is full', async () => {
    const t = setup();
    expect((await t.app.request('/api/save', { method: 'POST' })).status).toBe(200);
    t.fill();
    const res = await t.app.request('/api/save', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toEqual({
      error: { code: 'storage_unavailable', message: '数据存储暂时不可用（空间不足、不可写或暂时无法连接），请稍后再试。' },
    });
  });

  it('makes /readyz not ready at once, dropping a cached ready result, and for 10 s whatever the probe says', async () => {
    const t = setup();
    expect((await t.ready()).status).toBe(200);
    t.fill();
    expect((await t.app.request('/api/save', { method: 'POST' })).status).toBe(503);

    const after = await t.ready();
    expect(after.status).toBe(503);
    expect(after.body.checks.database).toEqual({ ok: false, error: 'SQLITE_FULL', seenBy: 'request' });
    expect(t.probes()).toBe(1);

    t.clock.now = 9_999;
    expect((await t.ready()).body.checks.database.seenBy).toBe('request');
    expect(t.probes()).toBe(1);

    // The hold is over, and so is the 2 s the last result is kept: the probe writes again.
    t.clock.now = 11_999;
    expect((await t.ready()).body.checks.database).toEqual({ ok: false, error: 'SQLITE_FULL', seenBy: 'probe' });
    expect(t.probes()).toBe(2);
  });

  it('leaves other errors to the 500 they were', async () => {
    const t = setup();
    t.app.get('/api/broken', () => {
      throw new Error('a bug');
    });
    const res = await t.app.request('/api/broken');
    expect(res.status).toBe(500);
    expect((await t.ready()).status).toBe(200);
  });
});

describe('readiness and storage failures in the service as wired', () => {
  it('answers 503 in Chinese when the database cannot grow, says so at /readyz, and recovers when it can', async () => {
    const t = await startTestService();
    try {
      expect((await t.app.request('/readyz')).status).toBe(200);
      const pages = Number(t.services.sqlite.pragma('page_count', { simple: true }));
      t.services.sqlite.pragma(`max_page_count = ${pages}`);
      const failures = [];
      for (let i = 0; i < 5; i++) {
        const res = await postJson(t.app, '/api/ask', { question: `信用修复平均要几天？第${i}问，${'补充说明'.repeat(200)}` });
        failures.push(res.status);
        if (res.status === 503) {
          const body = await res.json();
          expect(body.error.code).toBe('storage_unavailable');
          expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
        }
      }
      expect(failures).toContain(503);
      expect(failures).not.toContain(500);
      const ready = await t.app.request('/readyz');
      expect(ready.status).toBe(503);
      expect((await ready.json()).checks.database.ok).toBe(false);
      t.services.sqlite.pragma('max_page_count = 1073741823');
    } finally {
      t.close();
    }
  });
});
