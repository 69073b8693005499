import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestService, type TestService } from '../support/app.ts';

/**
 * Answers shaped by the question's frame, through the HTTP API so that a
 * conversation carries its last frame from turn to turn. Each case stands for
 * a class of question (a field, a list, a follow-up that leaves the subject
 * out, a detail the subject does not have), not for its wording.
 */
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ANSWER_CACHE_SIZE: '0' });
});
afterAll(() => t.close());

interface Reply {
  answer: string;
  answerable: boolean;
  declineReason?: string;
  conversationId: string;
  citations: Array<{ docId: string; quote: string; start: number; end: number }>;
  related?: Array<{ docId: string; quote: string }>;
  understood?: { subjects: Array<{ id: string }>; asked: string[]; followUp: boolean };
}

async function conversation(...questions: string[]): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const question of questions) {
    const res = await postJson(t.app, '/api/ask', { question, ...(replies.length ? { conversationId: replies[replies.length - 1].conversationId } : {}) });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as Reply;
    for (const c of reply.citations) expect(t.services.corpus.document(c.docId)!.text.slice(c.start, c.end)).toBe(c.quote);
    replies.push(reply);
  }
  return replies;
}
const one = async (question: string) => (await conversation(question))[0];

describe('typed answers', () => {
  it('answers the field the question names, not the sentence beside it', async () => {
    const a = await one('给金融兴辽发申报邮件，邮件主题咋写');
    expect(a.answerable).toBe(true);
    expect(a.answer).toContain('申报单位名称+案例题目');
  });

  it('gives a value that stands on a line of its own (the date under a signature)', async () => {
    const a = await one('若干举措是哪天印发的');
    expect(a.answer).toContain('2025年4月16日');
  });

  it('finds a contact line through the sentence above it', async () => {
    const a = await one('点数成金纸质材料寄哪');
    expect(a.answer).toContain('天河北路888号1503');
  });

  it('answers a field named by another name for it (邮件标题, subject for 邮件主题)', async () => {
    const a = await one('报金融兴辽的时候邮件的subject写啥');
    expect(a.answer).toContain('申报单位名称+案例题目');
    const b = await one('金融兴辽申报邮件标题咋起');
    expect(b.answer).toContain('申报单位名称+案例题目');
  });

  it('reads a region as a place (长三角区域)', async () => {
    const a = await one('上海示范案例特别鼓励哪儿的机构参与');
    expect(a.answer).toContain('长三角区域');
  });

  it('keeps a format spec that goes on in the next sentence of its line', async () => {
    const a = await one('点数成金案例说明用啥字体，标题咋排');
    expect(a.answer).toContain('3号仿宋体');
    expect(a.answer).toContain('一级标题3号黑体');
  });

  it('keeps a statement continued after 「；」 whole', async () => {
    const a = await one('金融兴辽网络投票占多少');
    expect(a.answer).toContain('40%');
    expect(a.answer).toContain('60%');
  });

  it('gives the value under a field named on the line above it', async () => {
    const a = await one('点数成金谁主办的');
    expect(a.answer).toContain('广州市数字金融协会');
    expect(a.answer).not.toContain('中共广东省委金融委员会办公室');
  });

  it('answers a field named on the line above its value (「三、案例内容」 → 不少于3000字)', async () => {
    const a = await one('点数成金案例说明的“案例内容”部分至少要写多少字');
    expect(a.answer).toContain('不少于3000字');
  });

  it('reads past forms of address and colloquial verbs (老铁, 整到)', async () => {
    const a = await one('兄弟，金融兴辽报名整到几号');
    expect(a.answer).toContain('2025年10月9日');
  });

  it('answers a named subject’s address or website asked at the end of a long story about the asker', async () => {
    const a = await one('我们在铁岭开了个农机配件厂，干了十来年了，去年贷款被拒过一回心里挺窝火。听说有个科技金融服务驿站能帮着对接，想过去当面唠唠，驿站地址在哪？');
    expect(a.answer).toContain('全运路109—4号');
    const b = await one('兄弟们 我跨境电商卖货的 最近回款慢 想用电费数据试试 电e金服 网址发一下 谢了');
    expect(b.answer).toContain('https://efin.sgcc.com.cn');
    // (Still a decline where the subject has no such detail.)
    const c = await one('我们在铁岭开了个农机配件厂，干了十来年了。想给科技金融服务驿站打个电话先问问，驿站电话多少？');
    expect(c.answerable).toBe(false);
    // (Nor where a city the question names has no such detail in the text: 各市首贷中心 have no street written.)
    const d = await one('我们公司开在抚顺，去年想贷款没贷下来。抚顺首贷中心具体在哪条街 电话多少');
    expect(d.answerable).toBe(false);
  });

  it('answers 「不一定」 when only the best case (最快3天) would meet the time asked', async () => {
    const a = await one('月底前要投标，信用修复3天能弄完吗');
    expect(a.answer).toMatch(/^不一定/);
    expect(a.answer).toContain('最快仅需3天');
  });

  it('reads 「打哪个网址」 as asking the website, not a number to call', async () => {
    const a = await one('辽宁省融资信用服务平台在电脑上得打哪个网址？');
    expect(a.answer).toContain('https://www.lnzhjr.com');
  });

  it('reads past how hard the asker found it (整半天没整明白)', async () => {
    const a = await one('辽信宝头一回用咋认证，我整半天没整明白');
    expect(a.answer).toContain('人脸识别');
  });

  it('reads 「咋算分」 as the scoring method', async () => {
    const a = await one('金融兴辽到底咋算分的');
    expect(a.answer).toContain('40%');
    expect(a.answer).toContain('60%');
  });

  it('reads an English follow-up word by word, through the English words the synonyms know', async () => {
    const [, b] = await conversation('辽信宝上查信用能查到啥', 'and can I download it as a credit report?');
    expect(b.answer).toContain('下载企业信用报告');
  });

  it('reads past who is asking and English words the documents never use', async () => {
    const a = await one('我是沈阳一家城商行的，金融兴辽的申报表做完了往哪个邮箱发？');
    expect(a.answer).toContain('JRXL2025@126.com');
    const b = await one('拓宽民营企业直接融资渠道 这条都谁负责啊 finance bureau 这边要对口');
    expect(b.answer).toContain('责任单位');
  });

  it('answers a list about nobody’s own case from the text, not with the situation rules its words touch', async () => {
    const a = await one('全国首批增设了哪些领域的失信信息修复事项');
    expect(a.answer).toContain('税务');
    expect(a.answer).toContain('人力资源社会保障');
    expect(a.answer).not.toContain('贵企业');
  });

  it('names the button to press', async () => {
    const a = await one('电e金服上要融资点哪个按钮');
    expect(a.answer).toContain('【企业融资】');
  });

  it('gives a whole enumeration, items in order, not its heading alone', async () => {
    const a = await one('十大科技金融事件的核心模式包括啥');
    const items = a.answer.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(a.answer).toContain('研发中断险');
    const starts = a.citations.map((c) => c.start);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
  });

  it('gives the whole enumeration when the best-matching line is only one item of it', async () => {
    const a = await one('新质生产力那个活动评审看哪些标准');
    for (const label of ['创新性', '实效性', '示范性', '合规性']) expect(a.answer).toContain(label);
  });

  it('lists the outer items of a nested enumeration, not the first items under each', async () => {
    const a = await one('新质生产力征集内容的方向都有哪些，全列出来');
    for (const head of ['金融科技赋能监管与风控', '风险管理智能化', '智能宏观经济研究']) expect(a.answer).toContain(head);
    expect(a.answer).not.toContain('智能监管创新');
  });

  it('among inline enumerations the question fits alike, takes the one whose items are of the kind asked', async () => {
    const a = await one('点数成金搞了几个工作组');
    for (const group of ['指导工作组', '活动工作组', '评审工作组']) expect(a.answer).toContain(group);
  });

  it('takes the list whose items are of the kind asked, whatever year the question names', async () => {
    const a = await one('金融兴辽2025年那届评哪几类优秀案例，挨个说');
    for (const kind of ['融合发展', '养老金融提质', 'ESG与社会责任']) expect(a.answer).toContain(kind);
  });

  it('answers 「有几种」 with the enumeration when no count is written', async () => {
    const a = await one('十大科技金融事件核心模式一共有几种啊');
    for (const label of ['股权融资创新', '债权服务突破', '资本市场赋能', '保险保障探索']) expect(a.answer).toContain(label);
  });

  it('lists the enumeration the question names, not one under a heading it only brushes', async () => {
    const b = await one('金融兴辽有哪些案例类别');
    expect(b.answer).toContain('融合发展');
    expect(b.answer).not.toContain('活动启动及征集遴选');
  });

  it('reads 「分别叫啥」 as how to answer, not as words to look for', async () => {
    const a = await one('点数成金设了几大方向，分别叫啥');
    expect(a.answerable).toBe(true);
    expect(a.answer).toContain('科技赋能金融研发创新案例');
  });

  it('answers 「哪一年」 with the year the text states (2025年度), not with a deadline', async () => {
    const a = await one('金融兴辽收的是哪一年的案例');
    expect(a.answer).toContain('2025年度开展');
    expect(a.answer).not.toContain('10月9日');
  });

  it('answers with the one sentence the question’s own words point at when no kind of value is asked, a lead with its lines', async () => {
    const a = await one('十大事件上海示范案例，不是上海机构牵头的话有啥条件');
    expect(a.answerable).toBe(true);
    expect(a.answer).toContain('必须满足以下全部条件');
    for (const item of ['上海本地必有深度合作方', '核心资源投入在上海', '价值主要释放在上海']) expect(a.answer).toContain(item);
  });

  it('declines a count asked in its own measure word that the text does not give (占多少分, 评多少个优秀案例)', async () => {
    const [, b] = await conversation('金融新质生产力评审看哪几个方面', '各占多少分');
    expect(b.answerable).toBe(false);
    const c = await one('金融新质生产力最后评多少个优秀案例');
    expect(c.answerable).toBe(false);
    // (A rate in 个点, and a count of kinds, 几个榜单, are still answered.)
    expect((await one('担保费补贴补几个点')).answerable).toBe(true);
    expect((await one('十大科技金融事件一共设了几个榜单')).answer).toContain('年度产业赋能典范');
    expect((await one('金融兴辽网络投票占多少分量')).answer).toContain('40%');
  });

  it('answers with the outline a word of several headings groups, whatever else the question says (那个申报)', async () => {
    const a = await one('十大科技金融事件那个申报活动，总共设了哪些榜单');
    for (const item of ['两大主榜单', '一大特色榜单', '两大专项榜单', '年度产业赋能典范']) expect(a.answer).toContain(item);
  });

  it('never takes a numbered heading for the value of the label above it (「2、 征集对象」 under 广州市数字金融协会)', async () => {
    const a = await one('广州协会搞点数成金这个征集 是想干啥');
    expect(a.answer).not.toMatch(/^征集对象/);
    expect((await one('点数成金的主办单位是谁')).answer).toContain('广州市数字金融协会');
  });

  it('answers steps asked for with the numbered parts of a process laid out under a heading', async () => {
    const a = await one('金融新质生产力的流程分几步，各阶段啥时候');
    for (const part of ['活动启动及征集遴选', '集中评审', '典型案例名单发布']) expect(a.answer).toContain(part);
  });

  it('reads what a spoken question asks after its 「想问问」, not in the story before it', async () => {
    const a = await one('我在沈阳一家城商行做宣传 今年领导让我们准备材料参加评选 我想问问新华社辽宁参与的那个金融兴辽评上了都给啥奖励');
    expect(a.understood?.asked).not.toContain('materials');
    expect(a.answer).toContain('证书或奖杯');
  });

  it('matches a long question to the bank by the part that asks as well, past the preamble', async () => {
    const a = await one('好，前面那个先放一放，我们领导又让我问问，新华社辽宁参与的那个金融兴辽，评上了都有啥奖励');
    expect(a.answer).toContain('证书或奖杯');
  });

  it('reads a length of time written in Chinese numerals (持续经营满两年) as a period', async () => {
    const a = await one('点数成金对申报单位成立多久有要求吗，得经营多长时间');
    expect(a.answer).toContain('满两年');
  });

  it('answers with the list whose lead declares itself the list asked for (「…模式包括：」 for 模式有哪几种)', async () => {
    const a = await one('年度产业赋能典范都认哪几种模式');
    for (const item of ['产业链金融', '产业集群服务', '“科技-产业-金融”循环']) expect(a.answer).toContain(item);
  });

  it('gives a heading that says it leads a list (包括但不限于) with the lines under it, whatever path found it', async () => {
    const a = await one('上海那个数据要素的示范榜，重点征集啥方向');
    for (const item of ['数据资产化金融实践', '公共数据授权运营金融应用', '跨境数据流动金融试点']) expect(a.answer).toContain(item);
  });

  it('lists every option (□…) of the form field the question names', async () => {
    const a = await one('点数成金申报书里主要技术那一栏都能选啥');
    for (const option of ['大数据', '云计算', '区块链', '隐私计算', '量子计算', '大模型']) expect(a.answer).toContain(option);
  });

  it('answers materials asked for with the lines under the subject’s materials heading (（三）材料规范)', async () => {
    const a = await one('报新质生产力需要准备哪些材料');
    for (const item of ['申报表', '案例报告', '证明文件', '高清商标图']) expect(a.answer).toContain(item);
  });

  it('gives a lead found by the asked type with the lines it leads', async () => {
    const a = await one('点数成金申报条件里 案例要符合哪几种情形');
    expect(a.answer).toContain('符合以下任一条件');
    for (const item of ['金融服务升级与效能提升', '优化数据要素价值释放', '金融数字化模式创新']) expect(a.answer).toContain(item);
  });

  it('lets a close way of asking answer past a word the documents never use, but not in a follow-up (大型企业 stays unanswered)', async () => {
    const a = await one('首贷中心是干啥的 冲啥企业');
    expect(a.answer).toContain('未获得过银行贷款');
    const [, b] = await conversation('中型企业续贷 贷款到期时间有啥要求', '那大型企业呢');
    expect(b.answer).not.toMatch(/^(?:可以|是|有)/);
    expect(b.answer).not.toContain('提前开展贷款调查和评审');
  });

  it('answers a general ask about a measure with what the measure says', async () => {
    const a = await one('民企要上市 省里帮不帮啊');
    expect(a.answerable).toBe(true);
    expect(a.understood?.subjects.map((s) => s.id)).toEqual(['measure:7']);
    expect(a.answer).toContain('上市后备企业');
  });
});

