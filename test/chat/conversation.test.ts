/**
 * A conversation turn by turn, without HTTP: a follow-up inherits the last turn's subject, the stored message is the
 * one replied, a conversation that does not exist is not opened, and a quote that is not verbatim never leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/chat/conversation.ts';
import { startTestService, type TestService } from '../support/app.ts';

describe('Conversations', () => {
  let t: TestService;
  let conversations: Conversations;
  const logged: Array<{ event: string; fields: Record<string, unknown> }> = [];
  let ids = 0;
  beforeAll(async () => {
    t = await startTestService();
    const { corpus, answers, store } = t.services;
    conversations = new Conversations({
      corpus,
      answers,
      store,
      logger: { info: (event, fields) => logged.push({ event, fields }) },
      today: () => '2026-11-22',
      newId: () => `id-${++ids}`,
    });
  });
  afterAll(() => t?.close());

  it('opens a new conversation, answers with verbatim quotes and stores the turn as replied', async () => {
    const turn = await conversations.open({ question: '无还本续贷要提前多久向银行申请？' });
    expect(turn).not.toBeNull();
    expect(turn!.newConversation).toBe(true);
    const reply = await conversations.finish(turn!, await conversations.answer(turn!));
    expect(reply.answerable).toBe(true);
    expect(reply.citations.length).toBeGreaterThan(0);
    for (const c of reply.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
    const stored = await t.services.store.getMessage(reply.messageId);
    expect(stored).toMatchObject({ conversationId: reply.conversationId, question: '无还本续贷要提前多久向银行申请？', answer: reply.answer, source: 'user' });
  });

  it('carries the last turn over, so a follow-up may leave its subject out', async () => {
    const first = await conversations.open({ question: '信用修复在哪里办理？' });
    const reply = await conversations.finish(first!, await conversations.answer(first!));
    const next = await conversations.open({ question: '那要多久？', conversationId: reply.conversationId });
    expect(next).toMatchObject({ conversationId: reply.conversationId, newConversation: false });
    expect(next!.input.previousFrame).toBeDefined();
    expect(next!.input.previousTopic).toBe((await t.services.store.lastMessage(reply.conversationId))!.topic);
    const history = await conversations.history(reply.conversationId);
    expect(history!.messages.map((m) => m.question)).toEqual(['信用修复在哪里办理？']);
  });

  it('does not open, or read back, a conversation that does not exist', async () => {
    expect(await conversations.open({ question: '续贷条件？', conversationId: 'no-such-conversation' })).toBeNull();
    expect(await conversations.history('no-such-conversation')).toBeNull();
    expect(await conversations.history('x'.repeat(65))).toBeNull();
  });

  it('refuses to reply with a quote that is not a verbatim span of its document, and stores nothing', async () => {
    const turn = await conversations.open({ question: '无还本续贷要提前多久向银行申请？' });
    const answer = await conversations.answer(turn!);
    const forged = { ...answer, citations: answer.citations.map((c, i) => (i === 0 ? { ...c, quote: `${c.quote}（另加一句）` } : c)) };
    const before = ids;
    await expect(conversations.finish(turn!, forged)).rejects.toThrow(/unverifiable quote/);
    expect(ids).toBe(before);
    expect(await t.services.store.conversationExists(turn!.conversationId)).toBe(false);
  });

  it('reads a stated profile against today', async () => {
    const turn = await conversations.open({ question: '我们能续贷吗？', profile: { size: 'micro_small' } });
    expect(turn!.input.profile).toMatchObject({ size: 'micro_small' });
  });
});
