import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/corpus/corpus.ts';
import { FrameReader, type Frame } from '../../src/understand/frame.ts';
import { Gazetteer } from '../../src/understand/gazetteer.ts';
import { parseAskedTypes, parseScope } from '../../src/understand/lexicons.ts';
import { loadCorpus, readCorpusFile } from '../support/corpus.ts';

let corpus: Corpus;
let gazetteer: Gazetteer;
let reader: FrameReader;

beforeAll(async () => {
  corpus = await loadCorpus();
  gazetteer = new Gazetteer(corpus, readCorpusFile('gazetteer.json'));
  reader = new FrameReader({ gazetteer, types: parseAskedTypes(readCorpusFile('asked-types.json')), scope: parseScope(readCorpusFile('scope.json')) });
});

const read = (q: string, previous?: Frame) => reader.read(q, previous);

describe('the gazetteer', () => {
  it('finds every section and mention it names in the corpus', () => {
    expect(gazetteer.problems).toEqual([]);
    for (const s of gazetteer.subjects) expect(s.spans.length, s.id).toBeGreaterThan(0);
  });

  it('reads colloquial and typo names as their subject', () => {
    expect(gazetteer.named('辽信保上咋测额').map((s) => s.id)).toEqual(['platform:lnzhjr']);
    expect(gazetteer.named('广州那个数字金融的活动').map((s) => s.id)).toEqual(['campaign:ds']);
    expect(gazetteer.named('无还本续代咋申请').map((s) => s.id)).toEqual(['measure:3']);
    expect(gazetteer.named('辽字头的贷款产品有哪些').map((s) => s.id)).toEqual(['measure:8']);
  });

  it('reads a campaign’s name typed with one character wrong as that campaign, never a word the documents use', () => {
    expect(gazetteer.named('金融心辽啥时候截止').map((s) => s.id)).toEqual(['campaign:jxl']);
    expect(gazetteer.named('点数成今的邮寄地址').map((s) => s.id)).toEqual(['campaign:ds']);
    // 债权融资 is a word of the documents (beside 股权融资), 台上贷款 no campaign's name.
    expect(gazetteer.named('点了债权融资以后要填啥').map((s) => s.id)).not.toContain('measure:7');
    expect(gazetteer.named('平台上贷款最快啥时候放款').map((s) => s.id)).toEqual([]);
    // Other subjects' names from five characters.
    expect(gazetteer.named('融资信用服务平抬网址多少').map((s) => s.id)).toEqual(['platform:lnzhjr']);
  });

  it('keeps the more specific of a track and its campaign', () => {
    expect(gazetteer.named('金融兴辽的普惠金融深化优秀案例名额').map((s) => s.id)).toEqual(['jxl:inclusive']);
  });

  it('places a subject’s spans in its own text only', () => {
    const xz = gazetteer.get('campaign:xz')!;
    const email = corpus.document('xinzhi-shengchanli-2025')!.text.indexOf('zhaofeifei1@xinhua.org');
    expect(gazetteer.holds([xz], 'xinzhi-shengchanli-2025', email, email + 5)).toBe(true);
    const jxlEmail = corpus.document('jinrong-xingliao-2025')!.text.indexOf('JRXL2025@126.com');
    expect(gazetteer.holds([xz], 'jinrong-xingliao-2025', jxlEmail, jxlEmail + 5)).toBe(false);
  });
});