describe('follow-ups', () => {
  it('inherit the subject and answer every detail they ask', async () => {
    const [, b] = await conversation('新质生产力那个案例征集咋报名', '邮箱是啥？截止啥时候？');
    expect(b.understood?.followUp).toBe(true);
    expect(b.answer).toContain('zhaofeifei1@xinhua.org');
    expect(b.answer).toContain('2025年10月20日');
    expect(b.answer).not.toContain('JRXL2025@126.com');
  });

  it('replace the subject they name', async () => {
    const [a, b] = await conversation('金融兴辽申报截止哪天', '那新质生产力的呢');
    expect(a.answer).toContain('2025年10月9日');
    expect(b.answer).toContain('2025年10月20日');
    expect(b.answer).not.toContain('10月9日');
  });

  it('that name a subject with words of their own ask those, not the last question again (「电e金服融资规模目标呢」)', async () => {
    const [a, b] = await conversation('供应链金融要推广到全省多少个产业集群', '那电e金服融资规模的目标呢');
    expect(a.answer).toContain('22个重点产业集群');
    expect(b.answer).toContain('600亿元');
  });

  it('are matched to the subject’s ways of asking by their own words, not by the subject’s name every entry shares', async () => {
    const [, b] = await conversation('科技金融服务驿站在哪', '选债权融资的话要填啥');
    for (const field of ['企业名称', '联系人', '手机号码', '期望融资金额']) expect(b.answer).toContain(field);
  });

  it('answer a yes/no asked in a sentence of its own beside another question (「线上能提不？咋进」)', async () => {
    const [, b] = await conversation('科技金融服务驿站在哪', '不想跑，线上能提不？咋进');
    expect(b.answer).toMatch(/^可以/);
    expect(b.answer).toContain('【金融服务驿站】');
  });

  it('that the inherited subject’s own text does not settle are asked of the measure it belongs to, never for a contact', async () => {
    const [, b] = await conversation('电e金服融资规模目标多少', '啥时候在全省重点产业集群广泛应用');
    expect(b.answer).toContain('2027年底前');
    const [, c] = await conversation('科技金融服务驿站在哪', '电话多少');
    expect(c.answerable).toBe(false);
  });

  it('ask about the subject the previous answer quoted when the first question named none the gazetteer knows', async () => {
    const [a, b] = await conversation('2025年全省新增担保业务目标是多少', '谁牵头');
    expect(a.understood?.subjects).toEqual([]);
    expect(a.answer).toContain('350亿元');
    expect(b.understood?.subjects.map((s) => s.id)).toEqual(['measure:9']);
    expect(b.answer).toContain('省财政厅');
  });

  it('read 「往哪发」 as asking for the email, answered by the one email the subject gives', async () => {
    const [a, b] = await conversation('金融兴辽报名截止哪天', '那材料往哪发');
    expect(a.answer).toContain('2025年10月9日');
    expect(b.answer).toContain('JRXL2025@126.com');
    const c = await one('报金融新质生产力的东西发到哪儿');
    expect(c.answer).toContain('zhaofeifei1@xinhua.org');
    // (投 is voting here, not sending.)
    const d = await one('金融兴辽网络投票从哪天投到哪天');
    expect(d.answer).toContain('2025年10月12日');
  });

  it('switch to a sibling track named by a word only its name holds (「养老那类呢」), but not to a measure by a word of its title', async () => {
    const [a, b, c] = await conversation('金融兴辽数字金融建设那类评几个', '那养老的呢', 'ESG那类呢');
    expect(a.answer).toContain('数字金融建设优秀案例（2个）');
    expect(b.understood?.subjects.map((s) => s.id)).toEqual(['jxl:pension']);
    expect(b.answer).toContain('养老金融提质优秀案例（3个）');
    expect(c.understood?.subjects.map((s) => s.id)).toEqual(['jxl:esg']);
    const [, e] = await conversation('无还本续贷得提前多久跟银行提', '通过啥渠道提');
    expect(e.understood?.subjects.map((s) => s.id)).toEqual(['measure:3']);
  });

  it('ask a new subject what the last question asked (「那第十二条呢」 after who leads 第七条)', async () => {
    const [a, b] = await conversation('举措第七条是哪些部门牵头', '那第十二条呢');
    expect(a.answer).toContain('省国资委');
    expect(b.answer).toContain('责任单位：人民银行辽宁省分行、辽宁金融监管局、大连金融监管局');
  });

  it('answer 「在哪发布」 with the event a list is announced at, per campaign', async () => {
    const [a, b] = await conversation('新质生产力最后的优秀名单在哪发布', '那金融兴辽的呢');
    expect(a.answer).toContain('2025企业家博鳌论坛');
    expect(b.answer).toContain('第三届东北亚金融大会');
  });

  it('that only move the time ask what the subject says for that time (「那2027年底前呢」)', async () => {
    const [, b] = await conversation('辽宁融资信用服务平台2025年底前要做成啥', '那2027年底前呢');
    expect(b.answer).toContain('2027年底前');
    expect(b.answer).toContain('40万户');
    const [, d] = await conversation('驿站到2027年底的目标', '那2025年6月底前呢');
    expect(d.answer).toContain('沈阳高新区站');
  });

  it('read 「寄到哪儿」 like 「寄到哪」 (儿 is no word to look for)', async () => {
    const [, b] = await conversation('点数成金几号开始能报', '纸质版的要寄到哪儿');
    expect(b.answer).toContain('广州市天河区天河北路888号1503');
  });

  it('asked first, 「下一步咋整」 asks for the steps of what the question names', async () => {
    const a = await one('在线测出来的额度太少了，接下来咋办');
    expect(a.answer).toContain('【申请贷款】');
  });

  it('and a question for what is to be reached by a time is answered by the statement that opens with that time', async () => {
    const a = await one('驿站到2027年底要覆盖到哪些地方');
    expect(a.answer).toContain('全省高新区均设立科技金融服务驿站');
    const b = await one('到2027年底辽信宝平台要实现啥目标');
    expect(b.answer).toContain('40万户');
  });

  it('go on from where the previous answer stopped (「然后呢」)', async () => {
    const [a, b] = await conversation('驿站线上咋提需求', '填完了然后呢');
    expect(b.answerable).toBe(true);
    expect(b.answer).toContain('科技金融服务驿站服务团队进行处理');
    // What follows is quoted from after the last sentence the previous answer quoted.
    const last = Math.max(...a.citations.map((c) => c.end));
    expect(b.citations.every((c) => c.start >= last)).toBe(true);
  });

  it('expand a listed item by its number', async () => {
    const [a, b] = await conversation('新质生产力征集都有哪些方向', '第二条展开说说');
    expect(a.answer.split('\n').filter((line) => /^\d+\. /.test(line)).length).toBeGreaterThanOrEqual(8);
    expect(b.answerable).toBe(true);
    const second = a.citations[2] ?? a.citations[1];
    expect(b.citations.some((c) => c.start >= second.start - 1 && c.start <= second.end + 400)).toBe(true);
  });
});

