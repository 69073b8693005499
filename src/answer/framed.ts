import type { Corpus } from '../corpus/corpus.ts';
import { deepestSection, quoteAt, type Quote } from '../corpus/quotes.ts';
import type { Retriever } from '../search/retriever.ts';
import type { BankEntry, BankHit, QuestionBank } from '../understand/bank.ts';
import { foldText } from '../understand/fold.ts';
import { afterAskingTurn, type Frame, type ListedItem } from '../understand/frame.ts';
import type { Gazetteer, Subject } from '../understand/gazetteer.ts';
import type { Asked, AskedTypeDef } from '../understand/lexicons.ts';
import { covers, weighContent, type WeightedContent } from './evidence.ts';
import { stepQuotes, type Composition } from './extractive.ts';
import { ListReader } from './lists.ts';
import { composeQuotes, itemsOf, mergeCompositions } from './quoted.ts';
import { questionContent, questionWords } from './question-words.ts';
import {
  allMatches,
  enumerationAfter,
  GENERIC_LABELS,
  isBare,
  isValueLine,
  LABEL_ENDING,
  ledLines,
  narrowTo,
  relevance,
  sentencesOf,
  sharesBigram,
  TABLE_CELL,
  type Sentence,
} from './sentence-model.ts';
import { ANSWERING } from '../tuning.ts';
import type { Claim } from './types.ts';
import { askingClause, introductions, trailingRemarks, withoutTrailingRemarks } from '../text/asking.ts';
import { asksExistence, statedFigure, withQuotedTextCounted } from './verdict.ts';

/** What the frame decided: an answer, or that the subject has no such detail. */
export type FramedResult =
  | {
      kind: 'answer';
      composition: Composition;
      how: 'bank' | 'typed' | 'item';
      verdict?: 'yes' | 'no';
      items?: ListedItem[];
      entryId?: string;
      /** For a bank answer: the way of asking it matched. */
      matched?: string;
      /** For a bank answer that matched a question staff attached in the console: that staff answer. */
      staffAnswerId?: string;
    }
  | { kind: 'missing_detail'; subjects: Subject[]; types: Asked[]; about: Quote | null };

export interface FramedAnswererOptions {
  corpus: Corpus;
  retriever: Retriever;
  gazetteer: Gazetteer;
  bank: QuestionBank;
  types: AskedTypeDef[];
  /** The years the documents are about throughout (corpus/scope.json `years`): naming one tells no list from another. */
  ownYears?: number[];
  /** Politeness and forms of address (corpus/fillers.txt, folded), which name nothing a question asks about. */
  fillers?: string[];
}

/**
 * Answers a question from its frame: the question bank first (a question
 * matched to the ways people ask for a fact, within the named subject), then
 * a typed scan of the subject's own text for a clause that holds a value of
 * the asked type (an email for 邮箱, a date for 截止). When the subject's text
 * holds no value of that type, the asked detail does not exist for it: the
 * caller declines and says what the documents do say. Returns null when the
 * frame decides nothing, so the caller answers from retrieved passages.
 */
export class FramedAnswerer {
  private readonly sentences = new Map<string, Sentence[]>();
  private readonly lists: ListReader;

  constructor(private readonly options: FramedAnswererOptions) {
    for (const doc of options.corpus.documents) this.sentences.set(doc.id, sentencesOf(doc));
    this.lists = new ListReader(options, this.sentences);
  }

  answer(asked: string, frame: Frame, previous?: Frame): FramedResult | null {
    let result = this.answerAll(asked, frame, previous);
    // 「啥时候在这些集群里广泛应用」 after a question on 电e金服: a follow-up the inherited subject's own text does not
    // settle may be about the measure it belongs to (its 2027 goal). Not for contacts: another subject's phone is never
    // the asked one's.
    if (!result && frame.subjectInherited && !frame.types.some((t) => CONTACT.has(t))) {
      const { gazetteer } = this.options;
      const wider = [...new Set(frame.subjects.map((id) => gazetteer.ancestors(id)[0]).filter((s): s is Subject => !!s && s.kind !== 'document'))];
      if (wider.length) {
        const widened = this.answerAll(asked, { ...frame, subjects: wider.map((s) => s.id) }, previous);
        if (widened?.kind === 'answer') result = widened;
      }
    }
    // 「我们是葫芦岛做泳装的厂子…想去那个科技金融服务驿站当面问问，驿站具体在哪个地址？」: a message that tells the asker's
    // story around one question for a named platform's or service point's address, website or contact is that question. Its other clauses'
    // words only blur what is matched, so each clause from the last is tried alone. (Only for these values: a subject's
    // one address or website is its answer whatever else is said; other kinds of detail depend on the words.)
    // (「想过去当面唠唠」 reads as asking for an overview too; the address is what is asked.)
    const addressed = frame.types.filter((t) => ADDRESSED.has(t));
    // (Only of a platform or a service point: a campaign's or a measure's parts each have their own place — 「点数成金路演答辩
    // 在哪里」 asks where the roadshow is, not the campaign's website.)
    const places = frame.subjects.map((id) => this.options.gazetteer.get(id));
    const located = places.length > 0 && places.every((p) => p?.kind === 'platform' || p?.kind === 'service_point');
    // (Nor of one in a city the question names: 「本溪的首贷中心在哪条街」 asks what the text does not say of 本溪.)
    if (!result && located && frame.localities.length === 0 && addressed.length > 0 && frame.types.every((t) => ADDRESSED.has(t) || t === 'overview')) {
      frame = { ...frame, types: addressed };
      // (Clauses end at punctuation, or at a space where no punctuation is typed: 「…yyds 官网网址多少啊 蹲一个」.)
      const clauses = asked.split(/[。！？?!；;，,\n]+|\s+/).map((c) => c.trim()).filter(Boolean);
      for (const clause of clauses.length > 1 ? clauses.reverse() : []) {
        const alone = this.answerAll(clause, frame, previous);
        if (alone?.kind === 'answer') {
          result = alone;
          break;
        }
      }
    }
    // 「那2027年底前呢」 after the 2025 target: what the subject says for that time, whatever kind of statement it is.
    // (An answer that does not say that time at all is about another time.)
    const time = timeAnchor(asked);
    const saysTime = result?.kind === 'answer' && !!time && result.composition.claims.some((c) => foldText(c.text).replace(/\s+/g, '').includes(time));
    // (So does a question for what is to be reached by that time: 「到2027年底，驿站要覆盖到啥程度」.)
    if ((frame.followUp || GOAL.test(foldText(asked))) && time && !saysTime) result = this.anchored(time, frame) ?? result;
    // 「一个人一天能投几票」: a count asked in its own measure word is not answered by a figure of anything else
    // (「网络投票环节所占权重为40%」).
    const counted = COUNTED.exec(foldText(asked));
    const unit = counted?.[1] ?? counted?.[2];
    if (unit && result?.kind === 'answer' && frame.types.includes('amount')) {
      // (Enterprises and cases are counted in 家, 户 or 个 alike: 「40万户」「（3个）」.)
      const units = COUNT_UNITS.find((group) => group.includes(unit)) ?? unit;
      const counts = new RegExp(`(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百千]+)\\s*(?:万|千|百|亿)?\\s*(?:余|多)?[${units}]`);
      if (!result.composition.claims.some((claim) => counts.test(claim.text))) {
        const subjects = frame.subjects.map((id) => this.options.gazetteer.get(id)).filter((s): s is Subject => s !== undefined);
        return { kind: 'missing_detail', subjects, types: ['amount'], about: this.about(subjects) };
      }
    }
    return result;
  }

  /**
   * The subject's statements that open with the time the question names (「2027年底前，争取全省高新区均设立…」,
   * 「工作目标：2025年6月底前，…」): a follow-up that only moves the time asks what is said for it. `anchor` is the
   * time as `timeAnchor` gives it.
   */
  private anchored(anchor: string, frame: Frame): FramedResult | null {
    const found: Quote[] = [];
    for (const subject of frame.subjects.map((id) => this.options.gazetteer.get(id)).filter((s): s is Subject => s !== undefined)) {
      for (const span of subject.spans) {
        const doc = this.options.corpus.document(span.docId)!;
        const all = this.sentences.get(span.docId) ?? [];
        for (const x of all) {
          if (x.start < span.start || x.end > span.end) continue;
          const at = foldText(x.text).replace(/\s+/g, '').indexOf(anchor);
          if (at < 0 || at > ANCHOR_LEAD || found.some((q) => q.start === x.start)) continue;
          // A statement continued after 「；」 (「…功能；全省地方法人银行…智能撮合。」) is given whole.
          let end = x;
          for (let i = all.indexOf(x); /；$/.test(end.text.trim()) && i + 1 < all.length && all[i + 1].start - end.end <= 1; i++) end = all[i + 1];
          found.push(quoteAt(doc, x.start, end.end));
        }
      }
    }
    if (found.length === 0 || found.length > ANSWERING.typedMaxSentences) return null;
    return { kind: 'answer', composition: composeQuotes(found, 'other'), how: 'typed' };
  }

