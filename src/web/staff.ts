/**
 * Staff answers over HTTP (admin): staff attach a question the service could not answer well to the verbatim
 * passage that answers it (picked in the text, or as a campaign catalogue field), or mark it out of scope; a second
 * look approves or rejects it; withdrawing is the undo. Approved answers join the question bank (as a standard or a
 * similar question) and take effect in the chat without a restart: this instance reloads them at once, other
 * instances (Worker isolates) within STAFF_REFRESH_MS. The approved ones can be exported in the bank's file format.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { isMeaningfulQuote } from '../answer/claims.ts';
import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import { REVIEW_STEPS, type ReviewStep, type StaffAnswer, type StaffAnswerStore } from '../db/staff-store.ts';
import type { CatalogueField } from '../match/catalogue.ts';
import type { BankPlacement } from '../understand/bank.ts';
import type { StaffAnswers, StaffEntry } from '../understand/staff.ts';
import { requireAdmin } from './admin.ts';
import { sendError } from './errors.ts';
import { maskPersonalData } from './mask.ts';

/** How stale another instance's staff answers may get before it looks for changes. */
export const STAFF_REFRESH_MS = 30_000;
/** The longest passage staff may attach (a passage, not a document). */
const MAX_QUOTE_CHARS = 600;

const by = z.string({ error: '请填写操作人（by）。' }).trim().min(1, '请填写操作人（by）。').max(40, '操作人名称请控制在40字以内。');
const question = z.string({ error: '请填写问题（question）。' }).trim().min(1, '请填写问题（question）。').max(500, '问题请控制在500字以内。');
export const staffAnswerRequestSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('answer'),
        question,
        by,
        // The passage: a span of a document (docId, start, end), or a catalogue field.
        docId: z.string({ error: '请指定答案所在的文件（docId）。' }).optional(),
        start: z.number({ error: '请给出原文起止位置（start、end）。' }).int().min(0).optional(),
        end: z.number({ error: '请给出原文起止位置（start、end）。' }).int().min(1).optional(),
        field: z.string().min(1).max(200).optional(),
        messageId: z.string().max(64).optional(),
      })
      .refine((b) => (b.field === undefined) !== (b.docId === undefined && b.start === undefined && b.end === undefined), {
        error: '请指定答案的出处：原文位置（docId、start、end）或目录字段（field），二者选一。',
      })
      .refine((b) => b.field !== undefined || (b.docId !== undefined && b.start !== undefined && b.end !== undefined), {
        error: '请给出原文所在的文件和起止位置（docId、start、end）。',
      }),
    z.object({ kind: z.literal('out_of_scope'), question, by, messageId: z.string().max(64).optional() }),
  ],
  { error: 'kind 须为 answer（指定原文出处）或 out_of_scope（超出范围）。' },
);
export const staffReviewRequestSchema = z.object({ by });
const STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

export interface StaffDeps {
  store: StaffAnswerStore;
  /** The catalogue fields staff can attach a question to. */
  fields: CatalogueField[];
  /** Stored answers as the chat uses them (catalogue fields read as the catalogue now gives them; gone ones left out). */
  current(answers: StaffAnswer[]): StaffEntry[];
  /** Where answers (in the order given) join the question bank. */
  place(answers: StaffEntry[]): Map<string, BankPlacement>;
  /** Reloads the approved answers into the chat when they changed (at once with `force`). */
  refresh(force?: boolean): Promise<void>;
}

/** What a chat's staff answers are kept in step with. */
export interface StaffTargets {
  matcher: StaffAnswers;
  bank: { place(answers: StaffEntry[]): Map<string, BankPlacement> };
  fields: CatalogueField[];
}

/**
 * Keeps a chat's staff answers in step with the store: reloads when anything changed, looking at most every `ttlMs`.
 * An answer attached to a catalogue field takes the field's span as the catalogue now gives it (one whose field is
 * gone is left out).
 */
