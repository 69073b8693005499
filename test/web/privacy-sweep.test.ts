/**
 * Issue 16: a personal number, however it is typed, never reaches the database file or the log. Every spelling is
 * sent through every route that stores or logs — the chat (JSON and streamed, with a profile, continued by a
 * follow-up), feedback, the track recommender, the check-up, the application check, the staff answers and GETs
 * with the number in the path or the query — with a model that echoes the question; then the SQLite file (and its
 * WAL) and every log line are read as a leak scan reads them: NFKC, separators and invisible characters gone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/db/store.ts';
import { openDatabase } from '../../src/runtime/node/database.ts';
import { nodeAppDeps } from '../../src/runtime/node/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createLogger } from '../../src/web/log.ts';
import { postJson, startTestService, type TestService } from '../support/app.ts';
import { startOpenAiStub, type ChatRequest, type OpenAiStub } from '../support/openai-stub.ts';

/** Each spelling, and the number it spells (digits and upper-case letters). */
const SPELLINGS: Array<[spelling: string, number: string]> = [
  ['+86 138 1234 5678', '13812345678'],
  ['139-2345-6789', '13923456789'],
  ['137 3456 7890', '13734567890'],
  ['１３６４５６７８９０１', '13645678901'],
  ['135\u200b5678\u200b9012', '13556789012'],
  ['0086-15067890123', '15067890123'],
  ['024-88886666', '02488886666'],
  ['21010219851231002X', '21010219851231002X'],
  ['110101199003074518', '110101199003074518'],
  ['110101900307451', '110101900307451'],
  ['91210100MA0QW2B14K', '91210100MA0QW2B14K'],
  ['91210100ma0qw2b15l', '91210100MA0QW2B15L'],
  ['91210100 mA0XY3C16M', '91210100MA0XY3C16M'],
];

const ADMIN = { authorization: 'Bearer sweep-admin-token' };

/** A text as a leak scan reads it: NFKC, upper case, with separators and invisible characters gone. */
function scannable(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\p{Cf}\p{Mn}\-.\u00B7\u2010-\u2015\u2212\u30FB()+]/gu, '');
}

/** The numbers of SPELLINGS that a text holds in any spelling. */
const leaked = (text: string) => {
  const scanned = scannable(text);
  return SPELLINGS.filter(([, number]) => scanned.includes(number)).map(([spelling]) => spelling);
};

/** The model echoes the question back, after a verbatim sentence of the first passage. */
function echo(request: ChatRequest) {
  const [passageId, text] = [...request.passages][0];
  const quote = (text.match(/[^。！？\n]{8,}[。！？]/) ?? [text.slice(0, 20)])[0];
  const question = /问题：([^\n]*)/.exec(request.human)?.[1] ?? '';
  return { draft: { answerable: true, answer: `${quote}[1] 您的问题是：${question}`, citations: [{ n: 1, passageId, quote }] } };
}

