import type { Quote } from '../corpus/quotes.ts';
import type { ListedItem } from '../understand/frame.ts';
import type { Asked } from '../understand/lexicons.ts';
import type { Composition } from './extractive.ts';
import { NUMBERED } from './sentence-model.ts';
import type { Claim } from './types.ts';

/**
 * Answer text from verbatim quotes: numbered, in document order, for a list,
 * steps or materials; otherwise one after another. Each quote is one claim.
 */
export function composeQuotes(quotes: Quote[], type: Asked | 'other'): Composition {
  const claims: Claim[] = quotes.map((q) => ({ text: q.quote, docId: q.docId, start: q.start, end: q.end, section: q.section }));
  const numbered = quotes.length > 1 && ['list', 'steps', 'materials'].includes(type);
  const text = numbered
    ? claims.map((c, i) => `${i + 1}. ${display(c.text).replace(/^[一二三四五六七八九十]{1,3}、\s*/, '')}[${i + 1}]`).join('\n')
    : claims.map((c, i) => `${display(c.text)}[${i + 1}]`).join('');
  return { text, claims };
}

/** Grouping headings, each followed by the numbered headings under it (「两大主榜单：」 1. … 2. …). */
export function composeOutline(quotes: Quote[], nested: boolean[]): Composition {
  const claims: Claim[] = quotes.map((q) => ({ text: q.quote, docId: q.docId, start: q.start, end: q.end, section: q.section }));
  let n = 0;
  const lines = claims.map((c, i) => (nested[i] ? `  ${++n}. ${display(c.text)}[${i + 1}]` : `${display(c.text).replace(/^[一二三四五六七八九十]{1,2}、\s*/, '')}：[${i + 1}]`));
  return { text: lines.join('\n'), claims };
}

/** Several answers as one, their claims renumbered in order. */
export function mergeCompositions(parts: Composition[]): Composition {
  const claims: Claim[] = [];
  const lines: string[] = [];
  const said = new Set<string>();
  for (const part of parts) {
    // Two asked details answered by the same sentence are answered once.
    const key = part.claims.map((c) => `${c.docId}:${c.start}:${c.end}`).join('|');
    if (said.has(key)) continue;
    said.add(key);
    const offset = claims.length;
    claims.push(...part.claims);
    lines.push(part.text.replace(/\[(\d+)\]/g, (_, n: string) => `[${Number(n) + offset}]`));
  }
  return { text: lines.join('\n'), claims };
}

/** The quotes an answer listed, as items a follow-up can point at. */
export function itemsOf(quotes: Quote[], type: Asked | 'other'): ListedItem[] | undefined {
  if (quotes.length < 2 || !['list', 'steps', 'materials'].includes(type)) return undefined;
  // A lead above numbered items (「涵盖以下八大方向：」 then （一）…（八）) is not itself an item: 「第六个」 is （六）.
  const led = !NUMBERED.test(quotes[0].quote) && quotes.slice(1).every((q) => NUMBERED.test(q.quote));
  return (led ? quotes.slice(1) : quotes).map((q) => ({ docId: q.docId, start: q.start, end: q.end }));
}

/** A quote as the answer shows it: without a leading label (「操作路径：」) or a dangling comma. */
export function display(text: string): string {
  return text.replace(/^(?:操作路径|工作目标)：/, '').replace(/^(\d{1,2}[.．、]|[（(]\d{1,2}[）)])\s*(?=\S)/, '').replace(/[，、；：,;:]$/, '');
}
