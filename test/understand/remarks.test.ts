import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trailingRemarks, withoutStory } from '../../src/text/asking.ts';
import { converse, startTestService, type TestService } from '../support/app.ts';

/**
 * Questions typed the way people type (set L, sixth round, issue 12): what follows the question is often a remark
 * about the asker's hurry or purpose (「领导催着要」「我要写汇报」「这周有个deadline」). It says nothing of what is asked.
 */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0', TODAY: '2026-12-07' });
});
afterAll(() => t.close());

const ask = async (question: string) => (await converse(t, question))[0];

describe('remarks after the question', () => {
  it('finds them after the last clause that asks or requests', () => {
    expect(trailingRemarks('点数成金材料寄到哪？处长下班前要看，我怕弄错')).toBe('处长下班前要看，我怕弄错');
    // A request asks: 「地址给我一下」 is no remark.
    expect(trailingRemarks('材料往哪寄，地址给我一下')).toBe('');
    expect(trailingRemarks('那个名单能查到吗，帮我找一份')).toBe('');
    // Nothing asks: no remark can be told from the question.
    expect(trailingRemarks('我们是沈阳的银行，去年做了个项目')).toBe('');
    // The story before the question is not a remark.
    expect(trailingRemarks('新质生产力要交商标图，我手上是个PNG，能直接交吗')).toBe('');
  });

  it('answers the asked contact when a remark about hurry follows it', async () => {
    const reply = await ask('点数成金的纸质材料邮寄到哪儿？处长下班前就要看，千万别整错');
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('天河北路888号');
  });

  it('does not read a 下班 or a deadline in the remark as a detail asked', async () => {
    const email = await ask('新质生产力的申报材料发哪个邮箱？老板让我下班前弄完');
    expect(email.answerable).toBe(true);
    expect(email.answer).toContain('zhaofeifei1@xinhua.org');
    // 「这周有个deadline」 asks no date: the answer is the quota's figure, not a date of the platform's goals.
    const quota = await ask('在线测额最多能测出多少额度？我们月底有个deadline');
    expect(quota.answerable).toBe(true);
    expect(quota.answer).toContain('300万');
    expect(quota.answer).not.toContain('2027年底');
  });
});

describe('the asker’s story before the question', () => {
  it('is the statements about the asker or their plans, not a statement that names what is asked about', () => {
    expect(withoutStory('俺是铁岭农商行的，打算整个材料报点数成金。这个都分几类？')).toBe('这个都分几类？');
    expect(withoutStory('申报书后面那个附件，必交的是哪几样？')).toBe('申报书后面那个附件，必交的是哪几样？');
    // Nothing asks: the story is all there is.
    expect(withoutStory('我们是沈阳的银行，准备报名')).toBe('我们是沈阳的银行，准备报名');
  });

  it('does not take a detail the story names (材料) for the one asked (the list of categories)', async () => {
    const reply = await ask('俺是丹东的农商行，寻思整个材料报金融兴辽。这个都有啥案例类别？全给列出来');
    expect(reply.answerable).toBe(true);
    expect(reply.answer).toContain('“金融兴辽”融合发展优秀案例');
    expect(reply.answer).toContain('ESG');
  });
});
