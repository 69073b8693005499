/**
 * The staff console's admin routes, mounted at /api/admin: the questions log and the unanswered questions grouped by
 * what they ask about, and (when the runtime keeps them) staff answers — staff attach a question the service could
 * not answer well to the verbatim passage that answers it (picked in the text, or as a campaign catalogue field), or
 * mark it out of scope; a second look approves or rejects it; withdrawing is the undo. Approved answers join the
 * question bank and take effect in the chat without a restart (src/web/staff.ts keeps the chat in step). Every route
 * takes the admin token (src/web/admin.ts).
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { isMeaningfulQuote } from '../../answer/claims.ts';
import type { AnswerService } from '../../answer/service.ts';
import type { DeclineReason } from '../../answer/types.ts';
import { sectionLabel, type Corpus } from '../../corpus/corpus.ts';
import { REVIEW_STEPS, type ReviewStep, type StaffAnswer } from '../../db/staff-store.ts';
import type { ConversationStore } from '../../db/store.ts';
import type { Retriever } from '../../search/retriever.ts';
import type { Frame } from '../../understand/frame.ts';
import { adminAuth, adminRouteFor } from '../admin.ts';
import type { BodyReader } from '../body.ts';
import { ApiError, BODY_ERRORS, errorResponses, json, jsonBody, jsonRequest, router } from '../http.ts';
import { maskPersonalData } from '../mask.ts';
import type { StaffDeps } from '../staff.ts';
import {
  adminQuestionsQuerySchema,
  adminQuestionsResponseSchema,
  catalogueFieldsQuerySchema,
  catalogueFieldsResponseSchema,
  staffAnswerRequestSchema,
  staffAnswerResponseSchema,
  staffAnswersQuerySchema,
  staffAnswersResponseSchema,
  staffExportSchema,
  staffReviewRequestSchema,
  unansweredResponseSchema,
} from './admin-schemas.ts';

export interface AdminRouteDeps {
  store: ConversationStore;
  answers: AnswerService;
  retriever: Retriever;
  corpus: Corpus;
  /** The admin token (ADMIN_TOKEN); without it every admin route answers 403. */
  adminToken?: string;
  /** Staff answers; their routes are served only when given. */
  staff?: StaffDeps;
  newId: () => string;
  readBody: BodyReader;
}

const TAGS = ['管理'];
/** The longest passage staff may attach (a passage, not a document). */
const MAX_QUOTE_CHARS = 600;
/** How many of the latest unanswered questions are grouped. */
const UNANSWERED_WINDOW = 1000;

/**
 * The admin routes (questions log, unanswered groups, staff answers), mounted at /api/admin. The staff-answer routes
 * exist only when `deps.staff` is given.
 *
 * @example
 * app.route('/api/admin', adminRoutes({ store, answers, retriever, corpus, adminToken, staff, newId, readBody }));
 */
export function adminRoutes(deps: AdminRouteDeps): OpenAPIHono {
  const { store, answers, retriever } = deps;
  const app = router();
  const adminRoute = adminRouteFor(adminAuth(deps.adminToken), TAGS);

  const questionsRoute = adminRoute({
    method: 'get',
    path: '/questions',
    operationId: 'listAdminQuestions',
    summary: '提问记录：最近的用户提问及其最新反馈（评测自己发出的提问不计入）',
    request: { query: adminQuestionsQuerySchema },
    responses: { 200: json(adminQuestionsResponseSchema, '提问记录，按时间倒序'), ...errorResponses(400, 429, 503) },
  });
  app.openapi(questionsRoute, async (c) => {
    const { answered, q, limit, before } = c.req.valid('query');
    const rows = await store.recentMessages({ answered, contains: q, before, limit });
    return c.json(
      {
        questions: rows.map((r) => ({
          ...r,
          // (The column holds what the answer gave: src/answer/types.ts DeclineReason.)
          declineReason: r.declineReason as DeclineReason | null,
          createdAt: r.createdAt.toISOString(),
          frame: r.frame as (Frame & Record<string, unknown>) | null,
        })),
      },
      200,
    );
  });

  const unansweredRoute = adminRoute({
    method: 'get',
    path: '/unanswered',
    operationId: 'listUnansweredGroups',
    summary: `未能回答的问题按主题归类：最近 ${UNANSWERED_WINDOW} 条（套取指令类除外），每组最多 5 个例句，按数量排序`,
    responses: { 200: json(unansweredResponseSchema, '按问题数排序的主题组'), ...errorResponses(400, 429, 503) },
  });
  app.openapi(unansweredRoute, async (c) => {
    const rows = await store.recentMessages({ answered: false, limit: UNANSWERED_WINDOW });
    const subjectOf = (frame: unknown) => {
      const subjects = (frame as Frame | null)?.subjects;
      return subjects?.length ? answers.understood(frame as Frame).subjects[0] : undefined;
    };
    const questions = rows.filter((r) => r.declineReason !== 'manipulation').map(({ frame, ...r }) => ({ ...r, subject: subjectOf(frame) }));
    return c.json({ groups: groupUnanswered(questions, retriever) }, 200);
  });

  if (deps.staff) staffAnswerRoutes(app, deps.staff, deps, adminRoute);
  return app;
}

