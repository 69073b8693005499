/** POST /api/checkup: the 政策体检 — which measures apply to an enterprise, why, and its first step, each with quotes. */
import { createRoute } from '@hono/zod-openapi';
import type { RuleEngine } from '../../rules/engine.ts';
import { runCheckup } from '../../rules/checkup.ts';
import type { BodyReader } from '../body.ts';
import { BODY_ERRORS, errorResponses, json, jsonBody, jsonRequest, router } from '../http.ts';
import { checkupRequestSchema, checkupResponseSchema } from '../schemas.ts';

export interface CheckupRouteDeps {
  rules: RuleEngine;
  /** Today's date (YYYY-MM-DD, China time): the profile's dates are read against it. */
  today: () => string;
  readBody: BodyReader;
}

const checkupRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'checkup',
  tags: ['企业情况'],
  summary: '政策体检：按企业情况列出适用的举措、理由、第一步、每笔贷款/担保的判断和缺少的信息（均附引用）',
  request: { body: jsonRequest(checkupRequestSchema) },
  responses: { 200: json(checkupResponseSchema, '体检结果'), ...errorResponses(...BODY_ERRORS) },
});

/** The check-up route, mounted at /api/checkup. */
export function checkupRoutes(deps: CheckupRouteDeps) {
  return router().openapi({ ...checkupRoute, middleware: [jsonBody(deps.readBody)] }, (c) =>
    c.json(runCheckup(deps.rules, c.req.valid('json').profile, deps.today()), 200),
  );
}