describe('privacy sweep: every spelling of a personal number, through every route', () => {
  let stub: OpenAiStub;
  let t: TestService;
  let app: ReturnType<typeof createApp>;
  const lines: string[] = [];

  beforeAll(async () => {
    stub = await startOpenAiStub(echo);
    const logger = createLogger('info', (line) => lines.push(line));
    t = await startTestService(
      { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${stub.url}/v1`, OPENAI_MODEL: 'stub-model', EMBEDDINGS: 'local', ADMIN_TOKEN: 'sweep-admin-token' },
      { logger },
    );
    app = createApp(nodeAppDeps(t.services, logger, { clientKey: () => 'sweep' }));
  });

  afterAll(async () => {
    t?.close();
    await stub?.close();
  });

  it('stores and logs none of them, and a conversation never hands a profile number to whoever continues it', { timeout: 240_000 }, async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) => postJson(app, path, body, headers);
    const conversations: string[] = [];
    for (const [s] of SPELLINGS) {
      const profile = { size: '小微', region: `沈阳${s}`, description: `我们是小微企业，联系人电话${s}` };
      const asked = await post('/api/ask', { question: `信用修复要多久？我的联系方式${s}`, profile });
      expect(asked.status, s).toBe(200);
      const first = await asked.json();
      conversations.push(first.conversationId);

      const streamed = await post('/api/ask', { question: `小微企业能申请无还本续贷吗？电话${s}`, profile, conversationId: first.conversationId }, { accept: 'text/event-stream' });
      expect(streamed.status, s).toBe(200);
      expect(await streamed.text()).toContain('event: done');

      // Whoever continues the conversation (without a number of their own) gets none of the profile's back.
      const followUp = await post('/api/ask', { question: '那中型企业呢？', conversationId: first.conversationId });
      expect(followUp.status, s).toBe(200);
      expect(leaked(await followUp.text()), s).toEqual([]);

      expect((await post('/api/feedback', { messageId: first.messageId, helpful: false, comment: `没说清楚，请回电${s}` })).status, s).toBe(201);
      expect((await post('/api/recommend', { case: { description: `我们在沈阳做供应链金融数字化案例，联系人${s}，请推荐赛道` } })).status, s).toBe(200);
      expect((await post('/api/checkup', { profile: { size: '小微', region: `沈阳${s}`, description: `电话${s}` } })).status, s).toBe(200);
      const draft = { fields: { 案例名称: `案例${s}` }, sections: { 摘要: `联系人${s}` }, applicant: { name: `公司${s}` } };
      expect((await post('/api/applications/check', { draft })).status, s).toBe(200);

      const created = await post('/api/admin/staff-answers', { kind: 'out_of_scope', question: `${s}是谁的电话号码？`, by: `张三${s}` }, ADMIN);
      expect(created.status, s).toBe(201);
      const { staffAnswer } = await created.json();
      expect((await post(`/api/admin/staff-answers/${staffAnswer.id}/reject`, { by: `李四${s}` }, ADMIN)).status, s).toBe(200);

      const encoded = encodeURIComponent(s);
      for (const path of [`/api/conversations/${encoded}`, `/api/documents/${encoded}`, `/api/no-such-route/${encoded}`, `/api/search?q=${encoded}`]) {
        expect((await app.request(path)).status, path).toBeLessThan(500);
      }
      expect((await app.request(`/api/admin/questions?q=${encoded}`, { headers: ADMIN })).status).toBe(200);
    }

    for (const id of conversations) {
      const history = await app.request(`/api/conversations/${id}`);
      expect(history.status).toBe(200);
      expect(leaked(await history.text()), id).toEqual([]);
    }

    // The routes ran, and wrote.
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(SPELLINGS.length * 14);
    const count = (sql: string) => (t.services.sqlite.prepare(sql).get() as { n: number }).n;
    expect(count('select count(*) as n from messages')).toBe(SPELLINGS.length * 3);
    expect(count("select count(*) as n from messages where mode = 'llm' or checks is not null")).toBeGreaterThan(0);
    expect(count('select count(*) as n from feedback')).toBe(SPELLINGS.length);
    expect(count("select count(*) as n from staff_answers where status = 'rejected'")).toBe(SPELLINGS.length);

    // Every row as SQL reads it ...
    const tables = (t.services.sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
    const rows = tables.flatMap((name) => t.services.sqlite.prepare(`select * from "${name}"`).all());
    expect(leaked(JSON.stringify(rows))).toEqual([]);
    // ... and the database file's bytes, with what the WAL holds written back into it first.
    t.services.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const files = readdirSync(t.dataDir).filter((f) => f.startsWith('policy.sqlite'));
    expect(files).toContain('policy.sqlite');
    for (const file of files) expect(leaked(readFileSync(join(t.dataDir, file)).toString('utf8')), file).toEqual([]);

    expect(leaked(lines.join('\n'))).toEqual([]);
    // (The scan would see them: the spellings do reach the service.)
    expect(leaked(SPELLINGS.map(([s]) => s).join('、'))).toHaveLength(SPELLINGS.length);
  });
});

describe('the conversation store masks whatever it is given', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('in every free-text column, keeping the public numbers of the texts it was given and the verbatim quotes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-store-'));
    dirs.push(dir);
    const database = openDatabase(join(dir, 'policy.sqlite'));
    try {
      const hotline = '咨询电话024—31318629，联系人18516505505。';
      const store = new ConversationStore(database.db, { publicTexts: [`……${hotline}……`] });
      const quote = '联系人及电话：刘老师 13342407575';
      await store.saveMessage(
        {
          id: 'm1',
          conversationId: 'c1',
          question: '我的电话138-1234-5678',
          answer: `${hotline}您的问题是：我的电话+86 138 1234 5678`,
          answerable: true,
          declineReason: null,
          citations: [{ n: 1, docId: 'd', title: 't', section: 's', quote, start: 0, end: quote.length }],
          mode: 'llm',
          latencyMs: 1,
          topic: '电话１３８１２３４５６７８',
          coverage: 1,
          situation: { facts: { region: '沈阳 0086-13812345678' } },
          frame: { detail: '身份证110101 19900307 4518' },
          checks: { dropped: [{ sentence: '回电13812345678', reason: 'unsupported' }] },
          source: 'user',
          createdAt: new Date(),
        },
        true,
      );
      await store.saveFeedback({ id: 'f1', messageId: 'm1', helpful: true, comment: '代码91210100 mA0QW2B14k', createdAt: new Date() });
      const [message] = await store.messagesOf('c1');
      expect(message.question).toBe('我的电话138****5678');
      expect(message.answer).toBe(`${hotline}您的问题是：我的电话+86 138****5678`);
      expect(message.topic).toBe('电话138****5678');
      expect(message.situation).toEqual({ facts: { region: '沈阳 0086-138****5678' } });
      expect(message.frame).toEqual({ detail: '身份证110*************18' });
      expect(message.checks).toEqual({ dropped: [{ sentence: '回电138****5678', reason: 'unsupported' }] });
      expect(message.citations[0].quote).toBe(quote);
      expect((await store.feedbackFor('m1'))[0].comment).toBe('代码91**************4K');
    } finally {
      database.close();
    }
  });
});