describe('asked types', () => {
  it('reads what is asked for, in colloquial and mixed wording', () => {
    expect(read('新质生产力的邮箱是啥').types).toEqual(['email']);
    expect(read('金融兴辽 deadline 是哪天').types).toEqual(['date']);
    expect(read('驿站电话多少').types).toContain('phone');
    expect(read('点数成金纸质材料寄到哪').types).toEqual(['address']);
    expect(read('商标图多大，啥格式').types).toEqual(expect.arrayContaining(['format']));
    expect(read('信用修复咋整').types).toEqual(['steps']);
    // 「是哪八个」「哪四类」: a list, its size said (set N).
    expect(read('点数成金那四类是哪四类').types).toEqual(['list']);
    expect(read('十大事件 专项榜是哪三个啊').types).toContain('list');
    // 「在哪天之前」 asks a day, not a place.
    expect(read('中型企业贷款到期日在哪天之前才行').types).not.toContain('place');
    expect(read('申报方向可以多选吗').types).toEqual(expect.arrayContaining(['yesno', 'format']));
    // English mixed in, as business owners type it.
    expect(read('金融兴辽 what are the attachments').types).toContain('materials');
    expect(read('点数成金 who can apply').types).toContain('target');
    expect(read('新质生产力 word limit 多少').types).toContain('format');
    expect(read('驿站 hotline').types).toContain('phone');
  });

  it('reads 「V点啥」 as “something”, not a button to press, and 「哪几点」 as points, not a time', () => {
    expect(read('平台上认证完以后都能干点啥').types).not.toContain('button');
    expect(read('去首贷中心要准备点啥').types).not.toContain('button');
    expect(read('去了得提供点啥信息').types).not.toContain('button');
    expect(read('要融资点啥按钮').types).toContain('button');
    expect(read('上海示范案例的核心特征要体现哪几点').types).not.toContain('hours');
    expect(read('政务服务中心几点开门').types).toContain('hours');
  });

  it('reads 东北话 ways of asking where, how much and what it is (搁哪, 哪嘎达, 多钱, 啥玩意)', () => {
    expect(read('首贷中心搁哪').types).toContain('place');
    expect(read('信用中国辽宁网站在哪嘎达').types).toContain('website');
    expect(read('修一次信用多钱').types).toContain('amount');
    expect(read('两书同达是啥玩意').types).toContain('reason');
  });

  it('reads 东北话 ways of asking when and how long (多暂, 多老长时间)', () => {
    expect(read('金融兴辽多暂截止').types).toContain('date');
    expect(read('测额得等多老长时间').types).toContain('period');
  });

  it('reads 「哪些平台」「哪个渠道」 as asking where (a platform or channel), even after 「在」', () => {
    expect(read('金融兴辽的结果在哪些平台能看到').types).toContain('website');
    expect(read('续贷需求能从哪些渠道提').types).toContain('website');
  });

  it('reads who reviews or scores as the organiser asked for, not who will contact the asker', () => {
    expect(read('新质生产力是谁来评审的').types).toContain('organiser');
    expect(read('点数成金由谁打分').types).toContain('organiser');
    expect(read('后面谁来联系我').types).not.toContain('organiser');
  });

  it('reads the asked types after 「想问问」「请问」, where the asker turns from the story to the question', () => {
    expect(read('我们准备材料准备了半个月了，想问问金融兴辽截止哪天').types).toEqual(['date']);
    expect(read('金融兴辽截止哪天').types).toEqual(['date']);
  });

  it('reads 「好几家」「几十万」 as amounts the asker states, not as asking how many', () => {
    expect(read('我手上好几家企业贷款快到期了，续贷咋办').types).not.toContain('amount');
    expect(read('担保费补贴一户最多补多少').types).toContain('amount');
  });

  it('keeps every detail of a question that asks two', () => {
    expect(read('邮箱是啥？截止啥时候？').types).toEqual(['email', 'date']);
  });

  it('treats the object of a question as context, not as what is asked', () => {
    // 「材料发到哪个邮箱」 asks for the email.
    expect(read('新质生产力申报材料发到哪个邮箱').types).toEqual(['email']);
  });

  it('reads a yes/no ending at the end of any sentence of the question, not only the last', () => {
    expect(read('金融兴辽专家名单公开不？想提前知道都谁').types).toContain('yesno');
    // An either-or form of any verb, not only the listed ones.
    expect(read('前面网络投票的分计不计进去').types).toContain('yesno');
    expect(read('联合单位数量超没超').types).toContain('yesno');
    expect(read('不少于三千字').types).not.toContain('yesno');
    // A confirmation (…吧) and a statement asked with a question mark are yes/no questions too; a question word is not.
    expect(read('三个联合单位还在上限以内吧').types).toContain('yesno');
    expect(read('中型企业现在也能办续贷了？').types).toContain('yesno');
    expect(read('中型企业现在咋办续贷？').types).not.toContain('yesno');
    expect(read('驿站一般设在哪类地方').types).toContain('place');
    expect(read('申报书引言最少得写多少').types).toContain('format');
    // A link on a platform: the platform or the address answers it.
    expect(read('报名链接在啥平台上').types).toEqual(expect.arrayContaining(['website', 'url']));
    expect(read('文件举了哪两个例子').types).toContain('list');
    expect(read('证书在哪个大会上颁发').types).toContain('place');
    // Why the asker wants it (写材料要用) is context, not a request for the materials.
    expect(read('金融兴辽活动主题是啥，我写材料要用').types).not.toContain('materials');
    expect(read('科创企业全周期服务是干啥的').types).not.toContain('period');
  });

  it('lets a list question win over the count inside it (哪几个) and the object inside a format question (要交的商标图)', () => {
    expect(read('续贷业务要实现哪几个目标').types).toEqual(['list']);
    expect(read('新质生产力要交的商标图有什么格式要求').types).toContain('format');
    expect(read('新质生产力要交的商标图有什么格式要求').types).not.toContain('materials');
  });

  it('does not read words that merely contain a cue as asking for it (手机端, 邮件主题)', () => {
    expect(read('辽企通手机端呢').types).not.toContain('phone');
    expect(read('金融兴辽邮件主题怎么写').types).not.toContain('email');
  });

  it('reads 「范围多大」「扩大到多大」「规模多大」 as an extent, not a file size', () => {
    expect(read('点数成金征集范围多大').types).not.toContain('format');
    expect(read('走访对接范围扩大到多大了').types).not.toContain('format');
    expect(read('新质生产力的商标图能传多大的').types).toContain('format');
  });

  it('reads 「咋要求」「怎么要求」 as asking what is required, not how to go about it', () => {
    expect(read('新质生产力对实施时间咋要求的').types).not.toContain('steps');
    expect(read('点数成金对案例名称怎么要求').types).not.toContain('steps');
    expect(read('点数成金咋报名').types).toContain('steps');
  });

  it('reads a question ending in 「负责」 as asking who is responsible, and 「…牵头，」 inside a case as no question', () => {
    expect(read('征信那条是哪几个厅局负责？').types).toContain('organiser');
    expect(read('我们杭州公司牵头，上海银行参与，能报吗').types).not.toContain('organiser');
  });

  it('reads a document named in the question as what is asked about, not as asking for the materials', () => {
    expect(read('点数成金的承诺函里面写了哪些承诺').types).not.toContain('materials');
    expect(read('报点数成金要交哪些材料').types).toContain('materials');
  });

  it('reads 「占多大权重」 as an amount, not a file size', () => {
    expect(read('金融兴辽网络投票占多大权重').types).toEqual(['amount']);
  });

  it('reads 「在哪个论坛」 as asking for the event (a place whose values are 论坛/大会), not for an address', () => {
    const types = read('新质生产力的名单在哪个论坛上发布').types;
    expect(types).toContain('place');
    expect(types).not.toContain('address');
  });
});

