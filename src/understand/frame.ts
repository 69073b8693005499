import { A_NOT_A, withoutStory, withoutTrailingRemarks } from '../text/asking.ts';
import { foldText } from './fold.ts';
import type { Gazetteer, Subject, SubjectMention } from './gazetteer.ts';
import type { Asked, AskedTypes, ScopeLexicon } from './lexicons.ts';

/** Why a question lies outside the documents. */
export interface OutsideScope {
  kind: 'region' | 'personal' | 'legal' | 'unrelated' | 'programme';
  /** The words that put it there (吉林, 信用卡, 起诉). */
  marker: string;
  /** For a region: the province it belongs to. */
  region?: string;
}

/** A span the previous answer listed, for 「第二条展开说说」. */
export interface ListedItem {
  docId: string;
  start: number;
  end: number;
}

/**
 * How a question is read: what it is about (its subjects), what it asks for
 * (its asked types), and whether it lies outside the documents. A follow-up
 * inherits what it leaves out from the conversation's previous frame and
 * replaces what it names. Stored with each message; the next turn reads it.
 */
export interface Frame {
  /** Subjects the question itself names (gazetteer ids). */
  named: string[];
  /** Subjects the answer is about: the named ones, or the conversation's. */
  subjects: string[];
  subjectInherited: boolean;
  /** Asked types the question itself names. */
  asked: Asked[];
  /** Asked types the answer gives: the named ones, or the previous turn's for an elliptic follow-up. */
  types: Asked[];
  typesInherited: boolean;
  outside?: OutsideScope;
  /** Years the question names other than the documents' own (2024年的金融兴辽, 2026年度). */
  years: number[];
  /** Editions the question names (第四届). */
  editions: string[];
  /** Cities of the measures' region the question names (大连的驿站): an answer about another city does not answer it. */
  localities: string[];
  /**
   * What the question asks about in its own words: its text without the subjects it names and without the
   * words that only lean on the previous turn. 「那金融兴辽的呢」 after 「新质生产力的名单在哪发布」 has none and
   * carries the previous one (「的名单在哪发布」), so that the new subject is asked the same thing.
   */
  detail?: string;
  detailInherited?: boolean;
  /** 「第二条」「第3个」: which item of the previous answer's list. */
  ordinal?: number;
  followUp: boolean;
  /** The spans the answer listed, in order (set after answering), for ordinal follow-ups. */
  items?: ListedItem[];
  /** The spans the answer quoted (set after answering), for 「然后呢」: the text goes on after the last of them. */
  cited?: ListedItem[];
}

export interface FrameReaderOptions {
  gazetteer: Gazetteer;
  types: AskedTypes;
  scope: ScopeLexicon;
}

/** Openings and endings that make a short question lean on the previous turn. */
const FOLLOW_UP_OPENING = /^(?:那|那么|那如果|如果是|如果|假如|要是|还有|另外|再问|换成|改成|同样|这个|那个|它的|它|他们的|他们|其|对应的|then|and|what about)/;
const FOLLOW_UP_ENDING = /(?:呢|咧|嘞|捏)[?？!！。.]*$/;

/** Thanks and acknowledgements before a follow-up (谢谢。、好的，、哦、行吧。): they ask nothing. */
const ACKNOWLEDGEMENT = /^(?:\s*(?:谢谢(?:您|你)?|多谢|感谢|好的|好滴|好吧|哦+|噢+|嗯+|行吧|明白了?|知道了|了解了?|收到|ok|okay|thx|thanks)[\s\p{P}]*)+/iu;

