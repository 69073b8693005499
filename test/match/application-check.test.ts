import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus, CorpusDocument } from '../../src/corpus/corpus.ts';
import {
  ApplicationChecker,
  applicationDraftSchema,
  checkApplication,
  countChars,
  parseApplicationRules,
  type ApplicationCheckResult,
  type ApplicationDraft,
  type ApplicationFinding,
  type ApplicationRules,
} from '../../src/match/application-check.ts';
import { loadCatalogue, type Campaign } from '../../src/match/catalogue.ts';
import { loadCorpus, readCorpusFile } from '../support/corpus.ts';

const DOC_ID = 'dianshu-chengjin-2025';
const RULES_FILE = 'campaigns/dianshu-application.json';

let corpus: Corpus;
let doc: CorpusDocument;
let rulesJson: string;
let rules: ApplicationRules;
let campaign: Campaign;

beforeAll(async () => {
  corpus = await loadCorpus();
  doc = corpus.document(DOC_ID)!;
  rulesJson = readCorpusFile(RULES_FILE);
  rules = parseApplicationRules(rulesJson);
  campaign = loadCatalogue(corpus, { 'dianshu-chengjin.json': readCorpusFile('campaigns/dianshu-chengjin.json') }).campaigns[0];
});

/** `n` Chinese characters (no whitespace, no company markers). */
function han(n: number): string {
  const pattern = '数字金融创新实践案例应用';
  let s = '';
  for (let i = 0; i < n; i++) s += pattern[i % pattern.length];
  return s;
}

const LIMITS: Record<string, number> = {
  案例名称: 20,
  案例简介: 200,
  案例创新点: 500,
  业务方案: 500,
  技术方案: 500,
  合规与风险管控方案: 300,
  经济效益: 300,
  社会效益: 300,
  单位简介: 1000,
  数字金融成果简介: 1000,
};

const MINIMUMS: Record<string, number> = { 摘要: 300, 引言: 100, 案例内容: 3000, 案例创新点: 300, 案例成效: 200, 经验总结: 500, 未来展望: 300 };

/** A draft that meets every rule. */
function validDraft(): ApplicationDraft {
  const fields: Record<string, string> = {};
  for (const [name, max] of Object.entries(LIMITS)) fields[name] = han(Math.min(max, 150));
  fields['案例名称'] = '基于大模型技术在普惠金融领域的应用';
  const sections: Record<string, string> = {};
  for (const [name, min] of Object.entries(MINIMUMS)) sections[name] = han(min);
  return {
    fields,
    sections,
    direction: '科技赋能金融研发创新案例',
    domains: ['普惠金融', '金融风控'],
    technologies: ['大模型', '隐私计算'],
    attachments: ['营业执照扫描件.pdf', '申报承诺函（盖章）.pdf', '方案书.docx'],
    applicant: {
      name: '广州数金科技有限公司',
      foundedOn: '2018-05-01',
      jointApplicants: ['广州示例农村商业银行股份有限公司'],
      brands: ['数金宝'],
      products: ['智贷通'],
      landedIn: ['广东省广州市'],
      implementedOn: '2025-06-30',
      seriousIntegrityRecord: false,
      seriousViolation: false,
    },
  };
}

function check(edit: (d: ApplicationDraft) => void): ApplicationCheckResult {
  const draft = validDraft();
  edit(draft);
  return checkApplication(corpus, rules, campaign, draft);
}

function only(result: ApplicationCheckResult): ApplicationFinding {
  expect(result.findings).toHaveLength(1);
  return result.findings[0];
}

function expectVerbatim(finding: ApplicationFinding) {
  const c = finding.citation;
  expect(c.n).toBe(1);
  expect(c.docId).toBe(DOC_ID);
  expect(c.title).toBe(doc.title);
  expect(c.section.startsWith(`${doc.shortTitle} › `)).toBe(true);
  expect(doc.text.slice(c.start, c.end)).toBe(c.quote);
}

describe('character counting', () => {
  it('counts code points other than whitespace: CJK, letters, digits, punctuation and emoji count one each', () => {
    expect(countChars('数字金融')).toBe(4);
    expect(countChars('AI，大模型。')).toBe(7);
    expect(countChars('😀')).toBe(1);
    expect(countChars(' 数\t字\n金\u3000融\u00a0 \r\n')).toBe(4);
    expect(countChars('   \n\t\u3000')).toBe(0);
  });
});