describe('yes/no questions', () => {
  it('open with the verdict the quoted rule gives, in the question’s terms', async () => {
    const a = await one('点数成金申报方向能多选吗');
    expect(a.answer.startsWith('不可以。') || a.answer.startsWith('原文没有直接给出')).toBe(true);
    const b = await one('金融兴辽有没有高校做智库支持');
    expect(b.answer.startsWith('有。')).toBe(true);
    expect(b.answer).toContain('东北财经大学');
  });

  it('say so plainly when the quoted text gives no yes or no', async () => {
    const a = await one('我们是杭州的机构牵头，能报上海示范案例吗');
    expect(a.answer.startsWith('可以')).toBe(false);
  });
});

describe('declines', () => {
  it('say a subject lacks the asked detail instead of borrowing another subject’s', async () => {
    const [, b] = await conversation('科技金融服务驿站在哪', '电话多少');
    expect(b.answerable).toBe(false);
    expect(b.declineReason).toBe('no_detail');
    for (const phone of ['18899752370', '15810259778', '18516505505', '024—31318629']) expect(b.answer).not.toContain(phone);
    expect(b.answer).toContain('驿站');
  });

  it('decline another province’s policy even when the words match', async () => {
    const a = await one('吉林省有没有担保费补贴');
    expect(a.answerable).toBe(false);
    expect(a.declineReason).toBe('out_of_scope');
    expect(a.citations).toEqual([]);
  });

  it('decline a personal-finance question phrased like an enterprise one', async () => {
    const a = await one('我信用卡逾期了，个人征信咋修复');
    expect(a.answerable).toBe(false);
    expect(a.declineReason).toBe('out_of_scope');
  });

  it('decline another year’s edition even when a background sentence mentions that year', async () => {
    const a = await one('2024年第二届金融兴辽当时报名是哪天截止的');
    expect(a.answerable).toBe(false);
    expect(a.answer).not.toContain('2025年10月9日');
  });

  it('decline a future event the documents cannot know (下一场路演)', async () => {
    const a = await one('创投辽宁下一场路演是几号');
    expect(a.answerable).toBe(false);
  });

  it('decline a question about how two things bear on each other when the text never relates them', async () => {
    const a = await one('在辽信宝上测额会不会影响我们企业的征信记录？');
    expect(a.answerable).toBe(false);
    expect(a.citations).toEqual([]);
    // The same word where the text does state it still answers.
    expect((await one('前几年受疫情影响还不上款，征信记录能调整吗')).answerable).toBe(true);
  });

  it('decline a named detail the quoted text does not state', async () => {
    const a = await one('无还本续贷利率多少');
    expect(a.answerable).toBe(false);
    // Prize money is not stated; the rewards are, in the text's own words (激励举措: 证书或奖杯).
    expect((await one('金融兴辽评上了奖金给多少')).answerable).toBe(false);
    const rewards = await one('金融兴辽评上以后有什么奖励');
    expect(rewards.answer).toContain('证书或奖杯');
    // (Words that point at one heading ask about that part, not for the outline of every heading.)
    expect(rewards.answer).not.toContain('活动主题');
  });
});

describe('one ask read two ways, and follow-ups about what was just quoted', () => {
  it('answers a clause whose cue reads as a website or a place with whichever the subject has', async () => {
    const a = await one('信用修复在网上哪儿弄');
    expect(a.answerable).toBe(true);
    expect(a.answer).toContain('https://xyln.ln.gov.cn');
    const b = await one('电e金服上没找到合适的金融产品，那个需求收集栏目在哪个位置');
    expect(b.answer).toContain('页面最下端');
  });

  it('answers an elliptic follow-up from the sentence the previous answer quoted', async () => {
    const [, period] = await conversation('辽信宝在线测额最高能测多少', '测一次得等多久');
    expect(period.answer).toContain('5分钟左右');
    const [, date] = await conversation('民企贷款不良容忍度放宽到多少', '啥时候前做到');
    expect(date.answer).toContain('2025年底前');
    expect(date.answer).not.toContain('2027年底前');
  });

  it('still follows the question’s own words when they point elsewhere', async () => {
    const [, , loan] = await conversation('辽信宝在线测额最高能测多少', '测一次得等多久', '那贷款最快啥时候能到账');
    expect(loan.answer).toContain('当天放款');
  });

  it('gives the responsible units of the measure a quoted sentence belongs to (「这条谁负责」)', async () => {
    const [, units] = await conversation('信用中国辽宁上信用修复专栏能干啥', '这条是哪几个部门负责');
    expect(units.answer).toContain('省发展改革委');
    const a = await one('推动企业综合融资成本下降那一条，是哪几家负责的');
    expect(a.answer).toContain('人民银行辽宁省分行');
  });

  it('answers whom a measure is for', async () => {
    const a = await one('首贷中心主要是服务什么样的企业？');
    expect(a.answer).toContain('未获得过银行贷款的民营企业');
  });
});

