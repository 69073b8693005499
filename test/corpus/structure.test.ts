import { beforeAll, describe, expect, it } from 'vitest';
import { cleanDocumentText } from '../../src/corpus/clean.ts';
import { buildCorpus, sectionLabel, type Corpus } from '../../src/corpus/corpus.ts';
import { parseSections } from '../../src/corpus/structure.ts';
import { loadCorpus, readCorpusFile } from '../support/corpus.ts';

const MEASURES = [
  '一、加快实施“普惠金融直达工程”',
  '二、打造科技金融服务新模式',
  '三、用好无还本续贷政策',
  '四、由点及面推广供应链金融服务',
  '五、推动企业综合融资成本下降',
  '六、优化金融服务民营企业机制',
  '七、拓宽民营企业直接融资渠道',
  '八、增加创新金融产品供给',
  '九、发挥担保增信保障作用',
  '十、高效办成信用修复“一件事”',
  '十一、落实征信权益保障政策',
  '十二、加大考核激励力度',
];

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus();
});

describe('corpus files', () => {
  it('holds the five documents named in the manifest, cleaned of conversion debris', () => {
    expect(corpus.documents.map((d) => d.id).sort()).toEqual([
      'dianshu-chengjin-2025',
      'jinrong-xingliao-2025',
      'liaoning-measures-2025',
      'top10-events-2025',
      'xinzhi-shengchanli-2025',
    ]);
    for (const doc of corpus.documents) {
      expect(doc.text).not.toMatch(/\[bookmark:/);
      expect(doc.text).not.toMatch(/\r/);
      expect(doc.text).not.toMatch(/\n{3,}/);
      expect(cleanDocumentText(doc.text)).toBe(doc.text);
    }
  });

  it('writes titles as the documents write them', () => {
    for (const doc of corpus.documents) {
      const flat = doc.text.replace(/\s+/g, '');
      expect(flat).toContain(doc.title.replace(/\s+/g, ''));
    }
  });

  it('cleaning removes bookmarks, CRLF, edge indentation and blank runs', () => {
    expect(cleanDocumentText('[bookmark: _GoBack]标题\r\n\u3000\u3000正文 \n\n\n\n尾')).toBe('标题\n正文\n\n尾\n');
  });
});

describe('measures document structure', () => {
  it('finds each of the twelve measures in the main text', () => {
    const doc = corpus.document('liaoning-measures-2025')!;
    for (const title of MEASURES) {
      const section = doc.sections.find((s) => s.path.join('›') === `若干举措›${title}`);
      expect(section, title).toBeDefined();
      expect(doc.text.slice(section!.start, section!.contentStart).trim()).toBe(title);
    }
  });

  it('joins each measure to its 工作目标 and 操作路径 in the operation guide', () => {
    const doc = corpus.document('liaoning-measures-2025')!;
    for (const title of MEASURES) {
      for (const label of ['工作目标', '操作路径']) {
        const path = ['若干举措', '操作指南', title, label];
        const section = doc.sections.find((s) => s.path.join('›') === path.join('›'));
        expect(section, path.join(' › ')).toBeDefined();
        expect(doc.text.slice(section!.start, section!.end).startsWith(`${label}：`)).toBe(true);
      }
    }
  });

  it('gives 操作路径 of 无还本续贷 the documented section path and the text about 提前1个月', () => {
    const chunk = corpus.chunks.find((c) => sectionLabel(c) === '若干举措 › 操作指南 › 三、用好无还本续贷政策 › 操作路径');
    expect(chunk).toBeDefined();
    expect(chunk!.text).toContain('可提前1个月');
  });
});

describe('campaign structure', () => {
  it('finds the nine 金融兴辽 tracks with their quotas', () => {
    const doc = corpus.document('jinrong-xingliao-2025')!;
    const tracks = doc.sections.filter((s) => /^\d\.“金融兴辽”.+优秀案例（\d个）$/.test(s.title));
    expect(tracks).toHaveLength(9);
  });

  it('finds the eight directions of 金融新质生产力 with two sub-directions each', () => {
    const doc = corpus.document('xinzhi-shengchanli-2025')!;
    const directions = doc.sections.filter((s) => s.path[1] === '二、征集主题与范围' && s.depth === 2);
    expect(directions).toHaveLength(8);
    for (const d of directions) {
      expect(doc.sections.filter((s) => s.path.length === d.path.length + 1 && s.path.slice(0, -1).join() === d.path.join())).toHaveLength(2);
    }
  });

  it('splits 点数成金 into its plan, guide and form parts', () => {
    const doc = corpus.document('dianshu-chengjin-2025')!;
    const parts = new Set(doc.sections.map((s) => s.path[1]));
    expect([...parts]).toEqual(expect.arrayContaining(['活动方案', '申报指南', '申报书']));
    expect(doc.sections.some((s) => s.path.join('›') === '点数成金›申报指南›三、赛道设置')).toBe(true);
  });

  it('nests the 十大事件 lists under their headings', () => {
    const doc = corpus.document('top10-events-2025')!;
    expect(doc.sections.map((s) => s.title)).toEqual(
      expect.arrayContaining(['1.十大科技金融事件', '2.十大数字金融事件', '3.“数据要素×金融服务” 上海示范案例', '4.年度技术创新突破', '5.年度产业赋能典范']),
    );
  });
});

describe('chunks', () => {
  it('carry offsets into the stored text and never cross a section', () => {
    for (const chunk of corpus.chunks) {
      const doc = corpus.document(chunk.docId)!;
      expect(doc.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
      const section = doc.sections.find((s) => s.id === chunk.sectionId)!;
      expect(chunk.start).toBeGreaterThanOrEqual(section.start);
      expect(chunk.end).toBeLessThanOrEqual(section.end);
      expect(chunk.text.length).toBeLessThanOrEqual(320);
    }
  });

  it('cover every non-blank character of every document body', () => {
    for (const doc of corpus.documents) {
      const covered = new Array<boolean>(doc.text.length).fill(false);
      for (const c of corpus.chunks.filter((c) => c.docId === doc.id)) for (let i = c.start; i < c.end; i++) covered[i] = true;
      const headings = new Set<number>();
      for (const s of doc.sections) for (let i = s.start; i < s.contentStart; i++) headings.add(i);
      const missed = [...doc.text].filter((ch, i) => ch.trim() && !covered[i] && !headings.has(i));
      expect(missed.join('')).toBe('');
    }
  });
});

describe('a sixth document', () => {
  it('is a file plus a manifest line: parsed and chunked with no code change, and the hash changes', async () => {
    const manifest = JSON.parse(readCorpusFile('manifest.json'));
    const files: Record<string, string> = {};
    for (const d of manifest.documents) files[d.file] = readCorpusFile(d.file);
    const before = await buildCorpus({ manifest, files });
    const extra = '某市普惠金融服务指引\n一、服务对象\n（一）小微企业\n1.申请条件：依法登记，经营满一年。\n二、办理渠道\n企业可到政务服务中心办理。\n';
    const after = await buildCorpus({
      manifest: {
        documents: [
          ...manifest.documents,
          { id: 'sixth-guide', file: 'docs/sixth.txt', title: '某市普惠金融服务指引', shortTitle: '服务指引', issuer: null, published: null, region: '辽宁省', kind: 'guide' },
        ],
      },
      files: { ...files, 'docs/sixth.txt': extra },
    });
    expect(after.hash).not.toBe(before.hash);
    const doc = after.document('sixth-guide')!;
    expect(doc.sections.map((s) => s.path.join(' › '))).toEqual(
      expect.arrayContaining(['服务指引 › 一、服务对象 › （一）小微企业 › 1.申请条件', '服务指引 › 二、办理渠道']),
    );
    expect(after.chunks.filter((c) => c.docId === 'sixth-guide').length).toBeGreaterThan(0);
  });

  it('a manifest naming a missing file is refused', async () => {
    await expect(
      buildCorpus({ manifest: { documents: [{ id: 'x', file: 'docs/none.txt', title: 't', shortTitle: 't', issuer: null, published: null, region: 'r', kind: 'guide' }] }, files: {} }),
    ).rejects.toThrow(/missing file/);
  });
});

describe('parseSections', () => {
  it('infers levels from the order numbering styles open in', () => {
    const text = '1.总则\n一、适用范围\n正文一。\n二、办理\n正文二。\n2.附则\n正文三。\n';
    const sections = parseSections('d', '文', text);
    expect(sections.map((s) => s.path.join('›'))).toEqual(['文', '文›1.总则', '文›1.总则›一、适用范围', '文›1.总则›二、办理', '文›2.附则']);
  });
});
