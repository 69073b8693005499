/**
 * The admin routes' schemas (src/web/routes/admin.ts): what staff send (a staff answer, a review), the query
 * parameters of the questions log and the lists, and what the routes answer — one schema validates a request and
 * describes it in /openapi.json.
 */
import { z } from '@hono/zod-openapi';
import { ASKED } from '../../understand/lexicons.ts';

/** The review states of a staff answer (src/db/staff-store.ts StaffAnswerStatus). */
export const STAFF_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Query parameters. The console's filters are lenient: a junk value falls back to the default (or no filter)
// rather than failing the request, as before the routes were declared.

/** A query parameter's first value when it was given more than once (?limit=1&limit=2). */
const firstValue = (v: unknown): string | undefined => {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
};

/**
 * A lenient optional query parameter: whatever the client sent (a repeated one: its first value), read by `read`;
 * absent, or unreadable (`read` gives undefined), it is undefined.
 */
function lenient<T>(read: (v: string | undefined) => T | undefined, doc: Record<string, unknown>) {
  return z
    .unknown()
    .transform((v) => read(firstValue(v)))
    .optional()
    .openapi(doc);
}

/** `limit`: 1…max, a whole number; anything else (absent, junk) is `fallback`, out-of-range values are clamped. */
export function limitParam(fallback: number, max = 500) {
  return z
    .unknown()
    .optional()
    .transform((v) => Math.min(max, Math.max(1, Math.floor(Number(firstValue(v) ?? fallback)) || fallback)))
    .openapi({
      type: 'integer',
      minimum: 1,
      maximum: max,
      default: fallback,
      description: `返回条数，1～${max}（默认 ${fallback}；超出范围取最近的端值，无法识别时取默认值）`,
    });
}

export const adminQuestionsQuerySchema = z.object({
  answered: lenient((v) => (v === 'true' ? true : v === 'false' ? false : undefined), {
    type: 'string',
    enum: ['true', 'false'],
    description: 'true 只看已回答的，false 只看未能回答（拒答）的；不传（或其他值）则全部',
  }),
  q: lenient((v) => v?.slice(0, 100) || undefined, { type: 'string', description: '问题中包含的文字（按字面匹配，不区分 ASCII 大小写；超过 100 字的部分不计）' }),
  limit: limitParam(100),
  before: lenient((v) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined), {
    type: 'string',
    format: 'date-time',
    description: '只看这一时刻之前的提问（ISO 时间，用于翻页；无法识别时忽略）',
  }),
});

export const staffAnswersQuerySchema = z.object({
  status: z.enum(STAFF_STATUSES).optional().describe('只看这一状态的人工答案：pending 待审核、approved 已生效、rejected 已驳回、withdrawn 已撤销；不传则全部'),
});

export const catalogueFieldsQuerySchema = z.object({
  q: z
    .unknown()
    .optional()
    .transform((v) => (firstValue(v) ?? '').trim().slice(0, 100))
    .openapi({ type: 'string', description: '检索词：以空格、逗号或顿号分隔，字段名称或原文须包含每一个词（不传则列出全部）' }),
});

// ---------------------------------------------------------------------------------------------------------------
// Request bodies.

const by = z.string({ error: '请填写操作人（by）。' }).trim().min(1, '请填写操作人（by）。').max(40, '操作人名称请控制在40字以内。').describe('操作人（1～40字）');
const question = z.string({ error: '请填写问题（question）。' }).trim().min(1, '请填写问题（question）。').max(500, '问题请控制在500字以内。').describe('用户的问题（1～500字）');
const messageId = z.string().max(64).optional().describe('问题所在的回答编号（从提问记录发起时）');

