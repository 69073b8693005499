/**
 * The MCP tools take and give what the HTTP API takes and gives. src/mcp declares its question, search and case
 * schemas itself (src/web mounts src/mcp, so src/mcp may not import src/web): these tests pin each to its API
 * counterpart, as JSON Schema (descriptions aside) and by the Chinese messages they refuse with.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as mcp from '../../src/mcp/schemas.ts';
import { applicationDraftSchema } from '../../src/match/application-check.ts';
import { profileSchema } from '../../src/rules/profile.ts';
import { applicationCheckResponseSchema } from '../../src/web/routes/campaigns.ts';
import * as api from '../../src/web/schemas.ts';

/** A schema as JSON Schema, its descriptions left out (they may word things for an agent rather than a form). */
function shape(schema: z.core.$ZodType, io: 'input' | 'output' = 'input'): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'description').map(([key, v]) => [key, strip(v)]));
  };
  return strip(z.toJSONSchema(schema, { io }));
}

/** The messages a schema refuses a value with. */
function refusals(schema: z.core.$ZodType, value: unknown): string[] {
  const result = z.safeParse(schema, value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('MCP tool inputs', () => {
  it('ask_policy takes the body of POST /api/ask', () => {
    expect(shape(mcp.askPolicyInput)).toEqual(shape(api.askRequestSchema));
    for (const bad of [{}, { question: 5 }, { question: '  ' }, { question: '问'.repeat(1001) }, { question: '续贷？', conversationId: '' }, { question: '续贷？', conversationId: 'x'.repeat(65) }, { question: '续贷？', profile: { size: '特大' } }]) {
      const refused = refusals(mcp.askPolicyInput, bad);
      expect(refused.length, JSON.stringify(bad)).toBeGreaterThan(0);
      expect(refused).toEqual(refusals(api.askRequestSchema, bad));
    }
  });

  it('search_policy takes /api/search’s q (as query) and k (as a number)', () => {
    const { q, k } = api.searchQuerySchema.shape;
    const { query, k: mcpK } = mcp.searchPolicyInput.shape;
    expect(shape(query)).toEqual(shape(q));
    expect(shape(mcpK)).toEqual(shape(k));
    for (const bad of ['', '  ', '检'.repeat(1001)]) expect(refusals(query, bad).map((m) => m.replace('query', 'q'))).toEqual(refusals(q, bad));
    for (const bad of [0, 51, 2.5]) expect(refusals(mcpK, bad)).toEqual(refusals(k, bad));
  });

  it('recommend_track takes the case of POST /api/recommend', () => {
    const apiCase = api.recommendRequestSchema.shape.case;
    expect(shape(mcp.recommendTrackInput)).toEqual(shape(apiCase));
    const description = '我们是沈阳的一家银行，做小微企业线上信用贷款。';
    for (const bad of [{}, { description: '太短' }, { description: '长'.repeat(5001) }, { description, orgType: 'bakery' }, { description, foundedOn: '2024/01/01' }, { description, jointApplicants: 1.5 }]) {
      const refused = refusals(mcp.recommendTrackInput, bad);
      expect(refused.length, JSON.stringify(bad)).toBeGreaterThan(0);
      // (The case's fields are at the top level here: 「case.description」 is 「description」.)
      expect(refused).toEqual(refusals(apiCase, bad).map((m) => m.replace('case.description', 'description')));
    }
  });

  it('check_application and policy_checkup take the domain’s own draft and profile schemas', () => {
    expect(mcp.checkApplicationInput).toBe(applicationDraftSchema.shape.draft);
    expect(mcp.policyCheckupInput).toBe(profileSchema);
    expect(shape(api.checkupRequestSchema.shape.profile)).toEqual(shape(mcp.policyCheckupInput));
  });
});

describe('MCP tool outputs', () => {
  it('quote as the API quotes, and give what its responses give', () => {
    expect(shape(mcp.citationOutput, 'output')).toEqual(shape(api.citationSchema, 'output'));
    expect(shape(mcp.recommendTrackOutput, 'output')).toEqual(shape(api.recommendResponseSchema, 'output'));
    expect(shape(mcp.checkApplicationOutput, 'output')).toEqual(shape(applicationCheckResponseSchema, 'output'));
    expect(shape(mcp.policyCheckupOutput, 'output')).toEqual(shape(api.checkupResponseSchema, 'output'));
  });

  it('ask_policy’s result is the part of /api/ask’s response an agent needs, field for field', () => {
    const full = api.askResponseSchema.shape;
    for (const [key, schema] of Object.entries(mcp.askPolicyOutput.shape)) {
      expect(full, key).toHaveProperty(key);
      expect(shape(schema, 'output'), key).toEqual(shape(full[key as keyof typeof full], 'output'));
    }
  });
});
