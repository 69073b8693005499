export interface Span {
  start: number;
  end: number;
}

const SENTENCE_END = new Set(['。', '！', '？', '；', '\n', '!', '?', ';']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')']);

/**
 * Splits `text.slice(from, to)` into sentence spans with offsets into `text`.
 * Sentences end at 。！？； or a line break (closing quotes stay with their
 * sentence), and inline enumerations such as （1）（2） start a new sentence,
 * so each step of a procedure can be quoted on its own. Spans are trimmed of
 * whitespace and never empty.
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  let start = from;
  const push = (end: number) => {
    const span = trimSpan(text, start, end);
    if (span) spans.push(span);
    start = end;
  };
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (SENTENCE_END.has(ch)) {
      let end = i + 1;
      while (end < to && CLOSERS.has(text[end])) end++;
      push(end);
      i = end - 1;
    } else if (i > start && isEnumerationStart(text, i) && !isSpaceOnly(text, start, i)) {
      push(i);
    }
  }
  if (start < to) push(to);
  return spans;
}

/** Splits a sentence span further at commas, for quoting one clause of a long sentence. */
export function splitClauses(text: string, span: Span): Span[] {
  const clauses: Span[] = [];
  let start = span.start;
  for (let i = span.start; i < span.end; i++) {
    if (text[i] === '，' || text[i] === '：' || text[i] === ',') {
      const clause = trimSpan(text, start, i + 1);
      if (clause) clauses.push(clause);
      start = i + 1;
    }
  }
  const last = trimSpan(text, start, span.end);
  if (last) clauses.push(last);
  return clauses;
}

export function trimSpan(text: string, start: number, end: number): Span | null {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end } : null;
}

function isSpaceOnly(text: string, start: number, end: number): boolean {
  return text.slice(start, end).trim() === '';
}

/** （1） or (1) inside running text, as the operation guide writes its sub-steps. */
function isEnumerationStart(text: string, i: number): boolean {
  const open = text[i];
  if (open !== '（' && open !== '(') return false;
  const m = /^[（(]\d{1,2}[）)]/.exec(text.slice(i, i + 5));
  return m !== null;
}