describe('the situation rules and the text', () => {
  it('answers a detail of a measure from the text when nobody’s case is described', async () => {
    const target = await one('担保那条，2025年新增担保业务目标多少');
    expect(target.answer).toContain('350亿元');
    const advance = await one('小微企业无还本续贷，要提前多久找银行');
    expect(advance.answer).toContain('提前1个月');
  });

  it('declines a detail the text does not state instead of asking for the asker’s case', async () => {
    const a = await one('担保费补贴那0.5%一般多长时间能拨付到位');
    expect(a.answerable).toBe(false);
    const b = await one('无还本续贷银行审批一般得几个工作日');
    expect(b.answerable).toBe(false);
  });

  it('shows the rule a decision rests on in the source’s own words', async () => {
    const a = await one('咱这边通过担保公司担保贷了400万，担保费率0.8%，这笔业务省财政给不给那个担保费补贴？');
    expect(a.answer).toContain('符合');
    expect(a.answer).toContain('原文：“');
    expect(a.answer).toContain('单户500万元以下');
  });

  it('does not take the size a measure is compared with (按小微那样) for the asker’s size', async () => {
    const a = await one('我们是沈阳一家中型民营制造企业，有笔流动资金贷款2027年6月到期，能不能按小微那样搞无还本续贷？');
    expect(a.answer).toContain('2027年9月30日');
  });

  it('holds a figure the asker states against the quoted limit', async () => {
    const a = await one('我想在辽信宝上测出来500万的信用贷款额度，在线测额能给测到这么多不');
    expect(a.answer.startsWith('不')).toBe(true);
    expect(a.answer).toContain('300万元');
    const b = await one('小公司，没固定经营场所，就在家里办公，能进融资协调机制的申报清单吗？');
    expect(b.answer.startsWith('不')).toBe(true);
  });
});

describe('details the text never states, asked in other words', () => {
  it('declines a fee, a disbursement time or a list of names the quoted text does not state', async () => {
    const [, fee] = await conversation('创投辽宁平台2025年要办多少场路演', '路演报名要交钱不？多少钱');
    expect(fee.answerable).toBe(false);
    const [, , names] = await conversation('担保那条，2025年新增担保业务目标多少', '服务多少户', '那担保公司具体哪几家能做这个补贴业务，给个名单');
    expect(names.answerable).toBe(false);
  });
});

describe('lists the documents give as headings, and why they were issued', () => {
  it('lists a document’s own numbered headings when the question counts them', async () => {
    const a = await one('若干举措一共几条，都是啥');
    expect(a.answer).toContain('用好无还本续贷政策');
    expect(a.answer).toContain('加大考核激励力度');
    // Each measure once, although the 操作指南 repeats every heading.
    expect(a.answer.split('用好无还本续贷政策').length).toBe(2);
  });

  it('lists the headings under grouping headings the question’s word names (榜单)', async () => {
    const a = await one('十大事件征集一共设了哪几个榜单');
    for (const name of ['十大科技金融事件', '十大数字金融事件', '上海示范案例', '年度技术创新突破', '年度产业赋能典范']) expect(a.answer).toContain(name);
  });

  it('gives the lines under a field heading the asked type names (申报主体)', async () => {
    const a = await one('金融新质生产力哪些机构有资格申报');
    for (const name of ['持牌金融机构', '金融科技公司', '学术研究机构']) expect(a.answer).toContain(name);
  });

  it('answers why a document was issued from its own preamble', async () => {
    const a = await one('为啥还要专门出一个操作指南');
    expect(a.answer).toContain('确保各项举措直达企业');
    const b = await one('若干举措出台是为了解决什么');
    expect(b.answer).toContain('破解民营企业融资难题');
  });

  it('does not answer a list question with a title alone', async () => {
    const a = await one('十大科技金融事件和十大数字金融事件征集，都有哪些榜单');
    expect(a.answer).toContain('年度技术创新突破');
  });
});

describe('a value the question itself names', () => {
  it('is not taken for the answer (the 大会 asked about is no place), while a named platform still answers', async () => {
    const a = await one('第三届东北亚金融大会 哪天开 在哪开');
    expect(a.answerable).toBe(false);
    const b = await one('想“货比三家”挑贷款银行，文件叫用啥平台比');
    expect(b.answer).toContain('辽宁省融资信用服务平台');
  });
});

describe('a yes/no the text settles for everyone', () => {
  it('is answered from the text even when the situation rules would ask for the case’s facts', async () => {
    const a = await one('我们厂想享受担保费补贴，是不是得先去财政厅递材料？');
    expect(a.answer).toContain('不必另行向财政部门提出申请');
    expect(a.answer).not.toContain('请问这笔担保');
    // Without such a question, the rules still ask for the fact a decision needs.
    const b = await one('我们能享受担保费补贴吗');
    expect(b.answer).toContain('单户担保金额');
  });
});

describe('the edition a document itself is', () => {
  it('does not count as another edition named in the question', async () => {
    const a = await one('第三届十大科技金融事件那个征集，一共有哪些榜单？');
    expect(a.answer).toContain('年度产业赋能典范');
    const b = await one('2024年第二届金融兴辽哪天截止');
    expect(b.answerable).toBe(false);
  });
});

describe('follow-ups and words the documents never use', () => {
  it('reads an elliptic follow-up about the quoted sentence only when it adds about one word of its own', async () => {
    const [, , perHousehold] = await conversation('辽系列信贷产品有哪些', '到2025年底计划弄到几种', '辽科贷一户最多能贷多少');
    expect(perHousehold.answerable).toBe(false);
    const [, cap] = await conversation('省财政那个担保费补贴是补多少', '有金额上限没');
    expect(cap.answer).toContain('500万元以下');
  });

  it('asks its own yes/no when it asks whether something is required', async () => {
    const [, own] = await conversation('担保费补贴，省财政补几个点', '那我需要单独去申请吗');
    expect(own.answer.startsWith('不需要')).toBe(true);
  });

  it('gives a subject’s short how-to whole when asked what to do about it', async () => {
    const [, what] = await conversation('贷款明白纸是指啥', '看了发现乱收费咋办');
    expect(what.answer).toContain('12378');
    // 「咋分的」 asks how a thing works, not what to do: the weights, not the how-to.
    const weights = await one('换个问，金融兴辽那边投票和专家又是咋分的？');
    expect(weights.answer).toContain('40%');
  });

  it('answers a narrow subject’s single value whatever unknown words come with it, never a measure’s', async () => {
    const a = await one('数字金融建设那类评几个');
    expect(a.answer).toContain('2个');
  });

  it('takes a label’s value (公众号：广州数金协会) but not the very thing the question names (规定时间)', async () => {
    const [, , account] = await conversation('点数成金的申报网址是啥', '电话呢', '有公众号能看通知不');
    expect(account.answer).toContain('广州数金协会');
    const days = await one('银行收齐材料以后“规定时间”内给答复，这个规定时间是几天');
    expect(days.answerable).toBe(false);
    const when = await one('走小微融资协调机制被推到银行以后，银行收齐材料多久给答复？');
    expect(when.answer).toContain('在规定时间内作出是否授信的决定');
  });
});

describe('fields named without their generic ending', () => {
  it('answers 「核心实践地」 with the 「核心实践地要求：」 line, and 「必须在哪」 is a where-question, not a yes/no', async () => {
    const a = await one('上海示范案例 核心实践地必须在哪');
    expect(a.answer).toContain('上海市行政区域内');
    expect(a.answer.startsWith('需要')).toBe(false);
    // An event's own field (路演答辩：…) does not answer when and where it is held.
    const b = await one('点数成金路演答辩具体哪天、在哪办？');
    expect(b.answerable).toBe(false);
  });
});

describe('tables in the documents', () => {
  it('are not answered with their header cells', async () => {
    const a = await one('点数成金 申报要准备啥材料，必须的有哪些');
    expect(a.answer).toContain('单位营业执照扫描件');
    expect(a.answer).not.toMatch(/\d\. 序号/);
  });
});

describe('two questions in one message', () => {
  it('answers each, the second keeping the first’s subject', async () => {
    const a = await one('点数成金申报书的“经验总结”最少写多少字，未来展望呢');
    expect(a.answer).toContain('不少于500字');
    expect(a.answer).toContain('不少于300字');
    const b = await one('金融新质生产力要交啥 material？证明文件具体指啥');
    expect(b.answer).toContain('申报表');
    expect(b.answer).toContain('第三方机构出具的成效验证报告');
  });
});