/** Either-or forms that ask whether something is so or required, never a polite request for a list or the steps. */
const STRICT_YES_NO = /是不是|要不要|需不需要|需要不|用不用|得不得|是否需要|是否要|还得|非得/;
/** Whether something is required (需要…吗, 得…吗, 要不要). */
const REQUIREMENT = /需要.{0,12}[吗么]|得.{0,8}吗|要不要|需不需要|是不是得|用不用/;
/** The asker describing itself as an organisation: 「我们是营口注册的融资担保公司」「俺们是沈阳的一家融资租赁公司」. */
const SELF_DESCRIPTION = /(?:我们|俺们|咱们|我司|我行|本单位|我|俺)(?:是|为)[^，。；？！?!]{0,24}?(?:公司|机构|集团|银行|农商行|城商行|信用社|协会|实验室|研究院|大学|高校)/;
/** 「也能整不」「也可以吗」「也适用不」: whether what was said holds for another party as well. */
const ALSO_APPLIES = /也(?:能|可以|行|适用|算|享受|适合)|能(?:办|用|申请|享受|参加|报|整)(?:不|吗|么)/;
/** Words of the case-collection campaigns, for a question that names none of them. */
const CAMPAIGN_WORDS = /案例|申报|报名|赛道|榜单|征集|评选|参评|活动|报哪个|报哪一?类|报啥|报什么|哪个方向/;
/** Words by which the asker leaves the conversation's subject (换个事儿, 换个话题, 另外问个别的). */
const TOPIC_SWITCH = /换个(?:事|话题|问题|别的)|另外问个|再问个别的|问个别的|问点别的|说个别的|另一个问题|不说这个了|先不唠了/;

/** Where a spoken question turns from the asker's story to what is asked (想问问, 请问, 我想知道). */
const ASKING_TURN = /(?:想问问|想问一下|想问下|想问|请问|问一下|问下|我想知道|想知道|想了解一下|想了解|麻烦问)/g;

/** An item pointed at by its place in the last answer's list (第二个方向、第3条、第一步). */
export const ORDINAL = /第([一二两三四五六七八九十\d]{1,3})(?:条|个|项|点|种|类|步|个赛道|个方向|个榜单)/;

/** What a (folded) question says after its last 「想问问」「请问」, when that is four characters or more; else null. */
export function afterAskingTurn(folded: string): string | null {
  const turns = [...folded.matchAll(ASKING_TURN)];
  const last = turns[turns.length - 1];
  if (!last || last.index === undefined) return null;
  const after = folded.slice(last.index + last[0].length).replace(/^[，,：:]+/, '');
  return after.length >= 4 ? after : null;
}

/** Characters a follow-up's own words may have and still only point at the subject it names (「新华社的」). */
const POINTING_MAX = 3;
/** What follows a word naming a track by part of its name (普惠那类, 养老赛道). */
const TRACK_WORD = /^(?:那类|这类|那一类|类|那个类|赛道|那个赛道)/;
/** An award's or contest's own name (上海金融创新奖, 数字金融创新大赛). */
const PROGRAMME_NAME = /[\u4e00-\u9fff]{0,6}(?:金融|科技|创新|数字|数据|专利|科学|技术|发明|进步|质量|中国|国家)[\u4e00-\u9fff]{0,6}?(?:奖|大赛|竞赛)(?![金励项杯状品])/g;
/** A programme introduced without its name (「深圳有个…征集」). */
const SOME_PROGRAMME = /有个|有一个|搞了个|搞了一个|办了个|办了一个|出了个|出了一个/;
/** Words that point at another place's own programme (吉林有没有类似的、黑龙江那边的征集), not at applying from there. */
const ANOTHER_PROGRAMME = /有没有类似|有类似|类似的|差不多的|一样的|相似的|同类的|同样的|也有吗|也有没有|那边有|那边的|那儿的|当地的|这种/;
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** The text with every pair of Chinese characters the test accepts turned into spaces. */
function blankPairs(text: string, test: (pair: string) => boolean): string {
  const out = [...text];
  for (let i = 0; i + 2 <= text.length; i++) {
    const pair = text.slice(i, i + 2);
    if (/^\p{Script=Han}{2}$/u.test(pair) && test(pair)) out[i] = out[i + 1] = ' ';
  }
  return out.join('');
}

export function chineseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === '十') return 10;
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (m) return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[2] ? CN_DIGITS[m[2]] : 0);
  return text.length === 1 ? (CN_DIGITS[text] ?? null) : null;
}

/**
 * The question reader every answer path uses: subjects through the
 * gazetteer, asked types through the cue lexicon (corpus/asked-types.json),
 * scope markers through corpus/scope.json, and what a follow-up inherits.
 */
export class FrameReader {
  private readonly cues: Array<{ text: string; atEnd: boolean; types: Asked[] }>;

