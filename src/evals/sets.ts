import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { dialogueSetSchema, type DialogueSet } from './dialogues.ts';
import { situationSetSchema, type SituationSet } from './situations.ts';
import { trackSetSchema, type TrackSet } from './tracks.ts';

/** Questions whose answers must state facts that a verbatim source quote supports. */
export const qaSetSchema = z.object({
  note: z.string().optional(),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  cases: z.array(
    z
      .object({
        id: z.string(),
        question: z.string().min(1),
        /** Strings the answer must contain (figures, names, URLs ...), each found in the source quote. */
        facts: z.array(z.string().min(1)).min(1),
        source: z.object({ docId: z.string(), quote: z.string().min(2) }).strict(),
        tags: z.array(z.string()).optional(),
      })
      .strict(),
  ),
});

/** Questions the service must decline: out of scope, unanswerable from the corpus, manipulation. */
export const refusalSetSchema = z.object({
  note: z.string().optional(),
  cases: z.array(
    z
      .object({
        id: z.string(),
        question: z.string().min(1),
        kind: z.enum(['out_of_scope', 'no_evidence', 'manipulation']),
      })
      .strict(),
  ),
});

/** Drafts of the 点数成金 申报书 with the findings the checker must report. */
export const applicationSetSchema = z.object({
  note: z.string().optional(),
  cases: z.array(
    z
      .object({
        id: z.string(),
        draft: z.record(z.string(), z.unknown()),
        expect: z
          .object({
            ok: z.boolean().optional(),
            findings: z.array(z.object({ kind: z.string(), field: z.string() }).strict()).default([]),
            absent: z.array(z.object({ kind: z.string(), field: z.string() }).strict()).optional(),
          })
          .strict(),
      })
      .strict(),
  ),
});

export type QaSet = z.infer<typeof qaSetSchema>;
export type RefusalSet = z.infer<typeof refusalSetSchema>;
export type ApplicationSet = z.infer<typeof applicationSetSchema>;

export interface EvalSets {
  qa?: QaSet;
  refusals?: RefusalSet;
  situations?: SituationSet;
  tracks?: TrackSet;
  applications?: ApplicationSet;
  /** Dialogue sets (evals/dialogues*.json), each under its file's name. */
  dialogues?: Array<{ name: string; set: DialogueSet }>;
}

const SCHEMAS = {
  qa: qaSetSchema,
  refusals: refusalSetSchema,
  situations: situationSetSchema,
  tracks: trackSetSchema,
  applications: applicationSetSchema,
} as const;

/**
 * The set a file holds, from its name: qa.json, refusals.json,
 * situations.json, tracks.json, applications.json, and dialogues*.json (any
 * number of dialogue sets). Other names (held-out sets) are not claimed.
 */
export function setKindOf(fileName: string): keyof EvalSets | null {
  const base = fileName.replace(/\.json$/, '');
  if (/^dialogues(?:-[\w.-]+)?$/.test(base)) return 'dialogues';
  return base in SCHEMAS ? (base as keyof EvalSets) : null;
}

/**
 * Parses the eval files (name → JSON text). Files a set kind does not claim
 * (held-out sets, config) are left out. A file that does not fit its schema is
 * refused with the file and the field.
 */
