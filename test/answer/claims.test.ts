/**
 * Claim-level grounding of model sentences (src/answer/claims.ts) and the
 * streaming grounder (src/answer/llm.ts), on the stored corpus: a sentence is
 * shown only when what it says is what the quotes it cites say.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkClaim, isMeaningfulQuote, normalizeClaimText } from '../../src/answer/claims.ts';
import { DraftGrounder, type Passage } from '../../src/answer/llm.ts';
import type { Corpus } from '../../src/corpus/corpus.ts';
import type { Chunk } from '../../src/corpus/chunk.ts';
import { loadCorpus } from '../support/corpus.ts';

const PLACES = ['辽宁', '吉林', '沈阳', '大连', '上海', '广州', '北京'];
const CTX = { places: PLACES };
const SUBSIDY = '对单户500万元以下且担保费率不超过1%的担保业务，省财政给予0.5%的担保费补贴。';
const RENEWAL = '对符合条件的小微企业，到期贷款可申请无还本续贷。';
const HOTLINE = '咨询电话：024-22853312。';
const EMAIL = '联系邮箱：lnjr@163.com，网址https://xyln.ln.gov.cn。';

const reason = (sentence: string, quotes: string[], computed?: string[]) => {
  const check = checkClaim(sentence, quotes, { ...CTX, computed });
  return check.ok ? 'ok' : check.reason;
};

describe('checkClaim', () => {
  it('passes a sentence that restates its quote, in other words or other numerals', () => {
    expect(reason('省财政对单户500万元以下、担保费率不超过1%的担保业务给予0.5%的担保费补贴[1]。', [SUBSIDY])).toBe('ok');
    expect(reason('小微企业贷款到期后可以申请无还本续贷[1]。', [RENEWAL])).toBe('ok');
    expect(reason('单户五百万元以下的担保业务，省财政给予百分之零点五的担保费补贴[1]。', [SUBSIDY])).toBe('ok');
    expect(reason('可拨打024－22853312咨询[1]。', [HOTLINE])).toBe('ok');
    expect(reason('邮箱是LNJR@163.com[1]。', [EMAIL])).toBe('ok');
  });

  it('drops a figure, amount, percentage or date the quotes do not hold', () => {
    expect(reason('担保费补贴比例为5%[1]。', [SUBSIDY])).toBe('unsupported_value');
    expect(reason('担保费补贴比例为百分之五[1]。', [SUBSIDY])).toBe('unsupported_value');
    expect(reason('单户1000万元以下的担保业务可获补贴[1]。', [SUBSIDY])).toBe('unsupported_value');
    expect(reason('单户五百万以下的担保业务可获0.5%的担保费补贴[1]。', [SUBSIDY])).toBe('ok');
    expect(reason('2025年12月31日前可申请无还本续贷[1]。', [RENEWAL])).toBe('unsupported_value');
  });

  it('accepts a value the rule engine computed for the question, and only that', () => {
    const said = '按您说的230字计，超出200字的上限30字[1]。';
    const quote = '简介不超过200字。';
    expect(reason(said, [quote])).toBe('unsupported_value');
    expect(reason(said, [quote], ['按230字计，超出200字的上限30字。'])).toBe('ok');
  });

  it('drops an invented phone number, e-mail address or web address', () => {
    expect(reason('可拨打咨询电话024-88886666[1]。', [HOTLINE])).toBe('unsupported_value');
    expect(reason('可拨打13912345678咨询[1]。', [HOTLINE])).toBe('unsupported_value');
    expect(reason('材料发到fake@qq.com[1]。', [EMAIL])).toBe('unsupported_value');
    expect(reason('登录https://dbbt.ln.gov.cn办理[1]。', [EMAIL])).toBe('unsupported_value');
  });

  it('drops a place or an organisation the quotes do not name', () => {
    expect(reason('吉林省企业也可申请无还本续贷[1]。', [RENEWAL])).toBe('unsupported_value');
    expect(reason('请联系沈阳市金融服务中心办理[1]。', ['可到辽宁省金融服务中心办理。'])).toBe('unsupported_value');
    expect(reason('请联系辽宁省金融服务中心办理[1]。', ['可到辽宁省金融服务中心办理。'])).toBe('ok');
    expect(reason('可向省融资担保协会申请担保费补贴[1]。', [SUBSIDY])).toBe('unsupported_value');
  });

  it('drops a predicate whose negation is flipped against the quotes', () => {
    expect(reason('担保费率超过1%的担保业务也给予0.5%的担保费补贴[1]。', [SUBSIDY])).toBe('negation_flip');
    expect(reason('小微企业不能申请无还本续贷[1]。', [RENEWAL])).toBe('negation_flip');
    expect(reason('无需向财政部门提出申请[1]。', ['企业需向财政部门提出申请。'])).toBe('negation_flip');
    expect(reason('需要向财政部门提出申请[1]。', ['企业无需向财政部门提出申请。'])).toBe('negation_flip');
    // The same polarity in other words passes.
    expect(reason('担保费率不得超过1%[1]。', [SUBSIDY])).toBe('ok');
  });

  it('drops a sweeping quantifier the quotes do not have', () => {
    expect(reason('所有企业均可申请担保费补贴[1]。', [SUBSIDY])).toBe('unsupported_quantifier');
    expect(reason('担保业务一律给予0.5%的担保费补贴[1]。', [SUBSIDY])).toBe('unsupported_quantifier');
  });

  it('drops a sentence cited to a quote about something else', () => {
    expect(reason('企业可以申请无还本续贷[1]。', [HOTLINE])).toBe('unrelated_quote');
    expect(reason('担保业务可以享受省财政的担保费补贴[1]。', ['2027年底前，民营企业广泛运用担保进行增信，充分发挥担保增信作用。'])).toBe('unrelated_quote');
  });

  it('normalises numerals, separators and date forms the same way on both sides', () => {
    expect(normalizeClaimText('截至2025-10-31，共三个百分点，十五个工作日，1,200万元')).toBe('截至2025年10月31日,共3个百分点,15个工作日,1200万元');
    expect(normalizeClaimText('百分之零点五')).toBe('0.5%');
  });
});

describe('isMeaningfulQuote', () => {
  const text = '一、总则\n对符合条件的小微企业，到期贷款可申请无还本续贷。担保费补贴标准见下文。';
  const span = (quote: string) => {
    const start = text.indexOf(quote);
    return isMeaningfulQuote(text, start, start + quote.length);
  };
  it('accepts whole sentences and clauses', () => {
    expect(span('对符合条件的小微企业，到期贷款可申请无还本续贷。')).toBe(true);
    expect(span('到期贷款可申请无还本续贷')).toBe(true);
  });
  it('rejects fragments and spans too short to support anything', () => {
    expect(span('担保费补贴')).toBe(false);
    expect(span('小微企业，到期贷款')).toBe(false);
    expect(span('总则')).toBe(false);
  });
});

describe('DraftGrounder', () => {
  let corpus: Corpus;
  let chunk: Chunk;
  let passages: Passage[];
  let quote: string;
  let citations: Array<{ n: number; passageId: string; quote: string }>;
  beforeAll(async () => {
    corpus = await loadCorpus();
    // A passage of the stored corpus and a whole clause of it that names a figure.
    chunk = corpus.chunks.find((c) => /省财政给予0\.5%的担保费补贴/.test(c.text))!;
    passages = [{ id: 'P1', chunk }];
    quote = /[^。，]*省财政给予0\.5%的担保费补贴[^。，]*[。，]/.exec(chunk.text)![0];
    citations = [{ n: 1, passageId: 'P1', quote }];
  });
  const grounder = () => new DraftGrounder(corpus, passages, CTX, { maxChars: 400, maxCitations: 20 });

  it('finds its test passage', () => {
    expect(chunk).toBeDefined();
    expect(chunk.text).toContain(quote);
  });

  it('shows each sentence as soon as it is complete when the citations came first', () => {
    const g = grounder();
    const good = '省财政给予担保业务0.5%的担保费补贴[1]。';
    expect(g.feed({ answerable: true, citations }, false)).toEqual([]);
    // The sentence's marker is still being written: nothing yet.
    expect(g.feed({ answerable: true, citations, answer: good.slice(0, -4) + '[' }, false)).toEqual([]);
    const shown = g.feed({ answerable: true, citations, answer: `${good}担保费补贴比例` }, false);
    expect(shown.map((s) => s.text)).toEqual([good]);
    expect(shown[0].claims.map((c) => c.text)).toEqual([quote]);
    // The next sentence, with a figure the quote does not hold, is dropped when complete.
    expect(g.feed({ answerable: true, citations, answer: `${good}担保费补贴比例为5%[1]。` }, true)).toEqual([]);
    expect(g.dropped.map((d) => [d.reason, d.detail])).toEqual([['unsupported_value', '5%']]);
    expect(g.composition()!.text).toBe(good);
  });

  it('waits for the end when the model wrote the answer before its citations', () => {
    const g = grounder();
    const good = '省财政给予0.5%的担保费补贴[1]。';
    expect(g.feed({ answerable: true, answer: `${good}另` }, false)).toEqual([]);
    expect(g.feed({ answerable: true, answer: good, citations }, true).map((s) => s.text)).toEqual([good]);
  });

  it('drops sentences citing a fabricated or fragmentary quote, renumbering what is shown', () => {
    const g = grounder();
    const draft = {
      answerable: true,
      citations: [
        { n: 1, passageId: 'P1', quote: '省财政给予5%的担保费补贴。' },
        { n: 2, passageId: 'P1', quote: '担保费补贴' },
        { n: 3, passageId: 'P1', quote },
      ],
      answer: '补贴比例为5%[1]。省财政有担保费补贴[2]。省财政给予0.5%的担保费补贴[3]。',
    };
    const shown = g.feed(draft, true);
    expect(shown.map((s) => s.text)).toEqual(['省财政给予0.5%的担保费补贴[1]。']);
    expect(g.dropped.map((d) => d.reason)).toEqual(['unverified_quote', 'fragment_quote']);
  });

  it('stops at the length limit and shows nothing past it', () => {
    const g = new DraftGrounder(corpus, passages, CTX, { maxChars: 60, maxCitations: 20 });
    const good = '省财政给予0.5%的担保费补贴[1]。';
    const shown = g.feed({ answerable: true, citations, answer: good.repeat(10) }, true);
    expect(shown.length).toBe(3);
    expect(g.full).toBe(true);
    expect(g.composition()!.text.length).toBeLessThanOrEqual(60);
    expect(g.dropped.every((d) => d.reason === 'too_long')).toBe(true);
  });

  it('stops a run of text with no sentence end longer than the whole answer may be', () => {
    const g = grounder();
    g.feed({ answerable: true, citations, answer: 'x'.repeat(2_000) }, false);
    expect(g.full).toBe(true);
    expect(g.composition()).toBeNull();
  });

  it('shows nothing when the model declines', () => {
    const g = grounder();
    expect(g.feed({ answerable: false, citations, answer: '省财政给予0.5%的担保费补贴[1]。' }, true)).toEqual([]);
    expect(g.composition()).toBeNull();
  });
});