describe('what a measure gives a group it names', () => {
  it('is answered from the text, not with a policy check-up of the asker', async () => {
    const a = await one('民营上市后备企业能享受啥免费服务');
    expect(a.answer).toContain('财务合规等免费咨询服务');
    expect(a.answer).not.toContain('根据您提供的情况');
  });
});

describe('questions outside the documents, and the clause that asks', () => {
  it('declines personal credit even beside an enterprise word, and tax or registration questions', async () => {
    for (const q of ['我个人信用卡逾期了，征信能像企业信用修复那样修吗', '小规模纳税人增值税有啥减免', '注册个公司要多少注册资本']) {
      const a = await one(q);
      expect(a.answerable).toBe(false);
      expect(a.declineReason).toBe('out_of_scope');
    }
  });

  it('reads the verdict in the asking clause’s terms, not in a describing one', async () => {
    const a = await one('我们不是电力行业的，给一家大厂供货，手里有仓单，能拿去找银行融资吗');
    expect(a.answer.startsWith('可以')).toBe(true);
  });

  it('checks what was heard about a rule from the text (听说…真的假的)', async () => {
    const a = await one('听说无还本续贷现在中型企业也能沾光了，真的假的？');
    expect(a.answer).toContain('中型');
    expect(a.answer).not.toContain('请问这笔贷款');
  });
});

describe('figures against limits in conversation', () => {
  it('takes the largest of several figures against a ceiling and answers 「超没超」 with whether it meets the limit, then in its own terms', async () => {
    const a = await one('点数成金我们想4家单位一起联合申报一个项目，银行+两家科技公司+一个高校，行不');
    expect(a.answer.startsWith('不可以')).toBe(true);
    const b = await one('点数成金一家主申报加两家联合申报单位，一共三家，数量上超没超？');
    expect(b.answer.startsWith('符合要求，没超')).toBe(true);
  });

  it('does not hold rates against a limit on their difference', async () => {
    const a = await one('我们行各项贷款不良率2%，民营企业贷款不良率4.5%，还在容忍度内不？');
    expect(a.answer.startsWith('可以')).toBe(false);
    expect(a.answer.startsWith('不')).toBe(false);
  });

  it('asks about another province’s own programme outside the documents', async () => {
    const a = await one('吉林省有没有类似金融兴辽这种省里的金融优秀案例评选？');
    expect(a.declineReason).toBe('out_of_scope');
  });
});

describe('yes/no about how a thing is done', () => {
  it('opens the steps with the verdict their quoted rule gives', async () => {
    const a = await one('网上那套我搞不明白，失信修复去线下窗口行不行');
    expect(a.answer.startsWith('可以')).toBe(true);
    expect(a.answer).toContain('线下窗口');
  });

  it('checks a rule change asked as a statement (「…也能…了？」) from the text', async () => {
    const a = await one('中型民企现在也能无还本续贷了？');
    expect(a.answer.startsWith('是')).toBe(true);
    expect(a.answer).toContain('中型');
  });
});

describe('a question about a case collection', () => {
  it('is answered from the campaign’s text, never by the measures’ situation rules', async () => {
    const a = await one('点数成金入围的案例能得到啥支持');
    expect(a.answer).not.toContain('根据您提供的情况');
    expect(a.citations.every((c) => c.docId === 'dianshu-chengjin-2025')).toBe(true);
    expect(a.answer).toContain('广东数字金融案例库');
  });
});

describe('a question about a measure it names, with no case of the asker', () => {
  it('is answered from the measure’s text, not with a check-up of which measures fit', async () => {
    const a = await one('考核激励那条，对银行用啥政策');
    expect(a.answer).not.toContain('根据您提供的情况');
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations.every((c) => c.quote.length > 0 && !c.quote.includes('普惠金融直达工程'))).toBe(true);
  });
});

describe('another edition the documents report on', () => {
  it('is answered from the sentence that follows its name on the same line, and declined where they say nothing of it', async () => {
    const a = await one('上届金融兴辽也就是第二届，绿色金融优秀案例当时评了几家');
    expect(a.answerable).toBe(true);
    expect(a.answer).toContain('各6家');
    const b = await one('第二届金融兴辽报名是哪天截止的');
    expect(b.answerable).toBe(false);
  });
});

describe('a count asked in its own measure word', () => {
  it('is not answered with a figure of something else, and is answered in a measure word that counts the same', async () => {
    const a = await one('金融兴辽投票环节每人每天限投多少票');
    expect(a.answerable).toBe(false);
    expect(a.declineReason).toBe('no_detail');
    const b = await one('金融兴辽绿色金融示范类评几家');
    expect(b.answer).toContain('5个');
  });
});

describe('a document’s own opening', () => {
  it('says when it was issued (the date under its signature), and a date inside it when that is asked', async () => {
    const a = await one('辽宁金融支持民营经济那个若干举措是几月几号下发的');
    expect(a.answer).toContain('2025年4月16日');
    const b = await one('若干举措里平台的各市专版啥时候建完');
    expect(b.answer).toContain('各市专版建设完成');
  });

  it('says who issued it (the notice), not a measure’s responsible units', async () => {
    const a = await one('辽宁那个金融支持民营经济的若干举措，是哪个部门发的文啊？');
    expect(a.answer).toContain('辽宁省人民政府办公厅');
    expect(a.answer).not.toContain('责任单位');
  });
});

describe('campaign eligibility asked in the conversation', () => {
  it('answers no with the rule a stated fact fails', async () => {
    const founded = await one('我们公司是2024年10月才注册成立的，打算下一期报点数成金，经营满两年了吗');
    expect(founded.answer.startsWith('不')).toBe(true);
    expect(founded.citations.map((c) => c.quote).join('')).toContain('持续经营满两年');
    const joint = await one('点数成金，我们打算6家单位一起联合申报，行不行');
    expect(joint.answer.startsWith('不可以')).toBe(true);
    expect(joint.citations.map((c) => c.quote).join('')).toContain('不超过3家');
    const outside = await one('我们的风控模型只在山东用，没在广东落地，报点数成金行吗');
    expect(outside.answer.startsWith('不可以')).toBe(true);
    expect(outside.citations.map((c) => c.quote).join('')).toContain('落地应用于广东');
  });

  it('answers a conditional yes to who may apply, with the line that names the asker’s kind, the rules still open and what to tell', async () => {
    const insurer = await one('我们是锦州注册的一家保险公司，能参加金融兴辽吗');
    expect(insurer.answer.startsWith('有条件可以')).toBe(true);
    expect(insurer.citations.map((c) => c.quote).join('')).toContain('辽宁省内注册的金融机构');
    // The year of the work is still open: its rule is quoted and asked for.
    expect(insurer.answer).toContain('还需要确认：请问这个案例是哪一年开展的？');
    const lab = await one('我们是一所高校的研究院，能申报金融新质生产力案例吗');
    expect(lab.answer.startsWith('有条件可以')).toBe(true);
    expect(lab.citations[0].quote).toBe('学术研究机构：开展相关研究的高校、科研院所、实验室等');
    // Every rule met: a plain yes, with the declarations the form requires said as assumptions.
    const leasing = await one('我们是大连注册的融资租赁公司，2025年给瓦房店几家轴承厂做了设备直租，能报金融兴辽不');
    expect(leasing.answer.startsWith('可以')).toBe(true);
  });
});

