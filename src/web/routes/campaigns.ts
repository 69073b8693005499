/**
 * For the case-collection campaigns: which track a case fits (POST /api/recommend) and what a 点数成金 application
 * draft still lacks (POST /api/applications/check). Every quote given is checked verbatim before it leaves.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { verifiedCitations } from '../../answer/verify.ts';
import type { Corpus } from '../../corpus/corpus.ts';
import { applicationDraftSchema, type ApplicationChecker } from '../../match/application-check.ts';
import type { TrackMatcher } from '../../match/matcher.ts';
import type { BodyReader } from '../body.ts';
import { BODY_ERRORS, errorResponses, json, jsonBody, jsonRequest, router } from '../http.ts';
import { citationSchema, recommendRequestSchema, recommendResponseSchema } from '../schemas.ts';

export interface CampaignRouteDeps {
  corpus: Corpus;
  readBody: BodyReader;
  matcher: TrackMatcher;
  /**
   * The 点数成金 application checker; absent when its campaign is disabled (a quote of its rules no longer verbatim in
   * the document, logged at start as application_check_disabled), and then /api/applications/check is not served.
   */
  applications?: ApplicationChecker;
}

const FINDING_KINDS = ['too_long', 'too_short', 'missing_field', 'missing_section', 'missing_attachment', 'forbidden_name', 'invalid_option', 'ineligible', 'unknown'];

export const applicationCheckResponseSchema = z
  .object({
    ok: z.boolean().describe('没有任何问题（没有不合格项，也没有待补充的信息）时为 true'),
    findings: z.array(
      z.object({
        kind: z.enum(FINDING_KINDS).describe('问题类型；unknown 表示缺少判断所需的信息（message 为要问的问题）'),
        field: z.string().describe('所涉字段、章节、附件或申报单位情况的中文名'),
        message: z.string(),
        limit: z.number().optional().describe('适用的上限或下限（字数，或联合申报单位家数）'),
        count: z.number().optional().describe('申报书中的实际数量'),
        citation: citationSchema.describe('规则的原文出处（已逐字核验）'),
      }),
    ),
  })
  .openapi('ApplicationCheckResult');

const recommendRoute = createRoute({
  method: 'post',
  path: '/recommend',
  operationId: 'recommendTracks',
  tags: ['征集活动'],
  summary: '赛道推荐：按案例描述为四项征集活动的每个赛道打分、核对申报条件，给出理由（附引用）与申报时间状态',
  request: { body: jsonRequest(recommendRequestSchema) },
  responses: { 200: json(recommendResponseSchema, '按得分排序的推荐'), ...errorResponses(...BODY_ERRORS) },
});

const applicationRoute = createRoute({
  method: 'post',
  path: '/applications/check',
  operationId: 'checkApplication',
  tags: ['征集活动'],
  summary: '“点数成金”申报书检查：字数上下限、名称规则、必要附件、申报条件，每条附原文引用',
  request: { body: jsonRequest(applicationDraftSchema) },
  responses: { 200: json(applicationCheckResponseSchema, '检查结果'), ...errorResponses(...BODY_ERRORS) },
});

/** The campaign routes, mounted at /api. */
export function campaignRoutes(deps: CampaignRouteDeps) {
  const { corpus } = deps;
  const app = router();
  const body = [jsonBody(deps.readBody)];
  const { matcher, applications } = deps;

  app.openapi({ ...recommendRoute, middleware: body }, (c) => {
    const { description, campaign, ...stated } = c.req.valid('json').case;
    const result = matcher.match(description, { ...stated, ...(campaign ? { namedCampaigns: [campaign] } : {}) });
    for (const r of result.recommendations) {
      if (verifiedCitations(corpus, r.citations).length !== r.citations.length) throw new Error('an unverifiable quote reached a recommendation');
    }
    return c.json({ recommendations: result.recommendations, facts: result.facts, ...(result.message ? { message: result.message } : {}) }, 200);
  });

  if (applications) {
    app.openapi({ ...applicationRoute, middleware: body }, (c) => {
      const result = applications.check(c.req.valid('json').draft);
      const citations = result.findings.map((f) => f.citation);
      if (verifiedCitations(corpus, citations).length !== citations.length) throw new Error('an unverifiable quote reached a checker finding');
      return c.json(result, 200);
    });
  }
  return app;
}