describe('follow-ups', () => {
  it('inherit the subject they leave out and keep the detail they name', () => {
    const first = read('新质生产力那个案例征集咋报名');
    expect(first.subjects).toEqual(['campaign:xz']);
    const next = read('邮箱是啥？截止啥时候？', first);
    expect(next.subjects).toEqual(['campaign:xz']);
    expect(next.subjectInherited).toBe(true);
    expect(next.types).toEqual(['email', 'date']);
    expect(next.followUp).toBe(true);
  });

  it('replace the subject they name and inherit the detail they leave out', () => {
    const first = read('金融兴辽的邮箱是多少');
    const next = read('那点数成金呢', first);
    expect(next.subjects).toEqual(['campaign:ds']);
    expect(next.types).toEqual(['email']);
    expect(next.typesInherited).toBe(true);
  });

  it('carry what the last question asked, without its subject, when they name only a new subject', () => {
    const first = read('举措第九条 担保那条是哪些部门牵头');
    expect(first.detail).not.toContain('担保');
    const next = read('那第十一条呢', first);
    expect(next.subjects).toEqual(['measure:11']);
    expect(next.detailInherited).toBe(true);
    expect(next.detail).toBe(first.detail);
    // A follow-up with words of its own asks those.
    const own = read('那第十一条是干啥的', first);
    expect(own.detailInherited).toBeUndefined();
    // Words that only describe the new subject (its organiser, 「另一个」) are no question of its own.
    const email = read('金融兴辽的材料发哪个邮箱');
    expect(read('新华社另外那个，新质生产力的呢', email).detailInherited).toBe(true);
    // Nor are thanks before it, or words that only say it is a campaign's case (set N).
    expect(read('多谢。“点数成金”案例一项呢？', email).detailInherited).toBe(true);
    expect(read('好的，那十大事件方面呢', email).detailInherited).toBe(true);
  });

  it('read a measure’s name the conversation’s subject itself uses as an aspect of that subject, not a switch', () => {
    const first = read('驿站线上提债权融资要填啥');
    expect(first.subjects).toEqual(['point:station']);
    const next = read('那股权融资呢', first);
    expect(next.subjects).toEqual(['point:station']);
    // Without a conversation, or asked at length, the name is the measure.
    expect(read('股权融资呢').subjects).toEqual(['measure:7']);
  });

  it('read 「…完了接下来咋弄」 as asking what comes next, and for the steps when asked first', () => {
    const first = read('无还本续贷找银行咋提');
    expect(read('申请提完了，后续咋办', first).types).toContain('next');
    expect(read('测完额度，下一步咋整').types).toEqual(expect.arrayContaining(['next', 'steps']));
  });

  it('inherit both from a bare 「那中型企业呢」', () => {
    const first = read('小微企业能申请无还本续贷吗');
    const next = read('那中型企业呢', first);
    expect(next.subjects).toEqual(['measure:3']);
    expect(next.types).toEqual(first.types);
  });

  it('ask a yes/no of their own when they ask whether another party can do it too (「也能整不」「能办不」)', () => {
    const first = read('无还本续贷得提前多长时间跟银行说');
    expect(first.types).toContain('period');
    for (const q of ['那中型企业呢？也能整不', '那中型企业能办不', '个体户也可以吗']) {
      const next = read(q, first);
      expect(next.subjects, q).toEqual(['measure:3']);
      expect(next.types, q).toContain('yesno');
      expect(next.types, q).not.toContain('period');
    }
    // Without a modal of its own, the bare 「那中型企业呢」 still asks the last detail of them.
    expect(read('那中型企业呢', first).types).toContain('period');
  });

  it('keep the conversation’s campaign when the asker describes itself by a kind that is also a measure’s name', () => {
    const first = read('金融兴辽 啥样的单位能报名');
    const next = read('我们是营口注册的融资担保公司，那能报不', first);
    expect(next.subjects).toEqual(['campaign:jxl']);
    expect(next.subjectInherited).toBe(true);
    // Named outside the description, the measure is what is asked about.
    expect(read('融资担保公司能拿担保费补贴吗').subjects).toEqual(['measure:9']);
  });

  it('do not inherit into a question that names its own subject and detail', () => {
    const first = read('新质生产力邮箱是啥');
    const next = read('信用修复要多久', first);
    expect(next.subjects).toEqual(['measure:10']);
    expect(next.types).toEqual(['period']);
    expect(next.subjectInherited).toBe(false);
  });

  it('point 「第二条」 into the previous answer’s list when it had one', () => {
    const first: Frame = { ...read('金融兴辽有哪些赛道'), items: [{ docId: 'x', start: 0, end: 1 }, { docId: 'x', start: 2, end: 3 }] };
    expect(read('第二条展开说说', first).ordinal).toBe(2);
    expect(read('第二条展开说说').ordinal).toBeUndefined();
    expect(read('第二条展开说说').subjects).toEqual(['measure:2']);
  });
});

