/**
 * Staff answers over HTTP (admin): staff attach a question the service could not answer well to the verbatim
 * passage that answers it, or mark it out of scope; a second look approves or rejects it; withdrawing is the
 * undo. Approved answers take effect in the chat without a restart: this instance reloads them at once, other
 * instances (Worker isolates) within STAFF_REFRESH_MS.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { isMeaningfulQuote } from '../answer/claims.ts';
import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import { REVIEW_STEPS, type ReviewStep, type StaffAnswer, type StaffAnswerStore } from '../db/staff-store.ts';
import type { StaffAnswers } from '../understand/staff.ts';
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
    z.object({
      kind: z.literal('answer'),
      question,
      by,
      docId: z.string({ error: '请指定答案所在的文件（docId）。' }),
      start: z.number({ error: '请给出原文起止位置（start、end）。' }).int().min(0),
      end: z.number({ error: '请给出原文起止位置（start、end）。' }).int().min(1),
      messageId: z.string().max(64).optional(),
    }),
    z.object({ kind: z.literal('out_of_scope'), question, by, messageId: z.string().max(64).optional() }),
  ],
  { error: 'kind 须为 answer（指定原文出处）或 out_of_scope（超出范围）。' },
);
export const staffReviewRequestSchema = z.object({ by });
const STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

export interface StaffDeps {
  store: StaffAnswerStore;
  /** Reloads the approved answers into the chat when they changed (at once with `force`). */
  refresh(force?: boolean): Promise<void>;
}

/** Keeps a chat's staff answers in step with the store: reloads when anything changed, looking at most every `ttlMs`. */
export function staffSync(store: StaffAnswerStore, matcher: StaffAnswers, onChange: () => void, now: () => number = Date.now, ttlMs = STAFF_REFRESH_MS): StaffDeps {
  let checkedAt = -Infinity;
  let seen = -1;
  return {
    store,
    async refresh(force = false) {
      if (!force && now() - checkedAt < ttlMs) return;
      checkedAt = now();
      const changed = await store.lastChange();
      if (!force && changed === seen) return;
      seen = changed;
      matcher.load((await store.approved()).map(({ id, question, kind, docId, start, end, quote, section }) => ({ id, question, kind, docId, start, end, quote, section })));
      onChange();
    },
  };
}

const shown = (a: StaffAnswer) => ({ ...a, createdAt: a.createdAt.toISOString(), reviewedAt: a.reviewedAt?.toISOString() ?? null });

export function staffRoutes(
  app: Hono,
  deps: { staff: StaffDeps; corpus: Corpus; adminToken?: string; newId: () => string },
  readJson: <T extends z.ZodType>(c: Context, schema: T) => Promise<z.infer<T> | Response>,
): void {
  const { staff, corpus } = deps;
  const admin = requireAdmin(deps.adminToken);

  app.get('/api/admin/staff-answers', admin, async (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      return sendError(c, 400, 'invalid_status', 'status 须为 pending、approved、rejected 或 withdrawn。');
    }
    return c.json({ staffAnswers: (await staff.store.list(status as (typeof STATUSES)[number] | undefined)).map(shown) });
  });

  app.post('/api/admin/staff-answers', admin, async (c) => {
    const body = await readJson(c, staffAnswerRequestSchema);
    if (body instanceof Response) return body;
    let span: Pick<StaffAnswer, 'docId' | 'start' | 'end' | 'quote' | 'section'> = { docId: null, start: null, end: null, quote: null, section: null };
    if (body.kind === 'answer') {
      const doc = corpus.document(body.docId);
      if (!doc) return sendError(c, 400, 'unknown_document', '找不到这个文件（docId）。');
      if (body.end <= body.start || body.end > doc.text.length) return sendError(c, 400, 'invalid_span', '原文起止位置不在文件范围内。');
      if (body.end - body.start > MAX_QUOTE_CHARS) return sendError(c, 400, 'span_too_long', `请选择一句或一段原文（不超过${MAX_QUOTE_CHARS}字）。`);
      if (!isMeaningfulQuote(doc.text, body.start, body.end)) return sendError(c, 400, 'span_not_clause', '所选原文须是完整的句子或分句，不能是半句话。');
      const chunk = corpus.chunks.find((k) => k.docId === doc.id && k.start <= body.start && body.end <= k.end);
      span = { docId: doc.id, start: body.start, end: body.end, quote: doc.text.slice(body.start, body.end), section: chunk ? sectionLabel(chunk) : doc.title };
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
    return c.json({ staffAnswer: shown(answer) }, 201);
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
      return c.json({ staffAnswer: shown((await staff.store.get(id))!) });
    });
  }
}