  private answerAll(asked: string, frame: Frame, previous?: Frame): FramedResult | null {
    // 「那金融兴辽的呢」: the new subject is asked what the last question asked (its words, not its subject).
    const question = frame.detailInherited && frame.detail ? `${asked} ${frame.detail}` : asked;
    const { gazetteer } = this.options;
    const subjects = frame.subjects.map((id) => gazetteer.get(id)).filter((s): s is Subject => s !== undefined);

    if (frame.ordinal && previous?.items) {
      const item = previous.items[frame.ordinal - 1];
      if (item) return this.expandItem(item);
    }
    if (frame.types.includes('next') && previous?.cited?.length) {
      const next = this.continueAfter(previous.cited);
      if (next) return next;
    }

    let valueTypes = this.valueTypes(frame.types);
    // 「在线测额能测出200万不」 asks whether a figure is within what the text allows: the text's figure of that kind answers.
    const figure = frame.types.includes('yesno') && valueTypes.length === 0 ? statedFigure(withQuotedTextCounted(question)) : null;
    const kind = figure ? this.options.types.find((t) => t.type === figure.kind) : undefined;
    if (figure && kind) {
      frame = { ...frame, types: [...frame.types, figure.kind] };
      valueTypes = [{ ...kind, values: [figure.pattern], fields: [] }];
    }
    const asks = askedTogether(question, valueTypes);
    // What the previous answer quoted: an elliptic follow-up (「测一次得等多久」) asks about it first.
    const near = frame.subjectInherited ? (previous?.cited ?? []) : [];
    if (figure && subjects.length) {
      // The subject's few limits in the figure's unit answer it, whatever else the question says (「周三之前两天内能修好吗」).
      const found = this.answerFor(question, frame, subjects, valueTypes, [], near);
      if (found) return found;
      const limits = this.typedScan('', subjects, valueTypes, []);
      return typeof limits === 'string' ? null : limits;
    }
    if (asks.length <= 1) {
      const found = this.answerFor(question, frame, subjects, valueTypes, [], near);
      if (found || !frame.subjectInherited || frame.detailInherited || !previous?.detail || valueTypes.length === 0) return found;
      // 「在哪能看到」 after 「结果公示是哪天」: an elliptic follow-up that asks a new kind of detail of the same thing — its own
      // words name nothing (看到) — asks it of what the last question named (结果公示).
      const ownWords = questionContent(this.options.retriever, questionWords(this.options, question, subjects, valueTypes, []));
      if (ownWords.reduce((sum, t) => sum + t.weight, 0) > ANSWERING.nearMaxWeight) return found;
      return this.answerFor(`${question} ${previous.detail}`, frame, subjects, valueTypes, [], near);
    }
    // 「邮箱是啥？截止啥时候？」: each asked detail is answered (or found missing) on its own.
    const parts = asks.map((group) => ({
      types: group,
      result: this.answerFor(
        question,
        { ...frame, types: frame.types.filter((x) => group.some((t) => t.type === x) || !this.isValueType(x)) },
        subjects,
        group,
        valueTypes.filter((o) => !group.includes(o)),
        near,
      ),
    }));
    const answered = parts.filter((p) => p.result?.kind === 'answer');
    if (answered.length === 0) {
      const missing = parts.filter((p) => p.result?.kind === 'missing_detail');
      return missing.length === parts.length ? { kind: 'missing_detail', subjects, types: valueTypes.map((t) => t.type), about: this.about(subjects) } : null;
    }
    if (answered.length < parts.length) return null;
    const compositions = answered.map((p) => (p.result as Extract<FramedResult, { kind: 'answer' }>).composition);
    return { kind: 'answer', composition: this.joinOverlapping(compositions) ?? mergeCompositions(compositions), how: 'typed' };
  }

  /**
   * One asked detail (or none): the bank, then the subject's text; missing when neither holds it.
   * `others` are the other details the same question asks for (邮箱 in 「邮箱是啥？截止啥时候？」).
   */
  private answerFor(question: string, frame: Frame, subjects: Subject[], valueTypes: AskedTypeDef[], others: AskedTypeDef[], near: ListedItem[] = []): FramedResult | null {
    // An elliptic follow-up whose words point nowhere else asks about what was just quoted (「啥时候前做到」 after
    // the 容忍度 sentence: its 2025年底前), before any way of asking the bank knows.
    if (near.length && valueTypes.length && subjects.length) {
      const quoted = this.typedScan(question, subjects, valueTypes, others, near, true);
      if (typeof quoted !== 'string') return quoted;
    }
    // 「哪些单位可以申报」: a heading or lead naming a field of the type (申报主体), with the lines under it, is the whole answer.
    const headed = subjects.length ? this.lists.headedList(subjects, valueTypes) : null;
    if (headed) return headed;
    // 「主要技术那栏能勾哪些」: the options (□…) of the form's field the question names.
    // (Not for a yes/no about them, 「能多选吗」, nor a detail of another kind.)
    const listing = frame.types.every((t) => t === 'list' || t === 'overview');
    const options = subjects.length && listing ? this.lists.formOptions(question, subjects) : null;
    if (options) return options;
    // Why a document was issued is said in its own preamble, not in the measures it goes on to list.
    // (So is who issued it: the notice that opens it, 「辽宁省人民政府办公厅」, not each measure's 责任单位; and when: the
    // date under its signature, 「2025年4月16日」, when the question asks when it was issued.)
    const issued = valueTypes.some((t) => t.type === 'date') && ISSUED.test(foldText(question));
    if ((valueTypes.some((t) => t.type === 'purpose' || t.type === 'organiser') || issued) && subjects.every((s) => s.kind === 'document')) {
      const preambles = subjects.map((s) => this.ownText(s));
      // Its purpose statements are few; which of them the question's words favour does not matter.
      const stated = this.typedScan('', preambles, valueTypes, others);
      if (stated !== 'none' && stated !== 'unsure') return stated;
    }
    const bankHit = this.fromBank(question, frame, subjects, valueTypes);
    if (bankHit && valueTypes.length > 0 && subjects.length > 0) {
      // The bank's answer and the subject's own sentence of the asked type compete: the one whose quoted text
      // the question's words point at more answers (「商标图有什么格式要求」: the 商标图 line, not the 报送方式 line).
      const typed = this.typedScan(question, subjects, valueTypes, others);
      const bank = bankHit.kind === 'answer' ? bankHit : null;
      if (typeof typed !== 'string' && typed.kind === 'answer' && bank) {
        const typedScore = this.pointedAt(question, subjects, valueTypes, typed.composition);
        const bankScore = this.pointedAt(question, subjects, valueTypes, bank.composition);
        // On a tie, a website asked for is better answered with its address than with its name alone.
        const url = (c: Composition) => c.claims.some((claim) => URL.test(claim.text));
        const tieToTyped = Math.abs(typedScore - bankScore) <= 1e-9 && valueTypes.some((t) => t.type === 'website') && url(typed.composition) && !url(bank.composition);
        if (typedScore > bankScore + 1e-9 || tieToTyped) return { ...typed, verdict: bank.verdict };
      }
    }
    // A list asked for: the bank's answer and the subject's own enumeration compete the same way.
    if (bankHit?.kind === 'answer' && valueTypes.length === 0 && subjects.length > 0 && frame.types.includes('list')) {
      const listed = this.lists.listed(question, subjects);
      // Clearly: a longer enumeration covers more words by its length alone. The bank's side counts the way of
      // asking it matched too (「金融兴辽 案例类别」 names the list asked for). Headings the question's own word
      // groups (榜单 in 「两大主榜单」「一大特色榜单」) are the list asked for.
      const bankSide = { ...bankHit.composition, claims: [...bankHit.composition.claims, { text: bankHit.matched ?? '' } as Claim] };
      if (listed) {
        const ours = this.pointedAt(question, subjects, [], listed.result.composition);
        const theirs = this.pointedAt(question, subjects, [], bankSide);
        // The bank's answer that is itself one line of the enumeration (「创新性：…」 of 评审标准) is a part of the list asked for.
        const within = (c: Claim) => listed.result.composition.claims.some((l) => l.docId === c.docId && l.start <= c.start && c.end <= l.end);
        const part = bankHit.composition.claims.length > 0 && bankHit.composition.claims.every(within) && listed.result.composition.claims.length > bankHit.composition.claims.length;
        // A lead that declares itself the list of what is asked (「…模式包括：」 for 「模式有哪几种」) is that list.
        const lead = foldText(listed.result.composition.claims[0]?.text ?? '');
        const words = questionContent(this.options.retriever, questionWords(this.options, question, subjects, [], []));
        const declares = words.some((t) => t.term.length >= 2 && new RegExp(`${t.term}(?:包括|主要有|分为|涵盖|有以下)`).test(lead));
        if (listed.grouped || part || declares || ours > theirs * ANSWERING.listOverBank + 1e-9) return listed.result;
      }
    }
    if (bankHit) return bankHit;
    const field = subjects.length > 0 ? this.fieldScan(question, subjects, valueTypes) : null;
    if (field) return field;
    if (valueTypes.length === 0 && subjects.length > 0 && frame.types.includes('list')) {
      const listed = this.lists.listed(question, subjects);
      if (listed) return listed.result;
    }
    if (valueTypes.length === 0 && subjects.length > 0 && frame.types.includes('steps')) {
      const steps = this.stepsScan(question, subjects, frame.types.every((t) => t === 'steps' || t === 'next') && WHAT_TO_DO.test(foldText(question)));
      if (steps) return steps;
      // 「整个流程走一遍是啥样」: a process laid out as numbered parts under a heading (四、活动流程 → （一）…（六）).
      const listed = this.lists.listed(question, subjects);
      if (listed && listed.result.composition.claims.length > 2) return listed.result;
    }
    // 「说说」 asks for an overview only when nothing more specific is asked (「注册认证咋整，一步步说说」 asks for steps).
    const general = frame.types.every((t) => t === 'overview' || t === 'yesno');
    if (valueTypes.length === 0 && subjects.length > 0 && frame.types.includes('overview') && general) return this.overview(subjects);
    // 「点数成金进了路演，之前专家打的分还算不算」: no value of a kind is asked, and the question's own words clearly point
    // at one sentence of the subject's text.
    // (A list or steps asked for takes more than one sentence: the passages answer it.)
    if (valueTypes.length === 0 && subjects.length > 0 && !frame.types.some((t) => t === 'list' || t === 'steps')) return this.pointedSentence(question, subjects, frame.types);
    if (valueTypes.length === 0 || subjects.length === 0) return null;
    const typed = this.typedScan(question, subjects, valueTypes, others, near);
    if (typed !== 'none' && typed !== 'unsure') return typed;
    // 「核心模式有几种」 where no count is written: how many there are is what the enumeration shows.
    if (valueTypes.every((t) => t.type === 'amount') && COUNT_OF_KINDS.test(foldText(question))) {
      const listed = this.lists.listed(question, subjects);
      if (listed) return listed.result;
    }
    // 「这条是哪几个部门负责」 after a sentence about a platform: the 责任单位 of the measure that sentence belongs to.
    if (near.length && valueTypes.some((t) => SECTION_FIELDS.has(t.type))) {
      const section = this.enclosing(near, subjects);
      const owned = section ? this.typedScan(question, [section], valueTypes.filter((t) => SECTION_FIELDS.has(t.type)), others, near) : 'none';
      if (owned !== 'none' && owned !== 'unsure') return owned;
    }
    // Only a subject whose whole text holds no value of the type (and no bank answer of it) lacks the detail.
    if (typed === 'none' && !this.bankHasType(subjects, valueTypes)) {
      return { kind: 'missing_detail', subjects, types: valueTypes.map((t) => t.type), about: this.about(subjects) };
    }
    return null;
  }

