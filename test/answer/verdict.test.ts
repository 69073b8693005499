import { describe, expect, it } from 'vitest';
import { asksExistence, ruleSentence, verdictFromRule } from '../../src/answer/verdict.ts';
import { parseAskedTypes } from '../../src/understand/lexicons.ts';
import { readCorpusFile } from '../support/corpus.ts';

const polarity = parseAskedTypes(readCorpusFile('asked-types.json')).polarity;
const verdict = (question: string, rule: string) => verdictFromRule(question, rule, polarity);

describe('the verdict a quoted rule gives', () => {
  it('says no where the rule forbids or restricts', () => {
    expect(verdict('申报方向能多选吗', '每个案例只能选择一个申报方向')).toBe('no');
    expect(verdict('名称里能带企业名吗', '名称中不得包含企业、品牌、产品等名称信息')).toBe('no');
  });

  it('turns round for a question that itself restricts or negates', () => {
    expect(verdict('申报方向只能选一个吗', '每个案例只能选择一个申报方向')).toBe('yes');
    expect(verdict('能不能多选', '每个案例只能选择一个申报方向')).toBe('no');
  });

  it('reads permission for 「能不能」 and requirement for 「要不要」', () => {
    expect(verdict('企业能线上提需求吗', '企业可登录平台提出融资需求')).toBe('yes');
    expect(verdict('要不要交盖章扫描件', '电子版申报表及盖章扫描件须统一发送至邮箱')).toBe('yes');
    // A requirement is no answer to whether something is allowed.
    expect(verdict('外地机构牵头能报吗', '必须满足以下全部条件')).toBeNull();
  });

  it('never rules on the asker’s own case from wording (that is the rules’ job)', () => {
    expect(verdict('我们是金融科技公司，能报吗', '鼓励金融科技公司申报')).toBeNull();
    expect(verdict('我们公司成立一年，可以申报吗', '成立满两年的企业可以申报')).toBeNull();
  });

  it('settles nothing where the rule says both, or neither', () => {
    expect(verdict('能报吗', '鼓励申报，但不得重复申报')).toBeNull();
    expect(verdict('能报吗', '活动分为征集、评审、发布三个阶段')).toBeNull();
  });
});

describe('the sentence a yes/no question is about', () => {
  it('is the one sharing most of its words, not the first of the quote', () => {
    const claims = ['在评审期间同步进行专家评审。最终结果由网络投票与专家评审综合得分决定。', '评审期间不对外公布专家评审委员会名单。'];
    expect(ruleSentence('专家评审委员会名单公开不', claims)).toBe('评审期间不对外公布专家评审委员会名单。');
    expect(verdict('专家评审委员会名单公开不', ruleSentence('专家评审委员会名单公开不', claims)!)).toBe('no');
  });
});

describe('existence questions', () => {
  it('are those that ask whether something is there', () => {
    expect(asksExistence('有没有高校做智库支持')).toBe(true);
    expect(asksExistence('有字数限制吗')).toBe(true);
    expect(asksExistence('能多选吗')).toBe(false);
  });
});