export function staffSync(store: StaffAnswerStore, targets: StaffTargets, onChange: () => void, now: () => number = Date.now, ttlMs = STAFF_REFRESH_MS): StaffDeps {
  let checkedAt = -Infinity;
  let seen = -1;
  const resolve = current(targets.fields);
  const inEffect = (answers: StaffAnswer[]) => answers.map(resolve).filter((a): a is StaffEntry => a !== null);
  return {
    store,
    fields: targets.fields,
    current: inEffect,
    place: (answers) => targets.bank.place(answers),
    async refresh(force = false) {
      if (!force && now() - checkedAt < ttlMs) return;
      checkedAt = now();
      const changed = await store.lastChange();
      if (!force && changed === seen) return;
      seen = changed;
      targets.matcher.load(inEffect(await store.approved()));
      onChange();
    },
  };
}

/** A stored answer as the chat uses it: a catalogue field's span read from the catalogue as it now is; null when the field is gone. */
function current(fields: CatalogueField[]): (answer: StaffAnswer) => StaffEntry | null {
  const byId = new Map(fields.map((f) => [f.id, f]));
  return ({ id, question, kind, docId, start, end, quote, section, field }) => {
    if (!field) return { id, question, kind, docId, start, end, quote, section };
    const f = byId.get(field);
    return f ? { id, question, kind, docId: f.docId, start: f.start, end: f.end, quote: f.quote, section: f.label } : null;
  };
}

const isoDates = (a: StaffAnswer) => ({ ...a, createdAt: a.createdAt.toISOString(), reviewedAt: a.reviewedAt?.toISOString() ?? null });