  /** Compositions shown together: overlapping quotes as one, the rest one after another. */
  join(parts: Composition[]): Composition {
    return this.joinOverlapping(parts) ?? mergeCompositions(parts);
  }

  /**
   * Answers to two details that quote overlapping spans of one sentence (「企业融资按钮在哪」: the button and
   * its place) are shown as one quote over their union, not the same words twice; null when none overlap.
   */
  private joinOverlapping(parts: Composition[]): Composition | null {
    const claims = parts.flatMap((p) => p.claims).sort((a, b) => a.docId.localeCompare(b.docId) || a.start - b.start);
    const spans: Array<{ docId: string; start: number; end: number }> = [];
    let overlapped = false;
    for (const c of claims) {
      const last = spans[spans.length - 1];
      if (last && last.docId === c.docId && c.start < last.end) {
        overlapped = true;
        last.end = Math.max(last.end, c.end);
      } else spans.push({ docId: c.docId, start: c.start, end: c.end });
    }
    if (!overlapped) return null;
    return composeQuotes(spans.map((sp) => quoteAt(this.options.corpus.document(sp.docId)!, sp.start, sp.end)), 'other');
  }

  /**
   * A document subject with only its own words: the preambles of its sections that have sub-sections (the text
   * between a heading and its first sub-heading: 「为了让民营企业更加深入了解政策举措……现制定本操作指南」), and the
   * sections before all of those (the notice that issues it).
   */
  private ownText(subject: Subject): Subject {
    const { corpus } = this.options;
    const spans = subject.spans.flatMap((span) => {
      const sections = (corpus.document(span.docId)?.sections ?? []).filter((sec) => sec.start >= span.start && sec.end <= span.end);
      const firstChild = new Map(
        sections.map((sec) => [
          sec,
          sections.filter((c) => c !== sec && c.start > sec.start && c.end <= sec.end && c.path.length === sec.path.length + 1).sort((a, b) => a.start - b.start)[0],
        ]),
      );
      const opening = Math.min(...sections.filter((sec) => firstChild.get(sec)).map((sec) => sec.start));
      return sections.flatMap((sec) => {
        const first = firstChild.get(sec);
        if (first) return [{ docId: span.docId, start: sec.start, end: first.start }];
        // A section with none under it that comes before every one that has some is the document's opening (its notice).
        return sec.end <= opening ? [{ docId: span.docId, start: sec.start, end: sec.end }] : [];
      });
    });
    return { ...subject, spans };
  }

  /** The narrowest subject (a measure, campaign or track) whose text holds all of the quoted spans, other than the given ones. */
  private enclosing(quoted: ListedItem[], except: Subject[]): Subject | null {
    const holds = (s: Subject) => quoted.every((q) => s.spans.some((sp) => sp.docId === q.docId && sp.start <= q.start && q.end <= sp.end));
    const size = (s: Subject) => s.spans.reduce((sum, sp) => sum + sp.end - sp.start, 0);
    const found = this.options.gazetteer.subjects.filter((s) => s.kind !== 'document' && !except.includes(s) && holds(s));
    return found.sort((a, b) => size(a) - size(b))[0] ?? null;
  }

  private isValueType(type: Asked): boolean {
    return this.options.types.some((t) => t.type === type && t.values !== null);
  }

  private bankHasType(subjects: Subject[], types: AskedTypeDef[]): boolean {
    const { bank, gazetteer } = this.options;
    return bank.entries.some(
      (e) => types.some((t) => t.type === e.type) && e.quotes.some((q) => gazetteer.touches(subjects, q.docId, q.start, q.end)),
    );
  }

  /** The asked types that have values to look for (email, date …), not list, steps, yes/no or reason. */
  private valueTypes(types: Asked[]): AskedTypeDef[] {
    return this.options.types.filter((t) => t.values && types.includes(t.type));
  }

  /**
   * Whether a text states a value of one of the types that the question does not itself name: 「规定时间内」 is no
   * answer to 「这个规定时间是几天」.
   */
  private statesValue(text: string, types: AskedTypeDef[], asked: string): boolean {
    // (A label the value follows, 「公众号：广州数金协会」, is the value's name, not what the question names.)
    const label = (m: RegExpMatchArray) => /^[：:]/.test(text.slice(m.index! + m[0].length));
    return types.some((t) =>
      t.values!.some((re) => allMatches(re, text).some((m) => label(m) || !asked.includes(foldText(m[0])))),
    );
  }

  /** Whether a text states a value of one of the types. */
  private holdsValue(text: string, types: AskedTypeDef[]): boolean {
    return types.some((t) => t.values!.some((re) => re.test(text)));
  }

