import { z } from '@hono/zod-openapi';
import { profileSchema } from '../rules/profile.ts';

export const QUESTION_MAX = 1000;

const codePoints = (s: string) => [...s].length;

const question = z
  .string({ error: (issue) => (issue.input === undefined ? '请填写问题（question）。' : '问题（question）必须是文字。') })
  .trim()
  .min(1, '问题不能为空，请输入您想咨询的内容。')
  .refine((s) => codePoints(s) <= QUESTION_MAX, `问题太长了，请控制在${QUESTION_MAX}字以内。`)
  .describe('用户的问题，1～1000字');

const conversationId = z
  .string({ error: '会话编号（conversationId）必须是文字。' })
  .trim()
  .min(1, '会话编号（conversationId）不能为空。')
  .max(64, '会话编号（conversationId）格式不正确。')
  .describe('上一轮回答返回的会话编号；不传则开始新会话');

export const askRequestSchema = z
  .object(
    {
      question,
      conversationId: conversationId.optional(),
      profile: profileSchema.optional().describe('企业情况（规模、贷款、担保等），可选；与对话中陈述的情况合并'),
    },
    { error: '请求体必须是 JSON 对象，例如 {"question": "……"}。' },
  )
  .openapi('AskRequest');

export const citationSchema = z.object({
  n: z.number().int().describe('回答中 [n] 的编号'),
  docId: z.string(),
  title: z.string().describe('文件标题'),
  section: z.string().describe('章节路径，以 › 分隔'),
  quote: z.string().describe('原文逐字引用，等于 text.slice(start, end)'),
  start: z.number().int(),
  end: z.number().int(),
}).openapi('Citation');

export const askResponseSchema = z.object({
  answer: z.string(),
  answerable: z.boolean(),
  citations: z.array(citationSchema),
  conversationId: z.string(),
  messageId: z.string().describe('本条回答的编号，用于反馈'),
  mode: z.enum(['extractive', 'llm']),
  declineReason: z
    .enum(['out_of_scope', 'no_evidence', 'no_detail', 'manipulation', 'empty'])
    .optional()
    .describe('拒答原因：超出文件范围、原文没有依据、原文没有写所问主体的这项信息、套取指令、问题为空'),
  related: z.array(citationSchema).optional().describe('拒答“原文没有这项信息”时，原文关于所问主体写了什么（逐字引用）'),
  understood: z
    .object({
      subjects: z.array(z.object({ id: z.string(), name: z.string() })).describe('问题所问的主体（文件、活动、赛道、举措、平台、网点）'),
      asked: z.array(z.string()).describe('所问信息的类型：date、phone、email、list、steps、yesno……'),
      followUp: z.boolean().describe('是否为承接上一轮的追问（省略的主体或类型取自上一轮）'),
    })
    .optional()
    .describe('服务如何理解这个问题'),
  situation: z
    .object({
      topic: z.string().optional().describe('renewal | guarantee_subsidy | credit_repair'),
      outcome: z.string().optional().describe('eligible | not_eligible | need_info | steps | checkup'),
      facts: z.record(z.string(), z.unknown()).describe('已知的企业情况'),
      missing: z.array(z.string()).optional().describe('还需要的情况'),
      computed: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('计算结果，如 applyBy、subsidyYuan'),
      assumed: z.array(z.string()).optional().describe('不是用户直接说的、而是按用户说的别的数推定的情况（如按贷款金额推定担保金额），回答里已写明推定方式'),
      measures: z.array(z.number().int()).optional().describe('政策体检：适用的举措编号'),
    })
    .optional()
    .describe('问到本企业情况时的判断依据'),
  tracks: z
    .object({
      recommendations: z
        .array(
          z.object({
            campaignId: z.string(),
            campaign: z.string(),
            trackId: z.string(),
            track: z.string(),
            eligible: z.boolean().nullable().describe('true 符合已核对的条件，false 不符合，null 还需补充情况'),
          }),
        )
        .describe('按回答中出现的顺序：先是较合适的赛道，后是不能申报的活动'),
    })
    .optional()
    .describe('在对话中描述案例并问适合哪个赛道时的推荐（与 /api/recommend 相同），挂件据此提供“赛道推荐”表单入口'),
  via: z.object({ staffAnswerId: z.string() }).optional().describe('这条回答来自工作人员在控制台为这个问题指定、并已审核通过的原文出处（或超出范围的标记）'),
  suggestions: z.array(z.string()).optional().describe('可接着问的问题（同一主体、原文能回答的标准问，最多 3 个），挂件显示为可点击的建议'),
  checks: z
    .object({
      sentences: z.number().int().describe('模型写出的句子数'),
      shown: z.number().int().describe('逐句核验通过、展示出来的句子数'),
      dropped: z.record(z.string(), z.number().int()).describe('未通过核验而删去的句子数，按原因（unsupported_value、negation_flip、unsupported_quantifier、unrelated_quote、fragment_quote、unverified_quote、no_citation、too_long）'),
      fallback: z.boolean().describe('是否因模型回答不可用而改用原文摘录回答'),
    })
    .optional()
    .describe('大模型模式下逐句核验的结果（只有数量，不含被删去的句子）'),
}).openapi('AskResponse');