  constructor(private readonly options: FrameReaderOptions) {
    const byText = new Map<string, { text: string; atEnd: boolean; types: Asked[] }>();
    // Not-cues come first among equals and name no type: they only keep their words from being read as cues.
    for (const text of options.types.notCues) byText.set(text, { text, atEnd: false, types: [] });
    for (const def of options.types.defs) {
      for (const cue of def.cues) {
        const key = `${cue.text}${cue.atEnd ? '$' : ''}`;
        const entry = byText.get(key) ?? { text: cue.text, atEnd: cue.atEnd, types: [] };
        if (options.types.notCues.includes(key)) continue;
        if (!entry.types.includes(def.type)) entry.types.push(def.type);
        byText.set(key, entry);
      }
    }
    this.cues = [...byText.values()].sort((a, b) => b.text.length - a.text.length);
  }

  get gazetteer(): Gazetteer {
    return this.options.gazetteer;
  }

  /**
   * The subjects named other than by the asker's description of itself (「我们是…融资担保公司」「俺们是…融资租赁公司」): a
   * measure's, platform's or service point's name there is the asker's kind of organisation, not what is asked about.
   */
  private outsideSelfDescription(folded: string, named: Subject[], mentions: SubjectMention[]): Subject[] {
    const self = SELF_DESCRIPTION.exec(folded);
    if (!self) return named;
    const from = self.index;
    const to = from + self[0].length;
    return named.filter(
      (s) =>
        s.kind === 'campaign' ||
        s.kind === 'track' ||
        s.kind === 'document' ||
        mentions.some((m) => m.subject === s && (m.at < from || m.at + m.alias.length > to)),
    );
  }

