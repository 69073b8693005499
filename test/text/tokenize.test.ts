import { describe, expect, it } from 'vitest';
import { contentTerms, tokenize } from '../../src/text/tokenize.ts';
import { splitClauses, splitSentences } from '../../src/text/sentences.ts';

describe('tokenize', () => {
  it('emits CJK unigrams and overlapping bigrams, as the CJK analyzer does', () => {
    expect(tokenize('续贷政策')).toEqual(['续', '贷', '续贷', '政', '贷政', '策', '政策']);
  });

  it('keeps Latin words and numbers whole and lower-cases them', () => {
    expect(tokenize('拨打12378或登录ESG平台')).toEqual(['拨', '打', '拨打', '12378', '或', '登', '或登', '录', '登录', 'esg', '平', '台', '平台']);
  });

  it('folds full-width digits and letters', () => {
    expect(tokenize('１２３７８ ＡＩ')).toEqual(['12378', 'ai']);
  });

  it('breaks tokens at punctuation and does not join CJK across it', () => {
    const tokens = tokenize('担保，补贴');
    expect(tokens).not.toContain('保补');
    expect(tokens).toContain('担保');
    expect(tokens).toContain('补贴');
  });

  it('content terms drop lone CJK characters', () => {
    expect(contentTerms('首贷中心')).toEqual(['首贷', '贷中', '中心']);
  });
});

describe('splitSentences', () => {
  it('returns trimmed spans whose text is a slice of the input', () => {
    const text = '第一句。第二句；第三句！\n（1）在线测额功能。企业点击按钮。';
    const spans = splitSentences(text);
    const parts = spans.map((s) => text.slice(s.start, s.end));
    expect(parts).toEqual(['第一句。', '第二句；', '第三句！', '（1）在线测额功能。', '企业点击按钮。']);
  });

  it('starts a new sentence at an inline enumeration', () => {
    const text = '可实现以下功能。（1）测额。（2）查信用。';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual(['可实现以下功能。', '（1）测额。', '（2）查信用。']);
  });

  it('keeps closing quotes with their sentence', () => {
    const text = '实现“好办易办”。”下一句。';
    expect(text.slice(splitSentences(text)[0].start, splitSentences(text)[0].end)).toBe('实现“好办易办”。”');
  });

  it('splits a sentence into clauses at commas and colons', () => {
    const text = '操作路径：平均修复时间6天，最快仅需3天。';
    const clauses = splitClauses(text, { start: 0, end: text.length }).map((s) => text.slice(s.start, s.end));
    expect(clauses).toEqual(['操作路径：', '平均修复时间6天，', '最快仅需3天。']);
  });
});
