import { describe, expect, it } from 'vitest';
import { dialogueMetrics, dialogueSetSchema, judgeAnswerTurn, judgeDeclineTurn, runDialogueSet, verdictOf, type AnswerTurn } from '../../src/evals/dialogues.ts';
import type { AskClient } from '../../src/evals/client.ts';

const turn = (over: Partial<AnswerTurn> = {}): AnswerTurn => ({
  question: '新质生产力的邮箱是啥',
  expect: 'answer',
  askedType: 'email',
  facts: ['zhaofeifei1@xinhua.org'],
  sources: [{ docId: 'xinzhi-shengchanli-2025', quote: '统一发送至邮箱：zhaofeifei1@xinhua.org' }],
  ...over,
});
const cite = (docId: string) => ({ n: 1, docId, title: '', section: '', quote: 'x', start: 0, end: 1 });

describe('verdictOf', () => {
  it('reads the yes or no an answer opens with', () => {
    expect(verdictOf('可以。对2027年9月30日前到期的……[1]')).toBe('yes');
    expect(verdictOf('符合。单户200万元……')).toBe('yes');
    expect(verdictOf('是的，申报方向为单选。')).toBe('yes');
    expect(verdictOf('不可以。申报方向（单选）[1]')).toBe('no');
    expect(verdictOf('暂不符合。贵企业的流动资金贷款……')).toBe('no');
    expect(verdictOf('不需要，企业自动享受……')).toBe('no');
    expect(verdictOf('没有。原文只写了……')).toBe('no');
  });

  it('finds no verdict in an answer that only quotes the rule', () => {
    expect(verdictOf('申报方向（单选）[1]')).toBeNull();
    expect(verdictOf('全面落实无还本续贷政策，鼓励银行机构……')).toBeNull();
  });

  it('ignores width and spacing', () => {
    expect(verdictOf('  可以，[1]')).toBe('yes');
  });
});

describe('judgeAnswerTurn', () => {
  it('is right when every fact is stated and the asked document is cited', () => {
    const body = { answerable: true, answer: '发送至邮箱：zhaofeifei1@xinhua.org[1]', citations: [cite('xinzhi-shengchanli-2025')] };
    expect(judgeAnswerTurn(turn(), body, ['xinzhi-shengchanli-2025'])).toEqual({ judgement: 'right', problems: [] });
  });

  it('is wrong when another subject answers: a missing fact and another document', () => {
    const body = { answerable: true, answer: '发送至邮箱：JRXL2025@126.com[1]', citations: [cite('jinrong-xingliao-2025')] };
    const judged = judgeAnswerTurn(turn(), body, ['xinzhi-shengchanli-2025']);
    expect(judged.judgement).toBe('wrong');
    expect(judged.problems.join()).toContain('zhaofeifei1@xinhua.org');
    expect(judged.problems.join()).toContain('引用的不是所问文件');
  });

  it('counts a decline apart from a wrong answer', () => {
    expect(judgeAnswerTurn(turn(), { answerable: false, answer: '抱歉', citations: [] }, []).judgement).toBe('declined');
  });

  it('accepts any one of a fact’s alternatives, in any width', () => {
    const t = turn({ facts: [['10月9日', '2025年10月9日']], askedType: 'date' });
    expect(judgeAnswerTurn(t, { answerable: true, answer: '报送截止时间：2025年10月９日[1]', citations: [cite('a')] }, ['a']).judgement).toBe('right');
  });

  it('needs the right verdict first for a yes/no question', () => {
    const t = turn({ askedType: 'yesno', yesNo: 'no', facts: ['单选'] });
    const quoted = { answerable: true, answer: '申报方向（单选）[1]', citations: [cite('a')] };
    expect(judgeAnswerTurn(t, quoted, ['a']).judgement).toBe('wrong');
    expect(judgeAnswerTurn(t, { ...quoted, answer: '不可以。申报方向（单选）[1]' }, ['a']).judgement).toBe('right');
    expect(judgeAnswerTurn(t, { ...quoted, answer: '可以。申报方向（单选）[1]' }, ['a']).judgement).toBe('wrong');
  });

  it('counts an answer that says the documents give no plain yes or no as declining the verdict, not as wrong', () => {
    const t = turn({ askedType: 'yesno', yesNo: 'no', facts: ['单选'] });
    const hedged = { answerable: true, answer: '原文没有直接给出“是”或“否”的说法，相关原文如下：申报方向（单选）[1]', citations: [cite('a')] };
    expect(judgeAnswerTurn(t, hedged, ['a']).judgement).toBe('declined');
    // Only that plain statement: any other opening without a verdict is still wrong.
    expect(judgeAnswerTurn(t, { ...hedged, answer: '相关原文如下：申报方向（单选）[1]' }, ['a']).judgement).toBe('wrong');
  });
});

