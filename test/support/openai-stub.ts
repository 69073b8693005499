/**
 * A local OpenAI-compatible server for tests: POST /v1/chat/completions
 * (answering with one tool call, whole or streamed as chat.completion.chunk
 * events when the client asks for `stream: true`) and POST /v1/embeddings
 * (deterministic hashed-bigram vectors). Binds 127.0.0.1 on a free port,
 * records every request it receives, and lets each test script the chat
 * model's reply.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body was not JSON). */
  body: any;
}

export interface ChatMessage {
  role: string;
  content: string;
}

/** A chat completion request as the script sees it. */
export interface ChatRequest extends RecordedRequest {
  model: string;
  messages: ChatMessage[];
  /** The system message's text ('' when none). */
  system: string;
  /** The (last) user message's text. */
  human: string;
  /** Name of the function the client asked the model to call (tool_choice, else the first tool). */
  toolName: string | undefined;
  /** Passages in the prompt, by id ("P1" → its text), parsed from the "[P1]（section）\ntext" blocks. */
  passages: Map<string, string>;
}

/** What the scripted model does with one chat request. */
/** How a streamed reply is sent: pieces of the arguments, the pause between them, and where it stops and hangs. */
export interface StreamShape {
  /** Characters of the arguments per chunk (default 24). */
  chunkChars?: number;
  /** Pause before each chunk after the first, in ms (default 0). */
  chunkDelayMs?: number;
  /** After this many characters, stop sending and keep the connection open (a model that hangs mid-answer). */
  hangAfterChars?: number;
  /** Token usage reported at the end (in the usage chunk when the client asked for it). */
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export type ChatReply =
  /** Answer with a tool call whose arguments are JSON.stringify(draft). */
  | ({ draft: unknown; delayMs?: number } & StreamShape)
  /** Answer with a tool call whose arguments are this raw string. */
  | ({ rawArguments: string; delayMs?: number } & StreamShape)
  /** Fail with this HTTP status (OpenAI-style error body unless one is given). */
  | { status: number; body?: unknown; delayMs?: number };

export type ChatScript = (request: ChatRequest) => ChatReply | Promise<ChatReply>;

export interface OpenAiStub {
  /** e.g. http://127.0.0.1:54321 (append /v1 for OPENAI_BASE_URL). */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  chatRequests(): ChatRequest[];
  embeddingRequests(): RecordedRequest[];
  /** Replaces the chat model's behaviour. */
  setChat(script: ChatScript): void;
  /** Delays every embeddings answer by `ms` (a provider that hangs). */
  setEmbeddingDelay(ms: number): void;
  /** Times each chat chunk was written (ms since the epoch), for the last streamed reply. */
  chunkTimes: number[];
  /** Forgets recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_EMBEDDING_DIMENSIONS = 64;

/** Deterministic embedding: character bigrams (and unigrams) hashed into `dimensions` slots, L2-normalised. */
export function stubEmbedding(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const chars = [...text];
  const add = (gram: string, weight: number) => {
    let h = 2166136261;
    for (let i = 0; i < gram.length; i++) h = Math.imul(h ^ gram.charCodeAt(i), 16777619);
    v[(h >>> 0) % dimensions] += weight;
  };
  for (let i = 0; i < chars.length; i++) {
    add(chars[i], 0.5);
    if (i + 1 < chars.length) add(chars[i] + chars[i + 1], 1);
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 0) v[0] = 1;
  return norm === 0 ? v : v.map((x) => x / norm);
}

/** Parses the passages block rendered by formatPassages: "[P1]（section）\ntext", joined by blank lines. */
export function parsePassages(prompt: string): Map<string, string> {
  const passages = new Map<string, string>();
  const from = prompt.indexOf('资料：');
  const to = prompt.lastIndexOf('\n\n问题：');
  const block = prompt.slice(from < 0 ? 0 : from, to < 0 ? prompt.length : to);
  const header = /^\[(P\d+)\]（[^\n]*）\n/gm;
  const heads = [...block.matchAll(header)];
  heads.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < heads.length ? heads[i + 1].index! : block.length;
    passages.set(m[1], block.slice(start, end).replace(/\n\n$/, ''));
  });
  return passages;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (p?.text ?? ''))).join('');
  return '';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