/** A new staff answer: a passage of a document (docId, start, end) or a catalogue field that answers the question, or a mark that it is out of scope. */
export const staffAnswerRequestSchema = z
  .discriminatedUnion(
    'kind',
    [
      z
        .object({
          kind: z.literal('answer'),
          question,
          by,
          // The passage: a span of a document (docId, start, end), or a catalogue field.
          docId: z.string({ error: '请指定答案所在的文件（docId）。' }).optional().describe('答案所在的文件（与 start、end 一起给出；或改给 field）'),
          start: z.number({ error: '请给出原文起止位置（start、end）。' }).int().min(0).optional().describe('原文起点（字符偏移）'),
          end: z.number({ error: '请给出原文起止位置（start、end）。' }).int().min(1).optional().describe('原文终点（字符偏移，不含）'),
          field: z.string().min(1).max(200).optional().describe('目录字段编号（见 /api/admin/catalogue-fields；与 docId/start/end 二者选一）'),
          messageId,
        })
        .refine((b) => (b.field === undefined) !== (b.docId === undefined && b.start === undefined && b.end === undefined), {
          error: '请指定答案的出处：原文位置（docId、start、end）或目录字段（field），二者选一。',
        })
        .refine((b) => b.field !== undefined || (b.docId !== undefined && b.start !== undefined && b.end !== undefined), {
          error: '请给出原文所在的文件和起止位置（docId、start、end）。',
        }),
      z.object({ kind: z.literal('out_of_scope'), question, by, messageId }),
    ],
    { error: 'kind 须为 answer（指定原文出处）或 out_of_scope（超出范围）。' },
  )
  .openapi('StaffAnswerRequest');

/** A review step (approve, reject, withdraw): who took it. */
export const staffReviewRequestSchema = z.object({ by }).openapi('StaffReviewRequest');

// ---------------------------------------------------------------------------------------------------------------
// Responses.

const subjectSchema = z.object({ id: z.string().describe('主体编号（src/understand 的地名录）'), name: z.string().describe('主体的通称') });

/** How the question reader read a stored question (src/understand/frame.ts Frame); fields come and go between versions. */
const questionFrameSchema = z
  .looseObject({
    named: z.array(z.string()).optional().describe('问题本身提到的主体'),
    subjects: z.array(z.string()).optional().describe('回答所针对的主体（提到的，或沿用对话中的）'),
    asked: z.array(z.string()).optional().describe('问题本身所问的信息类型'),
    types: z.array(z.string()).optional().describe('回答给出的信息类型'),
    followUp: z.boolean().optional().describe('是否为承接上一轮的追问'),
    outside: z
      .object({ kind: z.enum(['region', 'personal', 'legal', 'unrelated', 'programme']), marker: z.string(), region: z.string().optional() })
      .optional()
      .describe('为何超出文件范围'),
  })
  .describe('读题结果（src/understand/frame.ts 的 Frame）');

export const adminQuestionSchema = z
  .object({
    id: z.string().describe('回答编号（messageId）'),
    conversationId: z.string(),
    question: z.string().describe('问题（个人信息已遮盖）'),
    answer: z.string(),
    answerable: z.boolean(),
    declineReason: z.enum(['out_of_scope', 'no_evidence', 'no_detail', 'manipulation', 'empty']).nullable().describe('拒答原因；作答时为 null'),
    mode: z.enum(['extractive', 'llm']),
    latencyMs: z.number(),
    createdAt: z.string().describe('提问时间（ISO 8601）'),
    frame: questionFrameSchema.nullable(),
    helpful: z.boolean().nullable().describe('最新一条反馈：是否有帮助；没有反馈时为 null'),
    comment: z.string().nullable().describe('最新一条反馈的意见'),
  })
  .openapi('AdminQuestion');

export const adminQuestionsResponseSchema = z.object({ questions: z.array(adminQuestionSchema).describe('按时间倒序') });

export const unansweredGroupSchema = z
  .object({
    topic: z.string().describe('主体的通称，或两个权重最高的主题词（以 · 连接）'),
    subject: subjectSchema.optional().describe('读题器认出的主体'),
    count: z.number().int().describe('问题数'),
    reasons: z.record(z.string(), z.number().int()).describe('拒答原因 → 问题数（没有原因的记为 unknown）'),
    questions: z.array(z.string()).describe('例句（最多 5 个，不重复）'),
    last: z.string().describe('最近一次提问的时间（ISO 8601）'),
  })
  .openapi('UnansweredGroup');

