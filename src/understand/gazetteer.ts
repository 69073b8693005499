import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { splitSentences } from '../text/sentences.ts';
import { foldText } from './fold.ts';
import { UNDERSTANDING } from '../tuning.ts';

const subjectSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['document', 'campaign', 'track', 'measure', 'platform', 'service_point']),
    name: z.string().min(1),
    parent: z.string().optional(),
    docId: z.string().optional(),
    aliases: z.array(z.string().min(1)).min(1),
    /** Section titles (or path tails joined by « › ») whose whole text belongs to the subject. */
    sections: z.array(z.string().min(1)).optional(),
    /** Names whose sentences belong to the subject, wherever they stand. */
    mentions: z.array(z.string().min(1)).optional(),
  })
  .strict();

const gazetteerSchema = z.object({ note: z.string().optional(), subjects: z.array(subjectSchema).min(1) });

export type SubjectKind = z.infer<typeof subjectSchema>['kind'];

export interface Subject {
  id: string;
  kind: SubjectKind;
  name: string;
  parent?: string;
  /** The document the subject lives in (its own, or its parent's). */
  docId?: string;
  aliases: string[];
  /** Where the subject's facts are: spans of the stored documents. */
  spans: Array<{ docId: string; start: number; end: number }>;
}

export interface SubjectMention {
  subject: Subject;
  alias: string;
  at: number;
}

/** Names at least this long are still recognised with one character mistyped (the others: src/tuning.ts). */
const { typoMinLength: TYPO_MIN_LENGTH, typoMinLengthOther: TYPO_MIN_LENGTH_OTHER } = UNDERSTANDING;

/**
 * The subjects a question can be about — documents, campaigns, tracks,
 * measures, platforms and service points — with their names and the spans of
 * the corpus that hold their facts (corpus/gazetteer.json). A detail asked of
 * a subject is looked for inside its spans only, so one campaign's email
 * never answers for another's.
 */
export class Gazetteer {
  readonly subjects: Subject[];
  /** Sections or mentions the corpus no longer has (the subject keeps its other spans). */
  readonly problems: string[] = [];
  private readonly byId = new Map<string, Subject>();
  private readonly aliases: Array<{ text: string; subject: Subject }>;
  private readonly folded = new Map<string, string>();
  private readonly foldedDocs = new Map<string, string>();

  constructor(
    private readonly corpus: Corpus,
    json: string,
  ) {
    const data = gazetteerSchema.parse(JSON.parse(json));
    const raw = new Map(data.subjects.map((s) => [s.id, s]));
    if (raw.size !== data.subjects.length) throw new Error('gazetteer.json: duplicate subject id');
    const docOf = (id: string | undefined, seen = new Set<string>()): string | undefined => {
      const s = id ? raw.get(id) : undefined;
      if (!s || seen.has(s.id)) return undefined;
      seen.add(s.id);
      return s.docId ?? docOf(s.parent, seen);
    };
    const sentences = new Map(corpus.documents.map((d) => [d.id, splitSentences(d.text)]));
    this.subjects = data.subjects.map((s) => {
      if (s.parent && !raw.has(s.parent)) throw new Error(`gazetteer.json: ${s.id} names an unknown parent ${s.parent}`);
      const docId = docOf(s.id);
      if (docId && !corpus.document(docId)) throw new Error(`gazetteer.json: ${s.id} names an unknown document ${docId}`);
      const spans: Subject['spans'] = [];
      if (s.docId) spans.push({ docId: s.docId, start: 0, end: corpus.document(s.docId)!.text.length });
      for (const wanted of s.sections ?? []) {
        const path = wanted.split(' › ');
        const found = corpus.documents
          .filter((d) => !docId || d.id === docId)
          .flatMap((d) => d.sections.filter((sec) => path.every((p, i) => sec.path[sec.path.length - path.length + i] === p)).map((sec) => ({ docId: d.id, start: sec.start, end: sec.end })));
        if (found.length === 0) this.problems.push(`${s.id}: section not found: ${wanted}`);
        spans.push(...found);
      }
      for (const mention of s.mentions ?? []) {
        let hits = 0;
        for (const d of corpus.documents) {
          for (const span of sentences.get(d.id)!) {
            if (!d.text.slice(span.start, span.end).includes(mention)) continue;
            spans.push({ docId: d.id, ...span });
            hits++;
          }
        }
        if (hits === 0) this.problems.push(`${s.id}: mention not found: ${mention}`);
      }
      const subject: Subject = { id: s.id, kind: s.kind, name: s.name, parent: s.parent, docId, aliases: s.aliases.map(foldText), spans };
      this.byId.set(s.id, subject);
      return subject;
    });
    this.aliases = this.subjects.flatMap((subject) => subject.aliases.map((text) => ({ text, subject }))).sort((a, b) => b.text.length - a.text.length);
  }


  private foldedDocument(docId: string): string {
    let text = this.foldedDocs.get(docId);
    if (text === undefined) {
      text = foldText(this.corpus.document(docId)?.text ?? '');
      this.foldedDocs.set(docId, text);
    }
    return text;
  }

  /** Whether any of the documents uses the words, folded alike (a place they never name is no place of theirs). */
  mentioned(words: string): boolean {
    const folded = foldText(words);
    return this.corpus.documents.some((doc) => this.foldedDocument(doc.id).includes(folded));
  }

