/**
 * The MCP tools' input and output schemas (zod v4, which @modelcontextprotocol/sdk turns into JSON Schema for
 * tools/list and uses to validate arguments and structured results).
 *
 * The inputs take what the HTTP API takes, field for field and with the same Chinese messages: the enterprise profile
 * and the application draft are the domain's own schemas (src/rules/profile.ts, src/match/application-check.ts); the
 * question, the search and the case are declared here again because src/web mounts this server (src/web/routes/mcp.ts),
 * so src/mcp may not import src/web (test/runtime/layering.test.ts). test/mcp/schemas.test.ts pins each to its
 * counterpart in src/web/schemas.ts, and the outputs to the API's response schemas.
 */
import { z } from 'zod';
import { applicationDraftSchema } from '../match/application-check.ts';
import { profileSchema } from '../rules/profile.ts';

/** The longest question or search text, in characters (as the API's QUESTION_MAX). */
export const QUESTION_MAX = 1000;

const codePoints = (s: string) => [...s].length;

const question = z
  .string({ error: (issue) => (issue.input === undefined ? '请填写问题（question）。' : '问题（question）必须是文字。') })
  .trim()
  .min(1, '问题不能为空，请输入您想咨询的内容。')
  .refine((s) => codePoints(s) <= QUESTION_MAX, `问题太长了，请控制在${QUESTION_MAX}字以内。`)
  .describe('要咨询的问题（中文），1～1000字');

const conversationId = z
  .string({ error: '会话编号（conversationId）必须是文字。' })
  .trim()
  .min(1, '会话编号（conversationId）不能为空。')
  .max(64, '会话编号（conversationId）格式不正确。')
  .describe('上一轮 ask_policy 返回的会话编号，用于追问；不传则开始新会话');

/** ask_policy: the body of POST /api/ask. */
export const askPolicyInput = z.object({
  question,
  conversationId: conversationId.optional(),
  profile: profileSchema.optional().describe('企业情况（规模、贷款、担保等），可选；与对话中陈述的情况合并'),
});

/** search_policy: GET /api/search's `q` and `k`, as JSON (`query`, and `k` a number rather than a query string). */
export const searchPolicyInput = z.object({
  query: z
    .string({ error: '请提供检索词（query）。' })
    .trim()
    .min(1, '检索词（query）不能为空。')
    .refine((s) => codePoints(s) <= QUESTION_MAX, `检索词太长了，请控制在${QUESTION_MAX}字以内。`)
    .describe('检索词或问题'),
  k: z
    .number({ error: '返回条数（k）必须是数字。' })
    .int('返回条数（k）必须是整数。')
    .min(1, '返回条数（k）至少为1。')
    .max(50, '返回条数（k）最多为50。')
    .default(5)
    .describe('返回条数，1～50，默认5'),
});

const orgTypes = [
  'bank', 'insurance', 'securities', 'fund', 'futures', 'trust', 'guarantee', 'leasing', 'consumer_finance', 'microcredit',
  'factoring', 'asset_management', 'investment', 'fintech', 'infrastructure', 'exchange', 'university', 'research', 'regulator',
  'government', 'telecom', 'enterprise',
] as const;

