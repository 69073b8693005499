/**
 * Follow-up suggestions after an answer: questions about the same subject that the documents answer (the
 * question bank's standard questions), not what the answer already said nor the kind of detail already asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestService, type TestService } from '../support/app.ts';

describe('follow-up suggestions', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ TODAY: '2026-11-22' });
  });
  afterAll(() => t?.close());

  const ask = async (question: string, conversationId?: string) => {
    const res = await postJson(t.app, '/api/ask', { question, ...(conversationId ? { conversationId } : {}) });
    expect(res.status).toBe(200);
    return (await res.json()) as { answer: string; answerable: boolean; citations: Array<{ docId: string; quote: string }>; suggestions?: string[]; conversationId: string; understood?: { asked: string[] } };
  };

  it('offers two or three questions about the same campaign, each one the documents answer from that campaign', async () => {
    const first = await ask('金融兴辽的材料发哪个邮箱');
    expect(first.answerable).toBe(true);
    expect(first.suggestions?.length).toBeGreaterThanOrEqual(2);
    expect(first.suggestions!.length).toBeLessThanOrEqual(3);
    for (const suggestion of first.suggestions!) {
      expect(suggestion).not.toMatch(/邮箱/);
      const next = await ask(suggestion);
      expect(next.answerable, suggestion).toBe(true);
      expect(next.citations.every((c) => c.docId === first.citations[0].docId), suggestion).toBe(true);
      // Not the answer already given.
      expect(next.citations.map((c) => c.quote)).not.toEqual(first.citations.map((c) => c.quote));
    }
  });

  it('offers the newest answer’s suggestions again when the conversation is restored, and none for earlier answers', async () => {
    const first = await ask('金融兴辽的材料发哪个邮箱');
    const second = await ask('点数成金截止到哪天', first.conversationId);
    expect(second.suggestions?.length).toBeGreaterThanOrEqual(2);
    const history = await (await t.app.request(`/api/conversations/${first.conversationId}`)).json();
    expect(history.messages.at(-1).suggestions).toEqual(second.suggestions);
    expect(history.messages[0].suggestions).toBeUndefined();
    // A conversation whose newest answer was a decline offers none.
    const declined = await ask('帮我查一下明天沈阳飞北京的航班', first.conversationId);
    expect(declined.answerable).toBe(false);
    const after = await (await t.app.request(`/api/conversations/${first.conversationId}`)).json();
    expect(after.messages.every((m: { suggestions?: string[] }) => m.suggestions === undefined)).toBe(true);
  });

  it('offers none for a declined question', async () => {
    const declined = await ask('吉林省有没有担保费补贴');
    expect(declined.answerable).toBe(false);
    expect(declined.suggestions).toBeUndefined();
  });

  it('follows the conversation: a follow-up about the same subject gets that subject’s suggestions', async () => {
    const first = await ask('点数成金谁主办');
    const follow = await ask('截止啥时候', first.conversationId);
    expect(follow.answerable).toBe(true);
    expect(follow.suggestions?.length).toBeGreaterThan(0);
    expect(follow.suggestions!.every((s) => /点数成金/.test(s))).toBe(true);
  });
});
