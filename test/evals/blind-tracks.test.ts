import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importWrittenTracks } from '../../src/evals/blind-tracks.ts';

const catalogue = readdirSync('corpus/campaigns')
  .filter((f) => f.endsWith('.json') && !f.endsWith('-application.json'))
  .map((f) => JSON.parse(readFileSync(join('corpus/campaigns', f), 'utf8')));

describe('importWrittenTracks', () => {
  it('maps the names the documents use to catalogue ids and keeps the names for the chat', () => {
    const set = importWrittenTracks(
      {
        today: '2026-12-06',
        cases: [
          {
            id: 'w1',
            description: '……',
            expect: {
              tracks: [
                { campaign: '金融兴辽', track: '普惠金融深化' },
                { campaign: '点数成金', track: '“数据要素×”金融创新案例' },
                { campaign: '十大事件', track: '上海示范案例' },
                { campaign: '金融新质生产力', track: '知识产权金融创新' },
              ],
              ineligible: [{ campaign: '点数成金', why: '没在广东落地', source: { file: 'f', quote: 'q' } }],
            },
          },
          { id: 'w2', description: '……', expect: { noFit: true } },
        ],
      },
      catalogue,
    );
    expect(set.cases[0].expect.tracks).toEqual(['jxl-inclusive', 'dscj-data', 't10-shanghai', 'xz-2-2']);
    expect(set.cases[0].expect.ineligible).toEqual([{ campaign: 'dianshu-chengjin-2025', why: '没在广东落地', source: { file: 'f', quote: 'q' } }]);
    expect(set.cases[0].trackNames).toContain('普惠金融深化');
    expect(set.cases[1]).toEqual({ id: 'w2', description: '……', expect: { noFit: true } });
  });

  it('refuses a name that denotes no track, naming the case', () => {
    expect(() =>
      importWrittenTracks({ today: '2026-12-06', cases: [{ id: 'w9', description: '…', expect: { tracks: [{ campaign: '金融兴辽', track: '区块链' }] } }] }, catalogue),
    ).toThrow(/w9: track 「区块链」/);
  });
});
