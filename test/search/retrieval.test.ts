import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionLabel } from '../../src/corpus/corpus.ts';
import { startTestService, type TestService } from '../support/app.ts';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

/** Questions phrased the way users write, and a section path (or text) that must be among the top three results. */
const CASES: Array<[string, string]> = [
  ['贷款快到期了，不想先还本金再借，有什么办法', '三、用好无还本续贷政策'],
  ['续贷需要提前多长时间跟银行说', '三、用好无还本续贷政策 › 操作路径'],
  ['找担保公司担保，省里给不给补贴', '九、发挥担保增信保障作用'],
  ['被税务罚过款，信用怎么恢复', '十、高效办成信用修复“一件事” › 操作路径'],
  ['网上能测一下我们能贷多少钱吗', '一、加快实施“普惠金融直达工程” › 操作路径'],
  ['给国家电网供货的企业怎么融资', '四、由点及面推广供应链金融服务'],
  ['第一次找银行贷款去哪里办', '八、增加创新金融产品供给 › 操作路径'],
  ['银行乱收费打什么电话投诉', '五、推动企业综合融资成本下降 › 操作路径'],
  ['科技型企业融资可以去哪咨询', '二、打造科技金融服务新模式'],
  ['疫情期间逾期了征信能调整吗', '十一、落实征信权益保障政策'],
  ['金融兴辽报名截止到哪天', '2025年10月9日'],
  ['点数成金分哪几个赛道', '点数成金 › 申报指南 › 三、赛道设置'],
  ['新质生产力征集对案例实施时间有什么要求', '金融新质生产力 › 三、申报要求 › （二）案例规范'],
  ['上海示范案例对地域有什么要求', '3.“数据要素×金融服务” 上海示范案例 › （1）地域、主体与关联性要求'],
  ['金融兴辽网络投票和专家评审各占多少', '金融兴辽 › 四、活动流程 › （五）评分办法'],
];

describe('hybrid retrieval', () => {
  it.each(CASES)('「%s」 finds %s in the top 3', async (question, expected) => {
    const hits = await t.services.retriever.retrieve(question, { k: 3 });
    expect(hits.some((h) => sectionLabel(h.chunk).includes(expected) || h.chunk.text.includes(expected))).toBe(true);
  });

  it('ranks by a fused score and reports both component scores', async () => {
    const hits = await t.services.retriever.retrieve('无还本续贷', { k: 10 });
    expect(hits.length).toBe(10);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    expect(hits[0].bm25).toBeGreaterThan(0);
    expect(hits[0].vector).toBeGreaterThan(0);
  });

  it('reads the 东北话 pronouns 俺、俺们、咱 as it reads 我、我们: they name nothing asked', () => {
    const content = (q: string) => t.services.retriever.analyze(q).content.map((c) => c.term);
    expect(content('俺们厂想续贷，得提前多久申请')).toEqual(content('我们厂想续贷，得提前多久申请'));
    expect(content('银行会主动找俺不')).toEqual(content('银行会主动找我不'));
  });

  it('expands a colloquial term through the synonym file (流贷 → 流动资金贷款)', async () => {
    const analyzed = t.services.retriever.analyze('流贷能续吗');
    expect(analyzed.embeddingText).toContain('流动资金贷款');
    expect(analyzed.terms.some((term) => term.term === '流动' && term.weight < 1)).toBe(true);
  });
});

describe('GET /api/search', () => {
  it('returns ranked chunks with scores, section paths and offsets', async () => {
    const res = await t.app.request(`/api/search?q=${encodeURIComponent('担保费补贴')}&k=3`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results).toHaveLength(3);
    const top = body.results[0];
    expect(top.rank).toBe(1);
    expect(top.section).toContain('九、发挥担保增信保障作用');
    const doc = t.services.corpus.document(top.docId)!;
    expect(doc.text.slice(top.start, top.end)).toBe(top.text);
    expect(typeof top.score).toBe('number');
  });

  it.each([
    ['', 'q'],
    ['?q=', 'q'],
    [`?q=${encodeURIComponent('续贷')}&k=0`, 'k'],
    [`?q=${encodeURIComponent('续贷')}&k=abc`, 'k'],
    [`?q=${encodeURIComponent('续贷')}&k=51`, 'k'],
  ])('rejects %s with a Chinese 400', async (query, field) => {
    const res = await t.app.request(`/api/search${query}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(body.error.message).toContain(field);
  });
});

describe('when the query cannot be embedded', () => {
  it('falls back to BM25 alone instead of failing', async () => {
    const { Retriever } = await import('../../src/search/retriever.ts');
    const failures: string[] = [];
    const broken = {
      id: 'broken',
      dimensions: 8,
      embedDocuments: async () => [],
      embedQuery: async () => {
        throw new Error('embeddings endpoint unreachable');
      },
    };
    const { ExactVectorIndex } = await import('../../src/search/vector-index.ts');
    const retriever = new Retriever(t.services.corpus, t.services.retriever.lexicon, broken, new ExactVectorIndex([]), (e) => failures.push(e.message));
    const hits = await retriever.retrieve('担保费补贴', { k: 3 });
    expect(failures).toEqual(['embeddings endpoint unreachable']);
    expect(hits[0].chunk.path.join(' › ')).toContain('九、发挥担保增信保障作用');
    expect(hits.every((h) => h.vector === 0)).toBe(true);
  });
});

describe('reference numbers in a question', () => {
  it('are ignored for topic and search: a UUID or a long number does not change the answer', async () => {
    const plain = await t.services.answers.answer({ question: '无还本续贷要提前多久向银行申请？' });
    for (const suffix of ['#12378316482209595850', ' 3f2b8c1e-9a4d-4e2b-8c1f-0a9b8c7d6e5f', ' A1B2C3D4E5F6G7']) {
      const tagged = await t.services.answers.answer({ question: `无还本续贷要提前多久向银行申请？${suffix}` });
      expect(tagged.answerable, suffix).toBe(true);
      expect(tagged.citations.map((c) => c.start)).toEqual(plain.citations.map((c) => c.start));
    }
  });
});