  read(question: string, last?: Frame): Frame {
    const folded = foldText(question);
    const { gazetteer } = this.options;
    // 「担保那条新增业务目标多少」 names no subject the gazetteer knows, yet its answer quoted one (发挥担保增信保障作用):
    // 「谁牵头」 after it asks about that.
    const previous = last && last.subjects.length === 0 && last.cited?.length ? { ...last, subjects: this.answeredAbout(last.cited) } : last;
    // 「今年领导让我们准备材料参加评选，我想问问金融兴辽评上了给啥奖励」: what is asked is read after 「想问问」; the story
    // before it (准备材料) asks nothing.
    // (Nor do the remarks after the question: 「…最快多久能放款？我们这周有个payment的deadline」 asks no date.)
    const turned = afterAskingTurn(folded);
    const asking = withoutTrailingRemarks(folded);
    let asked = this.askedTypes(turned ?? asking);
    // (Nor does the asker's story before it, when the rest asks for a detail of its own: 「俺是朝阳村镇银行的，寻思整个材料
    // 报金融兴辽。这玩意都分啥案例类别啊？」 asks for the list, not the materials. A rest that only asks yes or no —
    // 「我手头是个PNG的，直接发行不行」 — is about what the story names.)
    if (!turned) {
      const own = this.askedTypes(withoutStory(asking));
      if (own.some((t) => t !== 'yesno') && own.length < asked.length) asked = own;
    }
    // 「养老那类呢」 after a track of 金融兴辽 names its sibling by a word only that sibling's name holds.
    // (「俺们是营口注册的融资担保公司，那能报呗」: the asker's own kind of organisation names no measure.)
    const mentions = gazetteer.find(folded);
    const stated = this.outsideSelfDescription(folded, gazetteer.named(folded, mentions), mentions);
    const sibling = stated.length === 0 && previous ? this.sibling(folded, previous.subjects) : undefined;
    // 「兴辽普惠那类」: a campaign named with a word of one of its tracks' names before 那类 (赛道, 方向 …) names that track.
    const campaign = stated.length === 1 && stated[0].kind === 'campaign' ? stated[0] : undefined;
    const track = campaign ? this.trackNamed(folded, campaign, undefined, TRACK_WORD) : undefined;
    // 「担保那条」: a word before 那条 that only one measure's name or other names hold names that measure.
    const measure = stated.length === 0 && !sibling ? this.measureNamed(folded) : undefined;
    const named = sibling ? [sibling] : track ? [track] : measure ? [measure] : stated;
    const shortQuestion = [...folded.replace(/[^\p{L}\p{N}]/gu, '')].length <= 14;
    const leaning = FOLLOW_UP_OPENING.test(folded) || (FOLLOW_UP_ENDING.test(folded) && shortQuestion);

    const ordinalMatch = ORDINAL.exec(folded);
    const ordinalValue = ordinalMatch ? chineseNumber(ordinalMatch[1]) : null;
    const ordinal = ordinalValue && previous?.items && previous.items.length >= ordinalValue ? ordinalValue : undefined;
    // 「第三条」 names a measure only when it does not point into the previous answer's list.
    const namedSubjects = ordinal ? named.filter((s) => !/^第/.test(s.aliases.find((a) => folded.includes(a)) ?? '')) : named;

    // 「股权融资呢」 after the 驿站's 债权融资: a name the conversation's subject itself uses (and neither holds the
    // other) is an aspect of that subject, not a switch to the measure of that name.
    const previousSubjects = (previous?.subjects ?? []).map((id) => gazetteer.get(id)).filter((s): s is Subject => s !== undefined);
    const aspect =
      leaning &&
      shortQuestion &&
      namedSubjects.length > 0 &&
      previousSubjects.length > 0 &&
      namedSubjects.every((n) => {
        const alias = mentions.find((m) => m.subject === n)?.alias;
        const related = (a: Subject, b: Subject) => a === b || gazetteer.ancestors(a.id).includes(b) || gazetteer.ancestors(b.id).includes(a);
        return !!alias && previousSubjects.every((p) => !related(n, p) && n.kind === 'measure' && p.kind !== 'measure' && gazetteer.says(p, alias));
      });
    // 「换个事儿，企业征信报告多久更新一次」: the asker says the subject changes; nothing is carried over.
    const switched = TOPIC_SWITCH.test(folded);
    const subjectInherited = !switched && (namedSubjects.length === 0 || aspect) && previous !== undefined && previous.subjects.length > 0;
    const subjects = subjectInherited ? previous!.subjects : namedSubjects.map((s) => s.id);
    // 「那我需要单独去申请吗」 asks a question of its own (whether something is required), not the last detail again.
    // So does one asking for the conditions (「那中型企业呢，能享受不？啥条件」), and one asking whether the same holds for
    // another party (「那中型企业呢？也能整不」: whether it applies to them, not how long in advance they apply).
    const ownYesNo = (REQUIREMENT.test(folded) && !/什么|啥|哪|多少|几/.test(folded)) || /条件|要求/.test(folded) || ALSO_APPLIES.test(folded);
    const onlyModal = asked.every((t) => t === 'yesno' || t === 'reason') && !ownYesNo;
    const typesInherited =
      !switched &&
      previous !== undefined &&
      previous.types.length > 0 &&
      (asked.length === 0 || (onlyModal && leaning)) &&
      (subjectInherited || leaning || shortQuestion);
    // 「然后呢」 asks for what follows this once; it is not carried into the next question.
    const carried = typesInherited ? previous!.types.filter((t) => t !== 'next') : [];
    const types = typesInherited ? [...new Set([...carried, ...asked])] : asked;

    // The question's own words with its subjects' names taken out; a follow-up with nothing else (「那第十条呢」) carries the last one's.
    // (Every name in it goes, and what echoes a named subject's own name: 「担保那条」 of 发挥担保增信保障作用.)
    const blank = [...folded];
    for (const mention of mentions) for (let i = mention.at; i < mention.at + mention.alias.length; i++) blank[i] = ' ';
    const names = namedSubjects.map((s) => foldText(s.name)).join(' ');
    const own = blankPairs(blank.join(''), (pair) => names.includes(pair)).replace(/\s+/g, ' ');
    // (What is left may still only point at the subject: a word its own text uses, 「新华社」 of 新质生产力, or a deictic 「另一个」.
    // Not words enough to ask something of their own, 「融资规模目标」, however much the subject's text uses them.)
    const strip = (text: string) =>
      text
        .replace(ACKNOWLEDGEMENT, '')
        .replace(FOLLOW_UP_OPENING, '')
        .replace(/另一个|另外一个|另外那个|另外|那个|这个|那边|这边|嗰个|呢个|方面|这块|那块|一项|案例|活动/g, '')
        .replace(/[呢咧嘞捏的吗了啊呀哈\s\p{P}]/gu, '');
    const pointing = strip(own).length <= POINTING_MAX;
    const bare = strip(pointing ? blankPairs(own, (pair) => namedSubjects.some((subject) => gazetteer.says(subject, pair))) : own);
    const detailInherited = typesInherited && namedSubjects.length > 0 && !aspect && bare.length === 0 && !!previous?.detail;
    const detail = detailInherited ? previous!.detail : own.trim();

    return {
      named: namedSubjects.map((s) => s.id),
      ...(detail ? { detail } : {}),
      ...(detailInherited ? { detailInherited } : {}),
      subjects,
      subjectInherited,
      asked,
      types,
      typesInherited,
      outside: this.outside(folded, namedSubjects, subjectInherited ? subjects : []),
      years: this.years(folded),
      editions: [...new Set(folded.match(/第[一二三四五六七八九十\d]+届/g) ?? [])],
      localities: this.options.scope.localities.filter((c) => folded.includes(c) && !onlyWhereAskerIs(folded, c)),
      ...(ordinal ? { ordinal } : {}),
      followUp: subjectInherited || typesInherited || leaning || ordinal !== undefined,
    };
  }