const isoDay = z.string({ error: '日期须为 YYYY-MM-DD 格式。' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD 格式。');

/** recommend_track: the `case` of POST /api/recommend, its fields at the top level. */
export const recommendTrackInput = z.object({
  description: z
    .string({ error: '请填写案例描述（description）。' })
    .trim()
    .min(10, '案例描述太短了，请用几句话说明申报单位、案例内容、所用技术和落地地区。')
    .refine((s) => [...s].length <= 5000, '案例描述请控制在5000字以内。')
    .describe('案例描述：申报单位、案例内容、所用技术、落地地区等，10～5000字'),
  orgType: z.enum(orgTypes, { error: `单位类型（orgType）只能是：${orgTypes.join('、')}。` }).optional().describe('申报单位类型；不传则从描述中识别'),
  applicantRegion: z.string({ error: '注册地（applicantRegion）须为文字，例如“辽宁”。' }).max(20, '注册地（applicantRegion）过长。').optional().describe('申报单位注册地，例如“辽宁”'),
  caseRegions: z.array(z.string().max(20), { error: '落地地区（caseRegions）须为文字数组。' }).max(20).optional().describe('案例落地地区'),
  foundedOn: isoDay.optional().describe('申报单位成立日期，YYYY-MM-DD'),
  implementedOn: isoDay.optional().describe('案例实施应用日期，YYYY-MM-DD'),
  jointApplicants: z.number({ error: '联合申报单位数（jointApplicants）须为数字。' }).int('联合申报单位数须为整数。').min(0).max(100).optional().describe('联合申报单位家数'),
  campaign: z.string({ error: '活动编号（campaign）须为文字。' }).max(64).optional().describe('指定的征集活动编号（可选）'),
});

/** check_application: the `draft` of POST /api/applications/check, its fields at the top level. */
export const checkApplicationInput = applicationDraftSchema.shape.draft;

/** policy_checkup: the `profile` of POST /api/checkup, its fields at the top level. */
export const policyCheckupInput = profileSchema;

// ---------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------

/** A verbatim quote of a stored document: `quote` is `text.slice(start, end)` of document `docId`. */
export const citationOutput = z.object({
  n: z.number().int().describe('文中 [n] 的编号'),
  docId: z.string(),
  title: z.string().describe('文件标题'),
  section: z.string().describe('章节路径，以 › 分隔'),
  quote: z.string().describe('原文逐字引用，等于文件全文 text.slice(start, end)'),
  start: z.number().int(),
  end: z.number().int(),
});

export const askPolicyOutput = z.object({
  answer: z.string().describe('回答正文，[n] 指向 citations'),
  answerable: z.boolean().describe('原文能否回答；false 时 answer 说明拒答原因'),
  citations: z.array(citationOutput),
  conversationId: z.string().describe('会话编号：追问时作为 conversationId 传入'),
  messageId: z.string().describe('本条回答的编号'),
  mode: z.enum(['extractive', 'llm']).describe('extractive：原文摘录；llm：大模型逐句核验后的回答'),
  declineReason: z.enum(['out_of_scope', 'no_evidence', 'no_detail', 'manipulation', 'empty']).optional(),
  related: z.array(citationOutput).optional().describe('拒答“原文没有这项信息”时，原文关于所问主体写了什么'),
  suggestions: z.array(z.string()).optional().describe('可接着问的问题'),
});

export const searchPolicyOutput = z.object({
  query: z.string(),
  results: z.array(
    citationOutput.extend({
      chunkId: z.string(),
      score: z.number().describe('融合得分（BM25 与向量检索的加权倒数排名融合）'),
    }),
  ).describe('按得分排序的原文片段；n 为名次'),
});

export const recommendTrackOutput = z.object({
  recommendations: z.array(
    z.object({
      campaign: z.string(),
      campaignId: z.string(),
      track: z.string(),
      trackId: z.string(),
      direction: z.string().optional(),
      quota: z.number().nullable(),
      score: z.number().describe('0～1，越高越相符'),
      eligible: z.boolean().nullable().describe('false：不符合某条规则；null：缺少判断所需的信息'),
      eligibility: z.enum(['eligible', 'ineligible', 'undetermined']),
      reasons: z.array(z.string()).describe('理由，[n] 指向本条的 citations'),
      citations: z.array(citationOutput),
      failedRules: z.array(z.object({ id: z.string(), message: z.string() })),
      questions: z.array(z.string()).describe('还需补充的情况'),
      window: z.object({
        opens: z.string().nullable(),
        closes: z.string().nullable(),
        status: z.enum(['open', 'closed', 'upcoming', 'unknown']),
        note: z.string().optional(),
      }),
      named: z.boolean(),
      fits: z.boolean().describe('案例与赛道聚焦方向是否足够相符'),
    }),
  ),
  message: z.string().optional(),
  facts: z.record(z.string(), z.unknown()).describe('从案例中读出的情况'),
});

const FINDING_KINDS = ['too_long', 'too_short', 'missing_field', 'missing_section', 'missing_attachment', 'forbidden_name', 'invalid_option', 'ineligible', 'unknown'] as const;

export const checkApplicationOutput = z.object({
  ok: z.boolean().describe('没有任何问题（没有不合格项，也没有待补充的信息）时为 true'),
  findings: z.array(
    z.object({
      kind: z.enum(FINDING_KINDS).describe('问题类型；unknown 表示缺少判断所需的信息（message 为要问的问题）'),
      field: z.string(),
      message: z.string(),
      limit: z.number().optional(),
      count: z.number().optional(),
      citation: citationOutput.describe('规则的原文出处（已逐字核验）'),
    }),
  ),
});

export const policyCheckupOutput = z.object({
  facts: z.record(z.string(), z.unknown()),
  measures: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      applies: z.enum(['yes', 'no', 'unknown']),
      forBanks: z.boolean(),
      why: z.array(z.string()).describe('理由，[n] 指向 citations'),
      decisions: z.array(z.object({ subject: z.string(), outcome: z.string(), text: z.string(), missing: z.array(z.string()) })),
      firstStep: z.string().optional(),
      steps: z.array(z.string()),
      targets: z.array(z.string()),
      missing: z.array(z.string()),
    }),
  ),
  missing: z.array(z.string()).describe('还需要的企业情况'),
  citations: z.array(citationOutput),
});

export type AskPolicyOutput = z.infer<typeof askPolicyOutput>;
export type SearchPolicyOutput = z.infer<typeof searchPolicyOutput>;
export type RecommendTrackOutput = z.infer<typeof recommendTrackOutput>;
export type CheckApplicationOutput = z.infer<typeof checkApplicationOutput>;
export type PolicyCheckupOutput = z.infer<typeof policyCheckupOutput>;