  /** Whether the subject is a case-collection campaign or part of one (a track, a list of it). */
  ofCampaign(subject: Subject): boolean {
    return subject.kind === 'campaign' || subject.kind === 'track' || this.ancestors(subject.id).some((a) => a.kind === 'campaign');
  }

  get(id: string): Subject | undefined {
    return this.byId.get(id);
  }

  /** The subject's ancestors, nearest first. */
  ancestors(id: string): Subject[] {
    const out: Subject[] = [];
    for (let s = this.byId.get(id)?.parent; s; s = this.byId.get(s)?.parent) {
      const subject = this.byId.get(s);
      if (!subject || out.includes(subject)) break;
      out.push(subject);
    }
    return out;
  }

  /** A folded text with the names of subjects it mentions left out (each replaced by a space). */
  without(folded: string, mentions: SubjectMention[] = this.find(folded)): string {
    let rest = folded;
    for (const m of [...mentions].sort((a, b) => b.at - a.at)) rest = `${rest.slice(0, m.at)} ${rest.slice(m.at + m.alias.length)}`;
    return rest;
  }

  /** Names of subjects in a folded text, longest first and without overlaps, in text order. */
  find(folded: string): SubjectMention[] {
    const taken = new Array<boolean>(folded.length).fill(false);
    const found: SubjectMention[] = [];
    for (const { text, subject } of this.aliases) {
      for (let at = folded.indexOf(text); at >= 0; at = folded.indexOf(text, at + 1)) {
        if (taken.slice(at, at + text.length).some(Boolean)) continue;
        for (let i = at; i < at + text.length; i++) taken[i] = true;
        found.push({ subject, alias: text, at });
      }
    }
    // A campaign's or track's name of four characters or more typed with one character wrong (金融星辽, 点数诚金,
    // 新质生产利) is that name, where no name is spelled right and the slip leaves it no other subject's.
    // (Campaigns' and tracks' names from four characters: they are coined; a measure's shorter names, 续上贷款, are everyday words.)
    for (const { text, subject } of this.aliases) {
      // (Other subjects' names from five characters: 普惠金融直达工城, 融资信用服务平抬.)
      const coined = subject.kind === 'campaign' || subject.kind === 'track';
      if (text.length < (coined ? TYPO_MIN_LENGTH : TYPO_MIN_LENGTH_OTHER) || !/^[\u4e00-\u9fff]+$/.test(text)) continue;
      for (let at = 0; at + text.length <= folded.length; at++) {
        if (taken.slice(at, at + text.length).some(Boolean)) continue;
        const window = folded.slice(at, at + text.length);
        let slips = 0;
        for (let i = 0; i < text.length && slips <= 1; i++) if (window[i] !== text[i]) slips++;
        if (slips !== 1 || !/^[\u4e00-\u9fff]+$/.test(window)) continue;
        // (What the documents themselves say is no slip: 债权融资 beside 股权融资, 增加担保 beside 担保增信. Nor is a near
        // miss of another subject's name.)
        if (this.mentioned(window)) continue;
        if (this.aliases.some((a) => a.subject !== subject && a.text.length === text.length && [...a.text].filter((ch, i) => ch !== window[i]).length <= 1)) continue;
        for (let i = at; i < at + text.length; i++) taken[i] = true;
        found.push({ subject, alias: text, at });
      }
    }
    return found.sort((a, b) => a.at - b.at);
  }

  /**
   * The subjects a question names, most specific kept: a track named with its
   * campaign is the track; repeated names count once.
   */
  named(folded: string, mentions: SubjectMention[] = this.find(folded)): Subject[] {
    const subjects = [...new Set(mentions.map((m) => m.subject))];
    // (「深圳做智能投顾系统的…能报点数成金不」: a track of another campaign than the one named — 智能投顾 is 金融新质生产力's — is
    // the asker's own work, not what is asked about.)
    const campaigns = subjects.filter((s) => s.kind === 'campaign');
    const ofOther = (s: Subject) => s.kind === 'track' && campaigns.length > 0 && !campaigns.some((c) => this.ancestors(s.id).includes(c));
    return subjects.filter((s) => !ofOther(s) && !subjects.some((other) => other !== s && !ofOther(other) && this.ancestors(other.id).includes(s)));
  }

  /** Whether the subject's own text says the (folded) words: 「股权融资」 is a thing of the 驿站 as well as a measure of its own. */
  says(subject: Subject, words: string): boolean {
    return this.ownText(subject).includes(words);
  }

  /** The subject's spans, folded and joined; folded once per subject (a question asks about it for every pair of its characters). */
  private ownText(subject: Subject): string {
    let text = this.folded.get(subject.id);
    if (text === undefined) {
      text = subject.spans.map((span) => foldText(this.corpus.document(span.docId)?.text.slice(span.start, span.end) ?? '')).join('\n');
      this.folded.set(subject.id, text);
    }
    return text;
  }

  /** Whether [start, end) of a document lies in the subject's spans (or in any of them, for several subjects). */
  holds(subjects: Subject[], docId: string, start: number, end: number): boolean {
    return subjects.some((s) => s.spans.some((span) => span.docId === docId && span.start <= start && end <= span.end));
  }

  /** Whether the span touches the subject's spans at all. */
  touches(subjects: Subject[], docId: string, start: number, end: number): boolean {
    return subjects.some((s) => s.spans.some((span) => span.docId === docId && span.start < end && start < span.end));
  }
}
