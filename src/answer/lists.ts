import type { Corpus } from '../corpus/corpus.ts';
import { deepestSection, quoteAt, type Quote } from '../corpus/quotes.ts';
import type { Retriever } from '../search/retriever.ts';
import { foldText } from '../understand/fold.ts';
import { chineseNumber, type ListedItem } from '../understand/frame.ts';
import type { Gazetteer, Subject } from '../understand/gazetteer.ts';
import type { Asked, AskedTypeDef } from '../understand/lexicons.ts';
import { weighContent } from './evidence.ts';
import type { Composition } from './extractive.ts';
import { composeOutline, composeQuotes, itemsOf } from './quoted.ts';
import { questionWords } from './question-words.ts';
import { enumerationAfter, INLINE_LIST, isBare, isHeadingLine, NUMBERED, relevance, type Sentence } from './sentence-model.ts';
import { ANSWERING } from '../tuning.ts';

/** Fields whose heading leads a list of values (申报主体 → 持牌金融机构、金融科技公司…; 材料规范 → 申报表、案例报告…). */
const LISTED_FIELDS = new Set<Asked>(['target', 'materials']);

export interface ListReaderOptions {
  corpus: Corpus;
  retriever: Retriever;
  gazetteer: Gazetteer;
  types: AskedTypeDef[];
  /** The years the documents are about throughout: naming one tells no list from another. */
  ownYears?: number[];
  /** Politeness and forms of address, which name nothing a question asks about. */
  fillers?: string[];
}

/** A list found for the question: its quotes composed in order, and its items for a follow-up to point at. */
export interface ListAnswer {
  kind: 'answer';
  composition: Composition;
  how: 'typed';
  items?: ListedItem[];
}

/**
 * The lists of a subject's text: the enumeration a question asks for (a lead and the lines under it, or one
 * sentence listing inline), a field heading the lines that fill it in, and a document's numbered outline.
 */
export class ListReader {
  constructor(
    private readonly options: ListReaderOptions,
    private readonly sentences: ReadonlyMap<string, Sentence[]>,
  ) {}

