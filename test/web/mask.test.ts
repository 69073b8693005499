import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/web/mask.ts';
import { postJson, startTestService } from '../support/app.ts';

describe('maskPersonalData', () => {
  it.each([
    ['我的手机13912345678，请回电', '我的手机139****5678，请回电'],
    ['座机024-31318629', '座机024-******29'],
    ['身份证号110101199003074518', '身份证号110*************18'],
    ['身份证21010219851231002X', '身份证210*************2X'],
    ['信用代码91210100MA0QW2B14K', '信用代码91**************4K'],
  ])('%s', (input, expected) => expect(maskPersonalData(input)).toBe(expected));

  it('leaves a digit run inside a hexadecimal identifier alone (a request id is no phone number)', () => {
    const id = '9b2f9488-e0b1-4aec-8169-6d0703123409';
    expect(maskPersonalData(id)).toBe(id);
    expect(maskPersonalData('trace c13912345678d')).toBe('trace c13912345678d');
  });

  it('leaves figures that are not personal data alone', () => {
    const text = '担保600万、费率0.9%，2027年9月30日到期，举报电话12378，测额300万元';
    expect(maskPersonalData(text)).toBe(text);
  });
});

describe('stored questions and feedback', () => {
  it('are masked in the database while the answer is computed from the original', async () => {
    const t = await startTestService();
    try {
      const body = await (await postJson(t.app, '/api/ask', { question: '信用修复要多久？我的电话13912345678，请回电' })).json();
      expect(body.answerable).toBe(true);
      await postJson(t.app, '/api/feedback', { messageId: body.messageId, helpful: true, comment: '请打我手机13987654321' });
      const row = t.services.sqlite.prepare('select question, topic, frame from messages where id = ?').get(body.messageId) as { question: string; topic: string; frame: string | null };
      expect(row.question).toBe('信用修复要多久？我的电话139****5678，请回电');
      expect(row.topic).not.toContain('13912345678');
      // The frame keeps the question's own words for a follow-up: masked too.
      expect(row.frame).toContain('139****5678');
      expect(row.frame).not.toContain('13912345678');
      const fb = t.services.sqlite.prepare('select comment from feedback where message_id = ?').get(body.messageId) as { comment: string };
      expect(fb.comment).toBe('请打我手机139****4321');
    } finally {
      t.close();
    }
  });
});
