// @ts-nocheck — type-checked by test/web/contract.test.ts only, against types generated from the live /openapi.json.
/**
 * A small client of the service as an integrator would write one: `openapi-typescript` types generated from
 * /openapi.json, `openapi-fetch`'s `createClient<paths, JsonMedia>()`. The contract test copies this file beside the
 * generated `contract-openapi.ts`, blanks the line above and compiles it with tsc, so the document must type the calls
 * below as they are written: fields read straight off `data`, no casts, no narrowing of the answer beyond "it
 * succeeded". The `@ts-expect-error` lines prove the types are checked at all. (The repository's own
 * `npm run typecheck` has no generated types, hence the line above; vitest runs `exerciseClient` against the app.)
 *
 * Why `JsonMedia`: POST /api/ask's 200 documents two media types, application/json and text/event-stream. openapi-fetch
 * types `data` as the union of a success's media types unless told which one the client reads, and openapi-typescript
 * types a stream as `string` (its schema) or `unknown` (none), so `createClient<paths>()` would make the answer
 * `AskResponse | string`. This client reads JSON (it never asks for a stream), and says so.
 */
import createClient from 'openapi-fetch';
import type { paths } from './contract-openapi.ts';

/** The media type this client reads. */
type JsonMedia = 'application/json';

export interface ClientOptions {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  adminToken: string;
  docId: string;
}

/** What the calls read, for the test to check they ran against the real service. */
export interface ClientReadings {
  answer: string;
  quote: string | undefined;
  measures: number[] | undefined;
  conversationId: string;
  searchDocId: string | undefined;
  documentTitle: string;
  feedbackId: string;
  staffAnswers: number;
}

export async function exerciseClient(options: ClientOptions): Promise<ClientReadings> {
  const client = createClient<paths, JsonMedia>({ baseUrl: options.baseUrl, fetch: options.fetch });

  const asked = await client.POST('/api/ask', { body: { question: '我们是小微企业，有一笔流动资金贷款明年3月到期，能享受哪些政策？' } });
  if (!asked.data) throw new Error(`ask: ${asked.error?.error.code}`);
  const answer: string = asked.data.answer;
  const quote: string | undefined = asked.data.citations[0]?.quote;
  const measures: number[] | undefined = asked.data.situation?.measures;
  const conversationId: string = asked.data.conversationId;
  const messageId: string = asked.data.messageId;

  // A follow-up in the same conversation, with an enterprise profile.
  const followUp = await client.POST('/api/ask', { body: { question: '那担保费补贴呢？', conversationId, profile: { size: '小微' } } });
  if (followUp.error) throw new Error(`follow-up: ${followUp.error.error.message}`);

  const found = await client.GET('/api/search', { params: { query: { q: '担保费补贴', k: 3 } } });
  if (!found.data) throw new Error('search failed');
  const searchDocId: string | undefined = found.data.results[0]?.docId;

  const document = await client.GET('/api/documents/{docId}', { params: { path: { docId: options.docId } } });
  if (!document.data) throw new Error('document failed');
  const documentTitle: string = document.data.title;
  const sectionStart: number | undefined = document.data.sections[0]?.start;
  void sectionStart;

  const feedback = await client.POST('/api/feedback', { body: { messageId, helpful: true, comment: '清楚' } });
  if (!feedback.data) throw new Error(`feedback: ${feedback.error?.error.code}`);
  const feedbackId: string = feedback.data.id;

  const staff = await client.GET('/api/admin/staff-answers', {
    params: { query: { status: 'pending' } },
    headers: { authorization: `Bearer ${options.adminToken}` },
  });
  if (!staff.data) throw new Error(`staff answers: ${staff.error?.error.code}`);
  const staffAnswers: number = staff.data.staffAnswers.length;

  // The errors are typed too: every documented error is the one `{error: {code, message}}` shape.
  const missing = await client.GET('/api/documents/{docId}', { params: { path: { docId: 'no-such-document' } } });
  const code: string | undefined = missing.error?.error.code;
  void code;

  return { answer, quote, measures, conversationId, searchDocId, documentTitle, feedbackId, staffAnswers };
}

/** Calls that must not compile: each line below is an error the generated types catch. Never run. */
export async function misuses(options: ClientOptions): Promise<void> {
  const client = createClient<paths, JsonMedia>({ baseUrl: options.baseUrl, fetch: options.fetch });
  // @ts-expect-error — a misspelt field: the ask body needs `question`.
  await client.POST('/api/ask', { body: { questoin: '续贷怎么办' } });
  // @ts-expect-error — the question is a string, not a number.
  await client.POST('/api/ask', { body: { question: 42 } });
  // @ts-expect-error — the search query `q` is required.
  await client.GET('/api/search', { params: { query: {} } });
  // @ts-expect-error — the document's path parameter is required.
  await client.GET('/api/documents/{docId}', { params: { path: {} } });
  // @ts-expect-error — no such route in the document.
  await client.GET('/api/no-such-route');
  // @ts-expect-error — feedback's `helpful` is a boolean.
  await client.POST('/api/feedback', { body: { messageId: 'm', helpful: 'yes' } });

  const { data } = await client.POST('/api/ask', { body: { question: '续贷怎么办' } });
  if (!data) return;
  // @ts-expect-error — the answer is a string.
  const wrong: number = data.answer;
  // @ts-expect-error — a field the answer does not have.
  void data.answerText;
  void wrong;
}