/** One `token` event of the /api/ask stream: a piece of the answer; in model mode a whole checked sentence with its quotes. */
export const askStreamTokenSchema = z
  .object({
    text: z.string().describe('回答的一段文字'),
    citations: z.array(citationSchema).optional().describe('大模型模式下，这句话引用的原文（已逐字核验）'),
  })
  .openapi('AskStreamToken');

export const checkupRequestSchema = z.object({ profile: profileSchema }, { error: '请求体须为 JSON 对象，例如 {"profile": {"size": "小微"}}。' });

export const checkupResponseSchema = z.object({
  facts: z.record(z.string(), z.unknown()),
  measures: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      applies: z.enum(['yes', 'no', 'unknown']),
      forBanks: z.boolean(),
      why: z.array(z.string()),
      decisions: z.array(z.object({ subject: z.string(), outcome: z.string(), text: z.string(), missing: z.array(z.string()) })),
      firstStep: z.string().optional(),
      steps: z.array(z.string()),
      targets: z.array(z.string()),
      missing: z.array(z.string()),
    }),
  ),
  missing: z.array(z.string()),
  citations: z.array(citationSchema),
});

export const searchQuerySchema = z.object({
  q: z
    .string({ error: '请提供检索词（q）。' })
    .trim()
    .min(1, '检索词（q）不能为空。')
    .refine((s) => codePoints(s) <= QUESTION_MAX, `检索词太长了，请控制在${QUESTION_MAX}字以内。`),
  // (An empty `k=` means the default, as a form with the field left blank sends it.)
  k: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: '返回条数（k）必须是数字。' })
      .int('返回条数（k）必须是整数。')
      .min(1, '返回条数（k）至少为1。')
      .max(50, '返回条数（k）最多为50。')
      .default(5),
  ),
});

export const searchResponseSchema = z.object({
  query: z.string(),
  results: z.array(
    z.object({
      rank: z.number().int(),
      chunkId: z.string(),
      docId: z.string(),
      title: z.string(),
      section: z.string(),
      text: z.string(),
      start: z.number().int(),
      end: z.number().int(),
      score: z.number().describe('融合得分（加权倒数排名融合）'),
      bm25: z.number(),
      vector: z.number().describe('向量余弦相似度'),
    }),
  ),
});

export const feedbackRequestSchema = z.object(
  {
    messageId: z.string({ error: '请提供要评价的回答编号（messageId）。' }).trim().min(1, '回答编号（messageId）不能为空。').max(64, '回答编号（messageId）格式不正确。'),
    helpful: z.boolean({ error: '请说明回答是否有帮助（helpful 为 true 或 false）。' }),
    comment: z
      .string({ error: '意见（comment）必须是文字。' })
      .trim()
      .refine((s) => codePoints(s) <= QUESTION_MAX, `意见太长了，请控制在${QUESTION_MAX}字以内。`)
      .optional(),
  },
  { error: '请求体必须是 JSON 对象，例如 {"messageId": "……", "helpful": true}。' },
);

