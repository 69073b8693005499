/**
 * The service as an MCP server (Model Context Protocol, @modelcontextprotocol/sdk): five tools over the same domain
 * as the HTTP API, each with a zod input schema, an output schema, and both a Chinese text block and the structured
 * result. Free of any runtime and transport: src/web/routes/mcp.ts serves it over Streamable HTTP at /mcp (Node and
 * Workers), scripts/mcp.ts over stdio.
 *
 * Every quote a tool returns is checked verbatim against the stored document before it leaves, as the HTTP routes
 * check theirs; ask_policy goes through Conversations, so its turns are stored (personal numbers masked) and can be
 * followed up by conversation id, exactly as POST /api/ask.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { verifiedCitations } from '../answer/verify.ts';
import type { Conversations } from '../chat/conversation.ts';
import { sectionLabel, type Corpus } from '../corpus/corpus.ts';
import type { Citation } from '../corpus/quotes.ts';
import { storageFailure } from '../db/health.ts';
import type { ApplicationChecker } from '../match/application-check.ts';
import type { TrackMatcher } from '../match/matcher.ts';
import { runCheckup } from '../rules/checkup.ts';
import type { RuleEngine } from '../rules/engine.ts';
import type { Retriever } from '../search/retriever.ts';
import {
  askPolicyInput,
  askPolicyOutput,
  checkApplicationInput,
  checkApplicationOutput,
  policyCheckupInput,
  policyCheckupOutput,
  recommendTrackInput,
  recommendTrackOutput,
  searchPolicyInput,
  searchPolicyOutput,
  type AskPolicyOutput,
  type SearchPolicyOutput,
} from './schemas.ts';
import { applicationText, askText, checkupText, recommendText, searchText } from './text.ts';

/** The server's name and version, as `initialize` reports them. */
export const MCP_SERVER_INFO = { name: 'liaoning-policy-guide', title: '辽宁金融支持民营经济政策问答', version: '0.1.0' } as const;

/** The tools, by name. check_application is listed only while its campaign is enabled (`McpDeps.applications`). */
export const MCP_TOOLS = ['ask_policy', 'search_policy', 'recommend_track', 'check_application', 'policy_checkup'] as const;

/** Where a tool's unexpected failure is logged (the web logger fits: it masks personal data in every field). */
export interface McpLogger {
  error(event: string, fields?: Record<string, unknown>): void;
}

/** What the MCP server answers with: the same services the HTTP app is built from. */
export interface McpDeps {
  /** Conversation turns (answer, check, store, mask), shared with POST /api/ask. */
  conversations: Conversations;
  corpus: Corpus;
  retriever: Retriever;
  matcher: TrackMatcher;
  /** The 点数成金 application checker; absent while its campaign is disabled, and then check_application is not offered. */
  applications?: ApplicationChecker;
  rules: RuleEngine;
  /** Today's date (YYYY-MM-DD, China time): a profile's dates are read against it. */
  today: () => string;
  logger?: McpLogger;
  /** Told of a storage failure (a full disk, an unreachable database), as the app's onError tells /readyz. */
  readiness?: { noteFailure(error: Error): void };
}

const INSTRUCTIONS =
  '辽宁金融支持民营经济政策问答服务。所有回答都依据政策原文，并附逐字引用（quote 等于原文 text.slice(start, end)）。' +
  '一般问题用 ask_policy（追问时传入上一轮的 conversationId）；找原文条款用 search_policy；' +
  '为案例选择征集活动赛道用 recommend_track；检查“点数成金”申报书用 check_application；按企业情况列出适用举措用 policy_checkup。' +
  '引用原文时请照抄 quote，不要改写。';

/** Tool errors in Chinese, as the HTTP API says them. */
const MESSAGES = {
  conversationNotFound: '找不到这个会话，请不带 conversationId 重新提问以开始新会话。',
  storageUnavailable: '数据存储暂时不可用（空间不足、不可写或暂时无法连接），请稍后再试。',
  internal: '服务内部出错，请稍后再试。',
} as const;

/**
 * The server the MCP SDK never needs a JSON Schema validator in: it only validates what a client sends back for an
 * elicitation, which these tools never ask for. (The default builds an Ajv instance per server, and a stateless HTTP
 * server is one per request.)
 */
const noElicitation: jsonSchemaValidator = {
  getValidator: () => () => ({ valid: false, data: undefined, errorMessage: 'elicitation is not used by this server' }),
};