export function staffRoutes(
  app: Hono,
  deps: { staff: StaffDeps; corpus: Corpus; adminToken?: string; newId: () => string },
  readJson: <T extends z.ZodType>(c: Context, schema: T) => Promise<z.infer<T> | Response>,
): void {
  const { staff, corpus } = deps;
  const admin = requireAdmin(deps.adminToken);
  const fieldLabels = new Map(staff.fields.map((f) => [f.id, f.label]));

  /**
   * Answers as shown to staff, each with where it joins the question bank: approved ones where they are, pending ones
   * where they would go once approved (after every approved one, oldest first).
   */
  const shown = async (answers: StaffAnswer[]) => {
    const approved = await staff.store.approved();
    const pending = (await staff.store.list('pending', 5000)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const placed = staff.place(staff.current([...approved, ...pending]));
    return answers.map((a) => ({
      ...isoDates(a),
      fieldLabel: a.field ? (fieldLabels.get(a.field) ?? null) : null,
      bank: a.status === 'approved' || a.status === 'pending' ? (placed.get(a.id) ?? null) : null,
    }));
  };

  app.get('/api/admin/staff-answers', admin, async (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      return sendError(c, 400, 'invalid_status', 'status 须为 pending、approved、rejected 或 withdrawn。');
    }
    return c.json({ staffAnswers: await shown(await staff.store.list(status as (typeof STATUSES)[number] | undefined)) });
  });

  // The catalogue fields to attach a question to, searched by their label and quote.
  app.get('/api/admin/catalogue-fields', admin, (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const words = q.split(/[\s,，、]+/).filter(Boolean);
    const fields = staff.fields.filter((f) => words.every((w) => f.label.includes(w) || f.quote.includes(w)));
    return c.json({ fields: fields.map(({ id, label, campaign, docId, title, section, quote, start, end }) => ({ id, label, campaign, docId, title, section, quote, start, end })) });
  });

  // The approved answers in the question bank's file format (corpus/questions/*.json), to be merged into the files.
  app.get('/api/admin/staff-answers/export', admin, async (c) => {
    const stored = await staff.store.approved();
    const approved = staff.current(stored);
    const placed = staff.place(approved);
    const files = new Map<string, { docId: string; note: string; entries: Array<{ id: string; type: string; quotes: string[]; questions: string[] }> }>();
    const similar = new Map<string, string[]>();
    for (const a of approved) {
      const at = placed.get(a.id);
      if (!at) continue;
      if (!at.entryId.startsWith('staff-')) {
        similar.set(at.entryId, [...(similar.get(at.entryId) ?? []), a.question]);
        continue;
      }
      const file = files.get(a.docId!) ?? { docId: a.docId!, note: '工作人员在管理台补充并审核通过的问答（导出自 /api/admin/staff-answers/export）。', entries: [] };
      files.set(a.docId!, file);
      const entry = file.entries.find((e) => e.id === at.entryId);
      if (entry) entry.questions.push(a.question);
      else file.entries.push({ id: at.entryId, type: at.type, quotes: [a.quote!], questions: [a.question] });
    }
    c.header('Content-Disposition', 'attachment; filename="staff-question-bank.json"');
    return c.json({
      exportedAt: new Date().toISOString(),
      files: Object.fromEntries([...files.values()].map((f) => [`${f.docId}.staff.json`, f])),
      similarQuestions: [...similar].map(([entryId, questions]) => ({ entryId, questions })),
      outOfScope: approved.filter((a) => a.kind === 'out_of_scope').map((a) => a.question),
      // (Answers whose catalogue field is no longer in the catalogue answer nothing, and are not exported.)
      leftOut: stored.filter((a) => !approved.some((b) => b.id === a.id)).map((a) => ({ id: a.id, question: a.question, field: a.field })),
    });
  });

  app.post('/api/admin/staff-answers', admin, async (c) => {
    const body = await readJson(c, staffAnswerRequestSchema);
    if (body instanceof Response) return body;
    let span: Pick<StaffAnswer, 'docId' | 'start' | 'end' | 'quote' | 'section' | 'field'> = { docId: null, start: null, end: null, quote: null, section: null, field: null };
    if (body.kind === 'answer' && body.field !== undefined) {
      const field = staff.fields.find((f) => f.id === body.field);
      if (!field) return sendError(c, 400, 'unknown_field', '找不到这个目录字段（field）。');
      span = { docId: field.docId, start: field.start, end: field.end, quote: field.quote, section: field.label, field: field.id };
    } else if (body.kind === 'answer') {
      // (The schema has made sure all three are given when no field is.)
      const [docId, start, end] = [body.docId!, body.start!, body.end!];
      const doc = corpus.document(docId);
      if (!doc) return sendError(c, 400, 'unknown_document', '找不到这个文件（docId）。');
      if (end <= start || end > doc.text.length) return sendError(c, 400, 'invalid_span', '原文起止位置不在文件范围内。');
      if (end - start > MAX_QUOTE_CHARS) return sendError(c, 400, 'span_too_long', `请选择一句或一段原文（不超过${MAX_QUOTE_CHARS}字）。`);
      if (!isMeaningfulQuote(doc.text, start, end)) return sendError(c, 400, 'span_not_clause', '所选原文须是完整的句子或分句，不能是半句话。');
      const chunk = corpus.chunks.find((k) => k.docId === doc.id && k.start <= start && end <= k.end);
      span = { docId: doc.id, start, end, quote: doc.text.slice(start, end), section: chunk ? sectionLabel(chunk) : doc.title, field: null };
    }
    const answer: StaffAnswer = {
      id: deps.newId(),
      question: maskPersonalData(body.question),
      kind: body.kind,
      ...span,
      status: 'pending',
      createdBy: maskPersonalData(body.by),
      createdAt: new Date(),
      reviewedBy: null,
      reviewedAt: null,
      messageId: body.messageId ?? null,
    };
    await staff.store.create(answer);
    const [created] = await shown([answer]);
    return c.json({ staffAnswer: created }, 201);
  });

  for (const step of Object.keys(REVIEW_STEPS) as ReviewStep[]) {
    app.post(`/api/admin/staff-answers/:id/${step}`, admin, async (c) => {
      const body = await readJson(c, staffReviewRequestSchema);
      if (body instanceof Response) return body;
      const id = c.req.param('id');
      if (!(await staff.store.get(id))) return sendError(c, 404, 'staff_answer_not_found', '找不到这条人工答案。');
      if (!(await staff.store.review(id, step, maskPersonalData(body.by), new Date()))) {
        return sendError(c, 409, 'staff_answer_state', '这条人工答案当前的状态不能执行此操作（只有待审核的能通过或驳回，只有待审核或已生效的能撤销）。');
      }
      // This instance answers by the change at once.
      await staff.refresh(true);
      const [reviewed] = await shown([(await staff.store.get(id))!]);
      return c.json({ staffAnswer: reviewed });
    });
  }
}
