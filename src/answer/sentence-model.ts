import type { CorpusDocument } from '../corpus/corpus.ts';
import { deepestSection, quoteAt, type Quote } from '../corpus/quotes.ts';
import { splitClauses, splitSentences, type Span } from '../text/sentences.ts';
import { foldText } from '../understand/fold.ts';
import type { AskedTypeDef } from '../understand/lexicons.ts';
import { covers, type WeightedContent } from './evidence.ts';
import { ANSWERING } from '../tuning.ts';

/**
 * The documents as the framed answerer reads them: sentences with their section context and the field
 * they fill in, the question's weight a sentence covers, headings, value lines and enumerations.
 */

export interface Sentence {
  docId: string;
  start: number;
  end: number;
  text: string;
  /** The folded sentence, with the short label line it sits under in front (「单位简介」 above its 「…1000字内」). */
  within: string;
  /**
   * Context, folded: its section path, and the sentences just before it in the
   * same section (「邮寄地址：…」 follows the sentence about the paper materials
   * it is for). Words met only here count for less: every sentence of a
   * section shares its heading.
   */
  before: string;
  /** The sentences just before it in the same section, folded (part of `before`, without the headings). */
  near: string;
  /** The field the sentence fills in: its own 「主办单位：」, or the label line above it (「（2） 主办单位」). */
  field: string | null;
  /** That label line, when the field is named above the sentence rather than in it. */
  labelLine?: { start: number; end: number };
}

/** Every sentence of a document with its section path (and the short field label above it) for matching. */
export function sentencesOf(doc: CorpusDocument): Sentence[] {
  const out: Sentence[] = [];
  let label = '';
  let labelField: string | null = null;
  let labelLine: { start: number; end: number } | undefined;
  for (const span of splitSentences(doc.text)) {
    let text = doc.text.slice(span.start, span.end);
    if (!/[\p{L}\p{N}]{2}/u.test(text)) continue;
    // A short tail on the same line (「…单位信息介绍。1000字内」) belongs to the sentence before it.
    const last = out[out.length - 1];
    if (last && isBare(text) && !doc.text.slice(last.end, span.start).includes('\n')) {
      last.end = span.end;
      last.text = doc.text.slice(last.start, last.end);
      last.within = `${last.within} ${foldText(text)}`;
      continue;
    }
    const section = deepestSection(doc, span.start, span.end);
    const heading = foldText((section?.path ?? [doc.shortTitle]).join(' '));
    const before = out
      .slice(-ANSWERING.typedContextSentences)
      .filter((x) => x.docId === doc.id && (!section || x.start >= section.start))
      .map((x) => foldText(x.text))
      .join(' ');
    out.push({
      docId: doc.id,
      start: span.start,
      end: span.end,
      text,
      within: `${label} ${foldText(text)}`,
      before: `${heading} ${before}`,
      near: before,
      // (A numbered line, 「2、 征集对象」, starts a part of its own: it fills in no label above it.)
      field: fieldLabel(text) ?? (NUMBERED.test(text) ? null : labelField),
      ...(fieldLabel(text) === null && !NUMBERED.test(text) && labelField && labelLine ? { labelLine } : {}),
    });
    label = text.length <= 16 && !/[。；！？]/.test(text) ? foldText(text) : '';
    // Only a bare label (「（2） 主办单位」) names the field of the line below; 「智库支持：东北财经大学」 fills its own.
    labelField = label && !/[：:]/.test(text) ? foldText(text.replace(NUMBERED, '').trim()) || null : null;
    labelLine = label ? { start: span.start, end: span.end } : undefined;
  }
  return out;
}

/**
 * The question's term weight a sentence covers; a term met only through a
 * synonym counts for less than the word itself, and one met only in the
 * sentences just before it for less again.
 */
export function relevance(sentence: Sentence, content: WeightedContent[], synonyms: string[][]): number {
  const credit = (text: string, t: WeightedContent) =>
    text.includes(t.term) ? 1 : covers(text, t, synonyms) ? ANSWERING.synonymCredit : ANSWERING.synonymCredit * bigramShare(t.term, text);
  return content.reduce((sum, t) => sum + t.weight * Math.max(credit(sentence.within, t), credit(sentence.before, t) * ANSWERING.typedContextCredit), 0);
}

/**
 * The share of a longer term's character bigrams a text holds: a term the
 * question's segmentation left odd (「类案例」 from 「哪些类案例」) still meets
 * the 「案例」 of the text, for part of its weight.
 */