  /** The measure a word before 那条 (这条, 那一条) names: the one measure whose name or other names hold it. */
  private measureNamed(folded: string): Subject | undefined {
    const { gazetteer } = this.options;
    const measures = gazetteer.subjects.filter((s) => s.kind === 'measure');
    for (const m of folded.matchAll(/([\u4e00-\u9fff]{2,6})(?:那条|这条|那一条|这一条|那项)/g)) {
      // The longest tail of the words before 那条 that some measure holds (「省里担保那条」 → 担保).
      for (let i = 0; i + 2 <= m[1].length; i++) {
        const word = m[1].slice(i);
        // (Its title first: 担保 is in 发挥担保增信保障作用, and in 科技担保, one of the 科技金融服务链's other names.)
        const titled = measures.filter((s) => foldText(s.name).includes(word));
        const holders = titled.length ? titled : measures.filter((s) => s.aliases.some((n) => foldText(n).includes(word)));
        if (holders.length === 1) return holders[0];
        if (holders.length > 1) break;
      }
    }
    return undefined;
  }

  /** The subject the quoted spans lie in: the narrowest one (not a whole document) holding the first of them. */
  private answeredAbout(cited: ListedItem[]): string[] {
    const { gazetteer } = this.options;
    const [first] = cited;
    let best: { id: string; size: number } | null = null;
    for (const s of gazetteer.subjects) {
      if (s.kind === 'document') continue;
      for (const span of s.spans) {
        if (span.docId !== first.docId || span.start > first.start || first.end > span.end) continue;
        const size = span.end - span.start;
        if (!best || size < best.size) best = { id: s.id, size };
      }
    }
    return best ? [best.id] : [];
  }