describe('tracks named by part of their name', () => {
  it('read 「普惠那类」 with its campaign as that track, but not a word of a track’s name said in passing', () => {
    expect(read('金融兴辽普惠那类主要帮哪些人').subjects).toEqual(['jxl:inclusive']);
    expect(read('金融兴辽养老赛道评几个').subjects).toEqual(['jxl:pension']);
    expect(read('金融兴辽科技公司能报吗').subjects).toEqual(['campaign:jxl']);
  });
});

describe('measures named by a word before 那条', () => {
  it('read the one measure whose title (else other names) holds the word', () => {
    expect(read('担保那条 2025年目标多少').subjects).toEqual(['measure:9']);
    expect(read('省里降成本那条谁负责').subjects).toEqual(['measure:5']);
    expect(read('金融那条是啥').subjects).toEqual([]);
  });
});

describe('topic switches', () => {
  it('carry nothing over when the asker says the subject changes (换个事儿, 换个话题)', () => {
    const first = read('科技金融服务驿站在哪');
    expect(read('换个事儿，企业征信报告多久更新一次', first).subjectInherited).toBe(false);
    expect(read('换个话题，最快啥时候能放款', first).types).not.toContain('address');
    expect(read('电话多少', first).subjectInherited).toBe(true);
  });
});