describe('a complete draft', () => {
  it('meets every rule: ok with no findings', () => {
    const result = checkApplication(corpus, rules, campaign, validDraft());
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('is accepted by the request schema', () => {
    expect(applicationDraftSchema.safeParse({ draft: validDraft() }).success).toBe(true);
  });
});

describe('summary-table field limits', () => {
  it('案例简介: exactly 200 Chinese characters passes, 201 fails', () => {
    expect(check((d) => (d.fields['案例简介'] = han(200))).findings).toEqual([]);
    const f = only(check((d) => (d.fields['案例简介'] = han(201))));
    expect(f).toMatchObject({ kind: 'too_long', field: '案例简介', limit: 200, count: 201, message: '案例简介共201字，超过200字的上限。' });
    expect(f.citation.quote).toBe('简述案例内容和应用情况等，200字内');
    expect(f.citation.section).toBe('点数成金 › 申报书 › 1.案例信息摘要表');
    expectVerbatim(f);
  });

  it.each(Object.entries(LIMITS))('%s: %i characters passes, one more fails', (name, max) => {
    expect(check((d) => (d.fields[name] = han(max))).findings).toEqual([]);
    const f = only(check((d) => (d.fields[name] = han(max + 1))));
    expect(f).toMatchObject({ kind: 'too_long', field: name, limit: max, count: max + 1 });
    expect(f.message).toBe(`${name}共${max + 1}字，超过${max}字的上限。`);
    expectVerbatim(f);
  });

  it('whitespace is not counted: 200 characters spread over spaces, tabs, line breaks and 全角空格 pass', () => {
    const spaced = han(200).replace(/(.{10})/gu, '$1 \n\t\u3000');
    expect(spaced.length).toBeGreaterThan(250);
    expect(check((d) => (d.fields['案例简介'] = `  ${spaced}  `)).findings).toEqual([]);
    const f = only(check((d) => (d.fields['案例简介'] = `${spaced}。`)));
    expect(f).toMatchObject({ kind: 'too_long', count: 201 });
  });

  it('an emoji counts as one character', () => {
    expect(check((d) => (d.fields['案例简介'] = han(199) + '😀')).findings).toEqual([]);
    expect(only(check((d) => (d.fields['案例简介'] = han(199) + '😀😀'))).count).toBe(201);
  });

  it('a field that is absent, empty or whitespace only is missing', () => {
    for (const value of [undefined, '', ' \n\u3000']) {
      const f = only(
        check((d) => {
          if (value === undefined) delete d.fields['技术方案'];
          else d.fields['技术方案'] = value;
        }),
      );
      expect(f).toMatchObject({ kind: 'missing_field', field: '技术方案', count: 0 });
      expect(f.citation.quote).toBe('简述案例技术方案规划与实施情况，500字内');
    }
  });

  it('单位简介 is cited from the 主申报单位 table, not a 联合申报单位 copy of the same text', () => {
    const f = only(check((d) => (d.fields['单位简介'] = han(1001))));
    expectVerbatim(f);
    expect(f.citation.start).toBeGreaterThan(doc.text.indexOf('主申报单位基本情况及联系人（必填）'));
    expect(f.citation.start).toBeLessThan(doc.text.indexOf('联合申报单位基本情况及联系人（一）'));
    const missing = only(check((d) => delete d.fields['单位简介']));
    expect(missing).toMatchObject({ kind: 'missing_field', message: '未填写“单位简介”（主申报单位基本情况为必填）。' });
    expect(missing.citation.quote).toBe('主申报单位基本情况及联系人（必填）');
  });
});

describe('案例说明 section minimums', () => {
  it('案例内容: 2999 Chinese characters fails, 3000 passes', () => {
    expect(check((d) => (d.sections['案例内容'] = han(3000))).findings).toEqual([]);
    const f = only(check((d) => (d.sections['案例内容'] = han(2999))));
    expect(f).toMatchObject({ kind: 'too_short', field: '案例内容', limit: 3000, count: 2999, message: '案例说明“案例内容”部分共2999字，少于3000字的下限。' });
    expect(f.citation.section).toBe('点数成金 › 申报书 › 3.申报案例说明 › 三、案例内容');
    expectVerbatim(f);
  });

  it('whitespace does not make up a short section: 2999 characters with line breaks still fail', () => {
    const f = only(check((d) => (d.sections['案例内容'] = han(2999).replace(/(.{50})/gu, '$1\n\n'))));
    expect(f.count).toBe(2999);
  });

  it.each(Object.entries(MINIMUMS))('%s: %i characters passes, one fewer fails', (name, min) => {
    expect(check((d) => (d.sections[name] = han(min))).findings).toEqual([]);
    const f = only(check((d) => (d.sections[name] = han(min - 1))));
    expect(f).toMatchObject({ kind: 'too_short', field: name, limit: min, count: min - 1 });
    expect(f.citation.section).toMatch(/^点数成金 › 申报书 › 3\.申报案例说明 › /);
    expectVerbatim(f);
  });

  it('a missing or blank section is reported as missing', () => {
    const f = only(check((d) => delete d.sections['未来展望']));
    expect(f).toMatchObject({ kind: 'missing_section', field: '未来展望', limit: 300, count: 0 });
    expect(only(check((d) => (d.sections['引言'] = '\n\n'))).kind).toBe('missing_section');
  });
});

describe('required attachments', () => {
  it.each([
    ['营业执照', '营业执照扫描件.pdf'],
    ['申报承诺函', '申报承诺函（盖章）.pdf'],
    ['方案书', '方案书.docx'],
  ])('reports a missing %s', (name, file) => {
    const f = only(check((d) => (d.attachments = d.attachments!.filter((a) => a !== file))));
    expect(f).toMatchObject({ kind: 'missing_attachment', field: name, message: `缺少必要附件“${name}”。` });
    expect(f.citation.quote).toBe('必要附件：单位营业执照扫描件、申报承诺函、方案书');
    expectVerbatim(f);
  });

  it('reports all three when no attachment is listed', () => {
    for (const attachments of [undefined, []]) {
      const result = check((d) => (d.attachments = attachments));
      expect(result.findings.map((f) => [f.kind, f.field])).toEqual([
        ['missing_attachment', '营业执照'],
        ['missing_attachment', '申报承诺函'],
        ['missing_attachment', '方案书'],
      ]);
    }
  });
});

describe('案例名称 must not name a company, brand or product', () => {
  it("catches the applicant's own name, also without its region and legal form", () => {
    for (const title of ['广州数金科技有限公司大模型风控应用', '数金科技大模型风控应用']) {
      const f = only(check((d) => (d.fields['案例名称'] = title)));
      expect(f.kind).toBe('forbidden_name');
      expect(f.message).toMatch(/^案例名称含申报单位名称“(广州数金科技有限公司|数金科技)”；名称中不应包含企业、品牌、产品等名称信息。$/);
      expect(f.citation.quote).toBe('名称中不应包含企业、品牌、产品等名称信息');
      expectVerbatim(f);
    }
  });

  it('catches a listed brand and a listed product', () => {
    const brand = only(check((d) => (d.fields['案例名称'] = '数金宝在普惠金融领域的应用')));
    expect(brand).toMatchObject({ kind: 'forbidden_name', message: '案例名称含品牌名称“数金宝”；名称中不应包含企业、品牌、产品等名称信息。' });
    const product = only(check((d) => (d.fields['案例名称'] = '基于智贷通的小微信贷应用')));
    expect(product.message).toContain('产品名称“智贷通”');
  });

  it('matches Latin brand names regardless of case and full-width letters', () => {
    const f = only(
      check((d) => {
        d.applicant!.brands = ['ShuJin Pay'];
        d.fields['案例名称'] = '基于ＳＨＵＪＩＮ ｐａｙ的跨境支付应用';
      }),
    );
    expect(f.message).toContain('品牌名称“shujinpay”');
  });

  it('catches a joint applicant, a legal form and a named bank', () => {
    const joint = only(check((d) => (d.fields['案例名称'] = '示例农村商业银行智能风控')));
    expect(joint.message).toContain('联合申报单位名称“示例农村商业银行”');
    const legal = only(check((d) => (d.fields['案例名称'] = '某某有限公司数字风控应用')));
    expect(legal.message).toContain('“某某有限公司”，属于企业名称');
    const bank = only(check((d) => (d.fields['案例名称'] = '招商银行大模型风控应用')));
    expect(bank.message).toContain('“招商银行”，疑似机构名称');
  });

  it('does not flag generic uses of 银行, 公司 and 集团', () => {
    for (const title of ['基于大模型在商业银行信贷领域的应用', '隐私计算在银行反欺诈中的应用', '面向上市公司的智能投研应用', '产业集团供应链金融数字化应用', '公司金融业务的区块链应用']) {
      expect(check((d) => (d.fields['案例名称'] = title)).findings, title).toEqual([]);
    }
  });
});

describe('申报方向, 应用领域 and 主要技术 options', () => {
  it('accepts each listed direction, the 赛道设置 spelling and quote-less forms', () => {
    for (const direction of ['金融机构科技创新应用案例', '金融机构科技应用创新案例', '□“数据要素×”金融创新案例', '数据要素x金融创新案例', '数字金融综合创新案例']) {
      expect(check((d) => (d.direction = direction)).findings, direction).toEqual([]);
    }
  });

  it('rejects an unlisted direction and a second choice (单选)', () => {
    const f = only(check((d) => (d.direction = '金融科技创新案例')));
    expect(f).toMatchObject({ kind: 'invalid_option', field: '申报方向' });
    expect(f.citation.quote.startsWith('申报方向（单选）\n□金融机构科技创新应用案例')).toBe(true);
    expectVerbatim(f);
    const two = only(check((d) => (d.direction = '科技赋能金融研发创新案例、数字金融综合创新案例')));
    expect(two.message).toBe('申报方向为单选，只能选择一项，现填写了2项。');
    expect(only(check((d) => delete d.direction)).kind).toBe('missing_field');
  });

  it('checks each 应用领域 and 主要技术 against the lists; 其他 may carry a description', () => {
    expect(check((d) => (d.domains = ['其他：农村数字金融', '数据要素'])).findings).toEqual([]);
    const f = only(check((d) => (d.domains = ['普惠金融', '区块链金融'])));
    expect(f).toMatchObject({ kind: 'invalid_option', field: '应用领域' });
    expect(f.message.startsWith('应用领域“区块链金融”不在可选项中')).toBe(true);
    const t = only(check((d) => (d.technologies = ['大模型', '元宇宙'])));
    expect(t).toMatchObject({ kind: 'invalid_option', field: '主要技术' });
    expect(only(check((d) => (d.technologies = []))).kind).toBe('missing_field');
  });
});

describe('eligibility', () => {
  it('joint applicants: 3 is within the limit, 4 is over it', () => {
    expect(check((d) => (d.applicant!.jointApplicants = ['甲机构', '乙机构', '丙机构'])).findings).toEqual([]);
    const f = only(check((d) => (d.applicant!.jointApplicants = ['甲机构', '乙机构', '丙机构', '丁机构'])));
    expect(f).toMatchObject({ kind: 'ineligible', field: '联合申报单位', limit: 3, count: 4, message: '联合申报单位共4家，超过3家的上限。' });
    expect(f.citation.quote).toBe('单个项目联合申报单位数量不超过3家');
    expectVerbatim(f);
  });

  it('founded 2024-02-10 has operated two full years by the window start 2026-02-10; founded 2024-02-11 has not', () => {
    expect(check((d) => (d.applicant!.foundedOn = '2024-02-10')).findings).toEqual([]);
    const f = only(check((d) => (d.applicant!.foundedOn = '2024-02-11')));
    expect(f).toMatchObject({ kind: 'ineligible', field: '成立日期' });
    expect(f.message).toBe('申报主体成立于2024年2月11日，到申报开始日2026年2月10日持续经营未满两年，不符合“申报主体持续经营满两年”。');
    expect(f.citation.quote).toBe('申报主体持续经营满两年');
    expectVerbatim(f);
  });

  it('a case landed only outside 广东 fails; one landing in 广东 passes', () => {
    const f = only(check((d) => (d.applicant!.landedIn = ['上海市', '浙江省杭州市'])));
    expect(f).toMatchObject({ kind: 'ineligible', field: '落地地区' });
    expect(f.message).toBe('案例落地地区（上海市、浙江省杭州市）不在广东，不符合“所申报案例应为在用且落地应用于广东”。');
    expectVerbatim(f);
    expect(check((d) => (d.applicant!.landedIn = ['北京市', '深圳市'])).findings).toEqual([]);
    expect(check((d) => (d.applicant!.landedIn = ['粤港澳大湾区'])).findings).toEqual([]);
  });

  it('a region it cannot place produces a question, not a verdict', () => {
    const f = only(check((d) => (d.applicant!.landedIn = ['某开发区'])));
    expect(f.kind).toBe('unknown');
    expect(f.message).toBe('无法判断“某开发区”是否属于广东，请说明案例是否落地应用于广东。');
  });

  it('implemented by the end of 2025 passes; in 2026 fails', () => {
    expect(check((d) => (d.applicant!.implementedOn = '2025-12-31')).findings).toEqual([]);
    const f = only(check((d) => (d.applicant!.implementedOn = '2026-01-01')));
    expect(f).toMatchObject({ kind: 'ineligible', field: '实施应用日期' });
    expect(f.message).toBe('案例于2026年1月1日实施应用，晚于2025年底，不符合“所申报案例须在2025年底前实施应用”。');
  });

  it('a declared serious integrity record or violation fails', () => {
    expect(only(check((d) => (d.applicant!.seriousIntegrityRecord = true)))).toMatchObject({ kind: 'ineligible', field: '诚信记录' });
    const v = only(check((d) => (d.applicant!.seriousViolation = true)));
    expect(v).toMatchObject({ kind: 'ineligible', field: '违法违规行为' });
    expect(v.citation.quote).toBe('无重大违法违规行为');
    expectVerbatim(v);
  });

  it('unknown applicant facts produce questions, not verdicts', () => {
    const result = check((d) => delete d.applicant);
    expect(result.ok).toBe(false);
    expect(result.findings.every((f) => f.kind === 'unknown')).toBe(true);
    const byField = Object.fromEntries(result.findings.map((f) => [f.field, f.message]));
    expect(byField).toEqual({
      申报单位名称: '请提供申报单位名称，以核对案例名称中不含企业名称。',
      成立日期: '请提供申报主体的成立日期，以核对“持续经营满两年”。',
      落地地区: '请提供案例落地应用的地区，以核对“落地应用于广东”。',
      实施应用日期: '请提供案例开始实施应用的日期，以核对“须在2025年底前实施应用”。',
      诚信记录: '请说明申报主体近两年内是否有重大不良诚信记录。',
      违法违规行为: '请说明申报主体是否有重大违法违规行为。',
    });
    for (const f of result.findings) expectVerbatim(f);
    // Only the facts that are absent are asked about.
    const one = only(check((d) => delete d.applicant!.foundedOn));
    expect(one).toMatchObject({ kind: 'unknown', field: '成立日期' });
  });
});

describe('citations', () => {
  it("every finding's citation quote equals document.text.slice(start, end)", () => {
    const draft: ApplicationDraft = {
      fields: { 案例名称: '招商银行某某有限公司的数金宝大模型风控应用', 案例简介: han(201), 业务方案: '' },
      sections: { 摘要: han(10), 案例内容: han(2999) },
      direction: '未知方向',
      domains: ['未知领域'],
      technologies: ['未知技术'],
      attachments: [],
      applicant: {
        name: '广州数金科技有限公司',
        brands: ['数金宝'],
        foundedOn: '2025-01-01',
        jointApplicants: ['甲', '乙', '丙', '丁'],
        landedIn: ['北京'],
        implementedOn: '2026-03-01',
        seriousIntegrityRecord: true,
      },
    };
    const result = checkApplication(corpus, rules, campaign, draft);
    const kinds = new Set(result.findings.map((f) => f.kind));
    for (const kind of ['too_long', 'too_short', 'missing_field', 'missing_section', 'missing_attachment', 'forbidden_name', 'invalid_option', 'ineligible', 'unknown']) {
      expect(kinds.has(kind as ApplicationFinding['kind']), kind).toBe(true);
    }
    for (const f of result.findings) {
      expectVerbatim(f);
      expect(f.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('the data file', () => {
  it('resolves every quote in the stored document', () => {
    expect(() => new ApplicationChecker(corpus, rules, campaign)).not.toThrow();
  });

  it('is refused when a quote is not verbatim in the corpus, naming the quote', () => {
    const tampered = parseApplicationRules(rulesJson.replace('简述案例内容和应用情况等，200字内', '简述案例内容和应用情况，200字内'));
    expect(() => new ApplicationChecker(corpus, tampered, campaign)).toThrow(/简述案例内容和应用情况，200字内/);
    expect(() => checkApplication(corpus, tampered, campaign, validDraft())).toThrow(/not found verbatim/);
  });

  it('is refused when a quote is ambiguous without an anchor', () => {
    const data = JSON.parse(rulesJson);
    delete data.fields.find((f: { name: string }) => f.name === '单位简介').source.after;
    expect(() => new ApplicationChecker(corpus, parseApplicationRules(JSON.stringify(data)), campaign)).toThrow(/more than once/);
  });

  it('is refused when a limit disagrees with its quote', () => {
    const data = JSON.parse(rulesJson);
    data.fields.find((f: { name: string }) => f.name === '案例简介').maxChars = 250;
    expect(() => parseApplicationRules(JSON.stringify(data))).toThrow(/250字内/);
    const sections = JSON.parse(rulesJson);
    sections.sections.find((s: { name: string }) => s.name === '案例内容').minChars = 2000;
    expect(() => parseApplicationRules(JSON.stringify(sections))).toThrow(/不少于2000字/);
  });

  it('is refused when it is not JSON or misses a part', () => {
    expect(() => parseApplicationRules('{')).toThrow(/invalid JSON/);
    const data = JSON.parse(rulesJson);
    delete data.eligibility;
    expect(() => parseApplicationRules(JSON.stringify(data))).toThrow(/eligibility/);
  });
});

describe('request schema messages are Chinese', () => {
  const message = (body: unknown) => {
    const result = applicationDraftSchema.safeParse(body);
    expect(result.success).toBe(false);
    return result.error!.issues[0].message;
  };

  it('names the field', () => {
    expect(message({ draft: { fields: { 案例名称: 5 }, sections: {} } })).toBe('案例名称须为文字。');
    expect(message({ draft: { fields: { 案例运行时间: 2025 }, sections: {} } })).toBe('案例运行时间须为文字。');
    expect(message({ draft: { fields: {}, sections: { 摘要: [] } } })).toBe('摘要须为文字。');
    expect(message({ draft: { fields: {}, sections: {}, applicant: { foundedOn: '2024/02/10' } } })).toBe('成立日期（foundedOn）须为 YYYY-MM-DD 格式的日期。');
    expect(message({ draft: { fields: {}, sections: {}, applicant: { foundedOn: '2024-02-30' } } })).toBe('成立日期（foundedOn）不是有效日期，请检查。');
    expect(message({ draft: { fields: {}, sections: {}, applicant: { seriousViolation: '否' } } })).toBe('是否有重大违法违规行为（seriousViolation）须为 true 或 false。');
    expect(message({ draft: { fields: {}, sections: {}, applicant: { founded: '2020-01-01' } } })).toBe('申报主体（applicant）中有不支持的字段：founded。');
    expect(message({ draft: { fields: {}, sections: {}, attachments: '营业执照' } })).toBe('附件（attachments）须为文字数组。');
    expect(message({ draft: { sections: {} } })).toBe('请提供案例信息摘要表字段（fields），例如 {"案例名称": "……"}。');
    expect(message({})).toBe('请提供申报书（draft）。');
    expect(message('x')).toMatch(/^请求体须为 JSON 对象/);
  });

  it('gives every issue a Chinese message', () => {
    const result = applicationDraftSchema.safeParse({
      draft: { fields: { 案例简介: 1 }, sections: 3, direction: 2, domains: [1], technologies: 'x', attachments: [null], applicant: { name: 1, jointApplicants: 'a', landedIn: [2], implementedOn: 5, seriousIntegrityRecord: 1 }, extra: 1 },
    });
    expect(result.success).toBe(false);
    for (const issue of result.error!.issues) expect(issue.message, issue.path.join('.')).toMatch(/[\u4e00-\u9fff]/);
  });
});
