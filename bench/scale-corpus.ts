/**
 * Scale corpus generator (`npx tsx bench/scale-corpus.ts --out DIR [--factor 1000] [--seed 1]`),
 * used by `npm run bench -- --scale`.
 *
 * Writes into DIR a corpus `--factor` times the seed corpus (corpus/) in
 * characters, in the layout the service reads: manifest.json, docs/*.txt and
 * the data files (synonyms, stop phrases, required details, channels, rules,
 * campaigns). The five seed documents come first, verbatim, so the rules,
 * campaigns and channel quotes still resolve; the rest are generated.
 *
 * A generated document recombines the seed's real text: each section takes a
 * seed heading and mostly the sentences that stood under it (so topics stay
 * together, as in real policy texts), mixed with sentences from anywhere.
 * Regions (辽宁 cities, campaign host cities), years, dates, amounts, phone
 * numbers, banks and product names are varied per document, and some
 * sentences name generated companies, so term statistics and postings lengths
 * look like a large corpus of related documents rather than a thousand copies
 * (which would tie every query a thousand ways). Documents keep the seed's
 * numbering (一、/1、, （一）/（1）, 1.) and labelled paragraphs (工作目标：),
 * and measures documents have the notice / main text / 操作指南 parts, so the
 * structure parser and chunker see what they see in real documents.
 *
 * Output is a pure function of the seed corpus, `--factor` and `--seed`. The
 * data is never committed: the benchmark writes it under os.tmpdir() and
 * deletes it afterwards. The last stdout line is the stats as JSON.
 */
import { cpSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ManifestEntry } from '../src/corpus/manifest.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { Rng } from './fuzz-cases.ts';

export interface ScaleCorpusOptions {
  /** Size of the result in seed-corpus sizes (characters), seed documents included. */
  factor: number;
  seed: number;
}

export interface ScaleCorpusStats {
  documents: number;
  /** Characters of all document texts (JS string length; the texts are all BMP). */
  characters: number;
  /** UTF-8 bytes of all document texts. */
  bytes: number;
  seedDocuments: number;
  seedCharacters: number;
}

export interface GeneratedDocument {
  entry: ManifestEntry;
  text: string;
}

/** The data files the Node wiring reads beside the manifest and the documents. */
const DATA_FILES = ['synonyms.json', 'query-stopwords.txt', 'required-details.txt', 'channels.json', 'gazetteer.json', 'asked-types.json', 'scope.json', 'fillers.txt'];
const DATA_DIRS = ['rules', 'campaigns', 'questions'];

// ---------------------------------------------------------------------------
// Seed analysis
// ---------------------------------------------------------------------------

interface Unit {
  heading: string;
  sentences: string[];
}

/** What generated documents are made of, taken from the seed texts. */
export interface SeedPool {
  /** Headings with the sentences that stood under them; only headings with text. */
  units: Unit[];
  sentences: string[];
  /** Bodies of long labelled paragraphs (工作目标：…), by label. */
  labels: Map<string, string[]>;
}

const NUMBERING = /^(?:[一二三四五六七八九十]+、|\d{1,2}、|[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]|\d{1,2}[.．](?!\d))\s*/;
const LABEL = /^([^\s：:，。；、（）()]{2,6})[：:]/;
const HEADING_MAX = 36;
const LABEL_MIN = 80;
const SENTENCE_MIN = 8;

/** Splits seed texts into headings, the sentences under each, and labelled paragraphs. */
export function analyzeSeed(texts: string[]): SeedPool {
  const units: Unit[] = [];
  const sentences: string[] = [];
  const labels = new Map<string, string[]>();
  for (const text of texts) {
    let unit: Unit = { heading: '', sentences: [] };
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      const numbering = NUMBERING.exec(line);
      const body = numbering ? line.slice(numbering[0].length).trim() : line;
      if (numbering && body.length <= HEADING_MAX && !/[。；]/.test(body)) {
        unit = { heading: body, sentences: [] };
        units.push(unit);
        continue;
      }
      const label = LABEL.exec(body);
      if (label && body.length >= LABEL_MIN) {
        const bodies = labels.get(label[1]) ?? [];
        bodies.push(body.slice(label[0].length));
        labels.set(label[1], bodies);
      }
      for (const span of splitSentences(body)) {
        const sentence = body.slice(span.start, span.end);
        // Blanks of the application form (「年   月至    年   月」) are not prose.
        if (sentence.length < SENTENCE_MIN || /\s{2,}/.test(sentence)) continue;
        unit.sentences.push(sentence);
        sentences.push(sentence);
      }
    }
  }
  return { units: units.filter((u) => u.heading && u.sentences.length > 0), sentences, labels };
}