export async function startOpenAiStub(initial?: ChatScript): Promise<OpenAiStub> {
  const requests: RecordedRequest[] = [];
  const chats: ChatRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let script: ChatScript =
    initial ?? (() => ({ status: 500, body: { error: { message: 'no chat script set', type: 'server_error' } } }));
  let completionSeq = 0;
  let embeddingDelayMs = 0;
  const chunkTimes: number[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      void handle(Buffer.concat(parts).toString('utf8')).catch((error: Error) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: `stub failure: ${error.message}`, type: 'server_error' } });
      });
    });

    async function handle(raw: string): Promise<void> {
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '').split('?')[0];
      const recorded: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body };
      requests.push(recorded);

      if (req.method === 'POST' && path === '/v1/embeddings') {
        if (embeddingDelayMs) await sleep(embeddingDelayMs);
        if (res.destroyed || !res.socket || res.socket.destroyed) return;
        return embeddings(body);
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') return chat(recorded);
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    }

    function embeddings(body: any): void {
      const input: unknown = body?.input;
      const texts = typeof input === 'string' ? [input] : Array.isArray(input) ? input : null;
      if (!texts || !texts.every((t) => typeof t === 'string')) {
        return sendJson(res, 400, { error: { message: 'input must be a string or an array of strings', type: 'invalid_request_error' } });
      }
      const dimensions = Number.isInteger(body.dimensions) && body.dimensions > 0 ? body.dimensions : DEFAULT_EMBEDDING_DIMENSIONS;
      const base64 = body.encoding_format === 'base64';
      sendJson(res, 200, {
        object: 'list',
        model: body.model,
        data: (texts as string[]).map((text, index) => {
          const vector = stubEmbedding(text, dimensions);
          return {
            object: 'embedding',
            index,
            embedding: base64 ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector,
          };
        }),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    }

    async function chat(recorded: RecordedRequest): Promise<void> {
      const body = recorded.body ?? {};
      const messages: ChatMessage[] = (body.messages ?? []).map((m: any) => ({ role: m.role, content: textOf(m.content) }));
      const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content).join('\n');
      const human = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      const toolName: string | undefined = body.tool_choice?.function?.name ?? body.tools?.[0]?.function?.name;
      const request: ChatRequest = {
        ...recorded,
        model: body.model,
        messages,
        system,
        human,
        toolName,
        passages: parsePassages(human),
      };
      chats.push(request);

      const reply = await script(request);
      if (reply.delayMs) await sleep(reply.delayMs);
      // The client gave up (timeout, abort) while the reply was delayed.
      if (res.destroyed || res.writableEnded || !res.socket || res.socket.destroyed) return;
      if ('status' in reply) {
        return sendJson(
          res,
          reply.status,
          reply.body ?? { error: { message: `scripted failure ${reply.status}`, type: 'server_error', code: null } },
        );
      }
      const args = 'rawArguments' in reply ? reply.rawArguments : JSON.stringify(reply.draft);
      completionSeq++;
      if (body.stream === true) return streamed(body, args, reply);
      sendJson(res, 200, {
        id: `chatcmpl-stub-${completionSeq}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: `call_stub_${completionSeq}`, type: 'function', function: { name: toolName ?? 'answer', arguments: args } },
              ],
            },
            logprobs: null,
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      });
    }

    /** The reply as chat.completion.chunk events: the tool call's arguments in pieces, then finish, usage and [DONE]. */
    async function streamed(body: any, args: string, shape: StreamShape): Promise<void> {
      const id = `chatcmpl-stub-${completionSeq}`;
      const created = Math.floor(Date.now() / 1000);
      const chunk = (delta: unknown, finish: string | null = null, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      chunkTimes.length = 0;
      const write = (data: string) => {
        chunkTimes.push(Date.now());
        res.write(data);
      };
      const name = body.tool_choice?.function?.name ?? body.tools?.[0]?.function?.name ?? 'answer';
      write(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: `call_stub_${completionSeq}`, type: 'function', function: { name, arguments: '' } }] }));
      const size = shape.chunkChars ?? 24;
      for (let at = 0; at < args.length; at += size) {
        if (shape.hangAfterChars !== undefined && at >= shape.hangAfterChars) return; // keep the connection open, send nothing more
        if (shape.chunkDelayMs && at > 0) await sleep(shape.chunkDelayMs);
        if (res.destroyed || !res.socket || res.socket.destroyed) return;
        write(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(at, at + size) } }] }));
      }
      write(chunk({}, 'tool_calls'));
      const usage = shape.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      if (body.stream_options?.include_usage) write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
      write('data: [DONE]\n\n');
      res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chatRequests: () => [...chats],
    embeddingRequests: () => requests.filter((r) => r.path === '/v1/embeddings'),
    setChat(next) {
      script = next;
    },
    setEmbeddingDelay(ms) {
      embeddingDelayMs = ms;
    },
    chunkTimes,
    reset() {
      requests.length = 0;
      chats.length = 0;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * The service's configuration against `stub`, as a deployer sets a model (key, base URL, model name), with a
 * fresh data directory (added to `dirs` for the caller to remove), the shipped corpus and prompts, and the
 * day the test sets are written for; `extra` adds or overrides settings.
 */
export function stubbedConfig(stub: OpenAiStub, dirs: string[], extra: Record<string, string> = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), 'llm-'));
  dirs.push(dir);
  const root = resolve(import.meta.dirname, '../..');
  return loadConfig({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: `${stub.url}/v1`,
    OPENAI_MODEL: 'stub-model',
    DATA_DIR: dir,
    CORPUS_DIR: join(root, 'corpus'),
    PROMPTS_DIR: join(root, 'prompts'),
    TODAY: '2026-11-22',
    ...extra,
  });
}
