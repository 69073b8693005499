import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskPersonalData, maskPersonalDataIn, publicNumbersIn } from '../../src/text/personal-data.ts';
import { postJson, startTestService } from '../support/app.ts';

const DOCS = join(import.meta.dirname, '../../corpus/docs');
const corpusTexts = readdirSync(DOCS)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(DOCS, f), 'utf8'));

/** A text as a scan for leaks reads it: NFKC, upper case, with everything but letters, digits and stars gone. */
const compact = (text: string) => text.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z*]/g, '');

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

  // Each spelling a person might type, the number it spells, and the text it must become (the sentence around it intact).
  it.each([
    ['请回电+86 138 1234 5678，谢谢', '13812345678', '请回电+86 138****5678，谢谢'],
    ['请回电(+86)13812345678', '13812345678', '请回电(+86)138****5678'],
    ['手机138-1234-5678', '13812345678', '手机138****5678'],
    ['手机138 1234 5678。', '13812345678', '手机138****5678。'],
    ['手机１３８１２３４５６７８', '13812345678', '手机138****5678'],
    ['手机１３８－１２３４－５６７８', '13812345678', '手机138****5678'],
    ['手机138\u200b1234\u200b5678', '13812345678', '手机138****5678'],
    ['手机1\u200c3\u200d8\ufeff1\u20602345678', '13812345678', '手机138****5678'],
    ['手机0086-13812345678', '13812345678', '手机0086-138****5678'],
    ['手机86-13812345678', '13812345678', '手机86-138****5678'],
    ['手机+8613812345678', '13812345678', '手机+86138****5678'],
    ['手机138.1234.5678', '13812345678', '手机138****5678'],
    ['手机138—1234—5678', '13812345678', '手机138****5678'],
    ['座机024-88886666', '02488886666', '座机024-******66'],
    ['座机（024）8888 6666', '02488886666', '座机（024）******66'],
    ['座机024－8888－6666', '02488886666', '座机024－******66'],
    ['座机+86 24 8888 6666', '2488886666', '座机+86 24 ******66'],
    ['身份证110101199003074518', '110101199003074518', '身份证110*************18'],
    ['身份证21010219851231002x', '21010219851231002X', '身份证210*************2X'],
    ['身份证110101 19900307 4518', '110101199003074518', '身份证110*************18'],
    ['老身份证110101900307451', '110101900307451', '老身份证110**********51'],
    ['代码91210100MA0QW2B14K', '91210100MA0QW2B14K', '代码91**************4K'],
    ['代码91210100ma0qw2b14k', '91210100MA0QW2B14K', '代码91**************4K'],
    ['代码91210100 mA0QW2B14k', '91210100MA0QW2B14K', '代码91**************4K'],
    ['代码9121 0100 MA0Q W2B1 4K', '91210100MA0QW2B14K', '代码91**************4K'],
    ['代码９１２１０１００ＭＡ０ＱＷ２Ｂ１４Ｋ', '91210100MA0QW2B14K', '代码91**************4K'],
    ['两个号码13912345678 13812345678', '13812345678', '两个号码139****5678 138****5678'],
    ['加粗**13812345678**', '13812345678', '加粗**138****5678**'],
    ['手机⑬81234⑤⑥⑦⑧', '13812345678', '手机138****5678'],
    // (A credit code may hold as few as six digits.)
    ['代码NA210100MAQWTBHKLY', 'NA210100MAQWTBHKLY', '代码NA**************LY'],
  ])('%s', (input, number, expected) => {
    const masked = maskPersonalData(input);
    expect(masked).toBe(expected);
    expect(compact(masked)).not.toContain(number);
    expect(maskPersonalData(masked)).toBe(masked);
  });

  it.each([
    '2025年10月9日前申报，额度300万元，最高1000万元',
    '日期2025-10-09，时间10:00:00，编号2025.10.09',
    '请求 0193a3b4-1234-7123-8123-012345678901 与 9b2f9488-e0b1-4aec-8169-6d0703123409',
    '/api/conversations/0193a3b4-1234-7123-8123-012345678901',
    '利率1.35%，贷款期限3至5年，第1 2 3条',
    '客服热线12378、95588，邮编110000',
  ])('leaves %s alone', (text) => expect(maskPersonalData(text)).toBe(text));

  it("keeps the corpus's public numbers (hotlines, contacts) however they are written, and masks the person's beside them", () => {
    const keep = publicNumbersIn(corpusTexts);
    expect(keep).toContain('02431318629');
    expect(keep).toContain('18516505505');
    const answer = '咨询电话024—31318629，或拨024-3131 8629、185 1650 5505；您留的电话13812345678';
    expect(maskPersonalData(answer, { keep })).toBe('咨询电话024—31318629，或拨024-3131 8629、185 1650 5505；您留的电话138****5678');
    // Without the list, those are masked like any other number.
    expect(maskPersonalData('咨询电话024—31318629', {})).toBe('咨询电话024—******29');
  });

  it('is idempotent and never throws, whatever it is given', () => {
    const odd = ['', '\ud800138123456789', '1'.repeat(10_000), '１'.repeat(2_000) + '\u200b', '(((((((((((((((((1', '＋８６　１３８　１２３４　５６７８'];
    for (const text of odd) {
      const once = maskPersonalData(text);
      expect(maskPersonalData(once)).toBe(once);
    }
    expect(maskPersonalData(undefined as unknown as string)).toBeUndefined();
  });

  it('finds every number it is shown, in any spelling and any surroundings (seeded random texts)', () => {
    let seed = 20261207;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const digitForms = [(d: string) => d, (d: string) => String.fromCharCode(0xff10 + Number(d)), (d: string) => (d === '0' ? d : String.fromCharCode(0x245f + Number(d)))];
    const separators = ['', '', '', ' ', '-', '\u200b', '—', '.', '\u00ad'];
    // (Text before may end in figures or a space; text after never starts with a digit, which would make a longer number.)
    const before = ['', '电话', '，', '2025年', '联系人张三', '手机号是', '2025-10-09 ', '额度300万 ', ':', '\n'];
    const after = ['', '，谢谢', '。', ' 联系人', '\n', '（白天）', '年内', ' 额度300万'];
    const numbers = ['13812345678', '15904051234', '110101199003074518', '21010219851231002X', '91210100MA0QW2B14K', 'NA210100MAQWTBHKLY'];
    for (let round = 0; round < 2_000; round++) {
      const number = pick(numbers);
      const form = pick(digitForms);
      const spelled = [...number].map((ch) => (/\d/.test(ch) ? form(ch) : ch) + (random() < 0.3 ? pick(separators) : '')).join('');
      const text = pick(before) + spelled + pick(after);
      const masked = maskPersonalData(text);
      expect(compact(masked), text).not.toContain(number);
      expect(maskPersonalData(masked)).toBe(masked);
    }
  });

  it('masks every string inside a stored JSON value, keys included, and leaves other values', () => {
    const when = new Date(0);
    const value = { facts: { region: '沈阳 +86 138 1234 5678', amountYuan: 3_000_000, loans: [{ note: '身份证110101199003074518' }] }, ['13812345678']: true, when };
    expect(maskPersonalDataIn(value)).toEqual({ facts: { region: '沈阳 +86 138****5678', amountYuan: 3_000_000, loans: [{ note: '身份证110*************18' }] }, ['138****5678']: true, when });
    expect(maskPersonalDataIn(null)).toBeNull();
    // The value given is never changed; one with nothing to mask comes back as the very same object.
    expect(value.facts.region).toBe('沈阳 +86 138 1234 5678');
    const clean = { facts: { region: '沈阳', since: '2025-10-09', amountYuan: 3_000_000 }, notes: ['首贷', '续贷'] };
    expect(maskPersonalDataIn(clean)).toBe(clean);
    // The same object in two places is masked in both.
    const shared = { phone: '13812345678' };
    expect(maskPersonalDataIn([shared, { again: shared }])).toEqual([{ phone: '138****5678' }, { again: { phone: '138****5678' } }]);
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