export function bigramShare(term: string, text: string): number {
  if (term.length < 3) return 0;
  let held = 0;
  for (let i = 0; i + 2 <= term.length; i++) if (text.includes(term.slice(i, i + 2))) held++;
  return held / (term.length - 1);
}

/** Whether two folded texts share a character bigram. */
export function sharesBigram(a: string, b: string): boolean {
  for (let i = 0; i + 2 <= a.length; i++) if (b.includes(a.slice(i, i + 2))) return true;
  return false;
}

/**
 * A long sentence narrowed to the clauses around the value it states (still a verbatim span). Where the
 * question's own words point at a clause (「需求收集栏目在哪」), the value nearest that clause is kept with it,
 * not the sentence's first value (the site's address at its start).
 */
export function narrowTo(doc: CorpusDocument, sentence: Sentence, types: AskedTypeDef[], content: WeightedContent[] = [], synonyms: string[][] = []): Quote {
  if (sentence.end - sentence.start <= ANSWERING.typedQuoteMax) return quoteAt(doc, sentence.start, sentence.end);
  const clauses: Span[] = splitClauses(doc.text, sentence);
  const text = (c: Span) => doc.text.slice(c.start, c.end);
  // How specific the value a clause holds is: the rank of the first of the type's patterns (most specific first:
  // a URL before a bare 「网站」) it matches; only the most specific values found are kept to.
  const rank = (c: Span) => Math.min(...types.map((t) => t.values!.findIndex((re) => re.test(text(c)))).filter((i) => i >= 0), Infinity);
  const ranks = clauses.map(rank);
  const top = Math.min(...ranks);
  const holds = ranks.map((r) => r === top && r !== Infinity);
  const scores = clauses.map((c) => relevance({ within: foldText(text(c)), before: '' } as Sentence, content, synonyms));
  const best = Math.max(0, ...scores);
  const holdingAt = clauses.map((_, i) => i).filter((i) => holds[i]);
  if (holdingAt.length === 0) return quoteAt(doc, sentence.start, sentence.end);
  // The clause the question points at most; of equals, one that itself holds a value (「要融资点哪个按钮」: 【企业融资】).
  const pointed = best > 0 ? (holdingAt.find((i) => scores[i] === best) ?? scores.indexOf(best)) : -1;
  const holding = pointed < 0 ? holdingAt[0] : holdingAt.reduce((a, b) => (Math.abs(b - pointed) < Math.abs(a - pointed) ? b : a));
  const from = pointed >= 0 ? Math.min(pointed, holding) : holding;
  const to = pointed >= 0 ? Math.max(pointed, holding) : holding;
  let start = from === holding ? clauses[Math.max(0, holding - 1)].start : clauses[from].start;
  let end = clauses[to].end;
  if (end - start > ANSWERING.typedQuoteMax) start = clauses[from].start;
  for (let i = to + 1; i < clauses.length && clauses[i].end - start <= ANSWERING.typedQuoteMax; i++) end = clauses[i].end;
  return quoteAt(doc, start, end);
}

/** A line of its own without a full stop, which a section starts with: a heading. */
export function isHeadingLine(doc: CorpusDocument, sentence: { start: number; end: number; text: string }): boolean {
  const section = deepestSection(doc, sentence.start, sentence.end);
  const ownLine = (sentence.start === 0 || doc.text[sentence.start - 1] === '\n') && /\n|$/.test(doc.text.slice(sentence.end, sentence.end + 1));
  return ownLine && !/[。；！？]$/.test(sentence.text.trim()) && !!section && section.start >= sentence.start - 1 && section.start <= sentence.start + 1;
}

/** A field name, a title or a sub-heading: short, with no full stop and no 「：」 stating a value. */
export function isBare(text: string): boolean {
  return text.length < 12 && !/[。；：:！？]/.test(text);
}

/** A line that is nothing but a value of the type (「2025年4月16日」). */
export function isValueLine(text: string, types: AskedTypeDef[]): boolean {
  const line = text.trim();
  return types.some((t) => t.values!.some((re) => (line.match(re)?.[0].length ?? 0) >= line.length * ANSWERING.valueLineShare));
}

/** Field names too general to say which line is meant. */
/** Generic endings of a field's name (「核心实践地要求」), which a question naming the field leaves out. */
export const LABEL_ENDING = /(?:要求|说明|规定|标准|条件|范围|情况)$/;
export const GENERIC_LABELS = new Set(['备注', '说明', '注', '其他', '其它', '要求', '内容']);

