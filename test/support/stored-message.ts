import type { StoredMessage } from '../../src/db/store.ts';

/** A stored answer whose text is longer than a SQLite page, so that storing it always needs a new one. */
export function longStoredMessage(id: string): StoredMessage {
  return {
    id,
    conversationId: `c-${id}`,
    question: '担保费补贴标准是什么？',
    answer: '按年化担保费率的一定比例给予补贴。'.repeat(100),
    answerable: true,
    declineReason: null,
    citations: [],
    mode: 'extractive',
    latencyMs: 1,
    topic: '担保费补贴',
    coverage: 1,
    situation: null,
    frame: null,
    checks: null,
    source: 'user',
    createdAt: new Date(),
  };
}