describe('judging eligibility the rules leave open, and computed values', () => {
  it('counts a plain yes or no as wrong where the rules turn on a fact the user did not give; a conditional answer is right', () => {
    const t = turn({ askedType: 'yesno', yesNo: 'depends', facts: ['2027年9月30日'] });
    const body = (answer: string) => ({ answerable: true, answer, citations: [cite('a')] });
    expect(judgeAnswerTurn(t, body('可以。对2027年9月30日前到期的……[1]'), ['a']).judgement).toBe('wrong');
    expect(judgeAnswerTurn(t, body('不可以。2027年9月30日[1]'), ['a']).judgement).toBe('wrong');
    expect(judgeAnswerTurn(t, body('有条件可以，要看以下条件：对2027年9月30日前到期的……[1]'), ['a']).judgement).toBe('right');
    expect(judgeAnswerTurn(t, body('要看贷款哪天到期：2027年9月30日前到期的……[1]'), ['a']).judgement).toBe('right');
    // The condition's values are still required.
    expect(judgeAnswerTurn(t, body('要看情况。请问贵企业是哪类企业？'), ['a']).judgement).toBe('wrong');
  });

  it('needs a computed value in any of its spellings, and compares dates by value', () => {
    const t = turn({ askedType: 'date', facts: ['1个月'], computed: [['2027年5月20日', '2027-05-20']] });
    const body = (answer: string) => ({ answerable: true, answer, citations: [cite('a')] });
    expect(judgeAnswerTurn(t, body('最晚在2027-5-20前提出，可提前1个月[1]'), ['a']).judgement).toBe('right');
    expect(judgeAnswerTurn(t, body('最晚2027年05月20日，可提前1个月[1]'), ['a']).judgement).toBe('right');
    const missing = judgeAnswerTurn(t, body('可提前1个月[1]'), ['a']);
    expect(missing.judgement).toBe('wrong');
    expect(missing.problems.join()).toContain('计算结果');
  });

  it('reports the share of denied or open eligibility answered with a plain yes', async () => {
    const set = dialogueSetSchema.parse({
      today: '2026-12-06',
      cases: [
        { id: 'n', category: 'eligibility', turns: [turn({ question: '中型企业固贷能续吗', askedType: 'yesno', yesNo: 'no', facts: ['单选'] })] },
        { id: 'd', category: 'eligibility', turns: [turn({ question: '能续吗', askedType: 'yesno', yesNo: 'depends', facts: ['单选'] })] },
        { id: 'y', category: 'arithmetic', turns: [turn({ question: '小微能续吗', askedType: 'yesno', yesNo: 'yes', facts: ['单选'] })] },
      ],
    });
    const client: AskClient = {
      get: async () => ({ status: 200, body: {} }),
      post: async () => ({ status: 200, body: { answerable: true, answer: '可以。申报方向（单选）[1]', citations: [cite('a')] } }),
    };
    const m = dialogueMetrics(await runDialogueSet(set, client, () => 'a'));
    expect(m.falseYesRate).toBe(1);
    expect(m.eligibilityAccuracy).toBe(0);
    expect(m.arithmeticAccuracy).toBe(1);
  });
});

describe('judgeDeclineTurn', () => {
  it('is right only for a decline without citations', () => {
    expect(judgeDeclineTurn({ answerable: false, citations: [] }).judgement).toBe('right');
    expect(judgeDeclineTurn({ answerable: true, citations: [cite('a')] }).judgement).toBe('wrong');
  });
});

describe('runDialogueSet', () => {
  it('carries the conversation from turn to turn and tallies follow-ups, declines and types', async () => {
    const set = dialogueSetSchema.parse({
      today: '2026-12-05',
      cases: [
        {
          id: 'd1',
          category: 'followup',
          turns: [
            { question: '新质生产力咋报名', expect: 'answer', askedType: 'steps', facts: ['申报表'], sources: [{ docId: 'x', quote: '申报表' }] },
            turn(),
          ],
        },
        { id: 'd2', category: 'decline', turns: [{ question: '吉林有担保费补贴吗', expect: 'decline', declineKind: 'out_of_scope' }] },
      ],
    });
    const seen: Array<{ question: string; conversationId?: string }> = [];
    const client: AskClient = {
      get: async () => ({ status: 200, body: {} }),
      post: async (_path, body: any) => {
        seen.push(body);
        if (body.question.startsWith('吉林')) return { status: 200, body: { answerable: true, answer: '省财政给予0.5%的担保费补贴[1]', citations: [cite('liaoning-measures-2025')], conversationId: 'c2' } };
        if (body.question.includes('邮箱')) return { status: 200, body: { answerable: false, answer: '抱歉', citations: [], conversationId: 'c1' } };
        return { status: 200, body: { answerable: true, answer: '填写申报表[1]', citations: [cite('xinzhi-shengchanli-2025')], conversationId: 'c1' } };
      },
    };
    const results = await runDialogueSet(set, client, (s) => (s.docId === 'x' ? 'xinzhi-shengchanli-2025' : s.docId));
    expect(seen.map((s) => s.conversationId)).toEqual([undefined, 'c1', undefined]);
    expect(results.map((r) => r.turns.map((t) => t.judgement))).toEqual([['right', 'declined'], ['wrong']]);
    const m = dialogueMetrics(results);
    // Fact accuracy counts single fact questions only: this set has none.
    expect(m.answerAccuracy).toBeNull();
    expect(m.followUpAccuracy).toBe(0);
    expect(m.outOfScopeDeclined).toBe(0);
    expect(m.noDetailDeclined).toBeNull();
    expect(m.byCategory.followup).toMatchObject({ turns: 2, right: 1, declined: 1 });
    expect(m.byCategory.decline).toMatchObject({ turns: 1, wrong: 1 });
    expect(m.overall).toMatchObject({ turns: 3, right: 1, wrong: 1, declined: 1 });
    expect(m.overall.wrongAnswerRate).toBeCloseTo(1 / 3);
    expect(m.overall.declineRate).toBe(0.5);
    expect(m.byType.email).toMatchObject({ turns: 1, declined: 1 });
    expect(m.byType.decline).toMatchObject({ turns: 1, wrong: 1 });
  });
});
