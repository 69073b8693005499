import type { DocumentPart } from './manifest.ts';

export type SectionKind = 'part' | 'heading' | 'item' | 'label' | 'preamble';

export interface Section {
  id: string;
  /** Titles from the document's short title down to this section. */
  path: string[];
  title: string;
  kind: SectionKind;
  /** Offset of the section's first character (its heading line, if any). */
  start: number;
  /** Offset where the section's own text begins (after a heading line; at the line for items and labels). */
  contentStart: number;
  end: number;
  depth: number;
}

type Family = 'dun' | 'paren' | 'dot' | 'label';

const CN_NUM = '[一二三四五六七八九十]+';
const HEADING_PATTERNS: Array<{ family: Family; re: RegExp }> = [
  { family: 'dun', re: new RegExp(`^(?:${CN_NUM}|\\d{1,2})、`) },
  { family: 'paren', re: new RegExp(`^[（(](?:${CN_NUM}|\\d{1,2})[）)]`) },
  { family: 'dot', re: /^\d{1,2}[.．](?!\d)/ },
];
/** A short label opening a long paragraph, as in 「工作目标：」「操作路径：」. */
const LABEL = /^([^\s：:，。；、（）()]{2,6})[：:]/;
const LABEL_MIN_LINE = 80;
const HEADING_MAX = 40;
const TITLE_MAX = 30;

interface Line {
  start: number;
  end: number;
  text: string;
}

/**
 * Parses a document's structure from its numbering, not its line breaks:
 * 一、/1、 headings, （一）/（1） subheadings, 1. items and labelled paragraphs
 * (工作目标：…). Levels are inferred per part from the order in which numbering
 * styles open, so a document that puts 1. under 一、 and one that puts 一、
 * under 1. both parse. `parts` split the document where the manifest says.
 */
export function parseSections(
  docId: string,
  shortTitle: string,
  text: string,
  parts: DocumentPart[] = [],
): Section[] {
  const sections: Section[] = [];
  for (const part of locateParts(text, parts)) {
    const root = part.title ? [shortTitle, part.title] : [shortTitle];
    parsePart(docId, text, part.start, part.contentStart, part.end, root, sections);
  }
  return sections;
}

interface LocatedPart {
  title: string;
  start: number;
  contentStart: number;
  end: number;
}

function locateParts(text: string, parts: DocumentPart[]): LocatedPart[] {
  if (parts.length === 0) return [{ title: '', start: 0, contentStart: 0, end: text.length }];
  const located: LocatedPart[] = [];
  let from = 0;
  for (const part of parts) {
    const at = findAtLineStart(text, part.heading, from);
    if (at < 0) throw new Error(`part heading not found: ${JSON.stringify(part.heading)}`);
    located.push({ title: part.title, start: at, contentStart: at + part.heading.length, end: text.length });
    from = at + part.heading.length;
  }
  for (let i = 0; i < located.length - 1; i++) located[i].end = located[i + 1].start;
  if (located[0].start > 0) {
    located.unshift({ title: '', start: 0, contentStart: 0, end: located[0].start });
  }
  return located;
}

function findAtLineStart(text: string, needle: string, from: number): number {
  let at = text.indexOf(needle, from);
  while (at > 0 && text[at - 1] !== '\n') at = text.indexOf(needle, at + 1);
  return at;
}

function parsePart(
  docId: string,
  text: string,
  partStart: number,
  contentStart: number,
  partEnd: number,
  root: string[],
  out: Section[],
): void {
  const lines = splitLines(text, contentStart, partEnd);
  const labels = labelsUsedIn(lines);
  const stack: Array<{ family: Family; section: Section }> = [];
  const opened: Section[] = [];

  const partSection: Section = {
    id: `${docId}#${out.length}`,
    path: root,
    title: root[root.length - 1],
    kind: 'preamble',
    start: partStart,
    contentStart,
    end: partEnd,
    depth: 0,
  };
  opened.push(partSection);

  for (const line of lines) {
    const heading = classify(line, labels);
    if (!heading) continue;
    // Close same-family or deeper sections; a new family nests under the open ones.
    const at = stack.findIndex((s) => s.family === heading.family);
    if (at >= 0) stack.length = at;
    else if (heading.family !== 'label') {
      // Labels always nest; they never pop a numbered heading.
      const labelAt = stack.findIndex((s) => s.family === 'label');
      if (labelAt >= 0) stack.length = labelAt;
    }
    const parentPath = stack.length ? stack[stack.length - 1].section.path : root;
    const section: Section = {
      id: '',
      path: [...parentPath, heading.title],
      title: heading.title,
      kind: heading.kind,
      start: line.start,
      contentStart: heading.kind === 'heading' ? line.end : line.start,
      end: partEnd,
      depth: stack.length + 1,
    };
    stack.push({ family: heading.family, section });
    opened.push(section);
  }

  // A section ends where the next section of the same or a shallower depth starts.
  for (let i = 1; i < opened.length; i++) {
    const s = opened[i];
    for (let j = i + 1; j < opened.length; j++) {
      if (opened[j].depth <= s.depth) {
        s.end = opened[j].start;
        break;
      }
    }
  }
  for (const s of opened) {
    s.id = `${docId}#${out.length}`;
    out.push(s);
  }
}

function splitLines(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start < to) {
    let end = text.indexOf('\n', start);
    if (end < 0 || end > to) end = to;
    const raw = text.slice(start, end);
    if (raw.trim()) lines.push({ start, end, text: raw });
    start = end + 1;
  }
  return lines;
}

/**
 * Labels that open at least one long paragraph in the part. A shorter paragraph
 * opened by the same label (a one-line 工作目标) is then a labelled section too,
 * while a one-off 「咨询电话：」 line stays plain text.
 */
function labelsUsedIn(lines: Line[]): Set<string> {
  const labels = new Set<string>();
  // A label repeated under one heading annotates fields (备注：…), it does not open sections.
  const repeated = new Set<string>();
  let sinceHeading = new Set<string>();
  for (const line of lines) {
    if (HEADING_PATTERNS.some(({ re }) => re.test(line.text))) sinceHeading = new Set();
    const label = LABEL.exec(line.text);
    if (!label) continue;
    if (sinceHeading.has(label[1])) repeated.add(label[1]);
    sinceHeading.add(label[1]);
    if (line.text.length >= LABEL_MIN_LINE) labels.add(label[1]);
  }
  for (const label of repeated) labels.delete(label);
  return labels;
}

function classify(line: Line, labels: Set<string>): { family: Family; kind: SectionKind; title: string } | null {
  const t = line.text;
  for (const { family, re } of HEADING_PATTERNS) {
    if (!re.test(t)) continue;
    const isHeading = t.length <= HEADING_MAX && !/[。；]/.test(t);
    return { family, kind: isHeading ? 'heading' : 'item', title: isHeading ? t.trim() : shortTitleOf(t) };
  }
  const label = LABEL.exec(t);
  if (label && labels.has(label[1])) return { family: 'label', kind: 'label', title: label[1] };
  return null;
}

/** The opening words of an item, up to its first colon or full stop. */
function shortTitleOf(line: string): string {
  const cut = line.search(/[：:。；，]/);
  const head = cut > 0 ? line.slice(0, cut) : line;
  return head.length > TITLE_MAX ? head.slice(0, TITLE_MAX) + '…' : head.trim();
}