/** The field a line fills in (「2.邮件主题：…」 → 邮件主题), folded; null when the line is no field. */
export function fieldLabel(text: string): string | null {
  const m = text.trim().match(/^(?:\d{1,2}[.．、]|[（(][\d一二三四五六七八九十]{1,2}[）)])?\s*([^：:，。；、（）()“”]{2,10})[：:]/);
  if (!m) return null;
  const label = foldText(m[1].trim());
  return label.length >= 2 && !GENERIC_LABELS.has(label) ? label : null;
}

/** The start of a numbered line: （一） (1) 1. 一、 ① */
export const NUMBERED = /^\s*(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.．、]|[一二三四五六七八九十]{1,2}、|[①-⑳])/;

/**
 * The items of a list whose lead (「涵盖以下八大方向：」) ends at `lead.end`: the
 * lines under it, up to the end of its section, each a quote. When the lines
 * under it are numbered headings with text between them (（一）… details …
 * （二）…), the items are the headings.
 */
export function enumerationAfter(doc: CorpusDocument, lead: { start: number; end: number }, limit: number): Quote[] {
  const section = deepestSection(doc, lead.start, lead.end);
  // A lead that is its own (item) section lists what follows it in the section above.
  const holder = section && section.end <= lead.end + 2 ? deepestSection(doc, section.start - 1, section.start) : section;
  const end = Math.min(limit, holder && holder.end > lead.end ? holder.end : doc.text.length);
  const lines: Array<{ start: number; end: number; text: string }> = [];
  let at = doc.text.indexOf('\n', lead.end - 1);
  while (at >= 0 && at < end && lines.length < 60) {
    const next = doc.text.indexOf('\n', at + 1);
    const lineEnd = next < 0 || next > end ? end : next;
    const raw = doc.text.slice(at + 1, lineEnd);
    const text = raw.trim();
    // A table's header cells and row numbers (序号, 材料名称, 1, 2 …) are no items of the list.
    if (text && /[\p{L}\p{N}]{2}/u.test(text) && !TABLE_CELL.test(text)) {
      const start = at + 1 + raw.indexOf(text);
      lines.push({ start, end: start + text.length, text });
    }
    at = next < 0 ? -1 : next;
  }
  // Items are the lines numbered the way the first one is, when other lines stand between them (their details,
  // or items numbered another way under each: 「(一)金融科技赋能监管与风控」 over 「1.智能监管创新：…」).
  const style = (text: string) => (text.match(NUMBERED)?.[0] ?? '').replace(/[\d一二三四五六七八九十①-⑳\s]/g, '');
  const first = lines.find((l) => NUMBERED.test(l.text));
  const outer = first ? lines.filter((l) => NUMBERED.test(l.text) && style(l.text) === style(first.text)) : [];
  const headed = outer.length >= 2 && outer.length < lines.length && lines.indexOf(outer[1]) - lines.indexOf(outer[0]) > 1;
  const items = headed ? outer : lines;
  return items.slice(0, ANSWERING.listItemsMax).map((l) => quoteAt(doc, l.start, l.end));
}

export const TABLE_CELL = /^(?:\d{1,2}|序号|名称|材料名称|附件名称|出具单位|有效期|备注|页码|份数)$/;

/** A heading that says it leads a list (包括但不限于, 以下, 方向, 类别 …). */
const LIST_HEADING = /包括|以下|如下|方向|类别|种类|清单|目录/;

/**
 * The lines a quote leads, when it is a lead: it ends in 「：」 (or the colon follows it), or it is a heading that says it
 * leads a list (「（3）重点征集方向（包括但不限于）」); empty otherwise.
 */
export function ledLines(doc: CorpusDocument, quote: { start: number; end: number; quote: string }): Quote[] {
  const colon = /[：:]/.test(doc.text.slice(quote.end, quote.end + 1));
  const heading = isHeadingLine(doc, { start: quote.start, end: quote.end, text: quote.quote }) && LIST_HEADING.test(quote.quote);
  if (!/[：:]$/.test(quote.quote.trim()) && !colon && !heading) return [];
  return enumerationAfter(doc, { start: quote.start, end: quote.end + (colon ? 1 : 0) }, doc.text.length);
}

/** A sentence that enumerates inline: three or more short items joined by 、 or +. */
export const INLINE_LIST = /(?:[^、，。；：+]{1,14}[、+]){2,}[^、，。；：+]{1,14}|“[^”]{1,14}”(?:、“[^”]{1,14}”)+/;

/** Every match of a value pattern in a text (the patterns are compiled without the global flag). */
export function allMatches(re: RegExp, text: string): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))];
}