/** The staff-answer routes (list, export, catalogue fields, create, review), on the admin router. */
function staffAnswerRoutes(app: OpenAPIHono, staff: StaffDeps, deps: AdminRouteDeps, adminRoute: ReturnType<typeof adminRouteFor>): void {
  const { corpus } = deps;
  const fieldLabels = new Map(staff.fields.map((f) => [f.id, f.label]));

  /**
   * Answers as shown to staff, each with where it joins the question bank: approved ones where they are, pending ones
   * where they would go once approved (after every approved one, oldest first).
   */
  const shown = async (list: StaffAnswer[]) => {
    const approved = await staff.store.approved();
    const pending = (await staff.store.list('pending', 5000)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const placed = staff.place(staff.current([...approved, ...pending]));
    return list.map((a) => ({
      ...a,
      createdAt: a.createdAt.toISOString(),
      reviewedAt: a.reviewedAt?.toISOString() ?? null,
      fieldLabel: a.field ? (fieldLabels.get(a.field) ?? null) : null,
      bank: a.status === 'approved' || a.status === 'pending' ? (placed.get(a.id) ?? null) : null,
    }));
  };

  const listRoute = adminRoute({
    method: 'get',
    path: '/staff-answers',
    operationId: 'listStaffAnswers',
    summary: '人工答案列表（可按状态筛选），每条附并入问题库的位置',
    request: { query: staffAnswersQuerySchema },
    responses: { 200: json(staffAnswersResponseSchema, '人工答案，按创建时间倒序'), ...errorResponses(400, 429, 503) },
  });
  app.openapi(
    listRoute,
    async (c) => c.json({ staffAnswers: await shown(await staff.store.list(c.req.valid('query').status)) }, 200),
    // (An unknown status keeps its own code and message.)
    (result) => {
      if (!result.success) throw new ApiError(400, 'invalid_status', 'status 须为 pending、approved、rejected 或 withdrawn。');
      return undefined;
    },
  );

  const fieldsRoute = adminRoute({
    method: 'get',
    path: '/catalogue-fields',
    operationId: 'listCatalogueFields',
    summary: '可指定为答案出处的活动目录字段（按名称和原文检索）',
    request: { query: catalogueFieldsQuerySchema },
    responses: { 200: json(catalogueFieldsResponseSchema, '目录字段，按目录中的顺序'), ...errorResponses(400, 429) },
  });
  app.openapi(fieldsRoute, (c) => {
    const words = c.req.valid('query').q.split(/[\s,，、]+/).filter(Boolean);
    const fields = staff.fields.filter((f) => words.every((w) => f.label.includes(w) || f.quote.includes(w)));
    return c.json({ fields: fields.map(({ id, label, campaign, docId, title, section, quote, start, end }) => ({ id, label, campaign, docId, title, section, quote, start, end })) }, 200);
  });

  const exportRoute = adminRoute({
    method: 'get',
    path: '/staff-answers/export',
    operationId: 'exportStaffAnswers',
    summary: '导出已生效的人工答案（问题库文件格式，可并入 corpus/questions/）',
    responses: {
      200: {
        ...json(staffExportSchema, '附件 staff-question-bank.json'),
        headers: z.object({ 'Content-Disposition': z.string().describe('attachment; filename="staff-question-bank.json"') }),
      },
      ...errorResponses(400, 429, 503),
    },
  });
  // The approved answers in the question bank's file format (corpus/questions/*.json), to be merged into the files.
  app.openapi(exportRoute, async (c) => {
    const stored = await staff.store.approved();
    const approved = staff.current(stored);
    const placed = staff.place(approved);
    const files = new Map<string, z.infer<typeof staffExportSchema>['files'][string]>();
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
    return c.json(
      {
        exportedAt: new Date().toISOString(),
        files: Object.fromEntries([...files.values()].map((f) => [`${f.docId}.staff.json`, f])),
        similarQuestions: [...similar].map(([entryId, questions]) => ({ entryId, questions })),
        outOfScope: approved.filter((a) => a.kind === 'out_of_scope').map((a) => a.question),
        // (Answers whose catalogue field is no longer in the catalogue answer nothing, and are not exported.)
        leftOut: stored.filter((a) => !approved.some((b) => b.id === a.id)).map((a) => ({ id: a.id, question: a.question, field: a.field })),
      },
      200,
    );
  });

  const createStaffAnswerRoute = adminRoute({
    method: 'post',
    path: '/staff-answers',
    operationId: 'createStaffAnswer',
    summary: '新建人工答案（待审核）：为问题指定原文出处（原文位置或目录字段），或标为超出范围',
    description:
      '原文位置须是存储原文中完整的句子或分句，不超过 600 字。除请求格式错误外，400 的错误码还有 unknown_field、unknown_document、invalid_span、span_too_long、span_not_clause。',
    middleware: [jsonBody(deps.readBody)],
    request: { body: jsonRequest(staffAnswerRequestSchema) },
    responses: { 201: json(staffAnswerResponseSchema, '已新建（待审核）'), ...errorResponses(...BODY_ERRORS, 503) },
  });
  app.openapi(createStaffAnswerRoute, async (c) => {
    const body = c.req.valid('json');
    let span: Pick<StaffAnswer, 'docId' | 'start' | 'end' | 'quote' | 'section' | 'field'> = { docId: null, start: null, end: null, quote: null, section: null, field: null };
    if (body.kind === 'answer' && body.field !== undefined) {
      const field = staff.fields.find((f) => f.id === body.field);
      if (!field) throw new ApiError(400, 'unknown_field', '找不到这个目录字段（field）。');
      span = { docId: field.docId, start: field.start, end: field.end, quote: field.quote, section: field.label, field: field.id };
    } else if (body.kind === 'answer') {
      // (The schema has made sure all three are given when no field is.)
      const [docId, start, end] = [body.docId!, body.start!, body.end!];
      const doc = corpus.document(docId);
      if (!doc) throw new ApiError(400, 'unknown_document', '找不到这个文件（docId）。');
      if (end <= start || end > doc.text.length) throw new ApiError(400, 'invalid_span', '原文起止位置不在文件范围内。');
      if (end - start > MAX_QUOTE_CHARS) throw new ApiError(400, 'span_too_long', `请选择一句或一段原文（不超过${MAX_QUOTE_CHARS}字）。`);
      if (!isMeaningfulQuote(doc.text, start, end)) throw new ApiError(400, 'span_not_clause', '所选原文须是完整的句子或分句，不能是半句话。');
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

  const STEP_SUMMARIES: Record<ReviewStep, string> = {
    approve: '通过人工答案（待审核 → 已生效，立即用于对话）',
    reject: '驳回人工答案（待审核 → 已驳回）',
    withdraw: '撤销人工答案（待审核或已生效 → 已撤销，不再用于对话）',
  };
  for (const step of Object.keys(REVIEW_STEPS) as ReviewStep[]) {
    const reviewRoute = adminRoute({
      method: 'post',
      path: `/staff-answers/{id}/${step}`,
      operationId: `${step}StaffAnswer`,
      summary: STEP_SUMMARIES[step],
      middleware: [jsonBody(deps.readBody)],
      request: {
        params: z.object({ id: z.string().describe('人工答案编号') }),
        body: jsonRequest(staffReviewRequestSchema),
      },
      responses: { 200: json(staffAnswerResponseSchema, '审核后的人工答案'), ...errorResponses(...BODY_ERRORS, 404, 409, 503) },
    });
    app.openapi(reviewRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { by } = c.req.valid('json');
      if (!(await staff.store.get(id))) throw new ApiError(404, 'staff_answer_not_found', '找不到这条人工答案。');
      if (!(await staff.store.review(id, step, maskPersonalData(by), new Date()))) {
        throw new ApiError(409, 'staff_answer_state', '这条人工答案当前的状态不能执行此操作（只有待审核的能通过或驳回，只有待审核或已生效的能撤销）。');
      }
      // This instance answers by the change at once.
      await staff.refresh(true);
      const [reviewed] = await shown([(await staff.store.get(id))!]);
      return c.json({ staffAnswer: reviewed }, 200);
    });
  }
}

/**
 * Unanswered questions grouped by what they are about: the subject the question reader found (a campaign, a
 * measure, a platform …), else their two weightiest content words; biggest group first: what users ask that
 * the corpus lacks.
 */
function groupUnanswered(
  rows: Array<{ question: string; createdAt: Date; declineReason: string | null; subject?: { id: string; name: string } }>,
  retriever: Retriever,
) {
  const groups = new Map<string, { topic: string; subject?: { id: string; name: string }; count: number; reasons: Record<string, number>; questions: string[]; last: Date }>();
  const keywords = (question: string) =>
    retriever
      .analyze(question)
      .content.map((t) => ({ term: t.term, weight: retriever.idf(t.term) }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 2)
      .map((t) => t.term)
      .sort()
      .join(' · ') || '（无主题词）';
  for (const r of rows) {
    const key = r.subject ? `subject:${r.subject.id}` : keywords(r.question);
    const g = groups.get(key) ?? { topic: r.subject?.name ?? key, ...(r.subject ? { subject: r.subject } : {}), count: 0, reasons: {}, questions: [], last: r.createdAt };
    g.count++;
    g.reasons[r.declineReason ?? 'unknown'] = (g.reasons[r.declineReason ?? 'unknown'] ?? 0) + 1;
    if (g.questions.length < 5 && !g.questions.includes(r.question)) g.questions.push(r.question);
    if (r.createdAt > g.last) g.last = r.createdAt;
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, 100)
    .map((g) => ({ ...g, last: g.last.toISOString() }));
}