describe('several questions in one message', () => {
  it('answers the eligibility asked, then the details asked beside it, each with its own quotes', async () => {
    const a = await one('我们是锦州注册的一家保险公司，能报金融兴辽吗？报名截止哪天？材料发哪个邮箱？');
    expect(a.answer.startsWith('有条件可以')).toBe(true);
    expect(a.answer).toContain('2025年10月9日');
    expect(a.answer).toContain('JRXL2025@126.com');
    const markers = new Set([...a.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    expect(markers.size).toBe(a.citations.length);
  });
});

describe('arithmetic the question asks of the text', () => {
  it('sums the parts a question lists, the unit said once holding for all, and holds the total against the limit', async () => {
    const over = await one('新质生产力案例报告分了五块：背景七百字、技术方案一千六、实施过程1300、量化成效一千、推广价值600，总字数在要求范围内不？');
    expect(over.answer).toMatch(/^不[^。]*。5部分合计5200字/);
    const within = await one('新质生产力案例报告分了四块：背景八百字、技术方案一千五、实施过程1000、推广价值700，总字数在要求范围内不？');
    expect(within.answer).toContain('4部分合计4000字');
    expect(within.answer.startsWith('不')).toBe(false);
  });

  it('sums a report’s sections counted one by one when the word count is asked, not a total, leaving figures of other things out (set N)', async () => {
    const a = await one('新质生产力的案例报告：创新背景八百字，技术方案架构一千四，实施过程1000，量化成效600，推广价值500。附件的测试报告有20页。字数符合要求吗？');
    expect(a.answer).toMatch(/^(?:是|符合)[^。]*。5部分合计4300字/);
  });

  it('adds the period the text gives to the day the asker names (最快 picks the fastest), in calendar days, and says so', async () => {
    const ask = await (await postJson(t.app, '/api/ask', { question: '被行政处罚了，能在信用中国（辽宁）网上申请信用修复不？' })).json();
    const day = await (await postJson(t.app, '/api/ask', { question: '我们12月30号提交，最快哪天能修好？', conversationId: ask.conversationId })).json();
    expect(day.answer).toContain('按2026年12月30日提交、最快3天计（按自然日），为2027年1月2日');
  });

  it('says how far a figure is from the limit when asked 差多少 (450w is 450万), money in 万元 as the text writes it', async () => {
    const a = await one('想要500w信用贷，辽信宝在线测额最多能评多少？差多少？');
    expect(a.answer).toContain('按500万元计，比300万元的限额多200万元');
    const verdict = await one('辽信宝在线测额能测出500万不');
    expect(verdict.answer).toContain('按500万元计，超出300万元的上限200万元');
  });

  it('totals the figures of the listed items when asked 一共多少', async () => {
    const a = await one('金融兴辽这些类别加起来一共评多少个优秀案例？');
    expect(a.answer).toContain('= 36个');
  });
});

describe('arithmetic the rules state, done in the chat', () => {
  it('works out the score one part needs for a target total, and says when it is out of reach', async () => {
    const need = await one('金融兴辽 网络投票拉票拉得不咋地 估计也就70分 想综合得分到85的话专家评审得打多少分才够');
    expect(need.answer).toContain('专家评审需要至少95分：（85 − 网络投票70分×40%）÷ 60% = 95分');
    const out = await one('金融兴辽网络投票才20分，想综合得分到90，专家评审得多少分');
    expect(out.answer).toContain('即使满分也达不到90分');
  });

  it('totals the scores given by the weights the campaign’s document states, quoting the weights', async () => {
    const jxl = await one('金融兴辽最后咋算分？假设我们网络投票折算下来八十分，专家评审打了90分，综合得多少');
    expect(jxl.answer.startsWith('综合得分为86分')).toBe(true);
    expect(jxl.citations[0].quote).toContain('网络投票环节所占权重为40%');
    const ds = await one('点数成金综合分咋算的？我们专业评审88分，网络投票70分，综合是多少');
    expect(ds.answer).toContain('87.1分');
    expect(ds.citations[0].quote).toContain('专业评审占比95%');
    // One score alone is no total: the weights are answered from the text.
    expect((await one('金融兴辽网络投票占多少权重')).answer).not.toContain('综合得分为');
  });

  it('reads scores however they are typed (set L): full marks, a bare figure ending its item, a target 整到', async () => {
    const full = await one('点数成金 我们专业评审 76 分，网络投票搞了一波宣传拿了满分 100，拉了两万票，综合多少');
    expect(full.answer).toContain('专业评审76分×95% + 网络投票100分×5% = 77.2分');
    const need = await one('金融兴辽网络投票估计70分，想把综合分整到82分，专家评审得多少');
    expect(need.answer).toContain('专家评审需要至少90分');
  });

  it('says which of two named cases has the higher total when asked whether one passes the other', async () => {
    const compare = await one('点数成金比一下：甲 专业评审 80、网络投票 100；乙 专业评审 84、网络投票 20。甲能反超乙吗');
    expect(compare.answer.startsWith('能：甲（第1组）综合得分81分，高于乙（第2组）的80.8分')).toBe(true);
    // Without a question of which is higher, the totals come alone.
    expect((await one('点数成金算两组：甲 专业评审 80、网络投票 100；乙 专业评审 84、网络投票 20，综合各多少')).answer.startsWith('按您给的2组分数')).toBe(true);
  });

  it('counts a quoted name as the documents count 字数, and says by how much a figure misses its limit', async () => {
    const name = await one('点数成金案例名称我们拟的是“基于联邦学习技术在小微企业普惠信贷风控领域的应用”，字数符合要求不？');
    expect(name.answer.startsWith('不符合')).toBe(true);
    expect(name.answer).toContain('按24字计，超出20字的上限4字');
    const summary = await one('点数成金申报书里案例简介我们写了230字，符合字数要求不？');
    expect(summary.answer).toContain('超出200字的上限30字');
    const short = await one('点数成金的案例简介写了180字行不');
    expect(short.answer.startsWith('可以')).toBe(true);
    expect(short.answer).toContain('距200字的限额还有20字');
  });
});

describe('figures the measures’ rules work out in a conversation', () => {
  const ask = async (question: string, conversationId?: string) =>
    (await postJson(t.app, '/api/ask', { question, ...(conversationId ? { conversationId } : {}) })).json();

  it('fills the fact it asked for from a bare reply, and answers a follow-up for the amount with the same case', async () => {
    const first = await ask('担保费补贴 我们能有不');
    expect(first.answer).toContain('请问这笔担保的单户担保金额是多少');
    const reply = await ask('三百万 百分之零点八', first.conversationId);
    expect(reply.answer.startsWith('符合')).toBe(true);
    expect(reply.answer).toContain('300万元 × 0.5% = 1.5万元');
    const amount = await ask('那能补多少钱？', reply.conversationId);
    expect(amount.answer).toContain('1.5万元');
  });

  it('says by how much a guarantee exceeds the single-account limit, and how far a figure is from a ceiling when asked', async () => {
    const over = await ask('客户贷款一千二百万，担保公司给担保八百万，费率0.6%。这笔担保超了多少？还能享受补贴吗');
    expect(over.answer).toContain('800万元超过了500万元，超出300万元');
    const gap = await ask('我们想在辽信宝上整五百万的信用贷，测额最多给多少？差的那部分有多少得靠担保或者抵押？');
    expect(gap.answer).toContain('比300万元的限额多200万元');
  });

  it('asks the guarantee amount instead of taking the loan’s when the guarantee is said to be open', async () => {
    const open = await ask('我们要贷八百万，担保公司说担保费率0.9%，担保金额还在谈，可能全额担也可能只担一部分，这种能有补贴不');
    expect(open.answer.startsWith('有条件可以')).toBe(true);
    expect(open.answer).toContain('请问这笔担保的单户担保金额是多少');
  });

  it('counts a day named after a start today as days (今天提交，明天能修好不 against 最快仅需3天)', async () => {
    const tomorrow = await ask('明天上午就投标了今天才发现有条行政处罚的失信记录今天在网上提交修复明天能修好不');
    expect(tomorrow.answer.startsWith('不')).toBe(true);
  });

  it('says how far a figure is from a floor or a range, not only a ceiling', async () => {
    const short = await ask('新质生产力的案例报告写了2800字，够不够？不够的话还差多少字');
    expect(short.answer.startsWith('不够')).toBe(true);
    expect(short.answer).toContain('按2800字计，距3000字的下限还差200字');
  });

  it('holds the new figures of a follow-up to the rule the last answer quoted, a bare number in the last figure’s unit', async () => {
    const logo = await ask('新质生产力要交的logo，我们设计给的是PNG，1000*1000，150kb，能直接用吗');
    expect(logo.answer.startsWith('不可以')).toBe(true);
    expect(logo.answer).toContain('格式为PNG，要求JPG格式');
    const bigger = await ask('ok转成jpg了，结果变成260kb，1000*1000没变，这回行了吧', logo.conversationId);
    expect(bigger.answer.startsWith('不')).toBe(true);
    expect(bigger.answer).toContain('按260KB计，超出200KB的上限60KB');
    const fits = await ask('又压了一下 190kb 还是1000*1000 jpg', bigger.conversationId);
    expect(fits.answer.startsWith('是')).toBe(true);
    const report = await ask('新质生产力那个案例报告我们写了四千八百字 字数中不中');
    const longer = await ask('领导又让加内容 估计得写到五千五 那还中不', report.conversationId);
    expect(longer.answer).toContain('按5500字计，超出5000字的上限500字');
    // A follow-up that asks something else about the same rule is not a re-check.
    const first = await ask('担保300万，费率0.8%，能享受0.5%担保费补贴吗');
    const who = await ask('还是说300万那笔，补贴的钱是打给我们企业吗？', first.conversationId);
    expect(who.answer).not.toContain('距500万元的限额');
  });

  it('answers 「…超了没？超了要删多少？」 with the verdict and the gap, and reads 新质 as the campaign', async () => {
    const cut = await ask('点数成金申报书里的案例简介我们写了230字，超了没？超了要删多少？');
    expect(cut.answer).toContain('按230字计，超出200字的上限30字');
    const logo = await ask('商标图我们导出来是JPG，1000*1000像素，但是350kb，新质那个要求行不行？得压掉多少？');
    expect(logo.answer.startsWith('不可以')).toBe(true);
    expect(logo.answer).toContain('按350KB计，超出200KB的上限150KB');
    // A gap asked after a question for a figure (not a yes/no) is kept: 「最多能评多少？…差多少？」.
    const gap = await ask('想要450w信用贷，辽信宝在线测额最多能评多少？差的那部分得靠啥补？差多少？');
    expect(gap.answer).toContain('150万元');
  });

  it('holds a figure to a ceiling only when asked about what the ceiling bounds', async () => {
    // 「最高可获得300万元的信用贷款额度评估，若…不能满足…可…申请贷款」: the 额度 is bounded, applying for a loan is not.
    expect((await ask('我想在辽信宝上直接测出500万的纯信用额度，能行不？')).answer.startsWith('不')).toBe(true);
    expect((await ask('辽信宝测额只测出来一百五十万，我们要四百万，还能接着在平台上申请贷款不？')).answer.startsWith('可以')).toBe(true);
  });
});

describe('a case described in the chat', () => {
  it('gets the tracks /api/recommend gives, the campaigns it may not apply to, and a pointer to the case form', async () => {
    const description = '我们是沈阳的一家城商行，2025年在铁岭推出“惠农e贷”，给种植户发放纯信用贷款，累计放款1.2万笔、18.6亿元。广东那边我们没业务。这个报哪个合适？点数成金能行不？';
    const body = await (await postJson(t.app, '/api/ask', { question: description })).json();
    expect(body.answer.startsWith('根据您描述的案例，较合适的赛道')).toBe(true);
    expect(body.tracks.recommendations[0]).toMatchObject({ trackId: 'jxl-inclusive', eligible: true });
    expect(body.tracks.recommendations.some((r: any) => r.campaignId === 'dianshu-chengjin-2025' && r.eligible === false)).toBe(true);
    expect(body.answer).toContain('不能申报2025年“点数成金”');
    expect(body.answer).toContain('赛道推荐');
    const recommend = await (await postJson(t.app, '/api/recommend', { case: { description } })).json();
    expect(recommend.recommendations.filter((r: any) => r.fits && r.eligible !== false)[0].trackId).toBe(body.tracks.recommendations[0].trackId);
    // Every marker points at a citation, renumbered across the tracks.
    const markers = new Set([...body.answer.matchAll(/\[(\d+)\]/g)].map((m: RegExpMatchArray) => Number(m[1])));
    expect(markers.size).toBe(body.citations.length);
  });

  it('is read as a case, not declined as another province’s or a person’s affairs, when it names places and things of its own', async () => {
    for (const question of [
      '上海某基金公司投研部。2025年上线了大模型投研助手，自动读研报、搭产业链图谱，研究员写报告的时间缩短一半，覆盖行业研究员80人。我们不在辽宁。哪个赛道最合适？',
      '辽宁一家寿险公司（总部在沈阳）。2024年上线养老规划助手：按客户年龄、收入、社保缴费和家庭情况给出退休前后的养老资产配置建议，2025年服务客户8万人，养老年金保费同比增长30%。',
    ]) {
      const body = await (await postJson(t.app, '/api/ask', { question })).json();
      expect(body.answerable).toBe(true);
      expect(body.answer.startsWith('根据您描述的案例')).toBe(true);
      expect(body.tracks.recommendations.length).toBeGreaterThan(0);
    }
  });

  it('answers a yes/no on one campaign first, then gives a case told at length the tracks it fits, citations numbered on', async () => {
    const question =
      '杭州一家数据科技公司，跟两家持牌券商合作的。我们做的是基于AI的债券违约预警系统，实时抓舆情、财报、司法数据做关联分析，2024年以来提前三个月以上预警了27只违约债。听说点数成金是面向全国征集的，我们应该能报吧？不过我们客户都在江浙沪，广东一家都没有。';
    const body = await (await postJson(t.app, '/api/ask', { question })).json();
    // 「广东一家都没有」 says where the case does not run: the verdict is a no on the Guangdong rule, not a conditional yes.
    expect(body.answer.startsWith('不')).toBe(true);
    expect(body.answer).toContain('落地应用于广东');
    expect(body.answer).toContain('各项征集中较合适的赛道');
    expect(body.tracks.recommendations.some((r: any) => r.trackId === 'xz-5-2')).toBe(true);
    const markers = new Set([...body.answer.matchAll(/\[(\d+)\]/g)].map((m: RegExpMatchArray) => Number(m[1])));
    expect(markers.size).toBe(body.citations.length);
    expect(body.citations.map((c: any) => c.n)).toEqual(body.citations.map((_: unknown, i: number) => i + 1));
    // A short yes/no on one campaign stays a verdict alone.
    const short = await (await postJson(t.app, '/api/ask', { question: '我们是大连注册的城商行，能报金融兴辽不？' })).json();
    expect(short.answer).not.toContain('较合适的赛道');
  });

  it('leaves an enterprise telling its own financing situation to the measures', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '我们是沈阳的一家机械加工厂，去年贷了500万流动资金贷款，明年3月到期，资金周转有点紧张。' })).json();
    expect(body.tracks).toBeUndefined();
    expect(body.answer).not.toContain('较合适的赛道');
  });

  it('takes the facts a follow-up gives in answer to the conditions it was asked, with the case told before', async () => {
    const first = await postJson(t.app, '/api/ask', { question: '我们是做大模型的科技公司，智能投研产品2023年就上线了，一直在用。想报新质生产力，我们这种公司能报不？' });
    const a = await first.json();
    expect(a.answer.startsWith('有条件可以')).toBe(true);
    expect(a.answer).toContain('持牌金融机构');
    const b = await (await postJson(t.app, '/api/ask', { question: '我们给两家城商行做的技术服务', conversationId: a.conversationId })).json();
    expect(b.answer.startsWith('可以')).toBe(true);
    const c = await (await postJson(t.app, '/api/ask', { question: '我们是做大模型的科技公司，智能投研产品2023年就上线了，一直在用。想报新质生产力，我们这种公司能报不？' })).json();
    const d = await (await postJson(t.app, '/api/ask', { question: '没有和任何持牌金融机构合作', conversationId: c.conversationId })).json();
    expect(d.answer.startsWith('不可以')).toBe(true);
  });

  it('asks the campaign’s rules again when a follow-up adds facts to a no (「这回呢」「这样算不算」)', async () => {
    const a = await (await postJson(t.app, '/api/ask', { question: '我们广州的项目是2026年2月才全面上线的，点数成金那次能报不' })).json();
    expect(a.answer.startsWith('不可以')).toBe(true);
    const b = await (await postJson(t.app, '/api/ask', { question: '其实25年11月就先在佛山一个支行上线了，当月就放了款。这样算不算', conversationId: a.conversationId })).json();
    expect(b.answer.startsWith('不可以')).toBe(false);
    expect(b.citations.map((c: any) => c.quote).join('')).toContain('2025年底前实施应用');
  });

  it('still declines a person’s own affairs asked in a conversation about a campaign', async () => {
    const a = await (await postJson(t.app, '/api/ask', { question: '点数成金的申报截止到哪天' })).json();
    const b = await (await postJson(t.app, '/api/ask', { question: '顺便问下，我个人信用卡逾期了俩月，咋整能不上征信', conversationId: a.conversationId })).json();
    expect(b.answerable).toBe(false);
  });

  it('reads a case introduced in its second clause or as a bare noun phrase, asking 「报X哪类」', async () => {
    for (const question of [
      '营口这边的，某银行营口分行。2025年给一家大型化工集团上下游做供应链金融，用大模型核验订单和结算数据，给上游300家配套企业放应收账款融资40亿。报哪个？',
      '本溪的政府性融资担保公司。2025年跟2家银行、1家创投搞“股贷债保”联动，服务科技型中小企业80户，担保金额5亿。报金融兴辽哪类？',
    ]) {
      const body = await (await postJson(t.app, '/api/ask', { question })).json();
      expect(body.answer.startsWith('根据您描述的案例')).toBe(true);
    }
  });

  it('reads 「报A还是B」 as asking which fits', async () => {
    const question = '沈阳某银行分行科技金融部。2025年给浑南1800家科技型企业按初创期、成长期分层配产品，初创期做科创积分贷，成长期做接力贷，全年科技型企业贷款增加30亿。报新质还是金融兴辽？';
    const body = await (await postJson(t.app, '/api/ask', { question })).json();
    expect(body.answer.startsWith('根据您描述的案例')).toBe(true);
  });

  it('leaves a question about one fact of a campaign to the text', async () => {
    const body = await (await postJson(t.app, '/api/ask', { question: '金融兴辽报名截止到哪天？' })).json();
    expect(body.tracks).toBeUndefined();
  });
});