export function loadEvalSets(files: Record<string, string>): EvalSets {
  const sets: EvalSets = {};
  for (const [name, text] of Object.entries(files)) {
    const kind = setKindOf(name);
    if (!kind) continue;
    if (kind === 'dialogues') {
      const parsed = dialogueSetSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`evals/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      (sets.dialogues ??= []).push({ name: name.replace(/\.json$/, ''), set: parsed.data });
      continue;
    }
    const parsed = SCHEMAS[kind].safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`evals/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    (sets as Record<string, unknown>)[kind] = parsed.data;
  }
  return sets;
}

export interface ValidationProblem {
  set: string;
  caseId: string;
  docId: string;
  problem: string;
}

/**
 * Checks the sets against the corpus: every expected source quote must be
 * verbatim in its document, and every expected fact must appear in that quote.
 * Names the case and the document, so staff see which cases a document update broke.
 */
export function validateEvalSets(sets: EvalSets, corpus: Corpus): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const c of sets.qa?.cases ?? []) {
    const doc = corpus.document(c.source.docId);
    if (!doc) {
      problems.push({ set: 'qa', caseId: c.id, docId: c.source.docId, problem: '文档不存在' });
      continue;
    }
    if (!doc.text.includes(c.source.quote)) {
      problems.push({ set: 'qa', caseId: c.id, docId: doc.id, problem: `原文中找不到引用：「${c.source.quote}」` });
      continue;
    }
    for (const fact of c.facts) {
      if (!c.source.quote.includes(fact)) problems.push({ set: 'qa', caseId: c.id, docId: doc.id, problem: `要点「${fact}」不在引用原文中` });
    }
  }
  const resolve = sourceResolver(corpus, sets);
  for (const { name, set } of sets.dialogues ?? []) {
    for (const c of set.cases) {
      for (const [i, turn] of c.turns.entries()) {
        if (turn.expect !== 'answer') continue;
        const where = c.turns.length > 1 ? `${c.id}#${i + 1}` : c.id;
        const quotes: string[] = [];
        for (const source of turn.sources) {
          const docId = resolve(source);
          if (!docId) problems.push({ set: name, caseId: where, docId: source.docId ?? source.file ?? '-', problem: `原文中找不到引用：「${source.quote}」` });
          else quotes.push(source.quote.trim());
        }
        for (const fact of turn.facts) {
          for (const alternative of Array.isArray(fact) ? fact : [fact]) {
            if (quotes.length && !quotes.some((q) => q.includes(alternative))) problems.push({ set: name, caseId: where, docId: '-', problem: `要点「${alternative}」不在引用原文中` });
          }
        }
      }
    }
  }
  const ids = new Set<string>();
  for (const [kind, set] of Object.entries(sets)) {
    if (kind === 'dialogues') continue;
    for (const c of (set as { cases: Array<{ id: string }> }).cases) {
      if (ids.has(`${kind}:${c.id}`)) problems.push({ set: kind, caseId: c.id, docId: '-', problem: '案例编号重复' });
      ids.add(`${kind}:${c.id}`);
    }
  }
  return problems;
}

export type SourceResolver = (source: { docId?: string; file?: string; quote: string }) => string | undefined;

/**
 * Resolves dialogue sources to documents: by docId when the quote is there;
 * by the seed file a blind writer names, which stands for the document that
 * holds that file's quotes (learned from the quotes only one document has);
 * else by the one document whose text holds the quote.
 */
export function sourceResolver(corpus: Corpus, sets: EvalSets): SourceResolver {
  const votes = new Map<string, Map<string, number>>();
  for (const { set } of sets.dialogues ?? []) {
    for (const c of set.cases) {
      for (const t of c.turns) {
        if (t.expect !== 'answer') continue;
        for (const s of t.sources) {
          if (!s.file) continue;
          const holders = corpus.documents.filter((d) => d.text.includes(s.quote.trim()));
          if (holders.length !== 1) continue;
          const tally = votes.get(s.file) ?? new Map<string, number>();
          tally.set(holders[0].id, (tally.get(holders[0].id) ?? 0) + 1);
          votes.set(s.file, tally);
        }
      }
    }
  }
  const fileDoc = new Map([...votes].map(([file, tally]) => [file, [...tally].sort((a, b) => b[1] - a[1])[0][0]]));
  // The stored texts drop the seed files' line-start indentation: a quote's edges are trimmed before it is looked for.
  return (source) => {
    const quote = source.quote.trim();
    const named = source.docId ?? (source.file ? fileDoc.get(source.file) : undefined);
    if (named) return corpus.document(named)?.text.includes(quote) ? named : undefined;
    const holders = corpus.documents.filter((d) => d.text.includes(quote));
    return holders.length === 1 ? holders[0].id : undefined;
  };
}

/** Every question an eval case asks (not its expected facts or quotes): what the question bank must not hold. */
export function caseQuestions(sets: EvalSets): string[] {
  const questions: string[] = [];
  for (const c of sets.qa?.cases ?? []) questions.push(c.question);
  for (const c of sets.refusals?.cases ?? []) questions.push(c.question);
  for (const c of sets.situations?.cases ?? []) questions.push(...c.turns);
  for (const { set } of sets.dialogues ?? []) for (const c of set.cases) for (const t of c.turns) questions.push(t.question);
  return questions;
}

/** Every text an eval case carries, for the figure-coverage check. */
export function caseTexts(sets: EvalSets): string[] {
  const texts: string[] = [];
  for (const c of sets.qa?.cases ?? []) texts.push(c.question, ...c.facts, c.source.quote);
  for (const c of sets.refusals?.cases ?? []) texts.push(c.question);
  for (const c of sets.situations?.cases ?? []) texts.push(...c.turns, ...c.expect.flatMap((e) => e.contains ?? []));
  for (const c of sets.tracks?.cases ?? []) texts.push(c.description);
  for (const c of sets.applications?.cases ?? []) texts.push(JSON.stringify(c.draft));
  for (const { set } of sets.dialogues ?? []) {
    for (const c of set.cases) for (const t of c.turns) texts.push(t.question, ...(t.expect === 'answer' ? [...t.facts.flat(), ...t.sources.map((s) => s.quote)] : []));
  }
  return texts;
}