// ---------------------------------------------------------------------------
// Variation
// ---------------------------------------------------------------------------

const LIAONING_CITIES = ['沈阳', '大连', '鞍山', '抚顺', '本溪', '丹东', '锦州', '营口', '阜新', '辽阳', '盘锦', '铁岭', '朝阳', '葫芦岛'];
/** Host cities and their provinces, for national campaigns. */
const HOSTS: Array<[string, string]> = [
  ['广州', '广东'], ['深圳', '广东'], ['上海', '上海'], ['杭州', '浙江'], ['南京', '江苏'], ['成都', '四川'],
  ['武汉', '湖北'], ['济南', '山东'], ['西安', '陕西'], ['沈阳', '辽宁'], ['大连', '辽宁'], ['长沙', '湖南'],
];
const BANKS = [
  '中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '交通银行', '中国邮政储蓄银行', '招商银行', '兴业银行',
  '浦发银行', '中信银行', '光大银行', '民生银行', '华夏银行', '平安银行', '盛京银行', '锦州银行',
];
const NAME_CHARS = '鑫泰华盛宏远恒达瑞丰嘉诚德信永安汇金东方北辰天成广源同创亿联中科博智启航新锐金桥海川辰星凯旋龙腾';
const INDUSTRIES = ['机械制造', '新材料', '精细化工', '农产品加工', '软件信息', '医药科技', '装备制造', '现代物流', '电子科技', '食品', '汽车零部件', '环保科技'];
const COLLATERALS = ['知识产权质押', '应收账款质押', '订单融资', '仓单质押', '纳税信用', '电力数据', '创新积分', '政府性融资担保'];
const PURPOSES = ['补充流动资金', '购置生产设备', '扩大产能', '研发投入', '原材料采购', '技术改造'];
const MEASURE_TOPICS = ['金融支持民营经济发展', '金融支持科技创新', '金融服务小微企业', '金融支持制造业振兴', '普惠金融高质量发展', '金融支持乡村振兴', '金融助力稳外贸'];
const CAMPAIGN_TOPICS = ['优秀案例征集活动方案', '创新实践案例征集活动方案', '典型案例征集申报细则', '优秀案例评选活动方案'];
const GUIDE_TOPICS = ['融资服务申报指南', '惠企金融政策申报指南', '贷款贴息申报指南', '担保费补贴申报指南'];
/** Campaign brands; {p} is the host or city. */
const BRANDS = ['金融兴{p}', '金融强{p}', '数智金融', '点数成金', '科创{p}', '普惠金融之星', '绿色金融{p}'];
const CN_DIGITS = '一二三四五六七八九';

/** Chinese numerals 1–99 as headings write them (一, 十一, 二十三). */
export function chineseNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const head = tens === 0 ? '' : tens === 1 ? '十' : `${CN_DIGITS[tens - 1]}十`;
  return head + (ones ? CN_DIGITS[ones - 1] : '');
}

/** One document's variation: where it is from, its year, and the random choices that follow. */
interface DocContext {
  rng: Rng;
  city: string;
  /** City documents say 市 where the seed says 省. */
  cityLevel: boolean;
  host: [string, string];
  year: number;
}

const REGION_WORDS = /辽宁省|辽宁|沈阳|大连|全省|我省|省政府|省委|省直|省财政厅|省金融管理局|省发展改革委|省科技厅|省商务厅|广州|广东|上海/g;

/** Rewrites a seed sentence for this document: regions, numbers, banks, product names. */
function vary(sentence: string, ctx: DocContext): string {
  const { rng } = ctx;
  const city = `${ctx.city}市`;
  const cityWords: Record<string, string> = {
    辽宁省: city, 辽宁: ctx.city, 沈阳: ctx.city, 大连: ctx.city, 全省: '全市', 我省: '我市', 省政府: '市政府', 省委: '市委',
    省直: '市直', 省财政厅: '市财政局', 省金融管理局: '市金融管理局', 省发展改革委: '市发展改革委', 省科技厅: '市科技局', 省商务厅: '市商务局',
  };
  const text = sentence
    .replace(REGION_WORDS, (word) => {
      if (word === '广州' || word === '上海') return ctx.host[0];
      if (word === '广东') return ctx.host[1];
      if (ctx.cityLevel) return cityWords[word];
      return word === '沈阳' ? ctx.city : word;
    })
    .replace(/[（(]\d{1,2}[）)]|\d+/g, (digits, at: number, all: string) => varyNumber(digits, all[at + digits.length], ctx))
    .replace(/银行机构/g, (word) => (rng.chance(0.25) ? `${rng.pick(BANKS)}${ctx.city}分行` : word))
    .replace(/“辽([\u4e00-\u9fff])贷”/g, () => `“${ctx.city[0]}${rng.pick([...NAME_CHARS])}贷”`);
  return /[。！？；：）)”]$/.test(text) ? text : `${text}。`;
}