describe('figures held against a limit, in the question’s terms', () => {
  it('reads 「5800多字」「22个字」 and a limit written 「20字内」, and says first whether the figure meets it', async () => {
    const report = await one('新质生产力案例报告我们写了5800多字，超了没事吧');
    expect(report.answer.startsWith('不符合要求，超了')).toBe(true);
    const name = await one('点数成金案例名称我们拟了个22个字的，超没超');
    expect(name.answer.startsWith('不符合要求，超了')).toBe(true);
    expect(name.citations.map((c) => c.quote).join('')).toContain('20字内');
    const brief = await one('点数成金 案例简介我们写了150个字 行不');
    expect(brief.answer.startsWith('可以')).toBe(true);
  });
});

describe('a yes/no about a procedure on something other than whether the asker may', () => {
  it('is answered from the text, not by the procedure rules’ yes (who recognises it, whether it must be done in person)', async () => {
    const recognised = await one('我们在市场监管那边修复完了失信记录，税务那边认不认这个修复结果？');
    expect(recognised.answer.startsWith('是的')).toBe(true);
    expect(recognised.citations.map((c) => c.quote).join('')).toContain('信用修复结果互认');
    // (「当面办」 is how it is done: the rules’ 「需要」 would answer whether the repair is needed.)
    const inPerson = await one('公司被行政处罚了想做信用修复，是不是必须跑省里窗口当面办？');
    expect(inPerson.answer.startsWith('需要')).toBe(false);
  });
});