  /**
   * 「都有哪些方向」: the enumeration in the subject's text the question's words
   * point at — a lead ending in 「：」 with the items under it, given whole and
   * in order, or one sentence that lists its items inline (「辽科贷」、「辽知贷」…).
   */
  listScan(question: string, subjects: Subject[]): ListAnswer | null {
    const { retriever, corpus } = this.options;
    const listDef = this.options.types.find((t) => t.type === 'list');
    // A document's or campaign's name is everywhere in its text and tells its lists apart no more than its headings do;
    // a narrower subject's name stays, for it often names the list itself (辽系列, 科技金融服务链).
    const wide = subjects.filter((s) => s.kind === 'document' || s.kind === 'campaign');
    // The documents' own year tells no list from another (they are about 2025 throughout; 2027 does tell the targets apart);
    // nor does a string the documents never use (「年一共」 cut out of 「2025年一共设了」) and that has no synonym they use.
    const unseen = retriever.idf('\u0000');
    const content = weighContent(retriever, retriever.analyze(questionWords(this.options, question, wide, listDef ? [listDef] : [], [])).content).filter(
      (t) => !(this.options.ownYears ?? []).some((y) => t.term === `${y}` || t.term === `${y}年`) && (retriever.idf(t.term) < unseen || t.groups.length > 0),
    );
    const total = content.reduce((sum, t) => sum + t.weight, 0);
    if (total === 0) return null;
    const candidates: Array<{ quotes: Quote[]; score: number; leadScore: number; key: string; kind: number }> = [];
    const seen = new Set<string>();
    for (const s of subjects) {
      for (const span of s.spans) {
        const doc = corpus.document(span.docId)!;
        const sentences = (this.sentences.get(span.docId) ?? []).filter((x) => x.start >= span.start && x.end <= span.end);
        sentences.forEach((sentence) => {
          const key = sentence.text;
          if (seen.has(key)) return;
          // Among lists the question fits equally, the one whose lead itself says what is asked (「…的科技金融服务链」) is meant.
          const leadScore = relevance({ ...sentence, within: foldText(sentence.text), before: '' }, content, retriever.lexicon.synonyms);
          // A lead ends in 「：」, or is a heading line (「重点征集方向（包括但不限于）」) with lines under it; a bare
          // heading (「五、评审标准」) leads its lines only when its own words are most of what is asked.
          // (The subject's own heading names the subject, not a list in it.)
          const heading =
            sentence.start > span.start + 1 &&
            isHeadingLine(doc, sentence) &&
            (leadScore >= total * ANSWERING.bareLeadCoverage || !isBare(sentence.text.replace(/[（(][^）)]*[）)]/g, '')));
          const lead = /[：:]$/.test(sentence.text.trim()) || heading;
          const listed = lead ? enumerationAfter(doc, sentence, span.end) : [];
          const parts = listed.length >= 2 ? listed : [];
          if (parts.length === 0 && !INLINE_LIST.test(sentence.text)) return;
          seen.add(key);
          // Only the list's own words count: its section's headings (the subject's name among them) are shared by every list there.
          const within = [sentence.text, ...parts.map((x) => x.quote)].map(foldText).join(' ');
          const score = relevance({ ...sentence, within, before: '' }, content, retriever.lexicon.synonyms);
          // How many of its items are of the kind asked (「哪几个工作组」: 指导工作组、活动工作组、评审工作组), not merely near it.
          const items = parts.length ? parts.map((x) => x.quote.split(/[：:]/)[0]) : (INLINE_LIST.exec(sentence.text)?.[0].split(/[、+]/) ?? []);
          const kind = items.filter((item) => content.some((t) => foldText(item).includes(t.term))).length;
          candidates.push({ quotes: [quoteAt(doc, sentence.start, sentence.end), ...parts], score, leadScore, key, kind });
        });
      }
    }
    if (candidates.length === 0) return null;
    // Among equals the tightest enumeration wins (「核心模式：」 over the 「申报范围聚焦：」 that holds it).
    // Items of the kind asked (two or more of them) name the list as well as a lead that says it does.
    const named = (c: (typeof candidates)[number]) => (c.leadScore > 0 || c.kind >= 2 ? 1 : 0);
    const kindOf = (c: (typeof candidates)[number]) => (c.kind >= 2 ? c.kind : 0);
    // Then a list laid out under its own lead (「七、激励举措」 over a preamble that names 激励 in passing), then the tightest.
    const laidOut = (c: (typeof candidates)[number]) => (c.quotes.length > 1 ? 1 : 0);
    candidates.sort(
      (a, b) =>
        b.score - a.score || named(b) - named(a) || kindOf(b) - kindOf(a) || b.leadScore - a.leadScore || laidOut(b) - laidOut(a) || a.quotes.length - b.quotes.length,
    );
    const [best] = candidates;
    const rivals = candidates.filter((c) => c !== best && !c.quotes.some((q) => best.quotes.some((b) => b.start === q.start)));
    const next = rivals[0];
    const clear = best.score >= total * ANSWERING.typedWinnerCoverage && (!next || next.score <= best.score * ANSWERING.typedWinnerMargin);
    if (best.score < total * ANSWERING.typedMinCoverage && !clear) return null;
    // Two separate lists the question fits equally: no decision.
    if (
      next &&
      next.score >= best.score - 1e-9 &&
      named(next) >= named(best) &&
      kindOf(next) >= kindOf(best) &&
      next.leadScore >= best.leadScore - 1e-9 &&
      laidOut(next) >= laidOut(best)
    )
      return null;
    return { kind: 'answer', composition: composeQuotes(best.quotes, 'list'), how: 'typed', items: itemsOf(best.quotes.slice(1), 'list') };
  }

  /**
   * A heading or a lead line (「(一)申报主体」「申报主体要求（符合以下任一条件即可）：」) whose words are a field of
   * an asked type with the list of types' `listField`s, answered with the lines listed under it; the first one
   * within the subject, when exactly one such field leads a list there.
   */
  headedList(subjects: Subject[], types: AskedTypeDef[]): ListAnswer | null {
    const { corpus } = this.options;
    const fields = types.filter((t) => LISTED_FIELDS.has(t.type)).flatMap((t) => t.fields);
    if (fields.length === 0) return null;
    const found: Quote[][] = [];
    for (const s of subjects) {
      for (const span of s.spans) {
        const doc = corpus.document(span.docId)!;
        for (const x of this.sentences.get(span.docId) ?? []) {
          if (x.start < span.start || x.end > span.end) continue;
          const text = foldText(x.text);
          if (text.length > 40 || !fields.some((f) => text.includes(f))) continue;
          if (!(isHeadingLine(doc, x) || /[：:]$/.test(x.text.trim()))) continue;
          // A field of a narrower subject (the 上海示范案例 track's 申报主体要求) is not the whole campaign's.
          if (this.narrowerHolds(s, x)) continue;
          // A heading's list is the lines of its own section.
          const own = isHeadingLine(doc, x) ? deepestSection(doc, x.start, x.end) : undefined;
          const items = enumerationAfter(doc, x, own && own.end > x.end ? Math.min(span.end, own.end) : span.end);
          if (items.length >= 2 && !found.some((f) => f[0].start === x.start)) found.push([quoteAt(doc, x.start, x.end), ...items]);
        }
      }
    }
    if (found.length !== 1) return null;
    const [quotes] = found;
    return { kind: 'answer', composition: composeQuotes(quotes, 'list'), how: 'typed', items: itemsOf(quotes.slice(1), 'list') };
  }

  /**
   * 「主要技术那栏有哪些选项」: a form's field named in the question whose options follow it as 「□…」 lines (past a
   * note such as 「（可多选）」 and blank lines), given with all of its options; null unless exactly one such field is named.
   */
  formOptions(question: string, subjects: Subject[]): ListAnswer | null {
    const { corpus } = this.options;
    const folded = foldText(question);
    const found: Quote[][] = [];
    for (const s of subjects) {
      for (const span of s.spans) {
        const doc = corpus.document(span.docId)!;
        for (const x of this.sentences.get(span.docId) ?? []) {
          if (x.start < span.start || x.end > span.end || !isBare(x.text) || /^\s*□/.test(x.text)) continue;
          const name = foldText(x.text.replace(/[（(][^）)]*[）)]/g, '').trim());
          if (name.length < 2 || !folded.includes(name)) continue;
          const lines: Quote[] = [];
          let at = doc.text.indexOf('\n', x.end - 1);
          while (at >= 0 && at < span.end) {
            const next = doc.text.indexOf('\n', at + 1);
            const end = next < 0 ? doc.text.length : next;
            const raw = doc.text.slice(at + 1, end);
            const text = raw.trim();
            if (/^□/.test(text)) {
              const start = at + 1 + raw.indexOf(text);
              lines.push(quoteAt(doc, start, start + text.length));
            } else if (text && !/^[（(][^）)]*[）)]$/.test(text)) break;
            at = next;
          }
          if (lines.length >= 2 && !found.some((q) => q[0].start === x.start)) found.push([quoteAt(doc, x.start, x.end), ...lines]);
        }
      }
    }
    if (found.length !== 1) return null;
    const [quotes] = found;
    return { kind: 'answer', composition: composeQuotes(quotes, 'list'), how: 'typed', items: itemsOf(quotes.slice(1), 'list') };
  }

  /** Whether a subject under the given one holds the span in its own text. */
  private narrowerHolds(subject: Subject, span: { docId: string; start: number; end: number }): boolean {
    const { gazetteer } = this.options;
    return gazetteer.subjects.some(
      (o) => o !== subject && gazetteer.ancestors(o.id).includes(subject) && o.spans.some((sp) => sp.docId === span.docId && sp.start <= span.start && span.end <= sp.end),
    );
  }

  /** The subject's enumeration the question asks for, or its outline when the question's word groups its headings (榜单). */
  listed(question: string, subjects: Subject[]): { result: ListAnswer; grouped: boolean } | null {
    const enumeration = this.listScan(question, subjects);
    const outline = this.outline(question, subjects);
    if (outline && (!enumeration || outline.groupWord)) return { result: outline.result, grouped: outline.groupWord };
    return enumeration?.kind === 'answer' ? { result: enumeration, grouped: false } : null;
  }

  /**
   * 「那12条举措分别是啥」「都有哪些榜单」: a document's or campaign's list is its own numbered headings, one
   * level of them, each with the numbered headings under it when those are what its headings group
   * (「1、两大主榜单」 → 「1.十大科技金融事件」「2.十大数字金融事件」). The question's words must point at
   * the headings (or the title above them); repeated headings (the 操作指南 restating each measure) are given once.
   */
  outline(question: string, subjects: Subject[]): { result: ListAnswer; groupWord: boolean } | null {
    const { corpus, retriever } = this.options;
    const wide = subjects.filter((s) => s.kind === 'document' || s.kind === 'campaign');
    if (wide.length !== subjects.length) return null;
    const listDef = this.options.types.find((t) => t.type === 'list');
    const content = weighContent(retriever, retriever.analyze(questionWords(this.options, question, subjects, listDef ? [listDef] : [], [])).content);
    const total = content.reduce((sum, t) => sum + t.weight, 0);
    if (total === 0) return null;
    for (const subject of subjects) {
      for (const span of subject.spans) {
        const doc = corpus.document(span.docId)!;
        const sections = doc.sections.filter((sec) => sec.start >= span.start && sec.end <= span.end);
        const heading = (sec: (typeof sections)[number]) => sec.path[sec.path.length - 1];
        const numbered = sections.filter((sec) => NUMBERED.test(heading(sec)));
        if (numbered.length < 2) continue;
        const depth = Math.min(...numbered.map((sec) => sec.path.length));
        const said = new Set<string>();
        const top = numbered.filter((sec) => sec.path.length === depth && !said.has(heading(sec)) && said.add(heading(sec)));
        if (top.length < 2) continue;
        const childrenOf = (parent: (typeof sections)[number]) =>
          numbered.filter((c) => c.path.length === depth + 1 && c.start >= parent.start && c.end <= parent.end);
        // Headings that group (「两大主榜单」) are shown with the headings under them.
        const grouped = top.every((sec) => childrenOf(sec).length > 0 && childrenOf(sec).length <= 3);
        const lines = grouped ? top.flatMap((sec) => [sec, ...childrenOf(sec)]) : top;
        if (lines.length > ANSWERING.listItemsMax) continue;
        const words = foldText([...new Set(top.flatMap((sec) => sec.path))].join(' '));
        // 「那12条举措」: a count the question states that the headings have says it is these headings.
        // (「一共几条」 asks for that count.)
        const counted =
          [...foldText(question).matchAll(/(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:条|项|大|个|类|部分)/g)].some((m) => chineseNumber(m[1]) === top.length) ||
          /(?:几|多少)(?:条|项|部分)/.test(question);
        const score = relevance({ within: words, before: '' } as Sentence, content, retriever.lexicon.synonyms);
        // A question word found in several of the headings (榜单 in 「两大主榜单」「一大特色榜单」) names what they group,
        // however many other words (那个申报) the question has.
        const groupWord = content.some((t) => top.filter((sec) => foldText(heading(sec)).includes(t.term)).length >= 2);
        if (score < total * ANSWERING.typedMinCoverage && !counted && !groupWord) continue;
        // Words that point at one heading alone (「有什么奖励」 at 「七、激励举措」) ask about that part, not for the outline.
        const pointed = top.filter((sec) => relevance({ within: foldText(heading(sec)), before: '' } as Sentence, content, retriever.lexicon.synonyms) > 0);
        const titled = relevance({ within: foldText(sections[0]?.path.slice(0, depth - 1).join(' ') ?? ''), before: '' } as Sentence, content, retriever.lexicon.synonyms) > 0;
        if (pointed.length === 1 && !counted && !titled) continue;
        const quotes = lines.map((sec) => {
          const text = doc.text.slice(sec.start, sec.end);
          const lead = text.length - text.trimStart().length;
          const lineEnd = text.indexOf('\n', lead);
          return quoteAt(doc, sec.start + lead, lineEnd < 0 ? sec.end : sec.start + lineEnd);
        });
        const leaves = grouped ? lines.filter((sec) => sec.path.length === depth + 1) : lines;
        const items = quotes.filter((_, i) => leaves.includes(lines[i]));
        const composition = grouped ? composeOutline(quotes, lines.map((sec) => sec.path.length > depth)) : composeQuotes(quotes, 'list');
        return { result: { kind: 'answer', composition, how: 'typed', items: itemsOf(items, 'list') }, groupWord };
      }
    }
    return null;
  }
}