  /**
   * The best bank entry within the subjects, when its question is close
   * enough to the user's and it answers the asked type.
   */
  private fromBank(question: string, frame: Frame, subjects: Subject[], valueTypes: AskedTypeDef[]): FramedResult | null {
    const { bank, gazetteer } = this.options;
    // A follow-up that leaves the subject out is matched as if it named it.
    const text = frame.subjectInherited ? `${subjects.map((s) => s.aliases[0]).join(' ')} ${question}` : question;
    // The entry's answer (its first quote) must lie within the subject: an entry listing several tracks is not about each of them.
    const inScope = (entry: BankEntry) => subjects.length === 0 || gazetteer.touches(subjects, entry.quotes[0].docId, entry.quotes[0].start, entry.quotes[0].end);
    let hits = bank.search(text, 5, inScope);
    // A long question (who is asking, what happened, then the question) is matched by its asking part as well: the
    // preamble only dilutes the likeness (「我是沈阳一家小厂的，去年…，想问问续贷提前多久」). The subject stays the whole question's.
    const folded0 = foldText(question);
    // (Not for a yes/no: there the asker's facts in the preamble are what the verdict turns on.)
    // The entries matched by the asking part are then checked against its words, not the story's.
    const byAsking = new Set<BankEntry>();
    let askingText = question;
    if (!frame.subjectInherited && !frame.types.includes('yesno') && folded0.length > LONG_QUESTION) {
      const asking = askingPart(question);
      if (asking.length >= 4 && asking.length < folded0.length * 0.6) {
        askingText = asking;
        const named = subjects.length ? `${subjects.map((s) => s.aliases[0] ?? s.name).join(' ')} ` : '';
        const byEntry = new Map(hits.map((h) => [h.entry, h]));
        for (const h of bank.search(`${named}${asking}`, 5, inScope)) {
          const seen = byEntry.get(h.entry);
          if (!seen || h.score > seen.score) {
            byEntry.set(h.entry, h);
            byAsking.add(h.entry);
          }
        }
        hits = [...byEntry.values()].sort((a, b) => b.score - a.score).slice(0, 5);
      }
    }
    // A follow-up's entries are ranked by its own words (the subject's name, shared by every entry of the subject,
    // tells none apart: 「选债权融资要填啥」 after the 驿站), scored with the name in (so that a short one still matches).
    if (frame.subjectInherited) {
      const own = bank.search(question, 5, inScope);
      if (own.length) hits = own.map((h) => ({ ...h, score: bank.search(text, 1, (e) => e === h.entry)[0]?.score ?? h.score }));
    }
    // A question asked almost word for word as a bank question is that question, whatever its cue words suggest
    // (not for an elliptic follow-up: its text is mostly the inherited subject's name).
    // The bank question must itself use the user's cue word (邮件 in 「…申报邮件主题怎么写」): the writer asked about this fact
    // in those words, so the cue did not ask for a value of its type.
    const folded = foldText(question);
    const cueWords = valueTypes.flatMap((t) => t.cues.map((c) => c.text)).filter((c) => folded.includes(c));
    const trusted = (hit: BankHit) =>
      hit.score >= ANSWERING.bankTrust && !frame.subjectInherited && cueWords.some((c) => foldText(hit.question).includes(c));
    // A list asked for is not answered by a title or a heading alone (the campaign's name for 「都有哪些榜单」).
    const lists = (hit: BankHit) => hit.entry.type === 'list' || hit.entry.quotes.length > 1 || hit.entry.quotes.some((q) => /[，、。；：,;:]/.test(q.quote));
    const fits = (hit: BankHit) =>
      (valueTypes.length === 0 && (!frame.types.includes('list') || lists(hit))) ||
      trusted(hit) ||
      valueTypes.some((t) => t.type === hit.entry.type || (t.type === 'purpose' && hit.entry.type === 'reason')) ||
      this.holdsValue(hit.entry.quotes[0].quote, valueTypes);
    // A question that says nothing beyond its subject and the kind of detail (「驿站在什么地方」) is matched by the subject's
    // name alone, which every entry of the subject shares: only an entry of the asked kind itself can answer it.
    const own = questionContent(this.options.retriever, questionWords(this.options, question, subjects, valueTypes, []));
    // The other way round: a way of asking that only names a subject (「征信权益 保障」「那智能监管创新呢」) asks for it as a
    // whole; a question with words of its own (「…对金融机构的要求是什么」) is not matched by it.
    if (own.length > 0) hits = hits.filter((h) => !this.namesOnly(h.question));
    // Inside a named subject every way of asking shares its name: among the close entries, what is asked of the subject
    // (「进申报清单要啥标准」) ranks them, not how much of the name each spells out (「小微企业融资协调工作机制是按国家部署建的吗」).
    // (The whole likeness still decides whether any is close enough.)
    if (subjects.length > 0 && own.length > 0 && !frame.subjectInherited) {
      const aspects = bank.search(byAsking.size ? askingText : question, 20, inScope, 'aspect');
      const aspectOf = (h: BankHit) => aspects.find((a) => a.entry === h.entry)?.score ?? 0;
      hits = [...hits].sort((a, b) => aspectOf(b) - aspectOf(a));
    }
    const sameKind = (hit: BankHit) => valueTypes.some((t) => t.type === hit.entry.type || (t.type === 'place' && hit.entry.type === 'address'));
    const first = subjects.length > 0 && valueTypes.length > 0 && own.length === 0 && !frame.subjectInherited ? hits.find(sameKind) : hits.find(fits);
    if (!first) return null;
    // Entries within a hair of the best are told apart by the question's own words in their questions and quotes
    // (「单位简介有字数限制吗」: the 单位简介 entry, not the 案例简介 one).
    const near = own.length > 0 ? hits.filter((h) => h !== first && fits(h) && h.score >= first.score - ANSWERING.bankMargin) : [];
    const said = (h: BankHit) =>
      relevance({ within: foldText([...h.entry.questions, ...h.entry.quotes.map((q) => q.quote)].join(' ')), before: '' } as Sentence, own, this.options.retriever.lexicon.synonyms);
    const best = near.reduce((a, b) => (said(b) > said(a) + 1e-9 ? b : a), first);
    const threshold = subjects.length ? ANSWERING.bankAcceptWithSubject : ANSWERING.bankAccept;
    if (best.score < threshold) return null;
    // A near tie with an entry of another document is not a decision.
    const rival = hits.find((h) => h !== best && h.entry.docId !== best.entry.docId && fits(h));
    if (rival && subjects.length === 0 && best.score - rival.score < ANSWERING.bankMargin) return null;
    // The question's own words must also be found in what the entry quotes: a match to the way someone asked about
    // another fact of the same subject (案例简介 for 单位简介) is not an answer.
    {
      // (A follow-up's own words count as well: 「最快啥时候能放款」 after a question on rates must find 放款 in the entry.)
      // (Words the documents never use, with no synonym they use, can be found in no quote: when the question is clearly
      // one of the entry's ways of asking, 「冲啥企业」's 冲 says nothing either way. Otherwise such a word, 大型企业, may
      // well be what the documents do not cover.)
      const unseen = this.options.retriever.idf('\u0000');
      const close = best.score >= ANSWERING.bankTrust && !frame.subjectInherited;
      const asked = byAsking.has(best.entry) ? askingText : question;
      const content = questionContent(this.options.retriever, questionWords(this.options, asked, subjects, valueTypes, [])).filter(
        (t) => !close || this.options.retriever.idf(t.term) < unseen || t.groups.length > 0,
      );
      const total = content.reduce((sum, t) => sum + t.weight, 0);
      // What the entry quotes, or the way of asking it matched: either shows the question is about this fact.
      const quoted = foldText([...best.entry.quotes.map((q) => q.quote), best.question].join(' '));
      const covered = relevance({ within: quoted, before: '' } as Sentence, content, this.options.retriever.lexicon.synonyms);
      if (total > 0 && covered < total * ANSWERING.bankQuoteCoverage) return null;
    }

    let verdict: 'yes' | 'no' | undefined;
    if (frame.types.includes('yesno')) {
      const settled = bank.verdictFor(text, best.entry);
      if (settled && settled.score >= ANSWERING.verdictAccept && sameNumbers(question, settled.question)) verdict = settled.verdict;
      // 「有字数限制吗」 answered by an entry that states the limit: it exists.
      // (Not when the value is the question's own: 「12378那个举报电话…有人接不」 asks about the number it names, not whether there is one.)
      else if (asksExistence(question) && valueTypes.length > 0 && best.entry.quotes.some((q) => this.statesValue(q.quote, valueTypes, foldText(question)))) verdict = 'yes';
    }
    let quotes = best.entry.quotes;
    let type: Asked | 'other' = best.entry.type;
    // An entry that quotes only the lead of a list (「征集内容涵盖以下八大方向」) gives the list under it.
    if (quotes.length === 1) {
      const items = ledLines(this.options.corpus.document(quotes[0].docId)!, quotes[0]);
      if (items.length) {
        quotes = [quotes[0], ...items];
        type = 'list';
      }
    }
    // 「具体怎么操作」 answered by one long sentence that walks through it (首先…点击【注册】…点击【企业融资】…): its steps.
    if (quotes.length === 1 && type !== 'list' && frame.types.includes('steps')) {
      const steps = stepQuotes(this.options.corpus, quotes[0]);
      if (steps.length > 1) {
        quotes = steps;
        type = 'steps';
      }
    }
    const composition = composeQuotes(quotes, type);
    // (A list led by the entry's quote: its items are the lines under the lead.)
    const items = quotes !== best.entry.quotes && type === 'list' ? itemsOf(quotes.slice(1), 'list') : itemsOf(quotes, type);
    return { kind: 'answer', composition, how: 'bank', verdict, items, entryId: best.entry.id, matched: best.question, ...(best.staffId ? { staffAnswerId: best.staffId } : {}) };
  }