export const unansweredResponseSchema = z.object({ groups: z.array(unansweredGroupSchema).describe('按问题数从多到少，最多 100 组') });

/** Where a staff answer joins the question bank (src/understand/bank.ts BankPlacement). */
export const bankPlacementSchema = z
  .object({
    entryId: z.string().describe('问题库条目编号（新条目为 staff-<人工答案编号>）'),
    role: z.enum(['standard', 'similar']).describe('standard 标准问，similar 相似问'),
    standard: z.string().describe('所归条目的标准问'),
    type: z.enum([...ASKED, 'other']).describe('条目回答的信息类型'),
  })
  .openapi('BankPlacement');

export const staffAnswerSchema = z
  .object({
    id: z.string(),
    question: z.string().describe('问题（个人信息已遮盖）'),
    kind: z.enum(['answer', 'out_of_scope']).describe('answer 指定了原文出处，out_of_scope 标为超出范围'),
    docId: z.string().nullable(),
    start: z.number().int().nullable(),
    end: z.number().int().nullable(),
    quote: z.string().nullable().describe('原文逐字引用（等于该文件全文的 start…end）'),
    section: z.string().nullable().describe('章节路径（目录字段：字段名称）'),
    field: z.string().nullable().describe('目录字段编号；在原文中选取的为 null'),
    fieldLabel: z.string().nullable().describe('目录字段的名称；不是目录字段（或字段已不在目录中）时为 null'),
    status: z.enum(STAFF_STATUSES).describe('pending 待审核、approved 已生效、rejected 已驳回、withdrawn 已撤销'),
    createdBy: z.string(),
    createdAt: z.string().describe('ISO 8601'),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable().describe('ISO 8601'),
    messageId: z.string().nullable(),
    bank: bankPlacementSchema.nullable().describe('并入问题库的位置：已生效的为所在位置，待审核的为通过后的位置；其余为 null'),
  })
  .openapi('StaffAnswer');

export const staffAnswerResponseSchema = z.object({ staffAnswer: staffAnswerSchema });
export const staffAnswersResponseSchema = z.object({ staffAnswers: z.array(staffAnswerSchema).describe('按创建时间倒序（最多 200 条）') });

export const catalogueFieldSchema = z
  .object({
    id: z.string().describe('稳定的字段编号（活动编号:字段）'),
    label: z.string().describe('「活动 › 字段」'),
    campaign: z.string().describe('活动名称'),
    docId: z.string(),
    title: z.string().describe('文件标题'),
    section: z.string().describe('章节路径'),
    quote: z.string().describe('原文逐字引用'),
    start: z.number().int(),
    end: z.number().int(),
  })
  .openapi('CatalogueField');

export const catalogueFieldsResponseSchema = z.object({ fields: z.array(catalogueFieldSchema) });

export const staffExportSchema = z
  .object({
    exportedAt: z.string().describe('ISO 8601'),
    files: z
      .record(
        z.string(),
        z.object({
          docId: z.string(),
          note: z.string(),
          entries: z.array(
            z.object({
              id: z.string(),
              type: z.enum([...ASKED, 'other']),
              quotes: z.array(z.string()),
              questions: z.array(z.string()).describe('第一个为标准问，其余为相似问'),
            }),
          ),
        }),
      )
      .describe('<docId>.staff.json → 问题库文件（可直接放进 corpus/questions/）'),
    similarQuestions: z.array(z.object({ entryId: z.string(), questions: z.array(z.string()) })).describe('并入已有条目的相似问'),
    outOfScope: z.array(z.string()).describe('标为超出范围的问题'),
    leftOut: z.array(z.object({ id: z.string(), question: z.string(), field: z.string().nullable() })).describe('目录字段已不在目录中、不再使用的答案'),
  })
  .openapi('StaffAnswersExport');
