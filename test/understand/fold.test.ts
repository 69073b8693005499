import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/understand/fold.ts';

describe('folding a question for matching', () => {
  it('drops whitespace, quotation and book-title marks, and reads full-width forms as half-width', () => {
    expect(foldText('“信用中国（辽宁）” 网站')).toBe('信用中国(辽宁)网站');
    expect(foldText('辽信宝 测额  多少')).toBe('辽信宝测额多少');
    expect(foldText('ＰＤＦ格式')).toBe('pdf格式');
    // 东北话 intensifier: 多老长时间 is 多长时间 (and 老 elsewhere stays: 老铁).
    expect(foldText('得等多老长时间')).toBe('得等多长时间');
    expect(foldText('老铁问一下')).toBe('老铁问一下');
  });

  it('keeps one space between two Latin words, so an English question stays words', () => {
    expect(foldText('and when is  the voting?')).toBe('and when is the voting?');
    expect(foldText('金融兴辽 deadline 是哪天')).toBe('金融兴辽deadline是哪天');
  });
});