describe('whether the asker may use a measure whose text names whom it is for', () => {
  it('says yes when the facts the question states put the asker there, and only quotes whom it is for otherwise', async () => {
    const never = await one('我们厂开了五年了，从来没在银行贷过款，想去首贷中心问问，能申请不？');
    expect(never.answer.startsWith('可以')).toBe(true);
    expect(never.citations.map((c) => c.quote).join('')).toContain('未获得过银行贷款');
    const borrowed = await one('我们之前贷过款了，还能去首贷中心申请吗');
    expect(borrowed.answer.startsWith('可以')).toBe(false);
    expect(borrowed.answer).toContain('未获得过银行贷款');
    const covid = await one('受疫情影响暂时没了还款来源，后来跟银行重新达成了还款安排，能按调整后的安排报送征信吗');
    expect(covid.answer.startsWith('可以')).toBe(true);
    // The epidemic said not to be the cause is no fact that it was (「跟疫情没关系」「疫情那几年生意其实还行」).
    for (const q of ['我们是自己经营不善资金链断了才逾期的，跟疫情没关系，能走征信权益保障调记录不', '疫情那几年我们生意其实还行，逾期是因为下游拖款，征信权益保障的政策能帮我们调整征信记录吗']) {
      expect((await one(q)).answer.startsWith('可以')).toBe(false);
    }
  });
});

describe('an image held against the format, size and pixels a rule sets', () => {
  it('fails on any one of them, says the pixels it held, and reads sizes in words (一百八十KB, 150k)', async () => {
    const small = await one('新质生产力商标图JPG，150kb，尺寸350×350，可以吗');
    expect(small.answer.startsWith('不可以。按350×350像素计，不在400×400至1500×1500之间。')).toBe(true);
    const fine = await one('新质生产力商标图JPG，一百八十KB，尺寸1000乘1000，行不行');
    expect(fine.answer.startsWith('可以')).toBe(true);
    expect(fine.answer).toContain('按1000×1000像素计，在400×400至1500×1500之间');
    expect(fine.answer).toContain('按180KB计');
    const heavy = await one('新质生产力商标图JPG，二百五十KB，尺寸1000乘1000，行不行');
    expect(heavy.answer.startsWith('不可以')).toBe(true);
  });

  it('matches a question full of the asker’s own figures by its words, each figure one mark whatever its value', async () => {
    const a = await one('新质生产力要的商标图，我们这张JPG，一百六十KB，尺寸380乘380，行不行啊');
    expect(a.answerable).toBe(true);
    expect(a.answer.startsWith('不可以。按380×380像素计')).toBe(true);
  });
});

describe('the conditions a rule lists, held against those the question says it meets', () => {
  it('is a yes when it says all, a conditional yes naming the rest when it says some, a no when it lacks one', async () => {
    const some = await one('我们一直合规经营，有固定经营场所，融资需求也是真的，能进申报清单不');
    expect(some.answer.startsWith('有条件可以：您说到的符合，还要满足“信用状况良好”、“贷款用途依法合规”。')).toBe(true);
    const all = await one('我们合规持续经营、有固定经营场所、融资需求真实、信用状况良好、贷款用途依法合规，能进申报清单吗');
    expect(all.answer.startsWith('可以')).toBe(true);
    const lacking = await one('我们没有固定经营场所，别的都行，能进申报清单不');
    expect(lacking.answer.startsWith('不可以')).toBe(true);
    // Said as poor is not met (「信用状况一般」).
    const hedged = await one('我们合规持续经营、有固定经营场所、融资需求真实、信用状况一般、贷款用途依法合规，能进申报清单吗');
    expect(hedged.answer.startsWith('可以')).toBe(false);
  });
});

describe('a proposed name held against what a name must not carry', () => {
  it('says no to a name carrying an organisation’s or a product’s name, whatever its length, and why', async () => {
    const bank = await one('点数成金的案例名称我们想叫“华信银行智能授信应用”，一共才十来个字，没超20字，能这么起不');
    expect(bank.answer.startsWith('不可以。名称中含有“华信银行”')).toBe(true);
    expect(bank.citations.map((c) => c.quote).join('')).toContain('名称中不应包含企业、品牌、产品等名称信息');
    // A name not shown: the rule’s 「不应」 decides nothing.
    const unseen = await one('点数成金的案例名称用这个可以吗');
    expect(unseen.answer.startsWith('不可以')).toBe(false);
    const brand = await one('点数成金案例名称叫“基于隐私计算的“数链通”平台应用”行不');
    expect(brand.answer.startsWith('不可以。名称中含有“数链通”')).toBe(true);
    // A domain word is no organisation’s name: 手机银行 in a name is held against the word limit only.
    const domain = await one('点数成金案例名称叫“基于大模型的手机银行客服应用”，字数行不行');
    expect(domain.answer.startsWith('可以')).toBe(true);
  });
});

describe('matching the question bank by what is asked', () => {
  it('does not answer a question with words of its own by a way of asking that only names the subject', async () => {
    // The bank holds 「征信权益 保障」 for the measure as a whole; the question asks what it requires of banks.
    const a = await one('征信权益保障这条对银行有啥要求');
    expect(a.answer).not.toMatch(/^十一、落实征信权益保障政策/);
    expect(a.citations.map((c) => c.quote).join('')).toContain('金融机构');
  });

  it('ranks the entries of a named subject by what is asked of it, not by how much of its name they spell out', async () => {
    const a = await one('小微企业融资协调工作机制，报进申报清单得符合啥标准');
    expect(a.citations.map((c) => c.quote).join('')).toContain('5项标准');
  });

  it('shows one long sentence that walks through a procedure as numbered steps', async () => {
    const a = await one('想用电e金服贷款，具体咋操作');
    expect(a.answer).toMatch(/^1\. /m);
    expect(a.answer).toMatch(/^2\. /m);
    expect(a.answer).toContain('【注册】');
    const starts = a.citations.map((c) => c.start);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
  });

  it('declines service hours the documents do not give, and does not answer 「有」 for a number the question names itself', async () => {
    const a = await one('12378举报电话晚上有人接吗');
    expect(a.answerable).toBe(false);
    expect(a.answer.startsWith('有')).toBe(false);
  });
});

describe('elliptic follow-ups', () => {
  it('ask a new kind of detail of what the last question named (「在哪能看到」 after 「结果公示是哪天」)', async () => {
    const [first, where] = await conversation('金融兴辽 结果公示是哪天', '在哪能看到');
    expect(first.answer).toContain('2025年10月21日');
    expect(where.answerable).toBe(true);
    expect(where.citations.map((c) => c.quote).join('')).toContain('新华社客户端');
  });

  it('read 「网投」 as 网络投票 when the next campaign is asked the same', async () => {
    const [, other] = await conversation('金融兴辽里网络投票占多大权重', '那点数成金的网投呢？');
    expect(other.answer).toContain('5%');
    expect(other.citations.every((c) => c.docId === 'dianshu-chengjin-2025')).toBe(true);
  });
});