/** Years keep their distance from 2025; months, days and other numbers are redrawn at their size. */
function varyNumber(digits: string, next: string | undefined, ctx: DocContext): string {
  if (!/^\d+$/.test(digits)) return digits; // an enumeration such as （1）
  const n = Number(digits);
  if (digits.length === 4 && n >= 1990 && n <= 2039) return String(ctx.year + n - 2025);
  if (next === '月' && n >= 1 && n <= 12) return String(ctx.rng.int(1, 12));
  if (next === '日' && n >= 1 && n <= 31) return String(ctx.rng.int(1, 28));
  let out = digits[0] === '0' && digits.length > 1 ? '0' : String(ctx.rng.int(1, 9));
  while (out.length < digits.length) out += String(ctx.rng.int(0, 9));
  return out;
}

function companyName(ctx: DocContext): string {
  const chars = [...NAME_CHARS];
  return `${ctx.city}${ctx.rng.pick(chars)}${ctx.rng.pick(chars)}${ctx.rng.pick(INDUSTRIES)}有限公司`;
}

/** A made-up case report: gives the corpus a long tail of names, as real case collections have. */
function caseSentence(ctx: DocContext): string {
  const { rng } = ctx;
  return (
    `${companyName(ctx)}以${rng.pick(COLLATERALS)}方式获得${rng.pick(BANKS)}${ctx.city}分行${rng.int(50, 3000)}万元贷款，` +
    `用于${rng.pick(PURPOSES)}，${rng.int(1, 12)}个工作日完成放款。`
  );
}

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

/** Appends lines and keeps count of the characters written. */
class TextWriter {
  private readonly lines: string[] = [];
  length = 0;

