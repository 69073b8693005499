import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { draftSchema, formatPassages, type DraftInput, type LlmAnswerer, type PartialDraft, type TokenUsage } from '../answer/llm.ts';
import type { Config } from '../config.ts';
import { DEFAULT_RETRY, isRetryable, backoff, raceSignal, retrying, sleep, statusOf, type RetryOptions } from '../deadline.ts';
import { normalize, type Embedder } from '../search/embedder.ts';
import { modelFrameSchema, type FrameInput } from '../answer/model-frame.ts';

export interface OpenAiOptions {
  apiKey: string;
  /** For OpenAI-compatible providers (DeepSeek, Qwen, vLLM, Ollama ...). */
  baseURL?: string;
}

export interface ChatOptions extends OpenAiOptions {
  model: string;
  prompts: { system: string; human: string; frame?: string };
  /** Have the model read questions too (readFrame). */
  readQuestions?: boolean;
  /** Limit for one HTTP call, in milliseconds (the request's own deadline is the signal passed to stream()). */
  timeoutMs: number;
  /** Tokens the model may write for one answer (max_tokens). */
  maxTokens: number;
  retry?: RetryOptions;
  /** Token usage of each call, as the provider reports it. */
  onUsage?: (usage: TokenUsage & { model: string }) => void;
  /** Each retry of a rate-limited or failed call. */
  onRetry?: (attempt: number, status: number | undefined, delayMs: number) => void;
}

/** Token counts from a LangChain LLM result, wherever the provider put them. */
function usageOf(output: unknown): TokenUsage | null {
  const o = output as {
    llmOutput?: { tokenUsage?: Record<string, number>; estimatedTokenUsage?: Record<string, number> };
    generations?: Array<Array<{ message?: { usage_metadata?: { input_tokens: number; output_tokens: number; total_tokens: number } } }>>;
  };
  const meta = o.generations?.[0]?.[0]?.message?.usage_metadata;
  if (meta) return { promptTokens: meta.input_tokens, completionTokens: meta.output_tokens, totalTokens: meta.total_tokens };
  const t = o.llmOutput?.tokenUsage;
  if (t && typeof t.totalTokens === 'number') return { promptTokens: t.promptTokens ?? 0, completionTokens: t.completionTokens ?? 0, totalTokens: t.totalTokens };
  return null;
}

/**
 * Drafts answers with ChatOpenAI from the prompt files, asking for a
 * structured answer (function calling, which compatible servers support)
 * that cites passages by id, and streams it: each value is the draft parsed
 * so far from the tool call's arguments. A call refused with 429 or 5xx
 * before anything arrived is retried with backoff inside the caller's
 * deadline; max_tokens caps what the model may write.
 */
export function createOpenAiAnswerer(options: ChatOptions): LlmAnswerer {
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', options.prompts.system],
    ['human', options.prompts.human],
  ]);
  const chat = new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey,
    temperature: 0,
    maxRetries: 0,
    maxTokens: options.maxTokens,
    timeout: options.timeoutMs,
    streamUsage: true,
    configuration: options.baseURL ? { baseURL: options.baseURL } : undefined,
  });
  const structured = chat.withStructuredOutput(draftSchema, { name: 'answer', method: 'functionCalling' });
  const chain = prompt.pipe(structured);
  const retry = options.retry ?? DEFAULT_RETRY;
  const frameChain =
    options.readQuestions && options.prompts.frame
      ? ChatPromptTemplate.fromMessages([
          ['system', options.prompts.frame],
          ['human', '对话上文（用于理解追问，可能为空）：{context}\n\n问题：{question}'],
        ]).pipe(chat.withStructuredOutput(modelFrameSchema, { name: 'frame', method: 'functionCalling' }))
      : null;
  return {
    model: options.model,
    ...(frameChain
      ? {
          readFrame: (input: FrameInput, signal: AbortSignal) =>
            retrying(
              () =>
                frameChain.invoke(
                  {
                    today: input.today,
                    subjects: input.subjects.map((s) => `${s.id}：${s.name}`).join('\n'),
                    types: input.types.map((t) => `${t.type}：${t.label}`).join('\n'),
                    context: input.context ?? '（无）',
                    question: input.question,
                  },
                  { signal },
                ),
              signal,
              retry,
            ),
        }
      : {}),
    async *stream(input: DraftInput, signal: AbortSignal): AsyncIterable<PartialDraft> {
      const variables = {
        today: input.today,
        context: input.context ?? '（无）',
        passages: formatPassages(input.passages),
        question: input.question,
      };
      const callbacks = [
        {
          handleLLMEnd: (output: unknown) => {
            const usage = usageOf(output);
            if (usage) options.onUsage?.({ ...usage, model: options.model });
          },
        },
      ];
      for (let attempt = 1; ; attempt++) {
        let received = false;
        let iterator: AsyncIterator<unknown> | undefined;
        try {
          if (signal.aborted) throw new Error('deadline passed before the model was called');
          const stream = await raceSignal(chain.stream(variables, { signal, callbacks }), signal);
          iterator = stream[Symbol.asyncIterator]();
          for (;;) {
            const next = await raceSignal(iterator.next(), signal);
            if (next.done) {
              iterator = undefined;
              return;
            }
            received = true;
            yield next.value as PartialDraft;
          }
        } catch (error) {
          // Once part of the answer has arrived (and may have been shown), the call is not repeated.
          if (received || signal.aborted || attempt >= retry.attempts || !isRetryable(error)) throw error;
          const delayMs = backoff(attempt, error, retry);
          options.onRetry?.(attempt, statusOf(error), delayMs);
          await sleep(delayMs, signal);
        } finally {
          // A stream left early (the caller stopped reading, the deadline passed) is closed; its own failure is not ours to report.
          iterator?.return?.().catch(() => {});
        }
      }
    },
  };
}

