import { describe, expect, it } from 'vitest';
import type { AskClient } from '../../src/evals/client.ts';
import { namedInOrder, runTrackSet, trackMetrics, trackSetSchema } from '../../src/evals/tracks.ts';

describe('namedInOrder', () => {
  it('lists the names a text uses in the order it first uses them, a longer name winning over one inside it', () => {
    const text = '推荐：1. 十大数字金融事件；2. “数据要素×”金融创新案例；3. 十大科技金融事件。';
    expect(namedInOrder(text, ['十大科技金融事件', '数据要素×', '“数据要素×”金融创新案例', '十大数字金融事件'])).toEqual([
      '十大数字金融事件',
      '“数据要素×”金融创新案例',
      '十大科技金融事件',
    ]);
  });
});

describe('runTrackSet', () => {
  const set = trackSetSchema.parse({
    today: '2026-12-06',
    cases: [
      {
        id: 't1',
        description: '沈阳一家城商行，做了普惠信贷产品',
        expect: { tracks: ['jxl-inclusive'], ineligible: [{ campaign: 'dianshu-chengjin-2025', why: '没在广东落地', source: { file: 'x.txt', quote: '落地应用于广东' } }] },
        trackNames: ['普惠金融深化'],
      },
      { id: 't2', description: '开火锅店的', expect: { noFit: true } },
    ],
  });
  const recommendations = [
    { trackId: 'jxl-inclusive', campaignId: 'jinrong-xingliao-2025', campaign: '金融兴辽', track: '普惠金融深化', eligible: true, failedRules: [], fits: true },
    { trackId: 'dscj-data', campaignId: 'dianshu-chengjin-2025', eligible: false, failedRules: [{ id: 'dscj-guangdong' }], fits: true },
  ];

  it('scores the recommendation, a named campaign without a rule id by any failed rule, and the chat answer by the names it gives first', async () => {
    const asked: string[] = [];
    const client: AskClient = {
      get: async () => ({ status: 200, body: {} }),
      post: async (path, body: any) => {
        if (path === '/api/ask') {
          asked.push(body.question);
          return { status: 200, body: { answerable: true, answer: '最合适的是“金融兴辽”普惠金融深化优秀案例[1]' } };
        }
        return body.case.description.includes('火锅') ? { status: 200, body: { recommendations: [], message: '没有合适的赛道' } } : { status: 200, body: { recommendations } };
      },
    };
    const results = await runTrackSet(set, client);
    expect(results.map((r) => [r.top1, r.eligibility, r.chatTop3, r.noFit])).toEqual([
      [true, true, true, null],
      [null, null, null, true],
    ]);
    // Only the case that names its tracks is typed into the chat.
    expect(asked).toEqual(['沈阳一家城商行，做了普惠信贷产品']);
    expect(trackMetrics(results).chatTop3).toBe(1);
    // The tracks by the names the service gave them, for the console.
    expect(results[0].names).toEqual({ 'jxl-inclusive': '金融兴辽·普惠金融深化' });
  });

  it('fails the chat when its answer declines or names other tracks first', async () => {
    const client: AskClient = {
      get: async () => ({ status: 200, body: {} }),
      post: async (path) => (path === '/api/ask' ? { status: 200, body: { answerable: false, answer: '普惠金融深化' } } : { status: 200, body: { recommendations } }),
    };
    const [first] = await runTrackSet(set, client);
    expect(first.chatTop3).toBe(false);
    expect(first.pass).toBe(false);
  });
});