  line(text = ''): void {
    this.lines.push(text);
    this.length += text.length + 1;
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** `count` sentences, mostly the unit's own (a run of them from a random start), some from anywhere. */
function paragraph(unit: Unit, pool: SeedPool, ctx: DocContext, count: number): string {
  const { rng } = ctx;
  const from = rng.int(0, unit.sentences.length - 1);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const own = k < unit.sentences.length && rng.chance(0.75);
    out.push(vary(own ? unit.sentences[(from + k) % unit.sentences.length] : rng.pick(pool.sentences), ctx));
  }
  if (rng.chance(0.12)) out.push(caseSentence(ctx));
  return out.join('');
}

/** Item `index` of a list: the unit's sentence at that place while it has one, else a case or any sentence. */
function item(unit: Unit, pool: SeedPool, ctx: DocContext, index: number): string {
  const { rng } = ctx;
  if (index < unit.sentences.length && rng.chance(0.8)) return vary(unit.sentences[index], ctx);
  return rng.chance(0.3) ? caseSentence(ctx) : vary(rng.pick(pool.sentences), ctx);
}

function heading(unit: Unit, ctx: DocContext): string {
  const text = vary(unit.heading, ctx).replace(/。$/, '');
  return text.length <= HEADING_MAX ? text : unit.heading;
}

function labelBody(pool: SeedPool, label: string, ctx: DocContext): string {
  const bodies = pool.labels.get(label);
  return bodies?.length ? vary(ctx.rng.pick(bodies), ctx) : vary(ctx.rng.pick(pool.sentences), ctx);
}

function dateLine(ctx: DocContext): { iso: string; chinese: string } {
  const month = ctx.rng.int(1, 12);
  const day = ctx.rng.int(1, 28);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { iso: `${ctx.year}-${pad(month)}-${pad(day)}`, chinese: `${ctx.year}年${month}月${day}日` };
}

/**
 * A measures document: a notice, the measures (一、… with 责任单位) and an
 * 操作指南 with 工作目标/操作路径 per measure, with measures added until both
 * parts together reach `budget` characters.
 */
function measuresDocument(id: string, pool: SeedPool, ctx: DocContext, budget: number): GeneratedDocument {
  const { rng } = ctx;
  const region = ctx.cityLevel ? `${ctx.city}市` : '辽宁省';
  const government = ctx.cityLevel ? '市政府' : '省政府';
  const title = `${region}${rng.pick(MEASURE_TOPICS)}若干举措`;
  const issuer = ctx.cityLevel ? `${ctx.city}市人民政府办公室` : '辽宁省人民政府办公厅';
  const notice = `${issuer}关于印发《${title}》的通知`;
  const guide = `${title}操作指南`;
  const date = dateLine(ctx);

  const main = new TextWriter();
  main.line(notice);
  main.line(ctx.cityLevel ? '各县（市、区）人民政府，市政府各部门、各直属机构：' : '各市人民政府，省政府各厅委、各直属机构：');
  main.line(`《${title}》已经${government}同意，现印发给你们，请认真贯彻执行。`);
  main.line();
  main.line(issuer);
  main.line(date.chinese);
  main.line();
  main.line(title);
  main.line();
  main.line(`${paragraph(rng.pick(pool.units), pool, ctx, 2)}制定如下举措。`);
  const steps = new TextWriter();
  steps.line(`附件：${guide}`);
  steps.line();
  steps.line(guide);
  steps.line();
  steps.line('为了让民营企业更加深入了解政策举措，确保各项举措直达企业，使企业充分享受政策红利，现制定本操作指南。');
  for (let i = 1; i <= 3 || (main.length + steps.length < budget && i <= 99); i++) {
    const unit = rng.pick(pool.units);
    const measure = `${chineseNumber(i)}、${heading(unit, ctx)}`;
    main.line(measure);
    main.line(`${paragraph(unit, pool, ctx, rng.int(2, 4))}（责任单位：${government.slice(0, 1)}金融管理局、人民银行${region}分行）`);
    steps.line(measure);
    steps.line(`工作目标：${labelBody(pool, '工作目标', ctx)}`);
    steps.line(`操作路径：${labelBody(pool, '操作路径', ctx)}${paragraph(unit, pool, ctx, rng.int(1, 3))}`);
  }
  return {
    entry: {
      id,
      file: `docs/${id}.txt`,
      title,
      shortTitle: `${ctx.cityLevel ? ctx.city : '辽宁'}若干举措`,
      issuer,
      published: date.iso,
      region,
      kind: 'measures',
      parts: [
        { title: '通知', heading: notice },
        { title: '', heading: title },
        { title: '操作指南', heading: guide },
      ],
    },
    text: main.text() + steps.text(),
  };
}

/**
 * A campaign or guide: numbered sections (一、 or 1、) holding paragraphs,
 * subsections (（一）/（1）) or numbered items (1.), until `budget` characters.
 */
function sectionedDocument(id: string, kind: 'campaign' | 'guide', pool: SeedPool, ctx: DocContext, budget: number): GeneratedDocument {
  const { rng } = ctx;
  const place = ctx.cityLevel ? ctx.city : ctx.host[0];
  const title =
    kind === 'campaign'
      ? `${ctx.year}年度“${rng.pick(BRANDS).replace('{p}', place)}”${rng.pick(CAMPAIGN_TOPICS)}`
      : `${place}市${rng.pick(GUIDE_TOPICS)}`;
  const top = rng.chance(0.7) ? chineseNumber : (n: number) => String(n);
  const sub = rng.chance(0.6) ? (n: number) => `（${chineseNumber(n)}）` : (n: number) => `（${n}）`;

  const w = new TextWriter();
  w.line(title);
  w.line();
  w.line(paragraph(rng.pick(pool.units), pool, ctx, rng.int(2, 4)));
  for (let i = 1; w.length < budget && i <= 99; i++) {
    const unit = rng.pick(pool.units);
    w.line(`${top(i)}、${heading(unit, ctx)}`);
    const shape = rng.next();
    if (shape < 0.4) {
      w.line(paragraph(unit, pool, ctx, rng.int(1, 4)));
    } else if (shape < 0.75) {
      for (let j = 1, n = rng.int(2, 5); j <= n; j++) {
        const inner = rng.chance(0.5) ? unit : rng.pick(pool.units);
        w.line(`${sub(j)}${heading(inner, ctx)}`);
        w.line(paragraph(inner, pool, ctx, rng.int(1, 3)));
      }
    } else {
      for (let j = 1, n = rng.int(2, 6); j <= n; j++) w.line(`${j}.${item(unit, pool, ctx, j - 1)}`);
    }
  }
  const issuer = kind === 'campaign' ? `${ctx.host[0]}市数字金融协会` : `${place}市地方金融管理局`;
  const date = dateLine(ctx);
  w.line();
  w.line(issuer);
  w.line(date.chinese);
  return {
    entry: {
      id,
      file: `docs/${id}.txt`,
      title,
      shortTitle: title.length <= 12 ? title : `${place}${kind === 'campaign' ? '案例征集' : '申报指南'}`,
      issuer,
      published: rng.chance(0.5) ? date.iso : null,
      region: ctx.cityLevel ? `${ctx.city}市` : kind === 'campaign' ? '全国' : `${ctx.host[1]}省`,
      kind,
    },
    text: w.text(),
  };
}

function generateDocument(index: number, pool: SeedPool, rng: Rng, budget: number): GeneratedDocument {
  const id = `scale-${String(index).padStart(5, '0')}`;
  const ctx: DocContext = {
    rng,
    city: rng.pick(LIAONING_CITIES),
    cityLevel: rng.chance(0.7),
    host: rng.pick(HOSTS),
    year: rng.int(2022, 2027),
  };
  const kind = rng.weighted([[0.4, 'measures'], [0.4, 'campaign'], [0.2, 'guide']] as const);
  return kind === 'measures' ? measuresDocument(id, pool, ctx, budget) : sectionedDocument(id, kind, pool, ctx, budget);
}

/**
 * Generated documents whose texts add up to at least `characters`, each
 * aiming at 2,500–8,500 characters (the seed's run from 2,600 to 7,200); the
 * last one aims at what is left, so the total passes `characters` by less
 * than a section.
 */
export function generateDocuments(pool: SeedPool, characters: number, seed: number): GeneratedDocument[] {
  const rng = new Rng(seed);
  const out: GeneratedDocument[] = [];
  for (let written = 0; written < characters; ) {
    const budget = Math.min(rng.int(2_500, 8_500), Math.max(characters - written, 400));
    const doc = generateDocument(out.length + 1, pool, rng, budget);
    out.push(doc);
    written += doc.text.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

interface SeedCorpus {
  manifest: { documents: ManifestEntry[] };
  texts: Map<string, string>;
}

function readSeed(seedDir: string): SeedCorpus {
  const manifest = JSON.parse(readFileSync(join(seedDir, 'manifest.json'), 'utf8')) as SeedCorpus['manifest'];
  const texts = new Map(manifest.documents.map((d) => [d.file, readFileSync(join(seedDir, d.file), 'utf8')]));
  return { manifest, texts };
}

/** Writes the scale corpus (seed documents, generated documents, manifest, data files) into `outDir`. */
export function writeScaleCorpus(seedDir: string, outDir: string, options: ScaleCorpusOptions): ScaleCorpusStats {
  const seed = readSeed(seedDir);
  const seedTexts = [...seed.texts.values()];
  const seedCharacters = seedTexts.reduce((n, t) => n + t.length, 0);
  const generated = generateDocuments(analyzeSeed(seedTexts), options.factor * seedCharacters - seedCharacters, options.seed);

  mkdirSync(join(outDir, 'docs'), { recursive: true });
  for (const [file, text] of seed.texts) writeFileSync(join(outDir, file), text);
  for (const doc of generated) writeFileSync(join(outDir, doc.entry.file), doc.text);
  const documents = [...seed.manifest.documents, ...generated.map((d) => d.entry)];
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ documents }, null, 1));
  for (const name of DATA_FILES) copyFileSync(join(seedDir, name), join(outDir, name));
  for (const name of DATA_DIRS) cpSync(join(seedDir, name), join(outDir, name), { recursive: true });

  const texts = [...seedTexts, ...generated.map((d) => d.text)];
  return {
    documents: documents.length,
    characters: texts.reduce((n, t) => n + t.length, 0),
    bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0),
    seedDocuments: seed.manifest.documents.length,
    seedCharacters,
  };
}

export const SEED_DIR = join(dirname(fileURLToPath(import.meta.url)), '../corpus');

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      factor: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      corpus: { type: 'string', default: SEED_DIR },
    },
    strict: true,
  });
  const factor = Number(values.factor);
  const seed = Number(values.seed);
  if (!values.out) throw new Error('--out DIR is required');
  if (!Number.isInteger(factor) || factor < 1 || factor > 100_000) throw new Error(`--factor must be an integer from 1 to 100000, got ${values.factor}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got ${values.seed}`);
  const stats = writeScaleCorpus(resolve(values.corpus), resolve(values.out), { factor, seed });
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