export interface EmbeddingOptions extends OpenAiOptions {
  model: string;
  /** Limit for one embeddings call, in milliseconds. */
  timeoutMs?: number;
  dimensions?: number;
  retry?: RetryOptions;
}

/** Output sizes of OpenAI's own embedding models, for when the configuration gives none. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * LangChain's OpenAIEmbeddings behind the service's Embedder interface.
 * Compatible providers' models have their own sizes (bge-m3: 1024 ...), so
 * `dimensions` is the size the model actually returns once it has returned a
 * vector; before that, the configured or known size.
 */
export function createOpenAiEmbedder(options: EmbeddingOptions): Embedder {
  const embeddings = new OpenAIEmbeddings({
    model: options.model,
    apiKey: options.apiKey,
    dimensions: options.dimensions,
    maxRetries: 0,
    timeout: options.timeoutMs,
    configuration: options.baseURL ? { baseURL: options.baseURL } : undefined,
  });
  const expected = options.dimensions ?? KNOWN_DIMENSIONS[options.model];
  let observed: number | undefined;
  const toVector = (v: number[] | Float32Array) => {
    if (v.length === 0) throw new Error(`embedding model ${options.model} returned an empty vector`);
    if (options.dimensions !== undefined && v.length !== options.dimensions) {
      throw new Error(
        `embedding model ${options.model} returned ${v.length}-dimensional vectors, but OPENAI_EMBEDDING_DIMENSIONS is ${options.dimensions}`,
      );
    }
    if (observed !== undefined && v.length !== observed) {
      throw new Error(`embedding model ${options.model} returned vectors of ${observed} and ${v.length} dimensions`);
    }
    observed = v.length;
    return normalize(Float32Array.from(v));
  };
  return {
    id: `openai:${options.baseURL ?? 'default'}:${options.model}:${expected ?? 'native'}`,
    get dimensions() {
      return observed ?? expected ?? 1536;
    },
    async embedDocuments(texts) {
      // (Building the index has no answer's deadline: each call has its own timeout, and a refused batch is retried.)
      return (await retrying(() => embeddings.embedDocuments(texts), new AbortController().signal, options.retry ?? DEFAULT_RETRY)).map(toVector);
    },
    async embedQuery(text, signal) {
      // The query's embedding is part of an answer: it runs, with its retries, inside the answer's deadline.
      if (signal) return toVector(await retrying(() => embeddings.embedQuery(text), signal, options.retry ?? DEFAULT_RETRY));
      return toVector(await embeddings.embedQuery(text));
    },
  };
}

/** The OpenAI-compatible embedder the settings name (OPENAI_EMBEDDING_MODEL, _DIMENSIONS, base URL, timeout). */
export function configuredOpenAiEmbedder(config: Config): Embedder {
  return createOpenAiEmbedder({
    apiKey: config.OPENAI_API_KEY ?? '',
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_EMBEDDING_MODEL,
    dimensions: config.OPENAI_EMBEDDING_DIMENSIONS,
    timeoutMs: config.LLM_TIMEOUT_MS,
  });
}