describe('scope markers', () => {
  it('put another province’s policy outside the documents', () => {
    expect(read('吉林省有没有担保费补贴').outside).toMatchObject({ kind: 'region', region: '吉林' });
    // Another place's own case collection, however it is likened (差不多的, 那边的); applying from there is not outside.
    expect(read('黑龙江有没有跟点数成金差不多的评选').outside).toMatchObject({ kind: 'region', region: '黑龙江' });
    expect(read('吉林那边的金融优秀案例征集截止哪天').outside).toMatchObject({ kind: 'region', region: '吉林' });
    expect(read('吉林注册的银行能报金融兴辽吗').outside).toBeUndefined();
    expect(read('杭州的续贷政策咋样').outside).toMatchObject({ kind: 'region', region: '浙江' });
    // Another province as where the asker comes from, with its Liaoning seat named, is a fact of the case; its own policy is not.
    expect(read('我们是浙江一家国企在鞍山设的子公司，流动资金贷款2027年3月到期，辽宁这个政策我们能享受吗').outside).toBeUndefined();
    expect(read('我们总部在江苏，前年在营口开了个分厂，营口厂的流贷能按辽宁这个政策续贷吗').outside).toBeUndefined();
    expect(read('我们是沈阳的企业，吉林那边有没有担保费补贴').outside).toMatchObject({ kind: 'region', region: '吉林' });
    // A cuisine or product named after a place is what the asker sells, not a place whose policy is asked.
    expect(read('我们是开四川火锅店的小微企业，流贷下个月到期，能续贷吗').outside).toBeUndefined();
    expect(read('我家在大连开了三家兰州拉面，担保费补贴咋申请').outside).toBeUndefined();
    expect(read('我们卖四川火锅底料，四川那边有没有担保费补贴').outside).toMatchObject({ kind: 'region', region: '四川' });
    expect(read('江苏信用修复平均要几天？跟辽宁比哪个快').outside).toMatchObject({ kind: 'region', region: '江苏' });
    // A programme named by none of the documents, of a place they never mention (「深圳有个…评选」); 广州's is 点数成金's home.
    expect(read('深圳那边有个金融科技案例评选，啥时候报名').outside).toMatchObject({ kind: 'region', region: '广东' });
    expect(read('广州有个数字金融案例征集，啥时候报名').outside).toBeUndefined();
    // An award or contest by a name the documents never use is another programme; winning one of theirs is not.
    expect(read('浙江数字金融创新大赛怎么报名').outside).toMatchObject({ kind: 'programme', marker: '浙江数字金融创新大赛' });
    expect(read('上海金融创新奖的申报条件').outside).toMatchObject({ kind: 'programme' });
    expect(read('金融兴辽获奖名单在哪发布').outside).toBeUndefined();
    expect(read('点数成金评上了有啥奖').outside).toBeUndefined();
  });

  it('leave places alone where they are facts of a campaign', () => {
    expect(read('北京的公司能报金融新质生产力吗').outside).toBeUndefined();
    expect(read('我们在上海，能报数据要素×金融服务上海示范案例吗').outside).toBeUndefined();
    expect(read('我们是大连的企业，续贷咋办').outside).toBeUndefined();
  });

  it('put personal finance and legal disputes outside', () => {
    expect(read('我信用卡逾期了，个人征信咋修复').outside).toMatchObject({ kind: 'personal' });
    expect(read('银行不给续贷我能起诉吗').outside).toMatchObject({ kind: 'legal' });
    expect(read('养老金融提质优秀案例有几个名额').outside).toBeUndefined();
  });

  it('note years other than the documents’ own, but not dates', () => {
    expect(read('2026年的金融兴辽啥时候报名').years).toEqual([2026]);
    expect(read('中型企业流贷2027年9月30日到期能续贷吗').years).toEqual([]);
    expect(read('2025年金融兴辽截止哪天').years).toEqual([]);
  });
});

describe('a track of another campaign than the one named (set M)', () => {
  it('is the asker’s own work, not a subject: 「做智能投顾系统的…能报点数成金不」 is about 点数成金 alone', () => {
    expect(read('深圳做智能投顾系统的，公司成立一年半，能报点数成金不？').subjects).toEqual(['campaign:ds']);
    // (A track named with its own campaign stays the track; named alone, it is the subject.)
    expect(read('新质生产力的智能投顾那个赛道截止哪天').subjects).toEqual(['xz:robo-advisor']);
    expect(read('智能投顾那个赛道截止哪天').subjects).toEqual(['xz:robo-advisor']);
  });
});