  /**
   * The sibling of a track the conversation is about (a track of the same campaign) that the question names by a
   * word only that sibling's name holds.
   */
  private sibling(folded: string, previous: string[]): Subject | undefined {
    const { gazetteer } = this.options;
    for (const id of previous) {
      const subject = gazetteer.get(id);
      const parent = gazetteer.ancestors(id)[0];
      // (Tracks only: a measure's title is a sentence whose words, 渠道 or 服务, ask about anything.)
      if (!subject || !parent || subject.kind !== 'track') continue;
      const found = this.trackNamed(folded, parent, subject);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The track of a campaign (other than `except`) the question names by a word of two to four characters that its
   * name holds and no other track's, nor the campaign's or `except`'s; with `before`, only a word followed by one
   * of those (「普惠那类」, 「养老赛道」).
   */
  private trackNamed(folded: string, campaign: Subject, except?: Subject, before?: RegExp): Subject | undefined {
    const { gazetteer } = this.options;
    const words = new Set<string>();
    for (const run of folded.match(/[\u4e00-\u9fff]+/g) ?? []) {
      for (let n = 2; n <= 4; n++) {
        for (let i = 0; i + n <= run.length; i++) if (!before || before.test(run.slice(i + n))) words.add(run.slice(i, i + n));
      }
    }
    const tracks = gazetteer.subjects.filter((s) => s !== except && s.kind === 'track' && gazetteer.ancestors(s.id)[0] === campaign);
    const taken = [campaign, ...(except ? [except] : [])].map((s) => foldText(s.name));
    const found = new Set<Subject>();
    for (const word of words) {
      if (taken.some((name) => name.includes(word))) continue;
      const holders = tracks.filter((s) => foldText(s.name).includes(word));
      if (holders.length === 1) found.add(holders[0]);
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /**
   * Cue words, longest first and without overlaps; each names one or more
   * types. A specific type (email, date, amount …) makes 「是什么」 a way of
   * asking for it rather than a question about meaning.
   */
  private askedTypes(folded: string): Asked[] {
    const taken = new Array<boolean>(folded.length).fill(false);
    const found = new Set<Asked>();
    // Where each sentence of the question ends: 「名单公开不？想提前知道都谁」 asks a yes/no question before its second sentence.
    const ends: number[] = [];
    const endAt = /[?？!！。.,，~～]+|$/g;
    for (let m = endAt.exec(folded); m; m = endAt.exec(folded)) {
      if (m.index > 0 && !ends.includes(m.index)) ends.push(m.index);
      if (m[0] === '') break;
    }
    // The sentence of the question each type's cues stand in (a yes/no asked in a sentence of its own is not the
    // polite form of another type's question: 「线上能提不？咋进」).
    const sentences = new Map<Asked, Set<number>>();
    const sentenceAt = (at: number) => ends.filter((end) => end <= at).length;
    const note = (types: Asked[], at: number) => {
      for (const t of types) {
        found.add(t);
        (sentences.get(t) ?? sentences.set(t, new Set()).get(t)!).add(sentenceAt(at));
      }
    };
    for (const cue of this.cues) {
      if (cue.atEnd) {
        for (const end of ends) {
          if (!folded.slice(0, end).endsWith(cue.text) || taken[end - 1]) continue;
          for (let i = end - cue.text.length; i < end; i++) taken[i] = true;
          note(cue.types, end - cue.text.length);
        }
        continue;
      }
      for (let at = folded.indexOf(cue.text); at >= 0; at = folded.indexOf(cue.text, at + 1)) {
        if (taken.slice(at, at + cue.text.length).some(Boolean)) continue;
        for (let i = at; i < at + cue.text.length; i++) taken[i] = true;
        note(cue.types, at);
      }
    }
    const sameSentence = (a: Asked, b: Asked) => [...(sentences.get(a) ?? [])].some((s) => sentences.get(b)?.has(s)) || !sentences.has(a) || !sentences.has(b);
    if (A_NOT_A.test(folded)) found.add('yesno');
    // 「下一步咋整」 goes on from the last answer when there is one; asked first, it asks for the steps.
    if (found.has('next')) found.add('steps');
    // A statement asked with a question mark and no question word (「中型企业现在也能续了？」) asks yes or no.
    if (found.size === 0 && /[?？]\s*$/.test(folded) && !/哪|啥|什么|多少|几|谁|怎|咋|如何|为何|为什么/.test(folded)) found.add('yesno');
    const defs = this.options.types.defs;
    const specific = new Set(defs.filter((t) => t.specific).map((t) => t.type));
    if ([...found].some((t) => specific.has(t))) found.delete('reason');
    // 「核心实践地必须在哪」 asks where; 「必须」 alone does not make it a yes/no question (an either-or form or a final
    // 吗/不 does: 「点数成金是不是必须交方案书」).
    if (found.has('yesno') && /哪|啥|什么|多少|几|谁/.test(folded) && !/能不能|可不可以|是不是|要不要|需不需要|有没有|行不行|算不算|会不会|能否|是否|对不对|[吗么嘛不没](?:[?？!！。，,；;\s]|$)/.test(folded) && !A_NOT_A.test(folded)) {
      found.delete('yesno');
    }
    // 「是不是得先去递材料」「要不要交扫描件」 ask yes or no about the materials (what they name is the object, not a list
    // asked for); 「能不能列一下材料」 is a polite way of asking for them.
    const firm = found.has('yesno') && STRICT_YES_NO.test(folded);
    const yesNoYields = defs.find((d) => d.type === 'yesno')?.yieldsTo ?? [];
    for (const def of defs) {
      if (firm && (def.type === 'yesno' || yesNoYields.includes(def.type))) {
        if (def.type !== 'yesno') found.delete(def.type);
        continue;
      }
      const yields = def.yieldsTo.filter((t) => found.has(t));
      if (found.has(def.type) && yields.length && (def.type !== 'yesno' || yields.some((t) => sameSentence('yesno', t)))) found.delete(def.type);
    }
    return defs.map((d) => d.type).filter((t) => found.has(t));
  }

  private outside(folded: string, named: Subject[], inherited: string[] = []): OutsideScope | undefined {
    const { scope, gazetteer } = this.options;
    const hit = (m: { markers: string[]; unless: string[]; always: string[] }) =>
      m.always.find((x) => folded.includes(x)) ?? (m.unless.some((u) => folded.includes(u)) ? undefined : m.markers.find((x) => folded.includes(x)));
    const legal = hit(scope.legal);
    if (legal) return { kind: 'legal', marker: legal };
    // 「上海金融创新奖今年申报条件是啥」: an award or contest by a name the documents never use is another programme.
    for (const m of folded.matchAll(PROGRAMME_NAME)) {
      // (Not 获奖, 得奖, 评上奖 of one of the documents' campaigns: a name has none of those.)
      if (!/啥|什么|哪|几|多少|咋|怎|的|获|得|颁|评上|评中|选中|中了|中奖/.test(m[0]) && !gazetteer.mentioned(m[0])) return { kind: 'programme', marker: m[0] };
    }
    // A campaign's applicants come from anywhere and are people with cases: places and persons there are facts.
    const campaign = (s: Subject | undefined) => s !== undefined && gazetteer.ofCampaign(s);
    const aboutCampaign = named.some(campaign) || (named.length === 0 && CAMPAIGN_WORDS.test(folded));
    // 「吉林省有没有类似金融兴辽这种评选」 asks about another province's own programme, not about applying to this one.
    if (aboutCampaign) {
      const elsewhere = scope.places.find((p) => folded.includes(p.name) && p.province !== scope.measuresRegion);
      // (「深圳有个数字金融创新案例征集」: a programme, named by none of the documents, of a place they never mention.)
      const unnamed = named.length === 0 && !!elsewhere && !gazetteer.mentioned(elsewhere.name) && SOME_PROGRAMME.test(folded);
      if (elsewhere && (ANOTHER_PROGRAMME.test(folded) || unnamed) && !/我们|俺们|咱们|我司|我行|我是|我们是/.test(folded)) {
        return { kind: 'region', marker: elsewhere.name, region: elsewhere.province };
      }
      return undefined;
    }
    const personal = hit(scope.personal);
    if (personal) return { kind: 'personal', marker: personal };
    const unrelated = hit(scope.unrelated);
    // 「注册资本才三百万，…能拿到担保费补贴不」: another matter stated as a fact of the asker's, in a clause that asks
    // nothing, is context, not what is asked.
    if (unrelated && asksAbout(folded, unrelated)) return { kind: 'unrelated', marker: unrelated };
    // Another province's or city's own policy: the measures are Liaoning's. (A place said not to be the asker's —
    // 「广东那边我们没业务」「不在上海」 — is a fact of the case, not a policy asked about.)
    // (Nor is a place in a follow-up of a conversation about a campaign: 「其实25年11月就先在佛山一个支行上线了」 after
    // 「…点数成金能报不」 tells where the case runs.)
    if (named.length === 0 && inherited.some((id) => campaign(gazetteer.get(id)))) return undefined;
    // (「浙江一家国企在鞍山设的子公司…辽宁这个政策我们能享受吗」: with a place of the measures' own province named, another
    // province is where the asker comes from, unless its own policy is what is asked.)
    const home = folded.includes(scope.measuresRegion) || scope.localities.some((l) => folded.includes(l));
    for (const place of scope.places) {
      if (!folded.includes(place.name) || place.province === scope.measuresRegion) continue;
      if (placeDenied(folded, place.name) || namesOnlyAShop(folded, place.name)) continue;
      if (home && describesAsker(folded, place.name) && !asksPolicyOf(folded, place.name)) continue;
      return { kind: 'region', marker: place.name, region: place.province };
    }
    return undefined;
  }

  /** Years named other than the documents' own; dates (2027年9月30日) are facts, not editions. */
  private years(folded: string): number[] {
    const years = new Set<number>();
    for (const m of folded.matchAll(/(20\d{2})\s*(?:年度|年的|年(?![\d一二三四五六七八九十]+月)|届)/g)) {
      const y = Number(m[1]);
      if (!this.options.scope.years.includes(y)) years.add(y);
    }
    return [...years];
  }
}

/** Whether the clause that holds `word` asks something (a question word or a question's ending), not only states a fact. */
function asksAbout(folded: string, word: string): boolean {
  const clause = folded.split(/[，,。；;！!]/).find((c) => c.includes(word)) ?? '';
  return /[?？]|吗|么|嘛|咋|怎|如何|啥|什么|多少|哪|能不能|能否|是否|要不要|需不需要|可不可以|[不没]$|行不行/.test(clause);
}

/** Whether a place is said of the asker's seat or origin (「浙江一家国企」「总部在江苏」), not as a topic (「江苏信用修复要几天」). */
function describesAsker(folded: string, place: string): boolean {
  const at = folded.indexOf(place);
  const before = folded.slice(Math.max(0, at - 6), at);
  const after = folded.slice(at + place.length, at + place.length + 6);
  // (「刚从浙江把厂子搬到营口」「从广州调到盘锦」: where the asker moved from.)
  if (/从$/.test(before) && /^(?:省|市)?[^，,。；;]{0,6}?(?:搬|迁|过来|调|来|到)/.test(after)) return true;
  return /(?:总部|注册|来自|老家|母公司|集团|公司)(?:就|也)?(?:在|于|是)?$/.test(before) || /^(?:省|市)?(?:的)?(?:一家|一个|某|企业|公司|国企|民企|厂|老板|人|总部|集团|母公司|来的)/.test(after);
}

/**
 * Whether every clause naming a city says it of the asker (「我们在铁岭开了个厂」「俺是葫芦岛做泳装的」), where the asker
 * is, not which city's office or branch is asked about (「铁岭的驿站在哪」).
 */
function onlyWhereAskerIs(folded: string, city: string): boolean {
  const clauses = folded.split(/[，,。；;！!？?\n]/).filter((c) => c.includes(city));
  return clauses.length > 0 && clauses.every((c) => /我们|我|俺|咱|本公司|我司|我家|我厂/.test(c));
}

/** A cuisine, product or brand named after a place (「老北京涮肉」「四川火锅」「兰州拉面」「天津包子」). */
const PLACE_NAMED_GOODS = /^(?:风味|口味|菜|火锅|小吃|烤鸭|涮肉|涮羊肉|铜锅|拉面|小面|面馆|炸酱面|包子|烧烤|烤肉|特产|老字号|酒楼|饭庄|菜馆|糕点|点心|麻辣烫|冒菜|串串|烧麦|烧卖|米线|米粉|肠粉|早茶|海鲜|水饺|饺子|酱香)/;

/** Whether every mention of a place is the name of a cuisine or product the asker sells (「我们是沈阳的老北京涮肉连锁」), not a place. */
function namesOnlyAShop(folded: string, place: string): boolean {
  let seen = false;
  for (let at = folded.indexOf(place); at >= 0; at = folded.indexOf(place, at + 1)) {
    if (!PLACE_NAMED_GOODS.test(folded.slice(at + place.length, at + place.length + 4))) return false;
    seen = true;
  }
  return seen;
}

/** Whether a question asks about a place's own policy (「吉林省有没有担保费补贴」「浙江那边的政策」). */
function asksPolicyOf(folded: string, place: string): boolean {
  // (Anywhere it is named: 「从深圳刚搬到大连，深圳那边有没有担保费补贴」 asks at its second mention.)
  for (let at = folded.indexOf(place); at >= 0; at = folded.indexOf(place, at + 1)) {
    const after = folded.slice(at + place.length, at + place.length + 12);
    if (/^(?:省|市|区|县)?(?:的|那边的?|当地的?|这边的?|本地的?)?(?:政策|补贴|规定|措施|办法|有没有|有啥|有什么|有无|是不是也|也有)/.test(after)) return true;
  }
  return false;
}

/** Whether every clause that names a place says it is not the asker's (「广东那边我们没业务」「不在上海」「没在广东落地」). */
function placeDenied(folded: string, place: string): boolean {
  // (「有没有」「是不是」 ask; they deny nothing.)
  const clauses = folded
    .split(/[，,。；;！!？?]/)
    .filter((c) => c.includes(place))
    .map((c) => c.replace(/有没有|是不是|能不能|可不可以|行不行|要不要|会不会|算不算|在不在|对不对|一样不|[吗么呢]$/g, ''));
  return clauses.length > 0 && clauses.every((c) => /没有?|不在|不是|未(?:在|有|做|开展|落地)/.test(c.slice(c.indexOf(place))) || new RegExp(`(?:不在|没在|未在|不是)${place}`).test(c));
}