/**
 * A new MCP server with the service's tools. Cheap to build (the services are shared): the Streamable HTTP route builds
 * one per request.
 *
 * @example
 * const server = createMcpServer({ conversations, corpus, retriever, matcher, applications, rules, today });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const { conversations, corpus } = deps;
  const server = new McpServer(MCP_SERVER_INFO, { instructions: INSTRUCTIONS, jsonSchemaValidator: noElicitation });

  /** Runs a tool, turning an unexpected failure into a tool error in Chinese (its details go to the log only). */
  const guarded =
    <A>(tool: string, run: (args: A) => Promise<CallToolResult> | CallToolResult) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        return await run(args);
      } catch (caught) {
        const error = caught instanceof Error ? caught : new Error(String(caught));
        const storage = storageFailure(error);
        if (storage) deps.readiness?.noteFailure(error);
        deps.logger?.error('mcp_tool_failed', { tool, message: error.message });
        return toolError(storage ? MESSAGES.storageUnavailable : MESSAGES.internal);
      }
    };

  /** The quotes must all be verbatim spans of their documents: one that is not is a bug, and nothing leaves. */
  const verified = (citations: Citation[], what: string) => {
    if (verifiedCitations(corpus, citations).length !== citations.length) throw new Error(`an unverifiable quote reached ${what}`);
  };

  server.registerTool(
    'ask_policy',
    {
      title: '政策问答',
      description:
        '就辽宁金融支持民营经济的政策文件提问（续贷、担保费补贴、信用修复、首贷、征集活动申报等），得到依据原文的回答和逐字引用。' +
        '原文没有依据时会拒答并说明原因。追问时传入上一轮返回的 conversationId，可省略上一轮已说过的主体。',
      inputSchema: askPolicyInput,
      outputSchema: askPolicyOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded('ask_policy', async (args) => {
      const turn = await conversations.open(args);
      if (!turn) return toolError(MESSAGES.conversationNotFound);
      const reply = await conversations.finish(turn, await conversations.answer(turn));
      const result: AskPolicyOutput = {
        answer: reply.answer,
        answerable: reply.answerable,
        citations: reply.citations,
        conversationId: reply.conversationId,
        messageId: reply.messageId,
        mode: reply.mode,
        ...(reply.declineReason ? { declineReason: reply.declineReason } : {}),
        ...(reply.related ? { related: reply.related } : {}),
        ...(reply.suggestions ? { suggestions: reply.suggestions } : {}),
      };
      return toolResult(askText(result), result);
    }),
  );

  server.registerTool(
    'search_policy',
    {
      title: '检索原文',
      description: '在政策原文中检索与检索词最相关的段落（BM25 与向量混合检索），返回逐字原文片段及其文件、章节和字符位置。',
      inputSchema: searchPolicyInput,
      outputSchema: searchPolicyOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('search_policy', async ({ query, k }) => {
      const hits = await deps.retriever.retrieve(query, { k });
      const result: SearchPolicyOutput = {
        query,
        results: hits.map((h, i) => ({
          n: i + 1,
          docId: h.chunk.docId,
          title: corpus.document(h.chunk.docId)!.title,
          section: sectionLabel(h.chunk),
          quote: h.chunk.text,
          start: h.chunk.start,
          end: h.chunk.end,
          chunkId: h.chunk.id,
          score: Math.round(h.score * 10_000) / 10_000,
        })),
      };
      verified(result.results, 'a search result');
      return toolResult(searchText(result), result);
    }),
  );

  server.registerTool(
    'recommend_track',
    {
      title: '征集活动赛道推荐',
      description:
        '按案例描述为四项案例征集活动（金融兴辽、新质生产力、点数成金、十大事件）的每个赛道打分，核对申报条件，' +
        '给出理由（附原文引用）、还需补充的情况和申报时间状态。',
      inputSchema: recommendTrackInput,
      outputSchema: recommendTrackOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('recommend_track', ({ description, campaign, ...stated }) => {
      const match = deps.matcher.match(description, { ...stated, ...(campaign ? { namedCampaigns: [campaign] } : {}) });
      for (const r of match.recommendations) verified(r.citations, 'a recommendation');
      const result = { recommendations: match.recommendations, facts: { ...match.facts }, ...(match.message ? { message: match.message } : {}) };
      return toolResult(recommendText(result), result);
    }),
  );

  const { applications } = deps;
  if (applications) {
    server.registerTool(
      'check_application',
      {
        title: '“点数成金”申报书检查',
        description:
          '检查“点数成金”案例申报书草稿：字段和各部分的字数上下限、案例名称规则、必要附件、申报条件，每条问题附规则的原文引用；' +
          '缺少判断所需的信息时给出要问的问题。',
        inputSchema: checkApplicationInput,
        outputSchema: checkApplicationOutput,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      guarded('check_application', (draft) => {
        const result = applications.check(draft);
        verified(result.findings.map((f) => f.citation), 'a checker finding');
        return toolResult(applicationText(result), result);
      }),
    );
  }

  server.registerTool(
    'policy_checkup',
    {
      title: '政策体检',
      description:
        '按企业情况（规模、地区、贷款、担保、信用问题等）列出各项举措是否适用、理由、第一步怎么做、每笔贷款和担保的判断，' +
        '以及还缺少哪些信息，均附原文引用。',
      inputSchema: policyCheckupInput,
      outputSchema: policyCheckupOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('policy_checkup', (profile) => {
      const report = runCheckup(deps.rules, profile, deps.today());
      verified(report.citations, 'a check-up');
      const result = { ...report, facts: { ...report.facts } };
      return toolResult(checkupText(result), result);
    }),
  );

  return server;
}

function toolResult(text: string, structured: object): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