  /** Whether a way of asking says nothing but names of subjects (and courtesies): 「征信权益 保障」 is 落实征信权益保障政策's. */
  private namesOnly(question: string): boolean {
    const { gazetteer } = this.options;
    const folded = foldText(this.options.bank.clean(question)).replace(/\s+/g, '');
    const found = gazetteer.find(folded);
    if (found.length === 0) return false;
    const rest = gazetteer.without(folded, found);
    // What is left around the names is more of a name (保障 of 征信权益保障) or a particle (那).
    const names = found.map((m) => foldText(m.subject.name)).join(' ');
    const left = rest.split(/[\s\p{P}]+/u).filter((w) => w.length > 1 && !names.includes(w));
    return left.length === 0;
  }

  /**
   * The sentences of the subjects' text that state a value of an asked type,
   * ranked by how much of the question's own content they (or their section
   * headings) cover. Contact details listed side by side (several phones of
   * one campaign) are all given.
   */
  private typedScan(question: string, subjects: Subject[], types: AskedTypeDef[], others: AskedTypeDef[], near: ListedItem[] = [], nearOnly = false): FramedResult | 'none' | 'unsure' {
    const { retriever } = this.options;
    // The subject's own name says nothing about which of its sentences is asked for, nor do the words that say
    // what kind of detail is asked (寄哪, 啥时候: every candidate holds that kind) or name another detail the same
    // question asks for. Nouns among the cues (利率, 额度) still tell sentences apart and stay.
    // (A spoken question's story before its 「想问问」 says nothing of which sentence is asked for.)
    const rest = questionWords(this.options, afterAskingTurn(foldText(question)) ?? question, subjects, types, others);
    let content = questionContent(this.options.retriever, rest);
    const folded = foldText(question);
    const candidates: Array<{ sentence: Sentence; score: number; own: number; inField: boolean; named: boolean }> = [];
    const seen = new Set<string>();
    for (const s of subjects) {
      for (const span of s.spans) {
        for (const sentence of this.sentences.get(span.docId) ?? []) {
          if (sentence.start < span.start || sentence.end > span.end) continue;
          const key = `${sentence.docId}:${sentence.start}`;
          // A sentence qualifies by stating a value of the type, or by filling in a field of the type (主办单位 → 广州市数字金融协会).
          // A bare line is a heading or a field name, unless it is itself the value (the date under a signature) or a field's value.
          // A field named on the line above counts only where the type's values have no shape of their own (an organiser's
          // name); a form's empty 「电子邮箱」 field above the next heading is no email.
          const inField =
            sentence.field !== null &&
            types.some((t) => t.fields.some((f) => sentence.field!.includes(f)) && (!sentence.labelLine || t.valueUnderLabel || this.holdsValue(sentence.text, [t])));
          // 「谁主办」 asks for the 主办单位 more than for the 指导单位: a field whose name the question shares counts most.
          const named = inField && sharesBigram(sentence.field!, folded);
          if (seen.has(key) || !(inField || this.statesValue(sentence.text, types, folded.replace(/[“”"'‘’「」《》]/g, '')))) continue;
          if (isBare(sentence.text) && !isValueLine(sentence.text, types) && !inField) continue;
          if (TABLE_CELL.test(sentence.text.trim())) continue;
          seen.add(key);
          candidates.push({ sentence, inField, named, score: 0, own: 0 });
        }
      }
    }
    if (candidates.length === 0) return 'none';
    // A word this common that no sentence of the asked kind uses (「服务」 in 「首贷中心服务什么样的企业」) tells none apart.
    const spoken = (t: WeightedContent) =>
      candidates.some((c) => [c.sentence.within, c.sentence.near].some((text) => text.includes(t.term) || covers(text, t, retriever.lexicon.synonyms)));
    content = content.filter((t) => t.weight >= ANSWERING.typedCommonWeight || spoken(t));
    // A remark after the question (「领导催着下班前发出去，别给我整错了」) points at nothing: its words that no sentence
    // of the kind uses are no detail to look for.
    const remarks = trailingRemarks(folded);
    const asking = withoutTrailingRemarks(folded);
    if (remarks) content = content.filter((t) => spoken(t) || asking.includes(t.term) || !remarks.includes(t.term));
    // Nor does the asker's introduction of itself (「本溪一家药企财务总监。第九条…责任单位写的是谁？」).
    const intro = introductions(folded);
    if (intro) {
      const rest = folded.replace(intro, '');
      content = content.filter((t) => spoken(t) || rest.includes(t.term) || !intro.includes(t.term));
    }
    // A word the documents never use that shares a character with the subject's names (修完 for 信用修复) is the
    // asker's own way of naming what the subject is about, not a detail to look for.
    const unseen = retriever.idf('\u0000');
    const names = subjects.flatMap((s) => [s.name, ...s.aliases]).join('');
    content = content.filter((t) => !(retriever.idf(t.term) >= unseen && [...t.term].some((ch) => names.includes(ch))));
    {
      const total = content.reduce((sum, t) => sum + t.weight, 0);
      for (const c of candidates) {
        c.score = relevance(c.sentence, content, retriever.lexicon.synonyms) + total * (c.named ? ANSWERING.typedFieldBonus : 0);
        // Its own words and the sentences just before it, not its heading: 「2025年4月16日」 under 「…现印发给你们」 is pointed at by 「印发」.
        c.own = relevance({ ...c.sentence, before: c.sentence.near }, content, retriever.lexicon.synonyms);
      }
    }
    const total = content.reduce((sum, t) => sum + t.weight, 0);
    // An elliptic follow-up whose few words point at no sentence asks about what was just quoted
    // (「测一次得等多久」 after the 在线测额 sentence: its 5分钟左右), when that quote holds a value of the type.
    const quoted =
      near.length && total <= ANSWERING.nearMaxWeight
        ? candidates.filter((c) => near.some((n) => n.docId === c.sentence.docId && c.sentence.start < n.end && c.sentence.end > n.start))
        : [];
    const unpointed = total > 0 && !candidates.some((c) => c.own > 0 || c.inField);
    if (quoted.length > 0 && quoted.length <= ANSWERING.typedMaxSentences && (unpointed || total === 0)) {
      return this.typedAnswer(quoted.sort((a, b) => a.sentence.start - b.sentence.start), types, content);
    }
    if (nearOnly) return 'unsure';
    // A sentence none of whose own words the question uses answers nothing, whatever its heading says (a field is its own words).
    const pointed = total > 0 ? candidates.filter((c) => c.own > 0 || c.inField) : candidates;
    // 「材料往哪发」: every sentence of the kind states the same contact (the one email, given twice): it is the answer,
    // whatever else the question says.
    const oneContact = () => {
      if (!types.every((t) => CONTACT.has(t.type))) return null;
      const values = new Set(candidates.flatMap((c) => types.flatMap((t) => (t.values ?? []).flatMap((re) => allMatches(re, c.sentence.text).map((m) => m[0])))));
      return values.size === 1 ? this.typedAnswer([candidates.find((c) => c.inField) ?? candidates[0]], types, content) : null;
    };
    if (pointed.length === 0) {
      // Words the documents never use (「那类评几个」's 类评) point at nothing; a narrow subject (a track, a service point, a
      // platform) with a single value of the type still answers it. A measure's single figure does not (「辽科贷一户最多能贷
      // 多少」 is not asking for the 12种 its measure aims at).
      const narrow = subjects.every((s) => s.kind === 'track' || s.kind === 'service_point' || s.kind === 'platform');
      const single = narrow && new Set(candidates.map((c) => c.sentence.text)).size === 1;
      if (single && content.every((t) => retriever.idf(t.term) >= unseen)) return this.typedAnswer([candidates[0]], types, content);
      return oneContact() ?? 'unsure';
    }
    candidates.splice(0, candidates.length, ...pointed);
    candidates.sort((a, b) => b.score - a.score || a.sentence.start - b.sentence.start);
    const top = candidates[0].score;
    // The question's own words must point at the sentence (an elliptic follow-up has none left, and needs none):
    // they cover enough of it, or clearly more of it than of any other sentence.
    const second = candidates.find((c) => c.sentence.text !== candidates[0].sentence.text)?.score ?? 0;
    // A clear winner must win on its own words, not on its section's heading alone.
    const clearWinner = top >= total * ANSWERING.typedWinnerCoverage && second <= top * ANSWERING.typedWinnerMargin && (candidates[0].own > 0 || candidates[0].inField);
    if (total > 0 && top < total * ANSWERING.typedMinCoverage && !clearWinner) return oneContact() ?? 'unsure';
    // A form printed several times (申报书 per track) states the same sentence each time: it is said once.
    const said = new Set<string>();
    const distinct = candidates.filter((c) => !said.has(c.sentence.text) && said.add(c.sentence.text));
    // With no words of its own (「谁主办的」), the question is asking for the subject's field of that type, if it has one.
    const named = distinct.filter((c) => c.named);
    const fields = named.length ? named : distinct.filter((c) => c.inField);
    const bare = total === 0 && fields.length > 0 && fields.length <= ANSWERING.typedMaxSentences;
    if (total === 0 && !bare && candidates.length > ANSWERING.typedMaxSentences && !types.some((t) => CONTACT.has(t.type))) return 'unsure';
    const chosen = bare ? fields : distinct.filter((c) => c.score >= top - 1e-9).slice(0, ANSWERING.typedMaxSentences);
    // Every field the question names is answered (「谁主办的？有没有高校做智库支持」: 主办单位 and 智库支持).
    for (const c of named) if (!chosen.includes(c) && chosen.length < ANSWERING.typedMaxSentences) chosen.push(c);
    // Contact lines that continue the chosen one (咨询电话：… on three lines) belong with it.
    if (types.some((t) => CONTACT.has(t.type))) {
      for (const c of distinct) {
        if (chosen.length >= ANSWERING.typedMaxSentences || chosen.includes(c)) continue;
        const adjacent = (x: (typeof chosen)[number]) =>
          x.sentence.docId === c.sentence.docId && (Math.abs(x.sentence.end - c.sentence.start) <= 2 || Math.abs(c.sentence.end - x.sentence.start) <= 2);
        if (chosen.some(adjacent)) chosen.push(c);
      }
    }
    // 「网络投票…权重为40%；专家评审…权重为60%」: a statement continued after 「；」 on the same line is kept whole, either way.
    for (const c of [...chosen]) {
      const same = (x: (typeof distinct)[number]) => x.sentence.docId === c.sentence.docId;
      const next = /；$/.test(c.sentence.text.trim()) ? distinct.find((x) => same(x) && x.sentence.start >= c.sentence.end && x.sentence.start - c.sentence.end <= 1) : undefined;
      const previous = distinct.find((x) => same(x) && /；$/.test(x.sentence.text.trim()) && x.sentence.end <= c.sentence.start && c.sentence.start - x.sentence.end <= 1);
      for (const x of [next, previous]) if (x && !chosen.includes(x)) chosen.push(x);
    }
    // 「请用A4幅面编辑，正文字体为3号仿宋体，行距30 磅。一级标题3号黑体，…」: a format spec that goes on, on the same
    // line, with more values of the type is kept whole.
    if (types.some((t) => t.type === 'format')) {
      for (let i = 0; i < chosen.length && chosen.length < ANSWERING.typedMaxSentences; i++) {
        const c = chosen[i];
        const text = this.options.corpus.document(c.sentence.docId)?.text ?? '';
        const x = distinct.find((d) => d.sentence.docId === c.sentence.docId && d.sentence.start >= c.sentence.end && !text.slice(c.sentence.end, d.sentence.start).includes('\n') && d.sentence.start - c.sentence.end <= 1);
        if (x && !chosen.includes(x)) chosen.push(x);
      }
    }
    chosen.sort((a, b) => a.sentence.start - b.sentence.start);
    return this.typedAnswer(chosen, types, content);
  }

  /** The chosen sentences as an answer: each narrowed to its value, a value under a label line shown with its label. */
  private typedAnswer(chosen: Array<{ sentence: Sentence; inField: boolean }>, types: AskedTypeDef[], content: WeightedContent[] = []): FramedResult {
    let led: Quote[] = [];
    const quotes = chosen.flatMap((c) => {
      const doc = this.options.corpus.document(c.sentence.docId)!;
      const value = narrowTo(doc, c.sentence, types, content, this.options.retriever.lexicon.synonyms);
      // A value under a label line (「（2） 主办单位」 / 「广州市数字金融协会」) is shown with its label.
      const labelled = c.sentence.labelLine && c.inField && types.some((t) => t.valueUnderLabel);
      // A lead (「…符合以下任一条件：」) is given with the lines it leads.
      if (chosen.length === 1 && /[：:]$/.test(c.sentence.text.trim()) && value.end >= c.sentence.end - 1) led = enumerationAfter(doc, c.sentence, doc.text.length);
      return labelled ? [quoteAt(doc, c.sentence.labelLine!.start, c.sentence.labelLine!.end), value] : [value];
    });
    if (led.length >= 2) {
      return { kind: 'answer', composition: composeQuotes([...quotes, ...led], 'list'), how: 'typed', items: itemsOf(led, 'list') };
    }
    return { kind: 'answer', composition: composeQuotes(quotes, types[0].type), how: 'typed', items: itemsOf(quotes, types[0].type) };
  }

  /** What the documents say about the subjects, for a decline that says so: their best-fitting bank entry or first sentence. */
  private about(subjects: Subject[]): Quote | null {
    const { bank, gazetteer, corpus } = this.options;
    const standard = bank.entries.find((e) => e.type === 'reason' && e.quotes.some((q) => gazetteer.touches(subjects, q.docId, q.start, q.end)));
    if (standard) return standard.quotes[0];
    // Else the first sentence of the subject's text that names it (「企业可到科技金融服务驿站（沈阳市…）进行现场咨询」),
    // or its first sentence that is not a heading.
    const statement = (x: Sentence) => x.text.length > 30 || /[。；！？]$/.test(x.text.trim());
    for (const s of subjects) {
      const inside = s.spans.flatMap((span) => (this.sentences.get(span.docId) ?? []).filter((x) => x.start >= span.start && x.end <= span.end && statement(x)));
      const naming = inside.find((x) => s.aliases.some((a) => foldText(x.text).includes(a)));
      const first = naming ?? inside[0];
      if (first) return quoteAt(corpus.document(first.docId)!, first.start, first.end);
    }
    return null;
  }

  /**
   * 「邮件主题怎么写」: the question names a field the subject's text fills in
   * (「2.邮件主题：申报单位名称+案例题目。」); the field's own line answers it.
   * The longest field name the question contains wins; a field that several
   * different lines fill in is no decision. When a type is asked, the line must
   * hold a value of it.
   */
  private fieldScan(question: string, subjects: Subject[], types: AskedTypeDef[]): FramedResult | null {
    const { corpus } = this.options;
    const folded = foldText(question);
    let best: { label: string; lines: Sentence[] } | null = null;
    for (const s of subjects) {
      for (const span of s.spans) {
        for (const x of this.sentences.get(span.docId) ?? []) {
          if (x.start < span.start || x.end > span.end) continue;
          // The field a line fills in: its own 「邮件主题：」, or the label line above it (「三、案例内容」).
          const field = x.field && x.field.length >= 2 && !GENERIC_LABELS.has(x.field) ? x.field : null;
          // 「核心实践地要求：」 is named by 「核心实践地」: a label's generic ending (要求, 说明 …) need not be said.
          const stem = field?.replace(LABEL_ENDING, '') ?? '';
          // (Or by another name for it, of three characters or more: 「邮件标题」「subject」 for 邮件主题.)
          const alias = field ? this.options.retriever.lexicon.synonyms.find((g) => g.includes(field))?.find((w) => w.length >= 3 && folded.includes(foldText(w))) : undefined;
          const label = field && folded.includes(field) ? field : stem.length >= 3 && folded.includes(stem) ? stem : alias ? field : null;
          if (!label) continue;
          // The line must hold the asked value, unless the field's own name is what the cue word was read from (邮件 in 邮件主题)
          // or the question names a requirement field of the line itself (「核心实践地」 for 「核心实践地要求：」): the requirement is the answer.
          const cueInLabel = types.some((t) => t.cues.some((c) => label.includes(c.text)));
          const specific = label !== field && !x.labelLine;
          if (types.length > 0 && !cueInLabel && !specific && !this.holdsValue(x.text, types)) continue;
          if (!best || label.length > best.label.length) best = { label, lines: [x] };
          else if (label === best.label && !best.lines.some((l) => l.text === x.text)) best.lines.push(x);
        }
      }
    }
    if (!best || best.lines.length > 1) return null;
    const line = best.lines[0];
    // The field must be what the question is about, not one word of it (「区里推荐的案例能直接进路演答辩吗」 is not asking what 路演答辩 is).
    const { retriever } = this.options;
    const content = weighContent(retriever, retriever.analyze(questionWords(this.options, question, subjects, types, [])).content);
    const total = content.reduce((sum, t) => sum + t.weight, 0);
    if (total > 0 && relevance(line, content, retriever.lexicon.synonyms) < total * ANSWERING.fieldMinCoverage) return null;
    const doc = corpus.document(line.docId)!;
    // A field that leads a list (「核心模式：包括但不限于：」) is answered with its items.
    const items = /[：:]$/.test(line.text.trim()) ? enumerationAfter(doc, line, doc.text.length) : [];
    const quotes = [quoteAt(doc, line.start, line.end), ...items];
    return { kind: 'answer', composition: composeQuotes(quotes, items.length ? 'list' : (types[0]?.type ?? 'other')), how: 'typed', items: itemsOf(items, 'list') };
  }

  /** How much of the question's own words (subject names and cue words aside) a composition's quotes cover. */
  private pointedAt(question: string, subjects: Subject[], types: AskedTypeDef[], composition: Composition | null): number {
    if (!composition) return 0;
    const content = questionContent(this.options.retriever, questionWords(this.options, question, subjects, types, []));
    const quoted = foldText(composition.claims.map((c) => c.text).join(' '));
    return relevance({ within: quoted, before: '' } as Sentence, content, this.options.retriever.lexicon.synonyms);
  }

  /**
   * The sentence of the subject's text the question's own words (its subject's names and the words that only ask
   * aside) point at: it must hold most of their weight in its own words and the sentences just before it, and
   * clearly more than any sentence apart from it; a statement continued after 「；」 is given whole. Null when no
   * sentence is clearly meant: the caller then looks through all passages, or declines.
   */
  private pointedSentence(question: string, subjects: Subject[], asked: Asked[]): FramedResult | null {
    const { retriever, corpus } = this.options;
    const types = this.options.types.filter((t) => asked.includes(t.type));
    const content = questionContent(retriever, questionWords(this.options, question, subjects, types, []));
    const total = content.reduce((sum, t) => sum + t.weight, 0);
    if (total === 0) return null;
    const scored: Array<{ sentence: Sentence; score: number }> = [];
    const seen = new Set<string>();
    for (const s of subjects) {
      for (const span of s.spans) {
        for (const x of this.sentences.get(span.docId) ?? []) {
          // (A field's name alone, 「征集对象：」, says nothing of its own.)
          if (x.start < span.start || x.end > span.end || isBare(x.text) || isBare(x.text.trim().replace(/[：:]$/, '')) || seen.has(x.text)) continue;
          seen.add(x.text);
          scored.push({ sentence: x, score: relevance({ ...x, before: x.near }, content, retriever.lexicon.synonyms) });
        }
      }
    }
    scored.sort((a, b) => b.score - a.score || a.sentence.start - b.sentence.start);
    const [best] = scored;
    if (!best || best.score < total * ANSWERING.pointedMinCoverage) return null;
    // A sentence right beside the best one (its continuation, or the one it continues) is no rival.
    const apart = (x: Sentence) => x.docId !== best.sentence.docId || x.end < best.sentence.start - 2 || x.start > best.sentence.end + 2;
    const rival = scored.find((c) => c !== best && apart(c.sentence));
    if (rival && rival.score > best.score * ANSWERING.pointedMargin) return null;
    const all = this.sentences.get(best.sentence.docId) ?? [];
    let end = best.sentence;
    for (let i = all.indexOf(end); /；$/.test(end.text.trim()) && i + 1 < all.length && all[i + 1].start - end.end <= 1; i++) end = all[i + 1];
    const doc = corpus.document(best.sentence.docId)!;
    const quote = quoteAt(doc, best.sentence.start, end.end);
    // A lead (「…必须满足以下全部条件：」) is answered with the lines under it.
    const items = /[：:]$/.test(end.text.trim()) ? enumerationAfter(doc, quote, doc.text.length) : [];
    if (items.length >= 2) return { kind: 'answer', composition: composeQuotes([quote, ...items], 'list'), how: 'typed', items: itemsOf(items, 'list') };
    return { kind: 'answer', composition: composeQuotes([quote], 'other'), how: 'typed' };
  }

  /**
   * 「注册认证咋整」: the sentences of the subject's how-to text (its 操作路径,
   * 报送方式 …: the steps type's fields) that the question's words point at,
   * in the document's order, numbered.
   */
  private stepsScan(question: string, subjects: Subject[], howToOnly = false): FramedResult | null {
    const { corpus, retriever } = this.options;
    const stepsDef = this.options.types.find((t) => t.type === 'steps');
    if (!stepsDef || stepsDef.fields.length === 0) return null;
    const content = questionContent(this.options.retriever, questionWords(this.options, question, subjects, [stepsDef], []));
    const total = content.reduce((sum, t) => sum + t.weight, 0);
    const chosen: Array<{ sentence: Sentence; score: number }> = [];
    const all: Sentence[] = [];
    const seen = new Set<string>();
    for (const s of subjects) {
      for (const span of s.spans) {
        const doc = corpus.document(span.docId)!;
        for (const x of this.sentences.get(span.docId) ?? []) {
          if (x.start < span.start || x.end > span.end || seen.has(x.text)) continue;
          const section = deepestSection(doc, x.start, x.end);
          const where = foldText([...(section?.path ?? []), x.field ?? ''].join(' '));
          if (!stepsDef.fields.some((f) => where.includes(f))) continue;
          seen.add(x.text);
          all.push(x);
          const score = relevance({ ...x, before: '' }, content, retriever.lexicon.synonyms);
          if (score > 0) chosen.push({ sentence: x, score });
        }
      }
    }
    // 「乱收费咋办」: words that point at none of the subject's how-to sentences still ask how to go about the subject;
    // a short how-to is given whole.
    if (chosen.length === 0) {
      if (!howToOnly || all.length === 0 || all.length > ANSWERING.typedMaxSentences + 1) return null;
      const quotes = all.sort((a, b) => a.start - b.start).map((x) => quoteAt(corpus.document(x.docId)!, x.start, x.end));
      return { kind: 'answer', composition: composeQuotes(quotes, 'steps'), how: 'typed', items: itemsOf(quotes, 'steps') };
    }
    if (total === 0) return null;
    const top = Math.max(...chosen.map((c) => c.score));
    if (top < total * ANSWERING.typedMinCoverage) return null;
    // The best sentence and those near it in score, in the document's order.
    const kept = chosen.filter((c) => c.score >= top * ANSWERING.stepsKeepShare).sort((a, b) => a.sentence.start - b.sentence.start).slice(0, ANSWERING.typedMaxSentences + 1);
    const found = kept.map((c) => quoteAt(corpus.document(c.sentence.docId)!, c.sentence.start, c.sentence.end));
    // One long sentence that walks through the procedure is shown as its steps.
    const quotes = found.length === 1 ? stepQuotes(corpus, found[0]) : found;
    return { kind: 'answer', composition: composeQuotes(quotes, 'steps'), how: 'typed', items: itemsOf(quotes, 'steps') };
  }

  /**
   * 「民企上市省里帮不帮」: what the documents say about the subject as a whole,
   * its own first sentences (a measure's statement, a campaign's purpose).
   */
  private overview(subjects: Subject[]): FramedResult | null {
    const { corpus } = this.options;
    const quotes: Quote[] = [];
    for (const s of subjects.slice(0, 2)) {
      const span = s.spans[0];
      if (!span) continue;
      const doc = corpus.document(span.docId)!;
      // Headings (「七、拓宽民营企业直接融资渠道」) name the subject; the sentences under them say what it is.
      const inside = (this.sentences.get(span.docId) ?? []).filter(
        (x) => x.start >= span.start && x.end <= span.end && (x.text.length > 30 || /[。；！？]$/.test(x.text.trim())),
      );
      for (const x of inside.slice(0, ANSWERING.overviewSentences)) quotes.push(quoteAt(doc, x.start, x.end));
    }
    if (quotes.length === 0) return null;
    return { kind: 'answer', composition: composeQuotes(quotes, 'other'), how: 'typed' };
  }

  /**
   * 「提交完了然后呢」: the sentences that follow the last one the previous
   * answer quoted, in the same section (a how-to goes on where it stopped).
   */
  private continueAfter(cited: ListedItem[]): FramedResult | null {
    const last = cited.reduce((a, b) => (b.docId === a.docId && b.end > a.end ? b : a));
    const doc = this.options.corpus.document(last.docId);
    if (!doc) return null;
    const section = deepestSection(doc, last.start, last.end);
    const end = section ? section.end : doc.text.length;
    const quoted = new Set(cited.map((c) => `${c.docId}:${c.start}`));
    const after = (this.sentences.get(doc.id) ?? []).filter((x) => x.start >= last.end && x.end <= end && !quoted.has(`${doc.id}:${x.start}`) && !isBare(x.text));
    if (after.length === 0) return null;
    const quotes = after.slice(0, ANSWERING.nextSentences).map((x) => quoteAt(doc, x.start, x.end));
    return { kind: 'answer', composition: composeQuotes(quotes, quotes.length > 1 ? 'steps' : 'other'), how: 'item', items: itemsOf(quotes, 'steps') };
  }

  /** 「第二条展开说说」: the whole section the listed item heads, sentence by sentence. */
  private expandItem(item: ListedItem): FramedResult | null {
    const doc = this.options.corpus.document(item.docId);
    if (!doc) return null;
    const section = deepestSection(doc, item.start, item.end);
    const from = section && section.end - section.start < 1500 ? section : null;
    const sentences = (this.sentences.get(doc.id) ?? []).filter((s) => (from ? s.start >= from.start && s.end <= from.end : s.start >= item.start && s.end <= item.end));
    if (sentences.length === 0) return null;
    const quotes = sentences.slice(0, ANSWERING.itemMaxSentences).map((s) => quoteAt(doc, s.start, s.end));
    return { kind: 'answer', composition: composeQuotes(quotes, quotes.length > 1 ? 'list' : 'other'), how: 'item' };
  }
}

/**
 * The details a question asks for, grouped by the clause that asks them: 「邮箱是啥？截止啥时候？」 asks two
 * things, each answered on its own; 「信用修复在网上哪儿弄」 asks one thing its cue words read two ways
 * (a website or a place), and 「最快啥时候能到账」 one a date or a period answers. Types no cue of the
 * question names (inherited from the previous turn) join the first group.
 */
export function askedTogether(question: string, types: AskedTypeDef[]): AskedTypeDef[][] {
  if (types.length <= 1) return types.length ? [types] : [];
  const clauses = foldText(question).split(/[？?！!。；;\n]+|[，,](?=.{2,})/).filter((c) => c.trim());
  const clauseOf = (t: AskedTypeDef) => clauses.findIndex((c) => t.cues.some((cue) => c.includes(cue.text)));
  const groups: Array<{ clause: number; types: AskedTypeDef[] }> = [];
  const order = (t: AskedTypeDef) => (clauseOf(t) < 0 ? clauses.length : clauseOf(t));
  for (const t of [...types].sort((a, b) => order(a) - order(b))) {
    const clause = clauseOf(t);
    // Uncued (inherited) types join the first group; cued ones the group of their clause they are an alternative of.
    const group = clause < 0 ? groups[0] : groups.find((g) => g.clause === clause && g.types.some((o) => o.alternatives.includes(t.type) || t.alternatives.includes(o.type)));
    if (group) group.types.push(t);
    else groups.push({ clause, types: [t] });
  }
  return groups.map((g) => g.types);
}

/** Asking when a document was issued (发的文, 印发, 出台, 落款). */
const ISSUED = /发的|发文|印发|出台|落款|发布|颁布|下发/;

/** A time a statement is anchored to (2027年底前, 2025年6月底前). */
const TIME_ANCHOR = /20\d\d\s*年\s*(?:\d{1,2}\s*月)?\s*(?:(?:底|末)\s*(?:之前|以前|前)?|(?:中|初)?\s*(?:之前|以前|前))/;
/** Asking what is to be reached by a time (目标, 做到啥程度, 要完成啥). */
const GOAL = /目标|程度|做到|达到|要完成|要实现|要整到|覆盖到/;
/** The time a text names (「那2027年底前呢」 → 2027年底), without its 「前」, as sentences open with it; null when it names none. */
function timeAnchor(text: string): string | null {
  return TIME_ANCHOR.exec(foldText(text))?.[0].replace(/\s+/g, '').replace(/(?:之前|以前|前)$/, '') ?? null;
}
/** How far into a sentence its time may stand (after a label such as 「工作目标：」) to be what it opens with. */
const ANCHOR_LEAD = 6;

/** Characters beyond which a question is also matched to the bank by its asking part alone. */
const LONG_QUESTION = 30;
/**
 * The part of a long question that asks: what follows its last 「想问问」「请问」, else its asking clause (a space
 * between Chinese words separates clauses as a comma does, as voice input types them).
 */
function askingPart(question: string): string {
  const folded = foldText(question.replace(/(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])/g, '，'));
  return afterAskingTurn(folded) ?? askingClause(folded);
}
/** Nouns a count of kinds names (几个方向, 几个环节): what the enumeration of them shows. */
const KIND_NOUNS = '方向|赛道|榜|环节|步骤|阶段|方面|类|部分|维度|渠道|入口|模式|工作组|板块|专区|功能|主题|条件|要求|材料|附件|目标|领域|平台|专栏|标准';
/**
 * A count asked in a measure word of its own (几票、多少场、几名、占多少分、评多少个优秀案例): the answer's figure
 * must be in it. (「几个方向」 counts kinds: see COUNT_OF_KINDS; 「几个点」 is a rate.)
 */
const COUNTED = new RegExp(`(?:几|多少)\\s*(?:(票|次|场|名|户|人|张|页|份|家|分)|(个)(?!${KIND_NOUNS}|点|百分点))`);
/** Measure words that count the same things (a score in 分 or as a share in %). */
const COUNT_UNITS = ['家户个', '人名位', '次场', '张页份', '分%'];

/** A count of kinds asked (有几种、几类、几大方向、几个环节): answered by the enumeration when no count is written. */
const COUNT_OF_KINDS = new RegExp(`(?:几|多少)(?:种|类|大|项|方面|步|条|个(?=${KIND_NOUNS}))`);

/** Types whose values stand side by side in a contact block. */
const CONTACT = new Set<Asked>(['phone', 'email']);
/** Details a subject has one of, whatever is asked around them: where it is, where it is online, how to reach it. */
const ADDRESSED = new Set<Asked>(['phone', 'email', 'url', 'website', 'address', 'place']);
/** Asking what to do about the subject (乱收费咋办), not how a thing of it works (投票和专家咋分的). */
const WHAT_TO_DO = /咋办|怎么办|咋整|怎么整|咋弄|怎么弄|咋搞|怎么搞|咋处理|怎么处理|如何处理|该咋|该怎么/;
const URL = /https?:\/\/|www\./i;
/** Details a section states once for all of its sentences (a measure's 责任单位). */
const SECTION_FIELDS = new Set<Asked>(['organiser']);

/** The numbers a question states all appear in the bank question whose verdict it borrows (300万 ≠ 500万). */
function sameNumbers(question: string, bankQuestion: string): boolean {
  const numbers = foldText(question).match(/\d+(?:\.\d+)?/g) ?? [];
  const theirs = new Set(foldText(bankQuestion).match(/\d+(?:\.\d+)?/g) ?? []);
  return numbers.every((n) => theirs.has(n));
}