export const feedbackResponseSchema = z.object({ ok: z.literal(true), id: z.string() });

export const documentSummarySchema = z.object({
  docId: z.string(),
  title: z.string(),
  issuer: z.string().nullable(),
  published: z.string().nullable(),
  kind: z.enum(['measures', 'campaign', 'guide']),
  region: z.string(),
});

export const documentDetailSchema = documentSummarySchema.extend({
  text: z.string(),
  sections: z.array(
    z.object({
      id: z.string(),
      path: z.array(z.string()),
      title: z.string(),
      kind: z.string(),
      start: z.number().int(),
      end: z.number().int(),
      depth: z.number().int(),
    }),
  ),
});

export const conversationResponseSchema = z.object({
  conversationId: z.string(),
  messages: z.array(
    z.object({
      messageId: z.string(),
      question: z.string(),
      answer: z.string(),
      answerable: z.boolean(),
      citations: z.array(citationSchema),
      mode: z.enum(['extractive', 'llm']),
      createdAt: z.string(),
      suggestions: z.array(z.string()).optional().describe('仅最新一条回答：可接着问的问题（与 /api/ask 的 suggestions 相同），恢复会话时挂件照常显示'),
    }),
  ),
});

export const healthResponseSchema = z.object({
  ok: z.literal(true),
  mode: z.enum(['extractive', 'llm']),
  documents: z.number().int(),
  chunks: z.number().int(),
  corpusHash: z.string(),
  embedder: z.string(),
  lexicalKernel: z.enum(['wasm', 'js']).describe('BM25 累加循环：wasm（WebAssembly）或 js（不能编译 WebAssembly 的运行时）'),
});


const orgTypes = [
  'bank', 'insurance', 'securities', 'fund', 'futures', 'trust', 'guarantee', 'leasing', 'consumer_finance', 'microcredit',
  'factoring', 'asset_management', 'investment', 'fintech', 'infrastructure', 'exchange', 'university', 'research', 'regulator',
  'government', 'telecom', 'enterprise',
] as const;

const isoDay = z.string({ error: '日期须为 YYYY-MM-DD 格式。' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD 格式。');

export const recommendRequestSchema = z.object(
  {
    case: z.object(
      {
        description: z
          .string({ error: '请填写案例描述（case.description）。' })
          .trim()
          .min(10, '案例描述太短了，请用几句话说明申报单位、案例内容、所用技术和落地地区。')
          .refine((s) => [...s].length <= 5000, '案例描述请控制在5000字以内。'),
        orgType: z.enum(orgTypes, { error: `单位类型（orgType）只能是：${orgTypes.join('、')}。` }).optional(),
        applicantRegion: z.string({ error: '注册地（applicantRegion）须为文字，例如“辽宁”。' }).max(20, '注册地（applicantRegion）过长。').optional(),
        caseRegions: z.array(z.string().max(20), { error: '落地地区（caseRegions）须为文字数组。' }).max(20).optional(),
        foundedOn: isoDay.optional(),
        implementedOn: isoDay.optional(),
        jointApplicants: z.number({ error: '联合申报单位数（jointApplicants）须为数字。' }).int('联合申报单位数须为整数。').min(0).max(100).optional(),
        campaign: z.string({ error: '活动编号（campaign）须为文字。' }).max(64).optional(),
      },
      { error: '案例（case）须为对象，例如 {"description": "……"}。' },
    ),
  },
  { error: '请求体须为 JSON 对象，例如 {"case": {"description": "……"}}。' },
);

export const recommendResponseSchema = z.object({
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
      reasons: z.array(z.string()),
      citations: z.array(citationSchema),
      failedRules: z.array(z.object({ id: z.string(), message: z.string() })),
      questions: z.array(z.string()),
      window: z.object({ opens: z.string().nullable(), closes: z.string().nullable(), status: z.enum(['open', 'closed', 'upcoming', 'unknown']), note: z.string().optional() }),
      named: z.boolean(),
      fits: z.boolean().describe('案例与赛道聚焦方向是否足够相符'),
    }),
  ),
  message: z.string().optional(),
  facts: z.record(z.string(), z.unknown()),
});
